"""Numbers and dates in the digits of the article's locale: the PDF's page counter and figure numbers, and the
reader-facing dates of every format (``wording.format_date``).

Babel formats the number for the locale (``format_decimal`` with the locale's default numbering system), but
Babel localises only the symbols, never the digits; the digits of that numbering system come from ICU
(bundled with icu4py, which the PDF already uses for line breaking), asked only when the numbering system
is not the Latin one: "٣" for ``ar-EG``, "۳" for ``fa``, "৩" for ``bn``, "3" for ``ar``, ``ru`` and ``ja``.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from babel.numbers import format_decimal

from pressrun.language import cldr_locale

LATIN_DIGITS = "0123456789"


@lru_cache(maxsize=64)
def digits(language: str) -> str:
    """The ten digits, zero to nine, of the default numbering system of ``language``'s CLDR locale."""
    locale = cldr_locale(language)
    if getattr(locale, "default_numbering_system", "latn") == "latn":
        return LATIN_DIGITS
    from icu4py.messageformat import MessageFormat

    pattern = MessageFormat("{digit, number}", str(locale))
    found = "".join(pattern.format({"digit": d}) for d in range(10))
    ok = len(found) == 10 and all(unicodedata.digit(c, -1) == d for d, c in enumerate(found))
    return found if ok else LATIN_DIGITS


def localise_digits(text: str, language: str) -> str:
    """``text`` with its Latin digits in the locale's own ("30 آوریل 2024" → "۳۰ آوریل ۲۰۲۴" for ``fa``)."""
    own = digits(language)
    return text if own == LATIN_DIGITS else text.translate(str.maketrans(LATIN_DIGITS, own))


def number(value: int, language: str) -> str:
    """``value`` as the language writes a count: "12", "١٢", "۱۲" (no grouping: a page or figure number)."""
    text = format_decimal(value, locale=cldr_locale(language), group_separator=False, numbering_system="default")
    own = digits(language)
    return text if own == LATIN_DIGITS else text.translate(str.maketrans(LATIN_DIGITS, own))
