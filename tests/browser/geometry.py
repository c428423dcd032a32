"""Measuring the laid-out page: notes, their terms, their blocks and the text."""

from __future__ import annotations

from typing import Any, TypedDict

from playwright.sync_api import Page


class Box(TypedDict):
    top: float
    bottom: float
    left: float
    right: float


class NoteGeometry(TypedDict):
    id: str
    visible: bool
    box: Box  # the note's toggle (<details>), which holds the note
    term: Box  # the first line box of its first term
    block: Box  # the block it follows (the first child of its .noted)
    lines: float  # lines of text the note shows (its height over its line height)
    clipped: bool  # whether any of the note's text is cut off or hidden


MEASURE = """
() => {
  const box = (r) => ({top: r.top + scrollY, bottom: r.bottom + scrollY,
                       left: r.left + scrollX, right: r.right + scrollX});
  const body = document.querySelector('.article-body');
  const notes = [...body.querySelectorAll('aside.note')].map((note) => {
    const toggle = note.closest('details') || note;
    const term = body.querySelector(`a.term[data-note="${CSS.escape(note.id)}"]`);
    const block = note.closest('.noted').firstElementChild;
    const r = toggle.getBoundingClientRect();
    const style = getComputedStyle(note);
    const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
    const detail = note.querySelector('.note-detail');
    return {id: note.id, visible: r.height > 0 && style.visibility !== 'hidden'
              && note.checkVisibility(), box: box(r),
            term: box(term.getClientRects()[0]), block: box(block.getBoundingClientRect()),
            lines: (note.clientHeight - padding) / parseFloat(style.lineHeight),
            clipped: note.scrollHeight > note.clientHeight + 1
              || (detail !== null && !detail.checkVisibility())};
  });
  const text = [...body.querySelectorAll('p, li, blockquote, pre, h2, h3, table'),
                ...document.querySelectorAll('.article-header > *, .excerpt-note')]
    .filter((el) => !el.closest('.notes'))
    .map((el) => box(el.getBoundingClientRect()));
  return {notes, text, scrollWidth: document.documentElement.scrollWidth, width: innerWidth};
}
"""

CHARS_PER_LINE = """
(p) => {
  const lines = new Map();
  const range = document.createRange();
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (rect) lines.set(Math.round(rect.top), (lines.get(Math.round(rect.top)) || 0) + 1);
    }
  }
  return [...lines.values()];
}
"""


def measure(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(MEASURE)
    return result


def overlaps(a: Box, b: Box) -> bool:
    """Whether two boxes share any area (touching edges do not count)."""
    return (
        min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 0.5
        and min(a["right"], b["right"]) - max(a["left"], b["left"]) > 0.5
    )


def settle(page: Page) -> None:
    """Wait until the notes are still: no layout pending, no transition running."""
    page.evaluate(SETTLED)


SETTLED = """
() => new Promise((done) => {
  const still = () => document.getAnimations().length === 0 ? done() : requestAnimationFrame(still);
  requestAnimationFrame(() => requestAnimationFrame(still));
})
"""


def chars_per_line(page: Page, selector: str) -> list[int]:
    """Characters on each full line of an element (its last line left out)."""
    counts: list[int] = page.locator(selector).first.evaluate(CHARS_PER_LINE)
    return counts[:-1]
