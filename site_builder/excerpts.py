"""The sentence around a term: what the terms page quotes of each place a note is anchored.

Taken at render time from the text of the paragraph that holds the term, and kept
small, since it travels with the rendered article between processes and into the
page cache: at most `MAX_WORDS` words (and `MAX_CHARS` characters) either side,
cut at the sentence's ends when they are nearer. Only a bounded window either side
of the term is looked at, so an excerpt costs the same however long the paragraph.
"""

from __future__ import annotations

import re
from typing import NamedTuple

MAX_WORDS = 30  # either side of the term: a sentence, not a paragraph
MAX_CHARS = 240  # either side, whatever the words: one long "word" cannot bloat it
WINDOW = 2 * MAX_CHARS  # characters looked at either side
MAX_EXCERPTS = 10  # of one note in one article (`at: every`): the page links to the rest
ELLIPSIS = "\u2026"
# A sentence's end: a stop, any closing quotes or brackets, then white space; or a
# Chinese or Japanese stop (。！？), which no space follows, and its closing quotes or
# brackets. No nested repetition, so no backtracking to speak of, and it only ever reads
# a window.
CLOSING = "\"'\u201d\u2019)\\]"  # ” ’ ) ]
CJK_CLOSING = "\u300d\u300f\u3011\u300b\u3009\u3015\uff09\uff3d"  # 」』】》〉〕）］
STOP = re.compile(rf"[.!?][{CLOSING}]*(?=\s)|[\u3002\uff01\uff1f\uff61]+[{CLOSING}{CJK_CLOSING}]*")
# Words whose stop ends no sentence: titles, which a name follows (`Mr. Smith`, `St. Louis`),
# and abbreviations inside a sentence (`Smith vs. Jones`, `cf. the map`).
TITLES = frozenset(
    {
        "mr", "mrs", "ms", "mx", "messrs", "dr", "prof", "st", "rev", "fr", "gen", "col",
        "capt", "lt", "sgt", "gov", "sen", "rep", "hon", "mt", "ft", "vs", "cf", "viz",
    }
)  # fmt: skip
# Words whose stop ends no sentence when a number follows (`No. 5`, `Vol. 2`, `Fig. 3`).
NUMBERED = frozenset({"no", "nos", "vol", "vols", "fig", "figs", "pp", "ch", "art", "sec", "eq"})
LONGEST = max(map(len, TITLES | NUMBERED))  # letters looked at before a stop
# What follows a stop: closing quotes or brackets, white space, then the next character;
# looked for within LOOK characters only, so each stop costs a bounded time.
NEXT = re.compile(rf"[{CLOSING}]*\s+(\S)")
LOOK = 32


class Excerpt(NamedTuple):
    """A place's sentence, as the terms pages quote it (a template may also unpack it)."""

    ref: str  # the id of the term's link at the place
    before: str  # the text before the term
    term: str  # the term as written
    after: str  # the text after it


def excerpt(ref: str, text: str, start: int, end: int) -> Excerpt:
    """The sentence of `text` around text[start:end], white space made single."""
    first = max(0, start - WINDOW)
    head = text[first:start]
    tail = text[end : end + WINDOW]
    stops = [m.end() for m in STOP.finditer(head) if not _abbreviation(text, first + m.start())]
    before = head[stops[-1] :] if stops else head
    ends = (m.end() for m in STOP.finditer(tail + " ") if not _abbreviation(text, end + m.start()))
    stop = next(ends, None)
    after = tail[:stop] if stop is not None else tail
    return Excerpt(
        ref,
        _cut(before, from_end=True, short=not stops and start > WINDOW),
        " ".join(text[start:end].split()),
        _cut(after, from_end=False, short=stop is None and end + WINDOW < len(text)),
    )


def _abbreviation(text: str, index: int) -> bool:
    """Whether the stop at text[index] ends no sentence: a stop after a lone letter
    (`U.S.`, `J. Smith`, `e.g.`) or a title (`Mr.`, `Dr.`, `St.`, `vs.`: TITLES), one
    after `No.` and the like before a number (`No. 5`), and any stop before a word
    in lower case (`etc. and`, `Inc. said`, `Jr. was`), which starts no sentence.

    A title ends no sentence even where one does end (`...said the Dr.` then a new
    sentence): the excerpt runs on to the next stop, at most a bounded length.
    """
    if text[index] != ".":
        return False
    start = index  # of the letters before the stop, LONGEST of them and one more at most
    while start > 0 and index - start <= LONGEST and text[start - 1].isalpha():
        start -= 1
    word = text[start:index].lower()
    whole = start == 0 or not text[start - 1].isalnum()  # the letters are a whole word
    if whole and (len(word) == 1 or word in TITLES):
        return True
    after = NEXT.match(text, index + 1, index + 1 + LOOK)
    if after is None:
        return False
    following = after.group(1)
    return following.islower() or (whole and word in NUMBERED and following.isdigit())


def _cut(text: str, from_end: bool, short: bool) -> str:
    """At most MAX_WORDS words and MAX_CHARS characters of `text`, kept from its end
    (the text before a term) or its start (after it), with an ellipsis where cut.

    `short`: the text was already cut before it ended. A space between the text and
    the term is kept.
    """
    words = text.split()
    kept = words[-MAX_WORDS:] if from_end else words[:MAX_WORDS]
    joined = " ".join(kept)
    if len(joined) > MAX_CHARS:
        joined = joined[-MAX_CHARS:] if from_end else joined[:MAX_CHARS]
    if not joined:
        return ""
    cut = short or len(kept) < len(words) or len(joined) < len(" ".join(kept))
    if from_end:
        return (ELLIPSIS + " " if cut else "") + joined + (" " if text[-1].isspace() else "")
    return (" " if text[0].isspace() else "") + joined + (" " + ELLIPSIS if cut else "")
