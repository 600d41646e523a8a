"""Plain-text rendering: metadata fields, search text, tests."""

from __future__ import annotations

from pressrun import model
from pressrun.render.dispatch import NodeVisitor


class PlainText(NodeVisitor):
    def inlines(self, nodes: model.RichText) -> str:
        return "".join(self.visit(n) for n in nodes)

    def visit_Text(self, node: model.Text) -> str:
        return node.text

    def visit_Emphasis(self, node: model.Emphasis) -> str:
        return self.inlines(node.children)

    visit_Strong = visit_Emphasis
    visit_Link = visit_Emphasis
    visit_LanguageSpan = visit_Emphasis

    def visit_Code(self, node: model.Code) -> str:
        return node.text

    def visit_LineBreak(self, node: model.LineBreak) -> str:
        return "\n"

    # Blocks render to a list of paragraphs (strings).
    def blocks(self, blocks: model.Blocks) -> list[str]:
        out: list[str] = []
        for block in blocks:
            out.extend(self.visit(block))
        return out

    def visit_Paragraph(self, node: model.Paragraph) -> list[str]:
        return [self.inlines(node.children)]

    visit_Heading = visit_Paragraph

    def visit_ListItem(self, node: model.ListItem) -> list[str]:
        return self.blocks(node.children)

    def visit_BulletList(self, node: model.BulletList) -> list[str]:
        return [p for item in node.items for p in self.visit(item)]

    visit_OrderedList = visit_BulletList

    def visit_BlockQuote(self, node: model.BlockQuote) -> list[str]:
        return self.blocks(node.children)

    def visit_CodeBlock(self, node: model.CodeBlock) -> list[str]:
        return [node.text.rstrip("\n")]

    def visit_ThematicBreak(self, node: model.ThematicBreak) -> list[str]:
        return []

    def visit_Figure(self, node: model.Figure) -> list[str]:
        return [t for t in (node.image.caption, node.image.credit) if t]


_PLAIN = PlainText()


def plain(nodes: model.RichText) -> str:
    """Rich inline text as plain text."""
    return model.plain_text(nodes)


def plain_blocks(blocks: model.Blocks) -> list[str]:
    """Blocks as a list of plain-text paragraphs."""
    return _PLAIN.blocks(blocks)
