"""Which way a language tag is written (direction.py)."""

from __future__ import annotations

import pytest

from site_builder.direction import direction


@pytest.mark.parametrize(
    "tag",
    ["ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb", "syr", "ar-EG", "HE-il", "iw"],
)
def test_languages_written_right_to_left(tag: str) -> None:
    assert direction(tag) == "rtl"


@pytest.mark.parametrize("tag", ["en", "fr-CA", "zh-Hans", "ja", "ku", "pa", ""])
def test_languages_written_left_to_right(tag: str) -> None:
    assert direction(tag) == "ltr"


@pytest.mark.parametrize(
    ("tag", "way"),
    [
        ("ku-Arab", "rtl"),  # Sorani in Arabic script, though Kurdish is usually Latin
        ("pa-Arab-PK", "rtl"),  # Shahmukhi
        ("ar-Latn", "ltr"),  # Arabic in Latin letters
        ("yi-Latn", "ltr"),
        ("uz-Arab", "rtl"),
        ("en-u-nu-arab", "ltr"),  # Arabic-Indic digits in an extension are no script
    ],
)
def test_a_script_subtag_decides(tag: str, way: str) -> None:
    assert direction(tag) == way
