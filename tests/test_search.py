"""Site search (search.py): the Pagefind bundle is part of the output, indexed by `build`,
`deploy`, `watch` and `serve`, never by `check`; a missing or failing indexer is an
error naming it, and the rest of the site still builds."""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from pathlib import Path

import pytest
from conftest import GOOD, Run, make_site, start_build, tree

from site_builder import search, tether
from site_builder.devloop import CycleReport
from site_builder.output import MANIFEST
from site_builder.search import ENTRY, FOLDER, OWNER, pagefind_binary
from site_builder.site import BuildReport, Project, Site

ARTICLE = "seeds/good.md"


def manifest(out: Path) -> dict[str, str]:
    data: dict[str, str] = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    return data


def bundle(out: Path) -> set[str]:
    """The files of the search bundle in an output folder."""
    return {f"{FOLDER}/{name}" for name in tree(out / FOLDER)} if (out / FOLDER).is_dir() else set()


def failing_indexer(tmp_path: Path, said: str) -> Path:
    """A stand-in for the pagefind binary that says something and fails."""
    script = tmp_path / "fake-pagefind"
    script.write_text(f"#!/bin/sh\necho '{said}' >&2\nexit 3\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_the_pagefind_binary_is_installed() -> None:
    assert pagefind_binary().is_file()


def test_build_writes_the_bundle_as_files_of_its_own(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, GOOD)
    result = cli("build")
    assert (result.code, result.err) == (0, "")
    out = tmp_path / "_site"
    files = bundle(out)
    assert {f"{FOLDER}/pagefind.js", f"{FOLDER}/pagefind-entry.json"} <= files
    assert any(name.startswith(f"{FOLDER}/fragment/") for name in files)
    listed = manifest(out)
    assert {name for name, owner in listed.items() if owner == OWNER} == files
    # The next build accepts the folder (every file is ours) and leaves it as it was.
    built = tree(out)
    again = cli("build")
    assert (again.code, again.err) == (0, "")
    assert tree(out) == built


def test_a_new_index_removes_the_stale_chunks(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, GOOD)
    assert cli("build").code == 0
    out = tmp_path / "_site"
    before = bundle(out)
    source = tmp_path / ARTICLE
    source.write_text(source.read_text() + "\nA paragraph about heliopause crossings.\n")
    assert cli("build").code == 0
    after = bundle(out)
    stale = {name for name in before - after if "/fragment/" in name}
    assert stale, "the edit changed the article's fragment"
    assert not any((out / name).exists() for name in stale)
    assert {name for name, owner in manifest(out).items() if owner == OWNER} == after


def test_check_does_not_index(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, GOOD)
    result = cli("check")
    assert result.code == 0
    assert not (tmp_path / "_site").exists()


def test_a_missing_indexer_is_an_error_naming_it_and_the_site_still_builds(
    tmp_path: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_site(tmp_path, GOOD)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [
        f"_site/{FOLDER}:1: error: search index not written: cannot run the pagefind binary "
        f"({tmp_path / 'no-such-pagefind'}): No such file or directory"
    ]
    out = tmp_path / "_site"
    assert (out / "good" / "index.html").is_file()
    assert not (out / FOLDER).exists()


def test_a_failing_indexer_says_why_and_leaves_no_stale_index(
    tmp_path: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_site(tmp_path, GOOD)
    assert cli("build").code == 0
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing_indexer(tmp_path, "disk on fire")))
    with (tmp_path / "seeds" / "good.md").open("a", encoding="utf-8") as article:
        article.write("\nA line more, so that the index is made again.\n")
    result = cli("build")
    assert result.code == 1
    [message] = result.diagnostics
    assert message.startswith(f"_site/{FOLDER}:1: error: search index not written: ")
    assert message.endswith("failed: disk on fire")
    out = tmp_path / "_site"
    assert (out / "good" / "index.html").is_file()
    assert bundle(out) == set()  # the search box falls back to its link
    assert OWNER not in manifest(out).values()
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    assert cli("build").code == 0  # and the next good build indexes again
    assert bundle(out)


def test_a_build_that_changes_no_page_keeps_the_index_as_it_is(
    tmp_path: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_site(tmp_path, GOOD)
    assert cli("build").code == 0
    before = bundle(tmp_path / "_site")
    # The indexer would fail if it ran: nothing changed, so it does not.
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing_indexer(tmp_path, "disk on fire")))
    assert cli("build").code == 0
    assert bundle(tmp_path / "_site") == before
    (tmp_path / "_site" / FOLDER / "pagefind.js").unlink()  # an index no longer whole
    assert cli("build").code == 1


def test_a_site_without_articles_has_no_index(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {"seeds/_glossary.md": "## orbit\nA path around a body.\n"})
    result = cli("build")
    assert result.code == 0
    assert bundle(tmp_path / "_site") == set()


def test_a_language_tag_too_long_for_the_indexer_is_cut_with_a_warning(
    tmp_path: Path, cli: Run
) -> None:
    # Pagefind panicked on a page whose <html lang> held 32 characters or more, and the
    # whole site lost its search: a real locale tag with extensions is 37.
    article = "---\ntitle: Zeit\nlang: de-DE-u-co-phonebk-ka-shifted-kb-true\n---\n\nText.\n"
    make_site(tmp_path, {**GOOD, "seeds/de.md": article})
    result = cli("build")
    assert result.diagnostics == [
        "seeds/de.md:3: warning: lang: 'de-DE-u-co-phonebk-ka-shifted-kb-true' is longer "
        "than the search index takes (24 characters); using 'de-DE'"
    ]
    assert '<html lang="de-DE"' in (tmp_path / "_site" / "de" / "index.html").read_text()
    assert f"{FOLDER}/{ENTRY}" in bundle(tmp_path / "_site")
    make_site(tmp_path, {"site.toml": 'language = "en-US-u-ca-gregory-nu-latn-hc-h23"\n'})
    assert cli("build").err.splitlines()[0] == (
        "site.toml:1: error: option 'language' must be at most 24 characters (the search "
        "index takes no longer tag), such as 'en-US'"
    )


def test_search_false_writes_no_index_and_removes_one_written_before(
    tmp_path: Path, cli: Run
) -> None:
    make_site(tmp_path, GOOD)
    assert cli("build").code == 0
    assert bundle(tmp_path / "_site")
    (tmp_path / "site.toml").write_text('title = "T"\nsearch = false\n', encoding="utf-8")
    result = cli("build")
    assert (result.code, result.err) == (0, "")
    assert bundle(tmp_path / "_site") == set()
    assert OWNER not in manifest(tmp_path / "_site").values()
    # The search box is then the link to the terms page it is without script.
    page = (tmp_path / "_site" / "good" / "index.html").read_text(encoding="utf-8")
    assert '<a class="search-fallback" href="../terms/index.html">Find a term</a>' in page
    assert "search.js" not in page and "data-search-bundle" not in page


@pytest.mark.parametrize("value", ['"false"', "0", "1"])
def test_search_must_be_true_or_false(tmp_path: Path, cli: Run, value: str) -> None:
    make_site(tmp_path, {**GOOD, "site.toml": f'title = "T"\nsearch = {value}\n'})
    result = cli("build")
    assert (result.code, result.err) == (
        2,
        "site.toml:2: error: option 'search' must be true or false (without quotes), "
        "such as search = false\n",
    )


def test_only_article_text_and_notes_are_indexed(tmp_path: Path) -> None:
    """What the pages tell Pagefind: the article's text and notes, none of the chrome."""
    make_site(tmp_path, GOOD)
    site = Site(Project.at(tmp_path / "seeds"))
    site.build()
    out = tmp_path / "_site"
    page = (out / "good" / "index.html").read_text(encoding="utf-8")
    assert page.count("data-pagefind-body") == 1
    assert '<article class="article" data-pagefind-body>' in page
    assert 'id="note-tianwen-3--end"' in page
    for chrome in ("index.html", "terms/index.html", "404.html"):
        assert "data-pagefind-body" not in (out / chrome).read_text(encoding="utf-8")


def test_the_index_follows_each_cycle_without_holding_up_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_site(tmp_path, GOOD)
    site = Site(Project.at(tmp_path / "seeds"))
    site.build()
    article = tmp_path / ARTICLE
    release = threading.Event()
    ran: list[str] = []
    real = search.run_indexer

    def slow(folder: Path, started: object = None) -> dict[str, bytes]:
        ran.append(article.read_text())
        assert release.wait(30), "the test never let the indexer finish"
        return real(folder)

    monkeypatch.setattr(search, "run_indexer", slow)
    problems: list[BuildReport] = []
    with search.Indexer(site, problems.append, delay=0) as indexer:
        for text in ("First edit.\n", "Second edit.\n"):
            article.write_text(text)
            with indexer.lock:  # as the dev loop builds: not held up by the indexer
                cycle = CycleReport(frozenset({article}), site.rebuild([article]))
            indexer.after(cycle)
            deadline = time.monotonic() + 30
            while len(ran) < (1 if text.startswith("First") else 2):
                assert time.monotonic() < deadline, "the indexer never started"
                time.sleep(0.01)
            assert not bundle(tmp_path / "_site")  # still indexing, and the cycle is done
        release.set()
        indexer.wait(60)
    assert problems == []
    assert ran == ["First edit.\n", "Second edit.\n"]  # the first index, stale, was dropped
    assert bundle(tmp_path / "_site")
    assert OWNER in manifest(tmp_path / "_site").values()


def sleeping_indexer(tmp_path: Path) -> tuple[Path, Path]:
    """A stand-in for the pagefind binary that runs until killed; and the file of the
    process ids it ran as, a line each."""
    started = tmp_path / "indexers"
    script = tmp_path / "sleeping-pagefind"
    script.write_text(f"#!/bin/sh\necho $$ >> '{started}'\nexec sleep 60\n", encoding="utf-8")
    script.chmod(0o755)
    return script, started


def running_ids(started: Path, count: int) -> list[int]:
    """The ids of the indexers started so far, once there are `count`."""
    deadline = time.monotonic() + 30
    while len(ids := started.read_text().split() if started.exists() else []) < count:
        assert time.monotonic() < deadline, "the indexer never started"
        time.sleep(0.01)
    return [int(i) for i in ids]


def alive(pid: int) -> bool:
    """Whether the process runs (not ended, nor a zombie awaiting its parent)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return status != "Z"


def ended(pid: int) -> bool:
    """Whether the process ends within a while."""
    deadline = time.monotonic() + 30
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    return not alive(pid)


def test_a_cycle_ends_the_indexer_run_under_way_and_the_command_ends_the_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_site(tmp_path, GOOD)
    binary, started = sleeping_indexer(tmp_path)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(binary))
    site = Site(Project.at(tmp_path / "seeds"))
    article = tmp_path / ARTICLE
    problems: list[BuildReport] = []
    with search.Indexer(site, problems.append, delay=0) as indexer:
        with indexer.lock:
            cycle = CycleReport(build=site.build())
        indexer.after(cycle)
        [first] = running_ids(started, 1)
        article.write_text("An edit.\n")
        with indexer.lock:  # a cycle begins: what the indexer reads is stale
            assert ended(first)
            cycle = CycleReport(frozenset({article}), site.rebuild([article]))
        indexer.after(cycle)
        [_, second] = running_ids(started, 2)
        assert alive(second)
    assert ended(second)  # the command's end is the indexer's
    indexer.wait(30)
    assert problems == []  # an indexer ended for a cycle failed no one


def test_a_full_build_keeps_the_index_for_the_next_one_to_replace(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, GOOD)
    assert cli("build").code == 0
    out = tmp_path / "_site"
    indexed = bundle(out)
    Site(Project.at(tmp_path / "seeds")).build()  # a build that does not index
    assert bundle(out) == indexed


def test_a_cycle_beginning_stops_the_writing_of_an_index_and_the_old_one_stays_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At 10,000 articles the bundle takes seconds to write, and a save waited for it.
    make_site(tmp_path, GOOD)
    site = Site(Project.at(tmp_path / "seeds"))
    out, article = tmp_path / "_site", tmp_path / ARTICLE
    entry = out / FOLDER / ENTRY
    problems: list[BuildReport] = []
    with search.Indexer(site, problems.append, delay=0) as indexer:
        with indexer.lock:
            cycle = CycleReport(build=site.build())
        indexer.after(cycle)
        indexer.wait(60)
        old, old_entry = bundle(out), entry.read_bytes()
        new = {
            ENTRY: b'{"new": true}',
            "fragment/a.pf_fragment": b"a",
            "fragment/b.pf_fragment": b"b",
        }
        monkeypatch.setattr(search, "run_indexer", lambda folder, started=None: new)
        write = site.output.write

        def cycle_begins_meanwhile(relative: str, content: str | bytes, owner: str = "") -> None:
            write(relative, content, owner)
            if relative == f"{FOLDER}/fragment/a.pf_fragment":
                indexer.begin_cycle()  # as the dev loop does on a save, before the lock

        monkeypatch.setattr(site.output, "write", cycle_begins_meanwhile)
        article.write_text("An edit.\n")
        with indexer.lock:
            cycle = CycleReport(frozenset({article}), site.rebuild([article]))
        indexer.after(cycle)
        indexer.wait(60)
        site.output.save()  # as the cycle that began would
        assert entry.read_bytes() == old_entry  # the old index is whole
        assert old <= bundle(out)
        assert f"{FOLDER}/fragment/a.pf_fragment" in bundle(out)
        assert f"{FOLDER}/fragment/b.pf_fragment" not in bundle(out)
        assert site.output.changed  # so the next cycle indexes again
        monkeypatch.setattr(site.output, "write", write)
        indexer.after(CycleReport(frozenset({article}), site.rebuild([article])))
        indexer.wait(60)
    assert entry.read_bytes() == b'{"new": true}'
    assert bundle(out) == {f"{FOLDER}/{name}" for name in new}
    assert problems == []


def test_an_indexer_ends_with_a_build_killed_and_the_next_removes_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SIGKILL leaves a build no chance to end its indexer: the kernel ends it (the
    # parent-death signal), and the folder it wrote into waits for the next run.
    make_site(tmp_path, GOOD)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    binary, started = sleeping_indexer(tmp_path)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(binary))
    build = start_build(tmp_path)
    [indexer] = running_ids(started, 1)
    build.kill()
    build.wait()
    assert ended(indexer)
    [left] = temporary.iterdir()
    assert left.name.startswith(f"{search.SCRATCH}{build.pid}-")
    an_hour_ago = time.time() - tether.ORPHANED - 1
    os.utime(left, (an_hour_ago, an_hour_ago))
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    assert start_build(tmp_path).wait(timeout=120) == 0
    assert list(temporary.iterdir()) == []
    assert bundle(tmp_path / "_site")


def test_a_scratch_folder_of_a_process_running_or_lately_gone_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = int(Path("/proc/sys/kernel/pid_max").read_text()) + 1  # no process has it
    running = f"{search.SCRATCH}{os.getpid()}-a"
    kept = [running, f"{search.SCRATCH}{dead}-lately", f"{search.SCRATCH}a", "other-1-a"]
    orphan = f"{search.SCRATCH}{dead}-a"
    an_hour_ago = time.time() - tether.ORPHANED - 1
    for name in [*kept, orphan]:
        (tmp_path / name).mkdir()
        if "lately" not in name:
            os.utime(tmp_path / name, (an_hour_ago, an_hour_ago))
    with tether.scratch_folder(search.SCRATCH) as folder:
        assert folder.name.startswith(f"{search.SCRATCH}{os.getpid()}-")
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*kept, folder.name])
    assert not folder.exists()
