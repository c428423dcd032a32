"""`site-builder theme eject [NAME...]`: the default theme's files, copied into the site to edit.

A site's own templates/ and static/ come before the default theme's, file by file, so
a copied file is the one the site uses from then on. A file the site already has is
never overwritten.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from ..diagnostics import printable, shown
from ..project import Project
from ..theme import default_theme
from .report import EXIT_CLEAN, EXIT_INPUT, EXIT_USAGE

PARTS = ("templates", "static")


def theme_files() -> dict[str, Path]:
    """Every file of the default theme, by its path in a site (`templates/base.html`)."""
    files = {}
    for part in PARTS:
        folder = default_theme(part)
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                files[f"{part}/{path.relative_to(folder).as_posix()}"] = path
    return files


def chosen(names: Sequence[str], files: dict[str, Path]) -> list[str] | str:
    """The theme files `names` stand for (all when none), or an error naming the unknown.

    A name is a path in the site (`static/site.css`) or, when it is unambiguous, a path
    within templates/ or static/ (`site.css`, `base.html`).
    """
    if not names:
        return list(files)
    picked: list[str] = []
    for name in names:
        matches = [name] if name in files else [f"{part}/{name}" for part in PARTS]
        found = [match for match in matches if match in files]
        if len(found) != 1:
            known = ", ".join(files)
            why = "is in both templates/ and static/" if found else "is not in the default theme"
            return f"error: '{printable(name)}' {why} (known: {known})"
        if found[0] not in picked:
            picked.append(found[0])
    return picked


def create(path: Path, data: bytes) -> bool:
    """Write a new file; False, writing nothing, when `path` exists (even made meanwhile)."""
    try:
        with path.open("xb") as out:
            out.write(data)
    except FileExistsError:
        return False
    return True


def eject(source: Path, names: Sequence[str]) -> int:
    """Copy the named default theme files (all when none) into the site beside `source`."""
    files = theme_files()
    picked = chosen(names, files)
    if isinstance(picked, str):
        print(picked, file=sys.stderr)
        return EXIT_USAGE
    root = Project.at(source).root
    copied = failed = 0
    for relative in picked:
        target = root / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)  # refused when templates/ is a file
            created = create(target, files[relative].read_bytes())
        except OSError as exc:
            folders = [target.parent, *target.parent.parents]
            blocking = next((f for f in folders if f.exists() and not f.is_dir()), None)
            why = f"{shown(blocking)} is a file, not a folder" if blocking else exc.strerror
            print(f"{shown(target)}: error: cannot be written: {why}", file=sys.stderr)
            failed += 1
            continue
        if not created:
            print(f"kept {shown(target)}: it exists; remove it to copy the default again")
            continue
        print(f"copied {shown(target)}")
        copied += 1
    print(
        f"copied {copied} of {len(picked)} theme files; the site uses its own copies "
        "from now on, and the default theme for the rest"
    )
    return EXIT_INPUT if failed else EXIT_CLEAN
