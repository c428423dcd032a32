"""A note anchored at every occurrence of its term (`at: every`): at rest it sits by
the first; activated from a later one, it shows level with that one on wide screens,
and opens below that one's block on phones, where focus and "Back to the text"
return to it. The fixture's last occurrence is screens below its first, in a
paragraph with no note of its own; the second is in a paragraph with another note."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import EVERY_PAGE, NARROW, WIDE, OpenPage
from .geometry import measure, settle
from .test_dense_layout import IS_OPEN, LEVEL, activate, assert_at_rest, by_id, size_id, use
from .test_layout import assert_apart

NOTE = "note-regolith"
LAST = "ref-regolith--5"  # the last paragraph's third "regolith"
SECOND = "ref-regolith--2"  # in the paragraph noted with "ice"


def term_top(page: Page, ref: str) -> float:
    top: float = page.locator(f"#{ref}").evaluate(
        "(term) => term.getClientRects()[0].top + scrollY"
    )
    return top


def note_top(page: Page) -> float:
    return float(by_id(measure(page))[NOTE]["box"]["top"])


def assert_level_with(page: Page, ref: str) -> None:
    """The note whole, level with the occurrence `ref`, on screen, out of the other notes' way."""
    expect(page.locator(f"#{NOTE}")).to_have_class(IS_OPEN)
    settle(page)
    layout = measure(page)
    note = by_id(layout)[NOTE]
    assert abs(note["box"]["top"] - term_top(page, ref)) <= LEVEL, (note["box"], ref)
    assert not note["clipped"]
    assert_apart(layout)
    expect(page.locator(f"#{NOTE}")).to_be_in_viewport()
    expect(page.locator(f'a.term[data-note="{NOTE}"]:not(.is-active)')).to_have_count(0)


@pytest.mark.parametrize("how", ["focus", "click", "hover"])
@pytest.mark.parametrize("size", WIDE, ids=size_id)
def test_wide_a_later_occurrence_shows_the_note_level_with_it(
    open_page: OpenPage, size: tuple[int, int], how: str
) -> None:
    page = open_page(EVERY_PAGE, *size)
    settle(page)
    rest = note_top(page)
    assert abs(rest - term_top(page, "ref-regolith")) <= size[1] / 3  # by the first at rest
    for ref in (LAST, SECOND, "ref-regolith"):
        use(page.locator(f"#{ref}"), how)
        assert_level_with(page, ref)
        expect(page.locator(f"#{NOTE} .note-term a")).to_have_attribute("href", f"#{ref}")
        page.keyboard.press("Escape")
        expect(page.locator(".note.is-open")).to_have_count(0)
        settle(page)
        assert note_top(page) == pytest.approx(rest, abs=1), "back by the first occurrence"
    assert_at_rest(page, size[1])


@pytest.mark.parametrize("size", WIDE, ids=size_id)
def test_wide_moving_between_occurrences_moves_the_note_along(
    open_page: OpenPage, size: tuple[int, int]
) -> None:
    page = open_page(EVERY_PAGE, *size)
    settle(page)
    activate(page, NOTE, "click")  # the first occurrence, pinned
    page.locator(f"#{LAST}").hover()
    expect(page.locator(f"#{NOTE}")).to_be_in_viewport()
    assert_level_with(page, LAST)
    page.locator(f"#{LAST}").focus()
    page.keyboard.press("Escape")
    expect(page.locator(f"#{LAST}")).to_be_focused()


@pytest.mark.parametrize("size", WIDE, ids=size_id)
def test_wide_a_link_to_a_later_occurrence_shows_the_note_beside_it(
    open_page: OpenPage, size: tuple[int, int]
) -> None:
    # The terms page links to every place a term occurs.
    page = open_page(f"{EVERY_PAGE}#{LAST}", *size)
    assert_level_with(page, LAST)
    expect(page.locator(f"#{LAST}")).to_be_in_viewport()
    page.evaluate(f"location.hash = '#{SECOND}'")
    assert_level_with(page, SECOND)


PLACE = """(note) => {
  const toggle = note.closest('details');
  const box = toggle.getBoundingClientRect();
  let block = toggle.parentElement.matches('.notes')
    ? toggle.parentElement.previousElementSibling : toggle.previousElementSibling;
  while (block.matches('.note-toggle')) block = block.previousElementSibling;
  return {top: box.top, bottom: box.bottom, block: block.getBoundingClientRect().bottom,
          blockText: block.textContent, count: document.querySelectorAll('#' + note.id).length,
          visible: note.checkVisibility()};
}"""


def place(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.locator(f"#{NOTE}").evaluate(PLACE)
    return result


def assert_below(page: Page, ref: str) -> None:
    """The note open right after the block holding `ref`, on screen, the only one of its id."""
    term = page.locator(f"#{ref}")
    where = place(page)
    assert where["visible"]
    assert where["count"] == 1
    box = term.bounding_box()
    assert box is not None
    assert where["top"] >= box["y"] + box["height"], "below the term"
    assert 0 <= where["top"] - where["block"] <= 40, "right after its block"
    assert str(term.text_content()) in where["blockText"]
    expect(term).to_be_in_viewport()
    expect(page.locator(f"#{NOTE}")).to_be_in_viewport()
    expect(page.locator(f"#{NOTE} .note-term a")).to_have_attribute("href", f"#{ref}")
    expect(term).to_have_attribute("aria-expanded", "true")


@pytest.mark.parametrize("size", NARROW, ids=size_id)
def test_narrow_tapping_a_later_occurrence_opens_the_note_below_it(
    open_page: OpenPage, size: tuple[int, int]
) -> None:
    page = open_page(EVERY_PAGE, *size, touch=True)
    last = page.locator(f"#{LAST}")
    last.scroll_into_view_if_needed()
    scrolled = page.evaluate("scrollY")
    last.tap()
    assert_below(page, LAST)
    assert abs(page.evaluate("scrollY") - scrolled) < size[1] / 2, "no jump up the page"
    # Esc closes it and leaves focus on the occurrence tapped; the note goes home.
    page.keyboard.press("Escape")
    expect(page.locator(f"#{NOTE}")).to_be_hidden()
    expect(last).to_be_focused()
    # Tapped at the first occurrence, then at the second, it follows, still open.
    page.locator("#ref-regolith").tap()
    assert_below(page, "ref-regolith")
    page.locator(f"#{SECOND}").tap()
    assert_below(page, SECOND)
    # After the paragraph's own note (on "ice", which comes first in it).
    expect(page.locator(f"details:has(#note-ice) + details:has(#{NOTE})")).to_have_count(1)
    page.locator(f"#{SECOND}").tap()  # tapped again where it is open: it closes
    expect(page.locator(f"#{NOTE}")).to_be_hidden()
    expect(page.locator("#note-ice")).to_be_hidden()
    page.locator("#ref-regolith").tap()
    assert_below(page, "ref-regolith")


def test_narrow_back_to_the_text_leads_to_the_occurrence_tapped(open_page: OpenPage) -> None:
    page = open_page(EVERY_PAGE, *NARROW[0], touch=True)
    page.locator(f"#{LAST}").tap()
    page.locator(f"#{NOTE} .note-term a").tap()
    expect(page).to_have_url(f"{page.url.split('#')[0]}#{LAST}")
    expect(page.locator(f"#{LAST}")).to_be_in_viewport()


def test_narrow_keyboard_opens_a_later_occurrences_note_below_it(open_page: OpenPage) -> None:
    page = open_page(EVERY_PAGE, *NARROW[0])
    term = page.locator(f"#{LAST}")
    term.focus()
    page.keyboard.press("Enter")
    assert_below(page, LAST)
    expect(page.locator(f"details:has(> #{NOTE}) > summary")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator(f"#{NOTE} .note-term a")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator(f"#{NOTE}")).to_be_hidden()
    expect(term).to_be_focused()
    # Widened, the note is back by the first occurrence, in the margin.
    page.set_viewport_size({"width": WIDE[0][0], "height": WIDE[0][1]})
    settle(page)
    assert_at_rest(page, WIDE[0][1])


def test_narrow_a_note_reopened_by_keyboard_leads_back_to_its_occurrence(
    open_page: OpenPage,
) -> None:
    # Closed and opened again, focus went into the note and its "Back to the text"
    # turned to the first occurrence, screens above.
    page = open_page(EVERY_PAGE, *NARROW[0])
    back = page.locator(f"#{NOTE} .note-term a")
    page.locator(f"#{LAST}").focus()
    for _ in range(2):
        page.keyboard.press("Enter")
        assert_below(page, LAST)
        page.keyboard.press("Tab")
        expect(back).to_be_focused()
        expect(back).to_have_attribute("href", f"#{LAST}")
        page.keyboard.press("Escape")
        expect(page.locator(f"#{LAST}")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # followed: the reader is back at the occurrence used
    expect(page.locator(f"#{LAST}")).to_be_in_viewport()


def test_narrow_a_note_open_across_a_wide_spell_stays_below_its_occurrence(
    open_page: OpenPage,
) -> None:
    page = open_page(EVERY_PAGE, *NARROW[0], touch=True)
    page.locator(f"#{LAST}").tap()
    assert_below(page, LAST)
    page.set_viewport_size({"width": WIDE[0][0], "height": WIDE[0][1]})
    settle(page)
    page.set_viewport_size({"width": NARROW[0][0], "height": NARROW[0][1]})
    settle(page)
    page.locator(f"#{LAST}").scroll_into_view_if_needed()  # where the reader was
    assert_below(page, LAST)  # not back after the first occurrence, screens above
