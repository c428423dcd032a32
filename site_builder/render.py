"""Rendering an article's body and notes to HTML with markdown-it-py.

Markdown articles use CommonMark (plus tables and strikethrough); plain-text
articles use a parser with every markup rule off, so their text is shown
literally, split into paragraphs at blank lines. Both carry the anchoring
plugin. Raw HTML is never passed through, and links keep only safe targets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from .anchoring import ENV_KEY, Anchoring, NoteRenderer, anchoring_plugin, plain_text
from .diagnostics import Diagnostics
from .glossary import Glossary, build_trie
from .notes import Note
from .sources import Article

SAFE_SCHEMES = ("", "http", "https", "mailto")
OPENING_WORDS = 40


@dataclass(frozen=True)
class Place:
    """Where a note is anchored in an article: the note's id and its links' ids."""

    note: Note
    note_id: str
    refs: tuple[str, ...]


@dataclass(frozen=True)
class RenderedArticle:
    article: Article
    html: str
    places: tuple[Place, ...]
    opening: str  # the first words of the text, for the reading list

    @property
    def note_count(self) -> int:
        return len(self.places)


def render_article(
    article: Article, glossary: Glossary, render_note: NoteRenderer, diagnostics: Diagnostics
) -> RenderedArticle:
    """The article's HTML with its terms anchored, warning of notes that found no place."""
    own = build_trie(article.notes)
    anchoring = Anchoring(
        tries=(own, glossary.trie),
        render_note=render_note,
        excluded=frozenset(note.key for note in article.notes),
    )
    md = text_parser() if article.kind == "text" else article_parser()
    body = article.body + ("\u2026" if article.kind == "text" and article.meta.excerpt else "")
    tokens = md.parse(body, {ENV_KEY: anchoring})
    html = md.renderer.render(tokens, md.options, {ENV_KEY: anchoring})
    for note in article.notes:
        if note.key not in anchoring.refs:
            diagnostics.warning(
                note.path, note.line, _unplaced(note, anchoring.counts.get(note.key, 0))
            )
    places = tuple(
        Place(note, anchoring.note_ids[note.key], tuple(anchoring.refs[note.key]))
        for note in anchoring.placed
    )
    opening = next(
        (
            "".join(map(plain_text, token.children or []))
            for index, token in enumerate(tokens)
            if token.type == "inline" and index and tokens[index - 1].type == "paragraph_open"
        ),
        "",
    )
    return RenderedArticle(article, html, places, _first_words(opening, OPENING_WORDS))


@dataclass(frozen=True)
class NoteBody:
    """A note as HTML: its gloss (the first block, shown at rest) and the rest."""

    gloss: str
    detail: str

    @property
    def html(self) -> str:
        return self.gloss + self.detail


def render_note_body(note: Note) -> NoteBody:
    """A note's own markdown as HTML (notes are not anchored themselves)."""
    return _note_body(note.body)


@cache
def _note_body(markdown: str) -> NoteBody:
    md = note_parser()
    tokens = md.parse(markdown)
    # The gloss ends where the first top-level block closes.
    split = next(
        (
            index + 1
            for index, token in enumerate(tokens)
            if token.level == 0 and token.nesting <= 0
        ),
        len(tokens),
    )
    render = md.renderer.render
    return NoteBody(render(tokens[:split], md.options, {}), render(tokens[split:], md.options, {}))


def _unplaced(note: Note, count: int) -> str:
    placement = note.placement
    if count == 0:
        spelled = " or ".join(f"'{s}'" for s in note.spellings)
        return f"{spelled} occurs nowhere in the article (outside headings, code and links)"
    if placement.kind == "nth":
        return (
            f"'at: {placement.nth}' finds nothing: '{note.term}' occurs only {count} "
            f"time{'s' if count > 1 else ''}"
        )
    return f"no occurrence of '{note.term}' is within ten words of '{placement.near}'"


def _first_words(text: str, count: int) -> str:
    words = text.split()
    return " ".join(words[:count]) + (" \u2026" if len(words) > count else "")


def safe_link(url: str) -> bool:
    """Only http, https, mailto, relative and `#` targets survive."""
    try:
        return urlsplit(url.strip()).scheme.lower() in SAFE_SCHEMES
    except ValueError:
        return False


def highlight_code(code: str, lang: str, attrs: str) -> str:
    """Pygments markup for a fenced block in a known language; '' lets markdown-it escape it."""
    try:
        lexer = get_lexer_by_name(lang)
    except ClassNotFound:
        return ""
    inner = highlight(code, lexer, HtmlFormatter(nowrap=True))
    return f'<pre class="highlight"><code class="language-{lang}">{inner}</code></pre>\n'


def _configure(md: MarkdownIt) -> MarkdownIt:
    md.validateLink = safe_link  # type: ignore[method-assign]
    return md


@cache
def article_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "highlight": highlight_code})
    return _configure(md.enable(["table", "strikethrough"]).use(anchoring_plugin))


@cache
def text_parser() -> MarkdownIt:
    return MarkdownIt("zero").use(anchoring_plugin)


@cache
def note_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "highlight": highlight_code})
    return _configure(md.enable(["table", "strikethrough"]))


def pygments_css(dark_selector: str = "@media (prefers-color-scheme: dark)") -> str:
    """Styles for highlighted code: a light scheme, and a dark one for dark mode."""
    light = HtmlFormatter(style="default").get_style_defs(".highlight")  # type: ignore[no-untyped-call]
    dark = HtmlFormatter(style="monokai").get_style_defs(".highlight")  # type: ignore[no-untyped-call]
    return f"{light}\n{dark_selector} {{\n{dark}\n}}\n"
