"""Hostile input: no words lost, no secret leaked, nothing read that is not a file.

Each case is one broken or hostile input beside a good article, with its exact
outcome: the diagnostic lines, the exit status, the rest of the site still built,
nothing from outside the site folder in the output, and no traceback (the `cli`
fixture fails on one).
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import GOOD, Run, make_site, page_slugs

TOO_DEEP = (
    "blockquotes and lists nested too deeply (the limit is 100 levels, a list item "
    "counting as two): the text from here on would be lost; nest it less deeply"
)
KEEPS = "; the page keeps its last good output"


def page(tmp_path: Path, slug: str) -> str:
    return (tmp_path / "_site" / slug / "index.html").read_text(encoding="utf-8")


def quotes(depth: int) -> str:
    """Blockquotes nested `depth` deep, a line of text at each level, after a title line."""
    return "# Quotes\n\n" + "".join(f"{'>' * n} level{n}\n{'>' * n}\n" for n in range(1, depth + 1))


def lists(depth: int) -> str:
    """A list nested `depth` deep, one item at each level."""
    return "".join(f"{'  ' * n}- item{n}\n" for n in range(depth))


# Nothing lost: markdown nested deeper than the parser reads


def test_blockquotes_99_deep_keep_every_word(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {**GOOD, "seeds/deep.md": quotes(99) + "\nAfter.\n"})
    result = cli("build")
    assert (result.code, result.diagnostics) == (0, [])
    text = page(tmp_path, "deep")
    assert all(f"level{n}" in text for n in range(1, 100))
    assert "After." in text


def test_blockquotes_past_the_limit_are_an_error_at_the_first_lost_line(
    tmp_path: Path, cli: Run
) -> None:
    make_site(tmp_path, {**GOOD, "seeds/deep.md": quotes(120) + "\nAfter.\n"})
    result = cli("build")
    assert result.code == 1
    # Line 3 holds level 1; level 100 is the first the parser would drop.
    assert result.diagnostics == [f"seeds/deep.md:{3 + 2 * 99}: error: {TOO_DEEP}"]
    assert page_slugs(tmp_path / "_site") == {"good"}


def test_lists_nested_past_the_limit_are_an_error(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {**GOOD, "seeds/deep.md": lists(60) + "\nAfter the list.\n"})
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [f"seeds/deep.md:50: error: {TOO_DEEP}"]  # item49: 100 levels
    assert page_slugs(tmp_path / "_site") == {"good"}


def test_lists_49_deep_keep_every_word(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {**GOOD, "seeds/deep.md": lists(49) + "\nAfter the list.\n"})
    assert cli("build", "--strict").code == 0
    text = page(tmp_path, "deep")
    assert all(re.search(rf"\bitem{n}\b", text) for n in range(49))
    assert "After the list." in text


def test_a_note_nested_past_the_limit_keeps_the_last_good_page(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, GOOD)
    assert cli("build").code == 0
    before = page(tmp_path, "good")
    notes = GOOD["seeds/good.notes.md"] + "\n" + lists(60) + "\n## planned\nLater.\n"
    make_site(tmp_path, {"seeds/good.notes.md": notes})
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [f"seeds/good.notes.md:54: error: {TOO_DEEP}{KEEPS}"]
    assert page(tmp_path, "good") == before


def test_a_glossary_note_nested_past_the_limit_is_left_out(tmp_path: Path, cli: Run) -> None:
    deep = "".join(f"{'>' * n} level{n}\n" for n in range(1, 121))
    glossary = f"## mission\nA journey.\n\n{deep}\n## planned\nSet for a date.\n"
    make_site(tmp_path, {**GOOD, "seeds/_glossary.md": glossary})
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [
        f"seeds/_glossary.md:103: error: {TOO_DEEP}; this note is left out"
    ]
    text = page(tmp_path, "good")
    assert 'id="note-planned"' in text
    assert "level1" not in text
