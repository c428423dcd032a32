"""Building the site: the whole pipeline, top to bottom.

discover sources -> read metadata and notes -> render markdown with anchoring
-> render templates -> write. `build`, `check` (and later `watch` and `serve`)
all call `build_site`.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import jinja2

from .config import CONFIG_FILE, load_config
from .diagnostics import Diagnostics
from .discover import discover
from .glossary import read_glossary
from .output import Output, check_output_dir
from .pages import Theme, default_theme
from .parallel import render_all
from .render import RenderedArticle, pygments_css
from .sitemap import sitemap
from .sources import Article, read_article
from .terms import collect_terms

RESERVED_SLUGS = ("terms", "static")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Project:
    """Where a site's parts live: by default beside its source folder."""

    source: Path
    out: Path
    root: Path

    @classmethod
    def at(cls, source: Path, out: Path | None = None) -> Project:
        root = source.resolve().parent
        return cls(source, out if out is not None else root / "_site", root)

    @property
    def config(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def static(self) -> Path:
        return self.root / "static"


@dataclass
class BuildReport:
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    pages: int = 0
    notes: int = 0
    seconds: float = 0.0


def build_site(
    project: Project,
    *,
    site_url: str | None = None,
    jobs: int = 1,
    write: bool = True,
    progress: Progress | None = None,
) -> BuildReport:
    """Build every page that can be built; problems end up in the report, not in exceptions.

    Raises ConfigError or OutputError only when nothing can be built at all.
    """
    started = time.perf_counter()
    report = BuildReport()
    diagnostics = report.diagnostics
    config = load_config(project.config, site_url)
    theme = Theme(config, project.templates)
    if write:
        check_output_dir(
            project.out,
            project.root,
            [project.source, project.templates, project.static, project.config],
        )

    found = discover(project.source, diagnostics)
    glossary = read_glossary(found.glossary, diagnostics)
    articles = [a for s in found.sources if (a := read_article(s, config, diagnostics))]
    articles = _without_slug_clashes(articles, diagnostics)
    rendered: list[RenderedArticle] = []
    for page, problems in render_all(articles, glossary, theme, jobs):
        rendered.append(page)
        diagnostics.extend(problems)
        if progress:
            progress(len(rendered), len(articles))
    rendered.sort(key=_reading_order)
    terms = collect_terms(rendered, glossary)

    pages: dict[str, tuple[str, Callable[[], str]]] = {
        f"{page.article.meta.slug}/index.html": (
            _owner(project, page.article.path),
            partial(theme.article, page),
        )
        for page in rendered
    }
    pages["index.html"] = ("", lambda: theme.index(rendered))
    pages["terms/index.html"] = ("", lambda: theme.terms(terms))
    pages["404.html"] = ("", theme.not_found)
    html = {
        path: text
        for path, (_, make) in pages.items()
        if (text := _template(make, diagnostics)) is not None
    }
    report.pages = sum(f"{page.article.meta.slug}/index.html" in html for page in rendered)
    report.notes = sum(page.note_count for page in rendered)

    if write:
        output = Output(project.out)
        for path, text in html.items():
            output.write(path, text, owner=pages[path][0])
        written = {pages[path][0] for path in html}
        for source in found.sources:  # pages whose input is broken keep their last output
            if (owner := _owner(project, source.path)) not in written:
                output.keep(owner)
        output.write(".nojekyll", "")
        if config.site_url:
            output.write("sitemap.xml", sitemap(config.base_url, rendered))
        for relative, data in _static_files(project.static):
            output.write(f"static/{relative}", data)
        output.write("static/pygments.css", pygments_css())
        output.finish()
    report.seconds = time.perf_counter() - started
    return report


def _without_slug_clashes(articles: Sequence[Article], diagnostics: Diagnostics) -> list[Article]:
    """Articles whose slugs are their own; two sources claiming one page are both errors."""
    by_slug: dict[str, list[Article]] = {}
    for article in articles:
        by_slug.setdefault(article.meta.slug, []).append(article)
    kept = []
    for slug, group in by_slug.items():
        if slug in RESERVED_SLUGS:
            for article in group:
                diagnostics.error(
                    article.path,
                    1,
                    f"slug '{slug}' is reserved for the site's own "
                    "pages; set another in the front matter",
                )
        elif len(group) > 1:
            for article in group:
                others = ", ".join(str(a.path) for a in group if a is not article)
                diagnostics.error(
                    article.path,
                    1,
                    f"slug '{slug}' is also the slug of {others}; give one of them another slug",
                )
        else:
            kept.extend(group)
    return kept


def _reading_order(page: RenderedArticle) -> tuple[bool, str, str]:
    """Newest first; undated articles after dated ones, by title."""
    meta = page.article.meta
    return (not meta.iso_date, _inverted(meta.iso_date), meta.title.casefold())


def _inverted(iso_date: str) -> str:
    return "".join(chr(0x10FFFF - ord(c)) for c in iso_date)


def _owner(project: Project, path: Path) -> str:
    """A source's name in the manifest: its path relative to the project."""
    resolved = path.resolve()
    return (
        resolved.relative_to(project.root).as_posix()
        if resolved.is_relative_to(project.root)
        else resolved.as_posix()
    )


def _template(make: Callable[[], str], diagnostics: Diagnostics) -> str | None:
    """Render one page; a broken template is reported with its file and line."""
    try:
        return make()
    except jinja2.TemplateSyntaxError as exc:
        diagnostics.error(
            Path(exc.filename or exc.name or "template"),
            exc.lineno,
            exc.message or "template syntax error",
        )
    except jinja2.TemplateError as exc:
        frames = [
            f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")
        ]
        where = frames[-1] if frames else None
        diagnostics.error(
            Path(where.filename if where else "template"),
            where.lineno or 0 if where else 0,
            f"template error: {exc}",
        )
    return None


def _static_files(folder: Path) -> list[tuple[str, bytes]]:
    """The default theme's static files, overridden by the project's own of the same name."""
    files: dict[str, Path] = {}
    for base in (default_theme("static"), folder):
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                relative = path.relative_to(base)
                if path.is_file() and not any(p.startswith(".") for p in relative.parts):
                    files[relative.as_posix()] = path
    return [(relative, path.read_bytes()) for relative, path in files.items()]
