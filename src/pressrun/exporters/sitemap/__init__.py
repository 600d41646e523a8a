"""The Google News sitemap: the articles published in the 48 hours before the build clock, newest first.

Google's rules (developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap): only articles
created in the last two days; at most 1,000 ``<url>`` elements in a file, more behind a sitemap index; each
with ``news:publication`` (name, language), ``news:publication_date`` and ``news:title``. Up to 1,000 fresh
articles, ``news-sitemap.xml`` is the sitemap; beyond, it is an index of ``news-sitemap-1.xml``… so the address
registered in Search Console never changes. With no fresh article it is an empty ``<urlset>``, which Google
says causes no problem (the sitemaps.org schema itself wants one ``<url>``). Embargoed and withdrawn articles
never reach an exporter, so never this file. The window is counted from ``ctx.now``, never the machine's clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from pressrun import model, site
from pressrun.exporters.base import Exporter, Output, Part
from pressrun.language import primary_language, script_of
from pressrun.render import wording

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
WINDOW = timedelta(hours=48)
MAX_URLS = 1000  # Google's limit for one news sitemap
MEDIA_TYPE = "application/xml"


def news_language(tag: str) -> str:
    """Google's ``news:language``: the ISO 639 code, but ``zh-cn`` or ``zh-tw`` for Chinese (by its script)."""
    primary = primary_language(tag)
    if primary == "zh":
        return "zh-tw" if script_of(tag) == "Hant" else "zh-cn"
    return primary


class NewsSitemapExporter(Exporter):
    name = "sitemap"
    description = "Google News sitemap (news-sitemap.xml) of the articles published in the 48 hours before the build clock"
    order = 20

    def publication_parts(self, articles: Sequence[model.Teaser]) -> list[Part]:
        """One part made of the fresh articles: the file changes only when that set (or one of them) does, so an
        incremental build rewrites it as the clock moves articles in and out of the window."""
        now = self.ctx.now
        if now is None:
            raise ValueError("the news sitemap needs the build clock (ExportContext.now)")
        fresh = [a for a in articles if now - WINDOW <= a.published <= now]
        fresh.sort(key=lambda a: (-a.published.timestamp(), a.slug))
        return [Part("news", fresh)]

    def export_part(self, part: Part) -> list[Output]:
        articles = list(part.articles)
        if len(articles) <= MAX_URLS:
            return [Output(site.NEWS_SITEMAP, self._urlset(articles), MEDIA_TYPE)]
        chunks = [articles[i:i + MAX_URLS] for i in range(0, len(articles), MAX_URLS)]
        outputs = [Output(site.news_sitemap_part(n), self._urlset(chunk), MEDIA_TYPE) for n, chunk in enumerate(chunks, 1)]
        return [Output(site.NEWS_SITEMAP, self._index(chunks), MEDIA_TYPE), *outputs]

    def export_publication(self, articles: Sequence[model.Teaser]) -> list[Output]:
        return [o for part in self.publication_parts(articles) for o in self.export_part(part)]

    def _urlset(self, articles: list[model.Teaser]) -> bytes:
        from lxml import etree

        pub = self.ctx.publication
        root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "news": NEWS_NS})
        for article in articles:
            url = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
            etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = pub.url(article.page_path)
            etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = wording.iso(article.modified)
            news = etree.SubElement(url, f"{{{NEWS_NS}}}news")
            publication = etree.SubElement(news, f"{{{NEWS_NS}}}publication")
            etree.SubElement(publication, f"{{{NEWS_NS}}}name").text = pub.title
            etree.SubElement(publication, f"{{{NEWS_NS}}}language").text = news_language(article.language)
            etree.SubElement(news, f"{{{NEWS_NS}}}publication_date").text = wording.iso(article.published)
            etree.SubElement(news, f"{{{NEWS_NS}}}title").text = article.headline
        return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")

    def _index(self, chunks: list[list[model.Teaser]]) -> bytes:
        from lxml import etree

        root = etree.Element(f"{{{SITEMAP_NS}}}sitemapindex", nsmap={None: SITEMAP_NS})
        for number, chunk in enumerate(chunks, start=1):
            entry = etree.SubElement(root, f"{{{SITEMAP_NS}}}sitemap")
            etree.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = self.ctx.publication.url(site.news_sitemap_part(number))
            newest = max(chunk, key=lambda a: a.modified.timestamp())
            etree.SubElement(entry, f"{{{SITEMAP_NS}}}lastmod").text = wording.iso(newest.modified)
        return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")
