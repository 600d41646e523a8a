"""The article's parts in reading order, and its table of contents, decided once for every format.

Reading order: headline, standfirst, byline and dates, lead image, "why this
matters", key takeaways, then the body.
"""

from __future__ import annotations

from dataclasses import dataclass

from pressrun import model
from pressrun.render.plain import plain
from pressrun.theme import Labels

HEADLINE_ID = "headline"
STANDFIRST_ID = "standfirst"
BYLINE_ID = "byline"
LEAD_IMAGE_ID = "lead-image"
WHY_ID = "why-this-matters"
TAKEAWAYS_ID = "takeaways"
BODY_ID = "story"


@dataclass(frozen=True)
class TocEntry:
    level: int  # 1 = headline, 2 = sections and ## headings, 3-4 = deeper headings
    title: str
    anchor: str


def table_of_contents(article: model.Article, labels: Labels) -> list[TocEntry]:
    """Headline, why-this-matters, takeaways and body headings, in reading order."""
    entries = [TocEntry(1, article.headline, HEADLINE_ID)]
    if article.why_this_matters:
        entries.append(TocEntry(2, labels.why_this_matters, WHY_ID))
    if article.takeaways:
        entries.append(TocEntry(2, labels.takeaways, TAKEAWAYS_ID))
    for block in article.body:
        if isinstance(block, model.Heading):
            entries.append(TocEntry(block.level, plain(block.children), block.anchor))
    return entries
