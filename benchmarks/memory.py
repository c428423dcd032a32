"""Benchmark: peak memory of a full build as the site grows.

Run by hand, never in CI:

    python3 benchmarks/memory.py --python .venv/bin/python --sizes 1000 10000 --repeat 1

Each build is a fresh `site-builder build` subprocess into an empty folder (with
`--no-cache` once it exists), in one process (`--jobs` workers would each have a
peak of their own); its peak resident set size comes from wait4, for that child
alone, and so of Pagefind's process too: the corpus is built with `search = false`
(a copy, common.without_search). It prints the median peak per size and the ratio
to the smallest size.
"""

from __future__ import annotations

import argparse

from common import (
    add_common_arguments,
    cold_build,
    corpus_site,
    markdown_table,
    median,
    stderr,
    without_search,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_arguments(parser)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], metavar="N")
    parser.add_argument("--glossary", type=int, default=100, metavar="K")
    parser.add_argument("--repeat", type=int, default=1, help="builds per size (default: 1)")
    args = parser.parse_args()
    rows = []
    smallest = None
    for size in args.sizes:
        site = without_search(corpus_site(args.work, size, args.glossary))
        peaks, seconds = [], []
        for _ in range(args.repeat):
            done = cold_build(args.python, site, site / "out", "--jobs", "1")
            stderr(f"{size} articles: {done.peak_rss_mib:.0f} MiB in {done.seconds:.1f} s")
            peaks.append(done.peak_rss_mib)
            seconds.append(done.seconds)
        peak = median(peaks)
        smallest = smallest or peak
        rows.append(
            [f"{size:,}", f"{peak:.0f}", f"{peak / smallest:.2f}", f"{median(seconds):.1f}"]
        )
    print(markdown_table(["articles", "peak RSS, MiB", "x smallest", "build, s"], rows))


if __name__ == "__main__":
    main()
