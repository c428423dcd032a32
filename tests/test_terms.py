"""The terms page as a glossary, and a page per term."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import make_site

from site_builder import terms as terms_module
from site_builder.site import Project, Site, build_site

FILES = {
    "site.toml": 'title = "Terms"\nsite_url = "https://example.org/"\n',
    "seeds/_glossary.md": (
        "## orbit\naliases: orbits\n\nA path around a body.\n\nMore on [orbits](images/o.png).\n\n"
        "## Émigré\nSomeone who left.\n\n"
        "## unused term\nIn no article.\n"
    ),
    "seeds/images/o.png": "png",
    "seeds/one.md": (
        "---\ntitle: One\n---\n\nA first sentence. The orbit of Mars is long. Then more.\n\n"
        "An émigré wrote it. Every C++ programmer and every C programmer knows.\n"
    ),
    "seeds/one.notes.md": (
        "## Mars\nThe red planet.\n\nIt has two moons.\n\n"
        "## C++\nA language.\n\n## C\nAnother language.\n"
    ),
    "seeds/two.md": "---\ntitle: Two\n---\n\nOrbits, again: an orbit.\n",
}


def build(tmp_path: Path) -> Path:
    root = make_site(tmp_path / "site", FILES)
    out = tmp_path / "out"
    report = build_site(Project.at(root / "seeds", out))
    assert [d.format() for d in report.diagnostics.items] == []
    return out


def main_of(page: Path) -> str:
    html = page.read_text()
    return html[html.index("<main") : html.index("</main>")]


def test_each_term_with_its_gloss_aliases_and_the_sentences_it_occurs_in(tmp_path: Path) -> None:
    terms = main_of(build(tmp_path) / "terms" / "index.html")
    entry = terms[terms.index('<dt id="term-orbit">') :]
    entry = entry[: entry.index("</dd>")]
    name = '<a href="orbit/index.html">orbit</a> <span class="aliases">(also orbits)</span>'
    assert name in entry
    assert "<p>A path around a body.</p>" in entry
    assert "More on" not in entry  # the detail is on the term's own page
    assert (
        '<a href="../one/index.html#ref-orbit">The <mark>orbit</mark> of Mars is long.</a>' in entry
    )
    two = '<a href="../two/index.html#ref-orbit"><mark>Orbits</mark>, again: an orbit.</a>'
    assert two in entry
    assert "<cite>One</cite>" in entry and "<cite>Two</cite>" in entry


def test_a_jump_bar_and_terms_filed_by_letter_unused_ones_last(tmp_path: Path) -> None:
    terms = main_of(build(tmp_path) / "terms" / "index.html")
    linked = re.findall(r'<li><a href="#(letter-[^"]+)">(.)</a></li>', terms)
    assert linked == [("letter-c", "C"), ("letter-e", "E"), ("letter-m", "M"), ("letter-o", "O")]
    assert '<span class="jump-off" title="No terms under A">A</span>' in terms
    headings = re.findall(r'<h2 id="([^"]+)">', terms)
    assert headings == ["letter-c", "letter-e", "letter-m", "letter-o", "unused"]
    assert terms.index("Émigré") < terms.index('id="letter-m"')  # under E
    unused = terms[terms.index('<h2 id="unused">') :]
    assert '<a href="unused-term/index.html">unused term</a>' in unused
    assert "<p>In no article.</p>" in unused and "<mark>" not in unused


def test_each_term_has_a_page_with_its_whole_note_and_places(tmp_path: Path) -> None:
    out = build(tmp_path)
    page = main_of(out / "terms" / "orbit" / "index.html")
    assert "<h1>orbit</h1>" in page
    assert "<p>A path around a body.</p>" in page
    # The detail's link leads from two folders down to the copied file.
    assert '<a href="../../_files/images/o.png">orbits</a>' in page
    assert (out / "terms" / "orbit" / "../../_files/images/o.png").resolve().is_file()
    assert '<a href="../../one/index.html#ref-orbit">The <mark>orbit</mark>' in page
    assert '<a href="../../terms/index.html#term-orbit">Terms</a>' in page
    mars = main_of(out / "terms" / "mars" / "index.html")
    assert "<p>It has two moons.</p>" in mars
    unused = main_of(out / "terms" / "unused-term" / "index.html")
    assert "Not in an article yet." in unused
    html = (out / "terms" / "orbit" / "index.html").read_text()
    assert '<link rel="canonical" href="https://example.org/terms/orbit/">' in html
    assert '<meta name="description" content="A path around a body.">' in html


def test_places_quote_whole_sentences_past_abbreviations_and_in_chinese(tmp_path: Path) -> None:
    root = make_site(
        tmp_path / "site",
        {
            "seeds/voyager.md": (
                "In 2012 Mr. Smith saw that Voyager 1 crossed the heliopause at last.\n"
            ),
            "seeds/voyager.notes.md": "## heliopause\n\nWhere the solar wind stops.\n",
            "seeds/moon.md": "---\nlang: zh\n---\n\n月壤很重要。我们研究月壤。\n\n她说：“月壤”。\n",
            "seeds/moon.notes.md": "## 月壤\nat: every\n\n覆盖月球表面的松散碎屑层。\n",
        },
    )
    out = tmp_path / "out"
    report = build_site(Project.at(root / "seeds", out))
    assert [d.format() for d in report.diagnostics.items] == []
    terms = main_of(out / "terms" / "index.html")
    assert (
        "In 2012 Mr. Smith saw that Voyager 1 crossed the <mark>heliopause</mark> at last.</a>"
    ) in terms
    zh = 'lang="zh" dir="ltr"'  # the English page quotes a Chinese article
    assert f'#ref-月壤" {zh}><mark>月壤</mark>很重要。</a>' in terms
    assert f'#ref-月壤--2" {zh}>我们研究<mark>月壤</mark>。</a>' in terms
    assert f'#ref-月壤--3" {zh}>她说：“<mark>月壤</mark>”。</a>' in terms


def test_terms_told_apart_by_a_symbol_get_pages_of_their_own(tmp_path: Path) -> None:
    out = build(tmp_path)
    assert "<h1>C</h1>" in (out / "terms" / "c" / "index.html").read_text()
    assert "<h1>C++</h1>" in (out / "terms" / "c-plus-plus" / "index.html").read_text()
    terms = (out / "terms" / "index.html").read_text()
    assert '<dt id="term-c"><a href="c/index.html">C</a>' in terms
    assert '<dt id="term-c-plus-plus"><a href="c-plus-plus/index.html">C++</a>' in terms


def test_the_sitemap_lists_every_term_page(tmp_path: Path) -> None:
    sitemap = (build(tmp_path) / "sitemap.xml").read_text()
    for slug in ("c", "c-plus-plus", "émigré", "mars", "orbit", "unused-term"):
        assert f"<loc>https://example.org/terms/{slug}/</loc>" in sitemap


def test_the_terms_page_shows_a_term_in_its_first_articles_and_its_page_in_all(
    tmp_path: Path,
) -> None:
    # A glossary term may occur in every article: the terms page would grow with the site.
    articles = {f"seeds/a{n}.md": f"# Article {n}\n\nThe orbit of body {n}.\n" for n in range(5)}
    make_site(tmp_path, {"seeds/_glossary.md": "## orbit\nA path around a body.\n", **articles})
    build_site(Project.at(tmp_path / "seeds"))
    terms = main_of(tmp_path / "_site" / "terms" / "index.html")
    assert terms.count("<mark>orbit</mark>") == 3
    assert '<a href="orbit/index.html">2 more articles</a>' in terms
    own = main_of(tmp_path / "_site" / "terms" / "orbit" / "index.html")
    assert own.count("<mark>orbit</mark>") == 5


# A large glossary: a page a letter --------------------------------------------


def build_split(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(terms_module, "ONE_PAGE", 3)  # FILES has 7 terms
    return build(tmp_path)


def test_a_large_glossary_has_a_page_a_letter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = build_split(tmp_path, monkeypatch)
    letters = main_of(out / "terms" / "index.html")
    assert "<dl" not in letters  # no term on the page of the letters
    linked = re.findall(r'<li><a href="(letter-[^"]+\.html)">(.)</a></li>', letters)
    assert [letter for _, letter in linked[:4]] == ["C", "E", "M", "O"]
    assert '<a href="letter-c.html">C</a> <span class="term-count">2 terms</span>' in letters
    assert (
        '<a href="unused.html">Not in an article yet</a> <span class="term-count">1 term' in letters
    )
    c = main_of(out / "terms" / "letter-c.html")
    assert '<h1 id="page-heading">C</h1>' in c and "<h2" not in c  # one heading, not two
    assert '<section class="term-group" aria-labelledby="page-heading">' in c
    assert '<a href="letter-c.html" aria-current="page">C</a>' in c
    assert re.findall(r'<dt id="([^"]+)">', c) == ["term-c", "term-c-plus-plus"]
    orbit = main_of(out / "terms" / "letter-o.html")
    assert (
        '<a href="../one/index.html#ref-orbit">The <mark>orbit</mark> of Mars is long.</a>' in orbit
    )
    unused = main_of(out / "terms" / "unused.html")
    assert re.findall(r'<dt id="([^"]+)">', unused) == ["term-unused-term"]
    # Each term's page leads back to the page that lists it, where its entry is.
    for slug, listing in [("orbit", "letter-o.html"), ("unused-term", "unused.html")]:
        page = main_of(out / "terms" / slug / "index.html")
        assert f'<a href="../../terms/{listing}#term-{slug}">Terms</a>' in page
        assert f'<dt id="term-{slug}">' in (out / "terms" / listing).read_text()
    html = (out / "terms" / "letter-o.html").read_text()
    assert '<link rel="canonical" href="https://example.org/terms/letter-o.html">' in html
    sitemap = (out / "sitemap.xml").read_text()
    for name in ("letter-c.html", "letter-o.html", "unused.html"):
        assert f"<loc>https://example.org/terms/{name}</loc>" in sitemap


def test_an_edit_remakes_the_page_of_its_letter_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(terms_module, "ONE_PAGE", 3)
    root = make_site(tmp_path / "site", FILES)
    site = Site(Project.at(root / "seeds", tmp_path / "out"))
    site.build()
    out = tmp_path / "out" / "terms"
    before = {path.name: path.read_bytes() for path in out.glob("*.html")}
    notes = root / "seeds" / "one.notes.md"
    notes.write_text(notes.read_text().replace("The red planet.", "The fourth planet."))
    site.rebuild([notes])
    after = {path.name: path.read_bytes() for path in out.glob("*.html")}
    assert {name for name in after if after[name] != before.get(name)} == {"letter-m.html"}
    assert "The fourth planet." in (out / "letter-m.html").read_text()
