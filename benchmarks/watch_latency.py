"""Benchmark: how long from saving a note to the page being served with the change.

Run by hand, never in CI:

    .venv/bin/pip install mkdocs        # the peer, measured in the same run
    .venv/bin/python benchmarks/watch_latency.py [--sizes 10 1000] [--edits 15]

For each corpus size it makes the same articles as a site-builder site and as an
MkDocs site, starts `site-builder serve` and `mkdocs serve` on free ports, then
repeatedly appends a marker to one file (a notes file for site-builder, the
page's markdown for MkDocs) and times how long until the served page shows it.
It prints the median per tool and size, and the ratio of MkDocs to site-builder.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import statistics
import sys
import tempfile
from contextlib import AbstractContextManager
from pathlib import Path

from common import latencies, running

WORDS = [
    "orbit",
    "launch",
    "rocket",
    "satellite",
    "mission",
    "sample",
    "return",
    "lander",
    "rover",
    "station",
]


def corpus(root: Path, size: int) -> None:
    """The same articles as a site-builder site (with notes) and as an MkDocs site."""
    seeds, docs = root / "site" / "seeds", root / "mkdocs" / "docs"
    seeds.mkdir(parents=True)
    docs.mkdir(parents=True)
    (root / "mkdocs" / "mkdocs.yml").write_text("site_name: Benchmark\n")
    (seeds / "_glossary.md").write_text(
        "".join(f"## {word}\nA note on {word}.\n\n" for word in WORDS)
    )
    for number in range(size):
        body = " ".join(WORDS[(number + i) % len(WORDS)] for i in range(600))
        text = f"# Article {number}\n\n{body}\n\nTerm{number} closes it.\n"
        (seeds / f"a{number:04}.md").write_text(text)
        (seeds / f"a{number:04}.notes.md").write_text(f"## Term{number}\nNote {number}.\n")
        (docs / f"a{number:04}.md").write_text(text)
    (docs / "index.md").write_text("# Benchmark\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(port: int, path: str) -> str | None:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        connection.close()
        return body if response.status == 200 else None
    except OSError:
        return None


def serving(command: list[str], cwd: Path, port: int, path: str) -> AbstractContextManager[object]:
    return running(command, cwd, lambda: fetch(port, path) is not None)


def served_latencies(file: Path, port: int, path: str, edits: int) -> list[float]:
    """Seconds from each save (a marker appended) to the served page showing it."""
    original = file.read_text()
    markers = [f"Marker{edit}x{os.getpid()}" for edit in range(edits)]
    return latencies(file, [(original + f"\n{m}\n", m) for m in markers], lambda: fetch(port, path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1000])
    parser.add_argument("--edits", type=int, default=15)
    args = parser.parse_args()
    has_mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent)) is not None
    if not has_mkdocs:
        print("mkdocs is not installed next to this Python: pip install mkdocs", file=sys.stderr)
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="bench-") as folder:
            root = Path(folder)
            corpus(root, size)
            port = free_port()
            ours = [sys.executable, "-m", "site_builder", "serve", "--port", str(port)]
            with serving([*ours, "--source", "seeds"], root / "site", port, "/a0000/index.html"):
                notes = root / "site" / "seeds" / "a0000.notes.md"
                site_builder = served_latencies(notes, port, "/a0000/index.html", args.edits)
            peer = None
            if has_mkdocs:
                port = free_port()
                mkdocs = str(Path(sys.executable).parent / "mkdocs")
                serve = [mkdocs, "serve", "-a", f"127.0.0.1:{port}"]
                with serving(serve, root / "mkdocs", port, "/a0000/"):
                    page = root / "mkdocs" / "docs" / "a0000.md"
                    peer = served_latencies(page, port, "/a0000/", args.edits)
            rows.append((size, statistics.median(site_builder), peer and statistics.median(peer)))
    print(f"{'articles':>8}  {'site-builder':>12}  {'mkdocs serve':>12}  {'ratio':>7}")
    for size, ours_median, peer_median in rows:
        peer_text = f"{peer_median * 1000:10.0f} ms" if peer_median else f"{'-':>12}"
        ratio = f"{peer_median / ours_median:6.0f}x" if peer_median else f"{'-':>7}"
        print(f"{size:>8}  {ours_median * 1000:9.1f} ms  {peer_text}  {ratio}")


if __name__ == "__main__":
    main()
