"""The feed item model: what every feed format says about an article, decided once.

RSS, Atom and JSON Feed are written from these values only, so the three
agree on ids, links, dates, authors and content. Every string is already
XML-safe and every URL absolute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from pressrun import __version__, model, site
from pressrun.language import is_rtl
from pressrun.exporters.base import Written
from pressrun.exporters.feed.xmlsafe import xml_text
from pressrun.render import xhtml
from pressrun.render.plain import plain
from pressrun.theme import Labels

GENERATOR = "pressrun"
GENERATOR_VERSION = __version__

# The shared renderer labels its boxes with aria-labelledby; the W3C feed
# validator warns on every attribute outside its HTML allowlist
# (SecurityRiskAttr), so feed content goes without it. Attribute values are
# escaped by the renderer, so a literal `"` only closes an attribute.
_ARIA = re.compile(r' aria-[a-z]+="[^"]*"')
# A phrase in the other direction is a <bdi> on pages and in e-books. Feed readers sanitise content with an
# allowlist that keeps <span lang dir> but drops <bdi> (feedparser's does): a <span> with ``dir`` is isolated
# just the same (HTML's [dir] { unicode-bidi: isolate }), and keeps its language and direction there.
_BDI = re.compile(r"<(/?)bdi\b")


def _feed_html(fragment: str, language: str) -> str:
    """A page fragment as feed content: no aria attributes, no <bdi>, and a right-to-left article's content in a
    ``dir="rtl"`` block, since a feed reader sets entries in its own direction whatever their language."""
    fragment = _BDI.sub(r"<\1span", _ARIA.sub("", fragment))
    return xml_text(f'<div dir="rtl">{fragment}</div>' if is_rtl(language) else fragment)


@dataclass(frozen=True)
class Person:
    name: str
    url: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Attachment:
    """A file linked from an item: the lead image, or a PDF/EPUB/DOCX edition."""

    url: str
    media_type: str
    length: int
    title: str | None = None
    # lead image only
    width: int | None = None
    height: int | None = None
    alt: str | None = None
    credit: str | None = None


@dataclass(frozen=True)
class FeedItem:
    id: str
    permalink: bool  # the id *is* the item's URL (RSS guid isPermaLink)
    url: str
    title: str
    summary_text: str
    summary_html: str
    content_html: str
    published: datetime
    updated: datetime
    authors: tuple[Person, ...]
    categories: tuple[str, ...]
    language: str
    rights: str | None
    image: Attachment | None
    downloads: tuple[Attachment, ...]


@dataclass(frozen=True)
class FeedMeta:
    title: str
    description: str
    home_url: str
    feed_url: str  # where this feed itself is published
    language: str
    description_language: str  # the publication's: a language's feed keeps the publication's description
    updated: datetime
    rights: str | None
    authors: tuple[Person, ...]


def url_policy(publication: model.Publication, article: model.Article) -> xhtml.UrlPolicy:
    """Absolute URLs everywhere: a feed reader has no base to resolve against."""
    page = publication.url(article.page_path)
    return xhtml.UrlPolicy(
        image_src=lambda image: publication.url(image.output_path),
        link_href=lambda href: urljoin(page, href),
        fragment_href=lambda name: f"{page}#{name}",
    )


def _person(author: model.Author) -> Person:
    return Person(
        xml_text(author.name),
        xml_text(author.url) if author.url else None,
        xml_text(author.email) if author.email else None,
    )


def _downloads(outputs: list[Written], publication: model.Publication) -> tuple[Attachment, ...]:
    # Sorted by path so the order never depends on exporter run order.
    return tuple(
        Attachment(publication.url(o.path), o.media_type, o.size, xml_text(o.label or ""))
        for o in sorted(outputs, key=lambda o: o.path)
    )


def _downloads_html(downloads: tuple[Attachment, ...], labels: Labels) -> str:
    if not downloads:
        return ""
    links = " · ".join(f'<a href="{xhtml.esc(d.url)}" type="{xhtml.esc(d.media_type)}">{xhtml.esc(d.title or d.media_type)}</a>' for d in downloads)
    return f'<p class="downloads">{xhtml.esc(labels.downloads + labels.colon)}{links}</p>'


def _entry_authors(article: model.Article, publication: model.Publication) -> tuple[model.Author, ...]:
    """The byline (the reader has already put the publication's author there when the source names none).

    An article made without the reader may have none, and Atom needs an author on every entry: then the
    feed's own authors, as an Atom entry without one would inherit them, or else the publication's title.
    """
    return article.byline or publication.authors or (model.Author(publication.title),)


def build_item(
    article: model.Article, publication: model.Publication, labels: Labels, downloads: list[Written]
) -> FeedItem:
    urls = url_policy(publication, article)
    page = publication.url(article.page_path)
    parts = xhtml.XhtmlArticle(labels, urls).render(article)
    files = _downloads(downloads, publication)
    content = "\n".join(p for p in (parts.all, _downloads_html(files, labels)) if p)
    summary = xhtml.XhtmlRenderer(urls, rtl=is_rtl(article.language)).inlines(article.summary)
    image = None
    if article.image:
        img = article.image
        image = Attachment(
            publication.url(img.output_path), img.media_type, img.size,
            width=img.width, height=img.height,
            alt=xml_text(img.alt), credit=xml_text(img.credit) if img.credit else None,
        )
    categories = tuple(dict.fromkeys(xml_text(c) for c in ((article.section,) if article.section else ()) + article.tags))
    return FeedItem(
        id=xml_text(article.id),
        permalink=article.id == page,
        url=page,
        title=xml_text(article.headline),
        summary_text=xml_text(plain(article.summary)),
        summary_html=_feed_html(summary, article.language),
        content_html=_feed_html(content, article.language),
        published=article.published,
        updated=article.modified,
        authors=tuple(_person(a) for a in _entry_authors(article, publication)),
        categories=categories,
        language=article.language,
        rights=xml_text(article.rights) if article.rights else None,
        image=image,
        downloads=files,
    )


def build_meta(
    publication: model.Publication, items: list[FeedItem], feed_path: str,
    title: str | None = None, language: str | None = None,
) -> FeedMeta:
    """Feed-level values: ``title`` and ``language`` default to the publication's; a language's feed has its
    own, and its home is that language's section of the index. ``updated`` is the latest change among the items,
    never the build time."""
    if not items:
        raise ValueError("a feed needs at least one item to have an updated date")
    return FeedMeta(
        title=xml_text(title or publication.title),
        description=xml_text(publication.description),
        home_url=publication.base_url + (f"#{site.language_section(language)}" if language else ""),
        feed_url=publication.url(feed_path),
        language=language or publication.language,
        description_language=publication.language,
        updated=max(item.updated for item in items),
        rights=xml_text(publication.rights) if publication.rights else None,
        authors=tuple(_person(a) for a in publication.authors),
    )
