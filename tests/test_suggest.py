"""`site-builder suggest`: candidate terms that have no note yet."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import Run, make_site

from site_builder.diagnostics import Diagnostics
from site_builder.notes import parse_notes
from site_builder.suggest import Candidate, Kind, Passage, published_text, suggest

SEEDS = Path(__file__).parent.parent / "seeds"
SEED = "000_edfef99d65433808"


def candidates(text: str, notes: str = "", line: int = 1) -> dict[str, Candidate]:
    own = parse_notes(Path("a.notes.md"), notes, Diagnostics()).notes
    return {c.term: c for c in suggest([Passage(text, line)], own)}


def kinds(text: str) -> dict[str, str]:
    return {term: c.kind.label for term, c in candidates(text).items()}


# What counts as a candidate


def test_quoted_phrases_straight_and_curly_without_their_stops() -> None:
    text = 'They said “big but not strong,” and "running with the pack." And “no end.”'
    assert kinds(text) == {
        "big but not strong": "quoted",
        "running with the pack": "quoted",
        "no end": "quoted",
    }


def test_no_quoted_phrase_is_made_of_the_words_between_two_quotations() -> None:
    # The text runs end at markup: `" one and the "` between a bold and a code quotation
    # read as a quoted phrase, its first quote closing one, not opening.
    text = 'The "**bold**" one and the "`code`" one, and "big but not strong" too.'
    passages = published_text(text, 1)
    assert {c.term: c.kind.label for c in suggest(passages, [])} == {"big but not strong": "quoted"}


def test_a_long_quotation_is_no_term() -> None:
    assert kinds("He said “this is a whole sentence of many words, not a term.”") == {}


def test_chinese_and_japanese_quoted_terms_counted_where_a_note_finds_them() -> None:
    text = (
        "月壤很重要。我们研究月壤。她说：“月壤”。他说：“我们明年要把月壤样品带回地球进行详细分析。”"
        "「月の石」を見た。NASA的Artemis计划。"
    )
    found = candidates(text)
    assert {term: (c.kind.label, c.count) for term, c in found.items()} == {
        "月壤": ("quoted", 4),  # inside runs of characters too, as anchoring finds it
        "月の石": ("quoted", 1),  # corner brackets quote
        "NASA": ("acronym", 1),  # a Latin word between Chinese characters is a word
    }  # and the quoted sentence is a quotation, not a term


def test_names_of_several_capitalised_words() -> None:
    text = (
        "The Euro-American Mars Sample Return mission and the Made in China 2025 plan, "
        "as Xi Jinping's speech and DeepSeek showed. Meanwhile Europe waits."
    )
    assert kinds(text) == {
        "Mars Sample Return": "name",  # the hyphenated word before it is no part of it
        "Made in China 2025": "name",
        "Xi Jinping": "name",
        "DeepSeek": "name",
    }


def test_a_long_run_of_capitals_is_cut_at_its_connectors_into_the_names_it_holds() -> None:
    text = (
        "Engineers from the Kennedy Space Center and the Jet Propulsion Laboratory and "
        "DeepSeek met on Monday."
    )
    assert kinds(text) == {
        "Kennedy Space Center": "name",
        "Jet Propulsion Laboratory": "name",
        "DeepSeek": "name",
    }
    # A title-case headline holds no connector to cut at: no name.
    assert kinds("Read: Engineers Meet Rocket Makers Near Florida Launch Site Amid Storms") == {}


def test_and_the_parts_two_names_and_a_plain_and_joins_one() -> None:
    text = (
        "After the Soviet Union and the United States came the China Aerospace Science "
        "and Technology Corporation, and the National Aeronautics and Space Administration."
    )
    assert kinds(text) == {
        "Soviet Union": "name",
        "United States": "name",
        "China Aerospace Science and Technology Corporation": "name",
        "National Aeronautics and Space Administration": "name",
    }


def test_a_common_word_starting_a_sentence_is_no_part_of_a_name() -> None:
    text = "Today Chinese analysts agree. Some Long March rockets fly. Tianjin Port is busy."
    assert kinds(text) == {"Long March": "name", "Tianjin Port": "name"}


def test_acronyms_with_and_without_their_expansions() -> None:
    found = candidates(
        "The Chinese National Space Administration (CNSA) and the China Aerospace Science "
        "and Technology Corporation (CASC) work with artificial intelligence (AI). "
        "The CNSA leads, NASA watches."
    )
    cnsa = found["Chinese National Space Administration"]
    assert (cnsa.kind, cnsa.aliases, cnsa.count) == (Kind.NAME, ("CNSA",), 3)
    assert found["China Aerospace Science and Technology Corporation"].aliases == ("CASC",)
    assert found["artificial intelligence"].aliases == ("AI",)
    assert found["NASA"].kind == Kind.ACRONYM
    assert "CNSA" not in found and "AI" not in found  # counted with their expansions


def test_designations() -> None:
    assert kinds("The Tianwen-3 mission (2028–2031) follows R1 and a long-term plan.") == {
        "Tianwen-3": "designation",
        "R1": "designation",
    }


def test_counts_first_lines_and_ranking() -> None:
    text = "Intro line.\nThe Tianwen-3 probe.\n\nA “Sputnik moment” came.\nTianwen-3 again."
    found = suggest([Passage(text, 5)], ())
    assert [(c.term, c.kind, c.count, c.line) for c in found] == [
        ("Sputnik moment", Kind.QUOTED, 1, 8),
        ("Tianwen-3", Kind.DESIGNATION, 2, 6),
    ]


def test_terms_the_notes_have_already_are_left_out() -> None:
    notes = "## Tianwen-3\nA mission.\n\n## moment\naliases: Sputnik moment\nA time.\n"
    assert kinds("The Tianwen-3 probe. A “Sputnik moment” came.") != {}
    assert candidates("The Tianwen-3 probe. A “Sputnik moment” came.", notes) == {}


def test_known_terms_of_the_glossary_and_other_notes() -> None:
    glossary = parse_notes(Path("_glossary.md"), "## orbit\nA path.\n", Diagnostics()).notes
    other = parse_notes(Path("b.notes.md"), "## red planet\nMars.\n", Diagnostics()).notes
    known = [(glossary[0], "_glossary.md"), (other[0], "b.notes.md")]
    found = suggest([Passage("An orbit of the red planet, and another orbit.", 1)], (), known)
    assert [(c.term, c.kind, c.count, c.known_from) for c in found] == [
        ("orbit", Kind.KNOWN, 2, "_glossary.md"),
        ("red planet", Kind.KNOWN, 1, "b.notes.md"),
    ]


# The command, on the seed and on fixture sites


@pytest.fixture
def seed_without_notes(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    (seeds / f"{SEED}.notes.md").unlink()
    return seeds / f"{SEED}.txt"


def listed(output: str) -> dict[str, tuple[int, int, str]]:
    """The table's rows by term: count, line, kind."""
    rows = {}
    for row in output.splitlines()[2:]:
        count, line, rest = row.split(None, 2)
        term, kind = rest.rsplit("  ", 1)
        rows[term.strip()] = (int(count), int(line), kind.strip())
    return rows


def test_on_the_seed_it_proposes_the_quoted_phrases_and_names_its_notes_annotate(
    cli: Run, seed_without_notes: Path
) -> None:
    result = cli("suggest", seed_without_notes)
    assert result.code == 0, result.err
    rows = listed(result.out)
    for term in (
        "Sputnik moment",
        "big but not strong",
        "no end",
        "playing catch-up",
        "running with the pack",
        "leading the pack",
    ):
        assert rows[term][2] == "quoted", term
    for term in ("DeepSeek", "Mars Sample Return", "Made in China 2025"):
        assert rows[term][2] == "name", term
    assert rows["Tianwen-3"] == (1, 11, "designation")
    assert rows["big but not strong"] == (2, 15, "quoted")
    assert rows["Xi Jinping"][2] == "name, noted in _glossary.md"
    assert rows["artificial intelligence (AI)"][2] == "acronym, noted in _glossary.md"
    # The seed's own notes take every one of these away.
    shutil.copy(SEEDS / f"{SEED}.notes.md", seed_without_notes.with_suffix(".notes.md"))
    rows = listed(cli("suggest", seed_without_notes).out)
    assert not rows.keys() & {"Sputnik moment", "DeepSeek", "Tianwen-3", "big but not strong"}


SITE = {
    "seeds/_glossary.md": "## orbit\nA path.\n\n## rocket\nA vehicle.\n\n## comet\nIce.\n",
    "seeds/launch.md": "---\ntitle: Launch\n---\n\nThe rocket reached orbit.\n\nAn orbit.",
    "seeds/other.md": "Venus.\n",
    "seeds/other.notes.md": "## Venus\nThe second planet.\n",
}


def test_an_article_without_notes_gets_the_glossary_terms_it_uses(cli: Run, tmp_path: Path) -> None:
    make_site(tmp_path, SITE)
    result = cli("suggest", "seeds/launch.md")
    assert result.code == 0, result.err
    assert listed(result.out) == {
        "orbit": (2, 5, "known, noted in _glossary.md"),
        "rocket": (1, 5, "known, noted in _glossary.md"),
    }


def test_write_adds_headings_and_never_rewrites_the_notes_file(cli: Run, tmp_path: Path) -> None:
    existing = "---\nsummary: Kept.\n---\n\n## rocket\nMy own note, no newline at the end."
    make_site(tmp_path, {**SITE, "seeds/launch.notes.md": existing})
    notes = tmp_path / "seeds" / "launch.notes.md"
    result = cli("suggest", "seeds/launch.md", "--write")
    assert result.code == 0, result.err
    assert "added 1 heading to seeds/launch.notes.md" in result.out
    assert notes.read_text() == existing + "\n\n## orbit\n"
    assert listed(cli("suggest", "seeds/launch.md").out) == {}  # nothing proposed again
    # A build names the note still to write, as an error.
    build = cli("build")
    assert build.code == 1
    assert build.diagnostics == [
        "seeds/launch.notes.md:8: error: the note for 'orbit' has no text yet: write it "
        "under its heading; until then it is left out of the page"
    ]


def test_write_makes_the_notes_file_with_the_right_name(cli: Run, tmp_path: Path) -> None:
    make_site(tmp_path, {**SITE, "seeds/acronyms.txt": "A\n\nThe European Space Agency (ESA).\n"})
    result = cli("suggest", "seeds/acronyms.txt", "--write")
    assert result.code == 0, result.err
    made = tmp_path / "seeds" / "acronyms.notes.md"
    assert made.read_text() == "## European Space Agency\naliases: ESA\n"


def test_write_to_a_notes_file_that_cannot_be_written_is_an_error_naming_it(
    cli: Run, tmp_path: Path
) -> None:
    make_site(tmp_path, SITE)
    (tmp_path / "seeds" / "launch.notes.md").mkdir()  # a folder by the notes file's name
    result = cli("suggest", "seeds/launch.md", "--write")
    assert result.code == 1
    assert result.err.splitlines() == [
        "seeds/launch.notes.md: error: cannot be written (Is a directory); nothing added"
    ]
    assert list((tmp_path / "seeds" / "launch.notes.md").iterdir()) == []


def test_term_chooses_candidates_and_refuses_others(cli: Run, tmp_path: Path) -> None:
    make_site(tmp_path, SITE)
    notes = tmp_path / "seeds" / "launch.notes.md"
    result = cli("suggest", "seeds/launch.md", "--write", "--term", "Rocket")
    assert result.code == 0, result.err
    assert notes.read_text() == "## rocket\n"
    result = cli("suggest", "seeds/launch.md", "--write", "--term", "comet", "--term", "orbit")
    assert result.code == 1
    assert result.err == (
        "seeds/launch.md: error: 'comet' is not a candidate (noted already, or not in the text)\n"
    )
    assert notes.read_text() == "## rocket\n"  # nothing written


@pytest.mark.parametrize("name", ["_glossary.md", "other.notes.md", "missing.md"])
def test_only_articles_are_read(cli: Run, tmp_path: Path, name: str) -> None:
    make_site(tmp_path, SITE)
    result = cli("suggest", f"seeds/{name}")
    assert result.code != 0
    assert result.out == ""


# Only the text a note can anchor in: never headings, code, links, images or footnotes

PUBLISHED: dict[str, str | bytes] = {
    "seeds/centres.md": (
        "---\ntitle: Title Here\n---\n"  # lines 1-3
        "# Title Here\n\n"  # 4
        "## The European Space Agency Plan\n\n"  # 6
        "Some text about [Jet Propulsion Laboratory](https://jpl.nasa.gov) and\n"  # 8
        "`Deep Space Network` code, ![Johnson Space Center](photo.png) and\n"  # 9
        "https://example.com/Stennis-Space-Center too.[^1]\n\n"  # 10
        "```\nGoddard Space Flight Center\n```\n\n"  # 12-14
        "Real text:\n"  # 16
        "Kennedy Space Center hosts launches.\n\n"  # 17
        "| Site | Use |\n| --- | --- |\n| Wallops Flight Facility | rockets |\n\n"  # 19-21
        "[^1]: Said by Glenn Research Center.\n"  # 23
    ),
    "seeds/photo.png": b"",
}


def test_candidates_come_only_from_text_a_note_can_anchor_in(cli: Run, tmp_path: Path) -> None:
    make_site(tmp_path, PUBLISHED)
    result = cli("suggest", "seeds/centres.md")
    assert result.code == 0, result.err
    assert listed(result.out) == {
        "Kennedy Space Center": (1, 17, "name"),
        "Wallops Flight Facility": (1, 21, "name"),
    }


def test_every_candidate_written_and_noted_is_found_by_check(cli: Run, tmp_path: Path) -> None:
    make_site(tmp_path, PUBLISHED)
    assert cli("suggest", "seeds/centres.md", "--write").code == 0
    notes = tmp_path / "seeds" / "centres.notes.md"
    notes.write_text(notes.read_text().replace("\n## ", "\nA place.\n\n## ") + "A place.\n")
    result = cli("check")
    assert result.code == 0, result.err
    assert result.diagnostics == []
