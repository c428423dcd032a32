"""Heading ids and permalinks, a markdown-it-py plugin.

Every heading of an article gets an id from its words and ends with a
permalink, which the theme shows on hover and focus:

    <h2 id="low-earth-orbit">Low Earth orbit<a class="heading-link" href="#low-earth-orbit"
      aria-label="Link to this section: Low Earth orbit">#</a></h2>

A repeated heading gets `-2`, `-3`..., in the order of the page. No space
comes before the link, so the `#` never wraps alone onto a line of its own.

mdit-py-plugins' anchors plugin was the candidate; its permalink has no
accessible name and its symbol is raw HTML, and its ids run the lines of a
two-line heading together ("Mars\\nrover" gives `marsrover`), so this one
small rule does both.

A page has one `<h1>`, its title (from the front matter or the article's first
`# heading`, which sources.py takes out of the text). Any other level-one heading,
in the text or in a note, is shown as a `<h2>` with a warning at its line
(`one_title_plugin`), so that headings go in order and a screen reader's list of
them starts at the title.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from .diagnostics import Diagnostics
from .slugs import Ids, slugify

# Ids that headings leave to others: notes and their links (`note-…`, `ref-…`) and
# the page's own `main`. A heading whose slug would take one gets `section-` before it.
NOTE_PREFIXES = ("note", "ref")
PAGE_IDS = frozenset({"main"})
LABEL = "Link to this section: "
SYMBOL = "#"
ENV_KEY = "headings"
DEMOTED = (
    "a level-one heading is shown as a level-two heading (the page's title is its "
    "one level-one heading); write it as '{marks} {words}'"
)


@dataclass
class HeadingState:
    """Where one document comes from, for warnings at its lines, and the warnings."""

    path: Path
    first_line: int = 1  # the line of that file where the markdown starts
    marks: str = "##"  # a level-two heading there ('###' in a note: '##' starts a note)
    problems: Diagnostics = field(default_factory=Diagnostics)


def headings_plugin(md: MarkdownIt) -> None:
    """Give every heading an id from its words, and a permalink to it; no `<h1>`."""
    md.use(one_title_plugin)
    md.core.ruler.after("one_title", "heading_links", heading_links)
    md.add_render_rule("heading_link", _render_link)


def one_title_plugin(md: MarkdownIt) -> None:
    """Show level-one headings as level two: the page's title is its one `<h1>`."""
    md.core.ruler.after("inline", "one_title", one_title)


def one_title(state: StateCore) -> None:
    """The core rule: each `<h1>` made a `<h2>`, with a warning when `env` says where."""
    where = state.env.get(ENV_KEY)
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open" or token.tag != "h1":
            continue
        token.tag = state.tokens[index + 2].tag = "h2"  # the heading_close
        if isinstance(where, HeadingState) and token.map:
            words = heading_text(state.tokens[index + 1].children or [])
            line = where.first_line + token.map[0]
            where.problems.warning(where.path, line, DEMOTED.format(marks=where.marks, words=words))


def heading_links(state: StateCore) -> None:
    """The core rule: each heading's id, and a permalink at its end."""
    taken = Ids()
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open":
            continue
        inline = state.tokens[index + 1]
        words = heading_text(inline.children or [])
        target = taken.unique(heading_id(words))
        token.attrSet("id", target)
        link = Token("heading_link", "a", 0)
        link.attrs = {"class": "heading-link", "href": f"#{target}", "aria-label": LABEL + words}
        link.content = SYMBOL
        inline.children = [*(inline.children or []), link]


def heading_id(words: str) -> str:
    """A heading's id before repeats are told apart: its slug, kept out of others' ids."""
    slug = slugify(words) or "section"
    if slug in PAGE_IDS or slug.split("-")[0] in NOTE_PREFIXES:
        return "section-" + slug
    return slug


def heading_text(children: Sequence[Token]) -> str:
    """A heading's words: its text and code, line breaks as spaces."""
    text = "".join(
        " " if child.type in ("softbreak", "hardbreak") else child.content
        for child in children
        if child.type in ("text", "code_inline", "text_special", "softbreak", "hardbreak")
    )
    return " ".join(text.split())


def _render_link(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    return f"<a{self.renderAttrs(token)}>{escapeHtml(token.content)}</a>"
