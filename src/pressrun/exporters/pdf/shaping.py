"""Shaping with HarfBuzz (uharfbuzz): a run of text in one font and one direction → positioned glyphs.

Arabic letters take their joined forms, Indic consonants form conjuncts and vowel signs move before
their consonant, marks are placed on their base, Thai, Khmer and Myanmar clusters stack. A run is
shaped with the paragraph around it as context (so a piece of a word split across lines keeps the
forms it has in the whole word). Discretionary ligatures are off (``liga``/``dlig``/``clig``): "fi"
stays two letters, as reportlab's own path sets it; required ligatures (Arabic lam-alef, ``rlig``)
stay on. Positions are in points.
"""

from __future__ import annotations

from dataclasses import dataclass

from pressrun.exporters.pdf.glyphs import GlyphFont

FEATURES = {"liga": False, "dlig": False, "clig": False}


@dataclass
class ShapedRun:
    """Glyphs of ``text[start:end]`` in visual order (left to right), with the cluster (index into the text) each
    comes from; advances and offsets in points. ``unsafe(i)``: breaking the line before glyph i would change shapes."""

    font: GlyphFont
    size: float
    rtl: bool
    start: int
    end: int
    gids: list[int]
    clusters: list[int]
    advances: list[float]
    x_offsets: list[float]
    y_offsets: list[float]
    infos: list  # HarfBuzz's glyph infos (their flags are read only where a line is cut)

    def unsafe(self, i: int) -> bool:
        return bool(self.infos[i].flags & 1)  # HB_GLYPH_FLAG_UNSAFE_TO_BREAK

    def width(self) -> float:
        return sum(self.advances)


def shape(font: GlyphFont, text: str, start: int, end: int, rtl: bool, language: str, size: float) -> ShapedRun:
    """Shape ``text[start:end]`` (the rest of ``text`` is context) in ``font`` at ``size`` points."""
    import uharfbuzz as hb

    buf = hb.Buffer()
    buf.add_str(text, start, end - start)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    if language:
        buf.language = language
    hb.shape(font.hb_font, buf, FEATURES)
    factor = size / font.upem
    infos, positions = buf.glyph_infos, buf.glyph_positions
    return ShapedRun(
        font, size, rtl, start, end,
        gids=[i.codepoint for i in infos],
        clusters=[i.cluster for i in infos],
        advances=[p.x_advance * factor for p in positions],
        x_offsets=[p.x_offset * factor for p in positions],
        y_offsets=[p.y_offset * factor for p in positions],
        infos=infos,
    )
