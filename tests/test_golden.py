"""Golden output: a fixture site is built and compared file by file with committed output.

A change in rendering shows up here as a readable diff. To accept a change on
purpose, rebuild the expected tree and review it in git:

    SITE_BUILDER_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

from site_builder.site import Project, build_site

FIXTURE = Path(__file__).parent / "fixtures" / "golden"
# Theme assets change with the design, not with rendering; only their presence is golden.
ASSETS = "static/"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_fixture_site_matches_golden_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = build_site(Project.at(FIXTURE / "site" / "seeds", out))
    assert [d.format() for d in report.diagnostics.sorted()] == []
    built = tree(out)
    expected_folder = FIXTURE / "expected"
    if os.environ.get("SITE_BUILDER_UPDATE_GOLDEN"):
        shutil.rmtree(expected_folder, ignore_errors=True)
        shutil.copytree(out, expected_folder)
        for asset in (expected_folder / ASSETS).rglob("*"):
            asset.write_text("(theme asset: compared by presence only)\n")
    expected = tree(expected_folder)
    assert sorted(built) == sorted(expected)
    for name, content in expected.items():
        if name.startswith(ASSETS):
            continue
        if built[name] != content:
            diff = difflib.unified_diff(
                content.decode().splitlines(),
                built[name].decode().splitlines(),
                f"expected/{name}",
                f"built/{name}",
                lineterm="",
            )
            raise AssertionError("\n".join(diff))
