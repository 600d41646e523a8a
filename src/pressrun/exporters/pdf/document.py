"""The PDF document: page template, running footer ("Page N of M" in the article's language), outline, metadata and
dates, and what a tagged PDF (PDF/UA-1) asks of the canvas: the structure tree, marked content (tagging.py), the
footer as an artifact, the pages' /StructParents and /Tabs /S, each link annotation's /StructParent and /Contents.

reportlab traps avoided here: the canvas's initial font is a registered TTF
(never Helvetica); Title/Author are set (never "(anonymous)"); /Lang and
DisplayDocTitle are set; output is invariant and its dates and /ID come from
the article, never from the clock or the environment (SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import functools
import hashlib
import io
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfbase.pdfdoc import (XMP, LinkAnnotation, PDFDate, PDFDictionary, PDFInfo, PDFName, PDFPage,
                                      PDFStreamFilterZCompress, PDFString)
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from pressrun.exporters.pdf.keeps import StallGuard, keep_with_next
from pressrun.exporters.pdf.markup import FieldMarkup
from pressrun.render.numerals import number as local_number
from pressrun.exporters.pdf.styles import Styles
from pressrun.exporters.pdf.structure import StructTree, write
# Installed in reportlab when imported (speed, issue 19): its objects written, its font subsets found and made, faster.
from pressrun.exporters.pdf.objects import format_object  # noqa: F401
from pressrun.exporters.pdf.subsets import FontProgram
from pressrun.exporters.pdf.tagging import CALLBACK, Tagger
from pressrun.exporters.pdf.xmp import DocumentFacts, pdf_date, xmp_packet
from pressrun.theme import PageSetup

# reportlab's settings are process-wide: set once, when the PDF exporter first needs this module.
rl_config.useA85 = 0  # binary streams: smaller files, and no slow pure-Python ASCII85 encoding

MM = 72 / 25.4
PAGE_SIZES = {"A4": A4, "Letter": LETTER}


def frame_width(page: PageSetup) -> float:
    """The width text and pictures are set in: the page less its side margins."""
    return PAGE_SIZES[page.size][0] - (page.margin_left_mm + page.margin_right_mm) * MM


@dataclass(frozen=True)
class Footer:
    """Draws the running footer; ``draw(canvas, page, pages)`` is called once the page count is known."""

    draw: Callable[[Any, int, int], None]


def running_footer(styles: Styles, m: FieldMarkup, title: str, page_label: str, page: PageSetup) -> Footer:
    """"Publication name ……… Page N of M" under a hairline, in the bottom margin, in the article's language.

    The counter is the ``page`` label with the numbers where it puts them ("{pages} ページ中 {page} ページ"),
    in the digits of the article's locale. Right to left, the footer is mirrored: both lines are set right to
    left, so the name (at the start) is on the right and the counter on the left."""
    left_text = m.text(title, styles.setting["footer"][0])
    counter_markup = m.markup.at("labels.page")
    width = frame_width(page)
    x = page.margin_left_mm * MM
    y = page.margin_bottom_mm * MM * 0.45

    def draw(canvas: Any, number: int, pages: int) -> None:
        right_text = counter_markup.text(page_counter(page_label, number, pages, styles.language),
                                         styles.setting["footer_right"][0])
        canvas.saveState()
        canvas.setStrokeColor(styles.color["rule"])
        canvas.setLineWidth(0.5)
        canvas.line(x, y + styles.footer.leading + 3, x + width, y + styles.footer.leading + 3)
        # The name and the counters repeat on every page and article: each made and wrapped once (styles.repeated).
        # Right to left, the name sits on the right.
        for p in (styles.repeated(left_text, styles.footer), styles.repeated(right_text, styles.footer_right)):
            p.wrapOn(canvas, width, styles.footer.leading * 2)
            p.drawOn(canvas, x, y)
        canvas.restoreState()

    return Footer(draw)


@functools.lru_cache(maxsize=1024)  # the same few counters on every article's pages: worded (CLDR) once
def page_counter(label: str, page: int, pages: int, language: str) -> str:
    """The ``page`` label filled in: "Page 2 of 3", "Страница 2 из 3", "الصفحة ٢ من ٣" (digits of the locale)."""
    return label.format(page=local_number(page, language), pages=local_number(pages, language))


class DatedInfo(PDFInfo):
    """The Info dictionary with the article's dates instead of the build's clock."""

    def __init__(self, info: PDFInfo, created: datetime, modified: datetime):
        super().__init__()
        self.__dict__.update(info.__dict__)  # what the document template set: title, author, subject…
        self.article_dates = created, modified

    def format(self, document: Any) -> bytes:
        created, modified = (PDFString(pdf_date(d)) for d in self.article_dates)
        data = super().format(document)
        # PDFInfo writes the same timestamp twice; replace both by the article's dates.
        stamp = PDFDate(ts=document._timeStamp).format(document)
        return data.replace(b"/CreationDate " + stamp, b"/CreationDate " + created.format(document), 1).replace(
            b"/ModDate " + stamp, b"/ModDate " + modified.format(document), 1
        )


def _document_signature(moment: datetime) -> Any:
    """What reportlab seeds the file's /ID with when SOURCE_DATE_EPOCH is ``moment``: the same bytes as a
    reproducible build of the article's date gives, without touching the process's environment."""
    signature = hashlib.md5(usedforsecurity=False)
    signature.update(b"a reportlab document")
    signature.update(str(int(moment.timestamp())).encode("ascii"))
    return signature


class _QuickFlate(PDFStreamFilterZCompress):
    """FlateDecode at zlib level 1: for font programs (~80 % of an article's bytes) 2.3× faster than reportlab's
    level 6 for ~3 % more bytes (DejaVu subsets). A font program made before (subsets.py) was deflated before."""

    def encode(self, text: bytes | str) -> bytes:
        deflated = getattr(text, "deflated", None)
        if deflated is None:
            deflated = zlib.compress(text.encode("utf-8") if isinstance(text, str) else text, 1)
            if isinstance(text, FontProgram):
                text.deflated = deflated
        return deflated


class _QuickFontStreams:
    """Posed as the last delayed font: when the document is written, every font has added its embedded font
    program (reportlab names them "fontFile:…"); these are then deflated by ``_QuickFlate``."""

    quick = [_QuickFlate()]

    def addObjects(self, doc: Any) -> None:
        for name, stream in doc.idToObject.items():
            if name.startswith("fontFile:") and stream.filters:
                stream.filters = self.quick


_QUICK_FONT_STREAMS = _QuickFontStreams()


class ArticleCanvas(Canvas):
    """Holds pages back until the page count is known, then draws every footer ("Page N of M"); tags it all.

    One layout pass instead of two (reportlab's "page N of M" recipe: each page's state is kept and
    restored when the page is really emitted). reportlab names a destination after the page being
    written when ``bookmarkPage`` is called, so while pages are held back those calls are recorded
    with their page and replayed as each page is emitted. The document's /ID, dates and XMP packet
    come from the article (``facts``). Its ``tagger`` marks what is drawn (tagging.py); at save the
    structure tree (``tree``) goes into the catalog with what PDF/UA asks around it.
    """

    _HELD = ("_held_pages", "_marks_here", "_links")

    def __init__(self, *args: Any, facts: DocumentFacts, footer: Footer, tree: StructTree, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._facts, self._footer, self._tree = facts, footer, tree
        self._doc.signature = _document_signature(facts.modified)  # nothing is in it yet but reportlab's clock
        self._held_pages: list[tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]] = []
        self._marks_here: list[tuple[str, dict[str, Any]]] = []
        self._links: list[Any] = []  # the link annotations, in the order they were made
        self.tagger = Tagger(tree, self)
        self.setNamedCB(CALLBACK, self.tagger.callback)

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> Any:
        text_object = super().beginText(x, y, direction)
        self.tagger.new_text(text_object)
        return text_object

    def drawText(self, text_object: Any) -> None:
        self.tagger.text(str(text_object.getCode()))

    def _addAnnotation(self, annotation: Any, name: str | None = None, addtopage: int = 1) -> None:
        super()._addAnnotation(annotation, name, addtopage)
        name = name or f"NUMBER{self._annotationCount}"
        description = self.tagger.owner(name).alt or "link"  # PDF/UA 7.18.5: a link says where it goes
        if isinstance(annotation, LinkAnnotation):
            annotation.Contents = description
        else:
            annotation["Contents"] = PDFString(description)
        self._links.append(annotation)

    def bookmarkPage(self, key: str, **kwargs: Any) -> str:
        self._marks_here.append((key, kwargs))
        return key

    def showPage(self) -> None:
        self.tagger.end_page()
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
            self._code.append("/Artifact <</Type /Pagination /Subtype /Footer>> BDC")
            self._footer.draw(self, number, total)
            self._code.append("EMC")
            Canvas.showPage(self)
            page = self._doc.Pages.pages[-1]
            # PDF/UA: the page says where its marked content's elements are, and tabs follow the structure.
            page.__NoDefault__ = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]
            page.StructParents, page.Tabs = number - 1, PDFName("S")

    def _tag_document(self) -> None:
        """The structure tree into the catalog, each link annotation's place in it, and the tagged-PDF flag."""
        pages = self.tagger.finish(len(self._held_pages))
        for key, annotation in enumerate(self._links, start=len(pages)):
            if isinstance(annotation, LinkAnnotation):
                annotation.permitted = (*LinkAnnotation.permitted, "StructParent")
                annotation.otherkw["StructParent"] = key
            else:
                annotation["StructParent"] = key
        refs = {name: self._doc.refAnnotation(name) for name, _ in self.tagger.annotations}
        self._doc.Catalog.StructTreeRoot = write(self._tree, pages, self.tagger.annotations, refs, self._doc)
        self._doc.Catalog.MarkInfo = PDFDictionary({"Marked": "true"})

    def save(self) -> None:
        self._emit_pages()
        self._tag_document()
        self._doc.delayedFonts.append(_QUICK_FONT_STREAMS)  # after every font has added its streams
        facts = self._facts
        self._doc.info = DatedInfo(self._doc.info, facts.created, facts.modified)
        self._doc.Catalog.Metadata = XMP(creator=lambda doc: xmp_packet(facts).encode("utf-8"))
        self.showOutline()  # open the bookmarks panel: the outline is the article's table of contents
        super().save()


class ArticleDoc(BaseDocTemplate):
    """One frame per page, inside the theme's margins. A heading is kept with the first lines of what follows
    (keeps.py), and a layout that stops moving is stopped (``LayoutStalled``) instead of looping."""

    def __init__(self, buffer: io.BytesIO, facts: DocumentFacts, page: PageSetup, initial_font: str) -> None:
        size = PAGE_SIZES[page.size]
        top, right, bottom, left = (m * MM for m in (page.margin_top_mm, page.margin_right_mm,
                                                     page.margin_bottom_mm, page.margin_left_mm))
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
        keep_with_next(flowables)  # a heading with the first lines of what follows (keeps.py)

    def handle_flowable(self, flowables: list[Any]) -> None:
        frame = getattr(self, "frame", None)  # none yet while the first page is being begun
        self._stall.step(self.page, frame._y if frame else -1.0, len(flowables))  # a located failure, not a hang
        super().handle_flowable(flowables)


def render_pdf(flowables: list[Any], facts: DocumentFacts, page: PageSetup, initial_font: str, footer: Footer,
               tree: StructTree) -> bytes:
    """Lay the flowables out and return the PDF bytes.

    One pass: the canvas holds the pages back and draws "Page N of M" once it knows M
    (the footer sits in the margin, so it cannot change the page count).
    """
    buffer = io.BytesIO()
    canvas = functools.partial(ArticleCanvas, facts=facts, footer=footer, tree=tree)
    ArticleDoc(buffer, facts, page, initial_font).build(flowables, canvasmaker=canvas)
    return buffer.getvalue()
