"""`site-builder watch`: build, then rebuild what changed whenever an input is saved."""

from __future__ import annotations

import sys
from pathlib import Path

from ..devloop import DevLoop, until_stopped
from ..diagnostics import shown
from ..project import Project
from ..site import Site
from ..terminal import print_cycle, watching_line
from ..watching import Watcher
from .report import EXIT_CLEAN


def watch(source: Path, out: Path | None, poll: bool, follow_symlinks: bool = False) -> int:
    """Build, then rebuild on every change until Ctrl-C, SIGTERM or SIGHUP."""
    project = Project.at(source, out)
    with until_stopped(), Watcher(project, poll=poll) as watcher:
        loop = DevLoop(Site(project, drafts=True, follow_symlinks=follow_symlinks), watcher)
        print_cycle(loop.build(), where=f" -> {shown(project.out)}")
        print(watching_line(project.source, watcher.polling), flush=True)
        loop.run(print_cycle)
    print("stopped", file=sys.stderr)
    return EXIT_CLEAN
