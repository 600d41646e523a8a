"""The PDF edition (reportlab): print-quality, fonts embedded, every character with a real glyph.

Modules, one job each: ``fonts`` (registration, per-run font fallback),
``preflight`` (every character covered, or a located error), ``styles``
(paragraph styles from the theme), ``markup`` (rich text → paragraph markup),
``layout`` (the article as flowables), ``marks`` (bookmarks), ``keeps``
(keep-with-next chains reportlab cannot close; a guard against layout loops),
``document`` (page template, footer, metadata, dates) and ``xmp``. reportlab is imported
only inside functions: ``pressrun --help`` never loads it.
"""

from __future__ import annotations

from typing import Any

from pressrun import __version__, model, site
from pressrun.errors import ExportError, Problem
from pressrun.exporters.base import Exporter, Output
from pressrun.render import outline
from pressrun.model import iter_blocks
from pressrun.render.plain import plain


class PdfExporter(Exporter):
    name = "pdf"
    description = "Print edition: one PDF per article, fonts embedded, with bookmarks, links and metadata."
    order = 10

    def export_article(self, article: model.Article) -> list[Output]:
        from pressrun.exporters.pdf.styles import trim_hyphenation_cache

        data = self.render(article)
        trim_hyphenation_cache()
        return [
            Output(
                path=site.document_path("pdf", article.slug),
                data=data,
                media_type="application/pdf",
                article_id=article.id,
                label="PDF",
            )
        ]

    def render(self, article: model.Article) -> bytes:
        from pressrun.exporters.pdf.document import Footer, render_pdf
        from pressrun.exporters.pdf.fonts import FontStack
        from pressrun.exporters.pdf.layout import article_flowables
        from pressrun.exporters.pdf.markup import Markup
        from pressrun.exporters.pdf.preflight import preflight
        from pressrun.exporters.pdf.styles import Stacks, Styles
        from pressrun.exporters.pdf.xmp import DocumentFacts

        theme, publication = self.ctx.theme, self.ctx.publication
        if not hasattr(self, "_stacks"):  # once per exporter: the stacks memoise which font sets each character
            self._stacks = Stacks(FontStack(theme, "body"), FontStack(theme, "display"), FontStack(theme, "code"))
        stacks = self._stacks
        # Before any layout: a character no font has is a located error, never a silent box.
        preflight(article, publication, theme, {"body": stacks.body, "display": stacks.display, "code": stacks.code})

        styles = Styles(theme, stacks, article.language)
        page = theme.page
        width = _frame_width(page.size, page.margin_left_mm, page.margin_right_mm)
        markup = Markup(str(article.source_path), publication.url(article.page_path), _anchors(article), stacks.code,
                        theme.colors.link)
        footer = Footer(_footer(styles, markup, publication.title, theme.labels.page, width, page.margin_left_mm,
                                page.margin_bottom_mm))

        def make_flowables() -> list[Any]:
            flowables = article_flowables(article, publication, theme.labels, styles, markup, width)
            markup.check()  # belt and braces: the layout met a character the preflight did not see
            return flowables

        facts = DocumentFacts(
            title=article.headline,
            authors=tuple(a.name for a in article.byline) or (publication.title,),
            subject=plain(article.summary),
            keywords=article.tags,
            language=article.language,
            created=article.published,
            modified=article.modified,
            creator_tool=f"pressrun {__version__}",
            producer=f"pressrun {__version__} (reportlab)",
            identifier=article.id,
            rights=article.rights or publication.rights,
        )
        from reportlab.platypus.doctemplate import LayoutError

        from pressrun.exporters.pdf.keeps import LayoutStalled

        try:
            return render_pdf(
                make_flowables, facts, page.size,
                (page.margin_top_mm, page.margin_right_mm, page.margin_bottom_mm, page.margin_left_mm),
                initial_font=stacks.body.faces[0], footer=footer,
            )
        except LayoutStalled as exc:
            # reportlab went round in circles (keeps.py fixes the loops we know): a located failure, not a hang.
            raise ExportError(Problem(
                str(article.source_path), f"the PDF page layout failed ({exc}); report this article as a bug", "body",
            )) from None
        except LayoutError as exc:
            # reportlab could not fit something on a page (in practice: an unbroken "word" of hundreds of
            # letters in a heading or a quote that must stay with what follows). A located failure, not a crash.
            reason = str(exc).splitlines()[0]
            raise ExportError(Problem(
                str(article.source_path),
                f"the PDF page layout failed ({reason}); shorten the very long unbroken word or link text",
                "body",
            )) from None


def _anchors(article: model.Article) -> set[str]:
    """Named destinations the PDF will have (see layout.py): internal "#x" links may point at them."""
    names = {outline.HEADLINE_ID, outline.STANDFIRST_ID, outline.BYLINE_ID}
    if article.image:
        names.add(outline.LEAD_IMAGE_ID)
    if article.why_this_matters:
        names.add(outline.WHY_ID)
    if article.takeaways:
        names.add(outline.TAKEAWAYS_ID)
    names.update(b.anchor for b in iter_blocks(article.why_this_matters + article.body) if isinstance(b, model.Heading))
    return names


def _frame_width(size: str, left_mm: float, right_mm: float) -> float:
    from reportlab.lib.pagesizes import A4, LETTER

    return {"A4": A4, "Letter": LETTER}[size][0] - (left_mm + right_mm) * 72 / 25.4


def _footer(styles: Any, markup: Any, title: str, page_label: str, width: float, left_mm: float, bottom_mm: float) -> Any:
    """A function drawing "publication name ……… Page N of M" under a hairline, in the bottom margin."""
    from reportlab.platypus import Paragraph

    markup.field = "title"
    left_text = markup.text(title, styles.setting["footer"][0])
    x = left_mm * 72 / 25.4
    y = bottom_mm * 72 / 25.4 * 0.45

    def draw(canvas: Any, page: int, pages: int) -> None:
        right_text = markup.text(page_label.format(page=page, pages=pages), styles.setting["footer_right"][0])
        canvas.saveState()
        canvas.setStrokeColor(styles.color["rule"])
        canvas.setLineWidth(0.5)
        canvas.line(x, y + styles.footer.leading + 3, x + width, y + styles.footer.leading + 3)
        for text, style in ((left_text, styles.footer), (right_text, styles.footer_right)):
            p = Paragraph(text, style)
            p.wrapOn(canvas, width, styles.footer.leading * 2)
            p.drawOn(canvas, x, y)
        canvas.restoreState()

    return draw
