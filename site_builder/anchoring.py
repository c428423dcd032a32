"""Term anchoring, a markdown-it-py plugin: terms become links to their notes.

A core rule runs after inline parsing. It walks the inline tokens outside
headings, finds terms in runs of plain text (never in code spans or link text,
which are tokens of their own), and splits the text into
text / term_open / text / term_close. The first anchored occurrence of a note
carries it (a `term_note` token), and `placing.py` puts it after the top-level
block that holds that occurrence, so that notes never sit inside a `<p>`.

As in mdit-py-plugins' footnote plugin, what is the same for every document is
given at `md.use(anchoring_plugin, render_note=...)` (a note's markup, the
theme's), and what is a document's own lives in its env: the terms it looks
for and what was found (`Anchoring`). The rule runs before `place_notes`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from .alphabet import sort_key
from .excerpts import MAX_EXCERPTS, Excerpt, excerpt
from .matching import BARRIER, SPACE, Neighbours, TermTrie, find_terms, term_tokens
from .notes import NEAR_WINDOW, Note
from .placing import RULE as PLACE_NOTES
from .placing import note_link, placing_plugin
from .slugs import named_slugs, taken_ids

ENV_KEY = "anchoring"
RUN_TYPES = ("text", "softbreak", "hardbreak")
PREFIX = "note-"  # of every note's id

# A note's markup from the note, its id, its links' ids and the document's env.
NoteRenderer = Callable[[Note, str, Sequence[str], EnvType], str]


@dataclass
class Anchoring:
    """Anchoring of one document: the terms to look for, and what was found.

    Pass it to `md.render(text, {"anchoring": anchoring})`; afterwards `refs`
    holds, for each placed note's key, the ids of its anchored occurrences.
    """

    tries: Sequence[TermTrie[Note]]
    excluded: frozenset[str] = frozenset()  # glossary terms an article's own note replaces
    counts: dict[str, int] = field(default_factory=dict)
    refs: dict[str, list[str]] = field(default_factory=dict)
    note_ids: dict[str, str] = field(default_factory=dict)
    placed: list[Note] = field(default_factory=list)
    # For each placed note's key, the sentence around each of its first anchored occurrences.
    excerpts: dict[str, list[Excerpt]] = field(default_factory=dict)
    # Each term found, as the text spells it: a shorter term inside it was not found
    # there (the longest wins), which a warning about that term says (render.py).
    found: list[tuple[str, Note]] = field(default_factory=list)
    _reserved: set[str] = field(default_factory=set)  # ids other rules gave out
    # `at: near`: the paragraph last asked about, and the words of each `near` phrase.
    _context: tuple[str, Neighbours] | None = None
    _phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def carries(self, note: Note, context: str, start: int, end: int) -> bool:
        """Count one occurrence of a note's term; whether it carries the note (a link)."""
        key = note.key
        count = self.counts[key] = self.counts.get(key, 0) + 1
        placement = note.placement
        if placement.kind == "first":
            carries = count == 1
        elif placement.kind == "nth":
            carries = count == placement.nth
        elif placement.kind == "near":
            carries = key not in self.refs and self._near(placement.near, context, start, end)
        else:
            carries = True
        if carries and key not in self.refs:
            self.refs[key] = []
            self.placed.append(note)
        return carries

    def name_notes(self) -> None:
        """Each placed note's id: `note-` and its term's slug, as a term's page gets it
        (slugs.named_slugs), so that no note's id depends on which others the page has;
        in the order of the terms pages, kept out of the ids the footnotes took."""
        notes = sorted(self.placed, key=lambda note: sort_key(note.term))
        taken = {id_.removeprefix(PREFIX) for id_ in self._reserved if id_.startswith(PREFIX)}
        slugs = named_slugs([note.term for note in notes], "term", taken)
        for note, slug in zip(notes, slugs, strict=True):
            self.note_ids[note.key] = PREFIX + slug

    def link(self, note: Note, context: str, start: int, end: int) -> str:
        """The id of the next link to a named note, which its term at context[start:end] is."""
        key = note.key
        refs = self.refs[key]
        ref_id = next_ref_id(self.note_ids[key], refs)
        if len(refs) <= MAX_EXCERPTS:
            self.excerpts.setdefault(key, []).append(excerpt(ref_id, context, start, end))
        return ref_id

    def _near(self, words: str, context: str, start: int, end: int) -> bool:
        """Whether `words` occur within NEAR_WINDOW words of context[start:end]."""
        if self._context is None or self._context[0] is not context:
            self._context = (context, Neighbours(context))  # one paragraph at a time
        if words not in self._phrases:
            self._phrases[words] = tuple(t for t in term_tokens(words) if t != SPACE)
        return self._context[1].near(start, end, NEAR_WINDOW, self._phrases[words])

    def reserve(self, ids: Iterable[str]) -> None:
        """Keep note ids that other rules gave out (footnotes) from the terms' notes."""
        self._reserved.update(ids)


def anchoring_plugin(md: MarkdownIt, *, render_note: NoteRenderer) -> None:
    """Add term anchoring to a parser; it acts only when the env holds an `Anchoring`.

    `render_note` gives a note's markup (a theme's template); the terms to look
    for and what was found are the document's own, in its env.
    """
    md.use(placing_plugin)
    md.core.ruler.before(PLACE_NOTES, "anchor_terms", anchor_terms)

    def render(
        self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        anchoring: Anchoring = env[ENV_KEY]
        note: Note = tokens[idx].meta["note"]
        return render_note(note, anchoring.note_ids[note.key], anchoring.refs[note.key], env)

    md.add_render_rule("term_note", render)


def anchor_terms(state: StateCore) -> None:
    """The core rule: anchor terms in every inline token outside headings.

    The runs of text of the whole document are searched at once, each cut from
    the next by a barrier no term spans, so that a page costs one search.
    """
    anchoring = state.env.get(ENV_KEY)
    if not isinstance(anchoring, Anchoring):
        return
    anchoring.reserve(taken_ids(state.env))
    layouts = _layouts(state.tokens)
    runs = [piece for _, pieces in layouts for piece in pieces if isinstance(piece, _Run)]
    _find(runs, anchoring)
    for inline, pieces in layouts:
        if any(isinstance(piece, _Run) and piece.marks for piece in pieces):
            inline.children = [
                token
                for piece in pieces
                for token in (_split(piece) if isinstance(piece, _Run) else (piece,))
            ]


def text_runs(tokens: Sequence[Token]) -> Iterator[tuple[str, int]]:
    """The runs of text a term can be anchored in, as a parsed document's tokens give
    them (outside headings, code, links, images and footnotes; none spans two blocks),
    each with the line of the markdown it starts on, from 0. For `suggest`."""
    for inline, pieces in _layouts(tokens):
        first = inline.map[0] if inline.map else 0
        for piece in pieces:
            if isinstance(piece, _Run):
                yield piece.text, first + piece.line


def _layouts(tokens: Sequence[Token]) -> list[tuple[Token, list[Token | _Run]]]:
    """Each inline token outside headings, with its pieces."""
    return [
        (token, _pieces(token))
        for index, token in enumerate(tokens)
        if token.type == "inline" and not (index and tokens[index - 1].type == "heading_open")
    ]


@dataclass
class _Run:
    """Text and line breaks between other inline tokens (code, links, emphasis)."""

    tokens: list[Token]
    start: int  # where it starts in its paragraph's text
    context: str  # the paragraph's text, for `at: near`
    line: int  # the line of its block it starts on, from 0
    marks: list[tuple[int, int, Token]] = field(default_factory=list)  # (at, closes first, token)

    @property
    def text(self) -> str:
        return "".join(map(plain_text, self.tokens))


def _pieces(inline: Token) -> list[Token | _Run]:
    """An inline token's children, its runs of text and line breaks gathered."""
    children = inline.children or []
    context = "".join(map(plain_text, children))
    pieces: list[Token | _Run] = []
    run: _Run | None = None
    offset = link_depth = line = 0
    for child in children:
        if child.type in RUN_TYPES and link_depth == 0:
            if run is None:
                run = _Run([], offset, context, line)
                pieces.append(run)
            run.tokens.append(child)
        else:
            run = None
            link_depth += {"link_open": 1, "link_close": -1}.get(child.type, 0)
            pieces.append(child)
        text = plain_text(child)
        offset += len(text)
        line += _breaks(child) if child.children else text.count("\n")  # (a hot loop)
    return pieces


def _breaks(token: Token) -> int:
    """The line breaks a token holds, those in an image's text too."""
    return plain_text(token).count("\n") + sum(map(_breaks, token.children or ()))


def _find(runs: Sequence[_Run], anchoring: Anchoring) -> None:
    """Mark, in each run, the terms that carry a note: term_open / term_close."""
    texts = [run.text for run in runs]
    starts = list(accumulate((len(text) + len(BARRIER) for text in texts), initial=0))
    text = BARRIER.join(texts)
    carriers = []  # (run, start, end, note) of each term that links to its note
    for match in find_terms(text, anchoring.tries):
        note = match.value
        if note.glossary and note.key in anchoring.excluded:
            continue
        anchoring.found.append((text[match.start : match.end], note))
        number = bisect_right(starts, match.start) - 1
        run, start = runs[number], match.start - starts[number]
        end = start + match.end - match.start
        if anchoring.carries(note, run.context, run.start + start, run.start + end):
            carriers.append((run, start, end, note))
    anchoring.name_notes()  # once every note the page shows is known
    for run, start, end, note in carriers:
        first = not anchoring.refs[note.key]
        ref = anchoring.link(note, run.context, run.start + start, run.start + end)
        aside = None
        if first:
            aside = Token("term_note", "aside", 0)
            aside.meta = {"note": note}
        run.marks.append((start, 1, _term_open(anchoring.note_ids[note.key], ref, aside)))
        run.marks.append((end, 0, Token("term_close", "a", -1)))


def _split(run: _Run) -> list[Token]:
    """A run's tokens, its text cut at its marks, the marks between."""
    marks = sorted(run.marks, key=lambda mark: mark[:2])
    if not marks:
        return run.tokens
    result: list[Token] = []
    position = next_mark = 0
    for token in run.tokens:
        end = position + len(plain_text(token))
        cursor = position
        while next_mark < len(marks) and marks[next_mark][0] <= end:
            at = marks[next_mark][0]
            if token.type == "text" and at > cursor:
                result.append(_text(token.content[cursor - position : at - position]))
                cursor = at
            elif token.type != "text" and at > position:
                break  # a mark after a line break belongs to the next token
            result.append(marks[next_mark][2])
            next_mark += 1
        if token.type != "text":
            result.append(token)
        elif cursor < end:
            result.append(_text(token.content[cursor - position :]))
        position = end
    result.extend(mark[2] for mark in marks[next_mark:])
    return result


def plain_text(token: Token) -> str:
    """The text a token stands for, line breaks as newlines (images and markup as nothing)."""
    if token.type in ("text", "code_inline"):
        return token.content
    return "\n" if token.type in ("softbreak", "hardbreak") else ""


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _term_open(note_id: str, ref_id: str, note: Token | None) -> Token:
    return note_link(term_link_attrs(note_id, ref_id), note)


def next_ref_id(note_id: str, refs: list[str]) -> str:
    """The id of a note's next link from the text, added to `refs` (those before it):
    `ref-x` for note `note-x`, then `ref-x--2`, `ref-x--3`. Slugs never hold "--", so
    no link's id can clash with another note's."""
    ref_id = "ref-" + note_id.removeprefix(PREFIX) + (f"--{len(refs) + 1}" if refs else "")
    refs.append(ref_id)
    return ref_id


def term_link_attrs(note_id: str, ref_id: str) -> dict[str, str | int | float]:
    """The attributes of a link to a note: the markup tests and scripts rely on."""
    return {
        "class": "term",
        "href": f"#{note_id}",
        "id": ref_id,
        "data-note": note_id,
        "aria-describedby": f"{note_id}--gloss",  # the gloss, as wide screens show it
    }
