"""The terms index: every term, its note, and the places it is anchored, as a glossary.

Each term has a page of its own, `terms/SLUG/index.html`, with its whole note and
every place it occurs. The slug is the term's own (`Tianwen-3` is `tianwen-3`, `C++`
is `c-plus-plus`), so it stays as long as the term does, whatever terms come or go
(slugs.named_slugs: terms that still slug alike get a mark of their own). A term
noted both in the glossary and in an article shows the glossary's note here; an
article's own note is what its page shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from .alphabet import Group, Key, group, initial, jump_bar, letter_id, sort_key
from .excerpts import Excerpt
from .glossary import Glossary
from .links import SourceLinks
from .notes import Note
from .render import NoteBody, RenderedArticle, may_link, render_note_body
from .slugs import named_slugs

FOLDER = "terms"
# Articles whose places a term shows on the terms page; its own page shows them all. (A
# glossary term may occur in every article: the page would grow with the site.)
LISTED = 3
TERM_ROOT = "../../"  # from a term's page back to the site's root
# Terms the terms page shows whole. A larger glossary gets a page a letter, `terms/
# letter-a.html` (and `unused.html`), which its jump bar links to: one page of the
# 150,000 terms of a 10,000-article site weighed 80 MB and took seconds to remake
# after each edit; now an edit remakes the page of its letter.
ONE_PAGE = 1_000
OVERVIEW = "index.html"
LOOK_EVERY = 20  # articles, or terms, between looks for changes waiting (collect_terms)
UNUSED = "unused"  # the id (and, split, the page) of the terms that occur nowhere


class Occurrence(NamedTuple):
    """A term's places in one article. (A tuple: a rebuild compares 150,000 of them with
    what the site-wide pages showed, and tuples compare without a call of Python's.)"""

    title: str
    slug: str
    refs: tuple[str, ...]  # ids of the term's links in that article
    excerpts: tuple[Excerpt, ...]  # the sentence around the first of them
    lang: str = ""  # the article's language

    @property
    def more(self) -> int:
        """Places beyond those quoted."""
        return len(self.refs) - len(self.excerpts)


@dataclass(frozen=True)
class TermEntry:
    """One term: what its entry on the terms page and its own page show.

    Its note is rendered only when a page showing it is made (a build whose terms
    pages are unchanged renders none), or taken as an article page showed it.
    """

    term: str
    slug: str  # its page: terms/SLUG/
    aliases: tuple[str, ...]
    definition: Note  # the note the terms pages show
    occurrences: tuple[Occurrence, ...]
    listing: str = OVERVIEW  # the page in terms/ that lists it
    shown: NoteBody | None = field(default=None, compare=False, repr=False)  # on a page
    links: SourceLinks | None = field(default=None, compare=False, repr=False)
    # What its note's links lead to (links.py): a page made again when it changes, or its
    # links would still lead where they did (a page since renamed, a file not there then).
    reaches: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def listed(self) -> tuple[Occurrence, ...]:
        """The articles whose places the terms page shows: the first few (all on its page)."""
        return self.occurrences[:LISTED]

    @property
    def unlisted(self) -> int:
        """Articles with places beyond those the terms page shows."""
        return max(0, len(self.occurrences) - LISTED)

    # Worked out each time a page shows them, never kept: a site's 150,000 term entries
    # are kept between builds, and each copy of its note would be kept with them.
    @property
    def _body(self) -> NoteBody:
        """The note as HTML, linking from a page one folder down (terms/, an article)."""
        return self.shown or render_note_body(self.definition, self.links)  # (cached)

    @property
    def gloss(self) -> str:
        """The note's first block as HTML, linking from terms/."""
        return self._body.gloss

    @property
    def note(self) -> NoteBody:
        """The whole note as HTML, linking from terms/SLUG/."""
        body = self._body
        return NoteBody(_deeper(body.gloss), _deeper(body.detail))

    @property
    def anchor(self) -> str:
        """Its id on the terms page."""
        return "term-" + self.slug

    @property
    def path(self) -> str:
        return f"{FOLDER}/{self.slug}/index.html"


@dataclass(frozen=True)
class TermsIndex:
    """What the terms page shows: terms that occur, by letter, then those that do not;
    `split`, a page for each letter and one for the unused terms (ONE_PAGE)."""

    groups: tuple[Group[TermEntry], ...]
    keys: tuple[Key, ...]  # the jump bar
    unused: tuple[TermEntry, ...]
    split: bool = False

    @property
    def entries(self) -> tuple[TermEntry, ...]:
        return tuple(e for g in self.groups for e in g.items) + self.unused

    def href(self, ident: str) -> str:
        """Where the jump bar's key for a group (or the unused terms) leads, from terms/."""
        return f"{ident}.html" if self.split else f"#{ident}"

    def parts(self) -> list[tuple[str, str | None]]:
        """Each page in terms/ (its file name) and the group it shows (None: the page
        of the letters, or the only page)."""
        pages: list[tuple[str, str | None]] = [(OVERVIEW, None)]
        if self.split:
            pages += [(f"{g.id}.html", g.id) for g in self.groups]
            pages += [(f"{UNUSED}.html", UNUSED)] if self.unused else []
        return pages

    def showing(self, part: str | None) -> tuple[tuple[Group[TermEntry], ...], bool]:
        """The groups a page shows, and whether it shows the unused terms."""
        if not self.split:
            return self.groups, bool(self.unused)
        return tuple(g for g in self.groups if g.id == part), part == UNUSED


def collect_terms(
    rendered: Sequence[RenderedArticle],
    glossary: Glossary,
    links: SourceLinks | None = None,
    look: Callable[[], None] = lambda: None,
) -> TermsIndex:
    """One entry per distinct term across articles and the glossary, filed by letter.
    `look` is called every LOOK_EVERY articles and terms (it may raise, to stop)."""
    notes: dict[str, list[Note]] = {}
    found: dict[str, list[Occurrence]] = {}
    shown: dict[Note, NoteBody] = {}
    for number, page in enumerate(rendered):
        if number % LOOK_EVERY == 0:
            look()
        for note in page.article.notes:
            notes.setdefault(note.key, []).append(note)
        meta = page.article.meta
        for place in page.places:
            found.setdefault(place.note.key, []).append(
                Occurrence(meta.title, meta.slug, place.refs, place.excerpts, meta.lang)
            )
            if place.body is not None:
                shown.setdefault(place.note, place.body)
    for note in glossary.notes:
        notes.setdefault(note.key, []).append(note)
    # In the order of their terms: sort keys end with the term, so no two are equal.
    keys: dict[str, str] = {}
    for number, (key, group_) in enumerate(notes.items()):
        if number % LOOK_EVERY == 0:
            look()
        keys[sort_key(group_[0].term)] = key
    groups_ = [notes[keys[k]] for k in sorted(keys)]
    chosen = [_speaking(group_) for group_ in groups_]
    slugs = named_slugs([note.term for note in chosen], "term")
    entries = []
    split = len(notes) > ONE_PAGE
    for number, (note, group_, slug) in enumerate(zip(chosen, groups_, slugs, strict=True)):
        if number % LOOK_EVERY == 0:
            look()
        occurrences = tuple(found.get(note.key, ()))
        body = shown.get(note)
        entries.append(
            TermEntry(
                term=note.term,
                slug=slug,
                aliases=_aliases(group_),
                definition=note,
                occurrences=occurrences,
                listing=_listing(note.term, bool(occurrences)) if split else OVERVIEW,
                shown=body,
                links=links,
                reaches=_reaches(note, body, links),
            )
        )
    used = [entry for entry in entries if entry.occurrences]
    groups = group(used, lambda entry: entry.term)
    return TermsIndex(
        tuple(groups),
        tuple(jump_bar(groups)),
        tuple(entry for entry in entries if not entry.occurrences),
        split,
    )


def _speaking(notes: Sequence[Note]) -> Note:
    """Of a term's notes, the one its entry shows: the glossary's, which speaks for the
    whole site; else the first article's."""
    if len(notes) == 1:
        return notes[0]
    return next((note for note in notes if note.glossary), notes[0])


def _reaches(
    note: Note, body: NoteBody | None, links: SourceLinks | None
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """What each name a note links to finds now, in order of name."""
    if links is None or (body is None and not may_link(note)):
        return ()
    targets = (body or render_note_body(note, links)).targets  # (rendered once: cached)
    if not targets:  # most notes
        return ()
    return tuple((name, links.state(name)) for name in sorted(targets))


def _aliases(notes: Sequence[Note]) -> tuple[str, ...]:
    """The aliases of a term's notes, each once, in order."""
    if len(notes) == 1 and not notes[0].aliases:  # most terms
        return ()
    return tuple(dict.fromkeys(alias for note in notes for alias in note.aliases))


def _listing(term: str, used: bool) -> str:
    """The page of a split terms index that lists a term: its letter's (as `group` files it)."""
    return f"{letter_id(initial(term))}.html" if used else f"{UNUSED}.html"


def _deeper(html: str) -> str:
    """Markup linking from a page one folder down, made to link from two folders down:
    every relative link that climbs to the site's root climbs one folder more. (Attribute
    values are always written in double quotes, and text never holds a bare `"`.)"""
    return html.replace(' href="../', ' href="../../').replace(' src="../', ' src="../../')
