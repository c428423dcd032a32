"""No input ends a command with a traceback: every failure is a diagnostic naming a
file, the rest of the site still builds, and --debug shows the traceback of a bug."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOOD, Run, make_site

from site_builder import output, pages, render
from site_builder.__main__ import main

PLAIN = {"seeds/plain.md": "---\ntitle: Plain\n---\nNo notes here.\n"}


@pytest.mark.parametrize(
    ("template", "line"), [("note.html", 2), ("article.html", 3), ("base.html", 1)]
)
def test_a_broken_template_is_an_error_at_its_line(
    tmp_path: Path, cli: Run, template: str, line: int
) -> None:
    make_site(tmp_path, {**GOOD, **PLAIN})
    assert cli("build").code == 0
    before = (tmp_path / "_site" / "good" / "index.html").read_text()
    broken = "\n" * (line - 1) + "{% if %}\n"
    make_site(tmp_path, {f"templates/{template}": broken})
    result = cli("build")
    assert result.code == 1
    assert f"templates/{template}:{line}: error: " in result.err
    assert "Traceback" not in result.output
    # The page with a note keeps its last good output.
    assert (tmp_path / "_site" / "good" / "index.html").read_text() == before


def test_a_broken_note_template_leaves_pages_without_notes_alone(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {**GOOD, **PLAIN, "templates/note.html": "{{ note.nothing.here }}\n"})
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics[0].startswith("templates/note.html:1: error: template error: ")
    assert (tmp_path / "_site" / "plain" / "index.html").is_file()
    assert not (tmp_path / "_site" / "good").exists()


def test_front_matter_nested_thousands_deep_is_an_error(tmp_path: Path, cli: Run) -> None:
    deep = "---\na: " + "[" * 5000 + "]" * 5000 + "\n---\nText.\n"
    make_site(tmp_path, {**GOOD, "seeds/deep.md": deep})
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [
        "seeds/deep.md:2: error: malformed front matter: nested too deeply"
    ]
    assert (tmp_path / "_site" / "good" / "index.html").is_file()


def debug_run(capsys: pytest.CaptureFixture[str]) -> str:
    """stderr of `site-builder --debug build` (the `cli` fixture forbids tracebacks)."""
    capsys.readouterr()
    main(["--debug", "build"])
    return capsys.readouterr().err


def test_a_bug_in_one_page_is_an_internal_error_there_and_the_rest_builds(
    tmp_path: Path, cli: Run, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_site(tmp_path, {**GOOD, **PLAIN})
    real = render.render_article

    def failing(article, *args, **kwargs):  # type: ignore[no-untyped-def]
        if article.path.name == "plain.md":
            raise RuntimeError("boom")
        return real(article, *args, **kwargs)

    monkeypatch.setattr(pages, "render_article", failing)
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [
        "seeds/plain.md:1: error: internal error, please report it: RuntimeError: boom"
    ]
    assert "Traceback" not in result.output
    assert (tmp_path / "_site" / "good" / "index.html").is_file()
    err = debug_run(capsys)
    assert "Traceback (most recent call last)" in err
    assert 'raise RuntimeError("boom")' in err


def test_an_output_that_cannot_be_written_is_an_error_naming_it(
    tmp_path: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_site(tmp_path, {**GOOD, **PLAIN})
    real = output.put

    def refuse(folder: Path, relative: str, data: bytes) -> None:
        if relative == "plain/index.html":
            raise PermissionError(13, "Permission denied", str(folder / relative))
        real(folder, relative, data)

    monkeypatch.setattr(pages, "put", refuse)
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [
        "seeds/plain.md:1: error: Permission denied: _site/plain/index.html"
    ]
    assert (tmp_path / "_site" / "good" / "index.html").is_file()


def test_a_bug_outside_any_page_is_one_line_without_a_traceback(
    tmp_path: Path, cli: Run, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_site(tmp_path, GOOD)

    def broken(*args: object, **kwargs: object) -> int:
        raise ValueError("unexpected")

    monkeypatch.setattr("site_builder.commands.build.build", broken)
    result = cli("build")
    assert result.code == 1
    assert result.err.splitlines() == [
        "error: internal error, please report it: ValueError: unexpected",
        "(run again with --debug to see where)",
    ]
    assert "Traceback (most recent call last)" in debug_run(capsys)


def test_new_inside_a_file_is_refused_in_one_line(tmp_path: Path, cli: Run) -> None:
    (tmp_path / "x").write_text("a file")
    result = cli("new", "x/y")
    assert result.code == 2
    assert result.err.splitlines() == ["x/y: error: cannot make the site here: Not a directory"]
