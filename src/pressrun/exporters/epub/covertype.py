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

Speed (issue 19): Pillow renders every glyph of a line with FreeType on every call (~0.3 ms a headline line).
A run whose glyphs are its characters' own, left to right (HarfBuzz says so: ``pens``), is drawn instead glyph
by glyph from masks rendered once per process (``glyph_mask``), at the pixel positions Pillow would give them:
the same pixels (a test compares them in ten scripts), a cover ~0.8 ms faster. Other runs (Arabic, Hebrew,
Devanagari, a ligature) are drawn by Pillow, whole.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pressrun.exporters.epub.fonts import codepoints, face
from pressrun.exporters.epub.scriptfaces import script_name, whole_scripts
from pressrun.theme import FontFamily

if TYPE_CHECKING:
    import uharfbuzz as hb

JOINERS = frozenset("\u200c\u200d\u034f")  # ZWNJ, ZWJ, combining grapheme joiner: part of their base's run
KEPT = 512  # strings whose runs a type remembers: one cover's few dozen, not every cover's
# How far, in sizes (ems), an estimated length may be from Pillow's before it is measured: a kern between two
# glyphs is a tenth of an em or two at most, and a stretch's estimate misses at most the kerns at its two ends.
ESTIMATE_SLACK = 0.25
# Texts whose estimate is trusted: the alphabets that no shaping rule changes (Latin, Greek, Cyrillic, Armenian,
# Georgian, their punctuation and signs), where one shaping of a mixed text is the shaping of its parts. Elsewhere
# a whole text shaped at once is not what Pillow's per-script runs give: the figures of "75 वर्ष" or "75 سال"
# took a third of an em more in their own run (a test measures this).
SIMPLE_SCRIPTS = re.compile("[\u0000-\u058f\u10a0-\u10ff\u1c90-\u1cbf\u1d00-\u1fff\u2000-\u214f]*")


@lru_cache(maxsize=64)
def pillow_font(path: Path, size: int):
    from PIL import ImageFont, features

    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(path), size, layout_engine=engine)


def _stays_with_base(char: str) -> bool:
    return char in JOINERS or unicodedata.category(char)[0] == "M" or 0xFE00 <= ord(char) <= 0xFE0F


@lru_cache(maxsize=64)
def _hb_font(path: Path, size: int) -> "hb.Font":
    import uharfbuzz as hb

    font = hb.Font(face(path))
    font.scale = (size * 64, size * 64)  # positions in 64ths of a pixel
    return font


def _shaped(path: Path, size: int, text: str) -> "hb.Buffer":
    """``text`` laid out by HarfBuzz in the face at ``path``, its script and direction guessed from the text."""
    import uharfbuzz as hb

    buffer = hb.Buffer()
    buffer.add_codepoints([ord(c) for c in text])  # clusters are then character indexes
    buffer.guess_segment_properties()
    hb.shape(_hb_font(path, size), buffer)
    return buffer


def pens(path: Path, size: int, text: str) -> tuple[int, ...] | None:
    """Where each character's glyph starts along a run, in 64ths of a pixel (FreeType's unit, in which Pillow's
    raqm engine places glyphs; HarfBuzz lays it out for both), when every glyph is its own character's (no
    ligature, no reordering, no mark moved) and the run goes left to right: then ``glyph_mask`` can draw it,
    glyph by glyph. None: not so (Pillow draws such runs whole)."""
    if not text:
        return ()
    font, buffer = _hb_font(path, size), _shaped(path, size, text)
    infos, positions = buffer.glyph_infos, buffer.glyph_positions
    if buffer.direction != "ltr" or len(infos) != len(text):
        return None
    found, pen = [], 0
    for n, (info, position, char) in enumerate(zip(infos, positions, text)):
        if info.cluster != n or position.y_offset or info.codepoint != font.get_nominal_glyph(ord(char)):
            return None
        found.append(pen + position.x_offset)
        pen += position.x_advance
    return tuple(found)


def pen_offsets(path: Path, size: int, text: str) -> list[int]:
    """Where the pen stands before each character of ``text`` shaped whole in one face, and after the last, in
    64ths of a pixel: a cluster's advance counts at its first character. The width of a stretch of the text is
    then a difference (``CoverType.estimate``), where Pillow would lay the stretch out again."""
    buffer = _shaped(path, size, text)
    shares = [0] * (len(text) + 1)
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions):
        shares[info.cluster + 1] += position.x_advance
    for n in range(1, len(shares)):
        shares[n] += shares[n - 1]
    return shares


# A glyph's mask (and its offset from the pen on the baseline) as Pillow draws it in a line: Pillow places each
# glyph of a line at its pen position rounded to the pixel, so a line drawn glyph by glyph from these is the
# line Pillow draws (a test compares them), at a tenth of the cost: FreeType renders each glyph once per
# process, not once per cover. ~5 KB each at headline size; a build's alphabets are a few hundred glyphs.
@lru_cache(maxsize=1024)
def glyph_mask(font, char: str) -> tuple[object, tuple[int, int]]:
    return font.getmask2(char, "L", None, None, None, 0, "ls", 0, (0.0, 0.0), stroke_filled=True)


class Run:
    """Text in one face of the stack: its length as Pillow measures it, and its glyphs' pens (``pens``), each
    found when first asked for (fitting a headline measures many strings; only the lines drawn are shaped)."""

    __slots__ = ("font", "text", "_path", "_size", "_width", "_pens")

    def __init__(self, font, text: str, path: Path, size: int) -> None:
        self.font, self.text, self._path, self._size = font, text, path, size
        self._width: float | None = None
        self._pens: tuple[int, ...] | None | bool = False  # False: not shaped yet

    @property
    def width(self) -> float:
        if self._width is None:
            self._width = self.font.getlength(self.text, "L")
        return self._width

    @property
    def pens(self) -> tuple[int, ...] | None:
        if self._pens is False:
            self._pens = pens(self._path, self._size, self.text)
        return self._pens  # type: ignore[return-value]


class CoverType:
    """``stack`` at ``size`` pixels, bold or not: the runs of a text, shaped (remembered: fitting a headline
    measures the same strings at several sizes)."""

    def __init__(self, stack: tuple[FontFamily, ...], size: int, bold: bool) -> None:
        self.size = size
        self.files = tuple(family.file(bold=bold) for family in stack)
        self.maps = tuple(codepoints(path) for path in self.files)
        self._runs: dict[str, tuple[Run, ...]] = {}
        self._whole: dict[str, int] | None = None  # set by ``within``: the scripts set whole, for a whole cover

    def within(self, context: str) -> CoverType:
        """This type for the texts of one cover: which scripts go whole to one family (``_whole_scripts``) is
        decided once for all of ``context`` (the headline and the smaller lines), so a cover's byline is not in
        DejaVu Sans's Arabic while its headline is in Noto Naskh's because the byline lacks an Urdu letter."""
        view = copy.copy(self)
        view._runs = {}
        view._whole = self._whole_scripts({ord(c) for c in context})
        return view

    def font(self, index: int):
        return pillow_font(self.files[index], self.size)

    def runs(self, text: str) -> tuple[Run, ...]:
        found = self._runs.get(text)
        if found is None:
            if len(self._runs) >= KEPT:
                self._runs.clear()
            found = self._runs[text] = tuple(Run(self.font(i), part, self.files[i], self.size)
                                             for i, part in self._split(text))
        return found

    def _split(self, text: str) -> list[tuple[int, str]]:
        """(family index, text) of each run, in logical order."""
        points = {ord(c) for c in text}
        if not self._whole and points <= self.maps[0]:
            return [(0, text)]  # the common case: the first family has it all
        whole = self._whole if self._whole is not None else self._whole_scripts(points)
        runs: list[tuple[int, str]] = []
        current, start = -1, 0
        for at, char in enumerate(text):
            point = ord(char)
            own = whole.get(script_name(point)) if whole else None
            if own is not None and point in self.maps[own]:
                chosen = own
            elif current >= 0 and (point in self.maps[current] or _stays_with_base(char)):
                chosen = current
            else:
                chosen = next((n for n, points in enumerate(self.maps) if point in points), max(current, 0))
            if chosen != current:
                if current >= 0:
                    runs.append((current, text[start:at]))
                current, start = chosen, at
        runs.append((max(current, 0), text[start:]))
        return runs

    def _whole_scripts(self, points: set[int]) -> dict[str, int]:
        """Scripts whose letters falling back one by one would split between families, each with the first family
        that has them all (``scriptfaces``: one design for a script, as in the e-book's text and the PDF)."""
        return whole_scripts(self.maps, [p for p in points if unicodedata.category(chr(p))[0] == "L"])

    def length(self, text: str) -> float:
        return sum(run.width for run in self.runs(text))

    def estimate(self, text: str) -> list[int] | None:
        """``pen_offsets`` of ``text`` when it is one run in ``SIMPLE_SCRIPTS`` (and one family), for
        guessing the lengths of its stretches to within a fraction of the size (``ESTIMATE_SLACK``): a stretch
        laid out alone differs from its part of the whole only by the kerning at its ends. None: several runs."""
        runs = self.runs(text)
        if len(runs) != 1 or not SIMPLE_SCRIPTS.fullmatch(text):
            return None
        run = runs[0]
        return pen_offsets(run._path, run._size, text)

    def longer(self, text: str, start: int, end: int, width: float, offsets: list[int] | None) -> bool:
        """Whether ``text[start:end]`` is longer than ``width`` as Pillow lays it out: from the estimate when it
        is clearly so or clearly not, else measured (issue 19: one measure in ten, where every candidate line
        of a headline, at every size tried, was laid out by Pillow)."""
        if offsets is not None:
            guess, slack = (offsets[end] - offsets[start]) / 64, self.size * ESTIMATE_SLACK
            if guess > width + slack:
                return True
            if guess < width - slack:
                return False
        return self.length(text[start:end]) > width

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
