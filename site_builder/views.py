"""The site-wide pages, as one table: each a path, what it shows, and how to make it.

The reading list, the terms page and each term's page, the tag pages, the
sitemap, feed and robots.txt, the 404 page, and the collection of the notes as
Web Annotations (annotations.py) show what every article page shows of itself.
A view's `shows` is that, as a value: a rebuild makes a view again only when
its value changed since it was last written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from .annotations import FILE as ANNOTATIONS
from .annotations import collection
from .config import SiteConfig
from .glossary import Glossary
from .links import SourceLinks
from .listing import newest_first, reading_order
from .render import RenderedArticle
from .sitemap import feed, robots, sitemap
from .tags import FOLDER as TAGS
from .tags import collect_tags
from .terms import FOLDER as TERMS
from .terms import LOOK_EVERY, TermsIndex, collect_terms
from .theme import Theme


@dataclass(frozen=True)
class View:
    path: str  # in the output folder
    shows: object  # what the page shows; equal values make equal pages
    make: Callable[[], str]


class Waiting(Exception):
    """Changes wait to be built: the site-wide pages are left for the rebuild after them."""


def _go_on() -> None:
    pass


def site_views(
    pages: Sequence[RenderedArticle],
    glossary: Glossary,
    theme: Theme,
    config: SiteConfig,
    own_robots: bool,
    links: SourceLinks | None = None,
    look: Callable[[], None] = _go_on,
) -> list[View]:
    """Every site-wide page of a site whose article pages are `pages`.

    `own_robots`: public/ brings its own robots.txt, so the site writes none.
    `links`: what links in notes lead to (links.py).
    `look`: called now and then, to raise Waiting when changes wait (the terms of a
    large site take seconds to gather).
    """
    pages = sorted(pages, key=reading_order)
    listed = [_listed(p) for p in pages]
    terms = collect_terms(pages, glossary, links, look)
    tags = collect_tags(pages)
    views = [
        View("index.html", listed, lambda: theme.index(pages, tags)),
        View("404.html", None, theme.not_found),
        _annotations(pages, config),
    ]
    for name, part in terms.parts():
        look()
        views.append(
            View(f"{TERMS}/{name}", _index_shows(terms, part), partial(theme.terms, terms, part))
        )
    for number, term in enumerate(terms.entries):
        if number % LOOK_EVERY == 0:
            look()
        views.append(View(term.path, term, partial(theme.term, term)))
    if tags:
        counts = [(entry.tag, len(entry.pages)) for entry in tags]
        views.append(View(f"{TAGS}/index.html", counts, lambda: theme.tags(tags)))
    for entry in tags:
        shown = (entry.tag, [_listed(p) for p in entry.pages])
        views.append(View(entry.path, shown, partial(theme.tag, entry)))
    base = config.base_url
    if base:  # the files that need the site's address
        slugs = [term.slug for term in terms.entries]
        parts = [name for name, part in terms.parts() if part]
        views.append(
            View(
                "sitemap.xml",
                (base, listed, slugs, parts),
                lambda: sitemap(base, pages, slugs, parts),
            )
        )
        newest = sorted(pages, key=newest_first)  # a feed is newest first, whatever the weights
        views.append(View("feed.xml", (config, listed), lambda: feed(config, newest)))
        if not own_robots:
            views.append(View("robots.txt", base, lambda: robots(base)))
    return views


def _annotations(pages: Sequence[RenderedArticle], config: SiteConfig) -> View:
    """The site's collection of Web Annotations: each article's number of them, in order."""
    counts = [(page.article.meta.slug, page.note_count) for page in pages]
    shows = (config.base_url, config.title, counts)
    return View(ANNOTATIONS, shows, partial(collection, counts, config.base_url, config.title))


def _listed(page: RenderedArticle) -> object:
    """What the reading list and tag pages show of a page."""
    return (page.article.meta, page.opening, page.note_count, page.words)


def _index_shows(terms: TermsIndex, part: str | None) -> object:
    """What a page of the terms index shows: the jump bar, and of each of its terms all
    but the note's detail (split, the page of the letters shows how many each has)."""
    groups, unused = terms.showing(part)
    shown = [entry for found in groups for entry in found.items]
    shown += terms.unused if unused else ()
    counts = [(found.id, len(found.items)) for found in terms.groups] if part is None else []
    return (
        terms.keys,
        bool(terms.unused),
        counts,
        [(e.term, e.slug, e.aliases, e.definition, e.reaches, e.listed, e.unlisted) for e in shown],
    )
