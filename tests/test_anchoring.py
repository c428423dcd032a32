"""Tests for term anchoring: which occurrences become links, and where notes go."""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from site_builder.anchoring import ENV_KEY, Anchoring
from site_builder.diagnostics import Diagnostics
from site_builder.glossary import Glossary, build_trie
from site_builder.notes import Note, parse_notes
from site_builder.render import NoteBody, article_parser, render_article, text_parser
from site_builder.slugs import _mark
from site_builder.sources import Article, Metadata

NOTES = Path("seeds/article.notes.md")
GLOSSARY = Path("seeds/_glossary.md")


def notes(text: str, path: Path = NOTES, glossary: bool = False) -> tuple[Note, ...]:
    diagnostics = Diagnostics()
    parsed = parse_notes(path, text, diagnostics, glossary=glossary)
    assert diagnostics.items == []
    return parsed.notes


def aside(note: Note, note_id: str, refs: Sequence[str]) -> str:
    """A note as the tests see it: its id, its term and the ids of its links."""
    return (
        f'<aside id="{note_id}" data-refs="{" ".join(refs)}">'
        f"{html.escape(note.term)}: {html.escape(note.body)}</aside>\n"
    )


def env_aside(note: Note, note_id: str, refs: Sequence[str], env: object) -> str:
    return aside(note, note_id, refs)


def anchor(notes_md: str, body: str, parser: MarkdownIt | None = None) -> tuple[str, Anchoring]:
    """Render `body` with the notes of `notes_md` anchored."""
    anchoring = Anchoring(tries=(build_trie(notes(notes_md)),))
    result = (parser or article_parser(env_aside)).render(body, {ENV_KEY: anchoring})
    assert isinstance(result, str)
    return result, anchoring


def link(term_id: str, text: str, ref: str | None = None) -> str:
    """The HTML of one anchored occurrence."""
    ref = ref or "ref-" + term_id
    note = "note-" + term_id
    return (
        f'<a class="term" href="#{note}" id="{ref}" data-note="{note}" '
        f'aria-describedby="{note}--gloss">{text}</a>'
    )


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    ancestors: tuple[str, ...]
    text: str = ""


@dataclass
class Outline(HTMLParser):
    """Term links and asides of rendered HTML, each with the tags around it."""

    links: list[Element] = field(default_factory=list)
    asides: list[Element] = field(default_factory=list)
    stack: list[str] = field(default_factory=list)
    in_term: bool = False

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        element = Element(tag, values, tuple(self.stack))
        if tag == "a" and values.get("class") == "term":
            self.links.append(element)
            self.in_term = True
        if tag == "aside":
            self.asides.append(element)
        if tag not in ("img", "br", "hr"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("img", "br", "hr"):
            return  # `<img />` reports an end tag too
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack}"
        self.stack.pop()
        if tag == "a":
            self.in_term = False

    def handle_data(self, data: str) -> None:
        if self.in_term:
            self.links[-1].text += data


def outline(rendered: str) -> Outline:
    parsed = Outline()
    parsed.feed(rendered)
    parsed.close()
    assert parsed.stack == []
    return parsed


def linked_texts(rendered: str) -> list[str]:
    return [element.text for element in outline(rendered).links]


MARS = "## Mars\nThe red planet.\n"


# where terms are never anchored


@pytest.mark.parametrize(
    "skipped",
    [
        "# Mars",
        "## Mars landing",
        "Mars\n====",
        "Mars rover\n---",
        "Code `Mars` here.",
        "```\nMars\n```",
        "~~~text\nMars\n~~~",
        "    Mars in indented code",
        "See [Mars](https://example.org/mars).",
        "See [the planet Mars][ref].\n\n[ref]: https://example.org/",
        "<https://example.org/Mars>",
        "![Mars](mars.png)",
        "[![Mars](mars.png)](https://example.org/)",
        "Bare https://example.org/mars/Mars_today.",
        "Bare www.mars.example.org here.",
        "Bare mars@example.org here.",
        "## Mars with a permalink",
        "## [Mars](https://example.org/) in a heading's link",
    ],
)
def test_never_anchored_in_headings_code_links_or_image_alt(skipped: str) -> None:
    rendered, anchoring = anchor(MARS, skipped + "\n\nThen Mars.\n")
    assert linked_texts(rendered) == ["Mars"]
    assert f"<p>Then {link('mars', 'Mars')}.</p>" in rendered
    assert anchoring.counts == {"mars": 1}


def test_text_beside_code_and_links_is_still_anchored() -> None:
    rendered, _ = anchor(
        "## Mars\nat: every\nn\n", "`code` Mars [link](x) Mars ![Mars](i.png) Mars"
    )
    assert linked_texts(rendered) == ["Mars", "Mars", "Mars"]


# matching rules, as seen in an article


def test_term_across_a_soft_line_break_is_one_link() -> None:
    rendered, _ = anchor("## big but not strong\nn\n", "It is big but\nnot strong at all.\n")
    assert (
        "<p>It is " + link("big-but-not-strong", "big but\nnot strong") + " at all.</p>" in rendered
    )


def test_term_across_a_hard_line_break_is_one_link() -> None:
    rendered, _ = anchor("## big but not strong\nn\n", "It is big but  \nnot strong.\n")
    assert link("big-but-not-strong", "big but<br />\nnot strong") in rendered


def test_term_starting_after_a_line_break() -> None:
    rendered, _ = anchor(MARS, "We saw\nMars rise.\n")
    assert f"<p>We saw\n{link('mars', 'Mars')} rise.</p>" in rendered


def test_term_inside_emphasis_and_folded_variants() -> None:
    rendered, _ = anchor("## China’s rover\nn\n", "Not *China's\nrover* yet.\n")
    assert "<em>" + link("china-s-rover", "China's\nrover") + "</em>" in rendered


def test_whole_words_only_in_an_article() -> None:
    rendered, _ = anchor("## strong\nn\n", "Strongly built, headstrong, but strong.\n")
    assert rendered.count('class="term"') == 1
    assert f"but {link('strong', 'strong')}." in rendered


def test_a_chinese_term_anchors_inside_runs_of_characters() -> None:
    # Chinese puts no spaces between words: the term is found wherever its characters are.
    rendered, anchoring = anchor(
        "## 月壤\nat: every\n\n覆盖月球表面的松散碎屑层。\n",
        "月壤很重要。我们研究月壤。\n\n她说：“月壤”。\n",
    )
    assert anchoring.refs == {"月壤": ["ref-月壤", "ref-月壤--2", "ref-月壤--3"]}
    second = link("月壤", "月壤", "ref-月壤--2")
    assert f"{link('月壤', '月壤')}很重要。我们研究{second}。" in rendered


def test_near_counts_each_chinese_character_as_a_word() -> None:
    body = "月壤很重要。一二三四五六七八九十。研究月壤的样品。\n"
    rendered, anchoring = anchor("## 月壤\nat: near 样品\nn\n", body)
    assert anchoring.counts == {"月壤": 2}
    assert f"研究{link('月壤', '月壤')}的样品。" in rendered


def test_longest_term_wins_where_terms_overlap() -> None:
    rendered, anchoring = anchor(
        "## Mars\nn\n\n## Mars Sample Return\nn\n",
        "The Mars Sample Return mission.\n\nMars itself.\n",
    )
    assert link("mars-sample-return", "Mars Sample Return") in rendered
    assert f"<p>{link('mars', 'Mars')} itself.</p>" in rendered
    assert anchoring.refs == {
        "mars sample return": ["ref-mars-sample-return"],
        "mars": ["ref-mars"],
    }


def test_aliases_anchor_their_note() -> None:
    rendered, anchoring = anchor(
        "## Tianwen-3\naliases: TW-3, the mission\nn\n", "The mission, also TW‑3.\n"
    )
    assert f"<p>{link('tianwen-3', 'The mission')}, also TW‑3.</p>" in rendered
    assert anchoring.refs == {"tianwen-3": ["ref-tianwen-3"]}


# which occurrence carries the note


def test_first_occurrence_by_default() -> None:
    rendered, anchoring = anchor(MARS, "Mars one.\n\nMars two, Mars three.\n")
    assert linked_texts(rendered) == ["Mars"]
    assert rendered.startswith(f'<div class="noted">\n<p>{link("mars", "Mars")} one.</p>')
    assert "<p>Mars two, Mars three.</p>" in rendered
    assert anchoring.counts == {"mars": 3}
    assert anchoring.refs == {"mars": ["ref-mars"]}


@pytest.mark.parametrize("value", ["every", "EVERY"])
def test_every_occurrence(value: str) -> None:
    rendered, anchoring = anchor(
        f"## Mars\nat: {value}\nn\n", "Mars one.\n\nMars two, mars three.\n"
    )
    assert anchoring.refs == {"mars": ["ref-mars", "ref-mars--2", "ref-mars--3"]}
    assert f"<p>{link('mars', 'Mars', 'ref-mars--2')} two, " in rendered
    assert f", {link('mars', 'mars', 'ref-mars--3')} three.</p>" in rendered
    # One note, after the first block, that lists every link.
    assert rendered.count("<aside") == 1
    assert '<aside id="note-mars" data-refs="ref-mars ref-mars--2 ref-mars--3">' in rendered


@pytest.mark.parametrize("value", ["2", "2nd"])
def test_nth_occurrence(value: str) -> None:
    rendered, anchoring = anchor(
        f"## Mars\nat: {value}\nn\n", "Mars one.\n\n## Mars heading\n\nMars two.\n\nMars three.\n"
    )
    assert anchoring.refs == {"mars": ["ref-mars"]}
    assert rendered == (
        "<p>Mars one.</p>\n"
        '<h2 id="mars-heading">Mars heading<a class="heading-link" href="#mars-heading" '
        'aria-label="Link to this section: Mars heading">#</a></h2>\n'
        '<div class="noted">\n'
        f"<p>{link('mars', 'Mars')} two.</p>\n"
        '<div class="notes">\n'
        '<aside id="note-mars" data-refs="ref-mars">Mars: n</aside>\n'
        "</div>\n"
        "</div>\n"
        "<p>Mars three.</p>\n"
    )


def test_nth_beyond_the_occurrences_places_nothing() -> None:
    rendered, anchoring = anchor("## Mars\nat: 3\nn\n", "Mars and Mars.\n")
    assert rendered == "<p>Mars and Mars.</p>\n"
    assert anchoring.refs == {}
    assert anchoring.counts == {"mars": 2}


FAR = "one two three four five six seven eight nine ten eleven twelve"


def test_near_picks_the_occurrence_close_to_the_words() -> None:
    body = f"Mars is far. {FAR}. Mars sample return starts. {FAR}. Mars again.\n"
    rendered, anchoring = anchor('## Mars\nat: near "sample return"\nn\n', body)
    start = body.index("Mars sample")
    assert anchoring.refs == {"mars": ["ref-mars"]}
    assert f"{FAR}. {link('mars', 'Mars')} sample return starts." in rendered
    assert rendered.count('class="term"') == 1
    assert body[:start].count("Mars") == 1


def test_near_looks_before_the_term_too() -> None:
    body = f"Mars is far. {FAR}. The rover on Mars. {FAR}.\n"
    rendered, _ = anchor("## Mars\nat: near rover\nn\n", body)
    assert f"The rover on {link('mars', 'Mars')}." in rendered


def test_near_places_the_note_once() -> None:
    rendered, anchoring = anchor("## Mars\nat: near rover\nn\n", "Mars rover, Mars rover.\n")
    assert anchoring.refs == {"mars": ["ref-mars"]}
    assert f"<p>{link('mars', 'Mars')} rover, Mars rover.</p>" in rendered


def test_near_only_looks_ten_words_away() -> None:
    body = "Mars one two three four five six seven eight nine ten rover.\n"
    rendered, anchoring = anchor("## Mars\nat: near rover\nn\n", body)
    assert anchoring.refs == {}
    assert 'class="term"' not in rendered


def test_near_sees_words_in_code_and_links_of_the_same_paragraph() -> None:
    rendered, _ = anchor("## Mars\nat: near rover\nn\n", "Far Mars.\n\nMars and its [rover](x).\n")
    assert f'<p>{link("mars", "Mars")} and its <a href="x">rover</a>.</p>' in rendered


# where notes go


def test_notes_follow_their_block_and_never_sit_in_a_paragraph() -> None:
    rendered, _ = anchor(
        "## Mars\nThe red planet.\n\n## Venus\nThe hot one.\n",
        "First Mars and Venus.\n\nNothing here.\n",
    )
    assert rendered == (
        '<div class="noted">\n'
        f"<p>First {link('mars', 'Mars')} and {link('venus', 'Venus')}.</p>\n"
        '<div class="notes">\n'
        '<aside id="note-mars" data-refs="ref-mars">Mars: The red planet.</aside>\n'
        '<aside id="note-venus" data-refs="ref-venus">Venus: The hot one.</aside>\n'
        "</div>\n"
        "</div>\n"
        "<p>Nothing here.</p>\n"
    )


def test_each_block_gets_its_own_notes() -> None:
    rendered, _ = anchor("## Mars\nm\n\n## Venus\nv\n", "Mars.\n\nVenus.\n")
    parsed = outline(rendered)
    assert [a.attrs["id"] for a in parsed.asides] == ["note-mars", "note-venus"]
    assert rendered.index('id="note-mars"') < rendered.index("<p>" + link("venus", "Venus"))
    assert rendered.count('<div class="noted">') == 2


@pytest.mark.parametrize(
    ("body", "block_end"),
    [
        ("- one\n- two Mars\n  - deeper\n", "</ul>"),
        ("1. one\n   - nested Mars\n", "</ol>"),
        ("> quoted\n>\n> Mars\n", "</blockquote>"),
        ("> - Mars in a list in a quote\n", "</blockquote>"),
        ("| a | b |\n|---|---|\n| Mars | c |\n", "</table>"),
    ],
)
def test_notes_of_nested_blocks_follow_the_top_level_block(body: str, block_end: str) -> None:
    rendered, _ = anchor(MARS, body + "\nAfter.\n")
    assert rendered.startswith('<div class="noted">\n')
    assert (
        f'{block_end}\n<div class="notes">\n'
        '<aside id="note-mars" data-refs="ref-mars">Mars: The red planet.</aside>\n'
        "</div>\n</div>\n<p>After.</p>\n"
    ) in rendered
    [note] = outline(rendered).asides
    assert note.ancestors == ("div", "div")


def test_notes_never_inside_paragraphs_lists_or_links() -> None:
    rendered, _ = anchor(
        "## Mars\nat: every\nm\n\n## Venus\nv\n\n## Earth\ne\n",
        "- Mars\n- *Venus*\n\n> Earth and Mars\n\nMars at last.\n",
    )
    parsed = outline(rendered)
    assert len(parsed.asides) == 3
    for note in parsed.asides:
        assert note.ancestors == ("div", "div")
    for term in parsed.links:
        assert "aside" not in term.ancestors


# ids


def test_note_ids_come_from_the_term() -> None:
    rendered, anchoring = anchor(
        "## Tianwen-3\nn\n\n## China’s “big” Plan\nn\n", 'Tianwen‑3 and China\'s "big" plan.\n'
    )
    assert anchoring.note_ids == {
        "tianwen-3": "note-tianwen-3",
        'china\'s "big" plan': "note-china-s-big-plan",
    }
    ids = [a.attrs["id"] for a in outline(rendered).asides]
    assert ids == ["note-tianwen-3", "note-china-s-big-plan"]


def test_note_ids_do_not_depend_on_position_or_other_notes() -> None:
    alone, _ = anchor(MARS, "Mars.\n")
    later, _ = anchor("## Venus\nv\n\n" + MARS, "Venus first.\n\nThen Mars.\n")
    assert 'id="note-mars"' in alone
    assert 'id="note-mars"' in later
    assert link("mars", "Mars") in later


def test_terms_that_slugify_alike_get_unique_ids() -> None:
    # Symbols are spelled out, as in the terms pages' slugs (slugs.named_slugs).
    rendered, anchoring = anchor("## C++\nn\n\n## C\nn\n\n## C#\nn\n", "C++, C and C#.\n")
    ids = ["note-c-plus-plus", "note-c", "note-c-sharp"]
    assert [a.attrs["id"] for a in outline(rendered).asides] == ids
    assert [a.attrs["data-note"] for a in outline(rendered).links] == ids
    described = [a.attrs["aria-describedby"] for a in outline(rendered).links]
    assert described == [f"{id_}--gloss" for id_ in ids]
    assert [a.attrs["href"] for a in outline(rendered).links] == ["#" + id_ for id_ in ids]
    assert anchoring.refs == {"c++": ["ref-c-plus-plus"], "c": ["ref-c"], "c#": ["ref-c-sharp"]}


def test_adding_a_note_that_slugs_alike_renames_no_other() -> None:
    # QA's cases: `C++` was `note-c` until a note on `C` came and took it as `note-c`,
    # moving `C++` to `note-c-2`; `U.S.` moved to `note-u-s-2` when `U-S` came first.
    alone, _ = anchor("## C++\nPlus plus.\n", "C and C++ are languages.\n")
    both, _ = anchor("## C++\nPlus plus.\n\n## C\nThe C.\n", "C and C++ are languages.\n")
    assert [a.attrs["id"] for a in outline(alone).asides] == ["note-c-plus-plus"]
    assert [a.attrs["id"] for a in outline(both).asides] == ["note-c", "note-c-plus-plus"]
    text = "U-S and U.S. alike.\n"
    alone, _ = anchor("## U.S.\nu\n", text)
    both, _ = anchor("## U.S.\nu\n\n## U-S\nu\n", text)
    assert [a.attrs["id"] for a in outline(alone).asides] == ["note-u-s"]
    # Only one of them can be `note-u-s`: the one spelled so. The other takes a mark of
    # its own spelling, not a number that counts the notes before it.
    marked = "note-u-s-" + _mark("U.S.")
    assert [a.attrs["id"] for a in outline(both).asides] == ["note-u-s", marked]


ALIKE = ("C", "C++", "C#", "U.S.", "U-S", "U S")


def test_a_notes_id_stays_whatever_other_notes_the_page_has() -> None:
    # As tests/test_slugs.py asks of the terms pages: a note's id is its term's own, and
    # only a term not spelled as its slug (`U.S.`, `U S`) moves, between its bare slug
    # and its mark, as the term spelled so (`U-S`) comes or goes; never to a number.
    text = "C, C++, C#, U.S., U-S and U S.\n"
    fixed = {"C": "note-c", "C++": "note-c-plus-plus", "C#": "note-c-sharp", "U-S": "note-u-s"}
    own = {name: {"note-u-s", "note-u-s-" + _mark(name)} for name in ("U.S.", "U S")}
    for size in range(1, len(ALIKE) + 1):
        for some in itertools.combinations(ALIKE, size):
            rendered, anchoring = anchor("".join(f"## {term}\nn\n\n" for term in some), text)
            ids = {note.term: anchoring.note_ids[note.key] for note in anchoring.placed}
            assert sorted(ids) == sorted(some)
            parsed = outline(rendered)
            assert sorted(a.attrs["id"] for a in parsed.asides) == sorted(ids.values())
            assert len(set(ids.values())) == size, ids
            for term, id_ in ids.items():
                assert id_ == fixed[term] if term in fixed else id_ in own[term], (some, ids)
            for link_ in parsed.links:
                assert link_.attrs["id"] == "ref-" + link_.attrs["data-note"].removeprefix("note-")


def test_term_without_slug_characters_gets_an_id() -> None:
    rendered, _ = anchor("## ¿?\nn\n", "a ¿? b\n")
    assert f"a {link('term', '¿?')} b" in rendered
    rendered, _ = anchor("## ++\nn\n", "a ++ b\n")  # its symbols are spelled out
    assert f"a {link('plus-plus', '++')} b" in rendered


def test_every_term_link_points_to_an_existing_note() -> None:
    rendered, _ = anchor(
        "## Mars\nat: every\nm\n\n## Mars Sample Return\ns\n\n## C++\nc\n\n## C\nat: 2\nc\n",
        "Mars Sample Return, C++, C.\n\n- Mars and C\n\n> C++ on Mars\n",
    )
    parsed = outline(rendered)
    note_ids = [a.attrs["id"] for a in parsed.asides]
    assert len(note_ids) == len(set(note_ids)) == 4
    link_ids = [term.attrs["id"] for term in parsed.links]
    assert len(link_ids) == len(set(link_ids)) == 5
    assert not set(link_ids) & set(note_ids)
    for term in parsed.links:
        assert term.attrs["data-note"] in note_ids
        assert term.attrs["href"] == "#" + term.attrs["data-note"]
        assert term.attrs["aria-describedby"] == term.attrs["data-note"] + "--gloss"
        assert "p" in term.ancestors or "li" in term.ancestors


# glossary


GLOSSARY_MD = "## Mars\nGlossary on Mars.\n\n## Venus\nGlossary on Venus.\n"


def article(notes_md: str, body: str, kind: str = "markdown") -> Article:
    own = notes(notes_md) if notes_md else ()
    return Article(
        path=Path("seeds/article.md"),
        notes_path=NOTES if notes_md else None,
        kind="text" if kind == "text" else "markdown",
        meta=Metadata(title="Article", slug="article"),
        body=body,
        notes=own,
    )


def page_aside(note: Note, body: NoteBody, note_id: str, refs: Sequence[str]) -> str:
    return aside(note, note_id, refs)


def glossary(text: str = GLOSSARY_MD) -> Glossary:
    glossary_notes = notes(text, GLOSSARY, glossary=True)
    return Glossary(glossary_notes, build_trie(glossary_notes))


def test_glossary_notes_apply_to_an_article() -> None:
    diagnostics = Diagnostics()
    page = render_article(article("", "Mars and Venus.\n"), glossary(), page_aside, diagnostics)
    assert "Mars: Glossary on Mars." in page.html
    assert "Venus: Glossary on Venus." in page.html
    assert [place.note.glossary for place in page.places] == [True, True]
    assert diagnostics.items == []


def test_an_articles_own_note_wins_over_the_glossary() -> None:
    diagnostics = Diagnostics()
    page = render_article(
        article("## MARS\nat: 2\nOwn note on Mars.\n", "Mars one.\n\nMars two. Venus.\n"),
        glossary(),
        page_aside,
        diagnostics,
    )
    assert "Glossary on Mars" not in page.html
    assert "Own note on Mars." in page.html
    assert page.html.startswith("<p>Mars one.</p>\n")  # not the glossary's first occurrence
    assert [(p.note.term, p.note_id, p.refs) for p in page.places] == [
        ("MARS", "note-mars", ("ref-mars",)),
        ("Venus", "note-venus", ("ref-venus",)),
    ]
    assert diagnostics.items == []


def test_anchoring_excluded_skips_glossary_notes_directly() -> None:
    glossary_notes = notes(GLOSSARY_MD, GLOSSARY, glossary=True)
    anchoring = Anchoring(tries=(build_trie(glossary_notes),), excluded=frozenset({"mars"}))
    rendered = article_parser(env_aside).render("Mars and Venus.", {ENV_KEY: anchoring})
    assert linked_texts(rendered) == ["Venus"]
    assert anchoring.counts == {"venus": 1}


def test_excluded_does_not_apply_to_an_articles_own_notes() -> None:
    anchoring = Anchoring(tries=(build_trie(notes(MARS)),), excluded=frozenset({"mars"}))
    rendered = article_parser(env_aside).render("Mars.", {ENV_KEY: anchoring})
    assert linked_texts(rendered) == ["Mars"]


def test_an_articles_alias_beats_a_glossary_term_of_the_same_spelling() -> None:
    page = render_article(
        article("## Red planet\naliases: Mars\nOwn.\n", "Mars.\n"),
        glossary(),
        page_aside,
        Diagnostics(),
    )
    assert [place.note.term for place in page.places] == ["Red planet"]
    assert link("red-planet", "Mars") in page.html


# without an Anchoring, and plain text


def test_no_anchoring_in_env_renders_plain_markdown() -> None:
    assert article_parser().render("Mars *is* red.\n") == "<p>Mars <em>is</em> red.</p>\n"


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("*Mars*", "*" + link("mars", "Mars") + "*"),
        ("<b>Mars</b>", "&lt;b&gt;" + link("mars", "Mars") + "&lt;/b&gt;"),
        ("Mars &amp; more", link("mars", "Mars") + " &amp;amp; more"),
        ("[Mars](https://x.org)", "[" + link("mars", "Mars") + "](https://x.org)"),
        ("`Mars`", "`" + link("mars", "Mars") + "`"),
    ],
)
def test_text_articles_never_interpret_markup(source: str, shown: str) -> None:
    rendered, _ = anchor(MARS, source, text_parser(env_aside))
    assert f"<p>{shown}</p>" in rendered


@pytest.mark.parametrize(
    "source", ["# not heading", "- not a list", "> not a quote", "    not code", "---"]
)
def test_text_articles_have_no_block_markup(source: str) -> None:
    rendered, _ = anchor(MARS, f"Mars.\n\n{source}\n", text_parser(env_aside))
    assert f"<p>{html.escape(source.strip(), quote=False)}</p>" in rendered
    assert "<h1" not in rendered
    assert "<li" not in rendered
    assert "<blockquote" not in rendered
    assert "<pre" not in rendered
    assert "<hr" not in rendered


def test_text_article_term_across_a_line_break_and_notes_after_paragraph() -> None:
    rendered, _ = anchor(
        "## big but not strong\nn\n", "It is big but\nnot strong.\n\nNext.", text_parser(env_aside)
    )
    assert rendered == (
        '<div class="noted">\n'
        "<p>It is " + link("big-but-not-strong", "big but\nnot strong") + ".</p>\n"
        '<div class="notes">\n'
        '<aside id="note-big-but-not-strong" data-refs="ref-big-but-not-strong">'
        "big but not strong: n</aside>\n"
        "</div>\n"
        "</div>\n"
        "<p>Next.</p>\n"
    )


def test_render_article_uses_the_text_parser_for_text() -> None:
    page = render_article(
        article(MARS, "*Mars* <script>x</script>\n", kind="text"),
        Glossary(),
        page_aside,
        Diagnostics(),
    )
    assert "<em>" not in page.html
    assert "<script>" not in page.html
    assert "&lt;script&gt;x&lt;/script&gt;" in page.html
    assert "*" + link("mars", "Mars") + "*" in page.html
