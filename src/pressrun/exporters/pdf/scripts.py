"""Which text needs more than reportlab's own paragraphs: shaping, bidi, or dictionary line breaking.

reportlab sets Latin, Cyrillic, Greek, Armenian, Georgian, Ethiopic and the other scripts whose
letters stand alone, separated by spaces, correctly and fast. Text in the ranges below needs the
complex path (``complex_paragraph``): right-to-left scripts (UAX #9), scripts whose letters join,
reorder or stack (HarfBuzz), combining marks placed on their base (HarfBuzz), and scripts written
without spaces between words (UAX #14 by ICU: Thai, Lao, Khmer, Myanmar; Chinese, Japanese,
Korean). A paragraph with none of them takes reportlab's path and costs what it always did.
"""

from __future__ import annotations

import bisect
import re
import unicodedata

# Right-to-left scripts: Hebrew … Arabic Extended (0590–08FF), Hebrew and Arabic presentation forms,
# and the right-to-left blocks of the supplementary planes (Imperial Aramaic … Adlam, Arabic math).
_RTL_RANGES = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff"
# Scripts HarfBuzz must shape: combining marks, Indic (Devanagari … Sinhala), Thai, Lao, Tibetan,
# Myanmar, Hangul jamo, Tagalog … Khmer, Mongolian, Limbu … Balinese, Sundanese … Lepcha, Vedic, the
# supplementary Indic scripts (Brahmi …), and the Myanmar, Javanese and Cham extensions.
_SHAPED_RANGES = (
    "\u0300-\u036f\u0483-\u0489\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f\u1100-\u11ff\u1700-\u18af"
    "\u1900-\u1aff\u1b00-\u1c4f\u1cd0-\u1dff\u20d0-\u20ff\ua800-\ua8ff\ua900-\uaaff\uabc0-\uabff"
    "\ufe00-\ufe0f\ufe20-\ufe2f\U00011000-\U00011fff"
)
# Scripts written without spaces, broken by ICU between ideographs and syllables: CJK radicals …
# Kanbun, CJK strokes … compatibility, Extension A, unified ideographs, Yi, Hangul syllables,
# compatibility ideographs, vertical forms, CJK compatibility forms, fullwidth forms, Extension B+.
_CJK_RANGES = (
    "\u2e80-\u2fff\u3000-\u31ff\u3200-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7af\uf900-\ufaff"
    "\ufe10-\ufe1f\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
)
COMPLEX = re.compile(f"[{_RTL_RANGES}{_SHAPED_RANGES}{_CJK_RANGES}]")
_RTL = re.compile(f"[{_RTL_RANGES}]")
_CJK = re.compile(f"[{_CJK_RANGES}]")
# Scripts written without spaces between words: Thai, Lao, Tibetan, Myanmar, Khmer, Chinese and Japanese
# (CJK punctuation, kana, ideographs, fullwidth forms). Not Korean: it puts spaces between words.
_SPACELESS = re.compile("[\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff\u2e80-\u2fff\u3000-\u31ff\u3400-\u4dbf"
                        "\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]")
_STRONG = {"L": False, "R": True, "AL": True}

# Script of a letter, for HarfBuzz: (first code point, OpenType script tag or "" for "no script of its own").
_SCRIPTS = sorted([
    (0x0000, ""), (0x0041, "latn"), (0x0370, "grek"), (0x0400, "cyrl"), (0x0530, "armn"), (0x0590, "hebr"),
    (0x0600, "arab"), (0x0700, "syrc"), (0x0750, "arab"), (0x0780, "thaa"), (0x07C0, "nko "), (0x0800, "samr"),
    (0x0840, "mand"), (0x0860, "syrc"), (0x0870, "arab"), (0x0900, "dev2"), (0x0980, "bng2"), (0x0A00, "gur2"),
    (0x0A80, "gjr2"), (0x0B00, "ory2"), (0x0B80, "tml2"), (0x0C00, "tel2"), (0x0C80, "knd2"), (0x0D00, "mlm2"),
    (0x0D80, "sinh"), (0x0E00, "thai"), (0x0E80, "lao "), (0x0F00, "tibt"), (0x1000, "mym2"), (0x10A0, "geor"),
    (0x1100, "hang"), (0x1200, "ethi"), (0x13A0, "cher"), (0x1400, "cans"), (0x1680, ""), (0x1780, "khmr"),
    (0x1800, "mong"), (0x18B0, ""), (0x1E00, "latn"), (0x1F00, "grek"), (0x2000, ""), (0x2D30, "tfng"),
    (0x2D80, "ethi"), (0x2E80, "hani"), (0x3040, "kana"), (0x3100, "hani"), (0xA500, "vai "), (0xA640, ""),
    (0xAC00, "hang"), (0xD7B0, ""), (0xF900, "hani"), (0xFB00, "latn"), (0xFB1D, "hebr"), (0xFB50, "arab"),
    (0xFE00, ""), (0xFE70, "arab"), (0xFF00, ""), (0x1E900, "adlm"), (0x1E960, ""), (0x20000, "hani"),
])
_SCRIPT_STARTS = [start for start, _ in _SCRIPTS]


def needs_complex(text: str) -> bool:
    """Whether any character of ``text`` needs shaping, bidi or dictionary line breaking."""
    return COMPLEX.search(text) is not None


def has_rtl(text: str) -> bool:
    return _RTL.search(text) is not None


def first_strong_is_rtl(text: str) -> bool | None:
    """UAX #9 P2/P3: True when the first strong character is right-to-left, None when there is none."""
    for char in text:
        strong = _STRONG.get(unicodedata.bidirectional(char))
        if strong is not None:
            return strong
    return None


def is_cjk(char: str) -> bool:
    return _CJK.match(char) is not None


def is_spaceless(text: str) -> bool:
    """Whether ``text`` has letters of a script written without spaces between words."""
    return _SPACELESS.search(text) is not None


def script_of(char: str) -> str:
    """A letter's script as HarfBuzz's OpenType tag; "" for spaces, digits, punctuation and marks (they join the run)."""
    if not unicodedata.category(char).startswith("L"):
        return ""
    return _SCRIPTS[bisect.bisect_right(_SCRIPT_STARTS, ord(char)) - 1][1]
