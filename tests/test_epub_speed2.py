"""Issue 19, second round: each shortcut gives exactly what the slower way gave (the same characters, families,
cover pixels and ZIP entries). No timings here: the benchmark measures speed."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from conftest import STYLES
from pressrun.exporters import ziparchive
from pressrun.exporters.epub import cover, fonts, reproducible
from pressrun.exporters.epub.charset import distinct
from pressrun.theme import load_theme

SAMPLES = [
    "",
    "plain ASCII <p class=\"x\">text</p>\n\t\x00\x1f\x7f",
    "Ağır enerjini etdi büdcə — «Gömrüyü» ß ǅ İ ı ﬁ \x85\xa0",
    "Российские миротворцы завершили <b>миссию</b> в Карабахе",
    "صحيفة عنوان الخبر עִבְרִית हिन्दी 中文汉字和かな한국어 🙂 \U00020000",
    "lone \ud800 surrogate",
]


def _reference_characters(text: str) -> frozenset[int]:
    """``fonts.characters`` as it was: from ``set(text)``."""
    chars = set(text)
    chars |= {c.upper() for c in chars} | {c.lower() for c in chars}
    return frozenset(ord(c) for c in "".join(chars) if c >= " " and not c.isspace())


@pytest.mark.parametrize("text", SAMPLES)
def test_distinct_is_set_less_the_ascii_controls(text):
    assert distinct(text) == {c for c in set(text) if not c < " "}
    assert fonts.characters(text) == _reference_characters(text)


def test_distinct_on_random_text():
    rng = random.Random(19)
    alphabet = [chr(c) for c in (*range(0, 0x300), *range(0x400, 0x500), *range(0x4E00, 0x4E80), 0x1F642)]
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 300)))
        assert distinct(text) == {c for c in set(text) if not c < " "}


def _reference_used_families(theme, text: str) -> tuple:
    """``fonts.used_families`` as it was: walking the stack's families for every style."""
    roles = ("body", "display", "code") if fonts._CODE.search(text) else ("body", "display")
    stacks = [stack for stack in (theme.stack(role) for role in roles) if stack]
    keys = {stack[0].key for stack in stacks}
    needed = _reference_characters(text)
    for stack in stacks:
        for bold, italic in fonts.STYLES:
            missing = needed - fonts.codepoints(stack[0].file(bold, italic))
            for family in stack[1:]:
                has = fonts.codepoints(family.file(bold, italic))
                if missing & has:
                    keys.add(family.key)
                missing -= has
    return tuple(f for f in theme.families.values() if f.key in keys)


@pytest.mark.parametrize("text", [*SAMPLES, "<pre>code</pre> ދިވެހި ߒߞߏ 𞤀𞤣𞤤𞤢𞤥 ᏣᎳᎩ ⴰⵎⴰⵣⵉⵖ ꕙꔤ ภาษาไทย ខ្មែរ"])
def test_used_families_are_those_the_walk_along_the_stacks_found(text):
    theme = load_theme(STYLES)
    fonts._FIRST_HAVING.clear()
    for _ in range(2):  # asked first, then answered from what the first book taught
        assert fonts.used_families(theme, text) == _reference_used_families(theme, text)


def _drawn_by_imagedraw(self, xy, line, font, fill, anchor, direction, recurring) -> None:
    """``_Canvas.text`` as it was: through ``ImageDraw.text``."""
    options = {"direction": direction} if direction else {}
    self.draw.text((xy[0] + 1, xy[1] - self.top), line, font=font, fill=fill, anchor=anchor, **options)
    self.drawn.append((0, self.image.height))  # every row may have changed: none is taken as flat unread


@pytest.mark.parametrize("text", [
    cover.CoverText("The Caucasus Desk", "Russian Peacekeepers End Deployment in Karabakh", ("Aqsa Younas Rana", "28 April 2024")),
    cover.CoverText("صحيفة", "عنوان الخبر الطويل جدا في سطرين أو أكثر", ("الكاتب", "٢٨ أبريل ٢٠٢٤"), rtl=True),
    cover.CoverText("Desk", "中文标题没有空格也要换行显示在封面上", ("记者", "2024年4月28日"), language="zh"),
])
def test_cover_lines_drawn_from_their_masks_give_the_same_png(text, monkeypatch):
    theme = load_theme(STYLES)
    ours = [cover.typographic_cover(theme, text) for _ in range(2)]  # the second: the smaller lines' masks kept
    monkeypatch.setattr(cover._Canvas, "text", _drawn_by_imagedraw)
    theirs = cover.typographic_cover(theme, text)
    assert ours[0] == ours[1]
    assert _pixels(ours[0]) == _pixels(theirs)  # same picture (the PNGs deflate other rows from the cache)


def _pixels(png_file: bytes) -> tuple[bytes, list[int] | None]:
    from PIL import Image

    image = Image.open(io.BytesIO(png_file))
    return image.tobytes(), image.getpalette()


def test_the_books_archive_levels():
    layout = reproducible.ARCHIVE
    assert layout.level("EPUB/article-a.xhtml") == layout.level("EPUB/content.opf") == 1  # made anew: fast
    assert layout.level("EPUB/css/epub.css") == layout.level("META-INF/container.xml") == 6  # deflated once
    assert layout.level("EPUB/fonts/LICENSE-DejaVu.txt") == 6 and layout.level("EPUB/fonts/A.ttf") == 1
    assert layout.level(reproducible.COVER) is None and layout.level("mimetype") is None
    assert layout.packer("EPUB/fonts/A.ttf", 10) is ziparchive.pack_reused
    assert layout.packer("EPUB/images/image-1.jpg", 10) is ziparchive.pack_picture
    assert layout.packer("EPUB/images/image-1.jpg", ziparchive.PICTURE_CACHED + 1) is ziparchive.pack
    assert layout.packer(reproducible.COVER, 10) is ziparchive.pack  # new in every book: no cache
    assert ziparchive.Layout().level("a.xml") == ziparchive.Layout(reused=("a",)).level("a.xml") == 6  # DOCX's rule


def test_names_are_encoded_as_zipfile_encodes_them():
    for name in ("EPUB/a.xhtml", "EPUB/images/ph\u00f6to.jpg", "a\\b.txt"):
        info = zipfile.ZipInfo(name)
        ascii_name = info.filename.isascii()
        assert ziparchive._encoded_name(name) == (info.filename.encode("ascii" if ascii_name else "utf-8"),
                                                  0 if ascii_name else ziparchive.UTF8_NAME)


def test_characters_case_every_code_point_as_one_by_one_would():
    """``fonts.characters`` cases the book's characters in one string each way: the same code points as casing
    each alone, for every code point (Greek's final sigma, ß, ligatures, title-case digraphs, surrogates)."""
    every = "".join(chr(c) for c in range(0x110000))
    for start in range(0, len(every), 0x8000):
        part = every[start:start + 0x8000]
        assert fonts.characters(part) == _reference_characters(part), hex(start)
    assert fonts.characters("ΟΔΟΣ Σ ς σ") == _reference_characters("ΟΔΟΣ Σ ς σ")


def test_coverage_and_singles_are_the_chunks_and_ideographs_of_the_characters():
    rng = random.Random(8)
    points = [*range(0x20, 0x3000, 7), *range(0x3400, 0x4E00, 97), *range(0x4E00, 0xA000, 13), *range(0xAC00, 0xD7B0, 31),
              0xF900, 0xFAFF, 0x20000, 0x2A6DF, 0x1F642, 0x10FFFF]
    for _ in range(100):
        chars = frozenset(rng.sample(points, rng.randrange(0, 300)))
        assert fonts.coverage(chars) == frozenset(c >> fonts.CHUNK_BITS for c in chars
                                                  if c not in fonts.BASE and not fonts._exact(c))
        assert fonts.singles(chars) == frozenset(c for c in chars if fonts._exact(c))


HOSTILE = ['Tom & Jerry <b>"quoted"</b> \'single\' ]]> <!-- x --> &amp;', "عنوان <الخبر> & «ترجمة»", "\x01\x0b\x7f\x85\ufffe bell",
           "Δρόμος ΟΔΟΣ 🙂 \U00020000", ""]


@pytest.mark.parametrize("text", HOSTILE)
def test_the_cover_and_navigation_documents_need_no_parse_back(text):
    """They are not parsed back (``documents._by_construction``): on hostile titles, labels, alt text and
    headlines they are well-formed and exactly what ``finish`` would keep."""
    from dataclasses import replace

    from pressrun.exporters.epub import documents
    from pressrun.exporters.epub.book import TocNode

    labels = replace(load_theme(STYLES).labels_for("en"), contents=text or "Contents", landmarks=text, cover=text)
    toc = [TocNode(text, f"article-a.xhtml#{text}", "ar", [TocNode(text, "article-a.xhtml#b", None)]),
           TocNode(text, "article-b.xhtml", "he-IL")]
    made = [documents.cover_document(text, "ar", f"images/{text}.png", text),
            documents.nav_document(text, "en-GB", labels, toc, f"article-{text}.xhtml")]
    for data in made:
        assert documents.finish(data.decode("utf-8"), "test") == data


def test_esc_is_html_escape_less_the_characters_xml_forbids():
    """``render.xhtml.esc`` returns a text with nothing to escape as it is: the same as escaping it in full."""
    import html

    from pressrun.render.xhtml import esc
    from pressrun.text import FORBIDDEN

    rng = random.Random(26)
    alphabet = ["a", " ", "é", "ж", "\u05d0", "“", "&", "<", ">", '"', "'", "\x00", "\x08", "\t", "\n", "\x0b", "\x1f",
                "\x7f", "\x85", "\x9f", "\xa0", "\ufffe", "\uffff", "\ufffd", "🙂", "&amp;"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
        assert esc(text) == html.escape(FORBIDDEN.sub("", text), quote=True), repr(text)
