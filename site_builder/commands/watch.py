"""`site-builder watch`: build, then rebuild what changed whenever an input is saved."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path

from ..diagnostics import shown
from ..site import BuildReport, Project, Site
from ..watching import Watcher, rebuild_on_change
from .report import EXIT_CLEAN, print_diagnostics, summary


def watch(source: Path, out: Path | None, poll: bool) -> int:
    """Build, then rebuild on every change until Ctrl-C."""
    project = Project.at(source, out)
    site = Site(project, drafts=True)
    report = site.build()
    print_diagnostics(report)
    print(summary(report, "built") + f" -> {shown(project.out)}", flush=True)
    return keep_watching(site, poll)


def keep_watching(
    site: Site, poll: bool, after: Callable[[BuildReport | str], None] | None = None
) -> int:
    """Watch the site's inputs and rebuild until Ctrl-C; `after(report)` runs after each."""
    watcher = Watcher(site.project, poll=poll)
    mode = " by polling" if watcher.polling else ""
    print(f"watching {shown(site.project.source)}{mode}; press Ctrl-C to stop", flush=True)
    stop = threading.Event()

    def rebuilt(changes: set[Path], result: BuildReport | str) -> None:
        print(rebuild_line(changes, result), flush=True)
        if isinstance(result, BuildReport):
            print_diagnostics(result)
        if after:
            after(result)

    try:
        rebuild_on_change(site, watcher, stop, rebuilt)
    except KeyboardInterrupt:
        stop.set()
    finally:
        watcher.stop()
    print("stopped", file=sys.stderr)
    return EXIT_CLEAN


def rebuild_line(changes: set[Path], result: BuildReport | str) -> str:
    """One terminal line a rebuild: what changed, how many pages, milliseconds."""
    names = sorted(shown(path) for path in changes)
    what = names[0] + (f" and {len(names) - 1} more" if len(names) > 1 else "")
    if isinstance(result, str):
        return f"{what} changed: {result}"
    problems = len(result.diagnostics.errors), len(result.diagnostics.warnings)
    scope = "full rebuild, " if result.full else ""
    return (
        f"{what} changed: {scope}{result.pages} page{'s' if result.pages != 1 else ''} "
        f"in {result.seconds * 1000:.0f} ms"
        + (f" ({problems[0]} errors, {problems[1]} warnings)" if any(problems) else "")
    )
