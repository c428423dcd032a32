"""The dev loop against real file edits: each editor's way of saving, errors then
recovery, new and deleted files, templates, bursts, the output folder, folders that
vanish and come back, and every exception survived; `watch` as a real process too."""

from __future__ import annotations

import contextlib
import gc
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import Nest, make_site, tree, unprivileged

from site_builder import watching
from site_builder.config import OPTIONS
from site_builder.devloop import SWITCH_INTERVAL, CycleReport, DevLoop
from site_builder.site import BuildReport, Project, Site
from site_builder.watching import Watcher

WAIT = 10.0  # seconds: the most any test waits for something that should take milliseconds
FILES = {
    "site.toml": 'title = "Watched"\n',
    "seeds/one.md": "# One\n\nMars and Venus.\n",
    "seeds/one.notes.md": "## Mars\nThe red planet.\n",
}


@dataclass
class Running:
    """A dev loop running on a thread of its own, and the reports of its cycles."""

    loop: DevLoop
    results: list[CycleReport] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    @property
    def site(self) -> Site:
        return self.loop.site

    @property
    def watcher(self) -> Watcher:
        return self.loop.watcher

    @property
    def out(self) -> Path:
        return self.site.project.out

    @property
    def seeds(self) -> Path:
        return self.site.project.source

    def wait_for(self, check: Callable[[], bool], what: str) -> None:
        """Wait, bounded, until `check()` holds after some cycle."""
        deadline = time.monotonic() + WAIT
        with self.arrived:
            while not check():
                left = deadline - time.monotonic()
                assert left > 0, f"timed out waiting for {what}; cycles: {self.results}"
                self.arrived.wait(left)

    def reported(self, check: Callable[[CycleReport], bool], what: str) -> CycleReport:
        """The first report (from now on) for which `check` holds."""
        seen = len(self.results)
        self.wait_for(lambda: any(check(r) for r in self.results[seen:]), what)
        return next(r for r in self.results[seen:] if check(r))

    def page(self, slug: str = "one") -> str:
        path = self.out / slug / "index.html"
        return path.read_text() if path.exists() else ""


def start(
    tmp_path: Path,
    poll: bool = False,
    during_first_build: Callable[[Site], None] | None = None,
    out: Path | None = None,
) -> Iterator[Running]:
    """The dev loop as `watch` runs it: the watcher first, then the first build, then cycles."""
    root = make_site(tmp_path / "site", FILES)
    site = Site(Project.at(root / "seeds", out))  # by default beside the sources
    if during_first_build:
        whole_build = site.build

        def build(write: bool = True) -> BuildReport:
            site.build = whole_build  # type: ignore[method-assign]
            report = whole_build(write)
            during_first_build(site)
            return report

        site.build = build  # type: ignore[method-assign]
    watcher = Watcher(site.project, poll=poll)
    running = Running(DevLoop(site, watcher))
    first = running.loop.build()
    assert first.build is not None and first.build.diagnostics.items == []
    stop = threading.Event()

    def rebuilt(report: CycleReport) -> None:
        with running.arrived:
            running.results.append(report)
            running.arrived.notify_all()

    thread = threading.Thread(target=running.loop.run, args=(rebuilt, stop))
    thread.start()
    try:
        yield running
    finally:
        stop.set()
        thread.join(timeout=WAIT)
        watcher.stop()
        assert not thread.is_alive()


running_loop = contextlib.contextmanager(start)


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    yield from start(tmp_path)


@pytest.fixture
def polling(tmp_path: Path) -> Iterator[Running]:
    yield from start(tmp_path, poll=True)


@pytest.fixture(params=["native", "poll"])
def either(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Running]:
    """The loop under native file events, then under polling."""
    yield from start(tmp_path, poll=request.param == "poll")


def save_in_place(path: Path, text: str) -> None:
    path.write_text(text)


def save_atomic(path: Path, text: str) -> None:
    """VS Code / most libraries: write a temporary file, rename it over the old one."""
    temporary = path.with_name(f".{path.name}.tmp-1234")
    temporary.write_text(text)
    os.replace(temporary, path)


def save_like_vim(path: Path, text: str) -> None:
    """Vim: swap file, a 4913 test file, the original renamed to a backup, a new file."""
    swap = path.with_name(f".{path.name}.swp")
    swap.write_text("swap")
    probe = path.with_name("4913")
    probe.write_text("")
    probe.unlink()
    backup = path.with_name(path.name + "~")
    path.rename(backup)
    path.write_text(text)
    backup.unlink()
    swap.unlink()


def save_like_jetbrains(path: Path, text: str) -> None:
    """JetBrains safe write: ___jb_tmp___, old renamed to ___jb_old___, tmp renamed in."""
    temporary = path.with_name(path.name + "___jb_tmp___")
    old = path.with_name(path.name + "___jb_old___")
    temporary.write_text(text)
    path.rename(old)
    temporary.rename(path)
    old.unlink()


def save_like_emacs(path: Path, text: str) -> None:
    """Emacs: a lock symlink .#name and an auto-save #name# around the write."""
    lock = path.with_name(f".#{path.name}")
    lock.symlink_to("user@host.1234")
    autosave = path.with_name(f"#{path.name}#")
    autosave.write_text(text)
    path.write_text(text)
    autosave.unlink()
    lock.unlink()


@pytest.mark.parametrize(
    "save", [save_in_place, save_atomic, save_like_vim, save_like_jetbrains, save_like_emacs]
)
def test_each_editor_save_pattern_rebuilds_the_page(
    running: Running, save: Callable[[Path, str], None]
) -> None:
    save(running.seeds / "one.notes.md", "## Mars\nThe fourth planet.\n")
    running.wait_for(lambda: "fourth planet" in running.page(), "the edited note")
    changed = set().union(*(report.changes for report in running.results))
    names = {path.name for path in changed}
    assert names <= {"one.notes.md"}, names  # swap, backup, lock and temporary files ignored
    builds = [report.build for report in running.results]
    assert all(build is not None and not build.diagnostics.items for build in builds)
    assert sorted(p.name for p in running.seeds.iterdir()) == ["one.md", "one.notes.md"]
    assert not any(p.name.startswith("one.md") for p in running.out.iterdir())


def test_an_error_keeps_the_last_good_page_and_the_next_good_save_clears_it(
    running: Running,
) -> None:
    good = running.page()
    (running.seeds / "one.md").write_text("---\ntitle: [oops\n---\n\nMars.\n")
    cycle = running.reported(lambda r: bool(r.build and r.build.diagnostics.errors), "an error")
    assert cycle.build is not None
    assert [(d.path.name, d.line) for d in cycle.build.diagnostics.errors] == [("one.md", 2)]
    assert running.page() == good
    (running.seeds / "one.md").write_text("# One, fixed\n\nMars and Venus.\n")
    running.wait_for(lambda: "One, fixed" in running.page(), "the fixed page")
    last = running.results[-1].build
    assert last is not None and last.diagnostics.items == []


def test_new_and_deleted_sources_add_and_remove_pages(running: Running) -> None:
    (running.seeds / "two.md").write_text("# Two\n\nAbout Mars again.\n")
    running.wait_for(lambda: "Two" in running.page("two"), "the new page")
    assert "Two" in (running.out / "index.html").read_text()
    (running.seeds / "two.md").unlink()
    running.wait_for(lambda: not (running.out / "two").exists(), "the page to go")
    assert "Two" not in (running.out / "index.html").read_text()


def test_a_template_edit_rebuilds_everything(running: Running) -> None:
    templates = running.site.project.templates
    shutil.copytree(Path(__file__).parent.parent / "templates", templates)
    running.wait_for(lambda: bool(running.results), "the templates folder")
    article = templates / "article.html"
    article.write_text(article.read_text().replace("<article class", "<article data-x class"))
    running.wait_for(lambda: "data-x" in running.page(), "the template edit")
    assert any(r.build and r.build.full for r in running.results)


def test_a_broken_site_toml_is_reported_and_watching_goes_on(running: Running) -> None:
    config = running.site.project.config
    config.write_text('title = "unclosed\n')
    message = running.reported(lambda r: r.build is None, "a message").problem
    assert message.startswith(f"{config}:1: error:") or message.startswith("site.toml:1: error:")
    config.write_text('title = "Fixed title"\n')
    running.wait_for(lambda: "Fixed title" in running.page(), "the fixed site.toml")


def test_a_burst_of_saves_makes_one_build(running: Running) -> None:
    notes = running.seeds / "one.notes.md"
    for number in range(20):
        notes.write_text(f"## Mars\nVersion {number}.\n")
    running.wait_for(lambda: "Version 19." in running.page(), "the last version")
    # A batch ends 2 ms after a write closed its file, so a writer that a loaded machine
    # pauses longer splits the burst: into a few batches (each rebuild gathers the
    # writes made meanwhile), never one a save.
    assert len(running.results) <= 5


def test_a_change_during_a_build_gives_exactly_one_follow_up_build(tmp_path: Path) -> None:
    """A save while a rebuild runs is neither lost nor built twice."""
    root = make_site(tmp_path / "site", FILES)
    site = Site(Project.at(root / "seeds"))
    watcher = Watcher(site.project)
    loop = DevLoop(site, watcher)
    loop.build()
    notes = site.project.source / "one.notes.md"
    results: list[CycleReport] = []
    stop = threading.Event()
    slow_rebuild = site.rebuild

    def rebuild_during_which_the_editor_saves(
        changes: set[Path], later: Callable[[], bool], made: Callable[[bool], None]
    ) -> BuildReport:
        if not results:  # the first rebuild: the editor saves again meanwhile
            notes.write_text("## Mars\nSecond save.\n")
            assert watcher._arrived.wait(WAIT)  # the watcher has seen it, mid-build
        return slow_rebuild(changes, later, made)

    site.rebuild = rebuild_during_which_the_editor_saves  # type: ignore[method-assign,assignment]

    def rebuilt(report: CycleReport) -> None:
        results.append(report)
        if "Second save." in (site.project.out / "one" / "index.html").read_text():
            stop.set()

    thread = threading.Thread(target=loop.run, args=(rebuilt, stop))
    thread.start()
    notes.write_text("## Mars\nFirst save.\n")
    thread.join(timeout=WAIT)
    watcher.stop()
    assert not thread.is_alive()
    assert len(results) == 2


def test_a_rebuild_tells_of_its_pages_before_it_makes_the_site_wide_ones(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", FILES)
    site = Site(Project.at(root / "seeds"))
    out = site.project.out
    told: list[tuple[set[str], str]] = []

    def made(files: set[str]) -> None:  # as `serve` reloads them
        told.append((files, (out / "terms" / "mars" / "index.html").read_text()))

    with Watcher(site.project) as watcher:
        loop = DevLoop(site, watcher, on_made=made)
        assert loop.build().renewed is None  # a full build: any file may be new
        assert told == []
        (root / "seeds" / "one.notes.md").write_text("## Mars\nThe fourth planet.\n")
        changes = watcher.changes()  # as `run` takes them: none waiting any more
        assert changes is not None
        report = loop.cycle(frozenset(changes))
    [(files, term_page)] = told
    assert "one/index.html" in files
    assert "The fourth planet." in (out / "one" / "index.html").read_text()
    assert "The red planet." in term_page  # the terms pages were not made yet
    assert report.renewed is not None
    assert "terms/mars/index.html" in report.renewed
    assert not report.renewed & files  # each file told of once
    assert "The fourth planet." in (out / "terms" / "mars" / "index.html").read_text()


def test_a_finished_save_ends_its_burst_at_once_and_an_unfinished_write_waits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quiet = 2.0  # far longer than events take to arrive, so which wait was taken shows
    monkeypatch.setattr(watching, "QUIET", quiet)
    root = make_site(tmp_path / "site", FILES)
    notes = (root / "seeds" / "one.notes.md").resolve()
    with Watcher(Project.at(root / "seeds")) as watcher:
        started = time.monotonic()
        notes.write_text("## Mars\nSaved.\n")  # written and closed: the save is over
        assert watcher.changes() == {notes}
        assert time.monotonic() - started < quiet
        with notes.open("a") as file:
            file.write("Still writing.\n")
            file.flush()
            started = time.monotonic()
            assert watcher.changes() == {notes}  # the file still open: the whole quiet
            assert time.monotonic() - started >= quiet
        assert watcher.changes() == {notes}  # and its close is a change of its own


def test_a_cycle_runs_without_the_collector_and_switches_it_on_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Switched on as a rebuild ends, the collector's first pass went over all it made."""
    root = make_site(tmp_path / "site", FILES)
    site = Site(Project.at(root / "seeds"))
    collecting: list[bool] = []
    real = site.rebuild

    def rebuild(*args: Any, **kwargs: Any) -> BuildReport:
        collecting.append(gc.isenabled())
        return real(*args, **kwargs)

    try:
        with Watcher(site.project) as watcher:
            loop = DevLoop(site, watcher)
            loop.build()
            monkeypatch.setattr(site, "rebuild", rebuild)
            notes = root / "seeds" / "one.notes.md"
            notes.write_text("## Mars\nThe fourth planet.\n")
            report = loop.cycle(frozenset({notes}))
        assert report.build is not None and not report.build.full
        assert collecting == [False] and gc.isenabled()  # off for the cycle, on after it
    finally:
        gc.unfreeze()


def test_the_loop_lets_the_watcher_threads_in_often_and_restores_the_interval_after(
    tmp_path: Path,
) -> None:
    """A save reaches the loop through the watcher's threads, each of which waited up to
    Python's 5 ms switch interval while a rebuild kept the interpreter busy."""
    root = make_site(tmp_path / "site", FILES)
    site = Site(Project.at(root / "seeds"))
    before = sys.getswitchinterval()
    seen: list[float] = []
    stop = threading.Event()
    real = site.rebuild

    def rebuild(*args: Any, **kwargs: Any) -> BuildReport:
        seen.append(sys.getswitchinterval())
        return real(*args, **kwargs)

    site.rebuild = rebuild  # type: ignore[method-assign]
    with Watcher(site.project) as watcher:
        loop = DevLoop(site, watcher)
        loop.build()
        thread = threading.Thread(target=loop.run, args=(lambda report: stop.set(), stop))
        thread.start()
        (root / "seeds" / "one.notes.md").write_text("## Mars\nThe fourth planet.\n")
        thread.join(timeout=WAIT)
    assert not thread.is_alive()
    assert set(seen) == {SWITCH_INTERVAL} and before > SWITCH_INTERVAL
    assert sys.getswitchinterval() == before


def test_the_output_folder_is_never_watched(running: Running) -> None:
    (running.seeds / "one.notes.md").write_text("## Mars\nOnce.\n")
    running.wait_for(lambda: "Once." in running.page(), "the edit")
    count = len(running.results)
    # Writing into the output folder (as every rebuild does) triggers nothing; a later
    # real edit is the very next batch, and holds only the source.
    (running.out / "stray.txt").write_text("x")
    (running.seeds / "one.notes.md").write_text("## Mars\nTwice.\n")
    running.wait_for(lambda: "Twice." in running.page(), "the second edit")
    later = running.results[count:]
    assert [{p.name for p in report.changes} for report in later] == [{"one.notes.md"}]
    (running.out / "stray.txt").unlink()


def test_polling_notices_edits_too(polling: Running) -> None:
    assert polling.watcher.polling
    (polling.seeds / "one.notes.md").write_text("## Mars\nPolled.\n")
    polling.wait_for(lambda: "Polled." in polling.page(), "the polled edit")


def test_native_observer_failure_falls_back_to_polling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import site_builder.watching as watching

    class Broken:
        def __init__(self) -> None:
            raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(watching, "Observer", Broken)
    root = make_site(tmp_path / "site", FILES)
    watcher = Watcher(Project.at(root / "seeds"))
    try:
        assert watcher.polling
    finally:
        watcher.stop()


@pytest.mark.parametrize("poll", [False, True], ids=["native", "poll"])
def test_an_edit_during_the_first_build_is_built_right_after_it(tmp_path: Path, poll: bool) -> None:
    """The watcher starts before the first build: a save made while it runs is not lost."""

    def save_meanwhile(site: Site) -> None:  # once the first build has read everything
        assert "Saved mid-build." not in (site.project.out / "one" / "index.html").read_text()
        (site.project.source / "one.notes.md").write_text("## Mars\nSaved mid-build.\n")

    with running_loop(tmp_path, poll, during_first_build=save_meanwhile) as running:
        running.wait_for(lambda: "Saved mid-build." in running.page(), "the edit")


def test_a_vanished_source_folder_is_reported_and_the_loop_resumes_when_it_is_back(
    either: Running,
) -> None:
    seeds = either.seeds
    shutil.rmtree(seeds)
    missing = either.reported(lambda r: r.build is None, "the folder reported missing")
    assert missing.problem.endswith("seeds: error: source folder not found; waiting for it")
    assert missing.errors == [missing.problem]  # what an open page shows
    unwatched(either, seeds)  # the old watch has given up, as it does (the deaf case)
    seeds.mkdir()  # back, as a checkout or a restore brings it: a new folder, new content
    (seeds / "one.md").write_text("# One, back\n\nMars and Venus.\n")
    (seeds / "one.notes.md").write_text("## Mars\nThe red planet.\n")
    back = either.reported(lambda r: bool(r.build and r.build.full), "a full build")
    assert back.build is not None and back.build.diagnostics.items == []
    either.wait_for(lambda: "One, back" in either.page(), "the page of the returned folder")
    # The folder that came back is watched in its turn.
    (seeds / "one.notes.md").write_text("## Mars\nEdited after the return.\n")
    either.wait_for(lambda: "Edited after the return." in either.page(), "a later edit")


def test_a_source_folder_replaced_at_once_is_watched_anew(either: Running) -> None:
    """Deleted and made again between two looks (a checkout, a restore): still heard."""
    seeds = either.seeds
    shutil.rmtree(seeds)
    seeds.mkdir()
    (seeds / "one.md").write_text("# One, replaced\n\nMars and Venus.\n")
    (seeds / "one.notes.md").write_text("## Mars\nThe red planet.\n")
    either.wait_for(lambda: "One, replaced" in either.page(), "the page of the new folder")
    (seeds / "one.notes.md").write_text("## Mars\nEdited in the new folder.\n")
    either.wait_for(lambda: "Edited in the new folder." in either.page(), "a later edit")


def unwatched(running: Running, folder: Path) -> None:
    """Wait, bounded, until no live watch reports on `folder` (watchdog stops one whose
    folder is deleted, under native events and polling alike)."""
    deadline = time.monotonic() + WAIT
    while any(
        emitter.watch.path == str(folder) and emitter.should_keep_running()
        for emitter in list(running.watcher.observer.emitters)
    ):
        assert time.monotonic() < deadline, f"{folder} is still watched"
        time.sleep(0.01)


def test_a_notes_file_turned_into_a_folder_and_back_is_picked_up(either: Running) -> None:
    notes = either.seeds / "one.notes.md"
    assert 'data-note="note-mars"' in either.page()
    notes.unlink()
    notes.mkdir()
    either.wait_for(lambda: 'data-note="note-mars"' not in either.page(), "the page, no notes")
    assert all(r.build and not r.build.diagnostics.items for r in either.results)
    notes.rmdir()
    notes.write_text("## Mars\nA file again.\n")
    either.wait_for(lambda: "A file again." in either.page(), "the notes again")


# What every build writes besides the pages: `build` output, checked file by file.
WHOLE = [".nojekyll", "404.html", "index.html", "terms/index.html", "one/index.html"]
WHOLE += ["static/site.css", "static/notes.js", "static/favicon.svg", "static/pygments.css"]


def test_a_deleted_output_folder_is_rebuilt_whole(either: Running) -> None:
    """Not only the page of the next edit: styles, scripts, terms, 404, every page."""
    shutil.rmtree(either.out)
    (either.seeds / "one.notes.md").write_text("## Mars\nRebuilt whole.\n")
    either.wait_for(lambda: "Rebuilt whole." in either.page(), "the edit")
    either.wait_for(lambda: all((either.out / f).is_file() for f in WHOLE), "the whole site")
    assert any(r.build and r.build.full for r in either.results)
    same_as_a_fresh_build(either)


def test_the_output_folder_beside_the_sources_is_rebuilt_as_soon_as_it_goes(
    running: Running,
) -> None:
    """The project folder is watched, so its `_site` is seen to go, and comes back by itself.

    (Native events only: a poll may miss a folder made and deleted between two polls.)
    """
    shutil.rmtree(running.out)
    running.wait_for(lambda: all((running.out / f).is_file() for f in WHOLE), "the whole site")
    assert any(r.build and r.build.full for r in running.results)
    same_as_a_fresh_build(running)


def test_an_output_folder_elsewhere_deleted_is_rebuilt_whole_at_the_next_change(
    tmp_path: Path,
) -> None:
    with running_loop(tmp_path, out=tmp_path / "elsewhere") as running:
        shutil.rmtree(running.out)
        (running.seeds / "one.notes.md").write_text("## Mars\nRebuilt whole.\n")
        running.wait_for(lambda: "Rebuilt whole." in running.page(), "the edit")
        assert all((running.out / f).is_file() for f in WHOLE)
        last = running.results[-1].build
        assert last is not None and last.full
        same_as_a_fresh_build(running)


def same_as_a_fresh_build(running: Running) -> None:
    fresh = running.out.parent / "fresh"
    Site(Project.at(running.seeds, fresh)).build()
    assert tree(running.out) == tree(fresh)
    shutil.rmtree(fresh)


def test_site_toml_turned_into_a_folder_is_reported_and_restoring_it_recovers(
    either: Running,
) -> None:
    config = either.site.project.config
    config.unlink()
    config.mkdir()
    reported = either.reported(lambda r: r.build is None, "a configuration error")
    assert reported.problem.endswith("site.toml:1: error: is a folder, not a file; not read")
    # The loop carries on: an edit meanwhile is reported against site.toml again.
    (either.seeds / "one.notes.md").write_text("## Mars\nWhile site.toml is a folder.\n")
    again = either.reported(lambda r: r.build is None, "the error again")
    assert again.problem == reported.problem
    config.rmdir()
    config.write_text('title = "Restored"\n')
    either.wait_for(lambda: "Restored" in either.page(), "the restored site.toml")
    assert "While site.toml is a folder." in either.page()


def test_every_problem_of_an_edited_site_toml_reaches_the_open_page(either: Running) -> None:
    either.site.project.config.write_text('title = 7\nbogus = "x"\n')
    reported = either.reported(lambda r: r.build is None, "the configuration errors")
    assert [error.split(": error: ")[1] for error in reported.errors] == [
        "option 'title' must be a string",
        f"unknown option 'bogus' (known: {', '.join(sorted(OPTIONS))})",
    ]


def test_an_exception_in_a_rebuild_is_one_line_and_the_next_save_recovers(
    running: Running,
) -> None:
    site = running.site

    def broken(changes: object, later: object = None, made: object = None) -> BuildReport:
        raise RuntimeError("nobody expected this\nsecond line")

    site.rebuild = broken  # type: ignore[method-assign,assignment]
    (running.seeds / "one.notes.md").write_text("## Mars\nFirst try.\n")
    failed = running.reported(lambda r: r.build is None, "the internal error")
    assert failed.problem == (
        "error: internal error, please report it: RuntimeError: nobody expected this"
    )
    assert "Traceback (most recent call last)" in failed.detail  # shown with --debug
    # The next cycle after a failure builds everything (not through the broken rebuild).
    (running.seeds / "one.notes.md").write_text("## Mars\nSecond try.\n")
    running.wait_for(lambda: "Second try." in running.page(), "the recovery")
    last = running.results[-1].build
    assert last is not None and last.full and last.diagnostics.items == []


@dataclass
class WatchCommand:
    """`site-builder watch` as a real process, and the lines it prints."""

    process: subprocess.Popen[str]
    lines: queue.Queue[str | None]
    err: list[str]
    readers: list[threading.Thread]
    printed: list[str] = field(default_factory=list)

    def next_line(self) -> str:
        line = self.lines.get(timeout=WAIT)
        assert line is not None, f"watch exited; printed {self.printed}; stderr {self.stderr}"
        self.printed.append(line.rstrip("\n"))
        return self.printed[-1]

    def line(self, pattern: str) -> str:
        """The next line matching `pattern` in full (others, such as a rebuild's, skipped)."""
        while not re.fullmatch(pattern, line := self.next_line()):
            pass
        return line

    def stop(self, number: int = signal.SIGINT) -> int:
        """Send a signal; the exit status, once the process and its output have ended."""
        self.process.send_signal(number)
        code = self.process.wait(timeout=WAIT)
        for reader in self.readers:
            reader.join(timeout=WAIT)
        return code

    @property
    def stderr(self) -> str:
        return "".join(self.err)


@contextlib.contextmanager
def watch_command(
    root: Path, *args: str, ignore: tuple[int, ...] = (), bound: bool = False
) -> Iterator[WatchCommand]:
    """`watch` started in `root`, once it watches; `ignore`: signals it inherits ignored;
    `bound`: bound by file permissions even as root (conftest.unprivileged)."""

    def signals() -> None:
        # Background processes may inherit SIGINT ignored: give it what a terminal gives.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        for number in ignore:
            signal.signal(number, signal.SIG_IGN)

    arguments = ["watch", *args]
    process = subprocess.Popen(
        unprivileged(*arguments) if bound else [sys.executable, "-m", "site_builder", *arguments],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=signals,
    )
    assert process.stdout is not None and process.stderr is not None
    lines: queue.Queue[str | None] = queue.Queue()
    err: list[str] = []
    stdout = process.stdout

    def read() -> None:
        for line in stdout:
            lines.put(line)
        lines.put(None)

    readers = [
        threading.Thread(target=read, daemon=True),
        threading.Thread(target=err.extend, args=(process.stderr,), daemon=True),
    ]
    for reader in readers:
        reader.start()
    command = WatchCommand(process, lines, err, readers)
    try:
        assert command.next_line().startswith("built 1 page, 1 note, 0 warnings, 0 errors in ")
        assert command.next_line().startswith("watching seeds")
        yield command
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pipe in (process.stdout, process.stderr):
            pipe.close()


def test_the_watch_command_prints_a_line_a_rebuild_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", FILES)
    with watch_command(root) as watching:
        assert watching.printed[0].endswith(" s -> _site")
        assert watching.printed[1] == "watching seeds; press Ctrl-C to stop"
        (root / "seeds" / "one.notes.md").write_text("## Mars\nEdited.\n")
        assert re.fullmatch(r"seeds/one\.notes\.md changed: 1 page in \d+ ms", watching.next_line())
        started = time.monotonic()
        assert watching.stop(signal.SIGINT) == 0
        assert time.monotonic() - started < 2  # "within a second", with room for a busy CI
        assert "Traceback" not in watching.stderr


def test_a_save_through_a_temporary_file_names_the_file_saved(tmp_path: Path) -> None:
    # `sed -i` writes seeds/sedXXXXXX and renames it over the file: the line named the
    # temporary, gone by then ("seeds/sed18vg3Y and 1 more changed"), before a file
    # whose name sorts after it.
    files = {"site.toml": FILES["site.toml"], "seeds/venus.md": "# Venus\n\nMars and Venus.\n"}
    root = make_site(
        tmp_path / "site", {**files, "seeds/venus.notes.md": FILES["seeds/one.notes.md"]}
    )
    with watch_command(root) as watching:
        subprocess.run(["sed", "-i", "s/red/fourth/", "seeds/venus.notes.md"], cwd=root, check=True)
        assert re.fullmatch(
            r"seeds/venus\.notes\.md( and 1 more)? changed: 1 page in \d+ ms", watching.next_line()
        )
        assert "fourth planet" in (root / "_site" / "venus" / "index.html").read_text()
        assert watching.stop(signal.SIGINT) == 0


@pytest.mark.parametrize("poll", [False, True], ids=["native", "poll"])
def test_watch_follows_trees_1500_folders_deep(tmp_path: Path, poll: bool, nest: Nest) -> None:
    # watchdog walks a tree by recursion (os.walk, before Python 3.12): a tree deeper than
    # Python's 1,000 levels ended `watch` with an internal error as it started.
    root = make_site(tmp_path / "site", FILES)
    (nest(root / "public" / "first", 1_500) / "first.txt").write_text("there at the start")
    with watch_command(root, *(["--poll"] if poll else [])) as watching:
        (root / "seeds" / "one.notes.md").write_text("## Mars\nEdited after.\n")
        watching.line(r"seeds/one\.notes\.md changed: 1 page in \d+ ms")
        assert "Edited after." in (root / "_site" / "one" / "index.html").read_text()
        assert watching.stop(signal.SIGINT) == 0
    assert "Traceback" not in watching.stderr and "Warning" not in watching.stderr


@pytest.mark.parametrize("unreadable", ["images/orbit.png", "images"], ids=["file", "folder"])
def test_a_linked_file_made_unreadable_and_readable_again_is_told_then_published(
    tmp_path: Path, unreadable: str
) -> None:
    linking = "# One\n\nMars and Venus.\n\n![orbit](images/orbit.png)\n"
    files = {**FILES, "seeds/one.md": linking, "seeds/images/orbit.png": "drawn"}
    root = make_site(tmp_path / "site", files)
    path, copy = root / "seeds" / unreadable, root / "_site" / "_files" / "images" / "orbit.png"
    page, mode = root / "_site" / "one" / "index.html", path.stat().st_mode
    changed = rf"seeds/{re.escape(unreadable)} changed: 1 page in \d+ ms"
    with watch_command(root, bound=True) as watching:
        assert copy.read_text() == "drawn"
        path.chmod(0)  # a permission changed: no other event tells of it
        try:
            watching.line(changed + r" \(1 error, 0 warnings\)")
            assert 'src="images/orbit.png"' in page.read_text()
            assert not copy.exists()
        finally:
            path.chmod(mode)
        watching.line(changed)
        assert copy.read_text() == "drawn"
        assert 'src="../_files/images/orbit.png"' in page.read_text()
        assert watching.stop() == 0
    assert watching.stderr.splitlines() == [
        "seeds/one.md:5: error: link to 'images/orbit.png': 'images/orbit.png' cannot be read "
        "(Permission denied)",
        "stopped",
    ]


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_end_watch_as_ctrl_c_does(tmp_path: Path, number: int) -> None:
    root = make_site(tmp_path / "site", FILES)
    with watch_command(root) as watching:
        assert watching.stop(number) == 0
        assert watching.stderr == "stopped\n"


def test_sighup_ignored_at_the_start_stays_ignored(tmp_path: Path) -> None:
    """Started under `nohup`, watch outlives the terminal; Ctrl-C still ends it."""
    root = make_site(tmp_path / "site", FILES)
    with watch_command(root, ignore=(signal.SIGHUP,)) as watching:
        watching.process.send_signal(signal.SIGHUP)
        (root / "seeds" / "one.notes.md").write_text("## Mars\nStill watching.\n")
        watching.line(r"seeds/one\.notes\.md changed: 1 page in \d+ ms")
        assert watching.stop(signal.SIGINT) == 0


@pytest.mark.parametrize("poll", [False, True], ids=["native", "poll"])
def test_watch_outlives_a_folder_for_site_toml_and_a_vanished_source_folder(
    tmp_path: Path, poll: bool
) -> None:
    root = make_site(tmp_path / "site", FILES)
    config, seeds = root / "site.toml", root / "seeds"
    with watch_command(root, *(["--poll"] if poll else [])) as watching:
        mode = " by polling" if poll else ""
        assert watching.printed[1] == f"watching seeds{mode}; press Ctrl-C to stop"
        config.unlink()
        config.mkdir()
        watching.line(r"site\.toml changed: site\.toml:1: error: is a folder, not a file; not read")
        config.rmdir()
        config.write_text('title = "Restored"\n')
        watching.line(r"site\.toml changed: full rebuild, 1 page in \d+ ms")

        shutil.rmtree(seeds)
        watching.line(r"seeds.* changed: seeds: error: source folder not found; waiting for it")
        staging = make_site(tmp_path / "staging", FILES) / "seeds"
        (staging / "one.md").write_text("# One, restored\n\nMars and Venus.\n")
        staging.rename(seeds)  # back at once, with its files, as a restore brings it
        watching.line(r"seeds( and \d+ more)? changed: full rebuild, 1 page in \d+ ms")
        assert "One, restored" in (root / "_site" / "one" / "index.html").read_text()
        (seeds / "one.notes.md").write_text("## Mars\nEdited after the return.\n")
        watching.line(r"seeds/one\.notes\.md changed: 1 page in \d+ ms")
        assert "Edited after the return." in (root / "_site" / "one" / "index.html").read_text()

        assert watching.stop() == 0
        assert "Traceback" not in watching.stderr


# Every editor mistake, made while watching: the diagnostic, the loop going on, the
# page keeping its last good output, and the next good save recovering.

MISTAKES = {
    "an unknown field line": ("seeds/one.notes.md", "## Mars\nalias: red one\n\nThe red planet.\n"),
    "an at: that means nothing": ("seeds/one.notes.md", "## Mars\nat: second\n\nRed.\n"),
    "a colon in an unquoted value": ("seeds/one.md", "---\ntitle: Orbits: a guide\n---\nMars.\n"),
    "front matter nested too deeply": (
        "seeds/one.md",
        "---\na: " + "[" * 6000 + "]" * 6000 + "\n---\nMars.\n",  # past any recursion limit
    ),
    "a misnamed notes file": ("seeds/one.notes.txt", "## Venus\nThe second planet.\n"),
    "a broken note template": ("templates/note.html", "{% if %}\n"),
    "a broken page template": ("templates/article.html", "{{ page.nothing.there }}\n"),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_each_editor_mistake_is_reported_while_watching_and_a_good_save_recovers(
    either: Running, mistake: str
) -> None:
    relative, bad = MISTAKES[mistake]
    path = either.site.project.root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    before = path.read_text() if path.exists() else None
    good_page = either.page()
    path.write_text(bad)
    cycle = either.reported(
        lambda r: bool(r.build and (r.build.diagnostics.errors or r.build.diagnostics.warnings)),
        mistake,
    )
    assert cycle.build is not None
    assert any(d.path.name == path.name for d in cycle.build.diagnostics.items), cycle
    if cycle.build.diagnostics.errors:
        assert either.page() == good_page  # the page keeps its last good output
    # The loop goes on: putting things right clears every problem.
    if before is None:
        path.unlink()
    else:
        path.write_text(before)
    either.reported(lambda r: bool(r.build and r.build.diagnostics.items == []), "recovery")
    assert either.page() == good_page
