"""Markdown nested deeper than the parser reads: an error at its line, never text lost.

markdown-it stops reading blocks nested deeper than its `maxNesting` option
(every blockquote, list, list item and paragraph is a level) and drops the rest
of the enclosing block without a word. The parsers here read MAX_NESTING levels,
far more than a person writes, and `nesting_plugin` records each line where the
parser gives up, so whatever it would drop is an error at that line.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.parser_block import ParserBlock
from markdown_it.rules_block import StateBlock

from .diagnostics import Diagnostic, Diagnostics

MAX_NESTING = 100  # levels; markdown-it's CommonMark preset reads 20 (lists nested 10 deep)
ENV_KEY = "too_deep"
TOO_DEEP = (
    f"blockquotes and lists nested too deeply (the limit is {MAX_NESTING} levels, "
    "a list item counting as two): the text from here on would be lost; nest it less deeply"
)


class _GuardedBlocks(ParserBlock):
    """The block parser, noting in the env each line whose text it would drop."""

    def tokenize(self, state: StateBlock, startLine: int, endLine: int) -> None:
        if state.level >= state.md.options.maxNesting:
            # markdown-it's own loop gives up at its first line with content in the block.
            line = state.skipEmptyLines(startLine)
            if line < endLine and state.sCount[line] >= state.blkIndent:
                state.env.setdefault(ENV_KEY, []).append(line)
        super().tokenize(state, startLine, endLine)


def nesting_plugin(md: MarkdownIt) -> None:
    """Read MAX_NESTING levels deep, and record where the text would be cut (see too_deep)."""
    md.options["maxNesting"] = MAX_NESTING
    guarded = _GuardedBlocks()
    guarded.ruler = md.block.ruler  # the rules plugins added, and will add
    md.block = guarded


def too_deep(env: MutableMapping[str, Any]) -> list[int]:
    """The lines (0-based, in the parsed text) where a parse gave up, in order, once each."""
    return sorted(set(env.get(ENV_KEY, ())))


def report_too_deep(
    env: MutableMapping[str, Any], path: Path, first_line: int, diagnostics: Diagnostics
) -> bool:
    """An error for each line where the parse gave up; whether there was any."""
    lines = too_deep(env)
    for line in lines:
        diagnostics.error(path, first_line + line, TOO_DEEP)
    return bool(lines)


def lost_text(diagnostics: Iterable[Diagnostic]) -> bool:
    """Whether any of these is report_too_deep's: a page made from that parse lacks text."""
    return any(diagnostic.message == TOO_DEEP for diagnostic in diagnostics)
