"""Tests for ids made unique: numbered in order, never one given out twice."""

from __future__ import annotations

from site_builder.slugs import Ids


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
