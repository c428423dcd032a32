"""Tags: read from front matter, and gathered into one page per tag.

`tags: [space, physics]` (a YAML list) and `tags: space, physics` (text, split at
commas) mean the same. A tag is known by its slug, so `Space` and `space` are one
tag; its page is `tags/SLUG/index.html`, and it is named as first written in the
reading list's order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .slugs import slugify

if TYPE_CHECKING:
    from .render import RenderedArticle

FOLDER = "tags"  # tags/index.html lists every tag, tags/SLUG/index.html one tag's articles


@dataclass(frozen=True)
class Tag:
    name: str  # as written
    slug: str  # its page's folder under tags/


def read_tags(value: str, items: tuple[str, ...] | None) -> tuple[tuple[Tag, ...], list[str]]:
    """The tags of a front-matter value (text or a list), once each, and the names that
    make no tag (no letters or digits)."""
    names = items if items is not None else tuple(name.strip() for name in value.split(","))
    tags: dict[str, Tag] = {}
    unusable = []
    for name in names:
        slug = slugify(name)
        if not slug:
            if name:
                unusable.append(name)
        elif slug not in tags:
            tags[slug] = Tag(" ".join(name.split()), slug)
    return tuple(tags.values()), unusable


@dataclass(frozen=True)
class TagEntry:
    """One tag with the pages it is on, in reading-list order."""

    tag: Tag
    pages: tuple[RenderedArticle, ...]

    @property
    def path(self) -> str:
        return f"{FOLDER}/{self.tag.slug}/index.html"


def collect_tags(pages: Sequence[RenderedArticle]) -> list[TagEntry]:
    """Every tag of these pages (given in reading-list order), sorted by name."""
    found: dict[str, tuple[Tag, list[RenderedArticle]]] = {}
    for page in pages:
        for tag in page.article.meta.tags:
            found.setdefault(tag.slug, (tag, []))[1].append(page)
    entries = [TagEntry(tag, tuple(tagged)) for tag, tagged in found.values()]
    return sorted(entries, key=lambda entry: (entry.tag.name.casefold(), entry.tag.slug))
