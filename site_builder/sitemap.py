"""The files that need the site's address: sitemap.xml, feed.xml (Atom) and robots.txt.

Every URL in them has one form, the one the canonical links use: the site's
address, then `SLUG/` for an article page, `terms/` for the terms page, `terms/SLUG/`
for a term's page, `tags/` and `tags/SLUG/` for the tag pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from .config import SiteConfig
from .dates import instant, rfc3339
from .render import RenderedArticle
from .tags import FOLDER as TAGS
from .tags import collect_tags

EPOCH = "1970-01-01T00:00:00Z"  # an undated feed's date: a fixed one, so builds are reproducible


def page_url(base_url: str, slug: str) -> str:
    """The canonical address of an article page."""
    return f"{base_url}{slug}/"


def sitemap(
    base_url: str,
    pages: Sequence[RenderedArticle],
    terms: Sequence[str] = (),
    letters: Sequence[str] = (),
) -> str:
    """A sitemap of the reading list, the terms page (and its pages a letter, `letters`,
    when it is split), every article, every term's page (`terms` holds their slugs)
    and every tag page."""
    urls = [(base_url, ""), (f"{base_url}terms/", "")]
    urls += [(f"{base_url}terms/{name}", "") for name in letters]
    urls += [(page_url(base_url, p.article.meta.slug), p.article.meta.day) for p in pages]
    urls += [(f"{base_url}terms/{slug}/", "") for slug in terms]
    tags = collect_tags(pages)
    if tags:
        urls.append((f"{base_url}{TAGS}/", ""))
        urls += [(f"{base_url}{TAGS}/{entry.tag.slug}/", "") for entry in tags]
    entries = "".join(
        f"<url><loc>{escape(url)}</loc>" + (f"<lastmod>{day}</lastmod>" if day else "") + "</url>\n"
        for url, day in urls
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>\n"
    )


def feed(config: SiteConfig, pages: Sequence[RenderedArticle]) -> str:
    """An Atom feed of the articles, newest first (as the reading list orders them)."""
    base = config.base_url
    dated = [p.article.meta.when for p in pages if p.article.meta.when]
    updated = rfc3339(max(dated, key=instant)) if dated else EPOCH
    entries = []
    for page in pages:
        meta = page.article.meta
        url = page_url(base, meta.slug)
        summary = meta.summary or page.opening
        entries.append(
            "<entry>\n"
            f"<title>{escape(meta.title)}</title>\n"
            f'<link rel="alternate" type="text/html" href={quoteattr(url)}/>\n'
            f"<id>{escape(url)}</id>\n"
            f"<updated>{rfc3339(meta.when) if meta.when else updated}</updated>\n"
            + (f"<author><name>{escape(meta.author)}</name></author>\n" if meta.author else "")
            + "".join(f"<category term={quoteattr(tag.name)}/>\n" for tag in meta.tags)
            + (f"<summary>{escape(summary)}</summary>\n" if summary else "")
            + "</entry>\n"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"<title>{escape(config.title)}</title>\n"
        + (f"<subtitle>{escape(config.description)}</subtitle>\n" if config.description else "")
        + f'<link rel="alternate" type="text/html" href={quoteattr(base)}/>\n'
        f'<link rel="self" type="application/atom+xml" href={quoteattr(base + "feed.xml")}/>\n'
        f"<id>{escape(base)}</id>\n"
        f"<updated>{updated}</updated>\n"
        f"<author><name>{escape(config.author or config.title)}</name></author>\n"
        + "".join(entries)
        + "</feed>\n"
    )


def robots(base_url: str) -> str:
    """robots.txt: everything may be read, and here is the sitemap."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n"
