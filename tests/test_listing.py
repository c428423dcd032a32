"""The reading list: dates for people, reading times, manual order by weight, years."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import make_site

from site_builder.listing import (
    YEARS_FROM,
    long_date,
    reading_list,
    reading_minutes,
    reading_order,
)
from site_builder.render import RenderedArticle
from site_builder.site import Project, build_site
from site_builder.sources import Article, Metadata


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "3 February 2025"),
        ("en-GB", "3 February 2025"),
        ("en-US", "February 3, 2025"),
        ("fr", "3 février 2025"),
        ("fr-CA", "3 février 2025"),
        ("de", "3. Februar 2025"),
        ("es", "3 de febrero de 2025"),
        ("it", "3 febbraio 2025"),
        ("pt-BR", "3 de fevereiro de 2025"),
        ("nl", "3 februari 2025"),
        ("zh-Hans", "2025年2月3日"),
        ("ja", "2025年2月3日"),
        ("fi", "2025-02-03"),  # not in the table: ISO, which every reader can read
        ("tlh", "2025-02-03"),
    ],
)
def test_a_date_is_written_for_people_in_the_language(language: str, shown: str) -> None:
    assert long_date(date(2025, 2, 3), language) == shown


@pytest.mark.parametrize(
    ("language", "shown"), [("en", "1 May 2024"), ("fr", "1er mai 2024"), ("it", "1º maggio 2024")]
)
def test_the_first_of_the_month_as_the_language_writes_it(language: str, shown: str) -> None:
    assert long_date(date(2024, 5, 1), language) == shown


def test_a_time_shows_the_day_it_was_written_in_its_own_zone() -> None:
    late = datetime(2024, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert long_date(late, "en") == "31 December 2024"  # 2025 in UTC, but not where written


@pytest.mark.parametrize(
    ("words", "minutes"), [(0, 1), (1, 1), (230, 1), (231, 2), (920, 4), (921, 5)]
)
def test_reading_time_is_words_over_230_rounded_up(words: int, minutes: int) -> None:
    assert reading_minutes(words) == minutes


def page(title: str, when: str = "", weight: int | None = None, words: int = 0) -> RenderedArticle:
    meta = Metadata(title=title, slug=title.lower(), date=when, weight=weight)
    article = Article(Path(f"seeds/{title}.md"), None, "markdown", meta, "", ())
    return RenderedArticle(article, "", (), "", words)


def titles(pages: list[RenderedArticle]) -> list[str]:
    return [p.article.meta.title for p in sorted(pages, key=reading_order)]


def test_weighted_articles_come_first_lightest_first_then_newest_first() -> None:
    pages = [
        page("Old", "2020-01-01"),
        page("Undated"),
        page("Heavy", "2019-01-01", weight=10),
        page("New", "2025-01-01"),
        page("Light", weight=-2),
        page("Middle", "2024-06-01", weight=3),
    ]
    assert titles(pages) == ["Light", "Middle", "Heavy", "New", "Old", "Undated"]


def test_without_weights_the_order_is_newest_first_undated_last_by_title() -> None:
    pages = [page("b"), page("Older", "2024-01-01"), page("A"), page("Newer", "2024-01-01 10:00")]
    assert titles(pages) == ["Newer", "Older", "A", "b"]


def listed(pages: list[RenderedArticle]) -> list[tuple[str, int, list[str]]]:
    """Each group of the list: its kind, its year and its articles' titles."""
    groups = reading_list(sorted(pages, key=reading_order), "en")
    return [(g.kind, g.year, [e.meta.title for e in g.entries]) for g in groups]


def test_a_short_list_has_no_year_headings() -> None:
    pages = [page(f"A{n}", f"{2000 + n}-01-01") for n in range(YEARS_FROM)] + [page("U")]
    [(kind, _, shown)] = listed(pages)
    assert kind == "all" and len(shown) == YEARS_FROM + 1


def test_a_long_list_is_grouped_by_year_weighted_first_undated_last() -> None:
    pages = [page(f"In 2024 {n}", f"2024-{n + 1:02}-01") for n in range(YEARS_FROM)]
    pages += [page("In 2025", "2025-03-01T10:00:00Z"), page("Undated")]
    pages += [page("Pinned", "2023-01-01", weight=1)]
    assert listed(pages) == [
        ("weighted", 0, ["Pinned"]),
        ("year", 2025, ["In 2025"]),
        ("year", 2024, [f"In 2024 {n}" for n in reversed(range(YEARS_FROM))]),
        ("undated", 0, ["Undated"]),
    ]
    ids = [g.id for g in reading_list(sorted(pages, key=reading_order), "en")]
    assert ids == ["weighted", "year-2025", "year-2024", "undated"]


def test_a_date_not_in_iso_is_listed_as_written() -> None:
    [group] = reading_list([page("A", "last spring"), page("B", "2024-05-01")], "de")
    assert [e.date for e in group.entries] == ["last spring", "1. Mai 2024"]


# Built: the reading list and a tag page.

WORDS = " ".join(["word"] * 700)  # 700 words: 4 minutes


def article(title: str, when: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\ndate: {when}\ntags: [space]\n{extra}---\n\n{WORDS}\n"


def build(tmp_path: Path, files: dict[str, str]) -> tuple[list[str], Path]:
    root = make_site(tmp_path, files)
    report = build_site(Project.at(root / "seeds"))
    return [d.format(root) for d in report.diagnostics.sorted()], root / "_site"


def test_the_reading_list_shows_author_date_reading_time_notes_and_tags(tmp_path: Path) -> None:
    files = {
        "seeds/a.md": article("Orbits", "2025-02-03", "author: A. Writer\n"),
        "seeds/a.notes.md": "## word\nA note.\n",
        "site.toml": 'language = "fr"\n',
    }
    problems, out = build(tmp_path, files)
    assert problems == []
    index = (out / "index.html").read_text()
    assert (
        '<p class="byline">\n<span class="author">A. Writer</span>'
        '<time datetime="2025-02-03">3 février 2025</time>'
        '<span class="reading-time">4 min read</span><span class="note-count">1 note</span>\n</p>'
    ) in index
    assert '<p class="tags">Tags: <a href="tags/space/index.html">space</a></p>' in index
    # The article's own page writes the date in the article's language.
    assert '<time datetime="2025-02-03">3 février 2025</time>' in (out / "a/index.html").read_text()


HEADING = re.compile(r"<h(\d)[^>]*>(?:<a[^>]*>)?([^<]*)")


def headings(html: str) -> list[str]:
    return [f"{level} {text}" for level, text in HEADING.findall(html)]


def test_a_long_list_has_year_headings_with_articles_a_level_below(tmp_path: Path) -> None:
    files = {f"seeds/a{n}.md": article(f"A{n}", f"2024-01-{n + 1:02}") for n in range(12)}
    files["seeds/new.md"] = article("New", "2025-01-01")
    files["seeds/pinned.md"] = article("Pinned", "2020-01-01", "weight: 1\n")
    files["seeds/undated.md"] = "---\ntitle: Undated\ntags: space\n---\n\nText.\n"
    problems, out = build(tmp_path, files)
    assert problems == []
    for name in ("index.html", "tags/space/index.html"):
        shown = headings((out / name).read_text())
        assert shown[1:5] == ["2 Start here", "3 Pinned", "2 2025", "3 New"], name
        assert shown[5] == "2 2024" and shown[6:18] == [f"3 A{n}" for n in reversed(range(12))]
        assert shown[18:] == ["2 Undated", "3 Undated"]
        assert [h for h in shown if h.startswith("1 ")] == [shown[0]]  # one h1: the page's


def test_a_bad_weight_is_a_warning_at_its_line_and_ignored(tmp_path: Path) -> None:
    files = {
        "seeds/a.md": article("A", "2024-01-01", "weight: first\n"),
        "seeds/b.md": article("B", "2023-01-01"),
        "seeds/b.notes.md": "---\nweight: 2\n---\n",  # the notes may set it too
    }
    problems, out = build(tmp_path, files)
    assert problems == [
        "seeds/a.md:5: warning: weight: 'first' is not a whole number such as 1 or -2; ignored"
    ]
    index = (out / "index.html").read_text()
    assert index.index(">B</a>") < index.index(">A</a>")


def test_the_feed_stays_newest_first_whatever_the_weights(tmp_path: Path) -> None:
    files = {
        "seeds/old.md": article("Old", "2020-01-01", "weight: 1\n"),
        "seeds/new.md": article("New", "2025-01-01"),
        "site.toml": 'site_url = "https://example.org/"\n',
    }
    _, out = build(tmp_path, files)
    feed = (out / "feed.xml").read_text()
    assert feed.index("<title>New</title>") < feed.index("<title>Old</title>")
    index = (out / "index.html").read_text()
    assert index.index(">Old</a>") < index.index(">New</a>")
