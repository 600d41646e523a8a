"""Where a line may end (UAX #14), by ICU's line break iterator (icu4py bundles ICU with its dictionaries).

ICU breaks Latin and Arabic text after spaces and hyphens, Chinese and Japanese between ideographs
and kana (never before a closing bracket, a full stop or a small kana, never after an opening
bracket), and Thai, Lao, Khmer and Myanmar — written without spaces — between the words its
dictionaries know. Korean words, written with spaces, are kept whole (ICU would break between syllables). ``fill_lines`` then fills lines greedily from those opportunities and the shaped
advances; a word wider than its line is broken between its clusters, so no line runs out of its frame.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from pressrun.language import primary_language

_ASTRAL = "\U00010000"
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff]")


def _code_point_offsets(text: str) -> list[int] | None:
    """For text outside the Basic Multilingual Plane: code point index at each UTF-16 offset (ICU counts in UTF-16)."""
    if not text or max(text) < _ASTRAL:
        return None
    index: list[int] = []
    for i, char in enumerate(text):
        index.append(i)
        if char >= _ASTRAL:
            index.append(i)  # the low surrogate: never a break position of its own
    index.append(len(text))
    return index


def break_opportunities(text: str, language: str) -> list[int]:
    """Offsets after which a line may end, ascending; the last is ``len(text)``.

    A hard line break ("\\n") is an opportunity like any other here; the caller ends the line there.
    """
    from icu4py.breakers import LineBreaker

    if not text:
        return []
    ends = [end for _, end in LineBreaker(text, primary_language(language) or "und").segments()]
    offsets = _code_point_offsets(text)
    if offsets is not None:
        ends = [offsets[end] for end in ends]
    if not ends or ends[-1] != len(text):
        ends.append(len(text))
    # Korean is written with spaces between words: keep each word whole (CSS "word-break: keep-all"), where
    # UAX #14 alone would break between any two syllables.
    return [end for end in ends if end == len(text) or not _inside_korean_word(text[end - 1], text[end])]


def _inside_korean_word(before: str, after: str) -> bool:
    """Two letters or digits of one word, one of them Hangul ("75주년", "세계인권선언")."""
    return bool(_HANGUL.match(before) or _HANGUL.match(after)) and all(
        unicodedata.category(c)[0] in "LN" for c in (before, after))


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
