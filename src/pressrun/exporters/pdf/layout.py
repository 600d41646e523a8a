"""The article as reportlab flowables: the parts of ``pressrun.outline``, in reading order, in the PDF's furniture.

``ArticleLayout`` visits every part (kicker, headline, standfirst, byline, dates,
lead image with caption and credit separate, "why this matters" in a box, key
takeaways as a bullet list, the body, topics, rights); around them it puts the
masthead (the publication's name over a heavy rule) and, at the end, the image
descriptions (every picture's alt text). Its base ``BlockLayout`` lays out the
blocks of the parts that have them, through the same dispatch. A part with an
anchor, and every heading, is preceded by an outline mark (see marks.py): a link
destination, bookmarked when the table of contents lists it. Text is always made for the source field it comes from
(``Markup.at``), so a character no font covers is reported where it is.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.platypus import (
    HRFlowable, Image, KeepTogether, ListFlowable, ListItem, Spacer, Table, TableStyle, XPreformatted,
)
from reportlab.platypus.doctemplate import Indenter
from reportlab.pdfbase.pdfmetrics import stringWidth

from pressrun import model, outline
from pressrun.exporters.pdf.marks import Bookmark, OutlineMark
from pressrun.exporters.pdf.markup import FieldMarkup, Markup
from pressrun.render.numerals import number
from pressrun.exporters.pdf.paragraphs import Heading as Heading  # re-exported: the layout's heading flowable
from pressrun.exporters.pdf.styles import Styles
from pressrun.render import wording
from pressrun.render.dispatch import NodeVisitor, PartWriter
from pressrun.theme import Labels

BULLETS = ("\u2022", "\u2013", "\u25e6")  # •, –, ◦ by nesting depth: all in DejaVu


def _list_item(flowables: list[Any]) -> Any:
    """A list item; its bullet moves down with a first line set lower for tall ink (see ComplexParagraph.overhang)."""
    overhang = getattr(flowables[0], "overhang", 0)
    return ListItem(flowables, bulletOffsetY=-overhang) if overhang else ListItem(flowables)


class BlockLayout(NodeVisitor):
    """Blocks → flowables.

    Every visit gets ``style``, the paragraph style of the container (body, box, quote, list item), and
    ``m``, the markup of the source field the blocks come from. What the layout collects on the way
    (the pictures' alt texts, the figure count) is article-wide: one layout per article.
    """

    labels: Labels  # set by the article layout: the figure label is in the article's language

    def __init__(self, styles: Styles, width: float, bookmarks: dict[str, Bookmark]):
        self.s = styles
        self.width = width  # the frame width: images never exceed it
        self.bookmarks = bookmarks  # anchor → bookmark: the table of contents
        self.depth = 0  # list nesting
        self.figures = 0
        self.alt_texts: list[tuple[str, str, FieldMarkup]] = []  # (label, alt, its field) for the image descriptions

    def mark(self, anchor: str) -> Any:
        """A link destination at ``anchor``, bookmarked when the table of contents lists it."""
        return OutlineMark(anchor, self.bookmarks.get(anchor))

    def para(self, nodes: model.RichText, style: Any, m: FieldMarkup) -> Any:
        stack, bold, italic = self.s.setting[style.name]
        return self.s.paragraph(m.rich(nodes, stack, bold, italic), style)

    def plain_para(self, text: str, style: Any, m: FieldMarkup) -> Any:
        stack, bold, italic = self.s.setting[style.name]
        return self.s.paragraph(m.text(text, stack, bold, italic), style)

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
        return [self.mark(node.anchor), self.s.paragraph(m.rich(node.children, *self.s.setting[style.name]), style, heading=True)]

    def list_of(self, items: tuple[model.ListItem, ...], style: Any, m: FieldMarkup, ordered: bool, tight: bool,
                start: int = 1) -> list[Any]:
        """A list in ``style``'s container. In the story, a tight list's items sit close together and a loose
        list's are spaced like its paragraphs; in a box or a quote, items take the container's spacing."""
        s = self.s
        item_style = (s.item if tight else s.loose_item) if style in (s.body, s.item, s.loose_item) else style
        self.depth += 1
        # An empty item ("1." alone) gets a line for its number: an empty ListItem crashes reportlab's list.
        content = [_list_item(self.blocks(i.children, item_style, m) or [Spacer(1, item_style.leading)]) for i in items]
        self.depth -= 1
        size = item_style.fontSize
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
            return [ListFlowable(content, bulletType="1", start=start, bulletFormat=".%s" if s.rtl else "%s.", **common)]
        return [ListFlowable(content, bulletType="bullet", start=BULLETS[min(self.depth, 2)], **common)]

    def visit_BulletList(self, node: model.BulletList, style: Any, m: FieldMarkup) -> list[Any]:
        return self.list_of(node.items, style, m, ordered=False, tight=node.tight)

    def visit_OrderedList(self, node: model.OrderedList, style: Any, m: FieldMarkup) -> list[Any]:
        return self.list_of(node.items, style, m, ordered=True, tight=node.tight, start=node.start)

    def visit_ListItem(self, node: model.ListItem, style: Any, m: FieldMarkup) -> list[Any]:
        return self.blocks(node.children, style, m)

    def visit_BlockQuote(self, node: model.BlockQuote, style: Any, m: FieldMarkup) -> list[Any]:
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
        return [XPreformatted(m.text("\n".join(lines), *self.s.setting["code"]), code)]

    def visit_ThematicBreak(self, node: model.ThematicBreak, style: Any, m: FieldMarkup) -> list[Any]:
        return [HRFlowable(width="30%", thickness=0.6, color=self.s.color["rule"], spaceBefore=6, spaceAfter=10, hAlign="CENTER")]

    def visit_Figure(self, node: model.Figure, style: Any, m: FieldMarkup) -> list[Any]:
        self.figures += 1
        return self.figure(node.image, self.labels.figure.format(number=number(self.figures, self.s.language)), m)

    def figure(self, image: model.Image, label: str, m: FieldMarkup, anchor: str | None = None) -> list[Any]:
        """The picture, then caption and credit as two separate lines (never one for the other).

        ``m`` is the markup of the field the image belongs to: its caption is that field's ``.caption``.
        A lead image (one with an ``anchor``) may be taller; its mark is kept with the picture.
        """
        self.alt_texts.append((label, image.alt, m.sub("alt")))
        max_h = self.width * (0.62 if anchor else 0.45)  # the lead photo may be tall; body figures stay modest
        scale = min(self.width / image.width, max_h / image.height)
        # From bytes, not a path: reportlab names a file's XObject after its path, which would make
        # the PDF depend on where the sources live; bytes are named after their content.
        picture = Image(io.BytesIO(image.path.read_bytes()), width=image.width * scale, height=image.height * scale,
                        hAlign="RIGHT" if self.s.rtl else "LEFT")
        parts: list[Any] = [self.mark(anchor), picture] if anchor else [picture]
        if image.caption:
            parts.append(self.plain_para(image.caption, self.s.caption, m.sub("caption")))
        if image.credit:
            parts.append(self.plain_para(image.credit, self.s.credit, m.sub("credit")))
        return [KeepTogether(parts), Spacer(1, 8)]


class ArticleLayout(BlockLayout, PartWriter):
    """The whole article as flowables: the masthead, every part of the outline, the image descriptions.

    One per article. Parts and their blocks go through the same dispatch. Each ``visit_<Part>`` returns the part's
    flowables; a part's text is made for the part's source field (``part.field``), its heading is the
    theme's label ``part.label`` and its link destination is ``part.anchor``.
    """

    def __init__(self, labels: Labels, styles: Styles, markup: Markup, width: float, bookmarks: dict[str, Bookmark]):
        super().__init__(styles, width, bookmarks)
        self.labels = labels
        self.markup = markup

    def article(self, article: model.Article, publication_title: str) -> list[Any]:
        """Every flowable of the article, in reading order."""
        flow = self.masthead(publication_title)
        for flowables in self.parts(article):
            flow.extend(flowables)
        flow.extend(self.image_descriptions())
        return flow

    def at(self, part: outline.Part) -> FieldMarkup:
        return self.markup.at(part.field)

    def part_mark(self, part: outline.Part) -> list[Any]:
        """The part's link destination (when it has an anchor) where its flowables start."""
        return [self.mark(part.anchor)] if part.anchor else []

    def label(self, part: outline.Part) -> str:
        return getattr(self.labels, part.label)

    def masthead(self, title: str) -> list[Any]:
        """The publication's name over a heavy rule (PDF furniture, not a part of the article)."""
        return [
            self.plain_para(title, self.s.masthead, self.markup.at("title")),
            HRFlowable(width="100%", thickness=2.2, color=self.s.color["text"], spaceBefore=2, spaceAfter=6),
        ]

    def visit_Kicker(self, part: outline.Kicker) -> list[Any]:
        return [*self.part_mark(part), self.plain_para(part.text, self.s.section, self.at(part))]

    def visit_Headline(self, part: outline.Headline) -> list[Any]:
        return [*self.part_mark(part), self.plain_para(part.text, self.s.headline, self.at(part))]

    def visit_Standfirst(self, part: outline.Standfirst) -> list[Any]:
        return [*self.part_mark(part), self.para(part.children, self.s.standfirst, self.at(part))]

    def visit_Byline(self, part: outline.Byline) -> list[Any]:
        m, (stack, _, _) = self.at(part), self.s.setting["byline"]
        names = m.text(wording.byline_text(part.authors, part.language), stack, bold=True)
        return [*self.part_mark(part), self.s.paragraph(f"{m.text(self.label(part) + ' ', stack)}{names}", self.s.byline)]

    def visit_Dates(self, part: outline.Dates) -> list[Any]:
        """The dateline, then "Published …" and "Updated …", on one line."""
        m, (stack, _, _) = self.at(part), self.s.setting["meta"]
        meta = [m.text(part.dateline, stack, bold=True)] if part.dateline else []
        meta.append(m.text(f"{self.label(part)} {wording.format_date(part.published, part.language)}", stack))
        if part.updated:
            meta.append(m.text(f"{self.labels.updated} {wording.format_date(part.updated, part.language)}", stack))
        return [*self.part_mark(part), self.s.paragraph(" \u00b7 ".join(meta), self.s.meta)]

    def visit_LeadImage(self, part: outline.LeadImage) -> list[Any]:
        # The mark goes inside the figure's KeepTogether: a destination on the page where the picture is.
        return self.figure(part.image, self.label(part), self.at(part), part.anchor)

    def visit_WhyThisMatters(self, part: outline.WhyThisMatters) -> list[Any]:
        """The label and the paragraphs in a tinted box with an accent rule on its left (its right, right to left)."""
        m, s = self.at(part), self.s
        heading = self.plain_para(self.label(part), s.box_heading, m)
        rows = [[heading]] + [[f] for f in self.blocks(part.blocks, s.box, m)]
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
        return [
            *self.part_mark(part),
            self.plain_para(self.label(part), s.box_heading, m),
            *self.list_of(items, s.body, m, ordered=False, tight=True),
            HRFlowable(width="100%", thickness=0.6, color=s.color["rule"], spaceBefore=4, spaceAfter=12),
        ]

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
        return [*self.part_mark(part), self.s.paragraph(f"{m.text(self.label(part) + self.labels.colon, stack, bold=True)}{tags}", self.s.small)]

    def visit_Rights(self, part: outline.Rights) -> list[Any]:
        return [*self.part_mark(part), self.plain_para(part.text, self.s.small, self.at(part))]

    def image_descriptions(self) -> list[Any]:
        """Every picture's alt text, kept for readers who cannot see the pictures (PDF furniture, after the parts)."""
        if not self.alt_texts:
            return []
        stack = self.s.setting["small_body"][0]
        heading = self.markup.at("labels.image_descriptions")
        flow = [self.plain_para(self.labels.image_descriptions, self.s.small_heading, heading)]
        for label, alt, m in self.alt_texts:
            flow.append(self.s.paragraph(f"{m.text(label + self.labels.colon, stack, bold=True)}{m.text(alt, stack)}", self.s.small_body))
        return flow
