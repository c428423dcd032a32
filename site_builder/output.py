"""The output folder: checked before use, written atomically, pruned of stale pages.

A manifest records which file was written for which source, so a rebuild can
tell our files from anyone else's, remove pages of deleted articles, and keep
the last good output of a page whose source is broken.

A build can be killed at any moment (kill -9, power loss, a CI timeout), and the
next one recovers by itself. Every file is written to a temporary, named as only
the builder names its files, then renamed over its target. A new file (a path
the manifest does not list) is renamed into place only once its path is in an
append-only journal, flushed to disk: new files wait as temporaries and come
into place in batches, one flush of the journal for each batch. So every file in
the folder is listed in the manifest or the journal, or is one of our
temporaries: the next build removes the temporaries, takes over what the journal
lists, and clears the journal once the manifest saying so is safely on disk.
Anything else is not ours, and the folder is refused.
"""

from __future__ import annotations

import errno
import hashlib
import itertools
import json
import os
import stat
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath

from .diagnostics import shown

OWN = ".site-builder-"  # every name the builder keeps for itself in the output starts so
MANIFEST = OWN + "manifest.json"  # what the folder holds, for which source
JOURNAL = OWN + "journal"  # files being created since the manifest was last saved
TEMPORARY = OWN + "tmp-"  # a file being written, renamed over its target when complete
LOCK = OWN + "lock"  # held by the one command writing the folder (lock.py)
SITE = ""  # owner of pages that belong to no one source (reading list, terms, 404)
ASSETS = "(assets)"  # owner of static files
SEARCH = "(search)"  # owner of the search index, written after a build by search.py
FILE_MODE = 0o644
BATCH = 100  # new files put in place after one flush of the journal
GIT = ".git"  # a git worktree for publishing may live in the output: left alone


class OutputError(Exception):
    """The output folder cannot be used; nothing was written."""


def is_own(relative: str) -> bool:
    """Whether a path in the output is the builder's own bookkeeping: never to publish.

    The manifest, the journal, the lock and temporaries: `.site-builder-*`, at any depth.
    """
    return relative.rstrip("/").rsplit("/", 1)[-1].startswith(OWN)


def check_output_place(out: Path, project: Path, protected: list[Path]) -> None:
    """Refuse an output folder that could overwrite the project, or that is a file."""
    target = out.resolve()
    if target == project.resolve() or target == Path(target.anchor):
        place = "the project folder itself" if target == project.resolve() else "the root folder"
        raise OutputError(
            f"{shown(out)}: error: refusing to write the site into {place}; "
            "use a folder of its own such as _site"
        )
    for path in protected:
        path = path.resolve()
        if path == target or path.is_relative_to(target) or target.is_relative_to(path):
            raise OutputError(
                f"{shown(out)}: error: refusing an output folder that holds or sits inside "
                f"{shown(path)}; use a folder of its own such as _site"
            )
    if target.exists() and not target.is_dir():
        raise OutputError(f"{shown(out)}: error: is a file, not a folder")


def check_output_dir(out: Path) -> list[str]:
    """Refuse an output folder (its place checked) holding files we did not write; the
    files it holds (for Output, which need not look again)."""
    target = out.resolve()
    listing: list[str] = []
    if target.is_dir():
        # Ours: what the manifest lists, what an interrupted build listed in the journal
        # before creating it, and our temporaries.
        owned = set(_read_manifest(target)) | set(_read_journal(target))
        listing = list(_files(target))
        strangers = sorted(
            relative for relative in listing if relative not in owned and not _bookkeeping(relative)
        )
        if strangers:
            listed = ", ".join(strangers[:5]) + (" ..." if len(strangers) > 5 else "")
            raise OutputError(
                f"{shown(out)}: error: holds files site-builder did not write ({listed}); "
                "empty it or choose another output folder"
            )
    return listing


class Output:
    """Writes files under one folder and remembers which source each came from.

    Opening it recovers from an interrupted build: temporaries are removed, and the
    files the journal lists are ours (the next `save` records them in the manifest).
    A failed write or removal raises OSError naming the file; what was there stays.
    """

    def __init__(self, folder: Path, listing: Iterable[str] | None = None) -> None:
        """`listing`: the files the folder holds, if known (check_output_dir)."""
        self.folder = folder
        self._listed = _read_manifest(folder)  # what the manifest on disk says
        journaled = _read_journal(folder)
        self.files = {**self._listed, **journaled}  # relative path -> owner
        self._by_owner: dict[str, set[str]] = {}  # owner -> its relative paths
        for relative, owner in self.files.items():
            self._by_owner.setdefault(owner, set()).add(relative)
        self.written: set[str] = set()  # since the last save
        self.changed = False  # whether a file was written anew or removed (reset by its user)
        self._renewed: set[str] = set()  # files written anew or removed, until taken
        self.failed = False  # whether a write failed since the last save
        self._claimed = set(self.files)  # provably ours: in the manifest or the journal
        self._claims: set[str] = set()  # claimed since the last save
        self._unsaved = self.files != self._listed  # whether the manifest is out of date
        self._pending: dict[str, tuple[Path, Path]] = {}  # new: (temporary, target)
        self._resolved = folder.resolve()
        self._inside_folders: set[str] = set()  # folders `_inside` found inside, this build
        self._recover(listing)

    def write(self, relative: str, content: str | bytes, owner: str = SITE) -> None:
        """Write one file atomically, and only if its content changed."""
        target = self._inside(relative)
        data = content.encode("utf-8") if isinstance(content, str) else content
        self._record(relative, owner)
        try:
            self._store(relative, target, data)
            if len(self._pending) >= BATCH:
                self._flush()
        except OSError:
            self.failed = True
            raise

    def replace(
        self,
        owner: str,
        files: Mapping[str, str | bytes],
        stop: Callable[[], bool] | None = None,
    ) -> bool:
        """Write an owner's files, in order, removing any other file it wrote before.

        `stop` is asked before each file: True ends the writing there, and every other
        file of the owner stays as it was. Then the answer is False.
        """
        for relative, content in files.items():
            if stop is not None and stop():
                return False
            self.write(relative, content, owner)
        for relative in self._by_owner.get(owner, set()) - files.keys():
            self.remove(relative)
        return True

    def expect(self, files: Mapping[str, str]) -> None:
        """Claim files (path -> owner) that another process will `put` in place: the new
        ones are listed in the journal first, flushed, so they are ours from the start."""
        for relative in files:
            self._inside(relative)
        new = {
            relative: owner for relative, owner in files.items() if relative not in self._claimed
        }
        if new:
            self._journal(new)
            self._claimed.update(new)
            self._claims.update(new)

    def adopt(self, owner: str, files: Collection[str]) -> None:
        """Record files `put` in place for an owner, removing any other file it wrote."""
        self.changed = True  # (put may have found them as they were: no matter)
        self._renewed.update(files)
        for relative in files:
            self._record(relative, owner)
        for other in self._by_owner[owner] - set(files):
            self.remove(other)

    def placed(self, relative: str, owner: str) -> None:
        """Record a file another process `put` in place for an owner (`expect`ed first)."""
        self.changed = True
        self._renewed.add(relative)
        self._record(relative, owner)

    def remove_owner(self, owner: str) -> None:
        """Remove every file written for an owner (a deleted source)."""
        for relative in list(self._by_owner.get(owner, ())):
            self.remove(relative)

    def remove(self, relative: str) -> None:
        """Remove one file we wrote, and folders it leaves empty; if that fails, it stays ours."""
        if relative not in self.files:
            return
        self.changed = True
        self._renewed.add(relative)
        self._discard(relative)
        self._delete(self._inside(relative))
        self._by_owner[self.files.pop(relative)].discard(relative)
        self._unsaved = True

    def prune(self, keep: set[str]) -> None:
        """After a full build: remove files it did not write, unless their owner is in `keep`.

        Not after a failed write (a full disk): the stage it stopped may not have
        reached files it still wants. The next build that writes everything prunes.
        """
        if self.failed:
            return
        for relative, owner in list(self.files.items()):
            if relative not in self.written and owner not in keep:
                self.remove(relative)

    def _record(self, relative: str, owner: str) -> None:
        """A file written (or to be) for an owner in this build."""
        before = self.files.get(relative)
        if before != owner:
            if before is not None:
                self._by_owner[before].discard(relative)
            self.files[relative] = owner
            self._unsaved = True
            self._by_owner.setdefault(owner, set()).add(relative)
        self.written.add(relative)

    def stamp(self, relative: str, content: str | bytes) -> tuple[str, int, int]:
        """What `keep` knows a file by: its content's digest, its size and time as written."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        try:
            status = os.stat(self.folder / relative)
        except OSError:
            return content_digest(data), -1, -1
        return content_digest(data), status.st_size, status.st_mtime_ns

    def keep(self, relative: str, digest: str, size: int = -1, time: int = -1) -> bool:
        """Keep a file of ours as it is, as if written again, if it is as `stamp` said: the
        same size and time, or else the same content; False when it is not there so."""
        if relative not in self.files:
            return False
        try:
            status = os.stat(self.folder / relative)
            same = (status.st_size, status.st_mtime_ns) == (size, time)
            if not same and content_digest((self.folder / relative).read_bytes()) != digest:
                return False
        except OSError:
            return False
        self.written.add(relative)
        return True

    def leave(self, relative: str) -> None:
        """Leave a file of ours as it is, whatever it holds, and not pruned as unwritten:
        a page that could not be made this time keeps its last good output."""
        if relative in self.files:
            self.written.add(relative)

    def holds(self, owner: str, files: Mapping[str, str], read: bool = False) -> bool:
        """Whether the folder holds these files (path -> digest of its content) for an
        owner: as the manifest says, and with that content too when `read`."""
        if not files or any(self.files.get(relative) != owner for relative in files):
            return False
        if not read:
            return True
        try:
            return all(
                content_digest((self.folder / relative).read_bytes()) == digest
                for relative, digest in files.items()
            )
        except OSError:
            return False

    def take_renewed(self) -> set[str]:
        """The files written anew or removed since the last call (for `serve`, which
        reloads the open pages among them)."""
        renewed, self._renewed = self._renewed, set()
        return renewed

    def intact(self) -> bool:
        """Whether the folder and its manifest are still there (not deleted behind our back)."""
        return (self.folder / MANIFEST).is_file()

    def save(self) -> None:
        """Record what the folder holds, for the next build (when that changed).

        The manifest is on disk, flushed, before the new files still waiting come
        into place and before the journal goes: at every moment the manifest or the
        journal lists each file we wrote.
        """
        self.written = set()
        self.failed = False
        self._inside_folders = set()  # a folder may be a symlink by the next build
        pending, self._pending = self._pending, {}
        if self._unsaved or not (self.folder / MANIFEST).exists():
            manifest = json.dumps(dict(sorted(self.files.items())), indent=1) + "\n"
            try:
                self._commit(manifest.encode("utf-8"))
            except OSError:
                _discard_all(pending)
                raise
            self._listed = dict(self.files)
            self._claimed = set(self._listed)
            self._unsaved = False
        else:  # as listed: only what was claimed since may not be (an edit's cost, not the site's)
            self._claimed -= self._claims - self._listed.keys()
        self._claims = set()
        failure = _place(pending)
        self._clear_journal()
        if failure is not None:
            raise failure

    # What touches the disk (a dry run does none of it)

    def _recover(self, listing: Iterable[str] | None) -> None:
        """Remove the temporaries an interrupted build left behind."""
        if self.folder.is_dir():
            for relative in _files(self.folder) if listing is None else listing:
                if PurePosixPath(relative).name.startswith(TEMPORARY):
                    self._delete(self.folder / relative)

    def _store(self, relative: str, target: Path, data: bytes) -> None:
        """Put the bytes in place atomically, unless they are there already.

        A new file waits as a temporary until `_flush` has listed it in the journal.
        """
        try:
            if relative in self._pending:
                self._discard(relative)  # written twice before it came into place
            elif target.is_file() and target.read_bytes() == data:
                return
            self.changed = True
            self._renewed.add(relative)
            temporary = _temporary(target.parent, data)
            if relative in self._claimed:
                _rename(temporary, target)
            else:
                self._pending[relative] = (temporary, target)
        except OSError as exc:
            raise _naming(exc, target) from exc

    def _flush(self) -> None:
        """List the new files in the journal, flushed to disk, then put them in place."""
        pending, self._pending = self._pending, {}
        if not pending:
            return
        try:
            self._journal({relative: self.files[relative] for relative in pending})
        except OSError:
            _discard_all(pending)
            raise
        self._claimed.update(pending)
        self._claims.update(pending)
        failure = _place(pending)
        if failure is not None:
            raise failure

    def _journal(self, files: Mapping[str, str]) -> None:
        """Append files (path -> owner) to the journal, flushed to disk."""
        journal = self.folder / JOURNAL
        created = not journal.exists()
        lines = "".join(json.dumps([relative, owner]) + "\n" for relative, owner in files.items())
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(journal, "ab") as stream:
            stream.write(lines.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        if created:
            _sync_folder(self.folder)

    def _discard(self, relative: str) -> None:
        """Forget a new file not yet in place."""
        temporary, _ = self._pending.pop(relative, (None, None))
        if temporary is not None:
            temporary.unlink(missing_ok=True)

    def _commit(self, manifest: bytes) -> None:
        """Put the manifest in place, flushed to disk."""
        target = self.folder / MANIFEST
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _rename(_temporary(self.folder, manifest, durable=True), target)
            _sync_folder(self.folder)
        except OSError as exc:
            raise _naming(exc, target) from exc

    def _clear_journal(self) -> None:
        (self.folder / JOURNAL).unlink(missing_ok=True)

    def _delete(self, path: Path) -> None:
        """Remove a file, and the folders it leaves empty."""
        path.unlink(missing_ok=True)
        for parent in path.parents:
            if parent == self.folder:
                break
            try:  # asking first listed the folder: with 150,000 term pages, per page
                parent.rmdir()
            except OSError:
                break  # not empty, or not a folder (an empty one left behind is harmless)

    def _inside(self, relative: str) -> Path:
        folder, _, name = relative.rpartition("/")
        if name in ("", ".", "..") or not self._known_inside(folder):
            # Resolved once a folder (a build writes 15 files a folder, or one a term page).
            target = (self.folder / relative).resolve()
            if not target.is_relative_to(self._resolved):
                raise OutputError(f"refusing to write outside the output folder: {relative}")
            self._inside_folders.add(folder)
        if is_own(relative):
            raise OutputError(f"refusing to write {relative}: {OWN}* names are site-builder's own")
        return self.folder / relative

    def _known_inside(self, folder: str) -> bool:
        """Whether a folder is known to be inside the output folder: found so before, or a
        real folder (or none yet) right in one that was. (Resolving each new folder, one a
        term page, took a tenth of writing the page.)"""
        if folder in self._inside_folders:
            return True
        parent, _, name = folder.rpartition("/")
        if parent not in self._inside_folders or name in ("", ".", ".."):
            return False
        try:
            mode = os.lstat(f"{self.folder}/{folder}").st_mode
        except FileNotFoundError:
            mode = stat.S_IFDIR  # made as a real folder, when its first file is written
        except OSError:
            return False
        if not stat.S_ISDIR(mode):
            return False  # a symlink: resolved
        self._inside_folders.add(folder)
        return True


class DryRun(Output):
    """An output that writes nothing: `check` runs the whole pipeline through it."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.files = {}  # as if the folder were empty: every file is new
        self._by_owner = {}
        self._listed = {}

    def _recover(self, listing: Iterable[str] | None) -> None:
        pass

    def _store(self, relative: str, target: Path, data: bytes) -> None:
        pass

    def _commit(self, manifest: bytes) -> None:
        pass

    def _journal(self, files: Mapping[str, str]) -> None:
        pass

    def _clear_journal(self) -> None:
        pass

    def _delete(self, path: Path) -> None:
        pass

    def intact(self) -> bool:
        return True  # nothing written, nothing to lose


def content_digest(data: bytes) -> str:
    """A digest of a file's content."""
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def put(folder: Path, relative: str, data: bytes) -> None:
    """Put bytes in place in an output folder atomically, unless they are there already:
    for a file its Output claims (`expect`), from any process."""
    target = folder / relative
    try:
        if target.is_file() and target.read_bytes() == data:
            return
        _rename(_temporary(target.parent, data), target)
    except OSError as exc:
        raise _naming(exc, target) from exc


def _temporary(folder: Path, data: bytes, durable: bool = False) -> Path:
    """A new file of ours in the folder holding the bytes (flushed to disk, if durable);
    the folder is made if need be."""
    try:
        handle, temporary = _create(folder)
    except FileNotFoundError:  # a page's first build: asking first cost a call a file
        _make_folders(folder)
        handle, temporary = _create(folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            if _CHMOD:  # the umask may have taken bits off: a site is meant to be read
                os.fchmod(handle, FILE_MODE)
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _make_folders(folder: Path) -> None:
    """mkdir -p, from the nearest folder that exists down: Path.mkdir(parents=True)
    recurses, and public/ may hold a tree 1,000 deep."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for each in reversed(missing):
        each.mkdir(exist_ok=True)


_names = itertools.count()
_CHMOD = hasattr(os, "fchmod")
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def _create(folder: Path) -> tuple[int, Path]:
    """A new, empty temporary in the folder, open for writing: named by process and count
    (tempfile.mkstemp's random names cost more than the write of a small page)."""
    while True:
        temporary = folder / f"{TEMPORARY}{os.getpid()}-{next(_names)}"
        try:
            return os.open(temporary, _CREATE, FILE_MODE), temporary
        except FileExistsError:
            continue  # left by a killed process of the same number: the next build removes it


def _rename(temporary: Path, target: Path) -> None:
    """Put a temporary in place of its target at once; on failure the target stays as it was."""
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _place(pending: Mapping[str, tuple[Path, Path]]) -> OSError | None:
    """Rename each temporary over its target; the first failure, naming its file."""
    failure = None
    for temporary, target in pending.values():
        try:
            _rename(temporary, target)
        except OSError as exc:
            failure = failure or _naming(exc, target)
    return failure


def _discard_all(pending: Mapping[str, tuple[Path, Path]]) -> None:
    for temporary, _ in pending.values():
        temporary.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a file created or renamed in it) to disk, where one can."""
    if os.name == "nt":
        return  # Windows cannot open a folder; NTFS journals its metadata
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise  # else a file system that cannot flush a folder (some network ones)
    finally:
        os.close(handle)


def _naming(exc: OSError, path: Path) -> OSError:
    """The same failure, naming the file we were writing (not a temporary, or none)."""
    if exc.errno is None:
        return exc
    return OSError(exc.errno, exc.strerror or os.strerror(exc.errno), str(path))


def _files(folder: Path) -> Iterator[str]:
    """Every file under the folder, by POSIX path relative to it, a .git folder left out.
    Symlinks are not followed: any symlink (to a file, a folder, nowhere, itself), like
    any other entry that is not a folder, counts as a file (none of ours is one)."""
    stack = [("", str(folder))]
    while stack:
        prefix, path = stack.pop()
        try:
            listing = os.scandir(path)
        except OSError:
            continue
        with listing:
            for entry in listing:
                if entry.is_dir(follow_symlinks=False):
                    if not (prefix == "" and entry.name == GIT):
                        stack.append((f"{prefix}{entry.name}/", entry.path))
                else:
                    yield prefix + entry.name


def _bookkeeping(relative: str) -> bool:
    """Our own records at the top, or one of our temporaries anywhere."""
    top = relative in (MANIFEST, JOURNAL, LOCK)
    return top or PurePosixPath(relative).name.startswith(TEMPORARY)


def _listable(relative: str) -> bool:
    """Whether a path read from the manifest or journal can be one we wrote."""
    parts = relative.split("/")
    return bool(relative) and parts[0] != "" and ".." not in parts and not is_own(relative)


def _read_manifest(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if _listable(str(k))}


def _read_journal(folder: Path) -> dict[str, str]:
    """The paths an interrupted build was creating, with their owners, later ones winning."""
    try:
        lines = (folder / JOURNAL).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return {}
    files = {}
    for line in lines:
        try:
            relative, owner = json.loads(line)
        except (ValueError, TypeError):
            continue  # a line cut short: its file was never created
        if isinstance(relative, str) and isinstance(owner, str) and _listable(relative):
            files[relative] = owner
    return files
