"""YAML front matter: split it off a document and read it as plain strings.

Values are never typed implicitly (`title: no` stays the text "no", a date stays
the text the editor wrote), and every key keeps its line for messages.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

FENCE = "---"
CLOSERS = ("---", "...")


@dataclass(frozen=True)
class Field:
    value: str
    line: int


@dataclass(frozen=True)
class FrontMatter:
    fields: dict[str, Field]
    body: str
    body_line: int  # 1-based line of the body's first line in the file
    problems: tuple[tuple[int, str], ...] = ()  # (line, message) for malformed front matter

    def get(self, key: str) -> str | None:
        found = self.fields.get(key)
        return found.value if found else None


def split_front_matter(text: str) -> FrontMatter:
    """Separate `---` front matter from the body; a document without it has none."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return FrontMatter({}, text, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in CLOSERS:
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            try:
                fields, problems = _parse(yaml_text, first_line=2)
            except RecursionError:  # PyYAML composes nested blocks by recursion
                fields, problems = {}, ((2, "malformed front matter: nested too deeply"),)
            return FrontMatter(fields, body, index + 2, problems)
    return FrontMatter({}, text, 1, ((1, "front matter opened with '---' is never closed"),))


def _parse(yaml_text: str, first_line: int) -> tuple[dict[str, Field], tuple[tuple[int, str], ...]]:
    try:
        node = yaml.compose(yaml_text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        context, opened = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if mark and opened and context and mark.index >= len(yaml_text):
            # Hitting the end means something was never closed: point at where it opened.
            mark, reason = opened, f"{reason} {context}"
        line = first_line + (mark.line if mark else 0)
        return {}, ((line, f"malformed front matter: {reason}"),)
    if node is None:
        return {}, ()
    if not isinstance(node, yaml.MappingNode):
        return {}, ((first_line, "front matter must be 'key: value' lines"),)
    fields: dict[str, Field] = {}
    problems: list[tuple[int, str]] = []
    for key_node, value_node in node.value:
        line = first_line + key_node.start_mark.line
        key = str(key_node.value)
        if not isinstance(value_node, yaml.ScalarNode):
            problems.append((line, f"front matter '{key}' must be text, not a list or mapping"))
        elif key in fields:
            problems.append(
                (line, f"front matter '{key}' is set twice (first on line {fields[key].line})")
            )
        else:
            fields[key] = Field(str(value_node.value).strip(), line)
    return fields, tuple(problems)
