"""Glyphs by id: the PDF side of shaped text.

reportlab draws text by character: each character becomes a code in a 256-character subset of the
TrueType font, and the subset's ToUnicode map gives the character back. Shaped text has glyphs no
character maps to (a conjunct, a joined Arabic form, a mark moved onto its base), and reportlab's own
shaping gives those private-use code points, so copied text is garbage. A :class:`GlyphFont` draws
the same font file by glyph id instead: each (glyph, text) pair gets a code in a subset of its own
(tagged ``LLLLLL+`` … so it never meets reportlab's ``AAAAAA+`` subsets), and its ToUnicode maps the
code to the characters the glyph was shaped from. Where that cannot be said glyph by glyph (the
glyphs of a cluster reordered, split or stacked), the drawing wraps the word in an ``/ActualText``
span (``actual_text``).
"""

from __future__ import annotations

from collections.abc import Iterable
from weakref import WeakKeyDictionary

_TAG = bytes.maketrans(b"0123456789", b"LMNOPQRSTU")  # reportlab's subsets use A–K: never the same name
_BFCHAR_LIMIT = 100  # entries per beginbfchar block (PDF 32000-1, 9.10.3)


class _Identity(dict):
    """A character-to-glyph map in which every code is its own glyph id (for reportlab's subsetter)."""

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: int) -> int:
        return key


class _Subsets:
    """One document's use of a GlyphFont: codes handed out so far, 255 (glyph, text) pairs per subset."""

    def __init__(self) -> None:
        self.codes: dict[tuple[int, str], int] = {}
        self.subsets: list[list[tuple[int, str]]] = [[(0, "")]]  # code 0 of every subset: .notdef
        self.internal_name: str | None = None


class GlyphFont:
    """A registered TrueType font (reportlab ``TTFont``) drawn by glyph id, with its HarfBuzz font."""

    _dynamicFont = 1

    def __init__(self, ttf: object):
        self.ttf = ttf
        self.face = ttf.face
        self.fontName = f"{ttf.fontName}~glyphs"  # the key reportlab's document files its fonts under
        self.cmap: dict[int, int] = ttf.face.charToGlyph
        self.scale = ttf.face._pdfScale  # font units → thousandths of the font size
        self._docs: WeakKeyDictionary = WeakKeyDictionary()
        self._hb = None
        self._widths: dict[int, float] = {}
        self._ink: dict[int, tuple[float, float]] = {}

    @property
    def hb_font(self):
        """The HarfBuzz font (made on first use; its scale is the font's units per em)."""
        if self._hb is None:
            import uharfbuzz

            self._hb = uharfbuzz.Font(uharfbuzz.Face(uharfbuzz.Blob(self.face._ttf_data)))
        return self._hb

    @property
    def upem(self) -> int:
        return self.face.unitsPerEm

    def width(self, gid: int) -> float:
        """The glyph's advance in the font's widths array (thousandths of the font size), from its hmtx entry.

        (Not reportlab's ``hmetrics``: past the table's last full entry it holds already-scaled widths.)"""
        width = self._widths.get(gid)
        if width is None:
            width = self._widths[gid] = round(self.scale(self.hb_font.get_glyph_h_advance(gid)), 3)
        return width

    def ink(self, gid: int) -> tuple[float, float]:
        """How far the glyph's outline reaches above and below the baseline (fractions of the em)."""
        ink = self._ink.get(gid)
        if ink is None:
            extents = self.hb_font.get_glyph_extents(gid)
            top, bottom = (extents.y_bearing, extents.y_bearing + extents.height) if extents else (0, 0)
            ink = self._ink[gid] = (top / self.upem, bottom / self.upem)
        return ink

    def code(self, doc: object, gid: int, text: str) -> tuple[str, int]:
        """The font resource name and byte that draw glyph ``gid``, whose text is ``text``, in ``doc``."""
        state = self._docs.get(doc)
        if state is None:
            state = self._docs[doc] = _Subsets()
        key = (gid, text)
        code = state.codes.get(key)
        if code is None:
            if len(state.subsets[-1]) == 256:
                state.subsets.append([(0, "")])
            code = state.codes[key] = (len(state.subsets) - 1) * 256 + len(state.subsets[-1])
            state.subsets[-1].append(key)
        return self._resource(doc, state, code >> 8), code & 0xFF

    def _resource(self, doc: object, state: _Subsets, subset: int) -> str:
        if state.internal_name is None:
            state.internal_name = f"F{len(doc.fontMapping) + 1}"
            doc.fontMapping[self.fontName] = "/" + state.internal_name
            doc.delayedFonts.append(self)  # addObjects is called when the document is written
        return f"/{state.internal_name}+{subset}"

    def addObjects(self, doc: object) -> None:
        """Write every subset this document used: font, widths, embedded font file, ToUnicode map."""
        from reportlab.pdfbase import pdfdoc

        state = self._docs.pop(doc)
        for n, subset in enumerate(state.subsets):
            internal = f"{state.internal_name}+{n}"
            base = (b"%6.6d" % n).translate(_TAG) + b"+" + self.face.name + self.face.subfontNameX
            base_name = base.decode("pdfdoc")
            font = pdfdoc.PDFTrueTypeFont()
            font.Name, font.BaseFont = internal, base_name
            font.FirstChar, font.LastChar = 0, len(subset) - 1
            font.Widths = pdfdoc.PDFArray([self.width(gid) for gid, _ in subset])
            cmap = pdfdoc.PDFStream()
            cmap.content = to_unicode_cmap(base_name, (text for _, text in subset))
            if doc.compression:
                cmap.filters = [pdfdoc.PDFZCompress]
            font.ToUnicode = doc.Reference(cmap, "toUnicodeCMap:" + base_name)
            font.FontDescriptor = self._embed(doc, base_name, [gid for gid, _ in subset])
            doc.Reference(font, internal)
            doc.idToObject["BasicFonts"].dict[internal] = font

    def _embed(self, doc: object, base_name: str, gids: list[int]) -> object:
        """reportlab's subsetter, told that each code is its glyph id."""
        face = self.face
        saved, face.charToGlyph = face.charToGlyph, _Identity()
        try:
            return face.addSubsetObjects(doc, base_name, gids)
        finally:
            face.charToGlyph = saved


def to_unicode_cmap(name: str, texts: Iterable[str]) -> str:
    """A ToUnicode CMap: code i → the UTF-16BE text of the i-th glyph (codes with no text are left out)."""
    pairs = [f"<{i:02X}> <{text.encode('utf-16-be').hex().upper()}>" for i, text in enumerate(texts) if i]
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        f"/CMapName /{name.replace('+', '-')}-UCS def", "/CMapType 2 def",
        "1 begincodespacerange", "<00> <FF>", "endcodespacerange",
    ]
    for start in range(0, len(pairs), _BFCHAR_LIMIT):
        block = pairs[start:start + _BFCHAR_LIMIT]
        lines += [f"{len(block)} beginbfchar", *block, "endbfchar"]
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def actual_text(text: str) -> str:
    """The marked-content operator that opens an /ActualText span (UTF-16BE with its byte order mark)."""
    return f"/Span <</ActualText <FEFF{text.encode('utf-16-be').hex().upper()}>>> BDC"
