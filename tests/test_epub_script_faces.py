"""One design for a script's letters in the e-book (``exporters.epub.scriptfaces``) and on its cover.

A reading system falls back along the CSS stack character by character: an Urdu book was set in DejaVu Sans's
Arabic but for ہ, ے and ۔, which came from Noto Naskh Arabic. Now the families before the one that has every
letter of the script are embedded without them; a script one family has whole (Arabic in DejaVu Sans) stays.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from conftest import run_build
from pressrun.exporters.epub import cover as cover_art
from pressrun.exporters.epub.scriptfaces import book_fonts, one_design
from pressrun.theme import load_theme

ROOT = Path(__file__).resolve().parent.parent
WORLD = ROOT / "tests" / "fixtures" / "world"


@pytest.fixture(scope="module")
def theme():
    return load_theme(ROOT / "styles")


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, dict[str, bytes]]:
    """The fonts of the ur, ar and en world books, by file name."""
    found = {}
    for language in ("ur", "ar", "en"):
        out = tmp_path_factory.mktemp(language)
        assert run_build(WORLD / language, out, formats=["epub"]).exit_code == 0
        (book,) = (out / "epub").glob("*.epub")
        with zipfile.ZipFile(book) as archive:
            found[language] = {name.rsplit("/", 1)[-1]: archive.read(name) for name in archive.namelist()}
    return found


def _arabic_letters(text: str) -> set[int]:
    return {ord(c) for c in text if unicodedata.category(c).startswith("L") and "ARABIC" in unicodedata.name(c)}


def _cmap(data: bytes) -> set[int]:
    return set(TTFont(io.BytesIO(data)).getBestCmap())


def test_an_urdu_book_takes_every_arabic_letter_from_one_family(books):
    fonts = books["ur"]
    text = fonts[next(n for n in fonts if n.startswith("article-"))].decode()
    letters = _arabic_letters(text)
    assert {ord("ہ"), ord("ے")} <= letters
    for face in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):  # body fallback and display first family, before Naskh
        assert not letters & _cmap(fonts[face]), face
    assert letters <= _cmap(fonts["NotoNaskhArabic-Regular.ttf"]) and letters <= _cmap(fonts["NotoNaskhArabic-Bold.ttf"])


def test_a_script_one_family_has_whole_keeps_it(books):
    fonts = books["ar"]
    text = fonts[next(n for n in fonts if n.startswith("article-"))].decode()
    assert _arabic_letters(text) <= _cmap(fonts["DejaVuSans.ttf"])  # Arabic stays with DejaVu Sans, as before


def test_latin_books_are_left_alone(theme):
    text = "<p>All human beings are born free and equal — Ωμέγα, Привет, Բարեւ.</p>"
    families, left_out = book_fonts(theme, text)
    assert left_out == {} and [f.key for f in families] == ["serif", "sans"]


def test_one_design_names_what_each_family_leaves_out(theme):
    chars = frozenset(map(ord, "انسانی حقوق کے عالمی منشور۔ Roosevelt"))
    design = one_design((theme.stack("body"), theme.stack("display")), chars)
    assert design.wholes == {"arabic"}
    assert set(design.left_out) == {"sans"}  # DejaVu Serif has no Arabic to leave out
    assert ord("ک") in design.left_out["sans"] and ord("ش") in design.left_out["sans"]  # all its Arabic, every book
    assert not {ord(c) for c in "Roosevelt 0123456789,."} & design.left_out["sans"]  # never Latin, digits, spaces


def test_an_urdu_cover_sets_its_arabic_letters_in_one_family(theme):
    text = cover_art.CoverText("عالمی خبرنامہ", "انسانی حقوق کے عالمی منشور کے 75 سال", ("ادارتی ٹیم", "10 دسمبر، 2023"),
                               True, "ur")
    context = " ".join((text.headline, *text.lines))
    kind, lines = cover_art._headline_type(theme.stack("body"), text.headline, text.language, context)
    small = cover_art.cover_type(theme.stack("display"), cover_art._px(50), False).within(context)
    faces = set()
    for typ, strings in ((kind, lines), (small, text.lines)):
        for string in strings:
            faces |= {Path(run.font.path).name.split("-")[0] for run in typ.runs(string) if _arabic_letters(run.text)}
    assert faces == {"NotoNaskhArabic"}
    byline = cover_art.cover_type(theme.stack("display"), cover_art._px(50), False)
    assert Path(byline.runs("ادارتی ٹیم")[0].font.path).name == "DejaVuSans.ttf"  # alone, DejaVu Sans has it all
