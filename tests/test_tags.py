"""Tags: a list or comma-separated text in front matter; a page per tag, and one of all tags."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import GOOD, Run, make_site, page_slugs

from site_builder.tags import Tag, read_tags

BASE = "https://example.org/readings/"
ORBITS = "---\ntitle: Orbits\ndate: 2024-05-01\ntags: [space, physics]\n---\nLow orbits.\n"
ROCKETS = "---\ntitle: Rockets\ndate: 2024-06-01\ntags: Space, rockets\n---\nBoosters land.\n"


@pytest.mark.parametrize(
    ("value", "items", "tags"),
    [
        ("space, physics", None, (Tag("space", "space"), Tag("physics", "physics"))),
        ("", ("space", "physics"), (Tag("space", "space"), Tag("physics", "physics"))),
        ("  Deep   space , ,", None, (Tag("Deep space", "deep-space"),)),
        ("Space, space, SPACE", None, (Tag("Space", "space"),)),  # one tag, as first written
        ("", ("war, peace",), (Tag("war, peace", "war-peace"),)),  # a list keeps its commas
        ("Ünïcode, 宇宙", None, (Tag("Ünïcode", "ünïcode"), Tag("宇宙", "宇宙"))),
        ("", (), ()),
    ],
)
def test_read_tags(value: str, items: tuple[str, ...] | None, tags: tuple[Tag, ...]) -> None:
    assert read_tags(value, items) == (tags, [])


def test_a_tag_without_letters_or_digits_is_unusable() -> None:
    assert read_tags("space, !!!, --", None) == ((Tag("space", "space"),), ["!!!", "--"])


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)


def relative_links_resolve(page: Path) -> None:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    for url in parser.urls:
        parts = urlsplit(url)
        if parts.scheme or url.startswith("#"):
            continue
        assert not url.startswith("/"), url
        assert (page.parent / parts.path).resolve().is_file(), f"{page}: {url}"


def test_tags_are_shown_and_each_gets_a_page(tmp_path: Path, cli: Run) -> None:
    make_site(
        tmp_path,
        {
            **GOOD,
            "seeds/orbits.md": ORBITS,
            "seeds/rockets.md": "Boosters land.\n",
            "seeds/rockets.notes.md": ROCKETS.replace("Boosters land.\n", ""),
        },
    )
    result = cli("build", "--site-url", BASE)
    assert (result.code, result.diagnostics) == (0, [])
    out = tmp_path / "_site"
    assert page_slugs(out) == {"good", "orbits", "rockets"}

    article = (out / "orbits" / "index.html").read_text(encoding="utf-8")
    assert (
        '<p class="tags">Tags: <a href="../tags/space/index.html">space</a>, '
        '<a href="../tags/physics/index.html">physics</a></p>'
    ) in article
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="tags/index.html">Readings by tag</a>' in index
    assert (
        '<p class="tags">Tags: <a href="tags/space/index.html">Space</a>, '
        '<a href="tags/rockets/index.html">rockets</a></p>'
    ) in index

    every = (out / "tags" / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<li><a href="([^"]+)">([^<]+)</a> <span class="count">([^<]+)<', every)
    assert listed == [
        ("../tags/physics/index.html", "physics", "1 reading"),
        ("../tags/rockets/index.html", "rockets", "1 reading"),
        ("../tags/space/index.html", "Space", "2 readings"),  # as the newest article writes it
    ]
    space = (out / "tags" / "space" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Tagged “Space”</h1>" in space
    assert "<title>Space · Tags · " in space
    titles = re.findall(r'<h2><a href="([^"]+)">([^<]+)</a>', space)
    assert titles == [
        ("../../rockets/index.html", "Rockets"),
        ("../../orbits/index.html", "Orbits"),
    ]
    assert f'<link rel="canonical" href="{BASE}tags/space/">' in space
    assert '<link rel="stylesheet" href="../../static/site.css">' in space
    assert '<a href="../../tags/index.html">Every tag</a>' in space
    for page in [out / "index.html", out / "orbits" / "index.html", *out.glob("tags/**/*.html")]:
        relative_links_resolve(page)

    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    for url in ("tags/", "tags/physics/", "tags/rockets/", "tags/space/"):
        assert f"<url><loc>{BASE}{url}</loc></url>" in sitemap
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert '<category term="space"/>\n<category term="physics"/>' in feed


def test_a_site_without_tags_has_no_tag_pages(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, GOOD)
    assert cli("build", "--site-url", BASE).code == 0
    out = tmp_path / "_site"
    assert not (out / "tags").exists()
    assert "tags/" not in (out / "index.html").read_text(encoding="utf-8")
    assert "tags/" not in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_the_notes_file_tags_replace_the_article_tags(tmp_path: Path, cli: Run) -> None:
    notes = "---\ntags:\n  - orbits\n  - history\n---\n"
    make_site(tmp_path, {"seeds/orbits.md": ORBITS, "seeds/orbits.notes.md": notes})
    assert cli("build").code == 0
    assert sorted(p.name for p in (tmp_path / "_site" / "tags").iterdir()) == [
        "history",
        "index.html",
        "orbits",
    ]


def test_a_tag_without_letters_is_a_warning(tmp_path: Path, cli: Run) -> None:
    article = "---\ntitle: Orbits\ntags: space, ???\n---\nLow orbits.\n"
    make_site(tmp_path, {"seeds/orbits.md": article})
    result = cli("build")
    assert result.diagnostics == [
        "seeds/orbits.md:3: warning: tags: '???' has no letters or digits to name a page; ignored"
    ]
    assert result.code == 0
    assert sorted(p.name for p in (tmp_path / "_site" / "tags").iterdir()) == [
        "index.html",
        "space",
    ]


def test_tags_that_are_a_mapping_stop_the_page(tmp_path: Path, cli: Run) -> None:
    article = "---\ntitle: Orbits\ntags: {space: yes}\n---\nLow orbits.\n"
    make_site(tmp_path, {**GOOD, "seeds/orbits.md": article})
    result = cli("build")
    assert result.diagnostics == [
        "seeds/orbits.md:3: error: front matter 'tags' must be text or a list of text"
    ]
    assert result.code == 1
    assert page_slugs(tmp_path / "_site") == {"good"}


def test_a_field_that_stops_the_page_does_not_hide_the_other_fields_problems(
    tmp_path: Path, cli: Run
) -> None:
    notes = "---\ndate: not-a-date\nweight: 1.5\ntags: [a, [b]]\n---\n## orbits\nPaths.\n"
    article = "---\ntitle: Orbits\nlang: '!!'\n---\nLow orbits.\n"
    make_site(tmp_path, {**GOOD, "seeds/orbits.md": article, "seeds/orbits.notes.md": notes})
    result = cli("build")
    assert [line.split(": ", 2)[:2] for line in result.diagnostics] == [
        ["seeds/orbits.md:3", "warning"],  # lang
        ["seeds/orbits.notes.md:2", "warning"],  # date
        ["seeds/orbits.notes.md:3", "warning"],  # weight
        ["seeds/orbits.notes.md:4", "error"],  # tags: no page
    ]
    assert result.code == 1
    assert page_slugs(tmp_path / "_site") == {"good"}


def test_a_tag_page_goes_when_its_last_article_drops_the_tag(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {"seeds/orbits.md": ORBITS, "seeds/rockets.md": ROCKETS})
    assert cli("build").code == 0
    tags = tmp_path / "_site" / "tags"
    assert sorted(p.name for p in tags.iterdir()) == ["index.html", "physics", "rockets", "space"]
    (tmp_path / "seeds" / "rockets.md").write_text(ROCKETS.replace("tags: Space, rockets\n", ""))
    assert cli("build").code == 0
    assert sorted(p.name for p in tags.iterdir()) == ["index.html", "physics", "space"]
    (tmp_path / "seeds" / "orbits.md").write_text(ORBITS.replace("tags: [space, physics]\n", ""))
    assert cli("build").code == 0
    assert not tags.exists()
