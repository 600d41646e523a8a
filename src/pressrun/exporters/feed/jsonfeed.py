"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pressrun.exporters.feed.items import FeedItem, FeedMeta, Person

VERSION = "https://jsonfeed.org/version/1.1"


def _author(person: Person) -> dict[str, str]:
    # JSON Feed authors have name, url and avatar; never publish an e-mail address here.
    return {"name": person.name, **({"url": person.url} if person.url else {})}


def _item(item: FeedItem) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item.id,
        "url": item.url,
        "title": item.title,
        "content_html": item.content_html,
        "summary": item.summary_text,
    }
    if item.image:
        data["image"] = item.image.url
    data["date_published"] = item.published.isoformat()
    data["date_modified"] = item.updated.isoformat()
    data["authors"] = [_author(p) for p in item.authors]
    if item.categories:
        data["tags"] = list(item.categories)
    data["language"] = item.language
    if item.downloads:
        data["attachments"] = [
            {"url": d.url, "mime_type": d.media_type, "size_in_bytes": d.length, **({"title": d.title} if d.title else {})}
            for d in item.downloads
        ]
    return data


def json_feed(meta: FeedMeta, items: Sequence[FeedItem]) -> bytes:
    feed: dict[str, Any] = {
        "version": VERSION,
        "title": meta.title,
        "home_page_url": meta.home_url,
        "feed_url": meta.feed_url,
        "description": meta.description,
        "language": meta.language,
    }
    if meta.authors:
        feed["authors"] = [_author(p) for p in meta.authors]
    feed["items"] = [_item(i) for i in items]
    # Fixed key order and formatting: identical sources give identical bytes.
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
