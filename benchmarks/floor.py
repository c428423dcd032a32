"""The floor: the least a markdown site generator can do, to measure the others against.

    python benchmarks/floor.py SEEDS OUT [--notes]

Renders every article of SEEDS (not notes files, not `_` files) with markdown-it-py
(CommonMark, tables, strikethrough; Pygments for fenced code) into a trivial Jinja2
template and writes OUT/NAME/index.html, in one process. No annotation, no reading
list, no checks: what site-builder adds on top is what the ratio to this measures.

With `--notes`, it also does the least that "notes included" asks of any tool, and
nothing more: each note of the article's notes file rendered by itself (a note is a
markdown document of its own) into the article's page, and each note of the notes
files and the glossary written again as a page of its own, `OUT/terms/N/index.html`,
in the same trivial template. No matching, no anchoring, no excerpts, no index of
terms: a lower bound for the targets of issue 11, not a rival.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

from corpus import split_front_matter
from jinja2 import Template
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

PAGE = Template(
    "<!doctype html>\n<html lang=en><meta charset=utf-8><title>{{ title|e }}</title>\n"
    "<body><main>{{ body }}</main></body></html>\n"
)
NOTE = Template("<aside><b>{{ term|e }}</b>{{ body }}</aside>")
FORMATTER = HtmlFormatter()
HEADING = re.compile(r"^## (.*)$", re.MULTILINE)


def highlighted(code: str, language: str, _attributes: str) -> str:
    try:
        lexer = get_lexer_by_name(language or "text")
    except ClassNotFound:
        return ""  # markdown-it escapes it itself
    return str(highlight(code, lexer, FORMATTER))


def notes(path: Path) -> Iterator[tuple[str, str]]:
    """Each note of a notes file: its term and its markdown (field lines and all)."""
    if not path.exists():
        return
    pieces = HEADING.split(path.read_text())
    yield from zip(pieces[1::2], pieces[2::2], strict=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seeds", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--notes", action="store_true", help="the least the notes add")
    args = parser.parse_args()
    md = MarkdownIt("commonmark", {"highlight": highlighted}).enable(["table", "strikethrough"])
    term_pages = 0

    def term_page(term: str, body: str) -> None:
        nonlocal term_pages
        term_pages += 1
        page = args.out / "terms" / str(term_pages) / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(PAGE.render(title=term, body=body))

    for source in sorted(args.seeds.glob("*.md")):
        if source.name.startswith(("_", ".")) or source.name.endswith(".notes.md"):
            continue
        title, body = split_front_matter(source.read_text())
        html = md.render(body)
        if args.notes:
            for term, text in notes(source.with_name(source.stem + ".notes.md")):
                note = md.render(text)
                html += NOTE.render(term=term, body=note)
                term_page(term, note)
        page = args.out / source.stem / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(PAGE.render(title=title, body=html))
    if args.notes:
        for term, text in notes(args.seeds / "_glossary.md"):
            term_page(term, md.render(text))


if __name__ == "__main__":
    main()
