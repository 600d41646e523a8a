"""EPUB Accessibility 1.1 metadata, derived from what the book actually contains.

Nothing here is a fixed claim: image-related modes and features follow the
images, and the WCAG conformance claim is made only when the checks we can do
at build time hold (alt text everywhere, readable theme colours, no letters in a
script foreign to the language they are marked with: the article's, or a
``[phrase]{lang=he}`` span's). The summary is worded in the book's language.

Speed (issue 19): the prose is gathered by one walk over the model's own nodes (``_prose_texts``: each text
node's text under its language, ~10x faster than flattening it through ``TextFields`` and ``spans``), with
the same letters under the same languages in the same order as ``prose``; a node type it does not know falls
back to ``prose``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale

from pressrun import model, outline
from pressrun.exporters.epub.charset import distinct
from pressrun.language import script_of
from pressrun.render.spans import spans
from pressrun.render.textfields import TextField, TextFields
from pressrun.theme import Labels, Theme

CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
MIN_CONTRAST = 4.5  # WCAG 2.1 SC 1.4.3, normal-size text
UNKNOWN = "(unknown for this language)"

# A language's script comes from the subtag registry (``script_of``: ISO 15924) and is named as its letters'
# Unicode names start ("CYRILLIC SMALL LETTER A"): CLDR's English name of the script, first word, upper case.
# These are the codes where that name is not the Unicode one, or where a language writes several scripts.
_UNICODE_NAMES: dict[str, frozenset[str]] = {
    "Hani": frozenset({"CJK"}), "Hans": frozenset({"CJK"}), "Hant": frozenset({"CJK"}),
    "Jpan": frozenset({"CJK", "HIRAGANA", "KATAKANA"}), "Hrkt": frozenset({"HIRAGANA", "KATAKANA"}),
    "Kore": frozenset({"HANGUL", "CJK"}), "Beng": frozenset({"BENGALI"}), "Orya": frozenset({"ORIYA"}),
    "Aran": frozenset({"ARABIC"}), "Nkoo": frozenset({"NKO"}), "Mtei": frozenset({"MEETEI"}),
    "Mand": frozenset({"MANDAIC"}), "Cans": frozenset({"CANADIAN"}), "Lisu": frozenset({"LISU"}),
}
# Letters whose name does not start with their script: ª º are Latin, 〆 is Han.
_NAME_ALIASES = {"FEMININE": "LATIN", "MASCULINE": "LATIN", "IDEOGRAPHIC": "CJK"}


@dataclass(frozen=True)
class Findings:
    images: int
    images_with_alt: int
    conformance_blockers: tuple[str, ...]
    marked_languages: tuple[str, ...] = ()  # languages of the phrases marked in another language than their article's

    @property
    def all_alt(self) -> bool:
        return self.images_with_alt == self.images


def _luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


@lru_cache(maxsize=64)  # a theme's few colour pairs, asked about for every book
def contrast(foreground: str, background: str) -> float:
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


# The parts whose text is the article's prose (the furniture around it — section, names, dateline, tags,
# rights — is left out), named by the source field of their text fields.
_PROSE_FIELDS = frozenset(
    t.field for t in (outline.Headline, outline.Standfirst, outline.LeadImage, outline.WhyThisMatters,
                      outline.Takeaways, outline.Body)
)


@dataclass(frozen=True)
class _Run(TextField):
    language: str | None = None  # the language a span marks it with; None: the article's


def _runs(field: str, nodes: model.RichText, kind: str = "text") -> list[_Run]:
    return [_Run(field, s.text, "code" if s.code else kind, s.language) for s in spans(nodes) if not s.is_break]


class _LanguageRuns(TextFields):
    """The article's text fields, with the language each run of rich text is marked in (``TextField`` drops it)."""

    def visit_Standfirst(self, part: outline.Standfirst) -> list[_Run]:
        return _runs(part.field, part.children)

    def visit_Takeaways(self, part: outline.Takeaways) -> list[_Run]:
        return [run for takeaway in part.items for run in _runs(part.field, takeaway)]

    def visit_Paragraph(self, node: model.Paragraph, field: str) -> list[_Run]:
        return _runs(field, node.children)

    def visit_Heading(self, node: model.Heading, field: str) -> list[_Run]:
        return _runs(field, node.children, "display")


def prose(article: model.Article) -> Iterator[tuple[str, str]]:
    """(language, text) of the prose a reader meets; code is left out: it is not in any natural language."""
    for found in _LanguageRuns().fields(article):
        if found.kind != "code" and found.field.split(".")[0] in _PROSE_FIELDS:
            yield getattr(found, "language", None) or article.language, found.text


class _Unknown(Exception):
    """A node type ``_prose_texts`` does not know: ``prose`` (through the shared dispatch) must decide."""


def _inline_texts(nodes: model.RichText, language: str, article_language: str, out: dict[str, list[str]]) -> None:
    """The texts of inline ``nodes`` under the language they are in, as ``spans`` sees them: code (in no
    natural language) and empty texts left out, and a text that is one line break alone (``spans`` drops it as
    a break, or merges it into the run before, of the same language: either way it adds no language and no letter)."""
    for node in nodes:
        kind = type(node)
        if kind is model.Text:
            text = node.text
            if text and text != "\n":
                found = out.get(language)
                if found is None:
                    out[language] = [text]
                else:
                    found.append(text)
        elif kind is model.LanguageSpan:
            _inline_texts(node.children, node.language or article_language, article_language, out)
        elif kind is model.Emphasis or kind is model.Strong or kind is model.Link:
            _inline_texts(node.children, language, article_language, out)
        elif kind is not model.Code and kind is not model.LineBreak:
            raise _Unknown(kind.__name__)


def _image_texts(image: model.Image, language: str, out: dict[str, list[str]]) -> None:
    out.setdefault(language, []).extend(t for t in (image.alt, image.caption, image.credit) if t)


def _block_texts(blocks: Sequence[model.Block | model.ListItem], language: str, out: dict[str, list[str]]) -> None:
    for block in blocks:
        kind = type(block)
        if kind is model.Paragraph or kind is model.Heading:
            _inline_texts(block.children, language, language, out)
        elif kind is model.BulletList or kind is model.OrderedList:
            _block_texts(block.items, language, out)
        elif kind is model.ListItem or kind is model.BlockQuote:
            _block_texts(block.children, language, out)
        elif kind is model.Figure:
            _image_texts(block.image, language, out)
        elif kind is not model.CodeBlock and kind is not model.ThematicBreak:
            raise _Unknown(kind.__name__)


def _prose_texts(article: model.Article) -> dict[str, list[str]]:
    """The texts of ``prose``, by language, the languages in order of first appearance: the parts of
    ``_PROSE_FIELDS`` in ``outline.article_parts``' order (headline, standfirst, lead image, why this matters,
    takeaways, body), walked directly. Falls back to ``prose`` on a node type this walk does not know."""
    language = article.language
    out: dict[str, list[str]] = {language: [article.headline]}
    try:
        _inline_texts(article.summary, language, language, out)
        if article.image:
            _image_texts(article.image, language, out)
        _block_texts(article.why_this_matters, language, out)
        for takeaway in article.takeaways:
            _inline_texts(takeaway, language, language, out)
        _block_texts(article.body, language, out)
    except _Unknown:
        out = {}
        for lang, text in prose(article):
            out.setdefault(lang, []).append(text)
    return out


@lru_cache(maxsize=8192)
def _script(char: str) -> str | None:
    """The script of a letter, from its Unicode name ("CYRILLIC SMALL LETTER A" → "CYRILLIC"); None for
    non-letters and modifier letters (Ukrainian's apostrophe ʼ, Japanese ー go with any script)."""
    if not unicodedata.category(char).startswith("L") or unicodedata.category(char) == "Lm":
        return None
    words = unicodedata.name(char, "UNKNOWN").split()
    if words[0] in ("FULLWIDTH", "HALFWIDTH") and len(words) > 1:
        words = words[1:]  # ＡＢＣ, ｶﾀｶﾅ: the width forms of Latin and katakana
    return _NAME_ALIASES.get(words[0], words[0])


@lru_cache(maxsize=256)
def expected_scripts(language: str) -> frozenset[str]:
    """The scripts (as ``_script`` names them) that ``language`` is written in; empty when unknown."""
    code = script_of(language)
    if code is None:
        return frozenset()
    if code in _UNICODE_NAMES:
        return _UNICODE_NAMES[code]
    name = Locale("en").scripts.get(code)
    return frozenset({name.split()[0].upper()}) if name else frozenset()


Prose = Sequence[tuple[str, str]]  # (language, text) pairs, as ``prose`` gives them


def _by_language(texts: Prose) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for language, text in texts:
        out.setdefault(language, []).append(text)
    return out


def _foreign(by_language: dict[str, list[str]]) -> set[str]:
    found: set[str] = set()
    for language, texts in by_language.items():
        seen = set(map(_script, distinct("".join(texts))))  # the characters of each language's text, looked up once each
        seen.discard(None)
        expected = expected_scripts(language)
        found |= seen - expected if expected else seen | ({UNKNOWN} if seen else set())
    return found


def foreign_scripts(article: model.Article, texts: Prose | None = None) -> set[str]:
    """Scripts of the article's prose that the language they are marked with (the article's, or a span's)
    is not written in; an unknown script for a language makes all of its letters suspect. ``texts``: the
    article's ``prose``, when the caller has it already."""
    return _foreign(_prose_texts(article) if texts is None else _by_language(texts))


def marked_languages(article: model.Article, texts: Prose | None = None) -> tuple[str, ...]:
    """Languages of the phrases marked in another language than the article's, in order of appearance."""
    found = _prose_texts(article) if texts is None else _by_language(texts)
    return tuple(lang for lang in found if lang != article.language)


class Examination:
    """The findings about a book, gathered one article at a time (an issue never holds all its articles whole)."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        self.images = self.with_alt = 0
        # By the article's place in the book (articles may come in another order: an issue is written in name
        # order): its foreign-script text without language markup, and the other languages it marks.
        self.unmarked: dict[int, str] = {}
        self.marked: dict[int, tuple[str, ...]] = {}

    def add(self, article: model.Article, place: int | None = None) -> None:
        """What ``article`` adds, ``place``-th in the book (default: after those added so far)."""
        place = len(self.marked) if place is None else place
        images = article.images()
        self.images += len(images)
        self.with_alt += sum(1 for image in images if image.alt.strip())
        texts = _prose_texts(article)  # walked once for both questions
        foreign = _foreign(texts)
        if foreign:
            self.unmarked[place] = f"{article.slug}: {', '.join(sorted(foreign))} text without language markup"
        self.marked[place] = tuple(lang for lang in texts if lang != article.language)

    def findings(self) -> Findings:
        blockers: list[str] = []
        with_alt = self.with_alt
        if with_alt < self.images:
            blockers.append("an image lacks alt text")
        colours = self.theme.colors
        for name, fg, bg in (("text", colours.text, "#ffffff"), ("muted", colours.muted, "#ffffff"),
                             ("link", colours.link, "#ffffff"), ("accent", colours.accent, "#ffffff"),
                             ("text on box", colours.text, colours.box), ("link on box", colours.link, colours.box),
                             ("accent on box", colours.accent, colours.box)):
            if contrast(fg, bg) < MIN_CONTRAST:
                blockers.append(f"theme colour {name} has contrast {contrast(fg, bg):.2f} < {MIN_CONTRAST}")
        unmarked = [self.unmarked[place] for place in sorted(self.unmarked)]
        marked = dict.fromkeys(lang for place in sorted(self.marked) for lang in self.marked[place])
        return Findings(self.images, with_alt, tuple(blockers + unmarked), tuple(marked))


def examine(articles: Sequence[model.Article], theme: Theme) -> Findings:
    examination = Examination(theme)
    for article in articles:
        examination.add(article)
    return examination.findings()


def accessibility_metadata(findings: Findings, publisher: str, labels: Labels) -> list[tuple[str, str]]:
    """(property, value) pairs for the package's <meta> elements, in a fixed order; ``labels``: the book's
    language's, for the summary."""
    visual = findings.images > 0
    meta: list[tuple[str, str]] = [("schema:accessMode", "textual")]
    if visual:
        meta.append(("schema:accessMode", "visual"))
    if not visual or findings.all_alt:
        meta.append(("schema:accessModeSufficient", "textual"))
    if visual:
        meta.append(("schema:accessModeSufficient", "textual,visual"))
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if visual and findings.all_alt:
        features.append("alternativeText")
    meta.extend(("schema:accessibilityFeature", f) for f in features)
    meta.append(("schema:accessibilityHazard", "none"))
    meta.append(("schema:accessibilitySummary", summary(findings, labels)))
    if not findings.conformance_blockers:
        meta.append(("dcterms:conformsTo", CONFORMANCE))
        meta.append(("a11y:certifiedBy", publisher))
    return meta


def summary(findings: Findings, labels: Labels) -> str:
    """The summary a reader is shown, from the labels of the book's language. The reasons for not claiming
    conformance are the build's own (English) findings: they are meant for the publisher."""
    if not findings.images:
        images = labels.a11y_no_images
    else:
        images = labels.a11y_all_alt if findings.all_alt else labels.a11y_some_alt
    sentences = [labels.a11y_summary, images]
    if findings.marked_languages:
        sentences.append(labels.a11y_languages)
    if findings.conformance_blockers:
        sentences.append(labels.a11y_no_conformance.format(reasons="; ".join(findings.conformance_blockers)))
    else:
        sentences.append(labels.a11y_conforms)
    return _join(sentences)


def _join(sentences: list[str]) -> str:
    """Sentences as one text: a space after each, except after the full stops of Chinese and Japanese,
    which are followed by none."""
    text = ""
    for sentence in sentences:
        text += sentence if not text or text.endswith(("\u3002", "\uff01", "\uff1f")) else " " + sentence
    return text
