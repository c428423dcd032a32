"""Tests for reading notes files: sections, field lines and every problem reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOOD, Run, make_site, page_slugs

from site_builder.diagnostics import Diagnostics
from site_builder.notes import Note, NotesFile, Placement, parse_notes, parse_placement

PATH = Path("seeds/article.notes.md")


def parse(text: str, glossary: bool = False) -> tuple[NotesFile, list[tuple[int, str, str]]]:
    """The parsed file and its diagnostics as (line, severity, message)."""
    diagnostics = Diagnostics()
    parsed = parse_notes(PATH, text, diagnostics, glossary=glossary)
    assert {d.path for d in diagnostics.items} <= {PATH}
    problems = [(d.line, d.severity.value, d.message) for d in diagnostics.items]
    return parsed, problems


def only(text: str) -> Note:
    parsed, problems = parse(text)
    assert problems == []
    [note] = parsed.notes
    return note


# sections


def test_sections_become_notes_with_term_body_and_line() -> None:
    parsed, problems = parse(
        "## Tianwen-3\nChina's planned *Mars* mission.\n\nA second paragraph.\n\n"
        "## big but not strong\n- a list\n- in a note\n"
    )
    assert problems == []
    assert parsed.notes == (
        Note(
            "Tianwen-3",
            (),
            Placement(),
            "China's planned *Mars* mission.\n\nA second paragraph.",
            PATH,
            1,
        ),
        Note("big but not strong", (), Placement(), "- a list\n- in a note", PATH, 6),
    )


def test_glossary_flag_is_carried_by_each_note() -> None:
    parsed, _ = parse("## Mars\nm\n\n## Venus\nv\n", glossary=True)
    assert [note.glossary for note in parsed.notes] == [True, True]


@pytest.mark.parametrize(
    ("heading", "term"),
    [
        ("## Mars", "Mars"),
        ("##   Mars   ", "Mars"),
        ("## Mars ##", "Mars"),
        ("## *Mars* rover", "Mars rover"),
        ("## `C++`", "C++"),
        ("## AT&amp;T", "AT&T"),
        ("## China’s plan", "China’s plan"),
    ],
)
def test_heading_text_is_the_term(heading: str, term: str) -> None:
    assert only(f"{heading}\nbody\n").term == term


def test_other_heading_levels_stay_in_the_body() -> None:
    note = only("## Mars\nIntro.\n\n### Details\nMore.\n\n# Big\nEnd.\n")
    assert note.body == "Intro.\n\n### Details\nMore.\n\n# Big\nEnd."


def test_hash_hash_inside_a_fenced_code_block_does_not_start_a_note() -> None:
    note = only("## Markdown\nExample:\n\n```markdown\n## not a note\n```\n\nAfter.\n")
    assert note.term == "Markdown"
    assert note.body == "Example:\n\n```markdown\n## not a note\n```\n\nAfter."


@pytest.mark.parametrize("nested", ["> ## quoted\n", "- ## in a list\n", "    ## indented code\n"])
def test_hash_hash_nested_in_a_block_does_not_start_a_note(nested: str) -> None:
    note = only(f"## Mars\nText.\n\n{nested}")
    assert note.term == "Mars"
    assert note.body == f"Text.\n\n{nested}".rstrip("\n")


def test_setext_underline_does_not_start_a_note() -> None:
    # Only `## term` starts a note; "text" over "---" is a heading inside the body.
    note = only("## Mars\nThe red planet.\n---\nMore.\n")
    assert note.term == "Mars"
    assert note.body == "The red planet.\n---\nMore."


def test_body_keeps_inner_blank_lines_but_not_outer_ones() -> None:
    assert only("## Mars\n\n\nOne.\n\n\nTwo.\n\n\n").body == "One.\n\n\nTwo."


# field lines


@pytest.mark.parametrize(
    ("line", "aliases"),
    [
        ("aliases: TW-3, Tianwen 3", ("TW-3", "Tianwen 3")),
        ("Aliases:TW-3,Tianwen 3  ", ("TW-3", "Tianwen 3")),
        ('aliases: "Tianwen, the third", TW-3', ("Tianwen, the third", "TW-3")),
        ("aliases: TW-3, , ", ("TW-3",)),
        ("aliases:", ()),
    ],
)
def test_aliases_field(line: str, aliases: tuple[str, ...]) -> None:
    note = only(f"## Tianwen-3\n{line}\nThe mission.\n")
    assert note.aliases == aliases
    assert note.spellings == ("Tianwen-3", *aliases)
    assert note.body == "The mission."


@pytest.mark.parametrize(
    ("value", "placement"),
    [
        ("first", Placement("first")),
        ("FIRST", Placement("first")),
        ("every", Placement("every")),
        ("2", Placement("nth", nth=2)),
        ("1", Placement("nth", nth=1)),
        ("2nd", Placement("nth", nth=2)),
        ("3rd", Placement("nth", nth=3)),
        ("11TH", Placement("nth", nth=11)),
        ("near rover", Placement("near", near="rover")),
        ("near sample return", Placement("near", near="sample return")),
        ('near "sample return"', Placement("near", near="sample return")),
        ("near “sample return”", Placement("near", near="sample return")),
        ("  every  ", Placement("every")),
    ],
)
def test_at_field(value: str, placement: Placement) -> None:
    assert parse_placement(value) == placement
    note = only(f"## Mars\nat: {value}\nThe red planet.\n")
    assert note.placement == placement
    assert note.body == "The red planet."


@pytest.mark.parametrize(
    "value",
    ["", "sometimes", "all", "0", "0th", "-1", "2.5", "first every", "near", "near  ", 'near ""'],
)
def test_invalid_at_value_is_an_error_on_its_line(value: str) -> None:
    assert parse_placement(value) is None
    parsed, problems = parse(f"## Venus\nv\n\n## Mars\naliases: red planet\nat: {value}\nText.\n")
    assert problems == [
        (
            6,
            "error",
            f"'at: {value.strip()}' is not one of: first, every, a number such as 2, "
            "near WORDS; the page keeps its last good output",
        )
    ]
    assert parsed.broken_fields == (6,)


def test_invalid_at_value_in_the_glossary_leaves_the_note_out() -> None:
    parsed, problems = parse("## Venus\nv\n\n## Mars\nat: second\nText.\n", glossary=True)
    assert problems == [
        (
            5,
            "error",
            "'at: second' is not one of: first, every, a number such as 2, near WORDS; "
            "this note is left out",
        )
    ]
    assert [note.term for note in parsed.notes] == ["Venus"]


def test_fields_after_blank_lines_under_the_heading_and_in_any_order() -> None:
    note = only("## Mars\n\nat: every\naliases: red planet\n\nText.\n")
    assert note.placement == Placement("every")
    assert note.aliases == ("red planet",)
    assert note.body == "Text."


def test_a_field_given_twice_is_an_error() -> None:
    parsed, problems = parse("## Mars\nat: every\nat: 2\nText.\n")
    assert problems == [
        (3, "error", "'at:' is given twice for 'Mars'; the page keeps its last good output")
    ]
    assert parsed.broken_fields == (3,)


def test_field_lines_only_directly_under_the_heading() -> None:
    note = only("## Mars\nText first.\nat: every\n")
    assert note.placement == Placement()
    assert note.body == "Text first.\nat: every"


# unknown field lines


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "alias: drone ship",
            "unknown field 'alias:' (known: aliases, at), left out of the note; "
            "did you mean 'aliases:'?",
        ),
        (
            "aliasses: drone ship",
            "unknown field 'aliasses:' (known: aliases, at), left out of the note; "
            "did you mean 'aliases:'?",
        ),
        (
            "ats: 2",
            "unknown field 'ats:' (known: aliases, at), left out of the note; did you mean 'at:'?",
        ),
        (
            "see-also: barge",
            "unknown field 'see-also:' (known: aliases, at), left out of the note; "
            "if it is text, write 'see-also\\:'",
        ),
        (
            "note:",
            "unknown field 'note:' (known: aliases, at), left out of the note; "
            "if it is text, write 'note\\:'",
        ),
    ],
)
def test_unknown_field_line_is_a_warning_and_not_note_text(line: str, message: str) -> None:
    parsed, problems = parse(
        f"## Drone ship\n{line}\nat: every\n\nA barge that catches boosters.\n"
    )
    assert problems == [(2, "warning", message)]
    [note] = parsed.notes
    assert note.body == "A barge that catches boosters."
    assert note.placement == Placement("every")  # the fields after it are still read


@pytest.mark.parametrize(
    "first",
    [
        "Note: the launch slipped to Tuesday.",  # a capital: prose
        "Note: short",
        "note: the launch slipped a week after the test went wrong.",  # ends a sentence
        "note: did it slip?",
        "note: the launch slipped a week after the static fire test went wrong twice",  # long
        "https://example.org/drone-ship",  # no space after the colon
        "note\\: escaped",
        "two words: a value",
        "Alias: drone ship",  # field names are lower case
        "- at: a list item",
    ],
)
def test_prose_with_a_colon_stays_note_text(first: str) -> None:
    note = only(f"## Drone ship\n{first}\nMore text.\n")
    assert note.body == f"{first}\nMore text."
    assert note.aliases == ()


def test_unknown_field_lines_are_reported_in_the_glossary_too() -> None:
    parsed, problems = parse("## Mars\nalais: red planet\nThe fourth planet.\n", glossary=True)
    assert [(line, severity) for line, severity, _ in problems] == [(2, "warning")]
    assert "did you mean 'aliases:'?" in problems[0][2]
    assert parsed.notes[0].body == "The fourth planet."


def test_unknown_field_line_is_reported_by_build(tmp_path: Path, cli: Run) -> None:
    notes = "---\nsummary: Boosters.\n---\n## drone ship\nalias: barge\n\nCatches boosters.\n"
    article = "The drone ship waited at sea. The barge was ready.\n"
    make_site(tmp_path, {**GOOD, "seeds/ship.md": article, "seeds/ship.notes.md": notes})
    result = cli("build")
    assert result.diagnostics == [
        "seeds/ship.notes.md:5: warning: unknown field 'alias:' (known: aliases, at), "
        "left out of the note; did you mean 'aliases:'?"
    ]
    assert result.code == 0
    assert cli("build", "--strict").code == 1
    page = (tmp_path / "_site" / "ship" / "index.html").read_text(encoding="utf-8")
    assert "Catches boosters." in page
    assert "alias" not in page
    assert page_slugs(tmp_path / "_site") == {"good", "ship"}


# duplicates


def test_duplicate_term_is_an_error_naming_both_lines() -> None:
    parsed, problems = parse("## Mars\nOne.\n\n## MARS\nTwo.\n")
    assert problems == [
        (
            4,
            "error",
            "duplicate term 'MARS': 'Mars' is already noted on line 1; this note is left out",
        )
    ]
    assert [note.body for note in parsed.notes] == ["One."]


def test_duplicate_compares_typographic_variants() -> None:
    _, problems = parse("## China’s Tianwen‑3\nOne.\n\n## china's  tianwen-3\nTwo.\n")
    assert [(line, severity) for line, severity, _ in problems] == [(4, "error")]
    assert "already noted on line 1" in problems[0][2]


def test_duplicate_across_aliases_is_an_error_naming_both_lines() -> None:
    parsed, problems = parse(
        "## Tianwen-3\naliases: TW-3\nOne.\n\n## Mars\nTwo.\n\n## tw-3\nThree.\n\n"
        "## Red planet\naliases: Crimson, MARS\nFour.\n"
    )
    assert problems == [
        (
            8,
            "error",
            "duplicate term 'tw-3': 'TW-3' is already noted on line 1; this note is left out",
        ),
        (
            11,
            "error",
            "duplicate term 'Red planet': 'Mars' is already noted on line 5; this note is left out",
        ),
    ]
    assert [note.term for note in parsed.notes] == ["Tianwen-3", "Mars"]


def test_a_left_out_note_does_not_reserve_its_spellings() -> None:
    parsed, problems = parse("## Mars\n1\n\n## mars\naliases: Venus\n2\n\n## Venus\n3\n")
    assert [line for line, _, _ in problems] == [4]
    assert [note.term for note in parsed.notes] == ["Mars", "Venus"]


# other problems


@pytest.mark.parametrize("heading", ["##", "##   ", "## ##", "## ` `"])
def test_empty_heading_is_an_error(heading: str) -> None:
    parsed, problems = parse(f"## Mars\nm\n\n{heading}\nOrphan text.\n")
    assert problems == [(4, "error", "a '##' heading names no term; this note is left out")]
    assert [note.term for note in parsed.notes] == ["Mars"]
    assert parsed.notes[0].body == "m"


@pytest.mark.parametrize("body", ["", "\n\n", "at: every\n", "aliases: a, b\n\n"])
def test_note_without_text_is_an_error_and_left_out_of_the_page(body: str) -> None:
    parsed, problems = parse(f"## Venus\nv\n## Mars\n{body}## Earth\ne\n")
    assert problems == [
        (
            3,
            "error",
            "the note for 'Mars' has no text yet: write it under its heading; "
            "until then it is left out of the page",
        )
    ]
    assert [note.term for note in parsed.notes] == ["Venus", "Mars", "Earth"]
    assert [note.term for note in parsed.written] == ["Venus", "Earth"]


def test_text_before_the_first_heading_warns_on_its_line() -> None:
    parsed, problems = parse("# Notes on the article\n\nA stray line.\nAnother.\n\n## Mars\nm\n")
    assert problems == [
        (3, "warning", "text before the first '## term' heading belongs to no note; ignored")
    ]
    assert [note.term for note in parsed.notes] == ["Mars"]


def test_a_title_line_before_the_first_heading_is_fine() -> None:
    parsed, problems = parse("# Notes on the article\n\n## Mars\nm\n")
    assert problems == []
    assert parsed.notes[0].line == 3


def test_a_file_of_only_stray_text_warns_and_has_no_notes() -> None:
    parsed, problems = parse("\nJust text.\n")
    assert problems == [
        (2, "warning", "text before the first '## term' heading belongs to no note; ignored")
    ]
    assert parsed.notes == ()


def test_empty_file_has_no_notes_and_no_problems() -> None:
    parsed, problems = parse("")
    assert parsed.notes == ()
    assert problems == []


# front matter


FRONT = "---\ntitle: Better title\nslug: better\n---\n"


def test_front_matter_is_read_and_lines_are_offset() -> None:
    parsed, problems = parse(
        FRONT + "\nStray.\n\n## Mars\nat: sometimes\nm\n\n## Venus\n\n## mars\nx\n"
    )
    assert parsed.front_matter.get("title") == "Better title"
    assert parsed.front_matter.get("slug") == "better"
    assert problems == [
        (6, "warning", "text before the first '## term' heading belongs to no note; ignored"),
        (
            9,
            "error",
            "'at: sometimes' is not one of: first, every, a number such as 2, near WORDS; "
            "the page keeps its last good output",
        ),
        (
            12,
            "error",
            "the note for 'Venus' has no text yet: write it under its heading; "
            "until then it is left out of the page",
        ),
        (
            14,
            "error",
            "duplicate term 'mars': 'Mars' is already noted on line 8; this note is left out",
        ),
    ]
    assert [(note.term, note.line) for note in parsed.notes] == [("Mars", 8), ("Venus", 12)]


def test_front_matter_problems_are_errors_with_file_lines() -> None:
    parsed, problems = parse("---\ntitle: ok\ntitle: again\n---\n## Mars\nm\n")
    assert problems == [(3, "error", "front matter 'title' is set twice (first on line 2)")]
    assert [(note.term, note.line) for note in parsed.notes] == [("Mars", 5)]


def test_unclosed_front_matter_is_an_error_and_the_notes_are_still_read() -> None:
    parsed, problems = parse("---\ntitle: x\n\n## Mars\nm\n")
    assert problems == [
        (1, "error", "front matter opened with '---' is never closed"),
        (1, "warning", "text before the first '## term' heading belongs to no note; ignored"),
    ]
    assert [(note.term, note.line) for note in parsed.notes] == [("Mars", 4)]


def test_invalid_at_keeps_the_page_at_its_last_good_output(tmp_path: Path, cli: Run) -> None:
    article = "The drone ship waited. Later the drone ship caught the booster.\n"
    notes = "## drone ship\nat: 2\n\nA barge that catches boosters.\n"
    make_site(tmp_path, {**GOOD, "seeds/ship.md": article, "seeds/ship.notes.md": notes})
    assert cli("build").code == 0
    page = tmp_path / "_site" / "ship" / "index.html"
    good = page.read_bytes()

    (tmp_path / "seeds" / "ship.notes.md").write_text(notes.replace("at: 2", "at: second"))
    (tmp_path / "seeds" / "good.md").write_text(GOOD["seeds/good.md"] + "\nMore text.\n")
    result = cli("build")
    assert result.diagnostics == [
        "seeds/ship.notes.md:2: error: 'at: second' is not one of: first, every, a number "
        "such as 2, near WORDS; the page keeps its last good output"
    ]
    assert result.code == 1
    assert page.read_bytes() == good  # not rewritten with the note at the first occurrence
    assert (
        "More text." in (tmp_path / "_site" / "good" / "index.html").read_text()
    )  # the rest built


def test_invalid_at_on_a_first_build_writes_no_page(tmp_path: Path, cli: Run) -> None:
    notes = "## drone ship\nat: every\nat: 2\n\nA barge.\n"
    make_site(
        tmp_path, {**GOOD, "seeds/ship.md": "The drone ship.\n", "seeds/ship.notes.md": notes}
    )
    result = cli("build")
    assert result.diagnostics == [
        "seeds/ship.notes.md:3: error: 'at:' is given twice for 'drone ship'; "
        "the page keeps its last good output"
    ]
    assert result.code == 1
    assert page_slugs(tmp_path / "_site") == {"good"}


def test_invalid_at_in_the_glossary_leaves_that_note_out(tmp_path: Path, cli: Run) -> None:
    glossary = "## drone ship\nat: second\n\nA barge.\n\n## booster\nA rocket's first stage.\n"
    article = "The drone ship caught the booster.\n"
    make_site(tmp_path, {**GOOD, "seeds/ship.md": article, "seeds/_glossary.md": glossary})
    result = cli("build")
    assert result.diagnostics == [
        "seeds/_glossary.md:2: error: 'at: second' is not one of: first, every, a number "
        "such as 2, near WORDS; this note is left out"
    ]
    assert result.code == 1
    page = (tmp_path / "_site" / "ship" / "index.html").read_text(encoding="utf-8")
    assert 'data-note="note-booster"' in page
    assert "note-drone-ship" not in page
