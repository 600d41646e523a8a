"""Feeds: RSS and Atom parse cleanly with feedparser (``bozo`` 0), JSON Feed is valid against the JSON Feed 1.1
schema (jsonschema), and every URL — links, ids that are URLs, enclosures, images, links inside the content — is
absolute: a feed reader has no page to resolve a relative one against."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import jsonschema
from lxml import etree
from lxml import html as lxml_html

from pressrun.verify.findings import CheckOptions, Finding, line_of, shorten

URL_ATTRIBUTES = ("href", "src", "poster")


def check(root: Path, files: list[str], options: CheckOptions) -> list[Finding]:
    findings: list[Finding] = []
    for rel in files:
        data = (root / rel).read_bytes()
        findings.extend(check_json(rel, data) if rel.endswith(".json") else check_xml(rel, data))
    return findings


@cache
def _schema_text() -> str:
    return resources.files("pressrun.verify").joinpath("jsonfeed_schema.json").read_text(encoding="utf-8")


def json_feed_schema() -> dict:
    """The JSON Feed 1.1 JSON Schema (draft 2020-12) that verify and the tests use; a fresh copy each call."""
    return json.loads(_schema_text())


def is_absolute(url: str) -> bool:
    """A scheme, and for http(s) a host: 'urn:uuid:…' and 'mailto:…' are absolute, '//host/x' and 'a/b' are not."""
    parts = urlsplit(url.strip())
    return bool(parts.scheme) and (parts.scheme.lower() not in ("http", "https") or bool(parts.netloc))


# --- RSS and Atom --------------------------------------------------------------------


def check_xml(rel: str, data: bytes) -> list[Finding]:
    # Bytes, never a path: given a string, feedparser would fetch URLs. Relative URLs are kept as written
    # (feedparser would otherwise resolve them against the document and hide exactly what we look for).
    parsed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=False)
    if parsed.bozo:
        exc = parsed.get("bozo_exception")
        line = exc.getLineNumber() if hasattr(exc, "getLineNumber") else None
        return [Finding(rel, "parse", f"feedparser: {shorten(str(exc))}", line)]
    if not parsed.version:
        return [Finding(rel, "parse", "feedparser recognises neither RSS nor Atom")]
    text = data.decode("utf-8", "replace")
    return _url_findings(rel, text, _xml_urls(parsed))


def _xml_urls(parsed) -> Iterator[tuple[str, str]]:
    """(where, url) for every URL feedparser found, feed-level first."""
    atom = parsed.version.startswith("atom")
    feed = parsed.feed
    yield from _common_urls("feed", feed)
    for key in ("docs", "icon", "logo"):
        if feed.get(key):
            yield f"feed {key}", feed[key]
    image = feed.get("image") or {}
    for key in ("href", "link"):
        if image.get(key):
            yield f"feed image {key}", image[key]
    if atom and feed.get("id"):
        yield "feed id", feed["id"]
    for number, entry in enumerate(parsed.entries, 1):
        where = f"entry {number}"
        yield from _common_urls(where, entry)
        # Atom ids are IRIs and must be absolute; an RSS guid is a URL unless isPermaLink="false".
        if entry.get("id") and (atom or entry.get("guidislink") or _looks_like_path(entry["id"])):
            yield f"{where} id", entry["id"]
        for enclosure in entry.get("enclosures", []):
            yield f"{where} enclosure", enclosure.get("href", "")
        for key in ("media_content", "media_thumbnail"):
            for media in entry.get(key, []):
                if media.get("url"):
                    yield f"{where} {key.replace('_', ':')}", media["url"]
        if entry.get("comments"):
            yield f"{where} comments", entry["comments"]
        fragments = [(f"{where} content", c) for c in entry.get("content", [])]
        if entry.get("summary_detail"):
            fragments.append((f"{where} summary", entry["summary_detail"]))
        for label, detail in fragments:
            if "html" in (detail.get("type") or ""):
                yield from ((f"{label} {attr}", url) for attr, url in html_urls(detail.get("value") or ""))


def _common_urls(where: str, node) -> Iterator[tuple[str, str]]:
    if node.get("link"):
        yield f"{where} link", node["link"]
    for link in node.get("links", []):
        if link.get("href") and link["href"] != node.get("link"):
            yield f"{where} link rel={link.get('rel', 'alternate')}", link["href"]
    for person in [node.get("author_detail") or {}, *node.get("authors", []), *node.get("contributors", [])]:
        if person.get("href"):
            yield f"{where} author", person["href"]


def _looks_like_path(identifier: str) -> bool:
    return "/" in identifier and not urlsplit(identifier).scheme


def html_urls(fragment: str) -> Iterator[tuple[str, str]]:
    """(attribute, url) for every link and media URL in an HTML fragment (content:encoded, content_html…)."""
    if not fragment.strip():
        return
    try:
        tree = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return  # not markup after all: nothing to resolve
    for element in tree.iter():
        for attr in URL_ATTRIBUTES:
            if element.get(attr) is not None:
                yield attr, element.get(attr)
        for candidate in (element.get("srcset") or "").split(","):
            if candidate.strip():
                yield "srcset", candidate.split()[0]


def _url_findings(rel: str, text: str, urls: Iterable[tuple[str, str]]) -> list[Finding]:
    findings = []
    reported: set[str] = set()
    for where, url in urls:
        if is_absolute(url) or url in reported:
            continue
        reported.add(url)  # once per URL: the same relative link in every entry is one problem
        escaped = json.dumps(url)[1:-1]
        line = line_of(text, f'"{url}"', f">{url}<", f"'{url}'", f'"{escaped}"', url)
        findings.append(Finding(rel, "url", f"{where}: {url!r} is not an absolute URL", line))
    return findings


# --- JSON Feed -----------------------------------------------------------------------


def check_json(rel: str, data: bytes) -> list[Finding]:
    try:
        text = data.decode("utf-8")
        feed = json.loads(text)
    except UnicodeDecodeError as exc:
        return [Finding(rel, "parse", f"not UTF-8: {exc.reason} at byte {exc.start}")]
    except json.JSONDecodeError as exc:
        return [Finding(rel, "parse", f"not valid JSON: {exc.msg}", exc.lineno)]
    urls = list(_json_urls(feed))
    findings = _url_findings(rel, text, urls)
    relative = {pointer for pointer, url in urls if not is_absolute(url)}
    validator = jsonschema.Draft202012Validator(json_feed_schema(), format_checker=jsonschema.FormatChecker())
    for error in sorted(validator.iter_errors(feed), key=lambda e: list(map(str, e.absolute_path))):
        pointer = "/".join(map(str, error.absolute_path)) or "(top level)"
        if pointer in relative:
            continue  # already reported, with its line, as a relative URL
        value = error.instance if isinstance(error.instance, str) else None
        line = line_of(text, json.dumps(value)) if value else None
        findings.append(Finding(rel, "schema", f"{pointer}: {shorten(error.message)}", line))
    return findings


def _json_urls(feed) -> Iterator[tuple[str, str]]:
    """(JSON pointer, url) for every URL-valued member of a JSON Feed, and the links inside content_html."""
    if not isinstance(feed, dict):
        return
    for key in ("home_page_url", "feed_url", "next_url", "icon", "favicon"):
        if isinstance(feed.get(key), str):
            yield key, feed[key]
    yield from _json_people("authors", feed.get("authors"))
    items = feed.get("items") if isinstance(feed.get("items"), list) else []
    for number, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        at = f"items/{number}"
        for key in ("url", "external_url", "image", "banner_image"):
            if isinstance(item.get(key), str):
                yield f"{at}/{key}", item[key]
        if isinstance(item.get("id"), str) and _looks_like_path(item["id"]):
            yield f"{at}/id", item["id"]
        yield from _json_people(f"{at}/authors", item.get("authors"))
        for index, attachment in enumerate(item.get("attachments") or []):
            if isinstance(attachment, dict) and isinstance(attachment.get("url"), str):
                yield f"{at}/attachments/{index}/url", attachment["url"]
        if isinstance(item.get("content_html"), str):
            yield from ((f"{at}/content_html {attr}", url) for attr, url in html_urls(item["content_html"]))


def _json_people(at: str, people) -> Iterator[tuple[str, str]]:
    for index, person in enumerate(people if isinstance(people, list) else []):
        for key in ("url", "avatar"):
            if isinstance(person, dict) and isinstance(person.get(key), str):
                yield f"{at}/{index}/{key}", person[key]
