"""Tests for YAML front matter: plain-string values, lines, and malformed input."""

from __future__ import annotations

import pytest

from site_builder.frontmatter import Field, FrontMatter, split_front_matter

# Line endings are the reader's job (reading.read_text gives "\n" only), so every
# input here already uses "\n".


def values(front: FrontMatter) -> dict[str, str]:
    return {key: field.value for key, field in front.fields.items()}


def test_fields_body_and_lines() -> None:
    front = split_front_matter("---\ntitle: Mars\nauthor: A. Writer\n---\nBody line.\n")
    assert front == FrontMatter(
        {"title": Field("Mars", 2), "author": Field("A. Writer", 3)}, "Body line.\n", 5
    )
    assert front.get("title") == "Mars"
    assert front.get("missing") is None


def test_no_front_matter_leaves_the_text_whole() -> None:
    text = "# Title\n\n---\ntitle: not front matter\n---\n"
    assert split_front_matter(text) == FrontMatter({}, text, 1)


@pytest.mark.parametrize("text", ["", "\n", "Body only", " ---\ntitle: x\n---\n"])
def test_text_not_opening_with_a_fence_has_no_front_matter(text: str) -> None:
    assert split_front_matter(text) == FrontMatter({}, text, 1)


@pytest.mark.parametrize(
    ("yaml_line", "value"),
    [
        ("title: no", "no"),
        ("title: yes", "yes"),
        ("title: off", "off"),
        ("title: true", "true"),
        ("title: null", "null"),
        ("title: ~", "~"),
        ("title: 1.50", "1.50"),
        ("title: 0o17", "0o17"),
        ("title: 007", "007"),
        ("title: 2024-03-05", "2024-03-05"),
        ("title: 2024-03-05T10:00:00Z", "2024-03-05T10:00:00Z"),
        ("title: 5 March 2024", "5 March 2024"),
        ("title: 'quoted: colon'", "quoted: colon"),
        ('title: "Mars & <Venus>"', "Mars & <Venus>"),
        ("title:   padded   ", "padded"),
        ("title:", ""),
        ("title: |\n  two\n  lines", "two\nlines"),
    ],
)
def test_values_are_never_typed(yaml_line: str, value: str) -> None:
    front = split_front_matter(f"---\n{yaml_line}\n---\n")
    assert front.problems == ()
    assert front.get("title") == value
    assert isinstance(front.get("title"), str)


@pytest.mark.parametrize("date", ["2024-03-05", "2024-3-5", "March 2024"])
def test_dates_stay_as_written(date: str) -> None:
    assert split_front_matter(f"---\ndate: {date}\n---\n").fields == {"date": Field(date, 2)}


@pytest.mark.parametrize(
    ("text", "body", "body_line"),
    [
        ("---\n---\nBody", "Body", 3),
        ("---\ntitle: x\n...\nBody", "Body", 4),
        ("---  \ntitle: x\n---\t\nBody", "Body", 4),
        ("---\ntitle: x\n---", "", 4),
        ("---\n\n\ntitle: x\n\n---\n\nBody", "\nBody", 7),
    ],
)
def test_fences_and_body_line(text: str, body: str, body_line: int) -> None:
    front = split_front_matter(text)
    assert front.problems == ()
    assert (front.body, front.body_line) == (body, body_line)


def test_empty_front_matter_has_no_fields() -> None:
    front = split_front_matter("---\n# only a comment\n---\nBody")
    assert front.fields == {}
    assert front.problems == ()


def test_key_lines_count_from_the_file_start() -> None:
    front = split_front_matter("---\n# comment\n\ntitle: x\n\nslug: y\n---\n")
    assert front.fields == {"title": Field("x", 4), "slug": Field("y", 6)}


def test_unclosed_front_matter_is_a_problem_on_line_1() -> None:
    text = "---\ntitle: Mars\n\nBody text.\n"
    front = split_front_matter(text)
    assert front.problems == ((1, "front matter opened with '---' is never closed"),)
    assert front.fields == {}
    assert (front.body, front.body_line) == (text, 1)


INDENTED = (
    "; an indented line goes on with the value above it: start each key at the beginning "
    "of its line"
)


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (
            "---\ntitle: ok\nbad: a: b\n---\n",
            3,
            'mapping values are not allowed here; put the value in quotes: bad: "a: b"',
        ),
        (
            "---\ntitle: ok\n\tslug: x\n---\n",
            3,
            "found character '\\t' that cannot start any token; indent with spaces, not tabs",
        ),
        (
            "---\ntitle: ok\nslug: x\n  bad: y\n---\n",
            4,
            "mapping values are not allowed here" + INDENTED,
        ),
        (
            '---\ntitle: ok\nsummary: "never closed\nslug: x\n---\n',
            3,
            "found unexpected end of stream while scanning a quoted scalar; "
            'close the quote: summary: "never closed"',
        ),
    ],
)
def test_malformed_yaml_reports_the_file_line(text: str, line: int, reason: str) -> None:
    front = split_front_matter(text)
    assert front.problems == ((line, f"malformed front matter: {reason}"),)
    assert front.fields == {}


@pytest.mark.parametrize("yaml_text", ["- a\n- b", "just a sentence", "'quoted'"])
def test_front_matter_that_is_not_a_mapping(yaml_text: str) -> None:
    front = split_front_matter(f"---\n{yaml_text}\n---\nBody")
    assert front.problems == ((2, "front matter must be 'key: value' lines"),)
    assert front.fields == {}
    assert front.body == "Body"


@pytest.mark.parametrize(
    "value",
    ["[a, b]", "\n  - a\n  - b", "{a: 1}", "\n  nested: x"],
    ids=["flow", "block", "map", "nested"],
)
def test_list_and_mapping_values_are_rejected(value: str) -> None:
    front = split_front_matter(f"---\ntitle: Mars\nauthor: {value}\nslug: mars\n---\n")
    assert front.problems == ((3, "front matter 'author' must be text, not a list or mapping"),)
    assert values(front) == {"title": "Mars", "slug": "mars"}


@pytest.mark.parametrize(
    ("value", "items"),
    [
        ("[space, physics]", ("space", "physics")),
        ("\n  - space\n  - physics", ("space", "physics")),
        ("['war, peace', ' 42 ', '']", ("war, peace", "42")),
        ("[yes, no, 1.0]", ("yes", "no", "1.0")),  # still never typed
        ("[]", ()),
    ],
    ids=["flow", "block", "quoted", "untyped", "empty"],
)
def test_tags_may_be_a_list_of_text(value: str, items: tuple[str, ...]) -> None:
    front = split_front_matter(f"---\ntitle: Mars\ntags: {value}\nslug: mars\n---\n")
    assert front.problems == ()
    assert front.fields["tags"] == Field(", ".join(items), 3, items)
    assert values(front) == {"title": "Mars", "tags": ", ".join(items), "slug": "mars"}


def test_tags_as_text_stay_text() -> None:
    front = split_front_matter("---\ntags: space, physics\n---\n")
    assert front.fields == {"tags": Field("space, physics", 2)}


@pytest.mark.parametrize("value", ["{a: 1}", "[[a, b]]", "[a, {b: c}]", "\n  nested: x"])
def test_tags_that_are_not_text_or_a_list_of_text(value: str) -> None:
    front = split_front_matter(f"---\ntitle: Mars\ntags: {value}\n---\n")
    assert front.problems == ((3, "front matter 'tags' must be text or a list of text"),)
    assert values(front) == {"title": "Mars"}


def test_no_key_may_hold_a_list_unless_named() -> None:
    front = split_front_matter("---\ntags: [a]\n---\n", lists=())
    assert front.problems == ((2, "front matter 'tags' must be text, not a list or mapping"),)


def test_duplicate_keys_keep_the_first_and_report_the_second() -> None:
    front = split_front_matter("---\ntitle: First\nslug: s\ntitle: Second\ntitle: Third\n---\n")
    assert front.problems == (
        (4, "front matter 'title' is set twice (first on line 2)"),
        (5, "front matter 'title' is set twice (first on line 2)"),
    )
    assert values(front) == {"title": "First", "slug": "s"}


def test_every_problem_is_reported() -> None:
    front = split_front_matter("---\nauthor: [a]\ntitle: a\ntitle: b\nx: {y: 1}\n---\n")
    assert [line for line, _ in front.problems] == [2, 4, 5]


# Hints for the YAML mistakes editors make, at the line that has the mistake.


@pytest.mark.parametrize(
    ("yaml_text", "line", "message"),
    [
        (
            "title: Orbits: a guide",
            2,
            "malformed front matter: mapping values are not allowed here; "
            'put the value in quotes: title: "Orbits: a guide"',
        ),
        (
            "author: A. Writer\ntitle: C:\\path: a guide",
            3,
            "malformed front matter: mapping values are not allowed here; "
            "put the value in quotes: title: 'C:\\path: a guide'",
        ),
        (
            "title: [Draft] Orbits",
            2,
            "malformed front matter: expected <block end>, but found '<scalar>'; "
            'put the value in quotes: title: "[Draft] Orbits"',
        ),
        (
            'title: "Orbits" a guide',
            2,
            "malformed front matter: expected <block end>, but found '<scalar>'; "
            "put the value in quotes: title: '\"Orbits\" a guide'",
        ),
        (
            "title: 'it's' a guide",
            2,
            "malformed front matter: expected <block end>, but found '<scalar>'; "
            "put the value in quotes: title: \"'it's' a guide\"",
        ),
        (
            "author: @writer",
            2,
            "malformed front matter: found character '@' that cannot start any token; "
            'put the value in quotes: author: "@writer"',
        ),
        (
            "title: *Orbits* briefly",
            2,
            "malformed front matter: expected alphabetic or numeric character, but found '*'; "
            'put the value in quotes: title: "*Orbits* briefly"',
        ),
        (
            "title: *bold",
            2,
            "malformed front matter: found undefined alias 'bold'; "
            'put the value in quotes: title: "*bold"',
        ),
        (
            "summary: - a list?",
            2,
            "malformed front matter: sequence entries are not allowed here; "
            'put the value in quotes: summary: "- a list?"',
        ),
        (
            "title:Orbits\nauthor: A. Writer",
            2,
            "malformed front matter: mapping values are not allowed here; "
            "put a space after the colon: title: Orbits",
        ),
        (
            "title: Orbits\nauthor A. Writer\nslug: orbits",
            3,
            "malformed front matter: could not find expected ':'; write each line as 'key: value'",
        ),
        (
            "title: Orbits\ntags: [space, physics",
            3,
            "malformed front matter: expected ',' or ']', but got '<stream end>' while parsing "
            "a flow sequence; close the list: tags: [space, physics]",
        ),
        (
            "\ntitle:Orbits",
            3,
            "front matter must be 'key: value' lines; put a space after the colon: title: Orbits",
        ),
    ],
)
def test_common_yaml_mistakes_carry_a_hint(yaml_text: str, line: int, message: str) -> None:
    front = split_front_matter(f"---\n{yaml_text}\n---\nBody.\n")
    assert front.problems == ((line, message),)


def test_a_yaml_escape_cannot_bring_a_control_character_in() -> None:
    front = split_front_matter('---\ntitle: "Bell \\x07 here"\nsummary: "tab\\tok"\n---\nText.\n')
    assert front.problems == ((2, "front matter 'title' holds control character U+0007"),)
    assert front.get("summary") == "tab\tok"
