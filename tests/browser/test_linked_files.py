"""A published SVG opened on its own, as a reader may open it: nothing in it runs.

Served as GitHub Pages serves it (`image/svg+xml`, no header of ours), so that what
keeps the script from running is the cleaned copy alone.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser

from site_builder.site import Project, Site

from .conftest import serving

RUNS = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="100" height="100" onload="document.title = 'onload ran'">
  <script>window.ran = 'script'; document.title = 'script ran';</script>
  <set attributeName="onclick" to="document.title = 'set ran'"/>
  <a xlink:href="javascript:document.title = 'link ran'"><rect id="box" width="50" height="50"/></a>
</svg>
"""


def test_an_svg_opened_on_its_own_runs_no_script(browser: Browser, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.md").write_text("# A\n\n![orbit](orbit.svg)\n", encoding="utf-8")
    (seeds / "orbit.svg").write_bytes(RUNS)
    out = tmp_path / "_site"
    Site(Project.at(seeds, out)).build()
    (out / "as-written.svg").write_bytes(RUNS)  # the control: the same file, not cleaned
    context = browser.new_context()
    page = context.new_page()
    with serving(out) as url:
        page.goto(url + "as-written.svg")
        page.wait_for_load_state("load")
        assert page.evaluate("window.ran") == "script"  # so this page would tell
        page.goto(url + "_files/orbit.svg")
        page.wait_for_load_state("load")
        assert page.evaluate("window.ran === undefined && document.title === ''")
        page.click("#box")  # the link and the onclick a <set> would have made
        assert page.evaluate("document.title") == ""
        assert page.locator("#box").bounding_box() is not None  # still drawn
    context.close()
