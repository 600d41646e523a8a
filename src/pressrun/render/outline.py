"""The article's table of contents, derived from its parts (``pressrun.outline``) for every format."""

from __future__ import annotations

from dataclasses import dataclass

from pressrun import model, outline
from pressrun.render.plain import plain
from pressrun.theme import Labels

# The parts that are entries of the table of contents, at level 2 under the headline, titled by their label.
_LABELLED_SECTIONS = (outline.WhyThisMatters, outline.Takeaways)


@dataclass(frozen=True)
class TocEntry:
    level: int  # 1 = headline, 2 = sections and ## headings, 3-4 = deeper headings
    title: str
    anchor: str


def table_of_contents(article: model.Article, labels: Labels) -> list[TocEntry]:
    """Headline, why-this-matters, takeaways and body headings, in reading order."""
    entries = []
    for part in outline.article_parts(article):
        if isinstance(part, outline.Headline):
            entries.append(TocEntry(1, part.text, part.anchor))
        elif isinstance(part, _LABELLED_SECTIONS):
            entries.append(TocEntry(2, getattr(labels, part.label), part.anchor))
        elif isinstance(part, outline.Body):
            entries.extend(TocEntry(b.level, plain(b.children), b.anchor) for b in part.blocks if isinstance(b, model.Heading))
    return entries


# Transitional names for the parts' anchors, until every writer visits the parts (then removed).
HEADLINE_ID = outline.Headline.anchor
STANDFIRST_ID = outline.Standfirst.anchor
BYLINE_ID = outline.Byline.anchor
LEAD_IMAGE_ID = outline.LeadImage.anchor
WHY_ID = outline.WhyThisMatters.anchor
TAKEAWAYS_ID = outline.Takeaways.anchor
BODY_ID = outline.Body.anchor
