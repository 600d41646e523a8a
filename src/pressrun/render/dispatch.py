"""The one dispatch over node types.

Renderers subclass :class:`NodeVisitor` and define ``visit_<NodeClass>``
methods. A renderer that lacks a method for a node type fails loudly (and the
contract test checks every renderer against every node type), instead of
silently dropping content.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pressrun import model


class NodeVisitor:
    """Dispatches ``visit(node)`` to ``visit_<ClassName>(node)``."""

    def visit(self, node: Any, *args: Any, **kwargs: Any) -> Any:
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise NotImplementedError(f"{type(self).__name__} cannot render {type(node).__name__}")
        return method(node, *args, **kwargs)

    @classmethod
    def missing_visits(cls) -> list[str]:
        """Node types this renderer cannot handle (used by the contract test)."""
        names = [t.__name__ for t in (*model.INLINE_TYPES, *model.BLOCK_TYPES)]
        return [n for n in names if not hasattr(cls, "visit_" + n)]


def iter_blocks(blocks: Iterable[model.Block | model.ListItem]) -> Iterator[model.Block | model.ListItem]:
    """Every block in document order, descending into lists and quotes."""
    for block in blocks:
        yield block
        if isinstance(block, (model.BulletList, model.OrderedList)):
            yield from iter_blocks(block.items)
        elif isinstance(block, (model.ListItem, model.BlockQuote)):
            yield from iter_blocks(block.children)


def iter_inlines(inlines: Iterable[model.Inline]) -> Iterator[model.Inline]:
    """Every inline node in order, descending into containers."""
    for node in inlines:
        yield node
        if isinstance(node, (model.Emphasis, model.Strong, model.Link)):
            yield from iter_inlines(node.children)


def block_inlines(block: model.Block | model.ListItem) -> model.RichText:
    """The inline content that a block holds directly (empty for containers)."""
    if isinstance(block, (model.Paragraph, model.Heading)):
        return block.children
    return ()
