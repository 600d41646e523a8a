"""Speed (issue 19): the codes of characters in a document's TrueType font subsets, looked up at C speed.

reportlab's ``TTFont.splitString`` gives each character of a text its code in one of the document's subsets of
the font (256 codes each), one Python loop step per character, for every run of text it draws: ~4 % of an
article's PDF. Nearly every run is made of characters the document has already drawn in that font, all in its
first subset; ``split_string`` answers those with one set comparison and one ``str.translate``, and leaves every
other run (a new character, one without a glyph, a second subset) to reportlab, learning the codes it gave.
Installed in reportlab's ``TTFont`` when this module is imported: same codes, same bytes.

A subset's font program (``make_subset``) is a function of the font and the subset's characters in order; the
same subset recurs from article to article wherever a font sets only furniture (the footer, the labels in the
article's language) or a few characters another font lacks. The last few of each font are kept, with their
deflated bytes (``FontProgram.deflated``, filled in by document.py): a subset made and deflated once, not once an
article (in the benchmark, 30 % of the font programs).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from reportlab.pdfbase.ttfonts import TTFont, TTFontFile

_rl_split_string = TTFont.splitString
_KNOWN = "pressrun_known"  # the attribute of reportlab's per-document font state that holds a ``_Known``


class _Known:
    """For one font in one document: the characters with a code in its first subset, and that code of each."""

    __slots__ = ("chars", "codes")

    def __init__(self) -> None:
        self.chars: set[str] = set()
        self.codes: dict[int, int] = {}  # code point → code in subset 0 (a ``str.translate`` table)

    def learn(self, text: str, assignments: dict[int, int]) -> None:
        """Note the codes reportlab has given the characters of ``text`` (a no-break space is set as a space)."""
        for char in set(text) - self.chars:
            code = assignments.get(32 if char == "\xa0" else ord(char))
            if code is not None and code < 256:
                self.chars.add(char)
                self.codes[ord(char)] = code


def split_string(self: Any, text: str | bytes, doc: Any, encoding: str = "utf-8") -> list[tuple[int, bytes]]:
    """reportlab's ``TTFont.splitString``: ``text`` as (subset, codes) runs, codes given on first use."""
    state = self.state.get(doc)
    known = getattr(state, _KNOWN, None)
    if known is not None and isinstance(text, str) and text and known.chars.issuperset(text):
        return [(0, text.translate(known.codes).encode("latin-1"))]
    runs = _rl_split_string(self, text, doc, encoding)
    if isinstance(text, str):
        state = self.state[doc]  # made by reportlab's call when it was missing
        if known is None:
            known = _Known()
            setattr(state, _KNOWN, known)
        known.learn(text, state.assignments)
    return runs


_rl_make_subset = TTFontFile.makeSubset
PROGRAMS_KEPT = 8  # per font: its furniture subsets in several languages (~50 KB each with the deflated bytes)
_PROGRAMS = "pressrun_programs"  # the attribute of reportlab's font face that keeps them


class FontProgram(bytes):
    """A subset's font program; ``deflated``: its bytes deflated for the PDF, once they have been."""

    deflated: bytes | None = None


def make_subset(self: Any, subset: list[int]) -> FontProgram:
    """reportlab's ``TTFontFile.makeSubset``, the last few subsets of each font kept."""
    kept: OrderedDict[tuple[int, ...], FontProgram] = self.__dict__.setdefault(_PROGRAMS, OrderedDict())
    key = tuple(subset)
    program = kept.get(key)
    if program is not None:
        kept.move_to_end(key)
        return program
    program = kept[key] = FontProgram(_rl_make_subset(self, subset))
    if len(kept) > PROGRAMS_KEPT:
        kept.popitem(last=False)
    return program


TTFont.splitString = split_string
TTFontFile.makeSubset = make_subset
