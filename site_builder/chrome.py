"""Recognising the site chrome of plain text scraped from news pages.

So that article prose is never dropped, chrome (menus, cookie banners, share
counters, weekday lines, "©" footers) is only looked for before the first body
paragraph and after the last one, and at the top of the first and the bottom of
the last. A body paragraph's non-chrome lines, joined, have 25 words, or 10
words ending in "." or "…"; a text without one is all chrome zone.

There chrome lines are dropped, and the first footer naming someone gives the
publisher. Before the body, the first "By Name" line gives the author, and the
first other line with a letter or digit is the title if it is alone in its
block (not the first line of a stanza or wrapped paragraph; then there is no
title), unless nothing else is left: then that line is the body, not its title.
Unrecognised lines stay in the body.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Literal, NamedTuple

from .matching import SPLIT_CHAR


@dataclass(frozen=True)
class Paragraph:
    """A block of text between blank lines; line is the 1-based number of its first line."""

    text: str
    line: int


@dataclass(frozen=True)
class ScrapedText:
    """A scraped text split into metadata and the body, chrome removed."""

    title: str | None  # None when no title line was found
    publisher: str | None  # from a "© Publisher" footer
    author: str | None  # from a "By Name" byline, if any
    paragraphs: tuple[Paragraph, ...]  # the body, chrome removed
    excerpt: bool  # the text was cut off


# Navigation and banner button labels (matched against the whole line, spaces collapsed).
# Section names are included because scraped menus often leave one alone on a line.
_MENU_LABEL = re.compile(
    r"(?:main |open |close )?menu|toggle navigation|navigation|home(?:page)?|search|close|"
    r"subscribe|skip to (?:main )?(?:content|navigation)|sign (?:in|up)|log ?in|log out|register|"
    r"newsletters?|(?:my )?account|share(?: this(?: article)?)?|print|email|facebook|twitter|"
    r"linkedin|whatsapp|(?:read )?more|latest|trending|news|opinion|columnists|world|politics|"
    r"business|economy|sports?|culture|science|tech(?:nology)?|features|analysis|videos?|"
    r"podcasts|live|accept(?: all)?|reject all|ok|got it|i agree|advertisement",
    re.IGNORECASE,
)
_MENU_SEPARATOR = re.compile(r"[|\u00b7\u2022\u00bb\u203a]")
# Icon-font ligatures ("menu_open", "expand_more") scraped as text, then a short label.
_ICON_LIGATURE = re.compile(r"[a-z]+(?:_[a-z]+)+(?:\s+\S+){0,4}")
_MORE_INFO = re.compile(r"more\s+info(?:rmation)?\W*close", re.IGNORECASE)
_COUNTER = re.compile(r"\d[\d.,]*[kKmM]?(?:\s+\d[\d.,]*[kKmM]?)*")

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# A month's own full stop is told from a separator only at the end ("Jan.."); anywhere else a
# dot after it is the separator, so that each line has one reading, never exponentially many.
_DATE_PART = (
    rf"(?:[\s,./:-]+(?:\d{{1,4}}(?:st|nd|rd|th)?|(?:{_MONTHS})(?:\.(?=\.?$))?|[ap]m|utc|gmt))"
)
# A full weekday may stand alone; an abbreviation ("Sun", "Sat") only before a date.
_WEEKDAY = re.compile(
    rf"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day{_DATE_PART}*"
    rf"|(?:mon|tue|wed|thu|fri|sat|sun)\.?{_DATE_PART}+)\.?",
    re.IGNORECASE,
)

_COOKIE = re.compile(r"\bcookies?\b", re.IGNORECASE)
# A cookie notice speaks as the site to the reader about consent; prose that
# merely mentions cookies ("she baked cookies") lacks one or the other.
_SITE_SPEAK = re.compile(r"\b(?:we|our|us|you|your|this\s+(?:web)?site)\b", re.IGNORECASE)
_CONSENT = re.compile(
    r"\b(?:uses?|using|accept\w*|agree\w*|consent\w*|polic(?:y|ies)|settings?|preferences?|"
    r"privacy|brows\w*|experiences?|personali[sz]\w*|analytics)\b",
    re.IGNORECASE,
)

# "Copyright" alone starts too many sentences, so it needs ©, (c) or a year after it.
_FOOTER = re.compile(
    r"©|\(c\)|copyright\s+(?:©|\(c\)|(?:19|20)\d\d)|all rights reserved", re.IGNORECASE
)
_FOOTER_NOISE = re.compile(
    r"\bcopyright\b|©|\(c\)|\ball rights reserved\b.*|\b(?:19|20)\d\d(?:\s*[-\u2013]\s*\d{4})?\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"(?i:by)\s+(?P<name>[A-Z][\w.'\u2019-]*"
    r"(?:\s+(?:[A-Z][\w.'\u2019-]*|and|&|de|van|von|der|da|di|del|la|le|bin|al))*)"
)

_WORD = re.compile(r"\w")
# "?" and "!" (and their full-width forms) are left out: headlines end in them far more
# often than opening paragraphs. 。 is the full stop of Chinese and Japanese.
_SENTENCE_END = re.compile(r"[.\u2026\u3002][\"'\u201d\u2019\u00bb)\]\u300d\u300f]*$")
_ELLIPSIS_TAIL = re.compile(r"[\s.\u2026]*")  # matched on the reversed text: its last chars


def split_paragraphs(text: str) -> list[Paragraph]:
    """Split at blank lines (lines of only whitespace count as blank).

    Text is already decoded; \\r\\n and \\r end lines too. Paragraph text keeps
    its inner newlines, with trailing whitespace of each line stripped.
    """
    # A byte order mark that survived decoding would hide chrome on line 1.
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    paragraphs: list[Paragraph] = []
    block: list[str] = []
    for number, line in enumerate([*lines, ""], start=1):
        if line.strip():
            block.append(line.rstrip())
            continue
        if block:
            paragraphs.append(Paragraph("\n".join(block), number - len(block)))
            block = []
    return paragraphs


def _words(line: str) -> str:
    return " ".join(line.split())


def _is_menu(line: str) -> bool:
    parts = [part.strip() for part in _MENU_SEPARATOR.split(line.strip(" :>\u2026"))]
    if all(_MENU_LABEL.fullmatch(p) for p in parts) or _ICON_LIGATURE.fullmatch(line):
        return True
    # A breadcrumb trail ("Home » World » Europe") starts at the home page.
    return len(parts) > 1 and parts[0].lower() in ("home", "homepage")


def _is_cookie_notice(line: str) -> bool:
    if not _COOKIE.search(line):
        return False
    # Banner buttons such as "Cookie settings" or "Accept all cookies" are short.
    return len(line.split()) <= 5 or bool(_SITE_SPEAK.search(line) and _CONSENT.search(line))


def _is_footer(line: str) -> bool:
    return bool(_FOOTER.match(line)) and len(line.split()) <= 15


def _is_chrome(line: str) -> bool:
    """Menu label, "More information . Close", counter, weekday, cookie notice or footer."""
    fullmatch = any(rx.fullmatch(line) for rx in (_MORE_INFO, _COUNTER, _WEEKDAY))
    return fullmatch or _is_menu(line) or _is_cookie_notice(line) or _is_footer(line)


def _publisher(footer: str) -> str | None:
    name = _words(_FOOTER_NOISE.sub(" ", footer)).strip(" .,;:|-\u2013\u2014")
    return name or None


def _cut_off(text: str) -> int | None:
    """Where a cut-off ending starts: "...", "…" or a longer run of them, at the end of the
    text or followed only by more dots, ellipses and white space (the white space before
    it included); None when the text does not end so.

    No regular expression searches for it: one anchored at the end would be tried at every
    position, and cost cubic time on a long run of dots followed by something else.
    """
    matched = _ELLIPSIS_TAIL.match(text[::-1])
    tail = len(text) - (matched.end() if matched else 0)  # where the dots and spaces start
    marks = [at for at in (text.find("...", tail), text.find("\u2026", tail)) if at >= 0]
    if not marks:
        return None
    start = min(marks)
    while start > tail and text[start - 1].isspace():
        start -= 1
    return start


def _is_prose(text: str) -> bool:
    """A paragraph of body text: words enough, or a sentence. In scripts written without
    spaces (Chinese, Thai...) each character counts as a word, as matching reads them."""
    words = len(text.split()) + len(SPLIT_CHAR.findall(text))
    return words >= 25 or (words >= 10 and bool(_SENTENCE_END.search(text.rstrip())))


_Role = Literal["keep", "drop", "title", "author", "publisher"]


class _Line(NamedTuple):
    block: int  # index of the paragraph the line came from
    number: int
    text: str  # as in the file
    words: str  # spaces collapsed, for matching
    role: _Role


def _classify(paragraphs: Sequence[Paragraph]) -> list[_Line]:
    """Every line of the text with its role."""
    blocks = [[_words(text) for text in p.text.split("\n")] for p in paragraphs]
    # Indexes of each block's non-chrome lines; never empty in the blocks first and last.
    contents = [[j for j, line in enumerate(b) if not _is_chrome(line)] for b in blocks]
    body = [i for i, c in enumerate(contents) if _is_prose(" ".join(blocks[i][j] for j in c))]
    first, last = (body[0], body[-1]) if body else (len(paragraphs), -1)
    result: list[_Line] = []
    seen: set[_Role] = set()
    title_searched = False
    for i, paragraph in enumerate(paragraphs):
        texts, lines, content = paragraph.text.split("\n"), blocks[i], contents[i]
        # Title candidates: lines with some letter or digit that are not chrome or bylines.
        candidates = {
            j for j in content if _WORD.search(lines[j]) and not _BYLINE.fullmatch(lines[j])
        }
        for j, line in enumerate(lines):
            leading = i < first or (i == first and j < content[0])
            trailing = i > last or (i == last and j > content[-1])
            role: _Role = "keep"
            if (leading or trailing) and _is_chrome(line):
                named = _is_footer(line) and _publisher(line) and "publisher" not in seen
                role = "publisher" if named else "drop"
            elif leading and "author" not in seen and _BYLINE.fullmatch(line):
                role = "author"
            elif leading and not title_searched and j in candidates:
                # Only the first candidate may be the title, and only if alone in its block:
                # the first line of a stanza or of a hard-wrapped paragraph is no title.
                title_searched = True
                role = "title" if len(candidates) == 1 else "keep"
            seen.add(role)
            result.append(_Line(i, paragraph.line + j, texts[j], line, role))
    return result


def strip_chrome(paragraphs: Sequence[Paragraph]) -> ScrapedText:
    """Separate a scraped text into title, author, publisher and body, chrome dropped.

    See the module docstring for the zones and rules. Each run of kept lines
    becomes one body Paragraph with its own line number. If the last body
    paragraph ends in a run of three or more dots or "…", the text is an
    excerpt and that run is removed.
    """
    lines = _classify(paragraphs)
    taken = {line.role: line for line in reversed(lines)}  # the first line of each role
    kept: list[Paragraph] = []
    for (_, role), group in groupby(lines, key=lambda line: (line.block, line.role)):
        if role == "keep":
            run = list(group)
            kept.append(Paragraph("\n".join(line.text for line in run), run[0].number))
    title, author, footer = (taken.get(role) for role in ("title", "author", "publisher"))
    if not kept and title is not None:  # a line alone is the text, not its title: kept
        kept, title = [Paragraph(title.text, title.number)], None
    cut_off = _cut_off(kept[-1].text) if kept else None
    excerpt = cut_off is not None
    if cut_off is not None:
        last = kept.pop()
        if cut_off:  # a paragraph of only dots is only the mark
            kept.append(Paragraph(last.text[:cut_off], last.line))
    byline = _BYLINE.fullmatch(author.words) if author else None
    return ScrapedText(
        title=title.words if title else None,
        publisher=_publisher(footer.words) if footer else None,
        author=byline["name"] if byline else None,
        paragraphs=tuple(kept),
        excerpt=excerpt,
    )
