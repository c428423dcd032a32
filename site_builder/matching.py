"""Finding terms in text: one pass, whatever the text, the terms and their number.

Text is cut into tokens (words, single punctuation marks, runs of white space) and
each token is folded so that case and typographic variants compare equal. A word
token is a maximal run of word characters and combining marks, so matches are
whole words; but in scripts written without spaces between words (Chinese,
Japanese, Thai, Lao, Khmer, Myanmar...) and in Korean, whose particles attach to
the word before them, each character (with its combining marks) is a word token
of its own, so a term in them matches wherever its characters occur in sequence:
what search engines do for such text when they have no dictionary of its words.

Terms live in a trie keyed by folded tokens, made an Aho-Corasick automaton by
its failure links: it reads each token of the text once and never goes back, so
a glossary of 10,000 terms costs no more per word than one of ten, and a long
term whose start repeats through the text no more than a short one.

Where terms overlap, the leftmost wins, then the longest. So the automaton holds
the terms reversed and reads the text from its end: at each token it knows the
longest term that starts there, and one sweep forward takes the leftmost-longest
matches. (Read forwards, an automaton knows where terms end; to know the longest
term that starts at a token it would have to read on and come back, as far as
the longest term reaches: the cost the trie walk had.)
"""

from __future__ import annotations

import operator
import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate, compress
from typing import Generic, TypeVar, cast

T = TypeVar("T")

# Scripts whose words are one character each as far as matching goes (only their word
# characters, `\w`, count: the ranges hold some punctuation and symbols too). Written
# without spaces between words: Han (with its iteration marks, extensions A to H and
# compatibility ideographs), Bopomofo, Hiragana, Katakana (with the prolonged sound
# mark, half-width forms and the kana supplements), Yi, Thai, Lao, Khmer, Myanmar and
# the Tai scripts (Tai Le, New Tai Lue, Tai Tham, Tai Viet). And Hangul: Korean puts
# spaces between phrases, but a particle or ending is written onto its word (월면토가,
# 월면토를), so a whole-word term would miss nearly every occurrence.
SPLIT = (
    "\u0e01-\u0e5b"  # Thai
    "\u0e81-\u0edf"  # Lao
    "\u1000-\u109f"  # Myanmar
    "\u1100-\u11ff"  # Hangul jamo
    "\u1780-\u17ff"  # Khmer
    "\u1950-\u19df"  # Tai Le, New Tai Lue
    "\u1a20-\u1aaf"  # Tai Tham
    "\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3038-\u303c"  # 々 〆 〇, Hangzhou numerals, 〻
    "\u3041-\u30ff"  # Hiragana, Katakana
    "\u3105-\u312f\u3131-\u318e\u31a0-\u31bf"  # Bopomofo, Hangul compatibility jamo
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf\u4e00-\u9fff"  # Han: extension A, unified ideographs
    "\ua000-\ua4cf"  # Yi
    "\ua960-\ua97f"  # Hangul jamo extended-A
    "\ua9e0-\ua9ff\uaa60-\uaa7f"  # Myanmar extended-B and -A
    "\uaa80-\uaadf"  # Tai Viet
    "\uac00-\ud7ff"  # Hangul syllables, jamo extended-B
    "\uf900-\ufaff"  # Han compatibility ideographs
    "\uff66-\uff9f\uffa0-\uffdc"  # half-width Katakana and Hangul
    "\U0001aff0-\U0001b16f"  # Kana extended-B, supplement, extended-A, small kana
    "\U00020000-\U000323af"  # Han: extensions B to H, compatibility supplement
)
# A run of word characters outside those scripts, or one word character of them (or a
# run of white space, or one other character); `\w` leaves out combining marks (accents,
# Indic vowel signs) and soft hyphens, which token_starts glues to their word.
WORD = rf"[^\W{SPLIT}]+|(?=\w)[{SPLIT}]"
TOKEN = re.compile(rf"([^\W{SPLIT}]+)|((?=\w)[{SPLIT}])|(\s+)|[^\w\s]")
TOKEN_IS_WORD = re.compile(r"\w")
WORD_SPLIT = re.compile(f"({WORD})")
RUN_SPLIT = re.compile(r"(\w+)")  # the same, in a text with no character of those scripts
SPLIT_CHAR = re.compile(f"[{SPLIT}]")
# Letters of those scripts that fold into the one before them, as a combining mark
# does: Hangul vowel and final jamo (ᄋ ᅯ ᆯ is 월), half-width voiced sound marks (ｶﾞ is ガ).
GLUED = (("\u1160", "\u11ff"), ("\ud7b0", "\ud7ff"), ("\uff9e", "\uff9f"))
WORD_SEPARATOR = "\x01"  # between words folded together: not a word character
BARRIER = "\x00"  # no term holds it, so no match spans it
# Hangul conjoining jamo: they compose into syllables when normalised.
JAMO = (("\u1100", "\u11ff"), ("\ua960", "\ua97f"), ("\ud7b0", "\ud7ff"))
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
        "\u00ad": None,  # a soft hyphen: a place a word may break, unseen where it does not
    }
)
# Variation selectors: which glyph of a character is drawn (葛 or 葛󠄀), not another one.
FOLD.update(dict.fromkeys([*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]))
SOFT_HYPHEN = "\u00ad"  # within a word, part of it (token_starts), as a reader sees it
SPACE = " "


def fold(token: str) -> str:
    """The comparison form of one token: white space as one space, case and variants folded."""
    if token.isspace():
        return SPACE
    # (A soft hyphen alone, with no word to be part of, stays itself: never an empty token.)
    return unicodedata.normalize("NFKC", token).casefold().translate(FOLD) or token


def token_starts(text: str) -> array[int]:
    """Where each token of the text starts; each ends where the next one starts."""
    if text.isascii():  # no combining marks to glue, no scripts without spaces
        return array("q", (match.start() for match in TOKEN.finditer(text)))
    starts = array("q")
    # What the last token was: a word of a run (to which a run or a mark glues), a
    # character of a script without spaces (to which only a mark glues), or neither.
    after = _APART
    for match in TOKEN.finditer(text):
        start = match.start()
        group = match.lastindex
        if group == 1:
            glued = after == _IN_RUN
            after = _IN_RUN
        elif group in (None, 2) and _glues(text[start]):
            glued = after != _APART
            if not glued:  # a mark with no word before it: a word for what follows
                after = _IN_RUN
        elif group == 2:
            glued = False
            after = _IN_CHAR
        else:
            glued = False
            after = _APART
        if not glued:
            starts.append(start)
    return starts


_APART, _IN_RUN, _IN_CHAR = range(3)


@cache
def _glues(char: str) -> bool:
    """Whether a character is part of the word before it: a combining mark, a soft
    hyphen, or a letter that folds into the one before it (GLUED)."""
    return (
        char == SOFT_HYPHEN
        or unicodedata.category(char)[0] == "M"
        or any(low <= char <= high for low, high in GLUED)
    )


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded token) for every token of the text."""
    starts = token_starts(text)
    if not starts:
        return []
    ends = [*starts[1:], len(text)]
    return [(start, end, fold(text[start:end])) for start, end in zip(starts, ends, strict=True)]


def term_tokens(term: str) -> tuple[str, ...]:
    """A term's folded tokens, without leading or trailing white space."""
    tokens = [folded for _, _, folded in tokenize(term.strip())]
    return tuple(tokens)


def term_key(term: str) -> str:
    """The identity of a term: two terms with the same key are the same term."""
    return "".join(term_tokens(term))


class TermTrie(Generic[T]):
    """Terms over folded tokens, each carrying a value: a trie of the reversed terms,
    with failure links once compiled (an Aho-Corasick automaton).

    Nodes are numbers indexing flat lists, so the automaton pickles (to `--jobs`
    workers) without recursion however long its terms. Node 0 is the root.
    """

    def __init__(self) -> None:
        self._children: list[dict[str, int]] = [{}]  # token -> child node
        self._values: list[T | None] = [None]  # the value of the term a node ends
        self._depth: list[int] = [0]  # tokens from the root: a term's length in tokens
        # Compiled: the longest proper suffix of a node's path that is a path too, and
        # the nearest node on that chain (the node itself included) that ends a term.
        self._fail: list[int] = []
        self._out: list[int] = []
        self._terms = 0
        # For finding where terms may start without reading every token (find_terms):
        # the first word of each term, the most words in one, and whether a term has none.
        self._first_words: set[str] = set()
        self._most_words = 0
        self._wordless = False

    def __len__(self) -> int:
        return self._terms

    def add(self, term: str, value: T) -> bool:
        """Add a term; False (and no change) when it is empty or already present."""
        tokens = term_tokens(term)
        if not tokens or BARRIER in term:
            return False
        node = 0
        for token in reversed(tokens):
            child = self._children[node].get(token)
            if child is None:
                child = self._children[node][token] = len(self._children)
                self._children.append({})
                self._values.append(None)
                self._depth.append(self._depth[node] + 1)
            node = child
        if self._values[node] is not None:
            return False
        self._values[node] = value
        self._terms += 1
        words = [token for token in tokens if TOKEN_IS_WORD.match(token)]
        if words:
            self._first_words.add(words[0])
            self._most_words = max(self._most_words, len(words))
        else:
            self._wordless = True
        self._fail = self._out = []  # compiled again when next used
        return True

    def compile(self) -> None:
        """Compute the failure links (breadth first), unless they are up to date."""
        if self._fail:
            return
        children, values = self._children, self._values
        fail, out = [0] * len(children), [0] * len(children)
        order = list(children[0].values())
        for node in order:  # each depth-1 node fails to the root
            out[node] = node if values[node] is not None else 0
        for node in order:  # the list grows as the loop goes: breadth first
            for token, child in children[node].items():
                suffix = fail[node]
                while suffix and token not in children[suffix]:
                    suffix = fail[suffix]
                fail[child] = target = children[suffix].get(token, 0)
                out[child] = child if values[child] is not None else out[target]
                order.append(child)
        self._fail, self._out = fail, out


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    """A term found in text: character offsets [start, end) and the term's value."""

    start: int
    end: int
    value: T


def find_terms(text: str, tries: Sequence[TermTrie[T]]) -> list[Match[T]]:
    """Leftmost-longest, non-overlapping matches; on equal length the earlier trie wins.
    No match spans BARRIER, which no term holds.

    Time is linear in the text (and memory in its tokens), whatever the terms.
    """
    automata = [trie for trie in tries if trie]
    if not automata:
        return []
    for trie in automata:
        trie.compile()
    spans = _spans(text, automata)
    if spans is None:
        return _matches(text, automata)
    matches = []
    for start, end in spans:
        for match in _matches(text[start:end], automata):
            matches.append(Match(start + match.start, start + match.end, match.value))
    return matches


def _spans(text: str, automata: Sequence[TermTrie[T]]) -> list[tuple[int, int]] | None:
    """Stretches of the text outside which no term can match, or None when it cannot
    tell (then all of it is read token by token).

    Reading each token in Python is most of the cost of anchoring, and most words
    start no term. So the text is cut into words by one regular expression, folded
    in one call, and looked up in the sets of words that start a term, all in C. A
    term starting at a word lies within the punctuation before it and the next
    `_most_words` words, so those stretches, merged, hold every match. (It cannot
    tell when a term has no word, or where folding one word is not folding its
    characters: combining marks, conjoining jamo and half-width voiced sound marks,
    which compose with a neighbour, and soft hyphens, which join two runs of word
    characters into one word.)
    """
    if any(trie._wordless for trie in automata):
        return None
    split = RUN_SPLIT  # a text with no character of a script without spaces: quicker
    if not text.isascii():
        chars = [char for char in set(text) if char > "\x7f"]
        if any(map(_composes, chars)):
            return None
        if any(map(_splits, chars)):
            split = WORD_SPLIT
    pieces = split.split(text)  # gap, word, gap, word, ..., gap
    words = WORD_SEPARATOR.join(pieces[1::2])
    if words.isascii():
        folded = words.lower()
    else:
        folded = unicodedata.normalize("NFKC", words).casefold().translate(FOLD)
    folded_words = folded.split(WORD_SEPARATOR)
    first = [trie._first_words.__contains__ for trie in automata]
    starting = map(first[0], folded_words)
    for contains in first[1:]:
        starting = map(operator.or_, starting, map(contains, folded_words))
    offsets = array("q", accumulate(map(len, pieces), initial=0))
    most, count = max(trie._most_words for trie in automata), len(folded_words)
    spans: list[tuple[int, int]] = []
    for word in compress(range(count), starting):
        start = offsets[2 * word]  # where the punctuation before the word starts
        last = word + most
        end = offsets[2 * last + 1] if last < count else len(text)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


@cache
def _splits(char: str) -> bool:
    """Whether a character is of a script whose characters are words (SPLIT)."""
    return SPLIT_CHAR.match(char) is not None


@cache
def _composes(char: str) -> bool:
    """Whether a character may compose with its neighbours when folded (or, a soft
    hyphen, join the words either side into one)."""
    return _glues(char) or any(low <= char <= high for low, high in JAMO)


def _matches(text: str, automata: Sequence[TermTrie[T]]) -> list[Match[T]]:
    """find_terms, token by token: the automata read the text from its end."""
    starts = token_starts(text)
    # Right to left: each token where a term starts, and which (its node, and trie).
    found_at, found_term = array("q"), array("q")
    states = [0] * len(automata)
    folded: dict[str, str] = {}
    end = len(text)
    for index in range(len(starts) - 1, -1, -1):
        start = starts[index]
        raw = text[start:end]
        end = start
        token = folded.get(raw)
        if token is None:
            token = folded[raw] = fold(raw)
        longest = best = 0
        for number, trie in enumerate(automata):
            children, state = trie._children, states[number]
            while (child := children[state].get(token)) is None and state:
                state = trie._fail[state]
            state = states[number] = child or 0
            term = trie._out[state]
            if term and trie._depth[term] > longest:
                longest, best = trie._depth[term], term * len(automata) + number
        if longest:
            found_at.append(index)
            found_term.append(best)
    matches: list[Match[T]] = []
    after = 0  # the first token no match has taken yet
    for at in range(len(found_at) - 1, -1, -1):
        index = found_at[at]
        if index >= after:
            term, number = divmod(found_term[at], len(automata))
            trie = automata[number]
            after = index + trie._depth[term]
            stop = starts[after] if after < len(starts) else len(text)
            matches.append(Match(starts[index], stop, cast(T, trie._values[term])))
    return matches


class Neighbours:
    """The words around any span of one text, for `at: near`.

    The text is cut into tokens once; the tokens within some words of a span are
    then found by bisection, and a phrase's occurrences once per phrase, so asking
    about every occurrence of a term in a paragraph costs no more than reading it.
    Spaces are left out: a phrase matches across any white space.
    """

    def __init__(self, text: str) -> None:
        self._starts, self._ends = array("q"), array("q")  # of the tokens but spaces
        self._folded: list[str] = []
        self._words = array("q")  # indexes of the word tokens among them
        self._found: dict[tuple[str, ...], list[int]] = {}
        starts = token_starts(text)
        folded: dict[str, str] = {}
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else len(text)
            raw = text[start:end]
            token = folded.get(raw)
            if token is None:
                token = folded[raw] = fold(raw)
            if token == SPACE:
                continue
            if TOKEN_IS_WORD.match(token):
                self._words.append(len(self._folded))
            self._starts.append(start)
            self._ends.append(end)
            self._folded.append(token)

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
