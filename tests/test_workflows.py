"""The GitHub Pages workflow: actionlint passes it, it holds what publishing needs, and
`site-builder new` gives every site the same text and a requirements.txt for it to install."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Run

from site_builder import __version__
from site_builder.commands import new as new_command
from site_builder.output import JOURNAL, LOCK, MANIFEST, OWN
from site_builder.theme import THEME

ROOT = Path(__file__).parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
CHECKOUT_DIRECT_URL = json.dumps({"url": "file:///home/me/site-builder", "dir_info": {}})
GIT_DIRECT_URL = json.dumps(
    {
        "url": "https://github.com/example/site-builder.git",
        "vcs_info": {"vcs": "git", "commit_id": "0123456789abcdef0123456789abcdef01234567"},
    }
)
GIT_REQUIREMENT = (
    "site-builder @ git+https://github.com/example/site-builder.git"
    "@0123456789abcdef0123456789abcdef01234567"
)


def actionlint(workflow: Path, project: Path) -> None:
    """Run actionlint, the executable the test extras install beside this Python, or fail."""
    program = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    assert program, "actionlint is not installed beside this Python: pip install -e '.[test]'"
    done = subprocess.run(
        [program, "-no-color", str(workflow)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def load(workflow: Path) -> dict[Any, Any]:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def step(steps: list[dict[str, Any]], action: str) -> tuple[int, dict[str, Any]]:
    """The one step that uses `action` (owner/name), and its position."""
    found = [(i, s) for i, s in enumerate(steps) if s.get("uses", "").startswith(action + "@")]
    assert len(found) == 1, f"{action}: {found}"
    return found[0]


def run_step(steps: list[dict[str, Any]], command: str) -> tuple[int, dict[str, Any]]:
    """The one step whose script runs `command`, and its position."""
    found = [(i, s) for i, s in enumerate(steps) if command in s.get("run", "")]
    assert len(found) == 1, f"{command}: {found}"
    return found[0]


# The workflow itself


def test_actionlint_passes_the_workflow() -> None:
    actionlint(WORKFLOW, ROOT)


def test_workflow_runs_on_push_to_main_and_by_hand() -> None:
    data = load(WORKFLOW)
    triggers = data[True]  # YAML 1.1 (PyYAML) reads the key `on` as true
    assert triggers["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in triggers


def test_workflow_has_least_permissions_and_one_deployment_at_a_time() -> None:
    data = load(WORKFLOW)
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert data["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    for job in data["jobs"].values():
        assert "permissions" not in job  # no job widens them


def test_every_action_is_pinned_to_a_major_version() -> None:
    jobs = load(WORKFLOW)["jobs"]
    uses = [s["uses"] for job in jobs.values() for s in job["steps"] if "uses" in s]
    assert uses
    for action in uses:
        assert re.fullmatch(r"actions/[a-z-]+@v\d+", action), action


def test_build_job_installs_then_builds_strictly_at_the_pages_address() -> None:
    # ... and leaves the build's own records out, as `site-builder deploy` does.
    steps = load(WORKFLOW)["jobs"]["build"]["steps"]
    checkout, _ = step(steps, "actions/checkout")
    python, setup = step(steps, "actions/setup-python")
    assert setup["with"]["python-version"] == "3.12"
    install, _ = run_step(steps, "pip install -r requirements.txt")
    configure, pages = step(steps, "actions/configure-pages")
    assert pages["id"] == "pages"
    build, built = run_step(steps, "site-builder build")
    command = shlex.split(built["run"])  # the address is one quoted argument
    assert command[:2] == ["site-builder", "build"]
    assert "--strict" in command
    assert command[command.index("--site-url") + 1] == "${{ steps.pages.outputs.base_url }}"
    cleanup, _ = run_step(steps, f"rm -f _site/{OWN}*")  # manifest, journal
    upload, _ = step(steps, "actions/upload-pages-artifact")
    assert checkout < python < install < build < cleanup < upload
    assert configure < build


@pytest.mark.skipif(shutil.which("bash") is None, reason="GitHub's runners run steps in bash")
def test_the_cleanup_step_removes_our_own_records_and_nothing_else(tmp_path: Path) -> None:
    steps = load(WORKFLOW)["jobs"]["build"]["steps"]
    _, cleanup = run_step(steps, f"_site/{OWN}")
    site = tmp_path / "_site"
    (site / "a").mkdir(parents=True)
    for name in (MANIFEST, JOURNAL, LOCK, ".nojekyll", "index.html", "a/index.html"):
        (site / name).write_text("x", encoding="utf-8")
    # Run again with none left (as when there is no journal): it must not fail the job.
    for run in ("with the records", "with none left"):
        subprocess.run(["bash", "-e", "-c", cleanup["run"]], cwd=tmp_path, check=True)
        left = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
        assert left == [".nojekyll", "a/index.html", "index.html"], run


def test_upload_keeps_hidden_files_so_nojekyll_is_published() -> None:
    steps = load(WORKFLOW)["jobs"]["build"]["steps"]
    _, upload = step(steps, "actions/upload-pages-artifact")
    # v4 dropped hidden files with no way back; v5 added include-hidden-files (default false).
    assert int(upload["uses"].rpartition("@v")[2]) >= 5
    assert upload["with"] == {"path": "_site", "include-hidden-files": True}


def test_deploy_job_deploys_the_artifact_to_the_github_pages_environment() -> None:
    deploy = load(WORKFLOW)["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"] == {
        "name": "github-pages",
        "url": "${{ steps.deployment.outputs.page_url }}",
    }
    _, deployment = step(deploy["steps"], "actions/deploy-pages")
    assert deployment["id"] == "deployment"


def test_this_repository_installs_site_builder_from_its_checkout() -> None:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if not line.startswith("#")] == ["."]


# One text: the repository's file, carried by the wheel, written by `new`


def test_the_wheel_carries_the_workflow_where_new_looks_for_it() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    force_include = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    installed = THEME / "pages.yml"  # where pages_workflow() looks first
    package_root = THEME.parent.parent
    assert (
        force_include[".github/workflows/pages.yml"]
        == installed.relative_to(package_root).as_posix()
    )


def test_a_source_checkout_without_the_wheel_copy_reads_the_repository_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(new_command, "THEME", tmp_path / "no-installed-theme")
    assert new_command.pages_workflow() == WORKFLOW.read_text(encoding="utf-8")


def test_an_installed_wheel_reads_its_own_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pages.yml").write_text("name: the wheel's copy\n", encoding="utf-8")
    monkeypatch.setattr(new_command, "THEME", tmp_path)
    assert new_command.pages_workflow() == "name: the wheel's copy\n"


def test_new_writes_the_same_workflow_and_actionlint_passes_it(
    tmp_path: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(new_command, "THEME", tmp_path / "no-installed-theme")
    result = cli("new", "mysite")
    assert result.code == 0
    written = tmp_path / "mysite" / ".github" / "workflows" / "pages.yml"
    assert written.read_text(encoding="utf-8") == WORKFLOW.read_text(encoding="utf-8")
    actionlint(written, tmp_path / "mysite")


def test_new_tells_how_to_publish(tmp_path: Path, cli: Run) -> None:
    out = cli("new", "mysite").out
    assert "site-builder build --source mysite/seeds" in out  # the old message stays first
    assert 'Settings > Pages > Source to\n  "GitHub Actions"' in out
    assert "push it to a GitHub repository" in out


# requirements.txt for a new site


def test_requirements_name_the_commit_a_git_install_came_from() -> None:
    text = new_command.requirements("0.1.0", GIT_DIRECT_URL)
    assert [line for line in text.splitlines() if not line.startswith("#")] == [GIT_REQUIREMENT]


def test_requirements_keep_a_subdirectory() -> None:
    origin = {**json.loads(GIT_DIRECT_URL), "subdirectory": "tools/site-builder"}
    text = new_command.requirements("0.1.0", json.dumps(origin))
    assert text.splitlines()[-1] == GIT_REQUIREMENT + "#subdirectory=tools/site-builder"


@pytest.mark.parametrize("direct_url", [None, CHECKOUT_DIRECT_URL], ids=["index", "checkout"])
def test_requirements_otherwise_name_the_version_and_say_how_to_replace_it(
    direct_url: str | None,
) -> None:
    lines = new_command.requirements("1.2.3", direct_url).splitlines()
    assert lines[-1] == "site-builder==1.2.3"
    comment = " ".join(lines[:-1])
    assert all(line.startswith("# ") for line in lines[:-1])
    assert "not on PyPI" in comment
    assert "git+https://" in comment
    assert ".whl" in comment


def test_new_writes_the_version_form_and_warns_about_it(
    tmp_path: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(new_command, "running_site_builder", lambda: ("0.1.0", CHECKOUT_DIRECT_URL))
    result = cli("new", "mysite")
    assert result.code == 0
    text = (tmp_path / "mysite" / "requirements.txt").read_text(encoding="utf-8")
    assert text == new_command.requirements("0.1.0", CHECKOUT_DIRECT_URL)
    assert text.endswith("\nsite-builder==0.1.0\n")
    assert "make sure pip can install the site-builder==0.1.0" in result.out


def test_new_writes_the_git_form_without_a_warning(
    tmp_path: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(new_command, "running_site_builder", lambda: ("0.1.0", GIT_DIRECT_URL))
    result = cli("new", "mysite")
    text = (tmp_path / "mysite" / "requirements.txt").read_text(encoding="utf-8")
    assert text.splitlines()[-1] == GIT_REQUIREMENT
    assert "make sure" not in result.out


def test_new_names_the_running_site_builder(tmp_path: Path, cli: Run) -> None:
    version, direct_url = new_command.running_site_builder()
    assert version == __version__
    assert cli("new", "mysite").code == 0
    written = (tmp_path / "mysite" / "requirements.txt").read_text(encoding="utf-8")
    assert written == new_command.requirements(version, direct_url)
