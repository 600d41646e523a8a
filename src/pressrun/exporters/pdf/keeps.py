"""Keep-with-next as a compositor does it, and a guard against layout that stops moving.

reportlab's document template gathers a run of keepWithNext flowables (headings, labels, outline marks)
and the flowable after it into a KeepTogether, which moves *all* of that follower to the next page when
it does not fit: a heading followed by a long paragraph left a fifth of a page empty. Here the run is
kept with the first lines of what follows (``KeepWithFirstLines``): the heading moves on only when not
even the follower's first piece — two lines of a paragraph (no orphans), a list's first item, a box's
first row, a whole picture — fits under it on this page. A heading or label is then never the last line
on a page, and what follows still breaks where it can. A block quote's indent (``Indenter``) in between
does not cut the run, and a list, a box or a figure may follow (reportlab's own rule refuses containers).

Every flowable of the run loses its keepWithNext once gathered, the last one too: a run left "kept with
next" with nothing to keep with made reportlab's own rule loop for ever (issue 12: a list item ending in a
heading, followed by another list).
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus.doctemplate import FrameBreak, Indenter, NullActionFlowable
from reportlab.platypus.flowables import KeepTogether, _listWrapOn

# Layout steps in a row that neither start a page, nor move down the frame, nor shorten the story below
# its shortest so far. Real layout needs a few (splits put pieces back); a loop needs them for ever.
STALL_LIMIT = 1_000
_SPLIT_DEPTH = 4  # how deep a follower's first piece is looked for (a list → its first item → its paragraph)


def keep_with_next(flowables: list[Any]) -> None:
    """Gather the keepWithNext run at the head of ``flowables`` (and its follower) into a ``KeepWithFirstLines``."""
    i, n = 0, len(flowables)
    while i < n and (isinstance(flowables[i], Indenter) or flowables[i].getKeepWithNext()):
        i += 1
    if not any(f.getKeepWithNext() for f in flowables[:i]):
        return
    if i < n and not getattr(flowables[i], "locChanger", False):
        i += 1  # the follower
    run = flowables[:i]
    for f in run:
        f.__dict__["keepWithNext"] = 0  # as reportlab does (a list item's wrapper forwards attribute writes)
    flowables[:i] = [KeepWithFirstLines(run)]


class KeepWithFirstLines(KeepTogether):
    """Headings or labels (with their marks) and the flowable after them: together on this page when the
    follower's first lines fit under them, else together at the top of the next."""

    def split(self, aW: float, aH: float) -> list[Any]:
        content = self._content
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        frame = getattr(self, "_frame", None)
        if self._H <= aH or (frame is not None and getattr(frame, "_atTop", False)) or len(content) < 2:
            return list(content)  # it all fits, or a new page would not help
        *lead, follower = content
        canv = self.canv
        lead_height = _listWrapOn(lead, aW, canv)[1] + lead[0].getSpaceBefore()
        before = max(follower.getSpaceBefore(), lead[-1].getSpaceAfter())
        width = aW - sum(f.left + f.right for f in lead if isinstance(f, Indenter))
        if first_lines_fit(follower, width, aH - lead_height - before, canv):
            return list(content)
        return [FrameBreak() if frame is not None else NullActionFlowable(), *content]


def first_lines_fit(flowable: Any, width: float, height: float, canv: Any, depth: int = 0) -> bool:
    """Whether the first piece ``flowable`` would be split into (all of it, if it cannot split) fits in ``height``."""
    if height <= 0:
        return False
    if isinstance(flowable, KeepTogether):
        flowable.wrapOn(canv, width, height)
        return flowable._H <= height
    if flowable.wrapOn(canv, width, height)[1] <= height + 1e-6:
        return True
    if depth >= _SPLIT_DEPTH:
        return False
    pieces = flowable.splitOn(canv, width, height)
    return bool(pieces) and pieces[0] is not flowable and first_lines_fit(pieces[0], width, height, canv, depth + 1)


class LayoutStalled(Exception):
    """The layout repeated itself without progress (a reportlab loop we have not met yet)."""

    def __init__(self, page: int):
        super().__init__(f"the layout made no progress on page {page}")
        self.page = page


class StallGuard:
    """Counts layout steps that make no progress; raises ``LayoutStalled`` instead of looping for ever."""

    def __init__(self, limit: int = STALL_LIMIT):
        self.limit = limit
        self._where: tuple[int, float] | None = None
        self._fewest = 0  # the fewest flowables left since the last page or frame position change
        self._idle = 0

    def step(self, page: int, y: float, left: int) -> None:
        where = (page, round(y, 3))
        if where != self._where or left < self._fewest:
            self._where, self._fewest, self._idle = where, left, 0
            return
        self._idle += 1
        if self._idle > self.limit:
            raise LayoutStalled(page)
