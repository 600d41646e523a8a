"""The one dispatch over node types.

Renderers subclass :class:`NodeVisitor` and define ``visit_<NodeClass>``
methods. A renderer that lacks a method for a node type fails loudly (and the
contract test checks every renderer against every node type), instead of
silently dropping content.
"""

from __future__ import annotations

from typing import Any

from pressrun import model, outline


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

    @classmethod
    def missing_part_visits(cls) -> list[str]:
        """Article part types (``pressrun.outline``) this writer cannot handle (used by the contract test)."""
        return [t.__name__ for t in outline.PART_TYPES if not hasattr(cls, "visit_" + t.__name__)]


class PartWriter(NodeVisitor):
    """A writer of whole articles: it visits every part of ``outline.article_parts`` in reading order.

    The contract test requires a ``visit_<Part>`` method for every part type of every PartWriter.
    """

    def parts(self, article: model.Article, *args: Any, **kwargs: Any) -> list[Any]:
        return [self.visit(part, *args, **kwargs) for part in outline.article_parts(article)]
