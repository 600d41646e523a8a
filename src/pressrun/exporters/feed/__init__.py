"""Feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the publication, RSS and Atom per section and tag.

``items`` decides what each feed says about an article (once, for all three
formats); ``syndication`` writes RSS/Atom with feedgen and corrects it;
``jsonfeed`` writes JSON Feed; ``paths`` names the files; ``xmlsafe`` keeps
forbidden characters out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pressrun import model
from pressrun.exporters.base import Exporter, Output
from pressrun.exporters.feed import paths
from pressrun.exporters.feed.items import FeedItem, FeedMeta, build_item, build_meta

RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"
JSON_TYPE = "application/feed+json"


class FeedExporter(Exporter):
    name = "feed"
    description = "RSS 2.0, Atom 1.0 and JSON Feed 1.1, plus RSS/Atom per section and tag"
    order = 20  # after pdf/docx/epub, so items can link the editions this build wrote

    def export_publication(self, articles: Sequence[model.Article]) -> list[Output]:
        from pressrun.exporters.feed.jsonfeed import json_feed
        from pressrun.exporters.feed.syndication import atom, rss

        if not articles:
            return []  # no article, no updated date: a feed would have to invent one
        publication = self.ctx.publication
        labels = self.ctx.theme.labels
        cache: dict[str, FeedItem] = {}

        def item(article: model.Article) -> FeedItem:
            if article.id not in cache:
                cache[article.id] = build_item(article, publication, labels, self.ctx.downloads(article))
            return cache[article.id]

        def newest(keep: Callable[[model.Article], bool]) -> list[FeedItem]:
            # Articles arrive newest first; never rely on that alone.
            chosen = sorted((a for a in articles if keep(a)), key=lambda a: (-a.published.timestamp(), a.slug))
            return [item(a) for a in chosen[: publication.feed_limit]]

        outputs: list[Output] = []

        def pair(rss_path: str, atom_path: str, items: list[FeedItem], suffix: str | None) -> None:
            outputs.append(Output(rss_path, rss(build_meta(publication, items, rss_path, suffix), items), RSS_TYPE))
            outputs.append(Output(atom_path, atom(build_meta(publication, items, atom_path, suffix), items), ATOM_TYPE))

        everything = newest(lambda a: True)
        pair(paths.RSS, paths.ATOM, everything, None)
        outputs.append(Output(paths.JSON, json_feed(build_meta(publication, everything, paths.JSON), everything), JSON_TYPE))
        for section, slug in sorted(paths.sections(articles).items()):
            pair(*paths.section_feeds(slug), newest(lambda a, s=section: a.section == s), section)
        for tag, slug in sorted(paths.tags(articles).items()):
            pair(*paths.tag_feeds(slug), newest(lambda a, t=tag: t in a.tags), tag)
        return outputs
