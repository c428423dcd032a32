"""Notes files: one `## term` section per note, with optional field lines.

```markdown
## Tianwen-3
aliases: Tianwen 3, TW-3
at: every

China's planned Mars sample-return mission...
```

Field lines sit directly under the heading, one per line, before the body:
`aliases:` other spellings, comma separated ("double quotes" keep a comma in one);
`at:` which occurrence carries the note: `first` (the default), `every`, a number
(`2` or `2nd`: the Nth occurrence), or `near WORDS` (the first occurrence within
ten words of WORDS).

Any other line there that reads like a field, one lower-case word, a colon and a
short value (`alias: drone ship`), is taken for a misspelt field: warned about and
left out of the note. Prose stays prose: "Note: the launch slipped." starts with a
capital, "note: it slipped a week after the test went wrong." ends a sentence, and
`note\\: text` escapes the colon.
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .diagnostics import Diagnostics
from .frontmatter import FrontMatter, split_front_matter
from .matching import term_key
from .nesting import TOO_DEEP, nesting_plugin, too_deep

FIELDS = ("aliases", "at")
# Field lines: a name, a colon, the rest of the line (stripped in code: a pattern that
# strips it, `(.*?)\s*$`, takes quadratic time on a long run of blanks inside the value).
FIELD = re.compile(rf"({'|'.join(FIELDS)})\s*:(.*)", re.IGNORECASE)
# A line that reads like a field but names none: one lower-case word, a colon and a short
# value that does not end a sentence. `https://...` has no space after its colon.
FIELD_LIKE = re.compile(r"([a-z]+(?:[-_][a-z]+)*)\s*:(.*)")
FIELD_LIKE_VALUE = 60  # characters; prose runs longer
NTH = re.compile(r"^(\d+)(?:st|nd|rd|th)?$", re.IGNORECASE)
NEAR_WINDOW = 10  # words either side that `at: near` looks at
# A heading with nothing under it: a note still to write (`site-builder suggest --write`).
EMPTY = "the note for '{term}' has no text yet: write it under its heading"

# The notes file's blocks: where each `## term` heading is. Paragraphs are read as
# inline markdown only when a note is rendered; here only the headings' text is.
_blocks = MarkdownIt("commonmark").use(nesting_plugin).disable("inline")


@dataclass(frozen=True)
class Placement:
    """Which occurrences of a term carry its note."""

    kind: Literal["first", "every", "nth", "near"] = "first"
    nth: int = 1
    near: str = ""
    # The `at:` line as written, and its line in the file (0: none), for messages.
    written: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Note:
    """An editor's note on a term."""

    term: str
    aliases: tuple[str, ...]
    placement: Placement
    body: str  # markdown
    path: Path
    line: int  # line of the `##` heading
    glossary: bool = False
    body_line: int = field(default=0, compare=False)  # line of the body's first line
    footnote: bool = False  # a footnote of the article: `term` is its number

    def __hash__(self) -> int:
        # Equal notes have the same term and line: the generated hash of every field took
        # a fifth of gathering a large site's terms (notes key the bodies shown).
        return hash((self.term, self.line))

    @cached_property
    def key(self) -> str:
        return term_key(self.term)

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


@dataclass(frozen=True)
class NotesFile:
    path: Path
    front_matter: FrontMatter
    notes: tuple[Note, ...]
    # Lines of field lines that could not be read: where their notes go is unknown, so the
    # article's page keeps its last good output (a glossary leaves such a note out).
    broken_fields: tuple[int, ...] = ()

    @property
    def written(self) -> tuple[Note, ...]:
        """The notes that have text: those a page shows (the others are errors)."""
        return tuple(note for note in self.notes if note.body.strip())


def parse_notes(
    path: Path, text: str, diagnostics: Diagnostics, glossary: bool = False
) -> NotesFile:
    """Read a notes file into its front matter and notes, reporting every problem."""
    front = split_front_matter(text)
    for line, message in front.problems:
        diagnostics.error(path, line, message)
    lines = front.body.split("\n")
    env: dict[str, object] = {}
    tokens = _blocks.parse(front.body, env)
    headings = [
        (token.map[0], _heading_text(tokens, index))
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and token.markup == "##" and token.level == 0 and token.map
    ]
    first = headings[0][0] if headings else len(lines)
    if any(_is_stray(line) for line in lines[:first]):
        line = next(i for i, text in enumerate(lines[:first]) if _is_stray(text))
        diagnostics.warning(
            path,
            front.body_line + line,
            "text before the first '## term' heading belongs to no note; ignored",
        )
    notes: list[Note] = []
    broken: list[int] = []
    seen: dict[str, tuple[str, int]] = {}
    deep = too_deep(env)
    for line in deep:  # text markdown would lose: the page keeps its last good output
        diagnostics.error(path, front.body_line + line, TOO_DEEP + _consequence(glossary))
        broken.append(front.body_line + line)
    for number, (start, term) in enumerate(headings):
        end = headings[number + 1][0] if number + 1 < len(headings) else len(lines)
        line = front.body_line + start
        note = _section(path, line, term, lines[start + 1 : end], diagnostics, glossary, broken)
        if note is None or (glossary and any(start <= lost < end for lost in deep)):
            continue
        clash = next((seen[key] for key in map(term_key, note.spellings) if key in seen), None)
        if clash is not None:
            diagnostics.error(
                path,
                line,
                f"duplicate term '{term}': '{clash[0]}' is already "
                f"noted on line {clash[1]}; this note is left out",
            )
            continue
        for spelling in note.spellings:
            seen[term_key(spelling)] = (spelling, line)
        notes.append(note)
    return NotesFile(path, front, tuple(notes), tuple(broken))


def _section(
    path: Path,
    line: int,
    term: str,
    body: list[str],
    diagnostics: Diagnostics,
    glossary: bool,
    broken: list[int],
) -> Note | None:
    """One note from its heading and the lines under it; lines of unreadable fields go
    to `broken`."""
    if not term_key(term):
        diagnostics.error(path, line, "a '##' heading names no term; this note is left out")
        return None
    aliases: tuple[str, ...] = ()
    placement = Placement()
    set_fields: set[str] = set()
    unread = len(broken)
    index = 0
    while index < len(body) and not body[index].strip():
        index += 1
    while index < len(body) and (field := _field(body[index])):
        name, value = field
        field_line = line + 1 + index
        if name not in FIELDS:
            diagnostics.warning(path, field_line, _unknown_field(name))
        elif name in set_fields:
            diagnostics.error(
                path, field_line, f"'{name}:' is given twice for '{term}'{_consequence(glossary)}"
            )
            broken.append(field_line)
        elif name == "aliases":
            aliases = tuple(
                a.strip() for a in next(csv.reader([value], skipinitialspace=True)) if term_key(a)
            )
        else:
            parsed = parse_placement(value)
            if parsed is None:
                diagnostics.error(
                    path,
                    field_line,
                    f"'at: {value}' is not one of: first, every, a number such as 2, "
                    f"near WORDS{_consequence(glossary)}",
                )
                broken.append(field_line)
            else:
                placement = replace(parsed, written=value, line=field_line)
        set_fields.add(name)
        index += 1
    while index < len(body) and not body[index].strip():
        index += 1
    text = "\n".join(body[index:]).strip("\n")
    if not text.strip():
        diagnostics.error(path, line, f"{EMPTY.format(term=term)}{_consequence(glossary, True)}")
    if glossary and len(broken) > unread:
        return None
    return Note(term, aliases, placement, text, path, line, glossary, line + 1 + index)


def _consequence(glossary: bool, empty: bool = False) -> str:
    """What an unreadable field line costs: the glossary note, or the article's new page;
    what an empty note costs: only itself."""
    if empty:
        return "; until then it is left out" + ("" if glossary else " of the page")
    return "; this note is left out" if glossary else "; the page keeps its last good output"


def _field(line: str) -> tuple[str, str] | None:
    """A field line's name and value: a known field, or a line that reads like one."""
    if known := FIELD.match(line):
        return known.group(1).lower(), known.group(2).strip()
    like = FIELD_LIKE.match(line)
    rest = like.group(2) if like else ""
    if like is None or (rest and not rest[0].isspace()):
        return None  # no colon, or text right after it
    value = rest.strip()
    if len(value) <= FIELD_LIKE_VALUE and not value.endswith((".", "!", "?")):
        return like.group(1), value
    return None


def _unknown_field(name: str) -> str:
    close = difflib.get_close_matches(name, FIELDS, n=1)
    fix = f"did you mean '{close[0]}:'?" if close else f"if it is text, write '{name}\\:'"
    return f"unknown field '{name}:' (known: {', '.join(FIELDS)}), left out of the note; {fix}"


def parse_placement(value: str) -> Placement | None:
    """Read the value of an `at:` line; None when it means nothing."""
    words = value.strip().split(None, 1)
    if not words:
        return None
    head = words[0].lower()
    if head in ("first", "every") and len(words) == 1:
        return Placement(head)  # type: ignore[arg-type]
    if (nth := NTH.match(value.strip())) and int(nth.group(1)) >= 1:
        return Placement("nth", nth=int(nth.group(1)))
    if head == "near" and len(words) == 2 and term_key(words[1].strip("\"'“”")):
        return Placement("near", near=words[1].strip("\"'“”"))
    return None


def _heading_text(tokens: Sequence[Token], index: int) -> str:
    """A heading's text, its inline markup (`*emphasis*`, `` `code` ``) read and left out."""
    children: list[Token] = []
    _blocks.inline.parse(tokens[index + 1].content, _blocks, {}, children)
    return "".join(child.content for child in children).strip()


def _is_stray(line: str) -> bool:
    """Prose before the first note; a `# Title` line is allowed there."""
    return bool(line.strip()) and not line.startswith("# ")
