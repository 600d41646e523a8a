"""Facts about a language tag that reading and every format share: its canonical form, quotes, direction,
CLDR locale and name in its own language.

Tags are checked against the IANA language subtag registry by ``langcodes`` and CLDR data comes from Babel;
nothing here is hand-kept except the typographic quotes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import langcodes
from babel import Locale, UnknownLocaleError

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

# Scripts written right to left (ISO 15924), for a tag's explicit or likely script.
_RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Samr", "Mand", "Yezi", "Aran"})


@dataclass(frozen=True)
class TagCheck:
    """A language tag as the registry has it: ``tag`` canonical, or a problem to report."""

    tag: str
    error: str | None = None  # ill-formed: not a BCP 47 tag at all
    warning: str | None = None  # well-formed, but a subtag the registry does not know


@lru_cache(maxsize=512)
def check_tag(value: str) -> TagCheck:
    """Canonicalise ``value`` (``hau`` → ``ha``, ``iw`` → ``he``, ``zh-cmn-Hans`` → ``zh-Hans``)."""
    try:
        canonical = langcodes.standardize_tag(value)
    except (langcodes.LanguageTagError, ValueError) as exc:
        return TagCheck(value, error=f"'{value}' is not a BCP 47 language tag such as 'en', 'pt-BR' or 'zh-Hant' ({exc})")
    if not langcodes.tag_is_valid(canonical):
        return TagCheck(canonical, warning=f"'{value}' has a subtag the IANA language subtag registry does not know; "
                                           "check the spelling (e.g. 'en', 'az', 'zh-Hant')")
    return TagCheck(canonical)


def primary_language(tag: str) -> str:
    return tag.split("-")[0].lower()


def quotes_for(language: str) -> tuple[str, str, str, str]:
    return _QUOTES.get(primary_language(language), _QUOTES["en"])


@lru_cache(maxsize=512)
def script_of(language: str) -> str | None:
    """The tag's script subtag, or the registry's likely script for it (``az`` → Latn, ``fa`` → Arab)."""
    try:
        return langcodes.Language.get(language).maximize().script
    except (langcodes.LanguageTagError, ValueError):
        return None


@lru_cache(maxsize=512)
def likely_tag(language: str) -> str:
    """The tag with its likely script and region filled in (``zh-TW`` → ``zh-Hant-TW``, ``ja`` → ``ja-Jpan-JP``)."""
    try:
        return langcodes.Language.get(language).maximize().to_tag()
    except (langcodes.LanguageTagError, ValueError):
        return language


@lru_cache(maxsize=512)
def reading_language(language: str) -> str:
    """The language a reader chooses by: the tag without its region, keeping a script only where it is not the
    language's usual one (``en-GB`` → ``en``, ``pt-BR`` → ``pt``, ``zh-TW`` → ``zh-Hant``, ``sr-Latn`` stays)."""
    try:
        tag = langcodes.Language.get(language)
        script = langcodes.Language.get(tag.language).maximize().script
        own = tag.maximize().script
    except (langcodes.LanguageTagError, ValueError):
        return language
    return tag.language if own == script else f"{tag.language}-{own}"


def is_rtl(language: str) -> bool:
    return script_of(language) in _RTL_SCRIPTS


def direction(language: str) -> str:
    """``rtl`` or ``ltr``: the value of HTML's ``dir`` for text in ``language``."""
    return "rtl" if is_rtl(language) else "ltr"


@lru_cache(maxsize=256)
def cldr_locale(language: str) -> Locale:
    """The CLDR locale for a tag: the tag itself, else its language and script, else its language, else English."""
    parts = language.split("-")
    for size in range(len(parts), 0, -1):
        try:
            return Locale.parse("-".join(parts[:size]), sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    return Locale("en")


def fallbacks(language: str) -> tuple[str, ...]:
    """The tag, then ever shorter prefixes: ``pt-BR`` → (``pt-BR``, ``pt``); ``zh-Hant-TW`` → three."""
    parts = language.split("-")
    return tuple("-".join(parts[:size]) for size in range(len(parts), 0, -1))


def autonym(language: str) -> str:
    """The language's name in itself ("Русский", "العربية", "中文 (繁體)"), from CLDR; the tag when CLDR has none."""
    try:
        tag = langcodes.Language.get(language)
        locale = Locale(tag.language or "", territory=tag.territory, script=tag.script)
        name = locale.get_display_name(locale)
    except (langcodes.LanguageTagError, UnknownLocaleError, ValueError, TypeError):
        name = None
    if not name:
        return language
    # A list of languages starts each name with a capital in bicameral scripts; Georgian has capitals
    # (Mtavruli) but never uses them so.
    return name[:1].upper() + name[1:] if script_of(language) in _CAPITALISED else name


_CAPITALISED = frozenset({"Latn", "Cyrl", "Grek", "Armn"})
