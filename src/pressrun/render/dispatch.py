"""The one dispatch over node types.

Renderers subclass :class:`NodeVisitor` and define ``visit_<NodeClass>``
methods. A renderer that lacks a method for a node type fails loudly (and the
contract test checks every renderer against every node type), instead of
silently dropping content.

Speed (issue 19): each (visitor class, node type) pair finds its method once per process, not by building the
name and looking it up again for every node (an article page visits ~140 nodes).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from types import FunctionType
from typing import Any

from pressrun import model, outline

_METHODS: dict[tuple[type, type], Callable[..., Any]] = {}


def _method(visitor: type, node: type) -> Callable[..., Any]:
    """``visitor``'s ``visit_<node>`` as a function of (visitor, node, ...); raises when there is none."""
    name = "visit_" + node.__name__
    found = inspect.getattr_static(visitor, name, None)
    if found is None:
        raise NotImplementedError(f"{visitor.__name__} cannot render {node.__name__}")
    if not isinstance(found, FunctionType):  # a staticmethod or other descriptor: let Python bind it each time
        return lambda self, *args, **kwargs: getattr(self, name)(*args, **kwargs)
    return found


class NodeVisitor:
    """Dispatches ``visit(node)`` to ``visit_<ClassName>(node)``."""

    def visit(self, node: Any, *args: Any, **kwargs: Any) -> Any:
        key = (type(self), type(node))
        method = _METHODS.get(key)
        if method is None:
            method = _METHODS[key] = _method(*key)
        return method(self, node, *args, **kwargs)

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
