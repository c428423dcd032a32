"""Site.rebuild: only what depends on the changed inputs is rebuilt, and the result
is always what a full build of the same sources writes."""

from __future__ import annotations

import os
import re
import shutil
import traceback
from pathlib import Path

import pytest
from conftest import GOOD, make_site, tree

from site_builder import pages as pages_module
from site_builder import site as site_module
from site_builder.links import DRAFT_WITH_PAGE
from site_builder.site import BuildReport, Project, Site, build_site
from site_builder.svg import RUNS
from site_builder.theme import default_theme

FILES = {
    "site.toml": 'title = "Incremental"\nsite_url = "https://example.org/"\n',
    "seeds/_glossary.md": "## orbit\nA path around a body.\n\n## rocket\nA vehicle.\n",
    "seeds/one.md": "---\ntitle: One\ndate: 2024-01-01\n---\n\nAn orbit and Mars.\n",
    "seeds/one.notes.md": "## Mars\nThe red planet.\n",
    "seeds/two.md": "---\ntitle: Two\ndate: 2024-02-02\n---\n\nA rocket, and Venus.\n",
    "seeds/two.notes.md": "## Venus\nThe second planet.\n",
    "seeds/three.txt": "Three\n\nPlain text about the Moon, with no notes at all, long enough.\n",
}


@pytest.fixture
def site(tmp_path: Path) -> Site:
    root = make_site(tmp_path / "site", FILES)
    built = Site(Project.at(root / "seeds", tmp_path / "out"))
    assert built.build().diagnostics.items == []
    return built


def stamp(out: Path) -> dict[str, int]:
    """Each output file's modification time, to see which were rewritten."""
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*.html")}


def age(out: Path) -> None:
    """Move every output file's mtime back, so a rewrite shows however fast it comes."""
    for path in out.rglob("*"):
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))


def rewritten(out: Path, before: dict[str, int]) -> set[str]:
    after = stamp(out)
    return {name for name in after.keys() | before.keys() if after.get(name) != before.get(name)}


def edit(site: Site, relative: str, text: str | None) -> Path:
    path = site.project.root / relative
    if text is None:
        path.unlink()
    else:
        path.write_text(text)
    return path


def same_as_full_build(site: Site, tmp_path: Path) -> None:
    """The incrementally maintained folder equals a fresh full build."""
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    Site(Project.at(site.project.source, fresh)).build()
    assert tree(site.project.out) == tree(fresh)


def test_a_note_edit_rebuilds_that_page_and_the_terms_pages(site: Site, tmp_path: Path) -> None:
    out = site.project.out
    age(out)
    before = stamp(out)
    path = edit(site, "seeds/one.notes.md", "## Mars\nThe fourth planet.\n\n## red\nA colour.\n")
    report = site.rebuild([path])
    assert report.pages == 1 and not report.full
    assert "fourth planet" in (out / "one" / "index.html").read_text()
    assert "fourth planet" in (out / "terms" / "mars" / "index.html").read_text()
    assert rewritten(out, before) == {
        "one/index.html",
        "terms/index.html",
        "terms/mars/index.html",
        "terms/red/index.html",  # a new term, in no article yet
    }
    assert [d.message for d in report.diagnostics.items] == [
        "'red' occurs nowhere in the article (outside headings, code and links)"
    ]
    same_as_full_build(site, tmp_path)


def test_a_gloss_edit_rewrites_the_terms_pages_but_not_the_reading_list(
    site: Site, tmp_path: Path
) -> None:
    out = site.project.out
    age(out)
    before = stamp(out)
    site.rebuild([edit(site, "seeds/two.notes.md", "## Venus\nThe second planet, veiled.\n")])
    assert rewritten(out, before) == {
        "two/index.html",
        "terms/index.html",
        "terms/venus/index.html",
    }
    assert "veiled" in (out / "terms" / "index.html").read_text()
    same_as_full_build(site, tmp_path)


def test_a_detail_edit_rewrites_the_term_page_but_not_the_terms_page(
    site: Site, tmp_path: Path
) -> None:
    out = site.project.out
    age(out)
    before = stamp(out)
    text = "## Venus\nThe second planet.\n\nIts clouds are sulphuric acid.\n"
    site.rebuild([edit(site, "seeds/two.notes.md", text)])
    assert rewritten(out, before) == {"two/index.html", "terms/venus/index.html"}
    assert "sulphuric" in (out / "terms" / "venus" / "index.html").read_text()
    assert "sulphuric" not in (out / "terms" / "index.html").read_text()
    same_as_full_build(site, tmp_path)


def test_the_sentence_around_a_term_is_kept_up_to_date(site: Site, tmp_path: Path) -> None:
    out = site.project.out
    text = FILES["seeds/two.md"] + "\nA later paragraph, far from any term.\n"
    age(out)
    before = stamp(out)
    site.rebuild([edit(site, "seeds/two.md", text)])
    assert rewritten(out, before) == {"two/index.html"}
    age(out)
    before = stamp(out)
    site.rebuild([edit(site, "seeds/two.md", text.replace("and Venus", "and bright Venus"))])
    assert rewritten(out, before) == {
        "two/index.html",
        "index.html",  # its opening words
        "terms/index.html",
        "terms/rocket/index.html",  # the same sentence
        "terms/venus/index.html",
    }
    assert "A rocket, and bright <mark>Venus</mark>." in (out / "terms" / "index.html").read_text()
    same_as_full_build(site, tmp_path)


def test_a_term_page_goes_with_its_term(site: Site, tmp_path: Path) -> None:
    out = site.project.out
    assert (out / "terms" / "venus" / "index.html").exists()
    site.rebuild([edit(site, "seeds/two.notes.md", None)])
    assert not (out / "terms" / "venus").exists()
    assert "venus/index.html" not in (out / "terms" / "index.html").read_text()
    glossary = "## orbit\nA path around a body.\n"
    site.rebuild([edit(site, "seeds/_glossary.md", glossary)])
    assert not (out / "terms" / "rocket").exists()
    assert (out / "terms" / "orbit" / "index.html").exists()
    assert "rocket/index.html" not in (out / "sitemap.xml").read_text()
    same_as_full_build(site, tmp_path)


def test_a_title_edit_rewrites_the_reading_list(site: Site, tmp_path: Path) -> None:
    out = site.project.out
    age(out)
    before = stamp(out)
    text = FILES["seeds/one.md"].replace("title: One", "title: One, retitled")
    site.rebuild([edit(site, "seeds/one.md", text)])
    assert rewritten(out, before) == {
        "one/index.html",
        "index.html",
        "terms/index.html",
        "terms/mars/index.html",  # the places it lists name the article
        "terms/orbit/index.html",
    }
    same_as_full_build(site, tmp_path)


def test_a_glossary_edit_rebuilds_only_the_pages_using_the_changed_terms(
    site: Site, tmp_path: Path
) -> None:
    out = site.project.out
    age(out)
    before = stamp(out)
    report = site.rebuild(
        [edit(site, "seeds/_glossary.md", "## orbit\nA curved path.\n\n## rocket\nA vehicle.\n")]
    )
    assert report.pages == 1
    assert rewritten(out, before) == {
        "one/index.html",
        "terms/index.html",
        "terms/orbit/index.html",
    }
    assert "A curved path." in (out / "one" / "index.html").read_text()
    assert "A curved path." in (out / "terms" / "orbit" / "index.html").read_text()
    same_as_full_build(site, tmp_path)


def test_a_new_glossary_term_reaches_the_pages_that_mention_it(site: Site, tmp_path: Path) -> None:
    text = FILES["seeds/_glossary.md"] + "\n## Moon\nEarth's satellite.\n"
    report = site.rebuild([edit(site, "seeds/_glossary.md", text)])
    assert report.pages == 1
    assert 'data-note="note-moon"' in (site.project.out / "three" / "index.html").read_text()
    same_as_full_build(site, tmp_path)


def test_a_template_edit_rebuilds_everything(site: Site, tmp_path: Path) -> None:
    theme = Path(__file__).parent.parent / "templates"
    templates = site.project.templates
    shutil.copytree(theme, templates)
    page = templates / "article.html"
    page.write_text(page.read_text().replace("<article class", "<article data-edited class"))
    report = site.rebuild([page])
    assert report.full and report.pages == 3
    assert all(
        "data-edited" in (site.project.out / s / "index.html").read_text()
        for s in ("one", "two", "three")
    )
    same_as_full_build(site, tmp_path)


def test_a_static_file_is_copied_alone(site: Site, tmp_path: Path) -> None:
    out = site.project.out
    age(out)
    before = stamp(out)
    static = site.project.static
    static.mkdir()
    (static / "extra.css").write_text("p { color: red }\n")
    report = site.rebuild([static / "extra.css"])
    assert report.pages == 0 and rewritten(out, before) == set()
    assert (out / "static" / "extra.css").read_text() == "p { color: red }\n"
    (static / "extra.css").unlink()
    site.rebuild([static / "extra.css"])
    assert not (out / "static" / "extra.css").exists()
    same_as_full_build(site, tmp_path)


def test_new_deleted_and_renamed_sources_add_and_remove_pages(site: Site, tmp_path: Path) -> None:
    out = site.project.out
    new = edit(site, "seeds/four.md", "# Four\n\nA fourth article with an orbit.\n")
    site.rebuild([new])
    assert "Four" in (out / "index.html").read_text()
    assert 'data-note="note-orbit"' in (out / "four" / "index.html").read_text()
    site.rebuild([edit(site, "seeds/two.md", None)])
    assert not (out / "two").exists()
    assert "Two" not in (out / "index.html").read_text()
    moved = site.project.source / "five.md"
    (site.project.source / "four.md").rename(moved)
    site.rebuild([site.project.source / "four.md", moved])
    assert not (out / "four").exists() and (out / "five" / "index.html").exists()
    same_as_full_build(site, tmp_path)


def test_a_notes_file_created_for_an_article_rebuilds_it(site: Site, tmp_path: Path) -> None:
    notes = edit(site, "seeds/three.notes.md", "## Moon\nEarth's satellite.\n")
    assert site.rebuild([notes]).pages == 1
    assert 'data-note="note-moon"' in (site.project.out / "three" / "index.html").read_text()
    same_as_full_build(site, tmp_path)


def test_a_broken_source_keeps_its_last_page_until_fixed(site: Site, tmp_path: Path) -> None:
    out = site.project.out
    good = (out / "one" / "index.html").read_text()
    report = site.rebuild([edit(site, "seeds/one.md", "---\ntitle: [broken\n---\n\nText.\n")])
    assert [(d.path.name, d.line, d.severity.value) for d in report.diagnostics.items] == [
        ("one.md", 2, "error")
    ]
    assert (out / "one" / "index.html").read_text() == good
    report = site.rebuild([edit(site, "seeds/one.md", FILES["seeds/one.md"])])
    assert report.diagnostics.items == []
    same_as_full_build(site, tmp_path)


def listed_slugs(page: Path) -> set[str]:
    """The article pages a site-wide page links to, by slug."""
    return set(re.findall(r'href="(?:\.\./)*(one|two|three)/', page.read_text()))


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
def test_a_page_whose_notes_break_stays_listed_as_its_last_good_build(
    tmp_path: Path, cache: bool
) -> None:
    root = make_site(tmp_path / "site", FILES)
    site = Site(Project.at(root / "seeds", tmp_path / "out"), cache=cache)
    assert site.build().diagnostics.items == []
    out = site.project.out
    before = tree(out)
    broken = "## Mars\nat: twice\n\nThe red planet.\n"
    report = site.rebuild([edit(site, "seeds/one.notes.md", broken)])
    assert [(d.path.name, d.line) for d in report.diagnostics.errors] == [("one.notes.md", 2)]
    assert listed_slugs(out / "index.html") == {"one", "two", "three"}
    assert listed_slugs(out / "terms/index.html") == {"one", "two"}
    assert listed_slugs(out / "terms/mars/index.html") == {"one"}
    assert "<loc>https://example.org/one/</loc>" in (out / "sitemap.xml").read_text()
    assert tree(out) == before  # the whole site as the last good build left it
    # A rebuild of everything (a template edited) while it is broken lists it too.
    template = (default_theme("templates") / "index.html").read_text()
    (root / "templates").mkdir()
    report = site.rebuild([edit(site, "templates/index.html", template + "\n")])
    assert report.full and [d.path.name for d in report.diagnostics.errors] == ["one.notes.md"]
    assert listed_slugs(out / "index.html") == {"one", "two", "three"}
    assert listed_slugs(out / "terms/mars/index.html") == {"one"}
    report = site.rebuild([edit(site, "seeds/one.notes.md", FILES["seeds/one.notes.md"])])
    assert report.diagnostics.items == []
    same_as_full_build(site, tmp_path)


def test_a_slug_clash_and_its_resolution(site: Site, tmp_path: Path) -> None:
    out = site.project.out
    clash = edit(site, "seeds/other.md", "---\nslug: one\n---\n\nAnother one.\n")
    report = site.rebuild([clash])
    assert sorted(d.path.name for d in report.diagnostics.errors) == ["one.md", "other.md"]
    assert (out / "one" / "index.html").exists()  # the last good page stays
    report = site.rebuild([edit(site, "seeds/other.md", None)])
    assert report.diagnostics.items == []
    assert report.pages == 1  # the page that clashed is rendered again
    same_as_full_build(site, tmp_path)


def test_a_page_whose_making_failed_is_made_by_the_next_rebuild(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = site.project.out
    real = pages_module.article_files

    def failing(*args: object, **kwargs: object) -> object:
        raise RuntimeError("a bug")

    monkeypatch.setattr(pages_module, "article_files", failing)
    report = site.rebuild([edit(site, "seeds/two.md", FILES["seeds/two.md"] + "\nA comet.\n")])
    assert [d.path.name for d in report.diagnostics.errors] == ["two.md"]
    assert "comet" not in (out / "two" / "index.html").read_text()  # the last good page stays
    monkeypatch.setattr(pages_module, "article_files", real)
    # An edit to another page makes the failed one too.
    report = site.rebuild([edit(site, "seeds/one.md", FILES["seeds/one.md"] + "\nA star.\n")])
    assert report.diagnostics.items == [] and report.pages == 2
    assert "comet" in (out / "two" / "index.html").read_text()
    report = site.rebuild([edit(site, "seeds/one.md", FILES["seeds/one.md"])])
    assert report.pages == 1  # and only once
    same_as_full_build(site, tmp_path)


def test_a_page_linking_to_a_new_article_is_rebuilt(site: Site, tmp_path: Path) -> None:
    edit(site, "seeds/one.md", "---\ntitle: One\ndate: 2024-01-01\n---\n\nSee [four](four.md).\n")
    report = site.rebuild([site.project.source / "one.md"])
    assert any(d.message.startswith("link to 'four.md'") for d in report.diagnostics.items)
    new = edit(site, "seeds/four.md", "---\ntitle: Four\n---\nThe fourth.\n")
    report = site.rebuild([new])
    assert not any("four.md" in d.message for d in report.diagnostics.items)
    assert 'href="../four/index.html"' in (site.project.out / "one" / "index.html").read_text()
    same_as_full_build(site, tmp_path)


def test_a_page_linking_to_an_article_made_a_draft_or_published_is_warned_anew(
    tmp_path: Path,
) -> None:
    # As `watch` and `serve` build: drafts get pages, and a link to one is still warned of.
    root = make_site(tmp_path / "site", FILES)
    site = Site(Project.at(root / "seeds", tmp_path / "out"), drafts=True)
    edit(site, "seeds/one.md", "---\ntitle: One\n---\n\nMars, and see [two](two.md).\n")
    assert site.build().diagnostics.items == []
    two = (root / "seeds" / "two.md").read_text()
    drafted = edit(site, "seeds/two.md", two.replace("---\n", "---\ndraft: true\n", 1))
    report = site.rebuild([drafted])
    assert [(d.path.name, d.line, d.message) for d in report.diagnostics.items] == [
        ("one.md", 5, f"link to 'two.md': {DRAFT_WITH_PAGE}")
    ]
    assert 'href="../two/index.html"' in (site.project.out / "one" / "index.html").read_text()
    report = site.rebuild([edit(site, "seeds/two.md", two)])
    assert report.diagnostics.items == [] and not report.standing


def test_a_linked_file_and_public_files_are_copied_again_when_edited(
    site: Site, tmp_path: Path
) -> None:
    (site.project.source / "images").mkdir()
    image = edit(site, "seeds/images/map.png", "first")
    edit(site, "seeds/one.md", "---\ntitle: One\ndate: 2024-01-01\n---\n\n![map](images/map.png)\n")
    site.rebuild([image, site.project.source / "one.md"])
    copy = site.project.out / "_files" / "images" / "map.png"
    assert copy.read_text() == "first"
    site.rebuild([edit(site, "seeds/images/map.png", "second")])
    assert copy.read_text() == "second"
    site.project.public.mkdir()
    site.rebuild([edit(site, "public/google1.html", "verify")])
    assert (site.project.out / "google1.html").read_text() == "verify"
    same_as_full_build(site, tmp_path)


def test_an_edit_that_links_a_file_or_unlinks_it_copies_or_removes_it(
    site: Site, tmp_path: Path
) -> None:
    # Rebuilds look at what the pages link to only when an edited page's links changed.
    (site.project.source / "images").mkdir()
    edit(site, "seeds/images/map.png", "a map")
    site.rebuild([site.project.source / "images" / "map.png"])
    copy = site.project.out / "_files" / "images" / "map.png"
    assert not copy.exists()  # linked from nowhere yet
    linking = "---\ntitle: One\ndate: 2024-01-01\n---\n\n![map](images/map.png)\n"
    site.rebuild([edit(site, "seeds/one.md", linking)])
    assert copy.read_text() == "a map"
    site.rebuild([edit(site, "seeds/one.md", linking + "\nA second paragraph.\n")])
    assert copy.read_text() == "a map"
    site.rebuild([edit(site, "seeds/one.md", FILES["seeds/one.md"])])
    assert not copy.exists()
    same_as_full_build(site, tmp_path)


def test_an_article_saved_as_misnamed_notes_leaves_the_site(site: Site, tmp_path: Path) -> None:
    path = edit(site, "seeds/one-notes.md", "A short article of its own.\n")
    assert site.rebuild([path]).diagnostics.items == []
    assert (site.project.out / "one-notes" / "index.html").is_file()
    edit(site, "seeds/one-notes.md", "## orbit\nA path around a body.\n")
    report = site.rebuild([path])
    assert [d.format(site.project.root) for d in report.diagnostics.items] == [
        "seeds/one-notes.md:1: error: looks like notes, but notes files are named "
        "NAME.notes.md, so it is neither read nor published; one.notes.md exists too: "
        "move these notes into it"
    ]
    assert not (site.project.out / "one-notes").exists()
    same_as_full_build(site, tmp_path)


def test_a_tag_edit_rewrites_the_tag_pages_it_touches(site: Site, tmp_path: Path) -> None:
    out = site.project.out
    one = "---\ntitle: One\ndate: 2024-01-01\ntags: [space, mars]\n---\n\nAn orbit and Mars.\n"
    site.rebuild([edit(site, "seeds/one.md", one)])
    assert (out / "tags" / "mars" / "index.html").is_file()
    age(out)
    before = stamp(out)
    path = edit(site, "seeds/one.md", one.replace("[space, mars]", "[space, red planet]"))
    site.rebuild([path])
    assert rewritten(out, before) == {
        "one/index.html",
        "index.html",
        "tags/index.html",
        "tags/red-planet/index.html",
        "tags/space/index.html",  # it lists One with its tags
        "tags/mars/index.html",  # gone
    }
    assert not (out / "tags" / "mars").exists()
    same_as_full_build(site, tmp_path)
    age(out)
    before = stamp(out)
    site.rebuild([edit(site, "seeds/one.md", one.replace("tags: [space, mars]\n", ""))])
    assert not (out / "tags").exists()
    same_as_full_build(site, tmp_path)


def test_a_file_appearing_beside_the_articles_clears_the_link_warning(
    site: Site, tmp_path: Path
) -> None:
    body = "An orbit and Mars.\n\n![map](images/map.png)\n"
    edit(site, "seeds/one.md", f"---\ntitle: One\ndate: 2024-01-01\n---\n\n{body}")
    report = site.rebuild([site.project.source / "one.md"])
    assert [d.message for d in report.diagnostics.warnings] == [
        "link to 'images/map.png': no file 'images/map.png' in the source folder"
    ]
    (site.project.source / "images").mkdir()
    image = edit(site, "seeds/images/map.png", "drawn")
    report = site.rebuild([image])
    assert report.diagnostics.items == [] and report.pages == 1
    assert (site.project.out / "_files" / "images" / "map.png").read_text() == "drawn"
    same_as_full_build(site, tmp_path)
    shutil.rmtree(site.project.source / "images")  # the folder goes: its files with it
    report = site.rebuild([site.project.source / "images"])
    assert [d.message for d in report.diagnostics.warnings] == [
        "link to 'images/map.png': no file 'images/map.png' in the source folder"
    ]
    assert not (site.project.out / "_files").exists()
    same_as_full_build(site, tmp_path)


def test_a_file_appearing_beside_the_articles_is_published_by_a_notes_link(
    site: Site, tmp_path: Path
) -> None:
    out = site.project.out
    report = site.rebuild(
        [edit(site, "seeds/one.notes.md", "## Mars\nRed. ![map](images/map.png)\n")]
    )
    assert [d.message for d in report.diagnostics.warnings] == [
        "link to 'images/map.png': no file 'images/map.png' in the source folder"
    ]
    (site.project.source / "images").mkdir()
    report = site.rebuild([edit(site, "seeds/images/map.png", "drawn")])
    assert report.diagnostics.items == [] and report.pages == 1
    assert 'src="../_files/images/map.png"' in (out / "one" / "index.html").read_text()
    assert 'src="../../_files/images/map.png"' in (out / "terms/mars/index.html").read_text()
    assert (out / "_files" / "images" / "map.png").read_text() == "drawn"
    same_as_full_build(site, tmp_path)


def test_a_term_page_follows_a_page_its_note_links_to(site: Site, tmp_path: Path) -> None:
    site.rebuild([edit(site, "seeds/one.notes.md", "## Mars\nRed, as [two](two.md) says.\n")])
    two = "---\ntitle: Two\nslug: deux\n---\n\nA rocket, and Venus.\n"
    site.rebuild([edit(site, "seeds/two.md", two)])
    assert (
        'href="../../deux/index.html"' in (site.project.out / "terms/mars/index.html").read_text()
    )
    same_as_full_build(site, tmp_path)


def test_a_file_only_a_glossary_note_links_to_reaches_its_term_page(
    site: Site, tmp_path: Path
) -> None:
    glossary = FILES["seeds/_glossary.md"] + "\n## comet\nIce, as [a photo](comet.jpg) shows.\n"
    site.rebuild([edit(site, "seeds/_glossary.md", glossary)])
    page = site.project.out / "terms/comet/index.html"
    assert 'href="comet.jpg"' in page.read_text()  # left as written: no such file
    report = site.rebuild([edit(site, "seeds/comet.jpg", "JFIF")])
    assert report.pages == 0
    assert 'href="../../_files/comet.jpg"' in page.read_text()
    assert (site.project.out / "_files/comet.jpg").read_text() == "JFIF"
    same_as_full_build(site, tmp_path)


def test_a_notes_file_turned_into_a_folder_and_back(site: Site, tmp_path: Path) -> None:
    notes = site.project.source / "one.notes.md"
    notes.unlink()
    notes.mkdir()
    report = site.rebuild([notes])
    assert report.diagnostics.items == []  # a folder is no notes file: the page has none
    assert 'data-note="note-mars"' not in (site.project.out / "one" / "index.html").read_text()
    same_as_full_build(site, tmp_path)
    notes.rmdir()
    notes.write_text("## Mars\nBack again.\n")
    report = site.rebuild([notes])
    assert report.diagnostics.items == []
    assert "Back again." in (site.project.out / "one" / "index.html").read_text()
    same_as_full_build(site, tmp_path)


def test_a_change_to_the_source_folder_itself_builds_everything(site: Site) -> None:
    assert site.rebuild([site.project.source]).full


def test_a_deleted_output_folder_is_built_whole_at_the_next_rebuild(
    site: Site, tmp_path: Path
) -> None:
    shutil.rmtree(site.project.out)
    report = site.rebuild([edit(site, "seeds/one.notes.md", "## Mars\nThe fourth planet.\n")])
    assert report.full and report.pages == 3
    same_as_full_build(site, tmp_path)


def test_site_wide_pages_wait_while_more_changes_are_waiting(tmp_path: Path) -> None:
    # As `watch` rebuilds during a burst of saves: each page at once, the site-wide
    # pages (seconds on a large site) once the burst is over.
    root = make_site(tmp_path, GOOD)
    site = Site(Project.at(root / "seeds"))
    site.build()
    article = root / "seeds" / "good.md"
    article.write_text(article.read_text().replace("A good article", "A renamed article"))
    site.rebuild([article], later=lambda: True)
    index = (root / "_site" / "index.html").read_text()
    assert "A renamed article" in (root / "_site" / "good" / "index.html").read_text()
    assert "A renamed article" not in index
    site.rebuild([], later=lambda: False)  # the burst is over
    assert "A renamed article" in (root / "_site" / "index.html").read_text()


def test_site_wide_pages_stop_for_a_change_that_comes_while_they_are_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A change saved while the site-wide pages of the last one are being made: they stop
    # at the next look, and the rebuild after the change makes the rest.
    monkeypatch.setattr(site_module, "VIEWS_BETWEEN_LOOKS", 1)
    root = make_site(tmp_path, GOOD)
    site = Site(Project.at(root / "seeds"))
    site.build()
    article = root / "seeds" / "good.md"
    article.write_text(article.read_text().replace("A good article", "A renamed article"))
    index = root / "_site" / "index.html"
    # The next change is saved once the first site-wide page, the reading list, is made.
    site.rebuild([article], later=lambda: "A renamed article" in index.read_text())
    made = [path.read_text() for path in (root / "_site").rglob("*.html")]
    assert sum("A renamed article" in page for page in made) == 2  # its page, and the list
    site.rebuild([], later=lambda: False)
    cold = tmp_path / "cold"
    build_site(Project.at(root / "seeds", cold), cache=False)
    for page in cold.rglob("*.html"):
        assert page.read_bytes() == (root / "_site" / page.relative_to(cold)).read_bytes()


def test_a_site_wide_page_stops_as_it_renders_for_a_change_saved_meanwhile(
    site: Site, tmp_path: Path
) -> None:
    # A letter's page of the terms index takes a second to render on a large site.
    out = site.project.out
    terms = (out / "terms" / "index.html").read_text()
    path = edit(site, "seeds/one.notes.md", "## Mars\nThe fourth planet.\n")

    def saved_while_the_terms_page_renders() -> bool:
        return any(
            frame.name == "terms" and frame.filename.endswith("theme.py")  # Theme.terms
            for frame in traceback.extract_stack()
        )

    site.rebuild([path], later=saved_while_the_terms_page_renders)
    assert "fourth planet" in (out / "one" / "index.html").read_text()
    assert (out / "terms" / "index.html").read_text() == terms  # left half made: as it was
    site.rebuild([], later=lambda: False)  # the rebuild after the change
    assert "fourth planet" in (out / "terms" / "index.html").read_text()
    same_as_full_build(site, tmp_path)


def test_pages_a_failed_stage_did_not_get_to_are_not_pruned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pruning removes what a full build did not write: after a stage that broke off, that
    # would be every page it had yet to write, as if they were gone from the site.
    root = make_site(tmp_path, GOOD)
    build_site(Project.at(root / "seeds"))
    before = tree(root / "_site")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(site_module, "site_views", broken)
    report = build_site(Project.at(root / "seeds"), cache=False)
    assert any("RuntimeError" in d.message for d in report.diagnostics.errors)
    assert tree(root / "_site").keys() >= before.keys() - {".site-builder-manifest.json"}


def test_site_wide_pages_stop_while_their_terms_are_gathered(tmp_path: Path) -> None:
    # Gathering the terms of a large site takes seconds: a change saved meanwhile stops it.
    root = make_site(tmp_path, GOOD)
    site = Site(Project.at(root / "seeds"))
    site.build()
    before = tree(root / "_site")
    notes = root / "seeds" / "good.notes.md"
    notes.write_text(notes.read_text() + "\n## article\nA piece of writing.\n")
    looks = iter([False])  # the rebuild's own look finds nothing; the next, a change
    site.rebuild([notes], later=lambda: next(looks, True))
    changed = {name for name, data in tree(root / "_site").items() if before.get(name) != data}
    assert changed <= {"good/index.html", "good/annotations.jsonld", ".site-builder-manifest.json"}
    site.rebuild([], later=lambda: False)
    assert (root / "_site" / "terms" / "article" / "index.html").is_file()


def test_an_edited_svg_is_cleaned_again_and_what_it_lost_told(site: Site, tmp_path: Path) -> None:
    def told(report: BuildReport) -> list[str]:
        return [d.message for d in report.diagnostics.items if d.path.name == "orbit.svg"]

    svg = '<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>'
    linking = "---\ntitle: One\ndate: 2024-01-01\n---\n\n![orbit](orbit.svg)\n"
    report = site.rebuild([edit(site, "seeds/orbit.svg", svg), edit(site, "seeds/one.md", linking)])
    assert told(report) == []
    copy = site.project.out / "_files" / "orbit.svg"
    assert b"<circle" in copy.read_bytes()
    report = site.rebuild(
        [edit(site, "seeds/orbit.svg", svg.replace("<circle", "<script/><circle"))]
    )
    assert told(report) == [f"removed <script> ({RUNS})"]
    assert b"script" not in copy.read_bytes()
    assert b"<circle" in copy.read_bytes()
    same_as_full_build(site, tmp_path)
    report = site.rebuild([edit(site, "seeds/orbit.svg", "<svg")])
    assert [message[:15] for message in told(report)] == ["not published: "]
    assert not copy.exists()
    same_as_full_build(site, tmp_path)


@pytest.mark.parametrize(
    "notes",
    [
        "---\ntitle: a: b\n---\n## Mars\nThe red planet.\n",  # front matter: no peek
        # The page is tried again at each save (it failed), and fails again: no news.
        "## Mars\nat: second\n\nThe red planet.\n",
    ],
    ids=["front-matter", "at-line"],
)
def test_an_error_in_a_page_not_rebuilt_stands_until_its_file_is_fixed(
    site: Site, tmp_path: Path, notes: str
) -> None:
    # A good save to another article cleared the overlay and the count, though the
    # broken notes file was still broken (as `check` said).
    from site_builder.devloop import CycleReport
    from site_builder.terminal import cycle_line

    broken = edit(site, "seeds/one.notes.md", notes)
    [error] = site.rebuild([broken]).diagnostics.errors
    other = edit(site, "seeds/two.md", FILES["seeds/two.md"].replace("Venus", "Venus again"))
    report = site.rebuild([other])
    assert report.diagnostics.items == []
    assert report.standing == [error]
    cycle = CycleReport(frozenset([other]), report)
    assert cycle.errors == [error.format()]  # what the open pages' overlay shows
    assert cycle_line(cycle).endswith(" (0 errors, 0 warnings; 1 error still to fix elsewhere)")
    fixed = site.rebuild([edit(site, "seeds/one.notes.md", FILES["seeds/one.notes.md"])])
    assert fixed.diagnostics.items == fixed.standing == []
    same_as_full_build(site, tmp_path)


def test_a_glossary_that_cannot_be_read_leaves_its_last_good_notes_in_place(
    site: Site, tmp_path: Path
) -> None:
    # One stray byte took every glossary note off every page, and their terms' pages
    # off the site, while the editor was still typing.
    out = site.project.out
    before = {
        page: (out / page).read_text() for page in ("one/index.html", "terms/orbit/index.html")
    }
    glossary = site.project.source / "_glossary.md"
    glossary.write_bytes(FILES["seeds/_glossary.md"].encode() + b"A caf\xe9.\n")
    report = site.rebuild([glossary])
    [error] = report.diagnostics.errors
    assert error.path == glossary
    for page, html in before.items():
        assert (out / page).read_text() == html, page
    assert 'data-note="note-orbit"' in (out / "one" / "index.html").read_text()
    site.rebuild([edit(site, "seeds/_glossary.md", FILES["seeds/_glossary.md"])])
    same_as_full_build(site, tmp_path)
