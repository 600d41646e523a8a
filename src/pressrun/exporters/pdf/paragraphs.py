"""One paragraph of markup → a flowable: reportlab's ``Paragraph`` when it can, the complex path when it cannot.

A paragraph whose characters need neither shaping, nor bidi, nor line breaking by dictionary (see
``scripts``) in a left-to-right article is reportlab's, exactly as before: same bytes, same cost. Any
other paragraph — and every paragraph of a right-to-left article, whose base direction is right to
left even where its words are English — is a ``ComplexParagraph``.

Speed (issue 19): a ``Para`` breaks its lines once per width (``Para.wrap``). reportlab wrapped the same
paragraph at the same width up to four times (a heading's keep measures its follower, lists, the box's table,
the frame, the drawing of a list or a table cell): 7,700 line breakings for 4,700 paragraphs in 100 articles.
"""

from __future__ import annotations

import re
from typing import Any

from reportlab.platypus import Paragraph

from pressrun.exporters.pdf.scripts import needs_complex
from pressrun.exporters.pdf.shapedtext import Setting
from pressrun.exporters.pdf.tagging import Tagged, leading_marker


class Para(Tagged, Paragraph):
    """reportlab's paragraph, as the content of its structure element (``structure``).

    Wrapped once per width: reportlab wraps a paragraph again at the same width whenever a container measures
    it (a heading's keep, a list, the box's table, a frame after a failed keep), and breaking its lines was half
    of what the PDF cost above the floor. Line breaking depends on the width only; a split starts afresh."""

    _wrapped: tuple[float, tuple[float, float]] | None = None  # (width, size) of the last wrap

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        last = self._wrapped
        if last is not None and last[0] == avail_width and hasattr(self, "blPara"):
            self.width, self.height = last[1]
            return last[1]
        size = super().wrap(avail_width, avail_height)
        self._wrapped = (avail_width, size)
        return size

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        self._wrapped = None  # reportlab's split may drop or reuse the lines (and retouch the fragments)
        return super().split(avail_width, avail_height)


class Heading(Para):
    """A heading whose pieces, when a very long one is split, are set as one block.

    keepWithNext keeps the pieces together, often on one page; reportlab would give each
    piece the style's space before and after, opening a gap inside the heading.
    """

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        pieces = super().split(avail_width, avail_height)
        for before, after in zip(pieces, pieces[1:]):
            before.spaceAfter = after.spaceBefore = 0
        return pieces


def paragraph(markup: str, style: Any, setting: Setting, heading: bool = False) -> Any:
    """The flowable for ``markup`` in ``style``; ``setting.rtl`` is True for every paragraph of a right-to-left article."""
    if setting.rtl or needs_complex(markup):
        from pressrun.exporters.pdf.complex_paragraph import ComplexParagraph
        from pressrun.exporters.pdf.shapedtext import ShapedText, fragments

        return ComplexParagraph(ShapedText(fragments(markup, style), setting), style)
    # reportlab never breaks a word that starts with a marker: a paragraph that starts with a link (or a phrase)
    # says so instead (the tagger starts it inside that inline element).
    first, markup = leading_marker(markup)
    markup = _in_own_font(markup, style.fontName)
    flowable = Heading(markup, style) if heading else Para(markup, style)
    flowable.first_inline = first
    return flowable


def _in_own_font(markup: str, font: str) -> str:
    """``markup`` without the ``<font face>`` of the runs set in the style's own font: the text is set the same,
    reportlab merges the runs back when it breaks lines, and parsing the tags (and the fragments they cut the
    text into) was a large part of the PDF's cost above the bare-library floor. Runs never nest, so each tag
    found is a leaf's."""
    opening = f'<font face="{font}">'
    if opening not in markup:
        return markup
    return _OWN_FONT.sub(lambda m: m[2] if m[1] == font else m[0], markup)


_OWN_FONT = re.compile(r'<font face="([^"]*)">([^<]*)</font>')
