"""The plan of one EPUB: what goes in it, in which order, with which metadata.

Assembly (``assemble``) fills this in from the model; ``package`` turns it into
an OCF archive. Keeping the plan as plain data lets tests and both steps agree
on names without either knowing how the other works.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Creator:
    name: str
    role: str  # MARC relator code ("aut", "edt"…) or free text when no code fits
    marc: bool  # whether ``role`` is a MARC relator code


@dataclass(frozen=True)
class Item:
    """One file of the package, relative to the package folder (``EPUB/``)."""

    href: str
    item_id: str
    media_type: str
    data: bytes
    properties: tuple[str, ...] = ()
    in_spine: bool = False


@dataclass(slots=True)  # an issue of every article keeps a few for each (~5 each, ~100 bytes less apiece)
class TocNode:
    title: str
    href: str  # relative to the package folder, with a fragment when it points inside a document
    lang: str | None = None  # set when it differs from the book's language
    children: list["TocNode"] = field(default_factory=list)


@dataclass
class BookInfo:
    """Package metadata (dc:*, dcterms:modified) for one book."""

    identifier: str
    title: str
    languages: tuple[str, ...]  # the first is the book's language
    creators: tuple[Creator, ...]
    published: datetime
    modified: datetime
    description: str
    subjects: tuple[str, ...]
    publisher: str
    rights: str | None

    @property
    def language(self) -> str:
        return self.languages[0]


@dataclass
class Book:
    info: BookInfo
    items: list[Item]  # manifest order; spine order is the order of items with ``in_spine``
    toc: list[TocNode]
    accessibility: list[tuple[str, str]]  # (property, value) meta elements
    cover_image_id: str
    rtl: bool = False
