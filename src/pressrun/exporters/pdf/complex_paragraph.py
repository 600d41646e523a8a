"""A paragraph flowable for text reportlab cannot set: shaped, bidirectional, broken by the rules of its script.

``ComplexParagraph`` takes the same markup and ``ParagraphStyle`` as reportlab's ``Paragraph`` and
behaves like one in frames, lists, tables and keeps: it wraps, splits between lines (no widows, no
orphans, as the styles ask), keeps with the next flowable when its style says so. Alignment is read
against the paragraph's direction: "left" is the start of the line (the right edge of a right-to-left
paragraph), a justified paragraph ends on a line set at its start. Lines are filled in logical
order, then each is drawn in visual order glyph by glyph (``draw_line``), with links and underlines. A paragraph
with links or phrases in other languages marks where each piece of a line starts in the text, so the tagger
(tagging.py) files the pieces in reading order, not in the order they are drawn.
"""

from __future__ import annotations

import bisect
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.platypus.flowables import Flowable

from pressrun.exporters.pdf.glyphs import GlyphFont
from pressrun.exporters.pdf.scripts import is_spaceless
from pressrun.exporters.pdf.shapedtext import Fragment, Run, ShapedText
from pressrun.exporters.pdf.shaping import ShapedRun
from pressrun.exporters.pdf.tagging import Tagged, marker
from pressrun.exporters.pdf.textops import TextOps


class ComplexParagraph(Tagged, Flowable):
    """Lines ``text[start:end]`` of a ``ShapedText`` in a ``ParagraphStyle`` (split pieces share the analysis)."""

    def __init__(self, shaped: ShapedText, style: Any, start: int = 0, end: int | None = None):
        super().__init__()
        self.shaped, self.style = shaped, style
        self.start, self.end = start, len(shaped.text) if end is None else end
        self.keepWithNext = getattr(style, "keepWithNext", 0)
        # Lines far enough apart for the tallest stack of the paragraph (Myanmar, Tibetan, Arabic marks), and the
        # first baseline low enough for its ink to stay inside the paragraph.
        top, bottom = shaped.ink
        self.leading = max(style.leading, top - bottom + 0.12 * style.fontSize)
        self.overhang = max(0.0, top - style.fontSize)
        self._lines: list[tuple[int, int]] = []
        self._width = -1.0

    def __repr__(self) -> str:
        return f"ComplexParagraph({self.shaped.text[self.start:self.end][:40]!r})"

    @property
    def rtl(self) -> bool:
        return self.shaped.rtl

    def _first_indent(self, line: int) -> float:
        return self.style.firstLineIndent if line == 0 and self.start == 0 else 0.0

    def _room(self, width: float, line: int) -> float:
        return width - self.style.leftIndent - self.style.rightIndent - self._first_indent(line)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if avail_width != self._width:
            self._lines = self.shaped.lines(self.start, self.end, lambda n: self._room(avail_width, n))
            self._width = avail_width
        self.width, self.height = avail_width, len(self._lines) * self.leading + (self.overhang if self._lines else 0)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        self.wrap(avail_width, avail_height)
        lines, style = self._lines, self.style
        fit = int((avail_height - self.overhang + 1e-6) // self.leading)
        if fit >= len(lines):
            return [self]
        if not style.allowOrphans and fit < 2 <= len(lines):
            return []  # one line alone at the foot of the frame: move the paragraph on
        if not style.allowWidows and len(lines) - fit == 1:
            fit -= 1  # one line alone at the head of the next frame: take one more with it
            if fit < (1 if style.allowOrphans else 2):
                return []
        if fit <= 0:
            return []
        cut = lines[fit][0]
        first = ComplexParagraph(self.shaped, style, self.start, cut)
        second = ComplexParagraph(self.shaped, style, cut, self.end)
        # The pieces of one paragraph have no gap between them (a split heading is kept together on one page).
        first.spaceBefore, first.spaceAfter = style.spaceBefore, 0
        second.spaceBefore, second.spaceAfter = 0, style.spaceAfter
        second.keepWithNext = self.keepWithNext
        first.keepWithNext = 0
        first.structure = second.structure = self.structure
        return [first, second]

    def draw(self) -> None:
        canv, style = self.canv, self.style
        last = len(self._lines) - 1
        for n, (start, end) in enumerate(self._lines):
            baseline = self.height - self.overhang - style.fontSize - n * self.leading
            ends_paragraph = n == last and self.end == len(self.shaped.text)
            hard = self.shaped.text[end - 1:end] == "\n"
            align = _alignment(style.alignment, self.rtl, justify_ok=not (ends_paragraph or hard))
            left = style.leftIndent + (0 if self.rtl else self._first_indent(n))
            draw_line(canv, self.shaped, start, end, left, self._room(self.width, n), baseline, align)


def _alignment(alignment: int, rtl: bool, justify_ok: bool) -> int:
    """The style's alignment for this line: left and right read as start and end, a last line set at its start."""
    if alignment == TA_JUSTIFY:
        return TA_JUSTIFY if justify_ok else (TA_RIGHT if rtl else TA_LEFT)
    if rtl and alignment in (TA_LEFT, TA_RIGHT):
        return TA_RIGHT if alignment == TA_LEFT else TA_LEFT
    return alignment


def draw_line(canv: Any, shaped: ShapedText, start: int, end: int, left: float, room: float, baseline: float,
              align: int) -> None:
    """Draw one line: its runs in visual order, each glyph where HarfBuzz put it; then its links and underlines.

    A line is never wider than its room: one that came out wider than measured (a cluster cut apart in
    a word longer than the line, shaped again with a dotted circle) is condensed to fit by the text matrix."""
    pieces = shaped.visual_pieces(start, end)
    lead, tail = _overhang(pieces)
    width = sum(glyphs.width() for _, glyphs in pieces) + lead + tail  # what the line covers, ink boxes included
    squeeze = min(1.0, room / width) if width > 0 else 1.0
    extra, stretch = 0.0, _stretchable(shaped, start, end, pieces) if align == TA_JUSTIFY else []
    if stretch and room > width:
        extra = (room - width) / len(stretch)
    slack = room - width * squeeze
    x = left + lead * squeeze + {TA_RIGHT: slack, TA_CENTER: slack / 2}.get(align, 0.0)
    if align == TA_JUSTIFY and not stretch:
        x = left + lead * squeeze + (slack if shaped.rtl else 0.0)
    ops = TextOps(canv._doc)
    ops.move_to(x, baseline, squeeze)
    spans: list[tuple[Fragment, float, float]] = []
    stretched = set(stretch)
    pen = 0.0
    for run, glyphs in pieces:
        before = pen
        if shaped.tagged:
            ops.mark(marker(run.fragment.inline, glyphs.start))
        pen = _draw_piece(ops, shaped.text, run, glyphs, pen, extra, stretched, shaped.bidi)
        spans.append((run.fragment, x + before * squeeze, x + pen * squeeze))
    tagger = getattr(canv, "tagger", None)
    canv._code.append("q")
    if tagger is None:
        canv._code.append(ops.finish())
    else:
        tagger.text(ops.finish())
    canv._code.append("Q")
    _decorate(canv, spans, baseline, tagger)


def _overhang(pieces: list[tuple[Run, ShapedRun]]) -> tuple[float, float]:
    """How far glyphs reach before the line's start and past its end (a mark moved left of the first letter,
    a glyph whose box is wider than its advance): the line is set that much further in."""
    pen, low, high = 0.0, 0.0, 0.0
    for _, glyphs in pieces:
        font, size = glyphs.font, glyphs.size
        for gid, advance, x_offset in zip(glyphs.gids, glyphs.advances, glyphs.x_offsets):
            origin = pen + x_offset
            low, high = min(low, origin), max(high, origin + font.width(gid) * size / 1000)
            pen += advance
    return -low, max(0.0, high - pen)


def _stretchable(shaped: ShapedText, start: int, end: int, pieces: list[tuple[Run, ShapedRun]]) -> list[tuple[int, int]]:
    """Where a justified line takes its extra space, as (piece, glyph after which it goes).

    After each space; in a line of a script written without spaces (Thai, Khmer, Myanmar, Chinese,
    Japanese …), at each place the line could have been broken (between words, between ideographs)."""
    text = shaped.text
    if not is_spaceless(text[start:end]):
        return [(id(g), i) for _, g in pieces for i, c in enumerate(g.clusters) if text[c] == " "]
    while end > start and text[end - 1].isspace():
        end -= 1
    lo, hi = bisect.bisect_right(shaped.opportunities, start), bisect.bisect_left(shaped.opportunities, end)
    wanted = {b - 1 for b in shaped.opportunities[lo:hi]}
    out = []
    for _, glyphs in pieces:
        if glyphs.rtl:
            continue  # a right-to-left run in such a line keeps its spacing
        for i, cluster in enumerate(glyphs.clusters):
            last_of_cluster = i + 1 == len(glyphs.clusters) or glyphs.clusters[i + 1] != cluster
            following = glyphs.clusters[i + 1] if i + 1 < len(glyphs.clusters) else glyphs.end
            if last_of_cluster and any(cluster <= p < following for p in wanted):
                out.append((id(glyphs), i))
    return out


def _draw_piece(ops: TextOps, text: str, run: Run, glyphs: ShapedRun, x: float, extra: float,
                stretched: set[tuple[int, int]], bidi: bool) -> float:
    """The glyphs of one run on the line, word by word (a word whose glyphs do not map back one by one to its
    characters is wrapped in /ActualText, reversed in a right-to-left run as viewers reverse it back)."""
    ops.color(run.fragment.color)
    font, size, key = glyphs.font, glyphs.size, id(glyphs)
    end_of = _cluster_ends(glyphs)
    mapping = _glyph_texts(text, glyphs, end_of, bidi)
    for lo, hi in _words(text, glyphs):
        simple = all(_maps_back(font, text, glyphs, mapping, i) for i in range(lo, hi))
        if not simple:  # the word's characters: from its first cluster to the end of its last
            clusters = glyphs.clusters[lo:hi]
            word = text[min(clusters):end_of[max(clusters)]]
            ops.begin_actual_text(word[::-1] if glyphs.rtl else word)
        for i in range(lo, hi):
            more = extra if (key, i) in stretched else 0.0
            ops.glyph(font, size, glyphs.gids[i], mapping[i], glyphs.advances[i], glyphs.x_offsets[i],
                      glyphs.y_offsets[i], more)
            x += glyphs.advances[i] + more
        if not simple:
            ops.end_actual_text()
    return x


def _cluster_ends(glyphs: ShapedRun) -> dict[int, int]:
    """Where each cluster of the piece ends in the text (where the next one starts)."""
    starts = sorted(set(glyphs.clusters))
    return dict(zip(starts, [*starts[1:], glyphs.end]))


def _glyph_texts(text: str, glyphs: ShapedRun, end_of: dict[int, int], bidi: bool) -> list[str]:
    """The characters each glyph stands for: its cluster's, on the cluster's first glyph ("" on the others).

    In a line of mixed directions (``bidi``), a space says which side it belongs to: one in a right-to-left
    run is followed by a RIGHT-TO-LEFT MARK, one in a left-to-right run preceded by a LEFT-TO-RIGHT MARK.
    The marks have no ink and no width; without them a text extractor (poppler) takes the space into the
    neighbouring run of the other direction and glues the words on either side of it together."""
    seen: set[int] = set()
    out = []
    for cluster in glyphs.clusters:
        chars = "" if cluster in seen else text[cluster:end_of[cluster]]
        if bidi and chars == " ":
            chars = " \u200f" if glyphs.rtl else "\u200e "
        out.append(chars)
        seen.add(cluster)
    return out


def _maps_back(font: GlyphFont, text: str, glyphs: ShapedRun, mapping: list[str], i: int) -> bool:
    """Whether glyph i alone says its text to a reader of the PDF: one character, its own glyph, on the baseline."""
    chars = mapping[i].strip("\u200e\u200f")
    return len(chars) == 1 and font.cmap.get(ord(chars)) == glyphs.gids[i] and not glyphs.y_offsets[i]


def _words(text: str, glyphs: ShapedRun) -> list[tuple[int, int]]:
    """Glyph index ranges of the words of a piece; each space glyph is a word of its own."""
    out, lo = [], 0
    for i, cluster in enumerate(glyphs.clusters):
        if text[cluster].isspace():
            if i > lo:
                out.append((lo, i))
            out.append((i, i + 1))
            lo = i + 1
    if lo < len(glyphs.clusters):
        out.append((lo, len(glyphs.clusters)))
    return out


def _decorate(canv: Any, spans: list[tuple[Fragment, float, float]], baseline: float, tagger: Any) -> None:
    """Underlines and link areas, one per run on the line (each area the annotation of its link's element)."""
    for fragment, x0, x1 in spans:
        size = fragment.size
        if fragment.underline:
            canv.saveState()
            canv.setStrokeColor(fragment.color)
            canv.setLineWidth(size * 0.05)
            canv.line(x0, baseline - size * 0.125, x1, baseline - size * 0.125)
            canv.restoreState()
        if fragment.link:
            if tagger is not None and fragment.inline is not None:
                tagger.next_owner = tagger.tree.inline[fragment.inline]
            rect = (x0, baseline - size * 0.2, x1, baseline + size * 0.9)
            if fragment.link.startswith("#"):
                canv.linkRect("", fragment.link[1:], rect, relative=1)
            else:
                canv.linkURL(fragment.link, rect, relative=1)
