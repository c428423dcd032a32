"""The page cache: article pages as last rendered, so that a build with nothing
changed renders nothing.

An entry is found by a digest of everything that shapes a page but two things
that only rendering tells: the glossary notes whose terms occur in it, and the
files and pages its links reach. The entry records those, and is used only
while they are as they were (`Site` checks them).

It also records, for each source, which entry is its last good page: while the
source is broken, the site-wide pages list that page as it was (its files stay
in the output as they were written), and the entry is kept for it.

The cache lives in the user's cache folder (`$XDG_CACHE_HOME/site-builder/`,
by default `~/.cache/site-builder/`), a folder for each site by the path of its
project: out of the output folder and out of the repository, so that git never
sees it and a site's repository, untrusted input, cannot bring one. Its files
are signed all the same, with a secret made on first use, and a file whose
signature does not match is ignored (a cache restored from elsewhere, by a CI
cache step, cannot carry markup into the pages or code into an unpickling).
Whatever goes wrong with the cache, the build renders afresh.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from . import __version__
from .diagnostics import Diagnostic
from .notes import Note
from .output import content_digest
from .render import RenderedArticle
from .sources import Peek

INDEX = "index"
PAGES = "pages"
SIGNATURE = 32  # bytes of a blake2b signature, ahead of what it signs
FORMAT = 6  # the layout of the index: bump when it changes


def digest(*parts: object) -> str:
    """A digest of values whose repr is stable (strings, bytes, numbers, tuples, dataclasses)."""
    return hashlib.blake2b(repr((FORMAT, __version__, parts)).encode(), digest_size=20).hexdigest()


@cache
def versions() -> tuple[str, ...]:
    """What shapes a page's markup besides its inputs: this package's code (its version
    alone stays the same from one commit of a checkout to the next) and the versions
    of the libraries."""
    import jinja2
    import markdown_it
    import pygments

    code = hashlib.blake2b(digest_size=20)
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        code.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    libraries = (markdown_it.__version__, pygments.__version__, jinja2.__version__)
    return (__version__, code.hexdigest(), *libraries)


def note_digest(note: Note) -> str:
    """What of a glossary note shows on the pages it is anchored in (as Note compares)."""
    return digest(note)


@dataclass(frozen=True)
class Entry:
    """One article page as rendered: its page without the html (its files are kept
    apart, by content) and the conditions it was rendered under."""

    listing: bytes  # the page without html or body (what site-wide pages show), pickled
    listed: str  # a digest of it
    summary: Summary  # what a build needs of it when no site-wide page is made again
    diagnostics: tuple[Diagnostic, ...]
    files: Mapping[str, str]  # each of the article's files in the output -> its name here
    glossary: str  # digest of the glossary then
    glossary_used: Mapping[str, str]  # key -> note_digest of each glossary note that occurs
    links: Mapping[str, object]  # each name its links reach -> what it was (SourceLinks.state)


@dataclass(frozen=True)
class Summary:
    """What a build needs of a page when no site-wide page is made: what it links to,
    and how many notes it shows."""

    files: frozenset[str] = frozenset()
    targets: frozenset[str] = frozenset()
    notes: int = 0

    @classmethod
    def of(cls, page: RenderedArticle) -> Summary:
        return cls(page.files, page.targets, page.note_count)


@cache
def code() -> str:
    """A digest of `versions`: a page pickled under other code may not unpickle as it was."""
    return digest(versions())


@dataclass
class PageCache:
    """Entries by key, loaded from and saved to a project's cache folder."""

    folder: Path | None  # None: no cache (--no-cache, or a dry run)
    entries: dict[str, Entry] = field(default_factory=dict)
    glossaries: dict[str, dict[str, str]] = field(default_factory=dict)  # digest -> notes
    # A site-wide page -> digest of what it shows (views.py); and of what was written, its
    # size and time (Output.stamp).
    views: dict[str, tuple[str, str, int, int]] = field(default_factory=dict)
    site: str = ""  # a digest of all the site-wide pages show (Site._site_pages_kept)
    peeks: dict[str, Peek] = field(default_factory=dict)  # sources.peek_key -> its peek
    # A source's name in the output manifest -> the key of its last good page, and the
    # `code` it was made by (Site lists that page while the source is broken).
    good: dict[str, tuple[str, str]] = field(default_factory=dict)
    _secret: bytes = b""
    _saved: tuple[object, ...] = ()  # what the index on disk holds, to write it only if changed

    @classmethod
    def open(cls, folder: Path | None) -> PageCache:
        cache = cls(folder)
        if folder is None:
            return cache
        cache._secret = _secret()
        if not cache._secret:
            cache.folder = None
            return cache
        loaded = cache._read(folder / INDEX)
        if loaded is not None:
            try:
                format_, *parts = pickle.loads(loaded)  # signed by us: trusted
                if format_ == (FORMAT, __version__):
                    (
                        cache.entries,
                        cache.glossaries,
                        cache.views,
                        cache.peeks,
                        cache.site,
                        cache.good,
                    ) = parts
                    cache._saved = cache._parts()
            except Exception:  # an unreadable cache is an empty one
                pass
        return cache

    def get(self, key: str) -> tuple[Entry, dict[str, bytes]] | None:
        """The entry and its article's files, if all are there and intact."""
        entry = self.entries.get(key)
        if entry is None or self.folder is None:
            return None
        files = {}
        for relative, name in entry.files.items():
            data = self._read(self.folder / PAGES / name)
            if data is None:
                return None
            files[relative] = data
        return entry, files

    def put(self, key: str, entry: Entry) -> None:
        self.entries[key] = entry

    def last_good(self, owner: str) -> Entry | None:
        """The entry of a source's last good page, if this code made it."""
        key, made_by = self.good.get(owner, ("", ""))
        return self.entries.get(key) if key and made_by == code() else None

    def store(self, data: bytes) -> str:
        """Keep an article's file; its name for Entry.files. (Called where the page is
        made: in a worker process too.)"""
        name = content_digest(data)
        if self.folder is not None:
            self._write(self.folder / PAGES / name, data)
        return name

    def save(
        self,
        keep: Iterable[str],
        peeks: Mapping[str, Peek],
        glossary: str,
        notes: Mapping[str, str],
    ) -> None:
        """Write the entries of these keys (the pages of this build: the cache does not
        grow with every edit) and of the last good pages `good` names, and remove the
        pages no entry names."""
        if self.folder is None:
            return
        keep = {*keep, *(key for key, _ in self.good.values())}
        self.entries = {key: self.entries[key] for key in keep if key in self.entries}
        self.peeks = dict(peeks)
        wanted = {entry.glossary for entry in self.entries.values()} | {glossary}
        self.glossaries[glossary] = dict(notes)
        self.glossaries = {key: value for key, value in self.glossaries.items() if key in wanted}
        parts = self._parts()
        if parts == self._saved:
            return  # nothing new: a warm build writes nothing here either
        self._write(self.folder / INDEX, pickle.dumps(((FORMAT, __version__), *parts)))
        self._saved = parts
        keep = {name for entry in self.entries.values() for name in entry.files.values()}
        _remove_except(self.folder / PAGES, keep)

    def _parts(self) -> tuple[object, ...]:
        """What the index holds (copies, compared with what a build leaves)."""
        return (
            dict(self.entries),
            {key: dict(notes) for key, notes in self.glossaries.items()},
            dict(self.views),
            dict(self.peeks),
            self.site,
            dict(self.good),
        )

    # Signed files

    def _read(self, path: Path) -> bytes | None:
        try:
            signed = path.read_bytes()
        except OSError:
            return None
        signature, data = signed[:SIGNATURE], signed[SIGNATURE:]
        return data if hmac.compare_digest(signature, self._sign(data)) else None

    def _write(self, path: Path, data: bytes) -> None:
        """Write atomically; a cache that cannot be written is no error (nothing is kept)."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".tmp-{os.getpid()}-{path.name}")
            temporary.write_bytes(self._sign(data) + data)
            temporary.replace(path)
        except OSError:
            pass

    def _sign(self, data: bytes) -> bytes:
        return hashlib.blake2b(data, key=self._secret, digest_size=SIGNATURE).digest()


def cache_folder(root: Path) -> Path:
    """Where the cache of the site whose project folder is `root` lives."""
    name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=10).hexdigest()
    return _home() / "sites" / f"{root.resolve().name[:40]}-{name}"


def _home() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "site-builder"


def _remove_except(folder: Path, keep: Iterable[str]) -> None:
    wanted = set(keep)
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name not in wanted:
            (folder / name).unlink(missing_ok=True)


def _secret() -> bytes:
    """This user's signing secret, made on first use; b'' when it cannot be kept."""
    path = _home() / "secret"
    try:
        secret = path.read_bytes()
        if len(secret) >= 32:
            return secret
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = secrets.token_bytes(32)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(fresh)
        return fresh
    except FileExistsError:  # another build made it meanwhile
        try:
            return path.read_bytes()
        except OSError:
            return b""
    except OSError:
        return b""
