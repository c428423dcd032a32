"""Making one article's page: read, render, template, write. Everything an article
page needs of the site is in a `PageMaker`, the same for every page of a build, so
that pages can be made in any order, on any process (parallel.py).

What comes back is small: the page as the site-wide pages list it (no html, no
text), its diagnostics, and where it was written. Pages are written as they are
made and never held, so a build's memory does not grow with its pages' size.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import cast

from .cache import PageCache
from .config import SiteConfig
from .diagnostics import Diagnostic, Diagnostics
from .glossary import Glossary
from .links import SourceLinks
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
    written: str = ""  # where in the output its page is
    html: str = ""  # the name of the page's html in the cache ('' when not kept)


def page_path(slug: str) -> str:
    """Where an article's page goes in the output."""
    return f"{slug}/index.html"


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
        if article is None:
            return Made(None, diagnostics.items)
        rendering = Diagnostics()  # errors in reading left a note out; these leave the page
        page = render_article(article, self.glossary, theme.note, rendering, self.links)
        diagnostics.extend(rendering)
        if rendering.errors:
            return Made(None, diagnostics.items)
        html = self.theme.article(page)
        written = page_path(article.meta.slug)
        if self.out is not None:
            put(self.out, written, html.encode("utf-8"))
        return Made(page.listed(), diagnostics.items, written, self.cache.store_html(html))
