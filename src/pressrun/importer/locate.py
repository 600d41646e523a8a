"""Where something is in the document: the number of its paragraph, counted as Word's reader sees them.

Every message about the DOCX names "paragraph N": the Nth paragraph or table of the document body, counting
from 1, with content controls (``w:sdt``) and custom XML wrappers looked through.
"""

from __future__ import annotations

from typing import Any

from pressrun.importer.package import W, w

_WRAPPERS = (w("sdt"), w("customXml"))


def top_blocks(body: Any) -> list[Any]:
    """The paragraphs (``w:p``) and tables (``w:tbl``) of the body in order, looking through wrappers."""
    found: list[Any] = []
    for child in body:
        if child.tag in (w("p"), w("tbl")):
            found.append(child)
        elif child.tag in _WRAPPERS:
            content = child.find(w("sdtContent")) if child.tag == w("sdt") else child
            if content is not None:
                found.extend(top_blocks(content))
    return found


class Locator:
    """Paragraph numbers of one body; build it again after the tree changes."""

    def __init__(self, body: Any):
        # Keyed by the elements themselves: holding them keeps lxml's proxies (and so their identity) alive.
        self.numbers: dict[Any, int] = {node: n for n, node in enumerate(top_blocks(body), start=1)}

    def paragraph(self, node: Any) -> int | None:
        """The number of the top-level paragraph or table that holds ``node``."""
        while node is not None:
            number = self.numbers.get(node)
            if number is not None:
                return number
            node = node.getparent()
        return None


def text_of(node: Any, deleted: bool = False) -> str:
    """The visible text under ``node`` (``w:delText`` instead of ``w:t`` for deleted text)."""
    wanted = f"{{{W}}}delText" if deleted else f"{{{W}}}t"
    parts: list[str] = []
    for el in node.iter(wanted, w("tab"), w("br"), w("cr")):
        if el.tag == wanted:
            parts.append(el.text or "")
        else:
            parts.append("\t" if el.tag == w("tab") else " ")
    return "".join(parts)


def snippet(text: str, limit: int = 80) -> str:
    """Text for a one-line message: white space collapsed, cut with "…", in typographic quotes."""
    text = " ".join(text.split())
    return "“" + (text if len(text) <= limit else text[: limit - 1].rstrip() + "…") + "”"
