"""The README's reference of site.toml options, rendered from SiteConfig's declarations.

    python -m site_builder.settings_table                   # print the table
    python -m site_builder.settings_table --write README.md # replace it between the markers

The README holds the table between BEGIN and END; tests/test_settings_table.py fails
when it differs from what the declarations give, so the two cannot drift.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .config import SETTINGS, TYPES

COMMAND = "python -m site_builder.settings_table --write README.md"
BEGIN = f"<!-- settings: generated from site_builder/config.py by `{COMMAND}` -->"
END = "<!-- /settings -->"
TYPE_NAMES = {str: "string", int: "whole number, 1 or more", bool: "true or false"}


def markdown() -> str:
    """The options as a markdown table: option, type, default, effect."""
    rows = ["| option | type | default | effect |", "|---|---|---|---|"]
    for setting in SETTINGS:
        default = json.dumps(setting.default, ensure_ascii=False)
        kind = TYPE_NAMES[TYPES[setting.name]]
        doc = setting.metadata["doc"]
        rows.append(f"| `{setting.name}` | {kind} | `{default}` | {doc} |")
    return "\n".join(rows) + "\n"


def replaced(text: str) -> str:
    """`text` with whatever stands between the markers replaced by the current table."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the markers are missing: {BEGIN} ... {END}")
    return text[: start + len(BEGIN)] + "\n" + markdown() + text[end:]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m site_builder.settings_table", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--write", type=Path, metavar="FILE", help="update the table in FILE")
    args = parser.parse_args(argv)
    if args.write is None:
        sys.stdout.write(markdown())
        return 0
    text = args.write.read_text(encoding="utf-8")
    args.write.write_text(replaced(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
