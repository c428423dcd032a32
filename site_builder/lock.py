"""One command at a time writes an output folder: an advisory lock on it.

Each command keeps its own idea of the folder's manifest and journal, so two
writing one folder at once would lose files from the manifest. A command that
writes the folder holds an exclusive flock(2) on `.site-builder-lock` in it;
another one finds it held and is refused at once, told who holds it. The kernel
releases a flock when its holder dies, even by SIGKILL, so a stale lock file
blocks no one: the pid and command in it are only for that message.

The file goes when the lock is released, so a finished build leaves no trace of
it. Whoever finds it gone or replaced once it holds the lock (the holder before
removed it meanwhile) takes the lock again, on the file now there. Forked
processes (parallel.py's workers) close their copy at once: a worker that
outlives its build must not keep the lock alive.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

from .diagnostics import shown
from .output import LOCK, OutputError

try:
    import fcntl
except ImportError:  # Windows: no flock; commands go on unlocked
    fcntl = None  # type: ignore[assignment]

HOLDER = re.compile(r"(\d{1,10}) ([a-z]{1,20})\n?")  # what the file says: "PID COMMAND"
READ = 64  # bytes of the file read for the message (anyone may have written in it)
TRIES = 10  # times to take the lock again after finding its file gone or replaced
# flock unsupported here (some network file systems): go on unlocked, saying nothing.
UNSUPPORTED = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL}
# Nothing can be written here by us: the build names each file it could not write.
UNWRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS}
_OPEN = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class OutputLock:
    """The lock on one output folder, taken by `take` and kept until `release` (or the
    end of the process)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / LOCK
        self._handle: int | None = None  # open on the file while we hold the lock
        self._made: list[Path] = []  # folders made for the file, deepest first

    def take(self, command: str) -> None:
        """Hold the lock (still held: nothing to do); an OutputError naming who holds it
        when another does. Where flock cannot be had, go on without it."""
        if self._handle is not None and not self.lost():
            return
        self._drop()  # lost: its file was removed or replaced, maybe by another holder
        if fcntl is None:
            return
        for _ in range(TRIES):
            handle = self._open()
            if handle is None or not self._lock(handle):
                return
            if _same_file(handle, self.path):
                self._handle = handle
                _HELD.add(self)
                _say_holder(handle, command)
                return
            os.close(handle)  # removed by the holder before as it released: try the new one

    def lost(self) -> bool:
        """Whether the lock was held but its file is gone or another (output folder deleted):
        another command may have taken the folder since."""
        return self._handle is not None and not _same_file(self._handle, self.path)

    def release(self) -> None:
        """Remove the file, then let go of the lock; nothing when it is not held."""
        if self._handle is None:
            return
        if not self.lost():
            self.path.unlink(missing_ok=True)  # while held: no one is using it
            # A command refused before writing (a broken site.toml) leaves no empty folder.
            for folder in self._made:
                try:
                    folder.rmdir()
                except OSError:
                    break  # written in (or gone): kept
        self._made = []
        self._drop()

    def _open(self) -> int | None:
        """The lock file open, made if need be; None when it cannot be (read-only)."""
        missing = [self.folder, *self.folder.parents]
        missing = missing[: next(i for i, f in enumerate(missing) if f.exists() or f == f.parent)]
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._made = self._made or missing
        except OSError as exc:
            if exc.errno in UNWRITABLE:
                return None
            raise OutputError(
                f"{shown(self.folder)}: error: cannot be made: {exc.strerror}"
            ) from exc
        try:
            return os.open(self.path, _OPEN, 0o644)
        except OSError as exc:
            if exc.errno in UNWRITABLE:
                return None
            raise OutputError(
                f"{shown(self.path)}: error: cannot be opened to lock the folder "
                f"({exc.strerror}); remove it"
            ) from exc

    def _lock(self, handle: int) -> bool:
        """Take the flock, never waiting; False (the file closed and, if we made it,
        removed) where flock is unsupported. Held by another: an OutputError."""
        assert fcntl is not None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError as exc:
            failure = exc
        try:
            if failure.errno in UNSUPPORTED:
                if os.fstat(handle).st_size == 0:
                    self.path.unlink(missing_ok=True)  # ours, empty: no trace left
                return False
            if failure.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise failure
            raise OutputError(
                f"{shown(self.folder)}: error: is in use by {_holder(handle)}; stop it, "
                "or build elsewhere with --out"
            )
        finally:
            os.close(handle)

    def _drop(self) -> None:
        """Close the file, which lets go of the lock (when no fork holds a copy)."""
        handle, self._handle = self._handle, None
        _HELD.discard(self)
        if handle is not None:
            os.close(handle)

    def _forget(self) -> None:
        """In a forked process: close our copy, taking nothing from the parent's lock."""
        if self._handle is not None:
            os.close(self._handle)
            self._handle = None


def _same_file(handle: int, path: Path) -> bool:
    """Whether the open file is still the one at `path`."""
    try:
        held, there = os.fstat(handle), os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)


def _say_holder(handle: int, command: str) -> None:
    """Write who holds the lock into its file, for the message another command shows."""
    try:
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()} {command}\n".encode(), 0)
    except OSError:
        pass  # a full disk: the lock holds all the same


def _holder(handle: int) -> str:
    """Who holds the lock, as the file says; vaguer when it says nothing we wrote."""
    try:
        said = HOLDER.fullmatch(os.pread(handle, READ, 0).decode("ascii", "replace"))
    except OSError:
        said = None
    if said is None:  # being written, or written by someone else
        return "another site-builder command"
    return f"site-builder {said[2]} (pid {said[1]})"


# The locks this process holds, kept until released (one dropped unreleased is held until
# the process ends, as its open file is): a fork closes each one's copy.
_HELD: set[OutputLock] = set()


def _forget_in_child() -> None:
    for lock in list(_HELD):
        lock._forget()
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)
