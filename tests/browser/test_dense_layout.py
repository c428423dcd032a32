"""Dense annotation on wide screens, with JavaScript: at rest every note shows its
gloss near its term, in either margin; an active note is whole and level with its
term, and its neighbours make room; Esc, leaving or blurring returns to rest."""

from __future__ import annotations

import base64
import re
import statistics
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import DENSE_PAGE, MANY_PAGE, ROOT, SEED_PAGE, OpenPage
from .geometry import measure, settle
from .test_layout import assert_apart

if TYPE_CHECKING:  # the type screenshot() takes for `clip`, not exported
    from playwright._impl._api_structures import Clip

PAGES = [SEED_PAGE, DENSE_PAGE]
SIZES = [(1280, 800), (1440, 900), (1920, 1080)]
LEVEL = 6  # px: an active note's top and its term's line
IS_OPEN = re.compile(r"(^|\s)is-open(\s|$)")
REPORT = ROOT / "tests" / "screenshots" / "notes-layout.txt"  # numbers for the README


def size_id(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def by_id(layout: dict[str, Any]) -> dict[str, Any]:
    return {note["id"]: note for note in layout["notes"]}


def term_of(page: Page, note_id: str) -> Any:
    return page.locator(f'a.term[data-note="{note_id}"]').first


def report(line: str) -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    with REPORT.open("a") as out:
        out.write(line + "\n")


CUE = "(note) => getComputedStyle(note, '::after').content"


def assert_at_rest(page: Page, height: int) -> dict[str, Any]:
    layout = measure(page)
    assert_apart(layout)
    text_bottom = max(block["bottom"] for block in layout["text"])
    for note in layout["notes"]:
        assert abs(note["box"]["top"] - note["term"]["top"]) <= height / 3, note["id"]
        # At least two lines, or the whole note when it is shorter.
        assert note["lines"] >= 1.95 or not note["clipped"], note
        if note["clipped"]:
            cue = page.locator(f"#{note['id']}").evaluate(CUE)
            assert "more" in cue, (note["id"], cue)
    assert max(note["box"]["bottom"] for note in layout["notes"]) <= text_bottom + height / 2
    expect(page.locator(".note.is-open")).to_have_count(0)
    return layout


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("path", PAGES)
def test_at_rest_every_note_shows_its_gloss_near_its_term(
    open_page: OpenPage, path: str, size: tuple[int, int]
) -> None:
    page = open_page(path, *size)
    settle(page)
    layout = assert_at_rest(page, size[1])
    assert len(layout["notes"]) >= 14
    worst = max(abs(n["box"]["top"] - n["term"]["top"]) for n in layout["notes"])
    report(f"{path} at {size_id(size)}: worst resting displacement {worst:.0f} px")


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_both_margins_are_used_where_the_window_leaves_room(
    open_page: OpenPage, size: tuple[int, int]
) -> None:
    page = open_page(DENSE_PAGE, *size)
    settle(page)
    layout = measure(page)
    text_left = min(block["left"] for block in layout["text"])
    left = [note for note in layout["notes"] if note["box"]["right"] <= text_left]
    assert 0 < len(left) < len(layout["notes"])


def use(term: Locator, how: str) -> None:
    """Make a term's note active as a reader does: focus, click or hover it."""
    if how == "focus":
        term.focus()
    elif how == "click":
        term.click()
    else:
        term.hover()


def activate(page: Page, note_id: str, how: str) -> None:
    use(term_of(page, note_id), how)
    expect(page.locator(f"#{note_id}")).to_have_class(IS_OPEN)
    settle(page)


@pytest.mark.parametrize("how", ["focus", "click", "hover"])
@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("path", PAGES)
def test_an_active_note_is_whole_and_level_with_its_term(
    open_page: OpenPage, path: str, size: tuple[int, int], how: str
) -> None:
    page = open_page(path, *size)
    settle(page)
    ids = [note["id"] for note in measure(page)["notes"]]
    for note_id in ids:
        activate(page, note_id, how)
        layout = measure(page)
        note = by_id(layout)[note_id]
        assert abs(note["box"]["top"] - note["term"]["top"]) <= LEVEL, note_id
        assert not note["clipped"], note_id
        assert_apart(layout)
        expect(page.locator(".note.is-open")).to_have_count(1)
        page.keyboard.press("Escape")
        expect(page.locator(".note.is-open")).to_have_count(0)


def tops(page: Page) -> dict[str, float]:
    return {note["id"]: note["box"]["top"] for note in measure(page)["notes"]}


@pytest.mark.parametrize("leave", ["escape", "mouse", "blur"])
def test_esc_leaving_and_blurring_return_the_margin_to_rest(
    open_page: OpenPage, leave: str
) -> None:
    page = open_page(SEED_PAGE, 1440, 900)
    settle(page)
    rest = tops(page)
    how = {"escape": "click", "mouse": "hover", "blur": "focus"}[leave]
    activate(page, "note-big-but-not-strong", how)
    assert tops(page) != rest, "the active note moved"
    if leave == "escape":
        page.keyboard.press("Escape")
    elif leave == "mouse":
        page.mouse.move(1, 1)
    else:
        page.evaluate("document.activeElement.blur()")
    expect(page.locator(".note.is-open")).to_have_count(0)
    settle(page)
    assert tops(page) == pytest.approx(rest, abs=1)


def test_a_pointer_passing_by_takes_no_note_from_the_keyboard(open_page: OpenPage) -> None:
    # Focus on a link deep in one note, the pointer coming to rest on another term:
    # that note became active, the first was cut back to its gloss, the focused link
    # hid, and focus fell to the page.
    page = open_page(SEED_PAGE, 1440, 900)
    settle(page)
    link = page.locator("#note-deepseek a", has_text="Wikipedia")
    term_of(page, "note-deepseek").focus()
    for _ in range(6):  # Tab from the term into its note, to the link at its end
        page.keyboard.press("Tab")
        if link.evaluate("(link) => link === document.activeElement"):
            break
    expect(link).to_be_focused()
    for target in (term_of(page, "note-tianwen-3"), page.locator("#note-tianwen-3")):
        target.hover()
        page.wait_for_timeout(500)  # past the hover's intent and the leaving grace
        expect(page.locator("#note-deepseek")).to_have_class(IS_OPEN)
        expect(page.locator("#note-tianwen-3")).not_to_have_class(IS_OPEN)
        expect(link).to_be_focused()
    page.keyboard.press("Escape")
    expect(term_of(page, "note-deepseek")).to_be_focused()


def test_hovering_a_note_shows_it_whole_where_it_is(open_page: OpenPage) -> None:
    page = open_page(SEED_PAGE, 1440, 900)
    settle(page)
    before = by_id(measure(page))["note-made-in-china-2025"]
    page.locator("#note-made-in-china-2025").hover()
    expect(page.locator("#note-made-in-china-2025")).to_have_class(IS_OPEN)
    settle(page)
    layout = measure(page)
    after = by_id(layout)["note-made-in-china-2025"]
    assert not after["clipped"]
    assert after["box"]["top"] == pytest.approx(before["box"]["top"], abs=1)
    assert_apart(layout)


@pytest.mark.parametrize(("motion", "moves"), [("no-preference", True), ("reduce", False)])
def test_notes_move_briefly_unless_motion_is_reduced(
    open_page: OpenPage, motion: Any, moves: bool
) -> None:
    page = open_page(SEED_PAGE, 1440, 900, reduced_motion=motion)
    settle(page)
    activate(page, "note-tianwen-3", "click")
    duration = page.locator("#note-tianwen-3").evaluate(
        "(note) => parseFloat(getComputedStyle(note.closest('details')).transitionDuration)"
    )
    assert (0 < duration <= 0.3) if moves else duration == 0


def test_one_layout_of_a_100_note_page(open_page: OpenPage) -> None:
    page = open_page(MANY_PAGE, 1440, 900)
    settle(page)
    layout = assert_at_rest(page, 900)
    assert len(layout["notes"]) == 100
    # Each change of active note asks for one layout; the script times each
    # (performance.measure), the first one, made as the page loads, left out.
    for note in layout["notes"][40:50]:
        activate(page, note["id"], "click")
        assert_apart(measure(page))
        page.keyboard.press("Escape")
        settle(page)
    durations = page.evaluate(
        "performance.getEntriesByName('notes-layout').slice(1).map((entry) => entry.duration)"
    )
    assert len(durations) >= 20
    report(
        f"one layout of 100 notes: median {statistics.median(durations):.1f} ms, "
        f"worst {max(durations):.1f} ms over {len(durations)} layouts"
    )


CUE_BACKGROUND = """(note) => {
  const cue = getComputedStyle(note, '::after');
  return {color: cue.backgroundColor, image: cue.backgroundImage,
          note: getComputedStyle(note).backgroundColor};
}"""
CLAMPED = "#note-mars-sample-return"  # its gloss is cut at rest, behind a "more" cue


def test_a_linked_notes_cue_fades_into_its_tint_once_back_at_rest(open_page: OpenPage) -> None:
    # A note a link led to keeps its tint at rest (:target); the cue faded into the
    # page's colour over it, a patch of the wrong colour behind "more".
    page = open_page(SEED_PAGE.replace("index.html", "index.html" + CLAMPED), 1440, 900)
    settle(page)
    page.mouse.click(5, 450)  # away from any term or note: back to rest
    settle(page)
    expect(page.locator(".note.is-open")).to_have_count(0)
    cue = page.locator(CLAMPED).evaluate(CUE_BACKGROUND)
    assert cue["image"].startswith("linear-gradient(")
    assert cue["image"].endswith(f"{cue['note']} 36px)"), cue


GAP_LEFT_OF_CUE = """(note) => {
  const cue = getComputedStyle(note, '::after');
  const box = note.getBoundingClientRect();
  const style = getComputedStyle(note);
  const context = document.createElement('canvas').getContext('2d');
  context.font = `${cue.fontStyle} ${cue.fontWeight} ${cue.fontSize} ${cue.fontFamily}`;
  const right = box.right - parseFloat(style.borderRightWidth) - parseFloat(cue.paddingRight);
  const left = right - context.measureText('more \u203a').width;  // where its words start
  const bottom = box.bottom - parseFloat(style.borderBottomWidth) - parseFloat(cue.bottom);
  const line = parseFloat(cue.lineHeight);
  return {x: left - 7, y: bottom - 0.8 * line, width: 5, height: 0.6 * line};
}"""
PIXELS = """async (src) => {
  const image = new Image();
  image.src = src;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  return Array.from(context.getImageData(0, 0, image.width, image.height).data);
}"""


def darkest(page: Page, clip: Clip) -> int:
    """The darkest channel of any pixel in `clip` (decoded by the browser: no image library)."""
    png = page.screenshot(clip=clip)
    decoder = page.context.new_page()
    data: list[int] = decoder.evaluate(
        PIXELS, "data:image/png;base64," + base64.b64encode(png).decode()
    )
    decoder.close()
    return min(value for index, value in enumerate(data) if index % 4 != 3)


def test_in_forced_colours_the_cue_does_not_run_into_the_cut_text(open_page: OpenPage) -> None:
    # Forced colours drop the fade: "more ›" sat on the gloss's last words unmasked.
    page = open_page(SEED_PAGE, 1440, 900)
    page.emulate_media(forced_colors="active")
    settle(page)
    assert "more" in page.locator(CLAMPED).evaluate(CUE)
    # Just left of the cue's words, the page's colour (white), not the cut gloss's text.
    gap = page.locator(CLAMPED).evaluate(GAP_LEFT_OF_CUE)
    assert darkest(page, gap) > 200, gap
