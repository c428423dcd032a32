"""`--jobs N` renders on worker processes and gives exactly the output of one process."""

from __future__ import annotations

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
