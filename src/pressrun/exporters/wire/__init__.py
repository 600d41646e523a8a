"""The wire: one IPTC ninjs 3.1 item per article for partners, in the wire folder (never the published one).

Every article gets its item, embargoed, withheld and canceled ones too: an embargoed item carries
``embargoedUntil``, a withdrawn one its ``pubStatus``, so recipients hold or recall them. Each item is
validated against IPTC's schema (vendored here) before it is written; one that fails is a located export
failure, never a file a partner's ingest would reject. ``item`` maps the article; ``schema`` checks it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from pressrun import model, site
from pressrun.errors import ExportError, Problem
from pressrun.exporters.base import Exporter, Output, Part

MEDIA_TYPE = "application/json"


class NinjsExporter(Exporter):
    name = "ninjs"
    description = "IPTC ninjs 3.1 items for partners, every article with its status and embargo (in the wire folder)"
    order = 40
    wire = True

    def export_article(self, article: model.Article) -> list[Output]:
        from pressrun.exporters.wire.item import ninjs_item
        from pressrun.exporters.wire.schema import problems

        item = ninjs_item(article, self.ctx.publication, self.ctx.theme.labels_for(article.language))
        found = problems(item)
        if found:
            raise ExportError([Problem(str(article.source_path), f"the ninjs item breaks IPTC's 3.1 schema at {p}", "ninjs")
                               for p in found])
        data = json.dumps(item, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
        return [Output(site.ninjs_path(article.slug), data, MEDIA_TYPE, article.id)]

    def publication_parts(self, articles: Sequence[model.Teaser]) -> list[Part]:
        return []  # items only: nothing is made of several articles
