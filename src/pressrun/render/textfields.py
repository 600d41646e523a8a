"""Every piece of text an article shows, with the field it comes from.

Checks that must see *all* the text (a glyph preflight, a spell checker, a
length limit) walk this list instead of re-deciding which fields exist. The
``kind`` says how a format will typically set the text: as running text, as a
heading or caption ("display"), or as code (monospace).

:class:`TextFields` visits the article's parts (``pressrun.outline``) in reading
order and their blocks through the same dispatch; inline text is flattened into
styled runs by ``render.spans``, as the PDF and DOCX set it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from pressrun import model, outline
from pressrun.render.dispatch import PartWriter
from pressrun.render.spans import spans

Kind = Literal["text", "display", "code"]


@dataclass(frozen=True)
class TextField:
    field: str  # the source field, e.g. "headline", "body", "image.alt"
    text: str
    kind: Kind = "text"


def _rich(field: str, nodes: model.RichText, kind: Kind = "text") -> list[TextField]:
    return [TextField(field, s.text, "code" if s.code else kind) for s in spans(nodes) if not s.is_break]


def _image(field: str, image: model.Image) -> list[TextField]:
    found = [TextField(f"{field}.alt", image.alt, "text")]
    if image.caption:
        found.append(TextField(f"{field}.caption", image.caption, "display"))
    if image.credit:
        found.append(TextField(f"{field}.credit", image.credit, "display"))
    return found


class TextFields(PartWriter):
    """Every part's text fields, in reading order: a visit returns the fields a part (or a block of it,
    reported against the part's ``field``) shows. Inlines are flattened by ``spans``, hence ``BLOCK_ONLY``."""

    BLOCK_ONLY = True

    def fields(self, article: model.Article) -> Iterator[TextField]:
        for found in self.parts(article):
            yield from found

    # --- parts ----------------------------------------------------------------
    def visit_Kicker(self, part: outline.Kicker) -> list[TextField]:
        return [TextField(part.field, part.text, "display")]

    visit_Headline = visit_Kicker

    def visit_Standfirst(self, part: outline.Standfirst) -> list[TextField]:
        return _rich(part.field, part.children)

    def visit_Byline(self, part: outline.Byline) -> list[TextField]:
        return [TextField(part.field, author.name, "display") for author in part.authors]

    def visit_Dates(self, part: outline.Dates) -> list[TextField]:
        # The dates are worded from the theme's labels and the date format; only the dateline is source text.
        return [TextField(part.field, part.dateline, "display")] if part.dateline else []

    def visit_LeadImage(self, part: outline.LeadImage) -> list[TextField]:
        return _image(part.field, part.image)

    def visit_WhyThisMatters(self, part: outline.WhyThisMatters | outline.Body) -> list[TextField]:
        return self.blocks(part.blocks, part.field)

    visit_Body = visit_WhyThisMatters

    def visit_Takeaways(self, part: outline.Takeaways) -> list[TextField]:
        return [f for takeaway in part.items for f in _rich(part.field, takeaway)]

    def visit_Corrections(self, part: outline.Corrections) -> list[TextField]:
        # The label and the date are the theme's words; the notice's text is source text.
        return [f for index, notice in enumerate(part.notices, start=1) for f in _rich(f"{part.field}[{index}].text", notice.text)]

    def visit_Topics(self, part: outline.Topics) -> list[TextField]:
        return [TextField(part.field, tag, "display") for tag in part.tags]

    def visit_Rights(self, part: outline.Rights) -> list[TextField]:
        return [TextField(part.field, part.text, "display")]

    # --- blocks, in document order ----------------------------------------------
    def blocks(self, blocks: tuple[model.Block, ...], field: str) -> list[TextField]:
        return [f for block in blocks for f in self.visit(block, field)]

    def visit_Paragraph(self, node: model.Paragraph, field: str) -> list[TextField]:
        return _rich(field, node.children)

    def visit_Heading(self, node: model.Heading, field: str) -> list[TextField]:
        return _rich(field, node.children, "display")

    def visit_BulletList(self, node: model.BulletList | model.OrderedList, field: str) -> list[TextField]:
        return [f for item in node.items for f in self.visit(item, field)]

    visit_OrderedList = visit_BulletList

    def visit_ListItem(self, node: model.ListItem | model.BlockQuote, field: str) -> list[TextField]:
        return self.blocks(node.children, field)

    visit_BlockQuote = visit_ListItem

    def visit_CodeBlock(self, node: model.CodeBlock, field: str) -> list[TextField]:
        return [TextField(field, node.text, "code")]

    def visit_ThematicBreak(self, node: model.ThematicBreak, field: str) -> list[TextField]:
        return []

    def visit_Figure(self, node: model.Figure, field: str) -> list[TextField]:
        return _image(field, node.image)


def text_fields(article: model.Article) -> Iterator[TextField]:
    """Every text field of the article in reading order (empty fields are skipped)."""
    return TextFields().fields(article)
