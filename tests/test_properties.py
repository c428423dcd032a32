"""Property tests: random articles, notes, glossaries and front matter, built in-process.

For every input hypothesis makes up, the build

- never raises, never reports an internal error, and never takes more than a few
  seconds (hypothesis' `deadline`);
- shows every word of the source on the page, in order, outside the notes: the
  page's text without its notes is what markdown-it makes of the body without
  anchoring (anchoring never drops or reorders a word), and every word the
  generator put into visible text is in it (nothing is lost to the parser);
- shows every placed note exactly once, and every `data-note` names the id of a
  note on the page; each article note is placed or named by a diagnostic at its line;
- writes no event-handler attribute, no script other than the theme's, and no
  scripted URL (`javascript:`, `vbscript:`, `data:`) into any output file.

CI runs a few thousand examples in all, derandomized so that a run is reproducible.
`SITE_BUILDER_PROPERTY_EXAMPLES` asks for longer, random runs: `20000` runs that
many examples of each property, `10x` ten times the usual number.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

import jinja2
import pytest
import yaml
from conftest import tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from output_safety import VOID, check_output, elements_of

from site_builder import frontmatter
from site_builder.chrome import split_paragraphs, strip_chrome
from site_builder.config import SiteConfig
from site_builder.diagnostics import INTERNAL, Diagnostics
from site_builder.frontmatter import split_front_matter
from site_builder.render import article_parser, text_parser
from site_builder.site import BuildReport, Project, build_site
from site_builder.sources import Source, read_article
from site_builder.theme import Theme

T = TypeVar("T")

# How many examples: a few thousand in all in CI, more on request.

ENV = "SITE_BUILDER_PROPERTY_EXAMPLES"


def examples(usual: int) -> int:
    """`usual`, or what SITE_BUILDER_PROPERTY_EXAMPLES asks: `N` examples, or `Nx` as many."""
    asked = os.environ.get(ENV, "").strip().lower()
    if not asked:
        return usual
    if asked.endswith("x") or asked.startswith("x"):
        return max(1, round(usual * float(asked.strip("x"))))
    return max(1, int(asked))


def runs(usual: int) -> settings:
    """Settings of one property: reproducible in CI, random when asked for more."""
    return settings(
        max_examples=examples(usual),
        deadline=5000,  # ms: a build of these small inputs takes a few tens of them
        derandomize=not os.environ.get(ENV),
        database=None,  # nothing written into the worktree; a failure prints its input
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# Words. Text is made of VOCAB words (letters of several scripts, typographic
# apostrophes and hyphens, words that are also id prefixes) and of noise tokens
# that hold none of them, so the words of a page can be picked out of its other text.

# fmt: off
VOCAB = (
    "alpha", "beta", "gamma", "orbit", "mars", "probe", "rocket", "moon", "note", "ref",
    "main", "fn", "section", "term", "big", "strong", "sample‑return", "don’t", "Éclair",
    "żółw", "火星",
)
# fmt: on
HIDDEN = ("pictured", "figure")  # image descriptions: not text on the page
WORD = re.compile(r"[^\W\d_]+")
VOCAB_WORDS = frozenset(w for v in VOCAB for w in WORD.findall(v))


def words_of(text: str) -> list[str]:
    """The vocabulary words of a text, in order."""
    return [w for w in WORD.findall(text) if w in VOCAB_WORDS]


# Tokens between words. None of them can start a markdown block in the middle of a
# line, eat a word (no `[`: `[a]: b` would define a link reference), or hold a VOCAB word.
# fmt: off
NOISE = (
    "*", "**", "_", "~~", "!", ".", ",", "?", "&", "<", ">", "#", "-", "+", "=", "|", "\\",
    "(", ")", ":", ";", '"', "'", "—", "…", "...", "&amp;", "&#42;", "&nbsp;", "&bogus;",
    "<b>", "</i>", "<script>alert(1)</script>", '<img src=x onerror="alert(1)">',
    "javascript:alert(1)", "{{ 7*7 }}", "{% raw %}", "https://example.org/page",
    "www.example.org", "editor@example.org",
)
# fmt: on
# Link and image targets: safe, unsafe, disguised, relative, missing.
# fmt: off
URLS = (
    "https://example.org/page", "http://example.org/x?y=1&z=2", "mailto:editor@example.org",
    "#frag", "other.md", "missing.md#part", "pic.png", "../outside/file", "/abs/path",
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "javascript&colon;alert(1)",
    "&#106;avascript:alert(1)", "java&#x09;script:alert(1)", "<javascript:alert(1)>",
    "<java script:alert(1)>", "vbscript:msgbox(1)", "data:text/html,x",
    "DATA:text/html;base64,PHNjcmlwdD4=", " javascript:alert(1)",
    'https://example.org/" onmouseover="alert(1)', 'https://example.org "a tip"',
    "https://example.org 'it\\'s'", 'javascript:alert(1) "tip"', "pic.png (tip)",
)
# fmt: on
LABELS = ("1", "2", "x", "lbl", "n_b")  # no VOCAB word: an undefined one shows as text

# Generators are plain functions of hypothesis' `draw` (a composite strategy made for
# every call would cost more than the build), with the strategies they draw from cached.


@cache
def _choice(options: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from(options)


@cache
def _integer(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


def pick(draw: st.DrawFn, options: tuple[T, ...]) -> T:
    value: T = draw(_choice(options))
    return value


def number(draw: st.DrawFn, low: int, high: int) -> int:
    return draw(_integer(low, high))


def some(draw: st.DrawFn, options: tuple[T, ...], low: int, high: int) -> list[T]:
    return [pick(draw, options) for _ in range(number(draw, low, high))]


@dataclass
class Md:
    """Generated markdown and the words it shows outside notes, in order."""

    text: str
    shown: list[str] = field(default_factory=list)


def _join(parts: Sequence[Md], sep: str = " ") -> Md:
    return Md(sep.join(p.text for p in parts), [w for p in parts for w in p.shown])


INLINE = ("word", "word", "word", "noise", "emph", "code", "link", "image", "footnote")
EMPHASIS = ("*", "_", "**", "__", "~~", "***")


def gen_inline(draw: st.DrawFn, depth: int = 0, links: bool = True) -> Md:
    """A run of inline markdown that starts with a word (so it can start a line)."""
    first = pick(draw, VOCAB)
    parts = [Md(first, words_of(first))]
    for _ in range(number(draw, 0, 4)):
        kind = pick(draw, INLINE)
        if kind == "word":
            word = pick(draw, VOCAB)
            parts.append(Md(word, words_of(word)))
        elif kind == "noise":
            parts.append(Md(pick(draw, NOISE)))
        elif kind == "emph" and depth < 2:
            mark = pick(draw, EMPHASIS)
            inner = gen_inline(draw, depth + 1, links)
            parts.append(Md(f"{mark}{inner.text}{mark}", inner.shown))
        elif kind == "code":
            text = " ".join(some(draw, VOCAB, 1, 3))
            ticks = pick(draw, ("`", "``"))
            parts.append(Md(f"{ticks}{text}{ticks}", words_of(text)))
        elif kind == "link" and links and depth < 2:
            inner = gen_inline(draw, depth + 1, links=False)
            parts.append(Md(f"[{inner.text}]({pick(draw, URLS)})", inner.shown))
        elif kind == "image":
            alt = " ".join(some(draw, HIDDEN, 0, 2))
            parts.append(Md(f"![{alt}]({pick(draw, URLS)})"))
        elif kind == "footnote" and links:
            parts.append(Md(f"[^{pick(draw, LABELS)}]"))
    return _join(parts)


MAX_DEPTH = 6  # containers: six lists deep is 14 token levels, below markdown-it's 20
LEAVES = ("para", "para", "heading", "fence", "rule", "table")
ALIGNMENTS = ("---", ":---", "---:", ":---:")
CONTAINERS = ("quote", "list", "olist")
LANGUAGES = ("", "python", "html", "js", "nonexistent", "{{x}}")


def gen_blocks(
    draw: st.DrawFn,
    size: int = 8,
    min_heading: int = 1,
    depth: int = 0,
    left: list[int] | None = None,
) -> list[Md]:
    """Block-level markdown, at most `size` blocks in all, each item one block (to be
    joined by blank lines)."""
    left = [size] if left is None else left
    result: list[Md] = []
    for _ in range(number(draw, 1, 3)):
        if left[0] <= 0 and result:
            break
        left[0] -= 1
        nest = depth < MAX_DEPTH and left[0] > 0
        kind = pick(draw, LEAVES + CONTAINERS if nest else LEAVES)
        if kind == "para":
            lines = [gen_inline(draw) for _ in range(number(draw, 1, 3))]
            result.append(_join(lines, "\n"))
        elif kind == "heading":
            level = number(draw, min_heading, 6)
            text = gen_inline(draw)
            result.append(Md("#" * level + " " + text.text, text.shown))
        elif kind == "fence":
            lang = pick(draw, LANGUAGES)
            body = "\n".join(" ".join(some(draw, VOCAB, 1, 3)) for _ in "12")
            result.append(Md(f"```{lang}\n{body}\n```", words_of(body)))
        elif kind == "rule":
            result.append(Md("___"))
        elif kind == "table":  # cells of words: a `|` in a cell would make a new cell
            columns = number(draw, 1, 3)
            rows = [[" ".join(some(draw, VOCAB, 1, 2)) for _ in range(columns)] for _ in "12"]
            rule = [pick(draw, ALIGNMENTS) for _ in range(columns)]
            table = "\n".join("| " + " | ".join(row) + " |" for row in (rows[0], rule, rows[1]))
            result.append(Md(table, words_of(" ".join(rows[0] + rows[1]))))
        elif kind == "quote":
            inner = _join(gen_blocks(draw, size, min_heading, depth + 1, left), "\n\n")
            quoted = "\n".join("> " + line if line else ">" for line in inner.text.split("\n"))
            result.append(Md(quoted, inner.shown))
        else:
            items = []
            for index in range(number(draw, 1, 2)):
                marker = "- " if kind == "list" else f"{index + 1}. "
                inner = _join(gen_blocks(draw, size, min_heading, depth + 1, left), "\n\n")
                items.append(Md(_item(marker, inner.text), inner.shown))
            result.append(_join(items, pick(draw, ("\n", "\n\n"))))
    return result


def _item(marker: str, text: str) -> str:
    """A list item: the marker before the first line, the others indented as far."""
    first, *rest = text.split("\n")
    pad = " " * len(marker)
    return "\n".join([marker + first] + [pad + line if line else "" for line in rest])


def gen_footnote_definitions(draw: st.DrawFn) -> str:
    """Footnote definitions (their words are in notes, not in the text)."""
    definitions = []
    for label in some(draw, LABELS, 0, 3):
        text = gen_inline(draw, links=False).text
        if draw(st.booleans()):
            text += "\n\n    " + " ".join(some(draw, VOCAB, 1, 4))
        definitions.append(f"[^{label}]: {text}")
    return "\n\n".join(definitions)


# YAML front matter, valid and not.

# fmt: off
KEYS = (
    "title", "slug", "author", "source", "url", "date", "summary", "lang", "tags", "excerpt",
    "draft", "unknown", "Title", "x-y",
)
SCALARS = (
    "no", "yes", "true", "~", "null", "0x1F", "1e3", ".inf", "2024-05-01",
    "2024-05-01 21:00:00 +0200", "2024-13-45", "12:30:00", "-", "''", '""', "'it''s'",
    '"\\u00e9\\n\\t"', "|\n  block text\n  on two lines", ">-\n  folded\n  text",
    "&anchor value", "*anchor", "!!str 5", "!!binary aGk=", "!custom tag", "[a, b]",
    "[a, [b]]", "[]", "{a: b}", "{", "[", '"open', "'open", "a: b: c", "`tick", "@at",
    "%percent", "\n  - one\n  - two", "\n  nested: value\n  deeper:\n    key: [x]", "\tTabbed",
    "Orbits: a guide", "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
    "'\"><svg onload=alert(1)>'", "javascript:alert(1)", "https://example.org/a?b=1&c=<2>",
    "{{ 7*7 }}", "'{% raw %}'", "../../etc/passwd", "en", "zh-Hans", "x\u2028y", "x\u0085y",
    "\U0001f680 rocket",
)
# fmt: on


def _single_line(text: str) -> bool:
    return "\n" not in text and "\r" not in text


ODD_TEXT = st.text(max_size=12).filter(_single_line)
BROKEN_LINES = ("title:Orbits", "- item", "  indented: x", "?", "!")


def gen_front_matter(draw: st.DrawFn) -> str:
    """'' or a `---` block: key lines with odd values, sometimes a broken line."""
    if not draw(st.booleans()):
        return ""
    lines = []
    for _ in range(number(draw, 0, 4)):
        key = pick(draw, KEYS)
        kind = number(draw, 0, 3)
        value = (
            draw(ODD_TEXT) if kind == 0 else pick(draw, VOCAB) if kind == 1 else pick(draw, SCALARS)
        )
        lines.append(f"{key}:{pick(draw, (' ', '  ', ''))}{value}")
    if number(draw, 0, 4) == 0:
        lines.append(pick(draw, BROKEN_LINES))
    # A line that closed the block early would make the rest the body: keep it in.
    kept = [line for line in "\n".join(lines).split("\n") if line.rstrip() not in ("---", "...")]
    return "---\n" + "".join(line + "\n" for line in kept) + pick(draw, ("---", "...")) + "\n"


# Notes files.

# fmt: off
AT = (
    "first", "every", "Every", "2", "3rd", "1st", "0", "second", "", "every first", "near",
)
ODD_TERMS = (
    "<script>", "<script>alert(1)</script>", "*alpha*", "alpha &amp; beta", "`alpha`", "#", "",
    "fn 1", "[^1]", "ref-alpha", "note", "main", "{{ 7*7 }}", '" onmouseover="alert(1)',
    "javascript:alert(1)",
)
# fmt: on


@dataclass
class NotesFile:
    text: str
    headings: list[tuple[int, str]]  # (line, heading text) of each `## term`


VARIANTS = ("same", "upper", "ascii", "title")
MISSPELT = ("alias: x", "At: every", "atx: 2")
FIELD_KINDS = ("aliases", "at", "at", "misspelt")


def gen_term(draw: st.DrawFn, shown: Sequence[str]) -> str:
    """A term: most often words of the article in a row, spelt as an editor might."""
    choice = number(draw, 0, 9)
    if shown and choice < 6:
        start = number(draw, 0, len(shown) - 1)
        term = " ".join(shown[start : start + number(draw, 1, 3)])
        change = pick(draw, VARIANTS)
        if change == "upper":
            return term.upper()
        if change == "title":
            return term.title()
        if change == "ascii":
            return term.replace("’", "'").replace("‑", "-")
        return term
    return pick(draw, VOCAB) if choice < 8 else pick(draw, ODD_TERMS)


def gen_notes(draw: st.DrawFn, shown: Sequence[str], glossary: bool = False) -> NotesFile:
    """A notes file (a glossary has no front matter) with terms from `shown`."""
    text = "" if glossary else gen_front_matter(draw)
    headings = []
    for _ in range(number(draw, 0 if glossary else 1, 4)):
        term = gen_term(draw, shown)
        headings.append((text.count("\n") + 1, term))
        fields = []
        for _ in range(number(draw, 0, 2)):
            kind = pick(draw, FIELD_KINDS)
            if kind == "aliases":
                aliases = [gen_term(draw, shown) for _ in range(number(draw, 0, 2))]
                quoted = [f'"{a}"' if draw(st.booleans()) else a for a in aliases]
                fields.append("aliases: " + ", ".join(quoted))
            elif kind == "at":
                at = pick(draw, AT)
                if at == "near":
                    at += " " + gen_term(draw, shown)
                fields.append(f"at: {at}".rstrip())
            else:
                fields.append(pick(draw, MISSPELT))
        body = _join(gen_blocks(draw, size=2, min_heading=3), "\n\n").text
        gap = pick(draw, ("\n", "\n\n"))
        text += f"## {term}\n" + "".join(f + "\n" for f in fields) + gap + body + "\n\n"
    return NotesFile(text, headings)


# Reading what was built.


class Text(HTMLParser):
    """The text of an HTML fragment, leaving out elements a predicate skips."""

    def __init__(self, skip: Callable[[str, dict[str, str]], bool]) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = skip
        self.depth = 0
        self.skipping = 0  # the depth at which a skipped element opened, 0 when none
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        self.depth += 1
        if not self.skipping and self.skip(tag, {k: v or "" for k, v in attrs}):
            self.skipping = self.depth

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.skipping == self.depth:
            self.skipping = 0
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def is_note(tag: str, attrs: dict[str, str]) -> bool:
    classes = attrs.get("class", "").split()
    return (tag == "aside" and "note" in classes) or (tag == "details" and "note-toggle" in classes)


def text_without_notes(html: str) -> str:
    parser = Text(is_note)
    parser.feed(html)
    parser.close()
    return parser.text


def between(html: str, start: str, end: str) -> str:
    """The part of a page from `start` up to the `end` that follows it."""
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


# Building.


@dataclass
class Built:
    root: Path
    report: BuildReport
    out: Path

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    def pages(self) -> list[Path]:
        return sorted(
            path
            for path in self.out.glob("*/index.html")
            if path.parent.name not in ("terms", "static", "tags")
        )

    def diagnosed(self, path: Path, line: int, end: int = 0) -> bool:
        """Whether a diagnostic names the file at the line (or at one up to `end`)."""
        return any(
            d.path.resolve() == path.resolve() and line <= d.line <= max(line, end - 1)
            for d in self.report.diagnostics.items
        )

    @property
    def errors(self) -> list[str]:
        return [d.format() for d in self.report.diagnostics.errors]


# Each build makes its own Jinja environment, and compiling the templates would take
# most of its time: the builds of this module share the compiled code (as a site's
# builds in one `watch` session could).


class MemoryBytecodeCache(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.codes:
            bucket.bytecode_from_string(self.codes[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = MemoryBytecodeCache()
# A build writes some 10 files: in memory where the system has a place for it.
SCRATCH = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None


@pytest.fixture(autouse=True, scope="module")
def shared_template_cache() -> Iterator[None]:
    original = Theme.__init__

    def init(self: Theme, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.env.bytecode_cache = TEMPLATE_CACHE

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Theme, "__init__", init)
        yield


@contextmanager
def built(files: dict[str, str | bytes], site_url: str | None = None) -> Iterator[Built]:
    """The site of `files` (paths relative to a fresh folder) built, and checked for safety."""
    with tempfile.TemporaryDirectory(dir=SCRATCH) as folder:
        root = Path(folder)
        (root / "seeds").mkdir()
        for relative, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            (root / relative).write_bytes(data)
        report = build_site(Project.at(root / "seeds", root / "_site"), site_url=site_url)
        internal = [d for d in report.diagnostics.items if d.message.startswith(INTERNAL)]
        assert not internal, [d.format() + "\n" + d.detail for d in internal]
        assert sorted(path.name for path in root.iterdir()) == ["_site", "seeds"]
        result = Built(root, report, root / "_site")
        check_output(result.out)
        check_links_between_pages(result.out)
        yield result


OWN_FRAGMENT = re.compile(r"#(note-|ref-|main$)")  # links the builder makes within a page


def check_links_between_pages(out: Path) -> None:
    """Every link the builder makes to a page of the site finds it, and the element
    its fragment names (the terms page's links to each place a term is noted, too)."""
    pages = {path: elements_of(path.read_text(encoding="utf-8")) for path in out.rglob("*.html")}
    ids = {
        path: {e.attrs["id"] for e in page.elements if "id" in e.attrs}
        for path, page in pages.items()
    }
    for path, page in pages.items():
        if path.name == "404.html":
            continue  # its links start at the site's address, wherever it is served
        for element in page.elements:
            href = element.attrs.get("href", "") if element.tag == "a" else ""
            target, _, fragment = href.partition("#")
            if not target:
                if OWN_FRAGMENT.match(href) or element.attrs.get("class") == "heading-link":
                    assert unquote(fragment) in ids[path], (path, href)
            elif target.endswith(".html") and not urlsplit(target).scheme:
                found = (path.parent / unquote(target)).resolve()
                assert found in ids, (path, href)
                assert not fragment or unquote(fragment) in ids[found], (path, href)


def note_terms(name: str, html: str) -> list[str]:
    """Check a page's notes resolve; the terms its notes show, footnotes left out."""
    page = elements_of(html)
    ids = [e.attrs["id"] for e in page.elements if "id" in e.attrs]
    assert len(ids) == len(set(ids)), (name, sorted(i for i in ids if ids.count(i) > 1))
    notes = {
        e.attrs.get("id", ""): e
        for e in page.elements
        if e.tag == "aside" and "note" in e.attrs.get("class", "").split()
    }
    links = [e for e in page.elements if "data-note" in e.attrs]
    # Every data-note names a note on the page, and every note has a term that names it.
    assert {e.attrs["data-note"] for e in links} == set(notes), name
    for link in links:
        assert link.attrs.get("href") == "#" + link.attrs["data-note"], (name, link.attrs)
    terms = [
        e.text
        for e in page.elements
        if e.tag == "p" and "note-term" in e.attrs.get("class", "").split()
    ]
    assert len(terms) == len(notes), name
    return [term for term in terms if not term.startswith("Footnote ")]


_headings = MarkdownIt("commonmark")


def heading_text(term: str) -> str:
    """The term a `## term` line names, as the notes file reader takes it."""
    tokens = _headings.parse(f"## {term}")
    if len(tokens) < 2 or tokens[0].type != "heading_open":
        return ""
    return "".join(child.content for child in tokens[1].children or []).strip()


def article_body(html: str) -> str:
    """The HTML of the article's body: the rendered source with its notes."""
    section = between(html, '<div class="article-body">', "</article>")
    return section[: section.rindex("</div>")]


def page_title(html: str) -> str:
    return text_without_notes(between(html, "<h1>", "</h1>"))


def fields_of(text: str | None) -> dict[str, str]:
    if not text:
        return {}
    front = split_front_matter(text)
    return {} if front.problems else {k: f.value for k, f in front.fields.items()}


def is_draft(*texts: str | None) -> bool:
    return any(fields_of(t).get("draft", "").lower() in ("true", "yes") for t in texts)


def check_notes_placed_or_diagnosed(
    built: Built, terms_shown: list[str], notes: NotesFile | None, notes_path: Path
) -> None:
    """Each note appears once, and each article note is on the page or has a diagnostic
    (at its heading, or at a line of its own such as its `at:`)."""
    assert len(terms_shown) == len(set(terms_shown)), terms_shown
    headings = notes.headings if notes else []
    ends = [line for line, _ in headings[1:]] + [sys.maxsize] * bool(headings)
    for (line, term), end in zip(headings, ends, strict=True):
        assert heading_text(term) in terms_shown or built.diagnosed(notes_path, line, end), (
            line,
            term,
            [d.format() for d in built.report.diagnostics.items],
        )


def check_anchoring_keeps_the_text(html: str, source: Path, notes: Path | None) -> None:
    """The page's text outside notes is what the parser makes of the body without notes."""
    article = read_article(Source(source, notes), SiteConfig(), Diagnostics())
    assert article is not None
    if article.kind == "text":
        body = article.body + ("\u2026" if article.meta.excerpt else "")
        reference = text_parser().render(body)
    else:
        reference = article_parser().render(article.body)
    shown = text_without_notes(article_body(html)).split()
    assert shown == text_without_notes(reference).split()


# Property 1: markdown articles with notes, a glossary and front matter.


@dataclass
class MarkdownSite:
    text: str
    title: list[str]  # the words of a leading `# heading`: the page's title
    body: list[str]  # the words the body shows
    notes: NotesFile | None
    glossary: NotesFile | None
    site_url: str | None

    def files(self) -> dict[str, str | bytes]:
        return site_files("seeds/a.md", self.text, self.notes, self.glossary)


@st.composite
def markdown_sites(draw: st.DrawFn) -> MarkdownSite:
    front = gen_front_matter(draw)
    parts = gen_blocks(draw)
    if number(draw, 0, 3) == 0:
        title = gen_inline(draw)
        parts.insert(0, Md("# " + title.text, title.shown))
    title_words: list[str] = []
    if parts[0].text.startswith("# "):  # the first line is the title, not the body
        title_words = parts[0].shown
        parts = [Md(parts[0].text), *parts[1:]]
    body = _join(parts, "\n\n")
    definitions = gen_footnote_definitions(draw)
    text = front + body.text + ("\n\n" + definitions if definitions else "") + "\n"
    shown = title_words + body.shown
    notes = gen_notes(draw, shown) if draw(st.booleans()) else None
    glossary = gen_notes(draw, shown, glossary=True) if number(draw, 0, 2) == 0 else None
    site_url = pick(draw, (None, "https://example.org/repo/"))
    return MarkdownSite(text, title_words, body.shown, notes, glossary, site_url)


@runs(1500)
@given(markdown_sites())
def test_markdown_articles_keep_their_words_and_notes(site: MarkdownSite) -> None:
    with built(site.files(), site.site_url) as result:
        source, notes = result.seeds / "a.md", result.seeds / "a.notes.md"
        pages = result.pages()
        if not pages:  # broken input keeps its (here: no) page; a draft is left out
            assert result.errors or is_draft(site.text, site.notes.text if site.notes else None)
            return
        [page] = pages
        html = page.read_text(encoding="utf-8")
        check_anchoring_keeps_the_text(html, source, notes if site.notes else None)
        assert words_of(text_without_notes(article_body(html))) == site.body
        # A front-matter title replaces the heading, whose words are then on no page;
        # so does a blank one, which shows the file name instead (reported, not designed).
        overridden = "title" in fields_of(site.text) or (
            site.notes is not None and "title" in fields_of(site.notes.text)
        )
        if site.title and not overridden:
            assert words_of(page_title(html)) == site.title
        terms = note_terms(page.as_posix(), html)
        check_notes_placed_or_diagnosed(result, terms, site.notes, notes)


# Property 2: plain-text articles, shown literally.

# fmt: off
TEXT_NOISE = (
    *NOISE, "`", "[^1]", "[alpha](javascript:alert(1))", "![beta](x.png)", "# heading",
    "> quote", "- item", "<!-- comment -->", "\t", "©", "(c)", "</div>", "<aside>",
)
# fmt: on
ENDINGS = ("", "", "...", " …", ".......")


def site_files(
    source: str, text: str, notes: NotesFile | None, glossary: NotesFile | None
) -> dict[str, str | bytes]:
    """A generated site's files: its one source, and its notes and glossary if any."""
    files: dict[str, str | bytes] = {source: text}
    if notes:
        files["seeds/a.notes.md"] = notes.text
    if glossary:
        files["seeds/_glossary.md"] = glossary.text
    return files


@dataclass
class TextSite:
    text: str
    notes: NotesFile | None
    glossary: NotesFile | None

    def files(self) -> dict[str, str | bytes]:
        return site_files("seeds/a.txt", self.text, self.notes, self.glossary)


@st.composite
def text_sites(draw: st.DrawFn) -> TextSite:
    paragraphs = []
    for _ in range(number(draw, 1, 5)):
        lines = []
        for _ in range(number(draw, 1, 3)):
            tokens = [pick(draw, VOCAB)]
            for _ in range(number(draw, 0, 12)):
                kind = number(draw, 0, 5)
                tokens.append(
                    draw(ODD_TEXT)
                    if kind == 0
                    else pick(draw, TEXT_NOISE)
                    if kind == 1
                    else pick(draw, VOCAB)
                )
            lines.append(" ".join(tokens))
        paragraphs.append("\n".join(lines))
    text = pick(draw, ("", "\n", " \n\n")) + "\n\n".join(paragraphs) + pick(draw, ENDINGS) + "\n"
    if number(draw, 0, 3) == 0:
        text = text.replace("\n", "\r\n")
    shown = words_of(text)
    notes = gen_notes(draw, shown) if draw(st.booleans()) else None
    glossary = gen_notes(draw, shown, glossary=True) if number(draw, 0, 2) == 0 else None
    return TextSite(text, notes, glossary)


@runs(800)
@given(text_sites())
def test_plain_text_articles_keep_their_words_and_notes(site: TextSite) -> None:
    with built(site.files()) as result:
        source, notes = result.seeds / "a.txt", result.seeds / "a.notes.md"
        pages = result.pages()
        if not pages:
            assert result.errors or is_draft(site.notes.text if site.notes else None)
            return
        [page] = pages
        html = page.read_text(encoding="utf-8")
        check_anchoring_keeps_the_text(html, source, notes if site.notes else None)
        # Scraped-text cleanup may take the first line for the title; it drops nothing else
        # here (no line of these texts is site chrome), and moves no word.
        normalized = site.text.replace("\r\n", "\n")
        title = strip_chrome(split_paragraphs(normalized)).title or ""
        body = words_of(text_without_notes(article_body(html)))
        assert words_of(site.text) == words_of(title) + body
        overridden = site.notes is not None and "title" in fields_of(site.notes.text)
        if title and not overridden:
            assert words_of(page_title(html)) == words_of(title)
        terms = note_terms(page.as_posix(), html)
        check_notes_placed_or_diagnosed(result, terms, site.notes, notes)


# Property 3: any text at all, as an article, its notes and the glossary.

# fmt: off
SOUP = (
    *VOCAB, *NOISE, "\n", "\n\n", "\r", "\r\n", "> ", "- ", "1. ", "# ", "## ", "```", "~~~",
    "    ", "\t", "[", "]", "(", ")", "![", "[^1]", "[^1]: ", "`", "---\n", "title: ",
    "aliases: ", "at: ", "at: every\n", "at: near ", "<div>", "</p>", "<!--", "\x00",
    "\x1b[31m", "\u202e", "\ufeff", "\u2028", "&#0;", "&#x110000;", "http://x.org/a_(b)",
)
# fmt: on
soup = st.lists(st.one_of(st.sampled_from(SOUP), st.text(max_size=4)), max_size=80).map("".join)


@dataclass
class SoupSite:
    name: str
    article: str | bytes
    notes: str | None
    glossary: str | None

    def files(self) -> dict[str, str | bytes]:
        files: dict[str, str | bytes] = {f"seeds/{self.name}": self.article}
        if self.notes is not None:
            files["seeds/a.notes.md"] = self.notes
        if self.glossary is not None:
            files["seeds/_glossary.md"] = self.glossary
        return files


def _notes_soup(text: str) -> str:
    return "## " + text


soup_sites = st.builds(
    SoupSite,
    name=st.sampled_from(["a.md", "a.txt"]),
    article=st.one_of(soup, soup, soup, st.binary(max_size=60)),
    notes=st.none() | soup.map(_notes_soup) | soup,
    glossary=st.none() | soup.map(_notes_soup),
)


@runs(1200)
@given(soup_sites)
def test_any_input_builds_safely(site: SoupSite) -> None:
    with built(site.files()) as result:
        for page in result.pages():
            html = page.read_text(encoding="utf-8")
            notes = result.seeds / "a.notes.md"
            check_anchoring_keeps_the_text(
                html, result.seeds / site.name, notes if site.notes is not None else None
            )
            note_terms(page.as_posix(), html)


# Property 4: in plain prose, each note is placed where its `at:` says.

AT_PROSE = ("first", "first", "every", "2", "3rd")
NTH = {"first": 1, "every": 0, "2": 2, "3rd": 3}
PROSE = ("para", "para", "item", "quote", "heading")


@dataclass
class ProseSite:
    text: str
    blocks: list[tuple[str, list[str]]]  # (kind, words)
    notes: list[tuple[str, str, int]]  # (term as written, at, line)
    glossary: list[tuple[str, str]]  # (term as written, at)

    def files(self) -> dict[str, str | bytes]:
        notes = "".join(f"## {term}\nat: {at}\n\nA note.\n\n" for term, at, _ in self.notes)
        glossary = "".join(
            f"## {term}\nat: {at}\n\nA glossary note.\n\n" for term, at in self.glossary
        )
        return {"seeds/a.md": self.text, "seeds/a.notes.md": notes, "seeds/_glossary.md": glossary}


def spelt(term: str, change: str) -> str:
    if change == "upper":
        return term.upper()
    if change == "ascii":
        return term.replace("’", "'").replace("‑", "-")
    return term


@st.composite
def prose_sites(draw: st.DrawFn) -> ProseSite:
    parts: list[tuple[str, list[str]]] = []
    for _ in range(number(draw, 1, 6)):
        parts.append((pick(draw, PROSE), some(draw, VOCAB, 1, 8)))
    marks = {"para": "", "item": "- ", "quote": "> ", "heading": "## "}
    text = "\n\n".join(marks[kind] + " ".join(ws) for kind, ws in parts) + "\n"
    terms = draw(st.lists(st.sampled_from(VOCAB), unique=True, max_size=4))
    notes = [
        (spelt(term, pick(draw, VARIANTS)), pick(draw, AT_PROSE), 1 + 5 * index)  # its line
        for index, term in enumerate(terms)
    ]
    shared = draw(st.lists(st.sampled_from(VOCAB), unique=True, max_size=3))
    glossary = [(term, pick(draw, AT_PROSE)) for term in shared]
    return ProseSite(text, parts, notes, glossary)


class Anchors(HTMLParser):
    """The words of a page's text (notes left out), each with the note its link names."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []  # (tag, data-note)
        self.words: list[tuple[str, str | None, bool]] = []  # (word, note id, in a heading)
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        values = {k: v or "" for k, v in attrs}
        self.stack.append((tag, values.get("data-note")))
        if self.skip or is_note(tag, values) or values.get("class") == "heading-link":
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        self.stack.pop()
        if self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        note = next((n for _, n in reversed(self.stack) if n), None)
        heading = any(re.fullmatch(r"h[1-6]", tag) for tag, _ in self.stack)
        self.words.extend((word, note, heading) for word in data.split())


def fold(term: str) -> str:
    return spelt(term, "ascii").casefold()


@runs(600)
@given(prose_sites())
def test_notes_are_placed_where_at_says(site: ProseSite) -> None:
    with built(site.files()) as result:
        [page] = result.pages()
        html = page.read_text(encoding="utf-8")
        terms = note_terms(page.as_posix(), html)
        anchors = Anchors()
        anchors.feed(article_body(html))
        notes_path = result.seeds / "a.notes.md"
        own = {fold(term) for term, _, _ in site.notes}
        rules = [(term, at, notes_path, line) for term, at, line in site.notes] + [
            (term, at, result.seeds / "_glossary.md", 0)
            for term, at in site.glossary
            if fold(term) not in own
        ]
        wrapped = {i for i, (_, note, _) in enumerate(anchors.words) if note}
        expected: set[int] = set()
        for term, at, path, line in rules:
            where = [
                i
                for i, (word, _, heading) in enumerate(anchors.words)
                if fold(word) == fold(term) and not heading
            ]
            nth = NTH[at]
            chosen = where if at == "every" else where[nth - 1 : nth]
            notes = {anchors.words[i][1] for i in chosen}
            assert len(notes) <= 1, (term, notes)
            expected.update(chosen)
            if chosen:
                assert term in terms, (term, terms)
            elif line:  # an article note that finds no place: a warning at its heading or at:
                assert result.diagnosed(path, line, line + 2), (term, at)
            if not chosen:
                assert term not in terms
        assert wrapped == expected


# Nesting past markdown-it's limit is an error at its line, never words lost in silence.


@st.composite
def deep_sites(draw: st.DrawFn) -> tuple[str, list[str]]:
    kinds: list[str] = []
    cost = 0
    target = number(draw, 21, 130)  # token levels: past 20 (markdown-it's) and 100 (ours)
    while cost < target:
        kinds.append(pick(draw, ("quote", "list")))
        cost += 1 if kinds[-1] == "quote" else 2
    text = " ".join(some(draw, VOCAB, 1, 3))
    for kind in reversed(kinds):
        inner = " ".join(some(draw, VOCAB, 1, 2)) + "\n\n" + text
        if kind == "list":
            text = _item("- ", inner)
        else:
            text = "\n".join("> " + line if line else ">" for line in inner.split("\n"))
    shown = words_of(text)
    return text + "\n", shown


@runs(100)
@given(deep_sites())
def test_deep_nesting_loses_no_word_without_an_error(site: tuple[str, list[str]]) -> None:
    text, shown = site
    with built({"seeds/a.md": text}) as result:
        errors = [d for d in result.report.diagnostics.errors if d.path.name == "a.md"]
        pages = result.pages()
        body = article_body(pages[0].read_text(encoding="utf-8")) if pages else ""
        assert words_of(text_without_notes(body)) == shown or (errors and errors[0].line > 1)


# Control characters in a source never reach the output (in a feed they would make the
# XML ill-formed): they are errors at their line.

C0 = tuple(chr(code) for code in range(0x20) if chr(code) not in "\t\n\r")


@st.composite
def control_sites(draw: st.DrawFn) -> tuple[str, str]:
    name = pick(draw, ("a.md", "a.txt"))
    lines = [" ".join(some(draw, VOCAB, 3, 12)) for _ in range(number(draw, 1, 3))]
    line = number(draw, 0, len(lines) - 1)
    at = number(draw, 0, len(lines[line]))
    lines[line] = lines[line][:at] + pick(draw, C0) + lines[line][at:]
    return name, "\n\n".join(lines) + "\n"


@runs(100)
@given(control_sites())
def test_control_characters_never_reach_the_output(site: tuple[str, str]) -> None:
    name, text = site
    with built({f"seeds/{name}": text}, "https://example.org/") as result:
        for path, data in tree(result.out).items():
            assert not any(chr(byte) in C0 for byte in data), path


# YAML's escapes ("\x00", "\e", "\a") put control characters into front-matter values
# that the source file does not hold.

FIELDS_SHOWN = ("title", "summary", "author", "source", "date", "tags")


@st.composite
def escaped_control_sites(draw: st.DrawFn) -> dict[str, str | bytes]:
    key = pick(draw, FIELDS_SHOWN)
    escape = f"\\x{ord(pick(draw, C0)):02x}"
    value = f'"{pick(draw, VOCAB)} {escape} {pick(draw, VOCAB)}"'
    front = f"---\n{key}: {value}\n---\n"
    body = " ".join(some(draw, VOCAB, 3, 12)) + "\n"
    if draw(st.booleans()):
        return {"seeds/a.md": front + body}
    return {"seeds/a.txt": body, "seeds/a.notes.md": front}


@settings(runs(50))
@given(escaped_control_sites())
def test_control_characters_from_yaml_escapes_never_reach_the_output(
    files: dict[str, str | bytes],
) -> None:
    with built(files, "https://example.org/") as result:
        for path, data in tree(result.out).items():
            assert not any(chr(byte) in C0 for byte in data), path


# Pieces of YAML for front matter: what libyaml and PyYAML's own reader may differ on.
YAML_PIECES = [
    *["title", "a", "x y", "é", "1", "0x", "~", "<<", "=", "\U0001f600", "\u3000", "\xa0"],
    *[":", ": ", " ", "  ", "\n", "\n  ", "- ", "-", "...", "---", ",", "&", "*", "%"],
    *["@", "`", '"', "'", "''", '"\\', "\\", "\\x", "\\u00", "#", " #", "[", "]", "{", "}"],
    *["?", "|", ">", "|-", ">+", "+", "!", "\t", "\r", "\ufeff", "\x85", "\u2028", "\x0b"],
]


def yaml_tree(node: yaml.Node | None) -> object:
    """A node tree as values to compare (libyaml leaves a plain scalar's style '', PyYAML None)."""
    if isinstance(node, yaml.ScalarNode):
        return (node.tag, node.value, node.style or None)
    if isinstance(node, yaml.SequenceNode):
        return (node.tag, [yaml_tree(item) for item in node.value])
    if isinstance(node, yaml.MappingNode):
        return (node.tag, [(yaml_tree(k), yaml_tree(v)) for k, v in node.value])
    return node


def read_yaml(read: Callable[[str], yaml.Node | None], text: str) -> object:
    try:
        return yaml_tree(read(text))
    except yaml.YAMLError:
        return "refused"


def pyyaml(text: str) -> yaml.Node | None:
    return yaml.compose(text, Loader=yaml.BaseLoader)


def libyaml(text: str) -> yaml.Node | None:
    return yaml.compose(text, Loader=yaml.CBaseLoader)


@pytest.mark.parametrize("text", ["\ufeff\ufeff", "\x85\ufeff?", "\r\ufeff"])
def test_front_matter_reads_as_pyyaml_reads_it_where_libyaml_would_not(text: str) -> None:
    assert read_yaml(libyaml, text) != read_yaml(pyyaml, text)
    assert read_yaml(frontmatter._compose, text) == read_yaml(pyyaml, text)


@settings(runs(3000))
@given(st.lists(st.sampled_from(YAML_PIECES), max_size=14).map("".join))
def test_front_matter_pyyaml_reads_reads_as_pyyaml_reads_it(text: str) -> None:
    # libyaml reads a few texts PyYAML refuses (`a:\tb`, `[Mars?]`): never one otherwise.
    if (pyyamls := read_yaml(pyyaml, text)) != "refused":
        assert read_yaml(frontmatter._compose, text) == pyyamls
