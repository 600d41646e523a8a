"""The Unicode Bidirectional Algorithm (UAX #9) for the PDF: levels per paragraph, order per line.

The levels of a paragraph's characters (rules P2–I2) come from python-bidi, which wraps the
Rust ``unicode-bidi`` crate (UAX #9 with isolates and bracket pairs). python-bidi returns only the
reordered string, or with ``debug=True`` the crate's resolved levels, per UTF-8 byte: those are read
here. The line rules (L1: trailing white space at the paragraph's level; L2: reverse runs from the
highest level down to the lowest odd one) are applied per line after line breaking, as UAX #9
says; L4 (mirrored brackets) is HarfBuzz's, which mirrors in right-to-left runs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from pressrun.exporters.pdf.scripts import has_rtl

_LEVELS = re.compile(r"levels: \[(.*?)\]", re.S)
_LEVEL = re.compile(r"Level\(\s*(\d+)")
# Bidi controls that make left-to-right text need the algorithm (embeddings, overrides, isolates, RLM).
_CONTROLS = re.compile("[\u200f\u202a-\u202e\u2066-\u2069]")
# L1: characters reset to the paragraph level at the end of a line (white space, isolate controls, BN).
_TRAILING = frozenset(("WS", "FSI", "LRI", "RLI", "PDI", "BN"))


def paragraph_levels(text: str, rtl: bool) -> list[int]:
    """The resolved embedding level of every character of a paragraph whose base direction is ``rtl``."""
    if not rtl and not has_rtl(text) and not _CONTROLS.search(text):
        return [0] * len(text)  # nothing to resolve: every character is left to right
    from bidi import get_display

    # A hard line break inside the paragraph is a line separator, not a new bidi paragraph.
    text = text.replace("\n", "\u2028")
    info = get_display(text, base_dir="R" if rtl else "L", debug=True)
    found = _LEVELS.search(info)
    by_byte = [int(n) for n in _LEVEL.findall(found.group(1))] if found else []
    if len(by_byte) != len(text.encode("utf-8")):
        raise RuntimeError("python-bidi's embedding levels could not be read (an unexpected python-bidi version?)")
    levels, offset = [], 0
    for char in text:
        levels.append(by_byte[offset])
        offset += len(char.encode("utf-8"))
    return levels


def line_levels(text: str, levels: Sequence[int], base: int) -> list[int]:
    """Rule L1 for one line: white space (and isolate controls) at its end, and before a tab, take the base level."""
    out = list(levels)
    reset = True  # at the end of the line
    for i in range(len(text) - 1, -1, -1):
        kind = unicodedata.bidirectional(text[i])
        if kind in ("S", "B"):
            out[i], reset = base, True
        elif reset and kind in _TRAILING:
            out[i] = base
        else:
            reset = False
    return out


def visual_order(levels: Sequence[int]) -> list[int]:
    """Rule L2: the indices of items (characters or runs, each with its level) in visual order, left to right."""
    order = list(range(len(levels)))
    if not levels:
        return order
    lowest_odd = min(level for level in levels) | 1
    for level in range(max(levels), lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order
