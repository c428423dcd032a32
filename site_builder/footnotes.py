"""Footnotes as margin notes, a markdown-it-py plugin over mdit-py-plugins' footnote rules.

mdit-py-plugins reads `[^label]` references and `[^label]: text` definitions (a
definition's blocks come between footnote_reference_open and _close tokens). A
core rule, after `text_join` (so a definition's text is joined and its bare URLs
linked like the rest), makes them notes like the notes on terms:

- each definition leaves the token stream; its blocks become the children of
  one `footnote_note` token (its first block is the gloss), numbered in the
  order of first reference, with the id `note-fn-` and the label's slug, made
  as a term's note's is (`_name`);
- each reference becomes a link to its note, the one an anchored term gets:
  term_open, footnote_mark (the number, as `<sup>`), term_close; the first one
  carries the note, which `placing.py` puts after the block that holds it;
- a reference inside a definition (a note in a note), in an image's text, or
  to a label that nothing defines stays text, as written;
- a definition that nothing references is left out of the page.

Terms are anchored after this rule, so never inside a footnote, as in any note.
Problems go to the env's `FootnoteState`, when it holds one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote import footnote_plugin

from .alphabet import sort_key
from .anchoring import next_ref_id, term_link_attrs
from .diagnostics import Diagnostics
from .notes import Note, Placement
from .placing import note_link, placing_plugin
from .slugs import Ids, named_slugs, taken_ids

ENV_KEY = "footnote_notes"
PREFIX = "note-fn-"  # of every footnote's note id
BREAKS = ("softbreak", "hardbreak")

# One footnote's note as HTML: the note, its gloss and the rest as HTML, its id
# and the ids of its references.
FootnoteRenderer = Callable[[Note, str, str, str, Sequence[str]], str]


@dataclass
class FootnoteState:
    """One document's footnotes: where it comes from, how a note is shown, what went wrong."""

    path: Path  # the file the markdown comes from, for messages and notes
    first_line: int = 1  # the line of that file where the markdown starts
    render_note: FootnoteRenderer | None = None  # None: a plain `<aside>`
    problems: Diagnostics = field(default_factory=Diagnostics)
    notes: list[Note] = field(default_factory=list)  # in the order of their numbers


@dataclass
class _Definition:
    label: str
    line: int  # in the markdown, from 0
    tokens: list[Token]
    note: Token | None = None  # the note, once something references it
    id: str = ""  # its note's (footnote_notes names every definition before linking)


def footnotes_plugin(md: MarkdownIt) -> None:
    """Read footnotes and show them as notes beside the block that first references them."""
    # Inline footnotes (`^[text]`) are left out: a margin note wants a paragraph of its own.
    # Every `[^label]` is read as a reference, so one that nothing defines can be named.
    md.use(footnote_plugin, inline=False, move_to_end=False, always_match_refs=True)
    ruler = md.inline.ruler
    ruler.at("footnote_ref", _bounded(ruler.__rules__[ruler.__find__("footnote_ref")].fn))
    md.use(placing_plugin)
    md.core.ruler.after("text_join", "footnote_notes", footnote_notes)
    md.add_render_rule("footnote_mark", _render_mark)
    md.add_render_rule("footnote_note", _render_note)


# Where a reference's label ends: at `]`, or too soon (the plugin allows no space or line
# break in it, and a label, like a link's, holds no bracket).
LABEL_END = re.compile(r"[\] \n\[]")


def _bounded(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """The plugin's reference rule, looking no further than the next bracket: from every
    `[^` it read on to a `]` or the end of the paragraph, so `[^[^[^…` took time
    quadratic in its length (a 40 KB paragraph, a minute)."""

    def footnote_ref(state: StateInline, silent: bool) -> bool:
        if state.src.startswith("[^", state.pos):
            end = LABEL_END.search(state.src, state.pos + 2, state.posMax)
            if end is None or end.group() != "]":
                return False
        return rule(state, silent)

    return footnote_ref


def _state(env: EnvType) -> FootnoteState:
    state = env.get(ENV_KEY)
    return state if isinstance(state, FootnoteState) else FootnoteState(Path())


def footnote_notes(state: StateCore) -> None:
    """The core rule: definitions out of the stream, references into links to their notes."""
    footnotes = _state(state.env)
    tokens, definitions = _take_definitions(state.tokens, footnotes)
    state.tokens = tokens
    ids = taken_ids(state.env)
    _name(definitions, ids)
    for token in tokens:
        if token.type == "inline" and token.children:
            token.children = _link_references(token, definitions, footnotes, ids)
    for definition in definitions.values():
        for token in definition.tokens:
            if token.type == "inline" and token.children:
                token.children = [_as_text(child) for child in token.children]
        if definition.note is None:
            footnotes.problems.warning(
                footnotes.path,
                footnotes.first_line + definition.line,
                f"footnote [^{definition.label}] is never referenced; it is left out of the page",
            )


def _name(definitions: dict[str, _Definition], ids: Ids) -> None:
    """Each definition's note id: `note-fn-` and its label's slug, made as a term's note's
    is (slugs.named_slugs) among every label the page defines, in the terms pages' order,
    so that no footnote's id depends on which others the page has or references."""
    labels = sorted(definitions, key=sort_key)
    taken = {id_.removeprefix(PREFIX) for id_ in ids if id_.startswith(PREFIX)}
    for label, slug in zip(labels, named_slugs(labels, "note", taken), strict=True):
        definitions[label].id = PREFIX + slug


def _take_definitions(
    tokens: list[Token], footnotes: FootnoteState
) -> tuple[list[Token], dict[str, _Definition]]:
    """The stream without definitions, and the definitions by label (the first of a label)."""
    kept: list[Token] = []
    definitions: dict[str, _Definition] = {}
    open_: list[tuple[Token, list[Token]]] = []  # a definition may hold another
    for token in tokens:
        if token.type == "footnote_reference_open":
            open_.append((token, []))
        elif token.type == "footnote_reference_close":
            start, body = open_.pop()
            label: str = start.meta["label"]
            line = start.map[0] if start.map else 0
            where = footnotes.first_line + line
            if label in definitions:
                footnotes.problems.warning(
                    footnotes.path,
                    where,
                    f"footnote [^{label}] is already defined on line "
                    f"{footnotes.first_line + definitions[label].line}; "
                    "this definition is left out",
                )
                continue
            if not body:
                message = f"footnote [^{label}] has no text"
                footnotes.problems.warning(footnotes.path, where, message)
            definitions[label] = _Definition(label, line, body)
        elif open_:
            open_[-1][1].append(token)
        else:
            kept.append(token)
    return kept, definitions


def _link_references(
    inline: Token, definitions: dict[str, _Definition], footnotes: FootnoteState, ids: Ids
) -> list[Token]:
    """An inline token's children with each footnote reference made a link to its note."""
    result: list[Token] = []
    link_depth = breaks = 0
    for child in inline.children or []:
        link_depth += {"link_open": 1, "link_close": -1}.get(child.type, 0)
        breaks += child.type in BREAKS
        if child.type == "image" and child.children:
            child.children = [_as_text(grandchild) for grandchild in child.children]
        if child.type != "footnote_ref":
            result.append(child)
            continue
        label: str = child.meta["label"]
        definition = definitions.get(label)
        # mdit-py-plugins reads `[^1]` before link brackets, so no reference is
        # in link text today; should one be, it stays text: never a link in a link.
        if definition is None or link_depth:
            if definition is None:
                line = footnotes.first_line + (inline.map[0] if inline.map else 0) + breaks
                footnotes.problems.warning(
                    footnotes.path,
                    line,
                    f"[^{label}] refers to no footnote: no line starts with '[^{label}]:'; "
                    "shown as text",
                )
            result.append(_as_text(child))
            continue
        result.extend(_reference(definition, footnotes, ids))
    return result


def _reference(
    definition: _Definition, footnotes: FootnoteState, ids: Ids
) -> tuple[Token, Token, Token]:
    """The tokens of one reference: a link to the note, around its number."""
    aside, first = definition.note, definition.note is None
    if aside is None:
        line = footnotes.first_line + definition.line
        number = str(len(footnotes.notes) + 1)
        path = footnotes.path
        note = Note(number, (), Placement(), "", path, line, body_line=line, footnote=True)
        footnotes.notes.append(note)
        note_id = definition.id
        ids.update([note_id])  # given out: no later rule's (terms' notes) to give
        aside = definition.note = Token("footnote_note", "aside", 0)
        aside.children = definition.tokens
        aside.meta = {"note": note, "id": note_id, "refs": []}
    ref_id = next_ref_id(aside.meta["id"], aside.meta["refs"])
    mark = Token("footnote_mark", "sup", 0)
    mark.content = aside.meta["note"].term
    link = note_link(term_link_attrs(aside.meta["id"], ref_id), aside if first else None)
    return link, mark, Token("term_close", "a", -1)


def _as_text(token: Token) -> Token:
    """A footnote reference as the text it was written as; any other token as it is."""
    if token.type != "footnote_ref":
        return token
    text = Token("text", "", 0)
    text.content = f"[^{token.meta['label']}]"
    return text


def _render_mark(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    number = escapeHtml(tokens[idx].content)
    return f'<sup><span class="visually-hidden">footnote </span>{number}</sup>'


def _render_note(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    blocks = token.children or []
    # The gloss ends where the first of the definition's own blocks closes.
    level = blocks[0].level if blocks else 0
    split = next(
        (i + 1 for i, block in enumerate(blocks) if block.level == level and block.nesting <= 0),
        len(blocks),
    )
    gloss = self.render(blocks[:split], options, env)
    detail = self.render(blocks[split:], options, env)
    render = _state(env).render_note or _plain_note
    return render(token.meta["note"], gloss, detail, token.meta["id"], token.meta["refs"])


def _plain_note(note: Note, gloss: str, detail: str, note_id: str, refs: Sequence[str]) -> str:
    return f'<aside class="note" id="{note_id}" role="note">\n{gloss}{detail}</aside>\n'
