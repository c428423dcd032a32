"""The sentence around a term, as the terms pages quote it."""

from __future__ import annotations

import pickle

import pytest

from site_builder.excerpts import ELLIPSIS, MAX_CHARS, MAX_WORDS, excerpt


def around(text: str, term: str) -> tuple[str, str, str]:
    start = text.index(term)
    _, before, found, after = excerpt("ref-x", text, start, start + len(term))
    return before, found, after


def test_the_sentence_that_holds_the_term() -> None:
    text = "First sentence. The Tianwen-3 mission returns rock! Then more text."
    assert around(text, "Tianwen-3") == ("The ", "Tianwen-3", " mission returns rock!")


def test_closing_quotes_stay_with_their_sentence() -> None:
    text = "He said “no end.” Then “big but not strong” came up. Later."
    assert around(text, "big but not strong") == ("Then “", "big but not strong", "” came up.")
    assert around(text, "no end") == ("He said “", "no end", ".”")


def test_a_stop_after_a_single_letter_ends_no_sentence() -> None:
    text = "Meanwhile, the U.S. rivalry intensifies. Next."
    assert around(text, "rivalry") == ("Meanwhile, the U.S. ", "rivalry", " intensifies.")


@pytest.mark.parametrize(
    ("text", "term", "expected"),
    [
        (
            "In 2012 Mr. Smith saw that Voyager 1 crossed the heliopause at last.",
            "heliopause",
            ("In 2012 Mr. Smith saw that Voyager 1 crossed the ", "heliopause", " at last."),
        ),
        (
            "Before. Dr. Jones, Mrs. Lee, Ms. Roe and Prof. Kim met at St. Paul. After.",
            "Lee",
            ("Dr. Jones, Mrs. ", "Lee", ", Ms. Roe and Prof. Kim met at St. Paul."),
        ),
        (
            "Before. Smith vs. Jones, cf. the heliopause. After.",
            "vs",
            ("Smith ", "vs", ". Jones, cf. the heliopause."),
        ),
        (
            "Before. Smith vs. Jones, cf. the heliopause. After.",
            "heliopause",
            ("Smith vs. Jones, cf. the ", "heliopause", "."),
        ),
        (
            "Before. Probes, e.g. Voyager, i.e. NASA's, saw the heliopause. After.",
            "heliopause",
            ("Probes, e.g. Voyager, i.e. NASA's, saw the ", "heliopause", "."),
        ),
        (
            "See No. 5 first. The No. 5 heliopause. After.",
            "heliopause",
            ("The No. 5 ", "heliopause", "."),
        ),
        (
            "Red, green, etc. and the heliopause too. After.",
            "heliopause",
            ("Red, green, etc. and the ", "heliopause", " too."),
        ),
        (
            "Martin Luther King Jr. saw the heliopause. After.",
            "heliopause",
            ("Martin Luther King Jr. saw the ", "heliopause", "."),
        ),
        # A stop before a capital after other words does end a sentence.
        ("Red, green, etc. The heliopause too.", "heliopause", ("The ", "heliopause", " too.")),
        (
            "He met John Smith Jr. He saw the heliopause.",
            "heliopause",
            ("He saw the ", "heliopause", "."),
        ),
        (
            "Answer no. No one saw the heliopause.",
            "heliopause",
            ("No one saw the ", "heliopause", "."),
        ),
    ],
)
def test_a_stop_after_a_common_abbreviation_ends_no_sentence(
    text: str, term: str, expected: tuple[str, str, str]
) -> None:
    assert around(text, term) == expected


def test_chinese_and_japanese_sentences_end_at_their_stops() -> None:
    text = "月壤很重要。我们研究月壤！她说：“月壤是什么？”然后走了。「月の石」を見た。"
    assert around(text, "我们研究月壤") == ("", "我们研究月壤", "！")
    assert around(text, "月壤是") == ("她说：“", "月壤是", "什么？”")
    assert around(text, "月の石") == ("「", "月の石", "」を見た。")


def test_line_breaks_and_runs_of_space_become_single_spaces() -> None:
    text = "One\nsentence  with the\nterm  in\nit."
    assert around(text, "term  in") == ("One sentence with the ", "term in", " it.")


def test_a_term_at_either_end_of_the_paragraph() -> None:
    assert around("Mars", "Mars") == ("", "Mars", "")
    assert around("Mars, then Venus", "Venus") == ("Mars, then ", "Venus", "")


def test_a_long_sentence_is_cut_to_thirty_words_either_side() -> None:
    words = [f"w{i}" for i in range(100)]
    text = " ".join(words[:50]) + " TERM " + " ".join(words[50:]) + "."
    before, _, after = around(text, "TERM")
    assert before == f"{ELLIPSIS} " + " ".join(words[50 - MAX_WORDS : 50]) + " "
    assert after == " " + " ".join(words[50 : 50 + MAX_WORDS]) + f" {ELLIPSIS}"


def test_one_endless_word_is_cut_to_a_bounded_length() -> None:
    text = "x" * 100_000 + " TERM " + "y" * 100_000
    _, before, term, after = excerpt("r", text, 100_001, 100_005)
    assert term == "TERM"
    assert before.startswith(ELLIPSIS) and len(before) <= MAX_CHARS + 3
    assert after.endswith(ELLIPSIS) and len(after) <= MAX_CHARS + 3


def test_an_excerpt_is_small_and_picklable() -> None:
    text = "A sentence. " * 1000 + "The term here. " + "Another one. " * 1000
    start = text.index("term")
    value = excerpt("ref-term", text, start, start + 4)
    assert pickle.loads(pickle.dumps(value)) == value
    assert value == ("ref-term", "The ", "term", " here.")
