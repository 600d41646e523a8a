"""Feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the publication (and, in a multilingual publication, for each
language), RSS and Atom per section and tag.

``items`` decides what each feed says about an article (once, for all three
formats); ``syndication`` writes RSS/Atom with feedgen and corrects it;
``jsonfeed`` writes JSON Feed; ``paths`` names the files; ``xmlsafe`` keeps
forbidden characters out.

Speed (issue 19): one :class:`~pressrun.exporters.feed.syndication.EntryCache` per exporter, so an article's RSS
item and Atom entry are serialised once however many feeds hold it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from pressrun import model, site
from pressrun.exporters.base import ExportContext, Exporter, Output, Part
from pressrun.exporters.feed import paths
from pressrun.language import reading_language
from pressrun.render import wording
from pressrun.exporters.feed.items import FeedItem, FeedMeta, build_item, build_meta

if TYPE_CHECKING:  # feedgen and lxml load with the first feed
    from pressrun.exporters.feed.syndication import EntryCache

RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"
JSON_TYPE = "application/feed+json"


class FeedExporter(Exporter):
    name = "feed"
    description = "RSS 2.0, Atom 1.0 and JSON Feed 1.1 (also per language), plus RSS/Atom per section and tag"
    order = 20  # after pdf/docx/epub, so items can link the editions this build wrote

    def __init__(self, ctx: ExportContext):
        super().__init__(ctx)
        self._items: dict[str, FeedItem] = {}
        self._entries: EntryCache | None = None  # made with the first feed (syndication imports feedgen)

    def publication_parts(self, articles: Sequence[model.Teaser]) -> list[Part]:
        """One part per feed (the publication's, each language's, each section's, each tag's), made of its newest
        articles: an edit rebuilds only the feeds the article is in."""
        if not articles:
            return []  # no article, no updated date: a feed would have to invent one
        limit = self.ctx.publication.feed_limit

        def newest(keep: Callable[[model.Teaser], bool]) -> list[model.Teaser]:
            # Articles arrive newest first; never rely on that alone.
            return sorted((a for a in articles if keep(a)), key=lambda a: (-a.published.timestamp(), a.slug))[:limit]

        parts = [Part("publication", newest(lambda a: True))]
        for language in self.ctx.languages:
            parts.append(Part(f"lang/{language}", newest(lambda a, t=language: reading_language(a.language) == t), language))
        for section, slug in sorted(paths.sections(articles).items()):
            parts.append(Part(f"section/{slug}", newest(lambda a, s=section: a.section == s), section))
        for tag, slug in sorted(paths.tags(articles).items()):
            parts.append(Part(f"tag/{slug}", newest(lambda a, t=tag: t in a.tags), tag))
        return parts

    def export_part(self, part: Part) -> list[Output]:
        from pressrun.exporters.feed.jsonfeed import json_feed
        from pressrun.exporters.feed.syndication import EntryCache, atom, rss

        if self._entries is None:
            self._entries = EntryCache()

        publication = self.ctx.publication
        items = [self._item(a) for a in part.articles]
        kind, _, slug = part.name.partition("/")
        json_path, title, language = None, None, None
        if kind == "publication":
            rss_path, atom_path, json_path = paths.RSS, paths.ATOM, paths.JSON
        elif kind == "lang":
            rss_path, atom_path, json_path = site.language_feeds(slug)
            title, language = wording.language_title(publication.title, slug), slug
        else:
            rss_path, atom_path = site.section_feeds(slug) if kind == "section" else site.tag_feeds(slug)
            title = f"{publication.title}: {part.label}"

        def meta(path: str) -> FeedMeta:
            return build_meta(publication, items, path, title, language)

        outputs = [
            Output(rss_path, rss(meta(rss_path), items, self._entries), RSS_TYPE),
            Output(atom_path, atom(meta(atom_path), items, self._entries), ATOM_TYPE),
        ]
        if json_path:  # section and tag feeds are RSS and Atom only
            outputs.append(Output(json_path, json_feed(meta(json_path), items), JSON_TYPE))
        return outputs

    def export_publication(self, articles: Sequence[model.Teaser]) -> list[Output]:
        return [output for part in self.publication_parts(articles) for output in self.export_part(part)]

    def _item(self, article: model.Teaser) -> FeedItem:
        """An article's entry, made once for every feed it is in (the whole article is loaded for it, then let go),
        and kept for the next build while the article and its downloads stay the same (a new article rebuilds
        every feed it is in, but makes one entry, not fifty); so are its serialised RSS and Atom entries (feedgen
        takes ~0.5 ms an entry)."""
        if article.id in self._items:
            return self._items[article.id]
        content = self.ctx.content_keys.get(article.id)
        downloads = self.ctx.downloads(article)
        key = None
        if content:
            files = "|".join(f"{w.path} {w.media_type} {w.size} {w.label}" for w in downloads)
            key = "feed-item " + hashlib.sha256(f"{content}|{files}".encode()).hexdigest()
            kept = self.ctx.fragments.get(key)
            if isinstance(kept, FeedItem):
                self._items[article.id] = kept
                self._keep_entries(kept, key, article.id, content)
                return kept
        item = build_item(self.ctx.article(article), self.ctx.publication, self.ctx.theme.labels_for(article.language),
                          downloads)
        if key and content:
            self.ctx.fragments.put(key, item, article.id, content)
            self._keep_entries(item, key, article.id, content)
        self._items[article.id] = item
        return item

    def _keep_entries(self, item: FeedItem, key: str, article_id: str, content: str) -> None:
        """The item's entries (deflated) from the build that made them, or made now and kept for the next one."""
        assert self._entries is not None  # made by export_part before any item
        kept = self.ctx.fragments.get("entries " + key)
        if isinstance(kept, tuple) and len(kept) == 2 and all(isinstance(e, bytes) for e in kept):
            self._entries.seed(item, *kept)
        else:
            self.ctx.fragments.put("entries " + key, self._entries.packed(item), article_id, content)
