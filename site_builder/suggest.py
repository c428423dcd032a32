"""Candidate terms for an article's notes: what an editor would likely annotate next.

Read from the article's text as it is published and as a note finds it: front matter
and site chrome left out, and of a markdown article only the runs of text that
anchoring reads (anchoring.text_runs: no headings, code, links, images or footnotes,
and no run spans two blocks). Each kind of candidate in one pass over their words:

1. quoted phrases: one to six words between straight or curly double quotes
   ("big but not strong", “no end”) or corner brackets (「月の石」); single quotes
   are left alone, since they are also apostrophes. In a script written without
   spaces (Chinese, Japanese...) two characters count as a word: “月壤” is a
   candidate, a quoted sentence is not;
2. names: two or more capitalised words in a row (`Mars Sample Return`), joined by
   `of`, `and`, `the`, `in`, `for` and the like and ending in a number if they do
   (`Made in China 2025`), or one word capitalised inside (`DeepSeek`). A sentence's
   first word counts only when it is not a common word (`The`, `Meanwhile`, or any
   word the text also writes in lower case); a possessive ends a name (`Xi
   Jinping's plan`); a hyphenated word is no part of one. `and the` parts two names
   (`the Soviet Union and the United States`), while an `and` before a capital is
   the name's own (`China Aerospace Science and Technology Corporation`); a run of
   more than eight words is cut at every connector into the names it holds, and a
   piece still that long (a headline in title case) is none;
3. acronyms: a word of two or more capitals (`CNSA`), with its expansion when the
   text gives it in the usual way, "Chinese National Space Administration (CNSA)":
   words before the bracket whose initials hold the acronym's letters in order;
4. designations: a capitalised word with a digit in it, or with a hyphen and a
   digit (`Tianwen-3`, `R1`);
5. known terms: terms (and aliases) of the glossary and of other articles' notes
   that occur in the article.

A candidate is left out when the article's own notes already have the term. Each
is counted as a note would find it (whole words, any case, longest first: see
matching.py), and ranked by kind in the order above, then by count, then by line.
Every step reads each word once or looks a bounded distance around it: the time
is linear in the text, whatever it holds.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path

from .anchoring import text_runs
from .chrome import split_paragraphs, strip_chrome
from .config import SiteConfig
from .diagnostics import Diagnostics
from .discover import NOTES_SUFFIX, discover
from .matching import SPLIT, SPLIT_CHAR, TermTrie, find_terms, term_key
from .notes import Note, parse_notes
from .reading import Reader
from .render import article_parser
from .sources import ANYWHERE, read_article, read_text

# A word (letters and digits, apostrophes inside: `China's`), a run of a script written
# without spaces (matching.SPLIT: Chinese, Japanese...), or any one other character. No
# nested repetition that could match the same text two ways: linear.
TOKEN = re.compile(rf"[^\W_{SPLIT}]+(?:['\u2019][^\W_{SPLIT}]+)*|(?=\w)[{SPLIT}]+|\S")
# Double quotes, and the corner brackets that Japanese and traditional Chinese quote with.
OPENING_QUOTES = {
    '"': '"',
    "\u201c": "\u201d",
    "\u201e": "\u201d",
    "\u300c": "\u300d",
    "\u300e": "\u300f",
}
HYPHENS = "-\u2010\u2011"
STOPS = ".!?:;\u3002\uff01\uff1f\uff1a\uff1b"  # . ! ? : ; and 。！？：；
TRAILING = ",.;:!?\u3001\u3002\uff0c\uff01\uff1f\uff1a\uff1b"  # and 、。，！？：；
MAX_QUOTED_WORDS = 6
CHARACTERS_PER_WORD = 2  # of a script without spaces: a Chinese word is one to three
MAX_NAME_WORDS = 8  # a longer run of capitals holds several names, or is a headline
MAX_ACRONYM = 10  # letters: longer runs of capitals are shouting, not acronyms
# fmt: off
CONNECTORS = frozenset({
    "of", "and", "the", "in", "for", "on", "at", "to", "de", "del", "della", "di", "du", "la",
    "le", "van", "von", "der", "den", "da", "y",
})
# Words that start sentences without naming anything.
COMMON = frozenset({
    "a", "an", "the", "this", "that", "these", "those", "there", "here", "it", "its", "in",
    "on", "at", "by", "for", "from", "with", "as", "of", "to", "but", "and", "or", "nor", "so",
    "yet", "if", "when", "while", "where", "after", "before", "since", "until", "although",
    "though", "however", "meanwhile", "today", "yesterday", "tomorrow", "now", "then", "also",
    "still", "even", "some", "many", "most", "all", "any", "each", "every", "no", "not", "our",
    "we", "you", "they", "he", "she", "i", "my", "your", "their", "his", "her", "according",
    "looking", "over", "under", "two", "three", "four", "five", "six", "seven", "eight",
    "nine", "ten", "one", "first", "second", "last", "next", "such", "what", "which", "who",
    "why", "how", "perhaps", "indeed", "instead", "thus", "therefore",
})
# fmt: on


class Kind(IntEnum):
    """What made a candidate, in the order they rank."""

    QUOTED = 1
    NAME = 2
    ACRONYM = 3
    DESIGNATION = 4
    KNOWN = 5

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Candidate:
    term: str
    kind: Kind
    count: int  # occurrences a note on it would find
    line: int  # of its first occurrence, in the source file
    aliases: tuple[str, ...] = ()  # an acronym of an expansion
    known_from: str = ""  # for a known term: where its note is


@dataclass(frozen=True)
class Passage:
    """A stretch of the article's text and the line of the source file it starts on."""

    text: str
    line: int


@dataclass
class _Found:
    term: str
    kind: Kind
    aliases: list[str] = field(default_factory=list)
    known_from: str = ""


@dataclass(frozen=True)
class _Word:
    text: str
    start: int
    end: int
    initial: bool  # starts a sentence
    glued: bool  # no space before it


def suggest(
    passages: Sequence[Passage],
    own: Sequence[Note],
    known: Sequence[tuple[Note, str]] = (),
) -> list[Candidate]:
    """Ranked candidates for the article made of `passages`, whose own notes are `own`.

    `known`: notes of the glossary and of other articles, each with where it is.
    """
    taken = {term_key(spelling) for note in own for spelling in note.spellings}
    lower = {word.lower() for p in passages for word in _plain_words(p.text) if word.islower()}
    found: dict[str, _Found] = {}

    def add(term: str, kind: Kind, alias: str = "", known_from: str = "") -> None:
        key = term_key(term)
        if not key or key in taken or (alias and term_key(alias) in taken):
            return
        entry = found.setdefault(key, _Found(term, kind))
        if kind < entry.kind:
            entry.term, entry.kind = term, kind
        if alias and alias not in entry.aliases:
            entry.aliases.append(alias)
        entry.known_from = entry.known_from or known_from

    for passage in passages:
        words = list(_words(passage.text))
        for term in _quoted(passage.text, words):
            add(term, Kind.QUOTED)
        for term in _names(passage.text, words, lower):
            add(term, Kind.NAME)
        for term, expansion in _acronyms(passage.text, words):
            if expansion:
                add(expansion, Kind.ACRONYM, alias=term)
            else:
                add(term, Kind.ACRONYM)
        for term in _designations(words):
            add(term, Kind.DESIGNATION)
    expanded = {term_key(alias) for entry in found.values() for alias in entry.aliases}
    for acronym in expanded & found.keys():
        del found[acronym]  # counted with its expansion
    known_trie: TermTrie[tuple[Note, str]] = TermTrie()
    for note, where in known:
        if not taken & {term_key(s) for s in note.spellings}:
            for spelling in note.spellings:
                known_trie.add(spelling, (note, where))
    for passage in passages:
        for match in find_terms(passage.text, [known_trie]):
            note, where = match.value
            add(note.term, Kind.KNOWN, known_from=where)
    return _counted(passages, found)


def _counted(passages: Sequence[Passage], found: dict[str, _Found]) -> list[Candidate]:
    """The candidates with their counts and first lines, ranked."""
    trie: TermTrie[str] = TermTrie()
    for key, entry in found.items():
        for spelling in (entry.term, *entry.aliases):
            trie.add(spelling, key)
    counts: dict[str, int] = {}
    lines: dict[str, int] = {}
    for passage in passages:
        breaks = [index for index, char in enumerate(passage.text) if char == "\n"]
        for match in find_terms(passage.text, [trie]):
            counts[match.value] = counts.get(match.value, 0) + 1
            lines.setdefault(match.value, passage.line + bisect_right(breaks, match.start))
    candidates = [
        Candidate(
            entry.term,
            entry.kind,
            counts.get(key, 0),
            lines.get(key, 0),
            tuple(entry.aliases),
            entry.known_from,
        )
        for key, entry in found.items()
        if counts.get(key)  # always inside a longer candidate: that one is the term
    ]
    return sorted(candidates, key=lambda c: (c.kind, -c.count, c.line, c.term.casefold()))


def _plain_words(text: str) -> Iterator[str]:
    for match in TOKEN.finditer(text):
        if match.group()[0].isalnum():
            yield match.group()


def _words(text: str) -> Iterator[_Word]:
    """Every token, knowing whether it starts a sentence and whether a space precedes it."""
    initial = True
    end = 0
    for match in TOKEN.finditer(text):
        token = match.group()
        yield _Word(token, match.start(), match.end(), initial, match.start() == end)
        end = match.end()
        if token[0].isalnum():
            initial = False
        elif token in STOPS:
            initial = True


def _quoted(text: str, words: Sequence[_Word]) -> Iterator[str]:
    """Phrases of one to MAX_QUOTED_WORDS words in double quotes, trailing stops dropped."""
    opened: int | None = None  # index of the word after the opening quote
    closing = ""
    count = 0
    for index, word in enumerate(words):
        token = word.text
        if opened is not None and token == closing and index > opened:
            phrase = text[words[opened].start : words[index - 1].end].rstrip(TRAILING)
            if 1 <= count <= MAX_QUOTED_WORDS and term_key(phrase):
                yield phrase
            opened = None
        elif token in OPENING_QUOTES and _opens(words, index):
            opened, closing, count = index + 1, OPENING_QUOTES[token], 0
        elif opened is not None and token[0].isalnum():
            count += _word_count(token)
            if count > MAX_QUOTED_WORDS:
                opened = None  # a quotation, not a term


def _word_count(token: str) -> int:
    """Words in a token: one, or in a script without spaces, one per CHARACTERS_PER_WORD."""
    if SPLIT_CHAR.match(token):
        return -(-len(token) // CHARACTERS_PER_WORD)
    return 1


def _opens(words: Sequence[_Word], index: int) -> bool:
    """Whether a quote opens: a word follows with no space before it, and (a straight
    quote) none precedes it so. A run of text ends at markup (`"**bold**"`), so a quote
    may have its word in another run: then it opens nothing here."""
    closes = words[index].text == '"' and words[index].glued and index > 0
    return not closes and index + 1 < len(words) and words[index + 1].glued


def _capitalised(token: str) -> bool:
    return token[0].isupper()


def _camel(token: str) -> bool:
    """A word capitalised inside (`DeepSeek`, `SpaceX`), not all capitals."""
    return (
        token[0].isupper()
        and any(c.islower() for c in token)
        and any(c.isupper() for c in token[1:])
        and "'" not in token
        and "\u2019" not in token
    )


def _possessive(token: str) -> str | None:
    for mark in ("'s", "\u2019s"):
        if token.endswith(mark) and len(token) > 2:
            return token[: -len(mark)]
    return None


def _names(text: str, words: Sequence[_Word], lower: set[str]) -> Iterator[str]:
    """Runs of capitalised words (and connectors, and a closing number) between other words."""
    run: list[_Word] = []

    def close() -> Iterator[str]:
        first, last = 0, len(run)
        if run and run[0].initial:
            opening = run[0].text.lower()
            first += opening in COMMON or opening in lower
        while first < last and run[last - 1].text in CONNECTORS:
            last -= 1  # "... and the" before a lower-case word: not the name's length
        parts = run[first:last]
        run.clear()
        for piece in _held_names(parts):
            yield text[piece[0].start : piece[-1].end]

    for index, word in enumerate(words):
        token = word.text
        after = words[index + 1] if index + 1 < len(words) else None
        hyphenated = (after is not None and after.glued and after.text in HYPHENS) or (
            word.glued and index > 0 and words[index - 1].text in HYPHENS
        )
        owner = _possessive(token)
        if not token[0].isalnum() or hyphenated:
            yield from close()
        elif owner is not None and _capitalised(token):
            if run:
                run.append(_Word(owner, word.start, word.start + len(owner), False, False))
            yield from close()
        elif _capitalised(token) and not token.isdigit():
            run.append(word)
        elif run and (token in CONNECTORS or token.isdigit()):
            run.append(word)
            if token.isdigit():
                yield from close()
        else:
            yield from close()
    yield from close()


def _held_names(run: Sequence[_Word]) -> Iterator[Sequence[_Word]]:
    """The names in a run of capitalised words and connectors, cut where one name ends
    and the next begins: at `and the` ("the Soviet Union and the United States"; a
    name's own `and` is followed by a capital: "National Aeronautics and Space
    Administration"), and, in a run longer than MAX_NAME_WORDS, at every connector. A
    piece still that long (a headline in title case) is no name."""
    long = len(run) > MAX_NAME_WORDS
    start = 0
    for index, word in enumerate(run):
        follows = run[index + 1].text if index + 1 < len(run) else ""
        if word.text in CONNECTORS and (long or (word.text == "and" and follows == "the")):
            yield from _name(run[start:index])
            start = index + 1
    yield from _name(run[start:])


def _name(piece: Sequence[_Word]) -> Iterator[Sequence[_Word]]:
    """The piece without the connectors around it, when it names something: two
    capitalised words or more, or one capitalised inside, and no more than
    MAX_NAME_WORDS words."""
    first, last = 0, len(piece)
    while first < last and not _capitalised(piece[first].text):
        first += 1
    while first < last and piece[last - 1].text in CONNECTORS:
        last -= 1
    parts = piece[first:last]
    capitals = sum(1 for p in parts if _capitalised(p.text))
    if len(parts) > MAX_NAME_WORDS:
        return
    if capitals >= 2 or (capitals == 1 and len(parts) == 1 and _camel(parts[0].text)):
        yield parts


def _is_acronym(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return (
        2 <= len(token) <= MAX_ACRONYM
        and len(letters) >= 2
        and all(c.isupper() for c in letters)
        and token.isalnum()
    )


def _acronyms(text: str, words: Sequence[_Word]) -> Iterator[tuple[str, str]]:
    """Each acronym with its expansion when it stands in brackets right after one ('')."""
    for index, word in enumerate(words):
        if not _is_acronym(word.text):
            continue
        bracketed = (
            0 < index < len(words) - 1
            and words[index - 1].text == "("
            and words[index + 1].text == ")"
        )
        yield word.text, (_expansion(text, words, index - 1, word.text) if bracketed else "")


def _expansion(text: str, words: Sequence[_Word], bracket: int, acronym: str) -> str:
    """The words before `bracket` whose initials hold the acronym's letters in order, the
    last word matching the last letter; '' when they do not."""
    letters = [c.lower() for c in acronym if c.isalpha()]
    window = 2 * len(letters) + 2  # words looked at: a bounded distance back
    index = bracket - 1
    first = last = None
    for letter in reversed(letters):
        while index >= 0 and bracket - index <= window:
            word = words[index]
            index -= 1
            if not word.text[0].isalnum():
                return ""  # a comma or a stop: the expansion would cross it
            if word.text[0].lower() == letter:
                first = word
                last = last or word
                break
            if last is None:
                return ""  # the word right before the bracket must start the last letter
        else:
            return ""
    assert first is not None and last is not None
    return text[first.start : last.end]


def _designations(words: Sequence[_Word]) -> Iterable[str]:
    """Capitalised words with a digit, hyphenated (`Tianwen-3`) or not (`R1`)."""
    index = 0
    while index < len(words):
        start = index
        parts = [words[index].text]
        while (
            index + 2 < len(words)
            and words[index + 1].text in HYPHENS
            and words[index + 1].glued
            and words[index + 2].glued
            and words[index + 2].text[0].isalnum()
        ):
            parts += [words[index + 1].text, words[index + 2].text]
            index += 2
        designation = "".join(parts)
        if (
            parts[0][0].isalpha()
            and _capitalised(parts[0])
            and any(c.isdigit() for c in designation)
            and not _is_acronym(designation)
        ):
            yield designation
        index = max(index, start) + 1


@dataclass(frozen=True)
class Suggestions:
    """An article's candidates, and the notes file they would go to."""

    article: Path
    notes: Path  # the article's notes file, which may not exist yet
    candidates: tuple[Candidate, ...]


def suggest_for(
    article: Path, config: SiteConfig, diagnostics: Diagnostics, reader: Reader = ANYWHERE
) -> Suggestions | None:
    """Read an article, its notes, the glossary and the other articles' notes, and
    suggest; None when the article cannot be read (the reasons are in `diagnostics`).

    Problems in the other files are left to `check`: their notes are used as read.
    """
    folder = article.parent
    found = discover(folder, Diagnostics(), reader)
    source = next((s for s in found.sources if s.path.name == article.name), None)
    if source is None:
        diagnostics.error(article, 0, "not an article: a .md or .txt file of the source folder")
        return None
    read = read_article(source, config, diagnostics, reader)
    if read is None or read.broken:
        return None
    if read.kind == "text":
        text = read_text(source.path, Diagnostics(), reader) or ""
        paragraphs = strip_chrome(split_paragraphs(text)).paragraphs
        passages = [Passage(paragraph.text, paragraph.line) for paragraph in paragraphs]
    else:
        passages = published_text(read.body, read.body_line)
    own = _notes_of(source.notes, reader) if source.notes else ()
    glossary = found.glossary
    known = (
        [(note, glossary.name) for note in _notes_of(glossary, reader, True)] if glossary else []
    )
    for other in found.sources:
        if other.notes and other is not source:
            known += [(note, other.notes.name) for note in _notes_of(other.notes, reader)]
    notes = source.notes or folder / f"{source.name}{NOTES_SUFFIX}"
    return Suggestions(article, notes, tuple(suggest(passages, own, known)))


def published_text(markdown: str, first_line: int) -> list[Passage]:
    """The runs of a markdown article's text that a note can be anchored in, read as
    anchoring reads them (outside headings, code, links, images and footnotes, never
    across two blocks), each with the line of the source file it starts on."""
    tokens = article_parser().parse(markdown, {})
    return [Passage(text, first_line + line) for text, line in text_runs(tokens)]


def _notes_of(path: Path | None, reader: Reader, glossary: bool = False) -> tuple[Note, ...]:
    """Every note of a notes file, those without text yet too."""
    text = read_text(path, Diagnostics(), reader) if path else None
    return parse_notes(path, text, Diagnostics(), glossary).notes if path and text else ()


def headings(candidates: Iterable[Candidate]) -> str:
    """A `## term` heading for each candidate, an acronym as its alias, and no text."""
    lines = []
    for candidate in candidates:
        lines.append(f"\n## {' '.join(candidate.term.split())}\n")
        if candidate.aliases:
            lines.append(f"aliases: {', '.join(_field_value(a) for a in candidate.aliases)}\n")
    return "".join(lines)


def _field_value(alias: str) -> str:
    return f'"{alias}"' if "," in alias else alias


def append_headings(path: Path, candidates: Sequence[Candidate]) -> None:
    """Add headings at the end of a notes file, making it when there is none; nothing in
    it is ever rewritten (opened to create only, or to append)."""
    text = headings(candidates)
    try:
        with path.open("x", encoding="utf-8", newline="") as new:
            new.write(text.lstrip("\n"))
        return
    except FileExistsError:
        pass
    with path.open("rb") as existing:
        existing.seek(0, os.SEEK_END)
        size = existing.tell()
        existing.seek(max(0, size - 1))
        ends_a_line = size == 0 or existing.read(1) in (b"\n", b"\r")
    with path.open("a", encoding="utf-8", newline="") as notes:
        notes.write(("" if ends_a_line else "\n") + (text.lstrip("\n") if size == 0 else text))
