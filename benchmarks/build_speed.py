"""Benchmark: full builds against the floor, MkDocs and Pelican, on the same articles.

Run by hand, never in CI (see benchmarks/README.md for the venvs):

    python3 benchmarks/build_speed.py --python .venv/bin/python --sizes 100 1000 --repeat 3

For each size it measures, round after round (A B A B) so that a change in the
machine's load touches every variant alike, and reports medians:

- floor: benchmarks/floor.py, markdown-it-py + Pygments + Jinja2, no annotation;
- floor with notes: `floor.py --notes`, the floor plus each note rendered by itself
  and a page for each note: the least any tool does for "notes included";
- cold: `site-builder build` into an empty folder (with `--no-cache` once it exists);
- warm: `build` again, nothing changed;
- jobs 2: a cold build with `--jobs 2`;
- no search: cold builds of a copy whose settings say `search = false` (no Pagefind
  index, which MkDocs' lunr index and Pelican's absence of one make a fairer match),
  in one process and with the default jobs;
- mkdocs, pelican: the same articles without their notes, default settings but for
  Pygments highlighting, into an empty folder.

Each is in seconds and as a ratio to the floor of the same run. Every time is a
whole subprocess, interpreter start included, as a user waits for it.
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Callable
from pathlib import Path

from common import (
    add_common_arguments,
    alternate,
    checkout_env,
    cold_build,
    corpus_site,
    fresh,
    markdown_table,
    median,
    run,
    site_builder,
    stderr,
    supports,
    without_search,
)
from corpus import split_front_matter

MKDOCS_YML = """site_name: Benchmark
markdown_extensions: [tables, fenced_code, codehilite]
"""
PELICANCONF = """AUTHOR = "Benchmark"
SITENAME = "Benchmark"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = False
"""


def articles(seeds: Path) -> list[Path]:
    return sorted(
        path
        for path in seeds.glob("*.md")
        if not path.name.startswith(("_", ".")) and not path.name.endswith(".notes.md")
    )


def peer_copies(site: Path) -> tuple[Path, Path]:
    """The corpus's articles as an MkDocs project and a Pelican one (made once, kept)."""
    mkdocs, pelican = site / "peers" / "mkdocs", site / "peers" / "pelican"
    if (site / "peers" / ".complete").exists():
        return mkdocs, pelican
    shutil.rmtree(site / "peers", ignore_errors=True)
    (mkdocs / "docs").mkdir(parents=True)
    (pelican / "content").mkdir(parents=True)
    (mkdocs / "mkdocs.yml").write_text(MKDOCS_YML)
    (pelican / "pelicanconf.py").write_text(PELICANCONF)
    for source in articles(site / "seeds"):
        text = source.read_text()
        (mkdocs / "docs" / source.name).write_text(text)  # MkDocs reads YAML front matter
        title, body = split_front_matter(text)
        day = text.split("\ndate: ", 1)[1].split("\n", 1)[0]
        header = f"Title: {title}\nDate: {day}\nSlug: {source.stem}\n\n"
        (pelican / "content" / source.name).write_text(header + body)
    (site / "peers" / ".complete").write_text("")
    return mkdocs, pelican


def variants(args: argparse.Namespace, site: Path) -> dict[str, Callable[[], float]]:
    """Each variant as a function that runs it once and gives its seconds."""
    python, peers, env = args.python, args.peers / "bin", checkout_env()
    out = site / "out"
    seeds = str(site / "seeds")
    build = site_builder(python, "build", "--source", seeds, "--out", str(out / "site"))
    mkdocs, pelican = peer_copies(site)

    def floor(*flags: str) -> Callable[[], float]:
        floor_py = str(Path(__file__).parent / "floor.py")

        def measure() -> float:
            return run([str(python), floor_py, seeds, str(fresh(out / "floor")), *flags]).seconds

        return measure

    def cold() -> float:
        return cold_build(python, site, out / "site").seconds

    def warm() -> float:
        if supports(python, "build", "--no-cache"):  # cold bypassed the cache: fill it, untimed
            run(build, env=env)
        return run(build, env=env).seconds

    def jobs2() -> float:
        return cold_build(python, site, out / "jobs", "--jobs", "2").seconds

    def no_search(*flags: str) -> Callable[[], float]:
        copy = without_search(site)
        return lambda: cold_build(python, copy, out / "no-search", *flags).seconds

    def mkdocs_build() -> float:
        command = [str(peers / "mkdocs"), "build", "-q", "-d", str(fresh(out / "mkdocs"))]
        return run(command, cwd=mkdocs).seconds

    def pelican_build() -> float:
        output = str(fresh(out / "pelican"))
        command = [str(peers / "pelican"), "content", "-q", "-s", "pelicanconf.py", "-o", output]
        return run(command, cwd=pelican).seconds

    chosen = {
        "floor": floor(),
        "floor with notes": floor("--notes"),
        "site-builder cold": cold,
        "site-builder warm": warm,  # right after cold, in the same output folder
        "site-builder --jobs 2": jobs2,
    }
    if supports(python, "build", "--no-cache"):  # this checkout's, which has the setting
        chosen |= {
            "site-builder cold, no search, --jobs 1": no_search("--jobs", "1"),
            "site-builder cold, no search": no_search(),
        }
    if not args.no_peers:
        chosen |= {"mkdocs": mkdocs_build, "pelican": pelican_build}
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_arguments(parser)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000], metavar="N")
    parser.add_argument("--glossary", type=int, default=100, metavar="K")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default: 3)")
    parser.add_argument("--no-peers", action="store_true", help="skip MkDocs and Pelican")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        site = corpus_site(args.work, size, args.glossary)
        stderr(f"{size} articles:")
        results = alternate(variants(args, site), args.repeat, stderr)
        floor = median(results["floor"])
        for name, seconds in results.items():
            rows.append(
                [f"{size:,}", name, f"{median(seconds):.2f}", f"{median(seconds) / floor:.2f}"]
            )
    print(markdown_table(["articles", "build", "seconds (median)", "x floor"], rows))


if __name__ == "__main__":
    main()
