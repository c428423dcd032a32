"""`site-builder deploy`: the built site committed to a branch and pushed, against real git."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import GOOD, Run, make_site, tree

from site_builder.commands import deploy
from site_builder.commands.report import NO_ADDRESS
from site_builder.output import JOURNAL, LOCK, MANIFEST, TEMPORARY

SOURCE = "site/seeds"
CONFIG = 'title = "Deployed readings"\n'
WARNING = {  # a note whose term occurs nowhere: a warning, so no deploy
    "seeds/mars.md": "Mars is red.\n",
    "seeds/mars.notes.md": "## Mars\nThe planet.\n\n## Jupiter\nNever mentioned.\n",
}


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=folder, capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()


def has_branch(folder: Path, branch: str) -> bool:
    done = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
        cwd=folder,
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def commits(folder: Path, branch: str) -> list[str]:
    """The commits on a branch, newest first."""
    return git(folder, "rev-list", branch).split()


def published(folder: Path, branch: str) -> dict[str, bytes]:
    """Every file on a branch with its content, by path: what GitHub Pages would serve."""
    names = git(folder, "ls-tree", "-r", "-z", "--name-only", branch).strip("\0").split("\0")
    return {
        name: subprocess.run(
            ["git", "cat-file", "blob", f"{branch}:{name}"],
            cwd=folder,
            capture_output=True,
            check=True,
        ).stdout
        for name in names
    }


def state(root: Path) -> tuple[object, ...]:
    """What deploy must not touch: the working tree, the index, HEAD, the status."""
    files = {path: data for path, data in tree(root).items() if not path.startswith(".git/")}
    index = (root / ".git" / "index").read_bytes()
    head = (root / ".git" / "HEAD").read_text(encoding="utf-8")
    return files, index, head, git(root, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site in a git repository with one commit, and a bare repository as its origin."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)  # the machine's git config plays no part
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for name in ("DIR", "WORK_TREE", "INDEX_FILE", "OBJECT_DIRECTORY"):
        monkeypatch.delenv(f"GIT_{name}", raising=False)
    for role in ("AUTHOR", "COMMITTER"):
        for part in ("NAME", "EMAIL", "DATE"):
            monkeypatch.delenv(f"GIT_{role}_{part}", raising=False)
    monkeypatch.delenv("EMAIL", raising=False)

    root = make_site(tmp_path / "site", {**GOOD, "site.toml": CONFIG})
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "An Editor")
    git(root, "config", "user.email", "editor@example.org")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "The sources")
    git(tmp_path, "init", "-q", "--bare", "origin.git")
    git(root, "remote", "add", "origin", str(tmp_path / "origin.git"))
    return root


@pytest.fixture
def origin(repo: Path) -> Path:
    return repo.parent / "origin.git"


def test_deploy_pushes_exactly_the_built_site(repo: Path, origin: Path, cli: Run) -> None:
    result = cli("deploy", "--source", SOURCE)
    assert result.code == 0, result.err
    assert result.err == ""
    source, short = git(repo, "rev-parse", "HEAD"), git(repo, "rev-parse", "--short", "HEAD")
    deployed = git(origin, "rev-parse", "--short", "gh-pages")

    built = cli("build", "--source", SOURCE, "--out", "plain")
    assert built.code == 0
    expected = tree(repo.parent / "plain")
    del expected[MANIFEST]
    assert published(origin, "gh-pages") == expected
    assert result.out.splitlines()[-2:] == [
        NO_ADDRESS,  # as build says: a project site's 404 page needs the address
        f"committed {len(expected)} files to gh-pages as {deployed} (from {short} of main); "
        "pushed to origin",
    ]
    assert git(repo, "rev-parse", "gh-pages") == git(origin, "rev-parse", "gh-pages")

    assert len(commits(origin, "gh-pages")) == 1
    message = git(origin, "log", "-1", "--format=%B", "gh-pages")
    assert message == f"Deploy {short} of main\n\nsite-builder-deploy: {source}"
    assert git(origin, "log", "-1", "--format=%an <%ae>", "gh-pages") == (
        "An Editor <editor@example.org>"
    )


def test_deploy_never_commits_the_builders_own_records(repo: Path, tmp_path: Path) -> None:
    # What a build whose manifest could not be saved leaves: the journal, a temporary;
    # and the lock deploy holds on the folder while it commits.
    out = tmp_path / "built"
    files = {
        "index.html": b"<p>page</p>",
        MANIFEST: b"{}",
        JOURNAL: b'["index.html", ""]',
        LOCK: b"4242 deploy\n",
        f"a/{TEMPORARY}x1": b"half",
        "a/b.html": b"<p>b</p>",
    }
    for name, data in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    git_ = deploy.Git(repo)
    target = deploy._target(git_, "gh-pages", "origin", push=False)
    _, count = deploy._commit(git_, out, tmp_path / "index", deploy._origin(git_, repo), target)
    assert published(repo, "gh-pages") == {"a/b.html": b"<p>b</p>", "index.html": b"<p>page</p>"}
    assert count == 2


def test_deploy_leaves_working_tree_index_and_head_alone(repo: Path, cli: Run) -> None:
    (repo / "seeds" / "good.md").write_text("The Tianwen-3 mission, edited.\n", encoding="utf-8")
    (repo / "seeds" / "staged.md").write_text("Staged, not committed.\n", encoding="utf-8")
    git(repo, "add", "seeds/staged.md")
    (repo / "notes.txt").write_text("untracked\n", encoding="utf-8")
    # Same bytes, newer time: a plain `git status` would now refresh and rewrite the index.
    os.utime(repo / "site.toml", (1_000_000_000, 1_000_000_000))
    before = state(repo)
    status = git(repo, "--no-optional-locks", "status", "--porcelain")
    staged = git(repo, "--no-optional-locks", "diff", "--cached")

    result = cli("deploy", "--source", SOURCE, "--no-push")
    assert result.code == 0, result.err
    assert state(repo) == before
    assert git(repo, "status", "--porcelain") == status
    assert git(repo, "diff", "--cached") == staged

    # What was deployed is what is on disk, and the message says it was not committed.
    assert set(published(repo, "gh-pages")) >= {"good/index.html", "staged/index.html"}
    assert git(repo, "log", "-1", "--format=%s", "gh-pages").endswith(
        "of main (with uncommitted changes)"
    )


def test_deploy_from_a_clean_tree_leaves_it_clean(repo: Path, cli: Run) -> None:
    before = state(repo)
    assert cli("deploy", "--source", SOURCE).code == 0
    assert state(repo) == before
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "diff", "--cached") == ""


def test_every_run_adds_exactly_one_commit(repo: Path, origin: Path, cli: Run) -> None:
    assert cli("deploy", "--source", SOURCE).code == 0
    first = commits(origin, "gh-pages")
    assert cli("deploy", "--source", SOURCE).code == 0
    second = commits(origin, "gh-pages")
    assert len(second) == 2
    assert second[1:] == first
    # Nothing changed in between: the same files, one more commit all the same.
    trees = [git(origin, "rev-parse", f"{sha}^{{tree}}") for sha in second]
    assert trees[0] == trees[1]


def test_no_push_commits_locally_only(repo: Path, origin: Path, cli: Run) -> None:
    result = cli("deploy", "--source", SOURCE, "--no-push")
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1].endswith("; not pushed (--no-push)")
    assert len(commits(repo, "gh-pages")) == 1
    assert not has_branch(origin, "gh-pages")


def test_branch_option_names_the_branch(repo: Path, origin: Path, cli: Run) -> None:
    result = cli("deploy", "--source", SOURCE, "--branch", "other")
    assert result.code == 0, result.err
    assert " to other as " in result.out
    assert has_branch(origin, "other")
    assert not has_branch(origin, "gh-pages")
    assert not has_branch(repo, "gh-pages")
    assert "index.html" in published(origin, "other")


def test_the_remote_branch_is_built_on_when_there_is_no_local_one(
    repo: Path, origin: Path, cli: Run
) -> None:
    assert cli("deploy", "--source", SOURCE).code == 0
    first = commits(origin, "gh-pages")
    git(repo, "branch", "-D", "gh-pages")  # as in a fresh clone: only origin/gh-pages
    result = cli("deploy", "--source", SOURCE)
    assert result.code == 0, result.err
    assert commits(origin, "gh-pages")[1:] == first


def test_without_a_git_identity_the_commit_is_signed_by_site_builder(
    repo: Path, origin: Path, cli: Run
) -> None:
    git(repo, "config", "--unset", "user.name")
    git(repo, "config", "--unset", "user.email")
    git(repo, "config", "user.useConfigOnly", "true")  # no guessing from the host name
    result = cli("deploy", "--source", SOURCE)
    assert result.code == 0, result.err
    who = git(origin, "log", "-1", "--format=%an <%ae> %cn <%ce>", "gh-pages")
    assert who == "site-builder <site-builder@localhost> site-builder <site-builder@localhost>"


# Refusals: nothing is committed, nothing is pushed.


def test_a_warning_refuses_the_deploy(repo: Path, origin: Path, cli: Run) -> None:
    make_site(repo, WARNING)
    result = cli("deploy", "--source", SOURCE)
    assert result.code == 1
    assert result.diagnostics == [
        "site/seeds/mars.notes.md:4: warning: 'Jupiter' occurs nowhere in the article "
        "(outside headings, code and links)"
    ]
    assert result.err.splitlines()[-1] == (
        "error: nothing deployed: the site must build without errors or warnings"
    )
    assert not has_branch(repo, "gh-pages")
    assert not has_branch(origin, "gh-pages")


def test_an_error_refuses_the_deploy(repo: Path, origin: Path, cli: Run) -> None:
    make_site(repo, {"seeds/empty.md": ""})
    result = cli("deploy", "--source", SOURCE, "--no-push")
    assert result.code == 1
    assert result.diagnostics == ["site/seeds/empty.md:1: error: the article is empty"]
    assert not has_branch(repo, "gh-pages")


def test_no_git_repository_is_a_usage_error(tmp_path: Path, repo: Path, cli: Run) -> None:
    make_site(tmp_path / "loose", GOOD)
    result = cli("deploy", "--source", "loose/seeds")
    assert result.code == 2
    assert result.err.splitlines() == [
        "loose/seeds: error: not in a git repository; deploy commits the site to a branch "
        "of the repository holding the sources"
    ]
    assert result.out == ""


def test_a_repository_without_commits_is_refused(tmp_path: Path, repo: Path, cli: Run) -> None:
    fresh = make_site(tmp_path / "fresh", GOOD)
    git(fresh, "init", "-q")
    result = cli("deploy", "--source", "fresh/seeds", "--no-push")
    assert result.code == 2
    assert result.err.splitlines() == [
        "fresh/seeds: error: the repository has no commit yet; commit the sources first, "
        "so that the deploy can name what it was built from"
    ]


@pytest.mark.parametrize("foreign", ["branched from main", "added on top"])
def test_a_branch_with_foreign_commits_is_refused(
    repo: Path, origin: Path, cli: Run, foreign: str
) -> None:
    if foreign == "branched from main":
        git(repo, "branch", "gh-pages", "main")
    else:
        assert cli("deploy", "--source", SOURCE, "--no-push").code == 0
        tree_sha = git(repo, "rev-parse", "gh-pages^{tree}")
        mine = git(repo, "commit-tree", tree_sha, "-p", "gh-pages", "-m", "Hand-made")
        git(repo, "update-ref", "refs/heads/gh-pages", mine)
    tip, before = git(repo, "rev-parse", "gh-pages"), state(repo)

    result = cli("deploy", "--source", SOURCE)
    assert result.code == 2
    [line] = result.err.splitlines()
    assert line.startswith("error: branch 'gh-pages' holds commits that site-builder did not make")
    assert line.endswith("deploy to a branch of its own with --branch NAME")
    assert git(repo, "rev-parse", "gh-pages") == tip
    assert state(repo) == before
    assert not has_branch(origin, "gh-pages")


def test_the_checked_out_branch_is_refused(repo: Path, cli: Run) -> None:
    head = git(repo, "rev-parse", "main")
    result = cli("deploy", "--source", SOURCE, "--branch", "main")
    assert result.code == 2
    assert "branch 'main' is checked out" in result.err
    assert git(repo, "rev-parse", "main") == head


@pytest.mark.parametrize("name", ["HEAD", "refs/heads/gh-pages", "@{-1}", "bad..name", "-x"])
def test_a_name_git_branch_would_refuse_or_read_otherwise_is_refused(
    repo: Path, origin: Path, cli: Run, name: str
) -> None:
    # --branch HEAD made refs/heads/HEAD, after which git found HEAD ambiguous.
    before = state(repo)
    result = cli("deploy", "--source", SOURCE, f"--branch={name}")
    assert (result.code, result.err.splitlines()) == (
        2,
        [f"error: '{name}' is not a valid branch name"],
    )
    assert state(repo) == before
    assert git(origin, "for-each-ref", "--format=%(refname)") == ""  # nothing pushed


def test_a_missing_remote_is_refused_before_anything_is_committed(repo: Path, cli: Run) -> None:
    result = cli("deploy", "--source", SOURCE, "--remote", "upstream")
    assert result.code == 2
    assert result.err.splitlines() == [
        "error: no git remote named 'upstream'; add it with `git remote add upstream URL`, "
        "name another with --remote, or deploy with --no-push"
    ]
    assert not has_branch(repo, "gh-pages")


def test_a_remote_out_of_reach_is_refused_before_anything_is_committed(
    repo: Path, cli: Run
) -> None:
    git(repo, "remote", "set-url", "origin", str(repo.parent / "nowhere.git"))
    result = cli("deploy", "--source", SOURCE)
    assert result.code == 2
    [line] = result.err.splitlines()
    assert line.startswith("error: nothing deployed: could not reach origin: ")
    assert "nowhere.git" in line
    assert not has_branch(repo, "gh-pages")


def test_a_refused_push_is_one_line_with_gits_reason(repo: Path, origin: Path, cli: Run) -> None:
    hook = origin / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pushes are closed today' >&2\nexit 1\n")
    hook.chmod(0o755)
    result = cli("deploy", "--source", SOURCE)
    assert result.code == 2
    [line] = result.err.splitlines()
    assert line.startswith("error: committed ")
    assert " files to gh-pages as " in line
    assert "but pushing it to origin failed: " in line
    assert "pre-receive hook declined" in line
    assert len(commits(repo, "gh-pages")) == 1  # kept: the next deploy builds on it
    assert not has_branch(origin, "gh-pages")


def test_a_deploy_made_elsewhere_since_is_built_on(
    repo: Path, origin: Path, cli: Run, tmp_path: Path
) -> None:
    # Two editors, or an editor and CI: the other's deploy reached origin first.
    assert cli("deploy", "--source", SOURCE).code == 0
    mine = commits(repo, "gh-pages")
    git(tmp_path, "clone", "-q", str(repo), "other")
    other = tmp_path / "other"
    git(other, "remote", "set-url", "origin", str(origin))
    git(other, "config", "user.name", "Another Editor")
    git(other, "config", "user.email", "another@example.org")
    edited = other / "seeds" / "good.md"
    edited.write_text(edited.read_text().replace("planned for 2028", "planned for 2028 or so"))
    git(other, "commit", "-qam", "An edit elsewhere")
    assert cli("deploy", "--source", str(other / "seeds")).code == 0
    theirs = commits(origin, "gh-pages")
    assert theirs[1:] == mine

    result = cli("deploy", "--source", SOURCE)
    assert result.code == 0, result.err
    assert commits(origin, "gh-pages")[1:] == theirs
    assert commits(repo, "gh-pages") == commits(origin, "gh-pages")


def test_commits_made_with_no_push_are_kept_below_the_next_deploy(
    repo: Path, origin: Path, cli: Run
) -> None:
    assert cli("deploy", "--source", SOURCE).code == 0
    assert cli("deploy", "--source", SOURCE, "--no-push").code == 0
    local = commits(repo, "gh-pages")
    assert cli("deploy", "--source", SOURCE).code == 0
    assert commits(origin, "gh-pages")[1:] == local


def test_a_remote_branch_whose_name_ends_like_the_target_is_not_taken_for_it(
    repo: Path, origin: Path, cli: Run
) -> None:
    # ls-remote matches a pattern's tail: a/refs/heads/gh-pages answered for gh-pages.
    git(repo, "push", "-q", "origin", "main:refs/heads/a/refs/heads/gh-pages")
    result = cli("deploy", "--source", SOURCE)
    assert result.code == 0, result.err
    assert "index.html" in published(origin, "gh-pages")


def test_a_source_branch_named_with_a_line_separator_deploys_again_and_again(
    repo: Path, cli: Run
) -> None:
    # Its name is in each deploy's subject, which splitlines() cut in two at U+2028.
    git(repo, "checkout", "-q", "-b", "main\u2028x")
    for _ in range(2):
        result = cli("deploy", "--source", SOURCE)
        assert result.code == 0, result.err


def test_control_characters_in_names_are_shown_escaped(repo: Path, cli: Run) -> None:
    result = cli("deploy", "--source", SOURCE, "--branch", "gh\u009b7m", "--no-push")
    assert result.code == 0, result.err
    assert "\u009b" not in result.out
    assert "to gh\\x9b7m as " in result.out
