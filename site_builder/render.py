"""Rendering an article's body and notes to HTML with markdown-it-py.

Markdown articles use CommonMark (plus tables and strikethrough); plain-text
articles use a parser with every markup rule off, so their text is shown
literally, split into paragraphs at blank lines. Both carry the anchoring
plugin. Raw HTML is never passed through, and links keep only safe targets.
Markdown nested deeper than the parsers read is an error at its line (nesting.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from .anchoring import ENV_KEY, Anchoring, anchoring_plugin, plain_text
from .anchoring import NoteRenderer as AnchoringRenderer
from .autolinks import autolinks_plugin
from .diagnostics import Diagnostic, Diagnostics
from .excerpts import Excerpt
from .footnotes import ENV_KEY as FOOTNOTES_KEY
from .footnotes import FootnoteState, footnotes_plugin
from .glossary import Glossary, build_trie
from .headings import ENV_KEY as HEADINGS_KEY
from .headings import HeadingState, headings_plugin, one_title_plugin
from .links import ENV_KEY as LINKS_KEY
from .links import LinkState, SourceLinks, links_plugin
from .matching import find_terms
from .nesting import nesting_plugin, report_too_deep
from .notes import Note
from .sources import Article

SAFE_SCHEMES = ("", "http", "https", "mailto")
OPENING_WORDS = 40
NESTED_PASSES = 8  # terms within terms within terms... told of (_within_longer)


@dataclass(frozen=True)
class Place:
    """Where a note is anchored in an article: the note's id, its links' ids, and the
    sentence around each of the first of them (excerpts.py), for the terms pages."""

    note: Note
    note_id: str
    refs: tuple[str, ...]
    excerpts: tuple[Excerpt, ...] = ()
    # The note as the page shows it (links from an article page), for the terms pages.
    body: NoteBody | None = field(default=None, compare=False, repr=False)


class Names(frozenset[str]):
    """Names, shown in order: a page's digest is of its repr (cache.digest), and a set of
    strings iterates in an order that changes with each interpreter's hash seed."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Names({sorted(self)!r})"


# One empty set for every note that links to nothing: each empty set is an object of
# its own, 216 bytes, and the rendered notes are kept (`_note_body`).
NO_NAMES = Names()


@dataclass(frozen=True)
class NoteBody:
    """A note as HTML: its gloss (the first block, shown at rest) and the rest."""

    gloss: str
    detail: str
    files: Names = NO_NAMES  # files beside the articles it links to
    targets: Names = NO_NAMES  # every name in the source folder it links to
    problems: tuple[Diagnostic, ...] = ()

    @property
    def html(self) -> str:
        return self.gloss + self.detail


# The template of one note: the note, its body, its id and the ids of its terms' links.
NoteRenderer = Callable[[Note, NoteBody, str, Sequence[str]], str]


@dataclass(frozen=True)
class RenderedArticle:
    article: Article
    html: str
    places: tuple[Place, ...]
    opening: str  # the first words of the text, for the reading list
    words: int = 0  # how many words the text has (not its notes), for a reading time
    files: Names = NO_NAMES  # files beside the articles its page links to
    targets: Names = NO_NAMES  # every name in the source folder it links to
    found: Names = NO_NAMES  # keys of the notes whose terms occur in it

    @property
    def note_count(self) -> int:
        return len(self.places)

    def listed(self) -> RenderedArticle:
        """The page as the site-wide pages show it: without its html and text."""
        return replace(self, html="", article=replace(self.article, body=""))


def render_article(
    article: Article,
    glossary: Glossary,
    render_note: NoteRenderer,
    diagnostics: Diagnostics,
    links: SourceLinks | None = None,
) -> RenderedArticle:
    """The article's HTML with its terms anchored, warning of notes that found no place
    and of links that find nothing."""

    def footnote_html(
        note: Note, gloss: str, detail: str, note_id: str, refs: Sequence[str]
    ) -> str:
        return render_note(note, NoteBody(gloss, detail), note_id, refs)

    own = build_trie(article.notes)
    anchoring = Anchoring(
        tries=(own, glossary.trie),
        excluded=frozenset(note.key for note in article.notes),
    )
    markup = note_markup(render_note)
    md = text_parser(markup) if article.kind == "text" else article_parser(markup)
    body = article.body + ("\u2026" if article.kind == "text" and article.meta.excerpt else "")
    footnotes = FootnoteState(article.path, article.body_line, footnote_html)
    headings = HeadingState(article.path, article.body_line)
    env: dict[str, object] = {ENV_KEY: anchoring, FOOTNOTES_KEY: footnotes, HEADINGS_KEY: headings}
    if links is not None:
        env[LINKS_KEY] = state = LinkState(links, article.path, article.body_line)
    tokens = md.parse(body, env)
    html = md.renderer.render(tokens, md.options, env)
    report_too_deep(env, article.path, article.body_line, diagnostics)
    diagnostics.extend(footnotes.problems)
    diagnostics.extend(headings.problems)
    files, targets = set(), set()
    if links is not None:
        diagnostics.extend(state.problems)
        files, targets = state.files, state.targets
    bodies = [render_note_body(note, links) for note in anchoring.placed]  # cached: no work
    for note_body in bodies:
        diagnostics.extend(list(note_body.problems))
        files |= note_body.files
        targets |= note_body.targets
    unplaced = [note for note in article.notes if note.key not in anchoring.refs]
    within = _within_longer([n for n in unplaced if n.key not in anchoring.counts], anchoring)
    for note in unplaced:
        count = anchoring.counts.get(note.key, 0)
        # Found, but not where `at:` says: the `at:` line is the one to change.
        line = (note.placement.line or note.line) if count else note.line
        diagnostics.warning(note.path, line, _unplaced(note, count, within.get(note.key)))
    places = tuple(
        Place(
            note,
            anchoring.note_ids[note.key],
            tuple(anchoring.refs[note.key]),
            tuple(anchoring.excerpts.get(note.key, ())),
            NoteBody(note_body.gloss, note_body.detail, targets=note_body.targets),
        )
        for note, note_body in zip(anchoring.placed, bodies, strict=True)
    )
    opening = next(
        (
            "".join(map(plain_text, token.children or []))
            for index, token in enumerate(tokens)
            if token.type == "inline" and index and tokens[index - 1].type == "paragraph_open"
        ),
        "",
    )
    return RenderedArticle(
        article,
        html,
        places,
        _first_words(opening, OPENING_WORDS),
        count_words(tokens),
        Names(files),
        Names(targets),
        Names(anchoring.counts),
    )


def may_link(note: Note) -> bool:
    """Whether a note's markdown can link to anything in the source folder: every link
    and image starts with '[' (an autolink names a scheme, so it is never ours). Notes
    without one need not be rendered to learn what they link to."""
    return "[" in note.body


def render_note_body(note: Note, links: SourceLinks | None = None) -> NoteBody:
    """A note's own markdown as HTML (notes are not anchored themselves), linking from
    a page one folder down from the site's root (an article's)."""
    return _note_body(note.body, note.path, note.body_line, links)


@lru_cache(maxsize=16384)  # a glossary note is rendered once for all the pages it is on
def _note_body(markdown: str, path: Path, line: int, links: SourceLinks | None) -> NoteBody:
    md = note_parser()
    headings = HeadingState(path, line, marks="###")
    env: dict[str, object] = {HEADINGS_KEY: headings}
    if links is not None:
        env[LINKS_KEY] = state = LinkState(links, path, line)
    tokens = md.parse(markdown, env)
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
    gloss, detail = render(tokens[:split], md.options, {}), render(tokens[split:], md.options, {})
    problems = headings.problems
    report_too_deep(env, path, line, problems)
    if links is None:
        return NoteBody(gloss, detail, problems=tuple(problems.items))
    return NoteBody(
        gloss,
        detail,
        Names(state.files) if state.files else NO_NAMES,
        Names(state.targets) if state.targets else NO_NAMES,
        tuple(state.problems.items + problems.items),
    )


def _within_longer(notes: Sequence[Note], anchoring: Anchoring) -> dict[str, Note]:
    """For notes whose term was found nowhere, a longer term found where it occurs: the
    longest term wins a place, so the shorter one was not found there.

    Read again for the terms left, as one of them hides another within it (`New York`
    holds `York`), up to NESTED_PASSES times: real terms nest two or three deep.
    """
    within: dict[str, Note] = {}
    left = list(notes)
    for _ in range(NESTED_PASSES):
        if not left:
            break
        trie = build_trie(left)
        for text, longer in anchoring.found:
            for match in find_terms(text, [trie]):
                within.setdefault(match.value.key, longer)
        before, left = len(left), [note for note in left if note.key not in within]
        if len(left) == before:
            break
    return within


def _unplaced(note: Note, count: int, longer: Note | None = None) -> str:
    placement = note.placement
    spelled = " or ".join(f"'{s}'" for s in note.spellings)
    if count == 0 and longer is not None:
        noted = "in the glossary" if longer.glossary else "here too"
        return (
            f"{spelled} occurs in the article only within '{longer.term}', a longer term "
            f"noted {noted}, which takes its place"
        )
    if count == 0:
        return f"{spelled} occurs nowhere in the article (outside headings, code and links)"
    if placement.kind == "nth":
        return (
            f"'at: {placement.written}' finds nothing: '{note.term}' occurs only {count} "
            f"time{'s' if count > 1 else ''}"
        )
    return f"no occurrence of '{note.term}' is within ten words of '{placement.near}'"


def count_words(tokens: Sequence[Token]) -> int:
    """The words a reader reads in the text: its inline text and code blocks, no markup.

    Counted while rendering, as the page is made: the reading list has only a listed
    copy of the page, without its text.
    """
    count = 0
    for token in tokens:
        if token.type == "inline":
            count += len("".join(map(plain_text, token.children or [])).split())
        elif token.type in ("fence", "code_block"):
            count += len(token.content.split())
    return count


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
    inner = highlight(code, lexer, _code_formatter())
    return f'<pre class="highlight"><code class="language-{lang}">{inner}</code></pre>\n'


@cache  # making one builds a style sheet: about half the cost of a short block
def _code_formatter() -> HtmlFormatter[str]:
    return HtmlFormatter(nowrap=True)


def _configure(md: MarkdownIt) -> MarkdownIt:
    md.validateLink = safe_link  # type: ignore[method-assign]
    return md


@lru_cache(maxsize=16)  # one a theme: a build's, or a worker's
def note_markup(render_note: NoteRenderer) -> AnchoringRenderer:
    """The anchoring plugin's note renderer: a note's body, through the page's template."""

    def markup(note: Note, note_id: str, refs: Sequence[str], env: EnvType) -> str:
        state = env.get(LINKS_KEY)
        links = state.links if isinstance(state, LinkState) else None
        return render_note(note, render_note_body(note, links), note_id, refs)

    return markup


def plain_note(note: Note, note_id: str, refs: Sequence[str], env: EnvType) -> str:
    """A note with no theme: its body in an aside (the parsers' default)."""
    return f'<aside class="note" id="{note_id}" role="note">{render_note_body(note).html}</aside>\n'


@lru_cache(maxsize=16)
def article_parser(render_note: AnchoringRenderer = plain_note) -> MarkdownIt:
    """The parser of markdown articles, their notes given markup by `render_note`."""
    md = MarkdownIt("commonmark", {"html": False, "highlight": highlight_code})
    md.enable(["table", "strikethrough"]).use(nesting_plugin)
    md.use(autolinks_plugin).use(footnotes_plugin)
    md.use(anchoring_plugin, render_note=render_note).use(links_plugin)
    return _configure(md.use(headings_plugin))


@lru_cache(maxsize=16)
def text_parser(render_note: AnchoringRenderer = plain_note) -> MarkdownIt:
    """The parser of plain-text articles: every markup rule off, terms anchored."""
    return MarkdownIt("zero").use(anchoring_plugin, render_note=render_note)


@cache
def note_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "highlight": highlight_code})
    md.enable(["table", "strikethrough"]).use(nesting_plugin)
    return _configure(md.use(autolinks_plugin).use(links_plugin).use(one_title_plugin))


def pygments_css(dark_selector: str = "@media (prefers-color-scheme: dark)") -> str:
    """Styles for highlighted code: a light scheme, and a dark one for dark mode."""
    light = HtmlFormatter(style="default").get_style_defs(".highlight")  # type: ignore[no-untyped-call]
    dark = HtmlFormatter(style="monokai").get_style_defs(".highlight")  # type: ignore[no-untyped-call]
    return f"{light}\n{dark_selector} {{\n{dark}\n}}\n"
