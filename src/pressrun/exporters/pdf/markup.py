"""Rich text → reportlab paragraph markup, with per-run font fallback and resolved links.

Every piece of markup is made for a source field (``markup.at("image.caption")``),
so a character no font covers is reported against the field it came from. A phrase marked in
another language gets its own font and hyphenation (``phrases``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin
from xml.sax.saxutils import escape

from pressrun import model
from pressrun.errors import ExportError, Problem
from pressrun.exporters.pdf.fonts import FontStack
from pressrun.exporters.pdf.phrases import Phrases
from pressrun.exporters.pdf.preflight import uncovered_message
from pressrun.render.spans import spans


def attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


class Markup:
    """Builds markup for one article. Characters no font covers are collected per field, then raised."""

    def __init__(self, source: str, page_url: str, anchors: set[str], code: FontStack, link_color: str,
                 language: str | None = None):
        self.source = source
        self.page_url = page_url
        self.anchors = anchors  # named destinations this PDF has: "#x" links to them stay inside the PDF
        self.code = code
        self.link_color = link_color
        self.problems: list[Problem] = []
        self.links: list[str] = []  # every link target, in order (the tests read them back)
        # The article's language: phrases marked in another get their font and hyphenation (None: not told).
        self.phrases = Phrases(language) if language else None

    def at(self, field: str) -> FieldMarkup:
        """Markup for the text of one source field: problems with it are reported against ``field``."""
        return FieldMarkup(self, field)

    def _missing(self, stack: FontStack, field: str) -> Callable[[str], None]:
        def report(char: str) -> None:
            problem = Problem(self.source, uncovered_message(char, stack), field)
            if problem not in self.problems:
                self.problems.append(problem)
        return report

    def href(self, href: str) -> str:
        """Internal "#anchor" when the PDF has it; otherwise absolute, against the article's web page."""
        if href.startswith("#") and href[1:] in self.anchors:
            return href
        return urljoin(self.page_url, href)

    def text(self, field: str, text: str, stack: FontStack, bold: bool = False, italic: bool = False,
             language: str | None = None) -> str:
        """Markup for ``text``; ``language`` is that of a phrase marked in one (None: the article's)."""
        if language is None or self.phrases is None:
            return stack.markup(text, bold, italic, self._missing(stack, field))
        return self.phrases.markup(text, stack, bold, italic, language, self._missing(stack, field))

    def rich(self, field: str, nodes: model.RichText, stack: FontStack, bold: bool = False, italic: bool = False) -> str:
        out: list[str] = []
        for span in spans(nodes):
            if span.is_break:
                out.append("<br/>")
                continue
            b, i = bold or span.bold, italic or span.italic
            piece = self.text(field, span.text, self.code if span.code else stack, b, i, span.language)
            if span.href:
                target = self.href(span.href)
                self.links.append(target)
                piece = f'<a href="{attr(target)}" color="{self.link_color}" underline="1">{piece}</a>'
            out.append(piece)
        return "".join(out)

    def check(self) -> None:
        if self.problems:
            raise ExportError(self.problems)


@dataclass(frozen=True)
class FieldMarkup:
    """The article's markup for one source field (what ``Markup.at`` gives)."""

    markup: Markup
    field: str

    def sub(self, name: str) -> FieldMarkup:
        """Markup for a field inside this one: ``image`` → ``image.caption``."""
        return FieldMarkup(self.markup, f"{self.field}.{name}")

    def text(self, text: str, stack: FontStack, bold: bool = False, italic: bool = False) -> str:
        return self.markup.text(self.field, text, stack, bold, italic)

    def rich(self, nodes: model.RichText, stack: FontStack, bold: bool = False, italic: bool = False) -> str:
        return self.markup.rich(self.field, nodes, stack, bold, italic)
