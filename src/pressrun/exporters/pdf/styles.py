"""Paragraph styles for one article, all derived from the theme (sizes, colours, font stacks).

Speed (issue 19): the styles depend on the theme and the language only, so the exporter makes them once per
language (``PdfExporter``), and the page furniture that recurs on every page of every article (the footer's
name, "Page 2 of 5") is a paragraph made and wrapped once (``Styles.repeated``), not once a page.
Speed (issue 19): a style's hyphenation is a ``Hyphenation`` reportlab calls, not a language name from which it made
a new ``pyphen.Pyphen`` for every paragraph it broke into lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pressrun.exporters.pdf.fonts import FontRegistry, FontStack
from pressrun.exporters.pdf.shapedtext import Setting
from pressrun.language import is_rtl
from pressrun.render.wording import primary_language
from pressrun.theme import Theme


def hyphenation_language(language: str) -> str:
    """The pyphen dictionary for a BCP 47 tag, or "" when pyphen has none (then lines break at spaces only)."""
    import pyphen

    return pyphen.language_fallback(language.replace("-", "_")) or pyphen.language_fallback(primary_language(language)) or ""


class Hyphenation:
    """A pyphen dictionary as a paragraph style's ``hyphenationLang``: reportlab calls it for a word's break points.

    Given the language's name, reportlab made a ``pyphen.Pyphen`` for every paragraph it broke into lines (10 µs
    each: the language's fallback worked out, the dictionary looked up by path); given this, it calls the one
    made for the style, which breaks every word at the same points. It still compares equal to the name."""

    def __init__(self, language: str):
        import pyphen

        self.language = language
        self._iterate = pyphen.Pyphen(lang=language).iterate  # exactly what reportlab makes from the name

    def __call__(self, word: str) -> Any:
        return self._iterate(word)

    def __eq__(self, other: object) -> bool:
        return self.language == (other.language if isinstance(other, Hyphenation) else other)

    def __hash__(self) -> int:
        return hash(self.language)

    def __repr__(self) -> str:
        return repr(self.language)

    def __deepcopy__(self, memo: dict[int, Any]) -> Hyphenation:
        return self  # unchanging: a style reportlab copies (a split with a first-line indent) shares it


HYPHENATION_CACHE_WORDS = 20_000
REPEATED_PARAGRAPHS = 2_000  # footer names and page counters kept (``Styles.repeated``): a few per language


def trim_hyphenation_cache() -> None:
    """Keep pyphen's memory bounded over a long build.

    pyphen remembers the break points of every word it has seen, per dictionary and without
    limit, so rendering an archive grew the process by ~60 KB an article (issue 8). A full
    cache is simply emptied: words are cheap to hyphenate again.
    """
    import pyphen

    for dictionary in getattr(pyphen, "hdcache", {}).values():
        cache = getattr(dictionary, "cache", None)
        if isinstance(cache, dict) and len(cache) > HYPHENATION_CACHE_WORDS:
            cache.clear()


@dataclass(frozen=True)
class Stacks:
    """The theme's three stacks, from the exporter's font registry."""

    body: FontStack
    display: FontStack
    code: FontStack

    @classmethod
    def of(cls, fonts: FontRegistry, theme: Theme) -> Stacks:
        return cls(fonts.stack(theme, "body"), fonts.stack(theme, "display"), fonts.stack(theme, "code"))

    def __getitem__(self, which: str) -> FontStack:
        return {"body": self.body, "display": self.display, "code": self.code}[which]


class Styles:
    """Named ParagraphStyles; each knows the stack and style (bold/italic) its text is set in."""

    def __init__(self, theme: Theme, stacks: Stacks, language: str):
        from reportlab.lib.colors import HexColor

        self.theme = theme
        self.stacks = stacks
        self.color = {name: HexColor(value) for name, value in vars(theme.colors).items()}
        self.bullet_font = stacks.body.faces[0]
        # What each style's text is set in: (stack, bold, italic). Markup names the exact font per run.
        self.setting: dict[str, tuple[FontStack, bool, bool]] = {}
        self.language = language
        self.rtl = is_rtl(language)  # a right-to-left article: every paragraph, list and box is mirrored
        # The complex path's setting: a right-to-left article sets every paragraph right to left; in any
        # other, a paragraph's first strong character decides. Shaped text is drawn in the stacks' fonts by glyph id.
        self.text_setting = Setting(language, True if self.rtl else None, stacks.body.glyph_font)
        dictionary = hyphenation_language(language)
        self._hyphens: Hyphenation | str = Hyphenation(dictionary) if dictionary else ""  # the styles' hyphenationLang
        self._repeated: dict[tuple[str, str], Any] = {}  # see ``repeated``
        self._front_matter()
        self._text()
        self._furniture()

    def paragraph(self, markup: str, style: Any, heading: bool = False) -> Any:
        """The flowable for one paragraph of markup (see paragraphs.py: reportlab's own, or the complex path)."""
        from pressrun.exporters.pdf.paragraphs import paragraph

        return paragraph(markup, style, self.text_setting, heading)

    def repeated(self, markup: str, style: Any) -> Any:
        """A paragraph of page furniture that recurs on every page (the footer's name, "Page 2 of 5"), made once:
        reportlab's paragraphs draw the same every time (its wrap is kept per width). Not tagged (an artifact)."""
        from pressrun.exporters.pdf.paragraphs import Para

        key = (markup, style.name)
        found = self._repeated.get(key)
        if found is None:
            found = self.paragraph(markup, style)
            if not isinstance(found, Para):
                return found  # the complex path keeps state while drawing: made afresh each time
            if len(self._repeated) >= REPEATED_PARAGRAPHS:
                self._repeated.clear()
            self._repeated[key] = found
        return found

    def _style(self, name: str, stack: FontStack, size: float, bold: bool = False, italic: bool = False, **kw: Any) -> Any:
        from reportlab.lib.enums import TA_LEFT
        from reportlab.lib.styles import ParagraphStyle

        self.setting[name] = (stack, bold, italic)
        base: dict[str, Any] = dict(
            fontName=stack.faces[0],
            bulletFontName=self.bullet_font,  # never the default Helvetica, even when unused
            fontSize=size,
            leading=round(size * kw.pop("leading_ratio", 1.3), 2),
            textColor=self.color["text"],
            allowWidows=0,
            allowOrphans=0,
            shaping=0,  # no HarfBuzz: its default ligatures would turn "test" into a ligature glyph
            hyphenationLang="",
            alignment=TA_LEFT,
        )
        base.update(kw)
        return ParagraphStyle(name, **base)

    def _front_matter(self) -> None:
        """Masthead to lead image: the parts above the story."""
        style, s, display, body = self._style, self.theme.sizes, self.stacks.display, self.stacks.body
        self.masthead = style("masthead", display, s.heading3, bold=True, spaceAfter=4)
        self.section = style("section", display, s.small, bold=True, textColor=self.color["accent"], spaceBefore=10, spaceAfter=4)
        self.headline = style("headline", display, s.headline, bold=True, leading_ratio=1.12, spaceAfter=10)
        self.standfirst = style(
            "standfirst", body, s.standfirst, leading_ratio=1.38, textColor=self.color["text"], spaceAfter=10,
            hyphenationLang=self._hyphens,
        )
        self.byline = style("byline", display, s.small + 0.5, spaceAfter=1)
        self.meta = style("meta", display, s.small, textColor=self.color["muted"], spaceAfter=12)
        self.caption = style("caption", display, s.small, leading_ratio=1.35, spaceBefore=4)
        self.credit = style("credit", display, s.small - 0.5, textColor=self.color["muted"], italic=True, spaceAfter=12)
        self.box_heading = style("box_heading", display, s.small + 1, bold=True, textColor=self.color["accent"], spaceAfter=4, keepWithNext=1)

    def _text(self) -> None:
        """The story's blocks: paragraphs, list items, quotes, code and headings (and the box's paragraphs)."""
        from reportlab.lib.enums import TA_JUSTIFY

        style, s, hyphens = self._style, self.theme.sizes, self._hyphens
        body, display, code = self.stacks.body, self.stacks.display, self.stacks.code
        self.box = style("box", body, s.body, leading_ratio=s.leading, spaceAfter=4, hyphenationLang=hyphens)
        self.body = style(
            "body", body, s.body, leading_ratio=s.leading, alignment=TA_JUSTIFY, spaceAfter=s.body * 0.65,
            hyphenationLang=hyphens,
        )
        # A tight list's items sit close together; a loose list's are spaced as the body's paragraphs.
        self.item = style("item", body, s.body, leading_ratio=s.leading, spaceAfter=2, hyphenationLang=hyphens)
        self.loose_item = style("loose_item", body, s.body, leading_ratio=s.leading, spaceAfter=self.body.spaceAfter,
                                hyphenationLang=hyphens)
        self.quote = style(
            "quote", body, s.body + 0.5, italic=True, leading_ratio=s.leading, textColor=self.color["text"],
            spaceAfter=s.body * 0.5, hyphenationLang=hyphens,
        )
        self.code = style(
            "code", code, s.small, leading_ratio=1.35, backColor=self.color["box"], borderPadding=(5, 6, 5, 6),
            leftIndent=6, rightIndent=6, spaceBefore=10, spaceAfter=14,  # the box's edges on the margins
        )
        self.headings = {
            2: style("h2", display, s.heading2, bold=True, leading_ratio=1.2, spaceBefore=14, spaceAfter=5, keepWithNext=1),
            3: style("h3", display, s.heading3, bold=True, leading_ratio=1.2, spaceBefore=12, spaceAfter=4, keepWithNext=1),
            4: style("h4", display, s.heading4, bold=True, italic=False, leading_ratio=1.2, spaceBefore=10, spaceAfter=3,
                     keepWithNext=1, textColor=self.color["muted"]),
        }

    def _furniture(self) -> None:
        """After the story and around every page: topics, rights, image descriptions, the running footer."""
        from reportlab.lib.enums import TA_RIGHT

        style, s, display, body = self._style, self.theme.sizes, self.stacks.display, self.stacks.body
        muted = self.color["muted"]
        self.small = style("small", display, s.small, textColor=muted, spaceAfter=3)
        self.small_heading = style("small_heading", display, s.small, bold=True, textColor=muted, spaceBefore=6, spaceAfter=2)
        self.small_body = style("small_body", body, s.small, textColor=muted, spaceAfter=3)
        self.footer = style("footer", display, s.small - 0.5, textColor=muted)
        self.footer_right = style("footer_right", display, s.small - 0.5, textColor=muted, alignment=TA_RIGHT)
