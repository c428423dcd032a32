"""The README's shell blocks, run as a newcomer would: in a copy of this checkout and in
a fresh virtual environment, so the README cannot go stale.

A ```sh block preceded by `<!-- readme-test... -->` runs; every other ```sh block is
listed in NOT_RUN with the reason. Blocks marked "after scripts/build" run in a copy of
the checkout once `scripts/build` (the README's first command) has; the others run in
order in one shell in an empty folder, where `~/src/site-builder` stands for that copy,
and the block marked "serve" runs on a free port until the site answers.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(
    r"^(?:<!-- readme-test(?::\s*(?P<note>.*?))? -->\n)?```sh\n(?P<code>.*?)^```$", re.M | re.S
)
PLACEHOLDER = "~/src/site-builder"
# Blocks that do not run here, by their first line, and why.
NOT_RUN = {
    "scripts/build": "the set-up commands: scripts/build runs first below; scripts/test runs this",
    "git init -b main": "pushes to a repository on GitHub",
    "site-builder deploy": "pushes to a repository on GitHub",
    ".venv/bin/pip install mkdocs": "a benchmark: minutes of measuring by hand",
    "$ rm seeds/000": "a transcript of `suggest` on the seed, which tests/test_suggest.py runs",
}
# Waits for the server to say where it serves, then reads the new site's pages from it.
PROBE = """\
import re, sys, time, urllib.request
log, deadline = sys.argv[1], time.monotonic() + 60
while not (found := re.search(r"serving (http://127.0.0.1:[0-9]+/)", open(log).read())):
    assert time.monotonic() < deadline, "serve said nothing: " + open(log).read()
    time.sleep(0.2)
index = urllib.request.urlopen(found.group(1), timeout=30).read().decode()
assert "Voyager leaves the Sun behind" in index, index
page = urllib.request.urlopen(found.group(1) + "voyager/", timeout=30).read().decode()
assert 'data-note="note-heliopause"' in page, page
"""


def blocks() -> list[tuple[str | None, str]]:
    """Every ```sh block of the README: its readme-test note (None: not marked), its code."""
    found = []
    for match in BLOCK.finditer(README.read_text(encoding="utf-8")):
        marked = match.group(0).startswith("<!--")
        found.append((match.group("note") or "" if marked else None, match.group("code")))
    return found


def served(code: str, log: Path, probe: Path) -> str:
    """The serve block as a script: on a free port, probed, then stopped (a background job
    ignores SIGINT, so SIGTERM, which stops serve the same clean way)."""
    command = code.split("#")[0].strip()
    assert command == "site-builder serve", code
    return (
        f'{command} --port 0 >"{log}" 2>&1 &\n'
        f'server=$!\npython3 "{probe}" "{log}" || {{ kill $server; exit 1; }}\n'
        "kill -TERM $server\nwait $server\n"
    )


def checkout_copy(to: Path) -> Path:
    """This checkout's files as git has them (tracked, and untracked but not ignored)."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (to / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, to / name)
    return to


def run(script: str, cwd: Path) -> None:
    # A shell as a newcomer has it: no virtual environment active, not even the tests'.
    here = str(Path(sys.prefix) / "bin")
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if p != here)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    done = subprocess.run(
        ["bash", "-c", "set -euo pipefail\n" + script],
        cwd=cwd,
        env={**env, "PATH": path},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{script}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"


def test_every_shell_block_runs_or_says_why_not() -> None:
    for note, code in blocks():
        if note is None:
            assert any(code.startswith(first) for first in NOT_RUN), code
    codes = "".join(code for note, code in blocks() if note is not None)
    for step in (".venv/bin/site-builder", "pip install", "site-builder new", "site-builder serve"):
        assert step in codes, f"the README's {step!r} is not tested"


def test_the_readme_works_as_written(tmp_path: Path) -> None:
    checkout = checkout_copy(tmp_path / "site-builder")
    marked = [(note, code) for note, code in blocks() if note is not None]
    in_checkout = [code for note, code in marked if "after scripts/build" in note]
    run("scripts/build >/dev/null\n" + "".join(in_checkout), checkout)
    (work := tmp_path / "work").mkdir()
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE)
    script = ""
    for note, code in marked:
        if "after scripts/build" in note:
            continue
        if PLACEHOLDER in note:
            assert PLACEHOLDER in code
            code = code.replace(PLACEHOLDER, str(checkout))
        script += served(code, tmp_path / "serve.log", probe) if note == "serve" else code
    run(script, work)
    assert (work / "my-readings" / ".github" / "workflows" / "pages.yml").is_file()
