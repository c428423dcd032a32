"""Filing terms under letters, and the jump bar."""

from __future__ import annotations

import pytest

from site_builder.alphabet import OTHER, group, initial, jump_bar, sort_key


@pytest.mark.parametrize(
    ("term", "letter"),
    [
        ("Tianwen-3", "T"),
        ("artificial intelligence", "A"),
        ("Émile", "E"),
        ("ßeta", "S"),
        ("“big but not strong”", "B"),
        ("2025 plan", OTHER),
        ("$", OTHER),
        ("Ωmega", "Ω"),
        ("жук", "Ж"),
        ("天问三号", OTHER),
        ("", OTHER),
    ],
)
def test_initial(term: str, letter: str) -> None:
    assert initial(term) == letter


def test_terms_sort_by_letter_then_alphabetically_other_alphabets_then_the_rest() -> None:
    terms = ["天问", "zeta", "Émile", "apple", "жук", "42", "Eagle", "Ωmega"]
    assert sorted(terms, key=sort_key) == [
        "apple",
        "Eagle",
        "Émile",
        "zeta",
        "Ωmega",  # Greek comes before Cyrillic in Unicode
        "жук",
        "42",
        "天问",
    ]


def test_the_jump_bar_shows_every_latin_letter_and_links_those_with_terms() -> None:
    terms = sorted(["apple", "Cedar", "жук", "42"], key=sort_key)
    groups = group(terms, str)
    assert [(g.letter, g.id, g.items) for g in groups] == [
        ("A", "letter-a", ("apple",)),
        ("C", "letter-c", ("Cedar",)),
        ("Ж", "letter-ж", ("жук",)),
        (OTHER, "letter-other", ("42",)),
    ]
    keys = jump_bar(groups)
    assert [k.letter for k in keys][:26] == list("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert [(k.letter, k.id) for k in keys if k.id] == [
        ("A", "letter-a"),
        ("C", "letter-c"),
        ("Ж", "letter-ж"),
        (OTHER, "letter-other"),
    ]
