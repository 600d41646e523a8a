"""A field's Markdown as it is written: its top-level blocks, each with its lines and its model.

pressrun's own CommonMark reader parses the field once (so link reference definitions resolve as in a build),
and each top-level block is converted on its own, which says which lines of the source make which blocks.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it.tree import SyntaxTreeNode

from pressrun import model
from pressrun.readers.markdown import BodyConverter
from pressrun.text import FORBIDDEN

ListMark = tuple[str, str]


@dataclass(frozen=True)
class Chunk:
    start: int  # first line of the block in the field's text (0-based)
    end: int  # the line after its last
    blocks: model.Blocks
    mark: ListMark | None = None  # a list's kind and marker ("ul", "-"), ("ol", ".")


class _Chunker(BodyConverter):
    """pressrun's reader, one top-level block at a time."""

    def chunks(self, text: str) -> list[Chunk]:
        root = SyntaxTreeNode(self.md.parse(text))
        found = []
        for node in root.children:
            start, end = node.map if node.map else (0, 0)
            blocks = tuple(self._block(node))
            mark = None
            if node.type == "bullet_list":
                mark = ("ul", node.markup or "-")
            elif node.type == "ordered_list":
                mark = ("ol", node.markup or ".")
            found.append(Chunk(start, end, blocks, mark))
        return found


def split(text: str, converter_args: tuple) -> list[Chunk]:
    """``converter_args``: what ``BodyConverter`` takes (language, image loader, warn). Characters XML forbids
    become spaces first, as pressrun's reader makes them (one for one, so every line keeps its place)."""
    return _Chunker(*converter_args).chunks(FORBIDDEN.sub(" ", text))
