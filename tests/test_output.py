"""The output folder: refusals, atomic writes, stale pages, required files, links and safety."""

from __future__ import annotations

import errno
import itertools
import json
import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import GOOD, Run, make_site, page_slugs, tree

from site_builder import output as output_module
from site_builder.diagnostics import Diagnostics
from site_builder.output import (
    JOURNAL,
    MANIFEST,
    OWN,
    SITE,
    TEMPORARY,
    DryRun,
    Output,
    OutputError,
    is_own,
)
from site_builder.site import Project, Site
from site_builder.slugs import assign_pages

REFUSE_HINT = "use a folder of its own such as _site"
# Links the good article and its notes contain themselves: the only absolute ones allowed.
CONTENT_LINKS = {"https://example.org/tianwen", "https://en.wikipedia.org/wiki/Tianwen-3"}
OLD = 1_000_000_000  # an mtime long past, to tell rewritten files from untouched ones


def two_articles(root: Path) -> Path:
    return make_site(root, {**GOOD, "seeds/other.md": "---\ntitle: Other\n---\nOther text.\n"})


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# Refusals: exit 2, one message, nothing written anywhere.


@pytest.mark.parametrize(
    ("out", "message"),
    [
        (
            ".",
            f".: error: refusing to write the site into the project folder itself; {REFUSE_HINT}",
        ),
        ("/", f"/: error: refusing to write the site into the root folder; {REFUSE_HINT}"),
        (
            "seeds",
            "seeds: error: refusing an output folder that holds or sits inside seeds; "
            + REFUSE_HINT,
        ),
        (
            "seeds/html",
            "seeds/html: error: refusing an output folder that holds or sits inside seeds; "
            + REFUSE_HINT,
        ),
        (
            "..",
            f"..: error: refusing an output folder that holds or sits inside seeds; {REFUSE_HINT}",
        ),
        (
            "templates",
            "templates: error: refusing an output folder that holds or sits inside templates; "
            + REFUSE_HINT,
        ),
        (
            "static/site",
            "static/site: error: refusing an output folder that holds or sits inside static; "
            + REFUSE_HINT,
        ),
        (
            "site.toml",
            "site.toml: error: refusing an output folder that holds or sits inside site.toml; "
            + REFUSE_HINT,
        ),
    ],
)
def test_output_folder_that_could_overwrite_the_project_is_refused(
    tmp_path: Path, cli: Run, monkeypatch: pytest.MonkeyPatch, out: str, message: str
) -> None:
    project = make_site(
        tmp_path / "proj",
        {
            **GOOD,
            "site.toml": 'title = "Mine"\n',
            "templates/note.html": "{{ body | safe }}\n",
            "static/extra.css": "body {}\n",
        },
    )
    monkeypatch.chdir(project)
    before = tree(tmp_path)
    result = cli("build", "--out", out)
    assert result.err.splitlines() == [message]
    assert result.code == 2
    assert tree(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["proj"]


def test_output_folder_given_as_an_absolute_path_is_refused_too(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, GOOD)
    result = cli("build", "--out", str(tmp_path))
    assert result.err.splitlines() == [
        ".: error: refusing to write the site into the project folder itself; " + REFUSE_HINT
    ]
    assert result.code == 2


def test_output_folder_with_files_site_builder_did_not_write_is_refused(
    tmp_path: Path, cli: Run
) -> None:
    make_site(tmp_path, {**GOOD, "_site/mine.html": "<p>mine</p>", "_site/css/own.css": "p{}"})
    before = tree(tmp_path)
    result = cli("build")
    assert result.err.splitlines() == [
        "_site: error: holds files site-builder did not write (css/own.css, mine.html); "
        "empty it or choose another output folder"
    ]
    assert result.code == 2
    assert tree(tmp_path) == before


def test_a_stranger_added_to_a_built_site_is_refused(tmp_path: Path, cli: Run) -> None:
    two_articles(tmp_path)
    assert cli("build").code == 0
    (tmp_path / "_site" / "good" / "notes.txt").write_text("mine", encoding="utf-8")
    before = tree(tmp_path)
    result = cli("build")
    assert result.code == 2
    assert "_site: error: holds files site-builder did not write (good/notes.txt)" in result.err
    assert tree(tmp_path) == before


@pytest.mark.parametrize("target", ["loop", "/nowhere", "..", "../seeds/good.md"])
def test_a_symlink_in_the_output_folder_is_a_stranger(
    tmp_path: Path, cli: Run, target: str
) -> None:
    """Whatever it leads to, even itself: never followed, never an internal error."""
    two_articles(tmp_path)
    assert cli("build").code == 0
    os.symlink(target, tmp_path / "_site" / "good" / "loop")
    result = cli("build")
    assert result.err.splitlines() == [
        "_site: error: holds files site-builder did not write (good/loop); "
        "empty it or choose another output folder"
    ]
    assert result.code == 2


def test_output_that_is_a_file_is_refused(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {**GOOD, "www": "a file"})
    result = cli("build", "--out", "www")
    assert result.err.splitlines() == ["www: error: is a file, not a folder"]
    assert result.code == 2


def test_rebuild_into_its_own_previous_output_is_accepted(tmp_path: Path, cli: Run) -> None:
    two_articles(tmp_path)
    first = cli("build")
    assert first.code == 0
    built = tree(tmp_path / "_site")
    second = cli("build")
    assert (second.code, second.err) == (0, "")
    assert tree(tmp_path / "_site") == built


def test_empty_existing_output_folder_and_a_git_worktree_are_accepted(
    tmp_path: Path, cli: Run
) -> None:
    make_site(tmp_path, {**GOOD, "www/.git/HEAD": "ref: refs/heads/gh-pages\n"})
    result = cli("build", "--out", "www")
    assert (result.code, result.err) == (0, "")
    assert text_of(tmp_path / "www" / ".git" / "HEAD") == "ref: refs/heads/gh-pages\n"
    assert (tmp_path / "www" / "good" / "index.html").is_file()


# Rebuilds: stale pages go, broken pages stay.


def test_pages_of_deleted_articles_are_removed(tmp_path: Path, cli: Run) -> None:
    two_articles(tmp_path)
    assert cli("build").code == 0
    assert page_slugs(tmp_path / "_site") == {"good", "other"}
    (tmp_path / "seeds" / "other.md").unlink()
    result = cli("build")
    assert (result.code, result.err) == (0, "")
    assert page_slugs(tmp_path / "_site") == {"good"}
    assert not (tmp_path / "_site" / "other").exists()
    assert "other/index.html" not in text_of(tmp_path / "_site" / "index.html")
    assert "other/index.html" not in text_of(tmp_path / "_site" / MANIFEST)


def test_renamed_slug_removes_the_old_page(tmp_path: Path, cli: Run) -> None:
    two_articles(tmp_path)
    assert cli("build").code == 0
    (tmp_path / "seeds" / "other.notes.md").write_text("---\nslug: renamed\n---\n", "utf-8")
    assert cli("build").code == 0
    assert page_slugs(tmp_path / "_site") == {"good", "renamed"}


@pytest.mark.parametrize(
    "broken",
    [
        b"---\ntitle: Other\n  bad: indentation\n---\nNew text.\n",
        b"---\ntitle: Other\n---\nNew caf\xe9 text.\n",
        b"",
    ],
)
def test_page_whose_source_breaks_keeps_its_previous_output(
    tmp_path: Path, cli: Run, broken: bytes
) -> None:
    two_articles(tmp_path)
    assert cli("build").code == 0
    page = tmp_path / "_site" / "other" / "index.html"
    previous = page.read_bytes()
    (tmp_path / "seeds" / "other.md").write_bytes(broken)
    (tmp_path / "seeds" / "good.md").write_text(GOOD_CHANGED, encoding="utf-8")
    result = cli("build")
    assert result.code == 1
    assert [line.split(":")[0] for line in result.diagnostics] == ["seeds/other.md"]
    assert page.read_bytes() == previous
    # The other pages were rebuilt with their new content.
    assert "A changed article" in text_of(tmp_path / "_site" / "good" / "index.html")
    # Fixed again, the page is rebuilt; deleted, it goes.
    (tmp_path / "seeds" / "other.md").write_text("Fixed text.\n", encoding="utf-8")
    assert cli("build").code == 0
    assert "Fixed text." in text_of(page)
    (tmp_path / "seeds" / "other.md").unlink()
    assert cli("build").code == 0
    assert not page.exists()


GOOD_CHANGED = GOOD["seeds/good.md"].replace("A good article", "A changed article")


def test_page_whose_notes_break_keeps_its_previous_output(tmp_path: Path, cli: Run) -> None:
    two_articles(tmp_path)
    assert cli("build").code == 0
    page = tmp_path / "_site" / "good" / "index.html"
    previous = page.read_bytes()
    (tmp_path / "seeds" / "good.notes.md").write_bytes(b"---\n: :\n  - x\n---\n## t\nNote \xff\n")
    result = cli("build")
    assert result.code == 1
    assert page.read_bytes() == previous
    assert (tmp_path / "_site" / "other" / "index.html").is_file()


# A page whose input breaks stays published as its last good build: its files, and its
# place on the site-wide pages.

ORBITS = {
    "site.toml": 'site_url = "https://example.org/"\n',
    "seeds/a.md": "Orbit article one.\n",
    "seeds/a.notes.md": "## orbit\nPath.\n",
    "seeds/b.md": "Article b about orbit.\n",
}
BROKEN_NOTES = "## orbit\nat: twice\n\nPath changed.\n"


def built_orbits(tmp_path: Path, cli: Run) -> Path:
    """ORBITS built cleanly; its output folder."""
    make_site(tmp_path, ORBITS)
    assert cli("build").code == 0
    return tmp_path / "_site"


def article_links(page: Path) -> list[str]:
    """The article pages a site-wide page links to, by slug, in order."""
    return re.findall(r'href="(?:\.\./)*([ab])/(?:index\.html)?[#"]', text_of(page))


def test_a_page_whose_notes_break_stays_listed_as_its_last_good_build(
    tmp_path: Path, cli: Run
) -> None:
    out = built_orbits(tmp_path, cli)
    before = tree(out)
    (tmp_path / "seeds/a.notes.md").write_text(BROKEN_NOTES, encoding="utf-8")
    result = cli("build")
    assert result.code == 1
    assert [line.split(": error:")[0] for line in result.diagnostics] == ["seeds/a.notes.md:2"]
    assert sorted(set(article_links(out / "index.html"))) == ["a", "b"]
    assert "a" in article_links(out / "terms/index.html")
    assert "a" in article_links(out / "terms/orbit/index.html")
    assert "<loc>https://example.org/a/</loc>" in text_of(out / "sitemap.xml")
    assert tree(out) == before  # the whole site as the last good build left it
    # Fixed, the page is made again; deleted, it goes from every page.
    (tmp_path / "seeds/a.notes.md").write_text("## orbit\nThe path.\n", encoding="utf-8")
    assert cli("build").code == 0
    assert "The path." in text_of(out / "terms/orbit/index.html")
    (tmp_path / "seeds/a.notes.md").write_text(BROKEN_NOTES, encoding="utf-8")
    assert cli("build").code == 1
    assert "The path." in text_of(out / "terms/orbit/index.html")  # the last good build's
    (tmp_path / "seeds/a.md").unlink()
    (tmp_path / "seeds/a.notes.md").unlink()
    assert cli("build").code == 0
    assert page_slugs(out) == {"b"}
    assert "a" not in article_links(out / "index.html") + article_links(out / "terms/index.html")
    assert "<loc>https://example.org/a/</loc>" not in text_of(out / "sitemap.xml")


def test_the_only_article_broken_stays_listed(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {"seeds/a.md": "---\ntitle: Alone\n---\nOrbit article one.\n"})
    assert cli("build").code == 0
    (tmp_path / "seeds/a.md").write_text("---\ntitle: [Alone\n---\nOrbit.\n", encoding="utf-8")
    assert cli("build").code == 1
    index = text_of(tmp_path / "_site/index.html")
    assert "Alone" in index and "No articles yet" not in index


def test_a_broken_page_whose_slug_another_took_is_not_listed(tmp_path: Path, cli: Run) -> None:
    out = built_orbits(tmp_path, cli)
    make_site(tmp_path, {"seeds/a.notes.md": "---\nslug: c\n---\n" + BROKEN_NOTES})
    make_site(tmp_path, {"seeds/b.notes.md": "---\nslug: a\ntitle: B as a\n---\n"})
    assert cli("build").code == 1
    index = text_of(out / "index.html")
    assert article_links(out / "index.html").count("a") == 1 and "B as a" in index
    assert "Orbit article one" not in index


def test_without_the_cache_a_broken_page_keeps_its_files_but_leaves_the_lists(
    tmp_path: Path, cli: Run
) -> None:
    out = built_orbits(tmp_path, cli)
    page = (out / "a/index.html").read_bytes()
    (tmp_path / "seeds/a.notes.md").write_text(BROKEN_NOTES, encoding="utf-8")
    assert cli("build", "--no-cache").code == 1  # no record of its last good build
    assert (out / "a/index.html").read_bytes() == page
    assert article_links(out / "index.html") == ["b"]
    assert cli("build").code == 1  # the cache's record, and the page is as it says
    assert sorted(set(article_links(out / "index.html"))) == ["a", "b"]


# Writing: atomic, only when changed, readable by everyone.


def test_no_temporary_files_are_left(tmp_path: Path, cli: Run) -> None:
    two_articles(tmp_path)
    assert cli("build").code == 0
    assert cli("build").code == 0
    leftovers = [p for p in tmp_path.rglob("*") if p.name.startswith(TEMPORARY)]
    assert leftovers == []


def test_a_temporary_left_by_a_killed_process_of_the_same_number_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Temporaries are named by process and count: a number reused after a kill -9 may
    # meet its predecessor's leftover, which stays for the next build to remove.
    monkeypatch.setattr(output_module, "_names", itertools.count(5))
    out = Output(tmp_path)
    stale = tmp_path / f"{TEMPORARY}{os.getpid()}-5"
    stale.write_bytes(b"left by a killed build")  # (after the start, which removes them)
    out.write("page.html", "new")
    out.save()
    assert (tmp_path / "page.html").read_text() == "new"
    assert stale.read_bytes() == b"left by a killed build"
    Output(tmp_path)
    assert not stale.exists()
    assert stat.S_IMODE((tmp_path / "page.html").stat().st_mode) == 0o644


def test_the_manifest_is_rewritten_only_when_the_files_it_lists_change(tmp_path: Path) -> None:
    out = Output(tmp_path)
    out.write("a.html", "a")
    out.save()
    manifest = tmp_path / MANIFEST
    os.utime(manifest, (OLD, OLD))
    out.write("a.html", "a, edited")  # the same file, new content: the manifest holds
    out.save()
    assert manifest.stat().st_mtime == OLD
    out.write("b.html", "b")
    out.save()
    assert json.loads(manifest.read_text()) == {"a.html": SITE, "b.html": SITE}
    os.utime(manifest, (OLD, OLD))
    out.remove("a.html")
    out.save()
    assert json.loads(manifest.read_text()) == {"b.html": SITE}
    assert Output(tmp_path).files == {"b.html": SITE}


def test_unchanged_files_are_not_rewritten(tmp_path: Path, cli: Run) -> None:
    two_articles(tmp_path)
    assert cli("build").code == 0
    out = tmp_path / "_site"
    for path in out.rglob("*"):
        if path.is_file():
            os.utime(path, (OLD, OLD))
    assert cli("build").code == 0
    rewritten = [
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and p.stat().st_mtime != OLD
    ]
    assert rewritten == []
    # A changed article rewrites its own page, not the other article's.
    (tmp_path / "seeds" / "other.md").write_text("---\ntitle: Other\n---\nNew text.\n", "utf-8")
    assert cli("build").code == 0
    assert (out / "other" / "index.html").stat().st_mtime != OLD
    assert (out / "good" / "index.html").stat().st_mtime == OLD
    assert (out / "static" / "site.css").stat().st_mtime == OLD


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    built = Output(out)
    built.write("page.html", "old")
    built.save()

    def fail(source: str, target: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="No space left on device") as failure:
        Output(out).write("page.html", "new")
    assert failure.value.filename == str(out / "page.html")  # the file, not its temporary
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "page.html"]
    assert text_of(out / "page.html") == "old"


def test_a_new_file_comes_into_place_once_the_journal_lists_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    output = Output(out)
    output.write("a/index.html", "a", "seeds/a.md")
    # Not in place yet: a temporary, which a build after a kill here removes.
    assert [p.name.startswith(TEMPORARY) for p in out.rglob("*") if p.is_file()] == [True]
    monkeypatch.setattr(output_module, "BATCH", 2)
    output.write("b.html", "b")
    assert text_of(out / JOURNAL).splitlines() == [
        '["a/index.html", "seeds/a.md"]',
        '["b.html", ""]',
    ]
    assert (text_of(out / "a" / "index.html"), text_of(out / "b.html")) == ("a", "b")
    assert not (out / MANIFEST).exists()
    output.save()  # the manifest lists them now: the journal goes
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "a", "b.html"]
    output.write("b.html", "new b")  # ours already: replaced at once
    assert text_of(out / "b.html") == "new b"
    assert not (out / JOURNAL).exists()


def test_a_file_system_that_cannot_flush_a_folder_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fsync = os.fsync

    def files_only(handle: int) -> None:
        if stat.S_ISDIR(os.fstat(handle).st_mode):
            raise OSError(errno.EINVAL, "Invalid argument")
        fsync(handle)

    monkeypatch.setattr(os, "fsync", files_only)
    output = Output(tmp_path / "out")
    output.write("a.html", "a")
    output.save()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [MANIFEST, "a.html"]


FULL = OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_is_an_error_naming_the_file_and_the_old_file_stays(
    tmp_path: Path, cli: Run
) -> None:
    two_articles(tmp_path)
    assert cli("build").code == 0
    out = tmp_path / "_site"
    old = (out / "other" / "index.html").read_bytes()
    (tmp_path / "seeds" / "other.md").write_text("---\ntitle: Other\n---\nNew text.\n", "utf-8")
    (tmp_path / "seeds" / "good.md").write_text(GOOD_CHANGED, encoding="utf-8")
    replace = os.replace

    def full(source: str, target: str) -> None:
        if Path(target).parent.name == "other":
            raise FULL
        replace(source, target)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "replace", full)
        result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [
        "seeds/other.md:1: error: No space left on device: _site/other/index.html"
    ]
    assert (out / "other" / "index.html").read_bytes() == old
    assert "A changed article" in text_of(out / "good" / "index.html")
    assert [p for p in out.rglob("*") if p.name.startswith(OWN)] == [out / MANIFEST]
    assert cli("build").code == 0
    assert "New text." in text_of(out / "other" / "index.html")


def read_only(folder: Path) -> tuple[int, Path]:
    raise OSError(errno.EROFS, "Read-only file system", "somewhere/.site-builder-tmp-x")


def test_a_read_only_output_folder_is_an_error_naming_each_file_and_nothing_changes(
    tmp_path: Path, cli: Run
) -> None:
    two_articles(tmp_path)
    assert cli("build").code == 0
    before = tree(tmp_path / "_site")
    (tmp_path / "seeds" / "other.md").write_text("---\ntitle: Renamed\n---\nNew text.\n", "utf-8")
    (tmp_path / "seeds" / "third.md").write_text("A third article.\n", "utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(output_module, "_create", read_only)
        result = cli("build")
    assert result.code == 1
    # The manifest lists no more than before: not rewritten. The site-wide pages show
    # what they showed (`other` as its last good build, `third` not yet): not rewritten.
    assert result.diagnostics == [
        "seeds/other.md:1: error: Read-only file system: _site/other/index.html",
        "seeds/third.md:1: error: Read-only file system: _site/third/index.html",
    ]
    assert tree(tmp_path / "_site") == before
    assert cli("build").code == 0


def test_a_rebuild_that_cannot_write_says_so_and_the_next_one_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As `watch` and `serve` rebuild: a new article, whose page cannot be written.
    two_articles(tmp_path)
    monkeypatch.chdir(tmp_path)
    site = Site(Project.at(Path("seeds")))
    assert site.build().diagnostics.items == []
    third = tmp_path / "seeds" / "third.md"
    third.write_text("A third article.\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(output_module, "_create", read_only)
        report = site.rebuild([third])
    assert [d.format() for d in report.diagnostics.sorted()] == [
        "seeds/third.md:1: error: Read-only file system: _site/third/index.html",
    ]
    third.write_text("A third article, edited.\n", encoding="utf-8")
    assert site.rebuild([third]).diagnostics.items == []
    assert "edited" in text_of(tmp_path / "_site" / "third" / "index.html")
    assert "third/index.html" in text_of(tmp_path / "_site" / "index.html")


def test_a_file_that_cannot_be_removed_stays_ours(tmp_path: Path, cli: Run) -> None:
    two_articles(tmp_path)
    assert cli("build").code == 0
    out = tmp_path / "_site"
    (tmp_path / "seeds" / "other.md").unlink()
    unlink = Path.unlink

    def refuse(path: Path, missing_ok: bool = False) -> None:
        if path.parent.name == "other":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        unlink(path, missing_ok)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "unlink", refuse)
        result = cli("build")
    assert result.code == 1
    # The first of the article's files (annotations.jsonld, then index.html) to be removed.
    assert result.diagnostics == [
        "_site:1: error: Permission denied: _site/other/annotations.jsonld"
    ]
    assert "other/index.html" in json.loads(text_of(out / MANIFEST))
    assert cli("build").code == 0  # still ours: removed now
    assert page_slugs(out) == {"good"}


def test_names_of_our_own_records_are_left_out_of_public(tmp_path: Path, cli: Run) -> None:
    two_articles(tmp_path)
    make_site(tmp_path, {f"public/{MANIFEST}": "{}", f"public/docs/{JOURNAL}": "[]"})
    result = cli("build")
    assert result.code == 0
    left_out = "names starting with .site-builder- are site-builder's own; this file is left out"
    assert result.diagnostics == [
        f"public/{MANIFEST}:1: warning: {left_out}",
        f"public/docs/{JOURNAL}:1: warning: {left_out}",
    ]
    assert "good/index.html" in json.loads(text_of(tmp_path / "_site" / MANIFEST))
    assert not (tmp_path / "_site" / "docs").exists()
    assert cli("build").code == 0


def test_names_of_our_own_records_are_left_out_of_linked_files(tmp_path: Path, cli: Run) -> None:
    name = f"{TEMPORARY}data.txt"
    make_site(tmp_path, {"seeds/a.md": f"The [data]({name}).\n", f"seeds/{name}": "1, 2\n"})
    result = cli("build")
    assert result.diagnostics == [
        f"seeds/{name}:1: warning: names starting with .site-builder- are site-builder's own; "
        "this file is left out"
    ]
    assert not (tmp_path / "_site" / "_files").exists()
    assert cli("build").code == 0


@pytest.mark.parametrize(
    ("relative", "own"),
    [
        (MANIFEST, True),
        (JOURNAL, True),
        (f"{TEMPORARY}ab12", True),
        (f"good/{TEMPORARY}ab12", True),
        ("index.html", False),
        (".nojekyll", False),
        ("site-builder-manifest.json", False),
        (".site-builder/index.html", False),
    ],
)
def test_our_own_records_are_named_so(relative: str, own: bool) -> None:
    assert is_own(relative) is own


def test_output_never_writes_outside_its_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(OutputError, match="outside the output folder"):
        Output(out).write("../escaped.html", "x")
    with pytest.raises(OutputError, match="outside the output folder"):
        Output(out).write(str(tmp_path / "absolute.html"), "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_symlinked_folder_in_a_folder_already_written_is_still_refused(tmp_path: Path) -> None:
    # A new folder right in one found inside is taken as inside without resolving it,
    # unless it is a symlink (or climbs out).
    out, outside = tmp_path / "out", tmp_path / "outside"
    outside.mkdir()
    output = Output(out)
    output.write("index.html", "x")
    output.write("terms/index.html", "x")
    output.write("terms/fresh/index.html", "x")
    (out / "terms" / "away").symlink_to(outside, target_is_directory=True)
    with pytest.raises(OutputError, match="outside the output folder"):
        output.write("terms/away/index.html", "x")
    with pytest.raises(OutputError, match="outside the output folder"):
        output.write("terms/../../outside/index.html", "x")
    output.save()
    assert list(outside.iterdir()) == []
    assert (out / "terms" / "fresh" / "index.html").read_text() == "x"


def test_written_files_are_mode_0644_whatever_the_umask(tmp_path: Path, cli: Run) -> None:
    two_articles(tmp_path)
    previous = os.umask(0o077)
    try:
        assert cli("build").code == 0
    finally:
        os.umask(previous)
    files = [p for p in (tmp_path / "_site").rglob("*") if p.is_file()]
    assert len(files) >= 8
    modes = {p.relative_to(tmp_path).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in files}
    assert {path: mode for path, mode in modes.items() if mode != 0o644} == {}


# What a site holds.


def test_a_site_holds_its_required_files(tmp_path: Path, cli: Run) -> None:
    two_articles(tmp_path)
    assert cli("build").code == 0
    out = tmp_path / "_site"
    for name in (
        ".nojekyll",
        "404.html",
        "index.html",
        "terms/index.html",
        "static/site.css",
        "static/pygments.css",
        "good/index.html",
        "other/index.html",
    ):
        assert (out / name).is_file(), name
    assert not (out / "sitemap.xml").exists()
    assert (out / ".nojekyll").read_bytes() == b""
    assert ".highlight" in text_of(out / "static" / "pygments.css")
    terms = text_of(out / "terms" / "index.html")
    assert 'href="../good/index.html#' in terms


def test_project_static_files_are_copied_and_override_the_theme(tmp_path: Path, cli: Run) -> None:
    two_articles(tmp_path)
    make_site(tmp_path, {"static/site.css": "/* mine */\n", "static/img/logo.svg": "<svg/>"})
    assert cli("build").code == 0
    out = tmp_path / "_site"
    assert text_of(out / "static" / "site.css") == "/* mine */\n"
    assert text_of(out / "static" / "img" / "logo.svg") == "<svg/>"


def test_sitemap_from_site_toml(tmp_path: Path, cli: Run) -> None:
    two_articles(tmp_path)
    make_site(tmp_path, {"site.toml": 'site_url = "https://example.org/repo"\n'})
    assert cli("build").code == 0
    sitemap = text_of(tmp_path / "_site" / "sitemap.xml")
    for url in ("", "terms/", "good/", "other/"):
        assert f"<loc>https://example.org/repo/{url}</loc>" in sitemap


def test_sitemap_from_the_command_line_overrides_site_toml(tmp_path: Path, cli: Run) -> None:
    two_articles(tmp_path)
    make_site(tmp_path, {"site.toml": 'site_url = "https://example.org/repo/"\n'})
    assert cli("build", "--site-url", "https://user.github.io/site/").code == 0
    sitemap = text_of(tmp_path / "_site" / "sitemap.xml")
    assert "<loc>https://user.github.io/site/good/</loc>" in sitemap
    assert "example.org" not in sitemap


def test_sitemap_goes_when_the_site_url_does(tmp_path: Path, cli: Run) -> None:
    two_articles(tmp_path)
    assert cli("build", "--site-url", "https://example.org/").code == 0
    assert (tmp_path / "_site" / "sitemap.xml").is_file()
    assert cli("build").code == 0
    assert not (tmp_path / "_site" / "sitemap.xml").exists()


class Links(HTMLParser):
    """Every href and src of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # The page's own address and its feed's are absolute by nature: not links between pages.
        if tag == "link" and dict(attrs).get("rel") in ("canonical", "alternate"):
            return
        self.urls += [value for name, value in attrs if name in ("href", "src") and value]


def links_of(path: Path) -> list[str]:
    parser = Links()
    parser.feed(text_of(path))
    return parser.urls


def check_relative_links(out: Path, skip: tuple[str, ...] = ()) -> set[str]:
    """Assert every link of every page is relative and leads to a file; the absolute ones."""
    external: set[str] = set()
    pages = [p for p in out.rglob("*.html") if p.relative_to(out).as_posix() not in skip]
    assert len(pages) == 6 - len(skip)  # with the one term's page
    for page in pages:
        for url in links_of(page):
            if url in CONTENT_LINKS:
                external.add(url)
                continue
            parts = urlsplit(url)
            where = f"{page.relative_to(out)}: {url}"
            assert not url.startswith(("/", "http:", "https:")), where
            assert not parts.scheme and not parts.netloc, where
            if parts.path:
                assert (page.parent / parts.path).resolve().is_file(), where
    return external


@pytest.mark.parametrize("site_url", [None, "https://example.org/repo/"])
def test_links_between_pages_and_to_assets_are_relative(
    tmp_path: Path, cli: Run, site_url: str | None
) -> None:
    two_articles(tmp_path)
    args = ["--site-url", site_url] if site_url else []
    assert cli("build", *args).code == 0
    out = tmp_path / "_site"
    # A 404 page is served at any depth, so its links start at the path of the site's
    # address (/ when unknown); every other page links relatively.
    assert check_relative_links(out, ("404.html",)) == CONTENT_LINKS
    links = [url for url in links_of(out / "404.html") if not url.startswith("#")]
    assert links
    assert all(url.startswith("/repo/" if site_url else "/") for url in links)


# Safety of content: raw HTML is text, unsafe links are no links.

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_raw_html_in_article_notes_and_front_matter_is_escaped(tmp_path: Path, cli: Run) -> None:
    article = (
        f"---\ntitle: Bad {SCRIPT}\nauthor: '<img src=x onerror=alert(2)>'\n"
        f"source: '\"><b>bold</b>'\nsummary: {SCRIPT}\n---\n"
        f"The danger is here.\n\nRaw: {SCRIPT}\n\n<div onclick=alert(3)>block html</div>\n"
    )
    notes = f"## danger\nA note with {SCRIPT} inside.\n\n<iframe src=x></iframe>\n"
    text = (
        "The danger is here, in a first paragraph long enough to read as the body of "
        f"a scraped text rather than as its title line.\n\nRaw: {SCRIPT}\n"
    )
    make_site(
        tmp_path,
        {
            **GOOD,
            "seeds/bad.md": article,
            "seeds/bad.notes.md": notes,
            "seeds/plain.txt": text,
            "seeds/plain.notes.md": notes,
        },
    )
    result = cli("build")
    assert (result.code, result.err) == (0, "")
    out = tmp_path / "_site"
    theme_script = re.compile(rb'<script src="[./]*static/(notes|search)\.js" defer></script>')
    for name, content in tree(out).items():
        if name.startswith("pagefind/"):
            continue  # Pagefind's bundle: its own scripts, and the index compressed
        content = theme_script.sub(b"", content)  # the theme's own, the only scripts
        for raw in (b"<script", b"<img", b"<iframe", b"<div onclick", b"<b>bold"):
            assert raw not in content, (name, raw)
    page = text_of(out / "bad" / "index.html")
    assert f"<title>Bad {ESCAPED} · " in page
    assert f"<h1>Bad {ESCAPED}</h1>" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert f"Raw: {ESCAPED}" in page
    assert "&lt;div onclick=alert(3)&gt;block html&lt;/div&gt;" in page
    assert "&#34;&gt;&lt;b&gt;bold&lt;/b&gt;" in page
    assert 'data-note="note-danger"' in page
    assert f"A note with {ESCAPED} inside." in page
    assert "&lt;iframe src=x&gt;&lt;/iframe&gt;" in page
    assert f'<h2><a href="bad/index.html">Bad {ESCAPED}</a></h2>' in text_of(out / "index.html")
    plain = text_of(out / "plain" / "index.html")
    assert f"Raw: {ESCAPED}" in plain
    assert f"A note with {ESCAPED} inside." in plain


@pytest.mark.parametrize(
    "link",
    [
        "[click](javascript:alert(1))",
        "[click](JavaScript:alert(1))",
        "[click](  javascript:alert(1) )",
        "<javascript:alert(1)>",
        "[click][ref]\n\n[ref]: javascript:alert(1)",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "![img](javascript:alert(1))",
    ],
)
def test_unsafe_markdown_links_are_not_links(tmp_path: Path, cli: Run, link: str) -> None:
    article = f"An article with a link: {link}\n\nThe danger is here.\n"
    notes = f"## danger\nA note with a link: {link}\n"
    make_site(tmp_path, {"seeds/a.md": article, "seeds/a.notes.md": notes})
    assert cli("build").code == 0
    page = tmp_path / "_site" / "a" / "index.html"
    links = links_of(page)
    assert links  # the page has its ordinary links...
    for url in links:  # ...and none of them with an unsafe scheme
        assert urlsplit(url.strip()).scheme.lower() in ("", "http", "https", "mailto"), url
    assert "alert(1)" not in "".join(links)
    assert "msgbox" not in "".join(links)


@pytest.mark.parametrize(
    "link",
    [
        "https://example.org/a",
        "http://example.org/b",
        "mailto:editor@example.org",
        "../good/",
        "#x",
    ],
)
def test_safe_markdown_links_are_kept(tmp_path: Path, cli: Run, link: str) -> None:
    article = f"A [page]({link}).\n\nThe term is here.\n"
    make_site(
        tmp_path, {"seeds/a.md": article, "seeds/a.notes.md": f"## term\nSee [it]({link}).\n"}
    )
    result = cli("build", "--strict")
    assert (result.code, result.err) == (0, "")
    links = links_of(tmp_path / "_site" / "a" / "index.html")
    assert links.count(link) == 2  # the article's and the note's


def test_assign_pages_leaves_out_reserved_and_shared_slugs() -> None:
    diagnostics = Diagnostics()
    a, b, c, d = (Path(f"seeds/{name}.md") for name in "abcd")
    pages = assign_pages({a: "one", b: "two", c: "two", d: "terms"}, ("terms",), diagnostics)
    assert pages == [a]
    assert [(d.path.name, d.message.split(";")[0]) for d in diagnostics.sorted()] == [
        ("b.md", "slug 'two' is also the slug of seeds/c.md"),
        ("c.md", "slug 'two' is also the slug of seeds/b.md"),
        ("d.md", "slug 'terms' is reserved for the site's own pages"),
    ]


def test_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    dry = DryRun(tmp_path / "out")
    dry.write("a/index.html", "text")
    dry.replace("owner", {"b.txt": b"x"})
    dry.save()
    assert dry.files == {"a/index.html": SITE, "b.txt": "owner"}
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("session", [False, True], ids=["build", "watch"])
def test_links_to_a_page_whose_source_cannot_be_read_still_reach_it(
    tmp_path: Path, cli: Run, session: bool
) -> None:
    # Its notes' front matter broken, a.md kept its page, but b's link to it was
    # rewritten to a dead `a.md`, with a warning that it has no page.
    make_site(tmp_path, {**ORBITS, "seeds/b.md": "Article b, after [the first](a.md).\n"})
    out = tmp_path / "_site"
    site = Site(Project.at(tmp_path / "seeds"))
    assert site.build().diagnostics.items == []
    linked = text_of(out / "b/index.html")
    assert 'href="../a/index.html"' in linked
    notes = tmp_path / "seeds/a.notes.md"
    notes.write_text("---\ntitle: a: b\n---\n## orbit\nPath.\n", encoding="utf-8")
    edited = tmp_path / "seeds/b.md"
    edited.write_text("Article b, after [the first](a.md), again.\n", encoding="utf-8")
    if session:
        report = site.rebuild([notes, edited])
    else:
        report = Site(Project.at(tmp_path / "seeds")).build()
    assert [d.format(tmp_path).split(": error:")[0] for d in report.diagnostics.items] == [
        "seeds/a.notes.md:2"
    ]
    assert 'href="../a/index.html"' in text_of(out / "b/index.html")
    assert "again" in text_of(out / "b/index.html")
