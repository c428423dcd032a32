"""End to end: the real seeds/ folder builds cleanly, with every key term annotated."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from site_builder.diagnostics import Diagnostics
from site_builder.notes import parse_notes
from site_builder.site import Project, build_site

ROOT = Path(__file__).parent.parent
SEED = ROOT / "seeds" / "000_edfef99d65433808.txt"
SEED_SHA256 = "7a7a207501c26c5e0c0046112a2756cf8128cf9292b00180e8f2033b8350d9b4"
KEY_TERMS = [
    "big but not strong",
    "Tianwen-3",
    "Made in China 2025",
    "DeepSeek",
    "Sputnik moment",
    "Mars Sample Return",
    "playing catch-up",
    "running with the pack",
    "leading the pack",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    report = build_site(Project.at(ROOT / "seeds", out))
    # Strict-clean: no errors and no warnings in the content we ship.
    assert [d.format() for d in report.diagnostics.sorted()] == []
    return out


def test_seed_source_is_kept_byte_for_byte() -> None:
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == SEED_SHA256


def test_seed_article_has_its_title_publisher_and_excerpt_mark(site: Path) -> None:
    page = (site / "chinas-space-dream" / "index.html").read_text()
    assert "<h1>China’s Space Dream: No Limits, No End</h1>" in page
    assert '<span class="source">The Diplomat</span>' in page
    assert 'class="excerpt-note"' in page
    for chrome in ("menu_open", "We use cookies", "More information", ">7 0<", "thursday", "©"):
        assert chrome not in page


@pytest.mark.parametrize("term", KEY_TERMS)
def test_key_term_links_to_its_note(site: Path, term: str) -> None:
    page = (site / "chinas-space-dream" / "index.html").read_text()
    term_link = r'<a class="term" href="#([^"]+)" id="[^"]+" data-note="([^"]+)"[^>]*>(.*?)</a>'
    links = re.findall(term_link, page, re.S)
    anchored = {" ".join(text.split()).lower(): note for href, note, text in links if href == note}
    assert term.lower() in anchored
    assert f'<aside class="note" id="{anchored[term.lower()]}"' in page


def test_at_least_ten_notes_and_a_terms_page(site: Path) -> None:
    page = (site / "chinas-space-dream" / "index.html").read_text()
    assert page.count('<aside class="note"') >= 10
    terms = (site / "terms" / "index.html").read_text()
    for term in KEY_TERMS:
        assert f">{term}" in terms
    index = (site / "index.html").read_text()
    assert 'href="chinas-space-dream/index.html"' in index


NOTES_FILES = [ROOT / "seeds" / "000_edfef99d65433808.notes.md", ROOT / "seeds" / "_glossary.md"]
SENTENCE_END = re.compile(r"(?<!U\.S)[.!?][\"”’)]*(\s|$)")


def seed_notes() -> list[tuple[str, str]]:
    """(term, first paragraph) of every note in the seed notes and glossary."""
    diagnostics = Diagnostics()
    notes = [
        note
        for path in NOTES_FILES
        for note in parse_notes(path, path.read_text(), diagnostics).notes
    ]
    assert diagnostics.sorted() == []
    return [(note.term, note.body.split("\n\n")[0]) for note in notes]


@pytest.mark.parametrize(("term", "gloss"), seed_notes(), ids=lambda value: value[:30])
def test_each_seed_note_opens_with_a_one_sentence_gloss(term: str, gloss: str) -> None:
    """The gloss is what the margin shows at rest: one sentence of at most 30 words."""
    assert len(gloss.split()) <= 30, gloss
    assert [m.start() for m in SENTENCE_END.finditer(gloss)] == [len(gloss.rstrip()) - 1], gloss
