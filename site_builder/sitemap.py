"""sitemap.xml, written when the site's address is known."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from .render import RenderedArticle


def sitemap(base_url: str, pages: Sequence[RenderedArticle]) -> str:
    """A sitemap of the reading list, the terms page and every article."""
    urls = [base_url, f"{base_url}terms/"]
    urls += [f"{base_url}{page.article.meta.slug}/" for page in pages]
    entries = "".join(f"<url><loc>{escape(url)}</loc></url>\n" for url in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>\n"
    )
