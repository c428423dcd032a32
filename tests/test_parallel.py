"""`--jobs N` renders on worker processes and gives exactly the output of one process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from site_builder.parallel import CHUNK
from site_builder.site import Project, build_site


def make_site(root: Path, articles: int) -> Path:
    seeds = root / "seeds"
    seeds.mkdir(parents=True)
    (seeds / "_glossary.md").write_text("## orbit\nA path around a body.\n")
    for number in range(articles):
        (seeds / f"a{number:03}.md").write_text(
            f"# Article {number}\n\nAn orbit and term {number}.\n"
        )
        (seeds / f"a{number:03}.notes.md").write_text(f"## term {number}\nNote {number}.\n")
    (seeds / "a000.notes.md").write_text("## missing term\nOccurs nowhere.\n")
    return seeds


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_jobs_give_the_same_site_and_diagnostics(tmp_path: Path) -> None:
    seeds = make_site(tmp_path, CHUNK * 3)
    one = build_site(Project.at(seeds, tmp_path / "one"), jobs=1, cache=False)
    two = build_site(Project.at(seeds, tmp_path / "two"), jobs=2, cache=False)
    assert files(tmp_path / "one") == files(tmp_path / "two")
    assert one.diagnostics.sorted() == two.diagnostics.sorted()
    assert [d.message for d in two.diagnostics.sorted()] == [
        "'missing term' occurs nowhere in the article (outside headings, code and links)"
    ]
    assert two.pages == CHUNK * 3
    assert two.cached == 0
    assert two.notes == CHUNK * 3 * 2 - 1


def test_a_broken_term_template_is_named_from_the_workers(tmp_path: Path) -> None:
    # The term pages are made on the workers too: what goes wrong in their template
    # comes back as the same diagnostic, and every other page is still written.
    seeds = make_site(tmp_path, CHUNK * 3)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "term.html").write_text("<p>\n{{ entry.term | nosuchfilter }}\n")
    one = build_site(Project.at(seeds, tmp_path / "one"), jobs=1, cache=False)
    two = build_site(Project.at(seeds, tmp_path / "two"), jobs=2, cache=False)
    assert files(tmp_path / "one") == files(tmp_path / "two")
    errors = [d.format() for d in two.diagnostics.errors]
    assert errors == [d.format() for d in one.diagnostics.errors]
    assert errors and all("term.html:2: error:" in error for error in errors)
    assert (tmp_path / "two" / "terms" / "index.html").is_file()
    assert (tmp_path / "two" / "a001" / "index.html").is_file()


def worker_of(build: int) -> int:
    """The exit status of a worker started for `build` (a pid), which then works 3 s."""
    code = (
        "import time; from site_builder import parallel\n"
        f"parallel._start(print, {build})\n"
        "time.sleep(3)"
    )
    return subprocess.run([sys.executable, "-c", code], timeout=30, check=False).returncode


def test_a_worker_whose_build_is_gone_ends() -> None:
    # A build killed (kill -9) between forking a worker and the worker's start leaves it
    # to init: it must see that its build, named by pid, is not its parent, and end.
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert worker_of(int(gone.stdout)) == 1  # ended at once
    assert worker_of(os.getpid()) == 0  # its build is there: it works to the end


def test_an_error_made_on_many_pages_is_printed_and_counted_once(tmp_path: Path) -> None:
    # Each term page renders the broken template: one mistake, one line, "1 error".
    seeds = make_site(tmp_path, 3)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "term.html").write_text("<p>\n{{ entry.term | nosuchfilter }}\n")
    result = subprocess.run(
        [sys.executable, "-m", "site_builder", "build", "--source", str(seeds)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )
    assert result.stderr.count("term.html:2: error: No filter named 'nosuchfilter'.") == 1
    assert ", 1 warning, 1 error in " in result.stdout  # (and the note that occurs nowhere)
