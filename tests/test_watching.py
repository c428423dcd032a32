"""The watcher against real file edits: each editor's way of saving, errors then
recovery, new and deleted files, templates, bursts, and the output folder."""

from __future__ import annotations

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

import pytest
from conftest import make_site

from site_builder.site import BuildReport, Project, Site
from site_builder.watching import Watcher, rebuild_on_change

WAIT = 10.0  # seconds: the most any test waits for something that should take milliseconds
FILES = {
    "site.toml": 'title = "Watched"\n',
    "seeds/one.md": "# One\n\nMars and Venus.\n",
    "seeds/one.notes.md": "## Mars\nThe red planet.\n",
}


@dataclass
class Running:
    site: Site
    watcher: Watcher
    results: list[tuple[set[Path], BuildReport | str]] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    @property
    def out(self) -> Path:
        return self.site.project.out

    @property
    def seeds(self) -> Path:
        return self.site.project.source

    def wait_for(self, check: Callable[[], bool], what: str) -> None:
        """Wait, bounded, until `check()` holds after some rebuild."""
        deadline = time.monotonic() + WAIT
        with self.arrived:
            while not check():
                left = deadline - time.monotonic()
                assert left > 0, f"timed out waiting for {what}; rebuilds: {self.results}"
                self.arrived.wait(left)

    def page(self, slug: str = "one") -> str:
        path = self.out / slug / "index.html"
        return path.read_text() if path.exists() else ""


def start(tmp_path: Path, poll: bool = False) -> Iterator[Running]:
    root = make_site(tmp_path / "site", FILES)
    site = Site(Project.at(root / "seeds"))  # output beside the sources, as by default
    assert site.build().diagnostics.items == []
    watcher = Watcher(site.project, poll=poll)
    running = Running(site, watcher)
    stop = threading.Event()

    def rebuilt(changes: set[Path], result: BuildReport | str) -> None:
        with running.arrived:
            running.results.append((changes, result))
            running.arrived.notify_all()

    thread = threading.Thread(target=rebuild_on_change, args=(site, watcher, stop, rebuilt))
    thread.start()
    try:
        yield running
    finally:
        stop.set()
        thread.join(timeout=WAIT)
        watcher.stop()
        assert not thread.is_alive()


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    yield from start(tmp_path)


@pytest.fixture
def polling(tmp_path: Path) -> Iterator[Running]:
    yield from start(tmp_path, poll=True)


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
    changed = set().union(*(changes for changes, _ in running.results))
    names = {path.name for path in changed}
    assert names <= {"one.notes.md"}, names  # swap, backup, lock and temporary files ignored
    reports = [result for _, result in running.results]
    assert all(isinstance(r, BuildReport) and not r.diagnostics.items for r in reports)
    assert sorted(p.name for p in running.seeds.iterdir()) == ["one.md", "one.notes.md"]
    assert not any(p.name.startswith("one.md") for p in running.out.iterdir())


def test_an_error_keeps_the_last_good_page_and_the_next_good_save_clears_it(
    running: Running,
) -> None:
    good = running.page()
    (running.seeds / "one.md").write_text("---\ntitle: [oops\n---\n\nMars.\n")
    running.wait_for(
        lambda: any(
            isinstance(r, BuildReport) and r.diagnostics.errors for _, r in running.results
        ),
        "an error",
    )
    _, report = running.results[-1]
    assert isinstance(report, BuildReport)
    assert [(d.path.name, d.line) for d in report.diagnostics.errors] == [("one.md", 2)]
    assert running.page() == good
    (running.seeds / "one.md").write_text("# One, fixed\n\nMars and Venus.\n")
    running.wait_for(lambda: "One, fixed" in running.page(), "the fixed page")
    _, report = running.results[-1]
    assert isinstance(report, BuildReport) and report.diagnostics.items == []


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
    assert any(isinstance(r, BuildReport) and r.full for _, r in running.results)


def test_a_broken_site_toml_is_reported_and_watching_goes_on(running: Running) -> None:
    config = running.site.project.config
    config.write_text('title = "unclosed\n')
    running.wait_for(lambda: any(isinstance(r, str) for _, r in running.results), "a message")
    message = next(r for _, r in running.results if isinstance(r, str))
    assert message.startswith(f"{config}:1: error:") or message.startswith("site.toml:1: error:")
    config.write_text('title = "Fixed title"\n')
    running.wait_for(lambda: "Fixed title" in running.page(), "the fixed site.toml")


def test_a_burst_of_saves_makes_one_build(running: Running) -> None:
    notes = running.seeds / "one.notes.md"
    for number in range(20):
        notes.write_text(f"## Mars\nVersion {number}.\n")
    running.wait_for(lambda: "Version 19." in running.page(), "the last version")
    assert len(running.results) <= 2  # a burst may straddle two batches, never twenty


def test_a_change_during_a_build_gives_exactly_one_follow_up_build(tmp_path: Path) -> None:
    """A save while a rebuild runs is neither lost nor built twice."""
    root = make_site(tmp_path / "site", FILES)
    site = Site(Project.at(root / "seeds"))
    site.build()
    watcher = Watcher(site.project)
    notes = site.project.source / "one.notes.md"
    results: list[BuildReport | str] = []
    stop = threading.Event()
    slow_rebuild = site.rebuild

    def rebuild_during_which_the_editor_saves(changes: set[Path]) -> BuildReport:
        if not results:  # the first rebuild: the editor saves again meanwhile
            notes.write_text("## Mars\nSecond save.\n")
            assert watcher._arrived.wait(WAIT)  # the watcher has seen it, mid-build
        return slow_rebuild(changes)

    site.rebuild = rebuild_during_which_the_editor_saves  # type: ignore[method-assign,assignment]

    def rebuilt(changes: set[Path], result: BuildReport | str) -> None:
        results.append(result)
        if "Second save." in (site.project.out / "one" / "index.html").read_text():
            stop.set()

    thread = threading.Thread(target=rebuild_on_change, args=(site, watcher, stop, rebuilt))
    thread.start()
    notes.write_text("## Mars\nFirst save.\n")
    thread.join(timeout=WAIT)
    watcher.stop()
    assert not thread.is_alive()
    assert len(results) == 2


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
    assert [{p.name for p in changes} for changes, _ in later] == [{"one.notes.md"}]
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


def test_the_watch_command_prints_a_line_a_rebuild_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", FILES)
    process = subprocess.Popen(
        [sys.executable, "-m", "site_builder", "watch"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout

    def read() -> None:
        for line in stdout:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()

    def next_line() -> str:
        return lines.get(timeout=WAIT).rstrip("\n")

    try:
        assert next_line().startswith("built 1 page, 1 note, 0 warnings, 0 errors in ")
        assert next_line() == "watching seeds; press Ctrl-C to stop"
        (root / "seeds" / "one.notes.md").write_text("## Mars\nEdited.\n")
        assert re.fullmatch(r"seeds/one\.notes\.md changed: 1 page in \d+ ms", next_line())
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=WAIT) == 0
        assert time.monotonic() - started < 2  # "within a second", with room for a busy CI
        assert "Traceback" not in (process.stderr.read() if process.stderr else "")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
