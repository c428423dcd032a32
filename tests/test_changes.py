"""Classifying changed paths: one answer for the watcher and for the rebuild."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_site

from site_builder.changes import Kind, classify, kind_of
from site_builder.project import Project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    root = make_site(tmp_path / "site", {"site.toml": "", "seeds/one.md": "# One\n"})
    return Project.at(root / "seeds").resolved()


@pytest.mark.parametrize(
    ("relative", "kind"),
    [
        ("site.toml", Kind.CONFIG),
        ("templates", Kind.TEMPLATE),
        ("templates/article.html", Kind.TEMPLATE),
        ("templates/partials/head.html", Kind.TEMPLATE),
        ("static", Kind.STATIC),
        ("static/site.css", Kind.STATIC),
        ("public/robots.txt", Kind.PUBLIC),
        ("public/.well-known/security.txt", Kind.PUBLIC),
        ("seeds", Kind.SOURCE_FOLDER),
        ("seeds/_glossary.md", Kind.GLOSSARY),
        ("seeds/one.md", Kind.SOURCE),
        ("seeds/two.txt", Kind.SOURCE),
        ("seeds/one.notes.md", Kind.NOTES),
        ("seeds/map.png", Kind.FILE),
        ("seeds/images/map.png", Kind.FILE),
        ("seeds/images/deeper/one.md", Kind.FILE),  # only the folder's top holds sources
        ("seeds/_draft.md", Kind.FILE),  # never a source, but a page may link to it
        ("_site", Kind.OUTPUT),
        ("_site/one/index.html", Kind.IRRELEVANT),
        ("_site/.site-builder-manifest.json", Kind.IRRELEVANT),
        ("README.md", Kind.IRRELEVANT),
        ("node_modules/x/index.js", Kind.IRRELEVANT),
        ("seeds/.one.md.swp", Kind.IRRELEVANT),
        ("seeds/one.md~", Kind.IRRELEVANT),
        ("seeds/.#one.md", Kind.IRRELEVANT),
        ("seeds/#one.md#", Kind.IRRELEVANT),
        ("seeds/one.md___jb_tmp___", Kind.IRRELEVANT),
        ("seeds/4913", Kind.IRRELEVANT),
        ("templates/.article.html.swp", Kind.IRRELEVANT),
        (".site.toml.swp", Kind.IRRELEVANT),
    ],
)
def test_each_path_has_one_kind(project: Project, relative: str, kind: Kind) -> None:
    assert kind_of(project.root / relative, project) is kind


def test_an_output_folder_elsewhere_is_the_output_too(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", {})
    project = Project.at(root / "seeds", tmp_path / "served").resolved()
    assert kind_of(tmp_path / "served", project) is Kind.OUTPUT
    assert kind_of(tmp_path / "served" / "one" / "index.html", project) is Kind.IRRELEVANT
    assert kind_of(root / "_site", project) is Kind.IRRELEVANT  # not this project's output


def test_classify_groups_relevant_paths_and_takes_relative_ones(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project.root)
    kinds = classify(
        [Path("seeds/one.md"), Path("seeds/.one.md.swp"), project.config, Path("_site/x")],
        project,
    )
    assert kinds == {Kind.SOURCE: {project.source / "one.md"}, Kind.CONFIG: {project.config}}


def test_a_lock_symlink_keeps_its_own_name(project: Project) -> None:
    """Emacs' `.#name` points nowhere useful: classified by its name, not its target."""
    lock = project.source / ".#one.md"
    lock.symlink_to("user@host.1234")
    assert classify([lock], project) == {}
