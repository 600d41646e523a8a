"""The article as WordprocessingML: every part named by its style id, in the shared reading order.

Nothing here sets a font, size or colour: the look comes from the reference
document. Import only at export time (python-docx and lxml are heavy).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from itertools import groupby
from typing import Any
from urllib.parse import urljoin

from docx import Document
from docx.oxml.ns import qn

from pressrun import model
from pressrun.errors import ExportError, Problem
from pressrun.exporters.base import ExportContext
from pressrun.exporters.docx import oxml
from pressrun.exporters.docx import styles as S
from pressrun.exporters.docx.package import reproducible_zip
from pressrun.exporters.docx.template import Template, load_template, reset_properties
from pressrun.render import outline, wording
from pressrun.render.dispatch import NodeVisitor
from pressrun.render.plain import plain
from pressrun.render.spans import Span, spans

EMU_PER_PX = 9525  # at 96 dpi, the size a browser shows the image at
MAX_HEIGHT_SHARE = 0.55  # a portrait image may take at most this share of the text height


@dataclass(frozen=True)
class Place:
    """Where a block sits: the style its paragraphs take there, and its list depth (-1: not in a list)."""

    style: str = S.BODY
    level: int = -1


class ArticleWriter(NodeVisitor):
    BLOCK_ONLY = True  # inline text is walked through render.spans, whose dispatch covers every inline node

    def __init__(self, doc: Any, template: Template, article: model.Article, ctx: ExportContext):
        self.doc, self.part, self.article, self.ctx = doc, doc.part, article, ctx
        self.labels = ctx.theme.labels
        self.body = doc.element.body
        self.numbering = doc.part.numbering_part.element
        self.abstract = template.abstract_nums
        self.base_url = ctx.publication.url(article.page_path)
        section = doc.sections[0]
        self.text_width = section.page_width - section.left_margin - section.right_margin
        self.max_height = int((section.page_height - section.top_margin - section.bottom_margin) * MAX_HEIGHT_SHARE)
        self.bookmarks = 0

    # --- paragraphs and runs --------------------------------------------------
    def add(self, style: str, text: str | None = None) -> Any:
        p = oxml.paragraph(style)
        if text:
            p.append(oxml.text_run(text))
        self.body.sectPr.addprevious(p)
        return p

    def inlines(self, p: Any, nodes: model.RichText) -> None:
        for href, group in groupby(spans(nodes), key=lambda s: s.href):
            runs = [self.run(s, linked=href is not None) for s in group]
            if href is None:
                p.extend(runs)
            elif href.startswith("#"):
                p.append(oxml.hyperlink(self.part, runs, anchor=oxml.bookmark_name(href[1:])))
            else:  # relative links point at the web edition's neighbours
                p.append(oxml.hyperlink(self.part, runs, url=urljoin(self.base_url, href)))

    def run(self, span: Span, linked: bool) -> Any:
        if span.is_break:
            return oxml.text_run("\n")
        if linked:
            toggles = tuple(t for t, on in (("b", span.bold), ("i", span.italic)) if on)
            return oxml.text_run(span.text, S.HYPERLINK, toggles)
        return oxml.text_run(span.text, S.char_style(span.bold, span.italic, span.code))

    def bookmark(self, p: Any, anchor: str) -> None:
        self.bookmarks += 1
        oxml.bookmark(p, oxml.bookmark_name(anchor), self.bookmarks)

    # --- the article in reading order (render.outline) ------------------------
    def write(self) -> None:
        a, labels = self.article, self.labels
        if a.section:
            self.add(S.KICKER, a.section)
        self.bookmark(self.add(S.HEADLINE, a.headline), outline.HEADLINE_ID)
        self.inlines(self.add(S.STANDFIRST), a.summary)
        if a.byline:
            self.add(S.BYLINE, f"{labels.by} {wording.byline_text(a.byline)}")
        if a.dateline:
            self.add(S.DATELINE, a.dateline)
        self.add(S.DATE, f"{labels.published} {wording.format_date(a.published, a.language)}")
        if a.updated:
            self.add(S.DATE, f"{labels.updated} {wording.format_date(a.updated, a.language)}")
        if a.image:
            self.figure(a.image)
        if a.why_this_matters:
            self.bookmark(self.add(S.WHY_HEADING, labels.why_this_matters), outline.WHY_ID)
            self.blocks(a.why_this_matters, Place(S.WHY_BODY))
        if a.takeaways:
            self.bookmark(self.add(S.TAKEAWAYS_HEADING, labels.takeaways), outline.TAKEAWAYS_ID)
            num = oxml.add_num(self.numbering, self.abstract[S.TAKEAWAY_BULLETS], 0, None)
            for takeaway in a.takeaways:
                p = self.add(S.TAKEAWAY)
                oxml.numbered(p, num, 0)
                self.inlines(p, takeaway)
        self.blocks(a.body, Place())

    def figure(self, image: model.Image) -> None:
        width = min(self.text_width, image.width * EMU_PER_PX)
        height = round(width * image.height / image.width)
        if height > self.max_height:
            width, height = round(self.max_height * image.width / image.height), self.max_height
        try:
            inline = self.part.new_pic_inline(str(image.path), width, height)
        except Exception as exc:  # python-docx raises its own types for unreadable images
            raise ExportError(Problem(str(self.article.source_path), f"cannot embed {image.src}: {exc}", "image")) from None
        oxml.set_alt_text(inline, image.alt)
        for side in ("distT", "distB", "distL", "distR"):  # LibreOffice otherwise adds 0.32 cm around it
            inline.set(side, "0")
        r = oxml.el("w:r")
        drawing = oxml.el("w:drawing")
        drawing.append(inline)
        r.append(drawing)
        self.add(S.FIGURE).append(r)
        if image.caption:
            self.add(S.CAPTION, image.caption)
        if image.credit:
            self.add(S.CREDIT, image.credit)

    # --- blocks ---------------------------------------------------------------
    def blocks(self, blocks: model.Blocks, place: Place) -> None:
        for block in blocks:
            self.visit(block, place)

    def visit_Paragraph(self, node: model.Paragraph, place: Place) -> None:
        self.inlines(self.add(place.style), node.children)

    def visit_Heading(self, node: model.Heading, place: Place) -> None:
        p = self.add(S.HEADINGS[node.level])
        self.inlines(p, node.children)
        self.bookmark(p, node.anchor)

    def visit_BulletList(self, node: model.BulletList, place: Place) -> None:
        level = min(place.level + 1, 8)
        num = oxml.add_num(self.numbering, self.abstract[S.BULLETS], level, None)
        for item in node.items:
            self.visit(item, num, level)

    def visit_OrderedList(self, node: model.OrderedList, place: Place) -> None:
        # A new list instance with its own start: a second list never continues the first.
        level = min(place.level + 1, 8)
        num = oxml.add_num(self.numbering, self.abstract[S.NUMBERS], level, node.start)
        for item in node.items:
            self.visit(item, num, level)

    def visit_ListItem(self, node: model.ListItem, num: int, level: int) -> None:
        inside = Place(S.LIST_CONTINUE[min(level, len(S.LIST_CONTINUE) - 1)], level)
        children = list(node.children)
        first = self.add(S.LIST_ITEM)
        oxml.numbered(first, num, level)
        if children and isinstance(children[0], model.Paragraph):
            self.inlines(first, children.pop(0).children)
        self.blocks(tuple(children), inside)

    def visit_BlockQuote(self, node: model.BlockQuote, place: Place) -> None:
        self.blocks(node.children, Place(S.QUOTE, place.level))

    def visit_CodeBlock(self, node: model.CodeBlock, place: Place) -> None:
        self.add(S.CODE).append(oxml.text_run(node.text.rstrip("\n")))

    def visit_ThematicBreak(self, node: model.ThematicBreak, place: Place) -> None:
        self.add(S.SEPARATOR)

    def visit_Figure(self, node: model.Figure, place: Place) -> None:
        self.figure(node.image)


def write_furniture(doc: Any, publication: str, page_label: str) -> None:
    """Header with the publication's name; footer with the theme's page label, its numbers as Word fields."""
    for section in doc.sections:
        header, footer = section.header, section.footer
        header.is_linked_to_previous = footer.is_linked_to_previous = False
        for story, style in ((header, S.HEADER), (footer, S.FOOTER)):
            for child in list(story._element):
                story._element.remove(child)
            story._element.append(oxml.paragraph(style))
        header._element[0].append(oxml.text_run(publication))
        p = footer._element[0]
        for piece in re.split(r"(\{pages?\})", page_label):
            if piece == "{page}":
                p.extend(oxml.field_runs("PAGE", "1"))
            elif piece == "{pages}":
                p.extend(oxml.field_runs("NUMPAGES", "1"))
            elif piece:
                p.append(oxml.text_run(piece))


def apply_language(doc: Any, tag: str) -> None:
    """``w:lang`` on the document defaults, every paragraph and character style, and the settings."""
    rtl = wording.is_rtl(tag)
    styles = doc.part._styles_part.element
    defaults = oxml.ensure_child(styles, "w:docDefaults", first=True)
    rpr = oxml.ensure_child(oxml.ensure_child(defaults, "w:rPrDefault", first=True), "w:rPr")
    oxml.set_lang(rpr, tag, rtl)
    if rtl:  # right-to-left paragraphs by default
        ppr = oxml.ensure_child(oxml.ensure_child(defaults, "w:pPrDefault"), "w:pPr")
        oxml.ensure_child(ppr, "w:bidi", first=True)
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) in ("paragraph", "character"):
            oxml.set_lang(style.get_or_add_rPr(), tag, rtl)
    settings = doc.part._settings_part.element
    old = settings.find(qn("w:themeFontLang"))
    if old is not None:
        old.set(qn("w:val"), tag)


def render_docx(article: model.Article, ctx: ExportContext) -> bytes:
    template = load_template(ctx.theme)
    doc = Document(io.BytesIO(template.data))
    ArticleWriter(doc, template, article, ctx).write()
    write_furniture(doc, ctx.publication.title, ctx.theme.labels.page)
    apply_language(doc, article.language)
    authors = article.byline or ctx.publication.authors
    reset_properties(
        doc,
        title=article.headline,
        author=wording.byline_text(authors),
        subject=plain(article.summary),
        keywords=", ".join(article.tags),
        language=article.language,
        identifier=article.id,
        category=article.section or "",
        created=article.published,
        modified=article.modified,
        comments=article.rights or "",
        company=ctx.publication.title,
    )
    buf = io.BytesIO()
    doc.save(buf)
    return reproducible_zip(buf.getvalue(), article.modified)
