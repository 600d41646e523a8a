"""Editorial wording decided once for every format: bylines, dates, quotes."""

from __future__ import annotations

from datetime import datetime

from pressrun import model

# Typographic quotes per primary language subtag: “double” ‘single’.
_QUOTES: dict[str, tuple[str, str, str, str]] = {
    "en": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "az": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "tr": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "de": ("\u201e", "\u201c", "\u201a", "\u2018"),
    "fr": ("\u00ab\u00a0", "\u00a0\u00bb", "\u2039\u00a0", "\u00a0\u203a"),
    "ru": ("\u00ab", "\u00bb", "\u201e", "\u201c"),
    "uk": ("\u00ab", "\u00bb", "\u201e", "\u201c"),
    "hy": ("\u00ab", "\u00bb", "\u201e", "\u201c"),
    "ka": ("\u201e", "\u201c", "\u00ab", "\u00bb"),
    "el": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "es": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "it": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
}

_MONTHS_EN = (
    "January February March April May June July August September October November December"
).split()


def primary_language(tag: str) -> str:
    return tag.split("-")[0].lower()


def quotes_for(language: str) -> tuple[str, str, str, str]:
    return _QUOTES.get(primary_language(language), _QUOTES["en"])


def is_rtl(language: str) -> bool:
    return primary_language(language) in {"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv"}


def join_names(names: list[str], conjunction: str = "and") -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {conjunction} " + names[-1]


def byline_text(authors: tuple[model.Author, ...]) -> str:
    """"Ann Smith, Bo Li and Cy Tan": the names, as the reader sees them."""
    return join_names([a.name for a in authors])


def format_date(moment: datetime, language: str) -> str:
    """A reader-facing date. English gets "27 April 2024"; other languages ISO 8601."""
    if primary_language(language) == "en":
        return f"{moment.day} {_MONTHS_EN[moment.month - 1]} {moment.year}"
    return moment.date().isoformat()


def iso(moment: datetime) -> str:
    """Machine-readable timestamp with offset, e.g. for ``<time datetime>``."""
    return moment.isoformat()
