"""The PDF edition (reportlab): print-quality, fonts embedded, every character with a real glyph.

Modules, one job each: ``fonts`` (the exporter's font registry, per-run font fallback),
``preflight`` (every character covered, or a located error), ``styles``
(paragraph styles from the theme), ``markup`` (rich text → paragraph markup, per source
field), ``phrases`` (a phrase marked in another language: its script's font, its own hyphenation),
``numerals`` (page and figure numbers in the locale's digits),
``layout`` (the article's parts as flowables), ``marks`` (destinations and bookmarks),
``keeps`` (a heading kept with the first lines of what follows; a guard against layout loops),
``document`` (page template, footer, metadata, dates) and ``xmp``. This module imports the
others only when it renders: ``pressrun --help`` never loads reportlab.

The PDF is tagged (PDF/UA-1, issue 20): ``structure`` is the structure tree the layout makes in reading
order, and ``tagging`` marks what is drawn as its elements' content, or as artifacts.

The world's scripts (issue 14) take a path of their own, chosen per paragraph by ``paragraphs``
(``scripts`` says which text needs it; Latin, Cyrillic, Greek, Armenian, Georgian… never do, and cost
what they always did): ``shapedtext`` analyses a paragraph once — ``bidi`` (UAX #9 levels, python-bidi),
``shaping`` (HarfBuzz), ``linebreak`` (UAX #14 by ICU, greedy filling) — and ``complex_paragraph`` lays
it out and draws it line by line in visual order, glyph by glyph through ``glyphs`` (subsets by glyph
id with ToUnicode maps, /ActualText where glyphs cannot say their text) and ``textops`` (TJ operators).

Speed (issue 19): the paragraph styles are made once per language, not once per article (``_styles``).
"""

from __future__ import annotations

from typing import Any

from pressrun import __version__, model, outline, site
from pressrun.errors import ExportError, Problem
from pressrun.exporters.base import ExportContext, Exporter, Output
from pressrun.exporters.pdf.fonts import FontRegistry
from pressrun.exporters.pdf.xmp import DocumentFacts
from pressrun.render.plain import plain


class PdfExporter(Exporter):
    name = "pdf"
    description = "Print edition: one PDF per article, fonts embedded, with bookmarks, links and metadata."
    order = 10
    apart = True  # the slowest edition of an article, and it needs nothing from the others

    def __init__(self, ctx: ExportContext):
        super().__init__(ctx)
        # The theme's fonts, registered on first use; their stacks memoise which font sets each character.
        self.fonts = FontRegistry()
        self._styles: dict[str, Any] = {}  # language → Styles: they depend on the theme and language only

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
        from reportlab.platypus.doctemplate import LayoutError

        from pressrun.exporters.pdf.document import frame_width, render_pdf, running_footer
        from pressrun.exporters.pdf.keeps import LayoutStalled
        from pressrun.exporters.pdf.layout import ArticleLayout
        from pressrun.exporters.pdf.marks import bookmarks
        from pressrun.exporters.pdf.markup import Markup
        from pressrun.exporters.pdf.preflight import preflight
        from pressrun.exporters.pdf.structure import StructTree
        from pressrun.exporters.pdf.styles import Stacks, Styles
        from pressrun.render.outline import table_of_contents

        theme, publication = self.ctx.theme, self.ctx.publication
        stacks = Stacks.of(self.fonts, theme)
        # Before any layout: a character no font has is a located error, never a silent box.
        preflight(article, publication, theme, stacks)

        styles = self._styles.get(article.language)
        if styles is None:
            styles = self._styles[article.language] = Styles(theme, stacks, article.language)
        width = frame_width(theme.page)
        tree = StructTree(article.language)
        markup = Markup(str(article.source_path), publication.url(article.page_path), outline.anchors(article),
                        stacks.code, theme.colors.link, article.language, tree)
        labels = theme.labels_for(article.language)
        footer = running_footer(styles, markup.at("title"), publication.title, labels.page, theme.page)
        layout = ArticleLayout(labels, styles, markup, width, bookmarks(table_of_contents(article, labels)))
        flowables = layout.article(article, publication.title)
        markup.check()  # belt and braces: the layout met a character the preflight did not see
        try:
            return render_pdf(flowables, _facts(article, publication), theme.page, stacks.body.faces[0], footer, tree)
        except LayoutStalled as exc:
            # reportlab went round in circles (keeps.py fixes the loops we know): a located failure, not a hang.
            raise _layout_failure(article, f"the PDF page layout failed ({exc}); report this article as a bug") from None
        except LayoutError as exc:
            # reportlab could not fit something on a page (in practice: an unbroken "word" of hundreds of
            # letters in a heading or a quote that must stay with what follows). A located failure, not a crash.
            reason = str(exc).splitlines()[0]
            raise _layout_failure(
                article, f"the PDF page layout failed ({reason}); shorten the very long unbroken word or link text",
            ) from None


def _facts(article: model.Article, publication: model.Publication) -> DocumentFacts:
    """The document's metadata (Info dictionary and XMP), all from the article."""
    return DocumentFacts(
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
        rights=article.rights,
    )


def _layout_failure(article: model.Article, message: str) -> ExportError:
    return ExportError(Problem(str(article.source_path), message, outline.Body.field))
