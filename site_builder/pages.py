"""Making one article's page: read, render, template, write. Everything an article
page needs of the site is in a `PageMaker`, the same for every page of a build, so
that pages can be made in any order, on any process (parallel.py).

What comes back is small: the page as the site-wide pages list it (no html, no
text), its diagnostics, and where it was written. Pages are written as they are
made and never held, so a build's memory does not grow with its pages' size.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from .annotations import FILE as ANNOTATIONS
from .annotations import article_annotations
from .cache import PageCache, digest
from .config import SiteConfig
from .diagnostics import Diagnostic, Diagnostics
from .glossary import Glossary
from .links import SourceLinks
from .nesting import lost_text
from .output import put
from .reading import Reader
from .render import RenderedArticle, render_article
from .sources import Source, read_article
from .theme import TemplateFailure, Theme


@dataclass(frozen=True)
class Made:
    """An article page made, or not."""

    page: RenderedArticle | None  # listed: without html or text; None: no page
    diagnostics: list[Diagnostic]
    written: tuple[str, ...] = ()  # the article's files in the output (its page first)
    kept: Mapping[str, str] = field(default_factory=dict)  # each file's name in the cache
    listed: str = ""  # a digest of `page`, made here: worked out on all processes


def article_paths(slug: str) -> tuple[str, ...]:
    """Where an article's files go in the output: its page, and what goes beside it
    (known before the page is made, so that the output can claim them first)."""
    return (f"{slug}/index.html", f"{slug}/{ANNOTATIONS}")


def article_files(
    page: RenderedArticle, html: str, links: SourceLinks | None = None
) -> dict[str, bytes]:
    """The files of one article in the output, by path (article_paths): its page, and its
    notes as W3C Web Annotations (annotations.py); `links` as the page was rendered with."""
    page_file, annotations_file = article_paths(page.article.meta.slug)
    return {
        page_file: html.encode("utf-8"),
        annotations_file: article_annotations(page, html, links),
    }


@dataclass
class PageMaker:
    """Makes article pages, writing each into `out` (None: a dry run writes nothing)."""

    theme: Theme
    glossary: Glossary
    links: SourceLinks
    out: Path | None
    cache: PageCache

    def __getstate__(self) -> dict[str, object]:
        """For a worker process: the theme is made again there (jinja2 does not pickle)."""
        state = dict(self.__dict__)
        theme = self.theme
        state["theme"] = (theme.config, theme.templates, theme.reader)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        config, templates, reader = cast(tuple[SiteConfig, Path | None, Reader], state["theme"])
        self.__dict__.update(state, theme=Theme(config, templates, reader))

    def make(self, source: Source) -> Made:
        """One article's page, written; on any problem, no page (its last good output stays)."""
        diagnostics = Diagnostics()
        with diagnostics.guard(source.path):
            try:
                return self._make(source, diagnostics)
            except TemplateFailure as failure:  # note.html or article.html
                diagnostics.items.append(failure.diagnostic)
        return Made(None, diagnostics.items)

    def _make(self, source: Source, diagnostics: Diagnostics) -> Made:
        theme = self.theme
        article = read_article(source, theme.config, diagnostics, theme.reader)
        if article is None or article.broken:
            return Made(None, diagnostics.items)
        rendering = Diagnostics()  # errors in reading left a note out; lost text leaves the page
        page = render_article(article, self.glossary, theme.note, rendering, self.links)
        diagnostics.extend(rendering)
        if lost_text(rendering.errors):  # a link to a file it cannot read is left as written
            return Made(None, diagnostics.items)
        files = article_files(page, self.theme.article(page), self.links)
        for relative, data in files.items():
            if self.out is not None:
                put(self.out, relative, data)
        kept = {relative: self.cache.store(data) for relative, data in files.items()}
        listed = page.listed()
        # The digest serves the cache alone (Site._site_pages_kept): none without one.
        known = digest(listed) if self.cache.folder is not None else ""
        return Made(listed, diagnostics.items, tuple(files), kept, known)
