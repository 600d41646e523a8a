"""Outline marks: zero-size flowables that put a named destination and a bookmark where they are drawn.

A mark travels with the heading after it (``keepWithNext``), so a bookmark
never points at the foot of the previous page. Unlike an attribute on the
heading itself, a mark survives paragraphs and tables being split by the layout.
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _mark_class() -> type:
    from reportlab.platypus.flowables import Flowable

    class OutlineMark(Flowable):
        _ZEROSIZE = 1

        def __init__(self, title: str | None, key: str, level: int):
            super().__init__()
            self.title, self.key, self.level = title, key, level
            self.width = self.height = 0
            self.keepWithNext = 1

        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            return 0, 0

        def draw(self) -> None:
            canv = self.canv
            canv.bookmarkHorizontal(self.key, 0, 0)
            if self.title is None:  # a link target only, not in the table of contents
                return
            # Outline levels may not skip (## then ####): at most one below the previous entry.
            previous = getattr(canv, "_pressrun_outline_depth", -1)
            depth = min(max(self.level - 1, 0), previous + 1)
            canv._pressrun_outline_depth = depth
            canv.addOutlineEntry(self.title, self.key, level=depth, closed=False)

    return OutlineMark


def outline_mark(title: str | None, key: str, level: int = 0) -> Any:
    """Destination ``key`` here, and a bookmark titled ``title`` (level 1 = headline) unless title is None."""
    return _mark_class()(title, key, level)
