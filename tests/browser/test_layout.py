"""The reading layout in a real browser: margin notes on wide screens, notes that
open in place on narrow ones, with and without JavaScript, over HTTP and file://."""

from __future__ import annotations

import itertools
import statistics
from pathlib import Path
from typing import Any

import pytest
from conftest import make_site
from playwright.sync_api import Page, expect

from .conftest import HARD_PAGE, NARROW, SEED_PAGE, WIDE, OpenPage, build_indexed
from .geometry import chars_per_line, measure, overlaps, settle

PAGES = [SEED_PAGE, HARD_PAGE]
TOLERANCE = 3  # px: "level with" allows for rounding and the font's line box


def assert_apart(layout: dict[str, Any]) -> None:
    """No note overlaps another or the text, and every note is in a margin, on screen."""
    notes, text = layout["notes"], layout["text"]
    assert notes, "the page has notes"
    text_left = min(block["left"] for block in text)
    text_right = max(block["right"] for block in text)
    for note in notes:
        assert note["visible"], note["id"]
        box = note["box"]
        assert box["left"] >= text_right or box["right"] <= text_left, note["id"]
        assert box["left"] >= 0 and box["right"] <= layout["width"], note["id"]
        for block in text:
            assert not overlaps(box, block), note["id"]
    for first, second in itertools.combinations(notes, 2):
        assert not overlaps(first["box"], second["box"]), (first["id"], second["id"])
    assert layout["scrollWidth"] <= layout["width"]


WIDE_NOTE = {
    "seeds/wide.md": "# Wide\n\nThe heliopause is far.\n",
    "seeds/wide.notes.md": (
        "## heliopause\nWhere the solar wind stops.\n\n![A wide chart](chart.svg)\n\n"
        "```python\nDISTANCE = " + "1" * 200 + "\n```\n"
    ),
    "seeds/chart.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="40"/>',
}


@pytest.mark.parametrize("width", [320, 390, 1440])
def test_a_term_page_holds_a_wide_image_and_code_within_the_window(
    open_page: OpenPage, sites: Path, width: int
) -> None:
    # The note's image and code block kept their own width on its term page (the
    # article's rules did not reach it): the page scrolled sideways (WCAG 1.4.10).
    source = make_site(sites / "wide-source", WIDE_NOTE)
    assert build_indexed(source / "seeds", sites / "wide").diagnostics.items == []
    page = open_page("wide/terms/heliopause/index.html", width, 800)
    expect(page.locator(".term-note img")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    code = page.locator(".term-note pre")
    assert code.evaluate("(pre) => getComputedStyle(pre).overflowX") == "auto"


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("size", WIDE, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("path", PAGES)
def test_wide_notes_sit_in_the_margin_without_overlap(
    open_page: OpenPage, path: str, size: tuple[int, int], js: bool
) -> None:
    page = open_page(path, *size, js=js)
    if js:
        settle(page)
    assert_apart(measure(page))


@pytest.mark.parametrize("size", WIDE, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("path", PAGES)
def test_wide_without_js_each_note_is_level_with_its_block_or_just_below_the_last(
    open_page: OpenPage, path: str, size: tuple[int, int]
) -> None:
    page = open_page(path, *size, js=False)
    notes = measure(page)["notes"]
    previous = None
    for note in notes:
        top = note["box"]["top"]
        same_block = previous is not None and previous["block"] == note["block"]
        if same_block:
            assert previous is not None
            assert top >= previous["box"]["bottom"], note["id"]
            assert top - previous["box"]["bottom"] <= 20, note["id"]
        else:
            assert abs(top - note["block"]["top"]) <= TOLERANCE, note["id"]
        previous = note


@pytest.mark.parametrize("size", WIDE, ids=lambda s: f"{s[0]}x{s[1]}")
def test_wide_text_column_holds_60_to_75_characters_a_line(
    open_page: OpenPage, size: tuple[int, int]
) -> None:
    page = open_page(SEED_PAGE, *size)
    # The seed's second paragraph is its longest: many full lines to measure.
    counts = chars_per_line(page, ".article-body .noted:nth-of-type(2) > p")
    assert len(counts) >= 5
    assert 60 <= statistics.median(counts) <= 75, counts


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("size", NARROW, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("path", PAGES)
def test_narrow_notes_start_closed_without_sideways_scrolling(
    open_page: OpenPage, path: str, size: tuple[int, int], js: bool
) -> None:
    page = open_page(path, *size, js=js)
    layout = measure(page)
    assert layout["scrollWidth"] <= layout["width"]
    assert [note["id"] for note in layout["notes"] if note["visible"]] == []


def _note_state(page: Page, note_id: str) -> Any:
    return {note["id"]: note for note in measure(page)["notes"]}[note_id]


@pytest.mark.parametrize("scheme", ["http", "file"])
@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("size", NARROW, ids=lambda s: f"{s[0]}x{s[1]}")
def test_narrow_tapping_a_term_opens_its_note_below_it_and_closes_it_again(
    open_page: OpenPage, size: tuple[int, int], js: bool, scheme: str
) -> None:
    page = open_page(HARD_PAGE, *size, js=js, touch=True, scheme=scheme)
    first, second = (
        page.locator('a.term[data-note="note-alpha"]'),
        page.locator('a.term[data-note="note-kappa"]'),
    )
    first.tap()
    alpha = _note_state(page, "note-alpha")
    assert alpha["visible"]
    assert alpha["box"]["top"] >= alpha["term"]["bottom"]  # below the term
    assert alpha["box"]["top"] - alpha["block"]["bottom"] <= 40  # right after its paragraph
    second.tap()
    assert _note_state(page, "note-kappa")["visible"]
    assert _note_state(page, "note-alpha")["visible"], "several notes can be open at once"
    if js:
        first.tap()  # tapping the term again closes its note
    else:
        page.locator("#note-alpha").locator("xpath=..").locator(":scope > summary").tap()
    assert not _note_state(page, "note-alpha")["visible"]
    assert _note_state(page, "note-kappa")["visible"]
    layout = measure(page)
    assert layout["scrollWidth"] <= layout["width"]


@pytest.mark.parametrize("size", NARROW, ids=lambda s: f"{s[0]}x{s[1]}")
def test_narrow_close_control_closes_a_note_with_js_too(
    open_page: OpenPage, size: tuple[int, int]
) -> None:
    page = open_page(SEED_PAGE, *size, touch=True)
    page.locator('a.term[data-note="note-tianwen-3"]').tap()
    assert _note_state(page, "note-tianwen-3")["visible"]
    page.locator("#note-tianwen-3").locator("xpath=..").locator(":scope > summary").tap()
    assert not _note_state(page, "note-tianwen-3")["visible"]


# Footnotes are notes like any other: the hard page has two, one with a detail paragraph.

FOOTNOTES = ["note-fn-crowd", "note-fn-short"]
LEVEL = 6  # px: an active note's top and its term's line


@pytest.mark.parametrize("size", WIDE, ids=lambda s: f"{s[0]}x{s[1]}")
def test_wide_a_footnote_sits_beside_its_number_and_shows_whole_when_active(
    open_page: OpenPage, size: tuple[int, int]
) -> None:
    page = open_page(HARD_PAGE, *size)
    settle(page)
    for note_id in FOOTNOTES:
        note = _note_state(page, note_id)
        assert note["visible"], note_id
        assert abs(note["box"]["top"] - note["term"]["top"]) <= size[1] / 3, note_id
        page.locator(f'a.term[data-note="{note_id}"]').focus()
        settle(page)
        layout = measure(page)
        note = {item["id"]: item for item in layout["notes"]}[note_id]
        assert abs(note["box"]["top"] - note["term"]["top"]) <= LEVEL, note_id
        assert not note["clipped"], note_id
        assert_apart(layout)
        page.keyboard.press("Escape")


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_narrow_tapping_a_footnotes_number_opens_it_whole_below_its_paragraph(
    open_page: OpenPage, js: bool
) -> None:
    page = open_page(HARD_PAGE, *NARROW[0], js=js, touch=True)
    page.locator('a.term[data-note="note-fn-crowd"]').tap()
    note = _note_state(page, "note-fn-crowd")
    assert note["visible"]
    assert not note["clipped"]
    assert note["box"]["top"] >= note["term"]["bottom"]
    assert note["box"]["top"] - note["block"]["bottom"] <= 40


# A link to a note (a search result's, a permalink) shows it whole, as activating its
# term does: on load, and when the fragment changes under an open page.

LINKED = "note-made-in-china-2025"  # long: a list in its detail
LINKED_NEXT = "note-deepseek"


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("size", WIDE + NARROW, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_link_to_a_note_shows_it_whole_on_load_and_when_the_fragment_changes(
    open_page: OpenPage, size: tuple[int, int], js: bool
) -> None:
    page = open_page(f"{SEED_PAGE}#{LINKED}", *size, js=js)
    for note_id in (LINKED, LINKED_NEXT):
        if note_id == LINKED_NEXT:
            page.evaluate(f"location.hash = '#{note_id}'")
        if js:
            settle(page)
        note = _note_state(page, note_id)
        assert note["visible"], note_id
        assert not note["clipped"], note_id
        expect(page.locator(f"#{note_id}")).to_be_in_viewport()
        if js and size in WIDE:
            # Beside its term, the other notes out of its way, the one linked before at rest.
            assert abs(note["box"]["top"] - note["term"]["top"]) <= LEVEL, note_id
            assert_apart(measure(page))
            expect(page.locator("aside.note.is-open")).to_have_count(1)


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize(("font", "size"), [(20, (1280, 800)), (24, (1440, 900))])
def test_a_larger_font_setting_keeps_every_note_within_the_window(
    open_page: OpenPage, font: int, size: tuple[int, int], js: bool
) -> None:
    # Chrome's "Large" and "Very large" fonts: with pixel breakpoints the margins were
    # laid out at these widths, wider than the window, and the notes cut off at its edge.
    page = open_page(SEED_PAGE, *size, js=js)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": font, "fixed": 13}})
    page.reload()
    page.wait_for_load_state("load")
    if js:
        settle(page)
    layout = measure(page)
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == (
        f"{font * 1.125:g}px"  # the theme's 112.5% of the reader's size
    )
    assert layout["scrollWidth"] <= layout["width"]
    for note in layout["notes"]:
        if note["visible"]:
            assert note["box"]["left"] >= 0, note["id"]
            assert note["box"]["right"] <= layout["width"], note["id"]
