"""Publishing (issue 8): a built site works where it is published.

The fixture site (tests/fixtures/published) and the real seeds/ are built with a
site URL and served the way GitHub Pages serves a project site: only under
`/REPO/`, `/REPO/x/` answering with `x/index.html`, `/REPO/x` (a folder)
redirecting to `/REPO/x/`, anything missing answering 404 with the site's
404.html. A crawler follows every link, stylesheet, script and image from the
reading list, over HTTP and over file://: every target answers, every
fragment names an element of its page. Requests go through `http.client`, so
no redirect is followed and no proxy is asked.
"""

from __future__ import annotations

import http.client
import http.server
import mimetypes
import re
import shutil
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urldefrag, urljoin, urlsplit
from urllib.request import url2pathname

import pytest
from conftest import Run

from site_builder.diagnostics import Severity
from site_builder.site import BuildReport, Project, build_site

ROOT = Path(__file__).parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "published"
PREFIX = "/REPO/"
TIMEOUT = 5.0
DOMAIN = "readings.example.org"
SITE_TITLE = "Launch readings"
TITLES = {"launch-day": "Launch day at the coast", "second": "What an orbit is"}
SUMMARIES = {
    "launch-day": (
        "A small rocket reaches orbit on its third attempt, watched from a crowded beach."
    ),
    "second": "Why a rocket must fly sideways fast enough to keep missing the ground.",
}
DATES = {"launch-day": "2024-06-12", "second": "2024-06-01"}
DRAFT_TITLE = "Recovery barge notes"
VERIFICATION = "google1234abcd.html"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")
W3C_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$")
LINKING = {"a", "link", "script", "img", "source"}


# A GitHub Pages look-alike


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


def answer(folder: Path, target: str) -> Reply:
    """What GitHub Pages answers for `target` on a project site published from `folder`."""
    path = unquote(urlsplit(target).path)
    if path == PREFIX.rstrip("/"):
        return Reply(301, {"Location": PREFIX}, b"")
    if not path.startswith(PREFIX):
        return not_found(folder)
    file = (folder / path.removeprefix(PREFIX)).resolve()
    if not file.is_relative_to(folder.resolve()):
        return not_found(folder)
    if file.is_dir():
        if not path.endswith("/"):
            return Reply(301, {"Location": quote(path + "/")}, b"")
        file = file / "index.html"
    if not file.is_file():
        return not_found(folder)
    return Reply(200, {"Content-Type": content_type(file)}, file.read_bytes())


def not_found(folder: Path) -> Reply:
    page = folder / "404.html"
    body = page.read_bytes() if page.is_file() else b"Not found"
    return Reply(404, {"Content-Type": "text/html; charset=utf-8"}, body)


def content_type(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") else kind


class PagesServer(http.server.ThreadingHTTPServer):
    """Serves `folder` under PREFIX; the folder is set once the site is built."""

    folder: Path | None = None

    @property
    def site_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{PREFIX}"


class PagesHandler(http.server.BaseHTTPRequestHandler):
    server: PagesServer

    def do_GET(self) -> None:
        assert self.server.folder is not None, "the site is not built yet"
        reply = answer(self.server.folder, self.path)
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def pages_server() -> Iterator[PagesServer]:
    httpd = PagesServer(("127.0.0.1", 0), PagesHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


# Fetching over HTTP and from files


@dataclass(frozen=True)
class Fetched:
    status: int  # 0: not fetchable at all
    content_type: str
    body: bytes

    @property
    def html(self) -> bool:
        return self.status == 200 and self.content_type.startswith("text/html")


Fetch = Callable[[str], Fetched]


def http_fetch(url: str) -> Fetched:
    """GET `url` as it is: no redirect followed, no proxy."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname is None:
        return Fetched(0, "", b"")
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
    try:
        target = quote(parts.path or "/", safe="/%") + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", target)
        response = connection.getresponse()
        return Fetched(response.status, response.getheader("Content-Type", ""), response.read())
    finally:
        connection.close()


def file_fetch(url: str) -> Fetched:
    """Read a file:// URL as a browser would: the file must exist."""
    parts = urlsplit(url)
    path = Path(url2pathname(parts.path))
    if parts.scheme != "file" or not path.is_file():
        return Fetched(404, "", b"")
    return Fetched(200, content_type(path), path.read_bytes())


# Reading pages


@dataclass(frozen=True)
class Link:
    tag: str
    value: str  # the href or src as written
    attrs: dict[str, str]
    text: str = ""  # an <a>'s text, white space collapsed


class PageParser(HTMLParser):
    """The links, ids and meta tags of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self.ids: set[str] = set()
        self.meta: dict[str, str] = {}
        self._anchor: dict[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "meta" and ("name" in values or "property" in values):
            self.meta[values.get("name") or values["property"]] = values.get("content", "")
        if tag == "a":
            self._anchor, self._text = values, []
        elif tag in LINKING:
            self.links += [Link(tag, values[a], values) for a in ("href", "src") if a in values]

    def handle_data(self, data: str) -> None:
        if self._anchor is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._anchor is not None:
            if "href" in self._anchor:
                text = " ".join("".join(self._text).split())
                self.links.append(Link("a", self._anchor["href"], self._anchor, text))
            self._anchor = None

    def first(self, tag: str, **attrs: str) -> Link:
        """The first link of `tag` whose attributes (or text, `text=`) hold these values."""
        for link in self.links:
            fields = {**link.attrs, "text": link.text}
            if link.tag == tag and all(fields.get(k) == v for k, v in attrs.items()):
                return link
        raise AssertionError(f"no <{tag}> with {attrs} in the page")


def parse(html: bytes) -> PageParser:
    parser = PageParser()
    parser.feed(html.decode("utf-8"))
    parser.close()
    return parser


# The crawler


@dataclass
class Crawl:
    pages: dict[str, PageParser] = field(default_factory=dict)  # by URL, no fragment
    files: dict[str, Fetched] = field(default_factory=dict)  # everything fetched, by URL
    problems: list[str] = field(default_factory=list)


def elsewhere(url: str, start: str) -> bool:
    """Whether a crawl from `start` leaves `url` alone: mail, or http(s) on another host."""
    parts = urlsplit(url)
    other_host = parts.scheme in ("http", "https") and parts.netloc != urlsplit(start).netloc
    return parts.scheme == "mailto" or other_host


def crawl(start: str, fetch: Fetch) -> Crawl:
    """Follow every same-site href/src from `start`; every target answers 200, every
    fragment names an id on its page."""
    result = Crawl()
    queue, seen = [start], {start}
    fragments: list[tuple[str, str, str]] = []  # (from page, to page, fragment)
    while queue:
        url = queue.pop(0)
        got = result.files[url] = fetch(url)
        if got.status != 200:
            result.problems.append(f"{url} answers {got.status}")
            continue
        if not got.html:
            continue
        page = result.pages[url] = parse(got.body)
        for link in page.links:
            target = urljoin(url, link.value)
            if elsewhere(target, start):
                continue
            address, fragment = urldefrag(target)
            if fragment:
                fragments.append((url, address, unquote(fragment)))
            if address not in seen:
                seen.add(address)
                queue.append(address)
    for origin, address, fragment in fragments:
        if address in result.pages and fragment not in result.pages[address].ids:
            result.problems.append(f"{origin}: no id '{fragment}' on {address}")
    return result


# Building


@dataclass(frozen=True)
class Published:
    out: Path
    url: str  # the site URL the build was given: http://127.0.0.1:PORT/REPO/
    report: BuildReport


def build(source: Path, out: Path, site_url: str, drafts: bool = False) -> BuildReport:
    return build_site(Project.at(source, out), site_url=site_url, drafts=drafts)


def publish(server: PagesServer, source: Path, out: Path) -> Published:
    """Build `source` for the server's address, then serve the output."""
    report = build(source, out, server.site_url)
    server.folder = out
    return Published(out, server.site_url, report)


def copy_fixture(tmp_path: Path) -> Path:
    """A writable copy of the fixture site; its source folder."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site)
    return site / "seeds"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    with pages_server() as server:
        yield publish(server, FIXTURE / "seeds", tmp_path_factory.mktemp("published"))


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    with pages_server() as server:
        yield publish(server, ROOT / "seeds", tmp_path_factory.mktemp("seed-site"))


@pytest.fixture(scope="module")
def http_crawl(published: Published) -> Crawl:
    return crawl(published.url + "index.html", http_fetch)


def served_page(crawl: Crawl, url: str) -> PageParser:
    assert url in crawl.pages, f"the crawl never reached {url}"
    return crawl.pages[url]


def navigation(page: PageParser, site_url: str) -> list[Link]:
    """The page's same-site links that a reader or the browser follows: every a, img,
    script and source, and the stylesheets and icon (not canonical or feed links,
    which may be absolute)."""
    return [
        link
        for link in page.links
        if link.tag != "link" or link.attrs.get("rel") in ("stylesheet", "icon")
        if not elsewhere(link.value, site_url)
    ]


def head_link(page: PageParser, rel: str) -> str:
    """The href of the page's `<link rel=REL>`."""
    return page.first("link", rel=rel).value


# The harness itself: the server and the crawler can tell a broken site


def test_server_answers_like_github_pages(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    for name, text in {"index.html": "home", "x/index.html": "x", "404.html": "gone"}.items():
        (tmp_path / name).write_text(text)
    replies = {
        target: (reply.status, reply.headers.get("Location"), reply.body)
        for target in ["/REPO/", "/REPO/x/", "/REPO/x", "/REPO", "/x/", "/REPO/y", "/REPO/../x/"]
        for reply in [answer(tmp_path, target)]
    }
    assert replies == {
        "/REPO/": (200, None, b"home"),
        "/REPO/x/": (200, None, b"x"),
        "/REPO/x": (301, "/REPO/x/", b""),
        "/REPO": (301, "/REPO/", b""),
        "/x/": (404, None, b"gone"),
        "/REPO/y": (404, None, b"gone"),
        "/REPO/../x/": (404, None, b"gone"),
    }
    with pages_server() as server:
        server.folder = tmp_path
        assert http_fetch(server.site_url + "x") == Fetched(301, "", b"")
        assert http_fetch(server.site_url + "x/") == Fetched(200, "text/html; charset=utf-8", b"x")


def test_crawler_reports_missing_files_and_fragments(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<a href="a.html#here">a</a> <a href="a.html#nowhere">b</a> <img src="none.png" alt="">'
        ' <a href="https://example.org/">c</a> <a href="mailto:editors@example.org">d</a>'
    )
    (tmp_path / "a.html").write_text('<p id="here">Here.</p>')
    start = (tmp_path / "index.html").as_uri()
    result = crawl(start, file_fetch)
    assert sorted(result.problems) == [
        f"{start}: no id 'nowhere' on {(tmp_path / 'a.html').as_uri()}",
        f"{(tmp_path / 'none.png').as_uri()} answers 404",
    ]
    assert sorted(result.pages) == [(tmp_path / "a.html").as_uri(), start]


# The build


def test_fixture_builds_without_diagnostics(published: Published) -> None:
    assert [d.format() for d in published.report.diagnostics.sorted()] == []


def test_output_has_every_page_and_file(published: Published) -> None:
    expected = [
        "index.html",
        *(f"{slug}/index.html" for slug in TITLES),
        "terms/index.html",
        "404.html",
        ".nojekyll",
        "static/site.css",
        "sitemap.xml",
        "feed.xml",
        "robots.txt",
        "CNAME",
        VERIFICATION,
    ]
    assert [name for name in expected if not (published.out / name).is_file()] == []


# Crawling the served site


def test_http_crawl_reaches_every_page_and_asset(published: Published, http_crawl: Crawl) -> None:
    assert http_crawl.problems == []
    url = published.url
    for page in ["index.html", *(f"{slug}/index.html" for slug in TITLES), "terms/index.html"]:
        served_page(http_crawl, url + page)
    assert http_crawl.files[url + "static/site.css"].status == 200


def test_article_image_is_served(published: Published, http_crawl: Crawl) -> None:
    url = published.url + "launch-day/index.html"
    image = urljoin(url, served_page(http_crawl, url).first("img", alt="The orbit").value)
    got = http_crawl.files.get(image)
    assert got is not None, f"the crawl never fetched {image}"
    assert got.status == 200
    assert got.body.startswith(PNG_SIGNATURE)
    assert got.body == (FIXTURE / "seeds" / "images" / "orbit.png").read_bytes()


def test_link_to_another_source_lands_on_its_page(published: Published, http_crawl: Crawl) -> None:
    url = published.url + "launch-day/index.html"
    page = served_page(http_crawl, url)
    in_text = page.first("a", text="the second article").value
    in_note = page.first("a", text="the piece on orbits").value
    assert (in_text, in_note) == ("../second/index.html#note-orbit", "../second/index.html")
    target = served_page(http_crawl, urljoin(url, "../second/index.html"))
    assert "note-orbit" in target.ids


def test_links_between_pages_are_relative(published: Published, http_crawl: Crawl) -> None:
    """Every same-site a, img, script, source, stylesheet and icon: relative, so file:// works."""
    absolute = [
        f"{url}: <{link.tag}> {link.value}"
        for url, page in http_crawl.pages.items()
        for link in navigation(page, published.url)
        if urlsplit(link.value).scheme or link.value.startswith("/")
    ]
    assert absolute == []


@pytest.mark.parametrize("missing", ["no/such/page/", "launch-dya/index.html"])
def test_missing_page_answers_404_with_working_links(published: Published, missing: str) -> None:
    url = published.url + missing
    got = http_fetch(url)
    assert got.status == 404
    page = parse(got.body)
    head_link(page, "stylesheet")
    broken = []
    for link in page.links:
        target, fragment = urldefrag(urljoin(url, link.value))
        if target == url:  # on the 404 page itself
            if fragment and fragment not in page.ids:
                broken.append(f"#{fragment}")
        elif not elsewhere(target, url) and http_fetch(target).status != 200:
            broken.append(f"{link.value} -> {target}")
    assert broken == []


def test_404_page_links_are_root_relative(published: Published) -> None:
    """From the site URL's path, so they resolve from any missing path, on any host."""
    page = parse((published.out / "404.html").read_bytes())
    assert head_link(page, "stylesheet") == f"{PREFIX}static/site.css"
    assert f"{PREFIX}index.html" in {link.value for link in page.links if link.tag == "a"}
    same_site = [link.value for link in navigation(page, published.url)]
    assert [value for value in same_site if not value.startswith((PREFIX, "#"))] == []


def test_file_crawl_reaches_every_page(published: Published) -> None:
    start = (published.out / "index.html").as_uri()
    result = crawl(start, file_fetch)
    assert result.problems == []
    for slug in [*TITLES, "terms"]:
        assert urljoin(start, f"{slug}/index.html") in result.pages
    image = (published.out / "launch-day" / "index.html").as_uri()
    img = result.pages[image].first("img", alt="The orbit").value
    assert result.files[urljoin(image, img)].body.startswith(PNG_SIGNATURE)


def test_seed_site_passes_the_crawl(seed_site: Published) -> None:
    assert [d.format() for d in seed_site.report.diagnostics.errors] == []
    result = crawl(seed_site.url + "index.html", http_fetch)
    assert result.problems == []
    for page in ["chinas-space-dream/index.html", "terms/index.html"]:
        assert seed_site.url + page in result.pages


# Head of every page


@pytest.mark.parametrize(
    ("page", "canonical"),
    [
        ("index.html", ""),
        ("launch-day/index.html", "launch-day/"),
        ("second/index.html", "second/"),
        ("terms/index.html", "terms/"),
    ],
)
def test_page_has_canonical_and_feed_links(
    published: Published, http_crawl: Crawl, page: str, canonical: str
) -> None:
    parsed = served_page(http_crawl, published.url + page)
    assert head_link(parsed, "canonical") == published.url + canonical
    feed = parsed.first("link", rel="alternate", type="application/atom+xml").value
    assert urljoin(published.url + page, feed) == published.url + "feed.xml"


def test_article_page_describes_itself(published: Published, http_crawl: Crawl) -> None:
    meta = served_page(http_crawl, published.url + "launch-day/index.html").meta
    described = {key: meta.get(key) for key in ("description", "og:description", "og:title")}
    assert described == {
        "description": SUMMARIES["launch-day"],
        "og:description": SUMMARIES["launch-day"],
        "og:title": TITLES["launch-day"],
    }
    assert meta.get("og:url") == published.url + "launch-day/"
    assert meta.get("og:site_name") == SITE_TITLE


# Feed, sitemap, robots.txt, CNAME, public/


def xml_root(path: Path) -> ET.Element:
    return ET.fromstring(path.read_bytes())


def entries_by_title(feed: ET.Element) -> dict[str, ET.Element]:
    return {entry.findtext(f"{ATOM}title", ""): entry for entry in feed.iter(f"{ATOM}entry")}


def test_feed_has_one_entry_per_article(published: Published) -> None:
    feed = xml_root(published.out / "feed.xml")
    assert feed.tag == f"{ATOM}feed"
    assert [name for name in ("title", "id", "updated") if feed.find(ATOM + name) is None] == []
    entries = entries_by_title(feed)
    assert sorted(entries) == sorted(TITLES.values())
    for slug, title in TITLES.items():
        entry = entries[title]
        link = entry.find(f"{ATOM}link")
        assert link is not None
        assert link.get("href", "").removesuffix("index.html") == published.url + slug + "/"
        updated = entry.findtext(f"{ATOM}updated", "")
        assert RFC3339.match(updated) and updated.startswith(DATES[slug]), updated
        assert entry.findtext(f"{ATOM}summary", "").strip() == SUMMARIES[slug]


def feed_urls(feed: ET.Element) -> list[str]:
    """Every link's href, and every id that is an http(s) URL."""
    links = [link.get("href", "") for link in feed.iter(f"{ATOM}link")]
    ids = [element.text or "" for element in feed.iter(f"{ATOM}id")]
    return links + [i for i in ids if i.startswith(("http:", "https:"))]


def sitemap_urls(sitemap: ET.Element) -> list[str]:
    return [loc.text or "" for loc in sitemap.iter(f"{SITEMAP}loc")]


def test_feed_and_sitemap_urls_are_on_the_site_and_answer(published: Published) -> None:
    urls = feed_urls(xml_root(published.out / "feed.xml"))
    urls += sitemap_urls(xml_root(published.out / "sitemap.xml"))
    assert [url for url in urls if not url.startswith(published.url)] == []
    assert [url for url in urls if http_fetch(url).status != 200] == []


def test_sitemap_lists_every_page_and_article_dates(published: Published) -> None:
    sitemap = xml_root(published.out / "sitemap.xml")
    assert sitemap.tag == f"{SITEMAP}urlset"
    lastmod = {
        url.findtext(f"{SITEMAP}loc", ""): url.findtext(f"{SITEMAP}lastmod")
        for url in sitemap.iter(f"{SITEMAP}url")
    }
    assert published.url in lastmod
    for slug in TITLES:
        date = lastmod.get(published.url + slug + "/", "(not listed)")
        assert date is not None and W3C_DATE.match(date), f"{slug}: lastmod {date}"


def test_robots_txt_names_the_sitemap(published: Published) -> None:
    lines = (published.out / "robots.txt").read_text().splitlines()
    assert f"Sitemap: {published.url}sitemap.xml" in lines


def test_public_robots_txt_is_copied_instead(tmp_path: Path) -> None:
    seeds = copy_fixture(tmp_path)
    own = b"User-agent: *\nDisallow: /REPO/terms/\n"
    (seeds.parent / "public" / "robots.txt").write_bytes(own)
    build(seeds, tmp_path / "out", "https://example.org/REPO/")
    assert (tmp_path / "out" / "robots.txt").read_bytes() == own


def test_cname_holds_the_domain(published: Published) -> None:
    assert (published.out / "CNAME").read_text() == DOMAIN + "\n"


@pytest.mark.parametrize("own", ["old.example.com\n", DOMAIN + "\n"], ids=["other", "same"])
def test_a_public_cname_yields_to_the_domain(tmp_path: Path, own: str) -> None:
    """The sitemap and feed name site.toml's domain: a CNAME naming another is left out
    with a warning, as any file the site writes itself; one naming the same, quietly."""
    seeds = copy_fixture(tmp_path)
    (seeds.parent / "public" / "CNAME").write_text(own)
    report = build(seeds, tmp_path / "out", "https://example.org/REPO/")
    assert (tmp_path / "out" / "CNAME").read_text() == DOMAIN + "\n"
    said = [d.format(tmp_path) for d in report.diagnostics.sorted() if "CNAME" in d.message]
    if own == DOMAIN + "\n":
        assert said == []
    else:
        assert said == [
            "site/public/CNAME:1: warning: the site has its own CNAME; this one is left out"
        ]


def test_public_files_are_copied_to_the_site_root(published: Published) -> None:
    original = (FIXTURE / "public" / VERIFICATION).read_bytes()
    assert (published.out / VERIFICATION).read_bytes() == original
    got = http_fetch(published.url + VERIFICATION)
    assert (got.status, got.body) == (200, original)


# Drafts


def output_mentioning(out: Path, text: str) -> list[str]:
    """The output files (text ones) that contain `text`."""
    return [
        path.relative_to(out).as_posix()
        for path in sorted(out.rglob("*"))
        if path.is_file() and text in path.read_bytes().decode("utf-8", "replace")
    ]


def test_draft_is_left_out(published: Published) -> None:
    assert not (published.out / "wip").exists()
    assert output_mentioning(published.out, DRAFT_TITLE) == []
    assert output_mentioning(published.out, "wip/") == []


def test_draft_in_notes_front_matter_is_left_out(tmp_path: Path) -> None:
    seeds = copy_fixture(tmp_path)
    (seeds / "later.md").write_text("---\ntitle: Later flights\n---\n\nThe next flight.\n")
    (seeds / "later.notes.md").write_text("---\ndraft: true\n---\n\n## flight\nA trip up.\n")
    build(seeds, tmp_path / "out", "https://example.org/REPO/")
    assert not (tmp_path / "out" / "later").exists()
    assert output_mentioning(tmp_path / "out", "Later flights") == []


def test_drafts_option_builds_drafts(tmp_path: Path) -> None:
    build(FIXTURE / "seeds", tmp_path / "out", "https://example.org/REPO/", drafts=True)
    assert DRAFT_TITLE in (tmp_path / "out" / "wip" / "index.html").read_text()
    assert 'href="wip/index.html"' in (tmp_path / "out" / "index.html").read_text()


# Broken links in sources and notes


def append_lines(path: Path, lines: list[str]) -> list[int]:
    """Append `lines` after a blank line; the line number of each."""
    text = path.read_text()
    first = len(text.splitlines()) + 2
    path.write_text(text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n")
    return [first + i for i in range(len(lines))]


def with_broken_links(tmp_path: Path) -> tuple[Path, list[tuple[str, int, str]]]:
    """The fixture with a link to a missing article and a missing image in the text, and a
    link to a missing article in a note; the source folder, and (file, line, target) of each."""
    seeds = copy_fixture(tmp_path)
    article, notes = seeds / "launch-day.md", seeds / "launch-day.notes.md"
    text_lines = ["See [a missing piece](missing.md).", "", "![Nothing here](images/none.png)"]
    link, _, image = append_lines(article, text_lines)
    (note,) = append_lines(notes, ["More in [a lost page](gone.md)."])
    expected = [
        ("launch-day.md", link, "missing.md"),
        ("launch-day.md", image, "images/none.png"),
        ("launch-day.notes.md", note, "gone.md"),
    ]
    return seeds, expected


def test_broken_links_are_warnings_naming_file_and_line(tmp_path: Path) -> None:
    seeds, expected = with_broken_links(tmp_path)
    report = build(seeds, tmp_path / "out", "https://example.org/REPO/")
    found = sorted((d.path.name, d.line, d.severity) for d in report.diagnostics.sorted())
    assert found == sorted((name, line, Severity.WARNING) for name, line, _ in expected)
    for name, line, target in expected:
        (diagnostic,) = [
            d for d in report.diagnostics.items if (d.path.name, d.line) == (name, line)
        ]
        assert diagnostic.path.resolve() == (seeds / name).resolve()
        assert target in diagnostic.message


def test_broken_links_fail_a_strict_build(tmp_path: Path, cli: Run) -> None:
    seeds, expected = with_broken_links(tmp_path)
    result = cli("build", "--source", seeds, "--out", tmp_path / "out", "--strict")
    assert result.code == 1
    for name, line, target in expected:
        assert any(f"{name}:{line}: " in d and target in d for d in result.diagnostics), target
