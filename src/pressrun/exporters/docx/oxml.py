"""WordprocessingML that python-docx has no API for: runs by style id, hyperlinks, numbering,
fields, bookmarks, alt text and language. Import only from inside the exporter (it loads lxml).

Speed (issue 19): paragraphs, runs, text and list membership are copied from prototypes built once per process
(python-docx's ``get_or_add_*`` searched the successors of every child it added); the bytes are the same.
"""

from __future__ import annotations

import copy as copy_module
from functools import lru_cache
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from pressrun.exporters.docx.styles import PBDR_ORDER
from pressrun.language import is_rtl, script_of

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def el(tag: str, **attrs: str) -> Any:
    """A new element; ``val="x"`` becomes ``w:val="x"`` (attribute names given without prefix)."""
    node = OxmlElement(tag)
    for name, value in attrs.items():
        node.set(qn(name if ":" in name else f"w:{name}"), str(value))
    return node


def paragraph(style_id: str) -> Any:
    """An unattached ``w:p`` carrying only its style id."""
    return copy_module.deepcopy(_paragraph(style_id))


# Prototypes, built once per process the way python-docx builds them and copied for each use (a copy of a small
# element costs a fraction of python-docx's child-by-child construction, and serialises to the same bytes).
@lru_cache(maxsize=None)
def _paragraph(style_id: str) -> Any:
    p = OxmlElement("w:p")
    p.get_or_add_pPr().style = style_id
    return p


@lru_cache(maxsize=None)
def _run(char_style: str | None, toggles: tuple[str, ...]) -> Any:
    r = OxmlElement("w:r")
    if char_style or toggles:
        rpr = r.get_or_add_rPr()
        if char_style:
            rpr.style = char_style
        for name in toggles:
            rpr.append(el(f"w:{name}"))
    return r


@lru_cache(maxsize=None)
def _bare(tag: str) -> Any:
    return OxmlElement(tag)


@lru_cache(maxsize=1)
def _text() -> Any:
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    return t


@lru_cache(maxsize=1)
def _num_pr() -> Any:
    numpr = OxmlElement("w:numPr")
    numpr.get_or_add_ilvl().val = 0
    numpr.get_or_add_numId().val = 0
    return numpr


def text_run(text: str, char_style: str | None = None, toggles: tuple[str, ...] = ()) -> Any:
    """A ``w:r``; ``\\n`` becomes ``w:br`` and ``\\t`` ``w:tab`` so code keeps its layout.

    ``toggles`` ("b", "i") are used only for emphasis inside a link, where the run's one
    character style must stay Hyperlink (what Word itself does when you bold a link).
    """
    deepcopy = copy_module.deepcopy
    r = deepcopy(_run(char_style, toggles))
    for i, line in enumerate(text.split("\n")):
        if i:
            r.append(deepcopy(_bare("w:br")))
        for j, chunk in enumerate(line.split("\t")):
            if j:
                r.append(deepcopy(_bare("w:tab")))
            if chunk:
                t = deepcopy(_text())
                t.text = chunk
                r.append(t)
    return r


def hyperlink(part: Any, runs: list[Any], url: str | None = None, anchor: str | None = None,
              tooltip: str | None = None) -> Any:
    """A real ``w:hyperlink``: external targets go through a relationship, internal ones name a bookmark."""
    link = el("w:hyperlink")
    if url is not None:
        link.set(qn("r:id"), part.relate_to(url, RT.HYPERLINK, is_external=True))
    if anchor is not None:
        link.set(qn("w:anchor"), anchor)
    if tooltip:
        link.set(qn("w:tooltip"), tooltip)
    link.set(qn("w:history"), "1")
    for r in runs:
        link.append(r)
    return link


def bookmark(p: Any, name: str, ident: int) -> None:
    """Wrap the paragraph's content in a bookmark, the target of internal links."""
    p.insert(1 if p.pPr is not None else 0, el("w:bookmarkStart", id=str(ident), name=name))
    p.append(el("w:bookmarkEnd", id=str(ident)))


def bookmark_name(anchor: str) -> str:
    """Word bookmark names: letters, digits and underscores, at most 40 characters, starting with a letter."""
    name = "".join(c if c.isalnum() else "_" for c in anchor)
    if not name[:1].isalpha():
        name = "a_" + name
    return name[:40]


def numbered(p: Any, num_id: int, level: int) -> None:
    """Put a paragraph into a Word list (``w:numPr``): the list look comes from the numbering definition."""
    ppr = p.get_or_add_pPr()
    if ppr.numPr is None and len(ppr) == (ppr.pStyle is not None):  # a new paragraph: the numPr follows its style
        numpr = copy_module.deepcopy(_num_pr())
        ppr.append(numpr)
        numpr.ilvl.val, numpr.numId.val = level, num_id
        return
    numpr = ppr.get_or_add_numPr()
    numpr.get_or_add_ilvl().val = level
    numpr.get_or_add_numId().val = num_id


def field_runs(instruction: str, placeholder: str) -> list[Any]:
    """A complex field (``fldChar`` begin/separate/end) such as PAGE or NUMPAGES; Word and LibreOffice update it."""
    begin, sep, end = (el("w:r") for _ in range(3))
    begin.append(el("w:fldChar", fldCharType="begin"))
    instr = el("w:r")
    text = el("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    instr.append(text)
    sep.append(el("w:fldChar", fldCharType="separate"))
    end.append(el("w:fldChar", fldCharType="end"))
    return [begin, instr, sep, text_run(placeholder), end]


def set_alt_text(inline: Any, alt: str) -> None:
    """Alt text lives in the drawing's ``wp:docPr/@descr`` (what Word's "Alt Text" pane edits)."""
    inline.docPr.set("descr", alt)


def order_borders(root: Any) -> None:
    """Put the sides of every ``w:pBdr`` under ``root`` in the schema's order. A reference made by
    pressrun 0.1.0 (left before top), or by another tool, may list them in any order."""
    rank = {qn(f"w:{side}"): i for i, side in enumerate(PBDR_ORDER)}
    for pbdr in root.iter(qn("w:pBdr")):
        # A stable sort: anything that is not a side keeps its place after the sides.
        pbdr[:] = sorted(pbdr, key=lambda side: rank.get(side.tag, len(rank)))


# --- numbering ----------------------------------------------------------------


def abstract_num_ids(numbering: Any) -> dict[str, int]:
    """``w:name`` → ``w:abstractNumId`` of every named numbering definition."""
    found: dict[str, int] = {}
    for node in numbering.findall(qn("w:abstractNum")):
        name = node.find(qn("w:name"))
        if name is not None:
            found[name.get(qn("w:val"))] = int(node.get(qn("w:abstractNumId")))
    return found


def add_abstract_num(numbering: Any, definition: Any) -> int:
    """Copy a numbering definition in under a free id; abstractNums must precede every w:num."""
    used = [int(n.get(qn("w:abstractNumId"))) for n in numbering.findall(qn("w:abstractNum"))]
    new = copy_module.deepcopy(definition)
    ident = max(used, default=-1) + 1
    new.set(qn("w:abstractNumId"), str(ident))
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(new)
    else:
        numbering.append(new)
    return ident


def add_num(numbering: Any, abstract_id: int, level: int, start: int | None) -> int:
    """A new list instance. A ``startOverride`` restarts the count: Word otherwise continues
    numbering across every w:num that shares an abstractNum."""
    used = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    ident = max(used, default=0) + 1
    num = el("w:num", numId=str(ident))
    num.append(el("w:abstractNumId", val=str(abstract_id)))
    if start is not None:
        override = el("w:lvlOverride", ilvl=str(level))
        override.append(el("w:startOverride", val=str(start)))
        num.append(override)
    numbering.append(num)
    return ident


# --- children in the schema's order ----------------------------------------------

# The sequences of CT_RPr, CT_PPr and CT_SectPr (ECMA-376 Part 1, Transitional): Word refuses a file whose
# children are out of order, so every child added here goes to its place.
RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
    "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
    "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em",
    "lang", "eastAsianLayout", "specVanish", "oMath", "rPrChange",
)
PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct",
    "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
    "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
    "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
)
SECTPR_ORDER = (
    "headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
    "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection",
    "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
)


def place(parent: Any, child: Any, order: tuple[str, ...]) -> Any:
    """Put ``child`` into ``parent`` at its place in ``order`` (local names), replacing one of the same name."""
    name = child.tag.rsplit("}", 1)[-1]
    rank = order.index(name)
    for sibling in list(parent):
        local = sibling.tag.rsplit("}", 1)[-1] if isinstance(sibling.tag, str) else ""
        if local == name:
            sibling.addprevious(child)
            parent.remove(sibling)
            return child
        if local in order and order.index(local) > rank:
            sibling.addprevious(child)
            return child
    parent.append(child)
    return child


def copy(element: Any) -> Any:
    return copy_module.deepcopy(element)


def set_fonts(rpr: Any, fonts: dict[str, str], hint: str | None = None) -> None:
    """Name fonts in ``w:rFonts`` (``{"cs": "Noto Naskh Arabic"}``); a theme font of the same slot is dropped,
    since Word would take it over the name."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = place(rpr, el("w:rFonts"), RPR_ORDER)
    for attribute, family in fonts.items():
        rfonts.set(qn(f"w:{attribute}"), family)
        theme = {"ascii": "asciiTheme", "hAnsi": "hAnsiTheme", "cs": "cstheme", "eastAsia": "eastAsiaTheme"}[attribute]
        rfonts.attrib.pop(qn(f"w:{theme}"), None)
    if hint:
        rfonts.set(qn("w:hint"), hint)


def set_run_properties(rpr: Any, fonts: dict[str, str], rtl: bool = False, cs: bool = False) -> None:
    """A run's script properties: fonts named for its slot, ``w:rtl`` (right-to-left), ``w:cs`` (complex script)."""
    if fonts:
        set_fonts(rpr, fonts)
    if rtl:
        place(rpr, el("w:rtl"), RPR_ORDER)
    if cs:
        place(rpr, el("w:cs"), RPR_ORDER)


def set_direction(ppr: Any, rtl: bool) -> None:
    """``w:bidi`` on a paragraph's (or a style's) properties: right-to-left, or explicitly left-to-right."""
    place(ppr, el("w:bidi") if rtl else el("w:bidi", val="0"), PPR_ORDER)


def mirror_borders(ppr: Any) -> None:
    """Swap a paragraph border's left and right sides: a right-to-left paragraph's accent rule on its start side."""
    pbdr = ppr.find(qn("w:pBdr"))
    if pbdr is None:
        return
    left, right = pbdr.find(qn("w:left")), pbdr.find(qn("w:right"))
    if left is not None:
        left.tag = qn("w:right")
    if right is not None:
        right.tag = qn("w:left")
    order_borders(pbdr)


# --- language -----------------------------------------------------------------


# Scripts (ISO 15924) whose language Word records in ``w:lang/@w:bidi`` (its "complex script" language, right to
# left or not) or in ``@w:eastAsia``; every other script's in ``@w:val``.
_COMPLEX_SCRIPTS = frozenset({"Deva", "Beng", "Guru", "Gujr", "Orya", "Taml", "Telu", "Knda", "Mlym", "Sinh", "Thai",
                              "Laoo", "Tibt", "Mymr", "Khmr", "Mong"})
_EAST_ASIAN_SCRIPTS = frozenset({"Hani", "Hans", "Hant", "Jpan", "Kore", "Hang", "Hira", "Kana", "Bopo"})


def language_slots(tag: str) -> tuple[bool, bool]:
    """Whether text in ``tag`` is recorded in ``w:lang``'s bidi slot (Arabic, Hebrew, Hindi, Thai…), and whether in
    its eastAsia slot (Chinese, Japanese, Korean): what :func:`set_lang` takes as ``bidi`` and ``east_asia``."""
    script = script_of(tag)
    return is_rtl(tag) or script in _COMPLEX_SCRIPTS, script in _EAST_ASIAN_SCRIPTS


def set_lang(rpr: Any, tag: str, bidi: bool = False, east_asia: bool = False) -> None:
    """``w:lang`` on run properties: ``w:val`` the article's language; ``w:bidi`` also, when its text is a complex
    script (right-to-left or not), ``w:eastAsia`` when it is Chinese, Japanese or Korean text."""
    lang = el("w:lang", val=tag)
    if bidi:
        lang.set(qn("w:bidi"), tag)
    if east_asia:
        lang.set(qn("w:eastAsia"), tag)
    place(rpr, lang, RPR_ORDER)


def ensure_child(parent: Any, tag: str, first: bool = False) -> Any:
    node = parent.find(qn(tag))
    if node is None:
        node = el(tag)
        parent.insert(0, node) if first else parent.append(node)
    return node
