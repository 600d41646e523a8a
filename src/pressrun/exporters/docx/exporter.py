"""``pressrun build --format docx``: one Word document per article."""

from __future__ import annotations

from pressrun import model, site
from pressrun.exporters.base import Exporter, Output

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocxExporter(Exporter):
    name = "docx"
    description = "Word document for editors (DOCX), styled by styles/reference.docx"
    order = 10

    def export_article(self, article: model.Article) -> list[Output]:
        from pressrun.exporters.docx.writer import render_docx  # python-docx loads only when used

        return [Output(path=site.document_path("docx", article.slug), data=render_docx(article, self.ctx),
                       media_type=MEDIA_TYPE, article_id=article.id,
                       label=self.ctx.theme.labels_for(article.language).word_download)]
