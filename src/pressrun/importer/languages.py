"""A run's language: which of its text is a phrase in another language than the document's (``[שלום]{lang=he}``).

Word keeps three languages on a run (``w:lang``): ``w:val`` for Latin, Cyrillic, Greek… text, ``w:bidi`` for
complex scripts (Arabic, Hebrew, Devanagari…), ``w:eastAsia`` for Chinese, Japanese and Korean; each character
takes the one of its script. pressrun's DOCX writer names a phrase's language on its runs the same way, and
Word does when an editor sets a language (Review > Language) or types with another keyboard.

A character is in another language when its run names, in its slot, a language that is not the document's: a
different language or script (``he``, ``az``, ``sr-Latn`` in a ``sr`` document), not merely another region — Word
marks what an editor types with the keyboard's language, and ``en-US`` typing in an ``en-GB`` article is not a
phrase in another language. A language named only by a style, or not named, is the document's. So tags are read
as language and script (:func:`reduced`): the ``he-IL``, ``ar-SA`` and ``pt-PT`` that LibreOffice writes for ``he``,
``ar`` and ``pt`` read as ``he``, ``ar`` and ``pt``, and the session writes a tag back in the source's own spelling.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

import langcodes

from pressrun.exporters.docx.scripts import COMPLEX, EAST_ASIAN, RTL, script_of as char_script
from pressrun.importer.package import w
from pressrun.language import check_tag

SLOTS = ("val", "bidi", "eastAsia")  # w:lang's attributes; a run without letters reads the first it names
_NO_LANGUAGE = frozenset({"und", "zxx", "mul", "mis"})  # Word writes "x-none" too: no language, not a phrase


@lru_cache(maxsize=512)
def reduced(tag: str) -> str | None:
    """The language and, when it is not the language's usual one, the script of a tag: ``he-IL`` → ``he``,
    ``ar-SA`` → ``ar``, ``zh-Hant-TW`` → ``zh-Hant``, ``sr-Latn`` stays; None for no language or not a tag."""
    checked = check_tag(tag.strip())
    if checked.error or not checked.tag or checked.tag.lower().startswith(("x-", "i-")):
        return None
    try:
        lang = langcodes.Language.get(checked.tag)
        script = lang.maximize().script
        usual = langcodes.Language.get(lang.language or "").maximize().script
    except (langcodes.LanguageTagError, ValueError):
        return None
    if not lang.language or lang.language in _NO_LANGUAGE:
        return None
    return lang.language if script == usual else f"{lang.language}-{script}"


def same_language(a: str, b: str) -> bool:
    """The same language in the same script (``en-GB`` and ``en``, ``he`` and ``he-IL``; not ``sr`` and ``sr-Latn``)."""
    return reduced(a) == reduced(b)


def document_language(package: Any, styles_root: Any) -> str | None:
    """The document's language: the core property pressrun writes, else the document defaults' ``w:lang``."""
    tag = reduced(package.core().get("language", "") or "")
    if tag is None and styles_root is not None:
        lang = styles_root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('lang')}")
        tag = reduced(lang.get(w("val"), "")) if lang is not None else None
    return tag


def named(rpr: Any) -> dict[str, str]:
    """The languages a run's own properties name, by slot (``{"val": "az"}``), as :func:`reduced` reads them."""
    lang = rpr.find(w("lang")) if rpr is not None else None
    if lang is None:
        return {}
    found = {slot: reduced(lang.get(w(slot), "")) for slot in SLOTS}
    return {slot: tag for slot, tag in found.items() if tag}


def _slot(char: str) -> str | None:
    """The ``w:lang`` slot a character is read in; None for spaces, punctuation and digits (they go with the
    letters around them)."""
    slot = char_script(char)[0]
    if slot in (RTL, COMPLEX):
        return "bidi"
    if slot == EAST_ASIAN:
        return "eastAsia"
    return "val" if unicodedata.category(char)[0] == "L" else None


def segments(text: str, names: dict[str, str], document: str | None) -> list[tuple[str, str | None]]:
    """``text`` of a run that names ``names`` cut where its language changes: (text, another language or None)."""
    if not names:
        return [(text, None)]
    slots = [_slot(c) for c in text]
    known = [s for s in slots if s]
    fallback = known[0] if known else next(s for s in SLOTS if s in names)
    out: list[tuple[str, str | None]] = []
    previous = fallback
    for char, slot in zip(text, slots):
        previous = slot or previous  # a neutral goes with the letter before it (the first letter, at the start)
        tag = names.get(previous)
        language = tag if tag and not (document and same_language(tag, document)) else None
        if out and out[-1][1] == language:
            out[-1] = (out[-1][0] + char, language)
        else:
            out.append((char, language))
    return out
