"""The reader's one-pass token tree (readers/mdtree.py) against markdown-it's own SyntaxTreeNode: the same
types, tags, maps, attributes, info strings, contents and hidden flags, in the same shape, on every fixture
article, the CommonMark list cases and the benchmark's articles (issue 19)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from markdown_it.tree import SyntaxTreeNode

from pressrun.readers.markdown import parser
from pressrun.readers.mdtree import TreeNode, tree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.generate import article  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
FIELDS = ("type", "tag", "map", "attrs", "info", "content", "hidden")


def _theirs(node: SyntaxTreeNode) -> tuple:
    return (*(getattr(node, f) for f in FIELDS), tuple(_theirs(c) for c in node.children))


def _ours(node: TreeNode) -> tuple:
    """SyntaxTreeNode gives ``map`` as a tuple (or None), ours the token's own list: the same lines."""
    values = [getattr(node, f) for f in FIELDS]
    values[FIELDS.index("map")] = tuple(node.map) if node.map else None
    return (*values, tuple(_ours(c) for c in node.children))


def _texts() -> list[tuple[str, str]]:
    # The broken fixtures include a Latin-1 file: the reader refuses it before parsing, so it is decoded leniently.
    texts = [(str(p.relative_to(FIXTURES)), p.read_bytes().decode("utf-8", "replace")) for p in sorted(FIXTURES.rglob("*.md"))]
    cases = json.loads((FIXTURES / "commonmark-lists.json").read_text(encoding="utf-8"))["examples"]
    texts += [(f"commonmark-lists #{n}", c["markdown"]) for n, c in enumerate(cases)]
    return texts + [(f"bench article {i}", article(i)) for i in range(6)]


@pytest.mark.parametrize("language", ["en", "de", "ja"])
def test_the_one_pass_tree_is_markdown_its_tree(language: str) -> None:
    md = parser(language)
    texts = _texts()
    assert len(texts) > 100
    for name, text in texts:
        tokens = md.parse(text)
        assert tuple(_ours(n) for n in tree(tokens)) == tuple(_theirs(n) for n in SyntaxTreeNode(tokens).children), name
        inline = md.parseInline(text.split("\n", 1)[0])
        assert tuple(_ours(n) for n in tree(inline)) == tuple(_theirs(n) for n in SyntaxTreeNode(inline).children), name


def test_an_image_and_a_bracketed_span_keep_their_attributes() -> None:
    tokens = parser("en").parse("A [phrase]{lang=he} and ![alt](pic.png \"title\").\n")
    inline = tree(tokens)[0].children[0]
    kinds = [n.type for n in inline.children]
    assert "span" in kinds and "image" in kinds
    span = inline.children[kinds.index("span")]
    assert span.attrs == {"lang": "he"} and span.children[0].content == "phrase"
    image = inline.children[kinds.index("image")]
    assert image.attrs["src"] == "pic.png" and image.attrs["title"] == "title" and image.children[0].content == "alt"
