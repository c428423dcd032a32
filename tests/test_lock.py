"""One command at a time writes an output folder (lock.py): real processes, real flock.

A real `site-builder watch` holds its folder; a `build` of it is refused at once,
naming the folder and the watch, and leaves it as it was; once the watch stops or
is killed, the build goes ahead. In one process, two Sites on one folder are two
holders. A worker forked by the holder does not keep the lock after the holder dies.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import GOOD, Run, make_site, tree
from test_watching import FILES, WAIT, running_loop, watch_command

from site_builder.lock import OutputLock
from site_builder.output import LOCK, MANIFEST, OutputError
from site_builder.site import Project, Site, build_site


def in_use(folder: str, command: str, pid: int) -> str:
    return (
        f"{folder}: error: is in use by site-builder {command} (pid {pid}); stop it, "
        "or build elsewhere with --out"
    )


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_build_refuses_a_folder_watch_is_using_until_it_stops(
    tmp_path: Path, cli: Run, number: int
) -> None:
    root = make_site(tmp_path / "site", FILES)
    out = root / "_site"
    with watch_command(root) as watching:
        before = tree(out)
        assert before[LOCK] == f"{watching.process.pid} watch\n".encode()
        refused = cli("build", "--source", root / "seeds")
        assert refused.code == 2  # as every refused output folder
        assert refused.err.splitlines() == [in_use("site/_site", "watch", watching.process.pid)]
        assert refused.out == ""
        assert tree(out) == before
        assert watching.stop(number) == 0
    assert LOCK not in tree(out)  # the watch took its lock file with it
    built = cli("build", "--source", root / "seeds")
    assert (built.code, built.err) == (0, "")
    assert LOCK not in tree(out)


def test_a_killed_holder_blocks_no_one(tmp_path: Path, cli: Run) -> None:
    root = make_site(tmp_path / "site", FILES)
    out = root / "_site"
    with watch_command(root) as watching:
        watching.process.kill()  # SIGKILL: its lock file stays, its flock goes with it
        watching.process.wait(timeout=WAIT)
        assert LOCK in tree(out)
        built = cli("build", "--source", root / "seeds")
    assert (built.code, built.err) == (0, "")
    assert LOCK not in tree(out)


HOLDER_WITH_A_WORKER = """\
import multiprocessing, sys, time
from pathlib import Path
from site_builder.lock import OutputLock

OutputLock(Path(sys.argv[1])).take("build")
worker = multiprocessing.get_context("fork").Process(target=time.sleep, args=(60,))
worker.start()
print(worker.pid, flush=True)
time.sleep(60)
"""


def test_a_forked_worker_outliving_its_holder_does_not_keep_the_lock(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER_WITH_A_WORKER, str(out)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    worker = int(holder.stdout.readline())
    try:
        with pytest.raises(
            OutputError, match=rf"in use by site-builder build \(pid {holder.pid}\)"
        ):
            OutputLock(out).take("build")  # (not the worker's pid)
        holder.kill()
        holder.wait(timeout=WAIT)
        os.kill(worker, 0)  # the worker lives on, for now
        lock = OutputLock(out)
        lock.take("build")
        lock.release()
    finally:
        holder.kill()
        holder.wait(timeout=WAIT)
        holder.stdout.close()
        os.kill(worker, signal.SIGKILL)


def test_a_worker_forked_by_the_holder_does_not_let_go_of_the_lock(tmp_path: Path) -> None:
    """Its copy is closed at the fork; when it ends, the holder still holds the folder."""
    out = tmp_path / "_site"
    lock = OutputLock(out)
    lock.take("build")
    worker = multiprocessing.get_context("fork").Process(target=os.getpid)
    worker.start()
    worker.join(timeout=WAIT)
    assert worker.exitcode == 0
    with pytest.raises(OutputError, match="in use by site-builder build"):
        OutputLock(out).take("build")
    lock.release()
    assert not (out / LOCK).exists()


@contextmanager
def held(project: Project, command: str = "watch") -> Iterator[Site]:
    """A Site in this process holding the output folder, as `command` does."""
    site = Site(project)
    with site.holding_output(command):
        site.build()
        yield site


def test_two_sites_on_one_folder_in_one_process_are_two_holders(tmp_path: Path) -> None:
    root = make_site(tmp_path, GOOD)
    project = Project.at(root / "seeds")
    with held(project) as first:
        before = tree(project.out)
        with pytest.raises(OutputError) as refused:
            build_site(project)
        assert str(refused.value) == in_use(str(project.out), "watch", os.getpid())
        assert tree(project.out) == before
        first.build()  # the holder itself builds again
        assert tree(project.out) == before
    assert LOCK not in tree(project.out)
    report = build_site(project)  # taken and let go within the build
    assert report.diagnostics.items == []
    assert LOCK not in tree(project.out)


def test_commands_that_write_nothing_take_no_lock(tmp_path: Path, cli: Run) -> None:
    root = make_site(tmp_path, GOOD)
    with held(Project.at(root / "seeds"), "serve"):
        before = tree(root)
        assert cli("check").code == 0
        assert cli("suggest", "seeds/good.md").code == 0
        assert tree(root) == before


def test_the_lock_is_never_published(tmp_path: Path) -> None:
    """Not in the manifest, so never in a deploy or the search index; the Pages workflow
    removes `.site-builder-*` (test_workflows) and deploy leaves it out (test_deploy)."""
    root = make_site(tmp_path, GOOD)
    with held(Project.at(root / "seeds")) as site:
        assert (site.project.out / LOCK).is_file()
        manifest = json.loads((site.project.out / MANIFEST).read_text(encoding="utf-8"))
        assert LOCK not in manifest and LOCK not in site.output.files
        assert all(LOCK not in name for name in tree(site.project.out) if name != LOCK)


def test_a_lost_lock_is_taken_again_or_the_cycle_says_who_has_it(tmp_path: Path) -> None:
    """The folder deleted under a watch, and another command takes it meanwhile: the
    watch's next cycle is refused, naming that command, and the one after recovers."""
    out = tmp_path / "elsewhere"  # (not watched: rebuilt at the next change)
    with running_loop(tmp_path, out=out) as running, running.site.holding_output("watch"):
        notes = running.seeds / "one.notes.md"
        notes.write_text("## Mars\nFirst.\n")
        running.wait_for(lambda: "First." in running.page(), "the first edit")
        assert (out / LOCK).read_text() == f"{os.getpid()} watch\n"
        shutil.rmtree(out)
        with held(Project.at(running.seeds, out), "build"):
            notes.write_text("## Mars\nSecond.\n")
            refused = running.reported(lambda r: bool(r.problem), "the refused cycle")
            assert refused.problem == in_use(str(out), "build", os.getpid())
        notes.write_text("## Mars\nThird.\n")
        running.wait_for(lambda: "Third." in running.page(), "the recovery")
        assert (out / LOCK).read_text() == f"{os.getpid()} watch\n"


def test_the_folders_made_for_the_lock_go_with_it_unless_written_in(tmp_path: Path) -> None:
    lock = OutputLock(tmp_path / "a" / "b" / "out")
    lock.take("build")
    assert (tmp_path / "a" / "b" / "out" / LOCK).is_file()
    lock.release()  # as after a refused build: nothing written
    assert list(tmp_path.iterdir()) == []
    lock.take("build")
    (tmp_path / "a" / "b" / "page.html").write_text("written")
    lock.release()
    assert tree(tmp_path) == {"a/b/page.html": b"written"}
