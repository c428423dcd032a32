"""Reading articles: metadata and its precedence, encodings, slugs and their clashes."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from pathlib import Path

import pytest
from conftest import GOOD, Run, make_site, page_slugs, run_unprivileged, tree

from site_builder import discover as discover_module
from site_builder.config import SiteConfig
from site_builder.diagnostics import Diagnostics
from site_builder.discover import discover
from site_builder.site import Project, Site, build_site
from site_builder.sources import Article, Metadata, read_article

SEED = Path(__file__).parent.parent / "seeds" / "000_edfef99d65433808.txt"

PROSE = (
    "The city council voted on Tuesday night to close the old harbour bridge to cars, "
    "ending a decade of argument about the crumbling structure and its future."
)


def read(
    tmp_path: Path, files: Mapping[str, str | bytes], config: SiteConfig | None = None
) -> tuple[Article | None, list[str]]:
    """The one article of a site made of `files`, and every diagnostic, formatted."""
    make_site(tmp_path, files)
    diagnostics = Diagnostics()
    found = discover(tmp_path / "seeds", diagnostics)
    assert len(found.sources) == 1
    article = read_article(found.sources[0], config or SiteConfig(), diagnostics)
    return article, [d.format(tmp_path) for d in diagnostics.sorted()]


def meta_of(tmp_path: Path, files: dict[str, str | bytes]) -> Metadata:
    article, diagnostics = read(tmp_path, files)
    assert diagnostics == []
    assert article is not None
    return article.meta


# Metadata precedence: notes front matter > source front matter > derived > file name.


def test_notes_front_matter_beats_source_front_matter_beats_derived(tmp_path: Path) -> None:
    article = "---\ntitle: From the source\nauthor: Source Author\nsummary: Source summary\n---\n"
    article += "# Derived title\n\nBody text.\n"
    notes = "---\ntitle: From the notes\nslug: chosen\n---\n"
    meta = meta_of(tmp_path, {"seeds/story.md": article, "seeds/story.notes.md": notes})
    assert meta.title == "From the notes"
    assert meta.slug == "chosen"
    assert meta.author == "Source Author"  # not overridden by the notes
    assert meta.summary == "Source summary"


def test_source_front_matter_beats_the_derived_title_with_a_warning(tmp_path: Path) -> None:
    """The heading is left out (one title a page), but not silently."""
    source = "---\ntitle: From the source\n---\n\n# Derived title\n\nBody text.\n"
    article, diagnostics = read(tmp_path, {"seeds/story.md": source})
    assert article is not None
    assert article.meta.title == "From the source"
    assert "Derived" not in article.body
    assert diagnostics == [
        "seeds/story.md:5: warning: the front matter's title 'From the source' differs "
        "from this heading, which the page leaves out (it shows one title); make them the "
        "same, or choose the title with 'title:' in the notes file's front matter"
    ]


@pytest.mark.parametrize(
    "heading", ["# Orbits, briefly", "# *Orbits*: Briefly", "#  orbits   briefly ##"]
)
def test_a_heading_with_the_titles_words_is_no_warning(tmp_path: Path, heading: str) -> None:
    source = f"---\ntitle: Orbits, briefly\n---\n{heading}\n\nBody text.\n"
    assert meta_of(tmp_path, {"seeds/story.md": source}).title == "Orbits, briefly"


def test_a_title_in_the_notes_is_the_editors_choice_and_no_warning(tmp_path: Path) -> None:
    source = "---\ntitle: From the source\n---\n# Derived title\n\nBody text.\n"
    notes = "---\ntitle: Chosen\n---\n"
    meta = meta_of(tmp_path, {"seeds/story.md": source, "seeds/story.notes.md": notes})
    assert meta.title == "Chosen"


def test_first_heading_gives_the_title_and_leaves_the_body(tmp_path: Path) -> None:
    article, diagnostics = read(tmp_path, {"seeds/story.md": "\n# The *real* title #\n\nBody.\n"})
    assert diagnostics == []
    assert article is not None
    assert article.meta.title == "The *real* title"
    assert "real" not in article.body
    assert article.body.strip() == "Body."


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("# Orbits", "Orbits"),
        ("#   Orbits   ", "Orbits"),
        ("# Orbits ##  ", "Orbits"),
        ("# Orbits#", "Orbits#"),  # no space: not a closing sequence
        ("# C# and F#", "C# and F#"),
        ("# #", "#"),
        ("# Low   Earth   orbit", "Low   Earth   orbit"),
    ],
)
def test_title_from_the_first_heading_line(tmp_path: Path, line: str, title: str) -> None:
    assert meta_of(tmp_path, {"seeds/story.md": f"{line}\n\nBody.\n"}).title == title


@pytest.mark.parametrize("line", ["#Orbits", " # Orbits", "## Orbits", "#   "])
def test_other_first_lines_give_no_title(tmp_path: Path, line: str) -> None:
    assert meta_of(tmp_path, {"seeds/story.md": f"{line}\n\nBody.\n"}).title == "story"


def test_file_name_is_the_last_resort_title(tmp_path: Path) -> None:
    meta = meta_of(tmp_path, {"seeds/Untitled notes.md": "Just a paragraph.\n"})
    assert meta.title == "Untitled notes"
    assert meta.slug == "untitled-notes"


def test_language_defaults_to_the_site_language(tmp_path: Path) -> None:
    article, _ = read(tmp_path, {"seeds/a.md": "Text.\n"}, SiteConfig(language="fr"))
    assert article is not None
    assert article.meta.lang == "fr"


def test_precedence_shows_in_the_built_page(tmp_path: Path, cli: Run) -> None:
    article = "---\ntitle: Source title\nsource: Source Weekly\n---\n# Derived\n\nBody text.\n"
    notes = "---\ntitle: Notes title\n---\n"
    make_site(tmp_path, {"seeds/story.md": article, "seeds/story.notes.md": notes})
    assert cli("build").code == 0
    page = (tmp_path / "_site" / "story" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Notes title</h1>" in page
    assert "<title>Notes title · " in page
    assert '<span class="source">Source Weekly</span>' in page
    assert "Source title" not in page
    assert "Derived" not in page


# Scraped plain text: chrome gives title and publisher.


def test_scraped_text_chrome_gives_title_and_publisher(tmp_path: Path) -> None:
    text = (
        "Menu | Search\n\nHarbour bridge to close\n\n7 0\nthursday\n\n"
        f"{PROSE}\n\n{PROSE}........\n\n© Harbour Gazette 2024\n"
    )
    article, diagnostics = read(tmp_path, {"seeds/bridge.txt": text})
    assert diagnostics == []
    assert article is not None
    assert article.kind == "text"
    assert article.meta.title == "Harbour bridge to close"
    assert article.meta.source == "Harbour Gazette"
    assert article.meta.excerpt is True
    assert article.meta.slug == "bridge"
    assert "Menu" not in article.body
    assert "©" not in article.body
    assert "7 0" not in article.body
    assert not article.body.endswith(".")


def test_the_seed_text_gives_its_title_and_publisher(tmp_path: Path) -> None:
    meta = meta_of(tmp_path, {"seeds/seed.txt": SEED.read_bytes()})
    assert meta.title == "China’s Space Dream: No Limits, No End"
    assert meta.source == "The Diplomat"
    assert meta.excerpt is True


def test_notes_front_matter_overrides_what_chrome_gave(tmp_path: Path) -> None:
    text = f"Harbour bridge to close\n\n{PROSE}........\n\n© Harbour Gazette\n"
    notes = "---\ntitle: Better title\nsource: The Gazette\nexcerpt: no\n---\n"
    meta = meta_of(tmp_path, {"seeds/bridge.txt": text, "seeds/bridge.notes.md": notes})
    assert (meta.title, meta.source, meta.excerpt) == ("Better title", "The Gazette", False)


def test_plain_text_front_matter_lookalike_is_text(tmp_path: Path) -> None:
    text = f"---\ntitle: not metadata\n---\n\n{PROSE}\n"
    article, diagnostics = read(tmp_path, {"seeds/t.txt": text})
    assert diagnostics == []
    assert article is not None
    assert article.meta.title != "not metadata"  # a .txt has no front matter


# Encodings and line endings.


def test_bom_and_crlf_files_read_fine(tmp_path: Path) -> None:
    article = (
        "\ufeff---\r\ntitle: With BOM\r\ndate: 2024-02-03\r\n---\r\n\r\nLine one\r\nline two.\r\n"
    )
    notes = "\ufeff---\r\nsummary: Notes with BOM\r\n---\r\n## line one\r\nA note.\r\n"
    files: dict[str, str | bytes] = {
        "seeds/bom.md": article.encode("utf-8"),
        "seeds/bom.notes.md": notes.encode("utf-8"),
    }
    read_back, diagnostics = read(tmp_path, files)
    assert diagnostics == []
    assert read_back is not None
    assert read_back.meta.title == "With BOM"
    assert read_back.meta.iso_date == "2024-02-03"
    assert read_back.meta.summary == "Notes with BOM"
    assert "\r" not in read_back.body
    assert "\ufeff" not in read_back.body
    assert [note.term for note in read_back.notes] == ["line one"]
    assert read_back.notes[0].body == "A note."


def test_bom_and_crlf_scraped_text(tmp_path: Path) -> None:
    text = f"\ufeffHarbour bridge to close\r\n\r\n{PROSE}\r\n\r\n© Harbour Gazette\r\n"
    meta = meta_of(tmp_path, {"seeds/b.txt": text.encode("utf-8")})
    assert (meta.title, meta.source) == ("Harbour bridge to close", "Harbour Gazette")


def test_bom_and_crlf_site_builds_cleanly(tmp_path: Path, cli: Run) -> None:
    article = "\ufeff---\r\ntitle: CRLF\r\n---\r\nThe Tianwen-3 mission.\r\n"
    notes = "\ufeff## Tianwen-3\r\nA mission.\r\n"
    make_site(tmp_path, {"seeds/crlf.md": article, "seeds/crlf.notes.md": notes})
    result = cli("build", "--strict")
    assert (result.code, result.err) == (0, "")
    page = (tmp_path / "_site" / "crlf" / "index.html").read_text(encoding="utf-8")
    assert "<h1>CRLF</h1>" in page
    assert 'data-note="note-tianwen-3"' in page


# Front-matter values are text, never typed by YAML.


@pytest.mark.parametrize("value", ["no", "yes", "off", "null", "~", "1.0", "0x10", "2024-01-02"])
def test_front_matter_values_stay_text(tmp_path: Path, value: str) -> None:
    meta = meta_of(tmp_path, {"seeds/a.md": f"---\ntitle: {value}\n---\nText.\n"})
    assert meta.title == value


def test_title_no_reaches_the_page(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {"seeds/a.md": "---\ntitle: no\n---\nText.\n"})
    assert cli("build").code == 0
    page = (tmp_path / "_site" / "a" / "index.html").read_text(encoding="utf-8")
    assert "<h1>no</h1>" in page


def test_values_are_checked_with_warnings(tmp_path: Path) -> None:
    article = (
        "---\nurl: ftp://example.org/a\nlang: not a tag\ndate: May 2024\nexcerpt: maybe\n"
        "---\nText.\n"
    )
    read_back, diagnostics = read(tmp_path, {"seeds/a.md": article})
    assert diagnostics == [
        "seeds/a.md:2: warning: url: 'ftp://example.org/a' is not an http(s) address; ignored",
        "seeds/a.md:3: warning: lang: 'not a tag' is not a language tag such as en or zh-Hans; "
        "ignored",
        "seeds/a.md:4: warning: date: 'May 2024' is not an ISO 8601 date such as 2024-05-01 or "
        "2024-05-01 21:00; shown as written, sorted last",
        "seeds/a.md:5: warning: excerpt: 'maybe' is not true or false; ignored",
    ]
    assert read_back is not None
    assert (read_back.meta.url, read_back.meta.lang, read_back.meta.date) == ("", "en", "May 2024")
    assert read_back.meta.excerpt is False


def test_javascript_url_is_dropped_with_a_warning(tmp_path: Path, cli: Run) -> None:
    article = "---\ntitle: Risky\nsource: Example\nurl: javascript:alert(1)\n---\nText.\n"
    make_site(tmp_path, {**GOOD, "seeds/risky.md": article})
    result = cli("build")
    assert result.diagnostics == [
        "seeds/risky.md:4: warning: url: 'javascript:alert(1)' is not an http(s) address; ignored"
    ]
    assert result.code == 0
    for name, content in tree(tmp_path / "_site").items():
        assert b"javascript:" not in content, name
    page = (tmp_path / "_site" / "risky" / "index.html").read_text(encoding="utf-8")
    assert '<span class="source">Example</span>' in page


@pytest.mark.parametrize("url", ["JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,x"])
def test_other_unsafe_urls_are_dropped(tmp_path: Path, url: str) -> None:
    read_back, diagnostics = read(tmp_path, {"seeds/a.md": f"---\nurl: '{url}'\n---\nText.\n"})
    assert read_back is not None
    assert read_back.meta.url == ""
    assert len(diagnostics) == 1
    assert diagnostics[0].startswith("seeds/a.md:2: warning: url: ")


# Slugs.


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("simple.md", "simple"),
        ("Two Words.md", "two-words"),
        ("Über_Straße.md", "über-strasse"),
        ("000_edfef99d65433808.txt", "000-edfef99d65433808"),
    ],
)
def test_slug_comes_from_the_file_name(tmp_path: Path, name: str, slug: str) -> None:
    meta = meta_of(tmp_path, {f"seeds/{name}": f"{PROSE}\n"})
    assert meta.slug == slug


def test_slug_from_front_matter(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {"seeds/long-file-name.md": "---\nslug: short\n---\nText.\n"})
    result = cli("build")
    assert (result.code, result.err) == (0, "")
    assert page_slugs(tmp_path / "_site") == {"short"}


def test_slug_that_climbs_out_is_made_safe_with_a_warning(tmp_path: Path, cli: Run) -> None:
    site = tmp_path / "project"
    make_site(site, {**GOOD, "seeds/climb.md": "---\nslug: ../../etc\n---\nClimbing text.\n"})
    result = cli("build", "--source", "project/seeds")
    assert result.diagnostics == [
        "project/seeds/climb.md:2: warning: slug: '../../etc' is not a plain slug "
        "(lower-case words and hyphens); using 'etc'"
    ]
    assert result.code == 0
    out = site / "_site"
    assert "Climbing text." in (out / "etc" / "index.html").read_text(encoding="utf-8")
    # Nothing was written outside the output folder.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]
    assert sorted(p.name for p in site.iterdir()) == ["_site", "seeds"]


@pytest.mark.parametrize("slug", ["..", "/", "../..", "---"])
def test_slug_of_nothing_but_punctuation_falls_back_to_the_file_name(
    tmp_path: Path, slug: str
) -> None:
    read_back, diagnostics = read(tmp_path, {"seeds/x.md": f"---\nslug: '{slug}'\n---\nText.\n"})
    assert read_back is not None
    assert read_back.meta.slug == "x"
    assert diagnostics == [
        f"seeds/x.md:2: warning: slug: '{slug}' is not a plain slug (lower-case words and "
        "hyphens); using 'x'"
    ]


def test_unusable_notes_slug_keeps_the_source_slug(tmp_path: Path) -> None:
    files = {
        "seeds/x.md": "---\nslug: chosen\n---\nText.\n",
        "seeds/x.notes.md": "---\nslug: ..\n---\n",
    }
    read_back, diagnostics = read(tmp_path, files)
    assert read_back is not None
    assert read_back.meta.slug == "chosen"
    assert diagnostics == [
        "seeds/x.notes.md:2: warning: slug: '..' is not a plain slug (lower-case words and "
        "hyphens); using 'chosen'"
    ]


def test_file_names_that_clash_after_normalisation_and_case_folding(
    tmp_path: Path, cli: Run
) -> None:
    upper_nfc = unicodedata.normalize("NFC", "Café.md")
    lower_nfd = unicodedata.normalize("NFD", "café.md")
    make_site(tmp_path, {**GOOD, f"seeds/{upper_nfc}": "One.\n", f"seeds/{lower_nfd}": "Two.\n"})
    assert len(list((tmp_path / "seeds").iterdir())) == 4  # two files on disk, not one
    result = cli("build")
    assert result.code == 1
    errors = result.diagnostics
    assert len(errors) == 2, result.err
    first, second = f"seeds/{upper_nfc}", f"seeds/{lower_nfd}"
    assert set(errors) == {
        f"{first}:1: error: slug 'café' is also the slug of {second}; "
        "give one of them another slug",
        f"{second}:1: error: slug 'café' is also the slug of {first}; "
        "give one of them another slug",
    }
    assert page_slugs(tmp_path / "_site") == {"good"}


def test_front_matter_slugs_that_differ_only_in_case_clash(tmp_path: Path, cli: Run) -> None:
    make_site(
        tmp_path,
        {
            **GOOD,
            "seeds/one.md": "---\nslug: ABC\n---\nOne.\n",
            "seeds/two.md": "---\nslug: abc\n---\nTwo.\n",
        },
    )
    result = cli("build")
    assert result.diagnostics == [
        "seeds/one.md:2: error: slug 'abc' is also the slug of seeds/two.md; "
        "give one of them another slug",
        "seeds/one.md:2: warning: slug: 'ABC' is not a plain slug (lower-case words and "
        "hyphens); using 'abc'",
        "seeds/two.md:2: error: slug 'abc' is also the slug of seeds/one.md; "
        "give one of them another slug",
    ]
    assert result.code == 1
    assert page_slugs(tmp_path / "_site") == {"good"}


def test_same_stem_md_and_txt_clash(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {**GOOD, "seeds/same.md": "One.\n", "seeds/same.txt": f"{PROSE}\n"})
    result = cli("build")
    assert result.diagnostics == [
        "seeds/same.md:1: error: slug 'same' is also the slug of seeds/same.txt; "
        "give one of them another slug",
        "seeds/same.txt:1: error: slug 'same' is also the slug of seeds/same.md; "
        "give one of them another slug",
    ]
    assert result.code == 1
    assert page_slugs(tmp_path / "_site") == {"good"}


@pytest.mark.parametrize(
    ("files", "place", "slug"),
    [
        ({"seeds/terms.md": "Text.\n"}, "seeds/terms.md:1", "terms"),
        ({"seeds/Terms.txt": f"{PROSE}\n"}, "seeds/Terms.txt:1", "terms"),
        ({"seeds/a.md": "---\ntitle: A\nslug: static\n---\nText.\n"}, "seeds/a.md:3", "static"),
        ({"seeds/tags.md": "Text.\n"}, "seeds/tags.md:1", "tags"),
        (
            {"seeds/a.md": "Text.\n", "seeds/a.notes.md": "---\nslug: terms\n---\n"},
            "seeds/a.notes.md:2",
            "terms",
        ),
    ],
)
def test_reserved_slugs_are_errors_at_the_line_that_sets_them(
    tmp_path: Path, cli: Run, files: dict[str, str | bytes], place: str, slug: str
) -> None:
    make_site(tmp_path, {**GOOD, **files})
    result = cli("build")
    assert result.diagnostics == [
        f"{place}: error: slug '{slug}' is reserved for the site's own pages; "
        "set another in the front matter"
    ]
    assert result.code == 1
    assert page_slugs(tmp_path / "_site") == {"good"}
    terms = (tmp_path / "_site" / "terms" / "index.html").read_text(encoding="utf-8")
    assert "Tianwen-3" in terms  # the site's own terms page, not the article


# Discovery of sources.


def test_underscore_and_dot_files_are_never_articles(tmp_path: Path, cli: Run) -> None:
    make_site(
        tmp_path,
        {**GOOD, "seeds/_draft.md": "Draft.\n", "seeds/.hidden.md": "Hidden.\n"},
    )
    result = cli("build")
    assert (result.code, result.err) == (0, "")
    assert page_slugs(tmp_path / "_site") == {"good"}


def test_other_files_and_folders_are_files_beside_the_articles(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {**GOOD, "seeds/image.png": b"\x89PNG", "seeds/sub/x.md": "X.\n"})
    result = cli("build")
    # A .md in a subfolder is no article either, and nothing links it: said so.
    assert (result.code, result.diagnostics) == (0, [f"seeds/sub/x.md:1: {UNBUILT}"])
    # Not articles, and published only when a page links to them.
    assert page_slugs(tmp_path / "_site") == {"good"}
    assert not (tmp_path / "_site" / "_files").exists()


# Files meant as notes but misnamed: reported with the fix, never published as articles.

LAUNCH = "---\ntitle: Launch day\n---\nThe Falcon 9 landed on the drone ship.\n"
LAUNCH_NOTES = "## Falcon 9\nA reusable rocket.\n"
MISNAMED = (
    "looks like notes, but notes files are named NAME.notes.md, so it is neither read nor published"
)


@pytest.mark.parametrize(
    "name",
    [
        "launch-day.notes.txt",
        "launch-day.note.md",
        "launch-day.Notes.md",
        "launch-day.notes.MD",
        "launch-day.NOTES.markdown",
        "launch-day.notes",
        "launch-day-notes.md",
        "launch-day_notes.txt",
        "launch-day Notes.md",
    ],
)
def test_misnamed_notes_file_is_an_error_with_the_fix(tmp_path: Path, cli: Run, name: str) -> None:
    make_site(tmp_path, {**GOOD, "seeds/launch-day.md": LAUNCH, f"seeds/{name}": LAUNCH_NOTES})
    result = cli("build")
    assert result.diagnostics == [
        f"seeds/{name}:1: error: {MISNAMED}; rename it to launch-day.notes.md"
    ]
    assert result.code == 1
    assert page_slugs(tmp_path / "_site") == {"good", "launch-day"}  # not an article
    page = (tmp_path / "_site" / "launch-day" / "index.html").read_text(encoding="utf-8")
    assert "reusable rocket" not in page  # and not read as notes either
    assert not (tmp_path / "_site" / "_files").exists()


def test_a_hyphenated_notes_file_may_open_with_front_matter(tmp_path: Path, cli: Run) -> None:
    notes = "---\nsummary: Rockets.\n---\n\n" + LAUNCH_NOTES
    make_site(tmp_path, {"seeds/launch-day.md": LAUNCH, "seeds/launch-day-notes.md": notes})
    result = cli("build")
    assert result.diagnostics == [
        f"seeds/launch-day-notes.md:1: error: {MISNAMED}; rename it to launch-day.notes.md"
    ]
    assert page_slugs(tmp_path / "_site") == {"launch-day"}


def test_misnamed_notes_file_without_its_article(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {**GOOD, "seeds/launch-day.notes.txt": LAUNCH_NOTES})
    result = cli("build")
    assert result.diagnostics == [
        f"seeds/launch-day.notes.txt:1: error: {MISNAMED}; rename it to launch-day.notes.md, "
        "beside its article launch-day.md or launch-day.txt"
    ]
    assert result.code == 1
    assert page_slugs(tmp_path / "_site") == {"good"}


def test_misnamed_notes_file_beside_the_right_one(tmp_path: Path, cli: Run) -> None:
    files = {
        "seeds/launch-day.md": LAUNCH,
        "seeds/launch-day.notes.md": LAUNCH_NOTES,
        "seeds/launch-day.note.md": "## drone ship\nA barge.\n",
    }
    make_site(tmp_path, files)
    result = cli("build")
    assert result.diagnostics == [
        f"seeds/launch-day.note.md:1: error: {MISNAMED}; launch-day.notes.md exists too: "
        "move these notes into it"
    ]
    page = (tmp_path / "_site" / "launch-day" / "index.html").read_text(encoding="utf-8")
    assert 'data-note="note-falcon-9"' in page
    assert "note-drone-ship" not in page


@pytest.mark.parametrize(
    ("files", "slugs"),
    [
        # No article named "field": an article about field notes.
        ({"seeds/field-notes.md": "## Day one\nWe walked.\n"}, {"field-notes"}),
        # Its article exists, but it opens with prose: an article too.
        (
            {"seeds/launch.md": "Launch.\n", "seeds/launch-notes.md": "Notes from the pad.\n"},
            {"launch", "launch-notes"},
        ),
        ({"seeds/notes.md": "## Day one\nWe walked.\n"}, {"notes"}),
        # No extension after "-notes": a file beside the articles.
        ({"seeds/key.md": "Key.\n", "seeds/key-notes": "## Day one\nWe walked.\n"}, {"key"}),
        ({"seeds/keynotes.md": "A talk.\n", "seeds/key.md": "Key.\n"}, {"keynotes", "key"}),
    ],
)
def test_articles_with_notes_in_their_name_are_still_articles(
    tmp_path: Path, cli: Run, files: dict[str, str | bytes], slugs: set[str]
) -> None:
    make_site(tmp_path, files)
    result = cli("build")
    assert (result.code, result.diagnostics) == (0, [])
    assert page_slugs(tmp_path / "_site") == slugs


def test_an_article_that_turns_out_to_be_misnamed_notes_is_unpublished(
    tmp_path: Path, cli: Run
) -> None:
    make_site(tmp_path, {**GOOD, "seeds/launch-day-notes.md": LAUNCH_NOTES})
    assert cli("build").code == 0  # no article named launch-day: it is one itself
    assert page_slugs(tmp_path / "_site") == {"good", "launch-day-notes"}
    (tmp_path / "seeds" / "launch-day.md").write_text(LAUNCH)
    result = cli("build")
    assert result.diagnostics == [
        f"seeds/launch-day-notes.md:1: error: {MISNAMED}; rename it to launch-day.notes.md"
    ]
    assert page_slugs(tmp_path / "_site") == {"good", "launch-day"}


def test_notes_file_whose_name_differs_from_its_article_in_case(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {"seeds/launch-day.md": LAUNCH, "seeds/Launch-Day.notes.md": LAUNCH_NOTES})
    result = cli("build")
    assert result.diagnostics == [
        "seeds/Launch-Day.notes.md:1: error: notes file without an article: expected "
        "Launch-Day.md or Launch-Day.txt beside it; rename it to launch-day.notes.md"
    ]


def test_folders_named_like_sources_or_notes_are_silently_allowed(tmp_path: Path, cli: Run) -> None:
    make_site(
        tmp_path,
        {
            **GOOD,
            "seeds/images.md/a.png": b"\x89PNG",
            "seeds/good.notes.txt/x.csv": "X.\n",
            "seeds/other.notes.md/y.csv": "Y.\n",
        },
    )
    result = cli("build")
    assert (result.code, result.err) == (0, "")
    assert page_slugs(tmp_path / "_site") == {"good"}


def test_problems_of_a_whole_file_are_on_line_0(tmp_path: Path) -> None:
    """Line 0 means the file as a whole (printed as line 1); no line of it is to blame."""
    make_site(
        tmp_path,
        {
            "seeds/empty.md": "",
            "seeds/orphan.notes.md": "## x\ny\n",
            "seeds/empty.notes.txt": "## x\ny\n",
        },
    )
    diagnostics = Diagnostics()
    found = discover(tmp_path / "seeds", diagnostics)
    for source in found.sources:
        read_article(source, SiteConfig(), diagnostics)
    assert sorted((d.path.name, d.line) for d in diagnostics.items) == [
        ("empty.md", 0),
        ("empty.notes.txt", 0),
        ("orphan.notes.md", 0),
    ]


def test_an_empty_front_matter_title_keeps_the_articles_own(tmp_path: Path, cli: Run) -> None:
    make_site(
        tmp_path,
        {**GOOD, "seeds/a.md": "---\ntitle: ''\n---\n# Real heading\n\nBody text here.\n"},
    )
    assert cli("build").code == 0
    assert "<h1>Real heading</h1>" in (tmp_path / "_site" / "a" / "index.html").read_text()


UNBUILT = "warning: " + discover_module.UNBUILT.format(folder="seeds")


def test_articles_and_notes_in_a_subfolder_are_warned_of_unless_a_page_links_them(
    tmp_path: Path,
) -> None:
    # They were left out without a word: an editor filing 2024/launch.md got no page.
    root = make_site(
        tmp_path,
        {
            "seeds/top.md": "Comets, and [a transcript](docs/transcript.txt).\n",
            "seeds/2024/launch.md": "A launch.\n",
            "seeds/2024/launch.notes.md": "## launch\nLeaving the ground.\n",
            "seeds/docs/transcript.txt": "What was said.\n",
            "seeds/docs/notes.md": "Kept, not linked.\n",
            "seeds/_drafts/later.md": "Not looked at.\n",
            "seeds/images/chart.csv": "a,b\n",
        },
    )
    report = build_site(Project.at(root / "seeds"))
    assert sorted(d.format(root) for d in report.diagnostics.items) == [
        f"seeds/2024/launch.md:1: {UNBUILT}",
        f"seeds/2024/launch.notes.md:1: {UNBUILT}",
        f"seeds/docs/notes.md:1: {UNBUILT}",
    ]
    assert page_slugs(root / "_site") == {"top"}
    assert (root / "_site" / "_files" / "docs" / "transcript.txt").is_file()


def test_an_article_filed_in_a_subfolder_under_watch_is_warned_of(tmp_path: Path) -> None:
    root = make_site(tmp_path, GOOD)
    site = Site(Project.at(root / "seeds"))
    assert site.build().diagnostics.items == []
    filed = root / "seeds" / "2024" / "late.md"
    filed.parent.mkdir()
    filed.write_text("Late news.\n")
    report = site.rebuild([filed])
    assert [d.format(root) for d in report.diagnostics.items] == [
        f"seeds/2024/late.md:1: {UNBUILT}"
    ]
    filed.unlink()
    assert site.rebuild([filed]).diagnostics.items == []


def test_a_subfolder_that_cannot_be_read_is_a_warning(tmp_path: Path) -> None:
    root = make_site(tmp_path, {**GOOD, "seeds/sub/locked/x.md": "X.\n"})
    locked = root / "seeds" / "sub" / "locked"
    locked.chmod(0)
    try:
        result = run_unprivileged(root, "check")
    finally:
        locked.chmod(0o755)
    assert result.diagnostics == [
        f"seeds/sub/locked:1: warning: {discover_module.UNREADABLE} (Permission denied)"
    ]
