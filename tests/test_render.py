"""Tests for rendering articles and notes: safety, highlighting and placement warnings."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from site_builder.config import SiteConfig
from site_builder.diagnostics import Diagnostics
from site_builder.glossary import Glossary, build_trie
from site_builder.notes import Note, parse_notes
from site_builder.render import (
    NoteBody,
    article_parser,
    highlight_code,
    note_parser,
    render_article,
    render_note_body,
    safe_link,
    text_parser,
)
from site_builder.sources import Article, Metadata
from site_builder.theme import Theme

SOURCE = Path("seeds/mars.md")
NOTES = Path("seeds/mars.notes.md")


def read_notes(text: str, path: Path = NOTES, glossary: bool = False) -> tuple[Note, ...]:
    diagnostics = Diagnostics()
    notes = parse_notes(path, text, diagnostics, glossary=glossary).notes
    assert diagnostics.items == []
    return notes


def make_article(
    body: str, notes_md: str = "", kind: str = "markdown", excerpt: bool = False
) -> Article:
    return Article(
        path=SOURCE,
        notes_path=NOTES,
        kind="text" if kind == "text" else "markdown",
        meta=Metadata(title="Mars", slug="mars", excerpt=excerpt),
        body=body,
        notes=read_notes(notes_md),
    )


def note_html(note: Note, body: NoteBody, note_id: str, refs: Sequence[str]) -> str:
    return f'<aside id="{note_id}">{body.html}</aside>\n'


def render(
    body: str, notes_md: str = "", kind: str = "markdown", glossary: Glossary | None = None
) -> tuple[str, list[tuple[Path, int, str, str]]]:
    """An article's HTML and its diagnostics as (path, line, severity, message)."""
    diagnostics = Diagnostics()
    page = render_article(
        make_article(body, notes_md, kind), glossary or Glossary(), note_html, diagnostics
    )
    problems = [(d.path, d.line, d.severity.value, d.message) for d in diagnostics.items]
    return page.html, problems


# safe links


SAFE = [
    "http://example.org/a?b=c",
    "https://example.org/",
    "HTTPS://EXAMPLE.ORG/",
    "mailto:editor@example.org",
    "other/page.html",
    "../up.html",
    "/rooted",
    "#note-mars",
    "?q=1",
]
UNSAFE = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "javascript:void(0)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "DATA:image/png;base64,AAAA",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "FILE://server/share",
    "ftp://example.org/",
    "tel:+123",
]


@pytest.mark.parametrize("url", SAFE)
def test_safe_targets_are_links(url: str) -> None:
    assert safe_link(url) is True
    rendered = article_parser().render(f"[here]({url})")
    assert rendered == f'<p><a href="{html.escape(url)}">here</a></p>\n'


@pytest.mark.parametrize("url", UNSAFE)
def test_unsafe_targets_are_not_links(url: str) -> None:
    assert safe_link(url) is False
    for source in (f"[here]({url})", f"<{url}>", f"[here][r]\n\n[r]: {url}"):
        rendered = article_parser().render(source)
        assert "<a" not in rendered
        assert "href" not in rendered


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript&colon;alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x]( javascript:alert(1) )",
        "[x](<javascript:alert(1)>)",
    ],
)
def test_disguised_javascript_links_are_not_links(source: str) -> None:
    assert "<a" not in article_parser().render(source)


@pytest.mark.parametrize("url", UNSAFE[:6])
def test_unsafe_image_sources_are_not_images(url: str) -> None:
    rendered = article_parser().render(f"![alt]({url})")
    assert "<img" not in rendered
    assert "src=" not in rendered


def test_safe_image_is_an_image() -> None:
    assert (
        article_parser().render("![A map](map.png)") == '<p><img src="map.png" alt="A map" /></p>\n'
    )


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "file:///x"])
def test_unsafe_links_in_notes_are_not_links(url: str) -> None:
    [note] = read_notes(f"## Mars\nSee [this]({url}) and <{url}>.\n")
    assert "<a" not in render_note_body(note).html


def test_safe_links_in_notes_are_links() -> None:
    [note] = read_notes("## Mars\nSee [NASA](https://nasa.gov) or [mail](mailto:a@b.org).\n")
    assert render_note_body(note).html == (
        '<p>See <a href="https://nasa.gov">NASA</a> or <a href="mailto:a@b.org">mail</a>.</p>\n'
    )


# a note's gloss is its first block


@pytest.mark.parametrize(
    ("source", "gloss", "detail"),
    [
        ("One line.", "<p>One line.</p>\n", ""),
        ("First *one*.\n\nThen more.\n\n- a list", "<p>First <em>one</em>.</p>\n", "<p>Then more."),
        (
            "- a list first\n- two\n\nThen text.",
            "<ul>\n<li>a list first</li>\n<li>two</li>\n</ul>\n",
            "<p>Then",
        ),
        ("> quoted\n> on\n\nafter", "<blockquote>\n<p>quoted\non</p>\n</blockquote>\n", "<p>after"),
    ],
)
def test_a_notes_gloss_is_its_first_block_and_the_rest_is_detail(
    source: str, gloss: str, detail: str
) -> None:
    [note] = read_notes(f"## Mars\n{source}\n")
    body = render_note_body(note)
    assert body.gloss == gloss
    assert body.detail.startswith(detail)
    assert body.html == note_parser().render(source)


# raw HTML is shown as text


RAW = [
    ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"),
    ("Text <b>bold</b> here", "<p>Text &lt;b&gt;bold&lt;/b&gt; here</p>\n"),
    (
        '<img src=x onerror="alert(1)">',
        "<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>\n",
    ),
    ("<!-- comment -->", "<p>&lt;!-- comment --&gt;</p>\n"),
    ("<div>\n*block*\n</div>", "<p>&lt;div&gt;\n<em>block</em>\n&lt;/div&gt;</p>\n"),
]


@pytest.mark.parametrize(("source", "shown"), RAW)
def test_raw_html_in_articles_is_escaped(source: str, shown: str) -> None:
    assert article_parser().render(source) == shown
    rendered, _ = render(source)
    assert rendered == shown


@pytest.mark.parametrize(("source", "shown"), RAW)
def test_raw_html_in_notes_is_escaped(source: str, shown: str) -> None:
    [note] = read_notes(f"## Mars\n{source}\n")
    assert render_note_body(note).html == shown
    assert note_parser().render(source) == shown


def test_script_never_appears_in_a_rendered_article_with_notes() -> None:
    rendered, _ = render(
        "Mars <script>alert(1)</script>\n\n<script>\nalert(2)\n</script>\n",
        "## Mars\nNote <script>alert(3)</script>\n\n<script>alert(4)</script>\n",
    )
    assert "<script" not in rendered
    assert rendered.count("&lt;script&gt;") == 4


def test_raw_html_in_text_articles_is_escaped() -> None:
    rendered, _ = render("<script>alert(1)</script> &amp; <b>x</b>", kind="text")
    assert (
        rendered == "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; &lt;b&gt;x&lt;/b&gt;</p>\n"
    )


def test_text_parser_ignores_link_syntax() -> None:
    assert text_parser().render("[x](javascript:alert(1))") == "<p>[x](javascript:alert(1))</p>\n"


# code highlighting


def test_python_fence_is_highlighted() -> None:
    rendered = article_parser().render("```python\nprint('hi')\n```\n")
    assert rendered.startswith('<pre class="highlight"><code class="language-python">')
    assert '<span class="nb">print</span>' in rendered
    assert rendered.rstrip("\n").endswith("</code></pre>")
    assert rendered.count("<pre") == 1


def test_highlighted_code_is_escaped() -> None:
    rendered = article_parser().render('```python\nx = "<script>alert(1)</script>"\n```\n')
    assert "<script" not in rendered
    assert "&lt;script&gt;" in rendered


def test_highlight_code_returns_nothing_for_an_unknown_language() -> None:
    assert highlight_code("x", "no-such-language", "") == ""


@pytest.mark.parametrize("info", ["", "no-such-language"])
def test_unknown_or_missing_language_is_plain_escaped_code(info: str) -> None:
    rendered = article_parser().render(f"```{info}\n<b>x</b>\n```\n")
    language = f' class="language-{info}"' if info else ""
    assert rendered == f"<pre><code{language}>&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n"


def test_code_in_notes_is_highlighted() -> None:
    [note] = read_notes("## Mars\n```python\nprint(1)\n```\n")
    assert render_note_body(note).html.startswith(
        '<pre class="highlight"><code class="language-python">'
    )


# placement warnings


def test_a_term_that_occurs_nowhere_is_a_warning_at_its_heading() -> None:
    _, problems = render(
        "## Mars heading\n\nThe `Mars` code, [Mars](x) and nothing else.\n",
        "---\ntitle: T\n---\n## Venus\nv\n\n## Mars\naliases: red planet\nm\n",
    )
    assert problems == [
        (
            NOTES,
            4,
            "warning",
            "'Venus' occurs nowhere in the article (outside headings, code and links)",
        ),
        (
            NOTES,
            7,
            "warning",
            "'Mars' or 'red planet' occurs nowhere in the article "
            "(outside headings, code and links)",
        ),
    ]


def test_a_term_found_only_within_a_longer_one_is_a_warning_that_says_so() -> None:
    # The longest term wins a place: 'Mars' inside 'Mars Express' is not found there.
    probe = read_notes("## Mars Express\nA probe.\n", glossary=True)
    glossary = Glossary(probe, build_trie(probe))
    _, problems = render(
        "Mars Express and Red Planet Society, but no planet alone.",
        "## Mars\nm\n\n## Red Planet Society\nr\n\n## red planet\np\n\n## Venus\nv\n",
        glossary=glossary,
    )
    assert problems == [
        (
            NOTES,
            1,
            "warning",
            "'Mars' occurs in the article only within 'Mars Express', a longer term noted "
            "in the glossary, which takes its place",
        ),
        (
            NOTES,
            7,
            "warning",
            "'red planet' occurs in the article only within 'Red Planet Society', a longer "
            "term noted here too, which takes its place",
        ),
        (
            NOTES,
            10,
            "warning",
            "'Venus' occurs nowhere in the article (outside headings, code and links)",
        ),
    ]


def test_terms_within_a_term_within_a_longer_one_are_each_told_so() -> None:
    # All the terms left were read in one go, longest first: 'New York' took every place
    # 'York' has, and 'York' was said to occur nowhere.
    _, problems = render(
        "New York City is big.",
        "## New York City\nc\n\n## New York\ns\n\n## York\ny\n",
    )
    within = "occurs in the article only within 'New York City', a longer term noted here too"
    assert problems == [
        (NOTES, 4, "warning", f"'New York' {within}, which takes its place"),
        (NOTES, 7, "warning", f"'York' {within}, which takes its place"),
    ]


@pytest.mark.parametrize(
    ("body", "at", "message"),
    [
        ("Mars and Mars.", "3", "'at: 3' finds nothing: 'Mars' occurs only 2 times"),
        ("Only one Mars.", "3", "'at: 3' finds nothing: 'Mars' occurs only 1 time"),
        ("Only one Mars.", "3rd", "'at: 3rd' finds nothing: 'Mars' occurs only 1 time"),
    ],
)
def test_nth_beyond_the_occurrences_is_a_warning_at_the_at_line(
    body: str, at: str, message: str
) -> None:
    rendered, problems = render(body, f"## Venus\nv\n\n## Mars\nat: {at}\nm\n")
    assert problems == [
        (
            NOTES,
            1,
            "warning",
            "'Venus' occurs nowhere in the article (outside headings, code and links)",
        ),
        (NOTES, 5, "warning", message),
    ]
    assert "<aside" not in rendered


def test_near_words_not_found_is_a_warning() -> None:
    _, problems = render(
        "Mars one two three four five six seven eight nine ten rover.\n\nMars again.\n",
        "## Mars\nat: near rover\nm\n",
    )
    assert problems == [
        (NOTES, 2, "warning", "no occurrence of 'Mars' is within ten words of 'rover'")
    ]


def test_placed_notes_give_no_warnings() -> None:
    _, problems = render(
        "Mars and Mars near the rover. Venus.",
        "## Mars\nat: near rover\nm\n\n## Venus\nat: every\nv\n\n## red planet\nat: first\nr\n",
    )
    assert problems == [
        (
            NOTES,
            9,
            "warning",
            "'red planet' occurs nowhere in the article (outside headings, code and links)",
        )
    ]


def test_unused_glossary_notes_give_no_warnings() -> None:
    notes = read_notes("## Jupiter\nj\n", Path("seeds/_glossary.md"), glossary=True)
    rendered, problems = render("Mars.", glossary=Glossary(notes, build_trie(notes)))
    assert problems == []
    assert rendered == "<p>Mars.</p>\n"


def test_warnings_for_text_articles_too() -> None:
    _, problems = render("No such word here.", "## Mars\nm\n", kind="text")
    assert problems == [
        (
            NOTES,
            1,
            "warning",
            "'Mars' occurs nowhere in the article (outside headings, code and links)",
        )
    ]


# the rendered article


def test_places_record_note_ids_and_links_in_order() -> None:
    diagnostics = Diagnostics()
    page = render_article(
        make_article("Venus, Mars and Mars.", "## Mars\nat: every\nm\n\n## Venus\nv\n"),
        Glossary(),
        note_html,
        diagnostics,
    )
    assert [(p.note.term, p.note_id, p.refs) for p in page.places] == [
        ("Venus", "note-venus", ("ref-venus",)),
        ("Mars", "note-mars", ("ref-mars", "ref-mars--2")),
    ]
    assert page.note_count == 2
    assert diagnostics.items == []


def test_opening_is_the_first_paragraphs_words() -> None:
    body = "# Heading\n\n" + " ".join(f"w{n}" for n in range(50)) + "\n\nSecond paragraph."
    page = render_article(make_article(body), Glossary(), note_html, Diagnostics())
    assert page.opening == " ".join(f"w{n}" for n in range(40)) + " \u2026"


@pytest.mark.parametrize(
    ("body", "kind", "words"),
    [
        ("Mars *is* [red](https://example.org/long/address).", "markdown", 3),
        ("## Two words\n\n- one\n- two `three`\n\n```\nfour five\n```\n", "markdown", 7),
        ("Mars is red.\n\nIt *has* <b>two</b> moons.", "text", 7),  # shown literally
        ("", "markdown", 0),
    ],
)
def test_words_are_what_a_reader_reads_of_the_text(body: str, kind: str, words: int) -> None:
    """Counted at render time, for the reading list's reading time; notes are left out."""
    notes = "## Mars\nThe fourth planet from the Sun, named for a god of war.\n"
    page = render_article(make_article(body, notes, kind), Glossary(), note_html, Diagnostics())
    assert page.words == words
    assert page.listed().words == words  # the copy the site-wide pages get


def test_a_cut_off_text_ends_with_an_ellipsis() -> None:
    article = make_article("It ends here", kind="text", excerpt=True)
    page = render_article(article, Glossary(), note_html, Diagnostics())
    assert page.html == "<p>It ends here\u2026</p>\n"


def test_ids_are_unique_with_the_default_theme() -> None:
    """The theme's note markup adds ids of its own; none may clash with a note's id."""
    theme = Theme(SiteConfig())
    page = render_article(
        make_article("Mars and the Mars term.", "## Mars\nm\n\n## Mars term\nt\n"),
        Glossary(),
        theme.note,
        Diagnostics(),
    )
    ids = re.findall(r'\sid="([^"]*)"', page.html)
    assert "note-mars" in ids
    assert "note-mars-term" in ids
    assert len(ids) == len(set(ids)), sorted(ids)
