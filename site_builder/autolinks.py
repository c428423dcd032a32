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
"""

from __future__ import annotations

import types
from typing import Any

from markdown_it import MarkdownIt

WWW = "www."


def autolinks_plugin(md: MarkdownIt) -> None:
    """Turn bare URLs, `www.` addresses and e-mail addresses into links."""
    if md.linkify is None:
        raise RuntimeError("bare URLs need the linkify-it-py package")
    md.options["linkify"] = True
    md.enable("linkify")
    md.linkify.set({"fuzzy_link": False})
    pieces = md.linkify.re
    md.linkify.add(
        WWW,
        {
            # What follows `www.` in an http URL: the rest of the host, a port, a path.
            "validate": "^" + pieces["src_host_port_strict"] + pieces["src_path"],
            # A bound method: linkify-it-py sets a plain function on its class instead.
            "normalize": types.MethodType(_with_http, md.linkify),
        },
    )


def _with_http(linkify: Any, match: Any) -> None:  # linkify-it-py has no type hints
    """A `www.` address links to its http URL, as on GitHub (https sites redirect)."""
    match.url = "http://" + match.url
