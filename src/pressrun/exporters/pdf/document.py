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

from pressrun.exporters.pdf.keeps import StallGuard, release_dangling_keep
from pressrun.exporters.pdf.xmp import DocumentFacts, pdf_date, xmp_packet

MM = 72 / 25.4


@dataclass(frozen=True)
class Footer:
    """Draws the running footer; ``draw(canvas, page, pages)`` is called once the page count is known."""

    draw: Callable[[Any, int, int], None]


def _canvas_class(facts: DocumentFacts, footer: Footer) -> type:
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
        """Holds pages back until the page count is known, then draws every footer ("Page N of M").

        One layout pass instead of two. reportlab names a destination after the page
        being written when ``bookmarkPage`` is called, so while pages are held back those
        calls are recorded with their page and replayed as each page is really emitted.
        Also puts the article's dates and the XMP packet in at the last moment.
        """

        _HELD = ("_held_pages", "_marks_here")

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]] = []
            self._marks_here: list[tuple[str, dict[str, Any]]] = []

        def bookmarkPage(self, key: str, **kwargs: Any) -> str:
            self._marks_here.append((key, kwargs))
            return key

        def showPage(self) -> None:
            state = {k: v for k, v in self.__dict__.items() if k not in self._HELD}
            self._held_pages.append((state, self._marks_here))
            self._marks_here = []
            self._startPage()

        def _emit_pages(self) -> None:
            held, total = self._held_pages, len(self._held_pages)
            for number, (state, marks) in enumerate(held, start=1):
                self.__dict__.update(state)
                for key, kwargs in marks:
                    Canvas.bookmarkPage(self, key, **kwargs)
                footer.draw(self, number, total)
                Canvas.showPage(self)

        def save(self) -> None:
            self._emit_pages()
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

    One pass: the canvas holds the pages back and draws "Page N of M" once it knows M
    (the footer sits in the margin, so it cannot change the page count).
    """
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4, LETTER
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    rl_config.useA85 = 0  # binary streams: smaller files, and no slow pure-Python ASCII85 encoding

    top, right, bottom, left = (m * MM for m in margins_mm)
    size = {"A4": A4, "Letter": LETTER}[page_size]

    class ArticleDoc(BaseDocTemplate):
        def __init__(self, buffer: io.BytesIO) -> None:
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
            self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
            self._stall = StallGuard()

        def handle_keepWithNext(self, flowables: list[Any]) -> None:
            release_dangling_keep(flowables)  # else a list item ending in a heading can loop (keeps.py)
            super().handle_keepWithNext(flowables)

        def handle_flowable(self, flowables: list[Any]) -> None:
            frame = getattr(self, "frame", None)  # none yet while the first page is being begun
            self._stall.step(self.page, frame._y if frame else -1.0, len(flowables))  # a located failure, not a hang
            super().handle_flowable(flowables)

    canvas_class = _canvas_class(facts, footer)
    with _article_epoch(facts.modified):
        buffer = io.BytesIO()
        ArticleDoc(buffer).build(make_flowables(), canvasmaker=canvas_class)
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
