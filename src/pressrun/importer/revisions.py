"""Track Changes: every tracked change listed with its place, and the document as if accepted or rejected.

Word records an insertion as ``w:ins`` around runs, a deletion as ``w:del`` (its text in ``w:delText``), a
move as ``w:moveFrom``/``w:moveTo``, an inserted or deleted paragraph break as ``w:ins``/``w:del`` in the
paragraph mark's properties (``w:pPr/w:rPr``), and a formatting change as ``w:rPrChange``/``w:pPrChange``
holding the properties from before. Accepting keeps insertions and drops deletions; rejecting does the
opposite and restores the old formatting. A paragraph whose break goes away joins the next paragraph, whose
properties the joined paragraph keeps, as in Word.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pressrun.importer.locate import Locator, snippet, text_of, top_blocks
from pressrun.importer.package import w

RUN_CHANGES = {w("ins"): "insertion", w("del"): "deletion", w("moveFrom"): "move (from here)", w("moveTo"): "move (to here)"}
FORMAT_CHANGES = {w("rPrChange"): "formatting change", w("pPrChange"): "paragraph formatting change",
                  w("numberingChange"): "numbering change", w("sectPrChange"): "section formatting change",
                  w("tblPrChange"): "table formatting change", w("trPrChange"): "table formatting change",
                  w("tcPrChange"): "table formatting change", w("tblGridChange"): "table formatting change"}
CELL_CHANGES = {w("cellIns"): "inserted table cell", w("cellDel"): "deleted table cell", w("cellMerge"): "merged table cells"}
RANGE_MARKS = tuple(w(t) for t in ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd"))
KEPT_ON_ACCEPT, GONE_ON_ACCEPT = (w("ins"), w("moveTo")), (w("del"), w("moveFrom"))


@dataclass
class Change:
    paragraph: int | None
    kind: str
    author: str
    date: str
    text: str
    family: str = ""  # "kept" or "gone" on accepting, for folding a paragraph break into the edit around it
    mark: bool = False  # a change of the paragraph mark (an inserted, deleted or moved paragraph break)

    def describe(self) -> str:
        by = f" by {self.author}" if self.author else ""
        when = f" on {self.date}" if self.date else ""
        return f"tracked {self.kind}{by}{when}: {snippet(self.text) if self.text.strip() else '(no text)'}"


def find_changes(body: Any) -> list[Change]:
    """Every tracked change in the body, in document order; neighbours of one edit are one change."""
    locate = Locator(body)
    changes: list[Change] = []
    for node in body.iter(*RUN_CHANGES, *FORMAT_CHANGES, *CELL_CHANGES):
        change = _describe(node, locate)
        if change is None:
            continue
        last = changes[-1] if changes else None
        if last and (last.paragraph, last.kind, last.author, last.date) == (change.paragraph, change.kind, change.author, change.date):
            last.text += change.text
        else:
            changes.append(change)
    return _fold_marks(changes)


def _fold_marks(changes: list[Change]) -> list[Change]:
    """A paragraph break inserted, deleted or moved along with the paragraph's text is part of that edit."""
    kept = []
    for change in changes:
        if change.mark:
            partner = next((c for c in changes if not c.mark and c.paragraph == change.paragraph and c.family == change.family
                            and (c.author, c.date) == (change.author, change.date)), None)
            if partner is not None:
                partner.kind += " (a whole paragraph)" if "paragraph" not in partner.kind else ""
                continue
        kept.append(change)
    return kept


def _describe(node: Any, locate: Locator) -> Change | None:
    author, date = node.get(w("author"), ""), node.get(w("date"), "")
    paragraph = locate.paragraph(node)
    parent = node.getparent()
    if node.tag in RUN_CHANGES:
        if parent is not None and parent.tag == w("rPr"):  # on a paragraph mark or a table row: a break
            grand = parent.getparent()
            if grand is not None and grand.tag == w("pPr"):
                verb = {w("ins"): "inserted", w("del"): "deleted"}.get(node.tag, "moved")
                family = "kept" if node.tag in KEPT_ON_ACCEPT else "gone"
                return Change(paragraph, f"{verb} paragraph break", author, date, "", family, mark=True)
            return None
        if parent is not None and parent.tag == w("trPr"):
            return Change(paragraph, "inserted table row" if node.tag == w("ins") else "deleted table row", author, date, "")
        family = "kept" if node.tag in KEPT_ON_ACCEPT else "gone"
        return Change(paragraph, RUN_CHANGES[node.tag], author, date, text_of(node, deleted=node.tag in GONE_ON_ACCEPT), family)
    if node.tag in FORMAT_CHANGES:
        holder = parent.getparent() if parent is not None else None
        return Change(paragraph, FORMAT_CHANGES[node.tag], author, date, text_of(holder) if holder is not None else "")
    return Change(paragraph, CELL_CHANGES[node.tag], author, date, "")


def resolve(body: Any, accept: bool) -> None:
    """Make the body what it would be with every tracked change accepted (or rejected)."""
    kept, gone = (KEPT_ON_ACCEPT, GONE_ON_ACCEPT) if accept else (GONE_ON_ACCEPT, KEPT_ON_ACCEPT)
    for mark in list(body.iter(*RANGE_MARKS)):
        _remove(mark)
    _resolve_rows(body, gone)
    joins = _breaks_to_join(body, gone)
    for node in [n for n in body.iter(*gone) if not _is_mark(n)]:
        _remove(node)
    for node in [n for n in body.iter(*kept) if not _is_mark(n)]:
        _unwrap(node, to_visible=not accept)
    for node in list(body.iter(*FORMAT_CHANGES)):
        if not accept:
            _restore(node)
        _remove(node)
    for node in list(body.iter(*CELL_CHANGES)):
        _remove(node)
    for p in reversed(joins):  # last first, so a run of joined paragraphs ends in the last one's properties
        _join_next(p)
    for node in list(body.iter(*kept, *gone)):  # the remaining paragraph-mark markers
        _remove(node)


def _is_mark(node: Any) -> bool:
    parent = node.getparent()
    return parent is not None and parent.tag in (w("rPr"), w("trPr"))


def _breaks_to_join(body: Any, gone: tuple[str, ...]) -> list[Any]:
    """Paragraphs whose break goes away: they join the next paragraph."""
    joins = []
    for p in top_blocks(body):
        marker = p.find(f"{w('pPr')}/{w('rPr')}")
        if marker is not None and any(marker.find(tag) is not None for tag in gone):
            joins.append(p)
    return joins


def _resolve_rows(body: Any, gone: tuple[str, ...]) -> None:
    for trpr in list(body.iter(w("trPr"))):
        if any(trpr.find(tag) is not None for tag in gone):
            row = trpr.getparent()
            _remove(row)


def _join_next(p: Any) -> None:
    following = p.getnext()
    if following is None or following.tag != w("p"):
        return
    anchor = following.find(w("pPr"))
    position = 1 if anchor is not None else 0
    for child in [c for c in p if c.tag != w("pPr")]:
        following.insert(position, child)
        position += 1
    _remove(p)


def _unwrap(node: Any, to_visible: bool) -> None:
    """Put the children of a change element in its place; a rejected deletion's text becomes visible text."""
    if to_visible:
        for el in node.iter(w("delText"), w("delInstrText")):
            el.tag = w("t") if el.tag == w("delText") else w("instrText")
    parent = node.getparent()
    if parent is None:
        return
    index = parent.index(node)
    for offset, child in enumerate(list(node)):
        parent.insert(index + offset, child)
    parent.remove(node)


def _restore(change: Any) -> None:
    """Rejecting a formatting change: the properties it recorded replace the current ones."""
    holder = change.getparent()
    old = change[0] if len(change) else None
    if holder is None:
        return
    keep = (w("rPr"), w("sectPr")) if holder.tag == w("pPr") else ()
    for child in [c for c in holder if c is not change and c.tag not in keep]:
        holder.remove(child)
    for child in (list(old) if old is not None else []):
        holder.insert(len(holder) - 1, child)


def _remove(node: Any) -> None:
    parent = node.getparent()
    if parent is not None:
        parent.remove(node)
