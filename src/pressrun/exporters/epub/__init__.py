"""The EPUB 3 edition: one book per article, and one "issue" collecting the newest
``issue.limit`` articles (publication.yaml; default 50, ``all`` for every one), newest first.

Pipeline: ``assemble`` (model → plan of the book, using the shared XHTML
renderer) → ``package`` (EbookLib writes OPF + NCX, into a dict of entries) →
``reproducible`` (write the ZIP so identical sources give identical bytes). The issue is written into its
file as it is made (``stream``): an issue of every article is never held whole.
Heavy libraries (EbookLib, lxml, Pillow, uharfbuzz) load only when a book is made.
"""

from __future__ import annotations

from collections.abc import Sequence

from pressrun import model, site
from pressrun.exporters.base import Exporter, Output, Part

MEDIA_TYPE = "application/epub+zip"


class EpubExporter(Exporter):
    name = "epub"
    description = "EPUB 3 e-book per article, plus one collection of the newest articles (EPUBCheck-clean, accessible)"
    order = 10

    def export_article(self, article: model.Article) -> list[Output]:
        from pressrun.exporters.epub.assemble import assemble
        from pressrun.exporters.epub.metadata import article_info
        from pressrun.exporters.epub.package import write_package
        from pressrun.exporters.epub.reproducible import archive

        publication = self.ctx.publication
        info = article_info(article, publication)
        data = archive(write_package(assemble([article], info, publication, self.ctx.theme, False)), info.modified)
        return [Output(site.document_path("epub", article.slug), data, MEDIA_TYPE, article_id=article.id, label="EPUB")]

    def publication_parts(self, articles: Sequence[model.Teaser]) -> list[Part]:
        """The issue: the newest ``issue.limit`` articles (older ones changing leave it alone)."""
        if not articles:
            return []
        newest_first = sorted(articles, key=lambda a: (-a.published.timestamp(), a.slug))
        chosen = newest_first[: self.ctx.publication.issue_limit]
        label = "every article" if len(chosen) == len(articles) else f"the newest {len(chosen)} articles"
        return [Part("issue", chosen, label)]

    def export_part(self, part: Part) -> list[Output]:
        """The issue, written into its file as it is made: each article loaded whole only while its page is."""
        from pressrun.exporters.epub.metadata import collection_info
        from pressrun.exporters.epub.stream import write_book

        pub, theme, load = self.ctx.publication, self.ctx.theme, self.ctx.article
        info = collection_info(part.articles, pub)
        # A folder of its own: article slugs share the publication's alphabet, so "epub/<slug>.epub" could collide.
        path = site.issue_path(pub.title, pub.base_url)
        label = theme.labels_for(pub.language).collection_download.format(title=pub.title)
        return [Output(path, b"", MEDIA_TYPE, label=label,
                       produce=lambda handle: write_book(handle, part.articles, info, pub, theme, load))]

    def export_publication(self, articles: Sequence[model.Teaser]) -> list[Output]:
        return [output for part in self.publication_parts(articles) for output in self.export_part(part)]
