"""Phrases marked in a language other than the article's (``[שלום עליכם]{lang=he}``, ``[Ilham Aliyev]{lang=az}``).

Such a phrase is set in the family of the stack made for its script (``FontStack.preferred``) when its
language is written in another script than the article's, and hyphenated by its own language: each of its
words gets soft hyphens where pyphen's dictionary for that language allows a break (reportlab breaks a
word that has soft hyphens there and nowhere else), and the phrase is wrapped in ``<nobr>``, which keeps
the article's dictionary off its words. A language pyphen has no dictionary for is not hyphenated at all.
A phrase in the article's script and dictionary (``lang=az`` in a Turkish article: no dictionary either)
is set exactly like the text around it. Shaped and bidirectional paragraphs (the complex path) are not
hyphenated; they drop the soft hyphens.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from pressrun.exporters.pdf.fonts import FontStack
from pressrun.exporters.pdf.styles import hyphenation_language
from pressrun.language import script_of

SOFT_HYPHEN = "\u00ad"
# Words worth asking the dictionary about: four letters or more (pyphen keeps two letters on either side).
_WORD = re.compile(r"[^\W\d_]{4,}")


@lru_cache(maxsize=32)
def soft_hyphens(dictionary: str) -> Callable[[str], str]:
    """A function putting soft hyphens into every word of a text where pyphen's ``dictionary`` allows a break."""
    import pyphen

    hyphenator = pyphen.Pyphen(lang=dictionary)

    def mark(text: str) -> str:
        return _WORD.sub(lambda word: hyphenator.inserted(word.group(), hyphen=SOFT_HYPHEN), text)

    return mark


class Phrases:
    """How one article sets the phrases it marks in other languages."""

    def __init__(self, language: str):
        self.language = language
        self._script = script_of(language)
        self._hyphens = hyphenation_language(language)

    def markup(self, text: str, stack: FontStack, bold: bool, italic: bool, language: str,
               missing: Callable[[str], None]) -> str:
        """Paragraph markup for ``text``, a phrase in ``language``."""
        if language == self.language:
            return stack.markup(text, bold, italic, missing, one_design=True)
        prefer = stack.preferred(text, bold, italic) if script_of(language) != self._script else None
        own = hyphenation_language(language)
        if own == self._hyphens:
            return stack.markup(text, bold, italic, missing, prefer)
        marked = stack.markup(text, bold, italic, missing, prefer, soft_hyphens(own) if own else None)
        return f"<nobr>{marked}</nobr>" if marked else marked
