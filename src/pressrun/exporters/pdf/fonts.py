"""The theme's TrueType fonts in reportlab: registered once, chosen per run of text.

reportlab has no glyph fallback: a TTF silently drops characters it lacks. So
every run of text is split here by the first font of the stack that has the
character, and each run is wrapped in ``<font face=…>``. A character no font
of the stack has is reported, never dropped.

A :class:`FontRegistry`, owned by the exporter, holds what pressrun knows of the
fonts (the name each file is registered under, the code points it maps, the
stacks built on them). reportlab's own table of fonts by name, which paragraph
markup refers to, is process-wide: a file it already has is taken from there,
never registered a second time (a build in the same process, or an exporter
made again after a timeout, reuses it).

Speed (issue 19): text the stack's first family sets whole (nearly all of it) becomes its one ``<font>`` run
in ``FontStack.markup`` directly, with the face names worked out once per stack, not once per run; whether it
does is one regular-expression search per text (``first_sets``), not a set lookup per character.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from pressrun.exporters.pdf.scripts import script_of
from pressrun.theme import FontFamily, Theme

if TYPE_CHECKING:
    from pressrun.exporters.pdf.glyphs import GlyphFont

_STYLES = ((False, False, ""), (True, False, "-Bold"), (False, True, "-Italic"), (True, True, "-BoldItalic"))
# Characters that never need a glyph of their own: line ends and tabs become spacing.
_NO_GLYPH = frozenset("\n\r\t")
# Characters that belong to the letter before them: HarfBuzz can only place a mark on its base, or join
# letters across a joiner, when both are in one font. They stay in the current font when it has them.
_ATTACHED = frozenset(("Mn", "Me", "Mc"))
_JOINERS = frozenset("\u200c\u200d")


def _invisible(char: str) -> bool:
    """Format characters (zero-width joiners, bidi controls, BOM): they steer text, they have no ink."""
    return unicodedata.category(char) == "Cf"


WHOLE_KEPT = 4096  # texts' answers remembered (by the letters outside the first family): bounded


def _outside(chars: frozenset[str]) -> re.Pattern[str]:
    """A pattern for any character not in ``chars``: one C-speed search says whether a face sets a whole text,
    where ``frozenset.issuperset`` made a string object of every non-Latin-1 character and hashed it."""
    codes = sorted(map(ord, chars))
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    parts = (re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[^{''.join(parts)}]")


@lru_cache(maxsize=None)
def _unicodes(path: Path) -> frozenset[int]:
    """The code points a font file maps, read by HarfBuzz without registering the font (a few ms, once a file)."""
    import uharfbuzz

    return frozenset(uharfbuzz.Face(uharfbuzz.Blob(path.read_bytes())).unicodes)


@lru_cache(maxsize=None)
def made_for(path: Path) -> frozenset[str]:
    """The scripts a font file is made for (OpenType tags): each holding at least a quarter of its letters.

    Noto Serif Hebrew → hebr, WenQuanYi → hani and hang, DejaVu Sans → latn (its Hebrew and Arabic are a
    small part of it): what tells the family meant for a phrase's script from one that merely has it."""
    letters = Counter(script_of(chr(c)) for c in _unicodes(path))
    letters.pop("", None)
    total = sum(letters.values())
    return frozenset(script for script, count in letters.items() if count * 4 >= total)


def _registered_ttf(path: Path) -> object | None:
    """The font reportlab already has for the file at ``path`` (registered earlier in this process), if any."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name in pdfmetrics.getRegisteredFontNames():
        font = pdfmetrics.getFont(name)
        if isinstance(font, TTFont) and font.fontName == name and getattr(font.face, "filename", None) == str(path):
            return font
    return None


class FontRegistry:
    """The font files of the themes an exporter uses: registered names, cmaps and stacks."""

    def __init__(self) -> None:
        self._names: dict[Path, str] = {}  # file → reportlab font name
        self._cmaps: dict[Path, frozenset[int]] = {}  # file → the code points it maps
        self._families: set[tuple[str, ...]] = set()
        self._stacks: dict[tuple[tuple[FontFamily, ...], str], FontStack] = {}
        self._glyph_fonts: dict[str, GlyphFont] = {}  # registered name → the font drawn by glyph id (shaped text)

    def name(self, path: Path) -> str:
        """The name the (registered) file has in reportlab and in paragraph markup."""
        return self._names[path]

    def cmap(self, path: Path) -> frozenset[int]:
        """The code points the (registered) file maps."""
        return self._cmaps[path]

    def register_file(self, path: Path, name: str) -> str:
        """Register the file under ``name`` (or ``name2``… when another file has that name); return the name."""
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        if path in self._names:
            return self._names[path]
        font = _registered_ttf(path)
        if font is None:
            taken = set(pdfmetrics.getRegisteredFontNames())
            unique, n = name, 1
            while unique in taken:  # the same family name from another theme folder: keep both
                n += 1
                unique = f"{name}{n}"
            font = TTFont(unique, str(path))
            pdfmetrics.registerFont(font)
        self._names[path] = font.fontName
        self._cmaps[path] = frozenset(font.face.charToGlyph)
        return font.fontName

    def register_family(self, family: FontFamily) -> str:
        """Register the four styles and map them as one family; return the regular font's name."""
        from reportlab.pdfbase.pdfmetrics import registerFontFamily

        base = re.sub(r"[^A-Za-z0-9]", "", family.name) or family.key
        names = tuple(self.register_file(family.file(b, i), base + suffix) for b, i, suffix in _STYLES)
        if names not in self._families:
            # Without this, <b>/<i> in a paragraph set in this family quietly stay regular.
            registerFontFamily(names[0], normal=names[0], bold=names[1], italic=names[2], boldItalic=names[3])
            self._families.add(names)
        return names[0]

    def glyph_font(self, name: str) -> GlyphFont:
        """The registered font ``name`` drawn by glyph id, for shaped text (made once: it holds a HarfBuzz font)."""
        from reportlab.pdfbase import pdfmetrics

        from pressrun.exporters.pdf.glyphs import GlyphFont

        font = self._glyph_fonts.get(name)
        if font is None:
            font = self._glyph_fonts[name] = GlyphFont(pdfmetrics.getFont(name))
        return font

    def stack(self, theme: Theme, which: str) -> FontStack:
        """The theme's ``which`` stack (body, display, code), made once: it memoises which font sets each character."""
        key = (theme.stack(which), which)
        if key not in self._stacks:
            self._stacks[key] = FontStack(self, *key)
        return self._stacks[key]


class FontStack:
    """One of the theme's stacks (body, display, code) with its registered fonts (see ``FontRegistry.stack``).

    Families are registered in stack order and only when a character needs them: the first family
    always, the fallback families (a dozen scripts, a 4 MB CJK face) the first time a text holds a
    character the families before them lack. A Latin article never pays for the world's scripts.
    """

    def __init__(self, fonts: FontRegistry, families: tuple[FontFamily, ...], which: str):
        self.which = which
        self.families = families
        self._fonts = fonts
        self._name: dict[Path, str] = {}  # file → registered name
        self._cmap: dict[Path | str, frozenset[int]] = {}  # by file and by registered name
        self._loaded = 0  # families[:_loaded] are registered
        self._covered: set[str] = set(_NO_GLYPH)  # what any style of a registered family has
        self._picked: dict[tuple[str, bool, bool], str | None] = {}
        self._preferred: dict[tuple[frozenset[str], bool, bool], str | None] = {}
        self._whole: dict[tuple[frozenset[str], bool, bool], str | None] = {}  # by the chars outside the first
        self._load_next()
        # Fast path (most text is set entirely in the first family): what that family's faces have.
        self._first: dict[tuple[bool, bool], frozenset[str]] = {
            (b, i): _NO_GLYPH | {chr(c) for c in self._cmap[families[0].file(b, i)]} for b, i, _ in _STYLES
        }
        self._first_face = {(b, i): self._name[families[0].file(b, i)] for b, i, _ in _STYLES}  # its faces' names
        self._outside_first = {key: _outside(chars) for key, chars in self._first.items()}
        # The scripts the first family has letters of (DejaVu Serif: Latin, Greek, Cyrillic, Armenian, Georgian…).
        self._first_scripts = {key: frozenset(script_of(c) for c in chars) - {""} for key, chars in self._first.items()}

    @property
    def faces(self) -> tuple[str, ...]:
        """The registered regular face of each family registered so far (the first family's comes first)."""
        return tuple(self._name[f.regular] for f in self.families[: self._loaded])

    def _load_next(self) -> bool:
        """Register the next family of the stack; False when every family is registered."""
        if self._loaded == len(self.families):
            return False
        family = self.families[self._loaded]
        self._fonts.register_family(family)
        for b, i, _ in _STYLES:
            path = family.file(b, i)
            name = self._fonts.name(path)
            self._name[path] = name
            self._cmap[path] = self._cmap[name] = self._fonts.cmap(path)
            self._covered.update(map(chr, self._cmap[path]))
        self._loaded += 1
        self._picked.clear()  # a character may now have an earlier family than the one picked
        return True

    def _load_through(self, index: int) -> None:
        """Register the families up to ``families[index]`` (stack order: earlier ones keep their priority)."""
        while self._loaded <= index and self._load_next():
            pass

    def preferred(self, text: str, bold: bool = False, italic: bool = False) -> str | None:
        """The face a phrase marked in another language is set in: the first family of the stack made for the
        script of its letters (``made_for``) that has every one of them — Noto Serif Hebrew for a Hebrew phrase
        in a serif paragraph, rather than DejaVu Sans, which merely comes earlier and has Hebrew too. None
        (ordinary fallback) when the first family sets the letters itself or no family is made for them."""
        letters = frozenset(c for c in text if c.isalpha())
        if not letters or self._first[bold, italic].issuperset(letters):
            return None
        key = (letters, bold, italic)
        if key not in self._preferred:
            self._preferred[key] = None
            scripts = {script_of(c) for c in letters}
            for index, family in enumerate(self.families):
                path = family.file(bold, italic)
                cmap = self._cmap.get(path) or _unicodes(path)  # read, not registered: only the face chosen is
                if all(ord(c) in cmap for c in letters) and scripts & made_for(path):
                    self._load_through(index)  # and the families before it: stack order is kept
                    self._preferred[key] = self._name[path]
                    break
        return self._preferred[key]

    def whole(self, text: str, bold: bool = False, italic: bool = False) -> str | None:
        """The face that sets the letters of ``text`` in the scripts the first family lacks some letter of, when
        falling back letter by letter would split them between families: the first family of the stack that has
        every one of them. An Urdu word was set in DejaVu Sans's Arabic but for ہ, ے and ۔, which came from Noto
        Naskh Arabic: two designs in one word. Arabic, Persian and Hebrew, which DejaVu Sans has whole, stay with
        it (None: letter by letter, as before, also when no family has them all)."""
        outside = frozenset(self._outside_first[bold, italic].findall(text))  # what the first family lacks (in C)
        if not outside:
            return None
        simple = (outside, bold, italic)
        if simple in self._whole:  # the same letters outside the first family as a text before: the same answer
            return self._whole[simple]
        if len(self._whole) >= WHOLE_KEPT:
            self._whole.clear()
        letters = frozenset(c for c in outside if c.isalpha())
        scripts = {script_of(c) for c in letters}
        if scripts & self._first_scripts[bold, italic]:  # it has some letters of them: gather all of those
            letters = frozenset(c for c in text if c.isalpha() and script_of(c) in scripts)
        self._whole[simple] = self._whole_of(letters, bold, italic) if letters else None
        return self._whole[simple]

    def _whole_of(self, letters: frozenset[str], bold: bool, italic: bool) -> str | None:
        """``whole`` for a text's ``letters`` of the scripts concerned: None when one family sets them all anyway."""
        if len({self.pick(c, bold, italic) for c in letters}) > 1:
            for index, family in enumerate(self.families):
                path = family.file(bold, italic)
                cmap = self._cmap.get(path) or _unicodes(path)
                if all(ord(c) in cmap for c in letters):
                    self._load_through(index)
                    return self._name[path]
        return None

    def _load_for(self, chars: set[str]) -> set[str]:
        """Register families until each of ``chars`` is covered or the stack is exhausted; the rest."""
        missing = chars - self._covered
        while missing and self._load_next():
            missing -= self._covered
        return missing

    @property
    def label(self) -> str:
        """e.g. "body stack (DejaVu Serif, DejaVu Sans and 26 script fonts)": short enough for an error line."""
        names = [f.name for f in self.families]
        shown = ", ".join(names[:2])
        more = f" and {len(names) - 2} script fonts" if len(names) > 2 else ""
        return f"{self.which} stack ({shown}{more})"

    def covers(self, char: str) -> bool:
        """Whether any style of any family has a glyph for ``char``."""
        return char in self._covered or _invisible(char) or not self._load_for({char})

    def first_sets(self, text: str, bold: bool = False, italic: bool = False) -> bool:
        """Whether the first family's face in this style has every character of ``text`` (nearly all text)."""
        return self._outside_first[bold, italic].search(text) is None

    def uncovered(self, text: str) -> list[str]:
        """The characters of ``text`` no font of the stack has, in order of first appearance."""
        if self.first_sets(text):
            return []  # the first family covers it: nothing to load, nothing missing
        missing = self._load_for(set(text))
        if not missing:
            return []
        return [c for c in dict.fromkeys(text) if c in missing and not _invisible(c)]

    def pick(self, char: str, bold: bool, italic: bool) -> str | None:
        """The font that sets ``char`` in this style (memoised: it is asked once per character of every text)."""
        key = (char, bold, italic)
        try:
            return self._picked[key]
        except KeyError:
            self._load_for({char})
            font = self._picked[key] = self._pick(char, bold, italic)
            return font

    def _pick(self, char: str, bold: bool, italic: bool) -> str | None:
        """The first family that has ``char`` in this style, else any style of any family that has it."""
        code = ord(char)
        loaded = self.families[: self._loaded]
        for fam in loaded:
            if code in self._cmap[fam.file(bold, italic)]:
                return self._name[fam.file(bold, italic)]
        for fam in loaded:  # e.g. a bold face lacks it but the regular one has it
            for b, i, _ in _STYLES:
                if code in self._cmap[fam.file(b, i)]:
                    return self._name[fam.file(b, i)]
        return None

    def runs(self, text: str, bold: bool = False, italic: bool = False,
             prefer: str | None = None) -> Iterator[tuple[str | None, str]]:
        """Split text into (font name, text) runs; a space stays in the run it is in. ``prefer`` (a registered
        face of the stack, see ``preferred``) sets every character it has, spaces included."""
        current: str | None = self._first_face[bold, italic]
        if prefer is None and self.first_sets(text, bold, italic):
            if text:
                yield current, text  # all of it in the first family: one run
            return
        buf: list[str] = []
        pick = self.pick
        preferred = self._cmap[prefer] if prefer is not None else frozenset()
        for char in text:
            if char in _NO_GLYPH or (
                (char.isspace() or char in _JOINERS or unicodedata.category(char) in _ATTACHED)
                and current is not None and ord(char) in self._cmap[current]
            ):
                font = current  # a space between two runs should not split them, nor a mark leave its letter
            elif ord(char) in preferred:
                font = prefer
            else:
                font = pick(char, bold, italic)
                if font is None and _invisible(char):
                    continue  # an invisible format character no font draws: nothing to show, nothing lost
            if font != current and buf:
                yield current, "".join(buf)
                buf = []
            current = font
            buf.append(char)
        if buf:
            yield current, "".join(buf)

    def glyph_font(self, name: str) -> GlyphFont:
        """A font of this stack (by registered name) drawn by glyph id, for shaped text."""
        return self._fonts.glyph_font(name)

    def markup(
        self,
        text: str,
        bold: bool = False,
        italic: bool = False,
        missing: Callable[[str], None] | None = None,
        prefer: str | None = None,
        hyphenate: Callable[[str], str] | None = None,
        one_design: bool = False,
    ) -> str:
        """Paragraph markup for ``text``: every run names its exact font file (face and style).

        Naming the exact font is what makes fallback work inside bold or italic text:
        reportlab resets the style when a ``<font face>`` changes family. ``missing`` is told
        each character no font has; the caller turns these into a build error. ``prefer``: see ``runs``;
        ``hyphenate`` marks each run's break points (soft hyphens), after the runs are cut, so a soft
        hyphen never starts a run of its own. ``one_design``: the article's own text, whose script's letters
        go to one family (``whole``) where falling back letter by letter would split them.
        """
        if prefer is None and self.first_sets(text, bold, italic):  # most text: one run, as ``runs`` says
            run = hyphenate(text) if hyphenate else text
            return f'<font face="{self._first_face[bold, italic]}">{escape(run)}</font>' if text else ""
        if one_design and prefer is None:
            prefer = self.whole(text, bold, italic)
        out: list[str] = []
        for font, run in self.runs(text, bold, italic, prefer):
            if font is None:
                for char in run:
                    if missing:
                        missing(char)
                continue
            out.append(f'<font face="{font}">{escape(hyphenate(run) if hyphenate else run)}</font>')
        return "".join(out)
