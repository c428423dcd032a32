"""The output folder: checked before use, written atomically, pruned of stale pages.

A manifest records which file was written for which source, so a rebuild can
tell our files from anyone else's, remove pages of deleted articles, and keep
the last good output of a page whose source is broken.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .diagnostics import shown

MANIFEST = ".site-builder-manifest.json"
SITE = ""  # owner of pages that belong to no one source (reading list, terms, 404)
ASSETS = "(assets)"  # owner of static files
FILE_MODE = 0o644
UNTOUCHED = {".git", MANIFEST}  # a git worktree for publishing may live in the output


class OutputError(Exception):
    """The output folder cannot be used; nothing was written."""


def check_output_dir(out: Path, project: Path, protected: list[Path]) -> None:
    """Refuse an output folder that could overwrite the project or files we did not write."""
    target = out.resolve()
    if target == project.resolve() or target == Path(target.anchor):
        raise OutputError(
            f"{shown(out)}: error: refusing to write the site into the project folder itself; "
            "use a folder of its own such as _site"
        )
    for path in protected:
        path = path.resolve()
        if path == target or path.is_relative_to(target) or target.is_relative_to(path):
            raise OutputError(
                f"{shown(out)}: error: refusing an output folder that holds or sits inside "
                f"{shown(path)}; use a folder of its own such as _site"
            )
    if target.exists() and not target.is_dir():
        raise OutputError(f"{shown(out)}: error: is a file, not a folder")
    if target.is_dir():
        owned = set(_read_manifest(target))
        strangers = sorted(
            str(path.relative_to(target))
            for path in target.rglob("*")
            if path.is_file()
            and not _untouched(path.relative_to(target))
            and path.relative_to(target).as_posix() not in owned
        )
        if strangers:
            listed = ", ".join(strangers[:5]) + (" ..." if len(strangers) > 5 else "")
            raise OutputError(
                f"{shown(out)}: error: holds files site-builder did not write ({listed}); "
                "empty it or choose another output folder"
            )


class Output:
    """Writes files under one folder and remembers which source each came from."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files = _read_manifest(folder)  # relative path -> owner
        self.written: set[str] = set()  # since the last save
        self._listed = dict(self.files)  # what the manifest on disk says

    def write(self, relative: str, content: str | bytes, owner: str = SITE) -> None:
        """Write one file atomically, and only if its content changed."""
        target = self._inside(relative)
        data = content.encode("utf-8") if isinstance(content, str) else content
        self.files[relative] = owner
        self.written.add(relative)
        self._store(target, data)

    def _store(self, target: Path, data: bytes) -> None:
        """Put the bytes in place atomically, unless they are there already."""
        if target.is_file() and target.read_bytes() == data:
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(temporary, FILE_MODE)  # mkstemp makes 0600; a site is meant to be read
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def replace(self, owner: str, files: Mapping[str, str | bytes]) -> None:
        """Write an owner's files, removing any other file it wrote before."""
        for relative, content in files.items():
            self.write(relative, content, owner)
        for relative in [r for r, o in self.files.items() if o == owner and r not in files]:
            self.remove(relative)

    def remove_owner(self, owner: str) -> None:
        """Remove every file written for an owner (a deleted source)."""
        for relative in [r for r, o in self.files.items() if o == owner]:
            self.remove(relative)

    def remove(self, relative: str) -> None:
        """Remove one file we wrote, and folders it leaves empty."""
        if self.files.pop(relative, None) is None:
            return
        self._delete(self._inside(relative))

    def _delete(self, path: Path) -> None:
        """Remove a file, and the folders it leaves empty."""
        path.unlink(missing_ok=True)
        for parent in path.parents:
            if parent == self.folder or not parent.is_dir() or any(parent.iterdir()):
                break
            parent.rmdir()

    def prune(self, keep: set[str]) -> None:
        """After a full build: remove files it did not write, unless their owner is in `keep`."""
        for relative, owner in list(self.files.items()):
            if relative not in self.written and owner not in keep:
                self.remove(relative)

    def intact(self) -> bool:
        """Whether the folder and its manifest are still there (not deleted behind our back)."""
        return (self.folder / MANIFEST).is_file()

    def save(self) -> None:
        """Record what the folder holds, for the next build (when that changed)."""
        self.written = set()
        if self.files == self._listed and (self.folder / MANIFEST).exists():
            return
        manifest = json.dumps(dict(sorted(self.files.items())), indent=1) + "\n"
        self.write(MANIFEST, manifest)
        del self.files[MANIFEST]
        self.written = set()
        self._listed = dict(self.files)

    def _inside(self, relative: str) -> Path:
        target = (self.folder / relative).resolve()
        if not target.is_relative_to(self.folder.resolve()):
            raise OutputError(f"refusing to write outside the output folder: {relative}")
        return self.folder / relative


class DryRun(Output):
    """An output that writes nothing: `check` runs the whole pipeline through it."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.files = {}  # as if the folder were empty: every file is new
        self._listed = {}

    def _store(self, target: Path, data: bytes) -> None:
        pass

    def _delete(self, path: Path) -> None:
        pass

    def intact(self) -> bool:
        return True  # nothing written, nothing to lose


def _read_manifest(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if k != MANIFEST}


def _untouched(relative: Path) -> bool:
    return relative.parts[0] in UNTOUCHED
