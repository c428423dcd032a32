"""Reporting a build to the terminal: diagnostics, progress and the closing summary."""

from __future__ import annotations

import sys
from typing import TextIO

from ..site import BuildReport, Progress

EXIT_CLEAN, EXIT_INPUT, EXIT_USAGE = 0, 1, 2
PROGRESS_FROM = 50  # articles; smaller builds finish before progress would help
DEBUG = False  # set by --debug: internal errors come with their traceback


def print_diagnostics(report: BuildReport, stream: TextIO | None = None) -> None:
    """Every problem, once, as `path:line: severity: message`, in file order."""
    stream = stream or sys.stderr  # looked up now, so redirected stderr is honoured
    for diagnostic in report.diagnostics.sorted():
        print(diagnostic.format(), file=stream)
        if DEBUG and diagnostic.detail:
            print(diagnostic.detail.rstrip("\n"), file=stream)


def exit_status(report: BuildReport, strict: bool) -> int:
    """1 for input errors (or warnings with --strict), else 0."""
    failing = report.diagnostics.errors or (strict and report.diagnostics.warnings)
    return EXIT_INPUT if failing else EXIT_CLEAN


def summary(report: BuildReport, verb: str) -> str:
    """One line: pages, notes, warnings, errors, seconds."""
    errors, warnings = len(report.diagnostics.errors), len(report.diagnostics.warnings)
    return (
        f"{verb} {_count(report.pages, 'page')}, {_count(report.notes, 'note')}, "
        f"{_count(warnings, 'warning')}, {_count(errors, 'error')} "
        f"in {report.seconds:.2f} s"
    )


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


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
