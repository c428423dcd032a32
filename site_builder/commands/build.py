"""`site-builder build`: make the static site."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import shown
from ..parallel import cores
from ..search import index_site
from ..site import Project, Site
from .report import NO_ADDRESS, exit_status, print_diagnostics, progress_bar, summary


def build(
    source: Path,
    out: Path | None,
    strict: bool,
    site_url: str | None,
    jobs: int | None = None,
    drafts: bool = False,
    follow_symlinks: bool = False,
    cache: bool = True,
) -> int:
    """Build the site from `source` into `out`; the exit status."""
    project = Project.at(source, out)
    progress = progress_bar()
    site = Site(
        project,
        site_url=site_url,
        jobs=jobs or cores(),
        progress=progress,
        drafts=drafts,
        follow_symlinks=follow_symlinks,
        cache=cache,
    )
    with site.holding_output("build"), progress:  # until the index is written too
        report = site.build()
        progress.stage("now the search index")
        index_site(site, report)  # the pages are written: index them
    print_diagnostics(report)
    print(summary(report, "built") + f" -> {shown(project.out)}")
    if not report.base_url:
        print(NO_ADDRESS)
    return exit_status(report, strict)
