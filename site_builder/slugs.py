"""Slugs: the URL and id form of titles, file names and terms."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import MutableMapping
from typing import Any

NOT_SLUG = re.compile(r"[\W_]+")
IDS_KEY = "ids"


def slugify(text: str) -> str:
    """Lower-case words joined by single hyphens; letters of any script are kept.

    Nothing but word characters and hyphens survives, so a slug can never hold
    a path separator or `..`, and never holds two hyphens in a row.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return NOT_SLUG.sub("-", folded).strip("-")


def unique(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is not taken yet; records the choice."""
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    taken.add(candidate)
    return candidate


def taken_ids(env: MutableMapping[str, Any]) -> set[str]:
    """The ids a markdown-it-py document's rules gave out so far, kept in its env."""
    ids: set[str] = env.setdefault(IDS_KEY, set())
    return ids
