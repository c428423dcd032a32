"""Accessibility in a real browser: keyboard, screen reader (the accessibility tree
Chromium hands to assistive technology), hover and focus highlight, dark mode and
axe-core with no violations."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import CODE_PAGE, HARD_PAGE, HEBREW_PAGE, ROOT, SEED_PAGE, OpenPage

NARROW_SIZE = (390, 844)
WIDE_SIZE = (1440, 900)
SIZES = [WIDE_SIZE, NARROW_SIZE]
TERMS = "a.term[data-note]"
MAX_TABS = 200  # far more than the seed page's focusable elements
IS_ACTIVE = re.compile(r"(^|\s)is-active(\s|$)")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_PAGES = [
    SEED_PAGE,
    HARD_PAGE,
    CODE_PAGE,
    "seed/index.html",
    "seed/terms/index.html",
    "seed/terms/made-in-china-2025/index.html",  # a term's page: a note with a list
    "seed/terms/long-march/index.html",  # a term in no article yet
    "golden/terms/index.html",
    "golden/terms/geostationary-orbit/index.html",
    "golden/index.html",  # with tags
    "golden/tags/index.html",
    "golden/tags/physics/index.html",
    "shelf/index.html",  # long enough to be grouped by year
    "shelf/tags/walks/index.html",
    "split/terms/index.html",  # a large glossary: the page of the letters,
    "split/terms/letter-a.html",  # a letter's page (in the jump bar: aria-current),
    "split/terms/unused.html",  # and the page of the terms in no article
    HEBREW_PAGE,  # right to left
    "rtl/index.html",  # an English list of Hebrew and Arabic articles
]
ARTICLES = [SEED_PAGE, HARD_PAGE, HEBREW_PAGE]

FOCUSED = """
(selector) => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName,
    term: [...document.querySelectorAll(selector)].indexOf(el),
    note: el.dataset ? el.dataset.note || null : null,
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
  };
}
"""


def size_id(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def focused(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(FOCUSED, TERMS)
    return result


def tab_through(page: Page) -> list[dict[str, Any]]:
    """Press Tab from the top of the page until focus leaves the document."""
    seen: list[dict[str, Any]] = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        state = focused(page)
        if state["tag"] == "BODY":
            return seen
        seen.append(state)
    raise AssertionError(f"focus never left the page after {MAX_TABS} presses of Tab")


def tab_to(page: Page, note_id: str) -> None:
    """Press Tab until the first term of a note has keyboard focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if focused(page)["note"] == note_id:
            return
    raise AssertionError(f"Tab never reached the term of {note_id}")


def term_of(page: Page, note_id: str) -> Any:
    return page.locator(f'a.term[data-note="{note_id}"]').first


def tab_until(page: Page, selector: str) -> None:
    """Press Tab until the focused element matches selector."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


# Keyboard


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_narrow_tab_reaches_every_term_in_order_with_a_visible_focus(
    open_page: OpenPage, js: bool
) -> None:
    page = open_page(SEED_PAGE, *NARROW_SIZE, js=js)
    count = page.locator(TERMS).count()
    assert count >= 10
    reached = [state for state in tab_through(page) if state["term"] >= 0]
    assert [state["term"] for state in reached] == list(range(count))
    for state in reached:
        assert state["outlineStyle"] != "none", state
        assert state["outlineWidth"] > 0, state


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_wide_focus_on_a_term_is_visible(open_page: OpenPage, js: bool) -> None:
    page = open_page(SEED_PAGE, *WIDE_SIZE, js=js)
    tab_to(page, "note-sputnik-moment")
    state = focused(page)
    assert state["outlineStyle"] != "none", state
    assert state["outlineWidth"] > 0, state


@pytest.mark.parametrize("note_id", ["note-deepseek", "note-made-in-china-2025"])
@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_narrow_enter_on_a_term_opens_its_note(open_page: OpenPage, js: bool, note_id: str) -> None:
    page = open_page(SEED_PAGE, *NARROW_SIZE, js=js)
    note = page.locator(f"#{note_id}")
    expect(note).to_be_hidden()
    tab_to(page, note_id)
    page.keyboard.press("Enter")
    expect(note).to_be_visible()
    expect(note).to_be_in_viewport()
    if js:
        expect(term_of(page, note_id)).to_have_attribute("aria-expanded", "true")


def test_narrow_with_js_space_opens_a_note_and_closes_it_again(open_page: OpenPage) -> None:
    page = open_page(SEED_PAGE, *NARROW_SIZE)
    note, term = page.locator("#note-tianwen-3"), term_of(page, "note-tianwen-3")
    expect(term).to_have_attribute("aria-expanded", "false")
    tab_to(page, "note-tianwen-3")
    page.keyboard.press(" ")
    expect(note).to_be_visible()
    expect(term).to_have_attribute("aria-expanded", "true")
    # Focus is on the note's close control now (see the test below): Space again
    # closes the note, and focus is back on the term.
    expect(close_control(page, "note-tianwen-3")).to_be_focused()
    page.keyboard.press(" ")
    expect(note).to_be_hidden()
    expect(term).to_have_attribute("aria-expanded", "false")
    expect(term).to_be_focused()


def opened_by_keyboard(open_page: OpenPage, note_id: str) -> tuple[Page, Locator, Locator]:
    """The seed page on a narrow screen with a note opened from its term by keyboard:
    the page, the note and the term."""
    page = open_page(SEED_PAGE, *NARROW_SIZE)
    note, term = page.locator(f"#{note_id}"), term_of(page, note_id)
    tab_to(page, note_id)
    page.keyboard.press("Enter")
    expect(note).to_be_visible()
    return page, note, term


def close_control(page: Page, note_id: str) -> Locator:
    """The × that closes a note on narrow screens (its <details>' summary)."""
    return page.locator(f"details:has(> #{note_id}) > summary")


def test_narrow_with_js_a_note_opened_by_keyboard_comes_next_in_the_focus_order(
    open_page: OpenPage,
) -> None:
    # DeepSeek is the first of five terms in its paragraph; its note opens after all of
    # them. Focus goes to the note's close control, and Tab goes on into the note.
    page, note, _ = opened_by_keyboard(open_page, "note-deepseek")
    expect(close_control(page, "note-deepseek")).to_be_focused()
    page.keyboard.press("Tab")
    expect(note.locator("a").first).to_be_focused()


def test_narrow_with_js_tab_out_of_a_note_goes_on_from_the_term_it_was_opened_from(
    open_page: OpenPage,
) -> None:
    # The note sits after its term's whole paragraph: Tab out of its end went on to the
    # next paragraph, and the four terms after DeepSeek in its own were skipped.
    page, note, term = opened_by_keyboard(open_page, "note-deepseek")
    terms = page.evaluate(
        "() => [...document.querySelectorAll('a.term')].map((t) => t.dataset.note)"
    )
    after = terms[terms.index("note-deepseek") + 1]
    inside = close_control(page, "note-deepseek").locator("xpath=..").locator("a[href]:visible")
    for _ in range(inside.count() + 1):  # the ×, then each link of the note
        page.keyboard.press("Tab")
    expect(term_of(page, after)).to_be_focused()
    expect(note).to_be_visible()  # still open, for Shift+Tab back into it
    # On past the paragraph's other terms, Tab comes to the note again; Shift+Tab out of
    # its start (its ×) goes back to the term it was opened from, not to the last term.
    tab_until(page, "details:has(> #note-deepseek) > summary")
    page.keyboard.press("Shift+Tab")
    expect(term).to_be_focused()


def test_narrow_with_js_escape_closes_the_open_note_and_focus_stays_on_its_term(
    open_page: OpenPage,
) -> None:
    page, note, term = opened_by_keyboard(open_page, "note-deepseek")
    page.keyboard.press("Escape")
    expect(note).to_be_hidden()
    expect(term).to_have_attribute("aria-expanded", "false")
    expect(term).to_be_focused()
    # From inside the note (its link back to the text), focus goes back to the term.
    page.keyboard.press("Enter")
    tab_until(page, "#note-deepseek a")
    page.keyboard.press("Escape")
    expect(note).to_be_hidden()
    expect(term).to_be_focused()


def test_narrow_with_js_the_close_control_gives_focus_back_to_the_term(
    open_page: OpenPage,
) -> None:
    page, note, term = opened_by_keyboard(open_page, "note-deepseek")
    tab_until(page, "details:has(> #note-deepseek) > summary")
    page.keyboard.press("Enter")
    expect(note).to_be_hidden()
    expect(term).to_have_attribute("aria-expanded", "false")
    expect(term).to_be_focused()


@pytest.mark.parametrize("path", ARTICLES)
def test_with_js_terms_say_whether_their_note_is_open_on_narrow_screens_only(
    open_page: OpenPage, path: str
) -> None:
    narrow = open_page(path, *NARROW_SIZE)
    terms = narrow.locator(TERMS)
    assert terms.count() > 0
    expect(narrow.locator(f"{TERMS}:not([aria-expanded='false'])")).to_have_count(0)
    for term in terms.all():
        expect(term).to_have_attribute("aria-controls", str(term.get_attribute("data-note")))
    wide = open_page(path, *WIDE_SIZE)
    expect(wide.locator(TERMS)).to_have_count(terms.count())
    expect(wide.locator("a.term[aria-expanded]")).to_have_count(0)


def test_resizing_from_narrow_to_wide_drops_aria_expanded(open_page: OpenPage) -> None:
    page = open_page(SEED_PAGE, *NARROW_SIZE)
    expect(page.locator("a.term[aria-expanded]")).to_have_count(page.locator(TERMS).count())
    page.set_viewport_size({"width": WIDE_SIZE[0], "height": WIDE_SIZE[1]})
    expect(page.locator("a.term[aria-expanded]")).to_have_count(0)


# Screen reader: what Chromium exposes to assistive technology


def ax_nodes(page: Page, selector: str) -> list[dict[str, Any]]:
    """The accessibility-tree node of each element matching selector, in order."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        node_ids = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})[
            "nodeIds"
        ]
        backend = [
            cdp.send("DOM.describeNode", {"nodeId": node_id})["node"]["backendNodeId"]
            for node_id in node_ids
        ]
        tree = cdp.send("Accessibility.getFullAXTree")
    finally:
        cdp.detach()
    by_backend = {node.get("backendDOMNodeId"): node for node in tree["nodes"]}
    missing = [i for i, node_id in enumerate(backend) if node_id not in by_backend]
    assert missing == [], f"{selector}: elements {missing} are not in the accessibility tree"
    return [by_backend[node_id] for node_id in backend]


def ax_value(node: dict[str, Any], key: str) -> str:
    return " ".join(str((node.get(key) or {}).get("value", "")).split())


def words(text: str) -> str:
    return " ".join(text.split())


NOTE_TEXT = """
(selector) => [...document.querySelectorAll(selector)].map((term) => {
  const note = document.getElementById(term.dataset.note);
  const body = note.querySelector(':scope > :not(.note-term)');
  return {id: note.id, term: term.textContent, body: body.textContent};
})
"""


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("path", ARTICLES)
def test_each_term_announces_its_note(
    open_page: OpenPage, path: str, size: tuple[int, int], js: bool
) -> None:
    page = open_page(path, *size, js=js)
    expected = page.evaluate(NOTE_TEXT, TERMS)
    nodes = ax_nodes(page, TERMS)
    assert len(nodes) == len(expected) > 0
    for node, note in zip(nodes, expected, strict=True):
        assert not node.get("ignored"), note
        assert ax_value(node, "role") == "link", note
        assert ax_value(node, "name") == words(note["term"]), note
        # Compared word by word: the accessibility tree may space inline markup
        # differently ("( bingpao ," for "(<em>bingpao</em>,").
        # The gloss and nothing else, at every width: on narrow screens and without
        # JS it was the whole note, lists run together and "more on …" in the middle.
        said = re.findall(r"\w+", ax_value(node, "description"))
        assert said == re.findall(r"\w+", note["body"]), (note["id"], said)


@pytest.mark.parametrize("path", ARTICLES)
def test_wide_each_note_is_a_note_named_by_its_term(open_page: OpenPage, path: str) -> None:
    page = open_page(path, *WIDE_SIZE)
    expected = {item["id"]: item for item in page.evaluate(NOTE_TEXT, TERMS)}
    ids = page.eval_on_selector_all("aside.note", "(notes) => notes.map((n) => n.id)")
    assert sorted(ids) == sorted(expected)
    for note_id, node in zip(ids, ax_nodes(page, "aside.note"), strict=True):
        assert not node.get("ignored"), note_id
        assert ax_value(node, "role") == "note", note_id
        assert ax_value(node, "name").casefold() == words(expected[note_id]["term"]).casefold()


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_narrow_an_opened_note_is_a_note_named_by_its_term(open_page: OpenPage, js: bool) -> None:
    page = open_page(SEED_PAGE, *NARROW_SIZE, js=js)
    tab_to(page, "note-sputnik-moment")
    page.keyboard.press("Enter")
    expect(page.locator("#note-sputnik-moment")).to_be_visible()
    [node] = ax_nodes(page, "#note-sputnik-moment")
    assert not node.get("ignored")
    assert ax_value(node, "role") == "note"
    assert ax_value(node, "name") == "Sputnik moment"


# Hover and focus highlight (refinement by script, wide screens)


def background(page: Page, selector: str) -> str:
    color: str = page.locator(selector).first.evaluate(
        "(el) => getComputedStyle(el).backgroundColor"
    )
    return color


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_wide_hovering_a_term_highlights_its_note_and_back(
    open_page: OpenPage, color_scheme: str
) -> None:
    page = open_page(SEED_PAGE, *WIDE_SIZE, color_scheme=color_scheme)
    note, term = page.locator("#note-sputnik-moment"), term_of(page, "note-sputnik-moment")
    expect(note).not_to_have_class(IS_ACTIVE)
    term.hover()
    expect(note).to_have_class(IS_ACTIVE)
    assert background(page, "#note-sputnik-moment") != background(page, "body")
    # Only the hovered term's note lights up.
    expect(page.locator("aside.note.is-active")).to_have_count(1)
    page.locator("#note-xi-jinping").hover()
    expect(note).not_to_have_class(IS_ACTIVE)
    expect(term_of(page, "note-xi-jinping")).to_have_class(IS_ACTIVE)
    assert background(page, 'a.term[data-note="note-xi-jinping"]') != background(page, "body")
    expect(page.locator("a.term.is-active")).to_have_count(1)
    page.mouse.move(1, 1)
    expect(page.locator(".is-active")).to_have_count(0)


def test_wide_escape_from_inside_a_note_puts_it_away_and_gives_focus_back_to_its_term(
    open_page: OpenPage,
) -> None:
    page = open_page(SEED_PAGE, *WIDE_SIZE)
    note, term = page.locator("#note-deepseek"), term_of(page, "note-deepseek")
    tab_to(page, "note-deepseek")
    tab_until(page, "#note-deepseek a")  # past the paragraph's other terms, into the note
    expect(note).to_have_class(IS_ACTIVE)
    page.keyboard.press("Escape")
    expect(note).not_to_have_class(IS_ACTIVE)
    expect(term).to_be_focused()
    expect(page.locator(".is-active")).to_have_count(0)


def test_wide_focusing_a_term_by_keyboard_highlights_its_note(open_page: OpenPage) -> None:
    page = open_page(SEED_PAGE, *WIDE_SIZE)
    note = page.locator("#note-deepseek")
    tab_to(page, "note-deepseek")
    expect(note).to_have_class(IS_ACTIVE)
    page.keyboard.press("Tab")  # on to the next term: the highlight follows
    expect(note).not_to_have_class(IS_ACTIVE)
    expect(page.locator("#note-artificial-intelligence")).to_have_class(IS_ACTIVE)


# Dark mode follows prefers-color-scheme


def luminance(color: str) -> float:
    """WCAG relative luminance of a computed `rgb(…)`/`rgba(…)` colour."""
    match = re.fullmatch(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)", color)
    assert match, color
    assert match.group(4) in (None, "1"), f"{color} is not opaque"

    def channel(value: str) -> float:
        c = float(value) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(match.group(i)) for i in (1, 2, 3))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


COLORS = """
() => {
  const style = getComputedStyle(document.body);
  return {background: style.backgroundColor, text: style.color};
}
"""


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path",
    [SEED_PAGE, "seed/index.html", "seed/terms/index.html", "seed/terms/tianwen-3/index.html"],
)
def test_colours_follow_prefers_color_scheme(
    open_page: OpenPage, path: str, color_scheme: str, js: bool
) -> None:
    page = open_page(path, *WIDE_SIZE, js=js, color_scheme=color_scheme)
    colors = page.evaluate(COLORS)
    background_lum, text_lum = luminance(colors["background"]), luminance(colors["text"])
    if color_scheme == "dark":
        assert background_lum < 0.2 and text_lum > 0.5, colors
    else:
        assert background_lum > 0.5 and text_lum < 0.2, colors


# axe-core

# Put the page in states axe would not otherwise see: every note open on narrow
# screens, every term and note highlighted as on hover, every heading's permalink shown.
EVERYTHING_SHOWN = """
() => {
  for (const toggle of document.querySelectorAll('details.note-toggle')) toggle.open = true;
  for (const el of document.querySelectorAll('a.term, aside.note')) el.classList.add('is-active');
  for (const link of document.querySelectorAll('.heading-link')) link.style.opacity = '1';
}
"""


def axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run()")
    return [
        f"{violation['id']}: {violation['help']} ({violation['helpUrl']})\n"
        + "\n".join(
            f"    {node['target']}: {' '.join(node.get('failureSummary', '').split())}"
            for node in violation["nodes"]
        )
        for violation in result["violations"]
    ]


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("path", AXE_PAGES)
def test_axe_finds_no_violations(
    open_page: OpenPage, path: str, size: tuple[int, int], color_scheme: str
) -> None:
    assert AXE.exists(), f"{AXE} is missing: run `npm ci`"
    page = open_page(path, *size, color_scheme=color_scheme)
    violations = axe_violations(page)
    assert violations == [], "axe-core violations:\n" + "\n".join(violations)


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("path", ARTICLES)
def test_axe_finds_no_violations_with_every_note_open_and_highlighted(
    open_page: OpenPage, path: str, size: tuple[int, int], color_scheme: str
) -> None:
    page = open_page(path, *size, color_scheme=color_scheme)
    page.evaluate(EVERYTHING_SHOWN)
    expect(page.locator("aside.note").last).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], "axe-core violations:\n" + "\n".join(violations)
