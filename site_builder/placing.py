"""Placing notes after their blocks, a markdown-it-py plugin.

The rules that make links to notes (term anchoring, footnotes) mark the link
that carries a note: its `term_open` token holds the note's own token in
`meta["note"]`. This rule, which runs after them, puts each such note after the
top-level block that holds its link, in the order of the links:

    noted_open, <the block's tokens>, notes_open, <note>..., notes_close, noted_close

so the notes follow their block as `<aside>` elements and never sit inside a `<p>`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

RULE = "place_notes"


def placing_plugin(md: MarkdownIt) -> None:
    """Add the rule that places notes; the rules that mark links go before it.

    Applying it again does nothing, so each plugin that makes notes can apply it.
    """
    if RULE in md.core.ruler.get_all_rules():
        return
    md.core.ruler.push(RULE, place_notes)
    md.add_render_rule("noted_open", _tag('<div class="noted">\n'))
    md.add_render_rule("noted_close", _tag("</div>\n"))
    md.add_render_rule("notes_open", _tag('<div class="notes">\n'))
    md.add_render_rule("notes_close", _tag("</div>\n"))


def note_link(attrs: dict[str, str | int | float], note: Token | None) -> Token:
    """The opening token of a link to a note; `note` when this link carries it."""
    token = Token("term_open", "a", 1)
    token.attrs = attrs
    if note is not None:
        token.meta = {"note": note}
    return token


def place_notes(state: StateCore) -> None:
    """The core rule: after each top-level block, the notes its links carry."""
    tokens: list[Token] = []
    block_start = 0
    notes: list[Token] = []
    for token in state.tokens:
        if token.level == 0 and token.nesting >= 0:
            block_start = len(tokens)
        if token.type == "inline":
            notes.extend(
                child.meta["note"]
                for child in token.children or []
                if child.type == "term_open" and "note" in child.meta
            )
        tokens.append(token)
        if token.level == 0 and token.nesting <= 0 and notes:
            tokens.insert(block_start, Token("noted_open", "div", 1))
            tokens.append(Token("notes_open", "div", 1))
            tokens.extend(notes)
            tokens.append(Token("notes_close", "div", -1))
            tokens.append(Token("noted_close", "div", -1))
            notes = []
    state.tokens = tokens


def _tag(html: str) -> Callable[[RendererHTML, Sequence[Token], int, OptionsDict, EnvType], str]:
    def render(
        self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return html

    return render
