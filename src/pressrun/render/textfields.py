"""Every piece of text an article shows, with the field it comes from.

Checks that must see *all* the text (a glyph preflight, a spell checker, a
length limit) walk this list instead of re-deciding which fields exist. The
``kind`` says how a format will typically set the text: as running text, as a
heading or caption ("display"), or as code (monospace).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from pressrun import model
from pressrun.model import iter_blocks
from pressrun.render.spans import spans

Kind = Literal["text", "display", "code"]


@dataclass(frozen=True)
class TextField:
    field: str  # the source field, e.g. "headline", "body", "image.alt"
    text: str
    kind: Kind = "text"


def _rich(field: str, nodes: model.RichText, kind: Kind = "text") -> Iterator[TextField]:
    for span in spans(nodes):
        if not span.is_break:
            yield TextField(field, span.text, "code" if span.code else kind)


def _image(field: str, image: model.Image) -> Iterator[TextField]:
    yield TextField(f"{field}.alt", image.alt, "text")
    if image.caption:
        yield TextField(f"{field}.caption", image.caption, "display")
    if image.credit:
        yield TextField(f"{field}.credit", image.credit, "display")


def _blocks(field: str, blocks: model.Blocks) -> Iterator[TextField]:
    for block in iter_blocks(blocks):
        if isinstance(block, model.Heading):
            yield from _rich(field, block.children, "display")
        elif isinstance(block, model.Paragraph):
            yield from _rich(field, block.children)
        elif isinstance(block, model.CodeBlock):
            yield TextField(field, block.text, "code")
        elif isinstance(block, model.Figure):
            yield from _image(field, block.image)


def text_fields(article: model.Article) -> Iterator[TextField]:
    """Every text field of the article in reading order (empty fields are skipped)."""
    if article.section:
        yield TextField("section", article.section, "display")
    yield TextField("headline", article.headline, "display")
    yield from _rich("summary", article.summary)
    for author in article.byline:
        yield TextField("byline", author.name, "display")
    if article.dateline:
        yield TextField("dateline", article.dateline, "display")
    if article.image:
        yield from _image("image", article.image)
    yield from _blocks("why_this_matters", article.why_this_matters)
    for takeaway in article.takeaways:
        yield from _rich("takeaways", takeaway)
    yield from _blocks("body", article.body)
    for tag in article.tags:
        yield TextField("tags", tag, "display")
    if article.rights:
        yield TextField("rights", article.rights, "display")
