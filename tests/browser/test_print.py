"""Print: every note is shown after its block, whatever the screen width, with or
without JavaScript, and no toggle or margin placement is left over."""

from __future__ import annotations

import itertools

import pytest

from .conftest import HARD_PAGE, SEED_PAGE, OpenPage
from .geometry import measure, overlaps

TOLERANCE = 1  # px, for rounding

PRINT_STATE = """
() => ({
  summaries: [...document.querySelectorAll('.article-body summary')]
    .filter((summary) => summary.checkVisibility())
    .map((summary) => summary.closest('details').querySelector('.note').id),
  positions: [...document.querySelectorAll('.article-body aside.note')].flatMap((note) =>
    [note, note.closest('details')].map((el) => ({
      id: note.id, tag: el.tagName, position: getComputedStyle(el).position}))),
})
"""


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("path", [SEED_PAGE, HARD_PAGE])
def test_print_shows_every_note_after_its_block(
    open_page: OpenPage, path: str, size: tuple[int, int], js: bool
) -> None:
    page = open_page(path, *size, js=js)
    # A reader opened a note (on a phone) or followed a term to it, then prints.
    page.locator("a.term[data-note]").first.click()
    page.emulate_media(media="print")
    assert page.evaluate("matchMedia('print').matches")
    layout = measure(page)
    notes, text = layout["notes"], layout["text"]
    assert notes, "the page has notes"
    for note in notes:
        assert note["visible"], note["id"]
        assert note["box"]["top"] >= note["block"]["bottom"] - TOLERANCE, note["id"]
        for block in text:
            assert not overlaps(note["box"], block), note["id"]
    for first, second in itertools.combinations(notes, 2):
        assert not overlaps(first["box"], second["box"]), (first["id"], second["id"])
    state = page.evaluate(PRINT_STATE)
    assert state["summaries"] == [], "toggles are shown in print"
    placed = [item for item in state["positions"] if item["position"] not in ("static", "relative")]
    assert placed == []
