"""Whether a built site could run anything a source put into it.

Every HTML page is parsed: each element must be one the theme or markdown makes,
with attributes from a short list (no event handler, `on…`), no URL a browser would
run (`javascript:`, `vbscript:`, `data:`, however spelt), and no script but the
theme's own `static/notes.js` and `static/search.js`. XML files (sitemap, feed) must
parse, with no such URL either. The theme's `static/` files, the search index
(`pagefind/`, Pagefind's) and the files copied from beside the articles (`_files/`,
the editors' own files: an SVG among them cleaned by svg.py, which test_svg.py
checks) are not checked.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

# fmt: off
VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
})
TAGS = frozenset({
    # the theme's
    "html", "head", "meta", "title", "link", "body", "header", "nav", "main", "footer",
    "article", "aside", "details", "summary", "time", "dl", "dt", "dd", "script", "section",
    "mark", "cite",
    # markdown's
    "a", "p", "h1", "h2", "h3", "h4", "h5", "h6", "span", "div", "em", "strong", "code",
    "pre", "ul", "ol", "li", "blockquote", "hr", "br", "img", "sup", "s", "table", "thead",
    "tbody", "tr", "th", "td",
})
ATTRIBUTES = frozenset({
    "class", "id", "href", "src", "alt", "title", "lang", "charset", "name", "content", "rel",
    "type", "property", "role", "data-note", "datetime", "start", "style", "hidden", "defer",
    # search: where the index is, and what it reads (search.py, static/search.js)
    "data-search-bundle", "data-pagefind-body", "data-pagefind-ignore",
})
# fmt: on
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "cite", "poster", "background"})
SCRIPTED = ("javascript:", "vbscript:", "data:", "livescript:")
# The theme's scripts, linked from any depth, or from the site's path on the 404 page.
THEME_SCRIPT = re.compile(r"((\.\./)*|/([\w.-]+/)*)static/(notes|search)\.js")
NOT_CONTENT = ("static/", "_files/", "pagefind/")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""  # all the text inside it


class Elements(HTMLParser):
    """Every element of a page with its attributes and text, and the text of its scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.elements.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop().tag != tag:
            pass

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.text += data
        if self.open and self.open[-1].tag == "script":
            self.scripts.append(data)


def elements_of(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser


def scripted(url: str) -> bool:
    """Whether a browser would run a URL: it drops tabs and newlines anywhere, and
    blanks and control characters at either end, before it reads the scheme."""
    url = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21)))).lower()
    return url.startswith(SCRIPTED)


def check_html(name: str, html: str) -> None:
    page = elements_of(html)
    for element in page.elements:
        assert element.tag in TAGS, (name, element.tag)
        for attr, value in element.attrs.items():
            assert not attr.startswith("on"), (name, element.tag, attr, value)
            assert attr in ATTRIBUTES or attr.startswith("aria-"), (name, element.tag, attr)
            if attr in URL_ATTRIBUTES:
                assert not scripted(value), (name, element.tag, attr, value)
            if attr == "style":
                assert re.fullmatch(r"text-align:(left|right|center)", value), (name, value)
        if element.tag == "script":
            assert THEME_SCRIPT.fullmatch(element.attrs.get("src", "")), (name, element.attrs)
        if element.tag == "meta":
            assert "http-equiv" not in element.attrs, (name, element.attrs)
    assert not any(script.strip() for script in page.scripts), (name, page.scripts)


def check_xml(name: str, data: bytes) -> None:
    root = ET.fromstring(data)  # well-formed, whatever the titles hold
    for element in root.iter():
        assert element.tag.split("}")[-1] not in ("script", "iframe"), name
        for attr, value in element.attrib.items():
            assert not attr.startswith("on"), (name, attr)
            if attr in URL_ATTRIBUTES:
                assert not scripted(value), (name, attr, value)


def check_output(out: Path) -> None:
    """Every file of a built site is inert."""
    for path in sorted(out.rglob("*")):
        name = path.relative_to(out).as_posix()
        if not path.is_file() or name.startswith(NOT_CONTENT):
            continue
        data = path.read_bytes()
        if path.suffix == ".html":
            check_html(name, data.decode("utf-8"))
        elif path.suffix == ".xml":
            check_xml(name, data)
        # robots.txt, CNAME, .nojekyll and the manifest are never read as markup.
