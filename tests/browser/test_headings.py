"""Heading permalinks in a real browser: hidden at rest, shown on hover and on
focus, named for screen readers, followed to their heading, left out of print."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import HARD_PAGE, OpenPage
from .test_accessibility import ax_nodes, ax_value

HEADING = "#lists-quotes-and-long-words"
LINK = f'{HEADING} > a.heading-link[href="{HEADING}"]'


def opacity(page: Page) -> float:
    return float(page.locator(LINK).evaluate("(a) => getComputedStyle(a).opacity"))


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_permalink_shows_on_hover_and_on_focus_only(
    open_page: OpenPage, size: tuple[int, int]
) -> None:
    page = open_page(HARD_PAGE, *size)
    assert opacity(page) == 0
    page.locator(HEADING).hover()
    expect(page.locator(LINK)).to_have_css("opacity", "1")
    page.mouse.move(1, 1)
    expect(page.locator(LINK)).to_have_css("opacity", "0")
    for _ in range(100):  # the keyboard reaches it, in reading order
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('heading-link')"):
            break
    else:
        raise AssertionError("Tab never reached the heading's permalink")
    expect(page.locator(LINK)).to_be_focused()
    expect(page.locator(LINK)).to_have_css("opacity", "1")
    assert page.locator(LINK).evaluate("(a) => getComputedStyle(a).outlineStyle") == "solid"


def test_a_permalink_is_named_for_its_section_and_leads_to_it(open_page: OpenPage) -> None:
    page = open_page(HARD_PAGE, 1440, 500)  # short, so that the heading can reach the top
    [node] = ax_nodes(page, LINK)
    assert ax_value(node, "role") == "link"
    assert ax_value(node, "name") == "Link to this section: Lists, quotes and long words"
    page.locator(HEADING).hover()
    page.locator(LINK).click()
    assert page.evaluate("location.hash") == HEADING
    top = page.locator(HEADING).evaluate("(h) => h.getBoundingClientRect().top")
    assert abs(top) <= 30, top  # the heading is at the top of the window


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_print_leaves_permalinks_out(open_page: OpenPage, js: bool) -> None:
    page = open_page(HARD_PAGE, 1440, 900, js=js)
    page.locator(HEADING).hover()
    page.emulate_media(media="print")
    expect(page.locator(LINK)).to_be_hidden()
