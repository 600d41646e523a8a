"""A paragraph analysed once for the complex path: its text, bidi levels, shaped runs, widths and breaks.

The paragraph's markup (the same ``<font face>``/``<a>``/``<br/>`` markup reportlab's paragraphs get,
so fallback fonts, links and bold or italic faces are decided in one place) is parsed by reportlab's
own parser into fragments (the same fragments, made by ``parafrags`` when it reads the markup). The text is cut into runs of one fragment, one embedding level and one
script; each run is shaped once, in its font, with the whole paragraph as context. Lines are then
filled (``linebreak``) from the advances, and each line is put in visual order (``bidi``) when drawn.

Speed (issue 19): the fragments come from ``parafrags``, not reportlab's parser (which only reads what it cannot).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pressrun.exporters.pdf import bidi
from pressrun.exporters.pdf.glyphs import GlyphFont
from pressrun.exporters.pdf.linebreak import break_opportunities, fill_lines
from pressrun.exporters.pdf.scripts import first_strong_is_rtl, script_of
from pressrun.exporters.pdf.shaping import ShapedRun, shape


@dataclass(frozen=True)
class Fragment:
    """Text in one font, size and colour, maybe a link, maybe underlined ("\\n" alone: a hard line break), maybe
    the content of an inline structure element (``inline``: its number; a link or a phrase in another language)."""

    text: str
    font: str
    size: float
    color: Any
    link: str | None = None
    underline: bool = False
    inline: int | None = None


@dataclass(frozen=True)
class Setting:
    """What the complex path needs beyond the markup: the language, the base direction, the glyph fonts."""

    language: str
    rtl: bool | None  # None: decided by the paragraph's first strong character (UAX #9 P2–P3)
    glyph_font: Callable[[str], GlyphFont]


def fragments(markup: str, style: Any) -> list[Fragment]:
    """reportlab's paragraph parser, read back as fragments."""
    from reportlab.platypus.paraparser import ParaParser

    from pressrun.exporters.pdf.parafrags import frags

    ours = frags(markup, style, clean=False)  # the parser's fragments, without the parser (parafrags)
    parsed = ParaParser().parse(markup, style)[1] if ours is None else ours[1]
    if parsed is None:
        raise ValueError(f"paragraph markup could not be parsed: {markup[:80]!r}")
    out: list[Fragment] = []
    inline = None  # the inline element the text is in: the markup's ``onDraw`` markers say where they start and end
    for frag in parsed:
        # Soft hyphens (a phrase hyphenated by its own language) are reportlab's: this path does not hyphenate,
        # and ICU would break there without a visible hyphen.
        text = frag.text.replace("\u00ad", "") if getattr(frag, "text", "") else ""
        marker = getattr(frag, "cbDefn", None)
        if marker is not None and marker.kind == "onDraw":
            inline = int(marker.label) if marker.label else None
        elif getattr(frag, "lineBreak", False):
            out.append(Fragment("\n", frag.fontName, frag.fontSize, frag.textColor))
        elif text:
            link = frag.link[0][1] if getattr(frag, "link", None) else None
            out.append(Fragment(text, frag.fontName, frag.fontSize, frag.textColor, link, bool(frag.us_lines), inline))
    return out


@dataclass
class Run:
    """A stretch of the text in one fragment, one embedding level and one script, shaped."""

    start: int
    end: int
    fragment: Fragment
    level: int
    shaped: ShapedRun


class ShapedText:
    """The paragraph: text, levels, runs, advances (``offsets``), cluster starts and line break opportunities."""

    def __init__(self, frags: list[Fragment], setting: Setting):
        self.setting = setting
        self.text = "".join(f.text for f in frags)
        self.fragment_of = [i for i, f in enumerate(frags) for _ in f.text]
        self.frags = frags
        self.tagged = any(f.inline is not None for f in frags)  # links or phrases: the text is cut where they are
        rtl = setting.rtl if setting.rtl is not None else first_strong_is_rtl(self.text)
        self.rtl = bool(rtl)
        self.base_level = 1 if self.rtl else 0
        self.levels = bidi.paragraph_levels(self.text, self.rtl)
        self.bidi = any(level % 2 for level in self.levels)  # some text runs right to left
        self.runs = [self._shape(*item) for item in self._itemize()]
        self.offsets, self.clusters = self._measure()
        self.opportunities = [b for b in break_opportunities(self.text, setting.language)
                              if b == len(self.text) or self.clusters[b]]

    def _itemize(self) -> list[tuple[int, int, int]]:
        """(start, end, fragment) of every run: a new run where the fragment, the level or the script changes."""
        text, levels, frag_of = self.text, self.levels, self.fragment_of
        items: list[tuple[int, int, int]] = []
        start, script = 0, ""
        for i, char in enumerate(text):
            here = script_of(char)
            if i > start and (frag_of[i] != frag_of[start] or levels[i] != levels[start]
                              or (here and script and here != script) or char == "\n" or text[i - 1] == "\n"):
                items.append((start, i, frag_of[start]))
                start, script = i, ""
            script = script or here
        if text:
            items.append((start, len(text), frag_of[start]))
        return [item for item in items if text[item[0]:item[1]] != "\n"]

    def _shape(self, start: int, end: int, frag_index: int) -> Run:
        frag, level = self.frags[frag_index], self.levels[start]
        font = self.setting.glyph_font(frag.font)
        return Run(start, end, frag, level, shape(font, self.text, start, end, level % 2 == 1, self.setting.language, frag.size))

    def _measure(self) -> tuple[list[float], list[bool]]:
        """Running advance at each offset, and where clusters start (a hard break is a cluster of its own)."""
        n = len(self.text)
        advance = [0.0] * n
        clusters = [True] * (n + 1)
        for run in self.runs:
            clusters[run.start + 1:run.end] = [False] * (run.end - run.start - 1)
            shaped = run.shaped
            for cluster, width in zip(shaped.clusters, shaped.advances):
                advance[cluster] += width
                clusters[cluster] = True
        return [0.0, *itertools.accumulate(advance)], clusters

    @functools.cached_property
    def ink(self) -> tuple[float, float]:
        """The highest and lowest points any glyph of the paragraph reaches, in points from the baseline
        (stacked Myanmar or Tibetan letters reach far beyond the body size)."""
        top = bottom = 0.0
        for run in self.runs:
            shaped = run.shaped
            font, size = shaped.font, shaped.size
            for gid, rise in zip(shaped.gids, shaped.y_offsets):
                high, low = font.ink(gid)
                top, bottom = max(top, high * size + rise), min(bottom, low * size + rise)
        return top, bottom

    def lines(self, start: int, end: int, width_of_line: Callable[[int], float]) -> list[tuple[int, int]]:
        return fill_lines(self.text, start, end, self.offsets, self.opportunities, self.clusters, width_of_line)

    def visual_pieces(self, start: int, end: int) -> list[tuple[Run, ShapedRun]]:
        """The runs of the line ``text[start:end]`` (trailing white space left out) in visual order, left to right,
        each with its glyphs for this line: sliced from the run, or shaped again where a slice would change shapes."""
        text = self.text
        while end > start and text[end - 1].isspace():
            end -= 1
        pieces = [(run, max(run.start, start), min(run.end, end)) for run in self.runs
                  if run.start < end and run.end > start]
        levels = bidi.line_levels(text[start:end], self.levels[start:end], self.base_level)
        order = bidi.visual_order([levels[lo - start] for _, lo, _ in pieces])
        return [(pieces[i][0], self._glyphs(*pieces[i])) for i in order]

    def _glyphs(self, run: Run, lo: int, hi: int) -> ShapedRun:
        shaped = run.shaped
        if lo == run.start and hi == run.end:
            return shaped
        keep = [i for i, c in enumerate(shaped.clusters) if lo <= c < hi]
        edges = [i for i, c in enumerate(shaped.clusters) if (c == lo and lo > run.start) or (c == hi and hi < run.end)]
        if not keep or any(shaped.unsafe(i) for i in edges):
            return shape(shaped.font, self.text, lo, hi, shaped.rtl, self.setting.language, shaped.size)
        first, last = keep[0], keep[-1] + 1
        return ShapedRun(shaped.font, shaped.size, shaped.rtl, lo, hi, shaped.gids[first:last], shaped.clusters[first:last],
                         shaped.advances[first:last], shaped.x_offsets[first:last], shaped.y_offsets[first:last],
                         shaped.infos[first:last])
