"""`site-builder new DIR`: a fresh site that builds, using the default theme."""

from __future__ import annotations

import sys
from pathlib import Path

from .report import EXIT_CLEAN, EXIT_USAGE

FILES = {
    "site.toml": """\
# Site settings: title, description, site_url, language, author.
title = "My annotated readings"
description = "Readings with an editor's note beside the terms that need one."
language = "en"
author = ""
# site_url = "https://USER.github.io/REPO/"
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


def new(directory: Path) -> int:
    """Scaffold a site in `directory`, which must be missing or empty."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        print(f"{directory}: error: already exists and is not empty", file=sys.stderr)
        return EXIT_USAGE
    for relative, text in FILES.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(
        f"made a new site in {directory}; build it with:\n"
        f"  site-builder build --source {directory / 'seeds'}"
    )
    return EXIT_CLEAN
