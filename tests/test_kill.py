"""A build killed at any moment: the next build recovers by itself.

A real `site-builder build` is killed with SIGKILL at random moments (seeded), either
building a fresh folder or rebuilding one that holds the output of other sources
(so it writes, replaces and removes). The moments are spread over the time a build
spends writing, measured first: a build killed while it renders leaves nothing.
The build run after it must end with exit 0 and leave exactly what a clean build
into a fresh folder leaves, file by file.
"""

from __future__ import annotations

import random
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import GOOD, Run, make_site, start_build, tree

from site_builder.output import JOURNAL, MANIFEST, TEMPORARY

ARTICLES = 300  # enough for a build to take a while
KILLS = 20
FIRST = "before"  # the output of the first version of the sources
SEARCH_FOLDERS = {"pagefind", "pagefind/fragment", "pagefind/index"}  # the search index's


def article(number: int, edited: bool) -> dict[str, str]:
    """An article and its notes; edited, some change their text, slug or tags."""
    slug = f"slug: renamed-{number}\n" if edited and number % 7 == 0 else ""
    tag = "changed" if edited and number % 3 == 0 else f"topic{number % 5}"
    text = "An edited paragraph" if edited and number % 5 == 0 else "A paragraph"
    return {
        f"seeds/a{number:03}.md": (
            f"---\ntitle: Article {number}\ndate: 2024-03-{number % 28 + 1:02}\n"
            f"tags: [{tag}]\n{slug}---\n\n{text} about the term{number % 10} and the"
            f" shared word.\n\nA second paragraph, number {number}.\n"
        ),
        f"seeds/a{number:03}.notes.md": (
            f"## term{number % 10}\nA note on term {number % 10}, for article {number}.\n\n"
            "## shared word\nA note on the shared word.\n"
        ),
    }


def sources(edited: bool) -> dict[str, str]:
    """The first version, or the edited one: some articles gone, some new, many changed."""
    files: dict[str, str] = {"public/robots.txt": "User-agent: *\n"}
    numbers = range(ARTICLES + 20) if edited else range(ARTICLES)
    for number in numbers:
        if not (edited and number % 11 == 0):
            files.update(article(number, edited))
    return files


@dataclass(frozen=True)
class Site:
    root: Path
    clean: dict[str, bytes]  # what a clean build of the edited sources leaves
    folders: set[str]  # and its folders
    writing: tuple[float, float]  # when that build began writing, and when it ended

    def kill_at_random(self, chance: random.Random) -> None:
        build = start_build(self.root)
        time.sleep(chance.uniform(*self.writing))
        build.kill()  # SIGKILL: no handler, no cleanup, as with kill -9
        build.wait()


def no_process_left_in(folder: Path, wait: float = 5.0) -> bool:
    """Whether, within `wait` seconds, no process is left working in the folder (a build
    and its worker processes run there)."""
    deadline = time.monotonic() + wait
    while True:
        left = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and (entry / "cwd").readlink() == folder.resolve():
                    left.append(entry.name)
            except OSError:
                pass  # gone meanwhile, or not ours to look at
        if not left or time.monotonic() > deadline:
            return not left
        time.sleep(0.1)


def folders(out: Path) -> set[str]:
    return {path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_dir()}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = make_site(tmp_path_factory.mktemp("killed"), sources(edited=False))
    assert start_build(root, FIRST).wait() == 0
    shutil.rmtree(root / "seeds")
    make_site(root, sources(edited=True))
    out = root / "_site"
    started = time.perf_counter()
    build = start_build(root)
    while not out.exists() and build.poll() is None:  # made for the first file written
        time.sleep(0.002)
    writing = time.perf_counter() - started
    assert build.wait() == 0
    ended = time.perf_counter() - started
    site = Site(root, tree(out), folders(out), (writing * 0.9, ended))
    shutil.rmtree(out)
    return site


@pytest.mark.parametrize("kill", range(KILLS))
def test_a_killed_build_is_recovered_by_the_next_one(site: Site, cli: Run, kill: int) -> None:
    chance = random.Random(f"kill {kill}")
    out = site.root / "_site"
    shutil.rmtree(out, ignore_errors=True)
    if kill % 2:  # half of them rebuild the output of other sources; half build a fresh folder
        shutil.copytree(site.root / FIRST, out)
    site.kill_at_random(chance)
    if kill % 5 == 4:  # and some are killed again while recovering
        site.kill_at_random(chance)
    assert no_process_left_in(site.root)  # its workers end with it
    result = cli("build", "--source", site.root / "seeds", "--out", out)
    assert (result.code, result.err) == (0, "")
    assert tree(out) == site.clean
    assert folders(out) == site.folders


# What a killed build leaves, made by hand


def test_a_journal_and_temporaries_left_by_a_killed_build_are_taken_over(
    tmp_path: Path, cli: Run
) -> None:
    make_site(tmp_path, GOOD)
    assert cli("build").code == 0
    out = tmp_path / "_site"
    clean = tree(out)
    # The killed build had put one new page in place (listed in the journal before it
    # was), was writing another, and was replacing the manifest.
    (out / "gone").mkdir()
    (out / "gone" / "index.html").write_text("<p>a page of a source since deleted</p>")
    (out / "half").mkdir()
    (out / "half" / f"{TEMPORARY}k2j4h1").write_text("<p>half a page")
    (out / "good" / f"{TEMPORARY}x81nd0").write_text("<p>half")
    (out / f"{TEMPORARY}w0f9s2").write_text('{"half": ')
    (out / JOURNAL).write_text(
        '["gone/index.html", "seeds/gone.md"]\n["half/index.html", "seeds/half.md"]\n["cut sh'
    )
    result = cli("build")
    assert (result.code, result.err) == (0, "")
    assert tree(out) == clean  # temporaries and journal gone, and the page we wrote too
    assert folders(out) == {"good", "static", "terms", "terms/tianwen-3", *SEARCH_FOLDERS}


def test_a_journal_makes_ours_only_the_files_it_lists(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, GOOD)
    assert cli("build").code == 0
    out = tmp_path / "_site"
    (out / JOURNAL).write_text('["listed.html", ""]\n["../seeds/good.md", ""]\n')
    (out / "listed.html").write_text("ours")
    (out / "mine.html").write_text("not ours")
    (out / ".tmp-1234").write_text("not ours either: not our name for a temporary")
    (out / "static" / f"{TEMPORARY.upper()}abc").write_text("nor this")
    before = tree(tmp_path)
    result = cli("build")
    assert result.err.splitlines() == [
        "_site: error: holds files site-builder did not write "
        f"(.tmp-1234, mine.html, static/{TEMPORARY.upper()}abc); "
        "empty it or choose another output folder"
    ]
    assert result.code == 2
    assert tree(tmp_path) == before


def test_a_first_build_killed_before_its_manifest_is_taken_over(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, GOOD)
    assert cli("build").code == 0
    out = tmp_path / "_site"
    clean = tree(out)
    journal = "".join(f'["{name}", ""]\n' for name in clean if name != MANIFEST)
    (out / MANIFEST).unlink()
    (out / JOURNAL).write_text(journal)
    result = cli("build")
    assert (result.code, result.err) == (0, "")
    assert tree(out) == clean
