"""WordprocessingML that python-docx has no API for: runs by style id, hyperlinks, numbering,
fields, bookmarks, alt text and language. Import only from inside the exporter (it loads lxml).
"""

from __future__ import annotations

import copy
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from pressrun.exporters.docx.styles import PBDR_ORDER

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def el(tag: str, **attrs: str) -> Any:
    """A new element; ``val="x"`` becomes ``w:val="x"`` (attribute names given without prefix)."""
    node = OxmlElement(tag)
    for name, value in attrs.items():
        node.set(qn(name if ":" in name else f"w:{name}"), str(value))
    return node


def paragraph(style_id: str) -> Any:
    """An unattached ``w:p`` carrying only its style id."""
    p = OxmlElement("w:p")
    p.get_or_add_pPr().style = style_id
    return p


def text_run(text: str, char_style: str | None = None, toggles: tuple[str, ...] = ()) -> Any:
    """A ``w:r``; ``\\n`` becomes ``w:br`` and ``\\t`` ``w:tab`` so code keeps its layout.

    ``toggles`` ("b", "i") are used only for emphasis inside a link, where the run's one
    character style must stay Hyperlink (what Word itself does when you bold a link).
    """
    r = OxmlElement("w:r")
    if char_style or toggles:
        rpr = r.get_or_add_rPr()
        if char_style:
            rpr.style = char_style
        for name in toggles:
            rpr.append(el(f"w:{name}"))
    for i, line in enumerate(text.split("\n")):
        if i:
            r.append(el("w:br"))
        for j, chunk in enumerate(line.split("\t")):
            if j:
                r.append(el("w:tab"))
            if chunk:
                t = el("w:t")
                t.text = chunk
                t.set(qn("xml:space"), "preserve")
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
    numpr = p.get_or_add_pPr().get_or_add_numPr()
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
    new = copy.deepcopy(definition)
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


# --- language -----------------------------------------------------------------

# Children of w:rPr that must follow w:lang (schema order).
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def set_lang(rpr: Any, tag: str, rtl: bool) -> None:
    """Set ``w:lang`` on a run-properties element, keeping the schema's child order."""
    old = rpr.find(qn("w:lang"))
    if old is not None:
        rpr.remove(old)
    lang = el("w:lang", val=tag)
    if rtl:
        lang.set(qn("w:bidi"), tag)
    for tag_name in _AFTER_LANG:
        follower = rpr.find(qn(tag_name))
        if follower is not None:
            follower.addprevious(lang)
            return
    rpr.append(lang)


def ensure_child(parent: Any, tag: str, first: bool = False) -> Any:
    node = parent.find(qn(tag))
    if node is None:
        node = el(tag)
        parent.insert(0, node) if first else parent.append(node)
    return node
