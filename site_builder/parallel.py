"""Rendering articles on several processes (`build --jobs N`).

Each worker process receives the glossary and theme once, when it starts, then
renders whole articles; results come back in the order the articles went in.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .config import SiteConfig
from .diagnostics import Diagnostic, Diagnostics
from .glossary import Glossary
from .links import SourceLinks
from .reading import Reader
from .render import RenderedArticle, render_article
from .sources import Article
from .theme import TemplateFailure, Theme

_worker: tuple[Glossary, Theme, SourceLinks | None] | None = None
CHUNK = 16  # articles per task: enough to outweigh the cost of sending them


def render_all(
    articles: Sequence[Article],
    glossary: Glossary,
    theme: Theme,
    jobs: int,
    links: SourceLinks | None = None,
) -> Iterator[tuple[RenderedArticle | None, list[Diagnostic]]]:
    """Each article rendered, with the diagnostics its rendering raised, in order."""
    if jobs <= 1 or len(articles) <= CHUNK:
        for article in articles:
            yield _render_one(article, glossary, theme, links)
        return
    with ProcessPoolExecutor(
        jobs,
        initializer=_start,
        initargs=(glossary, theme.config, theme.templates, theme.reader, links),
    ) as pool:
        yield from pool.map(_render, articles, chunksize=CHUNK)


def _start(
    glossary: Glossary,
    config: SiteConfig,
    templates: Path | None,
    reader: Reader,
    links: SourceLinks | None,
) -> None:
    global _worker
    _worker = (glossary, Theme(config, templates, reader), links)


def _render(article: Article) -> tuple[RenderedArticle | None, list[Diagnostic]]:
    assert _worker is not None, "worker used before it started"
    return _render_one(article, *_worker)


def _render_one(
    article: Article, glossary: Glossary, theme: Theme, links: SourceLinks | None
) -> tuple[RenderedArticle | None, list[Diagnostic]]:
    """One article rendered; None when it cannot be (a broken note template, a bug, text
    the parser would lose), so that its page keeps its last good output."""
    diagnostics = Diagnostics()
    with diagnostics.guard(article.path):
        try:
            page = render_article(article, glossary, theme.note, diagnostics, links)
            return (None if diagnostics.errors else page), diagnostics.items
        except TemplateFailure as failure:  # note.html, rendered from inside markdown-it
            diagnostics.items.append(failure.diagnostic)
    return None, diagnostics.items
