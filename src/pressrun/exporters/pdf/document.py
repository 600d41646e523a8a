"""The PDF document: page template, running footer ("Page N of M"), outline, metadata and dates.

reportlab traps avoided here: the canvas's initial font is a registered TTF
(never Helvetica); Title/Author are set (never "(anonymous)"); /Lang and
DisplayDocTitle are set; output is invariant and its dates come from the
article, not the clock.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from dataclasses import dataclass
from typing import Any

from pressrun.exporters.pdf.xmp import DocumentFacts, pdf_date, xmp_packet

MM = 72 / 25.4


@dataclass(frozen=True)
class Footer:
    """Draws the running footer; ``draw(canvas, page, pages)`` is called once the page count is known."""

    draw: Callable[[Any, int, int], None]


def _canvas_class(facts: DocumentFacts) -> type:
    from reportlab.pdfbase.pdfdoc import XMP, PDFDate, PDFInfo, PDFString
    from reportlab.pdfgen.canvas import Canvas

    class DatedInfo(PDFInfo):
        """The Info dictionary with the article's dates instead of the build's clock."""

        def format(self, document: Any) -> bytes:
            created, modified = PDFString(pdf_date(facts.created)), PDFString(pdf_date(facts.modified))
            data = super().format(document)
            # PDFInfo writes the same timestamp twice; replace both by the article's dates.
            stamp = PDFDate(ts=document._timeStamp).format(document)
            return data.replace(b"/CreationDate " + stamp, b"/CreationDate " + created.format(document), 1).replace(
                b"/ModDate " + stamp, b"/ModDate " + modified.format(document), 1
            )

    class ArticleCanvas(Canvas):
        """Puts the article's dates and the XMP packet in at the last moment."""

        def save(self) -> None:
            info = DatedInfo()
            info.__dict__.update(self._doc.info.__dict__)
            self._doc.info = info
            self._doc.Catalog.Metadata = XMP(creator=lambda doc: xmp_packet(facts).encode("utf-8"))
            self.showOutline()  # open the bookmarks panel: the outline is the article's table of contents
            super().save()

    return ArticleCanvas


def render_pdf(
    make_flowables: Callable[[], list[Any]],
    facts: DocumentFacts,
    page_size: str,
    margins_mm: tuple[float, float, float, float],
    initial_font: str,
    footer: Footer,
) -> bytes:
    """Lay the flowables out and return the PDF bytes.

    Two passes: the first counts the pages, the second draws "Page N of M". (Holding
    pages back in the canvas instead would point every bookmark at page 1.) The
    footer sits in the margin, so it cannot change the page count.
    """
    from reportlab.lib.pagesizes import A4, LETTER
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    top, right, bottom, left = (m * MM for m in margins_mm)
    size = {"A4": A4, "Letter": LETTER}[page_size]

    class ArticleDoc(BaseDocTemplate):
        def __init__(self, buffer: io.BytesIO, pages: int) -> None:
            super().__init__(
                buffer,
                pagesize=size,
                leftMargin=left, rightMargin=right, topMargin=top, bottomMargin=bottom,
                title=facts.title,
                author=", ".join(facts.authors),
                subject=facts.subject,
                keywords=list(facts.keywords),
                creator=facts.creator_tool,
                producer=facts.producer,
                lang=facts.language,
                displayDocTitle=True,
                initialFontName=initial_font,  # otherwise the canvas declares (unembedded) Helvetica
                invariant=1,  # no clock, no random ids: the same article gives the same bytes
                pageCompression=1,
            )
            frame = Frame(left, bottom, size[0] - left - right, size[1] - top - bottom, id="story",
                          leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
            self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=self.footer)])
            self.pages = pages

        def footer(self, canvas: Any, doc: Any) -> None:
            footer.draw(canvas, doc.page, self.pages)

    canvas_class = _canvas_class(facts)
    with _article_epoch(facts.modified):
        counting = ArticleDoc(io.BytesIO(), 0)
        counting.build(make_flowables(), canvasmaker=canvas_class)
        buffer = io.BytesIO()
        ArticleDoc(buffer, counting.page).build(make_flowables(), canvasmaker=canvas_class)
    return buffer.getvalue()


@contextmanager
def _article_epoch(moment: datetime) -> Iterator[None]:
    """reportlab reads SOURCE_DATE_EPOCH into the file's /ID; make it the article's date, not the caller's."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
