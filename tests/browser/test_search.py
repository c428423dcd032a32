"""Site search in a real browser: the header's box finds article text and notes, links a
note hit to the note, works by keyboard, under a project path (/REPO/) and under
`site-builder serve`; without script and over file:// it stays a link to the terms page."""

from __future__ import annotations

import functools
import http.server
import re
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import ROOT, SEED_PAGE, OpenPage, build_indexed, serving
from .geometry import measure, settle
from .test_accessibility import AXE, IS_ACTIVE, NARROW_SIZE, axe_violations
from .test_live_reload import served as served

WAIT_MS = 10_000
PREFIX = "/REPO/"  # a GitHub Pages project path
SEED_SLUG = "chinas-space-dream"
IN_TEXT = "forefront"  # in the seed article's text, in none of its notes
IN_NOTE = "Hangzhou"  # only in the detail of the note on DeepSeek
BOX = "#site-search"
HITS = ".search-list a"


def search(page: Page, words: str) -> None:
    page.locator(BOX).fill(words)
    expect(page.locator(".search-status")).to_contain_text("found", timeout=WAIT_MS)


def test_a_word_of_the_text_finds_its_article(open_page: OpenPage) -> None:
    page = open_page("seed/index.html", 1440, 900)
    search(page, IN_TEXT)
    hits = page.locator(HITS)
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("China’s Space Dream")
    expect(hits.first).to_contain_text("in the text")
    assert hits.first.get_attribute("href") == f"/seed/{SEED_SLUG}/"
    expect(page.locator(".search-excerpt mark")).to_have_text(IN_TEXT)


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=["wide", "narrow"])
def test_a_word_only_in_a_note_links_to_the_note(
    open_page: OpenPage, size: tuple[int, int]
) -> None:
    page = open_page("seed/index.html", *size)
    search(page, IN_NOTE)
    hits = page.locator(HITS)
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("in the note on DeepSeek")
    assert hits.first.get_attribute("href") == f"/seed/{SEED_SLUG}/#note-deepseek"
    hits.first.click()
    page.wait_for_url(f"**/{SEED_SLUG}/#note-deepseek")
    note = page.locator("#note-deepseek")
    expect(note).to_contain_text(IN_NOTE)  # the note's detail is shown: it is the target
    expect(note).to_be_in_viewport()


@pytest.mark.parametrize("size", [(1440, 900), NARROW_SIZE], ids=["wide", "narrow"])
def test_a_note_hit_followed_again_after_the_note_was_put_away_shows_it_again(
    open_page: OpenPage, size: tuple[int, int]
) -> None:
    # On the note's own page its hit's address is the page's: following it changes no
    # fragment, so no hashchange tells the page.
    page = open_page(f"seed/{SEED_SLUG}/#note-deepseek", *size)
    note = page.locator("#note-deepseek")
    expect(note).to_have_class(IS_ACTIVE)
    page.keyboard.press("Escape")  # closed on a phone, at rest in the margin
    expect(note).not_to_have_class(IS_ACTIVE)
    settle(page)
    assert clipped(page, "note-deepseek")
    page.evaluate("scrollTo(0, 0)")
    if size == NARROW_SIZE:  # on a wide screen the note is in view at the top
        expect(note).not_to_be_in_viewport()
    search(page, IN_NOTE)
    hit = page.locator(HITS).first
    assert hit.evaluate("(a) => a.href === location.href")
    hit.press("Enter")  # a click, with no pointer left over the page to hover a term
    expect(note).to_have_class(IS_ACTIVE)
    settle(page)
    assert not clipped(page, "note-deepseek")  # shown whole
    expect(note).to_be_in_viewport()


def clipped(page: Page, note_id: str) -> bool:
    """Whether any of a note's text is cut off or hidden."""
    return bool({note["id"]: note for note in measure(page)["notes"]}[note_id]["clipped"])


def test_hits_can_be_narrowed_to_notes(open_page: OpenPage) -> None:
    page = open_page("seed/index.html", 1440, 900)
    search(page, "China")  # in the text, and in several notes
    where = page.locator(".search-where")
    expect(where.first).to_contain_text("in the text")
    every = where.count()
    only = page.get_by_role("checkbox", name="Only notes")
    only.check()
    expect(page.locator(".search-status")).to_contain_text("found in notes")
    notes = where.all_inner_texts()
    assert 0 < len(notes) < every
    assert all(text.startswith("in the note on ") for text in notes)
    only.uncheck()
    expect(where).to_have_count(every)


def test_the_box_works_by_keyboard(open_page: OpenPage) -> None:
    page = open_page(SEED_PAGE, 1440, 900)
    box = page.get_by_role("searchbox", name="Search the readings")
    expect(box).to_be_visible()
    box.focus()
    page.keyboard.type(IN_NOTE)
    expect(page.locator(".search-status")).to_contain_text("1 place found", timeout=WAIT_MS)
    expect(page.locator("#site-search-results")).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(page.locator(HITS).first).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#site-search-results")).to_be_hidden()
    page.keyboard.press("ArrowDown")  # back to the results, still there
    expect(page.locator(HITS).first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#note-deepseek$"))
    expect(page.locator("#note-deepseek")).to_be_in_viewport()


def test_one_escape_from_a_result_closes_the_results_back_in_the_box(
    open_page: OpenPage,
) -> None:
    page = open_page(SEED_PAGE, 1280, 900)
    box = page.get_by_role("searchbox", name="Search the readings")
    box.focus()
    page.keyboard.type("sputnik")
    expect(page.locator(".search-status")).to_contain_text("found", timeout=WAIT_MS)
    page.keyboard.press("ArrowDown")
    expect(page.locator(HITS).first).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#site-search-results")).to_be_hidden()
    expect(box).to_be_focused()
    expect(box).to_have_value("sputnik")


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_axe_finds_no_violations_in_the_results(open_page: OpenPage, color_scheme: str) -> None:
    assert AXE.exists(), f"{AXE} is missing: run `npm ci`"
    page = open_page(SEED_PAGE, 1440, 900, color_scheme=color_scheme)
    search(page, "China")
    violations = axe_violations(page)
    assert violations == [], "axe-core violations:\n" + "\n".join(violations)


def test_without_script_the_header_links_to_the_terms(open_page: OpenPage) -> None:
    page = open_page(SEED_PAGE, 1440, 900, js=False)
    link = page.locator(".site-header .search-fallback")
    expect(link).to_be_visible()
    assert link.get_attribute("href") == "../terms/index.html"
    expect(page.locator(BOX)).to_have_count(0)


def test_over_file_the_header_links_to_the_terms(open_page: OpenPage) -> None:
    page = open_page(SEED_PAGE, 1440, 900, scheme="file")
    page.wait_for_timeout(300)  # time enough for the script to have run
    expect(page.locator(".site-header .search-fallback")).to_be_visible()
    expect(page.locator(BOX)).to_have_count(0)
    page.locator(".search-fallback").click()
    expect(page).to_have_url(re.compile(r"/seed/terms/index\.html$"))


@pytest.fixture(scope="module")
def under_project_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seed site, built and indexed, served under /REPO/ as on GitHub Pages."""
    folder = tmp_path_factory.mktemp("pages")
    assert build_indexed(ROOT / "seeds", folder / PREFIX.strip("/")).diagnostics.errors == []
    with serving(folder) as url:
        yield url + PREFIX.lstrip("/")


def test_search_works_under_a_project_path(browser: Browser, under_project_path: str) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(under_project_path + "terms/index.html")
    search(page, IN_NOTE)
    hit = page.locator(HITS).first
    assert hit.get_attribute("href") == f"{PREFIX}{SEED_SLUG}/#note-deepseek"
    hit.click()
    page.wait_for_url(f"**{PREFIX}{SEED_SLUG}/#note-deepseek")
    expect(page.locator("#note-deepseek")).to_be_in_viewport()
    assert errors == []
    page.close()


def bundle_served(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "pagefind/pagefind.js", timeout=5) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def test_search_works_under_serve_and_follows_an_edit(
    browser: Browser,
    served: tuple[str, Path],
) -> None:
    url, seeds = served
    # `serve` announces its first build, then indexes it: the box comes once the index is.
    deadline = time.monotonic() + WAIT_MS / 1000
    while not bundle_served(url) and time.monotonic() < deadline:
        time.sleep(0.1)
    page = browser.new_page()
    page.goto(url + "one/index.html")
    search(page, "Mars")
    expect(page.locator(HITS)).not_to_have_count(0)
    # A word the site did not hold: the page reloads, and the index follows the edit.
    (seeds / "one.notes.md").write_text("## Mars\nThe red planet, named for a god of war.\n")
    expect(page.locator("#note-mars")).to_contain_text("god of war", timeout=WAIT_MS)
    hit = page.locator(HITS).first
    for _ in range(WAIT_MS // 250):  # the index is written right after the page is announced
        # A search racing the new index may find its old parts gone: it says so, and the
        # reload below loads the new one.
        page.locator(BOX).fill("war")
        answered = re.compile("found|reload the page")
        expect(page.locator(".search-status")).to_contain_text(answered, timeout=WAIT_MS)
        if page.locator(HITS).count():
            break
        page.wait_for_timeout(250)
        page.reload()
    expect(hit).to_contain_text("in the note on Mars")
    assert (hit.get_attribute("href") or "").endswith("/one/#note-mars")
    page.close()


class _Stalling(http.server.SimpleHTTPRequestHandler):
    """Serves a folder, but never answers for the search index's chunks."""

    def do_GET(self) -> None:
        if "/pagefind/index/" in self.path or "/pagefind/fragment/" in self.path:
            time.sleep(STALL_S)  # then the connection closes, unanswered
            return
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


STALL_S = 20


def test_a_search_that_gets_no_answer_says_so(browser: Browser, tmp_path: Path) -> None:
    # Under `serve` a rebuild rewrites the index while a page holds the old one, and a
    # search may wait on parts that never come: it says so rather than search for ever.
    out = tmp_path / "site"
    assert build_indexed(ROOT / "seeds", out).diagnostics.errors == []
    handler = functools.partial(_Stalling, directory=str(out))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/{SEED_SLUG}/index.html")
        page.locator(BOX).fill(IN_NOTE)
        status = page.locator(".search-status")
        expect(status).to_contain_text("Searching…")
        expect(status).to_contain_text("reload the page to search again", timeout=15_000)
        page.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
