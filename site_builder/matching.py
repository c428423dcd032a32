"""Finding terms in text: one pass whose cost does not grow with the number of terms.

Text is cut into tokens (words, single punctuation marks, runs of white space) and
each token is folded so that case and typographic variants compare equal. Terms
live in a trie keyed by folded tokens; matching walks the trie from each token,
so a glossary of 10,000 terms costs no more per word than one of ten. Because a
word token is a maximal run of word characters, matches are whole words.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
TOKEN_IS_WORD = re.compile(r"\w")

# Typographic variants an editor should not have to type exactly.
FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u02bc": "'",  # ‘ ’ ‛ ʼ
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',  # “ ” „ ‟
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",  # ‐ ‑ ‒ –
        "\u2212": "-",  # minus sign
    }
)
SPACE = " "


def fold(token: str) -> str:
    """The comparison form of one token: white space as one space, case and variants folded."""
    if token.isspace():
        return SPACE
    return unicodedata.normalize("NFKC", token).casefold().translate(FOLD)


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded token) for every token of the text."""
    spans: list[tuple[int, int]] = []
    for match in TOKEN.finditer(text):
        start, end = match.span()
        # `\w` leaves out combining marks (accents, Indic vowel signs): glue them to their word.
        if (
            spans
            and spans[-1][1] == start
            and _wordish(text[spans[-1][1] - 1])
            and _wordish(text[start])
        ):
            start = spans.pop()[0]
        spans.append((start, end))
    return [(start, end, fold(text[start:end])) for start, end in spans]


def _wordish(char: str) -> bool:
    return char.isalnum() or char == "_" or unicodedata.category(char).startswith("M")


def term_tokens(term: str) -> tuple[str, ...]:
    """A term's folded tokens, without leading or trailing white space."""
    tokens = [folded for _, _, folded in tokenize(term.strip())]
    return tuple(tokens)


def term_key(term: str) -> str:
    """The identity of a term: two terms with the same key are the same term."""
    return "".join(term_tokens(term))


class _Node(Generic[T]):
    __slots__ = ("children", "value")

    def __init__(self) -> None:
        self.children: dict[str, _Node[T]] = {}
        self.value: T | None = None


class TermTrie(Generic[T]):
    """A trie of terms over folded tokens, each term carrying a value."""

    def __init__(self) -> None:
        self._root: _Node[T] = _Node()

    def add(self, term: str, value: T) -> bool:
        """Add a term; False (and no change) when it is empty or already present."""
        tokens = term_tokens(term)
        if not tokens:
            return False
        node = self._root
        for token in tokens:
            node = node.children.setdefault(token, _Node())
        if node.value is not None:
            return False
        node.value = value
        return True

    def longest_at(self, tokens: Sequence[str], start: int) -> tuple[int, T] | None:
        """The longest term starting at tokens[start]: (end index, value), or None."""
        node = self._root
        best: tuple[int, T] | None = None
        for index in range(start, len(tokens)):
            child = node.children.get(tokens[index])
            if child is None:
                break
            node = child
            if node.value is not None:
                best = (index + 1, node.value)
        return best


@dataclass(frozen=True)
class Match(Generic[T]):
    """A term found in text: character offsets [start, end) and the term's value."""

    start: int
    end: int
    value: T


def find_terms(text: str, tries: Sequence[TermTrie[T]]) -> list[Match[T]]:
    """Leftmost-longest, non-overlapping matches; on equal length the earlier trie wins."""
    tokens = tokenize(text)
    folded = [token for _, _, token in tokens]
    matches: list[Match[T]] = []
    index = 0
    while index < len(tokens):
        best: tuple[int, T] | None = None
        if folded[index] != SPACE:
            for trie in tries:
                found = trie.longest_at(folded, index)
                if found is not None and (best is None or found[0] > best[0]):
                    best = found
        if best is None:
            index += 1
            continue
        end, value = best
        matches.append(Match(tokens[index][0], tokens[end - 1][1], value))
        index = end
    return matches


class Neighbours:
    """The words around any span of one text, for `at: near`.

    The text is cut into tokens once; the tokens within some words of a span are
    then found by bisection, and a phrase's occurrences once per phrase, so asking
    about every occurrence of a term in a paragraph costs no more than reading it.
    Spaces are left out: a phrase matches across any white space.
    """

    def __init__(self, text: str) -> None:
        tokens = [token for token in tokenize(text) if token[2] != SPACE]
        self._starts = [start for start, _, _ in tokens]
        self._ends = [end for _, end, _ in tokens]
        self._folded = [folded for _, _, folded in tokens]
        self._words = [i for i, token in enumerate(self._folded) if TOKEN_IS_WORD.match(token)]
        self._found: dict[tuple[str, ...], list[int]] = {}

    def window(self, start: int, end: int, count: int) -> tuple[range, range]:
        """Indexes of the tokens covering `count` words before `start` and after `end`,
        with the punctuation between them (up to the next word beyond)."""
        words = self._words
        before_end = bisect_left(self._starts, start)  # the tokens that begin before the span
        seen = bisect_left(words, before_end)  # words among them
        before_start = words[seen - count - 1] + 1 if seen > count else 0
        after_start = bisect_right(self._ends, end)  # the tokens that end after it
        first = bisect_left(words, after_start)
        after_end = words[first + count] if first + count < len(words) else len(self._folded)
        return range(before_start, before_end), range(after_start, after_end)

    def words_around(self, start: int, end: int, count: int) -> tuple[list[str], list[str]]:
        """The folded tokens (without spaces) covering `count` words either side of a span."""
        before, after = self.window(start, end, count)
        return [self._folded[i] for i in before], [self._folded[i] for i in after]

    def near(self, start: int, end: int, count: int, phrase: Sequence[str]) -> bool:
        """Whether the folded tokens `phrase` occur within `count` words of a span."""
        if not phrase:
            return False
        key = tuple(phrase)
        if key not in self._found:
            self._found[key] = list(find_all(self._folded, key))
        found = self._found[key]
        for window in self.window(start, end, count):
            first = bisect_left(found, window.start)  # the first occurrence in the window
            if first < len(found) and found[first] + len(key) <= window.stop:
                return True
        return False


def find_all(haystack: Sequence[str], needle: Sequence[str]) -> Iterator[int]:
    """Where the token sequence `needle` starts in `haystack`, overlaps included.

    Knuth-Morris-Pratt: each token of the haystack is looked at a constant number
    of times on average, however the needle repeats itself.
    """
    size = len(needle)
    if not size:
        return
    border = [0] * size  # border[i]: the longest proper prefix of needle[: i + 1] ending there
    length = 0
    for i in range(1, size):
        while length and needle[i] != needle[length]:
            length = border[length - 1]
        if needle[i] == needle[length]:
            length += 1
        border[i] = length
    length = 0
    for i, token in enumerate(haystack):
        while length and token != needle[length]:
            length = border[length - 1]
        if token == needle[length]:
            length += 1
        if length == size:
            yield i - size + 1
            length = border[length - 1]
