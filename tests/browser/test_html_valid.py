"""Valid HTML5: the Nu HTML Checker (vnu.jar, from package.json) reports no error on
any page of the seed site, the layout and golden fixture sites, a new site, and a site
whose reading list is grouped by year; and on the terms index of a large glossary,
split into a page a letter."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from site_builder.commands.new import new
from site_builder.site import Project, build_site

from .conftest import ROOT, large_glossary, long_list

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SOURCES = {
    "seed": ROOT / "seeds",
    "layout": ROOT / "tests" / "fixtures" / "layout" / "seeds",
    "golden": ROOT / "tests" / "fixtures" / "golden" / "site" / "seeds",
    "rtl": ROOT / "tests" / "fixtures" / "rtl" / "seeds",
}


def test_every_generated_page_is_valid_html(tmp_path: Path) -> None:
    java = shutil.which("java")
    assert java, "java is missing: run scripts/test to install it"
    assert VNU.exists(), f"{VNU} is missing: run `npm ci`"
    sources = dict(SOURCES)
    assert new(tmp_path / "new") == 0
    sources["new"] = tmp_path / "new" / "seeds"
    sources["shelf"] = long_list(tmp_path)  # a reading list grouped by year

    folders = []
    for name, source in sources.items():
        out = tmp_path / "sites" / name
        report = build_site(Project.at(source, out))
        assert report.diagnostics.errors == [], name
        pages = sorted(out.rglob("*.html"))
        assert out / "index.html" in pages and len(pages) >= 3, (name, pages)
        folders.append(out)
    split = tmp_path / "sites" / "split"  # its 1,010 term pages are as the others'
    (tmp_path / "large").mkdir()
    report = build_site(Project.at(large_glossary(tmp_path / "large"), split))
    assert report.diagnostics.errors == []
    letters = sorted((split / "terms").glob("*.html"))
    assert {page.name for page in letters} >= {"index.html", "letter-a.html", "unused.html"}

    command = [java, "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout"]
    result = subprocess.run(
        [*command, "--skip-non-html", *map(str, folders + letters)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    messages = json.loads(result.stdout)["messages"]
    readable = [
        f"{message.get('url', '?').removeprefix('file:')}:{message.get('lastLine', '?')}: "
        f"{message.get('type')}: {message.get('message')}\n    {message.get('extract', '')!r}"
        for message in messages
    ]
    assert readable == [], "the Nu HTML Checker reports:\n" + "\n".join(readable)
    assert result.returncode == 0, result.stderr
