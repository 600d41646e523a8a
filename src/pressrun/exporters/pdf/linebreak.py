"""Lines filled from where they may end (``render.linebreak.break_opportunities``, UAX #14 by ICU).

``fill_lines`` fills lines greedily from those opportunities and the shaped advances; a word wider than its
line is broken between its clusters, so no line runs out of its frame.
"""

from __future__ import annotations

from collections.abc import Callable

from pressrun.render.linebreak import break_opportunities

__all__ = ["break_opportunities", "fill_lines"]


def fill_lines(
    text: str, start: int, end: int, offsets: list[float], opportunities: list[int], clusters: list[bool],
    width_of_line: Callable[[int], float],
) -> list[tuple[int, int]]:
    """Greedy line filling of ``text[start:end]``: the (start, end) of each line, in logical order.

    ``offsets[i]`` is the advance of ``text[:i]`` (so a stretch's width is a difference of two);
    ``opportunities`` are where lines may end (ascending); ``clusters[i]`` says a cluster starts at i (a
    word wider than its line is broken there, as late as fits); ``width_of_line(n)`` is the room of line n.
    Trailing white space hangs in the margin and never counts. A hard break ("\\n") ends its line.
    """
    lines: list[tuple[int, int]] = []
    line_start, fit = start, None
    points = iter([b for b in opportunities if start < b <= end] + ([end] if end not in opportunities else []))
    b = next(points, None)
    while b is not None:
        room = width_of_line(len(lines))
        if b <= line_start:  # the end of a word just cut into lines
            b = next(points, None)
        elif offsets[_trim(text, line_start, b)] - offsets[line_start] <= room + 0.01:
            fit = b
            if text[b - 1] == "\n":
                lines.append((line_start, b))
                line_start, fit = b, None
            b = next(points, None)
        elif fit is not None:
            lines.append((line_start, fit))
            line_start, fit = fit, None
        else:  # one word wider than the line: break it between clusters
            cut = _last_cluster_fitting(offsets, clusters, line_start, b, room)
            lines.append((line_start, cut))
            line_start = cut
    if line_start < end:
        lines.append((line_start, end))
    return lines


def _trim(text: str, start: int, end: int) -> int:
    """``end`` moved back over white space (spaces, a hard break) that ends the stretch."""
    while end > start and (text[end - 1].isspace() or text[end - 1] == "\u200b"):
        end -= 1
    return end


def _last_cluster_fitting(offsets: list[float], clusters: list[bool], start: int, end: int, room: float) -> int:
    """The last cluster start in (start, end) up to which the text fits in ``room``; at least one cluster."""
    cut = None
    for i in range(start + 1, end):
        if clusters[i]:
            if offsets[i] - offsets[start] > room + 0.01:
                break
            cut = i
    if cut is None:  # not even one cluster fits: it gets a line of its own
        cut = next((i for i in range(start + 1, end) if clusters[i]), end)
    return cut
