"""Heading ids and permalinks: stable ids from the words, apart from note ids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from site_builder.config import SiteConfig
from site_builder.diagnostics import Diagnostics
from site_builder.glossary import Glossary
from site_builder.headings import heading_id
from site_builder.notes import parse_notes
from site_builder.render import article_parser, render_article, render_note_body
from site_builder.sources import Article, Metadata
from site_builder.theme import Theme


def heading(level: int, html: str, target: str, words: str) -> str:
    """The HTML of one heading with its permalink."""
    return (
        f'<h{level} id="{target}">{html}<a class="heading-link" href="#{target}" '
        f'aria-label="Link to this section: {words}">#</a></h{level}>\n'
    )


def test_a_heading_gets_an_id_and_a_permalink() -> None:
    assert article_parser().render("## Low Earth orbit in practice\n") == heading(
        2,
        "Low Earth orbit in practice",
        "low-earth-orbit-in-practice",
        "Low Earth orbit in practice",
    )


@pytest.mark.parametrize("level", [2, 3, 4, 5, 6])
def test_every_level_gets_one(level: int) -> None:
    assert article_parser().render("#" * level + " Orbits\n") == heading(
        level, "Orbits", "orbits", "Orbits"
    )


def test_a_level_one_heading_in_the_text_is_shown_as_level_two() -> None:
    """The page's one `<h1>` is its title: a `#` in the text would make a second."""
    assert article_parser().render("# Orbits\n") == heading(2, "Orbits", "orbits", "Orbits")
    assert article_parser().render("Orbits\n===\n") == heading(2, "Orbits", "orbits", "Orbits")


def test_each_demoted_heading_is_a_warning_at_its_line() -> None:
    article = Article(
        path=Path("seeds/a.md"),
        notes_path=None,
        kind="markdown",
        meta=Metadata(title="A", slug="a"),
        body="Text.\n\n# First part\n\n## Kept\n\nMore.\n\nSecond\n======\n",
        notes=(),
        body_line=4,  # after three lines of front matter
    )
    diagnostics = Diagnostics()
    html = render_article(article, Glossary(), Theme(SiteConfig()).note, diagnostics).html
    assert "<h1" not in html
    assert re.findall(r"<h(\d) id=\"([^\"]*)\"", html) == [
        ("2", "first-part"),
        ("2", "kept"),
        ("2", "second"),
    ]
    demoted = (
        "warning: a level-one heading is shown as a level-two heading (the page's title "
        "is its one level-one heading); write it as '## {}'"
    )
    assert [d.format() for d in diagnostics.sorted()] == [
        f"seeds/a.md:6: {demoted.format('First part')}",
        f"seeds/a.md:12: {demoted.format('Second')}",
    ]


@pytest.mark.parametrize(
    ("source", "html", "target", "words"),
    [
        (
            "## *Very* `low` orbit",
            "<em>Very</em> <code>low</code> orbit",
            "very-low-orbit",
            "Very low orbit",
        ),
        ("Two\nlines\n---", "Two\nlines", "two-lines", "Two lines"),
        ("## China’s “big” plan", "China’s “big” plan", "china-s-big-plan", None),
        ("## \\*Starred\\*", "*Starred*", "starred", "*Starred*"),
        ("## Марс и Луна", "Марс и Луна", "марс-и-луна", None),
        ("## ***", "***", "section", "***"),
        (
            '## Tags <b> & "quotes"',
            "Tags &lt;b&gt; &amp; &quot;quotes&quot;",
            "tags-b-quotes",
            "Tags &lt;b&gt; &amp; &quot;quotes&quot;",
        ),
        (
            "## See [the map](https://example.org/map)",
            'See <a href="https://example.org/map">the map</a>',
            "see-the-map",
            "See the map",
        ),
    ],
)
def test_ids_come_from_the_headings_words(
    source: str, html: str, target: str, words: str | None
) -> None:
    rendered = article_parser().render(source + "\n")
    level = 2 if source.startswith("#") or source.endswith("---") else 1
    assert rendered == heading(level, html, target, words or html)


def test_repeated_headings_get_numbered_ids() -> None:
    rendered = article_parser().render("## Notes\n\n## Notes\n\n### Notes\n")
    assert re.findall(r' id="([^"]*)"', rendered) == ["notes", "notes-2", "notes-3"]


@pytest.mark.parametrize(
    ("words", "target"),
    [
        ("Note", "section-note"),
        ("Note on Mars", "section-note-on-mars"),
        ("Ref: 2", "section-ref-2"),
        ("Main", "section-main"),
        ("Notes", "notes"),
        ("References", "references"),
        ("", "section"),
    ],
)
def test_heading_ids_stay_out_of_note_ids_and_the_pages_own(words: str, target: str) -> None:
    assert heading_id(words) == target


def test_a_heading_holding_a_footnote_leaves_its_number_out() -> None:
    rendered = article_parser().render("## Results[^1]\n\n[^1]: How they were measured.\n")
    assert rendered.startswith('<div class="noted">\n<h2 id="results">Results<a class="term"')
    assert (
        '<a class="heading-link" href="#results" aria-label="Link to this section: Results">'
        in (rendered)
    )


def test_headings_in_notes_get_no_ids() -> None:
    """A note's heading would take ids that the article's headings may want."""
    [note] = parse_notes(
        Path("seeds/a.notes.md"), "## Mars\nGloss.\n\n### More\n", Diagnostics()
    ).notes
    assert render_note_body(note).html == "<p>Gloss.</p>\n<h3>More</h3>\n"


def test_a_level_one_heading_in_a_note_is_level_two_with_a_warning() -> None:
    [note] = parse_notes(
        Path("seeds/a.notes.md"), "## Mars\nGloss.\n\n# More\n\nText.\n", Diagnostics()
    ).notes
    body = render_note_body(note)
    assert body.html == "<p>Gloss.</p>\n<h2>More</h2>\n<p>Text.</p>\n"
    assert [d.format() for d in body.problems] == [
        "seeds/a.notes.md:4: warning: a level-one heading is shown as a level-two heading "
        "(the page's title is its one level-one heading); write it as '### More'"
    ]


def test_ids_are_unique_on_a_page_with_headings_terms_and_footnotes() -> None:
    notes = parse_notes(
        Path("seeds/a.notes.md"), "## Note\nn\n\n## Mars\nm\n\n## fn 1\nf\n", Diagnostics()
    ).notes
    article = Article(
        path=Path("seeds/a.md"),
        notes_path=Path("seeds/a.notes.md"),
        kind="markdown",
        meta=Metadata(title="A", slug="a"),
        body="## Note\n\nA note[^1] on Mars, fn 1.\n\n## Mars\n\n## Main\n\n## Note\n\n"
        "[^1]: A footnote.\n",
        notes=notes,
    )
    diagnostics = Diagnostics()
    html = render_article(article, Glossary(), Theme(SiteConfig()).note, diagnostics).html
    assert diagnostics.items == []
    ids = re.findall(r'\sid="([^"]*)"', html)
    assert len(ids) == len(set(ids)), sorted(ids)
    assert [i for i in ids if not i.startswith(("note-", "ref-"))] == [
        "section-note",
        "mars",
        "section-main",
        "section-note-2",
    ]
    for target in re.findall(r'href="#([^"]*)"', html):
        assert target in ids
