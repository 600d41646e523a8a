"""One DOCX read for importing: its package, tracked changes and comments, and its paragraphs."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from pressrun.errors import Problem
from pressrun.importer.comments import Comment, find_comments
from pressrun.importer.languages import document_language
from pressrun.importer.numbering import Numbering
from pressrun.importer.package import Package, open_package, w
from pressrun.importer.paragraphs import BodyReader, Para
from pressrun.importer.revisions import Change, find_changes, resolve
from pressrun.importer.styles import StyleMap


class Changes(str, Enum):
    REFUSE = "refuse"
    ACCEPT = "accept"
    REJECT = "reject"


@dataclass
class Document:
    package: Package
    paras: list[Para]
    changes: list[Change] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def identifier(self) -> str:
        """The article's id: pressrun writes it as the core property ``identifier``; a custom property
        ``pressrun-id`` (which a desk may add by hand, File > Properties > Custom) is read too."""
        return (self.package.core().get("identifier") or self.package.custom().get("pressrun-id") or "").strip()


def read_document(data: bytes, shown: str, changes: Changes = Changes.ACCEPT) -> Document:
    """The document's paragraphs; with ``Changes.REFUSE`` they are read as if accepted, and ``changes`` lists
    what the caller must refuse."""
    package = open_package(data, shown)
    root = package.xml(package.main)
    body = root.find(w("body"))
    if body is None:
        body = root.makeelement(w("body"))
    found = find_changes(body)
    comments = find_comments(package, body)
    if found:
        resolve(body, accept=changes is not Changes.REJECT)
    styles_root = package.xml(package.related(package.main, "/styles"))
    styles = StyleMap(styles_root)
    numbering = Numbering(package.xml(package.related(package.main, "/numbering")))
    reader = BodyReader(package, styles, numbering, document_language(package, styles_root))
    paras = reader.read(body)
    return Document(package, paras, found, comments, reader.problems)
