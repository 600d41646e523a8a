"""What a check reports: one located finding per problem (or per check that could not run)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Finding:
    """One problem in one output file.

    ``path`` is POSIX and relative to the output folder ("" for the folder itself, used by
    run-wide skips). ``line`` is a line of that file when it is a text file; places inside a
    container (a PDF page, a part of a DOCX) are part of the message, since the file has no lines.
    """

    path: str
    check: str
    message: str
    line: int | None = None
    skipped: bool = False  # the check could not run here (e.g. no Java): reported, never a failure

    def render(self, out: Path) -> str:
        where = (out / self.path).as_posix() if self.path else out.as_posix()
        if self.line:
            where += f":{self.line}"
        status = "skipped: " if self.skipped else ""
        return f"{where}: {self.check}: {status}{self.message}"


@dataclass(frozen=True)
class CheckOptions:
    """Settings some checks need; every check gets the same object."""

    schemas: Path | None = None  # ECMA-376 XSD folder for the DOCX check (None: the shipped one)


def shorten(text: str, limit: int = 200) -> str:
    """Library messages can quote a whole document (a feed item, a page's text): keep one line."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def line_of(text: str, *needles: str) -> int | None:
    """The 1-based line where the first needle that occurs in ``text`` first occurs (most specific first).

    Places a value that a library reported without a line (feedparser, jsonschema) in the file.
    """
    for needle in needles:
        position = text.find(needle) if needle else -1
        if position >= 0:
            return text.count("\n", 0, position) + 1
    return None
