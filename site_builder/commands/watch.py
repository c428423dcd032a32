"""`site-builder watch`: build, then rebuild what changed whenever an input is saved."""

from __future__ import annotations

import sys
from pathlib import Path

from ..devloop import CycleReport, DevLoop, until_stopped
from ..diagnostics import shown
from ..project import Project
from ..search import Indexer
from ..site import Site
from ..terminal import print_cycle, print_diagnostics, watching_line
from ..watching import Watcher
from .report import EXIT_CLEAN, progress_bar


def watch(source: Path, out: Path | None, poll: bool, follow_symlinks: bool = False) -> int:
    """Build, then rebuild on every change until Ctrl-C, SIGTERM or SIGHUP."""
    project = Project.at(source, out)
    with until_stopped(), Watcher(project, poll=poll) as watcher:
        # The first build shows its progress, as `build` does; rebuilds are quick.
        progress = progress_bar()
        site = Site(project, drafts=True, follow_symlinks=follow_symlinks, progress=progress)
        with site.holding_output("watch"), Indexer(site, print_diagnostics) as indexer:
            loop = DevLoop(site, watcher, indexer.lock)

            def show(report: CycleReport, where: str = "") -> None:
                print_cycle(report, where)
                indexer.after(report)

            with progress:
                first = loop.build()
            show(first, where=f" -> {shown(project.out)}")
            site.progress = None
            print(watching_line(project.source, watcher.polling), flush=True)
            loop.run(show)
    print("stopped", file=sys.stderr)
    return EXIT_CLEAN
