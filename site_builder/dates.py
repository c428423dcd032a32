"""Dates in front matter: ISO 8601, as Jekyll, Hugo and Pelican write them.

`2024-05-01`, `2024-05-01 21:00`, `2024-05-01T21:00:00Z`, `2024-05-01T21:00:00+02:00`,
`2024-05-01 21:00:00 +0200` (Jekyll's space before the zone), `20240501`, `2024-W18-3`.
A date without a time is midnight; a time without a zone is taken as UTC for sorting.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import TypeAlias

When: TypeAlias = date | datetime  # a date, or a date and time
SPACED_ZONE = re.compile(r"(?<=\d)\s+(?=(?:[+-]\d{2}(?::?\d{2})?|Z)$)")


def parse_date(text: str) -> When | None:
    """The date, or date and time, an ISO 8601 text means; None when it is not one."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(SPACED_ZONE.sub("", text))
    except ValueError:
        return None


def iso(when: When) -> str:
    """The canonical ISO form, valid in `<time datetime>` (at most milliseconds)."""
    if isinstance(when, datetime):
        return when.isoformat(timespec="milliseconds" if when.microsecond else "seconds")
    return when.isoformat()


def day(when: When) -> str:
    """The calendar date as written (in the zone it was written in): YYYY-MM-DD."""
    return (when.date() if isinstance(when, datetime) else when).isoformat()


def instant(when: When) -> datetime:
    """A moment to sort by: midnight for a date, UTC for a time without a zone."""
    moment = when if isinstance(when, datetime) else datetime.combine(when, time())
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def rfc3339(when: When) -> str:
    """The form Atom feeds need: a date and time with its zone."""
    return instant(when).isoformat(timespec="seconds").replace("+00:00", "Z")
