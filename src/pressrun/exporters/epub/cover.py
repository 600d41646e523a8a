"""A typographic cover for books without a lead image: publication, headline, byline, drawn with the theme's fonts.

Pillow draws with the bundled TTFs only (never system fonts), with the basic
layout engine for left-to-right text, so the PNG is the same on every machine
with the same Pillow. Each line uses the first family of its stack that has
all of its letters, as the CSS stacks would.

Speed (issue 8): encoding a 1400×2100 RGB PNG took ~230 ms. The cover is drawn
instead as palette indices in an 8-bit grey image: every pair of colours that
meet (text on the background, white on the accent band, the muted lines on the
background) owns a run of indices that the palette fills with the blend from
one to the other, so Pillow's anti-aliasing (a linear blend of index values)
lands on the right colours. The result is an indexed PNG, ~10× cheaper to encode
and smaller.

Speed (issue 19): what every cover of a publication shares (the band and the
publication's name on it, the palette) is drawn and deflated once per process; the
rest is drawn below it, beside a column of zeros that are the PNG's filter bytes,
and written by ``png.filtered_png`` (same pixels, a fraction of the time of
Pillow's encoder: it deflates a run of identical rows once per process).
Speed (issue 19): 1000×1500 rather than 1400×2100, half the pixels to draw and
deflate: see ``WIDTH``.
Speed (issue 19): fitting the headline measures each string and finds the break opportunities once
(``_Breaks``, ``covertype.CoverType.length``), not again at every size tried and for every line found.

Text is set in runs along a font stack and shaped by HarfBuzz whatever its script: ``covertype``.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from pressrun.exporters.epub.covertype import CoverType, Run, cover_type, glyph_mask
from pressrun.exporters.epub.png import LONG_RUN, Piece, deflated, filtered_png
from pressrun.render.linebreak import break_opportunities
from pressrun.theme import Colors, FontFamily, Theme

if TYPE_CHECKING:
    from PIL import Image

# The layout was designed at 1400×2100 and is scaled from it (``_px``); the picture is 1000×1500 (issue 19).
DESIGN_WIDTH = 1400
WIDTH, HEIGHT = 1000, 1500


def _px(design: float) -> int:
    """A measure of the 1400-pixel design, in this cover's pixels."""
    return round(design * WIDTH / DESIGN_WIDTH)


MARGIN = _px(110)
BAND = _px(300)  # the accent band behind the publication's name: rows 0 to BAND


@dataclass(frozen=True)
class CoverText:
    publication: str
    headline: str
    lines: tuple[str, ...]  # smaller text under the headline: byline and date, or the headlines
    rtl: bool = False
    language: str = "und"  # where lines may break: between ideographs and kana too, Korean words kept whole

    @property
    def alt(self) -> str:
        """The cover shows only text, so its text is its alternative text."""
        return ". ".join(t.rstrip(".") for t in (self.publication, self.headline, *self.lines) if t) + "."


def _wrap(text: str, kind: CoverType, width: int, breaks: _Breaks) -> tuple[list[str], bool]:
    """Greedy lines, ended where UAX #14 allows (``render.linebreak``): after spaces and hyphens, and between
    Chinese and Japanese characters, which a split at spaces would leave on one line running off the cover;
    and whether every line is within ``width`` (a line of one piece may not be). Lengths are estimated from
    one shaping of the whole text and measured only where the estimate is close (``CoverType.longer``)."""
    text = " ".join(text.split())  # runs of white space count as one, as before
    offsets = kind.estimate(text)
    lines: list[str] = []
    within = True
    first = start = 0  # where the line being filled begins, and where the next piece does
    checked = False  # whether the line so far was found within the width (a piece was added to it)

    def close(end: int) -> None:
        nonlocal within
        line = text[first:end].rstrip()
        lines.append(line)
        within = within and (checked or not kind.longer(text, first, first + len(line), width, offsets))

    for end in breaks.of(text):
        if start > first:
            if kind.longer(text, first, first + len(text[first:end].rstrip()), width, offsets):
                close(start)
                first, checked = start, False
            else:
                checked = True
        start = end
    if text[first:start].strip():
        close(start)
    return lines, within


class _Breaks:
    """``break_opportunities`` asked once per string while one cover is laid out (fitting the headline wraps it
    at several sizes; the lengths are remembered by each size's ``CoverType``)."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.found: dict[str, list[int]] = {}

    def of(self, text: str) -> list[int]:
        found = self.found.get(text)
        if found is None:
            found = self.found[text] = break_opportunities(text, self.language)
        return found


# Palette indices: muted ← background → text, then accent → white; each run is a blend.
MUTED, BOX, TEXT, ACCENT, WHITE = 0, 85, 170, 171, 255


@lru_cache(maxsize=8)
def _palette(colours: Colors) -> bytes:
    from PIL import ImageColor

    def rgb(colour: str) -> tuple[int, ...]:
        return ImageColor.getrgb(colour)[:3]

    def run(start: int, end: int, a: tuple[int, ...], b: tuple[int, ...]) -> list[int]:
        steps = end - start
        return [round(x + (y - x) * i / steps) for i in range(steps + 1) for x, y in zip(a, b)]

    box = rgb(colours.box)
    return bytes(
        run(MUTED, BOX, rgb(colours.muted), box)[:-3]
        + run(BOX, TEXT, box, rgb(colours.text))
        + run(ACCENT, WHITE, rgb(colours.accent), (255, 255, 255))
    )


def _is_rtl(text: str, default: bool) -> bool:
    """A line's direction: that of its first strong letter (an issue's cover lists headlines in every
    language of the issue), else the book's."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return default


class _Canvas:
    """Rows ``top`` to ``top + rows`` of the cover, in cover coordinates, drawn one column to the right of a
    column of zeros: each row's PNG filter byte, so the image's bytes are the PNG's rows as they stand
    (``png.filtered_png``: nothing copied or joined). It remembers which rows its drawing reached (``drawn``):
    the others are the background still, and ``flat_runs`` names them without reading a pixel."""

    def __init__(self, top: int, rows: int, fill: int) -> None:
        from PIL import Image, ImageDraw

        self.top = top
        self.image = Image.new("L", (WIDTH + 1, rows), fill)
        self.draw = ImageDraw.Draw(self.image)
        self.drawn: list[tuple[int, int]] = []  # [first, end) canvas rows each drawing may have changed

    def text(self, xy: tuple[float, int], line: str, font, fill: int, anchor: str, direction: str | None,
             recurring: bool) -> None:
        """What ``ImageDraw.text`` does for one run of text (an "L" image's ink is ``fill``; a fractional ``x``
        is kept as the mask's start), with the mask from ``_recurring_mask`` when the run recurs from cover
        to cover."""
        x = math.floor(xy[0])
        mask, (dx, dy) = (_recurring_mask if recurring else _mask)(font, line, anchor, direction, fill, xy[0] - x)
        top = xy[1] - self.top + dy
        self.draw.draw.draw_bitmap((x + 1 + dx, top), mask, fill)
        self.drawn.append((top, top + mask.size[1]))

    def glyphs(self, x: float, baseline: int, run: Run, fill: int) -> None:
        """A left-to-right run glyph by glyph from ``glyph_mask``, each at its pen position rounded to the pixel,
        as Pillow places them."""
        origin, top, draw_bitmap = round(x * 64) + 32, baseline - self.top, self.draw.draw.draw_bitmap
        first, end = self.image.height, 0
        for char, pen in zip(run.text, run.pens):
            mask, (dx, dy) = glyph_mask(run.font, char)
            width, height = mask.size
            if width:
                draw_bitmap((((origin + pen) >> 6) + 1 + dx, top + dy), mask, fill)
                first, end = min(first, top + dy), max(end, top + dy + height)
        if first < end:
            self.drawn.append((first, end))

    def rectangle(self, box: tuple[int, int, int, int], fill: int) -> None:
        left, top, right, bottom = box
        self.draw.rectangle((left + 1, top - self.top, right + 1, bottom - self.top), fill=fill)
        self.drawn.append((top - self.top, bottom - self.top + 1))

    def rows(self) -> bytes:
        """The filtered rows (text overflowing the left edge, clipped there before, cannot touch a filter byte)."""
        self.image.paste(0, (0, 0, 1, self.image.height))
        return self.image.tobytes()

    def flat_runs(self) -> list[tuple[int, int]]:
        """(first row, rows) of each stretch of at least ``png.LONG_RUN`` rows that no drawing reached: the
        background as the canvas was made (issue 19: comparing every row with the next, to find them, cost
        a seventh of a cover)."""
        runs, start = [], 0
        for first, end in sorted(self.drawn):
            if first - start >= LONG_RUN:
                runs.append((start, first - start))
            start = max(start, end)
        if self.image.height - start >= LONG_RUN:
            runs.append((start, self.image.height - start))
        return runs


def _mask(font, line: str, anchor: str, direction: str | None, ink: int, start: float) -> tuple[object, tuple[int, int]]:
    """The run's mask and its offset, as ``ImageDraw.text`` asks ``getmask2`` for them (``start``: the fraction
    of a pixel the run begins at)."""
    return font.getmask2(line, "L", direction, None, None, 0, anchor, ink, (start, 0.0), stroke_filled=True)


# The smaller lines (bylines, dates) recur from cover to cover and cost a fifth of the drawing: their masks are
# kept (~30 KB each). A headline's lines are new on every cover, so theirs are not. Few are kept: a byline recurs
# on every cover of its author and stays, while most dates are new (256 kept were 7 MB of peak memory at 1,000
# articles, issue 19's memory target).
_recurring_mask = lru_cache(maxsize=32)(_mask)


def _draw_line(canvas: _Canvas, y: int, line: str, kind: CoverType, fill: int, rtl: bool, vertical: str = "a",
               recurring: bool = False) -> None:
    """One line from its own start side (the right margin for right-to-left text, the left one otherwise), run
    after run of the stack's families, on the baseline of its first run's face: ``y`` is the line's top
    (``vertical`` "a") or middle ("m"). A run whose glyphs are its characters' own, left to right, is drawn
    from the glyph cache; others by Pillow, shaped."""
    baseline = y + (kind.ascent(line) if vertical == "a" else kind.middle(line))
    x, step, anchor = (WIDTH - MARGIN, -1, "rs") if rtl else (MARGIN, 1, "ls")
    runs = kind.runs(line)
    for n, run in enumerate(runs):
        if n:
            x += step * runs[n - 1].width  # (the last run's length is never needed: not measured)
        if not rtl and run.pens is not None:
            canvas.glyphs(x, baseline, run, fill)
        else:
            canvas.text((x, baseline), run.text, run.font, fill, anchor, "rtl" if rtl else None, recurring)


def _headline_type(stack: tuple[FontFamily, ...], headline: str, language: str,
                   context: str | None = None) -> tuple[CoverType, list[str]]:
    """The largest size at which the headline fits in the height of eight lines (at 1.2 times the size: fewer
    where the script's lines are taller) without a word overflowing (sizes tried in steps of the design's 6
    pixels, from 132 down to 40)."""
    width, design = WIDTH - 2 * MARGIN, 132
    breaks = _Breaks(language)
    while True:
        kind = cover_type(stack, _px(design), True).within(headline if context is None else context)
        lines, within = _wrap(headline, kind, width, breaks)
        fits = within and len(lines) * kind.leading(lines) <= 8 * int(kind.size * 1.2)
        if fits or design <= 40:
            return kind, lines
        design -= 6


@lru_cache(maxsize=4)  # a build has one publication
def _masthead(stack: tuple[FontFamily, ...], publication: str, rtl: bool) -> "Image.Image":
    """The accent band (rows 0 to BAND) with the publication's name on it, as filtered rows (``_Canvas``): the
    same on every cover of the publication, so drawn once per process. Do not draw on it."""
    canvas = _Canvas(0, BAND + 1, ACCENT)
    rtl = _is_rtl(publication, rtl)
    design = 78
    kind = cover_type(stack, _px(design), True)
    while kind.length(publication) > WIDTH - 2 * MARGIN and design > 30:
        design -= 4
        kind = cover_type(stack, _px(design), True)
    _draw_line(canvas, _px(150), publication, kind, WHITE, rtl, "m")
    canvas.rows()
    return canvas.image


@lru_cache(maxsize=4)
def _masthead_rows(stack: tuple[FontFamily, ...], publication: str, rtl: bool) -> Piece:
    """The masthead's rows deflated once per process (the PNG takes them as they are)."""
    return deflated(_masthead(stack, publication, rtl).tobytes())


def typographic_cover(theme: Theme, text: CoverText) -> bytes:
    stack = theme.stack("display")
    canvas = _Canvas(BAND + 1, HEIGHT - BAND - 1, BOX)  # below the band: the headline and the smaller lines
    width = WIDTH - 2 * MARGIN

    rtl = _is_rtl(text.headline, text.rtl)
    context = " ".join((text.headline, *text.lines))  # one design for each script on the cover
    kind, lines = _headline_type(theme.stack("body"), text.headline, text.language, context)
    y, leading = _px(420), kind.leading(lines)
    for line in lines:
        _draw_line(canvas, y, line, kind, TEXT, rtl)
        y += leading

    # A rule on the book's start side, then the smaller lines, each in its own direction.
    y += _px(40)
    rule = _px(220)
    left = WIDTH - MARGIN - rule if text.rtl else MARGIN
    canvas.rectangle((left, y, left + rule, y + _px(10)), fill=ACCENT)
    y += _px(70)
    small, breaks = cover_type(stack, _px(50), False).within(context), _Breaks(text.language)
    for entry in text.lines:
        rtl = _is_rtl(entry, text.rtl)
        for line in _wrap(entry, small, width, breaks)[0]:
            if y > HEIGHT - MARGIN - _px(60):
                break
            _draw_line(canvas, y, line, small, MUTED, rtl, recurring=True)
            y += _px(66)
        y += _px(18)

    # The "L" image's bytes are the palette indices; the palette turns them into colours.
    head = _masthead_rows(stack, text.publication, text.rtl)
    return filtered_png((head,), canvas.rows(), WIDTH, HEIGHT, _palette(theme.colors), canvas.flat_runs())
