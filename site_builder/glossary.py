"""The glossary: notes in `_glossary.md` that apply to every article."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostics
from .matching import TermTrie
from .notes import Note, parse_notes
from .reading import Reader
from .sources import ANYWHERE, read_text


def build_trie(notes: Iterable[Note]) -> TermTrie[Note]:
    """A trie of every spelling of the notes' terms, compiled: ready to match, and sent
    to --jobs workers so."""
    trie: TermTrie[Note] = TermTrie()
    for note in notes:
        for spelling in note.spellings:
            trie.add(spelling, note)
    trie.compile()
    return trie


@dataclass(frozen=True)
class Glossary:
    notes: tuple[Note, ...] = ()
    trie: TermTrie[Note] = field(default_factory=TermTrie)
    unreadable: bool = False  # the file is there, but could not be read (no notes known)


def read_glossary(
    path: Path | None, diagnostics: Diagnostics, reader: Reader = ANYWHERE
) -> Glossary:
    """The glossary's notes and their trie, built once for all articles."""
    if path is None:
        return Glossary()
    text = read_text(path, diagnostics, reader)
    if text is None:
        return Glossary(unreadable=True)
    notes_file = parse_notes(path, text, diagnostics, glossary=True)
    for key, field_ in notes_file.front_matter.fields.items():
        diagnostics.warning(
            path, field_.line, f"the glossary takes no front matter; '{key}' is ignored"
        )
    return Glossary(notes_file.written, build_trie(notes_file.written))
