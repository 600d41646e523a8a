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
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pressrun.exporters.epub.fonts import codepoints
from pressrun.theme import Colors, FontFamily, Theme

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


def typographic_cover(theme: Theme, text: CoverText) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("L", (WIDTH, HEIGHT), BOX)
    draw = ImageDraw.Draw(image)
    width = WIDTH - 2 * MARGIN
    direction = {"direction": "rtl"} if text.rtl else {}
    anchor_x, align = (WIDTH - MARGIN, "ra") if text.rtl else (MARGIN, "la")

    # Masthead band: the publication's name on the accent colour.
    draw.rectangle((0, 0, WIDTH, 300), fill=ACCENT)
    family = _family_for(text.publication, theme.stack("display"))
    size = 78
    font = _font(family, size, True, text.rtl)
    while draw.textlength(text.publication, font=font) > width and size > 30:
        size -= 4
        font = _font(family, size, True, text.rtl)
    draw.text((anchor_x, 150), text.publication, font=font, fill=WHITE, anchor=align[0] + "m", **direction)

    # Headline: the largest size at which it fits in eight lines without a word overflowing.
    family = _family_for(text.headline, theme.stack("body"))
    size = 132
    while True:
        font = _font(family, size, True, text.rtl)
        lines = _wrap(draw, text.headline, font, width)
        fits = len(lines) <= 8 and all(draw.textlength(line, font=font) <= width for line in lines)
        if fits or size <= 40:
            break
        size -= 6
    y = 420
    for line in lines:
        draw.text((anchor_x, y), line, font=font, fill=TEXT, anchor=align, **direction)
        y += int(size * 1.2)

    # A rule, then the smaller lines.
    y += 40
    draw.rectangle((MARGIN, y, MARGIN + 220, y + 10), fill=ACCENT)
    y += 70
    family = _family_for(" ".join(text.lines), theme.stack("display"))
    small = _font(family, 50, False, text.rtl)
    for entry in text.lines:
        for line in _wrap(draw, entry, small, width):
            if y > HEIGHT - MARGIN - 60:
                break
            draw.text((anchor_x, y), line, font=small, fill=MUTED, anchor=align, **direction)
            y += 66
        y += 18

    image.putpalette(_palette(theme.colors))  # "L" → "P": the indices become colours
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)  # a flat palette image: the fast level is nearly as small
    return out.getvalue()
