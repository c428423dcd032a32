"""Finding the sources, their notes files and the glossary in the source folder."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostics

NOTES_SUFFIX = ".notes.md"
SOURCE_SUFFIXES = (".md", ".txt")
GLOSSARY = "_glossary.md"

# What editors leave beside a file while saving it: never sources, never worth a rebuild.
EDITOR_ARTIFACT = re.compile(
    r"""^[.]           # hidden: Emacs lock .#name, Vim swap .name.swp, our own .tmp-*
      | ~$             # backups: name~
      | ^[#].*[#]$     # Emacs auto-save: #name#
      | ___jb_(tmp|old)___$  # JetBrains safe write
      | ^4913$         # Vim's test of whether it may write in a folder
      | [.](swp|swx|tmp|bak|orig)$""",
    re.VERBOSE,
)


def is_editor_artifact(name: str) -> bool:
    """Whether a file name is an editor's swap, backup, lock or temporary file."""
    return EDITOR_ARTIFACT.search(name) is not None


@dataclass(frozen=True)
class Source:
    """An article's source file and, when there is one, its notes file."""

    path: Path
    notes: Path | None

    @property
    def name(self) -> str:
        return self.path.stem


@dataclass(frozen=True)
class SourceSet:
    sources: tuple[Source, ...]
    glossary: Path | None


def discover(folder: Path, diagnostics: Diagnostics) -> SourceSet:
    """Sort the folder's files into sources with their notes, and the glossary.

    Names starting with `_` or `.` are never articles; a notes file whose article
    is missing is an error, since its notes would silently go nowhere.
    """
    sources: dict[str, list[Path]] = {}
    notes: dict[str, Path] = {}
    glossary = None
    # scandir knows from the listing which entries are folders: no stat per file.
    for item in sorted(os.scandir(folder), key=lambda item: item.name):
        path, name = folder / item.name, item.name
        if name == GLOSSARY:
            glossary = path
        elif name.startswith("_") or is_editor_artifact(name):
            continue
        elif item.is_dir():
            continue  # files beside the articles (images/...), published when linked
        elif name.endswith(NOTES_SUFFIX):
            notes[name[: -len(NOTES_SUFFIX)]] = path
        elif path.suffix in SOURCE_SUFFIXES:
            sources.setdefault(path.stem, []).append(path)
        # Any other file is a file beside the articles, published when a page links to it.
    for stem, path in notes.items():
        if stem not in sources:
            diagnostics.error(
                path,
                1,
                f"notes file without an article: expected {stem}.md or {stem}.txt beside it",
            )
    found = [Source(path, notes.get(stem)) for stem, paths in sources.items() for path in paths]
    return SourceSet(tuple(found), glossary)
