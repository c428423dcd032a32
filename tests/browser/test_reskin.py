"""Re-skinning without templates: a site stylesheet sets the theme's documented custom
properties (docs/templates.md), and the reading layout holds as the layout tests check it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import DENSE_PAGE, HARD_PAGE, ROOT, OpenPage, build_indexed
from .geometry import measure, settle
from .test_dense_layout import activate, assert_at_rest, by_id
from .test_layout import assert_apart

REM = 18  # px: the theme's root font size (112.5%)
LAYOUT = """\
{% extends "base.html" %}
{% block head %}<link rel="stylesheet" href="{{ root }}static/skin.css">{% endblock %}
"""
LIGHT, DARK = "rgb(255, 247, 230)", "rgb(12, 24, 40)"
# The narrowest and the widest text column the docs allow, each with its notes' widths.
SKINS = {
    "narrow": {"measure": 28, "note-width": 14, "note-width-max": 16},
    "wide": {"measure": 38, "note-width": 20, "note-width-max": 22},
}


def skin_css(widths: dict[str, int]) -> str:
    sizes = "\n".join(f"  --{name}: {rem}rem;" for name, rem in widths.items())
    return f"""\
:root {{
  --background: {LIGHT};
  --text: rgb(20, 20, 20);
  --accent: rgb(0, 80, 160);
  --serif: "Liberation Serif", serif;
  --sans: "Liberation Sans", sans-serif;
{sizes}
}}
@media (prefers-color-scheme: dark) {{
  :root {{ --background: {DARK}; --text: rgb(235, 235, 235); --accent: rgb(150, 200, 255); }}
}}
"""


@pytest.fixture(scope="module", params=list(SKINS))
def skin(
    request: pytest.FixtureRequest, sites: Path, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """The layout fixture built with a skin into the served folder; its folder there."""
    name: str = request.param
    site = tmp_path_factory.mktemp(f"skin-{name}")
    shutil.copytree(ROOT / "tests" / "fixtures" / "layout" / "seeds", site / "seeds")
    (site / "templates").mkdir()
    (site / "templates" / "layout.html").write_text(LAYOUT)
    (site / "static").mkdir()
    (site / "static" / "skin.css").write_text(skin_css(SKINS[name]))
    report = build_indexed(site / "seeds", sites / f"skin-{name}")
    assert report.diagnostics.errors == []
    return name


def skinned(path: str, skin: str) -> str:
    return path.replace("layout/", f"skin-{skin}/", 1)


STYLE = """() => {
  const body = getComputedStyle(document.body);
  const text = document.querySelector('.article-body .noted > p').getBoundingClientRect();
  const note = document.querySelector('.note-toggle').getBoundingClientRect();
  return {background: body.backgroundColor, font: body.fontFamily,
          text: text.width, note: note.width};
}"""

# One margin from 1200 px, two from 1272 px; 1440 leaves notes room to grow.
SIZES = [(1240, 800), (1280, 800), (1440, 900)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("path", [DENSE_PAGE, HARD_PAGE])
def test_a_skin_takes_effect_and_the_notes_stay_beside_their_terms(
    open_page: OpenPage, skin: str, path: str, size: tuple[int, int]
) -> None:
    widths = SKINS[skin]
    page = open_page(skinned(path, skin), *size)
    settle(page)
    style = page.evaluate(STYLE)
    assert style["background"] == LIGHT
    assert style["font"].startswith('"Liberation Serif"')
    assert style["text"] == pytest.approx(widths["measure"] * REM, abs=1)
    if size[0] < 1272:
        assert style["note"] == pytest.approx(widths["note-width"] * REM, abs=1)
    else:
        assert 12 * REM - 1 <= style["note"] <= widths["note-width-max"] * REM + 1
    # What the layout tests check of these pages at these sizes: notes apart from each
    # other and from the text everywhere; on the dense page, from two margins on, each
    # gloss near its term and the margin ending near the text (test_dense_layout).
    if path == DENSE_PAGE and size[0] >= 1272:
        assert_at_rest(page, size[1])
    else:
        assert_apart(measure(page))
    # An active note is still whole and level with its term, the others out of its way.
    first = measure(page)["notes"][0]["id"]
    activate(page, first, "focus")
    layout = measure(page)
    assert abs(by_id(layout)[first]["box"]["top"] - by_id(layout)[first]["term"]["top"]) <= 6
    assert_apart(layout)


@pytest.mark.parametrize("size", SIZES[1:], ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_skin_holds_without_javascript_and_in_the_dark(
    open_page: OpenPage, skin: str, size: tuple[int, int]
) -> None:
    page = open_page(skinned(DENSE_PAGE, skin), *size, js=False, color_scheme="dark")
    assert page.evaluate(STYLE)["background"] == DARK
    assert_apart(measure(page))
