"""Hostile input: no words lost, no secret leaked, nothing read that is not a file.

Each case is one broken or hostile input beside a good article, with its exact
outcome: the diagnostic lines, the exit status, the rest of the site still built,
nothing from outside the site folder in the output, and no traceback (the `cli`
fixture fails on one).
"""

from __future__ import annotations

import codecs
import os
import re
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import GOOD, Nest, Run, make_site, page_slugs, tree

from site_builder import reading
from site_builder.devloop import CycleReport
from site_builder.diagnostics import UNPRINTABLE
from site_builder.reading import MEGABYTE
from site_builder.terminal import cycle_line, watching_line

TOO_DEEP = (
    "blockquotes and lists nested too deeply (the limit is 100 levels, a list item "
    "counting as two): the text from here on would be lost; nest it less deeply"
)
KEEPS = "; the page keeps its last good output"


def page(tmp_path: Path, slug: str) -> str:
    return (tmp_path / "_site" / slug / "index.html").read_text(encoding="utf-8")


def quotes(depth: int) -> str:
    """Blockquotes nested `depth` deep, a line of text at each level, after a title line."""
    return "# Quotes\n\n" + "".join(f"{'>' * n} level{n}\n{'>' * n}\n" for n in range(1, depth + 1))


def lists(depth: int) -> str:
    """A list nested `depth` deep, one item at each level."""
    return "".join(f"{'  ' * n}- item{n}\n" for n in range(depth))


# Nothing lost: markdown nested deeper than the parser reads


def test_blockquotes_99_deep_keep_every_word(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {**GOOD, "seeds/deep.md": quotes(99) + "\nAfter.\n"})
    result = cli("build")
    assert (result.code, result.diagnostics) == (0, [])
    text = page(tmp_path, "deep")
    assert all(f"level{n}" in text for n in range(1, 100))
    assert "After." in text


def test_blockquotes_past_the_limit_are_an_error_at_the_first_lost_line(
    tmp_path: Path, cli: Run
) -> None:
    make_site(tmp_path, {**GOOD, "seeds/deep.md": quotes(120) + "\nAfter.\n"})
    result = cli("build")
    assert result.code == 1
    # Line 3 holds level 1; level 100 is the first the parser would drop.
    assert result.diagnostics == [f"seeds/deep.md:{3 + 2 * 99}: error: {TOO_DEEP}"]
    assert page_slugs(tmp_path / "_site") == {"good"}


def test_lists_nested_past_the_limit_are_an_error(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {**GOOD, "seeds/deep.md": lists(60) + "\nAfter the list.\n"})
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [f"seeds/deep.md:50: error: {TOO_DEEP}"]  # item49: 100 levels
    assert page_slugs(tmp_path / "_site") == {"good"}


def test_lists_49_deep_keep_every_word(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {**GOOD, "seeds/deep.md": lists(49) + "\nAfter the list.\n"})
    assert cli("build", "--strict").code == 0
    text = page(tmp_path, "deep")
    assert all(re.search(rf"\bitem{n}\b", text) for n in range(49))
    assert "After the list." in text


def test_a_note_nested_past_the_limit_keeps_the_last_good_page(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, GOOD)
    assert cli("build").code == 0
    before = page(tmp_path, "good")
    notes = GOOD["seeds/good.notes.md"] + "\n" + lists(60) + "\n## planned\nLater.\n"
    make_site(tmp_path, {"seeds/good.notes.md": notes})
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [f"seeds/good.notes.md:54: error: {TOO_DEEP}{KEEPS}"]
    assert page(tmp_path, "good") == before


def test_a_glossary_note_nested_past_the_limit_is_left_out(tmp_path: Path, cli: Run) -> None:
    deep = "".join(f"{'>' * n} level{n}\n" for n in range(1, 121))
    glossary = f"## mission\nA journey.\n\n{deep}\n## planned\nSet for a date.\n"
    make_site(tmp_path, {**GOOD, "seeds/_glossary.md": glossary})
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [
        f"seeds/_glossary.md:103: error: {TOO_DEEP}; this note is left out"
    ]
    text = page(tmp_path, "good")
    assert 'id="note-planned"' in text
    assert "level1" not in text


# Nothing lost: bytes that are not text


def test_a_nul_byte_is_an_error_at_its_line_and_the_page_keeps_its_last_output(
    tmp_path: Path, cli: Run
) -> None:
    make_site(tmp_path, {**GOOD, "seeds/nul.md": "# Nul\n\nFine text.\n"})
    assert cli("build").code == 0
    before = page(tmp_path, "nul")
    make_site(tmp_path, {"seeds/nul.md": b"# Nul\n\nFine\x00 text.\n"})
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [
        "seeds/nul.md:3: error: control character U+0000 (NUL) in the text; remove it"
    ]
    assert page(tmp_path, "nul") == before
    assert page_slugs(tmp_path / "_site") == {"good", "nul"}
    built = tree(tmp_path / "_site").items()
    # The search index (pagefind/) is binary: compressed, and WebAssembly.
    assert all(b"\x00" not in data for name, data in built if not name.startswith("pagefind/"))


C1 = "(a C1 control: often text in Windows-1252 that was read as Latin-1)"


@pytest.mark.parametrize(
    ("control", "named"),
    [
        ("\x07", "U+0007 (BEL)"),
        ("\x08", "U+0008 (backspace)"),
        ("\x0b", "U+000B (vertical tab)"),
        (
            "\x0c",
            "U+000C (form feed) in the text; remove it (a page break: a blank line does the same)",
        ),
        ("\x1b", "U+001B (ESC)"),
        ("\x1f", "U+001F"),
        ("\x7f", "U+007F (DEL)"),
        (
            "\x85",
            f"U+0085 in the text; remove it {C1}",
        ),
        (
            "\x9b",
            f"U+009B in the text; remove it {C1}",
        ),
    ],
)
def test_control_characters_in_a_source_are_errors_naming_them(
    tmp_path: Path, cli: Run, control: str, named: str
) -> None:
    make_site(
        tmp_path, {**GOOD, "seeds/ctl.txt": f"A first paragraph of words.\n\nThen {control}.\n"}
    )
    result = cli("build")
    assert result.code == 1
    message = named if "remove it" in named else f"{named} in the text; remove it"
    assert result.diagnostics == [f"seeds/ctl.txt:3: error: control character {message}"]
    assert page_slugs(tmp_path / "_site") == {"good"}


def test_control_characters_in_notes_and_glossary_are_errors_with_a_count(
    tmp_path: Path, cli: Run
) -> None:
    notes = GOOD["seeds/good.notes.md"] + "\n## planned\nSoon\x1b[2J, later\x1b[H.\n"
    glossary = "## mission\nA \x00journey.\n"
    make_site(tmp_path, {**GOOD, "seeds/good.notes.md": notes, "seeds/_glossary.md": glossary})
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [
        "seeds/_glossary.md:2: error: control character U+0000 (NUL) in the text; remove it",
        "seeds/good.notes.md:6: error: control character U+001B (ESC) in the text; remove it; "
        "1 more after it",
    ]
    assert page_slugs(tmp_path / "_site") == set()


def test_tabs_and_every_kind_of_line_ending_are_text(tmp_path: Path, cli: Run) -> None:
    text = b"# Tabs\r\n\r\nOne\tword.\rTwo words.\nThree words.\r\n"
    make_site(tmp_path, {**GOOD, "seeds/tabs.md": text})
    assert (cli("build", "--strict").code, page_slugs(tmp_path / "_site")) == (0, {"good", "tabs"})
    assert "One\tword.\nTwo words.\nThree words." in page(tmp_path, "tabs")


NOTES_TEXT = "## Tianwen-3\nChina's planned Mars sample-return mission.\n"


@pytest.mark.parametrize(
    ("encoded", "name"),
    [
        (codecs.BOM_UTF16_LE + NOTES_TEXT.encode("utf-16-le"), "UTF-16"),
        (codecs.BOM_UTF16_BE + NOTES_TEXT.encode("utf-16-be"), "UTF-16"),
        (NOTES_TEXT.encode("utf-16-le"), "UTF-16"),  # no byte order mark
        (NOTES_TEXT.encode("utf-16-be"), "UTF-16"),
        (codecs.BOM_UTF32_LE + NOTES_TEXT.encode("utf-32-le"), "UTF-32"),
        (NOTES_TEXT.encode("utf-32-le"), "UTF-32"),
        (NOTES_TEXT.encode("utf-32-be"), "UTF-32"),
    ],
)
def test_utf16_and_utf32_notes_are_told_to_be_saved_as_utf8(
    tmp_path: Path, cli: Run, encoded: bytes, name: str
) -> None:
    make_site(tmp_path, {**GOOD, "seeds/good.notes.md": encoded, "seeds/other.md": "Other.\n"})
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [
        f"seeds/good.notes.md:1: error: the file is {name}, not UTF-8; save it as UTF-8"
    ]
    assert page_slugs(tmp_path / "_site") == {"other"}


def test_a_utf16_source_full_of_other_scripts_is_not_utf8_either(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {**GOOD, "seeds/zh.txt": "天问三号火星采样返回任务。\n".encode("utf-16")})
    result = cli("build")
    assert result.diagnostics == [
        "seeds/zh.txt:1: error: the file is UTF-16, not UTF-8; save it as UTF-8"
    ]
    assert result.code == 1


# Nothing leaked: symlinks out of the site folder


SECRET = "SECRET-7f3a"
REFUSED = "leading outside the site folder, to {target}; not read (--follow-symlinks reads it)"


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder beside the site, not in it, holding secrets."""
    folder = tmp_path_factory.mktemp("outside")
    words = "of the build machine, which every contributor to the site could publish"
    (folder / "secret.txt").write_text(f"{SECRET} is the password {words}.\n")
    (folder / "secret.md").write_text(f"# Secret\n\n{SECRET} is the password.\n")
    (folder / "secret.css").write_text(f"/* {SECRET} */\n")
    (folder / "notes.md").write_text(f"## Tianwen-3\n{SECRET} is the password.\n")
    return folder


def assert_no_secret(tmp_path: Path) -> None:
    assert all(SECRET.encode() not in data for data in tree(tmp_path / "_site").values())


def link(path: Path, target: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)
    return path


@pytest.mark.parametrize(
    ("name", "target"),
    [("seeds/leak.txt", "secret.txt"), ("seeds/leak.md", "secret.md")],
)
def test_a_source_linked_out_of_the_site_is_refused(
    tmp_path: Path, cli: Run, outside: Path, name: str, target: str
) -> None:
    make_site(tmp_path, GOOD)
    link(tmp_path / name, outside / target)
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [
        f"{name}:1: error: is a symlink " + REFUSED.format(target=outside / target)
    ]
    assert page_slugs(tmp_path / "_site") == {"good"}
    assert_no_secret(tmp_path)
    # Those who mean it say so.
    assert cli("build", "--follow-symlinks").code == 0
    assert SECRET in page(tmp_path, "leak")


def test_notes_and_glossary_linked_out_of_the_site_are_refused(
    tmp_path: Path, cli: Run, outside: Path
) -> None:
    make_site(tmp_path, {"seeds/good.md": GOOD["seeds/good.md"], "seeds/other.md": "Other.\n"})
    link(tmp_path / "seeds/good.notes.md", outside / "notes.md")
    link(tmp_path / "seeds/_glossary.md", outside / "notes.md")
    result = cli("build")
    assert result.code == 1
    refused = REFUSED.format(target=outside / "notes.md")
    assert result.diagnostics == [
        f"seeds/_glossary.md:1: error: is a symlink {refused}",
        f"seeds/good.notes.md:1: error: is a symlink {refused}",
    ]
    assert page_slugs(tmp_path / "_site") == {"other"}
    assert_no_secret(tmp_path)


def test_a_source_folder_linked_from_elsewhere_keeps_its_site_beside_the_link(
    tmp_path: Path, cli: Run, outside: Path
) -> None:
    # The site was found beside the link's target: the build ignored this site.toml
    # and wrote its output there, outside the folder the user named.
    (outside / "seeds").mkdir()
    (outside / "seeds" / "good.md").write_text(GOOD["seeds/good.md"])
    (tmp_path / "site.toml").write_text('title = "Linked readings"\n')
    link(tmp_path / "seeds", outside / "seeds")
    result = cli("build")
    assert result.code == 1
    [diagnostic] = result.diagnostics
    assert diagnostic.startswith("seeds/good.md:1: error: lies in a symlinked folder leading ")
    assert not (outside / "_site").exists()
    assert cli("build", "--follow-symlinks").code == 0
    assert page_slugs(tmp_path / "_site") == {"good"}
    assert "Linked readings" in (tmp_path / "_site" / "index.html").read_text()
    assert not (outside / "_site").exists()


def test_a_source_folder_of_symlinks_inside_the_site_is_fine(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {"drafts/good.md": GOOD["seeds/good.md"]})
    link(tmp_path / "seeds/good.md", tmp_path / "drafts/good.md")
    link(tmp_path / "static/extra", tmp_path / "drafts")
    result = cli("build")
    assert (result.code, result.diagnostics) == (0, [])
    assert page_slugs(tmp_path / "_site") == {"good"}
    assert (tmp_path / "_site/static/extra/good.md").is_file()


def test_a_template_linked_out_of_the_site_is_refused(
    tmp_path: Path, cli: Run, outside: Path
) -> None:
    make_site(tmp_path, GOOD)
    assert cli("build").code == 0
    before = page(tmp_path, "good")
    link(tmp_path / "templates/note.html", outside / "secret.txt")
    result = cli("build")
    assert result.code == 1
    refused = REFUSED.format(target=outside / "secret.txt")
    assert result.diagnostics == [f"templates/note.html:1: error: is a symlink {refused}"]
    assert page(tmp_path, "good") == before  # its last good output
    assert_no_secret(tmp_path)


def test_static_and_public_files_linked_out_of_the_site_are_refused(
    tmp_path: Path, cli: Run, outside: Path
) -> None:
    make_site(tmp_path, {**GOOD, "static/own.css": "p {}\n", "public/robots.txt": "x\n"})
    link(tmp_path / "static/leak.css", outside / "secret.css")
    link(tmp_path / "static/fonts", outside)
    link(tmp_path / "public/keys", outside)
    link(tmp_path / "public/leak.txt", outside / "secret.txt")
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [
        f"public/keys:1: error: is a symlink leading outside the site folder, to {outside}; "
        "not followed (--follow-symlinks follows it)",
        "public/leak.txt:1: error: is a symlink " + REFUSED.format(target=outside / "secret.txt"),
        f"static/fonts:1: error: is a symlink leading outside the site folder, to {outside}; "
        "not followed (--follow-symlinks follows it)",
        "static/leak.css:1: error: is a symlink " + REFUSED.format(target=outside / "secret.css"),
    ]
    out = tmp_path / "_site"
    assert (out / "static/own.css").is_file() and (out / "robots.txt").is_file()
    assert page_slugs(out) == {"good"}
    assert_no_secret(tmp_path)
    assert cli("build", "--follow-symlinks").code == 0
    assert (out / "static/fonts/secret.css").is_file() and (out / "keys/secret.txt").is_file()


def test_a_file_in_a_folder_linked_out_of_the_site_is_refused(
    tmp_path: Path, cli: Run, outside: Path
) -> None:
    make_site(tmp_path, GOOD)
    link(tmp_path / "templates", outside)  # the whole folder
    (outside / "note.html").write_text(f"{SECRET}\n")
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [
        "templates/note.html:1: error: lies in a symlinked folder "
        + REFUSED.format(target=outside / "note.html")
    ]
    assert_no_secret(tmp_path)


def test_two_sources_that_are_one_file_are_errors_and_neither_page_goes(
    tmp_path: Path, cli: Run
) -> None:
    make_site(tmp_path, GOOD)
    assert cli("build").code == 0
    before = page(tmp_path, "good")
    link(tmp_path / "seeds/again.md", Path("good.md"))
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [
        "seeds/again.md:1: error: is the same file as seeds/good.md (a symlink leads from one "
        "to the other); neither page is made until one of them is removed",
        "seeds/good.md:1: error: is the same file as seeds/again.md (a symlink leads from one "
        "to the other); neither page is made until one of them is removed",
    ]
    assert page(tmp_path, "good") == before  # its last good output, listed as it was
    assert page_slugs(tmp_path / "_site") == {"good"}
    (tmp_path / "seeds/again.md").unlink()
    assert cli("build").code == 0
    assert page(tmp_path, "good") == before


# Only regular files are read


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail, rather than hang, a test whose build waits on a FIFO."""
    previous = signal.signal(signal.SIGALRM, lambda *_: pytest.fail("the build hung"))
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


FIFO = "is a FIFO (named pipe), not a file; not read"


@pytest.mark.usefixtures("no_hang")
@pytest.mark.parametrize(
    "name",
    [
        "seeds/pipe.md",
        "seeds/good.notes.md",
        "seeds/_glossary.md",
        "static/pipe.css",
        "public/pipe",
    ],
)
def test_a_fifo_is_refused_without_waiting_for_a_writer(
    tmp_path: Path, cli: Run, name: str
) -> None:
    make_site(tmp_path, {**GOOD, "seeds/other.md": "Other words.\n"})
    (tmp_path / name).unlink(missing_ok=True)
    (tmp_path / name).parent.mkdir(exist_ok=True)
    os.mkfifo(tmp_path / name)
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [f"{name}:1: error: {FIFO}"]
    assert "other" in page_slugs(tmp_path / "_site")


@pytest.mark.usefixtures("no_hang")
def test_a_fifo_template_and_site_toml_are_refused(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, GOOD)
    os.mkfifo(tmp_path / "templates.html")
    link(tmp_path / "templates/note.html", tmp_path / "templates.html")
    result = cli("build")
    assert (result.code, result.diagnostics) == (1, [f"templates/note.html:1: error: {FIFO}"])
    os.mkfifo(tmp_path / "site.toml")
    result = cli("build")
    assert (result.code, result.err) == (2, f"site.toml:1: error: {FIFO}\n")


@pytest.mark.usefixtures("no_hang")
def test_a_fifo_beside_the_articles_is_not_a_file_to_link(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {**GOOD, "seeds/pic.md": "# Pic\n\n![A pipe](pipe.png)\n"})
    os.mkfifo(tmp_path / "seeds/pipe.png")
    result = cli("build")
    assert result.code == 0
    assert result.diagnostics == [
        "seeds/pic.md:3: warning: link to 'pipe.png': no file 'pipe.png' in the source folder"
    ]


def test_a_socket_is_refused(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, GOOD)
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(tmp_path / "seeds" / "sock.md"))
        result = cli("build")
    finally:
        listener.close()
    assert result.code == 1
    assert result.diagnostics == ["seeds/sock.md:1: error: is a socket, not a file; not read"]
    assert page_slugs(tmp_path / "_site") == {"good"}


def test_dev_zero_as_a_source_is_refused_followed_or_not(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, GOOD)
    link(tmp_path / "seeds/zero.md", Path("/dev/zero"))
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [
        "seeds/zero.md:1: error: is a symlink " + REFUSED.format(target="/dev/zero")
    ]
    result = cli("build", "--follow-symlinks")
    assert result.code == 1
    assert result.diagnostics == [
        "seeds/zero.md:1: error: is a character device, not a file; not read"
    ]
    assert page_slugs(tmp_path / "_site") == {"good"}


def test_symlink_loops_and_symlinks_to_nothing_are_refused(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, GOOD)
    link(tmp_path / "seeds/loop.md", Path("loop.md"))
    link(tmp_path / "seeds/ping.md", Path("pong.md"))
    link(tmp_path / "seeds/pong.md", Path("ping.md"))
    link(tmp_path / "seeds/gone.md", Path("nothing.md"))
    link(tmp_path / "static/deeper/up", Path(".."))
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [
        "static/deeper/up:1: error: is a symlink to a folder it lies in (a loop); not followed",
        "seeds/gone.md:1: error: is a symlink to nothing.md, which does not exist; not read",
        "seeds/loop.md:1: error: is a symlink loop; not read",
        "seeds/ping.md:1: error: is a symlink loop; not read",
        "seeds/pong.md:1: error: is a symlink loop; not read",
    ]
    assert page_slugs(tmp_path / "_site") == {"good"}


def test_templates_static_and_public_1500_folders_deep_are_read_and_published(
    tmp_path: Path, cli: Run, nest: Nest
) -> None:
    make_site(tmp_path, GOOD)
    for top in ("templates", "static", "public"):
        (nest(tmp_path / top, 1_500) / f"{top}.txt").write_text(top)
    result = cli("build")
    assert (result.code, result.diagnostics) == (0, [])
    deep = "/".join(["d"] * 1_500)
    assert (tmp_path / "_site" / deep / "public.txt").read_text() == "public"
    assert (tmp_path / "_site/static" / deep / "static.txt").read_text() == "static"
    assert page_slugs(tmp_path / "_site") == {"good"}


def test_a_site_toml_nested_beyond_the_parser_is_an_error_at_its_line(
    tmp_path: Path, cli: Run
) -> None:
    depth = 20_000
    make_site(tmp_path, {**GOOD, "site.toml": 'title = "T"\n\nx = ' + "[" * depth + "]" * depth})
    result = cli("build")
    assert (result.code, result.err.splitlines()) == (
        2,
        ["site.toml:3: error: values nested too deeply"],
    )


# The size cap: max_file_mb


def big(path: Path, megabytes: float) -> None:
    """A sparse file of that size, its first line text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        stream.write(b"# Big\n")
        stream.truncate(int(megabytes * MEGABYTE))


@pytest.mark.parametrize(
    "name",
    [
        "seeds/big.md",
        "seeds/good.notes.md",
        "seeds/_glossary.md",
        "templates/note.html",
        "static/big.css",
        "public/big.bin",
        "seeds/images/big.png",  # a file beside the articles, which a page links to
    ],
)
def test_a_file_over_max_file_mb_is_an_error_at_it(tmp_path: Path, cli: Run, name: str) -> None:
    article = GOOD["seeds/good.md"] + "\n![Big](images/big.png)\n"
    make_site(
        tmp_path,
        {
            **GOOD,
            "seeds/good.md": article,
            "seeds/other.md": "Other words.\n",
            "seeds/images/big.png": b"PNG",
        },
    )
    big(tmp_path / name, 1.5)
    make_site(tmp_path, {"site.toml": "max_file_mb = 1\n"})
    result = cli("build")
    assert result.code == 1
    too_large = "is 1.5 MB, larger than the 1 MB that max_file_mb allows (site.toml); not read"
    if name == "seeds/images/big.png":  # told at the link, which then links no copy
        line = article.count("\n")
        assert result.diagnostics == [
            f"seeds/good.md:{line}: error: link to 'images/big.png': 'images/big.png' {too_large}"
        ]
        assert "_files/images/big.png" not in page(tmp_path, "good")
    else:
        assert result.diagnostics == [f"{name}:1: error: {too_large}"]
    assert "other" in page_slugs(tmp_path / "_site")


def test_ten_megabytes_is_the_default_cap(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, GOOD)
    big(tmp_path / "seeds/fits.md", 10)
    big(tmp_path / "seeds/big.md", 10.2)
    result = cli("check")
    assert result.diagnostics == [
        "seeds/big.md:1: error: is 10.2 MB, larger than the 10 MB that max_file_mb allows "
        "(site.toml); not read",
        # Read whole, and found to be no text: the sparse file's bytes are NULs.
        "seeds/fits.md:2: error: control character U+0000 (NUL) in the text; remove it; "
        "10485753 more after it",
    ]


def test_a_file_that_grows_past_its_size_is_never_read_past_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose size says nothing (/proc, a file still being written) is read to the cap
    and one byte more, no further."""
    path = tmp_path / "endless.md"
    path.write_bytes(b"x" * (3 * MEGABYTE))
    read = 0
    real_read = os.read

    def counting(descriptor: int, count: int) -> bytes:
        nonlocal read
        chunk = real_read(descriptor, count)
        read += len(chunk)
        return chunk

    monkeypatch.setattr(reading.Reader, "_check_status", lambda self, status: None)
    monkeypatch.setattr(os, "read", counting)
    with pytest.raises(reading.Refused, match=r"^is larger than the 1 MB that max_file_mb allows"):
        reading.Reader(max_mb=1).read(path)
    assert read == MEGABYTE + 1


@pytest.mark.parametrize("value", ['"10 MB"', "0", "-1", "1.5", "true"])
def test_max_file_mb_must_be_a_whole_number(tmp_path: Path, cli: Run, value: str) -> None:
    make_site(tmp_path, {**GOOD, "site.toml": f'title = "T"\nmax_file_mb = {value}\n'})
    result = cli("build")
    assert (result.code, result.err) == (
        2,
        "site.toml:2: error: option 'max_file_mb' must be a whole number, 1 or more, "
        "such as max_file_mb = 10\n",
    )


# Nothing printed raw: control characters in what reaches the terminal


def test_a_file_name_with_escape_sequences_is_printed_escaped(tmp_path: Path, cli: Run) -> None:
    name = "evil\x1b]0;pwned\x07\x1b[2J\r\x9b1m.md"
    make_site(tmp_path, {**GOOD, f"seeds/{name}": "# Evil\n\n\x00\n"})
    result = cli("build")
    assert result.code == 1
    assert result.diagnostics == [
        "seeds/evil\\x1b]0;pwned\\x07\\x1b[2J\\x0d\\x9b1m.md:3: error: control character U+0000 "
        "(NUL) in the text; remove it"
    ]
    assert not UNPRINTABLE.search(result.output.replace("\n", ""))


def test_a_file_name_holding_a_line_break_cannot_fake_a_diagnostic(
    tmp_path: Path, cli: Run
) -> None:
    name = "x\ngood.md:1: error: forged.md"
    make_site(tmp_path, {**GOOD, f"seeds/{name}": "\x00"})
    result = cli("build")
    assert result.err.splitlines() == [
        "seeds/x\\x0agood.md:1: error: forged.md:1: error: control character U+0000 (NUL) "
        "in the text; remove it"
    ]


def test_configuration_values_and_stray_output_names_are_printed_escaped(
    tmp_path: Path, cli: Run
) -> None:
    make_site(tmp_path, {**GOOD, "site.toml": 'site_url = "\\u001b[2Jx"\n'})
    result = cli("build")
    assert result.code == 2
    # Refused outright now (a TOML escape is no way in); the message never echoes it raw.
    assert result.err == "site.toml:1: error: option 'site_url' holds control character U+001B\n"
    make_site(tmp_path, {"site.toml": "", "_site/\x1b[31mred": "not ours"})
    result = cli("build")
    assert result.code == 2
    assert "holds files site-builder did not write (\\x1b[31mred)" in result.err
    assert not UNPRINTABLE.search(result.output.replace("\n", ""))


def test_watch_lines_escape_the_paths_they_print(tmp_path: Path) -> None:
    changed = tmp_path / "seeds" / "\x1b[2J.md"
    report = CycleReport(frozenset({changed}), problem="x\x1b[2J: error: gone")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        assert cycle_line(report) == "seeds/\\x1b[2J.md changed: x\\x1b[2J: error: gone"
        assert watching_line(tmp_path / "\x07seeds", False) == (
            "watching \\x07seeds; press Ctrl-C to stop"
        )


# Slugs too long for a folder name


def test_a_300_character_slug_is_cut_at_a_word_with_a_warning(tmp_path: Path, cli: Run) -> None:
    slug = "-".join(["launch"] * 43)  # 300 characters
    make_site(tmp_path, {**GOOD, "seeds/long.md": f"---\nslug: {slug}\n---\nText.\n"})
    result = cli("build")
    cut = "-".join(["launch"] * 14)  # 97 characters: the 15th word would pass 100
    assert result.code == 0
    assert result.diagnostics == [
        f"seeds/long.md:2: warning: slug: 300 characters are more than a slug may have "
        f"(100 bytes); using '{cut}'"
    ]
    assert page_slugs(tmp_path / "_site") == {"good", cut}


@pytest.mark.parametrize(
    ("name", "length"),
    [
        ("a" * 250 + ".md", 100),  # as long as a file name may be
        ("\ufdfa" * 80 + ".md", 90),  # 240 bytes, whose letters NFKC spells out in 18 each
        ("\u4e2d" * 80 + ".md", 99),  # 240 bytes of Chinese: 33 characters fit
    ],
)
def test_a_long_file_name_gives_a_slug_that_fits_a_folder(
    tmp_path: Path, cli: Run, name: str, length: int
) -> None:
    make_site(tmp_path, {**GOOD, f"seeds/{name}": "Text.\n"})
    result = cli("build")
    assert (result.code, result.diagnostics) == (0, [])
    slugs = page_slugs(tmp_path / "_site") - {"good"}
    assert [len(slug.encode()) for slug in slugs] == [length]
