"""An article as an IPTC ninjs 3.1 news item: what partners ingest, decided once.

Mapping (ninjs 3.1 property names): id → ``uri``; 1 + corrections → ``version``; published → ``firstCreated``;
the last change (updated or the newest correction) → ``versionCreated``; embargo → ``embargoedUntil``; status →
``pubStatus`` (withheld and canceled items are written too, so recipients hold or recall them); headline →
``headlines``; summary → ``descriptions`` (plain and XHTML); why-this-matters, takeaways, story and correction
notices → ``bodies`` (plain text and an XHTML ``div``); byline → ``by`` and ``people``; section and tags →
``subjects``; dateline → ``located``; rights → ``copyrightNotice``; slug → ``slugline``; notices and the status
explained → ``edNote``; the web page → ``renditions``; the lead image → ``associations`` (a picture with its
``renditions``). ninjs has no alt-text or credit property: they are ``descriptions`` with the roles ``alt`` and
``creditline`` (AP's role for a credit), beside ``caption``.
"""

from __future__ import annotations

import re
import uuid
from typing import Any
from urllib.parse import urljoin

from pressrun import model, outline
from pressrun.exporters.wire.schema import SCHEMA_URI, as_uri
from pressrun.render import wording
from pressrun.render.plain import plain, plain_blocks
from pressrun.render.xhtml import UrlPolicy, XhtmlArticle, XhtmlRenderer, esc
from pressrun.theme import Labels

XHTML = "application/xhtml+xml"
TEXT = "text/plain"
# The body's slots (render.xhtml.ArticleHtml), in reading order: no header (ninjs has its own properties for it)
# and no lead image (an association).
BODY_SLOTS = ("why_this_matters", "takeaways", "body", "corrections")
# Wire notes for recipients' staff (edNote), as agencies word them.
STATUS_NOTES = {
    "withheld": "WITHHELD: do not use this item until a usable version follows; take down any copy already published.",
    "canceled": "CANCELED: this item is withdrawn (a kill); do not use it and take down any copy already published.",
}
# Words for wordCount: a run of letters, digits and joiners, or one ideograph or kana (CJK writes no spaces).
_WORDS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+(?:['’-][^\W]+)*")


def _urls(publication: model.Publication, article: model.Article) -> UrlPolicy:
    """Absolute URLs, as feeds have them: a partner's system has no base to resolve against."""
    page = publication.url(article.page_path)
    return UrlPolicy(image_src=lambda image: publication.url(image.output_path), link_href=lambda href: urljoin(page, href),
                     fragment_href=lambda name: f"{page}#{name}")


def ninjs_item(article: model.Article, publication: model.Publication, labels: Labels) -> dict[str, Any]:
    """The item as a JSON-ready mapping (keys in the order they are written)."""
    item: dict[str, Any] = {
        "uri": as_uri(article.id) or article.id,  # an invalid one fails validation, located, never silently
        "standard": {"name": "ninjs", "version": "3.1", "schema": SCHEMA_URI},
        "type": "text",
        "representationType": "full",
        "version": str(1 + len(article.corrections)),
        "firstCreated": wording.iso(article.published),
        "versionCreated": wording.iso(article.modified),
    }
    if article.embargo:
        item["embargoedUntil"] = wording.iso(article.embargo)
    item.update({
        "pubStatus": article.status,
        "language": article.language,
        "slugline": article.slug,
        "headlines": [{"role": "main", "contentType": TEXT, "value": article.headline}],
        "descriptions": _descriptions(article, publication),
        "bodies": _bodies(article, publication, labels),
        "by": wording.byline_text(article.byline, article.language),
        "people": [_person(author) for author in article.byline],
    })
    optional = {"subjects": _subjects(article), "located": article.dateline, "copyrightNotice": article.rights,
                "edNote": _ed_note(article), "renditions": _page(article, publication),
                "associations": [_picture(article.image, publication)] if article.image else None}
    item.update({key: value for key, value in optional.items() if value})
    return item


def _descriptions(article: model.Article, publication: model.Publication) -> list[dict[str, str]]:
    xhtml = XhtmlRenderer(_urls(publication, article), rtl=wording.is_rtl(article.language)).inlines(article.summary)
    return [{"role": "summary", "contentType": TEXT, "value": plain(article.summary)},
            {"role": "summary", "contentType": XHTML, "value": _div(xhtml, article.language)}]


def _div(fragment: str, language: str) -> str:
    """A fragment as one well-formed XHTML element that says its language and direction."""
    direction = ' dir="rtl"' if wording.is_rtl(language) else ""
    return f'<div xmlns="http://www.w3.org/1999/xhtml" lang="{esc(language)}"{direction}>{fragment}</div>'


def _bodies(article: model.Article, publication: model.Publication, labels: Labels) -> list[dict[str, Any]]:
    """The story as plain text and as XHTML (the web edition's markup, absolute links); the counts are of the text."""
    parts = XhtmlArticle(labels, _urls(publication, article)).render(article)
    xhtml = "\n".join(getattr(parts, slot) for slot in parts.order if slot in BODY_SLOTS and getattr(parts, slot))
    text = "\n\n".join(_plain_paragraphs(article, labels))
    counts = {"charCount": len(text), "wordCount": len(_WORDS.findall(text))}
    return [{"role": "main", "contentType": TEXT, **counts, "value": text},
            {"role": "main", "contentType": XHTML, **counts, "value": _div(xhtml, article.language)}]


def _plain_paragraphs(article: model.Article, labels: Labels) -> list[str]:
    """The body's paragraphs as plain text, in the XHTML body's order (figure captions and credits left out)."""
    found: list[str] = []
    if article.why_this_matters:
        found += [labels.why_this_matters, *plain_blocks(_no_figures(article.why_this_matters))]
    if article.takeaways:
        found += [labels.takeaways, *(plain(t) for t in article.takeaways)]
    found += plain_blocks(_no_figures(article.body))
    for notice in article.corrections:
        date = wording.format_date(notice.date, article.language)
        found.append(f"{getattr(labels, notice.kind)} · {date}{labels.colon}{plain(notice.text)}")
    return [p for p in found if p]


def _no_figures(blocks: model.Blocks) -> model.Blocks:
    return tuple(b for b in blocks if not isinstance(b, model.Figure))


def _person(author: model.Author) -> dict[str, Any]:
    person: dict[str, Any] = {"name": author.name, "rel": author.role or "author"}
    uri = as_uri(author.url)
    if uri:
        person["uri"] = uri
    if author.email:
        person["contactInfo"] = [{"type": "email", "value": author.email}]
    return person


def _subjects(article: model.Article) -> list[dict[str, str]]:
    section = [{"name": article.section, "rel": "section", "literal": article.section}] if article.section else []
    return section + [{"name": tag, "rel": "tag", "literal": tag} for tag in article.tags]


def _ed_note(article: model.Article) -> str | None:
    """Notes for the recipients' staff: the status explained, then every correction ("CORRECTION (date): text")."""
    lines = [STATUS_NOTES[article.status]] if article.status in STATUS_NOTES else []
    lines += [f"{c.kind.upper()} ({wording.iso(c.date)}): {plain(c.text)}" for c in article.corrections]
    return "\n".join(lines) or None


def _page(article: model.Article, publication: model.Publication) -> list[dict[str, Any]]:
    """The web edition's page (live once the item is usable and past its embargo)."""
    href = as_uri(publication.url(article.page_path))
    return [{"name": "web", "title": article.headline, "href": href, "contentType": "text/html"}] if href else []


def _picture(image: model.Image, publication: model.Publication) -> dict[str, Any]:
    """The lead image as an associated picture; its uri is derived from its published address (stable)."""
    url = publication.url(image.output_path)
    descriptions = [{"role": "alt", "contentType": TEXT, "value": image.alt}]
    descriptions += [{"role": "caption", "contentType": TEXT, "value": image.caption}] if image.caption else []
    descriptions += [{"role": "creditline", "contentType": TEXT, "value": image.credit}] if image.credit else []
    rendition = {"name": "original", "contentType": image.media_type, "width": image.width, "height": image.height,
                 "sizeInBytes": image.size}
    href = as_uri(url)
    if href:
        rendition = {"name": "original", "href": href, **{k: v for k, v in rendition.items() if k != "name"}}
    return {"name": outline.LeadImage.anchor, "rel": "leadimage", "uri": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}",
            "type": "picture", "representationType": "partial", "descriptions": descriptions, "renditions": [rendition]}
