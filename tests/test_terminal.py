"""What a build prints while it runs: a live line on a terminal, plain lines in a log."""

from __future__ import annotations

import _thread
import io
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import GOOD, Run, make_site

import site_builder.terminal
from site_builder.__main__ import main
from site_builder.terminal import LIVE_FROM, ProgressLine


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def progress(stream: io.StringIO, times: list[float], every: float = 5.0) -> ProgressLine:
    """A progress line on `stream` whose clock reads `times`, the first when it is made."""
    ticks = iter(times)
    return ProgressLine("made", stream, every=every, clock=lambda: next(ticks))


def test_in_a_log_a_plain_line_every_few_seconds_of_a_long_build() -> None:
    log = io.StringIO()
    show = progress(log, [100.0, 101, 103, 105.5, 107, 110.4, 110.6, 111])
    for done in range(1, 8):
        show(done, 2000)
    # Five seconds after the start, then five after that line (not after the last check).
    assert log.getvalue() == "made 3/2000 pages, 6 s\nmade 6/2000 pages, 11 s\n"


def test_in_a_log_a_build_shorter_than_the_interval_prints_nothing() -> None:
    log = io.StringIO()
    show = progress(log, [0.0, *(0.001 * n for n in range(1, 300))])
    for done in range(1, 300):
        show(done, 299)
    assert log.getvalue() == ""


def test_in_a_log_the_last_page_leaves_the_word_to_the_summary() -> None:
    log = io.StringIO()
    show = progress(log, [0.0, 6.0, 12.0])
    show(1, 2)
    show(2, 2)
    assert log.getvalue() == "made 1/2 pages, 6 s\n"


def test_on_a_terminal_one_line_rewritten_in_place_then_a_line_break() -> None:
    terminal = Terminal()
    total = LIVE_FROM
    show = progress(terminal, [0.0, *(0.5 * n for n in range(1, total + 1))])
    for done in range(1, total + 1):
        show(done, total)
    shown = terminal.getvalue()
    assert shown.startswith(f"\rmade 1/{total} pages, 0 s\rmade 2/{total} pages, 1 s")
    assert shown.endswith(f"\rmade {total}/{total} pages, {total // 2} s\n")
    assert shown.count("\n") == 1


def test_on_a_terminal_a_small_build_shows_no_line() -> None:
    terminal = Terminal()
    show = progress(terminal, [0.0, 10.0, 20.0])
    show(1, 2)
    show(2, 2)
    assert terminal.getvalue() == ""


def wait_for(condition: Callable[[], bool]) -> None:
    """Until `condition` holds (the progress thread's next beat), for at most a minute."""
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, "the progress thread said nothing"
        time.sleep(0.005)


def test_in_a_log_the_stages_after_the_pages_are_told_until_the_build_ends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The site-wide pages and the search index took 45 s of a large build without a line.
    monkeypatch.setattr(site_builder.terminal, "BEAT", 0.001)
    log = io.StringIO()
    with ProgressLine("made", log, every=0.0) as show:
        show(2, 2)
        wait_for(lambda: "made 2/2 pages; now the site-wide pages, 0 s\n" in log.getvalue())
        show.stage("now the search index")
        wait_for(lambda: "made 2/2 pages; now the search index, 0 s\n" in log.getvalue())
    ended = log.getvalue()
    time.sleep(0.05)  # beats the thread would have made, had it outlived the block
    assert log.getvalue() == ended


def test_on_a_terminal_the_line_goes_on_after_the_pages_and_ends_with_the_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(site_builder.terminal, "BEAT", 0.001)
    terminal = Terminal()
    with ProgressLine("made", terminal) as show:
        for done in range(1, LIVE_FROM + 1):
            show(done, LIVE_FROM)
        assert "\n" not in terminal.getvalue()
        wait_for(lambda: f"made {LIVE_FROM}/{LIVE_FROM} pages; now the" in terminal.getvalue())
    assert terminal.getvalue().endswith("\n")
    assert terminal.getvalue().count("\n") == 1


@pytest.mark.parametrize(("command", "verb"), [("build", "made"), ("check", "checked")])
def test_build_and_check_print_progress_to_a_log(
    tmp_path: Path, cli: Run, monkeypatch: pytest.MonkeyPatch, command: str, verb: str
) -> None:
    """With no wait between lines, every page but the last gets one, then the summary."""
    monkeypatch.setattr(site_builder.terminal, "PLAIN_EVERY", 0.0)
    make_site(tmp_path, {**GOOD, "seeds/b.md": "B.\n", "seeds/c.md": "C.\n"})
    result = cli(command)
    assert result.code == 0
    lines = [line.split(",")[0] for line in result.err.splitlines()]
    assert lines[:2] == [f"{verb} 1/3 pages", f"{verb} 2/3 pages"]
    # Then, should the site-wide pages take a second, what the build does meanwhile.
    assert all(line.startswith(f"{verb} 3/3 pages; now the ") for line in lines[2:])
    assert result.out.startswith(f"{'built' if command == 'build' else 'checked'} 3 pages")


def test_watch_shows_the_progress_of_its_first_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(site_builder.terminal, "PLAIN_EVERY", 0.0)
    make_site(tmp_path, {**GOOD, "seeds/b.md": "B.\n", "seeds/c.md": "C.\n"})
    monkeypatch.chdir(tmp_path)
    stop = threading.Timer(3.0, _thread.interrupt_main)  # Ctrl-C once it watches
    stop.start()
    try:
        assert main(["watch"]) == 0
    finally:
        stop.cancel()
    lines = [line.split(",")[0] for line in capsys.readouterr().err.splitlines()]
    assert lines[:2] == ["made 1/3 pages", "made 2/3 pages"]
