"""Editorial wording decided once for every format: bylines and dates by CLDR (Babel), in the text's language.

Quotes and direction: ``pressrun.language``. Machine-readable dates stay ISO 8601 (:func:`iso`).

Speed (issue 19): a reader-facing date is formatted once per (day, language) in a process: Babel looks up the
locale's pattern and parses it on every call, and a page, its feed entries and its index teaser repeat each date.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_date as cldr_date
from babel.lists import format_list

from pressrun import model
from pressrun.render.numerals import localise_digits
from pressrun.language import autonym, cldr_locale, is_rtl as is_rtl, primary_language, quotes_for as quotes_for  # re-exported

__all__ = ["byline_text", "format_date", "iso", "join_names", "split_names", "is_rtl", "quotes_for", "primary_language"]


def join_names(names: list[str], language: str) -> str:
    """"Ann Smith, Bo Li, and Cy Tan", "Анна, Борис и Вера", "花子、太郎": the language's own list pattern."""
    return format_list(names, locale=cldr_locale(language)) if names else ""


def split_names(text: str, language: str) -> list[str]:
    """:func:`join_names` backwards (an editor's byline in a Word file → the names)."""
    patterns = cldr_locale(language).list_patterns["standard"]
    end, pair, middle = (patterns[k].format("\0", "\1").split("\0")[1].split("\1")[0] for k in ("end", "2", "middle"))
    text = text.strip()
    for last_separator in (end, pair):
        head, sep, last = text.rpartition(last_separator)
        if sep and head.strip() and last.strip():
            names = [n.strip() for n in head.split(middle)] + [last.strip()]
            return [n for n in names if n]
    return [text] if text else []


def byline_text(authors: tuple[model.Author, ...], language: str) -> str:
    """The names as the reader sees them, joined as the article's language joins a list."""
    return join_names([a.name for a in authors], language)


def format_date(moment: datetime, language: str) -> str:
    """A reader-facing date in CLDR's long form for the language: "April 27, 2024", "27 апреля 2024 г.",
    "2024年4月27日". The day is the one at ``moment``'s own offset (the publication's time zone)."""
    # Babel writes CLDR's pattern and month names but always Latin digits; the locale's own digits (Persian's
    # ۰–۹, say) are put in as its default numbering system says. Latin-digit locales are Babel's output exactly.
    return _long_date(moment.date(), language)


@lru_cache(maxsize=4096)
def _long_date(day: date, language: str) -> str:
    return localise_digits(cldr_date(day, format="long", locale=cldr_locale(language)), language)


def iso(moment: datetime) -> str:
    """Machine-readable timestamp with offset, e.g. for ``<time datetime>``."""
    return moment.isoformat()


def language_title(publication_title: str, language: str) -> str:
    """A language's feeds are titled by the language's own name: "The Caucasus Desk — Русский"."""
    return f"{publication_title} — {autonym(language)}"
