"""Problems found along the pipeline, collected as values and reported once."""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

INTERNAL = "internal error, please report it"
# C0 controls (ESC, BEL, CR, LF, tab...), DEL and C1 controls (CSI is U+009B).
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


def printable(text: str) -> str:
    """Text safe to print on a terminal: each control character shown as an escape
    (`\\x1b`, `\\x07`, `\\x0d`, `\\x0a`...), so a file name, term or value holding
    one cannot retitle the window, clear the screen or fake a line of output."""
    return UNPRINTABLE.sub(lambda control: f"\\x{ord(control.group()):02x}", text)


def printable_lines(text: str) -> str:
    """Several lines (a traceback) safe to print: `printable`, but keeping line breaks."""
    return "\n".join(printable(line) for line in text.split("\n"))


def shown(path: Path, root: Path | None = None) -> str:
    """A path as messages show it: relative to root (the working folder) when inside it,
    printable (its control characters escaped)."""
    root = root or Path.cwd()
    return printable(
        str(path.relative_to(root))
        if path.is_absolute() and path.is_relative_to(root)
        else str(path)
    )


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, located at a file and line (line 0 when it concerns the whole file)."""

    path: Path
    line: int
    severity: Severity
    message: str
    detail: str = field(default="", compare=False)  # a traceback, shown with --debug

    def format(self, root: Path | None = None) -> str:
        """Render as `path:line: severity: message`, the path relative to root (default: cwd),
        on one printable line."""
        return printable(
            f"{shown(self.path, root)}:{max(self.line, 1)}: {self.severity.value}: {self.message}"
        )


@dataclass
class Diagnostics:
    """A collector that stages of the pipeline append to."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: Path, line: int, message: str) -> None:
        self.items.append(Diagnostic(path, line, Severity.ERROR, message))

    def warning(self, path: Path, line: int, message: str) -> None:
        self.items.append(Diagnostic(path, line, Severity.WARNING, message))

    def internal(self, path: Path, exc: BaseException) -> None:
        """An exception no input should cause: an error at the file it happened on."""
        detail = "".join(traceback.format_exception(exc))
        message = f"{INTERNAL}: {type(exc).__name__}: {exc}"
        self.items.append(Diagnostic(path, 0, Severity.ERROR, message, detail))

    @contextmanager
    def guard(self, path: Path) -> Iterator[None]:
        """Whatever goes wrong inside becomes an error at `path`, and the build goes on."""
        try:
            yield
        except OSError as exc:  # the file system said no: a problem to fix, not a bug
            where = f": {shown(Path(exc.filename))}" if isinstance(exc.filename, str) else ""
            self.error(path, 0, f"{exc.strerror or type(exc).__name__}{where}")
        except Exception as exc:
            self.internal(path, exc)

    def extend(self, other: Diagnostics | list[Diagnostic]) -> None:
        self.items.extend(other.items if isinstance(other, Diagnostics) else other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        """All diagnostics by file and line, each reported once."""
        return sorted(set(self.items))
