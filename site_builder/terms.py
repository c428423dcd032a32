"""The terms index: every term, with the articles and places it is anchored in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .glossary import Glossary
from .notes import Note
from .render import RenderedArticle
from .slugs import Ids, slugify


@dataclass(frozen=True)
class Occurrence:
    title: str
    slug: str
    refs: tuple[str, ...]  # ids of the term's links in that article


@dataclass(frozen=True)
class TermEntry:
    term: str
    anchor: str  # id on the terms page
    aliases: tuple[str, ...]
    occurrences: tuple[Occurrence, ...]


def collect_terms(rendered: Sequence[RenderedArticle], glossary: Glossary) -> list[TermEntry]:
    """Entries sorted by term, one per distinct term across articles and the glossary."""
    notes: dict[str, list[Note]] = {}
    found: dict[str, list[Occurrence]] = {}
    for note in _all_notes(rendered, glossary):
        notes.setdefault(note.key, []).append(note)
    for page in rendered:
        for place in page.places:
            found.setdefault(place.note.key, []).append(
                Occurrence(page.article.meta.title, page.article.meta.slug, place.refs)
            )
    anchors = Ids()
    entries = []
    for key, group in sorted(notes.items(), key=lambda item: item[1][0].term.casefold()):
        first = group[0]
        aliases = tuple(dict.fromkeys(a for note in group for a in note.aliases))
        entries.append(
            TermEntry(
                term=first.term,
                anchor=anchors.unique("term-" + (slugify(first.term) or "term")),
                aliases=aliases,
                occurrences=tuple(found.get(key, ())),
            )
        )
    return entries


def _all_notes(rendered: Sequence[RenderedArticle], glossary: Glossary) -> Iterable[Note]:
    for page in rendered:
        yield from page.article.notes
    yield from glossary.notes
