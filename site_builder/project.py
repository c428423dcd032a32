"""Where a site's parts live: its source folder, output folder, configuration and theme.

Its own module, so that everything needing to know where things are (the build,
the classification of changed paths, the watcher) can import it without
importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import CONFIG_FILE


@dataclass(frozen=True)
class Project:
    """Where a site's parts live: by default beside its source folder."""

    source: Path
    out: Path
    root: Path

    @classmethod
    def at(cls, source: Path, out: Path | None = None) -> Project:
        # The folder holding the source folder, even when that is a symlink to a folder
        # elsewhere: site.toml and the output sit beside the name the user gave.
        root = source.absolute().parent.resolve()
        return cls(source, out if out is not None else root / "_site", root)

    @property
    def config(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def static(self) -> Path:
        return self.root / "static"

    @property
    def public(self) -> Path:
        """Files copied to the site's root as they are (robots.txt, verification files)."""
        return self.root / "public"

    def owner(self, path: Path) -> str:
        """A source's name in the output manifest: its path relative to the project.

        Its folder is resolved but not its own name: a symlink to another source is
        another source, which never owns (and so never removes) the other's page, and
        a symlink loop is a name like any other.
        """
        resolved = path.absolute().parent.resolve() / path.name
        if resolved.is_relative_to(self.root):
            return resolved.relative_to(self.root).as_posix()
        return resolved.as_posix()

    def resolved(self) -> Project:
        """The same project with every path absolute and free of symlinks."""
        return Project(self.source.resolve(), self.out.resolve(), self.root.resolve())
