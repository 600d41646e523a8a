"""Text hygiene at read time: bytes → clean str, or located problems."""

from __future__ import annotations

from pathlib import Path

from pressrun.errors import Diagnostics
from pressrun.text import FORBIDDEN



def line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def decode_source(data: bytes, path: Path, diag: Diagnostics) -> str | None:
    """Decode UTF-8 strictly; NUL bytes and invalid UTF-8 are errors; CRLF and BOM are normalised."""
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        diag.error(path, "contains a NUL byte; remove it (the file may be binary or corrupted)", "encoding", line)
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        diag.error(path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8", "encoding", line)
        return None
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def scrub(text: str, path: Path, diag: Diagnostics, field: str | None = None, line_base: int = 0) -> str:
    """Replace characters XML forbids by a space, with one located warning per line."""
    if not FORBIDDEN.search(text):
        return text
    by_line: dict[int, list[str]] = {}
    for match in FORBIDDEN.finditer(text):
        found = by_line.setdefault(line_base + line_of(text, match.start()), [])
        code = f"U+{ord(match.group()):04X}"
        if code not in found:
            found.append(code)
    for line, codes in by_line.items():
        noun = "control character" if len(codes) == 1 else "control characters"
        diag.warning(path, f"{noun} {', '.join(codes)} replaced by a space", field, line)
    return FORBIDDEN.sub(" ", text)
