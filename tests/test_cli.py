"""The command line: diagnostics, exit statuses, `check`, `new` and the real entry points."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GOOD, Run, make_site, page_slugs, tree

from site_builder.config import OPTIONS
from site_builder.sources import KEYS

KNOWN_KEYS = ", ".join(KEYS)
KNOWN_OPTIONS = ", ".join(sorted(OPTIONS))
ADDRESS_RULE = (
    " (a host and a path: no user name, query, fragment or space, other characters percent-encoded)"
)
INDENTED = (
    "; an indented line goes on with the value above it: start each key at the beginning "
    "of its line"
)


def assert_good_built(root: Path) -> None:
    """The site's good article was built despite its broken neighbours."""
    page = root / "_site" / "good" / "index.html"
    assert page.is_file()
    assert 'data-note="note-tianwen-3"' in page.read_text(encoding="utf-8")
    assert "good/index.html" in (root / "_site" / "index.html").read_text(encoding="utf-8")


# One test per bad input: the diagnostic names the file and line, the exit status
# is right, and the other articles of the site are still built.


def test_clean_site_builds_with_exit_0_and_a_summary(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, GOOD)
    result = cli("build")
    assert result.code == 0
    assert result.diagnostics == []
    assert result.out.startswith("built 1 page, 1 note, 0 warnings, 0 errors in ")
    first, note = result.out.splitlines()
    assert first.endswith("-> _site")
    assert note.startswith("note: no site_url, so no sitemap.xml, feed.xml, robots.txt")
    assert_good_built(tmp_path)


def test_with_a_site_url_the_build_says_nothing_more(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, GOOD)
    result = cli("build", "--site-url", "https://example.org/")
    assert (result.code, len(result.out.splitlines())) == (0, 1)


def test_non_utf8_file_names_the_line_of_the_bad_byte(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {**GOOD, "seeds/latin1.md": b"# Title\n\nfine\ncaf\xe9 au lait\n"})
    result = cli("build")
    assert result.diagnostics == [
        "seeds/latin1.md:4: error: not valid UTF-8 (byte 0xe9); save the file as UTF-8"
    ]
    assert result.code == 1
    assert page_slugs(tmp_path / "_site") == {"good"}
    assert_good_built(tmp_path)


def test_non_utf8_notes_file_is_reported_too(tmp_path: Path, cli: Run) -> None:
    make_site(
        tmp_path,
        {
            **GOOD,
            "seeds/other.md": "Some text.\n",
            "seeds/other.notes.md": b"## text\n\n\x93x\x94\n",
        },
    )
    result = cli("build")
    assert result.diagnostics == [
        "seeds/other.notes.md:3: error: not valid UTF-8 (byte 0x93); save the file as UTF-8"
    ]
    assert result.code == 1
    assert_good_built(tmp_path)


def test_malformed_front_matter_names_the_line_of_the_yaml_problem(
    tmp_path: Path, cli: Run
) -> None:
    # The quote opened on line 3 is never closed: line 3 is the problem, not line 4
    # (a good line) nor the end of the front matter where PyYAML gives up.
    broken = '---\ntitle: Fine\nauthor: "never closed\ndate: 2024-01-01\n---\n\nBody text.\n'
    make_site(tmp_path, {**GOOD, "seeds/broken.md": broken})
    result = cli("build")
    assert result.diagnostics == [
        "seeds/broken.md:3: error: malformed front matter: "
        "found unexpected end of stream while scanning a quoted scalar; "
        'close the quote: author: "never closed"'
    ]
    assert result.code == 1
    assert page_slugs(tmp_path / "_site") == {"good"}
    assert_good_built(tmp_path)


def test_a_value_holding_a_colon_is_told_to_be_quoted(tmp_path: Path, cli: Run) -> None:
    article = "---\nauthor: A. Writer\ntitle: Orbits: a guide\n---\nBody text.\n"
    make_site(tmp_path, {**GOOD, "seeds/orbits.md": article})
    result = cli("build")
    assert result.diagnostics == [
        "seeds/orbits.md:3: error: malformed front matter: mapping values are not allowed "
        'here; put the value in quotes: title: "Orbits: a guide"'
    ]
    assert result.code == 1
    assert page_slugs(tmp_path / "_site") == {"good"}
    assert_good_built(tmp_path)


def test_front_matter_that_is_not_a_mapping_is_an_error(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {**GOOD, "seeds/list.md": "---\n- one\n- two\n---\nBody.\n"})
    result = cli("build")
    assert result.diagnostics == ["seeds/list.md:2: error: front matter must be 'key: value' lines"]
    assert result.code == 1
    assert_good_built(tmp_path)


def test_malformed_front_matter_with_a_precise_line(tmp_path: Path, cli: Run) -> None:
    broken = "---\ntitle: Fine\nsummary: one\n  bad: indentation\n---\nBody text.\n"
    make_site(tmp_path, {**GOOD, "seeds/broken.md": broken})
    result = cli("build")
    assert result.diagnostics == [
        "seeds/broken.md:4: error: malformed front matter: mapping values are not allowed here"
        + INDENTED
    ]
    assert result.code == 1
    assert_good_built(tmp_path)


def test_unclosed_front_matter_is_an_error(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {**GOOD, "seeds/open.md": "---\ntitle: Open\n\nBody text.\n"})
    result = cli("build")
    assert result.diagnostics == [
        "seeds/open.md:1: error: front matter opened with '---' is never closed"
    ]
    assert result.code == 1
    assert_good_built(tmp_path)


def test_malformed_front_matter_in_a_notes_file(tmp_path: Path, cli: Run) -> None:
    notes = "---\ntitle: Fine\nsummary: one\n  bad: indentation\n---\n## text\nA note.\n"
    make_site(tmp_path, {**GOOD, "seeds/other.md": "Some text.\n", "seeds/other.notes.md": notes})
    result = cli("build")
    assert result.diagnostics == [
        "seeds/other.notes.md:4: error: malformed front matter: mapping values are not allowed here"
        + INDENTED
    ]
    assert result.code == 1
    assert page_slugs(tmp_path / "_site") == {"good"}


def test_notes_file_without_an_article(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {**GOOD, "seeds/orphan.notes.md": "## term\nA note.\n"})
    result = cli("build")
    assert result.diagnostics == [
        "seeds/orphan.notes.md:1: error: notes file without an article: "
        "expected orphan.md or orphan.txt beside it"
    ]
    assert result.code == 1
    assert_good_built(tmp_path)


@pytest.mark.parametrize("second", ["TIANWEN-3", "tianwen\u20113", "Tianwen–3"])
def test_duplicate_term_is_an_error_on_the_second_heading(
    tmp_path: Path, cli: Run, second: str
) -> None:
    notes = f"## Tianwen-3\nThe first note.\n\n## {second}\nThe second note.\n"
    make_site(
        tmp_path,
        {**GOOD, "seeds/dup.md": "The Tianwen-3 mission.\n", "seeds/dup.notes.md": notes},
    )
    result = cli("build")
    assert result.diagnostics == [
        f"seeds/dup.notes.md:4: error: duplicate term '{second}': 'Tianwen-3' is already "
        "noted on line 1; this note is left out"
    ]
    assert result.code == 1
    # The first note still applies: the article is built, with one note.
    page = (tmp_path / "_site" / "dup" / "index.html").read_text(encoding="utf-8")
    assert page.count('data-note="note-tianwen-3"') == 1
    assert "The second note." not in page
    assert_good_built(tmp_path)


@pytest.mark.parametrize(("strict", "code"), [(False, 0), (True, 1)])
def test_term_that_never_occurs_is_a_warning(
    tmp_path: Path, cli: Run, strict: bool, code: int
) -> None:
    notes = "## Mars\nThe planet.\n\n## Jupiter\nNever mentioned.\n"
    make_site(tmp_path, {**GOOD, "seeds/mars.md": "Mars is red.\n", "seeds/mars.notes.md": notes})
    result = cli("build", *(["--strict"] if strict else []))
    assert result.diagnostics == [
        "seeds/mars.notes.md:4: warning: 'Jupiter' occurs nowhere in the article "
        "(outside headings, code and links)"
    ]
    assert result.code == code
    assert ", 1 warning, 0 errors in " in result.out
    # A warning never stops a page, strict or not.
    assert page_slugs(tmp_path / "_site") == {"good", "mars"}
    assert_good_built(tmp_path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.md", "", "the article is empty"),
        ("blank.md", "\n  \n\t\n", "the article is empty"),
        ("only-front.md", "---\ntitle: Nothing here\n---\n\n", "the article is empty"),
        ("only-heading.md", "# Just a title\n", "the article is empty"),
        ("empty.txt", "", "the article is empty"),
        (
            "chrome.txt",
            "Menu | Search\n\n© The Daily Example\n",
            "the article is empty once site chrome is removed",
        ),
    ],
)
def test_empty_article_is_an_error(
    tmp_path: Path, cli: Run, name: str, content: str, message: str
) -> None:
    make_site(tmp_path, {**GOOD, f"seeds/{name}": content})
    result = cli("build")
    assert result.diagnostics == [f"seeds/{name}:1: error: {message}"]
    assert result.code == 1
    assert page_slugs(tmp_path / "_site") == {"good"}
    assert_good_built(tmp_path)


@pytest.mark.parametrize(("strict", "code"), [(False, 0), (True, 1)])
def test_unknown_front_matter_key_is_a_warning(
    tmp_path: Path, cli: Run, strict: bool, code: int
) -> None:
    article = "---\ntitle: Colours\n\ncolour: red\n---\nRed and blue.\n"
    make_site(tmp_path, {**GOOD, "seeds/colours.md": article})
    result = cli("build", *(["--strict"] if strict else []))
    assert result.diagnostics == [
        f"seeds/colours.md:4: warning: unknown front-matter key 'colour' (known: {KNOWN_KEYS}); "
        "ignored"
    ]
    assert result.code == code
    assert page_slugs(tmp_path / "_site") == {"colours", "good"}
    page = (tmp_path / "_site" / "colours" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Colours</h1>" in page
    assert "colour" not in page  # ignored: it lands nowhere


def test_unknown_front_matter_key_in_notes_names_the_notes_file(tmp_path: Path, cli: Run) -> None:
    notes = "---\ntitle: Better\ncolor: red\n---\n## blue\nA colour.\n"
    make_site(tmp_path, {**GOOD, "seeds/c.md": "Red and blue.\n", "seeds/c.notes.md": notes})
    result = cli("build")
    assert result.diagnostics == [
        f"seeds/c.notes.md:3: warning: unknown front-matter key 'color' (known: {KNOWN_KEYS}); "
        "ignored"
    ]
    assert result.code == 0


def test_every_bad_site_toml_option_is_told_at_once(tmp_path: Path, cli: Run) -> None:
    config = 'title = "T"\nlanguage = "zz-!!"\nbogus = 1\nsearch = "yes"\nmax_file_mb = 0\n'
    make_site(tmp_path, {**GOOD, "site.toml": config})
    result = cli("build", "--site-url", "ftp://x")
    assert result.err.splitlines() == [
        "--site-url: error: option 'site_url' must be an absolute http(s) address such as "
        f"https://example.org/, not 'ftp://x'{ADDRESS_RULE}",
        "site.toml:2: error: option 'language' must be a language tag such as en or fr-CA, "
        "not 'zz-!!'",
        f"site.toml:3: error: unknown option 'bogus' (known: {KNOWN_OPTIONS})",
        "site.toml:4: error: option 'search' must be true or false (without quotes), "
        "such as search = false",
        "site.toml:5: error: option 'max_file_mb' must be a whole number, 1 or more, "
        "such as max_file_mb = 10",
    ]
    assert result.code == 2
    assert cli("check").err.splitlines() == result.err.splitlines()[1:]


def test_unknown_site_toml_option_is_a_usage_error(tmp_path: Path, cli: Run) -> None:
    config = 'title = "Mine"\n\ncolour = "red"\n'
    make_site(tmp_path, {**GOOD, "site.toml": config})
    result = cli("build")
    assert result.err.splitlines() == [
        f"site.toml:3: error: unknown option 'colour' (known: {KNOWN_OPTIONS})"
    ]
    assert result.code == 2
    assert not (tmp_path / "_site").exists()


def test_site_toml_option_of_the_wrong_type_is_a_usage_error(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {**GOOD, "site.toml": 'title = "Mine"\nlanguage = 3\n'})
    result = cli("check")
    assert result.err.splitlines() == ["site.toml:2: error: option 'language' must be a string"]
    assert result.code == 2


@pytest.mark.parametrize("language", ["zz-!!", "<b>", "en_GB", "e"])
def test_a_language_that_is_no_language_tag_is_a_usage_error(
    tmp_path: Path, cli: Run, language: str
) -> None:
    """It would go into every page's <html lang>, which must be a language tag."""
    make_site(tmp_path, {**GOOD, "site.toml": f'title = "Mine"\nlanguage = "{language}"\n'})
    result = cli("check")
    assert result.err.splitlines() == [
        "site.toml:2: error: option 'language' must be a language tag such as en or fr-CA, "
        f"not '{language}'"
    ]
    assert result.code == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('title = "Mine"\n'.encode("utf-16"), "1: error: the file is UTF-16, not UTF-8"),
        (b'title = "M\xffne"\n', "1: error: not valid UTF-8 (byte 0xff)"),
    ],
    ids=["utf-16", "latin-1"],
)
def test_a_site_toml_that_is_not_utf8_says_so(
    tmp_path: Path, cli: Run, data: bytes, message: str
) -> None:
    make_site(tmp_path, GOOD)
    (tmp_path / "site.toml").write_bytes(data)
    result = cli("check")
    assert result.err.startswith(f"site.toml:{message}")
    assert result.code == 2


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            'title = "Mine\n',
            "1: error: Illegal character '\\n' (column 14); "
            "a quoted value ends on its own line: close the quote",
        ),
        (
            "title = 'Mine'\nauthor = 'Me\n\n# the end\n",
            "2: error: Expected \"'\"; close the quote (')",
        ),
        (
            'title = "Mine"\ndescription = """Long\n\n',
            '2: error: Unterminated string; close the quote (""")',
        ),
        (
            "title = Mine\n",
            '1: error: Invalid value (column 9); put text in quotes, such as title = "My readings"',
        ),
        (
            'title = "Mine"\ntitle = "Yours"\n',
            "2: error: Cannot overwrite a value (column 16); a setting is given twice",
        ),
    ],
    ids=["open-quote", "open-single-quote", "open-triple-quote", "bare-text", "twice"],
)
def test_a_site_toml_syntax_error_names_its_line_and_how_to_mend_it(
    tmp_path: Path, cli: Run, config: str, message: str
) -> None:
    make_site(tmp_path, {**GOOD, "site.toml": config})
    result = cli("check")
    assert result.err.splitlines()[0] == f"site.toml:{message}"
    assert result.code == 2


@pytest.mark.parametrize("config", [None, 'title = "Mine"\nsite_url = "https://example.org/"\n'])
def test_a_relative_site_url_option_is_reported_as_the_option(
    tmp_path: Path, cli: Run, config: str | None
) -> None:
    make_site(tmp_path, {**GOOD, **({"site.toml": config} if config else {})})
    result = cli("build", "--site-url", "example.org")
    assert result.err.splitlines() == [
        "--site-url: error: option 'site_url' must be an absolute http(s) address such as "
        f"https://example.org/, not 'example.org'{ADDRESS_RULE}"
    ]
    assert result.code == 2
    assert not (tmp_path / "_site").exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://x.org/r/#frag",  # every page's address would follow the fragment
        "https://x.org/r/?q=1",
        "https://x.org/a b/",
        "https://x.org/r/?q=<b>",
        "https://u:p@x.org/",
        "https://x.org:99999/",
        "http://[",  # urlsplit raised: an internal error
    ],
)
def test_a_site_url_no_page_address_can_be_made_from_is_an_error(
    tmp_path: Path, cli: Run, url: str
) -> None:
    make_site(tmp_path, GOOD)
    result = cli("build", "--site-url", url)
    assert result.err.splitlines() == [
        "--site-url: error: option 'site_url' must be an absolute http(s) address such as "
        f"https://example.org/, not '{url}'{ADDRESS_RULE}"
    ]
    assert result.code == 2


def test_a_relative_site_url_in_site_toml_names_its_line(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, {**GOOD, "site.toml": 'title = "Mine"\n\nsite_url = "example.org"\n'})
    result = cli("build")
    assert result.err.splitlines() == [
        "site.toml:3: error: option 'site_url' must be an absolute http(s) address such as "
        f"https://example.org/, not 'example.org'{ADDRESS_RULE}"
    ]
    assert result.code == 2
    # A good --site-url wins over the file's.
    assert cli("build", "--site-url", "https://example.org/").code == 0


@pytest.mark.parametrize(
    ("config", "line", "message"),
    [
        (
            'title = "Mine"\n# comment\n\n\n\n\n\n[params]\ncolour = "red"\n',
            8,
            f"unknown option 'params' (known: {KNOWN_OPTIONS})",
        ),
        (
            'title = "Mine"\n\n[[menu]]\nname = "Home"\n',
            3,
            f"unknown option 'menu' (known: {KNOWN_OPTIONS})",
        ),
        (
            'title = "Mine"\nparams.colour = "red"\n',
            2,
            f"unknown option 'params' (known: {KNOWN_OPTIONS})",
        ),
        (
            '[extra]\nx = 1\n\n[ "params" . colour ]\nname = "red"\n',
            1,
            f"unknown option 'extra' (known: {KNOWN_OPTIONS})",
        ),
        # Neither a line of a multi-line string nor a key inside a table is the option.
        (
            'description = """\ntitle = "text"\n"""\n[author]\ntitle = "x"\n[title]\nx = "y"\n',
            4,
            "option 'author' must be a string",
        ),
        (
            'description = """\ntitle = "text"\n"""\n[other]\ntitle = "x"\n[title]\nx = "y"\n',
            4,
            f"unknown option 'other' (known: {KNOWN_OPTIONS})",
        ),
        (
            'description = """\ntitle = "text"\n"""\n\n[title]\nx = "y"\n',
            5,
            "option 'title' must be a string",
        ),
        ('title = "Mine"\n\n[language]\nname = "en"\n', 3, "option 'language' must be a string"),
    ],
)
def test_site_toml_errors_name_the_line_of_tables_and_dotted_keys(
    tmp_path: Path, cli: Run, config: str, line: int, message: str
) -> None:
    make_site(tmp_path, {**GOOD, "site.toml": config})
    result = cli("build")
    assert f"site.toml:{line}: error: {message}" == result.err.splitlines()[0]  # the first
    assert result.code == 2


@pytest.mark.parametrize("command", ["build", "check", "watch", "serve"])
def test_a_source_that_is_a_file_is_said_to_be_one(tmp_path: Path, cli: Run, command: str) -> None:
    (tmp_path / "seeds").write_text("not a folder", encoding="utf-8")
    result = cli(command, "--source", "seeds")
    assert result.err.splitlines() == ["seeds: error: is a file, not a folder"]
    assert result.code == 2


def test_suggest_on_a_folder_says_it_is_one(tmp_path: Path, cli: Run) -> None:
    (tmp_path / "seeds").mkdir()
    result = cli("suggest", "seeds")
    assert result.err.splitlines() == ["seeds: error: is a folder, not an article"]
    assert result.code == 2


@pytest.mark.parametrize("command", ["build", "check"])
def test_missing_source_folder_is_a_usage_error(tmp_path: Path, cli: Run, command: str) -> None:
    result = cli(command, "--source", "nowhere")
    assert result.err.splitlines() == ["nowhere: error: source folder not found"]
    assert result.code == 2
    assert list(tmp_path.iterdir()) == []


def test_unknown_command_is_a_usage_error(cli: Run) -> None:
    result = cli("publish")
    assert result.code == 2
    assert "invalid choice: 'publish'" in result.err


def test_every_problem_is_reported_not_only_the_first(tmp_path: Path, cli: Run) -> None:
    make_site(
        tmp_path,
        {
            **GOOD,
            "seeds/a-latin1.md": b"caf\xe9\n",
            "seeds/b-broken.md": "---\ntitle: x\n  bad: y\n---\nBody.\n",
            "seeds/c-orphan.notes.md": "## term\nA note.\n",
        },
    )
    result = cli("build")
    assert result.diagnostics == [
        "seeds/a-latin1.md:1: error: not valid UTF-8 (byte 0xe9); save the file as UTF-8",
        "seeds/b-broken.md:3: error: malformed front matter: mapping values are not allowed here"
        + INDENTED,
        "seeds/c-orphan.notes.md:1: error: notes file without an article: "
        "expected c-orphan.md or c-orphan.txt beside it",
    ]
    assert ", 0 warnings, 3 errors in " in result.out
    assert result.code == 1
    assert page_slugs(tmp_path / "_site") == {"good"}
    assert_good_built(tmp_path)


def test_warnings_and_errors_are_listed_by_file_and_line(tmp_path: Path, cli: Run) -> None:
    notes = "## Zeta\nnot there\n\n## Alpha\nnot there\n"
    make_site(
        tmp_path,
        {
            **GOOD,
            "seeds/m.md": "---\nb: 1\na: 2\n---\nText.\n",
            "seeds/m.notes.md": notes,
        },
    )
    result = cli("build")
    lines = [line.split(": ", 2)[0] for line in result.diagnostics]
    assert lines == ["seeds/m.md:2", "seeds/m.md:3", "seeds/m.notes.md:1", "seeds/m.notes.md:4"]
    assert result.code == 0


# check


def test_check_reports_what_build_reports_and_writes_nothing(tmp_path: Path, cli: Run) -> None:
    make_site(
        tmp_path,
        {
            **GOOD,
            "seeds/a-latin1.md": b"caf\xe9\n",
            "seeds/b-broken.md": "---\ntitle: x\n  bad: y\n---\nBody.\n",
            "seeds/c.md": "---\ncolour: red\n---\nText.\n",
            "seeds/c.notes.md": "## missing\nA note.\n",
        },
    )
    before = tree(tmp_path)
    checked = cli("check")
    assert tree(tmp_path) == before
    assert not (tmp_path / "_site").exists()
    assert checked.code == 1
    assert checked.out.startswith("checked 2 pages, 1 note, 2 warnings, 2 errors in ")

    built = cli("build")
    assert len(checked.diagnostics) == 4
    assert checked.diagnostics == built.diagnostics
    assert built.code == checked.code


@pytest.mark.parametrize(("strict", "code"), [(False, 0), (True, 1)])
def test_check_strict_fails_on_warnings(tmp_path: Path, cli: Run, strict: bool, code: int) -> None:
    make_site(tmp_path, {**GOOD, "seeds/c.md": "---\ncolour: red\n---\nText.\n"})
    result = cli("check", *(["--strict"] if strict else []))
    assert result.diagnostics == [
        f"seeds/c.md:2: warning: unknown front-matter key 'colour' (known: {KNOWN_KEYS}); ignored"
    ]
    assert result.code == code
    assert not (tmp_path / "_site").exists()


def test_check_of_a_clean_site_exits_0(tmp_path: Path, cli: Run) -> None:
    make_site(tmp_path, GOOD)
    result = cli("check", "--source", "seeds")
    assert result.code == 0
    assert result.err == ""
    assert result.out.startswith("checked 1 page, 1 note, 0 warnings, 0 errors in ")
    assert not (tmp_path / "_site").exists()


# new


def test_new_makes_a_site_that_builds_cleanly(tmp_path: Path, cli: Run) -> None:
    result = cli("new", "mysite")
    assert result.code == 0
    assert "site-builder build --source mysite/seeds" in result.out
    assert (tmp_path / "mysite" / "site.toml").is_file()

    built = cli("build", "--source", "mysite/seeds", "--strict")
    assert built.err == ""
    assert built.code == 0
    site = tmp_path / "mysite" / "_site"
    assert page_slugs(site) == {"welcome"}
    page = (site / "welcome" / "index.html").read_text(encoding="utf-8")
    assert page.count("data-note=") >= 2


def test_new_accepts_an_existing_empty_folder(tmp_path: Path, cli: Run) -> None:
    (tmp_path / "empty").mkdir()
    assert cli("new", "empty").code == 0
    assert (tmp_path / "empty" / "seeds" / "welcome.md").is_file()


@pytest.mark.parametrize("existing", ["folder", "file"])
def test_new_refuses_a_non_empty_folder_or_a_file(tmp_path: Path, cli: Run, existing: str) -> None:
    if existing == "folder":
        make_site(tmp_path / "taken", {"notes.txt": "mine"})
    else:
        (tmp_path / "taken").write_text("mine", encoding="utf-8")
    before = tree(tmp_path)
    result = cli("new", "taken")
    said = "already exists and is not empty" if existing == "folder" else "is a file, not a folder"
    assert result.err.splitlines() == [f"taken: error: {said}"]
    assert result.code == 2
    assert tree(tmp_path) == before


def test_new_says_how_to_build_in_words_a_shell_takes(tmp_path: Path, cli: Run) -> None:
    result = cli("new", "my site")
    assert result.code == 0
    assert "  site-builder build --source 'my site/seeds'" in result.out.splitlines()


# The real entry points, once each.


def _environment() -> dict[str, str]:
    return {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}


def test_python_dash_m_site_builder_builds(tmp_path: Path) -> None:
    make_site(tmp_path, {**GOOD, "seeds/c.md": "---\ncolour: red\n---\nText.\n"})
    done = subprocess.run(
        [sys.executable, "-m", "site_builder", "build", "--strict"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=_environment(),
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"seeds/c.md:2: warning: unknown front-matter key 'colour' (known: {KNOWN_KEYS}); ignored"
    ]
    assert done.stdout.startswith("built 2 pages, 1 note, 1 warning, 0 errors in ")
    assert page_slugs(tmp_path / "_site") == {"c", "good"}


def test_console_script_builds(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "site-builder"
    assert script.is_file(), "the package is not installed with its console script"
    make_site(tmp_path, GOOD)
    done = subprocess.run(
        [str(script), "build", "--out", "www"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=_environment(),
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith("built 1 page, 1 note, 0 warnings, 0 errors in ")
    assert done.stdout.splitlines()[0].endswith("-> www")
    assert (tmp_path / "www" / "good" / "index.html").is_file()
    assert not (tmp_path / "_site").exists()


def test_a_toml_escape_cannot_bring_a_control_character_into_a_setting(
    tmp_path: Path, cli: Run
) -> None:
    make_site(tmp_path, {**GOOD, "site.toml": 'title = "Bell \\u0007"\n'})
    result = cli("build")
    assert result.code == 2
    assert result.err.splitlines() == [
        "site.toml:1: error: option 'title' holds control character U+0007"
    ]


def test_a_reader_that_stops_reading_is_no_error(tmp_path: Path) -> None:
    # `site-builder build | head -1`: the summary's second line meets a closed pipe.
    make_site(tmp_path, GOOD)
    build = subprocess.Popen(
        [sys.executable, "-m", "site_builder", "build"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_environment(),
    )
    assert build.stdout is not None and build.stderr is not None
    build.stdout.close()  # before a word is read
    errors = build.stderr.read().decode()
    assert build.wait(timeout=120) == 0, errors
    assert "error" not in errors
    assert (tmp_path / "_site" / "good" / "index.html").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("serve", "--port", "99999"),
            "argument --port: expected a port from 0 to 65535, not '99999'",
        ),
        (("serve", "--port", "-1"), "argument --port: expected a port from 0 to 65535, not '-1'"),
        (
            ("build", "--jobs", "0"),
            "argument --jobs: expected a whole number of 1 or more, not '0'",
        ),
    ],
)
def test_an_option_out_of_range_is_a_usage_error(
    cli: Run, args: tuple[str, ...], message: str
) -> None:
    # An out-of-range port reached bind() and was reported as an internal error.
    result = cli(*args)
    assert result.code == 2
    assert result.err.splitlines()[-1].endswith(f"error: {message}")


def test_a_reader_that_goes_away_changes_neither_the_work_nor_the_exit_status(
    tmp_path: Path,
) -> None:
    # `check --strict 2>&1 | head -1` exited 0 at the first write to the closed pipe:
    # the build stopped halfway, and its warnings were as good as hidden.
    notes = "".join(f"## nowhere {n}\nA term no article holds.\n\n" for n in range(3000))
    make_site(tmp_path, {**GOOD, "seeds/good.notes.md": GOOD["seeds/good.notes.md"] + notes})
    command = [sys.executable, "-m", "site_builder", "check", "--strict"]
    done = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert done.stdout is not None
    assert done.stdout.readline()  # more than a pipe holds follows
    done.stdout.close()
    assert done.wait(timeout=120) == 1


# Ctrl-C as the command's modules load: the child signals itself once it starts loading
# site.py, as a key pressed a tenth of a second after the command was typed would.
INTERRUPTED_WHILE_LOADING = """
import importlib.abc, os, signal, sys

class Interrupt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "site_builder.site":
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, Interrupt())
sys.argv = ["site-builder", *sys.argv[1:]]
import runpy
runpy.run_module("site_builder", run_name="__main__")
"""


@pytest.mark.parametrize(("command", "code"), [("build", 130), ("watch", 0)])
def test_ctrl_c_while_the_modules_load_stops_without_a_traceback(
    tmp_path: Path, command: str, code: int
) -> None:
    make_site(tmp_path, GOOD)
    done = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_WHILE_LOADING, command],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (code, "stopped\n")
    assert not (tmp_path / "_site").exists()
