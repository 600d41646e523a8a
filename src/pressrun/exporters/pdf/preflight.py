"""Glyph preflight: every character of every text field must have a glyph in the stack that sets it.

Runs before any layout, so a missing glyph is a located build error
(article, field, character, code point) instead of a silent box in print.
"""

from __future__ import annotations

import functools
from pathlib import Path

from pressrun import model
from pressrun.errors import ExportError, Problem
from pressrun.exporters.pdf.fonts import FontStack
from pressrun.render.numerals import number
from pressrun.exporters.pdf.styles import Stacks
from pressrun.labels import LABEL_FIELDS, Labels
from pressrun.render.textfields import text_fields
from pressrun.render.wording import byline_text, format_date
from pressrun.theme import Theme

# Which stack sets which kind of text (see layout.py: headings, captions and bylines are display type).
STACK_OF_KIND = {"text": "body", "display": "display", "code": "code"}


def describe(char: str) -> str:
    return f"character {char!r} (U+{ord(char):04X})"


def uncovered_message(char: str, stack: FontStack) -> str:
    return f"{describe(char)} is not covered by any font of the {stack.label}"


def preflight(article: model.Article, publication: model.Publication, theme: Theme, stacks: Stacks) -> None:
    """Raise ExportError listing every (field, character) that no font of its stack covers."""
    problems: list[Problem] = []
    seen: set[tuple[str, str, str]] = set()

    def check(path: str, field: str, text: str, stack: FontStack) -> None:
        for char in stack.uncovered(text):
            if (field, char, stack.which) not in seen:
                seen.add((field, char, stack.which))
                problems.append(Problem(path, uncovered_message(char, stack), field))

    source = str(article.source_path)
    for item in text_fields(article):
        check(source, item.field, item.text, stacks[STACK_OF_KIND[item.kind]])
    # Text the page shows that does not come from the article: the masthead and footer, the labels in the
    # article's language and the dates and names as its language words them.
    # (The publication's rights are the article's, as read: text_fields has them.)
    publication_file = str(Path(publication.source_dir) / "publication.yaml")
    check(publication_file, "title", publication.title, stacks["display"])
    theme_file = str(theme.root / "theme.yaml")
    for field, text, which in printed_labels(theme.labels_for(article.language), article.language, theme.language):
        check(theme_file, field, text, stacks[which])
    for field, text in worded(article):
        check(source, field, text, stacks["display"])
    if problems:
        raise ExportError(problems)


# The labels the PDF prints (the others are the web edition's and the e-book's), and the stack that sets each.
# Pictures are described by their alt text in the tagged PDF (issue 20): no figure label is printed any more.
PRINTED_LABELS = {
    "why_this_matters": "display", "takeaways": "display", "by": "display", "by_several": "display",
    "published": "display", "updated": "display", "topics": "display", "page": "display",
}


def printed_labels(labels: Labels, language: str, theme_language: str) -> list[tuple[str, str, str]]:
    """(theme.yaml field, text, stack) of every label the PDF prints for an article in ``language``: a label
    with numbers is checked with every digit of the locale in them ("الصفحة ٠١٢٣٤٥٦٧٨٩ من …")."""
    return list(_printed_labels(labels, language, theme_language))


@functools.lru_cache(maxsize=64)
def _printed_labels(labels: Labels, language: str, theme_language: str) -> tuple[tuple[str, str, str], ...]:
    # The same for every article in a language: worded once per process, not once per article (CLDR digits).
    digits = number(1234567890, language)
    prefix = "labels." if language == theme_language else f"labels.{language}."
    found = []
    for name, which in PRINTED_LABELS.items():
        text = getattr(labels, name)
        fields = LABEL_FIELDS.get(name)
        found.append((prefix + name, text.format(**dict.fromkeys(fields, digits)) if fields else text, which))
    return tuple(found)


def worded(article: model.Article) -> list[tuple[str, str]]:
    """(field, text) of what CLDR words for the article: its long dates and its authors' names as one list."""
    found = [("published", format_date(article.published, article.language))]
    if article.updated:
        found.append(("updated", format_date(article.updated, article.language)))
    if article.byline:
        found.append(("byline", byline_text(article.byline, article.language)))
    return found
