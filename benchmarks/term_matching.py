"""Benchmark: what a glossary of 10, 1,000 or 10,000 terms costs, on the same articles.

Run by hand, never in CI:

    python3 benchmarks/term_matching.py --python .venv/bin/python --articles 1000 --repeat 3

For each glossary size K it measures, in alternating rounds:

- glossary: reading `_glossary.md` and compiling its automaton, once per build;
- matching: `matching.find_terms` over every article's whole markdown with the
  article's own notes and the glossary (the notes' tries made beforehand, untimed);
- build: a full cold `site-builder build` in one process (into an empty folder,
  `--no-cache` once it exists, `search = false`: Pagefind's time is not the
  glossary's), whose summary also gives how many notes the pages carry.

and reports medians and the ratio to K = 10. The articles are the same for every K,
but a larger glossary annotates more of their terms (each article names 5 of the
first 10 glossary terms and 10 more), so a build with more notes also renders more:
the matching row is the cost of the terms alone.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from common import (
    add_common_arguments,
    alternate,
    checkout_env,
    cold_build,
    corpus_site,
    markdown_table,
    median,
    run,
    stderr,
    without_search,
)

NOTES = re.compile(r"built \d+ pages, (\d+) notes")


def match_seconds(seeds: Path) -> dict[str, float]:
    """In the project's interpreter: seconds to load the glossary, and to match every article."""
    from site_builder.diagnostics import Diagnostics
    from site_builder.glossary import build_trie, read_glossary
    from site_builder.matching import find_terms
    from site_builder.notes import parse_notes

    diagnostics = Diagnostics()
    articles = []
    for path in sorted(seeds.glob("*.notes.md")):
        notes = parse_notes(path, path.read_text(), diagnostics).notes
        articles.append((path.with_name(path.name[: -len(".notes.md")] + ".md"), build_trie(notes)))
    texts = [(source.read_text(), trie) for source, trie in articles]
    started = time.perf_counter()
    glossary = read_glossary(seeds / "_glossary.md", diagnostics)
    loaded = time.perf_counter()
    for text, trie in texts:
        find_terms(text, [trie, glossary.trie])
    return {"glossary": loaded - started, "matching": time.perf_counter() - loaded}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_arguments(parser)
    parser.add_argument("--articles", type=int, default=1000, metavar="N")
    parser.add_argument("--glossaries", type=int, nargs="+", default=[10, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default: 3)")
    parser.add_argument("--match", type=Path, help=argparse.SUPPRESS)  # the subprocess's part
    args = parser.parse_args()
    if args.match:
        print(json.dumps(match_seconds(args.match)))
        return
    parts: dict[int, dict[str, list[float]]] = {}
    notes: dict[int, str] = {}
    variants: dict[str, Callable[[], float]] = {}
    for size in args.glossaries:
        site = corpus_site(args.work, args.articles, size)
        parts[size] = {"glossary": [], "matching": []}

        def matching(site: Path = site, size: int = size) -> float:
            script = [str(args.python), __file__, "--python", str(args.python)]
            done = run([*script, "--match", str(site / "seeds")], env=checkout_env())
            seconds = json.loads(done.output.strip().splitlines()[-1])
            for name, value in seconds.items():
                parts[size][name].append(value)
            return float(sum(seconds.values()))

        def build(site: Path = site, size: int = size) -> float:
            copy = without_search(site)  # the search index's time is not the glossary's
            done = cold_build(args.python, copy, copy / "out", "--jobs", "1")
            found = NOTES.search(done.output)
            notes[size] = found.group(1) if found else "?"
            return done.seconds

        variants[f"match {size}"] = matching
        variants[f"build {size}"] = build
    results = alternate(variants, args.repeat, stderr)
    base = args.glossaries[0]
    rows = []
    for size in args.glossaries:
        load, terms = median(parts[size]["glossary"]), median(parts[size]["matching"])
        built = median(results[f"build {size}"])
        rows.append(
            [
                f"{size:,}",
                f"{load:.3f}",
                f"{terms:.2f} ({terms / median(parts[base]['matching']):.2f}x)",
                f"{built:.2f} ({built / median(results[f'build {base}']):.2f}x)",
                notes[size],
            ]
        )
    headers = ["glossary terms", "load glossary, s", f"matching, s (x K={base})"]
    headers += [f"build, s (x K={base})", "notes in pages"]
    print(f"{args.articles:,} articles, medians of {args.repeat}", file=sys.stderr)
    print(markdown_table(headers, rows))


if __name__ == "__main__":
    main()
