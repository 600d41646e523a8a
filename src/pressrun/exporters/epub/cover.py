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

Speed (issue 19): what every cover of a publication shares (the background, the
band and the publication's name on it, the palette) is drawn once per process and
copied; the PNG is written by ``png.indexed_png`` (same pixels, half the time of
Pillow's encoder: it deflates a run of identical rows once per process).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from pressrun.exporters.epub.fonts import codepoints
from pressrun.exporters.epub.png import indexed_png
from pressrun.theme import Colors, FontFamily, Theme

if TYPE_CHECKING:
    from PIL import Image

WIDTH, HEIGHT = 1400, 2100
MARGIN = 110


@dataclass(frozen=True)
class CoverText:
    publication: str
    headline: str
    lines: tuple[str, ...]  # smaller text under the headline: byline and date, or the headlines
    rtl: bool = False

    @property
    def alt(self) -> str:
        """The cover shows only text, so its text is its alternative text."""
        return ". ".join(t.rstrip(".") for t in (self.publication, self.headline, *self.lines) if t) + "."


def _family_for(text: str, stack: tuple[FontFamily, ...]) -> FontFamily:
    needed = {ord(c) for c in text if not c.isspace()}
    for family in stack:
        if needed <= codepoints(family.regular):
            return family
    return stack[0]


@lru_cache(maxsize=64)
def _font(family: FontFamily, size: int, bold: bool, rtl: bool):
    from PIL import ImageFont, features

    engine = ImageFont.Layout.RAQM if rtl and features.check("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(family.file(bold=bold)), size, layout_engine=engine)


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


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


def _draw_line(draw, y: int, line: str, font, fill: int, rtl: bool, vertical: str = "a") -> None:
    """One line on its own start side: the right margin for right-to-left text, the left one otherwise."""
    x, side = (WIDTH - MARGIN, "r") if rtl else (MARGIN, "l")
    direction = {"direction": "rtl"} if rtl else {}
    draw.text((x, y), line, font=font, fill=fill, anchor=side + vertical, **direction)


def _headline_font(draw, family: FontFamily, headline: str, rtl: bool) -> tuple[object, int, list[str]]:
    """The largest size at which the headline fits in eight lines without a word overflowing."""
    width, size = WIDTH - 2 * MARGIN, 132
    while True:
        font = _font(family, size, True, rtl)
        lines = _wrap(draw, headline, font, width)
        fits = len(lines) <= 8 and all(draw.textlength(line, font=font) <= width for line in lines)
        if fits or size <= 40:
            return font, size, lines
        size -= 6


@lru_cache(maxsize=4)  # a build has one publication (2.9 MB an image)
def _masthead(stack: tuple[FontFamily, ...], publication: str, rtl: bool) -> "Image.Image":
    """The background, and the publication's name on the accent band: the same on every cover of the
    publication, so drawn once per process (each cover draws on a copy). Do not draw on it."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (WIDTH, HEIGHT), BOX)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 300), fill=ACCENT)
    family, rtl = _family_for(publication, stack), _is_rtl(publication, rtl)
    size = 78
    font = _font(family, size, True, rtl)
    while draw.textlength(publication, font=font) > WIDTH - 2 * MARGIN and size > 30:
        size -= 4
        font = _font(family, size, True, rtl)
    _draw_line(draw, 150, publication, font, WHITE, rtl, "m")
    return image


def typographic_cover(theme: Theme, text: CoverText) -> bytes:
    from PIL import ImageDraw

    image = _masthead(theme.stack("display"), text.publication, text.rtl).copy()
    draw = ImageDraw.Draw(image)
    width = WIDTH - 2 * MARGIN

    rtl = _is_rtl(text.headline, text.rtl)
    font, size, lines = _headline_font(draw, _family_for(text.headline, theme.stack("body")), text.headline, rtl)
    y = 420
    for line in lines:
        _draw_line(draw, y, line, font, TEXT, rtl)
        y += int(size * 1.2)

    # A rule on the book's start side, then the smaller lines, each in its own direction.
    y += 40
    left = WIDTH - MARGIN - 220 if text.rtl else MARGIN
    draw.rectangle((left, y, left + 220, y + 10), fill=ACCENT)
    y += 70
    family = _family_for(" ".join(text.lines), theme.stack("display"))
    for entry in text.lines:
        rtl = _is_rtl(entry, text.rtl)
        small = _font(family, 50, False, rtl)
        for line in _wrap(draw, entry, small, width):
            if y > HEIGHT - MARGIN - 60:
                break
            _draw_line(draw, y, line, small, MUTED, rtl)
            y += 66
        y += 18

    # The "L" image's bytes are the palette indices; the palette turns them into colours.
    return indexed_png(image.tobytes(), WIDTH, HEIGHT, _palette(theme.colors))
