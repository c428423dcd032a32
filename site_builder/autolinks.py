"""Bare URLs become links: markdown-it-py's linkify option, set for prose.

markdown-it-py finds URLs in text with linkify-it-py (never in code, nor inside
a link), and keeps only those the parser's `validateLink` accepts, so the safe
link rule holds for them too. What counts as a URL here:

- anything with a scheme: `https://example.org/a`, `mailto:editor@example.org`;
- an address starting `www.`: `www.example.org` links to `http://www.example.org`;
- an e-mail address: `editor@example.org` links to `mailto:editor@example.org`.

linkify-it also guesses links from a known ending (`nasa.gov`), which in prose
turns file names (`README.md`) and a missing space after a full stop
(`orbit.In 2020`: `.in` is India's) into links to sites that do not exist. That
guess is off; `www.` addresses, the common case it covered, are a rule of their
own, as GitHub has them.

Linear time. linkify-it reads the rest of the paragraph after every place a URL
might start (`www.`, `http:`...), and markdown-it-py's inline rule for `://`
searched all the text before it and copied all the text after it, each time: a
paragraph of `x://` or `www.` repeated took minutes for a few hundred
kilobytes. So a URL is read within `MAX_URL` characters of its scheme (a longer
one is cut there; the rest stays text), a `www.` address whose host name is
longer than DNS allows is none, and the inline rule is replaced by one that
looks back only over the scheme and reads the URL where it stands.
"""

from __future__ import annotations

import re
import string
import types
from collections.abc import Callable
from functools import partial
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

WWW = "www."
MAX_URL = 2_048  # characters after a scheme: the longest URL a sitemap may hold
MAX_HOST = 253 + len(":65535")  # characters: the longest host name DNS allows, and a port
LOOK_BACK = 3  # characters before a scheme that linkify-it's checks look at ("//" links)
# Scheme characters (RFC 3986), as markdown-it-py's [a-z0-9.+-] with IGNORECASE reads them:
# the dotless i, the long s and the Kelvin sign fold to ASCII letters.
_SCHEME_START = frozenset(string.ascii_letters + "\u0131\u017f\u212a")
_SCHEME = _SCHEME_START | frozenset(string.digits + ".+-")


def autolinks_plugin(md: MarkdownIt) -> None:
    """Turn bare URLs, `www.` addresses and e-mail addresses into links."""
    if md.linkify is None:
        raise RuntimeError("bare URLs need the linkify-it-py package")
    md.options["linkify"] = True
    md.enable("linkify")
    linkify = md.linkify
    linkify.set({"fuzzy_link": False})
    pieces = linkify.re
    # What follows `www.` in an http URL: the rest of the host, a port, a path.
    host = re.compile(pieces["src_host_port_strict"], re.IGNORECASE)
    path = re.compile(pieces["src_path"], re.IGNORECASE)
    linkify.add(
        WWW,
        {
            # Bound methods: linkify-it-py sets a plain function on its class instead.
            "validate": types.MethodType(_validate_www, (host, path)),
            "normalize": types.MethodType(_with_http, linkify),
        },
    )
    linkify.test_schema_at = partial(_within_reach, linkify.test_schema_at)
    # Every URL here starts with a scheme's name (http:, //, www. ...) or holds an `@`.
    schemes = sorted((name for name in linkify._compiled if name), key=len, reverse=True)
    may_link = re.compile("|".join(map(re.escape, [*schemes, "@"])), re.IGNORECASE)
    tails = _tails([*schemes, "@"])
    linkify.pretest = partial(_may_link, tails, may_link, None)
    linkify.test = partial(_may_link, tails, may_link, linkify.test)
    md.inline.ruler.at("linkify", linkify_inline)


def _validate_www(patterns: tuple[re.Pattern[str], re.Pattern[str]], text: str, at: int) -> int:
    """The length of the host, port and path after `www.` at `at` (0: no address).

    Matched where it stands, never in a copy of the rest of the text; a host name
    longer than DNS allows is no address, so that a run of `www.www.www…` costs
    little at each of its `www.`.
    """
    host_pattern, path_pattern = patterns
    host = host_pattern.match(text, at, at + MAX_HOST + 8)  # lookaheads see past the limit
    if host is None or host.end() > at + MAX_HOST:
        return 0
    path = path_pattern.match(text, host.end())
    return (path.end() if path else host.end()) - at


def _tails(names: list[str]) -> frozenset[str]:
    """The last two characters of each name, in either case: a text that holds one of
    the names, in any case, holds one of these."""
    tails = set()
    for name in names:
        tail = name[-2:]
        for first in {tail[:1].lower(), tail[:1].upper()}:
            tails |= {first + tail[1:].lower(), first + tail[1:].upper()}
    return frozenset(tails)


def _may_link(
    tails: frozenset[str],
    may_link: re.Pattern[str],
    test: Callable[[str], bool] | None,
    text: str,
) -> bool:
    """Whether a text may hold a URL, then linkify-it's `test` where one is given.

    linkify-it's own checks run a long regular expression over every paragraph and
    every piece of text in it: a quarter of the time of rendering a page with a link.
    Ours looks for the schemes' names, first for their last characters (`p:`, `//`),
    with `in`: a case-blind regular expression took 7 µs a sentence.
    """
    if not any(tail in text for tail in tails) or may_link.search(text) is None:
        return False
    return test is None or test(text)


def _with_http(linkify: Any, match: Any) -> None:  # linkify-it-py has no type hints
    """A `www.` address links to its http URL, as on GitHub (https sites redirect)."""
    match.url = "http://" + match.url


def _within_reach(
    test_schema_at: Callable[[str, str, int], int], text: str, name: str, at: int
) -> int:
    """linkify-it's check of the URL after a scheme, on at most MAX_URL characters of it."""
    start = max(0, at - LOOK_BACK)
    return test_schema_at(text[start : at + MAX_URL], name, at - start)


def linkify_inline(state: StateInline, silent: bool) -> bool:
    """A URL with `://`, read as a link before emphasis can break it.

    markdown-it-py's `linkify` inline rule (MIT), in time linear in the paragraph:
    the scheme is read back from the end of the pending text over scheme characters
    (they searched it from the text's start), and the URL is checked where it stands
    (they checked a copy of the rest of the paragraph).
    """
    linkify = state.md.linkify
    if not state.md.options.linkify or state.linkLevel > 0 or linkify is None:
        return False
    pos, src = state.pos, state.src
    if pos + 3 > state.posMax or not src.startswith("://", pos):
        return False
    pending = state.pending
    start = len(pending)
    while start and pending[start - 1] in _SCHEME:
        start -= 1
    proto = pending[start:]
    if not proto or proto[0] not in _SCHEME_START:
        return False
    length = linkify.test_schema_at(src, proto + ":", pos + 1)
    if not length:
        return False
    url = src[pos - len(proto) : pos + 1 + length].rstrip("*")  # `*` ends emphasis
    full_url = state.md.normalizeLink(url)
    if not state.md.validateLink(full_url):
        return False
    if not silent:
        state.pending = state.pending[: -len(proto)]
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": full_url}
        token.markup = "linkify"
        token.info = "auto"
        token = state.push("text", "", 0)
        token.content = state.md.normalizeLinkText(url)
        token = state.push("link_close", "a", -1)
        token.markup = "linkify"
        token.info = "auto"
    state.pos += len(url) - len(proto)
    return True
