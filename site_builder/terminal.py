"""Reporting to the terminal: diagnostics, a build's progress and summary, and one line
a dev-loop cycle.

Below the commands, so that `watch` and `serve` print their loop the same way.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .diagnostics import Severity, printable_lines, shown
from .site import BuildReport

if TYPE_CHECKING:  # `build` and `check` need no watcher loaded
    from .devloop import CycleReport

DEBUG = False  # set by --debug: internal errors come with their traceback
DEBUG_HINT = "(run again with --debug to see where)"
LIVE_FROM = 50  # pages; on a terminal, smaller builds end before a live line would help
PLAIN_EVERY = 5.0  # seconds between progress lines where output is not a terminal (CI logs)
BEAT = 1.0  # seconds between looks at the time once the pages are made (ProgressLine)


class Unbroken:
    """A standard stream whose reader may go away (`| head -1`): what is written after
    that goes nowhere, rather than end the command halfway with BrokenPipeError."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._to_nowhere()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._to_nowhere()

    def _to_nowhere(self) -> None:
        # Onto the stream's own descriptor: its buffer, flushed later (at exit too), and
        # any child writing to it, go to /dev/null as well.
        nowhere = os.open(os.devnull, os.O_WRONLY)
        os.dup2(nowhere, self._stream.fileno())
        os.close(nowhere)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def print_diagnostics(report: BuildReport, stream: TextIO | None = None) -> None:
    """Every problem, once, as `path:line: severity: message`, in file order."""
    stream = stream or sys.stderr  # looked up now, so redirected stderr is honoured
    for diagnostic in report.diagnostics.sorted():
        print(diagnostic.format(), file=stream)
        if DEBUG and diagnostic.detail:
            print(printable_lines(diagnostic.detail.rstrip("\n")), file=stream)


class ProgressLine:
    """A build's progress, called with (pages done, pages in all) as each page is made.

    On a terminal, one line rewritten in place as pages are made (for builds of
    LIVE_FROM pages or more). Elsewhere, where a rewritten line would pile up in a
    log, one plain line every `every` seconds of a long build, and nothing for a
    build that ends sooner; the summary comes after either.

    Used as a context manager (as the commands do), it goes on once the pages are
    made: the site-wide pages and the search index take the last third of a large
    build, and a log that stops for a minute looks like a hang. A thread then says
    which `stage` the build is at, until the block ends.
    """

    def __init__(
        self,
        verb: str = "made",
        stream: TextIO | None = None,
        every: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.verb = verb
        self.stream = stream or sys.stderr  # looked up now, so redirected stderr is honoured
        self.live = self.stream.isatty()
        self.every = PLAIN_EVERY if every is None else every
        self.clock = clock
        self.start = self.last = clock()  # made just before the build starts
        self._pages = ""  # "made 3000/3000 pages", once they are
        self._stage = ""
        self._shown = 0  # characters of the live line on screen
        self._lock = threading.Lock()
        self._stop: threading.Event | None = None  # set while in a `with` block
        self._beat: threading.Thread | None = None

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        line = f"{self.verb} {done}/{total} pages, {now - self.start:.0f} s"
        going_on = done == total and self._stop is not None
        if self.live:
            if total >= LIVE_FROM:
                self._print(f"\r{line}", "" if going_on or done < total else "\n")
        elif now - self.last >= self.every and done < total:
            self.last = now
            self._print(line)
        if going_on:
            self._pages = f"{self.verb} {total}/{total} pages"
            self.stage("now the site-wide pages")

    def stage(self, what: str) -> None:
        """What the build does now that its pages are made: said until the next stage."""
        with self._lock:
            self._stage = what
        if self._stop is not None and self._beat is None:
            self._beat = threading.Thread(target=self._beating, name="progress", daemon=True)
            self._beat.start()

    def __enter__(self) -> ProgressLine:
        self._stop = threading.Event()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._stop is not None
        self._stop.set()
        if self._beat is not None:
            self._beat.join()
        if self._shown:
            self._print("", "\n")  # the live line ends before the summary
        self._stop = self._beat = None

    def _beating(self) -> None:
        assert self._stop is not None
        while not self._stop.wait(BEAT):
            now = self.clock()
            with self._lock:
                line = "; ".join(filter(None, (self._pages, self._stage)))
                line += f", {now - self.start:.0f} s"
                if self.live and self._shown:
                    self._print(f"\r{line}".ljust(self._shown + 1), "")
                elif not self.live and now - self.last >= self.every:
                    self.last = now
                    self._print(line)

    def _print(self, text: str, end: str = "\n") -> None:
        print(text, end=end, file=self.stream, flush=True)
        if self.live:
            self._shown = 0 if end else len(text.lstrip("\r"))


def summary(report: BuildReport, verb: str) -> str:
    """One line: pages, notes, warnings, errors (as printed: each once), seconds."""
    errors, warnings = _problems(report)
    return (
        f"{verb} {_count(report.pages, 'page')}, {_count(report.notes, 'note')}, "
        f"{_count(warnings, 'warning')}, {_count(errors, 'error')} "
        f"in {report.seconds:.2f} s"
        + (f" ({report.cached} from the cache)" if report.cached else "")
    )


def print_cycle(report: CycleReport, where: str = "") -> None:
    """A cycle: its problems on stderr, then its one line on stdout (`where` after a build's)."""
    if report.build is not None:
        print_diagnostics(report.build)
    elif report.detail:
        print(printable_lines(report.detail.rstrip("\n")) if DEBUG else DEBUG_HINT, file=sys.stderr)
    print(cycle_line(report) + (where if report.build and not report.changes else ""), flush=True)


def cycle_line(report: CycleReport) -> str:
    """One line a cycle: what changed, how many pages, milliseconds; or what went wrong."""
    result = report.build
    if not report.changes:  # the first build
        return summary(result, "built") if result else printable_lines(report.problem)
    # Files still there first: an editor's save through a temporary file (`sed -i`, a
    # save renamed into place) names the file saved, not the temporary gone.
    names = [shown(p) for p in sorted(report.changes, key=lambda p: (not p.exists(), shown(p)))]
    what = names[0] + (f" and {len(names) - 1} more" if len(names) > 1 else "")
    if result is None:
        return f"{what} changed: {printable_lines(report.problem)}"  # a line a problem
    errors, warnings = _problems(result)
    standing = len(set(result.standing))
    elsewhere = f"; {_count(standing, 'error')} still to fix elsewhere" if standing else ""
    scope = "full rebuild, " if result.full else ""
    return (
        f"{what} changed: {scope}{_count(result.pages, 'page')} "
        f"in {result.seconds * 1000:.0f} ms"
        + (
            f" ({_count(errors, 'error')}, {_count(warnings, 'warning')}{elsewhere})"
            if errors or warnings or standing
            else ""
        )
    )


def watching_line(source: Path, polling: bool) -> str:
    """What the loop watches, and how to stop it."""
    mode = " by polling" if polling else ""
    return f"watching {shown(source)}{mode}; press Ctrl-C to stop"


def _problems(report: BuildReport) -> tuple[int, int]:
    """The errors and the warnings among the diagnostics as printed (each once)."""
    printed = report.diagnostics.sorted()
    errors = sum(d.severity is Severity.ERROR for d in printed)
    return errors, sum(d.severity is Severity.WARNING for d in printed)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
