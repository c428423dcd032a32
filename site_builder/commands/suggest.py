"""`site-builder suggest ARTICLE`: candidate terms that have no note yet."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from ..config import load_config
from ..diagnostics import Diagnostics, printable, printable_lines, shown
from ..matching import term_key
from ..project import Project
from ..reading import Reader
from ..suggest import Candidate, append_headings, suggest_for
from .report import EXIT_CLEAN, EXIT_INPUT, EXIT_USAGE

NEXT_STEP = "write each note's text under its heading: until then `build` names it as an error"


def suggest(
    article: Path, write: bool, terms: Sequence[str] = (), follow_symlinks: bool = False
) -> int:
    """List an article's candidate terms, ranked; with `write`, add their headings to its
    notes file (only those in `terms`, when any are named). The exit status."""
    if not article.is_file():
        what = "is a folder, not an article" if article.is_dir() else "no such article"
        print(f"{shown(article)}: error: {what}", file=sys.stderr)
        return EXIT_USAGE
    project = Project.at(article.parent)
    config = load_config(project.config)
    reader = Reader(project.root, follow_symlinks, config.max_file_mb)
    problems = Diagnostics()
    found = suggest_for(article, config, problems, reader)
    if found is None:  # other problems (a note still to write) are build's and check's to tell
        for diagnostic in problems.sorted():
            print(diagnostic.format(), file=sys.stderr)
        return EXIT_INPUT
    candidates = list(found.candidates)
    if terms:
        wanted = {term_key(term): term for term in terms}
        candidates = [c for c in candidates if term_key(c.term) in wanted]
        missing = wanted.keys() - {term_key(c.term) for c in candidates}
        for key in sorted(missing):
            print(
                printable(
                    f"{shown(article)}: error: '{wanted[key]}' is not a candidate "
                    f"(noted already, or not in the text)"
                ),
                file=sys.stderr,
            )
        if missing:
            return EXIT_INPUT
    print(table(article, candidates))
    if write and candidates:
        try:
            append_headings(found.notes, candidates)
        except OSError as exc:  # a folder by that name, a read-only file or disk
            why = exc.strerror or str(exc)
            print(
                printable(f"{shown(found.notes)}: error: cannot be written ({why}); nothing added"),
                file=sys.stderr,
            )
            return EXIT_INPUT
        count = len(candidates)
        heading = "heading" if count == 1 else "headings"
        print(f"added {count} {heading} to {shown(found.notes)}; {NEXT_STEP}")
    return EXIT_CLEAN


def table(article: Path, candidates: Sequence[Candidate]) -> str:
    """The candidates, one a line: count, first line, term, and why it is one."""
    if not candidates:
        return f"{shown(article)}: no candidate terms without a note"
    width = min(40, max(len(_named(c)) for c in candidates))
    rows = [
        f"{shown(article)}: {len(candidates)} candidate "
        f"term{'s' if len(candidates) != 1 else ''} without a note",
        f"{'count':>5}  {'line':>5}  {'term':<{width}}  kind",
    ]
    for candidate in candidates:
        why = candidate.kind.label
        if candidate.known_from:
            why += f", noted in {candidate.known_from}"
        rows.append(
            f"{candidate.count:>5}  {candidate.line:>5}  {_named(candidate):<{width}}  {why}"
        )
    return printable_lines("\n".join(rows))


def _named(candidate: Candidate) -> str:
    aliases = f" ({', '.join(candidate.aliases)})" if candidate.aliases else ""
    return " ".join(candidate.term.split()) + aliases
