"""Styled spans: rich inline text flattened to runs with style flags (PDF and DOCX share it).

Formats whose text model is "runs with properties" (reportlab paragraphs,
Word runs) walk these spans instead of the inline tree.

Speed (issue 19): a span restyled without changes is built directly, not by ``dataclasses.replace``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pressrun import model
from pressrun.render.dispatch import NodeVisitor


@dataclass(frozen=True, slots=True)
class Span:
    text: str  # "\n" alone marks a hard line break
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None
    language: str | None = None  # a phrase marked in another language ([phrase]{lang=he}); None: the article's

    def style(self) -> tuple:
        return (self.bold, self.italic, self.code, self.href, self.language)

    def styled(self, text: str, **changes: object) -> "Span":
        """A span of ``text`` in this span's style, with ``changes`` applied."""
        if not changes:  # most calls (every text node, every merge): without dataclasses.replace's field walk
            return Span(text, self.bold, self.italic, self.code, self.href, self.language)
        return replace(self, text=text, **changes)

    @property
    def is_break(self) -> bool:
        return self.text == "\n" and not self.code


class _Flatten(NodeVisitor):
    INLINE_ONLY = True  # blocks are walked by each format's own block visitor

    def run(self, nodes: model.RichText, style: Span) -> list[Span]:
        return [s for n in nodes for s in self.visit(n, style)]

    def visit_Text(self, node: model.Text, style: Span) -> list[Span]:
        return [style.styled(node.text)]

    def visit_Emphasis(self, node: model.Emphasis, style: Span) -> list[Span]:
        return self.run(node.children, style.styled("", italic=True))

    def visit_Strong(self, node: model.Strong, style: Span) -> list[Span]:
        return self.run(node.children, style.styled("", bold=True))

    def visit_Code(self, node: model.Code, style: Span) -> list[Span]:
        return [style.styled(node.text, code=True, language=None)]  # code is in no natural language

    def visit_Link(self, node: model.Link, style: Span) -> list[Span]:
        return self.run(node.children, style.styled("", href=node.href))

    def visit_LanguageSpan(self, node: model.LanguageSpan, style: Span) -> list[Span]:
        return self.run(node.children, style.styled("", language=node.language))

    def visit_LineBreak(self, node: model.LineBreak, style: Span) -> list[Span]:
        return [Span("\n")]


def spans(nodes: model.RichText) -> list[Span]:
    """Flatten inline nodes into styled spans, merging neighbours of the same style."""
    out: list[Span] = []
    for span in _Flatten().run(nodes, Span("")):
        if not span.text:
            continue
        last = out[-1] if out else None
        if last and not last.is_break and not span.is_break and last.style() == span.style():
            out[-1] = last.styled(last.text + span.text)
        else:
            out.append(span)
    return out
