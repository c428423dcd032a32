"""Growth checks: no input makes the builder slower than linear in its size.

Each hostile case is timed at two sizes, `SCALE` times apart (the best of three
runs of each, to cut noise), and the ratio of the times must stay under
`BOUND`. Linear growth gives a ratio near 8 (less when a fixed cost weighs in),
quadratic growth 64: the bound catches the second without timing anything
against the clock. Sizes are chosen so that a case takes well under a second
or two in all, and so that the small run still takes some milliseconds, above
the timer's noise.

The work is timed through the real pipeline where that is what grows (reading
and rendering an article as a build does, templates included, or a whole
build); otherwise the unit that grows.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable, Collection, Mapping
from functools import partial
from itertools import product
from pathlib import Path

import pytest

from site_builder.config import SiteConfig
from site_builder.diagnostics import Diagnostics
from site_builder.discover import discover
from site_builder.glossary import read_glossary
from site_builder.pages import article_files
from site_builder.render import render_article
from site_builder.site import Project, build_site
from site_builder.slugs import Ids
from site_builder.sources import read_article
from site_builder.suggest import Passage, suggest
from site_builder.theme import Theme

SCALE = 8
BOUND = 32  # 8 x 4: a generous margin over linear, half of quadratic
RUNS = 3

Work = Callable[[], object]


def best_time(work: Work) -> float:
    """The shortest of `RUNS` runs, in seconds."""
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def assert_linear(prepare: Callable[[int], Work], size: int) -> None:
    """The work `prepare(n)` returns grows at most linearly from `size` to `SCALE * size`.

    Inputs are prepared before the clock starts; only the work is timed.
    """
    small, large = prepare(size), prepare(SCALE * size)
    small_time, large_time = best_time(small), best_time(large)
    ratio = large_time / small_time
    print(f"{small_time * 1000:.1f} ms, {large_time * 1000:.1f} ms: {ratio:.1f}x")  # with -s
    assert ratio < BOUND, (
        f"{SCALE}x the input took {ratio:.1f}x the time "
        f"({small_time * 1000:.1f} ms, then {large_time * 1000:.1f} ms)"
    )


def write_site(root: Path, files: Mapping[str, str]) -> Path:
    """Write a site's files (paths relative to `root`); its source folder."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "seeds").mkdir(exist_ok=True)
    return root / "seeds"


def page_work(folder: Path, files: Mapping[str, str], broken: Collection[str] = ()) -> Work:
    """Reading and rendering a site's articles as a build does, templates included
    (but nothing written); each must build but the sources named in `broken`."""
    source = write_site(folder, files)
    config = SiteConfig()
    theme = Theme(config)

    def work() -> None:
        diagnostics = Diagnostics()
        found = discover(source, diagnostics)
        glossary = read_glossary(found.glossary, diagnostics)
        for item in found.sources:
            article = read_article(item, config, diagnostics)
            if item.path.name in broken:
                assert article is None or article.broken
                continue
            assert article is not None, diagnostics.items
            theme.article(render_article(article, glossary, theme.note, diagnostics))

    return work


# slug de-duplication


def test_ids_that_slug_alike_are_numbered_in_linear_time() -> None:
    def prepare(count: int) -> Work:
        def work() -> None:
            ids = Ids()
            for _ in range(count):
                ids.unique("note-x")

        return work

    assert_linear(prepare, 40_000)


def test_glossary_terms_that_slug_alike(tmp_path: Path) -> None:
    # "x!", "x$", "x!$"...: one slug, so note ids and the terms page's anchors are numbered.
    def prepare(count: int) -> Work:
        marks = "!$%+,./:;=?@^|"
        terms = ["x" + "".join(p) for n in (1, 2, 3) for p in product(marks, repeat=n)][:count]
        glossary = "".join(f"## {term}\n\nA note.\n\n" for term in terms)
        article = "# Terms\n\n" + " ".join(terms) + "\n"
        return build_work(
            tmp_path / str(count), {"seeds/a.md": article, "seeds/_glossary.md": glossary}
        )

    assert_linear(prepare, 200)


# `at: near`


def test_near_with_many_occurrences_in_one_paragraph(tmp_path: Path) -> None:
    # No occurrence is near the words, so every one of them is looked at.
    def prepare(count: int) -> Work:
        return page_work(
            tmp_path / str(count),
            {
                "seeds/a.md": "# Mars\n\n" + "Mars rover " * count + "\n",
                "seeds/a.notes.md": "## Mars\nat: near zebra crossing\n\nThe planet.\n",
            },
        )

    assert_linear(prepare, 1_000)


def test_annotations_of_a_note_at_every_occurrence(tmp_path: Path) -> None:
    # One note at each of thousands of places: a target each, its quote cut from the
    # page's text (annotations.py), which must be read once, not once a target.
    def prepare(count: int) -> Work:
        source = write_site(
            tmp_path / str(count),
            {
                "seeds/a.md": "# Mars\n\n" + "Mars rover " * count + "\n",
                "seeds/a.notes.md": "## Mars\nat: every\n\nThe planet.\n",
            },
        )
        config, diagnostics = SiteConfig(), Diagnostics()
        theme = Theme(config)
        found = discover(source, diagnostics)
        article = read_article(found.sources[0], config, diagnostics)
        assert article is not None
        glossary = read_glossary(found.glossary, diagnostics)
        page = render_article(article, glossary, theme.note, diagnostics)
        return partial(article_files, page, theme.article(page))

    assert_linear(prepare, 1_000)


# scraped text

PROSE = "The rover drove across the plain and stopped near a crater rim to sample the dust. "


def test_a_text_ending_in_a_long_run_of_dots(tmp_path: Path) -> None:
    # Dots then a closing quote: no cut-off, so a pattern anchored at the end backtracks.
    def prepare(count: int) -> Work:
        text = f"A title\n\n{PROSE * 3}\n\nThe last words{'.' * count}\u201d\n"
        return page_work(tmp_path / str(count), {"seeds/a.txt": text})

    assert_linear(prepare, 60_000)


def test_a_long_run_of_blanks_inside_a_line(tmp_path: Path) -> None:
    blanks = "start{}end"

    def prepare(count: int) -> Work:
        line = blanks.format(" " * count)
        return page_work(
            tmp_path / str(count),
            {
                "seeds/a.txt": f"A title\n\n{PROSE * 3}\n\n{line}.\n\n{line}\n",
                "seeds/b.md": f"# {line}\n\n{PROSE}\n\n{line}\n",
                "seeds/b.notes.md": (
                    f"---\ntitle: {line}\n---\n## rover\nat: near {line}\nnote: {line}x\n\n{line}\n"
                ),
                # A YAML mistake on such a line, and the hint that quotes its value.
                "seeds/c.md": f"---\ntitle: Orbits: {line}x\n---\n{line}\n",
            },
            broken={"c.md"},
        )

    assert_linear(prepare, 25_000)


def test_scraped_text_cleanup(tmp_path: Path) -> None:
    # Before the body: lines without a letter, short lines, chrome, and a date line
    # that a pattern with two readings of each "Jan." would take exponential time on.
    def prepare(count: int) -> Work:
        preamble = ["----", "Home | World", "7 0", "Short line"] * (count // 4)
        preamble.append("Monday " + "Jan.." * count + "x")
        text = "\n".join(preamble) + f"\n\n{PROSE * 3}\n\n\u00a9 Harbour Gazette\n"
        return page_work(tmp_path / str(count), {"seeds/a.txt": text})

    assert_linear(prepare, 1_000)


# term matching

NOTES = (
    "## rover\nat: every\n\nA vehicle.\n\n## crater rim\n\nThe edge.\n\n"
    "## Mars\nat: near dust\n\nThe planet.\n"
)
GLOSSARY = "## plain\n\nFlat land.\n\n## sample\nat: every\n\nA bit.\n"


@pytest.mark.parametrize(("word", "last"), [("w ", "end"), ("月", "壤")], ids=["words", "chinese"])
def test_a_long_term_whose_start_repeats_through_the_article(
    tmp_path: Path, word: str, last: str
) -> None:
    # At every word the term's start matches, as far as its length allows: a walk down
    # the trie from each word costs the text's length times the term's. (In Chinese,
    # each character is a word.)
    def prepare(words: int) -> Work:
        return page_work(
            tmp_path / str(words),
            {
                "seeds/a.md": "# Words\n\n" + word * (40 * words) + "\n",
                "seeds/a.notes.md": "## " + word * words + last + "\n\nAlmost everywhere.\n",
            },
        )

    assert_linear(prepare, 250)


def test_a_long_one_line_paragraph(tmp_path: Path) -> None:
    def prepare(size: int) -> Work:
        line = (PROSE * (size // len(PROSE) + 1))[:size]
        return page_work(
            tmp_path / str(size),
            {
                "seeds/a.md": f"# One line\n\n{line}\n",
                "seeds/a.notes.md": NOTES,
                "seeds/_glossary.md": GLOSSARY,
            },
        )

    assert_linear(prepare, 40_000)


# Chinese: no spaces, so every character is a word of its own.
CHINESE = "月球表面覆盖着一层月壤，嫦娥六号从月球背面带回了样品。科学家研究月壤的成分！"
CHINESE_NOTES = (
    "## 月壤\nat: every\n\n松散碎屑层。\n\n## 嫦娥六号\nat: near 样品\n\n探测器。\n\n"
    "## 月球背面\n\n背对地球的一面。\n"
)


def test_a_long_paragraph_of_chinese(tmp_path: Path) -> None:
    def prepare(size: int) -> Work:
        line = (CHINESE * (size // len(CHINESE) + 1))[:size]
        return page_work(
            tmp_path / str(size),
            {"seeds/a.md": f"---\nlang: zh\n---\n\n{line}\n", "seeds/a.notes.md": CHINESE_NOTES},
        )

    assert_linear(prepare, 10_000)


def test_a_run_of_footnote_reference_openings(tmp_path: Path) -> None:
    # The footnote plugin read on from every `[^` to the paragraph's end: 40 KB, a minute.
    def prepare(size: int) -> Work:
        return page_work(tmp_path / str(size), {"seeds/a.md": "[^" * (size // 2) + "\n"})

    assert_linear(prepare, 2_000)


def test_memory_for_a_long_one_line_paragraph_is_proportionate(tmp_path: Path) -> None:
    # Tokens of a text were tuples of offsets and folded form, about 200 bytes for each
    # byte of a paragraph of short words, and 75 to look for words near a term in a
    # paragraph of prose. Now: arrays of offsets, and the markup of each term placed.
    size = 200_000
    work = page_work(
        tmp_path,
        {
            "seeds/a.md": "# Short words\n\n" + "a " * (size // 2) + "\n",
            "seeds/a.notes.md": NOTES,
            "seeds/b.md": "# Prose\n\n" + (PROSE * (size // len(PROSE) + 1))[:size] + "\n",
            "seeds/b.notes.md": "## rover\nat: near zebra crossing\n\nA vehicle.\n",
        },
    )
    work()  # parsers and templates made once, outside the measure
    tracemalloc.start()
    try:
        work()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    print(f"{peak / size:.1f} bytes a byte")  # with -s
    assert peak < 40 * size, f"{peak / size:.0f} bytes for each byte of an article"


# bare URLs


def test_paragraphs_of_would_be_urls(tmp_path: Path) -> None:
    # Each `www.` or scheme is a place where a URL might start; each used to be read
    # to the end of the paragraph (and `://` searched the text before it as well).
    def prepare(count: int) -> Work:
        paragraphs = ["x://" * count, "www." * count, "http://a.org/(" * count]
        return page_work(tmp_path / str(count), {"seeds/a.md": "\n\n".join(paragraphs)})

    assert_linear(prepare, 200)


# deep nesting


def build_work(folder: Path, files: Mapping[str, str]) -> Work:
    """A whole build of a site (written to its `_site`), whatever it reports."""
    project = Project.at(write_site(folder, files))
    return partial(build_site, project)


def test_deeply_nested_lists_and_quotes(tmp_path: Path) -> None:
    # Lists and quotes opened on one line, and lists nested by indentation (as deep as
    # the size allows: a level costs its indentation); markdown-it-py stops at its
    # nesting limit, whatever becomes of the text beyond it.
    def prepare(size: int) -> Work:
        levels = int(size**0.5)
        return build_work(
            tmp_path / str(size),
            {
                "seeds/dashes.md": "- " * (size // 2) + "deep\n",
                "seeds/numbers.md": "1. " * (size // 3) + "deep\n",
                "seeds/quotes.md": "> - " * (size // 4) + "deep\n",
                "seeds/indented.md": "".join("  " * i + "- deep\n" for i in range(levels)),
            },
        )

    assert_linear(prepare, 50_000)


# a large article

SECTION = (
    "## Section {i}\n\n"
    "The *rover* drove across the **plain** and stopped near a crater rim to sample the "
    "dust ([details](https://example.org/r/{i})), as `code {i}` shows.[^n{i}] See "
    "www.example.org or write to editor@example.org about Mars.\n\n"
    "- one item with a rover\n- two items\n  - nested item near the crater rim\n\n"
    "> A quote about the plain, and a sample.\n\n"
    "[^n{i}]: A footnote on the sample {i}.\n\n"
)


def test_a_large_article(tmp_path: Path) -> None:
    # Everything an article holds, in sections, as markdown and as scraped text.
    def prepare(size: int) -> Work:
        sections = size // len(SECTION)
        markdown = "".join(SECTION.format(i=i) for i in range(sections))
        paragraphs = "\n\n".join([PROSE * 3] * (size // len(PROSE) // 6))
        text = f"A title\n\n{paragraphs}\n\n\u00a9 Gazette\n"
        return build_work(
            tmp_path / str(size),
            {
                "seeds/a.md": f"---\ntitle: Large\n---\n{markdown}",
                "seeds/a.notes.md": NOTES,
                "seeds/b.txt": text,
                "seeds/b.notes.md": NOTES,
                "seeds/_glossary.md": GLOSSARY,
            },
        )

    assert_linear(prepare, 24_000)


# `suggest`: candidates read from untrusted text


SUGGEST_CASES = {
    "quotes left open": '“ a “ b " c ',
    "capitalised words without end": "Alpha Beta Gamma Of The ",
    "acronyms after words": "ab cd ef gh (ABCDEFGH) ",
    "hyphen chains": "X-1-2-3-4-5-6-",
    "possessives and connectors": "The of of and Xi's the ",
    "many distinct names": "",  # filled in below: every name differs
    "Chinese, no spaces": CHINESE,
}


def test_suggest_on_hostile_text() -> None:
    for case, unit in SUGGEST_CASES.items():

        def prepare(count: int, unit: str = unit, case: str = case) -> Work:
            if case == "many distinct names":
                text = " ".join(f"Name{i} Place{i} and" for i in range(count // 3))
            else:
                text = unit * (count // len(unit))
            return lambda: suggest([Passage(text, 1)], ())

        assert_linear(prepare, 5_000)
