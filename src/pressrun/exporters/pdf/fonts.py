"""The theme's TrueType fonts in reportlab: registered once per process, chosen per run of text.

reportlab has no glyph fallback: a TTF silently drops characters it lacks. So
every run of text is split here by the first font of the stack that has the
character, and each run is wrapped in ``<font face=…>``. A character no font
of the stack has is reported, never dropped.
"""

from __future__ import annotations

import unicodedata

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from pressrun.theme import FontFamily, Theme

# file → reportlab font name; a font is registered once per process, whatever the number of builds.
_NAMES: dict[Path, str] = {}
# file → the code points it maps (its cmap)
_CMAPS: dict[Path, frozenset[int]] = {}
_CMAPS_BY_NAME: dict[str, frozenset[int]] = {}
_FAMILIES: set[tuple[str, ...]] = set()

_STYLES = ((False, False, ""), (True, False, "-Bold"), (False, True, "-Italic"), (True, True, "-BoldItalic"))
# Characters that never need a glyph of their own: line ends and tabs become spacing.
_NO_GLYPH = frozenset("\n\r\t")


def _invisible(char: str) -> bool:
    """Format characters (zero-width joiners, bidi controls, BOM): they steer text, they have no ink."""
    return unicodedata.category(char) == "Cf"


def _register_file(path: Path, name: str) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if path in _NAMES:
        return _NAMES[path]
    taken = set(pdfmetrics.getRegisteredFontNames())
    unique, n = name, 1
    while unique in taken:  # the same family name from another theme folder: keep both
        n += 1
        unique = f"{name}{n}"
    font = TTFont(unique, str(path))
    pdfmetrics.registerFont(font)
    _NAMES[path] = unique
    _CMAPS[path] = _CMAPS_BY_NAME[unique] = frozenset(font.face.charToGlyph)
    return unique


def register_family(family: FontFamily) -> str:
    """Register the four styles and map them as one family; return the regular font's name."""
    from reportlab.pdfbase.pdfmetrics import registerFontFamily

    base = re.sub(r"[^A-Za-z0-9]", "", family.name) or family.key
    names = tuple(_register_file(family.file(b, i), base + suffix) for b, i, suffix in _STYLES)
    if names not in _FAMILIES:
        # Without this, <b>/<i> in a paragraph set in this family quietly stay regular.
        registerFontFamily(names[0], normal=names[0], bold=names[1], italic=names[2], boldItalic=names[3])
        _FAMILIES.add(names)
    return names[0]


class FontStack:
    """One of the theme's stacks (body, display, code) with its registered fonts."""

    def __init__(self, theme: Theme, which: str):
        self.which = which
        self.families: tuple[FontFamily, ...] = theme.stack(which)
        self.faces: tuple[str, ...] = tuple(register_family(f) for f in self.families)
        self._picked: dict[tuple[str, bool, bool], str | None] = {}
        # Fast paths (most text is set entirely in the first family): what that family's faces have,
        # and what any face of any family has.
        self._first: dict[tuple[bool, bool], frozenset[str]] = {
            (b, i): _NO_GLYPH | {chr(c) for c in _CMAPS[self.families[0].file(b, i)]} for b, i, _ in _STYLES
        }
        self._anywhere = _NO_GLYPH.union(*(
            {chr(c) for c in _CMAPS[f.file(b, i)]} for f in self.families for b, i, _ in _STYLES
        ))

    @property
    def label(self) -> str:
        return f"{self.which} stack ({', '.join(f.name for f in self.families)})"

    def covers(self, char: str) -> bool:
        """Whether any style of any family has a glyph for ``char``."""
        return char in self._anywhere or _invisible(char)

    def uncovered(self, text: str) -> list[str]:
        """The characters of ``text`` no font of the stack has, in order of first appearance."""
        missing = set(text) - self._anywhere
        if not missing:
            return []
        return [c for c in dict.fromkeys(text) if c in missing and not _invisible(c)]

    def pick(self, char: str, bold: bool, italic: bool) -> str | None:
        """The font that sets ``char`` in this style (memoised: it is asked once per character of every text)."""
        key = (char, bold, italic)
        try:
            return self._picked[key]
        except KeyError:
            font = self._picked[key] = self._pick(char, bold, italic)
            return font

    def _pick(self, char: str, bold: bool, italic: bool) -> str | None:
        """The first family that has ``char`` in this style, else any style of any family that has it."""
        code = ord(char)
        for fam in self.families:
            if code in _CMAPS[fam.file(bold, italic)]:
                return _NAMES[fam.file(bold, italic)]
        for fam in self.families:  # e.g. a bold face lacks it but the regular one has it
            for b, i, _ in _STYLES:
                if code in _CMAPS[fam.file(b, i)]:
                    return _NAMES[fam.file(b, i)]
        return None

    def runs(self, text: str, bold: bool = False, italic: bool = False) -> Iterator[tuple[str | None, str]]:
        """Split text into (font name, text) runs; a space stays in the run it is in."""
        current: str | None = _NAMES[self.families[0].file(bold, italic)]
        if self._first[bold, italic].issuperset(text):
            if text:
                yield current, text  # all of it in the first family: one run
            return
        buf: list[str] = []
        pick = self.pick
        for char in text:
            if char in _NO_GLYPH or (char.isspace() and current is not None and ord(char) in _CMAPS_BY_NAME[current]):
                font = current  # a space between two runs should not split them
            else:
                font = pick(char, bold, italic)
                if font is None and _invisible(char):
                    continue  # an invisible format character no font draws: nothing to show, nothing lost
            if font != current and buf:
                yield current, "".join(buf)
                buf = []
            current = font
            buf.append(char)
        if buf:
            yield current, "".join(buf)

    def markup(
        self,
        text: str,
        bold: bool = False,
        italic: bool = False,
        missing: Callable[[str], None] | None = None,
    ) -> str:
        """Paragraph markup for ``text``: every run names its exact font file (face and style).

        Naming the exact font is what makes fallback work inside bold or italic text:
        reportlab resets the style when a ``<font face>`` changes family. ``missing`` is told
        each character no font has; the caller turns these into a build error.
        """
        out: list[str] = []
        for font, run in self.runs(text, bold, italic):
            if font is None:
                for char in run:
                    if missing:
                        missing(char)
                continue
            out.append(f'<font face="{font}">{escape(run)}</font>')
        return "".join(out)
