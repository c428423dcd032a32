"""Filing terms under letters, and the jump bar."""

from __future__ import annotations

import unicodedata
from string import ascii_uppercase

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


def spelled_out(term: str) -> tuple[int, str, str, str]:
    """The order sort_key keeps, as the tuple it stands for: the rank of the letter's
    alphabet, the letter, the term without accents and case, the term."""
    letter = initial(term)
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", term) if not unicodedata.combining(c)
    )
    rank = 0 if letter in ascii_uppercase else 2 if letter == OTHER else 1
    return rank, letter, stripped.casefold(), term


# Terms as notes can spell them: any text but control characters (refused on reading).
TERMS = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)


@given(st.lists(TERMS, max_size=30))
def test_sort_key_orders_terms_as_its_parts_would(terms: list[str]) -> None:
    assert sorted(terms, key=sort_key) == sorted(terms, key=spelled_out)


@given(TERMS)
def test_initial_takes_the_short_way_only_where_it_gives_the_same(term: str) -> None:
    first = next((char for char in term if char.isalnum()), "")
    if not first.isalpha():
        assert initial(term) == OTHER
    else:
        base = unicodedata.normalize("NFKD", first)[0].upper()[:1]
        expected = base if base in ascii_uppercase or base.lower() != base else OTHER
        assert initial(term) == expected
