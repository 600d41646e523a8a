"""The article's reading order, decided once: a sequence of typed parts that every writer visits.

Web page, PDF, DOCX, EPUB navigation and accessibility summary, and the plain
text that checks and feeds read all walk ``article_parts(article)`` through the
same ``NodeVisitor`` dispatch as body blocks (``visit_Headline``, ``visit_Body``…),
and the contract test proves each writer handles every part type. Adding a part
is one class here, one line in ``article_parts``, and one visit method per writer.

Each part type says, as class attributes, what every format needs to know about it:
``anchor`` (the id a link or bookmark may point at; body headings never take it),
``label`` (the key of its heading in the theme's labels) and ``field`` (the source
field that problems with its text are reported against).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Union

from pressrun import model


@dataclass(frozen=True, slots=True)
class Kicker:
    """The section name above the headline."""

    text: str
    anchor: ClassVar[str | None] = None
    label: ClassVar[str | None] = None
    field: ClassVar[str] = "section"


@dataclass(frozen=True, slots=True)
class Headline:
    text: str
    anchor: ClassVar[str | None] = "headline"
    label: ClassVar[str | None] = None
    field: ClassVar[str] = "headline"


@dataclass(frozen=True, slots=True)
class Standfirst:
    children: model.RichText
    anchor: ClassVar[str | None] = "standfirst"
    label: ClassVar[str | None] = None
    field: ClassVar[str] = "summary"


@dataclass(frozen=True, slots=True)
class Byline:
    authors: tuple[model.Author, ...]
    language: str  # the names are joined as this language joins a list
    anchor: ClassVar[str | None] = "byline"
    field: ClassVar[str] = "byline"

    @property
    def label(self) -> str:
        """One author takes ``by``, several ``by_several``: "Автор" but "Авторы" (no number is printed, so
        singular and plural are all a language needs here)."""
        return "by" if len(self.authors) == 1 else "by_several"


@dataclass(frozen=True, slots=True)
class Dates:
    """The dateline (a place), then when the article was published and last updated: one line in every format."""

    published: datetime
    updated: datetime | None
    dateline: str | None
    language: str  # the article's, for the reader-facing dates
    anchor: ClassVar[str | None] = None
    label: ClassVar[str | None] = "published"  # and "updated"
    field: ClassVar[str] = "dateline"


@dataclass(frozen=True, slots=True)
class LeadImage:
    image: model.Image
    anchor: ClassVar[str | None] = "lead-image"
    label: ClassVar[str | None] = "photo"
    field: ClassVar[str] = "image"


@dataclass(frozen=True, slots=True)
class WhyThisMatters:
    blocks: model.Blocks
    anchor: ClassVar[str | None] = "why-this-matters"
    label: ClassVar[str | None] = "why_this_matters"
    field: ClassVar[str] = "why_this_matters"


@dataclass(frozen=True, slots=True)
class Takeaways:
    items: tuple[model.RichText, ...]
    anchor: ClassVar[str | None] = "takeaways"
    label: ClassVar[str | None] = "takeaways"
    field: ClassVar[str] = "takeaways"


@dataclass(frozen=True, slots=True)
class Body:
    blocks: model.Blocks
    anchor: ClassVar[str | None] = "story"
    label: ClassVar[str | None] = None
    field: ClassVar[str] = "body"


@dataclass(frozen=True, slots=True)
class Corrections:
    """The dated correction and clarification notices, oldest first, after the story. Each notice is labelled by
    its kind (the labels ``correction`` and ``clarification``); its date is worded in ``language``."""

    notices: tuple[model.Correction, ...]
    language: str
    anchor: ClassVar[str | None] = "corrections"
    label: ClassVar[str | None] = None  # each notice's label is its kind
    field: ClassVar[str] = "corrections"


@dataclass(frozen=True, slots=True)
class Topics:
    """The article's tags, after the story."""

    tags: tuple[str, ...]
    anchor: ClassVar[str | None] = None
    label: ClassVar[str | None] = "topics"
    field: ClassVar[str] = "tags"


@dataclass(frozen=True, slots=True)
class Rights:
    text: str
    anchor: ClassVar[str | None] = None
    label: ClassVar[str | None] = None
    field: ClassVar[str] = "rights"


Part = Union[Kicker, Headline, Standfirst, Byline, Dates, LeadImage, WhyThisMatters, Takeaways, Body, Corrections,
             Topics, Rights]
PART_TYPES: tuple[type, ...] = (
    Kicker, Headline, Standfirst, Byline, Dates, LeadImage, WhyThisMatters, Takeaways, Body, Corrections, Topics, Rights,
)


def article_parts(article: model.Article) -> tuple[Part, ...]:
    """The article's parts in reading order; a part with nothing in it is left out."""
    parts: list[Part] = []
    if article.section:
        parts.append(Kicker(article.section))
    parts.append(Headline(article.headline))
    parts.append(Standfirst(article.summary))
    if article.byline:
        parts.append(Byline(article.byline, article.language))
    # A correction is a change: the visible "Updated" date is the newest correction's when no later update is given.
    updated = article.updated or (article.modified if article.corrections else None)
    parts.append(Dates(article.published, updated, article.dateline, article.language))
    if article.image:
        parts.append(LeadImage(article.image))
    if article.why_this_matters:
        parts.append(WhyThisMatters(article.why_this_matters))
    if article.takeaways:
        parts.append(Takeaways(article.takeaways))
    parts.append(Body(article.body))
    if article.corrections:
        parts.append(Corrections(article.corrections, article.language))
    if article.tags:
        parts.append(Topics(article.tags))
    if article.rights:
        parts.append(Rights(article.rights))
    return tuple(parts)


def heading_id(part_type: type) -> str:
    """The id of the heading that names a labelled section (``aria-labelledby`` points at it)."""
    return f"{part_type.anchor}-h"


# Ids the layout uses besides the parts' own: body headings never take any of them.
FURNITURE_ANCHORS = frozenset({"downloads-h", "latest-h", "cover", "toc", "landmarks"})
RESERVED_ANCHORS = frozenset(
    {t.anchor for t in PART_TYPES if t.anchor}
    | {heading_id(t) for t in (WhyThisMatters, Takeaways)}
    | FURNITURE_ANCHORS
)


def anchors(article: model.Article) -> set[str]:
    """Every id an article's layout has: its parts' and its headings' (internal "#x" links may point at them)."""
    found = {p.anchor for p in article_parts(article) if p.anchor}
    found.update(b.anchor for b in model.iter_blocks(article.why_this_matters + article.body) if isinstance(b, model.Heading))
    return found
