"""Reporting a build to the terminal: exit statuses; progress, diagnostics and summary.

`ProgressLine`, `print_diagnostics` and `summary` live in site_builder.terminal, where
the dev loop can use them too.
"""

from __future__ import annotations

from ..site import BuildReport
from ..terminal import ProgressLine
from ..terminal import print_diagnostics as print_diagnostics  # for build, check, deploy
from ..terminal import summary as summary

EXIT_CLEAN, EXIT_INPUT, EXIT_USAGE = 0, 1, 2

# After a build without an address (build, deploy): what it could not make.
NO_ADDRESS = (
    "note: no site_url, so no sitemap.xml, feed.xml, robots.txt or canonical links "
    "(set site_url in site.toml or pass --site-url)"
)


def exit_status(report: BuildReport, strict: bool) -> int:
    """1 for input errors (or warnings with --strict), else 0."""
    failing = report.diagnostics.errors or (strict and report.diagnostics.warnings)
    return EXIT_INPUT if failing else EXIT_CLEAN


def progress_bar(verb: str = "made") -> ProgressLine:
    """A build's progress on stderr: a live line on a terminal, a plain line every few
    seconds elsewhere (terminal.ProgressLine)."""
    return ProgressLine(verb)
