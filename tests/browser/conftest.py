"""Browser tests: real headless Chromium (Debian's `chromium`) driven by Playwright.

The sites are built once per session: the real seeds/, a layout fixture made
to be hard (tests/fixtures/layout), the golden fixture (highlighted code) and
right-to-left articles (tests/fixtures/rtl).
Pages are served over real HTTP on 127.0.0.1, and can be opened over file://
too. Every page opened through `open_page` fails its test on any console error
or uncaught exception.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from site_builder.search import index_site
from site_builder.site import BuildReport, Project, Site
from site_builder.terms import ONE_PAGE

ROOT = Path(__file__).parent.parent.parent
CHROMIUM = "/usr/bin/chromium"
# Flags a sandboxed root container needs; background networking would only
# knock on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SITES = {
    "seed": ROOT / "seeds",
    "layout": ROOT / "tests" / "fixtures" / "layout" / "seeds",
    "golden": ROOT / "tests" / "fixtures" / "golden" / "site" / "seeds",
    "rtl": ROOT / "tests" / "fixtures" / "rtl" / "seeds",  # Hebrew and Arabic articles
}
SEED_PAGE = "seed/chinas-space-dream/index.html"
HARD_PAGE = "layout/hard/index.html"
DENSE_PAGE = "layout/dense/index.html"  # 20 notes on 136 words, 9 in one paragraph
EVERY_PAGE = "layout/every/index.html"  # an `at: every` note, its last occurrence screens below
MANY_PAGE = "many/many/index.html"  # 100 notes, generated: the layout's cost
CODE_PAGE = "golden/orbits/index.html"  # highlighted code in the text
HEBREW_PAGE = "rtl/he/index.html"  # right to left, with "Falcon 9" in a term and its note
ARABIC_PAGE = "rtl/ar/index.html"
WIDE = [(1440, 900), (1280, 800)]
NARROW = [(390, 844), (768, 1024)]


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sites built and indexed for search under one folder: seed/, layout/ and golden/."""
    root = tmp_path_factory.mktemp("sites")
    sources = {
        **SITES,
        "many": many_notes(tmp_path_factory.mktemp("many"), 100),
        "shelf": long_list(tmp_path_factory.mktemp("shelf")),
        "split": large_glossary(tmp_path_factory.mktemp("split")),
    }
    for name, source in sources.items():
        report = build_indexed(source, root / name)
        assert report.diagnostics.errors == []
    return root


def build_indexed(source: Path, out: Path) -> BuildReport:
    """Build a site and index it for search, as `site-builder build` does (without the
    index, the search box would fail to load it over HTTP: a console error)."""
    site = Site(Project.at(source, out))
    report = site.build()
    index_site(site, report)
    return report


FIRST = [
    "amber",
    "basalt",
    "cobalt",
    "dune",
    "ember",
    "fjord",
    "granite",
    "harbour",
    "indigo",
    "juniper",
]
SECOND = [
    "arch",
    "bridge",
    "canal",
    "delta",
    "estuary",
    "falls",
    "glacier",
    "hollow",
    "isle",
    "jetty",
]


def many_notes(folder: Path, count: int) -> Path:
    """A site whose one article carries `count` notes, four to a paragraph."""
    terms = [
        f"{FIRST[i // 10 % 10]} {SECOND[i % 10]} {i // 100 or ''}".strip() for i in range(count)
    ]
    paragraphs = [
        " ".join(
            f"The walk passed the {term}, which the guide described at length." for term in group
        )
        for group in (terms[i : i + 4] for i in range(0, count, 4))
    ]
    seeds = folder / "seeds"
    seeds.mkdir()
    (seeds / "many.md").write_text("# Many notes\n\n" + "\n\n".join(paragraphs) + "\n")
    notes = "\n".join(
        f"## {term}\nA landmark of the walk, seen from the path on a clear day, with a story "
        f"the guide tells.\n\nMore about the {term}: when it was named and by whom.\n"
        for term in terms
    )
    (seeds / "many.notes.md").write_text(notes)
    return seeds


def long_list(folder: Path, dated: int = 14) -> Path:
    """A site whose reading list is long enough to be grouped by year: `dated` dated
    articles over two years, one with a weight and one undated, all tagged."""
    seeds = folder / "seeds"
    seeds.mkdir()
    words = " ".join(f"The walk passed the {place}." for place in FIRST * 20)
    for n in range(dated):
        front = f"title: Walk {n}\nauthor: A. Walker\ndate: {2025 - n % 2}-{n % 12 + 1:02}-03\n"
        (seeds / f"walk-{n}.md").write_text(f"---\n{front}tags: [walks]\n---\n\n{words}\n")
    (seeds / "first.md").write_text("---\ntitle: Start\nweight: 1\ntags: walks\n---\n\nHello.\n")
    (seeds / "someday.md").write_text("---\ntitle: Someday\n---\n\nNo date.\n")
    (seeds / "walk-0.notes.md").write_text("## dune\nA hill of sand.\n")
    return seeds


@pytest.fixture(scope="session")
def server(sites: Path) -> Iterator[str]:
    """The built sites over HTTP on 127.0.0.1, on a free port."""
    with serving(sites) as url:
        yield url


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """A folder over HTTP on 127.0.0.1, on a free port; its URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # No skip when the browser is missing: scripts/test installs it, and a test
    # run without it must fail, not pass quietly.
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run scripts/test to install it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Opened:
    page: Page
    errors: list[str]


OpenPage = Callable[..., Page]


@pytest.fixture
def open_page(browser: Browser, server: str, sites: Path) -> Iterator[OpenPage]:
    """open_page(path, width, height, js=True, scheme="http", color_scheme="light", ...)."""
    opened: list[Opened] = []

    def open_(
        path: str,
        width: int,
        height: int,
        js: bool = True,
        scheme: Literal["http", "file"] = "http",
        color_scheme: Literal["light", "dark"] = "light",
        touch: bool = False,
        reduced_motion: Literal["reduce", "no-preference"] = "no-preference",
    ) -> Page:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            java_script_enabled=js,
            color_scheme=color_scheme,
            has_touch=touch,
            is_mobile=False,
            reduced_motion=reduced_motion,
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        base = server if scheme == "http" else (sites.as_uri() + "/")
        page.goto(base + path)
        page.wait_for_load_state("load")
        if js:
            page.evaluate("document.fonts.ready")
        opened.append(Opened(page, errors))
        return page

    yield open_
    for item in opened:
        assert item.errors == [], f"console errors on {item.page.url}: {item.errors}"
        item.page.context.close()


def large_glossary(folder: Path) -> Path:
    """A site whose glossary is large enough for the terms index to take a page a letter
    (terms.ONE_PAGE): 1,010 terms under ten letters, 20 of them in its one article, the
    rest on the page of unused terms."""
    terms = [f"{FIRST[i % 10]} {SECOND[i // 10 % 10]} {i // 100 + 1}" for i in range(ONE_PAGE + 10)]
    seeds = folder / "seeds"
    seeds.mkdir()
    walk = " ".join(f"The walk passed the {term}." for term in terms[:20])
    (seeds / "walk.md").write_text(f"---\ntitle: A long walk\n---\n\n{walk}\n")
    glossary = "\n".join(f"## {term}\nA landmark of the long walk.\n" for term in terms)
    (seeds / "_glossary.md").write_text(glossary)
    return seeds
