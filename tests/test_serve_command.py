"""`site-builder serve` as a real process: build, serve, rebuild, reload, stop on Ctrl-C.

Each test runs `python -m site_builder serve --port 0` in a site of its own,
with TMPDIR pointed at a folder of the test so the temporary output folder can
be seen appear and go. Every wait is bounded (queue, socket and process
timeouts); no sleep stands in for an assertion.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import GOOD, Run, make_site, tree
from test_server import EventStream, open_events, send

from site_builder.output import LOCK
from site_builder.project import Project
from site_builder.server import EVENTS, RELOAD_SCRIPT, SINCE
from site_builder.site import Site

SEEDS = Path(__file__).parent.parent / "seeds"
SERVE = [sys.executable, "-m", "site_builder", "serve", "--source", "seeds", "--port", "0"]
STARTUP = 30.0  # seconds for the process to build and start serving
REBUILD = 10.0  # seconds for a saved change to reach the page
STOP = 5.0  # seconds a stop may take at most before the test fails on the wait
SERVING = re.compile(r"^serving (http://(?P<host>[^/]+):(?P<port>\d+)/)$")
# Unclosed quote on line 3: `seeds/broken.md:3: error: malformed front matter: ...`
BROKEN = '---\ntitle: Fine\nauthor: "never closed\ndate: 2024-01-01\n---\n\nBody text.\n'
BROKEN_AT = "seeds/broken.md:3: error: malformed front matter"
REVISED_NOTES = "## Tianwen-3\nA revised note: the sample-return mission, as edited.\n"


def _default_sigint() -> None:
    # A process started in the background may inherit SIGINT ignored, and
    # Python then never turns it into KeyboardInterrupt: restore what a
    # terminal gives, where Ctrl-C is what stops `serve`.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@dataclass
class Serving:
    """A running `site-builder serve` and what it printed."""

    process: subprocess.Popen[str]
    out: queue.Queue[str | None]
    err: list[str]
    readers: list[threading.Thread]
    url: str = ""
    port: int = 0
    printed: list[str] = field(default_factory=list)
    connections: list[http.client.HTTPConnection] = field(default_factory=list)
    streams: list[EventStream] = field(default_factory=list)

    def line(self, pattern: re.Pattern[str], timeout: float) -> re.Match[str]:
        """The next stdout line matching `pattern`, within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.out.get(timeout=max(deadline - time.monotonic(), 0.001))
            except queue.Empty:
                pytest.fail(f"no line matching {pattern.pattern!r}; printed: {self.printed}")
            if line is None:
                self.process.wait(timeout=STOP)
                self.join_readers()
                pytest.fail(
                    f"serve exited ({self.process.returncode}) before {pattern.pattern!r}; "
                    f"stdout: {self.printed}; stderr: {''.join(self.err)}"
                )
            self.printed.append(line)
            if match := pattern.match(line.rstrip("\n")):
                return match

    def connect(self, timeout: float = STOP) -> http.client.HTTPConnection:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        self.connections.append(connection)
        return connection

    def get(self, path: str, timeout: float = STOP) -> tuple[int, bytes]:
        connection = self.connect(timeout)
        send(connection, "GET", path, None, f"localhost:{self.port}")
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body

    def events(self) -> EventStream:
        """A page's reload channel, connected (its listener registered on the server)."""
        origin = {"Origin": f"http://localhost:{self.port}"}
        stream = open_events(self.connect(), origin, self.host, timeout=REBUILD)
        self.streams.append(stream)
        assert stream.response.status == 200
        return stream

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def interrupt(self, number: int = signal.SIGINT) -> tuple[int, float]:
        """Ctrl-C (or another signal): the exit status and the seconds the process took to end."""
        started = time.monotonic()
        self.process.send_signal(number)
        code = self.process.wait(timeout=STOP)
        elapsed = time.monotonic() - started
        self.join_readers()
        return code, elapsed

    def join_readers(self) -> None:
        for reader in self.readers:
            reader.join(timeout=STOP)

    @property
    def stderr(self) -> str:
        return "".join(self.err)


@dataclass
class Launcher:
    tmpdir: Path
    running: list[Serving] = field(default_factory=list)

    def popen(self, root: Path, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [*SERVE, *args],
            cwd=root,
            env={
                **os.environ,
                "TMPDIR": str(self.tmpdir),
                "PYTHONIOENCODING": "utf-8",
                "NO_COLOR": "1",
            },
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            preexec_fn=_default_sigint,
        )

    def start(self, root: Path, *args: str, watching: bool = True) -> Serving:
        """`serve` in `root`, once it serves and watches (so Ctrl-C finds it running).

        `watching=False`: as soon as it says where it serves, before the first build.
        """
        process = self.popen(root, *args)
        out: queue.Queue[str | None] = queue.Queue()
        err: list[str] = []
        assert process.stdout is not None and process.stderr is not None
        readers = [
            threading.Thread(target=_lines_to_queue, args=(process.stdout, out), daemon=True),
            threading.Thread(target=err.extend, args=(process.stderr,), daemon=True),
        ]
        for reader in readers:
            reader.start()
        serving = Serving(process, out, err, readers)
        self.running.append(serving)
        match = serving.line(SERVING, STARTUP)
        serving.url, serving.port = match[1], int(match["port"])
        if watching:
            serving.line(re.compile(r"^watching "), STARTUP)
        return serving

    def temporary_folders(self) -> list[Path]:
        return sorted(self.tmpdir.glob("site-builder-serve-*"))


def _lines_to_queue(stream: Iterator[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


@pytest.fixture
def launch(tmp_path: Path) -> Iterator[Launcher]:
    tmpdir = tmp_path / "tmpdir"
    tmpdir.mkdir()
    launcher = Launcher(tmpdir)
    yield launcher
    for serving in launcher.running:
        if serving.process.poll() is None:
            serving.process.kill()
            serving.process.wait(timeout=STOP)
        serving.join_readers()
        for stream in serving.streams:
            stream.close()
        for connection in serving.connections:
            connection.close()
        for pipe in (serving.process.stdout, serving.process.stderr):
            if pipe:
                pipe.close()


def good_site(tmp_path: Path, extra: dict[str, str] | None = None) -> Path:
    return make_site(tmp_path / "project", {**GOOD, **(extra or {})})


def test_serve_builds_into_a_temporary_folder_serves_and_stops_on_ctrl_c(
    tmp_path: Path, launch: Launcher
) -> None:
    root = tmp_path / "project"
    shutil.copytree(SEEDS, root / "seeds")
    serving = launch.start(root)
    assert serving.url == f"http://127.0.0.1:{serving.port}/"
    assert serving.port > 0

    # Built into a temporary folder, not beside the sources.
    [folder] = launch.temporary_folders()
    page = folder / "chinas-space-dream" / "index.html"
    assert page.is_file()
    assert not (root / "_site").exists()

    status, body = serving.get("/chinas-space-dream/")
    assert status == 200
    assert b'data-note="note-tianwen-3"' in body
    assert EVENTS.encode() in body
    assert EVENTS.encode() not in page.read_bytes()
    status, index = serving.get("/")
    assert status == 200
    assert b"chinas-space-dream/" in index

    # A page left open in a browser must not hold up the stop.
    stream = serving.events()
    stream.until_connected()
    code, elapsed = serving.interrupt()
    assert code == 0, serving.stderr
    assert elapsed < 2.0  # "stops within a second"; a bound on behaviour, not a benchmark
    assert launch.temporary_folders() == []
    assert not folder.exists()
    assert "Traceback" not in serving.stderr
    assert "warning" not in serving.stderr
    with pytest.raises((EOFError, OSError)):
        stream.block()  # the channel was closed


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_stop_serve_as_ctrl_c_does(
    tmp_path: Path, launch: Launcher, number: int
) -> None:
    """A process manager, `timeout` or a closed terminal: the temporary folder goes too."""
    root = good_site(tmp_path)
    serving = launch.start(root)
    [folder] = launch.temporary_folders()
    stream = serving.events()  # a page left open must not hold up the stop
    stream.until_connected()
    code, _ = serving.interrupt(number)
    assert code == 0, serving.stderr
    assert launch.temporary_folders() == []
    assert not folder.exists()
    assert serving.stderr == "stopped\n"


def test_what_is_asked_before_the_first_build_is_written_waits_for_it(
    tmp_path: Path, launch: Launcher
) -> None:
    """`serving` comes before the first build; a request meanwhile gets the built page."""
    many = {
        f"seeds/article-{number:03}.md": f"# Article {number}\n\nThe Tianwen-3 mission.\n"
        for number in range(200)
    }
    root = good_site(tmp_path, many)
    serving = launch.start(root, watching=False)
    status, body = serving.get("/good/", timeout=STARTUP)  # asked at once
    assert status == 200
    assert b'data-note="note-tianwen-3"' in body
    status, index = serving.get("/")
    assert status == 200 and index.count(b'href="article-') == 200
    serving.line(re.compile(r"^built 201 pages, "), STARTUP)  # printed before any answer
    serving.line(re.compile(r"^watching "), STARTUP)
    code, _ = serving.interrupt()
    assert code == 0, serving.stderr


def test_serve_with_out_writes_there_and_keeps_it(tmp_path: Path, launch: Launcher) -> None:
    root = good_site(tmp_path)
    out = tmp_path / "served"
    serving = launch.start(root, "--out", str(out))
    assert launch.temporary_folders() == []
    written = out / "good" / "index.html"
    on_disk = written.read_bytes()
    assert b'data-note="note-tianwen-3"' in on_disk
    assert RELOAD_SCRIPT not in on_disk
    assert EVENTS.encode() not in on_disk

    status, body = serving.get("/good/")
    assert status == 200
    # The script knows how many reloads the server had sent (the first build's one).
    script = RELOAD_SCRIPT.replace(SINCE, b"1")
    assert body == on_disk.replace(b"</body>", script + b"</body>")

    before = tree(out)
    # The folder is serve's while it runs (lock.py), and only then.
    assert before.pop(LOCK) == f"{serving.process.pid} serve\n".encode()
    code, _ = serving.interrupt()
    assert code == 0, serving.stderr
    assert tree(out) == before
    assert not any(EVENTS.encode() in content for content in before.values())
    assert launch.temporary_folders() == []


def test_editing_notes_changes_the_served_page(tmp_path: Path, launch: Launcher) -> None:
    root = good_site(tmp_path)
    serving = launch.start(root)
    status, body = serving.get("/good/")
    assert status == 200
    assert b"Mars sample-return mission" in body
    assert b"A revised note" not in body
    stream = serving.events()
    stream.until_connected()

    (root / "seeds" / "good.notes.md").write_text(REVISED_NOTES, encoding="utf-8")
    # Each rebuild announces itself on the channel (a saved file may take more
    # than one); every wait is bounded by the stream's socket timeout.
    deadline = time.monotonic() + REBUILD
    reloaded = False
    while b"A revised note" not in serving.get("/good/")[1]:
        assert time.monotonic() < deadline, f"the page never changed: {serving.printed}"
        reloaded = stream.event().name == "reload"
    # The open page is told to reload (the rebuild may have beaten the first look).
    while not reloaded:
        assert time.monotonic() < deadline, f"no reload event: {serving.printed}"
        reloaded = stream.event().name == "reload"
    assert serving.get("/good/")[0] == 200
    code, _ = serving.interrupt()
    assert code == 0, serving.stderr


def test_a_broken_edit_sends_its_error_to_open_pages(tmp_path: Path, launch: Launcher) -> None:
    root = good_site(tmp_path)
    serving = launch.start(root)
    stream = serving.events()
    assert stream.until_connected() == []

    (root / "seeds" / "broken.md").write_text(BROKEN, encoding="utf-8")
    deadline = time.monotonic() + REBUILD
    while True:
        assert time.monotonic() < deadline, f"no problems event: {serving.printed}"
        event = stream.event()
        if event.name == "problems" and any(
            problem.startswith(BROKEN_AT) for problem in _problems(event.data)
        ):
            break

    # A page opened now gets the pending error at once; the good page is still served.
    [pending] = serving.events().until_connected()
    assert pending.name == "problems"
    assert any(problem.startswith(BROKEN_AT) for problem in _problems(pending.data))
    status, body = serving.get("/good/")
    assert status == 200
    assert b'data-note="note-tianwen-3"' in body

    # Fixed: the open pages are told to take the overlay down, and nothing is pending.
    (root / "seeds" / "broken.md").write_text(
        BROKEN.replace('"never closed', "Someone"), encoding="utf-8"
    )
    deadline = time.monotonic() + REBUILD
    while (event := stream.event()).name != "problems" or _problems(event.data):
        assert time.monotonic() < deadline, f"no overlay taken down: {serving.printed}"
    assert serving.events().until_connected() == []
    code, _ = serving.interrupt()
    assert code == 0, serving.stderr


def test_a_page_saved_while_another_file_is_broken_still_reloads(
    tmp_path: Path, launch: Launcher
) -> None:
    # Every reload waited until no error was left: a page saved meanwhile kept its old text.
    root = good_site(tmp_path, {"seeds/broken.md": BROKEN})
    serving = launch.start(root)
    stream = serving.events()
    [pending] = stream.until_connected()
    assert pending.name == "problems"
    (root / "seeds" / "good.notes.md").write_text(REVISED_NOTES, encoding="utf-8")
    deadline = time.monotonic() + REBUILD
    while True:
        assert time.monotonic() < deadline, f"no reload of the page: {serving.printed}"
        event = stream.event()
        if event.name == "reload" and "/good/index.html" in json.loads(event.data or "[]"):
            break
    assert b"A revised note" in serving.get("/good/")[1]
    # Reloaded, the page is shown the error still standing.
    [pending] = serving.events().until_connected()
    assert any(problem.startswith(BROKEN_AT) for problem in _problems(pending.data))
    code, _ = serving.interrupt()
    assert code == 0, serving.stderr


def test_a_saved_stylesheet_reloads_every_open_page(tmp_path: Path, launch: Launcher) -> None:
    root = good_site(tmp_path, {"static/site.css": "body { color: black; }\n"})  # ejected
    serving = launch.start(root)
    stream = serving.events()
    assert stream.until_connected() == []
    (root / "static" / "site.css").write_text("body { color: navy; }\n", encoding="utf-8")
    deadline = time.monotonic() + REBUILD
    while (event := stream.event()).name != "reload":
        assert time.monotonic() < deadline, f"no reload: {serving.printed}"
    assert event.data == ""  # every page: any may load it
    assert serving.get("/static/site.css")[1] == b"body { color: navy; }\n"
    code, _ = serving.interrupt()
    assert code == 0, serving.stderr


def test_a_site_url_naming_another_path_says_serve_needs_a_restart(
    tmp_path: Path, launch: Launcher
) -> None:
    # serve kept serving at / while the 404 page linked from /REPO/: broken, unsaid.
    root = good_site(tmp_path)
    serving = launch.start(root)
    (root / "site.toml").write_text('site_url = "https://o.github.io/REPO/"\n')
    serving.line(re.compile(r"site\.toml changed: .*"), REBUILD)
    deadline = time.monotonic() + REBUILD
    note = "note: site_url now gives the path /REPO/, but this serve serves / "
    while note not in serving.stderr:
        assert time.monotonic() < deadline, f"no note: {serving.stderr}"
        time.sleep(0.05)
    assert "restart serve" in serving.stderr
    code, _ = serving.interrupt()
    assert code == 0, serving.stderr


def test_errors_of_the_first_build_are_shown_to_the_first_page(
    tmp_path: Path, launch: Launcher
) -> None:
    root = good_site(tmp_path, {"seeds/broken.md": BROKEN})
    serving = launch.start(root)
    [pending] = serving.events().until_connected()
    assert pending.name == "problems"
    assert [problem for problem in _problems(pending.data) if problem.startswith(BROKEN_AT)]
    assert serving.get("/good/")[0] == 200
    code, _ = serving.interrupt()
    assert code == 0
    assert BROKEN_AT in serving.stderr  # and the terminal shows it too


def test_serving_on_all_interfaces_warns(tmp_path: Path, launch: Launcher) -> None:
    root = good_site(tmp_path)
    serving = launch.start(root, "--host", "0.0.0.0")
    assert serving.url == f"http://0.0.0.0:{serving.port}/"
    assert serving.get("/good/")[0] == 200  # still this machine's to read
    code, _ = serving.interrupt()
    assert code == 0
    assert "warning: serving on 0.0.0.0" in serving.stderr
    assert launch.temporary_folders() == []


def test_a_port_in_use_is_a_usage_error_and_leaves_nothing_behind(
    tmp_path: Path, launch: Launcher
) -> None:
    root = good_site(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = launch.popen(root, "--port", str(port))
        # The later `--port` wins over the `--port 0` every launch starts with.
        out, err = process.communicate(timeout=STARTUP)
    assert process.returncode == 2
    assert f"error: cannot serve on 127.0.0.1:{port}" in err
    assert "Traceback" not in err
    assert "serving" not in out
    assert launch.temporary_folders() == []


def test_an_output_folder_in_use_or_refused_is_an_error_before_serving(
    tmp_path: Path, launch: Launcher
) -> None:
    root = good_site(tmp_path, {"mine/notes.txt": "not the builder's"})
    held = Site(Project.at(root / "seeds", root / "_site"))
    with held.holding_output("watch"):
        process = launch.popen(root, "--out", "_site")
        out, err = process.communicate(timeout=STARTUP)
    assert process.returncode == 2
    assert err.splitlines() == [
        f"_site: error: is in use by site-builder watch (pid {os.getpid()}); stop it, "
        "or build elsewhere with --out"
    ]
    assert out == ""  # never "serving" an address that then fails
    process = launch.popen(root, "--out", "mine")
    out, err = process.communicate(timeout=STARTUP)
    assert process.returncode == 2
    assert err.splitlines() == [
        "mine: error: holds files site-builder did not write (notes.txt); "
        "empty it or choose another output folder"
    ]
    assert out == ""
    assert tree(root / "mine") == {"notes.txt": b"not the builder's"}


def test_build_output_never_has_the_reload_script(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, GOOD)
    assert cli("build").code == 0
    built = tree(tmp_path / "_site")
    assert "good/index.html" in built
    script = RELOAD_SCRIPT.strip().removeprefix(b"<script>").removesuffix(b"</script>").strip()
    for name, content in built.items():
        assert EVENTS.encode() not in content, name
        assert script not in content, name
        assert b"EventSource" not in content, name


def _problems(data: str) -> list[str]:
    problems = json.loads(data)
    assert isinstance(problems, list)
    return [str(problem) for problem in problems]
