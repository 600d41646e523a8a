"""Where a line may end (UAX #14), by ICU's line break iterator (icu4py bundles ICU with its dictionaries).

ICU breaks Latin and Arabic text after spaces and hyphens, Chinese and Japanese between ideographs
and kana (never before a closing bracket, a full stop or a small kana, never after an opening
bracket), and Thai, Lao, Khmer and Myanmar — written without spaces — between the words its
dictionaries know. Korean words, written with spaces, are kept whole (ICU would break between
syllables). Shared by the PDF's line filling and the EPUB's typographic cover.
"""

from __future__ import annotations

import re
import unicodedata

from pressrun.language import primary_language

_ASTRAL = "\U00010000"
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff]")


def _code_point_offsets(text: str) -> list[int] | None:
    """For text outside the Basic Multilingual Plane: code point index at each UTF-16 offset (ICU counts in UTF-16)."""
    if not text or max(text) < _ASTRAL:
        return None
    index: list[int] = []
    for i, char in enumerate(text):
        index.append(i)
        if char >= _ASTRAL:
            index.append(i)  # the low surrogate: never a break position of its own
    index.append(len(text))
    return index


def break_opportunities(text: str, language: str) -> list[int]:
    """Offsets after which a line may end, ascending; the last is ``len(text)``.

    A hard line break ("\\n") is an opportunity like any other here; the caller ends the line there.
    """
    from icu4py.breakers import LineBreaker

    if not text:
        return []
    ends = [end for _, end in LineBreaker(text, primary_language(language) or "und").segments()]
    offsets = _code_point_offsets(text)
    if offsets is not None:
        ends = [offsets[end] for end in ends]
    if not ends or ends[-1] != len(text):
        ends.append(len(text))
    # Korean is written with spaces between words: keep each word whole (CSS "word-break: keep-all"), where
    # UAX #14 alone would break between any two syllables.
    return [end for end in ends if end == len(text) or not _inside_korean_word(text[end - 1], text[end])]


def _inside_korean_word(before: str, after: str) -> bool:
    """Two letters or digits of one word, one of them Hangul ("75주년", "세계인권선언")."""
    return bool(_HANGUL.match(before) or _HANGUL.match(after)) and all(
        unicodedata.category(c)[0] in "LN" for c in (before, after))
