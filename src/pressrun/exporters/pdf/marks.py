"""Outline marks: zero-size flowables that put a named destination and a bookmark where they are drawn.

A mark travels with the flowable after it (``keepWithNext``), so a destination
never points at the foot of the previous page. Unlike an attribute on the
heading itself, a mark survives paragraphs and tables being split by the layout.
Each bookmark's depth is decided before the layout, from the table of contents
(see ``bookmarks``): marks are drawn in reading order, so nothing needs to be
remembered on the canvas while drawing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reportlab.platypus.flowables import Flowable

from pressrun.render.outline import TocEntry


@dataclass(frozen=True)
class Bookmark:
    title: str
    depth: int  # 0 = the headline's level in the bookmarks panel


def bookmarks(entries: Iterable[TocEntry]) -> dict[str, Bookmark]:
    """Anchor → bookmark for the table of contents, in reading order.

    Outline levels may not skip (## then ####): an entry is at most one level below the one before it.
    """
    found: dict[str, Bookmark] = {}
    previous = -1
    for entry in entries:
        previous = min(max(entry.level - 1, 0), previous + 1)
        found[entry.anchor] = Bookmark(entry.title, previous)
    return found


class OutlineMark(Flowable):
    """Destination ``key`` here, and ``bookmark`` in the bookmarks panel unless it is None (a link target only)."""

    _ZEROSIZE = 1

    def __init__(self, key: str, bookmark: Bookmark | None):
        super().__init__()
        self.key, self.bookmark = key, bookmark
        self.width = self.height = 0
        self.keepWithNext = 1

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.key, 0, 0)
        if self.bookmark is not None:
            self.canv.addOutlineEntry(self.bookmark.title, self.key, level=self.bookmark.depth, closed=False)
