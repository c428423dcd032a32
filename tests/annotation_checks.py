"""Checks of the W3C Web Annotations a build writes (annotations.py), shared by the
Python tests and the browser tests: the model's required fields and context, and a
client's re-anchoring of each target from its selectors alone."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# The theme's term links, found in the page without the code that wrote the annotations.
TERM_LINK = re.compile(r'<a class="term"(?P<attrs>[^>]*)>(?P<text>[^<]*)</a>')
ATTR = re.compile(r'(?P<name>[\w-]+)="(?P<value>[^"]*)"')


@dataclass(frozen=True)
class Target:
    """One target: which note's link it should land on, and its selectors."""

    note: str  # the note's id: the annotation's own id after its '#'
    ref: str  # the id of the term's link it should land on
    link_text: str  # that link's text, as the page shows it
    quote: dict[str, Any]
    position: dict[str, Any]


def load(path: Path) -> Any:
    """A JSON-LD file, parsed; it must be UTF-8 JSON with no markup character unescaped."""
    data = path.read_bytes()
    assert b"<" not in data and b">" not in data, path
    return json.loads(data.decode("utf-8"))


def check_page(page: Any, own_id: str, collection_id: str) -> None:
    """An AnnotationPage and its annotations carry what the model requires."""
    assert page["@context"] == CONTEXT
    assert (page["id"], page["type"]) == (own_id, "AnnotationPage")
    assert page["partOf"]["id"] == collection_id
    assert isinstance(page["items"], list)
    for annotation in page["items"]:
        check_annotation(annotation, own_id)


def check_annotation(annotation: Any, page_id: str) -> None:
    """An Annotation: an id, its type, a body (the note: HTML and plain text, labelled with
    its term) and targets, each a source with a quote and a position selector."""
    assert annotation["id"].startswith(page_id + "#note-")
    assert annotation["type"] == "Annotation"
    body = annotation["body"]
    assert body["type"] == "Choice" and body["label"]
    formats = [(item["type"], item["format"]) for item in body["items"]]
    assert formats == [("TextualBody", "text/html"), ("TextualBody", "text/plain")]
    html_value, plain_value = (item["value"] for item in body["items"])
    assert html_value.startswith("<") and plain_value and plain_value != html_value
    assert annotation["target"], annotation["id"]
    for target in annotation["target"]:
        assert target["source"]
        kinds = sorted(selector["type"] for selector in target["selector"])
        assert kinds == ["TextPositionSelector", "TextQuoteSelector"]


def check_collection(collection: Any, own_id: str, pages: dict[str, Any]) -> None:
    """The AnnotationCollection: its total, and its pages walked from `first` through
    `next` (the entries in its `@included`), each with its startIndex; `pages` are the
    article pages by id, as the collection names them."""
    assert collection["@context"] == CONTEXT
    assert (collection["id"], collection["type"]) == (own_id, "AnnotationCollection")
    entries = {entry["id"]: entry for entry in collection.get("@included", [])}
    walked, index, at = [], 0, collection.get("first")
    while at is not None:
        entry = entries[at]
        assert entry["type"] == "AnnotationPage" and entry["partOf"] == own_id
        assert entry["startIndex"] == index
        assert pages[at]["items"], at  # the collection names no empty page
        index += len(pages[at]["items"])
        walked.append(at)
        at = entry.get("next")
    assert collection["total"] == index == sum(len(p["items"]) for p in pages.values())
    assert walked == [at for at in pages if pages[at]["items"]]
    assert collection.get("last") == (walked[-1] if walked else None)


def targets(page: Any, page_html: str) -> list[Target]:
    """Every target of every annotation, each with the term link it should land on: the
    links whose `data-note` is the note's id, in the page's order, one a target."""
    links: dict[str, list[tuple[str, str]]] = {}
    for match in TERM_LINK.finditer(page_html):
        attrs = {a["name"]: html.unescape(a["value"]) for a in ATTR.finditer(match["attrs"])}
        links.setdefault(attrs["data-note"], []).append((attrs["id"], html.unescape(match["text"])))
    found = []
    for annotation in page["items"]:
        note = annotation["id"].rpartition("#")[2]
        assert len(annotation["target"]) == len(links[note]), note
        for target, (ref, text) in zip(annotation["target"], links[note], strict=True):
            selectors = {selector["type"]: selector for selector in target["selector"]}
            found.append(
                Target(
                    note,
                    ref,
                    text,
                    selectors["TextQuoteSelector"],
                    selectors["TextPositionSelector"],
                )
            )
    return found


def quote_matches(text: str, quote: dict[str, Any]) -> list[int]:
    """Where a TextQuoteSelector's exact text starts in `text`, its prefix and suffix
    around it: every place a client could anchor it."""
    whole = quote["prefix"] + quote["exact"] + quote["suffix"]
    starts, at = [], text.find(whole)
    while at != -1:
        starts.append(at + len(quote["prefix"]))
        at = text.find(whole, at + 1)
    return starts
