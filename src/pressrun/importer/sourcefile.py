"""An article's source file split as pressrun's reader splits it: front matter between ``---`` lines, then the
body. A byte-order mark and CRLF line ends are put back on writing, so only the edited lines change."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class SourceFile:
    path: Path  # the file
    shown: str  # the file as messages name it
    docx_shown: str  # the DOCX it is imported from, as messages name it
    opening: str
    yaml: str
    closing: str
    body: str
    bom: bool = False
    crlf: bool = False

    @classmethod
    def parse(cls, path: Path, shown: str, docx_shown: str, data: bytes) -> "SourceFile":
        text = data.decode("utf-8")
        bom = text.startswith("\ufeff")
        crlf = "\r\n" in text
        text = text.removeprefix("\ufeff").replace("\r\n", "\n")
        lines = text.split("\n")
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))  # the reader checked it
        return cls(path, shown, docx_shown, lines[0], "\n".join(lines[1:end]), lines[end], "\n".join(lines[end + 1:]), bom, crlf)

    @property
    def text(self) -> str:
        return self.with_parts(self.yaml, self.body)

    def with_parts(self, yaml: str, body: str) -> str:
        return "\n".join([self.opening, yaml, self.closing, body])

    def encode(self, text: str) -> bytes:
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return (("\ufeff" if self.bom else "") + text).encode("utf-8")
