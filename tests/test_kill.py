"""A build killed at any moment: the next build recovers by itself."""

from __future__ import annotations

from pathlib import Path

from conftest import GOOD, Run, make_site, tree

from site_builder.output import JOURNAL, MANIFEST, TEMPORARY


def folders(out: Path) -> set[str]:
    return {path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_dir()}


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
    assert folders(out) == {"good", "static", "terms"}


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
