"""What the benchmarks share: interpreters, timed subprocesses, corpora kept between runs, tables.

Every tool runs as a subprocess of an interpreter named on the command line, never
`sys.executable`, so which venv is measured is always explicit: `--python` for
site-builder and the floor, `--peers` for MkDocs and Pelican.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
REPO = BENCHMARKS.parent
if str(BENCHMARKS) not in sys.path:  # run as a script: the sibling modules import by name
    sys.path.insert(0, str(BENCHMARKS))

import corpus  # noqa: E402

DEFAULT_WORK = Path(tempfile.gettempdir()) / "site-builder-bench"
DEFAULT_PEERS = Path("/work/benchvenv")


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """--python, --peers and --work, the same in every benchmark."""
    parser.add_argument(
        "--python",
        type=Path,
        default=REPO / ".venv" / "bin" / "python",
        help="interpreter with site-builder's dependencies (default: .venv/bin/python); "
        "the code measured is always this checkout's, put first on PYTHONPATH",
    )
    parser.add_argument(
        "--peers",
        type=Path,
        default=DEFAULT_PEERS,
        help=f"venv holding benchmarks/requirements.txt (default: {DEFAULT_PEERS})",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=DEFAULT_WORK,
        help=f"folder for corpora (kept and reused) and outputs (default: {DEFAULT_WORK})",
    )


def checkout_env() -> dict[str, str]:
    """The environment for site-builder: this checkout's package, whatever the venv installs."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def site_builder(python: Path, *args: str) -> list[str]:
    return [str(python), "-m", "site_builder", *args]


@cache
def supports(python: Path, command: str, flag: str) -> bool:
    """Whether `site-builder COMMAND --help` lists FLAG (flags arrive as the pipeline grows)."""
    helped = subprocess.run(
        site_builder(python, command, "--help"),
        env=checkout_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return flag in helped.stdout


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss_mib: float  # of the process itself or its largest descendant, never a sum
    output: str


def run(command: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run to the end, timing it; fail with its output when it fails."""
    with tempfile.TemporaryFile("w+") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=output)
        # wait4, not wait: the peak memory of this child alone, where RUSAGE_CHILDREN
        # would give the largest of every child this benchmark has run so far.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{text[-3000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, text)


POLL = 0.002  # seconds between looks while waiting for a change to show
TIMEOUT = 600.0  # a 10,000-article site's first build included


@contextmanager
def running(
    command: Sequence[str],
    cwd: Path | None,
    ready: Callable[[], bool],
    env: dict[str, str] | None = None,
    output: Path | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """A long-running command (watch, serve), from when it is ready until it is stopped."""
    with open(output or os.devnull, "wb") as sink:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=sink, stderr=sink)
        try:
            deadline = time.monotonic() + TIMEOUT
            while not ready():
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"{' '.join(command[:4])} never became ready")
                time.sleep(0.05)
            yield process
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def latencies(
    file: Path,
    edits: Sequence[tuple[str, str]],
    page: Callable[[], str | None],
    idle: Callable[[], bool] = lambda: True,
) -> list[float]:
    """Seconds from each save of FILE to PAGE showing it; EDITS are (new text, its marker).

    Each save comes 0.3 s after the last one showed, once `idle` says so (by default at
    once: the site-wide pages of the last rebuild may still be in the making). The file
    is put back as it was afterwards."""
    results = []
    original = file.read_text()
    try:
        for text, marker in edits:
            deadline = time.perf_counter() + TIMEOUT
            while not idle():
                if time.perf_counter() > deadline:
                    raise RuntimeError("the last rebuild never ended")
                time.sleep(POLL)
            time.sleep(0.3)  # let the previous rebuild and any file-event echo settle
            started = time.perf_counter()
            file.write_text(text)
            while marker not in (page() or ""):
                if time.perf_counter() - started > TIMEOUT:
                    raise RuntimeError(f"the change to {file} never showed")
                time.sleep(POLL)
            results.append(time.perf_counter() - started)
    finally:
        file.write_text(original)
    return results


def fresh(folder: Path) -> Path:
    """An empty folder (a cold build's output)."""
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def cold_build(python: Path, site: Path, out: Path, *flags: str) -> Run:
    """`site-builder build` of SITE's seeds into an emptied OUT, with `--no-cache` once
    that flag exists: nothing an earlier build left helps it."""
    no_cache = ("--no-cache",) if supports(python, "build", "--no-cache") else ()
    out = fresh(out)  # untimed: a build over an earlier one only compares most files
    command = site_builder(python, "build", "--source", str(site / "seeds"), "--out", str(out))
    return run([*command, *flags, *no_cache], env=checkout_env())


def corpus_site(work: Path, articles: int, glossary: int) -> Path:
    """The generated site (site.toml, seeds/) for this size, made once and reused."""
    site = work / f"corpus-{articles}-{glossary}"
    done = site / ".complete"
    if not done.exists():
        shutil.rmtree(site, ignore_errors=True)
        print(f"generating {articles} articles, glossary {glossary} -> {site}", file=sys.stderr)
        corpus.write(site, articles, glossary)
        done.write_text("")
    return site


def without_search(site: Path) -> Path:
    """The corpus with `search = false` in its settings: a copy (made once, kept), since
    a project's settings sit beside its source folder."""
    copy = site / "peers" / "no-search"
    if not (copy / ".complete").exists():
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(site / "seeds", copy / "seeds")
        settings = (site / "site.toml").read_text()
        (copy / "site.toml").write_text(settings + "search = false\n")
        (copy / ".complete").write_text("")
    return copy


def alternate(
    variants: dict[str, Callable[[], float]], repeat: int, say: Callable[[str], None]
) -> dict[str, list[float]]:
    """Run every variant once per round, round after round (A B A B), so drift in the
    machine's load touches them alike; the seconds each took."""
    results: dict[str, list[float]] = {name: [] for name in variants}
    for round_ in range(repeat):
        for name, measure in variants.items():
            seconds = measure()
            results[name].append(seconds)
            say(f"  round {round_ + 1}/{repeat}: {name} {seconds:.2f} s")
    return results


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table to paste into benchmarks/README.md: first column left, the rest right."""
    lines = ["| " + " | ".join(headers) + " |"]
    lines.append("|" + "|".join([":---", *["---:"] * (len(headers) - 1)]) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
