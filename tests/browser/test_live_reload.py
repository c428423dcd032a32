"""`site-builder serve` in a real browser: a saved note reloads the open page by itself,
and a broken save shows an overlay naming the file and line until it is fixed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from .conftest import ROOT

WAIT_MS = 10_000  # the longest any step may take; it should take milliseconds
NOTES = "## Mars\nThe red planet.\n"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A small site served by the real command on a free port: (its URL, its seeds)."""
    seeds = tmp_path / "site" / "seeds"
    seeds.mkdir(parents=True)
    (seeds / "one.md").write_text("# One\n\nA page about Mars.\n")
    (seeds / "one.notes.md").write_text(NOTES)
    (seeds / "two.md").write_text("# Two\n\nA page about Venus.\n")
    command = [sys.executable, "-m", "site_builder", "serve", "--source", str(seeds)]
    process = subprocess.Popen(
        [*command, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    url = ""
    for line in process.stdout:  # bounded by the process: it prints this line or exits
        if line.startswith("serving "):
            url = line.split()[1]
            break
    assert url, "serve never said where it serves"
    try:
        yield url, seeds
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0


def test_an_open_page_reloads_itself_after_a_note_is_saved(
    browser: Browser, served: tuple[str, Path]
) -> None:
    url, seeds = served
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url + "one/index.html")
    expect(page.locator("#note-mars")).to_contain_text("The red planet.")
    page.evaluate("window.notReloaded = true")
    (seeds / "one.notes.md").write_text("## Mars\nThe fourth planet from the Sun.\n")
    expect(page.locator("#note-mars")).to_contain_text("fourth planet", timeout=WAIT_MS)
    assert page.evaluate("window.notReloaded === undefined")  # a real reload, not a patch
    assert errors == []
    page.close()


def test_a_broken_save_shows_an_overlay_until_the_next_good_save(
    browser: Browser, served: tuple[str, Path]
) -> None:
    url, seeds = served
    page = browser.new_page()
    page.goto(url + "one/index.html")
    expect(page.locator("#note-mars")).to_be_attached()
    (seeds / "one.md").write_text("---\ntitle: [broken\n---\n\nA page about Mars.\n")
    overlay = page.locator("#site-builder-errors")
    expect(overlay).to_contain_text("one.md:2: error: malformed front matter", timeout=WAIT_MS)
    expect(page.locator("#note-mars")).to_contain_text("The red planet.")  # last good page
    (seeds / "one.md").write_text("# One, fixed\n\nA page about Mars.\n")
    expect(page.locator("h1")).to_have_text("One, fixed", timeout=WAIT_MS)
    expect(overlay).to_have_count(0)
    page.close()


def test_a_save_reloads_the_pages_it_changed_and_no_other(
    browser: Browser, served: tuple[str, Path]
) -> None:
    url, seeds = served
    one, two = browser.new_page(), browser.new_page()
    one.goto(url + "one/")
    two.goto(url + "two/index.html")
    expect(two.locator("h1")).to_have_text("Two")
    for page in (one, two):
        page.evaluate("window.notReloaded = true")
    (seeds / "one.md").write_text("# One, revised\n\nA page about Mars.\n")
    expect(one.locator("h1")).to_have_text("One, revised", timeout=WAIT_MS)
    # The rebuild has told of the site-wide pages too by now (the reading list, for a
    # new title): two's page stays as it is, with no reload.
    two.wait_for_timeout(1_000)
    assert two.evaluate("window.notReloaded === true")
    assert one.evaluate("window.notReloaded === undefined")
    one.close()
    two.close()
