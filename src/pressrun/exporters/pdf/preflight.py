"""Glyph preflight: every character of every text field must have a glyph in the stack that sets it.

Runs before any layout, so a missing glyph is a located build error
(article, field, character, code point) instead of a silent box in print.
"""

from __future__ import annotations

from pathlib import Path

from pressrun import model
from pressrun.errors import ExportError, Problem
from pressrun.exporters.pdf.fonts import FontStack
from pressrun.exporters.pdf.styles import Stacks
from pressrun.render.textfields import text_fields
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
    # Text the page shows that does not come from the article: the masthead and footer, the theme's labels.
    # (The publication's rights are the article's, as read: text_fields has them.)
    publication_file = str(Path(publication.source_dir) / "publication.yaml")
    check(publication_file, "title", publication.title, stacks["display"])
    for name, label in vars(theme.labels_for(article.language)).items():
        check(str(theme.root / "theme.yaml"), f"labels.{name}", label, stacks["display"])
    if problems:
        raise ExportError(problems)
