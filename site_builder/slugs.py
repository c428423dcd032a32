"""Slugs: the URL and id form of titles, file names and terms."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostics

NOT_SLUG = re.compile(r"[\W_]+")
IDS_KEY = "ids"
# Bytes of UTF-8, well under the 255 a file name may have (a slug names a folder),
# with room for a `-2`: 100 letters of a Latin script, 33 Chinese characters.
MAX_SLUG_BYTES = 100
# Symbols that tell names apart (`C`, `C++`, `C#`), spelled out in a name's own slug.
SYMBOLS = str.maketrans({"+": " plus ", "#": " sharp ", "&": " and "})


def slugify(text: str) -> str:
    """Lower-case words joined by single hyphens; letters of any script are kept.

    Nothing but word characters and hyphens survives, so a slug can never hold
    a path separator or `..`, and never holds two hyphens in a row. A longer slug
    than MAX_SLUG_BYTES is cut at the end of its last word that fits, or within a
    word when that would leave less than half.
    """
    return _cut(uncut_slug(text))


def uncut_slug(text: str) -> str:
    """The slug of `text` before it is cut to MAX_SLUG_BYTES."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return NOT_SLUG.sub("-", folded).strip("-")


def _cut(slug: str) -> str:
    if len(slug) * 4 <= MAX_SLUG_BYTES or len(slug.encode("utf-8")) <= MAX_SLUG_BYTES:
        return slug
    fits = slug.encode("utf-8")[:MAX_SLUG_BYTES].decode("utf-8", errors="ignore")
    if slug[len(fits)] == "-":  # the cut falls between two words
        return fits
    words = fits.rsplit("-", 1)[0]
    return words if len(words.encode("utf-8")) * 2 >= MAX_SLUG_BYTES else fits


class Ids:
    """Ids given out so far (in one page, or one list), each given once.

    `unique` remembers for each base the number to try next, so a thousand terms
    that slug alike cost a thousand steps, not half a million: every number it
    passes over was taken, and stays taken.
    """

    def __init__(self, ids: Iterable[str] = ()) -> None:
        self._taken = set(ids)
        self._next: dict[str, int] = {}

    def __contains__(self, id_: object) -> bool:
        return id_ in self._taken

    def __iter__(self) -> Iterator[str]:
        return iter(self._taken)

    def __len__(self) -> int:
        return len(self._taken)

    def update(self, ids: Iterable[str]) -> None:
        """Take ids given out elsewhere."""
        self._taken.update(ids)

    def unique(self, base: str) -> str:
        """`base`, or `base-2`, `base-3`... whichever is not taken yet; records the choice."""
        number = self._next.get(base, 1)
        candidate = base if number == 1 else f"{base}-{number}"
        while candidate in self._taken:
            number += 1
            candidate = f"{base}-{number}"
        self._taken.add(candidate)
        self._next[base] = number + 1
        return candidate


def named_slugs(names: Sequence[str], default: str, taken: Collection[str] = ()) -> list[str]:
    """A slug for each of `names` (distinct, in order) that stays while its name does,
    whatever names come or go: the name's own slug, its symbols spelled out (`C++` is
    `c-plus-plus`). Of names that still slug alike (`U-S`, `U.S.`), the one spelled as
    the slug (`u-s`) keeps it, else the first; each other gets a mark of its own, from a
    digest of its name (`u-s-c4ae09`), never a number that depends on the rest. A slug
    in `taken` (given out elsewhere, as a page's footnotes' ids are) is no name's: each
    name of it gets its mark.
    """
    bases = [slugify(name.translate(SYMBOLS)) or default for name in names]
    first: dict[str, int] = {}  # each slug's first name
    alike: dict[str, list[int]] = {}  # the slugs of more than one name, or taken: the names
    for index, base in enumerate(bases):
        if base in first:
            alike.setdefault(base, [first[base]]).append(index)
        else:
            first[base] = index
            if base in taken:
                alike[base] = [index]
    ids = Ids([*first, *taken])
    slugs = list(bases)
    for base, indexes in alike.items():
        keeper = None
        if base not in taken:
            keeper = min(indexes, key=lambda index: (_spelled_apart(names[index], base), index))
        for index in indexes:
            if index != keeper:
                slugs[index] = ids.unique(f"{base}-{_mark(names[index])}")
    return slugs


def _spelled_apart(name: str, slug: str) -> int:
    """0: the name is spelled as its slug (`tianwen-3`); 1: but for spaces; 2: otherwise."""
    folded = _folded(name)
    if folded == slug:
        return 0
    return 1 if "-".join(folded.split()) == slug else 2


def _mark(name: str) -> str:
    return hashlib.blake2b(_folded(name).encode("utf-8"), digest_size=3).hexdigest()


def _folded(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()


def assign_pages(
    slugs: Mapping[Path, str],
    reserved: Collection[str],
    diagnostics: Diagnostics,
    set_at: Mapping[Path, tuple[Path, int]] | None = None,
) -> list[Path]:
    """The sources that get a page: those whose slug is neither reserved nor shared.

    Each source left out gets an error naming why (and the others with its slug), at the
    `slug:` line that set its slug (`set_at`), or else at the file as a whole.
    """
    set_at = set_at or {}
    by_slug: dict[str, list[Path]] = {}
    for path, slug in slugs.items():
        by_slug.setdefault(slug, []).append(path)
    pages = []
    for slug, paths in by_slug.items():
        if slug in reserved:
            for path in paths:
                diagnostics.error(
                    *set_at.get(path, (path, 0)),
                    f"slug '{slug}' is reserved for the site's own pages; set another "
                    "in the front matter",
                )
        elif len(paths) > 1:
            for path in paths:
                others = ", ".join(str(other) for other in paths if other != path)
                diagnostics.error(
                    *set_at.get(path, (path, 0)),
                    f"slug '{slug}' is also the slug of {others}; give one of them another slug",
                )
        else:
            pages.extend(paths)
    return pages


def taken_ids(env: MutableMapping[str, Any]) -> Ids:
    """The ids a markdown-it-py document's rules gave out so far, kept in its env."""
    ids: Ids = env.setdefault(IDS_KEY, Ids())
    return ids
