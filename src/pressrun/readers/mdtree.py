"""markdown-it tokens → a tree of the few node attributes the Markdown reader reads, in one pass.

markdown_it.tree.SyntaxTreeNode gives the same tree but computes every attribute through properties and
builds parent links nobody here follows: it was a tenth of reading an article (issue 19). ``TreeNode``
has SyntaxTreeNode's names and meanings for what the reader uses (tests/test_mdtree.py compares the two
on every fixture).
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it.token import Token


class TreeNode:
    """A token, or an opening and closing pair with the nodes between them as ``children``."""

    __slots__ = ("type", "tag", "children", "map", "attrs", "info", "content", "hidden")

    def __init__(self, token: Token, kind: str) -> None:
        self.type = kind  # the token's type; a pair's without "_open"
        self.tag = token.tag
        self.children: list[TreeNode] = []
        self.map = token.map
        self.attrs = token.attrs
        self.info = token.info
        self.content = token.content
        self.hidden = token.hidden


def tree(tokens: Sequence[Token]) -> list[TreeNode]:
    """The top-level nodes of ``tokens``; an inline token's own tokens become its node's children."""
    top: list[TreeNode] = []
    open_lists = [top]
    for token in tokens:
        nesting = token.nesting
        if nesting == 1:
            node = TreeNode(token, token.type.removesuffix("_open"))
            open_lists[-1].append(node)
            open_lists.append(node.children)
        elif nesting == -1:
            open_lists.pop()
        else:
            node = TreeNode(token, token.type)
            if token.children:
                node.children = tree(token.children)
            open_lists[-1].append(node)
    return top
