"""Building the site: the pipeline, top to bottom, and again for what changed.

discover sources -> read metadata and notes -> render markdown with anchoring
-> render templates -> write. `Site.build` runs it for everything; `build`,
`check`, `watch` and `serve` all start there. `Site.rebuild` runs the same
stages for the inputs that changed, guided by what each output depends on:

- an article's page on its source and notes file, and on the glossary notes
  whose terms occur in it;
- the reading list, terms page, tag pages, sitemap and feed on every page's entry
  in them (rewritten only when an entry changed; a tag page goes with its last article);
- an article's page also on the pages of the sources it links to (their slugs);
- the files beside the articles that pages link to (copied to `_files/`, an SVG
  cleaned of script) on themselves, and the files of `public/` on themselves;
- everything on site.toml and the templates; a static file on itself.
"""

from __future__ import annotations

import gc
import os
import pickle
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial, wraps
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from .cache import Entry as CacheEntry
from .cache import PageCache, Summary, cache_folder, code, digest, note_digest, versions
from .changes import EVERYTHING, Kind, classify
from .config import SiteConfig, load_config
from .diagnostics import Diagnostic, Diagnostics, Severity
from .discover import discover, looks_like_notes, unbuilt_sources
from .glossary import Glossary, build_trie, read_glossary
from .links import FILES, SourceLinks
from .lock import OutputLock
from .matching import find_terms
from .output import (
    ASSETS,
    SEARCH,
    SITE,
    DryRun,
    Output,
    check_output_dir,
    check_output_place,
    content_digest,
    is_own,
    put,
)
from .pages import Made, PageMaker, article_paths
from .parallel import make_pages, map_forked
from .project import Project as Project  # re-exported: where a site's parts live
from .reading import Reader, Refused
from .render import NoteBody, RenderedArticle, may_link, pygments_css, render_note_body
from .slugs import assign_pages
from .sources import Peek, Source, peek_article, peek_key, read_article, read_text
from .svg import clean_svg
from .tags import FOLDER as TAGS
from .theme import THEME_READER, TemplateFailure, Theme, default_theme
from .views import View, Waiting, site_views

RESERVED_SLUGS = ("terms", "static", TAGS)
VIEWS_BETWEEN_LOOKS = 64  # site-wide pages a rebuild makes between looks for changes waiting
FILES_OWNER = "(files)"  # owner of the files beside the articles that pages link to
PUBLIC_OWNER = "(public)"  # owner of what public/ holds
OWN_NAME = "names starting with .site-builder- are site-builder's own; this file is left out"

Progress = Callable[[int, int], None]
P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def _uncollected() -> Iterator[None]:
    """Build without the cyclic garbage collector: pages hold no reference cycles, and at
    10,000 articles its passes over them took 40% of a rebuild's site-wide pages. (A
    long-running command keeps them out of its passes: DevLoop.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _never() -> bool:
    return False


def _unlocking_after(
    method: Callable[Concatenate[Site, P], R],
) -> Callable[Concatenate[Site, P], R]:
    """A build or rebuild lets go of the output folder's lock as it ends, unless a command
    keeps it (`Site.holding_output`)."""

    @wraps(method)
    def building(site: Site, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(site, *args, **kwargs)
        finally:
            if not site.holder:
                site.lock.release()

    return building


@dataclass
class BuildReport:
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    pages: int = 0  # article pages rendered in this run
    cached: int = 0  # of those, pages the cache held (nothing rendered)
    notes: int = 0  # notes placed on those pages
    seconds: float = 0.0
    full: bool = True  # False for an incremental rebuild
    base_url: str = ""  # the site's address, when known
    # A rebuild's: the errors of pages it did not rebuild, still to fix (a full build
    # has them all in `diagnostics`).
    standing: list[Diagnostic] = field(default_factory=list)


@dataclass(eq=False)
class Kept:
    """A page as its last good build listed it, and the files that build wrote for it
    (path in the output -> digest of its content): the site-wide pages list it while
    its source has no page, as long as the output holds those files for it."""

    summary: Summary
    listed: str
    written: Mapping[str, str]
    _page: RenderedArticle | None = None
    _listing: bytes = b""  # as the cache keeps it, when _page is None

    @property
    def page(self) -> RenderedArticle:
        """The page as listed (no html, no text)."""
        if self._page is None:
            self._page, self._listing = pickle.loads(self._listing), b""  # signed: ours
        assert self._page is not None
        return self._page


@dataclass(eq=False)
class Entry:
    """One source as last built."""

    source: Source
    peek: Peek | None = None  # None: its input cannot be read
    diagnostics: list[Diagnostic] = field(default_factory=list)
    peeked: tuple[Diagnostic, ...] = ()  # of those, what peeking found: making adds the rest
    key: str = ""  # of its page in the cache
    listed: str = ""  # a digest of its page as listed: what the site-wide pages show of it
    summary: Summary | None = None  # None: no page (unreadable, slug clash)
    written: Mapping[str, str] = field(default_factory=dict)  # its files: path -> digest
    # Its last good page while it has none (then Site._listing lists it, if still written).
    kept: Kept | None = None
    _page: RenderedArticle | None = None
    _listing: bytes = b""  # the page as the cache keeps it: unpickled when first used

    @property
    def page(self) -> RenderedArticle | None:
        """Its page as listed (no html, no text); None: no page."""
        if self._listing:
            self._page, self._listing = pickle.loads(self._listing), b""  # signed: ours
        return self._page

    @page.setter
    def page(self, page: RenderedArticle | None) -> None:
        self._page, self._listing = page, b""
        self.summary = Summary.of(page) if page else None
        if page is not None:
            self.kept = None

    def cached(self, entry: CacheEntry) -> None:
        """Its page as the cache holds it, left pickled until a site-wide page needs it."""
        self._page, self._listing = None, entry.listing
        self.summary, self.listed, self.written = entry.summary, entry.listed, entry.files
        self.kept = None

    def last_good(self) -> Kept | None:
        """Its page as made, or else the last good one it keeps."""
        if self.summary is None:
            return self.kept
        return Kept(self.summary, self.listed, self.written, self._page, self._listing)

    def forget_page(self) -> None:
        """No page for now: the last good one is kept, for the site-wide pages to list."""
        self.kept = self.last_good()
        self.page = None


def build_site(
    project: Project,
    *,
    site_url: str | None = None,
    jobs: int = 1,
    write: bool = True,
    progress: Progress | None = None,
    drafts: bool = False,
    follow_symlinks: bool = False,
    cache: bool = True,
) -> BuildReport:
    """Build every page that can be built; problems end up in the report, not in exceptions.

    Raises ConfigError or OutputError only when nothing can be built at all.
    """
    site = Site(
        project,
        site_url=site_url,
        jobs=jobs,
        progress=progress,
        drafts=drafts,
        follow_symlinks=follow_symlinks,
        cache=cache,
    )
    return site.build(write=write)


class Site:
    """A site between builds: what each source gave, and what the pages show."""

    def __init__(
        self,
        project: Project,
        *,
        site_url: str | None = None,
        jobs: int = 1,
        progress: Progress | None = None,
        drafts: bool = False,
        follow_symlinks: bool = False,
        cache: bool = True,
    ) -> None:
        self.project = project
        # Its paths free of symlinks, as the watcher reports changes under them: worked out
        # once a build (each resolve took milliseconds of a note edit's wait).
        self.places = project.resolved()
        self.site_url = site_url
        self.jobs = jobs
        self.progress = progress
        self.drafts = drafts  # build the pages of drafts too
        self.follow_symlinks = follow_symlinks  # read what symlinks out of the site lead to
        self.use_cache = cache  # keep rendered pages for the next build (cache.py)
        self.cache = PageCache.open(None)
        self._fingerprint = ""  # of what shapes every page: settings, templates, versions
        self.reader = Reader(project.root, follow_symlinks)  # what may be read (reading.py)
        self.links = SourceLinks.of(project.source, {}, frozenset())
        self.config = SiteConfig()
        self.theme = Theme(self.config)
        self.glossary = Glossary()
        self.entries: dict[Path, Entry] = {}
        self.output: Output = DryRun(project.out)  # the real one once a build writes
        self.lock = OutputLock(project.out)  # taken by a build that writes
        self.holder = ""  # the command keeping the lock between builds (holding_output)
        self._claimed: list[str] | None = None  # what holding_output found in the folder
        self._assets: dict[str, bytes] = {}  # what _write_assets wrote, by path
        self._glossary_path: Path | None = None
        self._same_file: frozenset[Path] = frozenset()  # sources that are one file: no pages
        self._glossary_digests: tuple[Glossary, str, dict[str, str]] | None = None
        self._from_cache = 0  # pages the last _make took from the cache
        self._owners: dict[Path, str] = {}
        self._shown_known = True  # whether `shown` holds what each site-wide page shows
        self._site_pages_due = False  # a rebuild left them for the next (Site.rebuild)
        # What site-wide pages left for the next rebuild had gathered, kept until that
        # rebuild has written its pages: freeing it (a million objects at 10,000 articles)
        # took 20 ms, which the save that stopped them waited for.
        self._abandoned: Waiting | None = None
        # What the last _publishable found, in order and each with its place in it: a
        # rebuild whose sources kept their slugs, and stayed published, takes them as they are.
        self._publishing: list[Entry] = []
        self._published: dict[Entry, int] = {}
        # Of those, the ones left without a page (making it failed): every rebuild tries
        # them again. Kept, so a rebuild need not look at every entry (at 10,000 articles
        # that look cost 40 ms, most of a note edit's wait).
        self._pageless: list[Entry] = []
        # The files the last discovery found, by name: the sources each one is part of.
        self._known: dict[str, list[Path]] = {}
        self.site_problems: dict[str, list[Diagnostic]] = {}  # by stage
        self.shown: dict[str, object] = {}  # what each site-wide page last showed

    @contextmanager
    def holding_output(self, command: str) -> Iterator[None]:
        """Keep the output folder locked (lock.py) from here to the end, for `command`, so
        that what it writes between builds (the search index) is covered.

        A folder the first build would refuse (OutputError) is refused here, before the
        command says anything else: `serve` must not print its address, then fail."""
        self.holder = command
        try:
            self._claimed = self._claim_output()
            yield
        finally:
            self.holder = ""
            self._claimed = None
            self.lock.release()

    def _fresh_claim(self) -> list[str] | None:
        """What holding_output found in the output folder, if no build came between and the
        folder has stayed locked since: then it need not be looked at again."""
        claimed, self._claimed = self._claimed, None
        return None if self.lock.lost() else claimed

    def _claim_output(self) -> list[str]:
        """Check the output folder's place, lock it, check what it holds: the files in it."""
        project = self.project
        check_output_place(
            project.out,
            project.root,
            [project.source, project.templates, project.static, project.public, project.config],
        )
        self.lock.take(self.holder or "build")  # before looking: no one writes meanwhile
        return check_output_dir(project.out)

    # The whole pipeline

    @_unlocking_after
    @_uncollected()
    def build(self, write: bool = True) -> BuildReport:
        """Everything from scratch."""
        started = time.perf_counter()
        project = self.project
        self._owners = {}
        self._abandoned = None  # what a stopped pass gathered: freed before all is made anew
        self.places = project.resolved()
        self.config = load_config(project.config, self.site_url)
        self.reader = Reader(project.root, self.follow_symlinks, self.config.max_file_mb)
        self.theme = Theme(self.config, project.templates, self.reader)
        cache = cache_folder(project.root)
        if write:
            listing = self._fresh_claim()
            self.output = Output(
                project.out, listing if listing is not None else self._claim_output()
            )
        else:
            self.output = DryRun(project.out)
        self.cache = PageCache.open(cache if write and self.use_cache else None)
        self._fingerprint = digest(self.config, self.theme.fingerprint(), versions())
        self.site_problems["write"] = []
        sources = self._discover()
        self.glossary = self._read_glossary()
        previous, self.entries = self.entries, {source.path: Entry(source) for source in sources}
        self._peek(self.entries.values())
        publishable = self._publishable()
        # Sources that cannot be read keep their last good page first: links reach it.
        self._keep_last_good(previous, [e for e in self.entries.values() if e.peek is None])
        self.links = self._links(publishable)
        rendered = self._make(publishable)
        self._pageless = [e for e in publishable if e.summary is None]
        self._keep_last_good(previous, self.entries.values())
        self.shown = {}
        self._site_stages(
            partial(self._write_site_pages, full=True),
            self._write_assets,
            self._write_files,
            self._write_public,
        )
        # Pages whose input is broken now keep their last good output. The search index
        # is written after the build (search.py), which replaces it file by file.
        keep = {self._owner(path) for path in self.entries} | {SEARCH}
        self._site_stages(partial(self.output.prune, keep), self.output.save)
        peeks = {peek_key(e.source, e.peek.inputs): e.peek for e in self.entries.values() if e.peek}
        self.cache.good = self._last_good_records()
        self.cache.save({e.key for e in self.entries.values()}, peeks, *self._glossary_notes())
        return self._report(self.entries.values(), rendered, started, full=True)

    @_unlocking_after
    @_uncollected()
    def rebuild(
        self,
        changed: Iterable[Path],
        later: Callable[[], bool] = _never,
        made: Callable[[bool], None] = lambda clean: None,
    ) -> BuildReport:
        """Only what depends on the changed paths (created, edited or deleted).

        `later`: whether more changes are waiting; then the site-wide pages, which can
        take seconds on a large site, wait for the rebuild after them (the changed
        pages themselves are written first either way).
        `made`: told, once the changed pages are written and before the site-wide pages,
        whether those pages were made without errors (`serve` reloads them then).
        """
        started = time.perf_counter()
        self._claimed = None  # a build after this one looks at the folder again
        self.reader.forget()
        changes = classify(changed, self.places)
        if changes.keys() & EVERYTHING or not self.output.intact() or self.lock.lost():
            # An output folder deleted meanwhile is written whole again (another command
            # may have written it since: the build takes the lock again first).
            return self.build()
        if not isinstance(self.output, DryRun):
            self.lock.take(self.holder or "build")
        self.site_problems["write"] = []
        if Kind.STATIC in changes:
            self._site_stages(self._write_assets)
        if Kind.PUBLIC in changes:
            self._site_stages(self._write_public)
        listed = {Kind.SOURCE, Kind.NOTES, Kind.GLOSSARY}
        names = {path.name for kind in listed for path in changes.get(kind, ())}
        dirty, added_or_removed = self._refresh_sources(names)
        glossary_changed = Kind.GLOSSARY in changes
        if glossary_changed:
            old, self.glossary = self.glossary, self._read_glossary()
            dirty |= self._glossary_users(old, self.glossary)
        shown_before = [_shown(self._listing(entry)) for entry in dirty]
        placed_before = [_placed(entry) for entry in dirty]
        # (Peeking forgets the pages: what they showed and linked to is taken first.)
        linked_before = {entry: _linked(self._listing(entry)) for entry in dirty}
        self._peek(dirty)
        old_links = self.links
        same = (
            not added_or_removed
            and dirty <= self._published.keys()
            and placed_before == [_placed(entry) for entry in dirty]
        )
        publishable = self._publishing if same else self._publishable()  # same: same addresses
        folder = self.places.source
        files = {path.relative_to(folder).as_posix() for path in changes.get(Kind.FILE, ())}
        if not same or files:
            # Anew for changed files too: a note's body is rendered once for each
            # SourceLinks (render._note_body), and what its links find may have changed.
            self.links = self._links(publishable)
        linking = self._linking_to(_moved(old_links, self.links) | files) - dirty
        linked_before |= {entry: _linked(self._listing(entry)) for entry in linking}
        self._peek(linking)  # their pages link to pages or files that came, went or moved
        dirty |= linking
        # Pages to make besides the dirty ones: those that failed, or newly published.
        pageless = self._pageless if same else publishable
        failed_before = set(self._pageless)
        newly = [e for e in pageless if e.summary is None and e not in dirty]
        place = self._published
        rendered = self._make(sorted(dirty & place.keys(), key=place.__getitem__) + newly)
        tried = dict.fromkeys([*pageless, *rendered])  # in order, once each
        self._pageless = [e for e in tried if e.summary is None]
        made(
            not self.site_problems["write"]
            and not any(d.severity is Severity.ERROR for e in rendered for d in e.diagnostics)
        )
        self._abandoned = None
        # The site-wide pages show every article: look at them only when an entry in them moved.
        due = (
            self._site_pages_due
            or not self._shown_known
            or added_or_removed
            or glossary_changed
            or bool(newly)
            or shown_before != [_shown(self._listing(entry)) for entry in dirty]
            or (bool(files) and any(_within(t, files) for t in self._glossary_targets()))
        )
        if due and later():
            self._site_pages_due = True  # after the changes waiting
        elif due:
            self._site_pages_due = False
            write = partial(self._write_site_pages, full=not self._shown_known, later=later)
            self._site_stages(write)
        # The files beside the articles: listing what every page links to is O(site).
        if (
            self.links is not old_links  # files or pages came, went or moved
            or glossary_changed
            or newly
            or any(_linked(self._listing(e)) != linked for e, linked in linked_before.items())
        ):
            self._site_stages(self._write_files)
        self._site_stages(self.output.save)
        # A page tried again only because it failed before, failing still, is no news of
        # this save's: its errors stand, as those of pages not made again do.
        news = [*dirty, *(e for e in newly if e.summary is not None or e not in failed_before)]
        report = self._report(news, rendered, started, full=False)
        told = set(news)
        report.standing = [
            problem
            for entry in self.entries.values()
            if entry not in told
            for problem in entry.diagnostics
            if problem.severity is Severity.ERROR
        ]
        return report

    # Stages

    def _site_stages(self, *stages: Callable[[], None]) -> None:
        """Run site-wide stages; whatever goes wrong in one is reported, the others run."""
        problems = Diagnostics(self.site_problems.get("write", []))
        for stage in stages:
            with problems.guard(self.project.out):
                try:
                    stage()
                except Exception:
                    # Pages it did not get to are not to be pruned as if gone from the site.
                    self.output.failed = True
                    raise
        self.site_problems["write"] = problems.items

    def _discover(self) -> list[Source]:
        problems = Diagnostics()
        found = discover(self.project.source, problems, self.reader)
        self.site_problems["discover"] = problems.items
        self._glossary_path = found.glossary
        self._same_file = found.same_file
        self._known = {found.glossary.name: []} if found.glossary else {}
        for source in found.sources:
            for path in (source.path, source.notes):
                if path is not None:
                    self._known.setdefault(path.name, []).append(source.path)
        return list(found.sources)

    def _read_glossary(self) -> Glossary:
        """The glossary; one that cannot be read at all (a stray byte that is not UTF-8)
        leaves its last good notes on every page until it is fixed, where this Site
        read it before (a fresh build has none: its pages are made without them)."""
        problems = Diagnostics()
        glossary = read_glossary(self._glossary_path, problems, self.reader)
        self.site_problems["glossary"] = problems.items
        return self.glossary if glossary.unreadable and self.glossary.notes else glossary

    def _peek(self, entries: Iterable[Entry]) -> None:
        """Look at each source and its notes afresh: what pages need before any is made."""
        for entry in entries:
            problems = Diagnostics()
            entry.forget_page()
            with problems.guard(entry.source.path):
                entry.peek = peek_article(entry.source, self.reader, self.cache.peeks)
            entry.diagnostics, entry.peeked = problems.items, tuple(problems.items)
            if entry.peek is None:  # unreadable, or broken: reading it says why
                self._read_for_problems(entry)

    def _read_for_problems(self, entry: Entry) -> None:
        """What reading an article that gets no page made reports (making one reports it)."""
        problems = Diagnostics(entry.diagnostics)
        with problems.guard(entry.source.path):
            read_article(entry.source, self.config, problems, self.reader)

    def _publishable(self) -> list[Entry]:
        """Entries that can have a page: readable, with a slug of their own."""
        slugs: dict[Path, str] = {}
        set_at: dict[Path, tuple[Path, int]] = {}  # where each slug is set, for messages
        for path, entry in self.entries.items():
            if entry.peek is None or path in self._same_file:
                continue
            if entry.peek.draft and not self.drafts:
                entry.page, entry.kept = None, None
                # A draft is not published, even as it was before.
                with Diagnostics(entry.diagnostics).guard(path):
                    self.output.remove_owner(self._owner(path))
                continue
            slugs[path] = entry.peek.slug
            set_at[path] = entry.peek.slug_place(entry.source)
        problems = Diagnostics()
        assigned = assign_pages(slugs, RESERVED_SLUGS, problems, set_at)
        publishable = [self.entries[path] for path in assigned]
        kept = {entry: place for place, entry in enumerate(publishable)}
        self._publishing, self._published = publishable, kept
        for entry in self.entries.values():
            if entry not in kept:
                entry.forget_page()  # keeps its last output until it has a slug of its own
        self.site_problems["slugs"] = problems.items
        for entry in self.entries.values():
            if entry.peek is not None and entry not in kept:  # a draft, a slug clash
                self._read_for_problems(entry)
        return publishable

    def _make(self, entries: Sequence[Entry]) -> list[Entry]:
        """Each entry's page, from the cache or made afresh (on `jobs` processes), written."""
        misses, done = [], 0
        self._from_cache = 0
        for entry in entries:
            assert entry.peek is not None, "only readable entries have pages"
            entry.diagnostics = list(entry.peeked)  # a page made again: not what the last try said
            entry.key = digest(entry.peek.inputs, str(entry.source), self._fingerprint)
            hit = self._cached(entry)
            if hit is None:
                misses.append(entry)
                continue
            cached, files = hit
            self._from_cache += 1
            entry.cached(cached)
            entry.diagnostics += cached.diagnostics
            owner = self._owner(entry.source.path)
            with Diagnostics(entry.diagnostics).guard(entry.source.path):
                self.output.replace(owner, files)
            done += 1
            if self.progress:
                self.progress(done, len(entries))
        owners = {entry: self._owner(entry.source.path) for entry in misses}
        out = None if isinstance(self.output, DryRun) else self.output.folder
        claimed = False  # no journal, no new files: then pages are made but not written
        with Diagnostics(self.site_problems["write"]).guard(self.project.out):
            self.output.expect(
                {path: owners[e] for e in misses if e.peek for path in article_paths(e.peek.slug)}
            )
            claimed = True
        out = out if claimed else None
        maker = PageMaker(self.theme, self.glossary, self.links, out, self.cache)
        made_pages = make_pages(maker, [entry.source for entry in misses], self.jobs)
        for entry, made in zip(misses, made_pages, strict=True):
            entry.page = made.page if claimed else None
            entry.listed, entry.written = made.listed, made.kept
            entry.diagnostics += made.diagnostics
            if made.written:
                self.output.adopt(owners[entry], made.written)
            if made.page and made.kept and self.cache.folder is not None:  # (--no-cache)
                self.cache.put(entry.key, self._cache_entry(made.page, made))
            done += 1
            if self.progress:
                self.progress(done, len(entries))
        return list(entries)

    def _cached(self, entry: Entry) -> tuple[CacheEntry, dict[str, bytes]] | None:
        """The entry's page from the cache, if what rendering it read is still the same:
        the pages and files its links reach, and the glossary notes that occur in it."""
        hit = self.cache.get(entry.key)
        if hit is None:
            return None
        cached, _ = hit
        if any(self.links.state(name) != state for name, state in cached.links.items()):
            return None
        glossary, notes = self._glossary_notes()
        if cached.glossary == glossary:
            return hit
        then = self.cache.glossaries.get(cached.glossary)
        if then is None:
            return None
        changed = {key for key in then.keys() | notes.keys() if then.get(key) != notes.get(key)}
        if changed & cached.glossary_used.keys():
            return None
        # A note that came or changed may now occur in the article.
        fresh = [note for note in self.glossary.notes if note.key in changed]
        text = read_text(entry.source.path, Diagnostics(), self.reader) if fresh else ""
        if text is None or (fresh and find_terms(text, [build_trie(fresh)])):
            return None
        return hit

    def _cache_entry(self, page: RenderedArticle, made: Made) -> CacheEntry:
        glossary, notes = self._glossary_notes()
        used = {key: notes[key] for key in page.found if key in notes}
        links = {name: self.links.state(name) for name in page.targets}
        return CacheEntry(
            pickle.dumps(page),
            made.listed,
            Summary.of(page),
            tuple(made.diagnostics),
            made.kept,
            glossary,
            used,
            links,
        )

    def _glossary_notes(self) -> tuple[str, dict[str, str]]:
        """A digest of the glossary, and of each of its notes by key."""
        if self._glossary_digests is None or self._glossary_digests[0] is not self.glossary:
            notes = {note.key: note_digest(note) for note in self.glossary.notes}
            self._glossary_digests = (self.glossary, digest(sorted(notes.items())), notes)
        return self._glossary_digests[1], self._glossary_digests[2]

    def _write_site_pages(self, full: bool, later: Callable[[], bool] = _never) -> None:
        """The site-wide pages (views.py) whose value changed, or all of them.

        `later`: whether changes are waiting; then the pages not made yet are left for
        the rebuild after them, which comes first to the page being edited.
        """
        own_robots = self._in_public("robots.txt")
        if full and self._site_pages_kept(own_robots):
            return

        def look() -> None:
            if later():
                raise Waiting

        try:
            self._write_views(full, own_robots, look, at_once=later is _never)
        except Waiting as stop:
            self._site_pages_due = True  # `shown` has what is not made yet as it was
            self._abandoned = stop  # its traceback holds what was gathered

    def _write_views(
        self,
        full: bool,
        own_robots: bool,
        look: Callable[[], None],
        at_once: bool,
    ) -> None:
        """What _write_site_pages does, calling `look` between steps (it may raise Waiting);
        `at_once`: make the pages in one go (nothing can wait), not VIEWS_BETWEEN_LOOKS at
        a time."""
        listings = [self._listing(entry) for entry in self.entries.values()]
        pages = [page for listing in listings if listing and (page := listing.page)]  # unpickled
        views = site_views(
            pages, self.glossary, self.theme, self.config, own_robots, self.links, look
        )
        self._shown_known = True
        wanted = {view.path for view in views}
        for path in [path for path in self.shown if path not in wanted]:
            del self.shown[path]  # a tag no page carries any more, a sitemap without address
            self.output.remove(path)
        due: list[tuple[View, str]] = []
        for number, view in enumerate(views):
            if number % VIEWS_BETWEEN_LOOKS == 0:
                look()
            if not full and view.path in self.shown and self.shown[view.path] == view.shows:
                continue
            # What a view shows, under this build's settings and templates, makes its page:
            # the page made from the same is kept, if it is still there as it was made.
            # (The cache keeps what a full pass found: the next build opens it afresh, and
            # a digest of a large letter's page took 250 ms.)
            shows = digest(self._fingerprint, view.shows) if self.use_cache and full else ""
            made = self.cache.views.get(view.path)
            if (
                full
                and shows
                and made
                and made[0] == shows
                and self.output.keep(view.path, *made[1:])
            ):
                self.shown[view.path] = view.shows
            else:
                due.append((view, shows))
        problems = Diagnostics()
        self.site_problems["templates"] = problems.items  # filled as pages are made
        batch = max(1, len(due)) if at_once else VIEWS_BETWEEN_LOOKS
        for start in range(0, len(due), batch):
            if start:
                look()
            self._make_views(due[start : start + batch], problems, None if at_once else look)

    def _make_views(
        self,
        due: Sequence[tuple[View, str]],
        problems: Diagnostics,
        look: Callable[[], None] | None,
    ) -> None:
        """Make and write each view's page (`shows`: its digest, for the cache); the term
        pages alone can be thousands, so workers make and write them. A page made here
        stops as it renders for a change waiting (`look`; None: none can wait, and a page
        renders in one go); one made in a worker, never."""
        folder = None if isinstance(self.output, DryRun) else self.output.folder
        jobs = self.jobs if folder is not None else 1
        if jobs > 1:
            self.output.expect({view.path: SITE for view, _ in due})
        keeping = self.cache.folder is not None  # what was written (not with --no-cache)
        here = os.getpid()

        def look_here(look: Callable[[], None]) -> None:
            if os.getpid() == here:
                look()

        self.theme.look = partial(look_here, look) if look else None
        try:
            made = map_forked(partial(_made_view, folder if jobs > 1 else None), due, jobs)
            for (view, shows), (text, written, failure) in zip(due, made, strict=True):
                if failure is not None:  # a broken template: its last good page stays
                    problems.items.append(failure)
                    self.output.leave(view.path)
                    self.cache.views.pop(view.path, None)
                    self.cache.site = ""  # made again next build, and the error told again
                    continue
                self.shown[view.path] = view.shows
                if written is None:  # made here: written here
                    self.output.write(view.path, text)
                    written = self.output.stamp(view.path, text) if keeping else None
                else:
                    self.output.placed(view.path, SITE)
                if keeping and written is not None:
                    self.cache.views[view.path] = (shows, *written)
        finally:
            self.theme.look = None

    def _site_pages_kept(self, own_robots: bool) -> bool:
        """Whether the site-wide pages are all as the last build made them, from the same
        pages, glossary, links, settings and templates (then nothing is worked out again)."""
        pages = sorted(
            (self._owner(path), listing.listed)
            for path, entry in self.entries.items()
            if (listing := self._listing(entry))
        )
        site = digest(
            self._fingerprint,
            own_robots,
            self._glossary_notes()[0],
            sorted(self.links.pages.items()),
            sorted(self.links.sources),
            sorted((name, self.links.state(name)) for name in self._glossary_targets()),
            pages,
        )
        last, self.cache.site = self.cache.site, site
        if not self.use_cache or last != site or not self.cache.views:
            return False
        if not all(self.output.keep(path, *made[1:]) for path, made in self.cache.views.items()):
            return False
        self.shown, self._shown_known = {}, False  # a rebuild works them out (full) first
        return True

    def _write_assets(self) -> None:
        """Static files (the theme's, overridden by the project's) and the code styles."""
        problems = Diagnostics()
        static = _static_files(self.project.static, self.reader, problems)
        self.site_problems["static"] = problems.items
        files = {f"static/{name}": data for name, data in static}
        files["static/pygments.css"] = pygments_css().encode()
        files[".nojekyll"] = b""
        if self.config.domain:  # the domain the sitemap and feed name: a public/CNAME yields
            files["CNAME"] = f"{self.config.domain}\n".encode()
        self.output.replace(ASSETS, files)
        self._assets = files

    def _write_files(self) -> None:
        """The files beside the articles that pages link to, under _files/; an SVG as
        svg.py cleans it (what it took out, or why it refused the file, are warnings)."""
        folder = self.links.folder
        glossary = self._glossary_bodies()
        self.site_problems["glossary links"] = [d for body in glossary for d in body.problems]
        listed = [listing for entry in self.entries.values() if (listing := self._listing(entry))]
        linked = sorted(
            {name for listing in listed for name in _linked(listing)}
            | {name for body in glossary for name in body.files}
        )
        files = {}
        problems = Diagnostics()
        for name in linked:
            if is_own(name):
                problems.warning(folder / name, 0, OWN_NAME)
                continue
            try:
                data = self.reader.read(folder / name)
            except Refused as refused:  # too large, not a file
                problems.error(folder / name, 0, str(refused))
                continue
            except FileNotFoundError:
                continue  # gone since the page was rendered: the next rebuild says so
            except OSError as exc:  # unreadable since: its page links a copy not made
                problems.error(folder / name, 0, f"cannot be read ({exc.strerror or exc})")
                continue
            if name.lower().endswith(".svg"):  # opened on its own, it would run its script
                cleaned = clean_svg(data)
                for line, message in cleaned.problems:
                    problems.warning(folder / name, line, message)
                if cleaned.data is None:
                    continue  # not published: the warning says why
                data = cleaned.data
            files[f"{FILES}/{name}"] = data
        self.output.replace(FILES_OWNER, files)
        # What pages link to, published or not (a link that fails says so at the link).
        targets = {t for listing in listed if listing.summary for t in listing.summary.targets}
        unbuilt_sources(folder, {*linked, *targets}, problems)
        self.site_problems["files"] = problems.items

    def _write_public(self) -> None:
        """public/ as it is, at the site's root; our own files win a clash, with a warning
        unless they are the same (a public/CNAME naming the `domain` of site.toml)."""
        problems = Diagnostics()
        files: dict[str, bytes] = {}
        for relative, path in self.reader.files(self.project.public, problems, _is_git):
            owner = self.output.files.get(relative)
            if is_own(relative):
                problems.warning(path, 0, OWN_NAME)
                continue
            try:
                data = self.reader.read(path)
            except Refused as refused:
                problems.error(path, 0, str(refused))
                continue
            if owner not in (None, PUBLIC_OWNER):
                if self._assets.get(relative) != data:
                    problems.warning(
                        path, 0, f"the site has its own {relative}; this one is left out"
                    )
                continue
            files[relative] = data
        self.output.replace(PUBLIC_OWNER, files)
        self.site_problems["public"] = problems.items

    def _in_public(self, relative: str) -> bool:
        return (self.project.public / relative).is_file()

    def _links(self, publishable: Sequence[Entry]) -> SourceLinks:
        """What links in the sources can reach: each source's page, by file name."""
        pages = {
            entry.source.path.name: entry.peek.slug
            for entry in publishable
            if entry.peek is not None
        }
        # A page whose source cannot be read stays published as it last was (_listing):
        # links to it still reach it there, unless another page has taken its address.
        taken = set(pages.values())
        for entry in self.entries.values():
            if entry.peek is None and entry.kept is not None and self._listing(entry):
                slug = entry.kept.page.article.meta.slug
                if slug not in taken:
                    pages[entry.source.path.name] = slug
        names = frozenset(path.name for path in self.entries)
        drafts = frozenset(
            entry.source.path.name
            for entry in self.entries.values()
            if entry.peek and entry.peek.draft
        )
        return SourceLinks.of(self.project.source, pages, names, self.reader, drafts)

    def _linking_to(self, names: set[str]) -> set[Entry]:
        """Entries whose pages link to any of these names in the source folder, or into them."""
        if not names:
            return set()
        return {
            e
            for e in self.entries.values()
            if e.summary and any(_within(target, names) for target in e.summary.targets)
        }

    def _glossary_bodies(self) -> list[NoteBody]:
        """The glossary's notes that link, as their terms' pages show them: what they link
        to is published, and what they fail to find is told, whether the term occurs or
        not. (Rendering all of a 10,000-term glossary to find the few that link took a
        warm build from 2 s to 3.)"""
        notes = [note for note in self.glossary.notes if may_link(note)]
        return [render_note_body(note, self.links) for note in notes]  # (cached)

    def _glossary_targets(self) -> set[str]:
        """Every name the glossary's notes link to."""
        return {target for body in self._glossary_bodies() for target in body.targets}

    def _owner(self, path: Path) -> str:
        """A source's name in the output manifest (Project.owner), worked out once a build."""
        owner = self._owners.get(path)
        if owner is None:
            owner = self._owners[path] = self.project.owner(path)
        return owner

    def has_pages(self) -> bool:
        """Whether the site lists any article page (made, or kept: `_listing`)."""
        return any(self._listing(entry) for entry in self.entries.values())

    def _listing(self, entry: Entry) -> Entry | Kept | None:
        """An entry's page as the site-wide pages list it: as made, or else as its last
        good build listed it while the output holds that build's files for it (a page
        whose input is broken stays listed as it was; one whose slug another page took,
        a draft, or one whose output is gone, does not)."""
        if entry.summary is not None:
            return entry
        kept = entry.kept
        if kept is None or not self.output.holds(self._owner(entry.source.path), kept.written):
            return None
        return kept

    def _keep_last_good(self, previous: Mapping[Path, Entry], entries: Iterable[Entry]) -> None:
        """Give each of these entries that a full build left without a page its last good
        one: as this Site last had it (`previous` entries), else as the page cache recorded
        it; either only while the output holds the files that build wrote, as it wrote them."""
        for entry in entries:
            if entry.summary is not None or entry.kept is not None:
                continue
            path = entry.source.path
            owner = self._owner(path)
            before = previous.get(path)
            kept = before.last_good() if before else None
            if kept is None and (cached := self.cache.last_good(owner)) is not None:
                kept = Kept(cached.summary, cached.listed, cached.files, None, cached.listing)
            if kept is not None and self.output.holds(owner, kept.written, read=True):
                entry.kept = kept

    def _last_good_records(self) -> dict[str, tuple[str, str]]:
        """What the page cache records of each source's last good page (PageCache.good):
        the page of this build, if it had one that the cache keeps; else what it recorded."""
        records = {}
        for path, entry in self.entries.items():
            owner = self._owner(path)
            if entry.summary is not None and entry.key in self.cache.entries:
                records[owner] = (entry.key, code())
            elif owner in self.cache.good:
                records[owner] = self.cache.good[owner]
        return records

    # Incremental bookkeeping

    def _refresh_sources(self, changed: set[str]) -> tuple[set[Entry], bool]:
        """Entries to read again after these files changed, and whether sources came or went.

        `changed` holds names in the source folder; deleted sources are removed.
        """
        folder = self.places.source
        if all(
            name in self._known and (folder / name).is_file() and not looks_like_notes(name)
            for name in changed
        ):
            # Only known files were edited: no need to list the folder again. (A known name
            # now a folder or gone changes what discovery finds; so may what a file named
            # like notes holds, which decides whether it is an article: list it again.)
            return {self.entries[path] for name in changed for path in self._known[name]}, False
        sources = {source.path: source for source in self._discover()}
        removed = self.entries.keys() - sources.keys()
        for path in removed:
            del self.entries[path]
            self._site_stages(partial(self.output.remove_owner, self._owner(path)))
        dirty = set()
        for path, source in sources.items():
            entry = self.entries.get(path)
            if entry is None or entry.source != source:  # new, or its notes came or went
                kept = entry.last_good() if entry else None
                entry = self.entries[path] = Entry(source, kept=kept)
                dirty.add(entry)
            elif path.name in changed or (source.notes and source.notes.name in changed):
                dirty.add(entry)
        return dirty, bool(removed) or any(entry.summary is None for entry in dirty)

    def _glossary_users(self, old: Glossary, new: Glossary) -> set[Entry]:
        """Entries in which a glossary note that changed (or came, or went) occurs."""
        before = {note.key: note for note in old.notes}
        after = {note.key: note for note in new.notes}
        changed = [
            note
            for key in before.keys() | after.keys()
            if before.get(key) != after.get(key)
            for note in (before.get(key), after.get(key))
            if note is not None
        ]
        if not changed:
            return set()
        trie = build_trie(changed)
        quiet = Diagnostics()
        return {
            entry
            for entry in self.entries.values()
            if (text := read_text(entry.source.path, quiet, self.reader)) is not None
            and find_terms(text, [trie])
        }

    def _report(
        self, entries: Iterable[Entry], rendered: Sequence[Entry], started: float, full: bool
    ) -> BuildReport:
        report = BuildReport(full=full, base_url=self.config.base_url)
        for problems in self.site_problems.values():
            report.diagnostics.extend(problems)
        for entry in entries:
            report.diagnostics.extend(entry.diagnostics)
        report.pages = sum(1 for entry in rendered if entry.summary)
        report.cached = self._from_cache
        report.notes = sum(entry.summary.notes for entry in rendered if entry.summary)
        report.seconds = time.perf_counter() - started
        return report


def _moved(old: SourceLinks, new: SourceLinks) -> set[str]:
    """Names whose page came, went, changed its slug or became a draft or no longer one."""
    if old is new:
        return set()
    return {
        name
        for name in old.pages.keys() | new.pages.keys()
        if old.pages.get(name) != new.pages.get(name)
    } | (old.drafts ^ new.drafts)


def _within(target: str, names: set[str]) -> bool:
    """Whether a folder-relative path is one of `names` or lies inside one of them."""
    parts = target.split("/")
    return any("/".join(parts[:end]) in names for end in range(1, len(parts) + 1))


def _is_git(name: str) -> bool:
    return name == ".git"


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _linked(listing: Entry | Kept | None) -> frozenset[str]:
    """The files beside the articles a page as listed (Site._listing) links to."""
    return listing.summary.files if listing and listing.summary else frozenset()


def _placed(entry: Entry) -> tuple[str, bool] | None:
    """Where an entry's page goes, if anywhere: its slug and draft flag."""
    return (entry.peek.slug, entry.peek.draft) if entry.peek else None


def _shown(listing: Entry | Kept | None) -> tuple[object, ...] | None:
    """What the site-wide pages show of one article as listed (Site._listing): its entry,
    its terms and their notes, and the sentences they occur in (the terms pages)."""
    page = listing.page if listing else None
    if page is None:
        return None
    notes = tuple((note.key, note.term, note.aliases, note.body) for note in page.article.notes)
    # A note's body as rendered: where its links lead changes with pages and files elsewhere.
    places = tuple(
        (place.note.key, place.refs, place.excerpts, place.body) for place in page.places
    )
    return (page.article.meta, page.opening, page.note_count, notes, places)


def _made_view(
    folder: Path | None, due: tuple[View, str]
) -> tuple[str, tuple[str, int, int] | None, Diagnostic | None]:
    """A view's page (in a worker, perhaps), and how `Output.stamp` knows the file when it
    is written into `folder` here; or what went wrong in its template."""
    view, _ = due
    try:
        text = view.make()
    except TemplateFailure as failure:
        return "", None, failure.diagnostic
    if folder is None:
        return text, None, None
    data = text.encode("utf-8")
    put(folder, view.path, data)
    status = (folder / view.path).stat()
    return "", (content_digest(data), status.st_size, status.st_mtime_ns), None


def _static_files(
    folder: Path, reader: Reader, diagnostics: Diagnostics
) -> list[tuple[str, bytes]]:
    """The default theme's static files, overridden by the project's own of the same name
    (read as `reader` allows; each refusal is an error)."""
    files: dict[str, tuple[Path, Reader]] = {}
    for base, read_by in ((default_theme("static"), THEME_READER), (folder, reader)):
        for relative, path in read_by.files(base, diagnostics, _is_hidden):
            files[relative] = (path, read_by)
    static = []
    for relative, (path, read_by) in files.items():
        try:
            static.append((relative, read_by.read(path)))
        except Refused as refused:
            diagnostics.error(path, 0, str(refused))
    return static
