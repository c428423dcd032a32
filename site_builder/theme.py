"""Pages from the theme's Jinja2 templates: articles, notes, the reading list, terms, tags, 404.

Every page gets `root`, the relative path back to the site's top (`""`, `"../"`, `"../../"`),
so links work from `file://`, at a domain root and under a project path alike.
Every template goes through `render_template`, which turns any Jinja error into
a TemplateFailure carrying a `path:line: error:` diagnostic.
"""

from __future__ import annotations

import hashlib
import os
import traceback
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .config import SiteConfig
from .deadline import Deadline, TimeUp
from .diagnostics import Diagnostic, Diagnostics, Severity
from .direction import direction
from .listing import reading_list, shown_date
from .notes import Note
from .reading import Reader, Refused
from .render import NoteBody, RenderedArticle
from .tags import FOLDER as TAGS
from .tags import TagEntry
from .terms import FOLDER as TERMS
from .terms import TERM_ROOT, TermEntry, TermsIndex

THEME = Path(__file__).parent / "theme"
SOURCE_CHECKOUT = Path(__file__).parent.parent  # where templates/ sits in a git checkout
THEME_READER = Reader(follow_symlinks=True)  # the default theme is ours, wherever it is
LOOK_CHUNKS = 256  # pieces of a page's output between looks (render_template)
# The largest whole number a template may make, in bits (about 4,900 digits, more than
# Python prints): `**` and `*` on whole numbers run in C, where no deadline reaches.
MAX_BITS = 16_384
# The longest a template may render (deadline.py): a page takes milliseconds, the
# largest of the terms index (a letter's, at 10,000 articles) a second.
RENDER_SECONDS = 60
MAX_REPEATED = 1_000_000  # the longest string or list a template may make with `*`


def default_theme(part: str) -> Path:
    """The default theme's `templates` or `static` folder, installed or in a checkout."""
    installed = THEME / part
    return installed if installed.is_dir() else SOURCE_CHECKOUT / part


def _plain(html: str) -> str:
    """The text of a little HTML (a gloss), for a meta description."""
    return " ".join(markupsafe.Markup(html).striptags().split())


class TemplateFailure(Exception):
    """A template could not be rendered; `diagnostic` says where and why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


class _Environment(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, with each template's globals one plain dict.

    Templates come from the site's repository, which many may push to, and CI builds
    it: they may read what they are given, never reach Python's internals (a
    template's `lipsum.__globals__` led to `os.popen`), change what they are given,
    or make a string or number too large to hold."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._safe: dict[tuple[type, str], bool] = {}
        # A render that ran out of time (RENDER_SECONDS): every later one fails at once
        # with it, or a layout looping without end would take that long for every page.
        self.stuck: Diagnostic | None = None

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # Jinja's answer depends on the object's type and the name alone (a name with an
        # underscore, a function's internals, a method that changes a list): asked for
        # each attribute a page's templates read, it cost a third of a term page's render.
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = super().is_safe_attribute(obj, attr, value)
        return safe

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        if _bits(operator, left, right) > MAX_BITS:
            raise SecurityError(f"a number of more than {MAX_BITS:,} bits is not allowed")
        if operator == "*":
            size = _repeated(left, right) or _repeated(right, left)
            if size > MAX_REPEATED:
                raise SecurityError(f"a value of more than {MAX_REPEATED:,} items is not allowed")
        return super().call_binop(context, operator, left, right)

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        # Jinja chains a template's globals over the environment's, and every render copies
        # them: iterating the chain took longer than filling a note's template. Ours are
        # all set before the first template loads (Theme.__init__), as Jinja asks.
        return {**self.globals, **(d or {})}


def _bits(operator: str, left: Any, right: Any) -> int:
    """At least how many bits `left ** right` or `left * right` would take, when both are
    whole numbers (0 otherwise): a chain like `((10 ** 100) ** 100) ** 100` grows fast."""
    if not (isinstance(left, int) and isinstance(right, int)):
        return 0
    if operator == "*":
        return left.bit_length() + right.bit_length() - 1
    return (left.bit_length() - 1) * right if abs(left) > 1 and right > 0 else 0


def _repeated(sequence: Any, times: Any) -> int:
    """How long `sequence * times` would be, when it repeats a sequence (0: it does not)."""
    if isinstance(sequence, (str, list, tuple)) and isinstance(times, int):
        return len(sequence) * times
    return 0


def render_template(
    env: _Environment,
    name: str,
    look: Callable[[], None] | None = None,
    **context: object,
) -> str:
    """One template rendered; any Jinja error becomes a TemplateFailure naming file and line.

    `look` is called every LOOK_CHUNKS pieces of output, and may raise to stop: a letter's
    page of the terms index takes a second to render at 10,000 articles, which a save
    made meanwhile would wait for."""
    if env.stuck is not None:
        raise TemplateFailure(env.stuck)
    try:
        with Deadline(RENDER_SECONDS):
            template = env.get_template(name)
            if look is None:
                return template.render(**context)
            return "".join(_looking(template.generate(**context), look))
    except jinja2.TemplateSyntaxError as exc:
        where, line, message = exc.filename or exc.name or name, exc.lineno, exc.message
        raise TemplateFailure(_error(where, line, message or "template syntax error")) from None
    except Exception as exc:
        stack = traceback.extract_tb(exc.__traceback__)
        if isinstance(exc, RecursionError):  # a layout extending or including itself
            message = "it extends, includes or calls itself without end"
        elif isinstance(exc, TimeUp):
            message = f"rendering took over {RENDER_SECONDS} s (a loop without end?)"
        elif isinstance(exc, MemoryError):  # a string of a billion characters: "x"|center(10**9)
            message = "it needs more memory than there is"
        elif isinstance(exc, (jinja2.TemplateError, OverflowError)) or _is_template(
            stack[-1].filename
        ):  # raised by Jinja, its sandbox (range(10**9)), or the template's code: {{ 1 / 0 }}
            message = str(exc)
        else:
            raise  # raised by our code, which the template called: an internal error
        frames = [frame for frame in stack if _is_template(frame.filename)]
        frame = frames[-1] if frames else None
        where = frame.filename if frame else name
        line = (frame.lineno or 0) if frame else 0
        failure = _error(where, line, f"template error: {message}")
        if isinstance(exc, TimeUp):
            env.stuck = failure
        raise TemplateFailure(failure) from None


def _looking(pieces: Iterator[str], look: Callable[[], None]) -> Iterator[str]:
    for number, piece in enumerate(pieces):
        if number % LOOK_CHUNKS == 0:
            look()
        yield piece


def _is_template(filename: str) -> bool:
    return filename.endswith((".html", ".xml", ".txt")) and not filename.endswith(".py")


def _error(where: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(Path(where), line, Severity.ERROR, message)


class Loader(jinja2.BaseLoader):
    """Templates from the first folder that has one, each folder with its Reader: the
    project's own are refused as any input is (outside the site, not a file, too large),
    which is a TemplateFailure at the template."""

    def __init__(self, folders: Sequence[tuple[Path, Reader]]) -> None:
        self.folders = folders

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder, reader in self.folders:
            path = folder.joinpath(*pieces)
            if not os.path.lexists(path):
                continue
            try:
                text = reader.read(path).decode("utf-8")
                mtime = os.stat(path).st_mtime
            except Refused as refused:
                raise TemplateFailure(_error(str(path), 0, str(refused))) from None
            except OSError as exc:
                message = f"cannot be read: {exc.strerror}"
                raise TemplateFailure(_error(str(path), 0, message)) from None
            except UnicodeDecodeError as exc:
                message = f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x}); save it as UTF-8"
                raise TemplateFailure(_error(str(path), 0, message)) from None

            def uptodate(path: Path = path, mtime: float = mtime) -> bool:
                try:
                    return os.stat(path).st_mtime == mtime
                except OSError:
                    return False

            return text, str(path), uptodate
        raise jinja2.TemplateNotFound(template)


class Theme:
    """Renders pages; the project's own templates/ come first, the default theme fills gaps."""

    def __init__(
        self, config: SiteConfig, templates: Path | None = None, reader: Reader = THEME_READER
    ) -> None:
        folders = [(templates, reader)] if templates and templates.is_dir() else []
        folders.append((default_theme("templates"), THEME_READER))
        self.config = config
        self.templates = templates
        self.reader = reader
        self.folders = folders
        self.env = _Environment(
            loader=Loader(folders),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            # A theme lives for one build (an edited template rebuilds everything with a
            # new one), so Jinja need not look at each file's time before every page.
            auto_reload=False,
        )
        self.env.globals["site"] = config
        # For a part of a page in another language than the page (an article on the
        # reading list): `dir="{{ direction(meta.lang) }}"` beside its `lang`.
        self.env.globals["direction"] = direction
        # Called while a page renders, to stop for a change waiting (Site, while it makes
        # the site-wide pages of a rebuild); None: pages render whole.
        self.look: Callable[[], None] | None = None

    def fingerprint(self) -> str:
        """A digest of every template this theme may use, for the page cache."""
        found: dict[str, bytes | str] = {}
        refused = Diagnostics()  # a template refused is one rendering fails on: part of it
        for folder, reader in reversed(self.folders):  # the first folder's win
            for relative, path in reader.files(folder, refused):
                try:
                    found[relative] = reader.read(path)
                except (Refused, OSError) as exc:
                    found[relative] = str(exc)
        shape = repr((sorted(found.items()), refused.items))
        return hashlib.blake2b(shape.encode(), digest_size=20).hexdigest()

    def _render(self, name: str, root: str, path: str | None, **context: object) -> str:
        """A page at `path` from the site's root (None: no address of its own)."""
        base = self.config.base_url
        page_url = base + path if base and path is not None else ""
        context.setdefault("description", self.config.description)
        # Every page passes its `lang`; its direction goes with it, onto <html>.
        context["dir"] = direction(str(context["lang"]))
        return render_template(self.env, name, self.look, root=root, page_url=page_url, **context)

    def note(self, note: Note, body: NoteBody, note_id: str, refs: Sequence[str]) -> str:
        """One note's `<aside>`; markdown-it calls this while rendering an article."""
        return render_template(self.env, "note.html", note=note, id=note_id, refs=refs, body=body)

    def article(self, page: RenderedArticle) -> str:
        meta = page.article.meta
        return self._render(
            "article.html",
            "../",
            meta.slug + "/",
            page=page,
            meta=meta,
            date=shown_date(meta, meta.lang),
            lang=meta.lang,
            description=meta.summary or page.opening,
        )

    def index(self, pages: Sequence[RenderedArticle], tags: Sequence[TagEntry] = ()) -> str:
        """index.html: the reading list of `pages`, given in reading order."""
        language = self.config.language
        groups = reading_list(pages, language)
        return self._render(
            "index.html", "", "", pages=pages, groups=groups, tags=tags, lang=language
        )

    def terms(self, index: TermsIndex, part: str | None = None) -> str:
        """terms/index.html: every term by letter, with its gloss and its places; or, for a
        large glossary, the page of one letter (`part`: its group's id) or of the letters."""
        groups, unused = index.showing(part)
        return self._render(
            "terms.html",
            "../",
            f"{TERMS}/" + (index.href(part) if part else ""),
            index=index,
            part=part,
            groups=groups,
            unused=index.unused if unused else (),
            lang=self.config.language,
        )

    def term(self, entry: TermEntry) -> str:
        """terms/SLUG/index.html: one term's whole note and its places."""
        return self._render(
            "term.html",
            TERM_ROOT,
            f"{TERMS}/{entry.slug}/",
            entry=entry,
            lang=self.config.language,
            description=_plain(entry.gloss),
        )

    def tags(self, entries: Sequence[TagEntry]) -> str:
        """tags/index.html: every tag."""
        return self._render(
            "tags.html", "../", f"{TAGS}/", entries=entries, lang=self.config.language
        )

    def tag(self, entry: TagEntry) -> str:
        """tags/SLUG/index.html: one tag's articles, as the reading list shows them."""
        return self._render(
            "tag.html",
            "../../",
            f"{TAGS}/{entry.tag.slug}/",
            entry=entry,
            pages=entry.pages,
            groups=reading_list(entry.pages, self.config.language),
            lang=self.config.language,
        )

    def not_found(self) -> str:
        # A 404 page is served at any depth, so only a root-relative path works
        # there: the path of the site's address (/REPO/ on a project site).
        return self._render("404.html", self.config.base_path, None, lang=self.config.language)
