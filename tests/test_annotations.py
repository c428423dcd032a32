"""W3C Web Annotations (annotations.py): the page's text as the DOM has it, each
article's annotations beside its page, re-anchored from their selectors alone as a
client would, the site's collection of them, and rebuilds keeping them in step."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from annotation_checks import (
    check_collection,
    check_page,
    load,
    quote_matches,
    targets,
)
from conftest import make_site, tree
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.annotations import FILE, _plain_page_text, _TextParser, page_text
from site_builder.site import Project, Site, build_site

ROOT = Path(__file__).parent.parent
SEED_PAGE = "chinas-space-dream"

HARD_ARTICLE = """\
---
title: Hard to anchor
date: 2024-03-01
---

# A heading that names the probe

Fish & chips < "quotes" > 𝄞 music: the probe 😀 flew by. The probe again, and
the probe a third time, across a line break.

```python
probe = "not a term in code"
```

| craft | where |
|---|---|
| the lander | on Mars |

Text with a footnote[^1] and the lander once more, then <b>raw markup</b>.

[^1]: A footnote is the article's own, not an annotation.
"""
HARD_NOTES = """\
## probe
at: every

A craft sent to look: *flies by* & reports <script>alert(1)</script>.

Second paragraph, with [a link](https://example.org/probe).

## lander
at: 2

It sets down; this note is on its second occurrence.
"""
HARD = {
    "seeds/hard.md": HARD_ARTICLE,
    "seeds/hard.notes.md": HARD_NOTES,
    "seeds/_glossary.md": "## music\nSound in time.\n",
    "seeds/plain.md": "---\ntitle: Plain\ndate: 2023-01-01\n---\n\nNothing is noted here.\n",
    "seeds/later.md": "---\ntitle: Later\ndate: 2025-01-01\n---\n\nMusic, later.\n",
}


# The page's text ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "text"),
    [
        ("<html><head><title>no</title></head><body>a &amp; b&lt;c&gt;</body></html>", "a & b<c>"),
        ("<body><p>x\n  y</p>\n<p>z</p></body>", "x\n  y\nz"),
        ("<body><pre>\nkept\n</pre><textarea>\nt</textarea></body>", "kept\nt"),
        ("<body>a<!-- no -->b<script>s < 1</script><style>c</style></body>", "abs < 1c"),
        ("<body>a<template>no</template>b</body>", "ab"),
        ("<body><noscript><a href=x>raw &amp;</a></noscript></body>", "<a href=x>raw &amp;</a>"),
        ("<body>a</body>\n</html>\n", "a\n\n"),  # the browser puts these in the body
        ("<body>a\r\nb\rc &#13;</body>", "a\nb\nc \r"),
        ("<head><link rel=canonical href=x></head><body>&#x1D11E;&nbsp;</body>", "\U0001d11e\xa0"),
    ],
)
def test_the_page_text_is_the_body_text_content(page: str, text: str) -> None:
    assert page_text(page).text == text


# Pieces of markup that pages are made of, ordinary and odd, for the property below.
ORDINARY = [
    "<body>", "<body class=x>", "</body>", "<p>", "</p>", "<a id=\"r1\">", "<a ID='r2'>",
    "<a id=r3 href=\"#n\">", "<span id=\"r1\" title=\"x id=r2\">", "</a>", "</span>",
    "<br/>", "<a id=\"r2\"/>", "<em>", "</em>", "<pre class=h>", "\n", " ", "a", "&amp;",
    "&lt;", "&", "&#13;", ">", "'", '"', "<!-- c -->", "<!doctype html>", "\xa0",
    "<link rel=canonical href=\"u&amp;v\">", "<link rel=\"alternate\" href=y>",
    "<a id=\"r&#49;\">", "<script>", "</script>",
]  # fmt: skip
ODD = [
    "<", "<pre>", "<!-->", "<style>", "</style>", "<noscript>", "</noscript>", "<template>",
    "</template>", "<textarea>", "</textarea>", "<?x?>", "<div title=\"a>b\">", "\0",
    "<a\"x y\">", "<b'c d'>",
]  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(ORDINARY * 8 + ODD), max_size=40))
def test_the_fast_pass_reads_what_the_parser_reads_or_leaves_it(pieces: list[str]) -> None:
    html = "".join(pieces)
    wanted = frozenset({"r1", "r2", "r3"})
    fast = _plain_page_text(html, wanted)
    if fast is not None:
        parser = _TextParser(wanted)
        parser.feed(html)
        parser.close()
        assert (fast.text, fast.spans, fast.canonical) == (
            "".join(parser.pieces),
            parser.spans,
            parser.canonical,
        )


def test_the_fast_pass_reads_the_built_pages(tmp_path: Path) -> None:
    """The seed's pages are read by the fast pass, not left to the parser."""
    out = built(ROOT / "seeds", tmp_path / "out")
    for page in out.rglob("*.html"):
        assert _plain_page_text(page.read_text(encoding="utf-8"), frozenset()) is not None, page


def test_the_spans_of_elements_count_code_points() -> None:
    parsed = page_text('<body>😀 <a id="r">the &amp; term</a>!<a id="s"></a></body>', ["r", "s"])
    assert parsed.spans == {"r": (2, 12), "s": (13, 13)}
    assert parsed.text[2:12] == "the & term"


# Articles and the collection, built -------------------------------------------


def built(source: Path, out: Path, site_url: str | None = None) -> Path:
    report = build_site(Project.at(source, out), site_url=site_url)
    assert report.diagnostics.errors == []
    return out


def article_pages(out: Path) -> dict[str, Path]:
    """Each article's folder by slug: those with an index.html and annotations beside it."""
    return {path.parent.name: path.parent for path in out.glob(f"*/{FILE}")}


def check_site(out: Path, base: str = "") -> dict[str, Any]:
    """Every article's annotations and the collection are well formed, and every target
    re-anchors on its term's link from its selectors alone; the pages by slug."""
    pages: dict[str, Any] = {}
    collection_id = base + FILE
    for slug, folder in sorted(article_pages(out).items()):
        page_html = (folder / "index.html").read_text(encoding="utf-8")
        page = load(folder / FILE)
        own = f"{base}{slug}/{FILE}" if base else FILE
        check_page(page, own, collection_id if base else "../" + FILE)
        text = page_text(page_html).text
        found = targets(page, page_html)
        assert len(found) >= len(page["items"])
        for target in found:
            start, end = target.position["start"], target.position["end"]
            assert text[start:end] == target.quote["exact"] == target.link_text, target
            assert quote_matches(text, target.quote) == [start], target
        for annotation in page["items"]:
            for item in annotation["target"]:
                assert item["source"] == (f"{base}{slug}/" if base else "index.html")
        linked = '<link rel="alternate" type="application/ld+json" href="annotations.jsonld"'
        assert (linked in page_html) == bool(page["items"]), slug
        pages[f"{base}{slug}/{FILE}" if base else f"{slug}/{FILE}"] = page
    collection = load(out / FILE)
    ordered = {entry["id"]: pages[entry["id"]] for entry in collection.get("@included", [])}
    ordered |= {key: page for key, page in pages.items() if key not in ordered}
    check_collection(collection, collection_id, ordered)
    return pages


def test_the_seed_notes_all_re_anchor_without_a_site_address(tmp_path: Path) -> None:
    out = built(ROOT / "seeds", tmp_path / "out")
    pages = check_site(out)
    seed = pages[f"{SEED_PAGE}/{FILE}"]
    assert len(seed["items"]) == 14
    notes = (ROOT / "seeds" / "000_edfef99d65433808.notes.md").read_text(encoding="utf-8")
    own = {line[3:] for line in notes.splitlines() if line.startswith("## ")}
    assert own <= {a["body"]["label"] for a in seed["items"]}  # and the glossary's


def test_with_a_site_address_every_iri_is_absolute(tmp_path: Path) -> None:
    base = "https://example.org/readings/"
    out = built(ROOT / "seeds", tmp_path / "out", site_url=base)
    pages = check_site(out, base)
    seed = pages[f"{base}{SEED_PAGE}/{FILE}"]
    first = seed["items"][0]
    assert first["id"] == f"{base}{SEED_PAGE}/{FILE}#note-deepseek"
    assert first["target"][0]["source"] == f"{base}{SEED_PAGE}/"
    canonical = f'<link rel="canonical" href="{base}{SEED_PAGE}/">'
    assert canonical in (out / SEED_PAGE / "index.html").read_text(encoding="utf-8")


def test_hard_pages_re_anchor_each_place_of_a_note(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", HARD)
    out = built(root / "seeds", tmp_path / "out")
    pages = check_site(out)
    hard = pages[f"hard/{FILE}"]
    by_term = {a["body"]["label"]: a for a in hard["items"]}
    assert sorted(by_term) == ["lander", "music", "probe"]  # no footnote
    assert [t["selector"][0]["exact"] for t in by_term["probe"]["target"]] == ["probe"] * 3
    assert len(by_term["lander"]["target"]) == 1
    html_body, plain_body = by_term["probe"]["body"]["items"]
    assert "&lt;script&gt;" in html_body["value"] and "<em>flies by</em>" in html_body["value"]
    assert plain_body["value"] == (
        "A craft sent to look: flies by & reports <script>alert(1)</script>.\n"
        "Second paragraph, with a link."
    )
    assert html_body["language"] == "en"
    # After the astral characters, positions count code points, not UTF-16 units.
    text = page_text((out / "hard" / "index.html").read_text(encoding="utf-8")).text
    start = by_term["probe"]["target"][1]["selector"][1]["start"]
    assert text[:start].count("😀") == text[:start].count("𝄞") == 1
    assert text[start : start + 5] == "probe"
    # The collection: newest first, and the page without notes left out.
    collection = load(out / FILE)
    assert [e["id"] for e in collection["@included"]] == [f"later/{FILE}", f"hard/{FILE}"]
    assert load(out / "plain" / FILE)["items"] == []


def test_a_site_without_notes_has_an_empty_collection(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", {"seeds/plain.md": "# Plain\n\nNothing here.\n"})
    out = built(root / "seeds", tmp_path / "out")
    collection = load(out / FILE)
    assert collection["total"] == 0 and "first" not in collection
    check_site(out)


# Rebuilds keep them in step ---------------------------------------------------------


def note_bodies(out: Path, slug: str) -> list[str]:
    return [a["body"]["items"][1]["value"] for a in load(out / slug / FILE)["items"]]


def test_a_note_edit_reaches_the_annotations_in_a_rebuild_and_from_the_cache(
    tmp_path: Path,
) -> None:
    root = make_site(tmp_path / "site", HARD)
    site = Site(Project.at(root / "seeds", tmp_path / "out"))
    assert site.build().diagnostics.errors == []
    out = site.project.out
    notes = root / "seeds" / "hard.notes.md"
    notes.write_text(HARD_NOTES.replace("It sets down;", "It lands softly;"), encoding="utf-8")
    site.rebuild([notes])
    assert "It lands softly; this note is on its second occurrence." in note_bodies(out, "hard")
    check_site(out)
    # A warm build (from the page cache) and a cold one write the same annotations.
    warm = built(root / "seeds", tmp_path / "warm")
    notes.write_text(HARD_NOTES.replace("It sets down;", "It touches down;"), encoding="utf-8")
    warm = built(root / "seeds", warm)
    cold_report = build_site(Project.at(root / "seeds", tmp_path / "cold"), cache=False)
    assert cold_report.diagnostics.errors == []
    assert tree(warm) == tree(tmp_path / "cold")
    assert any("It touches down;" in body for body in note_bodies(warm, "hard"))
    # A note removed: its annotation goes, and the collection's total with it.
    notes.write_text(HARD_NOTES.split("## lander")[0], encoding="utf-8")
    site.rebuild([notes])
    assert load(out / FILE)["total"] == 3  # probe (one note, three places), music twice
    assert [a["body"]["label"] for a in load(out / "hard" / FILE)["items"]] == ["music", "probe"]
    assert tree(out) == tree(built(root / "seeds", tmp_path / "fresh"))


def test_the_files_are_json_with_markup_escaped(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", HARD)
    out = built(root / "seeds", tmp_path / "out")
    raw = (out / "hard" / FILE).read_text(encoding="utf-8")
    assert "\\u003cscript\\u003e" in raw and "<" not in raw
    assert json.loads(raw)["type"] == "AnnotationPage"
