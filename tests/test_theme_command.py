"""`site-builder theme eject`: the default theme's files copied into a site, never over its own."""

from __future__ import annotations

from pathlib import Path

from conftest import GOOD, Run, make_site

from site_builder.commands.theme import theme_files
from site_builder.theme import default_theme


def test_eject_without_names_copies_every_template_and_static_file(
    tmp_path: Path, cli: Run
) -> None:
    make_site(tmp_path, GOOD)
    result = cli("theme", "eject")
    assert result.code == 0, result.err
    files = theme_files()
    assert "templates/base.html" in files and "static/site.css" in files
    for relative, original in files.items():
        assert (tmp_path / relative).read_bytes() == original.read_bytes(), relative
        assert f"copied {relative}" in result.out.splitlines()
    assert f"copied {len(files)} of {len(files)} theme files" in result.out
    # The copies are the site's theme now, and it builds as before.
    assert cli("build", "--strict").code == 0


def test_eject_copies_only_the_named_files(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, GOOD)
    result = cli("theme", "eject", "base.html", "static/site.css")
    assert result.code == 0, result.err
    assert result.out.splitlines()[:2] == ["copied templates/base.html", "copied static/site.css"]
    copied = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert [p for p in copied if not p.startswith("seeds/")] == [
        "static/site.css",
        "templates/base.html",
    ]
    expected = (default_theme("templates") / "base.html").read_bytes()
    assert (tmp_path / "templates" / "base.html").read_bytes() == expected


def test_eject_never_overwrites_and_says_so_for_each_file(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {**GOOD, "templates/base.html": "mine", "static/site.css": "mine too"})
    result = cli("theme", "eject", "base.html", "site.css", "article.html")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "kept templates/base.html: it exists; remove it to copy the default again",
        "kept static/site.css: it exists; remove it to copy the default again",
        "copied templates/article.html",
        "copied 1 of 3 theme files; the site uses its own copies from now on, "
        "and the default theme for the rest",
    ]
    assert (tmp_path / "templates" / "base.html").read_text() == "mine"
    assert (tmp_path / "static" / "site.css").read_text() == "mine too"


def test_eject_into_a_site_whose_source_folder_is_elsewhere(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path / "site", GOOD)
    result = cli("theme", "eject", "--source", "site/seeds", "notes.js")
    assert result.code == 0, result.err
    assert (tmp_path / "site" / "static" / "notes.js").is_file()


def test_an_unknown_name_is_a_usage_error_and_copies_nothing(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, GOOD)
    result = cli("theme", "eject", "base.html", "page.html")
    assert result.code == 2
    assert result.err.startswith(
        "error: 'page.html' is not in the default theme (known: templates/404.html, "
    )
    assert not (tmp_path / "templates").exists()


def test_a_file_in_the_way_of_a_folder_is_an_error_at_each_file(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {**GOOD, "templates": "not a folder"})
    result = cli("theme", "eject", "base.html", "site.css")
    assert result.code == 1
    assert result.err.splitlines() == [
        "templates/base.html: error: cannot be written: templates is a file, not a folder"
    ]
    assert result.out.splitlines()[0] == "copied static/site.css"
