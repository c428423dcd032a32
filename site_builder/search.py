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

import re
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic, Severity
from .output import SEARCH, DryRun
from .site import BuildReport, Site

if TYPE_CHECKING:  # `build` and `deploy` need no watcher loaded
    from .devloop import CycleReport

OWNER = SEARCH  # owner of the search bundle in the output manifest
FOLDER = "pagefind"  # where the bundle goes in the output; static/search.js loads it from here
BINARY = "the pagefind binary"  # as messages name it
# The pages Pagefind reads: article pages, one folder down (SLUG/index.html). The terms
# and tag pages below them hold nothing to index, and reading them took a third of its time.
PAGES = "*/index.html"
TIMEOUT = 600  # seconds; a site of 10,000 articles indexes in well under a minute
SHOWN_LINES = 3  # of the indexer's output, in a message saying why it failed
# Pagefind's own search interfaces, which the site does not use (static/search.js is ours):
# left out of the output. pagefind.js needs the rest: its worker, wasm, entry and index.
UNUSED = re.compile(r"pagefind-(ui|modular-ui|component-ui|highlight)\.(js|css)")


class IndexFailed(Exception):
    """The indexer could not run, or failed; the message says why, naming it."""


def index_site(site: Site, report: BuildReport) -> None:
    """Index the site as last built and write the bundle into its output; its problems
    and time go into the build's report.

    A site without article pages has nothing to search: any bundle is removed, and
    the search box stays the link to the terms page that it is without script.
    """
    started = time.perf_counter()
    report.diagnostics.extend(_index(site))
    report.seconds += time.perf_counter() - started


def index_cycle(site: Site, cycle: CycleReport, announce: Callable[[], None]) -> BuildReport:
    """After a cycle of `watch` or `serve`: `announce` the new pages (reload the open ones),
    then index what the cycle wrote; the indexing's report.

    The pages come first, so an edit reaches the browser as fast as without search;
    meanwhile the index of the last cycle is still there (a full build keeps it too).
    """
    announce()
    report = BuildReport(full=False)
    if cycle.build is not None:  # something was built
        index_site(site, report)
    return report


def _index(site: Site) -> list[Diagnostic]:
    output = site.output
    if isinstance(output, DryRun):
        return []  # `check`: nothing is written, nothing to index
    if not any(entry.summary for entry in site.entries.values()):
        output.remove_owner(OWNER)
        output.save()
        return []
    if not output.changed and _index_intact(site):
        return []  # no page written or removed since the index was: it stands
    try:
        files = run_indexer(output.folder)
    except IndexFailed as failure:
        # No index rather than a stale one: the search box falls back to its link.
        output.remove_owner(OWNER)
        output.save()
        return [Diagnostic(output.folder / FOLDER, 0, Severity.ERROR, str(failure))]
    output.replace(OWNER, {f"{FOLDER}/{name}": data for name, data in files.items()})
    output.save()
    output.changed = False  # the index is of the output as it is now
    return []


def _index_intact(site: Site) -> bool:
    """Whether the output holds the index its manifest lists."""
    bundle = [relative for relative, owner in site.output.files.items() if owner == OWNER]
    return bool(bundle) and all((site.output.folder / relative).is_file() for relative in bundle)


def run_indexer(site: Path) -> dict[str, bytes]:
    """Run Pagefind over a built site; the bundle's files by path within it."""
    binary = pagefind_binary()
    with tempfile.TemporaryDirectory(prefix="site-builder-search-") as scratch:
        bundle = Path(scratch) / FOLDER
        command = [str(binary), "--site", str(site), "--output-path", str(bundle), "--silent"]
        command += ["--glob", PAGES]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, errors="replace", timeout=TIMEOUT
            )
        except OSError as exc:
            raise IndexFailed(
                f"search index not written: cannot run {BINARY} ({binary}): {exc.strerror}"
            ) from exc
        except subprocess.TimeoutExpired as exc:
            raise IndexFailed(f"search index not written: {BINARY} took over {TIMEOUT} s") from exc
        if done.returncode != 0:
            said = [line for line in (done.stderr + done.stdout).splitlines() if line.strip()]
            why = "; ".join(said[-SHOWN_LINES:]) or f"exit status {done.returncode}"
            raise IndexFailed(f"search index not written: {BINARY} ({binary}) failed: {why}")
        return {
            path.relative_to(bundle).as_posix(): path.read_bytes()
            for path in sorted(bundle.rglob("*"))
            if path.is_file() and not UNUSED.fullmatch(path.name)
        }


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
