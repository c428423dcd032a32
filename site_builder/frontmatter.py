"""YAML front matter: split it off a document and read it as plain strings.

Values are never typed implicitly (`title: no` stays the text "no", a date stays
the text the editor wrote), and every key keeps its line for messages. Only the
keys a caller names may hold a list (`tags: [space, physics]`), of plain strings too.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

import yaml

from .reading import CONTROL

FENCE = "---"
CLOSERS = ("---", "...")
FAST_LOADER = getattr(yaml, "CBaseLoader", None)  # libyaml's, when PyYAML was built with it
LISTS = ("tags",)  # the keys that may hold a list
# `key: value` and `key:value` lines, for hints; values are stripped in code, as a pattern
# that strips them, `(.*?)\s*$`, takes quadratic time on a long run of blanks inside one.
KEY_VALUE = re.compile(r"(?P<key>[A-Za-z_][\w-]*)\s*:\s+(?P<value>\S.*)")
NO_SPACE = re.compile(r"(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s:].*)")
# Problems PyYAML reports when a plain value holds or starts with YAML's own punctuation.
NEEDS_QUOTES = (
    "mapping values are not allowed here",
    "cannot start any token",
    "expected <block end>, but found",
    "sequence entries are not allowed here",
    "mapping keys are not allowed here",
    "while scanning an alias",
    "found undefined alias",
    "while scanning an anchor",
    "while scanning a block scalar",
)


@dataclass(frozen=True)
class Field:
    value: str  # a list's items joined with ", "
    line: int
    items: tuple[str, ...] | None = None  # a list's items; None for text


@dataclass(frozen=True)
class FrontMatter:
    fields: dict[str, Field]
    body: str
    body_line: int  # 1-based line of the body's first line in the file
    problems: tuple[tuple[int, str], ...] = ()  # (line, message) for malformed front matter

    def get(self, key: str) -> str | None:
        found = self.fields.get(key)
        return found.value if found else None


def split_front_matter(text: str, lists: Collection[str] = LISTS) -> FrontMatter:
    """Separate `---` front matter from the body; a document without it has none.

    The keys in `lists` may hold a list of text as well as text."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return FrontMatter({}, text, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in CLOSERS:
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            try:
                fields, problems = _parse(yaml_text, 2, lists)
            except RecursionError:  # PyYAML composes nested blocks by recursion
                fields, problems = {}, ((2, "malformed front matter: nested too deeply"),)
            return FrontMatter(fields, body, index + 2, problems)
    return FrontMatter({}, text, 1, ((1, "front matter opened with '---' is never closed"),))


def _parse(
    yaml_text: str, first_line: int, lists: Collection[str]
) -> tuple[dict[str, Field], tuple[tuple[int, str], ...]]:
    try:
        node = _compose(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        context, opened = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if mark and opened and context and mark.index >= len(yaml_text):
            # Hitting the end means something was never closed: point at where it opened.
            mark, reason = opened, f"{reason} {context}"
        elif opened and context == "while scanning a simple key":
            mark = opened  # the line that lacks its colon, not the one after it
        lines = yaml_text.split("\n")
        index = mark.line if mark else 0
        hint, index = _hint(f"{reason} {context or ''}", lines, index)
        return {}, ((first_line + index, f"malformed front matter: {reason}{hint}"),)
    if node is None:
        return {}, ()
    if not isinstance(node, yaml.MappingNode):
        glued = _glued(yaml_text.split("\n")[node.start_mark.line])
        hint = f"; put a space after the colon: {glued[0]}: {glued[1]}" if glued else ""
        return {}, (
            (first_line + node.start_mark.line, f"front matter must be 'key: value' lines{hint}"),
        )
    fields: dict[str, Field] = {}
    problems: list[tuple[int, str]] = []
    for key_node, value_node in node.value:
        line = first_line + key_node.start_mark.line
        key = str(key_node.value)
        items = _items(value_node) if key in lists else None
        if not isinstance(value_node, yaml.ScalarNode) and items is None:
            kind = "text or a list of text" if key in lists else "text, not a list or mapping"
            problems.append((line, f"front matter '{key}' must be {kind}"))
        elif key in fields:
            problems.append(
                (line, f"front matter '{key}' is set twice (first on line {fields[key].line})")
            )
        elif control := CONTROL.search(
            text := str(value_node.value) if items is None else "".join(items)
        ):
            # YAML escapes ("\x07") can write what the file does not hold: refused as in text.
            code = ord(control.group())
            problems.append((line, f"front matter '{key}' holds control character U+{code:04X}"))
        elif items is not None:
            fields[key] = Field(", ".join(items), line, items)
        else:
            fields[key] = Field(text.strip(), line)
    return fields, tuple(problems)


def _compose(yaml_text: str) -> yaml.Node | None:
    """The YAML's node tree: by libyaml where PyYAML has it (a tenth of the time), and by
    PyYAML's own reader when that finds a problem, for its fuller messages, or when the
    text holds a BOM, which libyaml reads otherwise. Where PyYAML's reader reads a text,
    this gives its tree (a property test); libyaml also reads a few that it refuses (a
    tab after `key:`, `[Mars?]`), and PyYAML's wheels and Debian's package carry it."""
    if FAST_LOADER is not None and "\ufeff" not in yaml_text:
        try:
            return yaml.compose(yaml_text, Loader=FAST_LOADER)
        except yaml.YAMLError:
            pass
    return yaml.compose(yaml_text, Loader=yaml.BaseLoader)


def _items(node: yaml.Node) -> tuple[str, ...] | None:
    """A list of text's items, stripped and without empty ones; None for anything else."""
    if not isinstance(node, yaml.SequenceNode):
        return None
    if not all(isinstance(item, yaml.ScalarNode) for item in node.value):
        return None
    return tuple(text for item in node.value if (text := str(item.value).strip()))


def _hint(problem: str, lines: list[str], index: int) -> tuple[str, int]:
    """How to fix a YAML error, for the mistakes editors make, and the line to name."""
    line = lines[index] if index < len(lines) else ""
    before = lines[index - 1] if 0 < index <= len(lines) else ""
    if "'\\t'" in problem:
        return "; indent with spaces, not tabs", index
    if "could not find expected ':'" in problem:
        return "; write each line as 'key: value'", index
    if "mapping values are not allowed here" in problem and (glued := _glued(before)):
        # `title:Orbits` reads as text running on to the next line's key.
        return f"; put a space after the colon: {glued[0]}: {glued[1]}", index - 1
    if line[:1].isspace() and "mapping values are not allowed here" in problem:
        return (
            "; an indented line goes on with the value above it: start each key at the "
            "beginning of its line",
            index,
        )
    pair = KEY_VALUE.match(line)
    if pair is None:
        return "", index
    value = pair["value"].rstrip()
    if "while scanning a quoted scalar" in problem:
        return f"; close the quote: {pair['key']}: {value}{value[0]}", index
    if "while parsing a flow sequence" in problem and "]" not in value:
        return f"; close the list: {pair['key']}: {value}]", index
    if any(sign in problem for sign in NEEDS_QUOTES):
        return f"; put the value in quotes: {pair['key']}: {_quoted(value)}", index
    return "", index


def _glued(line: str) -> tuple[str, str] | None:
    """The key and value of a `key:value` line (no space after the colon), or None."""
    glued = NO_SPACE.match(line)
    return (glued["key"], glued["value"].rstrip()) if glued else None


def _quoted(value: str) -> str:
    """A YAML value in quotes: double ones unless it holds some, then single ones."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"
