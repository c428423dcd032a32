"""The reading list in a browser: where its column sits, and its headings in order."""

from __future__ import annotations

import itertools

import pytest

from .conftest import SEED_PAGE, OpenPage

LEFT = "(selector) => document.querySelector(selector).getBoundingClientRect().left"


@pytest.mark.parametrize("width", [1272, 1440, 1920])
def test_wide_the_list_starts_where_an_articles_text_does(open_page: OpenPage, width: int) -> None:
    """Centred between the two margins, as an article's text column is."""
    article = open_page(SEED_PAGE, width, 900).evaluate(LEFT, ".article-body")
    listing = open_page("seed/index.html", width, 900)
    for selector in (".page-header h1", ".reading-list h2"):
        assert listing.evaluate(LEFT, selector) == pytest.approx(article, abs=1), selector
    # The text column's middle is the window's, give or take the scrollbar.
    right = listing.evaluate(
        "() => document.querySelector('.reading-list').getBoundingClientRect().right"
    )
    middle = (listing.evaluate(LEFT, ".reading-list") + right) / 2
    assert middle == pytest.approx(width / 2, abs=20)


@pytest.mark.parametrize(
    ("path", "groups"),
    [
        ("shelf/index.html", ["Start here", "2025", "2024", "Undated"]),
        ("shelf/tags/walks/index.html", ["Start here", "2025", "2024"]),  # none undated
    ],
)
def test_a_long_list_has_its_headings_in_order(
    open_page: OpenPage, path: str, groups: list[str]
) -> None:
    page = open_page(path, 1440, 900)
    levels = page.evaluate(
        "() => [...document.querySelectorAll('main :is(h1, h2, h3, h4)')]"
        ".map(h => Number(h.tagName[1]))"
    )
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))  # no level skipped
    assert page.locator(".reading-group > h2").all_inner_texts() == groups
