"""The canonical article: frozen, typed, closed.

Every exporter sees only these types. Rich text is a tree of Block and Inline
nodes, never an HTML or Markdown string. Adding a node type means adding it to
the unions below and to the one dispatch in ``render.dispatch``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Union

from pressrun import site

# --- inline nodes -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Emphasis:
    children: tuple["Inline", ...]


@dataclass(frozen=True, slots=True)
class Strong:
    children: tuple["Inline", ...]


@dataclass(frozen=True, slots=True)
class Code:
    text: str


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    children: tuple["Inline", ...]
    title: str | None = None


@dataclass(frozen=True, slots=True)
class LanguageSpan:
    """A phrase in another language than the article's, marked in the source as ``[phrase]{lang=he}``.

    ``language`` is a canonical BCP 47 tag; formats mark it (lang, w:lang, the PDF's font and hyphenation)
    and isolate it when its direction differs from the text around it."""

    language: str
    children: tuple["Inline", ...]


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A hard line break inside a paragraph."""


Inline = Union[Text, Emphasis, Strong, Code, Link, LanguageSpan, LineBreak]
RichText = tuple[Inline, ...]

# --- images -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Image:
    """An image file inside the source folder.

    ``alt``, ``caption`` and ``credit`` are separate on purpose: no output ever
    substitutes one for another.
    """

    src: str  # as written in the source, relative POSIX path
    path: Path  # resolved absolute path of the file
    alt: str
    media_type: str  # e.g. "image/jpeg"
    width: int
    height: int
    size: int  # bytes
    caption: str | None = None
    credit: str | None = None

    @property
    def output_path(self) -> str:
        """Where the build publishes the file, relative to the output root."""
        return site.media_path(self.src)


# --- block nodes ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paragraph:
    children: RichText


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # 2..4; the headline is the only level 1
    children: RichText
    anchor: str  # unique within the article


@dataclass(frozen=True, slots=True)
class ListItem:
    children: tuple["Block", ...]


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[ListItem, ...]
    # CommonMark decides tight or loose for the whole list: a tight list's paragraphs are set without
    # paragraph spacing (no <p> in HTML); a loose list's items are spaced like paragraphs.
    tight: bool = True


@dataclass(frozen=True, slots=True)
class OrderedList:
    items: tuple[ListItem, ...]
    start: int = 1
    tight: bool = True  # as for BulletList


@dataclass(frozen=True, slots=True)
class BlockQuote:
    children: tuple["Block", ...]


@dataclass(frozen=True, slots=True)
class CodeBlock:
    text: str
    language: str | None = None


@dataclass(frozen=True, slots=True)
class ThematicBreak:
    pass


@dataclass(frozen=True, slots=True)
class Figure:
    image: Image


Block = Union[Paragraph, Heading, BulletList, OrderedList, BlockQuote, CodeBlock, ThematicBreak, Figure]
Blocks = tuple[Block, ...]

INLINE_TYPES: tuple[type, ...] = (Text, Emphasis, Strong, Code, Link, LanguageSpan, LineBreak)
BLOCK_TYPES: tuple[type, ...] = (
    Paragraph,
    Heading,
    BulletList,
    OrderedList,
    ListItem,
    BlockQuote,
    CodeBlock,
    ThematicBreak,
    Figure,
)

# --- people, publication, article ------------------------------------------

# An article's publication status, as IPTC's ninjs and NewsML-G2 name them: only a usable article is public.
STATUSES = ("usable", "withheld", "canceled")
CORRECTION_TYPES = ("correction", "clarification")  # each is also the key of its label


@dataclass(frozen=True, slots=True)
class Correction:
    """A dated notice printed at the end of the article: ``kind`` is ``correction`` or ``clarification``."""

    date: datetime  # timezone-aware, not before the article's publication
    kind: str
    text: RichText


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    role: str | None = None
    url: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Publication:
    title: str
    base_url: str  # absolute, always ends with "/"
    language: str
    description: str
    timezone: str = "UTC"
    authors: tuple[Author, ...] = ()
    feed_limit: int = 50  # newest articles in each feed
    issue_limit: int | None = 50  # newest articles in the collection e-book; None: every article
    rights: str | None = None
    source_dir: Path = field(default=Path("source"), compare=False)

    def url(self, output_path: str) -> str:
        """Absolute URL of a file in the output folder."""
        return self.base_url + output_path.lstrip("/")


@dataclass(frozen=True, slots=True)
class Teaser:
    """An article without its text: everything an index, a feed's list, a sitemap or the build's bookkeeping needs.

    A build of thousands of articles keeps these (a few hundred bytes each) and loads the whole article only
    while it is rendered (issue 19: memory flat in the number of articles). An ``Article`` is also a teaser.
    """

    id: str
    slug: str
    source_path: Path
    headline: str
    summary: RichText
    byline: tuple[Author, ...]
    published: datetime  # timezone-aware
    language: str
    updated: datetime | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    dateline: str | None = None
    canonical_url: str | None = None  # the reader resolves it: the URL given, or the article's own page
    rights: str | None = None
    image: Image | None = None
    embargo: datetime | None = None  # nothing public before this moment (the reader keeps it <= published)
    status: str = "usable"  # one of STATUSES
    corrections: tuple[Correction, ...] = ()  # oldest first
    figures: tuple[Image, ...] = ()  # the images inside why-this-matters and the body, in order (an Article derives them)

    @property
    def modified(self) -> datetime:
        """The last change: ``updated``, ``published`` or the newest correction, whichever is latest (the reader
        refuses an ``updated`` before the newest correction, so a given ``updated`` is normally it)."""
        return max((self.published, *filter(None, (self.updated,)), *(c.date for c in self.corrections)),
                   key=lambda moment: moment.timestamp())

    def held(self, now: datetime) -> str | None:
        """Why the article is kept out of every public output at ``now`` (the build clock), or None when it is
        public: its status when withheld or canceled, else "held until <embargo>" before the embargo."""
        if self.status != "usable":
            return self.status
        if self.embargo is not None and now < self.embargo:
            return f"held until {self.embargo.isoformat()}"
        return None

    @property
    def page_path(self) -> str:
        """The web edition's page, relative to the output root."""
        return site.page_path(self.slug)

    def images(self) -> tuple[Image, ...]:
        """Every image of the article: the lead image first, then body figures in order."""
        return ((self.image,) if self.image else ()) + self.figures


@dataclass(frozen=True, slots=True)
class Article(Teaser):
    body: Blocks = ()
    why_this_matters: Blocks = ()
    takeaways: tuple[RichText, ...] = ()

    def __post_init__(self) -> None:
        found = tuple(b.image for b in iter_blocks(self.why_this_matters + self.body) if isinstance(b, Figure))
        object.__setattr__(self, "figures", found)

    def teaser(self) -> Teaser:
        """This article without its text."""
        return Teaser(**{f.name: getattr(self, f.name) for f in fields(Teaser)})


# --- walking the tree (beside the types, as pandoc keeps its Walk beside the AST) ---------------------


def iter_blocks(blocks: Iterable[Block | ListItem]) -> Iterator[Block | ListItem]:
    """Every block in document order, descending into lists and quotes."""
    for block in blocks:
        yield block
        if isinstance(block, (BulletList, OrderedList)):
            yield from iter_blocks(block.items)
        elif isinstance(block, (ListItem, BlockQuote)):
            yield from iter_blocks(block.children)


def iter_inlines(inlines: Iterable[Inline]) -> Iterator[Inline]:
    """Every inline node in order, descending into containers."""
    for node in inlines:
        yield node
        if isinstance(node, (Emphasis, Strong, Link, LanguageSpan)):
            yield from iter_inlines(node.children)


def plain_text(nodes: Iterable[Inline]) -> str:
    """Rich inline text as plain text (a hard line break becomes a newline)."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, (Text, Code)):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        else:
            out.append(plain_text(node.children))
    return "".join(out)


def merge_text(nodes: Iterable[Inline]) -> RichText:
    """Adjacent Text nodes joined, so every reader and writer sees whole runs."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        else:
            out.append(node)
    return tuple(out)


def block_inlines(block: Block | ListItem) -> RichText:
    """The inline content that a block holds directly (empty for containers)."""
    if isinstance(block, (Paragraph, Heading)):
        return block.children
    return ()


# --- pickling (the reading memo and the build's packed articles: readers/shelf.py) ---------------------


def _pickle_by_field_names(cls: type) -> None:
    """A slotted dataclass pickles its values in field order, calling ``dataclasses.fields`` for every node. Here
    each node is pickled as its class and its values, and unpickled by its own ``__init__`` (which runs the
    ``__post_init__`` of an ``Article`` again: the same figures): issue 19, a third cheaper to pack than a
    ``__setstate__`` in Python, and a tenth cheaper to unpack."""
    names = tuple(f.name for f in fields(cls))
    if len(names) == 1:  # Text, Code: most nodes
        (name,) = names

        def __reduce__(self: object) -> tuple[type, tuple[object, ...]]:
            return type(self), (getattr(self, name),)
    else:
        def __reduce__(self: object) -> tuple[type, tuple[object, ...]]:
            return type(self), tuple([getattr(self, name) for name in names])

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]


for _node_type in (*INLINE_TYPES, Image, Paragraph, Heading, ListItem, BulletList, OrderedList, BlockQuote, CodeBlock,
                   ThematicBreak, Figure, Correction, Author, Publication, Teaser, Article):
    _pickle_by_field_names(_node_type)
