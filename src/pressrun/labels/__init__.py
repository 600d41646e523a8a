"""The words pressrun prints around an article ("Why this matters", "Page 2 of 3"), in the article's language.

pressrun ships a reviewed catalogue (``catalogue/<tag>.yaml``, one file per language); a theme overrides or
adds labels for any language. An article's labels come from the most specific entry for its language tag
that is written in the same script (``pt-BR`` → ``pt``; ``zh-TW`` → ``zh-Hant``; ``az-Arab`` never takes the
Latin ``az``), label by label, and from the theme's default language for what is still missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path

import yaml

from pressrun.language import fallbacks, likely_tag, script_of

CATALOGUE = Path(__file__).parent / "catalogue"


@dataclass(frozen=True)
class Labels:
    """One language's labels, complete (the English values are the defaults)."""

    why_this_matters: str = "Why this matters"
    takeaways: str = "Key takeaways"
    by: str = "By"
    by_several: str = "By"  # before two or more names, where the language has a plural ("Авторы")
    published: str = "Published"
    updated: str = "Updated"
    photo: str = "Photo"
    colon: str = ": "  # between a label and what it follows it ("Topics: …"; French " : ", Japanese "：")
    downloads: str = "Download this article"
    page: str = "Page {page} of {pages}"
    contents: str = "Contents"
    landmarks: str = "Landmarks"
    cover: str = "Cover"
    index_heading: str = "Latest"
    topics: str = "Topics"
    image_descriptions: str = "Image descriptions"
    code_example: str = "Code example"  # web edition: the accessible name of a code block that scrolls sideways
    figure: str = "Figure {number}"
    word_download: str = "Word (DOCX)"
    collection_download: str = "E-book of {title} (EPUB)"
    languages: str = "Languages"
    all_languages: str = "All languages"
    correction: str = "Correction"
    clarification: str = "Clarification"
    a11y_summary: str = ("Reflowable text with a navigable table of contents, headings in a logical hierarchy "
                         "and the reading order of the article.")
    a11y_all_alt: str = "Every image has alternative text; captions and credits are given separately."
    a11y_some_alt: str = "Some images lack alternative text."
    a11y_no_images: str = ("Apart from the typographic cover, whose text is also its alternative text, "
                           "there are no images.")
    a11y_languages: str = "Passages in other languages are marked with their language."
    a11y_conforms: str = "Meets WCAG 2.1 Level AA as checked automatically by the publisher's build."
    a11y_no_conformance: str = "No WCAG conformance is claimed: {reasons}."


LABEL_KEYS: tuple[str, ...] = tuple(f.name for f in fields(Labels))
# Labels that are format strings, and the fields each may use.
LABEL_FIELDS: dict[str, set[str]] = {
    "page": {"page", "pages"}, "figure": {"number"}, "collection_download": {"title"},
    "a11y_no_conformance": {"reasons"},
}


@lru_cache(maxsize=1)
def shipped() -> dict[str, dict[str, str]]:
    """pressrun's own catalogue: language tag → labels (read once per process)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: ~10x faster, same data
    return {path.stem: yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
            for path in sorted(CATALOGUE.glob("*.yaml"))}


def _candidates(language: str) -> tuple[str, ...]:
    """Catalogue tags to try for ``language``, most specific first, same script only."""
    script = script_of(language)
    tags = dict.fromkeys((*fallbacks(language), *fallbacks(likely_tag(language))))
    return tuple(t for t in tags if script_of(t) == script)


@dataclass(frozen=True)
class Catalogue:
    """The shipped labels with a theme's overrides merged over them, per language."""

    default_language: str = "en"
    entries: Mapping[str, Mapping[str, str]] = field(default_factory=shipped)
    _resolved: dict[str, tuple[Labels, tuple[str, ...]]] = field(default_factory=dict, compare=False, repr=False)

    def labels_for(self, language: str) -> Labels:
        return self._resolve(language)[0]

    def missing(self, language: str) -> tuple[str, ...]:
        """Keys that ``language`` takes from the default language for want of its own (empty: none)."""
        return self._resolve(language)[1]

    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(self.entries))

    def _resolve(self, language: str) -> tuple[Labels, tuple[str, ...]]:
        if language not in self._resolved:
            own = [self.entries[t] for t in _candidates(language) if t in self.entries]
            default = [self.entries[t] for t in _candidates(self.default_language) if t in self.entries]
            values, missing = {}, []
            for key in LABEL_KEYS:
                found = next((entry[key] for entry in own if key in entry), None)
                if found is None:
                    missing.append(key)
                    found = next((entry[key] for entry in default if key in entry), None)
                if found is not None:
                    values[key] = found
            self._resolved[language] = (Labels(**values), tuple(missing))
        return self._resolved[language]


def merged(overrides: Mapping[str, Mapping[str, str]], default_language: str) -> Catalogue:
    """The shipped catalogue with a theme's labels (tag → key → text) over it, key by key."""
    entries = {tag: dict(values) for tag, values in shipped().items()}
    for tag, values in overrides.items():
        entries.setdefault(tag, {}).update(values)
    return Catalogue(default_language, entries)
