"""`site-builder new DIR`: a fresh site that builds, using the default theme.

The site comes with the GitHub Pages workflow that publishes site-builder's own
repository (one text for both: `.github/workflows/pages.yml` there, a copy in the
wheel) and a `requirements.txt` naming the site-builder that made the site, which
that workflow installs.
"""

from __future__ import annotations

import json
import shlex
import sys
from importlib import metadata
from pathlib import Path

from .. import __version__
from ..diagnostics import printable
from ..theme import SOURCE_CHECKOUT, THEME
from .report import EXIT_CLEAN, EXIT_USAGE

WORKFLOW = ".github/workflows/pages.yml"

FILES = {
    "site.toml": """\
# Site settings: title, description, site_url, language, author.
title = "My annotated readings"
description = "Readings with an editor's note beside the terms that need one."
language = "en"
author = ""
# site_url = "https://USER.github.io/REPO/"  (the Pages workflow sets it from GitHub)
""",
    ".gitignore": "_site/\n",
    "seeds/welcome.md": """\
---
title: Welcome
summary: A first article, to show how notes sit beside their terms.
---

This site is built by site-builder. Every source in the seeds folder becomes a
page, and the terms its notes file names carry a margin note.

Edit `seeds/welcome.notes.md`, then run `site-builder build`.
""",
    "seeds/welcome.notes.md": """\
## margin note
A note written by an editor in markdown. It sits in the margin on wide screens
and opens below its term on a phone.

## notes file
aliases: notes files

The file `NAME.notes.md` beside a source holds its notes: one `## term`
heading per note, then the note's text.
""",
}


def pages_workflow() -> str:
    """The Pages workflow: the wheel's copy, or in a source checkout the repository's own."""
    installed = THEME / "pages.yml"
    path = installed if installed.is_file() else SOURCE_CHECKOUT / WORKFLOW
    return path.read_text(encoding="utf-8")


def vcs_requirement(direct_url: str | None) -> str | None:
    """`site-builder @ git+URL@COMMIT` when direct_url.json (PEP 610) records a commit."""
    origin = json.loads(direct_url) if direct_url else {}
    vcs = origin.get("vcs_info")
    if not (vcs and origin.get("url") and vcs.get("commit_id")):
        return None
    subdirectory = origin.get("subdirectory")
    fragment = f"#subdirectory={subdirectory}" if subdirectory else ""
    return f"site-builder @ {vcs.get('vcs', 'git')}+{origin['url']}@{vcs['commit_id']}{fragment}"


def requirements(version: str, direct_url: str | None) -> str:
    """requirements.txt for the Pages workflow: the site-builder `version` that made the site.

    `direct_url` is that distribution's direct_url.json, or None when it came from an
    index. One installed from a version control commit is named by that commit; any
    other by its version, which may not be on PyPI.
    """
    vcs = vcs_requirement(direct_url)
    if vcs:
        return f"# The site-builder that made this site; the Pages workflow installs it.\n{vcs}\n"
    return (
        f"# If site-builder {version} is not on PyPI, replace the next line with a git URL\n"
        f"# (site-builder @ git+https://github.com/OWNER/site-builder@COMMIT) or a wheel's\n"
        f"# address (site-builder @ https://.../site_builder-{version}-py3-none-any.whl).\n"
        f"site-builder=={version}\n"
    )


def running_site_builder() -> tuple[str, str | None]:
    """The running site-builder's version and its direct_url.json, if it has one."""
    try:
        dist = metadata.distribution("site-builder")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return __version__, None
    return dist.version, dist.read_text("direct_url.json")


def new(directory: Path) -> int:
    """Scaffold a site in `directory`, which must be missing or empty."""
    if directory.exists() and not directory.is_dir():
        print(f"{printable(str(directory))}: error: is a file, not a folder", file=sys.stderr)
        return EXIT_USAGE
    if directory.is_dir() and any(directory.iterdir()):
        shown = printable(str(directory))
        print(f"{shown}: error: already exists and is not empty", file=sys.stderr)
        return EXIT_USAGE
    version, direct_url = running_site_builder()
    files = {
        **FILES,
        WORKFLOW: pages_workflow(),
        "requirements.txt": requirements(version, direct_url),
    }
    try:
        for relative, text in files.items():
            path = directory / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    except OSError as exc:  # say, a parent of `directory` is a file
        where = printable(exc.filename if isinstance(exc.filename, str) else str(directory))
        print(f"{where}: error: cannot make the site here: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    directory = Path(printable(str(directory)))  # as shown from here on
    print(
        f"made a new site in {directory}; build it with:\n"
        f"  site-builder build --source {shlex.quote(str(directory / 'seeds'))}\n"
        f"to publish it, push it to a GitHub repository and set Settings > Pages > Source to\n"
        f'  "GitHub Actions": {WORKFLOW} then publishes every push to main.'
    )
    if vcs_requirement(direct_url) is None:
        print(
            f"  First make sure pip can install the site-builder=={version} that"
            f" {directory / 'requirements.txt'} names (see the comment there)."
        )
    return EXIT_CLEAN
