"""Which way a language is written: the `dir` a page gets beside its `lang`.

A language tag (BCP 47) names its script when it is not the usual one (`ku-Arab`,
`az-Arab`, `ar-Latn`): a script subtag decides. Without one, the language's usual
script does (Unicode CLDR's likely subtags): the languages below are written from
right to left in theirs, every other one from left to right. The list is short on
purpose, the languages a site is likely to publish in; a language missing from it
can still be given its direction by its script (`xx-Arab`).
"""

from __future__ import annotations

import itertools
from typing import Literal

Direction = Literal["ltr", "rtl"]

# Languages whose usual script runs right to left (CLDR likely subtags): Arabic,
# Aramaic, South Azerbaijani, Balochi, Central Kurdish (Sorani), Dhivehi, Persian and
# Dari, Gilaki, Hebrew (and its old code iw), Khowar, Kashmiri, Northern Luri,
# Mazanderani, N'Ko, Western Panjabi, Pashto, Sindhi, Syriac, Uyghur, Urdu and
# Yiddish (and its old code ji). Kurdish (`ku`) and Panjabi (`pa`) are usually written
# in Latin and Gurmukhi: `ku-Arab`, `pa-Arab` say otherwise.
RTL_LANGUAGES = frozenset(
    "ar arc azb bal ckb dv fa glk he iw ji khw ks lrc mzn nqo pnb prs ps sd syr ug ur yi".split()  # noqa: SIM905
)
# Scripts (ISO 15924) written right to left: Adlam, Arabic (and Nastaliq), Hebrew,
# Mandaic, Mende Kikakui, N'Ko, Hanifi Rohingya, Samaritan, Syriac, Thaana, Yezidi.
RTL_SCRIPTS = frozenset("adlm arab aran hebr mand mend nkoo rohg samr syrc thaa yezi".split())  # noqa: SIM905


def direction(language: str) -> Direction:
    """`rtl` for a language tag written right to left, else `ltr` (an empty tag too)."""
    subtags = language.lower().replace("_", "-").split("-")
    # A script comes before any variant or extension (a singleton such as `u-` starts
    # one, and `en-u-nu-arab` is English with Arabic-Indic digits).
    ahead = itertools.takewhile(lambda tag: len(tag) > 1, subtags[1:])
    script = next((tag for tag in ahead if len(tag) == 4 and tag.isalpha()), None)
    if script is not None:
        return "rtl" if script in RTL_SCRIPTS else "ltr"
    return "rtl" if subtags[0] in RTL_LANGUAGES else "ltr"
