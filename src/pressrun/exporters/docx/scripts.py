"""The world's scripts in the Word file (issue 14): which font each script's text names, in which of Word's
font slots, and which runs are right-to-left.

Word chooses a font *slot* per character: ``w:ascii``/``w:hAnsi`` (Latin, Cyrillic, Greek, Armenian, Georgian
and every script not listed below), ``w:eastAsia`` (Han, kana, Hangul) and ``w:cs`` (complex scripts: Arabic,
Hebrew and the other right-to-left scripts, which Word marks ``w:rtl``; Indic, Thai, Lao, Tibetan, Myanmar and
Khmer, which Word marks ``w:cs``). LibreOffice decides the same three classes (Western, Asian, CTL) by script.

The family a script takes is the theme's, as in the PDF and the EPUB: the first family of the role's stack
(body, display or code) that has every character of that script the document uses. Where the slot allows it
the family is named in the styles: the document's main complex script in every style's ``w:cs``, its East Asian
script in ``w:eastAsia``. A run then needs only what Word itself writes on such runs (``w:rtl`` or ``w:cs``);
a run in a second complex script, or in a script that has no slot of its own (Ethiopic, Cherokee, Canadian
syllabics, Tifinagh, Vai…), names its family on the run. A document whose text the stacks' first families set
entirely (Latin, Cyrillic, Greek, Armenian, Georgian) is left exactly as it was.

A leaf of the exporter: the theme, the style catalogue and the oxml helpers only.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn

from pressrun.exporters.docx import oxml
from pressrun.exporters.docx import styles as S
from pressrun.theme import FontFamily, Theme

RTL, COMPLEX, EAST_ASIAN, OTHER = "rtl", "cs", "eastAsia", "other"

# (first code point, slot, script); a character takes the entry at or before it. Slot None: no script of its own
# here (Latin and the other scripts the stacks' first families set, punctuation, symbols, digits).
_TABLE = sorted([
    (0x0000, None, ""), (0x0590, RTL, "Hebrew"), (0x0600, RTL, "Arabic"), (0x0700, RTL, "Syriac"),
    (0x0750, RTL, "Arabic"), (0x0780, RTL, "Thaana"), (0x07C0, RTL, "NKo"), (0x0800, RTL, "Samaritan"),
    (0x0860, RTL, "Syriac"), (0x0870, RTL, "Arabic"), (0x0900, COMPLEX, "Devanagari"), (0x0980, COMPLEX, "Bengali"),
    (0x0A00, COMPLEX, "Gurmukhi"), (0x0A80, COMPLEX, "Gujarati"), (0x0B00, COMPLEX, "Oriya"),
    (0x0B80, COMPLEX, "Tamil"), (0x0C00, COMPLEX, "Telugu"), (0x0C80, COMPLEX, "Kannada"),
    (0x0D00, COMPLEX, "Malayalam"), (0x0D80, COMPLEX, "Sinhala"), (0x0E00, COMPLEX, "Thai"), (0x0E80, COMPLEX, "Lao"),
    (0x0F00, COMPLEX, "Tibetan"), (0x1000, COMPLEX, "Myanmar"), (0x10A0, None, ""), (0x1100, EAST_ASIAN, "Hangul"),
    (0x1200, OTHER, "Ethiopic"), (0x13A0, OTHER, "Cherokee"), (0x1400, OTHER, "Canadian"), (0x1680, None, ""),
    (0x1780, COMPLEX, "Khmer"), (0x1800, COMPLEX, "Mongolian"), (0x18B0, OTHER, "Canadian"), (0x1900, None, ""),
    (0x19E0, COMPLEX, "Khmer"), (0x1A00, None, ""), (0x1CD0, COMPLEX, "Devanagari"), (0x1D00, None, ""),
    (0x2D30, OTHER, "Tifinagh"), (0x2D80, OTHER, "Ethiopic"), (0x2DE0, None, ""), (0x2E80, EAST_ASIAN, "Han"),
    (0x3040, EAST_ASIAN, "Kana"), (0x3100, EAST_ASIAN, "Han"), (0x3130, EAST_ASIAN, "Hangul"),
    (0x3190, EAST_ASIAN, "Han"), (0x31F0, EAST_ASIAN, "Kana"), (0x3200, EAST_ASIAN, "Han"), (0xA000, None, ""),
    (0xA500, OTHER, "Vai"), (0xA640, None, ""), (0xA8E0, COMPLEX, "Devanagari"), (0xA900, None, ""),
    (0xA960, EAST_ASIAN, "Hangul"), (0xA980, None, ""), (0xA9E0, COMPLEX, "Myanmar"), (0xAA00, None, ""),
    (0xAA60, COMPLEX, "Myanmar"), (0xAA80, None, ""), (0xAB00, OTHER, "Ethiopic"), (0xAB30, None, ""),
    (0xAB70, OTHER, "Cherokee"), (0xABC0, None, ""), (0xAC00, EAST_ASIAN, "Hangul"), (0xD800, None, ""),
    (0xF900, EAST_ASIAN, "Han"), (0xFB00, None, ""), (0xFB1D, RTL, "Hebrew"), (0xFB50, RTL, "Arabic"),
    (0xFE00, None, ""), (0xFE30, EAST_ASIAN, "Han"), (0xFE50, None, ""), (0xFE70, RTL, "Arabic"),
    (0xFF00, EAST_ASIAN, "Han"), (0xFFF0, None, ""), (0x10800, RTL, "Historic"), (0x11000, None, ""),
    (0x1E900, RTL, "Adlam"), (0x1E960, None, ""), (0x20000, EAST_ASIAN, "Han"), (0x40000, None, ""),
])
_STARTS = [start for start, _, _ in _TABLE]

# What a character is, for splitting runs: its (slot, script), or one of these.
_NEUTRAL = ("", "")  # spaces, punctuation, symbols: they go with the text around them
_NUMBER = ("", "#")  # European digits: they go with the letters before them (UAX #9 rule W7)
_ATTACHED = ("", "+")  # combining marks and joiners: they go with the character before them
_BASE = (None, "")  # set by the style's own fonts


def script_of(char: str) -> tuple[str | None, str]:
    """(slot, script) of a character by its code point; slot None for the scripts the stacks' first faces set."""
    _, slot, script = _TABLE[bisect.bisect_right(_STARTS, ord(char)) - 1]
    return slot, script


def _kind(char: str, base: frozenset[int]) -> tuple[str | None, str]:
    """What ``char`` is in a text whose role's first face has the code points ``base``."""
    category = unicodedata.category(char)[0]
    if category == "M" or char in "\u200c\u200d":
        return _ATTACHED
    if char in _SHARED:
        return _NEUTRAL
    slot, script = script_of(char)
    if slot in (RTL, COMPLEX, EAST_ASIAN) and category not in "ZC":
        return slot, script  # letters, digits and the script's own punctuation (، ؟ । ། 。)
    if slot == OTHER and category not in "ZC":
        return _BASE if ord(char) in base else (slot, script)
    if category == "L":
        return _BASE if ord(char) in base else (OTHER, "Other")
    return _NUMBER if category == "N" else _NEUTRAL


# Punctuation of one block that other scripts use as their own: the danda and double danda (Bengali, Gurmukhi,
# Oriya… write the Devanagari ones). It goes with the text around it.
_SHARED = frozenset("\u0964\u0965")

# Blocks whose letters every stack's first face (DejaVu) sets: Latin, Greek, Cyrillic, Armenian (below U+0590),
# Georgian, Latin and Greek Extended Additional. A document with no letter beyond them needs no plan.
_PLAIN_LETTERS = ((0x0000, 0x058F), (0x10A0, 0x10FF), (0x1E00, 0x1FFF))


def _plain(chars: set[str]) -> bool:
    return all(map(_plain_char, chars))


@lru_cache(maxsize=4096)
def _plain_char(char: str) -> bool:
    """Whether every stack's first face sets ``char`` by itself (a letter of those blocks, punctuation, a digit)."""
    point = ord(char)
    if any(lo <= point <= hi for lo, hi in _PLAIN_LETTERS):
        return True
    return script_of(char)[0] is None and unicodedata.category(char)[0] not in "LM"


@lru_cache(maxsize=64)
def codepoints(path: Path) -> frozenset[int]:
    """The characters a font file maps (its cmap, read by HarfBuzz)."""
    import uharfbuzz as hb

    return frozenset(hb.Face(hb.Blob(path.read_bytes())).unicodes)


# --- the plan for one document ------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A part of a run's text and what its run must say: fonts to name (slot attribute → family),
    right to left (``w:rtl``), complex script (``w:cs``). A piece that needs none of them is plain."""

    text: str
    fonts: tuple[tuple[str, str], ...] = ()
    rtl: bool = False
    cs: bool = False

    @property
    def marks(self) -> tuple[tuple[tuple[str, str], ...], bool, bool]:
        return self.fonts, self.rtl, self.cs

    @property
    def plain(self) -> bool:
        return self.marks == ((), False, False)


class Plan:
    """For one document: the family of each (role, script), and the scripts the styles name."""

    def __init__(self, theme: Theme, chars: dict[str, Counter[str]]):
        self.theme = theme
        self.bases = {role: codepoints(theme.stack(role)[0].regular) for role in S.ROLES_IN_USE}
        used: dict[tuple[str, tuple[str | None, str]], set[str]] = {}
        self.letters: Counter[str | None] = Counter()  # letters per slot (None: the stacks' first faces)
        self.weight: Counter[tuple[str | None, str]] = Counter()
        for role, counts in chars.items():
            for char, n in counts.items():
                kind = _kind(char, self.bases[role])
                if kind[0] in (RTL, COMPLEX, EAST_ASIAN, OTHER):
                    used.setdefault((role, kind), set()).add(char)
                    self.weight[kind] += n
                if unicodedata.category(char)[0] == "L":
                    self.letters[kind[0]] += n
        self.family = {key: _first_covering(theme.stack(key[0]), chars) for key, chars in used.items()}
        self.main: dict[str, tuple[str | None, str]] = {}
        for slot, slots in (("cs", (RTL, COMPLEX)), ("eastAsia", (EAST_ASIAN,))):
            candidates = [kind for kind in self.weight if kind[0] in slots]
            if candidates:
                self.main[slot] = max(candidates, key=lambda kind: (self.weight[kind], kind[1]))

    @property
    def needed(self) -> bool:
        return bool(self.family)

    @property
    def dominant(self) -> str | None:
        """The slot of most of the document's letters (None: the stacks' first faces; RTL and COMPLEX are "cs")."""
        if not self.letters:
            return None
        slot = max(self.letters, key=lambda s: (self.letters[s], s or ""))
        return "cs" if slot in (RTL, COMPLEX) else slot

    def style_family(self, role: str, attribute: str) -> str | None:
        """The family the styles of ``role`` name in ``w:cs`` or ``w:eastAsia`` (None: left as the reference has it)."""
        kind = self.main.get(attribute)
        return self.family.get((role, kind)) if kind else None

    def pieces(self, text: str, role: str, rtl_paragraph: bool) -> list[Piece]:
        """``text`` cut where what its run must say changes (neighbours that need the same marks stay together)."""
        kinds = _resolve([_kind(c, self.bases[role]) for c in text], rtl_paragraph)
        out: list[Piece] = []
        start = 0
        for i in range(1, len(text) + 1):
            if i == len(text) or kinds[i] != kinds[start]:
                piece = self._piece(text[start:i], role, kinds[start])
                if out and out[-1].marks == piece.marks:
                    piece = Piece(out.pop().text + piece.text, *piece.marks)
                out.append(piece)
                start = i
        return out

    def _piece(self, text: str, role: str, kind: tuple[str | None, str]) -> Piece:
        slot = kind[0]
        if slot is None:
            return Piece(text)
        family = self.family.get((role, kind))
        attributes = {OTHER: ("ascii", "hAnsi"), EAST_ASIAN: ("eastAsia",)}.get(slot, ("cs",))
        named = slot != OTHER and family == self.style_family(role, attributes[0])
        fonts = () if named or family is None else tuple((a, family) for a in attributes)
        return Piece(text, fonts, slot == RTL, slot == COMPLEX)


def _first_covering(stack: tuple[FontFamily, ...], chars: set[str]) -> str:
    """The first family that has every one of ``chars``; else the first that has any; else the stack's first."""
    points = {ord(c) for c in chars}
    for family in stack:
        if points <= codepoints(family.regular):
            return family.name
    for family in stack:
        if points & codepoints(family.regular):
            return family.name
    return stack[0].name


def _resolve(kinds: list[tuple[str | None, str]], rtl_paragraph: bool) -> list[tuple[str | None, str]]:
    """Marks join the character before; digits the letters before them (or, with none, the paragraph). A stretch
    of neutrals joins the text on both sides when they agree, else the side of the paragraph's direction
    (right-to-left text in a right-to-left paragraph, the base text in a left-to-right one), else the text
    before it; at either end of the text the paragraph itself is the other side (UAX #9: neutrals at a
    paragraph's ends take its direction)."""
    out = list(kinds)
    edge = (RTL, "") if rtl_paragraph else _BASE
    strong = edge  # the last letter's kind: digits take it (a number after "Published" reads left to right)
    for i, kind in enumerate(out):
        if kind == _ATTACHED:
            out[i] = kind = out[i - 1] if i else _NEUTRAL
        if kind == _NUMBER:
            out[i] = strong
        elif kind != _NEUTRAL:
            strong = kind
    i = 0
    while i < len(out):
        if out[i] != _NEUTRAL:
            i += 1
            continue
        j = i
        while j < len(out) and out[j] == _NEUTRAL:
            j += 1
        before, after = (out[i - 1] if i else edge), (out[j] if j < len(out) else edge)
        out[i:j] = [_join(before, after, rtl_paragraph)] * (j - i)
        i = j
    return out


def _join(before: tuple[str | None, str], after: tuple[str | None, str], rtl_paragraph: bool) -> tuple[str | None, str]:
    if before == after:
        return before
    for side in (before, after):
        if side[0] == RTL if rtl_paragraph else side == _BASE:
            return side
    return before


# --- reading the document and applying the plan -----------------------------------------


def _stories(doc: Any) -> list[Any]:
    stories = [doc.element.body]
    for section in doc.sections:
        stories += [section.header._element, section.footer._element]
    return stories


def _role(p: Any, r: Any) -> str:
    rpr = r.find(qn("w:rPr"))
    char_style = rpr.find(qn("w:rStyle")) if rpr is not None else None
    if char_style is not None and S.role(char_style.get(qn("w:val"))) == "code":
        return "code"
    ppr = p.find(qn("w:pPr"))
    style = ppr.find(qn("w:pStyle")) if ppr is not None else None
    return S.role(style.get(qn("w:val")) if style is not None else "Normal")


def _runs(doc: Any) -> Iterator[tuple[Any, Any, str]]:
    """(paragraph, run, role) of every run with text, in every story (body, headers, footers)."""
    for story in _stories(doc):
        for p in story.iter(qn("w:p")):
            for r in p.iter(qn("w:r")):
                if r.find(qn("w:t")) is not None:
                    yield p, r, _role(p, r)


def plan(doc: Any, theme: Theme) -> Plan | None:
    """The plan for a written document, or None when its stacks' first faces set all of its text."""
    text = "".join(t.text or "" for story in _stories(doc) for t in story.iter(qn("w:t")))
    if _plain(set(text)):
        return None  # the common case, decided from the characters alone (no walk of the runs)
    chars: dict[str, Counter[str]] = {}
    for _, r, role in _runs(doc):
        counts = chars.setdefault(role, Counter())
        for t in r.iter(qn("w:t")):
            counts.update(t.text or "")
    found = Plan(theme, chars)
    return found if found.needed else None


def mark_runs(doc: Any, found: Plan, rtl_document: bool) -> None:
    """Split every run whose text needs marks, and mark each piece as its slot needs."""
    for p, r, role in list(_runs(doc)):
        rtl_paragraph = rtl_document and role != "code"
        pieces = [(child, found.pieces(child.text or "", role, rtl_paragraph) if child.tag == qn("w:t") else None)
                  for child in r if child.tag != qn("w:rPr")]
        if all(ps is None or all(piece.plain for piece in ps) for _, ps in pieces):
            continue
        for new in _split(r, pieces):
            r.addprevious(new)
        r.getparent().remove(r)


def _split(r: Any, pieces: list[tuple[Any, list[Piece] | None]]) -> Iterator[Any]:
    """The runs that replace ``r``: one per piece of text, each with ``r``'s properties and the piece's marks."""
    rpr = r.find(qn("w:rPr"))
    for child, ps in pieces:
        if ps is None:  # a break, a tab, a field character: a run of its own, as it was
            new = oxml.el("w:r")
            if rpr is not None:
                new.append(oxml.copy(rpr))
            new.append(oxml.copy(child))
            yield new
            continue
        for piece in ps:
            new = oxml.text_run(piece.text)
            if rpr is not None:
                new.insert(0, oxml.copy(rpr))
            if not piece.plain:
                oxml.set_run_properties(new.get_or_add_rPr(), dict(piece.fonts), piece.rtl, piece.cs)
            yield new


def name_families_in_styles(doc: Any, found: Plan) -> None:
    """The main complex and East Asian scripts' families in ``w:cs``/``w:eastAsia`` of the document defaults
    and of every style that names fonts (theme attributes removed: they would win over the names)."""
    styles = doc.part._styles_part.element
    defaults = styles.find(qn("w:docDefaults"))
    targets = []
    if defaults is not None:
        targets.append(("body", oxml.ensure_child(oxml.ensure_child(defaults, "w:rPrDefault", first=True), "w:rPr")))
    for style in styles.findall(qn("w:style")):
        rpr = style.find(qn("w:rPr"))
        if rpr is not None and rpr.find(qn("w:rFonts")) is not None:
            targets.append((S.role(style.get(qn("w:styleId"))), rpr))
    hint = "eastAsia" if found.dominant == EAST_ASIAN else None
    for role, rpr in targets:
        fonts = {a: f for a in ("cs", "eastAsia") if (f := found.style_family(role, a))}
        if fonts or hint:
            oxml.set_fonts(rpr, fonts, hint=hint)
