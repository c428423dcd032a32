"""Links to files beside the articles, a markdown-it-py plugin.

A relative link or image names a file in the source folder, relative to the
folder (every source and notes file sits at its top). A core rule rewrites it
to work from an article page (`SLUG/index.html`):

- another source becomes a link to its page: `other.md#x` -> `../other/index.html#x`;
- any other file is copied into the site under `_files/` and linked there:
  `images/orbit.png` -> `../_files/images/orbit.png`;
- a link that finds nothing is a warning at its file and line, and is left
  as written; one to a file that cannot be published (the system refuses to read
  it, or the site does: too large) is an error there, left as written the same
  way, so no page links a copy that cannot be made;
- a file a browser would open as a document able to run script (HTML, XML of any
  kind, a compressed SVG: `DOCUMENTS`) is never published: sources come from many
  hands, and such a file would run its script in the site's origin (on GitHub Pages,
  shared with the owner's other sites, where no header can stop it). The link is a
  warning at its line, and its words stay on the page as text (an image is left as
  written). An SVG is published cleaned of script (svg.py; `Site._write_files`).

A link that climbs out of the source folder (`../other/`) is taken as a link
between the site's pages and left as written; nothing outside is ever copied.

Links with a scheme (`https:`), a host, an absolute path or only a fragment
are left alone. `_files` can never be a slug, so copies never meet pages.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .diagnostics import Diagnostics
from .reading import OPEN_FLAGS, Reader, Refused

ENV_KEY = "links"
FILES = "_files"  # where linked files go in the site: underscores never occur in slugs
PAGE_ROOT = "../"  # from an article page back to the site's root
# Why a link to another article leads to no published page.
DRAFT = "that article is a draft: build makes no page for it"
DRAFT_WITH_PAGE = "that article is a draft: a build without --drafts makes no page for it"
NO_PAGE = "that article has no page: it cannot be built (see its errors)"
# Files not published, by extension (what GitHub Pages gives a file its type by), and
# why. Browsers open HTML, and any XML (an XHTML <script> runs in every XML document,
# and <?xml-stylesheet?> runs XSLT that can write one), as documents of the site.
_HTML = "an HTML file would run its script on the site"
_XML = "an XML file can run script on the site"
_HTML_TYPES = ".html .htm .shtml .shtm .stm .xhtml .xht .xhtm .mht .mhtml .hta"
_XML_TYPES = (
    ".xml .xsl .xslt .rss .atom .rdf .xul .xbl .mml .mathml .smil .smi .xsd .wsdl .kml .gpx "
    ".xaml .dbk .opf .xspf .xlf .xliff .ttml .dtd"
)
DOCUMENTS = {
    **dict.fromkeys(_HTML_TYPES.split(), _HTML),
    **dict.fromkeys(_XML_TYPES.split(), _XML),
    ".svgz": "a compressed SVG cannot be cleaned of script (save it as .svg)",
}
FILE = ("file",)
NOTHING = ("nothing",)
# What the system says when no file can be at a path (those Path.is_file takes as False).
NO_FILE = frozenset({errno.ENOENT, errno.ENOTDIR, errno.ELOOP, errno.ENAMETOOLONG})
NAME_MAX = 255  # bytes in one file name: a longer one names no file (ENAMETOOLONG)


@dataclass(frozen=True, eq=False)  # compared by identity: one per build, cheap to hash
class SourceLinks:
    """What links in sources can point at: the source folder, and each source's page."""

    folder: Path  # resolved
    pages: Mapping[str, str]  # a source's file name -> the slug of its page
    sources: frozenset[str] = frozenset()  # every source's file name, with a page or not
    # What the site may read: a file it refuses (too large, say) is not published.
    reader: Reader = field(default_factory=Reader)
    # Sources that are drafts: with a page (`watch`, `serve`, --drafts) linked, and warned
    # of all the same, as `build` will publish no page for them.
    drafts: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        folder: Path,
        pages: Mapping[str, str],
        sources: frozenset[str],
        reader: Reader | None = None,
        drafts: frozenset[str] = frozenset(),
    ) -> SourceLinks:
        return cls(folder.resolve(), dict(pages), sources, reader or Reader(), drafts)

    def state(self, name: str) -> tuple[str, ...]:
        """What a link to a folder-relative name finds: a page (and its slug, and whether
        it is a draft's), an article without a page, a file, a file that cannot be
        published (and why), or nothing. A page's markup depends on no more."""
        if name in self.pages:
            return ("page", self.pages[name], *(("draft",) if name in self.drafts else ()))
        if name in self.sources:
            return ("source", *(("draft",) if name in self.drafts else ()))
        return look_up(self.folder / name, self.reader)


@dataclass
class LinkState:
    """One document's links as they are resolved: where it is, what it linked."""

    links: SourceLinks
    path: Path  # the file the markdown comes from, for messages
    first_line: int  # the line of that file where the markdown starts
    files: set[str] = field(default_factory=set)  # linked files to copy, folder-relative
    targets: set[str] = field(default_factory=set)  # every name linked, found or not
    problems: Diagnostics = field(default_factory=Diagnostics)


def links_plugin(md: MarkdownIt) -> None:
    """Resolve links to files beside the articles; acts only when the env holds a LinkState."""
    md.core.ruler.push("resolve_links", resolve_links)


def resolve_links(state: StateCore) -> None:
    links = state.env.get(ENV_KEY)
    if not isinstance(links, LinkState):
        return
    for token in _inline_tokens(state.tokens):
        if not token.children:
            continue
        line = links.first_line + (token.map[0] if token.map else 0)
        unlinked = False
        for child in token.children:
            image = child.type == "image"
            url = child.attrGet("src" if image else "href")
            if child.type not in ("link_open", "image") or not isinstance(url, str):
                continue
            resolved = resolve(url, links, line, image)
            if resolved is not None:
                child.attrSet("src" if image else "href", resolved)
            elif not image:
                child.meta["unlinked"] = unlinked = True
        if unlinked:
            token.children = _unlinked(token.children)


def _unlinked(children: list[Token]) -> list[Token]:
    """Inline tokens without the links marked to go; their words stay (links never nest)."""
    kept, dropping = [], False
    for child in children:
        if child.type == "link_open" and child.meta.get("unlinked"):
            dropping = True
        elif child.type == "link_close" and dropping:
            dropping = False
        else:
            kept.append(child)
    return kept


def _inline_tokens(tokens: Sequence[Token]) -> Iterator[Token]:
    """Every inline token, those among another token's children too (a footnote's blocks)."""
    for token in tokens:
        if token.type == "inline":
            yield token
        elif token.children:
            yield from _inline_tokens(token.children)


def resolve(url: str, state: LinkState, line: int, image: bool = False) -> str | None:
    """The URL a link should have on an article page (as written when it is not ours);
    None: a link to a file that is not published, to be kept as text."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return url
    name = unquote(parts.path)
    folder = state.links.folder
    target = (folder / name).resolve()
    suffix = (f"?{parts.query}" if parts.query else "") + (
        f"#{parts.fragment}" if parts.fragment else ""
    )
    if not target.is_relative_to(folder):
        return url  # out of the source folder: a link between the site's pages, as written
    relative = target.relative_to(folder).as_posix()
    state.targets.add(relative)
    if relative in state.links.pages:
        if relative in state.links.drafts:
            state.problems.warning(state.path, line, f"link to '{url}': {DRAFT_WITH_PAGE}")
        return f"{PAGE_ROOT}{quote(state.links.pages[relative])}/index.html{suffix}"
    if relative in state.links.sources:
        why = DRAFT if relative in state.links.drafts else NO_PAGE
        state.problems.warning(state.path, line, f"link to '{url}': {why}")
        return url
    found = look_up(target, state.links.reader)
    if found == NOTHING:
        what = "article" if target.suffix in (".md", ".txt") and "/" not in relative else "file"
        state.problems.warning(
            state.path, line, f"link to '{url}': no {what} '{relative}' in the source folder"
        )
        return url
    refused = DOCUMENTS.get(target.suffix.lower())
    if refused is not None:
        kept = "the image is left as written" if image else "the link is kept as text"
        state.problems.warning(
            state.path, line, f"link to '{url}': not published: {refused}; {kept}"
        )
        return url if image else None
    if found != FILE:  # a copy could not be made: a link to it would find nothing
        state.problems.error(
            state.path,
            line,
            f"link to '{url}': '{relative}' {found[1]}",
        )
        return url
    state.files.add(relative)
    return f"{PAGE_ROOT}{FILES}/{quote(relative)}{suffix}"


def look_up(path: Path, reader: Reader) -> tuple[str, ...]:
    """What a link finds at a path: a file, nothing (a folder or a pipe is no file), or
    ("refused", why) when no copy can be made: the system refuses to read it (no
    permission on it, or on a folder on the way), or the site does (larger than
    max_file_mb)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return NOTHING
        reader.check(path)
        os.close(os.open(path, OPEN_FLAGS))  # permission to read is only known by trying
    except Refused as refused:
        return ("refused", str(refused))
    except OSError as exc:
        if exc.errno in NO_FILE and not _path_too_long(exc, path):
            return NOTHING
        return ("refused", f"cannot be read ({exc.strerror or exc})")
    return FILE


def _path_too_long(exc: OSError, path: Path) -> bool:
    """Whether the system refuses a path for its whole length, though each name in it
    could be a file's: a file may be there all the same, beyond what can be opened."""
    return exc.errno == errno.ENAMETOOLONG and all(
        len(os.fsencode(name)) <= NAME_MAX for name in path.parts
    )
