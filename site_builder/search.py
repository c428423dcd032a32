"""Site search: the built site indexed by Pagefind, its bundle written as part of the output.

Pagefind (the PyPI package `pagefind[bin]`, which carries its indexer binary) reads
the built pages and writes a search bundle that the browser loads in chunks:
`static/search.js` fetches only the parts of the index a query needs. The pages say
what is indexed: an article page marks its `<article>` with `data-pagefind-body`,
so the reading list, terms, tag pages and the chrome around each article are left
out, and each note carries its id and an end marker (`note.html`), so a hit inside a
note can be told from a hit in the text and linked to the note itself.

The indexer writes into a temporary folder; its files then go through `Output`
under an owner of their own, so the manifest lists them, and a new index replaces
the old one file by file: unchanged chunks are left as they are, stale ones
removed. A full build keeps them (its prune spares this owner) for the command to
index again right after it. `build`, `deploy`, `watch` and `serve` index; `check`
writes nothing.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic, Severity
from .output import SEARCH, DryRun
from .site import BuildReport, Site
from .tether import scratch_folder, tethered

if TYPE_CHECKING:  # `build` and `deploy` need no watcher loaded
    from .devloop import CycleReport

OWNER = SEARCH  # owner of the search bundle in the output manifest
FOLDER = "pagefind"  # where the bundle goes in the output; static/search.js loads it from here
ENTRY = "pagefind-entry.json"  # the bundle's root: pagefind.js reads the rest from what it names
BINARY = "the pagefind binary"  # as messages name it
# The pages Pagefind reads: article pages, one folder down (SLUG/index.html). The terms
# and tag pages below them hold nothing to index, and reading them took a third of its time.
PAGES = "*/index.html"
QUIET = 1.0  # seconds `watch` and `serve` wait after a cycle before indexing
NICENESS = 10  # the indexer's, above a build's
TIMEOUT = 600  # seconds; a site of 10,000 articles indexes in well under a minute
SCRATCH = "site-builder-search-"  # the indexer's output folder, in the temporary folder
CLOSING = 5.0  # seconds the command's end waits for the index file being written
SHOWN_LINES = 3  # of the indexer's output, in a message saying why it failed
# Pagefind's own search interfaces, which the site does not use (static/search.js is ours):
# left out of the output. pagefind.js needs the rest: its worker, wasm, entry and index.
UNUSED = re.compile(r"pagefind-(ui|modular-ui|component-ui|highlight)\.(js|css)")


class IndexFailed(Exception):
    """The indexer could not run, or failed; the message says why, naming it."""


def index_site(site: Site, report: BuildReport) -> None:
    """Index the site as last built and write the bundle into its output; its problems
    and time go into the build's report.

    A site without article pages has nothing to search, and one whose settings say
    `search = false` wants no index: any bundle is removed, and the search box stays
    the link to the terms page that it is without script.
    """
    started = time.perf_counter()
    report.diagnostics.extend(_index(site))
    report.seconds += time.perf_counter() - started


class Indexer:
    """Indexing for `watch` and `serve`, beside the dev loop: after each cycle the output
    is indexed in a thread, so that the next save is built at once rather than after
    the indexer (which takes seconds on a large site).

    A cycle holds `lock` while it builds. Taking it ends a Pagefind run under way: what
    that run read is about to change, and it would take the cores the cycle needs (at
    10,000 articles Pagefind takes every core for a minute). The thread runs Pagefind
    without the lock, then takes it to write the index, but only if no cycle began
    since (else it drops what it read; the thread of the cycle after indexes again),
    and a cycle beginning as it writes stops the writing, the old index left whole.
    So one Pagefind runs at a time, and none outlives the command. Meanwhile the
    index of the last cycle stays in place. Problems are handed to `report`.
    """

    def __init__(
        self, site: Site, report: Callable[[BuildReport], None], delay: float = QUIET
    ) -> None:
        self.site = site
        self.report = report
        self.delay = delay  # seconds without a cycle before indexing
        self._closing = threading.Event()
        self._lock = threading.Lock()  # held by a cycle while it builds, and by writing
        self.lock = _Building(self.begin_cycle, self._lock)
        self._generation = 0  # cycles begun so far: an index of an older one is stale
        self._process: subprocess.Popen[str] | None = None  # the Pagefind running
        self._guard = threading.Lock()  # over the last two
        self._threads: list[threading.Thread] = []
        self._closed = False

    def __enter__(self) -> Indexer:
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing.set()
        with self._guard:
            self._closed = True
            self._end_run()  # Pagefind ends with the command
        # A write under way stops at its next file: let it, before the command lets go of
        # the output folder's lock (bounded: a Ctrl-C may have cut a cycle short anywhere).
        if self._lock.acquire(timeout=CLOSING):
            self._lock.release()

    def after(self, cycle: CycleReport) -> None:
        """A cycle is done (its pages announced): index what it wrote, in a thread."""
        if cycle.build is None:
            return  # nothing was built
        thread = threading.Thread(target=self._index, args=(self._generation,), daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Until the indexing begun so far is done (for tests, and a clean exit)."""
        for thread in list(self._threads):
            thread.join(timeout)

    def begin_cycle(self) -> None:
        """A cycle begins: the index of the output before it is stale."""
        with self._guard:
            self._generation += 1
            self._end_run()

    def _end_run(self) -> None:
        if self._process is not None:
            self._process.kill()  # (nothing, if it has ended)
            self._process = None

    def _index(self, generation: int) -> None:
        # A burst of saves is indexed once, after it: Pagefind takes every core for seconds.
        if self._closing.wait(self.delay) or generation != self._generation:
            return
        report = BuildReport(full=False)
        started = time.perf_counter()
        with self._lock:
            if generation != self._generation or self._closed:
                return  # a newer cycle came: its own thread indexes
            plan = _plan(self.site)
        if plan is not None:
            report.diagnostics.extend(plan)
        else:
            try:
                files = run_indexer(self.site.output.folder, partial(self._started, generation))
                failure = None
            except IndexFailed as exc:  # (also when a cycle ended it: then dropped below)
                files, failure = {}, exc
            with self._lock:
                if generation != self._generation or self._closed:
                    return  # built meanwhile: what Pagefind read may be out of date
                # At 10,000 articles writing the bundle takes seconds: a save made
                # meanwhile would wait for it, so a cycle beginning stops it.
                stale = partial(self._stale, generation)
                report.diagnostics.extend(_write(self.site, files, failure, stale))
        report.seconds = time.perf_counter() - started
        if report.diagnostics.items:
            self.report(report)

    def _stale(self, generation: int) -> bool:
        """Whether a cycle began since `generation`, or the command ends."""
        return generation != self._generation or self._closing.is_set()

    def _started(self, generation: int, process: subprocess.Popen[str]) -> None:
        with self._guard:
            self._process = process
            if self._closed or generation != self._generation:
                self._end_run()  # the command ended, or a cycle began, as Pagefind started


class _Building:
    """`Indexer.lock`: held by a cycle while it builds, and taken again by the next."""

    def __init__(self, begin: Callable[[], None], lock: threading.Lock) -> None:
        self.begin, self._lock = begin, lock

    def __enter__(self) -> None:
        self.begin()
        self._lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


def _index(site: Site) -> list[Diagnostic]:
    plan = _plan(site)
    if plan is not None:
        return plan
    try:
        files, failure = run_indexer(site.output.folder), None
    except IndexFailed as exc:
        files, failure = {}, exc
    return _write(site, files, failure)


def _plan(site: Site) -> list[Diagnostic] | None:
    """None when the site is to be indexed; else what there was to say (nothing)."""
    output = site.output
    if isinstance(output, DryRun):
        return []  # `check`: nothing is written, nothing to index
    if not site.config.search or not site.has_pages():
        output.remove_owner(OWNER)
        output.save()
        return []
    if not output.changed and _index_intact(site):
        return []  # no page written or removed since the index was: it stands
    return None


def _write(
    site: Site,
    files: dict[str, bytes],
    failure: IndexFailed | None,
    stop: Callable[[], bool] | None = None,
) -> list[Diagnostic]:
    """The index into the output, or, when the indexer failed, none (not a stale one: the
    search box falls back to its link).

    `stop`, asked before each file, may end the writing: its entry file, which names
    the rest by their digests, comes last, so the index in place stays whole, its files
    beside the new ones written so far, and the output still needs indexing.
    """
    output = site.output
    if failure is not None:
        output.remove_owner(OWNER)
        output.save()
        return [Diagnostic(output.folder / FOLDER, 0, Severity.ERROR, str(failure))]
    bundle = {f"{FOLDER}/{name}": files[name] for name in sorted(files, key=_entry_last)}
    if not output.replace(OWNER, bundle, stop):
        return []
    output.save()
    output.changed = False  # the index is of the output as it is now
    return []


def _entry_last(name: str) -> tuple[bool, str]:
    return name == ENTRY, name


def _index_intact(site: Site) -> bool:
    """Whether the output holds the index its manifest lists."""
    bundle = [relative for relative, owner in site.output.files.items() if owner == OWNER]
    return bool(bundle) and all((site.output.folder / relative).is_file() for relative in bundle)


def run_indexer(
    site: Path, started: Callable[[subprocess.Popen[str]], None] | None = None
) -> dict[str, bytes]:
    """Run Pagefind over a built site; the bundle's files by path within it. `started` is
    given the indexer's process (to end it early)."""
    binary = pagefind_binary()
    with scratch_folder(SCRATCH) as scratch:
        bundle = scratch / FOLDER
        command = [str(binary), "--site", str(site), "--output-path", str(bundle), "--silent"]
        command += ["--glob", PAGES]
        try:
            os.stat(binary)  # (the launcher could only say so from inside)
            process = subprocess.Popen(
                tethered(command),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                errors="replace",
            )
        except OSError as exc:
            raise IndexFailed(
                f"search index not written: cannot run {BINARY} ({binary}): {exc.strerror}"
            ) from exc
        _yield_cpu(process.pid)
        if started is not None:
            started(process)
        try:
            out, err = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            process.kill()
            process.communicate()
            raise IndexFailed(f"search index not written: {BINARY} took over {TIMEOUT} s") from exc
        if process.returncode != 0:
            said = [line for line in (err + out).splitlines() if line.strip()]
            why = "; ".join(said[-SHOWN_LINES:]) or f"exit status {process.returncode}"
            raise IndexFailed(f"search index not written: {BINARY} ({binary}) failed: {why}")
        return {
            path.relative_to(bundle).as_posix(): path.read_bytes()
            for path in sorted(bundle.rglob("*"))
            if path.is_file() and not UNUSED.fullmatch(path.name)
        }


def _yield_cpu(pid: int) -> None:
    """Let a build come before the indexer (a rebuild of `watch` while it indexes)."""
    with contextlib.suppress(AttributeError, OSError):  # not on this system; or it is gone
        os.setpriority(os.PRIO_PROCESS, pid, NICENESS)


def pagefind_binary() -> Path:
    """Where Pagefind's binary is: PAGEFIND_BINARY_PATH, the `pagefind[bin]` package's, or
    one on PATH (the order the `pagefind` package itself looks in)."""
    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise IndexFailed(
            "search index not written: the Python package pagefind is not installed "
            "(pip install 'pagefind[bin]')"
        ) from exc
    binary = get_executable()
    if binary is None:
        raise IndexFailed(
            f"search index not written: {BINARY} is not installed (pip install 'pagefind[bin]')"
        )
    return binary
