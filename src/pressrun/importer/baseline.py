"""The current source as the DOCX shows it: pressrun's own export of it, read back by the import's reader.

Comparing the editor's DOCX with this (and not with the source's Markdown) makes an unchanged part compare
equal whatever the DOCX cannot carry (a link's title, a code block's language, how the Markdown was spelt),
and whatever Word or LibreOffice changed on saving that the reader looks through. For the body and
why-this-matters, each top-level Markdown block of the source is rendered on its own, so every paragraph of
the export is known to come from one block of the source.
"""

from __future__ import annotations

import io
from dataclasses import replace

from pressrun import model, outline
from pressrun.exporters.base import ExportContext
from pressrun.importer.document import Document, read_document
from pressrun.importer.paragraphs import Para
from pressrun.importer.styles import Role


def render(article: model.Article, ctx: ExportContext) -> Document:
    """The article's DOCX (as ``pressrun build`` writes it), read back."""
    from pressrun.exporters.docx.writer import render_docx  # python-docx loads only when used

    return read_document(render_docx(article, ctx), str(article.source_path))


def render_chunks(article: model.Article, ctx: ExportContext, chunks: list[model.Blocks], why: bool) -> tuple[list[Para], list[int]]:
    """The paragraphs the DOCX writer makes of ``chunks`` (a field's top-level Markdown blocks, each a tuple of
    model blocks), and for each paragraph the chunk it came from."""
    from docx import Document as WordDocument

    from pressrun.exporters.docx.template import load_template
    from pressrun.exporters.docx.writer import ArticleWriter

    template = load_template(ctx.theme)
    doc = WordDocument(io.BytesIO(template.data))
    writer = ArticleWriter(doc, template, article, ctx)
    body = doc.element.body
    owners: list[int] = []
    for index, chunk in enumerate(chunks):
        before = len(body)
        writer.visit(outline.WhyThisMatters(chunk) if why else outline.Body(chunk))
        made = len(body) - before
        owners += ([-1] if why and made else []) + [index] * (made - (1 if why and made else 0))
    buf = io.BytesIO()
    doc.save(buf)
    paras = read_document(buf.getvalue(), str(article.source_path)).paras
    kept = [(field_para(p), owner) for p, owner in zip(paras, owners) if owner >= 0]
    return [p for p, _ in kept], [o for _, o in kept]


def field_para(para: Para) -> Para:
    """A why-this-matters paragraph is a plain paragraph of its field."""
    if para.role is not None and para.role.kind == "why":
        return replace(para, role=Role("body"))
    return para
