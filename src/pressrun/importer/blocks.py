"""Paragraphs → pressrun's block model: headings, paragraphs, lists, quotes, code, breaks and figures.

Word has no nesting: a list is paragraphs that share a numbering definition, a level says how deep an item
is, and a quote is a run of paragraphs in the quote style. The rules below read back what pressrun's DOCX
writer wrote (and what Word, LibreOffice and Google Docs make of it):

* A list paragraph continues the open list at its level when it uses the same numbering definition and
  kind, unless it is the first paragraph of an instance that restarts the count (a new list, with its start).
  A deeper level opens a nested list in the current item; a shallower one closes the deeper lists.
* An item's further paragraphs are in a "List Continue" style (its level in the name); a quote, code block,
  heading, picture or break belongs to the open item when the item is still empty, when the same list
  instance goes on after it or a deeper list follows, and otherwise ends the list (the DOCX cannot tell a block
  that ends the last item from one after the list: it is read as after). A body paragraph always ends a list.
* Neighbouring quote paragraphs are one quote. A caption right after a picture is its caption.
* Empty paragraphs (spacing typed with Enter) are not blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pressrun import model
from pressrun.importer.inlines import build
from pressrun.importer.paragraphs import Para, Picture
from pressrun.render.spans import Span

LIST_KINDS = ("list", "list_spaced", "body", "why")  # roles whose paragraphs are list items when numbered
Warn = Callable[[int, str], None]


def picture_image(picture: Picture, caption: str | None = None) -> model.Image:
    """A picture as a model image; its ``src`` names its bytes (``sha256:…``) until it has a file."""
    return model.Image(src=f"sha256:{picture.digest}", path=Path(), alt=picture.alt,
                       media_type=picture.media_type or "", width=0, height=0, size=0, caption=caption)


def code_text(para: Para) -> str:
    return "".join(i.text for i in para.content if isinstance(i, Span))


@dataclass
class _Item:
    blocks: list[model.Block] = field(default_factory=list)
    quote: list[model.Block] | None = None  # the paragraphs of a quote being read at the end of the item


@dataclass
class _List:
    ilvl: int
    ordered: bool
    start: int
    definition: str
    tight: bool
    instances: set[str]
    items: list[_Item] = field(default_factory=list)

    def freeze(self) -> model.Block:
        items = tuple(model.ListItem(tuple(_close_quote(i))) for i in self.items)
        if self.ordered:
            return model.OrderedList(items, self.start, self.tight)
        return model.BulletList(items, self.tight)


def _close_quote(item: _Item) -> list[model.Block]:
    if item.quote:
        item.blocks.append(model.BlockQuote(tuple(item.quote)))
    item.quote = None
    return item.blocks


@dataclass
class Built:
    blocks: list[model.Block]
    ranges: list[tuple[int, int]]  # for each top-level block: the paragraphs [start, end) it was read from


class BlockReader:
    """Reads one field's paragraphs (the body, or why-this-matters) into blocks."""

    def __init__(self, paras: list[Para], warn: Warn):
        self.paras, self.warn = paras, warn
        self.top = _Item()
        self.stack: list[_List] = []
        self.owner: list[int | None] = [None] * len(paras)
        self.count = 0  # top-level blocks started
        self.figures: dict[int, int] = {}  # paragraph index of a caption → used

    def read(self) -> Built:
        for index, para in enumerate(self.paras):
            if index in self.figures:
                continue
            self.paragraph(index, para)
        self.close_lists(-1)
        blocks = _close_quote(self.top)
        ranges: dict[int, list[int]] = {}
        for index, owner in enumerate(self.owner):
            if owner is not None:
                ranges.setdefault(owner, []).append(index)
        return Built(blocks, [(min(r), max(r) + 1) for _, r in sorted(ranges.items())])

    # --- where a block goes ----------------------------------------------------------------------------
    def container(self) -> _Item:
        return self.stack[-1].items[-1] if self.stack else self.top

    def own(self, index: int, new_top: bool) -> None:
        if new_top:
            self.count += 1
        self.owner[index] = self.count - 1

    def emit(self, index: int, block: model.Block, quote: bool = False) -> None:
        """Add ``block`` to the open container; a quote paragraph joins the quote right before it."""
        item = self.container()
        joins_quote = quote and item.quote is not None
        if not quote:
            _close_quote(item)
        self.own(index, new_top=not self.stack and not joins_quote)
        if quote:
            item.quote = (item.quote or []) + [block]
        else:
            item.blocks.append(block)

    def close_lists(self, ilvl: int) -> None:
        """Close every open list deeper than ``ilvl`` (-1: all), nesting each in its parent's item."""
        while self.stack and self.stack[-1].ilvl > ilvl:
            done = self.stack.pop()
            parent = self.container()
            _close_quote(parent)
            parent.blocks.append(done.freeze())

    # --- one paragraph ---------------------------------------------------------------------------------
    def paragraph(self, index: int, para: Para) -> None:
        kind = para.role.kind if para.role else "body"
        if para.table:
            return
        if para.list_level is not None and kind in LIST_KINDS:
            self.list_item(index, para)
            return
        if kind == "list_continue":
            self.list_continue(index, para)
            return
        if para.empty and kind not in ("separator", "code"):
            return
        if self.stack and not self.inside_list(index, kind):
            self.close_lists(-1)
        self.block(index, para, kind)

    def block(self, index: int, para: Para, kind: str) -> None:
        if para.pictures:
            self.figure(index, para)
        elif kind == "heading":
            self.emit(index, model.Heading(self.heading_level(para), build(para.content), ""))
        elif kind == "quote":
            self.emit(index, model.Paragraph(build(para.content)), quote=True)
        elif kind == "code":
            self.code(index, para)
        elif kind == "separator":
            self.emit(index, model.ThematicBreak())
            if not para.empty:
                self.warn(para.number, f"text in a separator paragraph kept as a paragraph: {para.text!r}")
                self.emit(index, model.Paragraph(build(para.content)))
        else:
            if kind in ("caption", "credit"):
                self.warn(para.number, f"a {kind} that follows no picture is imported as a paragraph")
            self.emit(index, model.Paragraph(build(para.content)))

    def heading_level(self, para: Para) -> int:
        level = para.role.level if para.role else 2
        if 2 <= level <= 4:
            return level
        clamped = 2 if level < 2 else 4
        self.warn(para.number, f"heading level {level} is not used in articles (the headline is the only level 1); "
                               f"imported as level {clamped}")
        return clamped

    def code(self, index: int, para: Para) -> None:
        text = code_text(para)
        item = self.container()
        last = item.blocks[-1] if item.blocks else None
        merges = (para.role is not None and not para.role.pressrun and index > 0 and isinstance(last, model.CodeBlock)
                  and self.paras[index - 1].role == para.role and item.quote is None)
        if merges:  # other tools write a code block as one paragraph per line
            item.blocks[-1] = model.CodeBlock(last.text + text + "\n")
            self.own(index, new_top=False)
            return
        self.emit(index, model.CodeBlock(text + "\n" if text else ""))

    def figure(self, index: int, para: Para) -> None:
        """Pictures become figures; text beside them in the same paragraph stays a paragraph around them."""
        following = self.paras[index + 1] if index + 1 < len(self.paras) else None
        caption = None
        if following is not None and following.role and following.role.kind == "caption" and len(para.pictures) == 1:
            caption = following.text.strip() or None
            self.figures[index + 1] = index
            self.owner[index + 1] = None
        pending: list = []
        for item in para.content:
            if isinstance(item, Picture):
                if build(pending):
                    self.emit(index, model.Paragraph(build(pending)))
                pending = []
                self.emit(index, model.Figure(picture_image(item, caption)))
            else:
                pending.append(item)
        if build(pending):
            self.emit(index, model.Paragraph(build(pending)))
        if caption is not None:
            self.owner[index + 1] = self.owner[index]

    # --- lists -----------------------------------------------------------------------------------------
    def list_item(self, index: int, para: Para) -> None:
        level, ilvl = para.list_level, para.ilvl
        assert level is not None
        self.close_lists(ilvl)
        top = self.stack[-1] if self.stack else None
        fresh = level.restart and top is not None and level.instance not in top.instances
        if top is not None and top.ilvl == ilvl and (top.definition != level.definition or top.ordered != level.ordered or fresh):
            self.close_lists(ilvl - 1)
            top = self.stack[-1] if self.stack else None
        if top is None or top.ilvl < ilvl:
            if top is None:
                _close_quote(self.top)
            tight = not (para.role and para.role.kind == "list_spaced")
            self.own(index, new_top=top is None)
            _close_quote(self.container())
            self.stack.append(_List(ilvl, level.ordered, level.start, level.definition, tight, set()))
        else:
            self.own(index, new_top=False)
        current = self.stack[-1]
        current.instances.add(level.instance)
        content = build(para.content)
        current.items.append(_Item([model.Paragraph(content)] if content else []))
        if para.pictures:
            self.warn(para.number, "a picture inside a list item is not imported; put it in its own paragraph")

    def list_continue(self, index: int, para: Para) -> None:
        level = para.role.level if para.role else 0
        target = next((n for n in range(len(self.stack) - 1, -1, -1)
                       if self.stack[n].ilvl == level or (level == 2 and self.stack[n].ilvl >= 2)), None)
        if target is None:
            self.close_lists(-1)
            self.block(index, para, "body")
            return
        self.close_lists(self.stack[target].ilvl)
        if not para.empty:
            self.emit(index, model.Paragraph(build(para.content)))

    def inside_list(self, index: int, kind: str) -> bool:
        """Whether a non-list block at ``index`` belongs to the open list item (see the module's rules)."""
        if kind in ("body", "why") or kind is None:
            return False
        if not self.container().blocks and self.container().quote is None:
            return True
        open_instances = set().union(*(lst.instances for lst in self.stack))
        for para in self.paras[index + 1:]:
            later = para.role.kind if para.role else "body"
            if later == "list_continue":
                return True
            if para.list_level is not None and later in LIST_KINDS:  # a deeper list is nested in the open item
                return para.list_level.instance in open_instances or para.ilvl > self.stack[-1].ilvl
            if later in ("body", "why") and not para.empty:
                return False
        return False
