"""One paragraph of markup → a flowable: reportlab's ``Paragraph`` when it can, the complex path when it cannot.

A paragraph whose characters need neither shaping, nor bidi, nor line breaking by dictionary (see
``scripts``) in a left-to-right article is reportlab's, exactly as before: same bytes, same cost. Any
other paragraph — and every paragraph of a right-to-left article, whose base direction is right to
left even where its words are English — is a ``ComplexParagraph``.

Speed (issue 19): a ``Para`` breaks its lines once per width (``Para.wrap``). reportlab wrapped the same
paragraph at the same width up to four times (a heading's keep measures its follower, lists, the box's table,
the frame, the drawing of a list or a table cell): 7,700 line breakings for 4,700 paragraphs in 100 articles.
Speed (issue 19): a paragraph's fragments are made from its markup by ``parafrags``, not reportlab's parser.
Speed (issue 19): reportlab's ``sameFrag`` (asked once a word when breaking lines) is answered without raising
AttributeErrors (``same_frag``, put in reportlab's paragraph module when this module is imported).
Speed (issue 19): the width of a word or a space, which reportlab's line breaking asks for again and again, is
remembered per font (``string_width``, put there likewise), and so are a font's ascent and descent (``ascent_descent``).
"""

from __future__ import annotations

import re
from typing import Any

import reportlab.platypus.paragraph as _rl_paragraph
from reportlab.pdfbase.pdfmetrics import _fonts as _registered_fonts
from reportlab.platypus import Paragraph
from reportlab.platypus.paraparser import ParaFrag

from pressrun.exporters.pdf.parafrags import frags
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
    kind = Heading if heading else Para
    parsed = frags(markup, style)  # reportlab's fragments without reportlab's parser (parafrags)
    flowable = kind(markup, style) if parsed is None else kind(parsed[0], style, frags=parsed[1])
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


_SAME = ("fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor", "nobr")
_MISSING = object()
_c_same_frag = _rl_paragraph.sameFrag


def same_frag(f: Any, g: Any) -> bool:
    """reportlab's ``sameFrag`` (may two fragments of a line be set as one?), answered from the fragments'
    dictionaries: the C version asks ``getattr`` for eight attributes most fragments lack, and each miss raises and
    clears an AttributeError (3.5 µs a call, 800 calls an article, where this takes 0.4). The same answer: no
    callback nor line break on either; each attribute missing on both, or present on both and not unequal
    (``PyObject_RichCompareBool``: the same object is equal). Anything but a plain ``ParaFrag`` (whose class has
    none of these attributes) is left to the C version."""
    if type(f) is not ParaFrag or type(g) is not ParaFrag:
        return bool(_c_same_frag(f, g))
    fd, gd = f.__dict__, g.__dict__
    if "cbDefn" in fd or "lineBreak" in fd or "cbDefn" in gd or "lineBreak" in gd:
        return False
    for key in _SAME:
        x, y = fd.get(key, _MISSING), gd.get(key, _MISSING)
        if x is not y and (x is _MISSING or y is _MISSING or x != y):
            return False
    return True


_rl_string_width = _rl_paragraph.stringWidth
# Widths remembered before the table is emptied: an article's words (~1,500 with their fonts and sizes) are
# measured again at every line break, so this holds a few articles' worth; 20,000 were 6 MB of peak memory at
# 1,000 articles (issue 19's memory target) for no measurable speed.
WIDTHS_KEPT = 4_000
_widths: dict[tuple[str, str, float], float] = {}  # (text, font name, size) → width
_measured: dict[str, Any] = {}  # font name → the font object the widths were measured in


def string_width(text: str, font_name: str, size: float, encoding: str = "utf8") -> float:
    """reportlab's ``stringWidth`` as its paragraphs ask it, remembered: breaking lines measures every word, and a
    space again for every fragment already on the line, at every word; the same words recur on every page
    (0.25 µs a word, not 0.8). A width is the font's: remembered while the same font object is registered under
    that name."""
    font = _registered_fonts.get(font_name)
    if font is None or encoding != "utf8" or type(text) is not str:
        return _rl_string_width(text, font_name, size, encoding)  # reportlab finds (or refuses) the font
    measured = _measured.get(font_name)
    if measured is not font:
        if measured is not None:
            _widths.clear()  # a name registered again: forget every width rather than tell which are whose
        _measured[font_name] = font
    key = (text, font_name, size)
    width = _widths.get(key)
    if width is None:
        if len(_widths) >= WIDTHS_KEPT:
            _widths.clear()
        width = _widths[key] = _rl_string_width(text, font_name, size, encoding)
    return width


_rl_ascent_descent = _rl_paragraph.getAscentDescent
_ascents: dict[tuple[str, float | None], tuple[Any, tuple[float, float]]] = {}  # (font, size) → (font object, …)


def ascent_descent(font_name: str, size: float | None = None) -> tuple[float, float]:
    """reportlab's ``getAscentDescent``, remembered per font and size: breaking lines asks it at every word, and for
    a TrueType font it first asks the font itself, which raises an AttributeError (the face knows), every time."""
    font = _registered_fonts.get(font_name)
    found = _ascents.get((font_name, size))
    if found is None or found[0] is not font:
        found = _ascents[font_name, size] = (font, _rl_ascent_descent(font_name, size))
    return found[1]


# reportlab's paragraph module globals: breakLines calls them for every word of a paragraph.
_rl_paragraph.sameFrag = same_frag
_rl_paragraph.stringWidth = string_width
_rl_paragraph.getAscentDescent = ascent_descent
