"""One dev loop for `watch` and `serve`: build, then rebuild after every batch of changes.

The watcher is started before the first build, so a file saved while that build
runs is built right after it. Every cycle ends in a report and nothing else: a
broken site.toml, a refused output folder, a vanished source folder or an
exception no input should cause is the one line of its report, and the loop
goes on (as MkDocs' livereload loop does). A cycle after such a failure builds
everything, so the next good save recovers. The commands only wire the loop to
the terminal and, for `serve`, to the server.
"""

from __future__ import annotations

import gc
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from .config import ConfigError
from .diagnostics import INTERNAL, Severity, printable, shown
from .output import OutputError
from .site import BuildReport, Site
from .watching import Watcher

# Stop as Ctrl-C does: a process manager or `timeout` sends SIGTERM, a closed terminal SIGHUP.
STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")
SWITCH_INTERVAL = 0.001  # seconds a thread may keep the interpreter while another waits


@dataclass(frozen=True)
class CycleReport:
    """What one cycle did: a build's report, or the one line saying why nothing was built."""

    changes: frozenset[Path] = frozenset()  # what set it off; empty for the first build
    build: BuildReport | None = None
    problem: str = ""  # nothing was built: `path:line: error: message` (a line each), or why
    detail: str = ""  # the traceback of an internal error, shown with --debug
    # Output files written anew or removed since `on_made` was told of the pages (None:
    # any may have been, by a full build).
    renewed: frozenset[str] | None = None

    @property
    def errors(self) -> list[str]:
        """The errors an open page shows over itself: `path:line: error: message`."""
        if self.build is None:
            return self.problem.split("\n")  # site.toml's problems, all of them
        problems = {*self.build.diagnostics.items, *self.build.standing}  # all still to fix
        return [
            problem.format() for problem in sorted(problems) if problem.severity is Severity.ERROR
        ]


class DevLoop:
    """A site and the watcher of its inputs, turning each batch of changes into a report."""

    def __init__(
        self,
        site: Site,
        watcher: Watcher,
        lock: AbstractContextManager[object] | None = None,
        on_made: Callable[[set[str]], None] | None = None,
    ) -> None:
        self.site = site
        self.watcher = watcher
        self.stale = True  # the next cycle builds everything
        # Held while a cycle builds: others (the search indexer) use the output between.
        self.lock = lock if lock is not None else nullcontext()
        # Told of the files a rebuild wrote for the changed pages, made without errors,
        # before it makes the site-wide ones (seconds, on a large site): `serve` reloads
        # them (the cycle's report lists the rest).
        self.on_made = on_made

    def build(self) -> CycleReport:
        """The first build; a broken site.toml or a refused output folder end the command."""
        return self._cycle(frozenset(), fatal=(ConfigError, OutputError))

    def cycle(self, changes: frozenset[Path]) -> CycleReport:
        """Rebuild what these changes touch; whatever goes wrong is in the report."""
        return self._cycle(changes, fatal=())

    def run(
        self, on_report: Callable[[CycleReport], None], stop: threading.Event | None = None
    ) -> None:
        """A cycle after every batch of changes, each report handed on, until `stop` is set."""
        with _switching_often():
            while (changes := self.watcher.changes(stop)) is not None:
                on_report(self.cycle(frozenset(changes)))

    def _cycle(self, changes: frozenset[Path], fatal: tuple[type[Exception], ...]) -> CycleReport:
        try:
            self.watcher.follow(changes)  # before building: what is saved meanwhile is seen
            source = self.site.project.source
            if not source.is_dir():
                self.stale = True
                problem = f"{shown(source)}: error: source folder not found; waiting for it"
                return CycleReport(changes, problem=printable(problem))
            with self.lock, _uncollected_until_kept():
                self.site.output.take_renewed()  # the search index, written between cycles
                if self.stale:
                    build = self.site.build()
                else:
                    build = self.site.rebuild(changes, later=self.watcher.pending, made=self._made)
                _keep(build.full)
                renewed = None
                if not build.full:
                    renewed = frozenset(self.site.output.take_renewed())
        except fatal:
            raise
        except ConfigError as exc:  # a line a problem, each printable
            self.stale = True
            return CycleReport(changes, problem=str(exc))
        except OutputError as exc:
            self.stale = True
            return CycleReport(changes, problem=printable(str(exc)))
        except Exception as exc:  # no input should get here: say so, and go on
            self.stale = True
            said = str(exc).splitlines()
            what = type(exc).__name__ + (f": {said[0]}" if said else "")
            return CycleReport(
                changes,
                problem=printable(f"error: {INTERNAL}: {what}"),
                detail="".join(traceback.format_exception(exc)),
            )
        self.stale = False
        return CycleReport(changes, build, renewed=renewed)

    def _made(self, clean: bool) -> None:
        """The changed pages are written (`clean`: without errors, which wait for the end)."""
        if clean and self.on_made is not None and (renewed := self.site.output.take_renewed()):
            self.on_made(renewed)


@contextmanager
def _switching_often() -> Iterator[None]:
    """Let the watcher's threads run within a millisecond of wanting to, not five (Python's
    switch interval): a save reaches the loop through three of them, and while a rebuild
    makes the site-wide pages each waited that long for the interpreter (15 ms in all).
    Only threads that want to run are switched to, so a rebuild alone loses nothing."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


@contextmanager
def _uncollected_until_kept() -> Iterator[None]:
    """No garbage collection from a cycle's start until what it made is kept (`_keep`):
    switched on at the end of a rebuild, the collector's first pass went over all the
    rebuild had made (a million objects at 10,000 articles when a save stopped the
    site-wide pages: 30 ms, which that save waited for)."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _keep(full: bool) -> None:
    """Keep what the site holds out of the garbage collector's passes from now on: at
    10,000 articles a pass over it (2.4 million objects) took 1.4 s, in the middle of the
    next cycle. After a full build, what it replaced is collected first (a theme's
    templates hold reference cycles); a rebuild replaces pages, which hold none."""
    if full:
        gc.unfreeze()
        gc.collect()
    gc.freeze()


@contextmanager
def until_stopped() -> Iterator[None]:
    """Run what is inside until Ctrl-C, SIGTERM or SIGHUP, which all end it the same way.

    Each is turned into the KeyboardInterrupt that Ctrl-C raises, so every
    `finally` and `with` on the way out runs (the watcher stops, the server
    closes, a temporary output folder is removed), and is swallowed here. A
    second signal is ignored so that it cannot cut that short. A signal ignored
    when the command started (`nohup`, a background job) stays ignored. Only in
    the main thread, where Python runs signal handlers.
    """
    previous: dict[int, Callable[[int, FrameType | None], object] | int | None] = {}

    def interrupt(number: int, frame: FrameType | None) -> None:
        for other in previous:
            signal.signal(other, signal.SIG_IGN)
        raise KeyboardInterrupt

    for name in STOP_SIGNALS:
        number = getattr(signal, name, None)  # Windows has no SIGHUP
        if number is not None and signal.getsignal(number) is not signal.SIG_IGN:
            previous[number] = signal.signal(number, interrupt)
    try:
        yield
    except KeyboardInterrupt:
        pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
