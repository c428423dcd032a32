"""Site settings from `site.toml`: a declared schema, each option with its type, default and doc.

The declarations in SiteConfig are the only list of options: load_config validates
against them and `python -m site_builder.settings_table` renders the README's reference.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import Field, dataclass, field, fields
from pathlib import Path
from typing import TypeVar, get_type_hints
from urllib.parse import urlsplit

from .diagnostics import Diagnostics, printable, shown
from .reading import CONTROL, DEFAULT_MAX_MB, Reader, Refused, decode

CONFIG_FILE = "site.toml"
TOML_PLACE = re.compile(r" \(at (?:line (\d+), column (\d+)|end of document)\)")
# How to mend what tomllib reports, for the mistakes people make in a settings file.
TOML_HINTS = (
    ("Illegal character '\\n'", "a quoted value ends on its own line: close the quote"),
    ("Unterminated string", 'close the quote (""")'),
    ('Expected "\'"', "close the quote (')"),
    ("Invalid value", 'put text in quotes, such as title = "My readings"'),
    ("Unclosed array", "close the list with ]"),
    ("Unclosed inline table", "close the table with }"),
    ("Cannot overwrite a value", "a setting is given twice"),
    ("Expected '=' after a key", "write each setting as key = value"),
    ("Expected newline or end of document", "one setting a line, its text in quotes"),
    ("Unescaped '\\'", "write \\\\ for a backslash, or put the text in single quotes"),
)
DOMAIN = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", re.IGNORECASE
)
# The characters an address may hold unescaped (RFC 3986: unreserved, reserved, and %).
ADDRESS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")  # a language tag (BCP 47), roughly
# The longest language tag a page may carry. Pagefind's indexer fails on the whole site
# (a panic: "byte index 40 is out of bounds of `<a digest of 39 hex digits>`") when a
# page's <html lang> has 32 characters or more; real tags have under 24.
LANG_MAX = 24


T = TypeVar("T")


class ConfigError(Exception):
    """The configuration cannot be used; the message names the file, line and option, a
    line for each problem (each printable: no value can fake a line of its own)."""

    def __init__(self, *problems: str) -> None:
        super().__init__("\n".join(printable(problem) for problem in problems))


def setting(default: T, doc: str) -> T:
    """Declare one option of site.toml: its default and what it does, in one sentence or two.

    The type comes from the annotation. Validation (load_config) and the settings
    reference in the README (site_builder.settings_table) both read these declarations.
    """
    return field(default=default, metadata={"doc": doc})


@dataclass(frozen=True)
class SiteConfig:
    """Every option of site.toml, declared once: name, type, default and doc."""

    title: str = setting(
        "Annotated readings",
        "Site name, shown in every page's header and as the reading list's heading.",
    )
    description: str = setting(
        "",
        "One sentence about the site: under the reading list's heading, and the pages' "
        "meta description.",
    )
    site_url: str = setting(
        "",
        "Absolute http(s) address the site is published at, e.g. "
        "`https://user.github.io/repo/`: a host and a path, with no query, fragment or space. "
        "Enables sitemap.xml, feed.xml, robots.txt and "
        "canonical links, and a 404 page that works at any depth; `--site-url` overrides it. "
        "Empty: links stay relative and those files are left out.",
    )
    language: str = setting(
        "en",
        "Default language of articles (a BCP 47 tag such as `en` or `fr-CA`), for "
        "`<html lang>` (with `dir=rtl` for a language written right to left, such as "
        "`ar` or `he`) and the way dates are written (`3 February 2025`); an article's "
        "`lang` front matter overrides it on its page. The reading list, terms and tag "
        "pages are in this language.",
    )
    author: str = setting("", "Site owner, credited in every page's footer.")
    domain: str = setting(
        "",
        "Custom domain the site is served at, e.g. `readings.example.org`: writes the "
        "CNAME file GitHub Pages reads, and stands for site_url (`https://DOMAIN/`) when "
        "that is empty.",
    )
    search: bool = setting(
        True,
        "Whether `build` and `deploy` write a Pagefind search index (a few seconds a "
        "thousand articles). `false`: none is written, and the search box in the header "
        "stays a link to the terms page.",
    )
    max_file_mb: int = setting(
        DEFAULT_MAX_MB,
        "The largest input file read, in megabytes (of 1,048,576 bytes): a larger source, "
        "notes file, glossary, template, static or public/ file is an error at that file, "
        "and is never read whole.",
    )

    @property
    def base_url(self) -> str:
        """site_url (or https://domain/) with exactly one trailing slash, or empty."""
        url = self.site_url or (f"https://{self.domain}/" if self.domain else "")
        return url.rstrip("/") + "/" if url else ""

    @property
    def base_path(self) -> str:
        """The path of the site's address (/REPO/ on a project site), or / when unknown."""
        return urlsplit(self.base_url).path or "/"


SETTINGS: tuple[Field[object], ...] = fields(SiteConfig)
TYPES: dict[str, type] = get_type_hints(SiteConfig)
OPTIONS = {setting.name for setting in SETTINGS}
WHOLE_NUMBERS = {name for name, kind in TYPES.items() if kind is int}
SWITCHES = {name for name, kind in TYPES.items() if kind is bool}


def _deep_line(text: str, deep: int = 100) -> int:
    """The line where arrays and inline tables first nest `deep` levels (quotes are taken
    to hold no brackets: the line only points the way)."""
    depth = 0
    for index, char in enumerate(text):
        depth += (char in "[{") - (char in "]}")
        if depth >= deep:
            return text.count("\n", 0, index) + 1
    return 1


def shorter_lang(tag: str) -> str:
    """A language tag cut to LANG_MAX characters: its extensions (`-u-...`, `-x-...`: a
    subtag of one letter starts one) left out first, then subtags from the end."""
    kept: list[str] = []
    for subtag in tag.split("-"):
        if len(subtag) == 1:
            break
        kept.append(subtag)
    while len("-".join(kept)) > LANG_MAX:
        kept.pop()
    return "-".join(kept)


def _toml_problem(message: str, text: str) -> tuple[int, str]:
    """The line and the words for what tomllib found wrong. It puts the place at the end of
    its message, "... (at line 3, column 7)" or "(at end of document)": for a quote that
    never closes, the place it opens is the last of its kind in the file."""
    where = TOML_PLACE.search(message)
    reason = TOML_PLACE.sub("", message)
    hint = next((hint for start, hint in TOML_HINTS if reason.startswith(start)), "")
    if where is not None and where.group(1):
        line, reason = int(where.group(1)), f"{reason} (column {where.group(2)})"
    else:
        quote = {"Unterminated string": '"""', 'Expected "\'"': "'"}.get(reason.split(" (")[0])
        end = text.rfind(quote) if quote else len(text.rstrip()) - 1
        line = text.count("\n", 0, max(end, 0)) + 1
    return line, f"{reason}; {hint}" if hint else reason


def load_config(path: Path, site_url: str | None = None) -> SiteConfig:
    """Read site.toml (defaults when it is missing); `site_url` (from --site-url) overrides
    the file's. Errors name where the value came from: the file's line, or --site-url."""
    values: dict[str, str | int | bool] = {}
    text = ""
    problems = Diagnostics()  # every bad option, told together
    told: list[str] = []
    if os.path.lexists(path):
        try:
            raw = Reader().read(path)
        except Refused as refused:  # a FIFO named site.toml, a symlink loop
            raise ConfigError(f"{shown(path)}:1: error: {refused}") from None
        except OSError as exc:  # a file we may not read
            raise ConfigError(f"{shown(path)}:1: error: cannot be read: {exc.strerror}") from None
        decoded = decode(path, raw, problems)  # UTF-16, bytes not UTF-8: as sources say it
        if decoded is None:
            raise ConfigError(problems.items[0].format())
        text = decoded
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            line, reason = _toml_problem(str(exc), text)
            raise ConfigError(f"{shown(path)}:{line}: error: {reason}") from None
        except RecursionError:  # tomllib reads arrays and tables inside one another by recursion
            line = _deep_line(text)
            raise ConfigError(f"{shown(path)}:{line}: error: values nested too deeply") from None
        for key, value in data.items():
            line = _line_of(text, key)
            if key not in OPTIONS:
                known = ", ".join(sorted(OPTIONS))
                problems.error(path, line, f"unknown option '{key}' (known: {known})")
            elif key in SWITCHES:
                if not isinstance(value, bool):
                    problems.error(
                        path,
                        line,
                        f"option '{key}' must be true or false (without quotes), "
                        f"such as {key} = false",
                    )
                values[key] = value
            elif key in WHOLE_NUMBERS:
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    problems.error(
                        path,
                        line,
                        f"option '{key}' must be a whole number, 1 or more, "
                        f"such as {key} = {getattr(SiteConfig, key)}",
                    )
                values[key] = value
            elif not isinstance(value, str):
                problems.error(path, line, f"option '{key}' must be a string")
            elif control := CONTROL.search(value):  # a TOML escape such as "\u0007"
                code = ord(control.group())
                problems.error(path, line, f"option '{key}' holds control character U+{code:04X}")
            else:
                values[key] = value.strip()
    if site_url is not None:
        values["site_url"] = site_url.strip()
    url = str(values.get("site_url", ""))
    if url and not _is_address(url):
        message = (
            "option 'site_url' must be an absolute http(s) address such as "
            f"https://example.org/, not '{url}' (a host and a path: no user name, query, "
            "fragment or space, other characters percent-encoded)"
        )
        if site_url is None:
            problems.error(path, _line_of(text, "site_url"), message)
        else:  # not in the file: said first
            told.append(f"--site-url: error: {message}")
    language = values.get("language", SiteConfig.language)
    if isinstance(language, str) and not LANG.match(language):  # it goes into <html lang>
        problems.error(
            path,
            _line_of(text, "language"),
            f"option 'language' must be a language tag such as en or fr-CA, not '{language}'",
        )
    elif isinstance(language, str) and len(language) > LANG_MAX:
        problems.error(
            path,
            _line_of(text, "language"),
            f"option 'language' must be at most {LANG_MAX} characters (the search index "
            f"takes no longer tag), such as '{shorter_lang(language)}'",
        )
    domain = values.get("domain", "")
    if isinstance(domain, str) and domain and not DOMAIN.match(domain):
        problems.error(
            path,
            _line_of(text, "domain"),
            f"option 'domain' must be a host name such as readings.example.org, not '{domain}'",
        )
    told += [problem.format() for problem in sorted(problems.items, key=lambda p: p.line)]
    if told:  # all of them at once, in the order of the file's lines
        raise ConfigError(*told)
    return SiteConfig(**values)  # type: ignore[arg-type]


def _is_address(url: str) -> bool:
    """Whether a site's address is one every page's address can be made from by adding
    a path: http(s), a host (and a valid port), a path, nothing after it, and only
    characters an address holds as it is (ADDRESS)."""
    if not ADDRESS.fullmatch(url) or "?" in url or "#" in url:
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a port out of range raises)
    except ValueError:  # "http://[", "https://x.org:99999/"
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.username


def _line_of(text: str, key: str) -> int:
    """The line where a top-level key is set, for messages: `key = ...`, `key.sub = ...`
    before any table, or a table `[key]`, `[key.sub]`, `[[key]]` (1 when not found)."""
    table = re.compile(rf"^\s*\[\[?\s*{_key_pattern(key)}\s*[.\]]")
    assignment = re.compile(rf"^\s*{_key_pattern(key)}\s*[.=]")
    in_table = in_string = False
    for number, line in enumerate(text.splitlines(), 1):
        if not in_string and table.match(line):
            return number
        if not in_string and not in_table and assignment.match(line):
            return number
        if not in_string and line.lstrip().startswith("["):
            in_table = True
        # A multi-line string's lines are text, never keys.
        in_string ^= (line.count('"""') + line.count("'''")) % 2 == 1
    return 1


def _key_pattern(key: str) -> str:
    """A TOML key as written: bare, "quoted" or 'quoted'."""
    bare = re.escape(key)
    return f"(?:{bare}|\"{bare}\"|'{bare}')"
