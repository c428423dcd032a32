"""Reading input files safely, and their bytes as text.

Every file the builder reads from a site (sources, notes, the glossary, templates,
static and public/ files, files beside the articles, site.toml) goes through a Reader:

- a path that is a symlink, or lies in a symlinked folder, leading outside the site
  folder is refused unless `--follow-symlinks` says otherwise, as Jekyll's safe
  mode does: a contributor's `seeds/leak.txt -> ~/.ssh/id_rsa` publishes nothing;
- only regular files are read: a FIFO, device or socket is refused before it is
  opened (opening a FIFO waits for a writer; opening a device may do something),
  and a symlink loop or a symlink to nothing is a refusal, not a traceback;
- no more than `max_file_mb` megabytes (site.toml) are read, never a byte more than
  one past it, whatever the file claims its size is (`/dev/zero`, /proc files).

A refusal is a `Refused` exception whose text is a diagnostic's message.
`decode` turns the bytes of a source, notes file or glossary into text, refusing
UTF-16 and UTF-32, bytes that are not UTF-8, and control characters.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .diagnostics import Diagnostics

MEGABYTE = 2**20  # bytes
DEFAULT_MAX_MB = 10
KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # should a FIFO slip in after the check, open anyway
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class Refused(Exception):
    """A file that is not read; its text says why, as a diagnostic's message."""


@dataclass(frozen=True)
class Reader:
    """What may be read: regular files, inside `root` unless following symlinks, capped."""

    root: Path | None = None  # the site folder; None: anywhere (the default theme, tests)
    follow_symlinks: bool = False
    max_mb: int = DEFAULT_MAX_MB
    _folders: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def max_bytes(self) -> int:
        return self.max_mb * MEGABYTE

    @cached_property
    def _real_root(self) -> str:
        return os.path.realpath(self.root) if self.root is not None else ""

    def check(self, path: Path) -> None:
        """Refuse a path that may not be read: leading out of the site, not a regular
        file, or too large. OSError for what the system says (missing, no permission)."""
        if self.root is not None and not self.follow_symlinks:
            target = Path(self._realpath(path))
            if not target.is_relative_to(self._real_root):
                where = "is a symlink" if os.path.islink(path) else "lies in a symlinked folder"
                raise Refused(
                    f"{where} leading outside the site folder, to {target}; not read "
                    "(--follow-symlinks reads it)"
                )
        try:
            status = os.stat(path)
        except OSError as exc:
            raise _refusal(path, exc) from None
        self._check_status(status)

    def _realpath(self, path: Path) -> str:
        """os.path.realpath, with each folder's worked out once: most of the cost of
        reading a small file, repeated for each file of the folder."""
        if os.path.islink(path):
            return os.path.realpath(path)
        folder, name = os.path.split(os.path.abspath(path))
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = os.path.realpath(folder)
        return os.path.join(real, name)

    def forget(self) -> None:
        """Work out the folders afresh (they may have changed since: a rebuild)."""
        self._folders.clear()

    def read(self, path: Path) -> bytes:
        """The file's bytes, after `check`; Refused or OSError when it cannot be read."""
        self.check(path)
        descriptor = os.open(path, OPEN_FLAGS)
        try:
            self._check_status(os.fstat(descriptor))  # the same file that was checked
            limit = self.max_bytes
            data = bytearray()
            while len(data) <= limit:
                chunk = os.read(descriptor, min(limit + 1 - len(data), MEGABYTE))
                if not chunk:
                    return bytes(data)
                data += chunk
        finally:
            os.close(descriptor)
        raise Refused(self._too_large(None))

    def files(
        self, folder: Path, diagnostics: Diagnostics, skip: Callable[[str], bool] = lambda _: False
    ) -> list[tuple[str, Path]]:
        """The files under `folder` by POSIX path relative to it, sorted; symlinked folders
        are followed as `check` allows, each refusal is an error, and a name `skip` says
        yes to (a part of the relative path) is passed over."""
        found: list[tuple[str, Path]] = []
        if not folder.is_dir():
            return found
        # A stack, not recursion, which a tree 1,000 deep exhausts; and a folder's real
        # path is its parent's plus its name unless it is a symlink (realpath at every
        # level would cost the depth at every level).
        stack = [(folder, "", os.path.realpath(folder), frozenset[str]())]
        while stack:
            where, prefix, real_where, above = stack.pop()
            above = above | {real_where}  # the folders it lies in: a link to one is a loop
            self._folders.setdefault(os.path.abspath(where), real_where)  # for `check`
            try:
                with os.scandir(where) as listing:
                    entries = sorted(listing, key=lambda entry: entry.name)
            except OSError as exc:
                _report(where, exc, diagnostics)
                continue
            for entry in reversed(entries):  # popped in order of name
                if skip(entry.name):
                    continue
                path, relative = where / entry.name, prefix + entry.name
                try:
                    if entry.is_dir():  # follows a symlink
                        linked = entry.is_symlink()
                        real = (
                            os.path.realpath(path)
                            if linked
                            else os.path.join(real_where, entry.name)
                        )
                        if real in above:
                            raise Refused(
                                "is a symlink to a folder it lies in (a loop); not followed"
                            )
                        if linked:
                            self._check_place(path)
                        stack.append((path, relative + "/", real, above))
                    else:
                        self.check(path)
                        found.append((relative, path))
                except Refused as refused:
                    diagnostics.error(path, 0, str(refused))
                except OSError as exc:
                    _report(path, exc, diagnostics)
        return sorted(found)

    def _check_place(self, path: Path) -> None:
        """Refuse a folder leading outside the site folder (what `check` does for files)."""
        if self.root is not None and not self.follow_symlinks:
            target = Path(os.path.realpath(path))
            if not target.is_relative_to(self._real_root):
                raise Refused(
                    f"is a symlink leading outside the site folder, to {target}; not followed "
                    "(--follow-symlinks follows it)"
                )

    def _check_status(self, status: os.stat_result) -> None:
        for test, kind in KINDS:
            if test(status.st_mode):
                raise Refused(f"is {kind}, not a file; not read")
        if not stat.S_ISREG(status.st_mode):
            raise Refused("is not a regular file; not read")
        if status.st_size > self.max_bytes:
            raise Refused(self._too_large(status.st_size))

    def _too_large(self, size: int | None) -> str:
        measured = f"{size / MEGABYTE:.1f} MB, " if size is not None else ""
        return (
            f"is {measured}larger than the {self.max_mb} MB that max_file_mb allows "
            "(site.toml); not read"
        )


def _report(path: Path, exc: OSError, diagnostics: Diagnostics) -> None:
    said = _refusal(path, exc)
    message = str(said) if isinstance(said, Refused) else None
    diagnostics.error(path, 0, message or f"cannot be read: {exc.strerror}")


def _refusal(path: Path, exc: OSError) -> OSError | Refused:
    """A symlink loop or a symlink to nothing, said plainly; any other OSError as it is."""
    if exc.errno == errno.ELOOP:
        return Refused("is a symlink loop; not read")
    if isinstance(exc, FileNotFoundError) and os.path.islink(path):
        return Refused(f"is a symlink to {os.readlink(path)}, which does not exist; not read")
    return exc


# Text

BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),  # before UTF-16's: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
SAMPLE = 400  # bytes looked at for UTF-16 or UTF-32 without a byte order mark
# C0 controls but tab and line feed (carriage returns are gone by then), DEL and C1 controls:
# invisible, and not allowed in HTML (form feed is allowed there, but not in XML).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
CONTROL_NAMES = {
    0x00: "NUL",
    0x07: "BEL",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x1B: "ESC",
    0x7F: "DEL",
}


def decode(path: Path, data: bytes, diagnostics: Diagnostics) -> str | None:
    """The text of a UTF-8 file (a byte order mark dropped), with `\\n` line endings;
    None after reporting why it is not usable text."""
    wide = wide_encoding(data)
    if wide:
        diagnostics.error(path, 1, f"the file is {wide}, not UTF-8; save it as UTF-8")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        diagnostics.error(
            path, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        )
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if control := CONTROL.search(text):
        diagnostics.error(path, text.count("\n", 0, control.start()) + 1, _control(text, control))
        return None
    return text


def wide_encoding(data: bytes) -> str | None:
    """ "UTF-32" or "UTF-16" when the bytes are text in one of them, with a byte order mark
    or without (then most characters of the first few hundred bytes are ASCII, each with
    its zero bytes where that encoding puts them); else None."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return name
    sample = data[:SAMPLE]
    if b"\x00" not in sample:  # ASCII in UTF-16 or UTF-32 has zero bytes
        return None
    for width, name in ((4, "UTF-32"), (2, "UTF-16")):
        units = [sample[i : i + width] for i in range(0, len(sample) - width + 1, width)]
        for value in (0, width - 1):  # little-endian: the ASCII byte first; big: last
            ascii_like = sum(
                1
                for unit in units
                if unit[value] and all(byte == 0 for i, byte in enumerate(unit) if i != value)
            )
            if units and ascii_like * 4 >= len(units) * 3:
                return name
    return None


def _control(text: str, found: re.Match[str]) -> str:
    code = ord(found.group())
    name = CONTROL_NAMES.get(code)
    more = len(CONTROL.findall(text, found.end()))
    message = f"control character U+{code:04X}{f' ({name})' if name else ''} in the text; remove it"
    if code == 0x0C:
        message += " (a page break: a blank line does the same)"
    elif 0x80 <= code <= 0x9F:
        message += " (a C1 control: often text in Windows-1252 that was read as Latin-1)"
    return message + (f"; {more} more after it" if more else "")
