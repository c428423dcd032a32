"""Reading files: text as UTF-8 (a BOM allowed, any line ending), or a clear error."""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Diagnostics


def read_text(path: Path, diagnostics: Diagnostics) -> str | None:
    """The file's text with `\\n` line endings, or None after reporting why it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        diagnostics.error(path, 0, f"cannot be read: {exc.strerror}")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        diagnostics.error(
            path, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")
