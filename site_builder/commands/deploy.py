"""`site-builder deploy`: build the site strictly and publish it from a branch.

As `mkdocs gh-deploy` does: the built files become one new commit on a branch of
the repository holding the sources (gh-pages by default), which is then pushed.
It goes on top of the remote's branch, fetched first, when that holds deploys made
elsewhere. The commit is made with git plumbing and a temporary index, so the working tree,
the index and HEAD of the repository are never touched. Every commit made here
carries a `site-builder-deploy: <source commit>` trailer; a branch holding any
other commit is not ours to write to, and deploy refuses it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import printable, shown
from ..output import is_own
from ..search import index_site
from ..site import Project, Site
from .report import (
    EXIT_CLEAN,
    EXIT_INPUT,
    EXIT_USAGE,
    NO_ADDRESS,
    exit_status,
    print_diagnostics,
    progress_bar,
    summary,
)

TRAILER = "site-builder-deploy"
FALLBACK_IDENTITY = {"NAME": "site-builder", "EMAIL": "site-builder@localhost"}
FILE_MODE = "100644"  # the output folder holds only plain files, written 0644


class DeployError(Exception):
    """Deploying cannot go on; the message is the one line to show, and nothing was changed."""


@dataclass(frozen=True)
class Git:
    """Runs git in one repository, from its top folder."""

    root: Path

    def run(
        self,
        *args: str,
        input: str | None = None,
        env: dict[str, str] | None = None,
        check: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        done = _git([*args], cwd=self.root, input=input, env={**os.environ, **(env or {})})
        if check and done.returncode != 0:
            raise DeployError(f"error: git {args[0]}: {_message(done)}")
        return done

    def output(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None
    ) -> str:
        """What the command printed, trimmed; a DeployError when it fails."""
        return self.run(*args, input=input, env=env).stdout.strip()

    def resolve(self, ref: str) -> str | None:
        """The commit a ref names, or None when it does not exist."""
        done = self.run("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
        return done.stdout.strip() if done.returncode == 0 else None


@dataclass(frozen=True)
class Origin:
    """The source commit a deploy is built from."""

    sha: str
    short: str
    ref: str  # the branch checked out, or HEAD when detached
    dirty: bool

    def message(self) -> str:
        changes = " (with uncommitted changes)" if self.dirty else ""
        return f"Deploy {self.short} of {self.ref}{changes}\n\n{TRAILER}: {self.sha}\n"


@dataclass(frozen=True)
class Target:
    """Where the commit goes: the branch, its current tip and the commit to build on."""

    branch: str
    tip: str | None  # the local branch now; None when it does not exist yet
    parent: str | None  # tip, or the remote branch when there is no local one

    @property
    def ref(self) -> str:
        return f"refs/heads/{self.branch}"


def deploy(
    source: Path,
    branch: str,
    remote: str,
    push: bool,
    site_url: str | None,
    follow_symlinks: bool = False,
) -> int:
    """Build `source` strictly, commit it to `branch` and push that to `remote`; the exit status."""
    try:
        git = _repository(source)
        origin = _origin(git, source)
        target = _target(git, branch, remote, push)
    except DeployError as exc:
        print(printable(str(exc)), file=sys.stderr)
        return EXIT_USAGE
    with tempfile.TemporaryDirectory(prefix="site-builder-deploy-") as scratch:
        out = Path(scratch) / "site"
        progress = progress_bar()
        site = Site(
            Project.at(source, out),
            site_url=site_url,
            progress=progress,
            follow_symlinks=follow_symlinks,
        )
        with site.holding_output("deploy"):  # until the commit is made
            with progress:
                report = site.build()
                progress.stage("now the search index")
                index_site(site, report)  # a site without its search is not deployed
            print_diagnostics(report)
            print(summary(report, "built"))
            if not report.base_url:
                print(NO_ADDRESS)
            if exit_status(report, strict=True) != EXIT_CLEAN:
                print(
                    "error: nothing deployed: the site must build without errors or warnings",
                    file=sys.stderr,
                )
                return EXIT_INPUT
            try:
                commit, files = _commit(git, out, Path(scratch) / "index", origin, target)
            except DeployError as exc:
                print(printable(str(exc)), file=sys.stderr)
                return EXIT_USAGE
    done = (
        f"committed {files} file{'' if files == 1 else 's'} to {branch} as {commit} "
        f"(from {origin.short} of {origin.ref})"
    )
    if not push:
        print(printable(f"{done}; not pushed (--no-push)"))
        return EXIT_CLEAN
    pushed = git.run("push", remote, f"{target.ref}:{target.ref}", check=False)
    if pushed.returncode != 0:
        print(
            printable(f"error: {done}, but pushing it to {remote} failed: {_message(pushed)}"),
            file=sys.stderr,
        )
        return EXIT_USAGE
    print(printable(f"{done}; pushed to {remote}"))
    return EXIT_CLEAN


# Before building: what to deploy, where, and whether we may


def _repository(source: Path) -> Git:
    found = _git(["rev-parse", "--show-toplevel"], cwd=source)
    if found.returncode != 0:
        reason = _message(found)
        if "not a git repository" in reason:
            raise DeployError(
                f"{shown(source)}: error: not in a git repository; deploy commits the site "
                "to a branch of the repository holding the sources"
            )
        raise DeployError(f"{shown(source)}: error: git: {reason}")
    return Git(Path(found.stdout.strip()))


def _origin(git: Git, source: Path) -> Origin:
    sha = git.resolve("HEAD")
    if sha is None:
        raise DeployError(
            f"{shown(source)}: error: the repository has no commit yet; commit the sources "
            "first, so that the deploy can name what it was built from"
        )
    branch = git.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False).stdout.strip()
    # No optional locks: a plain `git status` may rewrite the index to refresh it.
    status = git.output("--no-optional-locks", "status", "--porcelain")
    return Origin(sha, git.output("rev-parse", "--short", sha), branch or "HEAD", bool(status))


def _target(git: Git, branch: str, remote: str, push: bool) -> Target:
    ref = f"refs/heads/{branch}"
    # As `git branch` names them (a valid refs/heads/NAME, and not HEAD), nothing @{-1}
    # or @ stands for, and not a full ref (refs/heads/gh-pages would make
    # refs/heads/refs/heads/gh-pages).
    named = git.run("check-ref-format", "--branch", branch, check=False)
    if branch.startswith(("-", "refs/")) or named.returncode or named.stdout.rstrip("\n") != branch:
        raise DeployError(f"error: '{branch}' is not a valid branch name")
    # Lines end at "\n" only: splitlines() would also split a name at U+2028 and the like.
    worktrees = git.output("worktree", "list", "--porcelain").split("\n")
    if f"branch {ref}" in worktrees:
        raise DeployError(
            f"error: branch '{branch}' is checked out, and deploy never touches a working "
            "tree; deploy to another branch with --branch NAME"
        )
    if push and (
        remote.startswith("-") or git.run("remote", "get-url", remote, check=False).returncode
    ):
        raise DeployError(
            f"error: no git remote named '{remote}'; add it with `git remote add {remote} URL`, "
            "name another with --remote, or deploy with --no-push"
        )
    tip = git.resolve(ref)
    if tip is not None:
        _refuse_foreign(git, tip, branch)
    theirs = _fetch(git, remote, branch) if push else git.resolve(f"refs/remotes/{remote}/{branch}")
    if theirs is not None and theirs != tip:
        _refuse_foreign(git, theirs, f"{remote}/{branch}")
    # Build on the remote's branch unless ours already holds it: another machine (or
    # a teammate) may have deployed since, and a push on top of an older tip is refused.
    # Our commits it lacks are whole snapshots like the new one: nothing is lost.
    ahead = tip is not None and (theirs is None or _holds(git, tip, theirs))
    return Target(branch, tip, tip if ahead else theirs)


def _fetch(git: Git, remote: str, branch: str) -> str | None:
    """The remote's tip of `branch`, fetched, or None when it has no such branch."""
    ref = f"refs/heads/{branch}"
    listed = git.run("ls-remote", "--exit-code", remote, ref, check=False)
    if listed.returncode not in (0, 2):  # 2: reached, and nothing of that name there
        raise DeployError(f"error: nothing deployed: could not reach {remote}: {_message(listed)}")
    # ls-remote matches a pattern's tail: a branch a/refs/heads/gh-pages is listed too.
    tips = [line.split("\t", 1) for line in listed.stdout.split("\n") if "\t" in line]
    tip = next((sha for sha, name in tips if name == ref), None)
    if tip is not None:
        git.run("fetch", "--quiet", "--no-tags", remote, f"+{ref}:refs/remotes/{remote}/{branch}")
    return tip


def _holds(git: Git, tip: str, commit: str) -> bool:
    """Whether `commit` is `tip` or in its history."""
    return git.run("merge-base", "--is-ancestor", commit, tip, check=False).returncode == 0


def _refuse_foreign(git: Git, tip: str, name: str) -> None:
    """Refuse a branch holding any commit that site-builder did not make."""
    log = git.output(
        "-c",
        "log.showSignature=false",
        "log",
        f"--format=%H%x00%(trailers:key={TRAILER},valueonly,unfold,separator=%x2C)%x00%s",
        tip,
    )
    for line in log.split("\n"):  # not splitlines(): a subject may hold U+2028
        sha, mark, subject = line.split("\0", 2)
        if not mark.strip():
            raise DeployError(
                f"error: branch '{name}' holds commits that site-builder did not make "
                f"({sha[:7]} '{subject}'); deploy to a branch of its own with --branch NAME"
            )


# After building: the commit


def _commit(git: Git, out: Path, index: Path, origin: Origin, target: Target) -> tuple[str, int]:
    """Commit exactly the files under `out` on top of the target; the short sha and file count.

    Blobs are hashed without filters (no line-ending or attribute conversion, whatever
    the user's git configuration says) and listed in a temporary index.
    """
    files = sorted(
        path.relative_to(out).as_posix()
        for path in out.rglob("*")
        if path.is_file() and not is_own(path.relative_to(out).as_posix())
    )
    paths = "".join(f"{_quoted(str(out / file))}\n" for file in files)
    hashed = git.output("hash-object", "-w", "--no-filters", "--stdin-paths", input=paths)
    entries = "".join(
        f"{FILE_MODE} {sha}\t{path}\0" for sha, path in zip(hashed.split(), files, strict=True)
    )
    with_index = {"GIT_INDEX_FILE": str(index)}
    git.run("update-index", "-z", "--add", "--index-info", input=entries, env=with_index)
    tree = git.output("write-tree", env=with_index)
    parents = ["-p", target.parent] if target.parent else []
    commit = git.output("commit-tree", tree, *parents, input=origin.message(), env=_identity(git))
    git.run(
        "update-ref",
        "-m",
        f"site-builder deploy of {origin.short}",
        target.ref,
        commit,
        target.tip or "",
    )
    return git.output("rev-parse", "--short", commit), len(files)


def _identity(git: Git) -> dict[str, str]:
    """A fallback author and committer for commit-tree, where git has none configured."""
    fallback = {}
    for role in ("AUTHOR", "COMMITTER"):
        if git.run("var", f"GIT_{role}_IDENT", check=False).returncode != 0:
            fallback.update(
                {f"GIT_{role}_{key}": value for key, value in FALLBACK_IDENTITY.items()}
            )
    return fallback


# Running git


def _git(
    args: list[str],
    cwd: Path,
    input: str | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=input,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            check=False,
        )
    except FileNotFoundError:
        raise DeployError("error: git not found; deploy needs git installed") from None


def _message(done: subprocess.CompletedProcess[str]) -> str:
    """git's own complaint, on one line."""
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    lines = [" ".join(line.split()) for line in lines if not line.startswith("hint:")]
    failures = [line for line in lines if line.startswith(("fatal:", "error:", "!"))]
    for prefix in ("fatal:", "error:"):
        failures = [f.removeprefix(prefix).strip() for f in failures]
    return "; ".join(failures or lines) or f"exit status {done.returncode}"


def _quoted(path: str) -> str:
    """A path as --stdin-paths reads it: C-quoted only when it opens with a quote or spans lines."""
    if not path.startswith('"') and "\n" not in path:
        return path
    escaped = path.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'
