"""Benchmark: from saving a note to its page on disk holding the change, under `watch`.

Run by hand, never in CI:

    python3 benchmarks/edit_latency.py --python .venv/bin/python --sizes 1000 10000 --edits 9

For each size it starts `site-builder watch` on the generated corpus, waits for the
first build and its search index, then rewrites the gloss of one note in a notes file
from the middle of the corpus, again and again, and times each save until that
article's `index.html` holds the new gloss. It prints the median and the fastest, in two series:

- idle: each save once `watch` has ended the last rebuild, site-wide pages and all
  (its process used no processor time for 0.3 s), as an editor saves who reads the
  page in between;
- rapid: each save 0.3 s after the last showed, while the terms pages of the last
  rebuild are still being made (seconds at 10,000 articles), which the rebuild then
  stops for: as an editor saves who types and saves, types and saves.

(benchmarks/watch_latency.py times the same through `serve` and HTTP, beside
`mkdocs serve`, on small sites.)
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from common import (
    add_common_arguments,
    checkout_env,
    corpus_site,
    fresh,
    latencies,
    markdown_table,
    median,
    running,
    site_builder,
    stderr,
)

WARM_UP = 3  # saves before the timed ones


def gloss_edits(notes: Path, edits: int, series: str) -> list[tuple[str, str]]:
    """The notes file with its first note's gloss (the line after the heading and
    its blank line, or after its aliases) replaced by a new sentence, each time another,
    and another in each series: a text saved before would be a page from the cache."""
    lines = notes.read_text().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("## "))
    gloss = next(
        i for i in range(at + 1, len(lines)) if lines[i] and not lines[i].startswith("aliases:")
    )
    result = []
    for edit in range(edits):
        marker = f"{series}{edit}x{os.getpid()}"
        changed = [
            *lines[:gloss],
            f"A new gloss, {marker}, for the benchmark.",
            *lines[gloss + 1 :],
        ]
        result.append(("\n".join(changed), marker))
    return result


def measure(args: argparse.Namespace, size: int) -> tuple[list[float], list[float]]:
    site = corpus_site(args.work, size, args.glossary)
    out = fresh(site / "out" / "watch")
    name = f"a{size // 2:05}"  # from the middle: neither the first nor the last read
    log = site / "out" / "watch.log"
    command = site_builder(args.python, "watch", "--source", str(site / "seeds"), "--out", str(out))

    def first_build_done() -> bool:
        # And indexed: Pagefind starts a second after the first build and takes every
        # core for a minute at 10,000 articles; saves timed meanwhile time it too.
        indexed = (out / "pagefind" / "pagefind-entry.json").exists()
        return indexed and log.exists() and "watching" in log.read_text()

    def page() -> str | None:
        try:
            return (out / name / "index.html").read_text()
        except OSError:  # between the writer's rename and our open, or not written yet
            return None

    notes = site / "seeds" / f"{name}.notes.md"
    log.unlink(missing_ok=True)
    with running(command, site, first_build_done, env=checkout_env(), output=log) as process:
        quiet = Idle(process.pid)
        # The first seconds after the first build are slower (twice as slow at 100
        # articles, whichever series came first): a few saves, untimed, warm up.
        latencies(notes, gloss_edits(notes, WARM_UP, "Warm"), page, quiet)
        # Idle: each save once the last rebuild, its site-wide pages too, has ended.
        idle = latencies(notes, gloss_edits(notes, args.edits, "Idle"), page, quiet)
        # Rapid: each save 0.3 s after the last showed, the site-wide pages still in making.
        rapid = latencies(notes, gloss_edits(notes, args.edits, "Rapid"), page)
    return idle, rapid


class Idle:
    """Whether `watch` is idle: its process used no processor time for a while (Linux).

    (Counting the lines it prints at the end of each rebuild said less: a save made
    once the count grew could land while the rebuild of the save before it, or of the
    file put back after a series, was still making the site-wide pages.)"""

    def __init__(self, pid: int, quiet: float = 0.3) -> None:
        self.stat = Path(f"/proc/{pid}/stat")
        self.quiet = quiet

    def __call__(self) -> bool:
        before = self._ticks()
        time.sleep(self.quiet)
        return self._ticks() == before

    def _ticks(self) -> int:
        """Its user and system time, in clock ticks (fields 14 and 15 of its stat)."""
        fields = self.stat.read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_arguments(parser)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000], metavar="N")
    parser.add_argument("--glossary", type=int, default=100, metavar="K")
    parser.add_argument("--edits", type=int, default=9, help="saves timed per size (default: 9)")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        idle, rapid = measure(args, size)
        for name, seconds in (("idle", idle), ("rapid", rapid)):
            shown = " ".join(f"{s * 1000:.0f}" for s in seconds)
            stderr(f"{size} articles, {name}: {shown} ms")
        rows.append([f"{size:,}", *(_ms(seconds) for seconds in (idle, rapid))])
    headers = ["articles", "idle: median (fastest), ms", "rapid: median (fastest), ms"]
    print(markdown_table(headers, rows))


def _ms(seconds: list[float]) -> str:
    return f"{median(seconds) * 1000:.0f} ({min(seconds) * 1000:.0f})"


if __name__ == "__main__":
    main()
