"""Watching a site's inputs with watchdog, in batches ready to rebuild from.

Events from the source folder, templates/, static/ and site.toml are collected
on watchdog's thread; `Watcher.changes` hands them over once they have been
quiet for a moment, so the bursts an editor makes while saving (write a
temporary file, rename it over the old one, delete a backup) become one build.
Editor artifacts and anything in the output folder are never reported.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from .changes import Kind, kind_of
from .config import ConfigError
from .output import OutputError
from .project import Project
from .site import BuildReport, Site

QUIET = 0.01  # seconds without events that end a burst
LONGEST_BURST = 0.5  # seconds: a stream of events never delays a build longer
POLL_INTERVAL = 0.2  # seconds between scans when polling
# Our own builds open and read the sources: only events that change something count.
EVENTS = [
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileClosedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]


class Watcher(FileSystemEventHandler):
    """Collects the paths that changed under a project's inputs."""

    def __init__(self, project: Project, poll: bool = False) -> None:
        self.project = project
        self.places = places = project.resolved()
        self.root = places.root
        self.inputs = (places.source, places.templates, places.static, places.public)
        self._pending: set[Path] = set()
        self._lock = threading.Lock()
        self._arrived = threading.Event()
        self.observer, self.polling = self._start(poll)

    def _start(self, poll: bool) -> tuple[BaseObserver, bool]:
        """The native observer, or polling when asked for or when the native one cannot start."""
        if not poll:
            try:
                return self._schedule(Observer()), False
            except OSError:  # e.g. inotify watch limit reached, or no inotify at all
                pass
        return self._schedule(PollingObserver(timeout=POLL_INTERVAL)), True

    def _schedule(self, observer: BaseObserver) -> BaseObserver:
        # The project root only for site.toml and for templates/ or static/ appearing.
        observer.schedule(self, str(self.root), recursive=False, event_filter=EVENTS)
        self._watched: set[Path] = set()
        self._watch_folders(observer)
        observer.start()
        return observer

    def _watch_folders(self, observer: BaseObserver) -> None:
        for folder in self.inputs:
            if folder.is_dir() and folder not in self._watched:
                observer.schedule(self, str(folder), recursive=True, event_filter=EVENTS)
                self._watched.add(folder)

    def watch_new_folders(self) -> None:
        """Start watching templates/ or static/ if they appeared since."""
        self._watch_folders(self.observer)

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=1)

    def dispatch(self, event: FileSystemEvent) -> None:
        paths = [event.src_path, getattr(event, "dest_path", "")]
        relevant = {Path(str(p)) for p in paths if p and self.relevant(Path(str(p)))}
        if relevant:
            with self._lock:  # set under the lock, so `changes` never clears a fresh arrival
                self._pending |= relevant
                self._arrived.set()

    def relevant(self, path: Path) -> bool:
        """Whether a change at this path can change the site (see changes.kind_of)."""
        return kind_of(path, self.places) not in (Kind.IRRELEVANT, Kind.OUTPUT)

    def changes(self, stop: threading.Event) -> set[Path] | None:
        """The next batch of changed paths, once quiet; None when `stop` is set first."""
        while not self._arrived.wait(0.1):
            if stop.is_set():
                return None
        started = time.monotonic()
        while time.monotonic() - started < LONGEST_BURST:
            self._arrived.clear()
            if not self._arrived.wait(QUIET):
                break
        with self._lock:
            batch, self._pending = self._pending, set()
            self._arrived.clear()
        return batch


def rebuild_on_change(
    site: Site,
    watcher: Watcher,
    stop: threading.Event,
    on_rebuild: Callable[[set[Path], BuildReport | str], None],
) -> None:
    """Rebuild after every batch of changes until `stop` is set.

    Problems never stop the loop: input errors are in the report, and a broken
    site.toml or a refused output folder comes as a message instead of a report.
    """
    while (changes := watcher.changes(stop)) is not None:
        try:
            result: BuildReport | str = site.rebuild(changes)
        except (ConfigError, OutputError) as exc:
            result = str(exc)
        watcher.watch_new_folders()
        on_rebuild(changes, result)
