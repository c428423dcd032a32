"""The floor: the least a markdown site generator can do, to measure the others against.

    python benchmarks/floor.py SEEDS OUT

Renders every article of SEEDS (not notes files, not `_` files) with markdown-it-py
(CommonMark, tables, strikethrough; Pygments for fenced code) into a trivial Jinja2
template and writes OUT/NAME/index.html, in one process. No annotation, no reading
list, no checks: what site-builder adds on top is what the ratio to this measures.
"""

from __future__ import annotations

import argparse
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
FORMATTER = HtmlFormatter()


def highlighted(code: str, language: str, _attributes: str) -> str:
    try:
        lexer = get_lexer_by_name(language or "text")
    except ClassNotFound:
        return ""  # markdown-it escapes it itself
    return str(highlight(code, lexer, FORMATTER))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seeds", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    md = MarkdownIt("commonmark", {"highlight": highlighted}).enable(["table", "strikethrough"])
    for source in sorted(args.seeds.glob("*.md")):
        if source.name.startswith(("_", ".")) or source.name.endswith(".notes.md"):
            continue
        title, body = split_front_matter(source.read_text())
        page = args.out / source.stem / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(PAGE.render(title=title, body=md.render(body)))


if __name__ == "__main__":
    main()
