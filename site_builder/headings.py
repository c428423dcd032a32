"""Heading ids and permalinks, a markdown-it-py plugin.

Every heading of an article gets an id from its words and ends with a
permalink, which the theme shows on hover and focus:

    <h2 id="low-earth-orbit">Low Earth orbit<a class="heading-link" href="#low-earth-orbit"
      aria-label="Link to this section: Low Earth orbit">#</a></h2>

A repeated heading gets `-2`, `-3`..., as repeated note ids and slugs do. No space
comes before the link, so the `#` never wraps alone onto a line of its own.

mdit-py-plugins' anchors plugin was the candidate; its permalink has no
accessible name and its symbol is raw HTML, and its ids run the lines of a
two-line heading together ("Mars\\nrover" gives `marsrover`), so this one
small rule does both.
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from .slugs import Ids, slugify

# Ids that headings leave to others: notes and their links (`note-…`, `ref-…`) and
# the page's own `main`. A heading whose slug would take one gets `section-` before it.
NOTE_PREFIXES = ("note", "ref")
PAGE_IDS = frozenset({"main"})
LABEL = "Link to this section: "
SYMBOL = "#"


def headings_plugin(md: MarkdownIt) -> None:
    """Give every heading an id from its words, and a permalink to it."""
    md.core.ruler.after("inline", "heading_links", heading_links)
    md.add_render_rule("heading_link", _render_link)


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
