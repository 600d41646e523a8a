"""Word fields inside a paragraph: a field's instruction is hidden, its result is text; HYPERLINK is a link.

A complex field is ``w:fldChar`` begin, instruction runs (``w:instrText``), ``w:fldChar`` separate, the
result's runs, ``w:fldChar`` end; fields nest. Google Docs and some converters write links this way.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Any

from pressrun.importer.package import w


def hyperlink_target(instruction: str) -> str | None:
    """``HYPERLINK "https://…"`` → the URL; ``HYPERLINK \\l "name"`` → ``#name``; any other field → None."""
    try:
        words = shlex.split(instruction.strip(), posix=True)
    except ValueError:
        words = instruction.split()
    if not words or words[0].upper() != "HYPERLINK":
        return None
    url, anchor, args = None, None, iter(words[1:])
    for word in args:
        if re.fullmatch(r"\\[lL]", word):
            anchor = next(args, None)
        elif re.fullmatch(r"\\[a-zA-Z]", word):
            next(args, None)  # a switch with an argument we do not use (\o tooltip, \t target frame)
        elif url is None:
            url = word
    if anchor:
        return (url or "") + "#" + anchor
    return url


@dataclass
class _Field:
    instruction: str = ""
    showing: bool = False  # past the separator: the result is shown


class FieldStack:
    def __init__(self) -> None:
        self.open: list[_Field] = []

    def feed(self, node: Any) -> None:
        if node.tag == w("instrText"):
            if self.open and not self.open[-1].showing:
                self.open[-1].instruction += node.text or ""
            return
        kind = node.get(w("fldCharType"))
        if kind == "begin":
            self.open.append(_Field())
        elif kind == "separate" and self.open:
            self.open[-1].showing = True
        elif kind == "end" and self.open:
            self.open.pop()

    @property
    def visible(self) -> bool:
        """Text is shown unless it is some open field's instruction."""
        return all(f.showing for f in self.open)

    @property
    def href(self) -> str | None:
        for f in reversed(self.open):
            target = hyperlink_target(f.instruction)
            if target:
                return target
        return None
