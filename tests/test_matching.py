"""Tests for finding terms in text: whole words, folded variants, leftmost-longest."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.matching import (
    Neighbours,
    TermTrie,
    _matches,
    find_all,
    find_terms,
    fold,
    term_key,
    term_tokens,
    tokenize,
)


def trie(*terms: str) -> TermTrie[str]:
    """A trie whose values are the terms themselves."""
    result: TermTrie[str] = TermTrie()
    for term in terms:
        assert result.add(term, term)
    return result


def found(text: str, *tries: TermTrie[str]) -> list[tuple[str, str]]:
    """(matched text, term) for every match."""
    return [(text[m.start : m.end], m.value) for m in find_terms(text, tries)]


# tokens and folding


def test_tokenize_cuts_words_single_marks_and_space_runs() -> None:
    assert tokenize("China’s  big-\nbang") == [
        (0, 5, "china"),
        (5, 6, "'"),
        (6, 7, "s"),
        (7, 9, " "),
        (9, 12, "big"),
        (12, 13, "-"),
        (13, 14, " "),
        (14, 18, "bang"),
    ]


@pytest.mark.parametrize(
    ("variant", "plain"),
    [
        ("’", "'"),
        ("‘", "'"),
        ("“", '"'),
        ("”", '"'),
        ("\u2011", "-"),  # non-breaking hyphen
        ("\u2013", "-"),  # en dash
        ("\u2010", "-"),  # hyphen
        ("\u2212", "-"),  # minus sign
        ("MARS", "mars"),
        ("Straße", "strasse"),
        (" \t\n\u00a0 ", " "),
    ],
)
def test_fold_makes_variants_equal(variant: str, plain: str) -> None:
    assert fold(variant) == plain


def test_term_tokens_strip_outer_space_and_fold() -> None:
    assert term_tokens("  Big\u00a0 But  ") == ("big", " ", "but")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Tianwen-3", "tianwen\u20113"),
        ("Tianwen-3", "TIANWEN–3"),
        ("China’s", "china's"),
        ("“quoted”", '"Quoted"'),
        ("big but not strong", "big  but\nnot\tstrong"),
        (" Mars ", "mars"),
    ],
)
def test_term_key_equal_for_variants(one: str, other: str) -> None:
    assert term_key(one) == term_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("Tianwen-3", "Tianwen 3"), ("Mars", "Mars."), ("big but", "bigbut"), ("C++", "C")],
)
def test_term_key_differs_for_different_terms(one: str, other: str) -> None:
    assert term_key(one) != term_key(other)


def test_term_key_of_blank_term_is_empty() -> None:
    assert term_key(" \n\t") == ""


# TermTrie.add


def test_add_refuses_duplicates_and_keeps_the_first_value() -> None:
    terms: TermTrie[int] = TermTrie()
    assert terms.add("Tianwen-3", 1) is True
    assert terms.add("TIANWEN‑3", 2) is False  # same term, typographic hyphen
    assert terms.add("tianwen-3", 3) is False
    assert [m.value for m in find_terms("Tianwen-3", [terms])] == [1]


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_add_refuses_empty_terms(blank: str) -> None:
    terms: TermTrie[int] = TermTrie()
    assert terms.add(blank, 1) is False
    assert find_terms("some text here", [terms]) == []


def test_add_accepts_prefix_and_extension_of_a_term() -> None:
    terms = trie("Mars", "Mars Sample Return", "Mars Sample")
    text = "Mars, a Mars Sample and the Mars Sample Return"
    assert [m.value for m in find_terms(text, [terms])] == [
        "Mars",
        "Mars Sample",
        "Mars Sample Return",
    ]


# whole words


@pytest.mark.parametrize(
    ("term", "text", "expected"),
    [
        ("strong", "it is strongly built", []),
        ("strong", "strong, not strongly", [("strong", "strong")]),
        ("strong", "headstrong", []),
        ("China", "China’s rover", [("China", "China")]),
        ("China", "Chinatown", []),
        ("Mars", "(Mars)", [("Mars", "Mars")]),
        ("Mars", "Mars_rover", []),  # the underscore is a word character
        ("3", "Tianwen-3", [("3", "3")]),
        ("Tianwen", "Tianwen3", []),
    ],
)
def test_whole_words_only(term: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, trie(term)) == expected


@pytest.mark.parametrize(
    ("term", "text", "expected"),
    [
        ("cafe\u0301", "the café is open", "café"),  # decomposed term, composed text
        ("café", "the cafe\u0301 is open", "cafe\u0301"),  # composed term, decomposed text
    ],
)
def test_canonically_equivalent_spellings_match(term: str, text: str, expected: str) -> None:
    assert [text[m.start : m.end] for m in find_terms(text, [trie(term)])] == [expected]


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("cafe", "the cafe\u0301 is open"),  # "cafe" is not a whole word of "café"
        ("ह", "हिन्दी भाषा"),  # a letter of a Devanagari word is not a word
    ],
)
def test_combining_marks_belong_to_their_word(term: str, text: str) -> None:
    assert find_terms(text, [trie(term)]) == []


@pytest.mark.parametrize(
    ("term", "text", "expected"),
    [
        ("heliopause", "the helio\u00adpause in 2012", ["helio\u00adpause"]),
        ("helio\u00adpause", "the heliopause", ["heliopause"]),
        ("Tianwen-3", "Tian\u00adwen-3", ["Tian\u00adwen-3"]),
        ("helio", "the helio\u00adpause", []),  # a part of the word a reader sees
        ("a b", "a \u00ad b", []),  # a soft hyphen alone is a mark, not nothing
    ],
)
def test_a_soft_hyphen_is_part_of_its_word(term: str, text: str, expected: list[str]) -> None:
    # Scraped text carries &shy;: the reader sees one word, and so does matching.
    assert [text[m.start : m.end] for m in find_terms(text, [trie(term)])] == expected


# scripts written without spaces between words


@pytest.mark.parametrize(
    ("term", "text", "expected"),
    [
        ("月壤", "月壤很重要。我们研究月壤。她说：“月壤”。", ["月壤"] * 3),  # Chinese
        ("月", "月壤很重要", ["月"]),  # a character is a word of its own
        ("月壤很", "月壤", []),  # but every character of the term must be there
        ("コンピューター", "私のコンピューターは古い", ["コンピューター"]),  # Katakana, ー
        ("ひらがな", "これはひらがなです", ["ひらがな"]),  # Hiragana
        ("人々", "多くの人々が来た", ["人々"]),  # an iteration mark
        ("𠀀", "一𠀀二", ["𠀀"]),  # Han extension B
        ("豈", "一\uf900二", ["\uf900"]),  # a compatibility ideograph, folded
        ("ภาษา", "ภาษาไทยง่าย", ["ภาษา"]),  # Thai
        ("ພາສາ", "ພາສາລາວ", ["ພາສາ"]),  # Lao
        ("ភាសា", "ភាសាខ្មែរ", ["ភាសា"]),  # Khmer
        ("မြန်မာ", "မြန်မာစာ", ["မြန်မာ"]),  # Myanmar
        ("월면토", "월면토가 중요하다. 월면토를 연구한다.", ["월면토"] * 2),  # Hangul particles
    ],
)
def test_a_term_in_a_script_without_spaces_matches_inside_a_run(
    term: str, text: str, expected: list[str]
) -> None:
    assert [text[m.start : m.end] for m in find_terms(text, [trie(term)])] == expected


def test_each_character_of_a_script_without_spaces_is_a_token() -> None:
    assert tokenize("用GPU训练") == [
        (0, 1, "用"),
        (1, 4, "gpu"),
        (4, 5, "训"),
        (5, 6, "练"),
    ]


@pytest.mark.parametrize(
    ("term", "text", "expected"),
    [
        ("GPU", "我们用GPU训练", ["GPU"]),  # a Latin word beside Han is a whole word
        ("GP", "我们用GPU训练", []),  # and still only a whole one
        ("2024年", "在2024年", ["2024年"]),
        ("ガス", "ｶﾞｽとガス", ["ｶﾞｽ", "ガス"]),  # a half-width voiced sound mark is its letter's
        ("が", "か\u3099", ["か\u3099"]),  # so is a combining one
        ("か", "か\u3099", []),
        ("월", "\u110b\u116f\u11af", ["\u110b\u116f\u11af"]),  # conjoining jamo: one syllable
        ("월면", "워\u11af면", ["워\u11af면"]),
        ("葛城", "葛\U000e0100城", ["葛\U000e0100城"]),  # a variation selector: the same character
        ("月壤", "月\u00ad壤", ["月\u00ad壤"]),
    ],
)
def test_marks_and_neighbours_of_characters_of_scripts_without_spaces(
    term: str, text: str, expected: list[str]
) -> None:
    assert [text[m.start : m.end] for m in find_terms(text, [trie(term)])] == expected


ALPHABET = "月壤球表ab A.,。“”\n\u0301\u00adｶﾞガ\u110b\u116f\u11af월가ภ\u0e34ーＭ\uf900\u8c48\ufe00"


@settings(max_examples=500, derandomize=True)
@given(
    text=st.text(ALPHABET, max_size=30),
    terms=st.lists(st.text(ALPHABET, min_size=1, max_size=4), min_size=1, max_size=3),
)
def test_the_fast_path_finds_what_reading_token_by_token_finds(text: str, terms: list[str]) -> None:
    # find_terms cuts the text into words in C (_spans) where it can; _matches reads
    # every token. Both must agree, however scripts, marks and jamo are mixed.
    automaton: TermTrie[str] = TermTrie()
    for term in terms:
        automaton.add(term, term)
    if automaton:
        automaton.compile()
        fast = [(m.start, m.end, m.value) for m in find_terms(text, [automaton])]
        slow = [(m.start, m.end, m.value) for m in _matches(text, [automaton])]
        assert fast == slow


# case and typographic variants


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("mars", "MARS"),
        ("MARS", "mArS"),
        ("China's", "China’s"),
        ("China’s", "China's"),
        ("China’s", "CHINA‘S"),
        ('"big" deal', "“big” deal"),
        ("“big” deal", '"big" deal'),
        ("Tianwen-3", "Tianwen‑3"),  # U+2011
        ("Tianwen-3", "Tianwen–3"),  # U+2013
        ("Tianwen–3", "Tianwen-3"),
        ("Tianwen‑3", "Tianwen–3"),
    ],
)
def test_case_and_typographic_variants_are_equal(term: str, text: str) -> None:
    assert found(text, trie(term)) == [(text, term)]


@pytest.mark.parametrize(
    "text",
    [
        "big but not strong",
        "big  but   not strong",
        "big but\nnot strong",
        "big but\n   not\tstrong",
        "big\u00a0but not strong",
        "big but \r\n not strong",
    ],
)
def test_any_run_of_white_space_equals_a_space(text: str) -> None:
    assert found(text, trie("big but not strong")) == [(text, "big but not strong")]


def test_space_in_a_term_does_not_match_no_space() -> None:
    assert found("bigbut", trie("big but")) == []
    assert found("big-but", trie("big but")) == []


def test_match_offsets_exclude_surrounding_space() -> None:
    text = "  so  big but\nnot strong .  "
    [match] = find_terms(text, [trie("big but not strong")])
    assert (match.start, match.end) == (6, 24)
    assert text[match.start : match.end] == "big but\nnot strong"


def test_every_occurrence_is_found_in_order() -> None:
    text = "Mars, then mars, then MARS."
    assert [(m.start, m.end) for m in find_terms(text, [trie("Mars")])] == [
        (0, 4),
        (11, 15),
        (22, 26),
    ]


# leftmost-longest and ties


def test_longest_term_wins_at_the_same_start() -> None:
    text = "The Mars Sample Return mission, then Mars alone."
    assert found(text, trie("Mars", "Mars Sample Return")) == [
        ("Mars Sample Return", "Mars Sample Return"),
        ("Mars", "Mars"),
    ]


def test_longest_wins_across_tries() -> None:
    text = "Mars Sample Return"
    assert found(text, trie("Mars"), trie("Mars Sample Return")) == [(text, "Mars Sample Return")]
    assert found(text, trie("Mars Sample Return"), trie("Mars")) == [(text, "Mars Sample Return")]


def test_incomplete_longer_term_falls_back_to_the_shorter() -> None:
    assert found("Mars Sample day", trie("Mars", "Mars Sample Return")) == [("Mars", "Mars")]


def test_leftmost_match_wins_over_an_overlapping_later_one() -> None:
    text = "Mars Sample Return"
    assert found(text, trie("Mars Sample", "Sample Return")) == [("Mars Sample", "Mars Sample")]


def test_matches_do_not_overlap() -> None:
    assert found("a b a b a", trie("a b a")) == [("a b a", "a b a")]


def test_earlier_trie_wins_a_tie() -> None:
    own: TermTrie[str] = TermTrie()
    own.add("Mars", "own")
    glossary: TermTrie[str] = TermTrie()
    glossary.add("MARS", "glossary")
    assert [m.value for m in find_terms("Mars", [own, glossary])] == ["own"]
    assert [m.value for m in find_terms("Mars", [glossary, own])] == ["glossary"]


def test_no_tries_finds_nothing() -> None:
    assert find_terms("Mars", []) == []


# terms are literal


@pytest.mark.parametrize(
    ("term", "text", "expected"),
    [
        ("a.b", "axb a.b", ["a.b"]),
        ("C++", "C C+ C++ CC", ["C++"]),
        ("(x)", "x (x) [x]", ["(x)"]),
        ("x*", "xx x* x", ["x*"]),
        (".*", "anything at all .*", [".*"]),
        ("[ab]", "a b [ab]", ["[ab]"]),
        ("a|b", "a b a|b", ["a|b"]),
        ("\\d", "1 2 \\d", ["\\d"]),
        ("$5", "5 $5", ["$5"]),
    ],
)
def test_terms_are_literal_not_patterns(term: str, text: str, expected: list[str]) -> None:
    assert [text[m.start : m.end] for m in find_terms(text, [trie(term)])] == expected


# cost does not depend on the number of terms


def filler_terms(count: int) -> list[str]:
    """Terms whose words never occur in the test texts."""
    return [f"zq{n:05d} filler{n % 7}" for n in range(count)]


TEXT = (
    "The Mars Sample Return mission and China’s Tianwen‑3 are big but\n"
    "not strong; Mars, mars and MARS again. Strongly big but not strong."
)
RELEVANT = ("Mars", "Mars Sample Return", "Tianwen-3", "China's", "big but not strong")


def test_a_big_trie_matches_exactly_like_a_small_one() -> None:
    small = trie(*RELEVANT)
    big = trie(*filler_terms(10_000), *RELEVANT)
    assert found(TEXT, big) == found(TEXT, small)
    assert len(found(TEXT, small)) == 8


class CountingDict(dict[str, int]):
    """A node's children that count look-ups."""

    lookups = 0

    def get(self, key: str, default: int | None = None) -> int | None:  # type: ignore[override]
        CountingDict.lookups += 1
        return super().get(key, default)


def instrument(terms: TermTrie[str]) -> None:
    """Make every node of the automaton count the child look-ups made through it."""
    terms.compile()
    terms._children = [CountingDict(children) for children in terms._children]


def lookups(text: str, terms: TermTrie[str]) -> int:
    instrument(terms)
    CountingDict.lookups = 0
    find_terms(text, [terms])
    return CountingDict.lookups


def test_trie_work_does_not_grow_with_the_number_of_terms() -> None:
    small = lookups(TEXT, trie(*RELEVANT))
    big = lookups(TEXT, trie(*filler_terms(10_000), *RELEVANT))
    assert big == small
    # One look-up per token, plus one per failure link followed: never more than the tokens.
    assert small <= 2 * len(tokenize(TEXT))


def test_trie_work_is_bounded_by_text_length_when_terms_share_prefixes() -> None:
    shared = [f"Mars zq{n:05d}" for n in range(10_000)]
    assert lookups(TEXT, trie(*shared, *RELEVANT)) <= 2 * len(tokenize(TEXT))


@pytest.mark.parametrize("words", [10, 1_000])
def test_trie_work_does_not_grow_with_the_length_of_a_term_whose_start_repeats(
    words: int,
) -> None:
    # A term that almost matches everywhere: a walk from each word would go `words` deep.
    text = "w " * 2_000
    terms = trie("w " * words + "end", "w w")
    assert lookups(text, terms) <= 2 * len(tokenize(text))
    assert len(find_terms(text, [terms])) == 1_000


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        (("a b c d e", "b c", "c d x"), ["b c"]),
        (("a b c d e", "c d x"), ["c d x"]),
        (("a b c d e", "a b", "b c d x"), ["a b"]),
        (("b c d e", "a b c d x", "c"), ["a b c d x"]),
    ],
)
def test_terms_inside_a_longer_one_that_fails_are_found(
    terms: tuple[str, ...], expected: list[str]
) -> None:
    # The longest term's start runs past the others before it fails at "x".
    assert [term for _, term in found("a b c d x", trie(*terms))] == expected


# Neighbours (the words around a span, for `at: near`) and find_all


def test_words_around_take_words_and_their_punctuation_either_side() -> None:
    text = "one two, three Mars four. five six"
    start = text.index("Mars")
    before, after = Neighbours(text).words_around(start, start + 4, 2)
    assert before == ["two", ",", "three"]
    assert after == ["four", ".", "five"]


def test_words_around_stop_at_the_ends_of_the_text() -> None:
    assert Neighbours("Mars").words_around(0, 4, 10) == ([], [])


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("two three", True),
        ("Four\nfive", True),  # any white space, any case
        ("three Mars", False),  # the span itself is not its neighbour
        ("one", False),  # three words away
        ("five six", False),  # only partly within two words
        ("two, three", False),  # not as written in the text
        ("", False),
    ],
)
def test_near_finds_a_phrase_wholly_within_the_words_either_side(
    phrase: str, expected: bool
) -> None:
    text = "zero one two three Mars four five six"
    start = text.index("Mars")
    words = [token for token in term_tokens(phrase) if token != " "]
    assert Neighbours(text).near(start, start + 4, 2, words) is expected


@pytest.mark.parametrize(
    ("haystack", "needle", "expected"),
    [
        (["a", "b", "c"], ["b", "c"], [1]),
        (["a", "b", "c"], ["a", "c"], []),
        (["a"], ["a", "b"], []),
        (["a"], [], []),
        (["a", "a", "a"], ["a", "a"], [0, 1]),
        (list("abababc"), list("ababc"), [2]),
    ],
)
def test_find_all(haystack: list[str], needle: list[str], expected: list[int]) -> None:
    assert list(find_all(haystack, needle)) == expected


def test_a_compiled_trie_with_a_long_term_pickles() -> None:
    # To --jobs workers: nodes are numbers, so no recursion however deep the trie.
    terms = trie("w " * 5_000 + "end", "w")
    terms.compile()
    copy = pickle.loads(pickle.dumps(terms))
    text = "w " * 5_000 + "end w"
    assert (
        found(text, copy) == found(text, terms) == [(text[:-2], "w " * 5_000 + "end"), ("w", "w")]
    )
