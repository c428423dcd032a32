"""Tests for ids made unique: numbered in order, never one given out twice."""

from __future__ import annotations

import itertools

from site_builder.slugs import Ids, _mark, named_slugs


def test_unique_numbers_repeats_from_two() -> None:
    ids = Ids()
    assert [ids.unique("note-c") for _ in range(3)] == ["note-c", "note-c-2", "note-c-3"]
    assert ids.unique("note-d") == "note-d"


def test_unique_passes_over_ids_taken_elsewhere() -> None:
    ids = Ids(["note-c", "note-c-3"])
    ids.update(["note-c-4"])
    assert ids.unique("note-c") == "note-c-2"
    assert ids.unique("note-c") == "note-c-5"
    assert {"note-c", "note-c-2", "note-c-3", "note-c-4", "note-c-5"} == set(ids)


def test_a_numbered_id_taken_as_a_base_is_not_given_again() -> None:
    ids = Ids()
    assert ids.unique("x-2") == "x-2"
    assert [ids.unique("x") for _ in range(3)] == ["x", "x-3", "x-4"]
    assert ids.unique("x-2") == "x-2-2"
    assert len(ids) == 5


def test_named_slugs_spell_the_symbols_that_tell_names_apart() -> None:
    names = ["C", "C++", "C#", "R&D", "Tianwen-3"]
    assert named_slugs(names, "term") == ["c", "c-plus-plus", "c-sharp", "r-and-d", "tianwen-3"]


def test_of_names_that_slug_alike_the_one_spelled_so_keeps_the_slug() -> None:
    # In either order: a name spelled as its slug is never renamed for another.
    assert named_slugs(["U.S.", "U-S"], "term") == ["u-s-" + _mark("U.S."), "u-s"]
    assert named_slugs(["U-S", "U.S."], "term") == ["u-s", "u-s-" + _mark("U.S.")]
    assert named_slugs(["Tianwen 3", "Tianwen-3"], "t")[1] == "tianwen-3"


def test_a_slug_taken_elsewhere_is_no_names() -> None:
    # A page's footnotes took `fn-1` (as `note-fn-1`): the term `fn 1` takes its mark.
    taken = {"fn-1", "mars-x"}
    assert named_slugs(["fn 1", "Mars", "FN-1"], "term", taken) == [
        "fn-1-" + _mark("fn 1"),
        "mars",
        "fn-1-" + _mark("FN-1"),
    ]


def test_a_name_keeps_its_slug_whatever_other_names_come_or_go() -> None:
    # The old numbering in order renamed `C++` from c-2 to c-3 when `C#` came. Now a
    # name moves only between its slug and its own mark, and only if not spelled so.
    names = ["U.S.", "u.s", "U-S", "US", "C", "C++", "C#", "¿?", "!!", "Mars"]
    whole = dict(zip(names, named_slugs(names, "term"), strict=True))
    assert len(set(whole.values())) == len(names)
    own = {"U.S.": "u-s", "u.s": "u-s", "¿?": "term", "!!": "term"}  # not spelled so
    for size in range(1, len(names)):
        for some in itertools.combinations(names, size):
            slugs = dict(zip(some, named_slugs(some, "term"), strict=True))
            assert len(set(slugs.values())) == size
            for name in some:
                if slugs[name] != whole[name]:
                    assert name in own, (some, slugs)
                    assert slugs[name] in {own[name], f"{own[name]}-{_mark(name)}"}
