"""`site-builder check`: validate sources and notes, write nothing."""

from __future__ import annotations

from pathlib import Path

from ..site import Project, build_site
from .report import exit_status, print_diagnostics, progress_bar, summary


def check(source: Path, strict: bool, follow_symlinks: bool = False) -> int:
    """Run the whole pipeline without writing; the exit status."""
    with progress_bar("checked") as progress:
        report = build_site(
            Project.at(source), write=False, progress=progress, follow_symlinks=follow_symlinks
        )
    print_diagnostics(report)
    print(summary(report, "checked"))
    return exit_status(report, strict)
