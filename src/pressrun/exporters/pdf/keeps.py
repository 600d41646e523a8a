"""keepWithNext chains reportlab cannot close, and a guard against layout that stops moving.

reportlab's document template gathers a run of keepWithNext flowables (headings,
outline marks) and the flowable after it into a KeepTogether. A container — a
list, a figure's KeepTogether — may not go in one, and after the last flowable
of the story there is nothing to keep with. The chain's last flowable then stays
"kept with next" with nothing to be kept with. For a paragraph that is harmless.
For a list item split out of its list (an ``LIIndenter``, e.g. a heading at the
end of an item, followed by another list) reportlab puts the KeepTogether's
content back unchanged and tries again: same page, same flowables, forever
(issue 12). Such a flowable is released here, so it is laid out on its own.
"""

from __future__ import annotations

from typing import Any

# Layout steps in a row that neither start a page, nor move down the frame, nor shorten the story below
# its shortest so far. Real layout needs a few (splits put pieces back); a loop needs them for ever.
STALL_LIMIT = 1_000


def release_dangling_keep(flowables: list[Any]) -> None:
    """Clear keepWithNext on the end of a chain at the head of ``flowables`` that has no follower it may join."""
    from reportlab.platypus.doctemplate import _ktAllow  # the test reportlab itself uses to build the chain

    i, n = 0, len(flowables)
    while i < n and flowables[i].getKeepWithNext() and _ktAllow(flowables[i]):
        i += 1
    if i and (i == n or not _ktAllow(flowables[i])):
        # In __dict__, as reportlab does: a list item's wrapper forwards attribute writes to what it wraps.
        flowables[i - 1].__dict__["keepWithNext"] = 0


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
