"""Cleaning an SVG before it is published: what it draws stays, nothing in it can run.

An SVG opened on its own (not shown through `<img>`) is a document of the site's origin:
its `<script>`, `onload=`, `<foreignObject>` HTML or `javascript:` link runs there. On
GitHub Pages that origin is shared with every project site of the owner, and no header
can be set, so what is published must be harmless. Sources come from many hands, so a
linked SVG is published as a copy made from an allowlist:

- SVG's own elements that draw (shapes, text, paint, filters, markers, animation) and
  their presentation attributes; anything else, in SVG's namespace or another (an
  editor's data: `inkscape:label`, `<sodipodi:namedview>`), is left out, and told
  unless it is a known drawing program's own (`EDITORS`);
- `href` and `xlink:href` only to a `#fragment` of the file or a
  `data:image/(png|jpeg|gif|webp)` URL; `<animate>`/`<set>` that would change an href or
  an event attribute, `on*` attributes, `javascript:` anywhere, and CSS that loads from
  elsewhere (`url(...)` to anything but those, `@import`) are removed;
- processing instructions (`<?xml-stylesheet?>` would run XSLT) and the DOCTYPE go.

Each removal is reported with the line it was on. A file that is not well-formed XML,
whose root is not SVG's `<svg>`, or whose DOCTYPE declares entities (billion laughs,
external entities) is refused whole.

Parsing is expat's, driven directly so that the copy is written as the file is read:
one pass and no tree, so neither a 50 MB file nor one nested a million deep costs more
than linear time, and nothing recurses. defusedxml's guards for expat are three
handlers; they are set here (an entity declaration refuses the file, and nothing
outside it is ever read), which a streaming pass needs no library for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.parsers import expat

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
HEAD = f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}"'  # xlink: for any xlink:href kept
RUNS = "an SVG published on the site must not run script"
LOADS = "an SVG published on the site must not load anything from elsewhere"
MAX_REPORTED = 20  # distinct removals reported a file; the rest are counted in one line
MAX_NAMED = 5  # names of what is not drawn, given in its one warning


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ELEMENTS = _words(
    """svg g defs symbol use switch desc title metadata view style a
    path rect circle ellipse line polyline polygon text tspan textPath image
    linearGradient radialGradient stop pattern clipPath mask marker
    animate animateMotion animateTransform set mpath
    filter feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix
    feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB
    feFuncG feFuncR feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset
    fePointLight feSpecularLighting feSpotLight feTile feTurbulence"""
)
# The namespaces of drawing programs' own data (layers, guides, the document's licence),
# which an SVG written by Inkscape or Illustrator always holds: left out as all that SVG
# does not draw, but without a warning, which `--strict` (and `deploy`) would fail on.
EDITORS = _words(
    """http://www.inkscape.org/namespaces/inkscape
    http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd
    http://www.w3.org/1999/02/22-rdf-syntax-ns# http://creativecommons.org/ns#
    http://web.resource.org/cc/ http://purl.org/dc/elements/1.1/
    http://ns.adobe.com/AdobeIllustrator/10.0/ http://ns.adobe.com/Extensibility/1.0/
    http://ns.adobe.com/Graphs/1.0/ http://ns.adobe.com/SaveForWeb/1.0/
    http://ns.adobe.com/Variables/1.0/ http://ns.adobe.com/ImageReplacement/1.0/
    http://ns.adobe.com/AdobeSVGViewerExtensions/3.0/ http://ns.adobe.com/xap/1.0/
    http://www.bohemiancoding.com/sketch/ns http://www.serif.com/"""
)
NOT_CSS = frozenset({"id", "class", "lang", "role"})  # never read as CSS: a `\` is no escape
ANIMATIONS = frozenset({"animate", "animateMotion", "animateTransform", "set"})
ATTRIBUTES = _words(
    """id class style lang tabindex role focusable version baseProfile
    x y width height viewBox preserveAspectRatio transform d points pathLength
    cx cy r rx ry x1 y1 x2 y2 fx fy fr dx dy rotate textLength lengthAdjust
    startOffset method spacing side href
    gradientUnits gradientTransform spreadMethod offset
    patternUnits patternContentUnits patternTransform clipPathUnits maskUnits
    maskContentUnits markerUnits markerWidth markerHeight refX refY orient
    filterUnits primitiveUnits in in2 result stdDeviation mode operator k1 k2 k3 k4
    type values tableValues slope intercept amplitude exponent scale xChannelSelector
    yChannelSelector baseFrequency numOctaves seed stitchTiles kernelMatrix order divisor
    bias targetX targetY edgeMode preserveAlpha surfaceScale specularConstant
    specularExponent diffuseConstant kernelUnitLength radius azimuth elevation
    pointsAtX pointsAtY pointsAtZ limitingConeAngle z
    attributeName attributeType begin dur end min max restart repeatCount repeatDur
    calcMode keyTimes keySplines keyPoints from to by additive accumulate path
    systemLanguage requiredFeatures requiredExtensions
    alignment-baseline baseline-shift clip clip-path clip-rule color color-interpolation
    color-interpolation-filters color-rendering cursor direction display dominant-baseline
    enable-background fill fill-opacity fill-rule filter flood-color flood-opacity
    font-family font-size font-size-adjust font-stretch font-style font-variant
    font-weight glyph-orientation-horizontal glyph-orientation-vertical image-rendering
    isolation letter-spacing lighting-color marker marker-end marker-mid marker-start
    mask mask-type mix-blend-mode opacity overflow paint-order pointer-events
    shape-rendering stop-color stop-opacity stroke stroke-dasharray stroke-dashoffset
    stroke-linecap stroke-linejoin stroke-miterlimit stroke-opacity stroke-width
    text-anchor text-decoration text-rendering transform-box transform-origin
    unicode-bidi vector-effect visibility word-spacing writing-mode"""
)
LOCAL_URL = re.compile(r"#|data:image/(?:png|jpeg|gif|webp)[;,]", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\"\s)]*)", re.IGNORECASE)
# Other CSS that fetches, or ran script in some browser once.
CSS_LOADS = re.compile(
    r"@import|(?<![\w-])(?:-webkit-)?image(?:-set)?\(|(?<![\w-])src\(|expression\(|-moz-binding",
    re.IGNORECASE,
)
UNSEEN = re.compile(r"[\x00-\x20]+")  # what a browser skips when it reads a URL's scheme
TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
ATTRIBUTE = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;"}
    | {"\r": "&#13;"}
)


@dataclass(frozen=True)
class Cleaned:
    """An SVG as it may be published, and what was taken out of it (by line)."""

    data: bytes | None  # None: refused, not published
    problems: tuple[tuple[int, str], ...]  # (line, message), in the order of the file


class _Refused(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def clean_svg(data: bytes) -> Cleaned:
    """`data` as an SVG that can draw but not run script or load from elsewhere."""
    cleaner = _Cleaner()
    try:
        cleaner.parser.Parse(data, True)
    except _Refused as refused:
        return Cleaned(None, ((refused.line, f"not published: {refused.message}"),))
    except expat.ExpatError as error:
        where = f"{expat.ErrorString(error.code)}, column {error.offset + 1}"
        message = f"not published: it cannot be read as SVG ({where})"
        return Cleaned(None, ((error.lineno, message),))
    return Cleaned("".join(cleaner.out).encode("utf-8"), cleaner.report())


class _Cleaner:
    """One pass of expat over a file, writing the copy as it goes."""

    def __init__(self) -> None:
        parser = self.parser = expat.ParserCreate(namespace_separator=" ")
        parser.namespace_prefixes = True  # names come as "uri local prefix": for messages
        parser.ordered_attributes = True  # as written: the copy keeps their order
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        parser.CommentHandler = self.comment
        parser.ProcessingInstructionHandler = self.instruction
        parser.EntityDeclHandler = self.entity
        parser.UnparsedEntityDeclHandler = self.entity
        parser.ExternalEntityRefHandler = self.external
        parser.SkippedEntityHandler = self.skipped
        self.out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>\n']
        self.open: list[str] = []  # the elements kept and not yet closed
        self.skipping = 0  # how deep inside an element left out
        self.style: list[str] | None = None  # the text of a <style> being read
        self.removed: dict[tuple[str, str], list[int]] = {}  # (what, why) -> [line, count]
        self.unseen: dict[str, int] = {}  # what an SVG does not draw -> its first line

    @property
    def line(self) -> int:
        return self.parser.CurrentLineNumber

    def start(self, name: str, attributes: list[str]) -> None:
        if self.skipping:
            self.skipping += 1
            return
        uri, local, shown = _split(name)
        if not self.open and (uri, local) != (SVG_NS, "svg"):
            raise _Refused(self.line, f"its root element is <{shown}>, not SVG's <svg>")
        if uri != SVG_NS or local not in ELEMENTS or self.style is not None:
            if local in ("script", "foreignObject") or uri == "http://www.w3.org/1999/xhtml":
                self.remove(f"<{shown}>", RUNS)
            elif uri not in EDITORS:
                self.unseen.setdefault(f"<{shown}>", self.line)
            self.skipping = 1
            return
        if local in ANIMATIONS:
            target = _value(attributes, "attributeName").strip().lower()
            if target.startswith("on") or target.endswith("href"):
                self.remove(f'<{local} attributeName="{_short(target)}">', RUNS)
                self.skipping = 1
                return
        self.out.append(f"<{local}" if self.open else HEAD)
        for index in range(0, len(attributes), 2):
            self.attribute(attributes[index], attributes[index + 1])
        self.out.append(">")
        self.open.append(local)
        if local == "style":
            self.style = []

    def attribute(self, name: str, value: str) -> None:
        uri, local, shown = _split(name)
        if uri == XLINK_NS and local in ("href", "title"):
            written = f"xlink:{local}"
        elif uri == XML_NS and local in ("lang", "space"):
            written = f"xml:{local}"
        elif uri == XML_NS and local == "base":
            self.remove(f"{shown}=", LOADS)
            return
        elif uri == "" and local.lower().startswith("on"):
            self.remove(f"{local}=", RUNS)
            return
        elif uri == "" and (local in ATTRIBUTES or local.startswith(("data-", "aria-"))):
            written = local
        else:
            if uri not in EDITORS:
                self.unseen.setdefault(shown, self.line)
            return
        if "javascript:" in UNSEEN.sub("", value).lower():
            self.remove(f'{shown}="javascript:…"', RUNS)
            return
        if local == "href" and not LOCAL_URL.match(value.strip()):
            self.remove(f'{shown}="{_short(value)}"', LOADS)
            return
        loads = (
            "" if local in NOT_CSS or local.startswith(("data-", "aria-")) else _css_loads(value)
        )
        if loads:
            self.remove(f"{shown}= with {loads}", LOADS)
            return
        self.out.append(f' {written}="{value.translate(ATTRIBUTE)}"')

    def end(self, name: str) -> None:
        if self.skipping:
            self.skipping -= 1
            return
        local = self.open.pop()
        if self.style is not None and local == "style":
            css, self.style = "".join(self.style), None
            loads = _css_loads(css) or ("javascript:" if "javascript:" in css.lower() else "")
            if loads:
                self.remove(f"<style> with {loads}", LOADS)
            else:
                self.out.append(css.translate(TEXT))
        self.out.append(f"</{local}>")

    def text(self, data: str) -> None:
        if self.skipping:
            return
        if self.style is not None:
            self.style.append(data)
        else:
            self.out.append(data.translate(TEXT))

    def comment(self, data: str) -> None:
        if not self.skipping and self.style is None:
            self.out.append(f"<!--{data}-->")

    def instruction(self, target: str, data: str) -> None:
        if not self.skipping:
            self.remove(f"<?{target}?>", "a processing instruction can run a stylesheet's script")

    def entity(self, name: str, *_: object) -> None:
        raise _Refused(
            self.line, f"its DOCTYPE declares the entity '{name}' (entities are not expanded)"
        )

    def external(self, *_: object) -> int:
        raise _Refused(self.line, "it refers to an external entity")

    def skipped(self, name: str, is_parameter: bool) -> None:
        if not self.skipping:
            self.unseen.setdefault(f"&{name};", self.line)

    def remove(self, what: str, why: str) -> None:
        seen = self.removed.setdefault((what, why), [self.line, 0])
        seen[1] += 1

    def report(self) -> tuple[tuple[int, str], ...]:
        """What was taken out, one line per kind of removal, in the order of the file."""
        problems = []
        for (what, why), (line, count) in self.removed.items():
            times = f", {count} times" if count > 1 else ""
            problems.append((line, f"removed {what}{times} ({why})"))
        problems.sort(key=lambda problem: problem[0])
        if len(problems) > MAX_REPORTED:
            more = len(problems) - MAX_REPORTED + 1
            problems[MAX_REPORTED - 1 :] = [
                (problems[MAX_REPORTED - 1][0], f"and {more} more removals")
            ]
        if self.unseen:
            names = list(self.unseen)
            named = ", ".join(names[:MAX_NAMED])
            rest = f" and {len(names) - MAX_NAMED} more" if len(names) > MAX_NAMED else ""
            message = f"left out what an SVG image does not draw: {named}{rest}"
            problems.append((min(self.unseen.values()), message))
            problems.sort(key=lambda problem: problem[0])
        return tuple(problems)


def _split(name: str) -> tuple[str, str, str]:
    """A name from expat as its namespace, local name, and as written (with its prefix)."""
    parts = name.split(" ")
    if len(parts) == 1:
        return "", name, name
    if len(parts) == 2:
        return parts[0], parts[1], parts[1]
    return parts[0], parts[1], f"{parts[2]}:{parts[1]}"


def _value(attributes: list[str], name: str) -> str:
    for index in range(0, len(attributes), 2):
        if attributes[index] == name:
            return attributes[index + 1]
    return ""


def _css_loads(css: str) -> str:
    """What in a piece of CSS would fetch from elsewhere, or '' when nothing would."""
    if "\\" in css:
        return "a CSS escape"  # it could spell url( or @import past the checks below
    found = CSS_LOADS.search(css)
    if found:
        return found.group()
    for url in CSS_URL.finditer(css):
        if not LOCAL_URL.match(url.group(1)):
            return f"url({_short(url.group(1))})"
    return ""


def _short(text: str) -> str:
    """A value as a message shows it: no longer than a line."""
    text = UNSEEN.sub(" ", text).strip()
    return text if len(text) <= 40 else f"{text[:39]}…"
