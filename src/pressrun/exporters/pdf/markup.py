"""Rich text → reportlab paragraph markup, with per-run font fallback and resolved links.

Every piece of markup is made for a source field (``markup.at("image.caption")``),
so a character no font covers is reported against the field it came from. A phrase marked in
another language gets its own font and hyphenation (``phrases``). A link, and a phrase in another
language, is an inline structure element of the tagged PDF (``structure``): its markup is bracketed
by markers (``tagging.markup_marker``) that the drawing turns into marked content of its own.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin
from xml.sax.saxutils import escape

from pressrun import model
from pressrun.errors import ExportError, Problem
from pressrun.exporters.pdf.fonts import FontStack
from pressrun.exporters.pdf.phrases import Phrases
from pressrun.exporters.pdf.preflight import uncovered_message
from pressrun.exporters.pdf.structure import StructTree
from pressrun.exporters.pdf.tagging import markup_marker
from pressrun.render.spans import Span, spans


def attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


class Markup:
    """Builds markup for one article. Characters no font covers are collected per field, then raised."""

    def __init__(self, source: str, page_url: str, anchors: set[str], code: FontStack, link_color: str,
                 language: str | None = None, tree: StructTree | None = None):
        self.source = source
        self.page_url = page_url
        self.anchors = anchors  # named destinations this PDF has: "#x" links to them stay inside the PDF
        self.code = code
        self.link_color = link_color
        self.problems: list[Problem] = []
        self.links: list[str] = []  # every link target, in order (the tests read them back)
        # The article's language: phrases marked in another get their font and hyphenation (None: not told).
        self.phrases = Phrases(language) if language else None
        self.language = language
        self.tree = tree  # the tagged PDF's structure: links and phrases become inline elements of it (None: untagged)

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
        if language is None or self.phrases is None:  # the article's own language: one family for its letters
            return stack.markup(text, bold, italic, self._missing(stack, field), one_design=True)
        return self.phrases.markup(text, stack, bold, italic, language, self._missing(stack, field))

    def rich(self, field: str, nodes: model.RichText, stack: FontStack, bold: bool = False, italic: bool = False) -> str:
        """Markup for rich text; a link (or a phrase) of several styled spans is one ``<a>`` and one element."""
        out: list[str] = []
        last: tuple[Span, FontStack] | None = None  # the last span of plain text, while it is the last piece
        for (href, language), group in itertools.groupby(spans(nodes), key=_inline_key):
            group = list(group)
            if group[0].is_break:
                out.extend("<br/>" for _ in group)
                last = None
                continue
            styled = [(s, self.code if s.code else stack) for s in group]
            piece = "".join(self.text(field, s.text, st, bold or s.bold, italic or s.italic, s.language) for s, st in styled)
            if href:
                target = self.href(href)
                self.links.append(target)
                piece = f'<a href="{attr(target)}" color="{self.link_color}" underline="1">{piece}</a>'
            inline = self._inline(href, language, "".join(s.text for s in group))
            if inline is None:
                out.append(piece)
                last = None if href else styled[-1]
                continue
            out.extend(self._opening(field, last, out, bold, italic, inline))
            out.extend((piece, markup_marker(None)))
            last = None
        return "".join(out)

    def _inline(self, href: str | None, language: str | None, text: str) -> int | None:
        """The inline element of a group of spans: a ``Link`` (described by its text), or a ``Span`` in another
        language (``/Lang``); None for plain text (or when the PDF is not tagged)."""
        foreign = language if language is not None and language != self.language else None
        if self.tree is None or not (href or foreign):
            return None
        target = self.href(href) if href else None
        described = text.strip() or (target or "")
        return self.tree.inline_element("Link" if href else "Span", lang=foreign, alt=described if href else None)

    def _opening(self, field: str, last: tuple[Span, FontStack] | None, out: list[str], bold: bool, italic: bool,
                 inline: int) -> list[str]:
        """The marker that opens ``inline``, glued to the word before it: reportlab never hyphenates or breaks a
        word that starts with a marker, so the space between them moves after it (``out[-1]``, the markup of
        the plain group before, is made again: up to its last span, then that span without its last spaces)."""
        if last is None or not last[0].text[-1:].isspace():
            return [markup_marker(inline)]
        span, stack = last
        word = span.text.rstrip()
        b, i = bold or span.bold, italic or span.italic
        out[-1] = out[-1][:len(out[-1]) - len(self.text(field, span.text, stack, b, i, span.language))]
        out[-1] += self.text(field, word, stack, b, i, span.language) if word else ""
        return [markup_marker(inline), self.text(field, span.text[len(word):], stack, b, i, span.language)]

    def check(self) -> None:
        if self.problems:
            raise ExportError(self.problems)


def _inline_key(span: Span) -> tuple[str | None, str | None]:
    """What makes consecutive spans one inline element: the same link, the same language (a line break: neither)."""
    return (None, "\n") if span.is_break else (span.href, span.language)


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
