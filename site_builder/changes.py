"""What a changed path is to a site, decided once for the watcher and for the rebuild.

As Zola's `detect_change_kind` does, a path is classified from its place and
name alone (it may already be gone): the watcher keeps what is not IRRELEVANT,
and `Site.rebuild` decides from the kinds what to build again.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from enum import Enum
from pathlib import Path

from .discover import GLOSSARY, NOTES_SUFFIX, SOURCE_SUFFIXES, is_editor_artifact
from .project import Project


class Kind(Enum):
    CONFIG = "config"  # site.toml: everything
    TEMPLATE = "template"  # in templates/: everything
    STATIC = "static"  # in static/: the static files
    PUBLIC = "public"  # in public/: the files copied to the site's root
    GLOSSARY = "glossary"  # _glossary.md: the pages using the terms that changed
    SOURCE = "source"  # an article: its page
    NOTES = "notes"  # a notes file: its article's page
    FILE = "file"  # any other file in the source folder: the pages linking to it
    SOURCE_FOLDER = "source folder"  # the source folder itself, come or gone: everything
    OUTPUT = "output"  # the output folder itself: everything, when it is gone
    IRRELEVANT = "irrelevant"  # editors' temporary files, the output, anything else


# Kinds after which only a full build is sure to be right.
EVERYTHING = frozenset({Kind.CONFIG, Kind.TEMPLATE, Kind.SOURCE_FOLDER})


def kind_of(path: Path, project: Project) -> Kind:
    """What a changed path is to `project` (resolved: Project.resolved).

    `path` is absolute with its folder resolved, as the watcher reports it.
    """
    if path == project.out:
        return Kind.OUTPUT
    if path.is_relative_to(project.out):
        return Kind.IRRELEVANT
    if path == project.config:
        return Kind.CONFIG
    if path == project.source:
        return Kind.SOURCE_FOLDER
    if is_editor_artifact(path.name):
        return Kind.IRRELEVANT
    for folder, kind in (
        (project.templates, Kind.TEMPLATE),
        (project.static, Kind.STATIC),
        (project.public, Kind.PUBLIC),
    ):
        if path.is_relative_to(folder):
            return kind
    if path.parent == project.source:
        return _in_source_folder(path.name)
    if path.is_relative_to(project.source):
        return Kind.FILE  # in a folder beside the articles (images/...)
    return Kind.IRRELEVANT


def classify(paths: Iterable[Path], project: Project) -> dict[Kind, set[Path]]:
    """The relevant paths by kind, each path made absolute (`project` resolved:
    Project.resolved)."""
    kinds: dict[Kind, set[Path]] = {}
    for path in map(_located, paths):
        kind = kind_of(path, project)
        if kind is not Kind.IRRELEVANT:
            kinds.setdefault(kind, set()).add(path)
    return kinds


def _in_source_folder(name: str) -> Kind:
    """The kind of a file directly in the source folder, as `discover` sorts it."""
    if name == GLOSSARY:
        return Kind.GLOSSARY
    if name.startswith("_"):
        return Kind.FILE
    if name.endswith(NOTES_SUFFIX):
        return Kind.NOTES
    if os.path.splitext(name)[1] in SOURCE_SUFFIXES:
        return Kind.SOURCE
    return Kind.FILE


def _located(path: Path) -> Path:
    """The path, absolute, its folder resolved but not the path itself.

    The last part is left alone: an Emacs lock file is a symlink to nowhere, and
    a deleted file resolves to nothing; either must keep its own name.
    """
    absolute = path if path.is_absolute() else Path.cwd() / path
    return absolute.parent.resolve() / absolute.name
