"""Word numbering (``word/numbering.xml``): whether a list level is bulleted or numbered, and where it starts.

A paragraph names a list instance (``w:num``) and a level; the instance points at a definition
(``w:abstractNum``) whose levels give the format and start, and may restart a level (``w:startOverride``).
pressrun writes one instance per list with a restart for every numbered list; LibreOffice rewrites the
instances (a list may come back as several that share one definition), so a list is recognised by its
definition and its restarts, not by its instance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pressrun.importer.package import w

UNNUMBERED_FORMATS = ("bullet", "none")


@dataclass(frozen=True)
class ListLevel:
    ordered: bool
    start: int
    definition: str  # the abstractNum's id: instances of one definition continue one list
    restart: bool  # the instance restarts this level: a new list begins at its first paragraph
    instance: str = ""  # the w:num's id
    name: str = ""  # the definition's w:name (pressrun's are "pressrun-bullets", "pressrun-numbers"…)


class Numbering:
    def __init__(self, root: Any):
        self.abstract: dict[str, Any] = {}
        self.instances: dict[str, Any] = {}
        for node in (root if root is not None else ()):
            if node.tag == w("abstractNum"):
                self.abstract[node.get(w("abstractNumId"), "")] = node
            elif node.tag == w("num"):
                self.instances[node.get(w("numId"), "")] = node

    def level(self, num_id: str, ilvl: int) -> ListLevel | None:
        """The list level a paragraph with ``w:numPr`` is in; None for ``numId`` 0 ("no list") or a dangling id."""
        num = self.instances.get(num_id)
        if num is None or num_id == "0":
            return None
        ref = num.find(w("abstractNumId"))
        definition = ref.get(w("val"), "") if ref is not None else ""
        abstract = self.abstract.get(definition)
        lvl = _find_level(abstract, ilvl) if abstract is not None else None
        restart_at = None
        for override in num.findall(w("lvlOverride")):
            if override.get(w("ilvl")) != str(ilvl):
                continue
            own = override.find(w("lvl"))
            lvl = own if own is not None else lvl
            start = override.find(w("startOverride"))
            restart_at = _int(start, 1) if start is not None else restart_at
        fmt = lvl.find(w("numFmt")) if lvl is not None else None
        ordered = fmt is not None and fmt.get(w("val"), "bullet") not in UNNUMBERED_FORMATS
        start = restart_at if restart_at is not None else _int(lvl.find(w("start")) if lvl is not None else None, 1)
        name = abstract.find(w("name")) if abstract is not None else None
        return ListLevel(ordered, start, definition, restart_at is not None, num_id,
                         name.get(w("val"), "") if name is not None else "")


def _find_level(abstract: Any, ilvl: int) -> Any:
    for lvl in abstract.findall(w("lvl")):
        if lvl.get(w("ilvl")) == str(ilvl):
            return lvl
    return None


def _int(node: Any, default: int) -> int:
    try:
        return int(node.get(w("val"))) if node is not None else default
    except (TypeError, ValueError):
        return default
