"""The article as reportlab flowables: the parts of ``pressrun.outline``, in reading order, in the PDF's furniture.

``ArticleLayout`` visits every part (kicker, headline, standfirst, byline, dates,
lead image with caption and credit separate, "why this matters" in a box, key
takeaways as a bullet list, the body, topics, rights); above them it puts the
masthead (the publication's name over a heavy rule). Its base ``BlockLayout`` lays out the
blocks of the parts that have them, through the same dispatch. A part with an
anchor, and every heading, is preceded by an outline mark (see marks.py): a link
destination, bookmarked when the table of contents lists it. Text is always made for the source field it comes from
(``Markup.at``), so a character no font covers is reported where it is.

Each flowable that shows the article is the content of a structure element of the tagged PDF (structure.py),
made as the layout visits, so the tree's order is the outline's: ``H1`` for the headline, ``P``, ``H2``–``H6``
(never skipping a level), ``L``/``LI``/``Lbl``/``LBody``, ``BlockQuote``, ``Code``, a ``Figure`` with the alt text
as ``/Alt`` and its ``Caption`` beside it, a ``Sect`` for each labelled part. Furniture (the masthead, rules, the
box's tint) belongs to no element: the tagger marks it as an artifact. The alt text is no longer printed.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reportlab.platypus import HRFlowable, Image, KeepTogether, ListFlowable, ListItem, Spacer, Table, TableStyle, XPreformatted
from reportlab.platypus.flowables import BulletDrawer
from reportlab.platypus.doctemplate import Indenter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.lib.utils import ImageReader

from pressrun import model, outline
from pressrun.exporters.pdf.marks import Bookmark, OutlineMark
from pressrun.exporters.pdf.markup import FieldMarkup, Markup
from pressrun.exporters.pdf.paragraphs import Heading as Heading  # re-exported: the layout's heading flowable
from pressrun.exporters.pdf.structure import Element, StructTree
from pressrun.exporters.pdf.styles import Styles
from pressrun.exporters.pdf.tagging import Tagged, tag
from pressrun.render import wording
from pressrun.render.dispatch import NodeVisitor, PartWriter
from pressrun.theme import Labels

BULLETS = ("\u2022", "\u2013", "\u25e6")  # •, –, ◦ by nesting depth: all in DejaVu


class _Photo(ImageReader):
    """An image read from bytes. reportlab names an image's XObject after its decoded pixels, which it gets
    (decoding the JPEG) and digests (MD5 of ~0.8 MB for a 640×400 photo) only to find that name: ~1.5 ms an
    image. A JPEG is embedded as it is (DCTDecode) and never needs its pixels, so its "pixel data" is the
    digest of its bytes: still named after its content, in a twentieth of the time. Other kinds are reportlab's."""

    def __init__(self, data: bytes):
        super().__init__(io.BytesIO(data))
        self._fingerprint = hashlib.md5(data, usedforsecurity=False).digest() if self.jpeg_fh() else None

    def getRGBData(self) -> Any:
        if self._fingerprint is None:
            return super().getRGBData()
        self._dataA = None  # no alpha: what reportlab's reading of a JPEG's pixels would have said
        return self._fingerprint


class Picture(Tagged, Image):
    """A picture, as the content of its ``Figure`` element, which says where it is on the page (``/BBox``)."""

    def __init__(self, data: bytes, **kwargs: Any):
        self._img = _Photo(data)  # reportlab's Image reads a file object through ``_img`` (lazy=0: kept)
        super().__init__(self._img.fp, **kwargs)

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        if self.structure is not None:  # in page space: a table cell is drawn in the table's (translated) space
            a, b, c, d, e, f = canvas._currentMatrix
            left = self._hAlignAdjust(x, _sW)
            corners = [(a * px + c * py + e, b * px + d * py + f)
                       for px, py in ((left, y), (left + self.drawWidth, y + self.drawHeight))]
            box = " ".join(f"{v:.2f}" for corner in corners for v in corner)
            self.structure.attributes = f"<< /O /Layout /BBox [{box}] >>"
        super().drawOn(canvas, x, y, _sW)


class Code(Tagged, XPreformatted):
    """A code block, as the content of its ``Code`` element."""


class Label(BulletDrawer):
    """A list item's bullet or number, as the content of its ``Lbl`` element."""

    structure: Element | None = None

    def drawOn(self, indenter: Any, canv: Any, x: float, y: float, _sW: float = 0) -> None:
        tagger = getattr(canv, "tagger", None)
        if tagger is None or self.structure is None:
            super().drawOn(indenter, canv, x, y, _sW)
            return
        tagger.enter(self.structure)
        try:
            super().drawOn(indenter, canv, x, y, _sW)
        finally:
            tagger.leave()


class TaggedList(ListFlowable):
    """reportlab's list, each item's bullet drawn as the content of that item's ``Lbl`` (``labels``, in order)."""

    def __init__(self, content: list[Any], labels: list[Element], **kwargs: Any):
        self._labels = labels
        super().__init__(content, **kwargs)

    def _getContent(self) -> list[Any]:
        self._next_label = iter(self._labels)  # reportlab makes one bullet per item, in order
        return super()._getContent()

    def _makeBullet(self, value: Any, params: Any = None) -> Any:
        bullet = super()._makeBullet(value, params)
        bullet.__class__ = Label
        bullet.structure = next(self._next_label, None)
        return bullet


def _list_item(flowables: list[Any]) -> Any:
    """A list item; its bullet moves down with a first line set lower for tall ink (see ComplexParagraph.overhang)."""
    overhang = getattr(flowables[0], "overhang", 0)
    return ListItem(flowables, bulletOffsetY=-overhang) if overhang else ListItem(flowables)


class BlockLayout(NodeVisitor):
    """Blocks → flowables, each the content of a structure element made under ``parent``.

    Every visit gets ``style``, the paragraph style of the container (body, box, quote, list item), and
    ``m``, the markup of the source field the blocks come from. One layout per article: the structure
    tree and the last heading level are article-wide.
    """

    labels: Labels  # set by the article layout

    def __init__(self, styles: Styles, width: float, bookmarks: dict[str, Bookmark], tree: StructTree | None = None):
        self.s = styles
        self.width = width  # the frame width: images never exceed it
        self.bookmarks = bookmarks  # anchor → bookmark: the table of contents
        self.depth = 0  # list nesting
        self.tree = tree or StructTree(styles.language)
        self.parent = self.tree.root  # where the next structure element goes
        self.heading_level = 0  # the last heading's tag level: the next may go one deeper, never more

    def mark(self, anchor: str) -> Any:
        """A link destination at ``anchor``, bookmarked when the table of contents lists it."""
        return OutlineMark(anchor, self.bookmarks.get(anchor))

    def element(self, role: str, **kwargs: Any) -> Element:
        return self.parent.add(role, **kwargs)

    @contextmanager
    def inside(self, element: Element) -> Iterator[Element]:
        """Structure elements made meanwhile go into ``element``."""
        outer, self.parent = self.parent, element
        try:
            yield element
        finally:
            self.parent = outer

    def heading(self, level: int) -> str:
        """The tag of a heading of ``level``: H1–H6, at most one level below the heading before it (PDF/UA 7.4)."""
        self.heading_level = max(1, min(level, self.heading_level + 1, 6))
        return f"H{self.heading_level}"

    def para(self, nodes: model.RichText, style: Any, m: FieldMarkup, role: str = "P") -> Any:
        stack, bold, italic = self.s.setting[style.name]
        return tag(self.s.paragraph(m.rich(nodes, stack, bold, italic), style), self.element(role))

    def plain_para(self, text: str, style: Any, m: FieldMarkup, role: str | None = "P") -> Any:
        """A paragraph of plain text; ``role`` None: furniture (an artifact), not the article."""
        stack, bold, italic = self.s.setting[style.name]
        return tag(self.s.paragraph(m.text(text, stack, bold, italic), style), self.element(role) if role else None)

    # Inline nodes become paragraph markup through the shared styled spans (render/spans.py).
    def inline(self, node: model.Inline, style: Any, m: FieldMarkup) -> str:
        stack, bold, italic = self.s.setting[style.name]
        return m.rich((node,), stack, bold, italic)

    visit_Text = visit_Emphasis = visit_Strong = visit_Code = visit_Link = visit_LanguageSpan = visit_LineBreak = inline

    def blocks(self, blocks: model.Blocks, style: Any, m: FieldMarkup) -> list[Any]:
        return [f for b in blocks for f in self.visit(b, style, m)]

    def visit_Paragraph(self, node: model.Paragraph, style: Any, m: FieldMarkup) -> list[Any]:
        return [self.para(node.children, style, m)]

    def visit_Heading(self, node: model.Heading, style: Any, m: FieldMarkup) -> list[Any]:
        style = self.s.headings.get(node.level, self.s.headings[4])
        markup = m.rich(node.children, *self.s.setting[style.name])
        return [self.mark(node.anchor), tag(self.s.paragraph(markup, style, heading=True), self.element(self.heading(node.level)))]

    def list_of(self, items: tuple[model.ListItem, ...], style: Any, m: FieldMarkup, ordered: bool, tight: bool,
                start: int = 1) -> list[Any]:
        """A list in ``style``'s container. In the story, a tight list's items sit close together and a loose
        list's are spaced like its paragraphs; in a box or a quote, items take the container's spacing."""
        s = self.s
        item_style = (s.item if tight else s.loose_item) if style in (s.body, s.item, s.loose_item) else style
        numbering = "Decimal" if ordered else ("Disc", "Disc", "Circle")[min(self.depth, 2)]  # •, –, ◦
        labels, content = [], []
        self.depth += 1
        with self.inside(self.element("L", attributes=f"<< /O /List /ListNumbering /{numbering} >>")):
            for item in items:
                with self.inside(self.element("LI")) as li:
                    labels.append(li.add("Lbl"))
                    with self.inside(li.add("LBody")):
                        # An empty item ("1." alone) gets a line for its number: an empty ListItem crashes reportlab's list.
                        content.append(_list_item(self.blocks(item.children, item_style, m) or [Spacer(1, item_style.leading)]))
        self.depth -= 1
        return [TaggedList(content, labels, **self.list_settings(style, item_style.fontSize, ordered, start))]

    def list_settings(self, style: Any, size: float, ordered: bool, start: int) -> dict[str, Any]:
        """reportlab's list options: bullets in the accent colour; a right-to-left list is mirrored."""
        s = self.s
        indent = size * (2.0 if ordered else 1.4)
        common: dict[str, Any] = dict(
            bulletFontName=s.bullet_font,  # never the default Helvetica
            bulletFontSize=size,
            bulletColor=s.color["accent"],
            spaceAfter=style.spaceAfter if self.depth == 0 else 0,
        )
        # A right-to-left list is mirrored: bullets and numbers on the right ("1." reads ".1" there, as on the web).
        if s.rtl:  # the bullet's right edge on the frame's right edge
            common.update(bulletDir="rtl", bulletAlign="right", rightIndent=indent, leftIndent=0)
        else:
            common.update(leftIndent=indent)
        if ordered:
            return dict(common, bulletType="1", start=start, bulletFormat=".%s" if s.rtl else "%s.")
        return dict(common, bulletType="bullet", start=BULLETS[min(self.depth, 2)])

    def visit_BulletList(self, node: model.BulletList, style: Any, m: FieldMarkup) -> list[Any]:
        return self.list_of(node.items, style, m, ordered=False, tight=node.tight)

    def visit_OrderedList(self, node: model.OrderedList, style: Any, m: FieldMarkup) -> list[Any]:
        return self.list_of(node.items, style, m, ordered=True, tight=node.tight, start=node.start)

    def visit_ListItem(self, node: model.ListItem, style: Any, m: FieldMarkup) -> list[Any]:
        return self.blocks(node.children, style, m)

    def visit_BlockQuote(self, node: model.BlockQuote, style: Any, m: FieldMarkup) -> list[Any]:
        with self.inside(self.element("BlockQuote")):
            quoted = self.blocks(node.children, self.s.quote, m)
        if self.depth > 0:
            # Inside a list item, reportlab draws the item's flowables directly and an Indenter
            # (a frame action, not a drawable) crashes it; the item is indented already.
            return quoted
        indent = self.s.body.fontSize * 1.8
        return [Indenter(left=indent, right=indent), *quoted, Indenter(-indent, -indent)]

    def visit_CodeBlock(self, node: model.CodeBlock, style: Any, m: FieldMarkup) -> list[Any]:
        code = self.s.code
        # Preformatted text does not wrap: break long lines at the frame width (monospace: one width per char).
        per_line = max(20, int((self.width - 14) / stringWidth("M", code.fontName, code.fontSize)))
        lines = []
        for line in node.text.rstrip("\n").split("\n"):
            lines.extend([line[i:i + per_line] for i in range(0, len(line), per_line)] or [""])
        return [tag(Code(m.text("\n".join(lines), *self.s.setting["code"]), code), self.element("Code"))]

    def visit_ThematicBreak(self, node: model.ThematicBreak, style: Any, m: FieldMarkup) -> list[Any]:
        return [HRFlowable(width="30%", thickness=0.6, color=self.s.color["rule"], spaceBefore=6, spaceAfter=10, hAlign="CENTER")]

    def visit_Figure(self, node: model.Figure, style: Any, m: FieldMarkup) -> list[Any]:
        return self.figure(node.image, m)

    def figure(self, image: model.Image, m: FieldMarkup, anchor: str | None = None) -> list[Any]:
        """The picture (a ``Figure`` whose ``/Alt`` is the alt text), then caption and credit as two separate lines
        (never one for the other), in a ``Caption`` beside the figure: a reader that speaks a figure's ``/Alt``
        skips what is inside it.

        ``m`` is the markup of the field the image belongs to: its caption is that field's ``.caption``.
        A lead image (one with an ``anchor``) may be taller; its mark is kept with the picture.
        """
        max_h = self.width * (0.62 if anchor else 0.45)  # the lead photo may be tall; body figures stay modest
        scale = min(self.width / image.width, max_h / image.height)
        with self.inside(self.element("Div")):
            # From bytes, not a path: reportlab names a file's XObject after its path, which would make
            # the PDF depend on where the sources live; bytes are named after their content.
            picture = Picture(image.path.read_bytes(), width=image.width * scale, height=image.height * scale,
                              hAlign="RIGHT" if self.s.rtl else "LEFT")
            parts: list[Any] = [self.mark(anchor), picture] if anchor else [picture]
            tag(picture, self.element("Figure", alt=image.alt))
            with self.inside(self.element("Caption")):
                if image.caption:
                    parts.append(self.plain_para(image.caption, self.s.caption, m.sub("caption")))
                if image.credit:
                    parts.append(self.plain_para(image.credit, self.s.credit, m.sub("credit")))
        return [KeepTogether(parts), Spacer(1, 8)]


class ArticleLayout(BlockLayout, PartWriter):
    """The whole article as flowables: the masthead, then every part of the outline.

    One per article. Parts and their blocks go through the same dispatch. Each ``visit_<Part>`` returns the part's
    flowables; a part's text is made for the part's source field (``part.field``), its heading is the
    theme's label ``part.label`` and its link destination is ``part.anchor``. The structure tree is
    ``markup``'s (its links and phrases are inline elements of it).
    """

    def __init__(self, labels: Labels, styles: Styles, markup: Markup, width: float, bookmarks: dict[str, Bookmark]):
        super().__init__(styles, width, bookmarks, markup.tree)
        markup.tree = self.tree
        self.labels = labels
        self.markup = markup

    def article(self, article: model.Article, publication_title: str) -> list[Any]:
        """Every flowable of the article, in reading order."""
        flow = self.masthead(publication_title)
        for flowables in self.parts(article):
            flow.extend(flowables)
        return flow

    def at(self, part: outline.Part) -> FieldMarkup:
        return self.markup.at(part.field)

    def part_mark(self, part: outline.Part) -> list[Any]:
        """The part's link destination (when it has an anchor) where its flowables start."""
        return [self.mark(part.anchor)] if part.anchor else []

    def label(self, part: outline.Part) -> str:
        return getattr(self.labels, part.label)

    def section_heading(self, part: outline.Part, style: Any) -> Any:
        """A labelled part's heading: its label, an ``H2`` like the web edition's."""
        return tag(self.s.paragraph(self.at(part).text(self.label(part), *self.s.setting[style.name]), style),
                   self.element(self.heading(2)))

    def masthead(self, title: str) -> list[Any]:
        """The publication's name over a heavy rule (PDF furniture, not a part of the article: an artifact)."""
        return [
            self.plain_para(title, self.s.masthead, self.markup.at("title"), role=None),
            HRFlowable(width="100%", thickness=2.2, color=self.s.color["text"], spaceBefore=2, spaceAfter=6),
        ]

    def visit_Kicker(self, part: outline.Kicker) -> list[Any]:
        return [*self.part_mark(part), self.plain_para(part.text, self.s.section, self.at(part))]

    def visit_Headline(self, part: outline.Headline) -> list[Any]:
        return [*self.part_mark(part), self.plain_para(part.text, self.s.headline, self.at(part), role=self.heading(1))]

    def visit_Standfirst(self, part: outline.Standfirst) -> list[Any]:
        return [*self.part_mark(part), self.para(part.children, self.s.standfirst, self.at(part))]

    def visit_Byline(self, part: outline.Byline) -> list[Any]:
        m, (stack, _, _) = self.at(part), self.s.setting["byline"]
        names = m.text(wording.byline_text(part.authors, part.language), stack, bold=True)
        byline = self.s.paragraph(f"{m.text(self.label(part) + ' ', stack)}{names}", self.s.byline)
        return [*self.part_mark(part), tag(byline, self.element("P"))]

    def visit_Dates(self, part: outline.Dates) -> list[Any]:
        """The dateline, then "Published …" and "Updated …", on one line."""
        m, (stack, _, _) = self.at(part), self.s.setting["meta"]
        meta = [m.text(part.dateline, stack, bold=True)] if part.dateline else []
        meta.append(m.text(f"{self.label(part)} {wording.format_date(part.published, part.language)}", stack))
        if part.updated:
            meta.append(m.text(f"{self.labels.updated} {wording.format_date(part.updated, part.language)}", stack))
        return [*self.part_mark(part), tag(self.s.paragraph(" \u00b7 ".join(meta), self.s.meta), self.element("P"))]

    def visit_LeadImage(self, part: outline.LeadImage) -> list[Any]:
        # The mark goes inside the figure's KeepTogether: a destination on the page where the picture is.
        return self.figure(part.image, self.at(part), part.anchor)

    def visit_WhyThisMatters(self, part: outline.WhyThisMatters) -> list[Any]:
        """The label and the paragraphs in a tinted box with an accent rule on its left (its right, right to left)."""
        m, s = self.at(part), self.s
        with self.inside(self.element("Sect")):
            heading = self.section_heading(part, s.box_heading)
            blocks = self.blocks(part.blocks, s.box, m)
        # The label shares the first row with the first block: a table splits between rows, never after the label.
        rows = [[[heading, *blocks[:1]]]] + [[f] for f in blocks[1:]]
        box = Table(rows, colWidths=[self.width], hAlign="LEFT", splitByRow=1)
        box.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), s.bullet_font),  # a table's cell font defaults to Helvetica
            ("BACKGROUND", (0, 0), (-1, -1), s.color["box"]),
            ("LINEAFTER" if s.rtl else "LINEBEFORE", (0, 0), (0, -1), 3, s.color["accent"]),
            ("LEFTPADDING", (0, 0), (-1, -1), 12),
            ("RIGHTPADDING", (0, 0), (-1, -1), 12),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ("TOPPADDING", (0, 0), (-1, 0), 9),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
        ]))
        return [*self.part_mark(part), box, Spacer(1, 12)]

    def visit_Takeaways(self, part: outline.Takeaways) -> list[Any]:
        """The label, the takeaways as a tight bullet list, a rule."""
        m, s = self.at(part), self.s
        items = tuple(model.ListItem((model.Paragraph(t),)) for t in part.items)
        with self.inside(self.element("Sect")):
            flow = [*self.part_mark(part), self.section_heading(part, s.box_heading),
                    *self.list_of(items, s.body, m, ordered=False, tight=True)]
        return [*flow, HRFlowable(width="100%", thickness=0.6, color=s.color["rule"], spaceBefore=4, spaceAfter=12)]

    def visit_Body(self, part: outline.Body) -> list[Any]:
        """The story, then the rule that closes it."""
        return [
            *self.part_mark(part),  # "story": where the body starts (a link destination, not a bookmark)
            *self.blocks(part.blocks, self.s.body, self.at(part)),
            HRFlowable(width="100%", thickness=0.6, color=self.s.color["rule"], spaceBefore=10, spaceAfter=6),
        ]

    def visit_Topics(self, part: outline.Topics) -> list[Any]:
        m, (stack, _, _) = self.at(part), self.s.setting["small"]
        tags = " \u00b7 ".join(m.text(t, stack) for t in part.tags)
        topics = self.s.paragraph(f"{m.text(self.label(part) + self.labels.colon, stack, bold=True)}{tags}", self.s.small)
        return [*self.part_mark(part), tag(topics, self.element("P"))]

    def visit_Rights(self, part: outline.Rights) -> list[Any]:
        return [*self.part_mark(part), self.plain_para(part.text, self.s.small, self.at(part))]

    def visit_Corrections(self, part: outline.Corrections) -> list[Any]:
        """Each dated notice, oldest first, after the story's rule: "**Correction** · April 28, 2024: …"."""
        stack = self.s.setting["box"][0]
        flow = self.part_mark(part)
        for index, notice in enumerate(part.notices, start=1):
            m = self.markup.at(f"{part.field}[{index}].text")
            when = f" \u00b7 {wording.format_date(notice.date, part.language)}{self.labels.colon}"
            lead = m.text(getattr(self.labels, notice.kind), stack, bold=True) + m.text(when, stack)
            flow.append(tag(self.s.paragraph(lead + m.rich(notice.text, stack), self.s.box), self.element("P")))
        return [*flow, Spacer(1, 6)]
