"""A deterministic benchmark corpus: N articles with notes, and a glossary of K terms.

Run by hand:

    python benchmarks/corpus.py OUT --articles 1000 --glossary 1000

writes OUT/site.toml and OUT/seeds/: `aNNNNN.md` articles of about 1,550 words
(front matter, headings, emphasis, links, a fenced Python block, curly quotes,
hyphenated names such as Tianwen-3 or Chang’e-6), one `aNNNNN.notes.md` of 15
notes per article, each on a term that occurs in the article's text, and a
`_glossary.md` of K notes. Only the standard library is used, so any Python runs it.

Every term starts with an invented word (`Kavoren`, `Tizular`...) that stands for
that term alone, so no term sits inside another and every note finds its
term: a build reports no note that occurs nowhere. Article n depends only on n,
never on N or K: the first 100 articles of a 1,000-article corpus are the
100-article corpus, and glossaries of 10 or 10,000 terms annotate the same text.
Each article names 5 of the glossary's first 10 terms and 10 further ones, so
articles 0-999 between them name the first 10,000 glossary terms.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

SEED = "site-builder-benchmark-1"
WORDS_PER_ARTICLE = 1550
NOTES_PER_ARTICLE = 15
COMMON_GLOSSARY = 10  # terms every article draws on, so a small glossary is used too
COMMON_PER_ARTICLE = 5
RARE_PER_ARTICLE = 10  # further glossary terms, different ones in each article
GLOSSARY_SPREAD = 10_000  # glossary terms the first 1,000 articles name between them

CONSONANTS = "bdfgklmnprstvz"
VOWELS = "aeiou"
SYLLABLES = [c + v for c in CONSONANTS for v in VOWELS]
TAILS = ["Array", "Station", "Basin", "Survey", "Relay", "Accord", "Orbiter", "Index"]
SCATTER = 104_729  # a prime that shares no factor with 70**3
PARTNERS = ["Lutz", "Okafor", "Brandt", "Ishii", "Moreau", "Quispe", "Novak", "Haddad"]

# Filler words, kept as prose so the list stays readable.
FILLER_TEXT = """
    the a an of to in on for with by from at as and but or while because although
    mission launch rocket satellite orbit lander rover station sample return probe
    engine crew capsule payload budget agency programme schedule decade review panel
    analysts engineers officials planners scientists ministers reporters observers
    built tested planned delayed funded approved launched measured reported argued
    quickly quietly steadily openly rarely largely partly early later again still
    new old large small public private civil military national regional lunar solar
    first second third final early late costly cheap reliable risky modest ambitious
    data signal surface crater region window target system network partner rival
    market supplier contract factory design prototype flight test failure success
    says said shows suggests expects hopes fears notes adds claims insists warns
    year month week country government industry company economy policy strategy
    power capacity experience ability pressure ambition progress advantage
    """
FILLER = FILLER_TEXT.split()
HEADINGS = [
    "Where it began",
    "The plan and its price",
    "What the engineers found",
    "Rivals and partners",
    "Money, time and risk",
    "What comes next",
    "A second look at the numbers",
    "The view from the ground",
]
CODE = '''```python
def transfer_window(launch_day: int, period: float = {period}) -> int:
    """Days until the next window for {name}."""
    remainder = launch_day % period
    return round(period - remainder) if remainder else 0
```'''

# Invented words alternate consonant and vowel for six letters or more; no filler word may.
INVENTED = re.compile(f"([{CONSONANTS}][{VOWELS}]){{3,}}")
assert not [word for word in FILLER if INVENTED.fullmatch(word)], "a filler word looks invented"


def invented(number: int) -> str:
    """An invented word for this number alone: three syllables (four past 343,000)."""
    # Scattered (a bijection on the three-syllable range) so neighbours look unalike.
    high, low = divmod(number, len(SYLLABLES) ** 3)
    number = high * len(SYLLABLES) ** 3 + low * SCATTER % len(SYLLABLES) ** 3
    syllables = []
    for _ in range(3):
        number, digit = divmod(number, len(SYLLABLES))
        syllables.append(SYLLABLES[digit])
    while number:
        number, digit = divmod(number - 1, len(SYLLABLES))
        syllables.append(SYLLABLES[digit])
    return "".join(syllables).capitalize()


@dataclass(frozen=True)
class Term:
    """A term as a note spells it, as the text spells it, and another spelling."""

    noted: str
    written: str
    alias: str | None = None


def term(number: int) -> Term:
    """Term `number`: an invented word, alone or with a number, a tail or a partner."""
    word = invented(number)
    digit = number % 9 + 1
    shape = number // 2 % 6  # glossary terms take the even numbers, notes the odd
    if shape == 1:  # like Tianwen-3
        return Term(f"{word}-{digit}", f"{word}-{digit}", f"{word} {digit}")
    if shape == 2:
        return Term(f"{word} {TAILS[number % len(TAILS)]}", f"{word} {TAILS[number % len(TAILS)]}")
    if shape == 3:  # like Chang'e-6: the note types ', the text has ’
        head, rest = word[:2], word[2:]
        return Term(f"{head}'{rest}-{digit}", f"{head}’{rest}-{digit}", f"{head}'{rest} {digit}")
    if shape == 4:  # a hyphenated pair of names
        partner = PARTNERS[number % len(PARTNERS)]
        return Term(f"{word}-{partner}", f"{word}‑{partner}")  # a non-breaking hyphen
    return Term(word, word)


# Glossary terms take the even numbers, article notes the odd ones: never the same word.
def glossary_term(index: int) -> Term:
    return term(2 * index)


def article_term(article: int, index: int) -> Term:
    return term(2 * (article * NOTES_PER_ARTICLE + index) + 1)


def glossary_terms_of(article: int, rng: random.Random) -> list[Term]:
    """The glossary terms article `article` names: some common ones, some its own."""
    common = rng.sample(range(COMMON_GLOSSARY), COMMON_PER_ARTICLE)
    spread = GLOSSARY_SPREAD - COMMON_GLOSSARY
    rare = [
        COMMON_GLOSSARY + (article * RARE_PER_ARTICLE + j) % spread for j in range(RARE_PER_ARTICLE)
    ]
    return [glossary_term(i) for i in common + rare]


def sentence(rng: random.Random, insert: str | None = None) -> str:
    """A sentence of filler words, with some markup and perhaps a term."""
    words = [rng.choice(FILLER) for _ in range(rng.randint(9, 18))]
    roll = rng.random()
    if roll < 0.12:
        at = rng.randrange(len(words) - 1)
        words[at : at + 2] = [f"*{words[at]} {words[at + 1]}*"]
    elif roll < 0.2:
        words[0] = f"**{words[0]}**"
    elif roll < 0.28:
        at = rng.randrange(len(words) - 2)
        words[at : at + 3] = ["“" + " ".join(words[at : at + 3]) + "”"]
    elif roll < 0.34:
        at = rng.randrange(len(words) - 1)
        target = f"https://example.org/{words[at]}/{rng.randrange(1000)}"
        words[at : at + 2] = [f"[{words[at]} {words[at + 1]}]({target})"]
    elif roll < 0.4:
        at = rng.randrange(len(words))
        words[at] = f"{words[at]}’s"
    if insert is not None:
        words.insert(rng.randrange(1, len(words)), insert)
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "?", ";"] if insert else ".")


def paragraph(rng: random.Random, inserts: list[str], sentences: tuple[int, int] = (4, 7)) -> str:
    count = rng.randint(*sentences)
    slots = sorted(rng.sample(range(count), min(len(inserts), count)))
    terms = dict(zip(slots, inserts, strict=False))
    return " ".join(sentence(rng, terms.get(i)) for i in range(count))


def article(number: int) -> tuple[str, str]:
    """Article `number`'s markdown and its notes file."""
    rng = random.Random(f"{SEED}-{number}")
    own = [article_term(number, i) for i in range(NOTES_PER_ARTICLE)]
    mentions = [t.written for t in own for _ in range(rng.randint(1, 3))]
    mentions += [t.written for t in glossary_terms_of(number, rng)]
    rng.shuffle(mentions)
    day = date(2020, 1, 1) + timedelta(days=number % 2000)
    title = f"{own[0].written} and the {rng.choice(FILLER)} {rng.choice(FILLER)}"
    parts = [f'---\ntitle: "{title}"\ndate: {day.isoformat()}\n---\n']
    words = 0
    headings = rng.sample(HEADINGS, 6)
    code_at = rng.randrange(1, 5)
    section = 0
    while words < WORDS_PER_ARTICLE:
        if words >= section * WORDS_PER_ARTICLE / len(headings) and section < len(headings):
            heading = headings[section]
            if section == 2:  # a term in a heading, which anchoring must skip
                heading += f": {own[1].written}"
            parts.append(f"## {heading}\n")
            if section == code_at:
                parts.append(CODE.format(period=rng.randint(200, 800), name=own[2].written) + "\n")
            section += 1
        inserts, mentions = mentions[:3], mentions[3:]
        text = paragraph(rng, inserts)
        if rng.random() < 0.08:
            items = [sentence(rng) for _ in range(3)]
            text += "\n\n" + "\n".join(f"- {item}" for item in items)
        parts.append(text + "\n")
        words += len(text.split())
    if mentions:  # too few paragraphs for every term: a closing paragraph takes the rest
        parts.append(paragraph(rng, mentions) + " " + sentence(rng, ", ".join(mentions)) + "\n")
    return "\n".join(parts), notes(rng, own)


def note(rng: random.Random, term: Term, alias: bool) -> str:
    """One note: a gloss of one sentence, then detail with markup."""
    lines = [f"## {term.noted}"]
    if alias and term.alias:
        lines.append(f"aliases: {term.alias}")
    lines.append("")
    lines.append(sentence(rng))
    lines.append("")
    lines.append(paragraph(rng, [], sentences=(2, 5)))
    return "\n".join(lines) + "\n"


def notes(rng: random.Random, terms: list[Term]) -> str:
    return "\n".join(note(rng, t, alias=i % 4 == 0) for i, t in enumerate(terms))


def glossary(size: int) -> str:
    rng = random.Random(f"{SEED}-glossary")
    return "\n".join(note(rng, glossary_term(i), alias=False) for i in range(size))


def articles(count: int) -> Iterator[tuple[str, str, str]]:
    """(name, markdown, notes) for each of the first `count` articles."""
    for number in range(count):
        text, notes_text = article(number)
        yield f"a{number:05}", text, notes_text


def write(out: Path, count: int, glossary_size: int) -> Path:
    """Write the corpus as a site-builder site under `out`; return its seeds folder."""
    seeds = out / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    (out / "site.toml").write_text(
        f'title = "Benchmark: {count} articles, {glossary_size} glossary terms"\n'
    )
    (seeds / "_glossary.md").write_text(glossary(glossary_size))
    for name, text, notes_text in articles(count):
        (seeds / f"{name}.md").write_text(text)
        (seeds / f"{name}.notes.md").write_text(notes_text)
    return seeds


def split_front_matter(text: str) -> tuple[str, str]:
    """The title and the markdown after the front matter this generator writes (not any YAML)."""
    if not text.startswith("---\n"):
        return "", text
    header, _, body = text[4:].partition("\n---\n")
    title = next(
        (line[6:].strip().strip('"') for line in header.splitlines() if line.startswith("title:")),
        "",
    )
    return title, body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write site.toml and seeds/ into")
    parser.add_argument("--articles", type=int, default=100, metavar="N")
    parser.add_argument("--glossary", type=int, default=10, metavar="K")
    args = parser.parse_args()
    write(args.out, args.articles, args.glossary)


if __name__ == "__main__":
    main()
