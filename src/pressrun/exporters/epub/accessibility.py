"""EPUB Accessibility 1.1 metadata, derived from what the book actually contains.

Nothing here is a fixed claim: image-related modes and features follow the
images, and the WCAG conformance claim is made only when the checks we can do
at build time hold (alt text everywhere, readable theme colours, no text in a
script foreign to the declared language, which would need language-of-parts
markup the model cannot express).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from collections.abc import Sequence
from dataclasses import dataclass

from pressrun import model, outline
from pressrun.render.textfields import text_fields
from pressrun.render.wording import primary_language
from pressrun.theme import Theme

CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
MIN_CONTRAST = 4.5  # WCAG 2.1 SC 1.4.3, normal-size text

# The script each language is written in; text in another script needs its own lang attribute.
_LATIN = "en az tr de fr es it pt nl pl cs sk sl hr bs sr-latn ro hu fi et lv lt sv da no nb nn is ga cy sq ca eu gl mt uz tk".split()
SCRIPTS = {
    **{lang: "LATIN" for lang in _LATIN},
    "ru": "CYRILLIC", "uk": "CYRILLIC", "be": "CYRILLIC", "bg": "CYRILLIC", "mk": "CYRILLIC", "kk": "CYRILLIC",
    "hy": "ARMENIAN", "ka": "GEORGIAN", "el": "GREEK", "ar": "ARABIC", "fa": "ARABIC", "ur": "ARABIC",
    "he": "HEBREW", "yi": "HEBREW",
}


@dataclass(frozen=True)
class Findings:
    images: int
    images_with_alt: int
    conformance_blockers: tuple[str, ...]

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


def contrast(foreground: str, background: str) -> float:
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


# The parts whose text is the article's prose (the furniture around it — section, names, dateline, tags,
# rights — is left out), named by the source field of their text fields.
_PROSE_FIELDS = frozenset(
    t.field for t in (outline.Headline, outline.Standfirst, outline.LeadImage, outline.WhyThisMatters,
                      outline.Takeaways, outline.Body)
)


def _article_text(article: model.Article) -> str:
    """The prose a reader meets, from the article's text fields (code excluded: it is not in any natural language)."""
    return "\n".join(
        f.text for f in text_fields(article) if f.kind != "code" and f.field.split(".")[0] in _PROSE_FIELDS
    )


@lru_cache(maxsize=8192)
def _script(char: str) -> str | None:
    """The script of a letter, from its Unicode name ("CYRILLIC SMALL LETTER A" → "CYRILLIC"); None for non-letters."""
    if not unicodedata.category(char).startswith("L"):
        return None
    return unicodedata.name(char, "UNKNOWN").split()[0]


def foreign_scripts(article: model.Article) -> set[str]:
    """Scripts used in the article's prose other than its language's own (all of them if unknown)."""
    expected = SCRIPTS.get(article.language.lower(), SCRIPTS.get(primary_language(article.language)))
    seen = {script for ch in set(_article_text(article)) if (script := _script(ch))}
    return seen - {expected} if expected else seen | {"(unknown for this language)"}


def examine(articles: Sequence[model.Article], theme: Theme) -> Findings:
    images = [image for article in articles for image in article.images()]
    blockers: list[str] = []
    with_alt = sum(1 for image in images if image.alt.strip())
    if with_alt < len(images):
        blockers.append("an image lacks alt text")
    colours = theme.colors
    for name, fg, bg in (("text", colours.text, "#ffffff"), ("muted", colours.muted, "#ffffff"),
                         ("link", colours.link, "#ffffff"), ("accent", colours.accent, "#ffffff"),
                         ("text on box", colours.text, colours.box), ("link on box", colours.link, colours.box),
                         ("accent on box", colours.accent, colours.box)):
        if contrast(fg, bg) < MIN_CONTRAST:
            blockers.append(f"theme colour {name} has contrast {contrast(fg, bg):.2f} < {MIN_CONTRAST}")
    for article in articles:
        foreign = foreign_scripts(article)
        if foreign:
            blockers.append(f"{article.slug}: {', '.join(sorted(foreign))} text without language markup")
    return Findings(len(images), with_alt, tuple(blockers))


def accessibility_metadata(findings: Findings, publisher: str) -> list[tuple[str, str]]:
    """(property, value) pairs for the package's <meta> elements, in a fixed order."""
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
    meta.append(("schema:accessibilitySummary", summary(findings)))
    if not findings.conformance_blockers:
        meta.append(("dcterms:conformsTo", CONFORMANCE))
        meta.append(("a11y:certifiedBy", publisher))
    return meta


def summary(findings: Findings) -> str:
    text = ("Reflowable text with a navigable table of contents, headings in a logical hierarchy "
            "and the reading order of the article.")
    if findings.images:
        text += (f" All {findings.images} images have alternative text; captions and credits are given apart."
                 if findings.all_alt else " Some images lack alternative text.")
    else:
        text += " Apart from the typographic cover, whose text is also its alternative text, there are no images."
    if findings.conformance_blockers:
        text += " No WCAG conformance is claimed: " + "; ".join(findings.conformance_blockers) + "."
    else:
        text += " Meets WCAG 2.1 Level AA as checked automatically by the publisher's build."
    return text
