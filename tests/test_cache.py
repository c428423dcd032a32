"""The page cache: a build with nothing changed renders nothing, and after any edit a
warm build writes exactly what a cold one (`--no-cache`) writes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import tree

from site_builder import pages, render
from site_builder.cache import INDEX, PAGES, cache_folder
from site_builder.site import BuildReport, Project, build_site

ARTICLES = {
    "seeds/_glossary.md": (
        "## orbit\nA path around a body.\n\n## lander\nIt sets down.\n\n"
        "## comet\nIce, as [a photo](comet.jpg) shows.\n"  # occurs nowhere: a term page alone
    ),
    "seeds/one.md": "# One\n\nThe orbit of Tianwen-3, and [two](two.md) and [a map](map.png).\n",
    "seeds/one.notes.md": "## Tianwen-3\nA mission to Mars.\n",
    "seeds/two.md": "# Two\n\nA rover on Mars, and a probe.\n",
    "seeds/two.notes.md": "## rover\nIt drives: [the plan](plan.pdf), [three](three.md).\n",
    "seeds/three.md": "# Three\n\nNothing to note here but a lander.\n",
}

Edit = Callable[[Path], None]


def write(relative: str, text: str) -> Edit:
    def edit(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    return edit


def append(relative: str, text: str) -> Edit:
    def edit(root: Path) -> None:
        path = root / relative
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return edit


def remove(relative: str) -> Edit:
    return lambda root: (root / relative).unlink()


# Every kind of input, edited in turn: (name, edit, the pages that must be made afresh).
EDITS: list[tuple[str, Edit, set[str]]] = [
    ("source text", append("seeds/two.md", "\nThe rover again.\n"), {"two"}),
    ("notes body", write("seeds/two.notes.md", "## rover\nIt drives, slowly.\n"), {"two"}),
    ("notes term", append("seeds/two.notes.md", "\n## probe\nIt looks.\n"), {"two"}),
    (
        "glossary note that occurs",
        write("seeds/_glossary.md", "## orbit\nA curved path.\n\n## lander\nIt sets down.\n"),
        {"one"},
    ),
    (
        "glossary term that now occurs",
        append("seeds/_glossary.md", "\n## probe\nA craft sent to look.\n"),
        {"two"},
    ),
    (
        "glossary lines shift",
        write("seeds/_glossary.md", "\n\n## orbit\nA path around a body.\n\n## lander\nDown.\n"),
        {"one", "three"},
    ),
    ("glossary gone", remove("seeds/_glossary.md"), {"one", "three"}),
    ("a linked file appears", write("seeds/map.png", "not really a PNG"), {"one"}),
    (
        "a linked page moves",
        write("seeds/two.md", "---\nslug: deux\n---\n# Two\n\nA rover.\n"),
        {"one", "deux"},
    ),
    (
        "a linked page becomes a draft",
        write("seeds/two.md", "---\ndraft: true\n---\nA rover.\n"),
        {"one"},
    ),
    # What a note's links lead to shows on its term's page too, not only on the article's.
    ("a file a note links to appears", write("seeds/plan.pdf", "%PDF-1.4"), {"two"}),
    (
        "a page a note links to moves",
        write("seeds/three.md", "---\nslug: trois\n---\n# Three\n\nBut a lander.\n"),
        {"two", "trois"},
    ),
    ("a file only the glossary links to appears", write("seeds/comet.jpg", "JFIF"), set()),
    ("settings", write("site.toml", 'title = "Readings"\n'), {"one", "two", "three"}),
    (
        "a template",
        write("templates/article.html", '{% extends "base.html" %}{% block main %}x{% endblock %}'),
        {"one", "two", "three"},
    ),
    ("a static file", write("static/extra.css", "p { color: red }\n"), set()),
]


def build(root: Path, out: str, cache: bool = True) -> BuildReport:
    return build_site(Project.at(root / "seeds", root / out), cache=cache)


def made_afresh(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The slugs of the pages rendered from here on (not taken from the cache)."""
    made: list[str] = []
    real = render.render_article

    def spy(article, *args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(article.meta.slug)
        return real(article, *args, **kwargs)

    monkeypatch.setattr(pages, "render_article", spy)
    return made


def messages(report: BuildReport) -> list[str]:
    return [d.format() for d in report.diagnostics.sorted()]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for relative, text in ARTICLES.items():
        write(relative, text)(tmp_path)
    return tmp_path


def test_a_build_with_nothing_changed_renders_nothing(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = build(site, "_site")
    assert (cold.pages, cold.cached) == (3, 0)
    before = tree(site / "_site")
    made = made_afresh(monkeypatch)
    warm = build(site, "_site")
    assert (warm.pages, warm.cached, made) == (3, 3, [])
    assert tree(site / "_site") == before
    assert messages(warm) == messages(cold)  # its warnings are told again


@pytest.mark.parametrize(
    ("edit", "afresh"), [(e, a) for _, e, a in EDITS], ids=[n for n, *_ in EDITS]
)
def test_after_any_edit_a_warm_build_writes_what_a_cold_one_does(
    site: Path, monkeypatch: pytest.MonkeyPatch, edit: Edit, afresh: set[str]
) -> None:
    build(site, "_site")
    edit(site)
    made = made_afresh(monkeypatch)
    warm = build(site, "_site")
    assert set(made) == afresh
    cold = build(site, "cold", cache=False)
    assert tree(site / "_site") == tree(site / "cold")
    assert messages(warm) == messages(cold)


def test_every_edit_in_turn_keeps_warm_and_cold_builds_equal(site: Path) -> None:
    build(site, "_site")
    for _, edit, _ in EDITS:
        edit(site)
        warm = build(site, "_site")
        cold = build(site, "cold", cache=False)
        assert tree(site / "_site") == tree(site / "cold")
        assert messages(warm) == messages(cold)


def test_the_cache_lives_out_of_the_site_and_no_cache_neither_reads_nor_writes_it(
    site: Path, page_cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = cache_folder(site)
    assert folder.is_relative_to(page_cache_home)
    build(site, "_site", cache=False)
    assert not folder.exists()
    build(site, "_site")
    assert (folder / INDEX).is_file()
    assert len(list((folder / PAGES).iterdir())) == 3 * len(pages.article_paths("one"))
    made = made_afresh(monkeypatch)
    assert build(site, "_site", cache=False).cached == 0
    assert len(made) == 3


@pytest.mark.parametrize("part", ["index", "page"])
def test_a_cache_file_not_signed_by_this_user_is_ignored(
    site: Path, monkeypatch: pytest.MonkeyPatch, part: str
) -> None:
    # A cache restored from elsewhere cannot carry markup into the pages or code into
    # unpickling: a file whose signature does not match is as good as none.
    build(site, "_site")
    before = tree(site / "_site")
    folder = cache_folder(site)
    files = [folder / INDEX] if part == "index" else sorted((folder / PAGES).iterdir())
    for path in files:
        data = path.read_bytes()
        path.write_bytes(data + b"<script>alert(1)</script>")
    made = made_afresh(monkeypatch)
    report = build(site, "_site")
    assert report.diagnostics.errors == []
    assert len(made) == 3
    assert tree(site / "_site") == before


def test_a_cache_that_cannot_be_written_is_no_error(
    site: Path, monkeypatch: pytest.MonkeyPatch, page_cache_home: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(site / "seeds" / "one.md"))  # a file: no folder
    report = build(site, "_site")
    assert (report.pages, report.diagnostics.errors) == (3, [])


# Builds the site (cache on) and says whether the site-wide pages were worked out.
SITE_WIDE_MADE = """\
import sys
from pathlib import Path
from site_builder import site
from site_builder.site import Project, build_site
made = []
real = site.site_views
site.site_views = lambda *args: made.append(1) or real(*args)
build_site(Project.at(Path("seeds"), Path("_site")))
print("made" if made else "kept")
"""


def test_a_page_remade_in_another_interpreter_keeps_the_site_wide_pages(site: Path) -> None:
    # A listed page's digest is of its repr: a set of strings in it, in the order of the
    # interpreter's hash seed, made a page remade as it was look changed to a new process.
    write("seeds/one.notes.md", "".join(f"## word{n}\nA note.\n\n" for n in range(12)))(site)
    words = " ".join(f"word{n}" for n in range(12))

    def run(seed: str, aside: str) -> str:
        write("seeds/one.md", f"# One\n\n{words}.\n\nA {aside} line.\n")(site)
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-c", SITE_WIDE_MADE]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    # The edit leaves what the site-wide pages show of the page as it was.
    assert [run("1", "quiet"), run("2", "still"), run("3", "calm")] == ["made", "kept", "kept"]
