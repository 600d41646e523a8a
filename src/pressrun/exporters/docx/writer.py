"""The article as WordprocessingML: every part of the outline (``pressrun.outline``) named by its style id.

Nothing here sets a font, size or colour: the look comes from the reference
document. Import only at export time (python-docx and lxml are heavy).
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from itertools import groupby
from typing import Any
from urllib.parse import urljoin

from docx import Document
from docx.oxml.ns import qn

from pressrun import model, outline
from pressrun.errors import ExportError, Problem
from pressrun.exporters.base import ExportContext
from pressrun.exporters.docx import oxml, scripts
from pressrun.exporters.docx import styles as S
from pressrun.exporters.docx.furniture import label_text, write_furniture
from pressrun.exporters.docx.package import reset_properties, save
from pressrun.exporters.docx.template import Template, load_template
from pressrun.language import script_of
from pressrun.render import wording
from pressrun.render.dispatch import PartWriter
from pressrun.render.plain import plain
from pressrun.render.spans import Span, spans

EMU_PER_PX = 9525  # at 96 dpi, the size a browser shows the image at
MAX_HEIGHT_SHARE = 0.55  # a portrait image may take at most this share of the text height


@dataclass(frozen=True)
class Place:
    """Where a block sits: the style its paragraphs take there, and its list depth (-1: not in a list)."""

    style: str = S.BODY
    level: int = -1


class ArticleWriter(PartWriter):
    """Writes the article's parts into the document body, in reading order, one paragraph style per role."""

    BLOCK_ONLY = True  # inline text is walked through render.spans, whose dispatch covers every inline node

    def __init__(self, doc: Any, template: Template, article: model.Article, ctx: ExportContext):
        self.doc, self.part, self.article, self.ctx = doc, doc.part, article, ctx
        self.labels = ctx.theme.labels_for(article.language)
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
        """A run of ``span``; a phrase in another language ([שלום]{lang=he}) names it in ``w:lang``, in the slot
        Word reads for its script (``scripts`` then adds ``w:rtl``/``w:cs`` and fonts by its letters)."""
        if span.is_break:
            return oxml.text_run("\n")
        if linked:
            toggles = tuple(t for t, on in (("b", span.bold), ("i", span.italic)) if on)
            r = oxml.text_run(span.text, S.HYPERLINK, toggles)
        else:
            r = oxml.text_run(span.text, S.char_style(span.bold, span.italic, span.code))
        if span.language:
            oxml.set_lang(r.get_or_add_rPr(), span.language, *oxml.language_slots(span.language))
        return r

    def bookmark(self, p: Any, anchor: str) -> None:
        self.bookmarks += 1
        oxml.bookmark(p, oxml.bookmark_name(anchor), self.bookmarks)

    # --- the article's parts, in reading order (pressrun.outline) -------------
    def write(self) -> None:
        """Every part in reading order; each part's anchor bookmarks the first paragraph it wrote, so an
        internal link to any part (``#standfirst``, ``#story``…) lands in Word as on the web page."""
        for part in outline.article_parts(self.article):
            before = self.body.sectPr.getprevious()
            self.visit(part)
            first = self.body[0] if before is None else before.getnext()
            if part.anchor and first is not self.body.sectPr:
                self.bookmark(first, part.anchor)

    def visit_Kicker(self, part: outline.Kicker) -> None:
        self.add(S.KICKER, part.text)

    def visit_Headline(self, part: outline.Headline) -> None:
        self.add(S.HEADLINE, part.text)

    def visit_Standfirst(self, part: outline.Standfirst) -> None:
        self.inlines(self.add(S.STANDFIRST), part.children)

    def visit_Byline(self, part: outline.Byline) -> None:
        self.add(S.BYLINE, f"{getattr(self.labels, part.label)} {wording.byline_text(part.authors, part.language)}")

    def visit_Dates(self, part: outline.Dates) -> None:
        """The dateline, then one line for the publication date and one for the update, if any."""
        if part.dateline:
            self.add(S.DATELINE, part.dateline)
        self.add(S.DATE, f"{getattr(self.labels, part.label)} {wording.format_date(part.published, part.language)}")
        if part.updated:  # the part's second label
            self.add(S.DATE, f"{self.labels.updated} {wording.format_date(part.updated, part.language)}")

    def visit_LeadImage(self, part: outline.LeadImage) -> None:
        self.figure(part.image)

    def visit_WhyThisMatters(self, part: outline.WhyThisMatters) -> None:
        self.add(S.WHY_HEADING, getattr(self.labels, part.label))
        self.blocks(part.blocks, Place(S.WHY_BODY))

    def visit_Takeaways(self, part: outline.Takeaways) -> None:
        self.add(S.TAKEAWAYS_HEADING, getattr(self.labels, part.label))
        num = oxml.add_num(self.numbering, self.abstract[S.TAKEAWAY_BULLETS], 0, None)
        for takeaway in part.items:
            p = self.add(S.TAKEAWAY)
            oxml.numbered(p, num, 0)
            self.inlines(p, takeaway)

    def visit_Body(self, part: outline.Body) -> None:
        self.blocks(part.blocks, Place())

    def visit_Corrections(self, part: outline.Corrections) -> None:
        """One paragraph per notice (style Correction): its label in Strong, the date, then the text."""
        for notice in part.notices:
            p = self.add(S.CORRECTION)
            p.append(oxml.text_run(getattr(self.labels, notice.kind), S.STRONG))
            p.append(oxml.text_run(f" · {wording.format_date(notice.date, part.language)}{self.labels.colon}"))
            self.inlines(p, notice.text)

    def visit_Topics(self, part: outline.Topics) -> None:
        """Writes nothing in the body: a Word file carries its tags as the document's keywords
        (File > Properties), which ``render_docx`` sets from the same tags."""

    def visit_Rights(self, part: outline.Rights) -> None:
        """Writes nothing in the body: the rights line is the document's comments property
        (File > Properties), which ``render_docx`` sets from the same text."""

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
            self.visit(item, num, level, node.tight)

    def visit_OrderedList(self, node: model.OrderedList, place: Place) -> None:
        # A new list instance with its own start: a second list never continues the first.
        level = min(place.level + 1, 8)
        num = oxml.add_num(self.numbering, self.abstract[S.NUMBERS], level, node.start)
        for item in node.items:
            self.visit(item, num, level, node.tight)

    def visit_ListItem(self, node: model.ListItem, num: int, level: int, tight: bool) -> None:
        """The item's first paragraph carries the number; a tight list's items sit close together, a loose
        list's are spaced like body paragraphs (CommonMark decides tight or loose for the whole list)."""
        inside = Place(S.LIST_CONTINUE[min(level, len(S.LIST_CONTINUE) - 1)], level)
        children = list(node.children)
        first = self.add(S.LIST_ITEM if tight else S.LIST_ITEM_SPACED)
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


def apply_language(doc: Any, tag: str, slot: str | None = None) -> None:
    """``w:lang`` on the document defaults, every paragraph and character style, and the settings.

    ``slot`` is where most of the document's letters are (``scripts.Plan.dominant``): a complex script's
    language is also the ``w:bidi`` language (Word's name for the complex-script language, right-to-left or
    not), Chinese, Japanese and Korean also the ``w:eastAsia`` language.
    """
    bidi, east_asia = wording.is_rtl(tag) or slot == "cs", slot == scripts.EAST_ASIAN
    styles = doc.part._styles_part.element
    defaults = oxml.ensure_child(styles, "w:docDefaults", first=True)
    rpr = oxml.ensure_child(oxml.ensure_child(defaults, "w:rPrDefault", first=True), "w:rPr")
    oxml.set_lang(rpr, tag, bidi, east_asia)
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) in ("paragraph", "character"):
            oxml.set_lang(style.get_or_add_rPr(), tag, bidi, east_asia)
    settings = doc.part._settings_part.element
    old = settings.find(qn("w:themeFontLang"))
    if old is not None:
        old.set(qn("w:val"), tag)


def apply_direction(doc: Any, page_label: str) -> None:
    """A right-to-left article: every paragraph right to left (the document defaults) but code, which stays
    left to right (its styles say so); borders drawn on the start side (the right); right-to-left sections
    (page numbers and gutter on the right). The footer takes the direction of the page label's own words (its
    fields aside), so an English "Page 1 of 2" left as the fallback is not reordered into "1 Page 1 of".

    ``w:pBdr``'s ``left`` and ``right`` are sides of the page whatever the paragraph's direction (ECMA-376 Part 1,
    17.3.1.17 and 17.3.1.28; LibreOffice draws them so), hence the swap; ``w:ind``'s ``left`` and a list level's
    indent are the start side of a right-to-left paragraph already, so lists and quotes need nothing."""
    styles = doc.part._styles_part.element
    defaults = oxml.ensure_child(styles, "w:docDefaults", first=True)
    oxml.set_direction(oxml.ensure_child(oxml.ensure_child(defaults, "w:pPrDefault"), "w:pPr"), rtl=True)
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) != "paragraph":
            continue
        ident = style.get(qn("w:styleId"))
        if S.role(ident) == "code" or ident == S.FOOTER and not _starts_right_to_left(label_text(page_label)):
            oxml.set_direction(style.get_or_add_pPr(), rtl=False)
        elif style.pPr is not None:
            oxml.mirror_borders(style.pPr)
    for sect in doc.element.body.iter(qn("w:sectPr")):
        oxml.place(sect, oxml.el("w:bidi"), oxml.SECTPR_ORDER)


def _starts_right_to_left(text: str) -> bool:
    """Whether the first strongly directional character of ``text`` is right to left (UAX #9 rule P2)."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("L", "R", "AL"):
            return direction != "L"
    return True


def _other_language(tag: str, article_language: str) -> str | None:
    """``tag`` when it is another language or script than the article's (not ``en`` beside ``en-GB``), else None."""
    same = (wording.primary_language(tag), script_of(tag)) == (wording.primary_language(article_language),
                                                                script_of(article_language))
    return None if same else tag


def write_scripts(doc: Any, theme: Any, rtl: bool) -> str | None:
    """Fonts for the world's scripts (``scripts``): named in the styles where a slot allows it, on the runs
    where it does not; right-to-left and complex-script runs marked. Returns the document's main slot."""
    found = scripts.plan(doc, theme)
    if found is None:
        return None
    scripts.name_families_in_styles(doc, found)
    scripts.mark_runs(doc, found, rtl)
    return found.dominant


def render_docx(article: model.Article, ctx: ExportContext) -> bytes:
    """The article's Word file: the body from the reference's styles, then furniture, language and properties.

    The properties carry what the body does not: the tags (keywords) and the rights line (comments).
    Byline and rights fall back to the publication's when the article is read, not here.
    """
    template = load_template(ctx.theme)
    doc = Document(io.BytesIO(template.data))
    ArticleWriter(doc, template, article, ctx).write()
    page_label = ctx.theme.labels_for(article.language).page
    write_furniture(doc, ctx.publication.title, page_label, _other_language(ctx.publication.language, article.language))
    rtl = wording.is_rtl(article.language)
    slot = write_scripts(doc, ctx.theme, rtl)
    if rtl:
        apply_direction(doc, page_label)
    apply_language(doc, article.language, slot)
    reset_properties(
        doc,
        title=article.headline,
        author=wording.byline_text(article.byline, article.language),
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
    return save(doc, article.modified)
