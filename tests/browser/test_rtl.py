"""Right-to-left articles (tests/fixtures/rtl: Hebrew and Arabic): the page mirrors.
The text starts at the right, the notes sit in the margin after the lines' ends (the
left) or, where the window leaves room, in either, beside their terms; on phones a
tapped term opens its note in place below it, its × at the note's end (the left); a
term with Latin letters ("Falcon 9") keeps its order in the text and in its note."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from .conftest import ARABIC_PAGE, HEBREW_PAGE, NARROW, WIDE, OpenPage
from .geometry import Box, measure, settle
from .test_layout import assert_apart

PAGES = [HEBREW_PAGE, ARABIC_PAGE]
ONE_MARGIN = (1240, 800)  # below 79.5em (1272 px): the notes in one margin
FALCON = "note-falcon-9"

LINE_ENDS = """
(p) => {
  const range = document.createRange();
  range.selectNodeContents(p);
  const lines = [...range.getClientRects()];
  const block = p.getBoundingClientRect();
  return {first: lines[0].right, left: block.left, right: block.right,
          direction: getComputedStyle(p).direction};
}
"""


def text_column(layout: dict[str, Any]) -> tuple[float, float]:
    return (
        min(block["left"] for block in layout["text"]),
        max(block["right"] for block in layout["text"]),
    )


@pytest.mark.parametrize("size", WIDE + NARROW, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("path", PAGES)
def test_the_text_runs_right_to_left_its_lines_starting_at_the_right(
    open_page: OpenPage, path: str, size: tuple[int, int]
) -> None:
    page = open_page(path, *size)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    first = page.locator(".article-body p").first.evaluate(LINE_ENDS)
    assert first["direction"] == "rtl"
    assert abs(first["first"] - first["right"]) <= 2, first  # its first line starts at the right


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("size", [*WIDE, ONE_MARGIN], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("path", PAGES)
def test_wide_notes_sit_beside_their_terms_in_a_margin_on_screen(
    open_page: OpenPage, path: str, size: tuple[int, int], js: bool
) -> None:
    page = open_page(path, *size, js=js)
    if js:
        settle(page)
    layout = measure(page)
    assert_apart(layout)  # in a margin, on screen, overlapping nothing
    left, _ = text_column(layout)
    for note in layout["notes"]:
        if not js or size == ONE_MARGIN:
            # One margin: the one after the lines' ends, on the left of the text.
            assert note["box"]["right"] <= left, note["id"]
        else:
            assert abs(note["box"]["top"] - note["term"]["top"]) <= size[1] / 3, note["id"]


@pytest.mark.parametrize("size", WIDE, ids=lambda s: f"{s[0]}x{s[1]}")
def test_wide_with_js_a_focused_term_shows_its_note_whole_level_with_it(
    open_page: OpenPage, size: tuple[int, int]
) -> None:
    page = open_page(HEBREW_PAGE, *size)
    settle(page)
    for note_id in ("note-spaceil", FALCON):
        page.locator(f'a.term[data-note="{note_id}"]').first.focus()
        settle(page)
        layout = measure(page)
        note = {item["id"]: item for item in layout["notes"]}[note_id]
        assert abs(note["box"]["top"] - note["term"]["top"]) <= 6, note_id
        assert not note["clipped"], note_id
        assert_apart(layout)
        page.keyboard.press("Escape")


def box_of(page: Page, selector: str) -> Box:
    box: Box = page.locator(selector).first.evaluate(
        "(el) => { const r = el.getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }"
    )
    return box


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("size", WIDE, ids=lambda s: f"{s[0]}x{s[1]}")
def test_wide_a_notes_term_leads_it_at_the_right_in_reading_order(
    open_page: OpenPage, size: tuple[int, int], js: bool
) -> None:
    page = open_page(HEBREW_PAGE, *size, js=js)
    if js:
        settle(page)
    term = box_of(page, f"#{FALCON} .note-term a")
    gloss = box_of(page, f"#{FALCON} .note-gloss p")
    note = box_of(page, f"#{FALCON}")
    # Its accent rule on the right, where its lines start; the term first, at the right.
    rule = page.locator(f"#{FALCON}").evaluate("(n) => getComputedStyle(n).borderRightWidth")
    assert rule != "0px"
    assert note["right"] - term["right"] <= 20
    if js:  # at rest the term runs into its gloss, on one line: the gloss after it, leftwards
        assert gloss["left"] < term["left"]
    assert_latin_in_order(page, f"#{FALCON} .note-term a")
    assert_latin_in_order(page, f'a.term[data-note="{FALCON}"]')


def assert_latin_in_order(page: Page, selector: str) -> None:
    """The Latin "Falcon 9" reads left to right wherever it is: its F left of its 9."""
    positions = page.locator(selector).first.evaluate(
        """(el) => {
          const text = el.firstChild;
          const at = (i) => { const r = document.createRange(); r.setStart(text, i);
                              r.setEnd(text, i + 1); return r.getBoundingClientRect().left; };
          return [text.data, at(0), at(text.data.length - 1)];
        }"""
    )
    assert positions[0] == "Falcon 9"
    assert positions[1] < positions[2], (selector, positions)


def note_state(page: Page, note_id: str) -> Any:
    return {note["id"]: note for note in measure(page)["notes"]}[note_id]


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("size", NARROW, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(("path", "note_id"), [(HEBREW_PAGE, FALCON), (ARABIC_PAGE, None)])
def test_narrow_tapping_a_term_opens_its_note_in_place_below_it(
    open_page: OpenPage, path: str, note_id: str | None, size: tuple[int, int], js: bool
) -> None:
    page = open_page(path, *size, js=js, touch=True)
    term = page.locator("a.term[data-note]").nth(2) if note_id is None else None
    if term is None:
        term = page.locator(f'a.term[data-note="{note_id}"]')
    note_id = term.get_attribute("data-note")
    assert note_id
    term.tap()
    note = note_state(page, note_id)
    assert note["visible"]
    assert not note["clipped"]
    assert note["box"]["top"] >= note["term"]["bottom"]  # below the term
    assert note["box"]["top"] - note["block"]["bottom"] <= 40  # right after its paragraph
    layout = measure(page)
    assert layout["scrollWidth"] <= layout["width"]
    assert note["box"]["left"] >= 0 and note["box"]["right"] <= layout["width"]
    # Its × at its end, the left; its text starting at the right, clear of the ×.
    close = box_of(page, f'details:has(> aside[id="{note_id}"]) > summary')
    text = box_of(page, f'[id="{note_id}"] .note-gloss')
    assert close["right"] - note["box"]["left"] <= 48, close
    assert close["right"] <= text["left"] + 1, (close, text)
    assert text["right"] > note["box"]["right"] - 30
    close_control = page.locator(f'details:has(> aside[id="{note_id}"]) > summary')
    close_control.tap()
    assert not note_state(page, note_id)["visible"]
