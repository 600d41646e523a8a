"""Marked content, as the layout draws: every mark on a page is a structure element's content or an artifact.

A tagged flowable (``Tagged``) opens a marked-content sequence for its element when it is drawn and closes it
afterwards (``/P <</MCID 3>> BDC`` … ``EMC``); a sequence that painted nothing is taken back. Whatever is drawn
outside them (rules, the box's tint, the masthead) is wrapped as an ``/Artifact``, and the canvas wraps the
running footer as one. A text object with links or phrases in other languages carries markers where they
start and end (``\\x00id\\x00``, put there by reportlab's ``onDraw`` callback or by the complex path); ``text``
cuts it there into sequences of their own, inside ``BT`` … ``ET`` (marked content and text objects must nest
separately, ISO 32000-1 §14.6). Each link annotation is tied to the link element being drawn (``owner``).
"""

from __future__ import annotations

import re
from typing import Any

from pressrun.exporters.pdf.structure import Annotation, Element, StructTree

MARKER = re.compile("\x00([^\x00]*)\x00")
# Operators that put marks on the page: text showing, path painting, XObjects, shadings, inline images.
_PAINTS = re.compile(r"(?:^|\s)(?:Tj|TJ|'|\"|S|s|f\*?|F|B\*?|b\*?|Do|sh|BI)(?=\s|$)")
_SHOWS_TEXT = re.compile(r"(?:^|\s)(?:Tj|TJ|'|\")(?=\s|$)")
CALLBACK = "tag"  # the name paragraphs' ``<onDraw name="tag" label="…"/>`` markers call


def marker(inline: int | None, position: int | None = None) -> str:
    """A marker for a text object: the text after it belongs to inline element ``inline`` (None: to the paragraph)."""
    label = "" if inline is None else str(inline)
    return f"\x00{label}\x00" if position is None else f"\x00{label}@{position}\x00"


def markup_marker(inline: int | None) -> str:
    """The same, in paragraph markup: reportlab calls the canvas's ``tag`` callback where it draws it."""
    return f'<onDraw name="{CALLBACK}" label="{"" if inline is None else inline}"/>'


def leading_marker(markup: str) -> tuple[int | None, str]:
    """The inline element ``markup`` starts in (None: none), and the markup without the marker that says so."""
    prefix = f'<onDraw name="{CALLBACK}" label="'
    if not markup.startswith(prefix):
        return None, markup
    end = markup.index('"/>', len(prefix))
    label = markup[len(prefix):end]
    return (int(label) if label else None), markup[end + 3:]


def _paints(code: list[str] | str) -> bool:
    return _PAINTS.search(code if isinstance(code, str) else "\n".join(code)) is not None


class Tagger:
    """The marked content of one document, page by page; ``pages[i]`` maps each MCID of page i to its element."""

    def __init__(self, tree: StructTree, canvas: Any):
        self.tree, self.canvas = tree, canvas
        self.pages: list[dict[int, Element]] = [{}]
        self.annotations: list[tuple[str, Element]] = []  # (reportlab's name, its Link), in the order they were made
        self._next = 0  # the next MCID on this page
        self._stack: list[Element] = []  # tagged flowables being drawn (one, unless one is drawn inside another)
        self._open: tuple[int, int, Element] | None = None  # (code index of its BDC, MCID, element) of the open sequence
        self._since = 0  # where the page's code not yet tagged or wrapped as an artifact starts
        self._block: Element | None = None  # the element whose inline state is below
        self._inline: Element | None = None  # the inline element the text being written is in
        self._live: Element | None = None  # the link reportlab is drawing now (its annotations are made per line)
        self._links: dict[Any, Element | None] = {}
        self._pending: list[Any] = []
        self.next_owner: Element | None = None  # the complex path says which link an annotation belongs to

    # --- tagged flowables ----------------------------------------------------------------------------------------

    def enter(self, element: Element, first_inline: int | None = None) -> None:
        """A tagged flowable begins to draw; ``first_inline``: the inline element its text starts in."""
        if self._open is not None:
            self._close()  # a tagged flowable inside another: the outer's sequence pauses
        else:
            self._artifact()
        self._stack.append(element)
        if element is not self._block:
            inline = self.tree.inline[first_inline] if first_inline is not None else None
            self._block, self._inline = element, inline
            self._live = inline if inline is not None and inline.role == "Link" else None
        self._begin(element)

    def leave(self) -> None:
        self._close()
        self._stack.pop()
        if self._stack:
            self._begin(self._stack[-1])
        self._since = len(self.canvas._code)

    def end_page(self) -> None:
        """The page is complete: what is left untagged is an artifact; the next page numbers its MCIDs from 0."""
        self._artifact()
        self.pages.append({})
        self._next = self._since = 0

    def _begin(self, element: Element) -> None:
        code = self.canvas._code
        code.append(f"/{element.role} <</MCID {self._next}>> BDC")
        self._open = (len(code) - 1, self._next, element)
        self._next += 1

    def _close(self, decoration: bool = False) -> None:
        """End the open sequence; one that painted nothing is taken back, and with ``decoration`` one that
        shows no text (what a paragraph draws before its text: link underlines, a tint) becomes an artifact."""
        assert self._open is not None
        at, mcid, element = self._open
        code, self._open = self.canvas._code, None
        content = "\n".join(code[at + 1:])
        if not _paints(content) or (decoration and not _SHOWS_TEXT.search(content)):
            self._next -= 1
            if _paints(content):
                code[at] = "/Artifact BMC"
                code.append("EMC")
            else:
                del code[at]
            return
        code.append("EMC")
        self._record(element, mcid)

    def _record(self, element: Element, mcid: int) -> None:
        page = self.canvas._pageNumber - 1
        element.kids.append((page, mcid))
        self.pages[page][mcid] = element

    def _artifact(self) -> None:
        code = self.canvas._code
        if _paints(code[self._since:]):
            code.insert(self._since, "/Artifact BMC")
            code.append("EMC")
        self._since = len(code)

    # --- text objects --------------------------------------------------------------------------------------------

    def text(self, code: str) -> None:
        """Add a text object ("BT … ET") to the page, cut into sequences at its markers."""
        page_code = self.canvas._code
        if "\x00" not in code and self._inline is None:
            page_code.append(code)
        elif self._open is None or not (code.startswith("BT") and code.endswith("ET")):
            page_code.append(MARKER.sub("", code))  # an artifact, or not a text object: markers mean nothing here
        else:
            element = self._open[2]
            self._close(decoration=True)
            page_code.append(self._cut(code[2:-2], element))
            self._begin(element)

    def _cut(self, body: str, block: Element) -> str:
        parts = MARKER.split(body)
        out, placed, order = ["BT"], [], -1
        for i, part in enumerate(parts):
            if i % 2:
                label, _, position = part.partition("@")
                self._inline = self.tree.inline[int(label)] if label else None
                order = int(position) if position else i
                continue
            if not _paints(part):
                out.append(part)
                continue
            owner = self._inline or block
            out.append(f"/{owner.role} <</MCID {self._next}>> BDC {part} EMC")
            placed.append((order, owner, self._next))
            self._next += 1
        out.append("ET")
        # In reading order: the complex path draws a line's pieces left to right and says where each starts.
        for _, owner, mcid in sorted(placed, key=lambda p: p[0]):
            if owner is not block and owner.parent is None:
                block.adopt(owner)
            self._record(owner, mcid)
        return " ".join(out)

    # --- links -------------------------------------------------------------------------------------------------

    def callback(self, canvas: Any, kind: str, label: str | None) -> None:
        """reportlab's ``onDraw`` callback: put a marker in the text object being drawn, note the link drawn."""
        canvas._curr_tx_info["tx"]._code.append(marker(int(label) if label else None))
        inline = self.tree.inline[int(label)] if label else None
        self._live = inline if inline is not None and inline.role == "Link" else None

    def new_text(self, text_object: Any) -> None:
        """A text object begins: reportlab numbers its links anew, and reports each link starting on a line."""
        self._links, self._pending = {}, []
        text_object._linkRecord = self._link_record

    def _link_record(self, key: Any, what: str) -> None:
        if what == "start":
            self._links.setdefault(key, self._live)
            self._pending.append(key)

    def owner(self, name: str) -> Element:
        """The link element the annotation being made belongs to (reportlab makes a line's annotations in the
        order its links start); a link nobody claims gets an element of its own, so none is untagged."""
        found = self.next_owner
        self.next_owner = None
        if found is None and self._pending:
            key = min(self._pending)
            self._pending.remove(key)
            found = self._links.get(key)
        if found is None:
            found = (self._stack[-1] if self._stack else self.tree.root).add("Link")
        found.kids.append(Annotation(name, self.canvas._pageNumber - 1))
        self.annotations.append((name, found))
        return found


    def finish(self, pages: int) -> list[dict[int, Element]]:
        """The MCIDs of the document's ``pages``; a link whose text was never drawn still gets a parent."""
        for _, link in self.annotations:
            if link.parent is None:
                self.tree.root.adopt(link)
        return self.pages[:pages]


class Tagged:
    """A flowable that is a structure element's content (``structure``); the pieces it splits into are too."""

    structure: Element | None = None

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        tagger = getattr(canvas, "tagger", None)
        if tagger is None or self.structure is None:
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
            return
        tagger.enter(self.structure, getattr(self, "first_inline", None))
        try:
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
        finally:
            tagger.leave()

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        pieces = super().split(avail_width, avail_height)  # type: ignore[misc]
        for piece in pieces:
            piece.structure = self.structure
        return pieces


def tag(flowable: Any, element: Element | None) -> Any:
    """``flowable``, as the content of ``element``."""
    flowable.structure = element
    return flowable
