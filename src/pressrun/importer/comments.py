"""Comments (``word/comments.xml``): listed with their author, date, anchored text and words, never imported.

A comment is anchored by ``w:commentRangeStart``/``w:commentRangeEnd`` in the body (or only by the
``w:commentReference`` run where the range was lost); its words live in the comments part.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pressrun.importer.locate import Locator, snippet
from pressrun.importer.package import Package, w


@dataclass
class Comment:
    ident: str
    author: str
    date: str
    text: str
    anchored: str = ""
    paragraph: int | None = None

    def describe(self) -> str:
        by = f" by {self.author}" if self.author else ""
        when = f" on {self.date}" if self.date else ""
        on = f" on {snippet(self.anchored)}" if self.anchored.strip() else ""
        return f"comment{by}{when}{on}: {snippet(self.text, 300)} (comments are not imported)"


def find_comments(package: Package, body: Any) -> list[Comment]:
    """Every comment of the document, in the order of its anchor in the body."""
    root = package.xml(package.related(package.main, "/comments"))
    if root is None:
        return []
    comments: dict[str, Comment] = {}
    for node in root.iter(w("comment")):
        text = " ".join("".join(t.text or "" for t in p.iter(w("t"))) for p in node.iter(w("p")))
        ident = node.get(w("id"), "")
        comments[ident] = Comment(ident, node.get(w("author"), ""), node.get(w("date"), ""), text)
    _anchor(comments, body)
    placed = sorted(comments.values(), key=lambda c: (c.paragraph is None, c.paragraph or 0))
    return placed


def _anchor(comments: dict[str, Comment], body: Any) -> None:
    locate = Locator(body)
    open_ids: list[str] = []
    for node in body.iter(w("commentRangeStart"), w("commentRangeEnd"), w("commentReference"), w("t")):
        ident = node.get(w("id"), "")
        if node.tag == w("t"):
            for open_id in open_ids:
                comments[open_id].anchored += node.text or ""
        elif ident in comments:
            comment = comments[ident]
            if comment.paragraph is None:
                comment.paragraph = locate.paragraph(node)
            if node.tag == w("commentRangeStart"):
                open_ids.append(ident)
            elif node.tag == w("commentRangeEnd") and ident in open_ids:
                open_ids.remove(ident)
