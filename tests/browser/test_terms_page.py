"""The terms page in a browser: its A-Z bar stays in view, and hides nothing it leads to."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .conftest import OpenPage

TERMS_PAGE = "seed/terms/index.html"
WIDTHS = [768, 1024, 1280]  # the bar sticks from 48em; below 1280 it takes two lines


def bar_bottom(page: Page) -> float:
    box = page.locator(".jump-bar").bounding_box()
    assert box is not None
    return box["y"] + box["height"]


@pytest.mark.parametrize("width", WIDTHS)
def test_a_letters_heading_lands_below_the_bar(open_page: OpenPage, width: int) -> None:
    page = open_page(TERMS_PAGE, width, 700)
    links = page.locator(".jump-bar a")
    assert links.count() >= 10
    scrolled = 0
    for index in range(links.count()):
        link = links.nth(index)
        target = page.locator(link.get_attribute("href") or "")
        link.click()
        box = target.bounding_box()
        assert box is not None
        scrolled += page.evaluate("scrollY") > 0
        assert box["y"] >= bar_bottom(page) - 1, link.inner_text()
    assert scrolled  # the page was long enough for a heading to reach the bar


@pytest.mark.parametrize("width", WIDTHS)
def test_a_link_focused_backwards_is_not_hidden_by_the_bar(open_page: OpenPage, width: int) -> None:
    # WCAG 2.4.11: Shift+Tab scrolls each link up into view, where the bar sat on it.
    page = open_page(TERMS_PAGE, width, 700)
    page.locator("main a").last.focus()
    checked = 0
    for _ in range(40):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("!!document.activeElement.closest('.jump-bar, header')"):
            break
        top = page.evaluate("document.activeElement.getBoundingClientRect().top")
        assert top >= bar_bottom(page) - 1, page.evaluate("document.activeElement.textContent")
        checked += 1
    assert checked >= 10
