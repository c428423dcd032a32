"""Bare URLs become links in articles and notes: safe ones, outside code and links."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.autolinks import MAX_URL, _tails
from site_builder.diagnostics import Diagnostics
from site_builder.notes import parse_notes
from site_builder.render import article_parser, note_parser, render_note_body, text_parser


def p(html: str) -> str:
    return f"<p>{html}</p>\n"


@pytest.mark.parametrize(
    ("source", "html"),
    [
        (
            "See https://example.org/orbits.",
            'See <a href="https://example.org/orbits">https://example.org/orbits</a>.',
        ),
        (
            "(see https://en.wikipedia.org/wiki/Orbit_(disambiguation))",
            '(see <a href="https://en.wikipedia.org/wiki/Orbit_(disambiguation)">'
            "https://en.wikipedia.org/wiki/Orbit_(disambiguation)</a>)",
        ),
        (
            "At http://example.org/a?b=1&c=2#d, then",
            'At <a href="http://example.org/a?b=1&amp;c=2#d">http://example.org/a?b=1&amp;c=2#d</a>,'
            " then",
        ),
        ("www.example.org/page", '<a href="http://www.example.org/page">www.example.org/page</a>'),
        (
            "Write to editor@example.org.",
            'Write to <a href="mailto:editor@example.org">editor@example.org</a>.',
        ),
        (
            "mailto:editor@example.org",
            '<a href="mailto:editor@example.org">mailto:editor@example.org</a>',
        ),
        (
            "https://ru.wikipedia.org/wiki/Марс",
            '<a href="https://ru.wikipedia.org/wiki/%D0%9C%D0%B0%D1%80%D1%81">'
            "https://ru.wikipedia.org/wiki/Марс</a>",
        ),
        ("*https://example.org*", '<em><a href="https://example.org">https://example.org</a></em>'),
    ],
)
def test_bare_urls_become_links(source: str, html: str) -> None:
    assert article_parser().render(source) == p(html)


@pytest.mark.parametrize(
    "source",
    [
        "README.md and notes.md",  # file names are not sites
        "nasa.gov",  # nor are names without www. or a scheme
        "the end.It was a long orbit.In 2020",  # nor a missing space after a full stop
        "wwww.example.org and awww.example.org",
        "javascript:alert(1)",
        "javascript://example.org/%0aalert(1)",
        "data:text/html,hi",
        "file:///etc/passwd",
        "ftp://example.org/file",
    ],
)
def test_other_text_is_left_alone(source: str) -> None:
    assert "<a" not in article_parser().render(source)


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("`https://example.org`", "<p><code>https://example.org</code></p>\n"),
        ("```\nhttps://example.org\n```", "<pre><code>https://example.org\n</code></pre>\n"),
        ("    www.example.org", "<pre><code>www.example.org\n</code></pre>\n"),
        (
            "[see https://example.org/a](https://example.org/b)",
            '<p><a href="https://example.org/b">see https://example.org/a</a></p>\n',
        ),
        (
            "<https://example.org/a>",
            '<p><a href="https://example.org/a">https://example.org/a</a></p>\n',
        ),
    ],
)
def test_never_in_code_nor_inside_a_link(source: str, html: str) -> None:
    assert article_parser().render(source) == html


def test_notes_link_bare_urls_too() -> None:
    [note] = parse_notes(
        Path("seeds/a.notes.md"),
        "## Mars\nSee https://mars.nasa.gov/ and `https://x.org`.\n",
        Diagnostics(),
    ).notes
    assert render_note_body(note).html == p(
        'See <a href="https://mars.nasa.gov/">https://mars.nasa.gov/</a> and '
        "<code>https://x.org</code>."
    )
    assert "<a" not in note_parser().render("javascript:alert(1) README.md")


def test_footnotes_link_bare_urls_too() -> None:
    rendered = article_parser().render("Text[^1].\n\n[^1]: At www.example.org.\n")
    assert '<p>At <a href="http://www.example.org">www.example.org</a>.</p>' in rendered


def test_text_articles_show_urls_as_written() -> None:
    assert text_parser().render("See https://example.org/a.") == p("See https://example.org/a.")


def test_a_bare_url_is_read_up_to_2048_characters_after_its_scheme() -> None:
    path = "/" + "a" * 3_000
    html = article_parser().render(f"See https://example.org{path} here")
    url = "https:" + ("//example.org" + path)[:MAX_URL]
    assert html == p(f'See <a href="{url}">{url}</a>{path[MAX_URL - 13 :]} here')


def test_a_www_address_whose_host_name_is_longer_than_dns_allows_is_text() -> None:
    long_host = "www." + "a." * 130 + "org"  # 267 characters
    assert article_parser().render(long_host) == p(long_host)
    host = "www." + "a." * 120 + "org"
    assert article_parser().render(host) == p(f'<a href="http://{host}">{host}</a>')


@pytest.mark.parametrize(
    ("source", "html"),
    [
        # markdown-it-py's own rule took "www.example.org" for a scheme, linked it as
        # http://www.example.org and skipped as many characters: "://x" was lost.
        (
            "www.example.org://x",
            '<a href="http://www.example.org">www.example.org</a>://x',
        ),
        ("mailto:www.example://x", "mailto:www.example://x"),
    ],
)
def test_a_scheme_that_is_no_scheme_loses_no_text(source: str, html: str) -> None:
    assert article_parser().render(source) == p(html)


@given(st.text(max_size=20), st.sampled_from(["//", "ftp:", "http:", "mailto:", "www.", "@"]))
def test_a_text_holding_a_scheme_in_any_case_holds_one_of_its_tails(
    around: str, scheme: str
) -> None:
    cased = "".join(c.upper() if i % 2 else c for i, c in enumerate(scheme))
    for name in (scheme, scheme.upper(), cased):
        text = around[:5] + name + around[5:]
        assert any(tail in text for tail in _tails([scheme]))
