"""Shared fixtures: a throw-away site on disk and the command line run in-process."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from site_builder import terminal
from site_builder.__main__ import main

# `path:line: error|warning: message`
DIAGNOSTIC = re.compile(
    r"^(?P<path>[^:\n]+):(?P<line>\d+): (?P<severity>error|warning): (?P<message>.+)$"
)

# An article and its notes that build cleanly: the "other article" of every broken site.
GOOD_ARTICLE = """\
---
title: A good article
date: 2024-05-01
---

The Tianwen-3 mission is planned for 2028. It is described on
[the agency's site](https://example.org/tianwen).
"""
GOOD_NOTES = """\
## Tianwen-3
China's planned Mars sample-return mission. See
[Tianwen-3 on Wikipedia](https://en.wikipedia.org/wiki/Tianwen-3).
"""
GOOD = {"seeds/good.md": GOOD_ARTICLE, "seeds/good.notes.md": GOOD_NOTES}


@pytest.fixture(autouse=True, scope="session")
def page_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The page cache (cache.py) of every site the tests build lives in a folder of the
    session's, never in the user's own cache folder."""
    home = tmp_path_factory.mktemp("xdg-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(home))
        yield home


def start_build(root: Path, out: str = "_site") -> subprocess.Popen[bytes]:
    """`site-builder build` in a process of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "site_builder", "build", "--source", "seeds", "--out", out],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def make_site(tmp_path: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write `files` (paths relative to `tmp_path`) exactly as given; the site's root.

    Text is written as UTF-8 without newline translation, bytes as they are, so
    tests control BOMs, line endings and invalid bytes. A `seeds/` folder is always made.
    """
    (tmp_path / "seeds").mkdir(parents=True, exist_ok=True)
    for relative, content in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return tmp_path


Nest = Callable[[Path, int], Path]


@pytest.fixture
def nest(tmp_path: Path) -> Iterator[Nest]:
    """`nest(folder, depth)`: a folder `depth` levels below `folder`, made a level at a
    time; after the test, everything in `tmp_path` is removed a level at a time
    (Path.mkdir with parents, and pytest's own clean-up, recurse, and would stop at
    Python's recursion limit)."""

    def make(folder: Path, depth: int) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for _ in range(depth):
            folder = folder / "d"
            folder.mkdir()
        return folder

    yield make
    folders, stack = [], [os.fspath(tmp_path)]
    while stack:
        folders.append(folder := stack.pop())
        for entry in os.scandir(folder):
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            else:
                os.unlink(entry.path)
    for folder in reversed(folders[1:]):
        os.rmdir(folder)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its content, by POSIX path relative to it."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def page_slugs(out: Path) -> set[str]:
    """The slugs of the article pages in an output folder."""
    return {
        path.parent.name
        for path in out.glob("*/index.html")
        if path.parent.name not in ("terms", "static", "tags")
    }


@dataclass(frozen=True)
class Result:
    """What one run of the command line did."""

    code: int
    out: str
    err: str

    @property
    def diagnostics(self) -> list[str]:
        """The `path:line: severity: message` lines of stderr, in order."""
        return [line for line in self.err.splitlines() if DIAGNOSTIC.match(line)]

    @property
    def output(self) -> str:
        return self.out + self.err


Run = Callable[..., Result]

# Root reads any file whatever its permissions: as root, a command `unprivileged` runs
# lacks the capabilities that override them, so that they bind it as they bind a user.
UNPRIVILEGED = (
    ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
)


def unprivileged(*args: str) -> list[str]:
    """The command line of `site-builder ARGS...`, bound by file permissions even as root."""
    return [*UNPRIVILEGED, sys.executable, "-m", "site_builder", *args]


def run_unprivileged(root: Path, *args: str) -> Result:
    """`site-builder ARGS...` run in `root` by a process bound by file permissions."""
    done = subprocess.run(unprivileged(*args), cwd=root, capture_output=True, text=True)
    return Result(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Run:
    """`site-builder ARGS...` run in-process from `tmp_path` as the working folder."""
    monkeypatch.chdir(tmp_path)
    # No progress lines, which a build taking over 5 s on a busy machine would add to
    # what the tests compare (test_terminal.py tests them).
    monkeypatch.setattr(terminal, "PLAIN_EVERY", math.inf)

    def run(*args: str | os.PathLike[str]) -> Result:
        capsys.readouterr()
        try:
            code = main([os.fspath(arg) for arg in args])
        except SystemExit as exc:  # argparse's own usage errors
            code = exc.code if isinstance(exc.code, int) else 2
        captured = capsys.readouterr()
        assert "Traceback" not in captured.out + captured.err
        return Result(code, captured.out, captured.err)

    return run
