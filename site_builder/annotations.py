"""The notes as W3C Web Annotations (https://www.w3.org/TR/annotation-model/).

Beside each article page, `SLUG/annotations.jsonld` is an AnnotationPage holding
one Annotation for each note anchored on the page; `annotations.jsonld` at the
site's top is the AnnotationCollection of those pages (one a page, in reading order).

- The text selectors count in "the page's text": the `textContent` of the page's
  `<body>` as the browser parses the built file (what Hypothesis anchors in), which
  is the notes' text too. `PageText` computes it from the HTML as the DOM would:
  entities decoded, whitespace kept as it is, `<script>` and `<noscript>` text
  included, `<template>` content and comments left out. Offsets count code points,
  as the model asks (JavaScript strings count UTF-16 units: astral characters differ).
- A note's annotation has a target for each place the note is anchored (the first
  place first; a note anchored at every occurrence has several): the term's link
  text, as a TextQuoteSelector and a TextPositionSelector.
- Its body is a Choice of the note as HTML and as plain text, labelled with the term.
- IRIs: with a site address, the page's canonical address (its `<link rel="canonical">`)
  and the files beside it are absolute; without one, every IRI is relative to the
  file it is in (JSON-LD resolves them against the address the file was read from),
  and the target is `index.html`, the page as the site's own links name it.
- The pages cannot name their neighbours (each article's files are made and cached
  on their own), so the collection carries the order: a small AnnotationPage entry
  for each page, with `startIndex`, `partOf`, `prev` and `next`, in its `@included`
  (JSON-LD 1.1). Its size grows with the number of articles, not of annotations.

Footnotes are the article's own, not an editor's notes: they are not annotations.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from itertools import accumulate
from urllib.parse import urljoin

from .links import SourceLinks
from .render import Place, RenderedArticle, render_note_body

FILE = "annotations.jsonld"
CONTEXT = "http://www.w3.org/ns/anno.jsonld"
TAG = re.compile(r"<[^>]*>")
QUOTE_CONTEXT = 32  # characters of prefix and suffix, as Hypothesis records them
PAGE = "index.html"  # an article page's name beside its annotations, without a site address
COLLECTION = "../" + FILE  # from an article's folder

# Elements whose first newline the HTML parser drops.
_LEADING_NEWLINE = frozenset({"pre", "listing", "textarea"})


@dataclass(frozen=True)
class PageText:
    """The text content of an HTML page's `<body>`, where the elements with the ids asked
    for start and end in it, and the page's canonical address."""

    text: str
    spans: dict[str, tuple[int, int]]
    canonical: str


def page_text(html: str, ids: Iterable[str] = ()) -> PageText:
    """The text of a page as its DOM's `document.body.textContent` has it (parsed)."""
    # The HTML parser turns every CR LF and lone CR of the input into LF.
    html = html.replace("\r\n", "\n").replace("\r", "\n")
    wanted = frozenset(ids)
    found = _plain_page_text(html, wanted)
    if found is None:
        parser = _TextParser(wanted)
        parser.feed(html)
        parser.close()
        found = PageText("".join(parser.pieces), parser.spans, parser.canonical)
    return found


class _TextParser(HTMLParser):
    """What `page_text` computes, for any HTML: an event at a time."""

    def __init__(self, wanted: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted = wanted
        self.spans: dict[str, tuple[int, int]] = {}
        self.canonical = ""
        self.pieces: list[str] = []
        self._length = 0
        self._in_body = False
        self._open: list[tuple[str, str, int]] = []  # (tag, id, start) of elements asked for
        self._hidden = 0  # inside <template>
        self._drop_newline = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._drop_newline = False
        values = dict(attrs)
        if tag == "body":
            self._in_body = True
        elif tag == "link" and not self.canonical and _rel(values) == "canonical":
            self.canonical = values.get("href") or ""
        elif tag == "template":
            self._hidden += 1
        elif tag == "noscript":
            self.set_cdata_mode(tag)  # with scripting on, its content is raw text
        if tag in _LEADING_NEWLINE:
            self._drop_newline = True
        ident = values.get("id")
        if ident in self.wanted and ident not in self.spans and self._in_body:
            self._open.append((tag, ident, self._length))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        self._drop_newline = False
        if tag == "template" and self._hidden:
            self._hidden -= 1
        if self._open and self._open[-1][0] == tag:
            _, ident, start = self._open.pop()
            self.spans[ident] = (start, self._length)

    def handle_comment(self, data: str) -> None:
        self._drop_newline = False  # only a newline right after `<pre>` goes

    def handle_decl(self, decl: str) -> None:
        self._drop_newline = False

    def handle_pi(self, data: str) -> None:
        self._drop_newline = False

    def unknown_decl(self, data: str) -> None:
        self._drop_newline = False

    def handle_data(self, data: str) -> None:
        if self._drop_newline and data.startswith("\n"):
            data = data[1:]
        self._drop_newline = False
        if self._in_body and not self._hidden:
            self.pieces.append(data)
            self._length += len(data)


def _rel(attrs: Mapping[str, str | None]) -> str:
    return (attrs.get("rel") or "").strip().lower()


# The fast pass. It reads markup as site-builder's templates and markdown-it write it:
# comments without `<` or `>`, a doctype, and tags whose quoted attribute values hold no
# `<` or `>` (Jinja and markdown-it escape them), so that every `<` starts one of these.
# Then the text is what lies between them, split apart in C; `_TextParser`, in pure
# Python, took longer than rendering the page. Anything else is left to it: a stray `<`,
# the elements whose text is not plain (`<template>`, `<noscript>`, a script or style
# with `<` or `&` in it), a newline the parser would drop after `<pre>`. Possessive
# quantifiers: a tag read another way on backtracking is left to `_TextParser` (its `<`
# stays in the text), and a run of attribute text is taken whole, not a character a try.
_MARKUP = re.compile(
    r"""(<(?:!--(?!-?>)[^<>]*-->|!doctype[^<>]*>"""
    r"""|/?[a-z][^\s/>]*+(?:[^<>"']++|"[^"<>]*+"|'[^'<>]*+')*+>))""",
    re.IGNORECASE,
)
_UNUSUAL = re.compile(
    r"<(?:template|noscript|textarea|listing|plaintext|xmp|iframe|noembed|noframes)\b"
    r"|<pre\b[^<>]*>\n"
    r"|<(script|style)\b[^<>]*>(?![^<&]*</\1[\t\n\f />])",
    re.IGNORECASE,
)
_BODY = re.compile(r"<body[\s/>]", re.IGNORECASE)
_LINK = re.compile(r"<link[\s/>]", re.IGNORECASE)
_NAME = re.compile(r"</?([a-z][^\s/>]*)", re.IGNORECASE)
_ID = re.compile(r"\sid\s*=", re.IGNORECASE)
_ID_VALUE = re.compile(r"""\sid\s*=+\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*))""", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([^\s/>"'=][^\s/>=]*)(?:\s*=+\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")


def _plain_page_text(html: str, wanted: frozenset[str]) -> PageText | None:
    """`page_text` of markup as site-builder writes it, in bulk; None for anything else."""
    if "\0" in html or _UNUSUAL.search(html):
        return None
    parts = _MARKUP.split(html)
    texts, tags = parts[0::2], parts[1::2]
    if any("<" in text for text in texts):
        return None  # a `<` that starts no markup the pass knows
    if _BODY.search(html) is None:
        return None
    canonical = ""
    for link in _LINK.finditer(html):
        values = dict(_attributes(_MARKUP.match(html, link.start()).group()))  # type: ignore[union-attr]
        if _rel(values) == "canonical":
            canonical = values.get("href") or ""
            break
    # The body's text pieces, and the tags after each (the body tag is the first `<body`).
    first = next((i for i, tag in enumerate(tags) if _BODY.match(tag)), None)
    if first is None:
        return None  # `<body` inside another tag (`<a<body>`, a tag named `a<body`)
    pieces = [unescape(text) if "&" in text else text for text in texts[first + 1 :]]
    offsets = list(accumulate(map(len, pieces), initial=0))
    spans: dict[str, tuple[int, int]] = {}
    if wanted:
        opened: list[tuple[str, str, int]] = []  # as _TextParser's `_open`
        # A tag whose attributes hold none of the ids, and no entity, has none of them.
        for number, tag in enumerate(tags[first:]):
            if tag[1] == "!":
                continue  # a comment
            closing = tag[1] == "/"
            if not closing and _ID.search(tag) and ("&" in tag or _holds_id(tag, wanted)):
                name = _name(tag)
                ident = dict(_attributes(tag[1 + len(name) : -1])).get("id")
                if ident is not None and ident in wanted and ident not in spans:
                    opened.append((name, ident, offsets[number]))
            if (closing or tag.endswith("/>")) and opened and _name(tag) == opened[-1][0]:
                _, ident, start = opened.pop()
                spans[ident] = (start, offsets[number])
    return PageText("".join(pieces), spans, canonical)


def _holds_id(tag: str, wanted: frozenset[str]) -> bool:
    """Whether a value given to an `id` in the tag is one of those wanted. (A pattern of
    the wanted ids was compiled a page, which cost more than finding them.)"""
    return any(value in wanted for found in _ID_VALUE.finditer(tag) for value in found.groups())


def _name(tag: str) -> str:
    return _NAME.match(tag).group(1).lower()  # type: ignore[union-attr]


def _attributes(text: str) -> list[tuple[str, str | None]]:
    """Attributes as HTMLParser gives them: names lowercased, values decoded."""
    found: list[tuple[str, str | None]] = []
    for attribute in _ATTRIBUTE.finditer(text):
        name, double, single, bare = attribute.groups()
        value = next((v for v in (double, single, bare) if v is not None), None)
        found.append((name.lower(), unescape(value) if value else value))
    return found


def article_annotations(
    page: RenderedArticle, html: str, links: SourceLinks | None = None
) -> bytes:
    """`SLUG/annotations.jsonld`: the article's notes as an AnnotationPage, in JSON-LD."""
    refs = [ref for place in page.places for ref in place.refs]
    parsed = page_text(html, refs)
    base = parsed.canonical
    own = urljoin(base, FILE) if base else FILE
    source = base or PAGE
    lang = page.article.meta.lang
    items = []
    for place in page.places:
        spans = [parsed.spans[ref] for ref in place.refs if ref in parsed.spans]
        if spans:  # always, unless a theme drops the term links; a target is required
            targets = [_target(source, parsed.text, span) for span in spans]
            items.append(_annotation(place, f"{own}#{place.note_id}", targets, lang, links))
    document = {
        "@context": CONTEXT,
        "id": own,
        "type": "AnnotationPage",
        "partOf": {
            "id": urljoin(base, COLLECTION) if base else COLLECTION,
            "type": "AnnotationCollection",
        },
        "items": items,
    }
    return _dump(document)


def _annotation(
    place: Place,
    ident: str,
    targets: list[dict[str, object]],
    lang: str,
    links: SourceLinks | None,
) -> dict[str, object]:
    note = place.note
    html = render_note_body(note, links).html  # cached: rendered for the page already
    plain = _plain(html)
    language = {"language": lang} if lang else {}
    return {
        "id": ident,
        "type": "Annotation",
        "motivation": "describing",
        "body": {
            "type": "Choice",
            "label": note.term,
            "items": [
                {"type": "TextualBody", "format": "text/html", "value": html, **language},
                {"type": "TextualBody", "format": "text/plain", "value": plain, **language},
            ],
        },
        "target": targets,
    }


def _plain(html: str) -> str:
    """The text of a note's markup, as textContent has it. The markup is markdown-it's,
    which escapes every `<`, `>` and `&` in text and attributes and writes no comment:
    so its tags are exactly what lies between `<` and `>`, and one pass takes them out
    (HTMLParser, in pure Python, cost more than rendering the note)."""
    return unescape(TAG.sub("", html)).strip()


def _target(source: str, text: str, span: tuple[int, int]) -> dict[str, object]:
    start, end = span
    return {
        "source": source,
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": text[start:end],
                "prefix": text[max(0, start - QUOTE_CONTEXT) : start],
                "suffix": text[end : end + QUOTE_CONTEXT],
            },
            {"type": "TextPositionSelector", "start": start, "end": end},
        ],
    }


def collection(pages: Sequence[tuple[str, int]], base_url: str, label: str) -> str:
    """`annotations.jsonld`: the AnnotationCollection of the articles' pages, each given as
    (slug, number of annotations) in reading order; pages without any are left out."""
    ident = base_url + FILE
    counted = [(base_url + f"{slug}/{FILE}", count) for slug, count in pages if count]
    document: dict[str, object] = {
        "@context": CONTEXT,
        "id": ident,
        "type": "AnnotationCollection",
        "label": label,
        "total": sum(count for _, count in counted),
    }
    if counted:
        document["first"] = counted[0][0]
        document["last"] = counted[-1][0]
        document["@included"] = list(_page_entries(ident, counted))
    return _dump(document).decode("utf-8")


def _page_entries(ident: str, counted: Sequence[tuple[str, int]]) -> Iterable[dict[str, object]]:
    start = 0
    for number, (page, count) in enumerate(counted):
        entry: dict[str, object] = {
            "id": page,
            "type": "AnnotationPage",
            "partOf": ident,
            "startIndex": start,
        }
        if number:
            entry["prev"] = counted[number - 1][0]
        if number + 1 < len(counted):
            entry["next"] = counted[number + 1][0]
        start += count
        yield entry


# Outside strings JSON has none of these: escaped, a file can also be put whole into a
# <script type="application/ld+json"> element, and no markup in a note shows in it as such.
_SAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def _dump(document: Mapping[str, object]) -> bytes:
    """JSON, never built by hand: readable, UTF-8, markup characters escaped."""
    # Compact: json's C encoder does not indent, and writing a site's annotations took
    # as long as rendering its pages with the pure-Python one.
    text = json.dumps(document, ensure_ascii=False)
    for character, escaped in _SAFE.items():  # str.translate looks up every character
        text = text.replace(character, escaped)
    return (text + "\n").encode("utf-8")
