"""Reporting a build to the terminal: exit statuses, progress; diagnostics and summary.

`print_diagnostics` and `summary` live in site_builder.terminal, where the dev loop
uses them too.
"""

from __future__ import annotations

import sys
from typing import TextIO

from ..site import BuildReport, Progress
from ..terminal import print_diagnostics as print_diagnostics  # for build, check, deploy
from ..terminal import summary as summary

EXIT_CLEAN, EXIT_INPUT, EXIT_USAGE = 0, 1, 2
PROGRESS_FROM = 50  # articles; smaller builds finish before progress would help


def exit_status(report: BuildReport, strict: bool) -> int:
    """1 for input errors (or warnings with --strict), else 0."""
    failing = report.diagnostics.errors or (strict and report.diagnostics.warnings)
    return EXIT_INPUT if failing else EXIT_CLEAN


def progress_bar(stream: TextIO | None = None) -> Progress | None:
    """A progress line for long builds on a terminal; None where it would only be noise."""
    stream = stream or sys.stderr
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        if total >= PROGRESS_FROM:
            end = "\n" if done == total else ""
            print(f"\rrendering {done}/{total} articles", end=end, file=stream, flush=True)

    return show
