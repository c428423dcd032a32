"""Screenshots of the seed article, wide and narrow, light and dark, to look at.

They are written to tests/screenshots/ (not committed). With
SITE_BUILDER_UPDATE_SCREENSHOTS=1 the light ones are also copied to
docs/screenshots/, which the README shows and which is committed:

    SITE_BUILDER_UPDATE_SCREENSHOTS=1 python -m pytest tests/browser/test_screenshots.py
"""

from __future__ import annotations

import os
import shutil
import struct

import pytest

from .conftest import ROOT, SEED_PAGE, OpenPage

SHOTS = ROOT / "tests" / "screenshots"
DOCS = ROOT / "docs" / "screenshots"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, which always comes first."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    assert data[12:16] == b"IHDR", "no IHDR chunk first"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_screenshot_of_the_seed_article(
    open_page: OpenPage, size: tuple[int, int], color_scheme: str
) -> None:
    width, height = size
    page = open_page(SEED_PAGE, width, height, color_scheme=color_scheme)
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"seed-{width}-{color_scheme}.png"
    path.unlink(missing_ok=True)
    page.screenshot(path=str(path), full_page=True)
    shot_width, shot_height = png_size(path.read_bytes())
    assert shot_width == width
    assert shot_height >= height
    if color_scheme == "light" and os.environ.get("SITE_BUILDER_UPDATE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS / f"seed-{width}.png")
