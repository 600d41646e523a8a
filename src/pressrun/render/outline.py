"""The article's table of contents, derived from its parts (``pressrun.outline``) for every format."""

from __future__ import annotations

from dataclasses import dataclass

from pressrun import model, outline
from pressrun.render.dispatch import PartWriter
from pressrun.render.plain import plain
from pressrun.theme import Labels


@dataclass(frozen=True)
class TocEntry:
    level: int  # 1 = headline, 2 = sections and ## headings, 3-4 = deeper headings
    title: str
    anchor: str


class NavigationEntries(PartWriter):
    """What each part adds to the table of contents: the headline (level 1), the labelled sections
    (level 2, titled by their label) and the story's headings; every other part adds nothing.

    The EPUB navigation document and NCX and the PDF's bookmarks follow these entries. Of the story's
    blocks only its own headings are entries (a heading inside a list or quote is not a section);
    titles are plain text, hence ``BLOCK_ONLY``.
    """

    BLOCK_ONLY = True

    def __init__(self, labels: Labels):
        self.labels = labels

    def entries(self, article: model.Article) -> list[TocEntry]:
        return [entry for found in self.parts(article) for entry in found]

    def visit_Headline(self, part: outline.Headline) -> list[TocEntry]:
        return [TocEntry(1, part.text, part.anchor)]

    def _labelled(self, part: outline.WhyThisMatters | outline.Takeaways) -> list[TocEntry]:
        return [TocEntry(2, getattr(self.labels, part.label), part.anchor)]

    visit_WhyThisMatters = _labelled
    visit_Takeaways = _labelled

    def visit_Body(self, part: outline.Body) -> list[TocEntry]:
        return [entry for block in part.blocks for entry in self.visit(block)]

    def visit_Heading(self, node: model.Heading) -> list[TocEntry]:
        return [TocEntry(node.level, plain(node.children), node.anchor)]

    def _nothing(self, node: object) -> list[TocEntry]:
        return []

    visit_Kicker = _nothing
    visit_Standfirst = _nothing
    visit_Byline = _nothing
    visit_Dates = _nothing
    visit_LeadImage = _nothing
    visit_Corrections = _nothing  # notices, not a section: each names itself ("Correction · April 28, 2024")
    visit_Topics = _nothing
    visit_Rights = _nothing
    # blocks of the story that are not sections
    visit_Paragraph = _nothing
    visit_BulletList = _nothing
    visit_OrderedList = _nothing
    visit_ListItem = _nothing
    visit_BlockQuote = _nothing
    visit_CodeBlock = _nothing
    visit_ThematicBreak = _nothing
    visit_Figure = _nothing


def table_of_contents(article: model.Article, labels: Labels) -> list[TocEntry]:
    """Headline, why-this-matters, takeaways and body headings, in reading order."""
    return NavigationEntries(labels).entries(article)

