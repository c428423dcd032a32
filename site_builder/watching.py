"""Watching a site's inputs with watchdog, in batches ready to rebuild from.

Events from the source folder, templates/, static/, public/ and site.toml are
collected on watchdog's thread; `Watcher.changes` hands them over once they have
been quiet for a moment, so the bursts an editor makes while saving (write a
temporary file, rename it over the old one, delete a backup) become one build.
The moment is shorter once every file changed has been closed after writing or
renamed into place: then the save is over, and a note edit reaches its page sooner.
What is relevant is what `changes.kind_of` says is: editor artifacts and
anything in the output folder never are. A folder deleted and made again is
watched again (`Watcher.follow`), under native events and polling alike.
"""

from __future__ import annotations

import contextlib
import stat
import threading
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import (
    DirAttribEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirModifiedEvent,
    DirMovedEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from .changes import Kind, kind_of
from .project import Project

# A folder made while watchdog adds its parent's watches is added twice; it says so in a
# warning for each (a tree made at once: thousands on the terminal), and the second is
# the same watch again.
warnings.filterwarnings("ignore", "Callback with id", RuntimeWarning, r"watchdog\.")

QUIET = 0.01  # seconds without events that end a burst
SETTLED = 0.002  # seconds without events that end a burst whose files are all written
LONGEST_BURST = 0.5  # seconds: a stream of events never delays a build longer
POLL_INTERVAL = 0.2  # seconds between scans when polling
# Our own builds open and read the sources: only events that change something count.
# A file or folder's permissions do (chmod): they decide whether it can be read at all.
EVENTS = [
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileClosedEvent,
    FileAttribEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    DirAttribEvent,
]
# A poll compares listings: a folder that became a file reusing its inode looks like
# that folder modified, and nothing else tells of it.
POLLED_EVENTS = [*EVENTS, DirModifiedEvent]


@dataclass(frozen=True)
class _Watched:
    """One input folder being watched: the watch, and which folder it was when scheduled."""

    watch: ObservedWatch
    identity: tuple[int, int]


class Watcher(FileSystemEventHandler):
    """Collects the paths that changed under a project's inputs, from the moment it starts.

    The project root is watched on its own (not recursively) for site.toml and
    for the input folders coming and going; each input folder that exists is
    watched recursively, and watched anew by `follow` once it was deleted,
    replaced or created.
    """

    def __init__(self, project: Project, poll: bool = False) -> None:
        self.project = project
        self.places = places = project.resolved()
        self.root = places.root
        self.inputs = (places.source, places.templates, places.static, places.public)
        self._pending: set[Path] = set()
        self._unsettled: set[Path] = set()  # of those, files still being written, or gone
        self._lock = threading.Lock()
        self._arrived = threading.Event()
        self._watched: dict[Path, _Watched] = {}
        self.observer, self.polling = self._start(poll)

    def _start(self, poll: bool) -> tuple[BaseObserver, bool]:
        """The native observer, or polling when asked for or when the native one cannot start."""
        if not poll:
            observer = None
            try:
                observer = Observer()
                self._begin(observer, EVENTS)
                return observer, False
            except OSError:  # e.g. inotify watch limit reached, or no inotify at all
                if observer is not None:
                    _stop(observer)
                self._watched = {}
        observer = PollingObserver(timeout=POLL_INTERVAL)
        self._begin(observer, POLLED_EVENTS)
        return observer, True

    def _begin(self, observer: BaseObserver, events: list[type[FileSystemEvent]]) -> None:
        self.events = events
        # The project root only for site.toml and for the input folders coming and going.
        observer.schedule(self, str(self.root), recursive=False, event_filter=events)
        observer.start()
        self.observer = observer
        self._follow(set(), strict=True)

    def follow(self, changes: Iterable[Path] = ()) -> None:
        """Watch each input folder as it is now: one that came, went or was replaced since."""
        self._follow(set(changes), strict=False)

    def _follow(self, changes: set[Path], strict: bool) -> None:
        for folder in self.inputs:
            identity = _identity(folder)
            watched = self._watched.get(folder)
            if watched is not None and (
                folder in changes  # the folder itself was created, deleted or moved
                or watched.identity != identity
                or not self._alive(watched.watch)
            ):
                with contextlib.suppress(KeyError):
                    self.observer.unschedule(watched.watch)
                del self._watched[folder]
            if identity is None or folder in self._watched:
                continue
            try:
                watch = self.observer.schedule(
                    self, str(folder), recursive=True, event_filter=self.events
                )
            except (FileNotFoundError, NotADirectoryError):
                continue  # gone again: the root's watch says when it is back
            except OSError:
                if strict:
                    raise  # at the start: fall back to polling
                continue  # tried again at the next change
            self._watched[folder] = _Watched(watch, identity)

    def _alive(self, watch: ObservedWatch) -> bool:
        """Whether the watch still reports: watchdog stops one whose folder was deleted."""
        return any(e.watch == watch and e.should_keep_running() for e in self.observer.emitters)

    def stop(self) -> None:
        _stop(self.observer)

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def dispatch(self, event: FileSystemEvent) -> None:
        if isinstance(event, DirModifiedEvent) and Path(str(event.src_path)).is_dir():
            return  # a folder's listing changed: the events of its files tell how
        paths = [event.src_path, getattr(event, "dest_path", "")]
        relevant = {Path(str(p)) for p in paths if p and self.relevant(Path(str(p)))}
        if relevant:
            # A file closed after writing, or renamed into place, is saved: the rest may
            # be followed by more (a write, a new file where one was deleted or moved).
            if isinstance(event, FileClosedEvent):
                settled = {Path(str(event.src_path))}
            elif isinstance(event, FileMovedEvent):
                settled = {Path(str(event.dest_path))}
            else:
                settled = set()
            with self._lock:  # set under the lock, so `changes` never clears a fresh arrival
                self._pending |= relevant
                self._unsettled = (self._unsettled | relevant) - settled
                self._arrived.set()

    def relevant(self, path: Path) -> bool:
        """Whether a change at this path can change the site (see changes.kind_of)."""
        kind = kind_of(path, self.places)
        if kind is Kind.OUTPUT:  # seen when it lies in the project's folder, as by default
            return not path.is_dir()  # gone: to be built whole; made by our own build: no change
        return kind is not Kind.IRRELEVANT

    def pending(self) -> bool:
        """Whether changes arrived since the last batch was taken."""
        return self._arrived.is_set()

    def changes(self, stop: threading.Event | None = None) -> set[Path] | None:
        """The next batch of changed paths, once quiet; None when `stop` is set first."""
        while not self._arrived.wait(0.1):
            if stop is not None and stop.is_set():
                return None
        started = time.monotonic()
        while time.monotonic() - started < LONGEST_BURST:
            with self._lock:
                self._arrived.clear()
                quiet = QUIET if self._unsettled else SETTLED
            if not self._arrived.wait(quiet):
                break
        with self._lock:
            batch, self._pending = self._pending, set()
            self._unsettled = set()
            self._arrived.clear()
        return batch


def _identity(folder: Path) -> tuple[int, int] | None:
    """Which folder is at this path now (device, inode); None when there is none."""
    try:
        status = folder.stat()
    except OSError:
        return None
    return (status.st_dev, status.st_ino) if stat.S_ISDIR(status.st_mode) else None


def _stop(observer: BaseObserver) -> None:
    observer.stop()
    if observer.is_alive():
        observer.join(timeout=1)
