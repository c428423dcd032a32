"""`site-builder build`: make the static site."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import shown
from ..site import Project, build_site
from .report import exit_status, print_diagnostics, progress_bar, summary


def build(source: Path, out: Path | None, strict: bool, site_url: str | None, jobs: int = 1) -> int:
    """Build the site from `source` into `out`; the exit status."""
    project = Project.at(source, out)
    report = build_site(project, site_url=site_url, jobs=jobs, progress=progress_bar())
    print_diagnostics(report)
    print(summary(report, "built") + f" -> {shown(project.out)}")
    return exit_status(report, strict)
