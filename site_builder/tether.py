"""Helper processes and scratch folders that do not outlive the command that made them.

A command killed by SIGKILL (an out-of-memory kill, a CI timeout, `kill -9`) gets no
chance to end what it started. So:

- a helper process is started through a launcher that asks Linux to kill it when its
  parent dies (the parent-death signal, `prctl(PR_SET_PDEATHSIG)`) and then becomes
  the helper itself; elsewhere it runs as it is. Setting the signal in `preexec_fn`
  would do the same without the launcher, but `preexec_fn` is not safe in a process
  with threads, and `watch` has several;
- a scratch folder is named for the process that made it, and the next one made
  removes those left by processes that are gone. (Only once untouched for an hour:
  a temporary folder shared by containers may hold the folder of a process whose id
  another container's processes do not see.)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

# Runs as `python -I -S -c LAUNCHER PARENT PROGRAM ARGS...`, and becomes PROGRAM.
LAUNCHER = """\
import os, signal, sys
try:
    import ctypes
    ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
except (ImportError, OSError, AttributeError):
    pass
if os.getppid() != int(sys.argv[1]):
    sys.exit(1)  # the parent died before the signal was set
try:
    os.execv(sys.argv[2], sys.argv[2:])
except OSError as exc:
    sys.exit(f"cannot run {sys.argv[2]}: {exc.strerror}")
"""
ORPHANED = 3600  # seconds a scratch folder of a process gone is left untouched before removal


def tethered(command: Sequence[str]) -> list[str]:
    """`command`, run so that the process ends when this one does, however it ends."""
    if sys.platform != "linux" or not sys.executable:
        return list(command)
    return [sys.executable, "-I", "-S", "-c", LAUNCHER, str(os.getpid()), *command]


@contextlib.contextmanager
def scratch_folder(prefix: str) -> Iterator[Path]:
    """A new folder in the system's temporary folder, removed afterwards; those left
    by processes killed before they could remove theirs go first."""
    base = Path(tempfile.gettempdir())
    _remove_orphans(base, prefix)
    with tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}-", dir=base) as folder:
        yield Path(folder)


def _remove_orphans(base: Path, prefix: str) -> None:
    """Remove this user's folders `PREFIX<pid>-...` whose process is gone."""
    try:
        with os.scandir(base) as listing:
            entries = [entry for entry in listing if entry.name.startswith(prefix)]
    except OSError:
        return
    for entry in entries:
        pid, dash, _ = entry.name.removeprefix(prefix).partition("-")
        if not (dash and pid.isdigit()) or _running(int(pid)):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if (
            stat.S_ISDIR(info.st_mode)
            and info.st_uid == os.getuid()
            and info.st_mtime < time.time() - ORPHANED
        ):
            shutil.rmtree(entry.path, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's: running
    return True
