"""RSS 2.0 and Atom 1.0 through feedgen, then corrected with lxml.

feedgen writes the bulk; a post-processing pass fixes what it gets wrong or
cannot express (see /work/shared/library-notes.md):

- one generator per format: the self link's ``type`` would otherwise be shared;
- RSS: ``rel="self"`` link added *before* the site link, because the channel
  ``<link>`` is the last ``link()`` call; authors as ``dc:creator`` (RSS
  ``<author>`` needs an e-mail and feedgen drops the others); each item's language
  as ``dc:language`` (RSS has none of its own); ``media:content``
  with ``media:description``/``media:credit`` written directly in the item (feedgen
  wraps it in a one-element ``media:group``, which validators flag and cannot
  add the children); ``atom:updated`` per item, since RSS has no updated date;
- Atom: entry links written here, because feedgen's entry loop loses
  ``rel``/``type``/``length`` (an enclosure would become a second alternate);
- every date explicit (feedgen defaults to *now*), entries appended in order
  (feedgen prepends by default), generator and docs set (no feedgen defaults);
- ``description(isSummary=...)`` is never used: ``summary()`` and ``content()``
  set Atom summary/content and RSS description/content:encoded separately.

Speed (issue 19): an article sits in up to a dozen feeds (the publication's, its language's, section's and
tags'), so each item's ``<item>``/``<entry>`` is made once per build (:class:`EntryCache`) through the same
feedgen + lxml pipeline, in a one-item feed, and its bytes are spliced into every feed that holds it: a feed is
its channel written without items plus those bytes. lxml writes an element the same whatever its siblings
(same depth, same namespaces on the root), so the bytes are those of the feed written whole.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from pressrun.exporters.feed.items import GENERATOR, GENERATOR_VERSION, Attachment, FeedItem, FeedMeta

if TYPE_CHECKING:  # heavy imports stay inside the functions
    from lxml import etree

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_NS = "http://search.yahoo.com/mrss/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RSS_DOCS = "https://www.rssboard.org/rss-specification"
HTML_TYPE = "text/html"


def _generator(meta: FeedMeta, self_type: str):
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.id(meta.feed_url)
    fg.title(meta.title)
    fg.subtitle(meta.description)  # Atom subtitle; RSS description (set again below)
    fg.description(meta.description)
    fg.link(href=meta.feed_url, rel="self", type=self_type)  # first: see module docstring
    fg.link(href=meta.home_url, rel="alternate", type=HTML_TYPE)  # last: becomes the RSS channel <link>
    fg.language(meta.language)
    fg.updated(meta.updated)
    fg.lastBuildDate(meta.updated)
    fg.generator(GENERATOR, version=GENERATOR_VERSION)
    fg.docs(RSS_DOCS)
    if meta.rights:
        fg.rights(meta.rights)
        fg.copyright(meta.rights)
    return fg


def _reparse(data: bytes) -> etree._Element:
    from lxml import etree

    return etree.fromstring(data, etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True))


def _serialise(root: etree._Element) -> bytes:
    from lxml import etree

    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")


class EntryCache:
    """Each item's serialised RSS ``<item>`` and Atom ``<entry>``, made once for every feed it is in.

    Kept deflated (zlib level 1, a quarter of the size): an entry carries the whole article twice over, and the
    feeds of 1,000 articles in six languages hold a few hundred items, 16 MB of entries that were a tenth of the
    build's peak memory (issue 19's memory target); deflating and inflating them costs ~0.1 ms an entry.
    """

    def __init__(self) -> None:
        self._rss: dict[FeedItem, bytes] = {}
        self._atom: dict[FeedItem, bytes] = {}

    def rss(self, item: FeedItem) -> bytes:
        return zlib.decompress(self.packed(item)[0])

    def atom(self, item: FeedItem) -> bytes:
        return zlib.decompress(self.packed(item)[1])

    def packed(self, item: FeedItem) -> tuple[bytes, bytes]:
        """The item's RSS and Atom entries, deflated, made now if they were not."""
        if item not in self._rss:
            self._rss[item] = _deflated(_fragment(_rss_document(_ENTRY_META, (item,)), b"\n    <item>", RSS_END))
        if item not in self._atom:
            self._atom[item] = _deflated(_fragment(_atom_document(_ENTRY_META, (item,)), b"\n  <entry", ATOM_END))
        return self._rss[item], self._atom[item]

    def seed(self, item: FeedItem, rss_entry: bytes, atom_entry: bytes) -> None:
        """The item's entries (deflated) as an earlier build made them (the same item and code, the same bytes)."""
        self._rss.setdefault(item, rss_entry)
        self._atom.setdefault(item, atom_entry)


def _deflated(entry: bytes) -> bytes:
    return zlib.compress(entry, 1)


# The feed an item is serialised in: only its root (and so the items' depth and namespaces) matters.
_ENTRY_META = FeedMeta(
    title="entry", description="entry", home_url="https://example.invalid/", feed_url="https://example.invalid/feed",
    language="und", description_language="und", updated=datetime(2000, 1, 1, tzinfo=timezone.utc), rights=None,
    authors=(),
)
RSS_END = b"  </channel>\n"  # what follows the last item in an RSS feed
ATOM_END = b"</feed>\n"  # what follows the last entry in an Atom feed


def _fragment(document: bytes, start: bytes, end: bytes) -> bytes:
    """The items' bytes in ``document``: from the first ``start`` (after its newline) to the closing ``end``.
    Text and attribute values escape ``<``, so only an element can match ``start``."""
    return document[document.index(start) + 1:document.rindex(end)]


def _splice(skeleton: bytes, end: bytes, entries: Sequence[bytes]) -> bytes:
    """A feed written without items, with ``entries`` put where its items go (just before ``end``)."""
    at = skeleton.rindex(end)
    return b"".join((skeleton[:at], *entries, skeleton[at:]))


def rss(meta: FeedMeta, items: Sequence[FeedItem], entries: EntryCache | None = None) -> bytes:
    """RSS 2.0; ``entries`` shares the items' bytes between the feeds of one build."""
    cache = entries if entries is not None else EntryCache()
    return _splice(_rss_document(meta, ()), RSS_END, [cache.rss(item) for item in items])


def _rss_document(meta: FeedMeta, items: Sequence[FeedItem]) -> bytes:
    fg = _generator(meta, "application/rss+xml")
    fg.load_extension("dc", atom=False, rss=True)
    fg.load_extension("media", atom=False, rss=True)  # only for its namespace declaration
    for item in items:
        fe = fg.add_entry(order="append")
        fe.guid(item.id, permalink=item.permalink)
        fe.title(item.title)
        fe.link(href=item.url, rel="alternate")
        fe.summary(item.summary_html)  # RSS <description> (HTML, escaped)
        fe.content(item.content_html)  # <content:encoded>
        fe.published(item.published)
        fe.updated(item.updated)
        if item.categories:
            fe.category([{"term": c} for c in item.categories])
        if item.image:
            fe.enclosure(item.image.url, str(item.image.length), item.image.media_type)
        for person in item.authors:
            fe.dc.dc_creator(person.name)
        fe.dc.dc_language(item.language)  # Atom's is xml:lang on <entry>, JSON Feed's the item's language
    root = _reparse(fg.rss_str())
    _fix_rss(root, items)
    return _serialise(root)


def _fix_rss(root: etree._Element, items: Sequence[FeedItem]) -> None:
    from lxml import etree

    channel = root.find("channel")
    assert channel is not None
    generator = channel.find("generator")
    assert generator is not None
    generator.text = f"{GENERATOR} {GENERATOR_VERSION}"  # feedgen keeps the version for Atom only
    for element, item in zip(channel.findall("item"), items, strict=True):
        updated = etree.SubElement(element, f"{{{ATOM_NS}}}updated")
        updated.text = item.updated.isoformat()
        for rel, download in _download_rels(item):
            _atom_link(element, rel, download, f"{{{ATOM_NS}}}link")
        if item.image:
            _media_content(element, item.image)


def _download_rels(item: FeedItem) -> list[tuple[str, Attachment]]:
    """A PDF or EPUB edition is an alternate version of the item; Atom allows one
    alternate per media type (DuplicateAtomLink), so any further one is "related"."""
    seen = {HTML_TYPE}
    rels = []
    for download in item.downloads:
        rels.append(("related" if download.media_type in seen else "alternate", download))
        seen.add(download.media_type)
    return rels


def _media_content(parent: etree._Element, image: Attachment) -> None:
    from lxml import etree

    content = etree.SubElement(parent, f"{{{MEDIA_NS}}}content")
    content.set("url", image.url)
    content.set("type", image.media_type)
    content.set("medium", "image")
    content.set("fileSize", str(image.length))
    if image.width and image.height:
        content.set("width", str(image.width))
        content.set("height", str(image.height))
    if image.alt:
        description = etree.SubElement(content, f"{{{MEDIA_NS}}}description", type="plain")
        description.text = image.alt
    if image.credit:
        # No role: Media RSS roles come from a fixed (EBU) list; the credit line is free text.
        credit = etree.SubElement(content, f"{{{MEDIA_NS}}}credit")
        credit.text = image.credit


def _atom_link(parent: etree._Element, rel: str, target: Attachment, tag: str = "link") -> etree._Element:
    from lxml import etree

    link = etree.SubElement(parent, tag, href=target.url, rel=rel, type=target.media_type)
    if target.length:
        link.set("length", str(target.length))
    if target.title:
        link.set("title", target.title)
    return link


def atom(meta: FeedMeta, items: Sequence[FeedItem], entries: EntryCache | None = None) -> bytes:
    """Atom 1.0; ``entries`` shares the items' bytes between the feeds of one build."""
    cache = entries if entries is not None else EntryCache()
    return _splice(_atom_document(meta, ()), ATOM_END, [cache.atom(item) for item in items])


def _atom_document(meta: FeedMeta, items: Sequence[FeedItem]) -> bytes:
    fg = _generator(meta, "application/atom+xml")
    for item in items:
        fe = fg.add_entry(order="append")
        fe.id(item.id)
        fe.title(item.title)
        fe.summary(item.summary_html, type="html")
        fe.content(item.content_html, type="html")
        fe.published(item.published)
        fe.updated(item.updated)
        for person in item.authors:
            fe.author({k: v for k, v in (("name", person.name), ("uri", person.url), ("email", person.email)) if v})
        if item.categories:
            fe.category([{"term": c} for c in item.categories])
        if item.rights:
            fe.rights(item.rights)
    root = _reparse(fg.atom_str())
    _fix_atom(root, items)
    if meta.description_language != meta.language:  # a language's feed: the description is the publication's
        subtitle = root.find(f"{{{ATOM_NS}}}subtitle")
        if subtitle is not None:
            subtitle.set(XML_LANG, meta.description_language)
    return _serialise(root)


def _fix_atom(root: etree._Element, items: Sequence[FeedItem]) -> None:
    from lxml import etree

    ns = {"a": ATOM_NS}
    for entry, item in zip(root.findall("a:entry", ns), items, strict=True):
        entry.set(XML_LANG, item.language)
        for stale in entry.findall("a:link", ns):  # none expected; never keep a mangled one
            entry.remove(stale)
        title = entry.find("a:title", ns)
        assert title is not None
        position = list(entry).index(title) + 1
        links = [etree.Element(f"{{{ATOM_NS}}}link", href=item.url, rel="alternate", type=HTML_TYPE)]
        if item.image:
            links.append(_atom_link(etree.Element("x"), "enclosure", item.image, f"{{{ATOM_NS}}}link"))
        links += [_atom_link(etree.Element("x"), rel, d, f"{{{ATOM_NS}}}link") for rel, d in _download_rels(item)]
        for offset, link in enumerate(links):
            entry.insert(position + offset, link)
