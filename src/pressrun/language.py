"""Facts about a language tag that reading and every format share: its primary subtag, quotes, direction."""

from __future__ import annotations

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


def primary_language(tag: str) -> str:
    return tag.split("-")[0].lower()


def quotes_for(language: str) -> tuple[str, str, str, str]:
    return _QUOTES.get(primary_language(language), _QUOTES["en"])


def is_rtl(language: str) -> bool:
    return primary_language(language) in {"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv"}
