"""Footnotes as margin notes: references become links like terms, definitions notes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import GOOD, Run, make_site
from test_anchoring import link, linked_texts, outline

from site_builder.diagnostics import Diagnostics
from site_builder.glossary import Glossary
from site_builder.notes import Note, parse_notes
from site_builder.render import (
    NoteBody,
    RenderedArticle,
    article_parser,
    render_article,
    render_note_body,
    text_parser,
)
from site_builder.slugs import _mark
from site_builder.sources import Article, Metadata

SOURCE = Path("seeds/mars.md")
NOTES = Path("seeds/mars.notes.md")
MARS_VENUS = "## Mars\nm\n\n## Venus\nv\n"


def ref(label: str, number: int, second: int = 0) -> str:
    """The HTML of one footnote reference: a term link around the number."""
    mark = f'<sup><span class="visually-hidden">footnote </span>{number}</sup>'
    return link(f"fn-{label}", mark, f"ref-fn-{label}" + (f"--{second}" if second else ""))


def ref_text(number: int) -> str:
    """A reference's text, as a screen reader reads it."""
    return f"footnote {number}"


def plain(label: str, body: str) -> str:
    """A footnote's note as the plugin shows it without a theme."""
    return f'<aside class="note" id="note-fn-{label}" role="note">\n{body}</aside>\n'


def noted(block: str, *notes: str) -> str:
    return f'<div class="noted">\n{block}<div class="notes">\n{"".join(notes)}</div>\n</div>\n'


def shown(note: Note, body: NoteBody, note_id: str, refs: Sequence[str]) -> str:
    """A note as these tests see it: what it is, its id, its links, gloss | detail."""
    kind = "footnote" if note.footnote else "term"
    return (
        f'<aside id="{note_id}" data-refs="{" ".join(refs)}">{kind} {note.term} '
        f"line {note.line}: {body.gloss}|{body.detail}</aside>\n"
    )


def render(
    body: str, notes_md: str = "", kind: str = "markdown", body_line: int = 1
) -> tuple[RenderedArticle, list[str]]:
    """An article rendered with its notes, and its problems as `line: severity: message`."""
    diagnostics = Diagnostics()
    parsed = Diagnostics()
    notes = parse_notes(NOTES, notes_md, parsed).notes
    assert parsed.items == []
    article = Article(
        path=SOURCE,
        notes_path=NOTES,
        kind="text" if kind == "text" else "markdown",
        meta=Metadata(title="Mars", slug="mars"),
        body=body,
        notes=notes,
        body_line=body_line,
    )
    page = render_article(article, Glossary(), shown, diagnostics)
    problems = [f"{d.path}:{d.line}: {d.severity.value}: {d.message}" for d in diagnostics.items]
    return page, problems


# references and their notes


def test_a_reference_links_to_its_note_after_the_block() -> None:
    rendered = article_parser().render("Mars[^1] is red.\n\nNext.\n\n[^1]: The red planet.\n")
    assert rendered == noted(
        f"<p>Mars{ref('1', 1)} is red.</p>\n", plain("1", "<p>The red planet.</p>\n")
    ) + ("<p>Next.</p>\n")


def test_notes_are_numbered_by_first_reference_and_named_by_label() -> None:
    rendered = article_parser().render("One[^b], two[^a], one again[^b].\n\n[^a]: A.\n[^b]: B.\n")
    assert rendered == noted(
        f"<p>One{ref('b', 1)}, two{ref('a', 2)}, one again{ref('b', 1, 2)}.</p>\n",
        plain("b", "<p>B.</p>\n"),
        plain("a", "<p>A.</p>\n"),
    )


def test_a_definition_may_come_before_its_reference_and_hold_several_blocks() -> None:
    rendered = article_parser().render(
        "[^long]: First paragraph.\n\n    Second, with a list:\n\n    - item\n\nText[^long].\n"
    )
    assert rendered == noted(
        f"<p>Text{ref('long', 1)}.</p>\n",
        plain(
            "long",
            "<p>First paragraph.</p>\n<p>Second, with a list:</p>\n<ul>\n<li>item</li>\n</ul>\n",
        ),
    )


@pytest.mark.parametrize(
    ("body", "block_end"),
    [
        ("- one\n- two[^1]\n", "</ul>"),
        ("> quoted[^1]\n", "</blockquote>"),
        ("| a | b |\n|---|---|\n| cell[^1] | c |\n", "</table>"),
        ("## A heading[^1]\n", "</h2>"),
    ],
)
def test_the_note_follows_the_top_level_block_of_its_reference(body: str, block_end: str) -> None:
    rendered = article_parser().render(body + "\nAfter.\n\n[^1]: Note.\n")
    note = plain("1", "<p>Note.</p>\n")
    assert rendered.startswith('<div class="noted">\n')
    assert f'{block_end}\n<div class="notes">\n{note}</div>\n</div>\n<p>After.</p>\n' in rendered
    assert rendered.count("<aside") == 1


def test_footnotes_and_term_notes_share_a_block_in_the_order_of_their_links() -> None:
    page, problems = render(
        "Mars[^1] and Venus.\n\n[^1]: On Mars.\n", "## Mars\nm\n\n## Venus\nv\n"
    )
    assert problems == []
    assert page.html == noted(
        f"<p>{link('mars', 'Mars')}{ref('1', 1)} and {link('venus', 'Venus')}.</p>\n",
        '<aside id="note-mars" data-refs="ref-mars">term Mars line 1: <p>m</p>\n|</aside>\n',
        '<aside id="note-fn-1" data-refs="ref-fn-1">footnote 1 line 3: <p>On Mars.</p>\n|'
        "</aside>\n",
        '<aside id="note-venus" data-refs="ref-venus">term Venus line 4: <p>v</p>\n|</aside>\n',
    )
    # Footnotes are not terms: the terms page and the note count leave them out.
    assert [place.note.term for place in page.places] == ["Mars", "Venus"]


def test_a_footnotes_gloss_is_its_first_block() -> None:
    page, _ = render("Text[^1].\n\n[^1]: The gloss.\n\n    The detail.\n", body_line=5)
    assert (
        '<aside id="note-fn-1" data-refs="ref-fn-1">footnote 1 line 7: '
        "<p>The gloss.</p>\n|<p>The detail.</p>\n</aside>\n"
    ) in page.html


def test_the_theme_shows_a_footnote_as_a_note_named_by_its_number() -> None:
    from site_builder.config import SiteConfig
    from site_builder.theme import Theme

    diagnostics = Diagnostics()
    article = Article(
        path=SOURCE,
        notes_path=None,
        kind="markdown",
        meta=Metadata(title="Mars", slug="mars"),
        body="Text[^1] about Mars.\n\n[^1]: The gloss.\n\n    The detail.\n",
        notes=(),
    )
    html = render_article(article, Glossary(), Theme(SiteConfig()).note, diagnostics).html
    assert diagnostics.items == []
    assert '<aside class="note" id="note-fn-1" role="note" aria-labelledby="note-fn-1--term">' in (
        html
    )
    assert (
        '<a href="#ref-fn-1" title="Back to the text">'
        '<span class="visually-hidden">Footnote </span>1</a>'
    ) in html
    assert '<span class="visually-hidden">Close footnote 1</span>' in html
    assert '<div class="note-gloss" id="note-fn-1--gloss">\n<p>The gloss.</p>\n</div>' in html
    assert '<div class="note-detail">\n<p>The detail.</p>\n</div>' in html
    ids = re.findall(r'\sid="([^"]*)"', html)
    assert len(ids) == len(set(ids)), ids


# ids


def test_footnote_ids_never_clash_with_term_note_ids() -> None:
    page, _ = render("Fn 1 and a footnote[^1].\n\n[^1]: Note.\n", "## fn 1\nA term.\n")
    parsed = outline(page.html)
    # The term's note takes the mark of its own spelling, not a number that shifts.
    ids = ["note-fn-1-" + _mark("fn 1"), "note-fn-1"]
    assert [aside.attrs["id"] for aside in parsed.asides] == ids
    assert [term.attrs["data-note"] for term in parsed.links] == ids


def test_labels_without_slug_characters_and_alike_get_unique_ids() -> None:
    rendered = article_parser().render("A[^*] B[^A] C[^a]\n\n[^*]: x\n[^A]: y\n[^a]: z\n")
    ids = [aside.attrs["id"] for aside in outline(rendered).asides]
    assert ids == ["note-fn-note", "note-fn-a", "note-fn-a-" + _mark("a")]


def test_a_footnote_keeps_its_id_whatever_other_footnotes_the_page_gains() -> None:
    """As a term's note: only a label spelled otherwise than its slug (`a_b`) can move,
    between its bare slug and its own mark; none is ever numbered by page order."""

    def ids(labels: list[str]) -> dict[str, str]:
        text = " ".join(f"w[^{label}]" for label in labels) + "\n\n"
        text += "".join(f"[^{label}]: Note {number}.\n" for number, label in enumerate(labels))
        asides = outline(article_parser().render(text)).asides
        return dict(zip(labels, (aside.attrs["id"] for aside in asides), strict=True))

    assert ids(["C++", "1"]) == {"C++": "note-fn-c-plus-plus", "1": "note-fn-1"}
    assert ids(["C", "C++", "1", "a-b"]) == {
        "C": "note-fn-c",
        "C++": "note-fn-c-plus-plus",
        "1": "note-fn-1",
        "a-b": "note-fn-a-b",
    }
    assert ids(["a_b"]) == {"a_b": "note-fn-a-b"}
    assert ids(["a_b", "a-b"]) == {"a_b": "note-fn-a-b-" + _mark("a_b"), "a-b": "note-fn-a-b"}


# what stays as written


def test_terms_are_never_anchored_inside_a_footnote() -> None:
    page, problems = render("Mars[^1] again.\n\n[^1]: Mars, and Venus.\n", MARS_VENUS)
    assert linked_texts(page.html) == ["Mars", ref_text(1)]
    assert "<p>Mars, and Venus.</p>" in page.html
    assert problems == [
        f"{NOTES}:4: warning: 'Venus' occurs nowhere in the article "
        "(outside headings, code and links)"
    ]


def test_a_reference_in_a_footnote_or_an_images_text_stays_text() -> None:
    page, problems = render(
        "See ![a map[^1]](map.png).\n\nHere[^2].\n\n[^1]: One.\n[^2]: Two, see [^1].\n"
    )
    assert 'alt="a map[^1]"' in page.html
    assert "<p>Two, see [^1].</p>" in page.html
    assert [aside.attrs["id"] for aside in outline(page.html).asides] == ["note-fn-2"]
    assert problems == [
        f"{SOURCE}:5: warning: footnote [^1] is never referenced; it is left out of the page"
    ]


def test_a_reference_in_link_brackets_is_never_a_link_in_a_link() -> None:
    # mdit-py-plugins reads the reference first, so the brackets around it stay text.
    rendered = article_parser().render("[the site[^1]](https://x.org)\n\n[^1]: One.\n")
    assert rendered.startswith(
        f'<div class="noted">\n<p>[the site{ref("1", 1)}](<a href="https://x.org">'
    )
    for term in outline(rendered).links:
        assert "a" not in term.ancestors


def test_a_reference_to_nothing_stays_text_with_a_warning_at_its_line() -> None:
    page, problems = render("First line,\nsecond[^nope] line.\n\n- third[^1]\n", body_line=3)
    assert "second[^nope] line." in page.html
    assert "third[^1]" in page.html
    assert 'class="term"' not in page.html
    assert problems == [
        f"{SOURCE}:4: warning: [^nope] refers to no footnote: no line starts with '[^nope]:'; "
        "shown as text",
        f"{SOURCE}:6: warning: [^1] refers to no footnote: no line starts with '[^1]:'; "
        "shown as text",
    ]


def test_references_in_code_are_code() -> None:
    page, problems = render("`x[^1]`\n\n    y[^1]\n\nz[^1]\n\n[^1]: Note.\n")
    assert "<code>x[^1]</code>" in page.html
    assert "<pre><code>y[^1]\n</code></pre>" in page.html
    assert linked_texts(page.html) == [ref_text(1)]
    assert problems == []


def test_unreferenced_duplicate_and_empty_definitions_are_warnings_at_their_line() -> None:
    page, problems = render(
        "Text[^1][^2].\n\n[^1]: One.\n[^1]: One again.\n[^2]:\n[^3]: Three.\n", body_line=10
    )
    assert "One again" not in page.html
    assert "Three" not in page.html
    assert problems == [
        f"{SOURCE}:13: warning: footnote [^1] is already defined on line 12; "
        "this definition is left out",
        f"{SOURCE}:14: warning: footnote [^2] has no text",
        f"{SOURCE}:15: warning: footnote [^3] is never referenced; it is left out of the page",
    ]


def test_text_articles_show_footnotes_as_written() -> None:
    page, problems = render("Mars[^1] is red.\n\n[^1]: The red planet.\n", kind="text")
    assert page.html == "<p>Mars[^1] is red.</p>\n<p>[^1]: The red planet.</p>\n"
    assert problems == []
    assert text_parser().render("a[^1]\n\n[^1]: b\n") == "<p>a[^1]</p>\n<p>[^1]: b</p>\n"


def test_notes_show_footnotes_as_written() -> None:
    [note] = parse_notes(
        NOTES, "## Mars\nThe red planet[^1].\n\n[^1]: A footnote.\n", Diagnostics()
    ).notes
    assert render_note_body(note).html == ("<p>The red planet[^1].</p>\n<p>[^1]: A footnote.</p>\n")


# through a build


def test_footnote_links_and_problems_through_a_build(tmp_path: Path, cli: Run) -> None:
    make_site(
        tmp_path,
        {
            **GOOD,
            "seeds/map.png": b"\x89PNG\r\n\x1a\n",
            "seeds/good.md": "---\ntitle: Good\n---\n\nTianwen-3[^1] and[^9].\n\n"
            "[^1]: See ![the map](map.png) and [gone](gone.md).\n[^2]: Unused.\n",
        },
    )
    result = cli("build")
    assert result.diagnostics == [
        "seeds/good.md:5: warning: [^9] refers to no footnote: no line starts with '[^9]:'; "
        "shown as text",
        "seeds/good.md:7: warning: link to 'gone.md': no article 'gone.md' in the source folder",
        "seeds/good.md:8: warning: footnote [^2] is never referenced; it is left out of the page",
    ]
    html = (tmp_path / "_site" / "good" / "index.html").read_text(encoding="utf-8")
    assert 'src="../_files/map.png"' in html
    assert (tmp_path / "_site" / "_files" / "map.png").exists()
    assert 'id="note-fn-1"' in html
    assert cli("build", "--strict").code == 1
