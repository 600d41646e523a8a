"""The typographic cover's type: a font stack at one size and weight, falling back character by character.

A line is cut into runs, each in one family of the stack, the way a reading system falls back along a CSS stack:
a character stays in the run before it when that run's family has it (so a Thai headline's "75" keeps the Thai
face's figures), otherwise it takes the first family that has it. Marks and joiners stay with their base letter,
which HarfBuzz needs to shape them. One family for a whole line, as before, drew an Amharic, Khmer, Burmese,
Thai or Tibetan headline with a figure in it as boxes: no single face had both the script and the figure.

Every run is laid out by HarfBuzz (Pillow's raqm engine): Devanagari, Bengali, Tamil, Thai, Khmer and Myanmar
need shaping as much as Arabic does (the basic engine drew "विश्व" as "वशि्व": the vowel sign after its
consonant, the virama showing), and Latin gains the font's kerning. The basic engine only where Pillow has no
raqm (it needs libfribidi).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pressrun.exporters.epub.fonts import codepoints
from pressrun.theme import FontFamily

JOINERS = frozenset("\u200c\u200d\u034f")  # ZWNJ, ZWJ, combining grapheme joiner: part of their base's run
KEPT = 2048  # strings whose runs and lengths a type remembers: one cover's few dozen, not every cover's


@lru_cache(maxsize=64)
def pillow_font(path: Path, size: int):
    from PIL import ImageFont, features

    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(path), size, layout_engine=engine)


def _stays_with_base(char: str) -> bool:
    return char in JOINERS or unicodedata.category(char)[0] == "M" or 0xFE00 <= ord(char) <= 0xFE0F


@dataclass(frozen=True)
class Run:
    font: object  # a Pillow FreeTypeFont
    text: str


class CoverType:
    """``stack`` at ``size`` pixels, bold or not: the runs of a text and their lengths (remembered: fitting a
    headline measures the same strings at several sizes)."""

    def __init__(self, stack: tuple[FontFamily, ...], size: int, bold: bool) -> None:
        self.size = size
        self.files = tuple(family.file(bold=bold) for family in stack)
        self.maps = tuple(codepoints(path) for path in self.files)
        self._runs: dict[str, tuple[Run, ...]] = {}
        self._lengths: dict[str, float] = {}

    def font(self, index: int):
        return pillow_font(self.files[index], self.size)

    def runs(self, text: str) -> tuple[Run, ...]:
        found = self._runs.get(text)
        if found is None:
            if len(self._runs) >= KEPT:
                self._runs.clear()
            found = self._runs[text] = tuple(Run(self.font(i), part) for i, part in self._split(text))
        return found

    def _split(self, text: str) -> list[tuple[int, str]]:
        """(family index, text) of each run, in logical order."""
        if {ord(c) for c in text} <= self.maps[0]:
            return [(0, text)]  # the common case: the first family has it all
        runs: list[tuple[int, str]] = []
        current, start = -1, 0
        for at, char in enumerate(text):
            point = ord(char)
            if current >= 0 and (point in self.maps[current] or _stays_with_base(char)):
                continue
            chosen = next((n for n, points in enumerate(self.maps) if point in points), max(current, 0))
            if chosen != current:
                if current >= 0:
                    runs.append((current, text[start:at]))
                current, start = chosen, at
        runs.append((max(current, 0), text[start:]))
        return runs

    def length(self, text: str) -> float:
        found = self._lengths.get(text)
        if found is None:
            if len(self._lengths) >= KEPT:
                self._lengths.clear()
            found = self._lengths[text] = sum(run.font.getlength(run.text, "L") for run in self.runs(text))
        return found

    def ascent(self, text: str) -> int:
        """Pixels from the top of the line to its baseline: the ascender of the face its first run is in."""
        return self.runs(text)[0].font.getmetrics()[0]

    def leading(self, lines: list[str]) -> int:
        """Pixels from one line's top to the next: 1.2 times the size, or more where a face the lines use is
        taller (Burmese stacks its marks well above and below the letters: at 1.2 its lines overlapped)."""
        tallest = max((sum(run.font.getmetrics()) for line in lines for run in self.runs(line)), default=0)
        return max(int(self.size * 1.2), tallest)

    def middle(self, text: str) -> int:
        """Pixels from the middle of the line (between ascender and descender) to its baseline."""
        ascent, descent = self.runs(text)[0].font.getmetrics()
        return round((ascent - descent) / 2)


# Keyed by the families' identities (hashing a stack hashes every field of each family); the entry holds its
# stack, so no id in a key is reused while the entry lives. A cover asks for two or three; a build has one theme.
_TYPES: dict[tuple, tuple[tuple[FontFamily, ...], CoverType]] = {}


def cover_type(stack: tuple[FontFamily, ...], size: int, bold: bool) -> CoverType:
    key = (*map(id, stack), size, bold)
    found = _TYPES.get(key)
    if found is None:
        if len(_TYPES) >= 64:
            _TYPES.clear()
        found = _TYPES[key] = (stack, CoverType(stack, size, bold))
    return found[1]
