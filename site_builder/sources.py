"""Reading an article: its source, its notes file, and the metadata of both.

Metadata precedence: notes front matter > source front matter > derived from the
text (a markdown article's first `# heading`; a scraped text's title line,
"© Publisher" footer and cut-off ending) > the file name.

A markdown article's first `# heading` is its title, and is taken out of the text
(the page shows the title as its one `<h1>`). When the source's front matter gives
another title, that one wins and the heading is left out, with a warning at the
heading: the source contradicts itself, and the page should not show two titles.
A title in the notes file's front matter is the editor's choice, made knowing the
source, so it wins without a warning.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from . import dates
from .chrome import split_paragraphs, strip_chrome
from .config import LANG, LANG_MAX, SiteConfig, shorter_lang
from .diagnostics import Diagnostics
from .frontmatter import FrontMatter, split_front_matter
from .notes import Note, parse_notes
from .reading import Reader, Refused, decode
from .slugs import MAX_SLUG_BYTES, slugify, uncut_slug
from .tags import Tag, read_tags

KEYS = (
    "title",
    "slug",
    "author",
    "source",
    "url",
    "date",
    "summary",
    "lang",
    "tags",
    "excerpt",
    "draft",
    "weight",
)
FLAGS = ("excerpt", "draft")
WEIGHT = re.compile(r"^[+-]?[0-9]{1,9}$")  # a whole number; no sort key needs more digits
BOOLEAN = {"true": True, "yes": True, "false": False, "no": False}
WORD = re.compile(r"[^\W_]+")  # letters and digits: `*Orbits*, briefly` is "orbits briefly"
ANYWHERE = Reader()  # regular files under the size cap, wherever they are


@dataclass(frozen=True)
class Metadata:
    title: str
    slug: str
    author: str = ""
    source: str = ""  # the publisher or publication the article comes from
    url: str = ""  # where the original is published
    date: str = ""  # as written; ISO 8601 dates (and times) also sort the reading list
    summary: str = ""
    lang: str = ""
    excerpt: bool = False  # the source is cut off
    draft: bool = False  # built by serve and watch, and by build only with --drafts
    tags: tuple[Tag, ...] = ()
    weight: int | None = None  # manual order: weighted articles come first, lightest first

    @cached_property
    def when(self) -> dates.When | None:
        """The date (and time) if `date` is ISO 8601, else None."""
        return dates.parse_date(self.date)

    @property
    def iso_date(self) -> str:
        """The date (and time) in canonical ISO form, for `<time datetime>`, else ''."""
        return dates.iso(self.when) if self.when else ""

    @property
    def day(self) -> str:
        """The calendar date, YYYY-MM-DD, as pages show it; '' when not ISO 8601."""
        return dates.day(self.when) if self.when else ""


@dataclass(frozen=True)
class Article:
    """One article, ready to render: markdown or literal text, with its own notes."""

    path: Path
    notes_path: Path | None
    kind: Literal["markdown", "text"]
    meta: Metadata
    body: str
    notes: tuple[Note, ...]
    body_line: int = 1  # the line of the source where `body` starts
    # Front matter or note fields that could not be read (already reported): the article
    # is read on, for the other problems of its fields to be told too, but gets no page
    # (its last good output stays).
    broken: bool = False


@dataclass(frozen=True)
class Source:
    """An article's source file and, when there is one, its notes file."""

    path: Path
    notes: Path | None

    @property
    def name(self) -> str:
        return self.path.stem


def read_text(path: Path, diagnostics: Diagnostics, reader: Reader = ANYWHERE) -> str | None:
    """The file's text with `\\n` line endings, or None after reporting why it cannot be
    read (see reading.py: what may be read, and what counts as text)."""
    try:
        data = reader.read(path)
    except Refused as refused:
        diagnostics.error(path, 0, str(refused))
        return None
    except OSError as exc:
        diagnostics.error(path, 0, f"cannot be read: {exc.strerror}")
        return None
    return decode(path, data, diagnostics)


@dataclass(frozen=True)
class Peek:
    """What a build needs of an article before rendering any page."""

    slug: str
    draft: bool
    inputs: str  # a digest of the source's bytes and its notes file's
    # The `slug:` line that set the slug (0: none did), and whether it is the notes file's.
    slug_line: int = 0
    slug_in_notes: bool = False

    def slug_place(self, source: Source) -> tuple[Path, int]:
        """Where the slug comes from, for messages: its `slug:` line, or the source itself."""
        if self.slug_in_notes and source.notes:
            return source.notes, self.slug_line
        return source.path, self.slug_line


def peek_article(
    source: Source, reader: Reader = ANYWHERE, known: Mapping[str, Peek] | None = None
) -> Peek | None:
    """An article's slug and draft flag from its front matter, as read_article gives
    them, without reading its text or notes; None when read_article would find the
    source or notes unreadable or its front matter broken (it says why).

    `known`: peeks of earlier builds by `peek_key`, taken as they are.
    """
    quiet = Diagnostics()
    try:
        data = reader.read(source.path)
        notes_data = reader.read(source.notes) if source.notes else b""
    except (Refused, OSError):
        return None
    inputs = hashlib.blake2b(len(data).to_bytes(8, "big"), digest_size=20)
    inputs.update(data + notes_data)
    digest = inputs.hexdigest()
    if known and (peek := known.get(peek_key(source, digest))):
        return peek
    text = decode(source.path, data, quiet)
    notes_text = decode(source.notes, notes_data, quiet) if source.notes else ""
    if text is None or notes_text is None:
        return None
    fronts = [split_front_matter(text) if source.path.suffix == ".md" else None]
    if source.notes:
        fronts.append(split_front_matter(notes_text))
    meta = Metadata(title="", slug="")
    slug_line, slug_in_notes = 0, False
    for in_notes, front in enumerate(fronts):
        if front is not None:
            if front.problems:
                return None
            meta = _metadata(source, meta, front, quiet)
            if slug := front.fields.get("slug"):
                slug_line, slug_in_notes = slug.line, bool(in_notes)
    if not meta.slug:
        meta = replace(meta, slug=slugify(source.name) or "article")
    return Peek(meta.slug, meta.draft, digest, slug_line, slug_in_notes)


def peek_key(source: Source, inputs: str) -> str:
    """What a peek depends on: the files' bytes, and the source's name and kind."""
    return f"{source.path.name}\0{inputs}"


def read_article(
    source: Source, config: SiteConfig, diagnostics: Diagnostics, reader: Reader = ANYWHERE
) -> Article | None:
    """Read a source and its notes; None when either cannot be read or nothing is left
    (then the reasons are reported), and `broken` when fields of either were unreadable."""
    text = read_text(source.path, diagnostics, reader)
    notes_text = read_text(source.notes, diagnostics, reader) if source.notes else ""
    if text is None or notes_text is None:
        return None
    kind: Literal["markdown", "text"] = "markdown" if source.path.suffix == ".md" else "text"
    front = split_front_matter(text) if kind == "markdown" else FrontMatter({}, text, 1)
    for line, message in front.problems:  # parse_notes reports the notes file's own
        diagnostics.error(source.path, line, message)
    notes_file = parse_notes(source.notes, notes_text, diagnostics) if source.notes else None
    problems = [(source.path, line, msg) for line, msg in front.problems]
    if notes_file:
        problems += [(notes_file.path, line, msg) for line, msg in notes_file.front_matter.problems]
    broken = bool(problems or (notes_file and notes_file.broken_fields))
    derived, body, skipped = _derive(kind, front.body)
    if not body.strip():
        diagnostics.error(
            source.path,
            0,  # the file as a whole
            "the article is empty"
            + (" once site chrome is removed" if kind == "text" and text.strip() else ""),
        )
        return None
    meta = _metadata(source, derived, front, diagnostics)
    retitled = notes_file is not None and bool(notes_file.front_matter.get("title"))
    if kind == "markdown" and derived.title and not retitled:
        heading_line = front.body_line + skipped - 1
        _check_heading(source.path, heading_line, derived.title, meta.title, diagnostics)
    if notes_file:
        meta = _metadata(source, meta, notes_file.front_matter, diagnostics, notes_file.path)
    meta = replace(meta, lang=meta.lang or config.language)
    notes = notes_file.written if notes_file else ()
    start = front.body_line + skipped
    return Article(source.path, source.notes, kind, meta, body, notes, start, broken)


def _derive(kind: str, body: str) -> tuple[Metadata, str, int]:
    """Metadata the text itself gives, the body without what was taken from it, and
    how many lines were taken from its start."""
    if kind == "markdown":
        lines = body.split("\n")
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is not None and (title := _h1(lines[first])) is not None:
            return Metadata(title=title, slug=""), "\n".join(lines[first + 1 :]), first + 1
        return Metadata(title="", slug=""), body, 0
    page = strip_chrome(split_paragraphs(body))
    meta = Metadata(
        title=page.title or "",
        slug="",
        author=page.author or "",
        source=page.publisher or "",
        excerpt=page.excerpt,
    )
    return meta, "\n\n".join(paragraph.text for paragraph in page.paragraphs), 0


def _check_heading(
    path: Path, line: int, heading: str, title: str, diagnostics: Diagnostics
) -> None:
    """Warn at a first `# heading` that the front matter's title replaces."""
    if _words(heading) != _words(title):
        diagnostics.warning(
            path,
            line,
            f"the front matter's title '{title}' differs from this heading, which the "
            "page leaves out (it shows one title); make them the same, or choose the "
            "title with 'title:' in the notes file's front matter",
        )


def _words(text: str) -> list[str]:
    """A title's words, for comparing: case, punctuation and markup left out."""
    return WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def _h1(line: str) -> str | None:
    """The text of a `# Title` line, without its closing #s; None for any other line,
    and for a heading with no text.

    In code rather than a pattern: `# +(.+?)(?: +#+)? *$` takes quadratic time on a
    long run of blanks inside the title.
    """
    text = line.strip(" ")[1:].lstrip(" ")
    if not line.startswith("# ") or not text:
        return None
    closed = text.rstrip("#")
    if closed != text and closed.endswith(" "):  # `# Title ##`: a closing sequence
        text = closed.rstrip(" ")
    return text


def _metadata(
    source: Source,
    base: Metadata,
    front: FrontMatter,
    diagnostics: Diagnostics,
    path: Path | None = None,
) -> Metadata:
    """`base` overridden by the front matter's values, each checked."""
    path = path or source.path
    values: dict[str, object] = {}
    for key, field in front.fields.items():
        value, line = field.value, field.line
        if key not in KEYS:
            diagnostics.warning(
                path, line, f"unknown front-matter key '{key}' (known: {', '.join(KEYS)}); ignored"
            )
        elif key == "title" and not value:
            continue  # an empty title sets nothing: the heading or title line still counts
        elif key in FLAGS:
            if value.lower() in BOOLEAN:
                values[key] = BOOLEAN[value.lower()]
            else:
                diagnostics.warning(path, line, f"{key}: '{value}' is not true or false; ignored")
        elif key == "url" and urlsplit(value).scheme not in ("http", "https"):
            diagnostics.warning(path, line, f"url: '{value}' is not an http(s) address; ignored")
        elif key == "lang" and not LANG.match(value):
            diagnostics.warning(
                path, line, f"lang: '{value}' is not a language tag such as en or zh-Hans; ignored"
            )
        elif key == "lang" and len(value) > LANG_MAX:
            values[key] = shorter_lang(value)
            diagnostics.warning(
                path,
                line,
                f"lang: '{value}' is longer than the search index takes ({LANG_MAX} "
                f"characters); using '{values[key]}'",
            )
        elif key == "date" and value and not dates.parse_date(value):
            diagnostics.warning(
                path,
                line,
                f"date: '{value}' is not an ISO 8601 date such as 2024-05-01 or "
                "2024-05-01 21:00; shown as written, sorted last",
            )
            values[key] = value
        elif key == "weight":
            if WEIGHT.match(value.strip()):
                values[key] = int(value)
            else:
                diagnostics.warning(
                    path, line, f"weight: '{value}' is not a whole number such as 1 or -2; ignored"
                )
        elif key == "tags":
            tags, unusable = read_tags(value, field.items)
            for name in unusable:
                diagnostics.warning(
                    path, line, f"tags: '{name}' has no letters or digits to name a page; ignored"
                )
            values[key] = tags
        elif key == "slug":
            slug = slugify(value)
            if slug != value:
                used = slug or base.slug or slugify(source.name) or "article"
                plain = uncut_slug(value) == value  # but too long
                diagnostics.warning(
                    path,
                    line,
                    f"slug: {len(value)} characters are more than a slug may have "
                    f"({MAX_SLUG_BYTES} bytes); using '{used}'"
                    if plain
                    else f"slug: '{value}' is not a plain slug (lower-case "
                    f"words and hyphens); using '{used}'",
                )
            if slug:
                values[key] = slug
        else:
            values[key] = value
    meta = replace(base, **values)  # type: ignore[arg-type]
    if not meta.slug:
        meta = replace(meta, slug=slugify(source.name) or "article")
    if not meta.title:
        meta = replace(meta, title=source.name)
    return meta
