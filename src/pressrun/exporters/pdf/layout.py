"""The article as reportlab flowables, in the reading order decided by ``render.outline``.

Headline, standfirst, byline and dates, lead image (caption and credit
separate), "why this matters" in a box, key takeaways as a bullet list, the
body, then topics, rights and the image descriptions (alt text). Flowables
that start an outline entry are preceded by an outline mark (see marks.py).
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from pressrun import model
from pressrun.exporters.pdf.marks import outline_mark
from pressrun.exporters.pdf.markup import Markup
from pressrun.exporters.pdf.styles import Styles
from pressrun.render import outline, wording
from pressrun.render.dispatch import NodeVisitor
from pressrun.render.outline import TocEntry
from pressrun.theme import Labels

BULLETS = ("\u2022", "\u2013", "\u25e6")  # •, –, ◦ by nesting depth: all in DejaVu


@cache
def _heading_class() -> type:
    from reportlab.platypus import Paragraph

    class Heading(Paragraph):
        """A heading whose pieces, when a very long one is split, are set as one block.

        keepWithNext keeps the pieces together, often on one page; reportlab would give each
        piece the style's space before and after, opening a gap inside the heading.
        """

        def split(self, avail_width: float, avail_height: float) -> list[Any]:
            pieces = super().split(avail_width, avail_height)
            for before, after in zip(pieces, pieces[1:]):
                before.spaceAfter = after.spaceBefore = 0
            return pieces

    return Heading


class BodyLayout(NodeVisitor):
    """Blocks → flowables. ``style`` is the paragraph style of the current container (body, box, quote)."""

    def __init__(self, styles: Styles, markup: Markup, width: float, toc: dict[str, TocEntry]):
        self.s = styles
        self.toc = toc  # anchor → table-of-contents entry: these get bookmarks
        self.m = markup
        self.width = width  # the frame width: images never exceed it
        self.depth = 0  # list nesting
        self.figures = 0
        self.alt_texts: list[tuple[str, str, str]] = []  # (label, alt, field) for the image descriptions

    def mark(self, anchor: str) -> Any:
        """A link destination at ``anchor``, bookmarked when the table of contents lists it."""
        entry = self.toc.get(anchor)
        return outline_mark(entry.title if entry else None, anchor, entry.level if entry else 0)

    def para(self, nodes: model.RichText, style: Any, prefix: str = "") -> Any:
        from reportlab.platypus import Paragraph

        stack, bold, italic = self.s.setting[style.name]
        return Paragraph(prefix + self.m.rich(nodes, stack, bold, italic), style)

    def plain_para(self, text: str, style: Any, prefix: str = "") -> Any:
        from reportlab.platypus import Paragraph

        stack, bold, italic = self.s.setting[style.name]
        return Paragraph(prefix + self.m.text(text, stack, bold, italic), style)

    # Inline nodes become paragraph markup through the shared styled spans (render/spans.py).
    def inline(self, node: model.Inline, style: Any) -> str:
        stack, bold, italic = self.s.setting[style.name]
        return self.m.rich((node,), stack, bold, italic)

    visit_Text = visit_Emphasis = visit_Strong = visit_Code = visit_Link = visit_LineBreak = inline

    def blocks(self, blocks: model.Blocks, style: Any) -> list[Any]:
        return [f for b in blocks for f in self.visit(b, style)]

    def visit_Paragraph(self, node: model.Paragraph, style: Any) -> list[Any]:
        return [self.para(node.children, style)]

    def visit_Heading(self, node: model.Heading, style: Any) -> list[Any]:
        style = self.s.headings.get(node.level, self.s.headings[4])
        stack, bold, italic = self.s.setting[style.name]
        return [self.mark(node.anchor), _heading_class()(self.m.rich(node.children, stack, bold, italic), style)]

    def _list(self, items: tuple[model.ListItem, ...], style: Any, ordered: bool, start: int = 1) -> list[Any]:
        from reportlab.platypus import ListFlowable, ListItem, Spacer

        self.depth += 1
        item_style = self.s.item if style is self.s.body else style
        # An empty item ("1." alone) gets a line for its number: an empty ListItem crashes reportlab's list.
        content = [ListItem(self.blocks(i.children, item_style) or [Spacer(1, item_style.leading)]) for i in items]
        self.depth -= 1
        size = item_style.fontSize
        common = dict(
            bulletFontName=self.s.bullet_font,  # never the default Helvetica
            bulletFontSize=size,
            bulletColor=self.s.color["accent"],
            leftIndent=size * (2.0 if ordered else 1.4),
            spaceAfter=style.spaceAfter if self.depth == 0 else 0,
        )
        if ordered:
            return [ListFlowable(content, bulletType="1", start=start, bulletFormat="%s.", **common)]
        return [ListFlowable(content, bulletType="bullet", start=BULLETS[min(self.depth, 2)], **common)]

    def visit_BulletList(self, node: model.BulletList, style: Any) -> list[Any]:
        return self._list(node.items, style, ordered=False)

    def visit_OrderedList(self, node: model.OrderedList, style: Any) -> list[Any]:
        return self._list(node.items, style, ordered=True, start=node.start)

    def visit_ListItem(self, node: model.ListItem, style: Any) -> list[Any]:
        return self.blocks(node.children, style)

    def visit_BlockQuote(self, node: model.BlockQuote, style: Any) -> list[Any]:
        from reportlab.platypus.doctemplate import Indenter

        quoted = self.blocks(node.children, self.s.quote)
        if self.depth > 0:
            # Inside a list item, reportlab draws the item's flowables directly and an Indenter
            # (a frame action, not a drawable) crashes it; the item is indented already.
            return quoted
        indent = self.s.body.fontSize * 1.8
        return [Indenter(left=indent, right=indent), *quoted, Indenter(-indent, -indent)]

    def visit_CodeBlock(self, node: model.CodeBlock, style: Any) -> list[Any]:
        from reportlab.pdfbase.pdfmetrics import stringWidth
        from reportlab.platypus import XPreformatted

        code = self.s.code
        # Preformatted text does not wrap: break long lines at the frame width (monospace: one width per char).
        per_line = max(20, int((self.width - 14) / stringWidth("M", code.fontName, code.fontSize)))
        lines = []
        for line in node.text.rstrip("\n").split("\n"):
            lines.extend([line[i:i + per_line] for i in range(0, len(line), per_line)] or [""])
        stack, bold, italic = self.s.setting["code"]
        return [XPreformatted(self.m.text("\n".join(lines), stack, bold, italic), code)]

    def visit_ThematicBreak(self, node: model.ThematicBreak, style: Any) -> list[Any]:
        from reportlab.platypus import HRFlowable

        return [HRFlowable(width="30%", thickness=0.6, color=self.s.color["rule"], spaceBefore=6, spaceAfter=10, hAlign="CENTER")]

    def visit_Figure(self, node: model.Figure, style: Any) -> list[Any]:
        self.figures += 1
        return self.figure(node.image, f"Figure {self.figures}")

    def figure(self, image: model.Image, label: str, key: str | None = None) -> list[Any]:
        """The picture, then caption and credit as two separate lines (never one for the other)."""
        from reportlab.platypus import Image, KeepTogether, Spacer

        base = self.m.field.split(".")[0]
        self.alt_texts.append((label, image.alt, f"{base}.alt"))
        max_h = self.width * (0.62 if key else 0.45)  # the lead photo may be tall; body figures stay modest
        scale = min(self.width / image.width, max_h / image.height)
        # From bytes, not a path: reportlab names a file's XObject after its path, which would make
        # the PDF depend on where the sources live; bytes are named after their content.
        picture = Image(io.BytesIO(image.path.read_bytes()), width=image.width * scale, height=image.height * scale, hAlign="LEFT")
        parts: list[Any] = [self.mark(key), picture] if key else [picture]
        if image.caption:
            self.m.field = f"{base}.caption"
            parts.append(self.plain_para(image.caption, self.s.caption))
        if image.credit:
            self.m.field = f"{base}.credit"
            parts.append(self.plain_para(image.credit, self.s.credit))
        self.m.field = base
        return [KeepTogether(parts), Spacer(1, 8)]


def article_flowables(article: model.Article, publication: model.Publication, labels: Labels, styles: Styles,
                      markup: Markup, width: float) -> list[Any]:
    """Every flowable of the article, in reading order; bookmarks follow ``outline.table_of_contents``."""
    from reportlab.platypus import HRFlowable, Paragraph, Spacer, Table, TableStyle

    s, m = styles, markup
    toc = {e.anchor: e for e in outline.table_of_contents(article, labels)}
    layout = BodyLayout(styles, markup, width, toc)
    flow: list[Any] = []

    m.field = "title"
    flow.append(layout.plain_para(publication.title, s.masthead))
    flow.append(HRFlowable(width="100%", thickness=2.2, color=s.color["text"], spaceBefore=2, spaceAfter=6))
    if article.section:
        m.field = "section"
        flow.append(layout.plain_para(article.section, s.section))
    m.field = "headline"
    flow.append(layout.mark(outline.HEADLINE_ID))
    flow.append(layout.plain_para(article.headline, s.headline))
    m.field = "summary"
    flow.append(layout.mark(outline.STANDFIRST_ID))
    flow.append(layout.para(article.summary, s.standfirst))

    m.field = "byline"
    by_stack, _, _ = s.setting["byline"]
    names = m.text(wording.byline_text(article.byline), by_stack, bold=True)
    flow.append(layout.mark(outline.BYLINE_ID))
    flow.append(Paragraph(f"{m.text(labels.by + ' ', by_stack)}{names}", s.byline))
    m.field = "dateline"
    meta = []
    if article.dateline:
        meta.append(m.text(article.dateline, by_stack, bold=True))
    meta.append(m.text(f"{labels.published} {wording.format_date(article.published, article.language)}", by_stack))
    if article.updated:
        meta.append(m.text(f"{labels.updated} {wording.format_date(article.updated, article.language)}", by_stack))
    flow.append(Paragraph(" \u00b7 ".join(meta), s.meta))

    if article.image:
        m.field = "image"
        flow.extend(layout.figure(article.image, labels.photo, outline.LEAD_IMAGE_ID))

    if article.why_this_matters:
        m.field = "why_this_matters"
        heading = layout.plain_para(labels.why_this_matters, s.box_heading)
        rows = [[heading]] + [[f] for f in layout.blocks(article.why_this_matters, s.box)]
        box = Table(rows, colWidths=[width], hAlign="LEFT", splitByRow=1)
        box.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), s.bullet_font),  # a table's cell font defaults to Helvetica
            ("BACKGROUND", (0, 0), (-1, -1), s.color["box"]),
            ("LINEBEFORE", (0, 0), (0, -1), 3, s.color["accent"]),
            ("LEFTPADDING", (0, 0), (-1, -1), 12),
            ("RIGHTPADDING", (0, 0), (-1, -1), 12),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ("TOPPADDING", (0, 0), (-1, 0), 9),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
        ]))
        flow.extend([layout.mark(outline.WHY_ID), box, Spacer(1, 12)])

    if article.takeaways:
        m.field = "takeaways"
        flow.append(layout.mark(outline.TAKEAWAYS_ID))
        flow.append(layout.plain_para(labels.takeaways, s.box_heading))
        items = [model.ListItem((model.Paragraph(t),)) for t in article.takeaways]
        flow.extend(layout._list(tuple(items), s.body, ordered=False))
        flow.append(HRFlowable(width="100%", thickness=0.6, color=s.color["rule"], spaceBefore=4, spaceAfter=12))

    m.field = "body"
    flow.extend(layout.blocks(article.body, s.body))

    flow.append(HRFlowable(width="100%", thickness=0.6, color=s.color["rule"], spaceBefore=10, spaceAfter=6))
    if article.tags:
        m.field = "tags"
        tags = " \u00b7 ".join(m.text(t, s.setting["small"][0]) for t in article.tags)
        flow.append(Paragraph(f"{m.text(labels.topics + ': ', s.setting['small'][0], bold=True)}{tags}", s.small))
    rights = article.rights or publication.rights
    if rights:
        m.field = "rights"
        flow.append(layout.plain_para(rights, s.small))
    if layout.alt_texts:  # the alt text, kept for readers who cannot see the pictures
        body_stack = s.setting["small_body"][0]
        flow.append(layout.plain_para(labels.image_descriptions, s.small_heading))
        for label, alt, field in layout.alt_texts:
            m.field = field
            flow.append(Paragraph(f"{m.text(label + ': ', body_stack, bold=True)}{m.text(alt, body_stack)}", s.small_body))
    return flow
