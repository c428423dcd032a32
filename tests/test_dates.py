"""Dates in front matter: ISO 8601 with or without a time and zone, as other generators write."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import Run, make_site

from site_builder.dates import day, instant, iso, parse_date, rfc3339

PLUS_2 = timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("2020-01-01", date(2020, 1, 1)),
        ("20200101", date(2020, 1, 1)),
        ("2020-W01-3", date(2020, 1, 1)),
        ("2020-01-01 21:00", datetime(2020, 1, 1, 21)),  # Pelican, Jekyll without a zone
        ("2020-01-01T21:00:00", datetime(2020, 1, 1, 21)),
        ("2020-01-01T21:00:00Z", datetime(2020, 1, 1, 21, tzinfo=UTC)),
        ("2020-01-01T21:00:00+02:00", datetime(2020, 1, 1, 21, tzinfo=PLUS_2)),  # Hugo
        ("2020-01-01 21:00:00 +0200", datetime(2020, 1, 1, 21, tzinfo=PLUS_2)),  # Jekyll
        ("2020-01-01 21:00 Z", datetime(2020, 1, 1, 21, tzinfo=UTC)),
        ("20200101T2100+02", datetime(2020, 1, 1, 21, tzinfo=PLUS_2)),
        ("  2020-01-01  ", date(2020, 1, 1)),
    ],
)
def test_iso_8601_dates_and_times(text: str, when: date) -> None:
    assert parse_date(text) == when


@pytest.mark.parametrize(
    "text", ["", "May 2024", "2024-3-5", "2024-13-01", "2020-01-01 25:00", "01/02/2020", "2020"]
)
def test_other_text_is_not_a_date(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "iso_form", "shown", "atom"),
    [
        ("2020-01-01", "2020-01-01", "2020-01-01", "2020-01-01T00:00:00Z"),
        ("2020-01-01 21:00", "2020-01-01T21:00:00", "2020-01-01", "2020-01-01T21:00:00Z"),
        (
            "2020-01-01 23:30:00 -0500",
            "2020-01-01T23:30:00-05:00",
            "2020-01-01",  # the day where it was written, not in UTC
            "2020-01-01T23:30:00-05:00",
        ),
        (
            "2020-01-01T21:00:00.123456Z",
            "2020-01-01T21:00:00.123+00:00",  # <time> takes at most milliseconds
            "2020-01-01",
            "2020-01-01T21:00:00Z",
        ),
    ],
)
def test_forms_of_a_date(text: str, iso_form: str, shown: str, atom: str) -> None:
    when = parse_date(text)
    assert when is not None
    assert (iso(when), day(when), rfc3339(when)) == (iso_form, shown, atom)


def test_instants_compare_across_zones_and_plain_dates() -> None:
    late_in_new_york = parse_date("2020-01-01T23:00:00-05:00")  # 04:00 UTC on the 2nd
    early_in_london = parse_date("2020-01-02T01:00:00Z")
    next_day = parse_date("2020-01-02")
    assert late_in_new_york and early_in_london and next_day
    assert instant(next_day) < instant(early_in_london) < instant(late_in_new_york)


ARTICLES = {
    "seeds/plain.md": "---\ntitle: Plain date\ndate: 2020-01-01\n---\nText.\n",
    "seeds/evening.md": "---\ntitle: Evening\ndate: 2020-01-01 21:00\n---\nText.\n",
    "seeds/jekyll.md": "---\ntitle: Jekyll\ndate: 2020-01-01 22:00:00 +0000\n---\nText.\n",
    "seeds/hugo.md": "---\ntitle: Hugo\ndate: 2020-01-02T08:00:00+02:00\n---\nText.\n",
    "seeds/morning.md": "---\ntitle: Morning\ndate: 2020-01-01T09:00:00Z\n---\nText.\n",
    "seeds/undated.md": "---\ntitle: Undated\ndate: some day\n---\nText.\n",
}


def test_dates_with_times_sort_the_reading_list_and_show_the_date(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, ARTICLES)
    result = cli("build", "--site-url", "https://example.org/")
    assert result.diagnostics == [
        "seeds/undated.md:3: warning: date: 'some day' is not an ISO 8601 date such as "
        "2024-05-01 or 2024-05-01 21:00; shown as written, sorted last"
    ]
    index = (tmp_path / "_site" / "index.html").read_text(encoding="utf-8")
    titles = re.findall(r'<h2><a href="[^"]+">([^<]+)</a>', index)
    # 2020-01-02T06:00Z, 01-01T22:00Z, 21:00 (no zone: UTC), 09:00Z, the plain date, then undated
    assert titles == ["Hugo", "Jekyll", "Evening", "Morning", "Plain date", "Undated"]
    # The calendar date as written (in its own zone), written for people (listing.py).
    assert '<time datetime="2020-01-02T08:00:00+02:00">2 January 2020</time>' in index
    assert '<time datetime="2020-01-01T21:00:00">1 January 2020</time>' in index
    assert '<time datetime="2020-01-01">1 January 2020</time>' in index
    assert '<span class="date">some day</span>' in index
    page = (tmp_path / "_site" / "jekyll" / "index.html").read_text(encoding="utf-8")
    assert '<time datetime="2020-01-01T22:00:00+00:00">1 January 2020</time>' in page
    feed = (tmp_path / "_site" / "feed.xml").read_text(encoding="utf-8")
    # The feed, Hugo, and the undated article, which takes the feed's date
    assert feed.count("<updated>2020-01-02T08:00:00+02:00</updated>") == 3
    assert "<updated>2020-01-01T21:00:00Z</updated>" in feed
    sitemap = (tmp_path / "_site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/hugo/</loc><lastmod>2020-01-02</lastmod>" in sitemap
