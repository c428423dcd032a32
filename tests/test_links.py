"""Links and images to files beside the articles: rewritten, copied, or warned about."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import GOOD, Run, make_site, run_unprivileged

from site_builder.reading import Reader

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def page(root: Path, slug: str) -> str:
    return (root / "_site" / slug / "index.html").read_text(encoding="utf-8")


def test_an_image_beside_the_article_is_copied_and_linked(tmp_path: Path, cli: Run) -> None:
    make_site(
        tmp_path,
        {
            **GOOD,
            "seeds/good.md": "# Good\n\nThe Tianwen-3 orbit:\n\n![The orbit](images/orbit.png)\n",
            "seeds/images/orbit.png": PNG,
        },
    )
    result = cli("build", "--strict")
    assert (result.code, result.diagnostics) == (0, [])
    assert 'src="../_files/images/orbit.png"' in page(tmp_path, "good")
    assert (tmp_path / "_site" / "_files" / "images" / "orbit.png").read_bytes() == PNG


def test_a_link_to_another_source_links_to_its_page(tmp_path: Path, cli: Run) -> None:
    make_site(
        tmp_path,
        {
            **GOOD,
            "seeds/good.md": "# Good\n\nTianwen-3. See [launch](launch-day.md#when) "
            "and [text](notes%20on%20it.txt).\n",
            "seeds/good.notes.md": "## Tianwen-3\nSee [launch day](launch-day.md).\n",
            "seeds/launch-day.md": "---\nslug: launch\n---\nThe launch.\n",
            "seeds/notes on it.txt": "Some plain notes, long enough to be a paragraph here.\n",
        },
    )
    result = cli("build", "--strict")
    assert (result.code, result.diagnostics) == (0, [])
    html = page(tmp_path, "good")
    assert 'href="../launch/index.html#when"' in html
    assert 'href="../launch/index.html"' in html  # from the note
    assert 'href="../notes-on-it/index.html"' in html


def test_links_that_find_nothing_are_warnings_at_their_line(tmp_path: Path, cli: Run) -> None:
    make_site(
        tmp_path,
        {
            **GOOD,
            "seeds/good.md": "---\ntitle: Good\n---\n\nTianwen-3.\n\nSee [x](missing.md) and\n"
            "![y](images/none.png).\n",
            "seeds/good.notes.md": "## Tianwen-3\naliases: TW-3\n\nGloss.\n\n[z](gone.txt)\n",
        },
    )
    result = cli("build")
    assert result.diagnostics == [
        "seeds/good.md:7: warning: link to 'images/none.png': no file 'images/none.png' in the "
        "source folder",
        "seeds/good.md:7: warning: link to 'missing.md': no article 'missing.md' in the "
        "source folder",
        "seeds/good.notes.md:6: warning: link to 'gone.txt': no article 'gone.txt' in the "
        "source folder",
    ]
    assert result.code == 0
    assert cli("build", "--strict").code == 1
    assert cli("check").diagnostics == result.diagnostics


def test_a_glossary_note_found_nowhere_has_its_links_published_and_checked(
    tmp_path: Path, cli: Run
) -> None:
    # Its term's page shows it all the same: what it links to must be there.
    make_site(
        tmp_path,
        {
            **GOOD,
            "seeds/_glossary.md": "## comet\nIce.\n\n![A comet](comet.png) and [y](gone.pdf)\n",
            "seeds/comet.png": PNG,
        },
    )
    result = cli("build")
    assert result.diagnostics == [
        "seeds/_glossary.md:4: warning: link to 'gone.pdf': no file 'gone.pdf' in the source folder"
    ]
    term = (tmp_path / "_site" / "terms" / "comet" / "index.html").read_text(encoding="utf-8")
    assert 'src="../../_files/comet.png"' in term
    assert (tmp_path / "_site" / "_files" / "comet.png").read_bytes() == PNG
    assert cli("check").diagnostics == result.diagnostics


def test_a_link_to_a_draft_is_a_warning_and_copies_nothing(tmp_path: Path, cli: Run) -> None:
    make_site(
        tmp_path,
        {
            **GOOD,
            "seeds/good.md": "# Good\n\nTianwen-3 and [the plan](plan.md).\n",
            "seeds/plan.md": "---\ndraft: true\n---\nNot yet.\n",
        },
    )
    result = cli("build")
    warning = "seeds/good.md:3: warning: link to 'plan.md': that article is a draft: "
    assert result.diagnostics == [warning + "build makes no page for it"]
    assert cli("check").diagnostics == result.diagnostics
    assert not (tmp_path / "_site" / "_files").exists()
    # With its page made (--drafts, as watch and serve make them), the link reaches it,
    # and is still warned of: `build`, and so --strict in CI, will publish no such page.
    assert cli("build", "--drafts").diagnostics == [
        warning + "a build without --drafts makes no page for it"
    ]
    assert 'href="../plan/index.html"' in page(tmp_path, "good")


def test_a_linked_file_beyond_the_longest_path_is_refused_not_missing(
    tmp_path: Path, cli: Run
) -> None:
    # Each name short enough, the whole path longer than the system opens (PATH_MAX):
    # the file is there, so "no file" was false.
    make_site(tmp_path, GOOD)
    name, depth = "d" * 250, 20
    folder = os.open(tmp_path / "seeds", os.O_RDONLY)
    try:
        for _ in range(depth):  # by folder descriptors: no path this long can be opened
            os.mkdir(name, dir_fd=folder)
            inner = os.open(name, os.O_RDONLY, dir_fd=folder)
            os.close(folder)
            folder = inner
        with open(os.open("img.png", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=folder), "wb") as f:
            f.write(PNG)
    finally:
        os.close(folder)
    link = "/".join([name] * depth) + "/img.png"
    (tmp_path / "seeds" / "good.md").write_text(f"# Good\n\nTianwen-3 ![i]({link}).\n")
    [message] = cli("build").diagnostics
    assert message == (
        f"seeds/good.md:3: error: link to '{link}': '{link}' cannot be read (File name too long)"
    )


def test_a_link_to_an_article_that_cannot_be_built_says_so(tmp_path: Path, cli: Run) -> None:
    make_site(
        tmp_path,
        {
            **GOOD,
            "seeds/good.md": "# Good\n\nTianwen-3 and [the plan](plan.md).\n",
            "seeds/plan.md": "---\nslug: terms\n---\nNot yet.\n",
        },
    )
    assert cli("build").diagnostics == [
        "seeds/good.md:3: warning: link to 'plan.md': that article has no page: it cannot be "
        "built (see its errors)",
        "seeds/plan.md:2: error: slug 'terms' is reserved for the site's own pages; set another "
        "in the front matter",
    ]


def test_a_linked_file_unreadable_by_the_time_it_is_copied_is_an_error_at_it(
    tmp_path: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Readable as its page was made, refused as it is copied: said, never passed over."""
    article = "# Good\n\nThe Tianwen-3 orbit.\n\n![The orbit](images/orbit.png)\n"
    make_site(tmp_path, {**GOOD, "seeds/good.md": article, "seeds/images/orbit.png": PNG})
    read = Reader.read

    def refusing(self: Reader, path: Path) -> bytes:
        if path.name == "orbit.png":
            raise PermissionError(13, "Permission denied", str(path))
        return read(self, path)

    monkeypatch.setattr(Reader, "read", refusing)
    result = cli("build")
    assert result.diagnostics == [
        "seeds/images/orbit.png:1: error: cannot be read (Permission denied)"
    ]
    assert result.code == 1


@pytest.mark.parametrize("unreadable", ["images/orbit.png", "images"], ids=["file", "folder"])
def test_a_linked_file_the_system_refuses_to_read_is_an_error_at_its_line(
    tmp_path: Path, unreadable: str
) -> None:
    article = "---\ntitle: Good\n---\n\nThe Tianwen-3 orbit.\n\n![The orbit](images/orbit.png)\n"
    make_site(tmp_path, {**GOOD, "seeds/good.md": article, "seeds/images/orbit.png": PNG})
    copy = tmp_path / "_site" / "_files" / "images" / "orbit.png"
    assert run_unprivileged(tmp_path, "build", "--strict").code == 0  # cached: readable
    assert copy.read_bytes() == PNG
    path = tmp_path / "seeds" / unreadable
    mode = path.stat().st_mode
    path.chmod(0)
    try:
        built, checked = (run_unprivileged(tmp_path, *args) for args in (["build"], ["check"]))
    finally:
        path.chmod(mode)
    message = "link to 'images/orbit.png': 'images/orbit.png' cannot be read (Permission denied)"
    assert built.diagnostics == checked.diagnostics == [f"seeds/good.md:7: error: {message}"]
    assert (built.code, checked.code) == (1, 1)
    assert built.out.startswith("built 1 page, 1 note, 0 warnings, 1 error in ")
    html = page(tmp_path, "good")  # built with its words, the image left as written
    assert "orbit.</p>" in html and "Tianwen-3</a>" in html
    assert '<img src="images/orbit.png" alt="The orbit" />' in html
    assert "_files" not in html and not copy.parent.exists()
    # Readable again: the next build publishes it.
    result = run_unprivileged(tmp_path, "build", "--strict")
    assert (result.code, result.diagnostics) == (0, [])
    assert 'src="../_files/images/orbit.png"' in page(tmp_path, "good")
    assert copy.read_bytes() == PNG


@pytest.mark.parametrize("link", ["../site.toml", "../../etc/passwd", "/etc/passwd"])
def test_nothing_outside_the_source_folder_is_copied(tmp_path: Path, cli: Run, link: str) -> None:
    make_site(tmp_path, {**GOOD, "seeds/good.md": f"# Good\n\nTianwen-3 [x]({link}).\n"})
    result = cli("build", "--strict")
    assert (result.code, result.diagnostics) == (0, [])
    assert f'href="{link}"' in page(tmp_path, "good")  # a link between pages, as written
    assert not (tmp_path / "_site" / "_files").exists()


def test_a_symlink_out_of_the_source_folder_is_not_followed(tmp_path: Path, cli: Run) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    # An image and another file (a .txt would be an article, read as the site's own).
    make_site(
        tmp_path, {**GOOD, "seeds/good.md": "# Good\n\nTianwen-3 ![x](leak.png) [y](leak.csv).\n"}
    )
    os.symlink(secret, tmp_path / "seeds" / "leak.png")
    os.symlink(secret, tmp_path / "seeds" / "leak.csv")
    cli("build")
    assert not (tmp_path / "_site" / "_files").exists()
    assert "secret" not in "".join(
        p.read_text(errors="replace") for p in (tmp_path / "_site").rglob("*") if p.is_file()
    )


# Drafts


def test_a_draft_is_left_out_of_build_unless_asked_for(tmp_path: Path, cli: Run) -> None:
    make_site(
        tmp_path,
        {
            **GOOD,
            "seeds/wip.md": "---\ntitle: Work in progress\n---\nNot yet.\n",
            "seeds/wip.notes.md": "---\ndraft: yes\n---\n",
            "site.toml": 'site_url = "https://example.org/"\n',
        },
    )
    assert cli("build").code == 0
    out = tmp_path / "_site"
    assert not (out / "wip").exists()
    listings = [out / "index.html", out / "sitemap.xml", out / "feed.xml"]
    assert all("wip" not in path.read_text() for path in listings)
    assert cli("build", "--drafts").code == 0
    assert "draft-mark" in (out / "wip" / "index.html").read_text()
    assert "draft-mark" in (out / "index.html").read_text()
    assert cli("build").code == 0  # and gone again
    assert not (out / "wip").exists()


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("appendix.html", "an HTML file would run its script on the site"),
        ("APPENDIX.HTM", "an HTML file would run its script on the site"),
        ("page.xhtml", "an HTML file would run its script on the site"),
        ("data.xml", "an XML file can run script on the site"),
        ("style.xslt", "an XML file can run script on the site"),
        ("feed.rss", "an XML file can run script on the site"),
        ("orbit.svgz", "a compressed SVG cannot be cleaned of script (save it as .svg)"),
    ],
)
def test_a_linked_document_is_not_published_and_its_words_stay(
    tmp_path: Path, cli: Run, name: str, why: str
) -> None:
    make_site(
        tmp_path,
        {
            **GOOD,
            "seeds/good.md": f"# Good\n\nTianwen-3.\n\nSee [the *appendix*]({name}#part) "
            f"and ![a view]({name}).\n",
            f"seeds/{name}": "<html><script>document.title='ran'</script></html>",
        },
    )
    result = cli("build")
    assert result.code == 0
    assert result.diagnostics == [
        f"seeds/good.md:5: warning: link to '{name}#part': not published: {why}; "
        "the link is kept as text",
        f"seeds/good.md:5: warning: link to '{name}': not published: {why}; "
        "the image is left as written",
    ]
    assert f'<p>See the <em>appendix</em> and <img src="{name}" alt="a view" />.</p>' in page(
        tmp_path, "good"
    )
    assert not (tmp_path / "_site" / "_files").exists()
    assert cli("build", "--strict").code == 1
