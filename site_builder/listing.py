"""The reading list: its order, and each article as it is listed there.

Order: articles with a `weight` first, lightest first; then the rest newest first,
by date and time; undated articles last, by title. A list of more than
`YEARS_FROM` dated articles is grouped by year, under a heading each.

Dates are written for people in the page's language ("3 February 2025"), from a
small table of month names and orders for common languages; any other language
gets the ISO date (2025-02-03), which every reader can read. Babel would know
every language, at the cost of a dependency many times the size of this package
for one line of each list entry.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from typing import Literal

from .dates import When, day, instant
from .render import RenderedArticle
from .sources import Metadata

WORDS_A_MINUTE = 230  # a common figure for adults reading prose on a screen
YEARS_FROM = 12  # dated articles; a shorter list is read at a glance, without headings


@dataclass(frozen=True)
class DateStyle:
    """How one language writes a date: its months, and where day, month and year go."""

    months: tuple[str, ...]
    pattern: str  # with {day}, {month} (a name), {number} (the month's number) and {year}
    first: str = "1"  # the first of the month, which some languages write otherwise


def _style(months: str, pattern: str, first: str = "1") -> DateStyle:
    return DateStyle(tuple(months.split()), pattern, first)


ENGLISH = "January February March April May June July August September October November December"
EAST_ASIAN = DateStyle((), "{year}年{number}月{day}日")

# Keyed by a language tag's first part (`fr-CA` is written as `fr`); `en-US` by itself.
STYLES = {
    "en": _style(ENGLISH, "{day} {month} {year}"),
    "en-us": _style(ENGLISH, "{month} {day}, {year}"),
    "fr": _style(
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
        "{day} {month} {year}",
        first="1er",
    ),
    "de": _style(
        "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
        "{day}. {month} {year}",
    ),
    "es": _style(
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
        "{day} de {month} de {year}",
    ),
    "it": _style(
        "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
        "dicembre",
        "{day} {month} {year}",
        first="1º",
    ),
    "pt": _style(
        "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
        "{day} de {month} de {year}",
    ),
    "nl": _style(
        "januari februari maart april mei juni juli augustus september oktober november december",
        "{day} {month} {year}",
    ),
    "zh": EAST_ASIAN,
    "ja": EAST_ASIAN,
}


def long_date(when: When, language: str) -> str:
    """The calendar date as people write it in `language` (a BCP 47 tag); ISO 8601
    for a language the table does not have."""
    calendar = when.date() if isinstance(when, datetime) else when
    tag = language.lower()
    style = STYLES.get(tag) or STYLES.get(tag.split("-")[0])
    if style is None:
        return day(when)
    return style.pattern.format(
        day=style.first if calendar.day == 1 else str(calendar.day),
        month=style.months[calendar.month - 1] if style.months else "",
        number=calendar.month,
        year=calendar.year,
    )


def shown_date(meta: Metadata, language: str) -> str:
    """An article's date as pages show it: written for people when it is ISO 8601, as
    written otherwise, '' when it has none."""
    return long_date(meta.when, language) if meta.when else meta.date


def reading_minutes(words: int) -> int:
    """Minutes to read `words` words, rounded up: at least one."""
    return max(1, math.ceil(words / WORDS_A_MINUTE))


@dataclass(frozen=True)
class Listed:
    """One article as the reading list shows it."""

    page: RenderedArticle
    date: str  # written for people; as written when it is not ISO 8601; '' when none
    minutes: int  # to read it

    @property
    def meta(self) -> Metadata:
        return self.page.article.meta


@dataclass(frozen=True)
class Group:
    """A run of the list under one heading, which the template words by its `kind`:
    'all' (the whole list, no heading), 'weighted' (the articles put first), 'year'
    (the articles of `year`) or 'undated'."""

    kind: Literal["all", "weighted", "year", "undated"]
    entries: tuple[Listed, ...]
    year: int = 0

    @property
    def id(self) -> str:
        """The id of the group's heading: `year-2025`, `weighted`, `undated`."""
        return f"year-{self.year}" if self.kind == "year" else self.kind


def reading_order(page: RenderedArticle) -> tuple[bool, int, bool, float, str]:
    """Weighted first (lightest first), then as `newest_first`."""
    weight = page.article.meta.weight
    return (weight is None, weight or 0, *newest_first(page))


def newest_first(page: RenderedArticle) -> tuple[bool, float, str]:
    """Newest first (by date and time); undated articles after dated ones, by title."""
    meta = page.article.meta
    newest = -instant(meta.when).timestamp() if meta.when else 0.0
    return (meta.when is None, newest, meta.title.casefold())


def reading_list(pages: Sequence[RenderedArticle], language: str) -> tuple[Group, ...]:
    """The list of `pages` (in reading order), grouped by year once it is long."""
    entries = [_listed(page, language) for page in pages]
    dated = sum(1 for entry in entries if entry.meta.when and entry.meta.weight is None)
    if dated <= YEARS_FROM:
        return (Group("all", tuple(entries)),) if entries else ()
    return tuple(
        Group(kind, tuple(run), year) for (kind, year), run in groupby(entries, key=_group)
    )


def _listed(page: RenderedArticle, language: str) -> Listed:
    return Listed(page, shown_date(page.article.meta, language), reading_minutes(page.words))


GroupKey = tuple[Literal["weighted", "year", "undated"], int]


def _group(entry: Listed) -> GroupKey:
    meta = entry.meta
    if meta.weight is not None:
        return ("weighted", 0)
    if meta.when is None:
        return ("undated", 0)
    calendar: date = meta.when.date() if isinstance(meta.when, datetime) else meta.when
    return ("year", calendar.year)
