"""Finding the sources, their notes files and the glossary in the source folder."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostics
from .frontmatter import split_front_matter
from .reading import Reader, Refused
from .sources import ANYWHERE, Source

NOTES_SUFFIX = ".notes.md"
SOURCE_SUFFIXES = (".md", ".txt")
GLOSSARY = "_glossary.md"
UNBUILT = (
    "is in a subfolder, where no article is built, and no page links to it: nothing of "
    "it is published (articles and their notes sit at the top of {folder}/; folders "
    "named with a leading _ are not looked in)"
)
UNREADABLE = "cannot be read, so what it holds is neither built nor published"

# A name meant for a notes file: NAME, a separator, "note" or "notes", maybe an extension.
# After a dot it can only be meant as notes (launch-day.notes.txt, launch-day.Note.md);
# after `-`, `_` or a space it may be an article's own name ("field-notes.md"), so that
# counts only with an extension, when NAME's article exists and the file opens with a
# `## term` heading.
NOTES_LIKE = re.compile(
    r"^(?P<stem>.+?)(?P<separator>[-_ .])notes?(?P<extension>[.](md|markdown|txt))?$",
    re.IGNORECASE,
)

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
class SourceSet:
    sources: tuple[Source, ...]
    glossary: Path | None
    # Sources that are one file under two names (a symlink to another source): no page.
    same_file: frozenset[Path] = frozenset()


def looks_like_notes(name: str) -> bool:
    """Whether a file name may be a misnamed notes file (its content may decide)."""
    return NOTES_LIKE.match(name) is not None and not name.endswith(NOTES_SUFFIX)


def discover(folder: Path, diagnostics: Diagnostics, reader: Reader = ANYWHERE) -> SourceSet:
    """Sort the folder's files into sources with their notes, and the glossary.

    Names starting with `_` or `.` are never articles. A notes file whose article
    is missing, and a file meant as notes but misnamed (see NOTES_LIKE), are errors,
    since their notes would silently go nowhere; a misnamed one is never an article.
    """
    sources: dict[str, list[Path]] = {}
    notes: dict[str, Path] = {}
    lookalikes: list[Path] = []
    links: set[Path] = set()
    glossary = None
    # scandir knows from the listing which entries are folders: no stat per file.
    for item in sorted(os.scandir(folder), key=lambda item: item.name):
        path, name = folder / item.name, item.name
        if item.is_symlink():
            links.add(path)
        if name == GLOSSARY:
            glossary = path
        elif name.startswith("_") or is_editor_artifact(name):
            continue
        elif _is_dir(item):
            continue  # files beside the articles (images/...), published when linked
        elif name.endswith(NOTES_SUFFIX):
            notes[name[: -len(NOTES_SUFFIX)]] = path
        elif looks_like_notes(name):
            lookalikes.append(path)
        elif path.suffix in SOURCE_SUFFIXES:
            sources.setdefault(path.stem, []).append(path)
        # Any other file is a file beside the articles, published when a page links to it.
    for path in lookalikes:
        match = NOTES_LIKE.match(path.name)
        assert match is not None
        stem = _article_stem(match["stem"], sources)
        dotted = match["separator"] == "."
        if dotted or (match["extension"] and stem in sources and _opens_with_a_term(path, reader)):
            diagnostics.error(path, 0, _misnamed(stem, sources, notes))
        elif path.suffix in SOURCE_SUFFIXES:
            sources.setdefault(path.stem, []).append(path)
    for stem, path in notes.items():
        if stem not in sources:
            named = _article_stem(stem, sources)
            fix = f"; rename it to {named}{NOTES_SUFFIX}" if named in sources else ""
            diagnostics.error(
                path,
                0,
                f"notes file without an article: expected {stem}.md or {stem}.txt beside it{fix}",
            )
    found = sorted(
        (Source(path, notes.get(stem)) for stem, paths in sources.items() for path in paths),
        key=lambda source: source.path.name,
    )
    same = _same_files([source.path for source in found], links, folder, diagnostics)
    return SourceSet(tuple(found), glossary, same)


def unbuilt_sources(folder: Path, linked: set[str], diagnostics: Diagnostics) -> None:
    """Warn of each .md and .txt file in the source folder's subfolders that no page
    links to, and of each subfolder that cannot be read.

    Articles and their notes sit at the top of the source folder; a subfolder holds
    files pages link to. An editor who files `2024/launch.md` there expects a page,
    and would get nothing, not a word. Folders named with `_` or `.` are not looked
    in (keep files only meant for linking there), nor symlinked ones. A folder at a
    time from a stack, not os.walk's recursion, which a tree 1,000 deep exhausts.
    """
    folders = [folder]
    while folders:
        current = folders.pop()
        try:
            with os.scandir(current) as listing:
                items = sorted(listing, key=lambda item: item.name, reverse=True)
        except OSError as exc:  # said at the link instead, when a page links into it
            inside = current.relative_to(folder).as_posix() + "/"
            if not any(name.startswith(inside) for name in linked):
                diagnostics.warning(current, 0, f"{UNREADABLE} ({exc.strerror or exc})")
            continue
        for item in items:
            path = Path(item.path)
            if item.name.startswith(("_", ".")):
                continue
            if item.is_dir(follow_symlinks=False):
                folders.append(path)
            elif (
                current != folder
                and os.path.splitext(item.name)[1] in SOURCE_SUFFIXES
                and not is_editor_artifact(item.name)
                and path.relative_to(folder).as_posix() not in linked
            ):
                diagnostics.warning(path, 0, UNBUILT.format(folder=folder.name))


def _same_files(
    paths: list[Path], links: set[Path], folder: Path, diagnostics: Diagnostics
) -> frozenset[Path]:
    """Sources that are one file under two names, each an error naming the others.

    Only a symlink can make them so, and only symlinks are resolved to find out.
    """
    if not links:
        return frozenset()
    real_folder = os.path.realpath(folder)
    by_file: dict[str, list[Path]] = {}
    for path in paths:
        real = os.path.realpath(path) if path in links else os.path.join(real_folder, path.name)
        by_file.setdefault(real, []).append(path)
    same = [names for names in by_file.values() if len(names) > 1]
    for names in same:
        for path in names:
            others = ", ".join(str(other) for other in names if other != path)
            diagnostics.error(
                path,
                0,
                f"is the same file as {others} (a symlink leads from one to the other); "
                "neither page is made until one of them is removed",
            )
    return frozenset(path for names in same for path in names)


def _is_dir(item: os.DirEntry[str]) -> bool:
    """Whether an entry is a folder, or a symlink to one; a symlink loop is not (reading it
    says what it is)."""
    try:
        return item.is_dir()
    except OSError:
        return False


def _article_stem(stem: str, sources: dict[str, list[Path]]) -> str:
    """The stem of the article a notes file's name means: the same, or the same but for case."""
    if stem in sources:
        return stem
    return next((name for name in sources if name.casefold() == stem.casefold()), stem)


def _opens_with_a_term(path: Path, reader: Reader) -> bool:
    """Whether a file's first line of text (after any front matter) is a `## term` heading."""
    try:
        text = reader.read(path).decode("utf-8-sig", errors="replace")
    except (OSError, Refused):  # read as an article, it is refused there with the reason
        return False
    body = split_front_matter(text.replace("\r\n", "\n")).body
    first = next((line for line in body.split("\n") if line.strip()), "")
    return first.startswith("## ")


def _misnamed(stem: str, sources: dict[str, list[Path]], notes: dict[str, Path]) -> str:
    """The message for a misnamed notes file, with the fix."""
    target = f"{stem}{NOTES_SUFFIX}"
    message = (
        f"looks like notes, but notes files are named NAME{NOTES_SUFFIX}, so it is neither "
        "read nor published"
    )
    if stem in notes:
        return f"{message}; {target} exists too: move these notes into it"
    if stem not in sources:
        return f"{message}; rename it to {target}, beside its article {stem}.md or {stem}.txt"
    return f"{message}; rename it to {target}"
