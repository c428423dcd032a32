"""The README's settings reference is generated from the declarations load_config checks."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from site_builder.config import OPTIONS, SETTINGS, SiteConfig, load_config
from site_builder.settings_table import BEGIN, COMMAND, END, markdown, replaced

README = Path(__file__).parent.parent / "README.md"


def test_the_readme_holds_the_generated_settings_table() -> None:
    text = README.read_text(encoding="utf-8")
    assert text == replaced(text), f"the README's settings table is stale: run `{COMMAND}`"


def test_the_table_has_a_row_for_every_option_the_code_accepts() -> None:
    rows = [line for line in markdown().splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == [setting.name for setting in SETTINGS]
    assert {setting.name for setting in SETTINGS} == OPTIONS
    assert all(setting.metadata["doc"] for setting in SETTINGS)


def test_every_default_in_the_table_is_what_an_empty_site_toml_gives(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text("")
    config = load_config(tmp_path / "site.toml")
    assert config == SiteConfig()
    for setting in SETTINGS:
        # The table shows each default as TOML; reading it back gives the default.
        row = next(line for line in markdown().splitlines() if f"| `{setting.name}` |" in line)
        shown = row.split(" | ")[2].strip("`")
        assert tomllib.loads(f"x = {shown}")["x"] == getattr(config, setting.name)


def test_replacing_keeps_the_text_around_the_markers() -> None:
    text = f"before\n{BEGIN}\nold table\n{END}\nafter\n"
    assert replaced(text) == f"before\n{BEGIN}\n{markdown()}{END}\nafter\n"
    with pytest.raises(ValueError, match="markers are missing"):
        replaced("no table here\n")
