"""Issue 19, EPUB near its floor: what is now done once per process, or written directly, gives exactly the bytes
(or, for the cover's PNG, exactly the pixels) of the slower way. No timings here: the benchmark measures speed."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from datetime import datetime, timezone

import pytest

from conftest import FIXTURES, SOURCE, STYLES, articles_of
from pressrun.exporters import ziparchive
from pressrun.exporters.base import ExportContext
from pressrun.exporters.epub import EpubExporter, cover, png, reproducible
from pressrun.exporters.epub.package import write_package
from pressrun.theme import load_theme

MOMENT = datetime(2024, 4, 27, 10, 0, 1, tzinfo=timezone.utc)


# --- the ZIP, laid out by ziparchive itself -----------------------------------------------------


def _entries() -> dict[str, bytes]:
    rng = random.Random(19)
    return {
        "mimetype": b"application/epub+zip",
        "META-INF/container.xml": b"<container/>",
        "EPUB/empty.xhtml": b"",
        "EPUB/fonts/Face.ttf": bytes(rng.randrange(256) for _ in range(20000)),
        "EPUB/fonts/LICENSE.txt": b"Permission is hereby granted " * 200,
        "EPUB/images/ph\u00f6to.jpg": bytes(rng.randrange(8) for _ in range(5000)),  # a UTF-8 name (flag 0x800)
        "word/document.xml": b"<w:t>text</w:t>" * 3000,
    }


@pytest.mark.parametrize("layout", [
    ziparchive.Layout(),
    ziparchive.Layout(lead=("[Content_Types].xml", "_rels/.rels"), compresslevel=9, media_compresslevel=9),  # DOCX's
    reproducible.ARCHIVE,
])
def test_the_archive_is_byte_for_byte_what_zipfile_writes(layout):
    entries = _entries()
    expected = ziparchive._with_zipfile(entries, ziparchive.entry_time(MOMENT), layout)  # zipfile.writestr, as before
    assert ziparchive.write_archive(entries, MOMENT, layout) == expected
    assert ziparchive.write_archive(entries, MOMENT, layout) == expected  # the reused entries, now from the cache
    with zipfile.ZipFile(io.BytesIO(expected)) as archive:
        assert archive.testzip() is None
        assert {i.filename: archive.read(i) for i in archive.infolist()} == entries


def test_folder_entries_go_through_zipfile():
    entries = {**_entries(), "EPUB/folder/": b""}
    expected = ziparchive._with_zipfile(entries, ziparchive.entry_time(MOMENT), ziparchive.Layout())
    assert ziparchive.write_archive(entries, MOMENT, ziparchive.Layout()) == expected


def test_a_reused_entry_is_deflated_once_and_only_its_own_bytes_hit():
    ziparchive.pack_reused.cache_clear()
    data = bytes(range(256)) * 300
    first = ziparchive.pack_reused(data, 1)
    assert ziparchive.pack_reused(bytes(data), 1) is first  # equal bytes (another object): a hit
    assert ziparchive.pack_reused(data, 6) is not first and ziparchive.pack_reused(data + b"x", 1) is not first
    assert first == ziparchive.pack(data, 1)
    assert zlib.decompress(first.data, -15) == data and first.crc == zlib.crc32(data)


def test_only_the_layouts_reused_entries_are_cached():
    ziparchive.pack_reused.cache_clear()
    ziparchive.pack_picture.cache_clear()
    ziparchive.write_archive(_entries(), MOMENT, reproducible.ARCHIVE)
    assert ziparchive.pack_reused.cache_info().currsize == 3  # the font, the licence beside it, the container
    assert ziparchive.pack_picture.cache_info().currsize == 1  # the picture
    ziparchive.write_archive(_entries(), MOMENT, ziparchive.Layout())  # DOCX's and the default: none
    assert ziparchive.pack_reused.cache_info().currsize == 3 and ziparchive.pack_picture.cache_info().currsize == 1


# --- the EPUB: EbookLib's entries, zipped once -----------------------------------------------------


def _exporter(source) -> tuple[EpubExporter, list]:
    publication, articles = articles_of(source)
    return EpubExporter(ExportContext(publication, load_theme(STYLES), articles, ("epub",))), list(articles)


def _ebooklib_zip_entries(writer) -> dict[str, bytes]:
    """The entries as EbookLib's own ``write`` zips them (the way books were made before), read back."""
    out = io.BytesIO()
    writer.file_name = out
    writer.write()
    return ziparchive.read_entries(out.getvalue())


def test_the_book_is_what_ebooklib_zipped_rewritten_by_the_shared_rule(monkeypatch):
    """The entries collected from EbookLib are those its ZIP held, and the book is written once by the rule
    (before: EbookLib's ZIP, read back and rewritten)."""
    from pressrun.exporters.epub import package
    from pressrun.exporters.epub.assemble import assemble
    from pressrun.exporters.epub.metadata import article_info

    exporter, (article, *_) = _exporter(FIXTURES / "kitchen-sink")
    info = article_info(article, exporter.ctx.publication)
    book = assemble([article], info, exporter.ctx.publication, exporter.ctx.theme, False)
    entries = write_package(book)
    assert list(entries)[:3] == ["mimetype", "META-INF/container.xml", "EPUB/content.opf"]
    assert entries["mimetype"] == b"application/epub+zip" and b"<ncx" in entries["EPUB/toc.ncx"]
    monkeypatch.setattr(package._writer_class(), "entries", _ebooklib_zip_entries)
    assert write_package(book) == entries
    assert reproducible.archive(entries, info.modified) == exporter.export_article(article)[0].data


def test_books_do_not_depend_on_what_the_process_made_before():
    """Font subsets, their deflated bytes, the cover's template and its PNG segments are cached per process:
    a book is the same made first, made after others, and made again with every cache emptied."""
    from pressrun.exporters.epub import fonts

    exporter, articles = _exporter(FIXTURES / "multilingual")
    seed, seed_articles = _exporter(SOURCE)
    article, other = articles[0], seed_articles[0]
    first = exporter.export_article(article)[0].data
    seed.export_article(other)
    assert exporter.export_article(article)[0].data == first
    for cache in (fonts._subset, ziparchive.pack_reused, ziparchive.pack_picture, png._segment, cover._masthead, cover._masthead_rows, cover._palette):
        cache.cache_clear()
    assert exporter.export_article(article)[0].data == first
    assert seed.export_article(other)[0].data == seed.export_article(other)[0].data


# --- the cover's PNG -------------------------------------------------------------------------------


def test_adler32_of_pieces_combines_to_the_whole():
    rng = random.Random(7)
    for _ in range(50):
        a, b = (bytes(rng.randrange(256) for _ in range(rng.randrange(0, 3000))) for _ in range(2))
        assert png.adler32_combine(zlib.adler32(a), zlib.adler32(b), len(b)) == zlib.adler32(a + b)


MIXED = -1  # a row with more than one colour (text in it)


def _rows(*rows: tuple[int, int]) -> bytes:
    """A 3-pixel-wide picture: (value, how many rows) in turn; MIXED rows are not flat."""
    return b"".join((b"\x01\x02\x03" if value == MIXED else bytes([value]) * 3) * count for value, count in rows)


@pytest.mark.parametrize("layout", [
    ((1, 1),), ((1, 7),), ((1, 8),), ((5, 40), (6, 1), (5, 17)), ((2, 3), (3, 8), (4, 2)), ((9, 16), (9, 0), (7, 33)),
    ((MIXED, 20), (4, 9), (MIXED, 1)),
])
def test_long_flat_runs_are_found_exactly(layout):
    pixels, expected, row = _rows(*layout), [], 0
    for value, count in layout:
        if count >= png.LONG_RUN and value != MIXED:
            expected.append((row, count))
        row += count
    assert list(png.long_runs(pixels, 3, row)) == expected


def _idat(data: bytes) -> bytes:
    chunks, at = [], 8
    while at < len(data):
        (length,), kind = struct.unpack(">I", data[at : at + 4]), data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        assert struct.unpack(">I", data[at + 8 + length : at + 12 + length])[0] == zlib.crc32(kind + body)
        chunks.append((kind, body))
        at += 12 + length
    assert [k for k, _ in chunks] == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]
    return chunks[2][1]


def test_the_png_stream_holds_every_row_after_its_filter_byte():
    width, height = 5, 300
    rng = random.Random(3)
    rows = [bytes([rng.choice((1, 2))]) * width if y % 40 < 30 else bytes(rng.randrange(256) for _ in range(width))
            for y in range(height)]
    data = png.indexed_png(b"".join(rows), width, height, bytes(range(256)) * 3)
    assert zlib.decompress(_idat(data)) == b"".join(b"\x00" + row for row in rows)  # checks the Adler-32 too


def _pillow_png(theme, text: cover.CoverText) -> bytes:
    """The same drawing, saved by Pillow's PNG encoder (as covers were before issue 19)."""
    from PIL import Image

    drawn = []
    original = cover.filtered_png
    cover.filtered_png = lambda head, rows, *_: drawn.append(rows) or b""
    try:
        cover.typographic_cover(theme, text)
    finally:
        cover.filtered_png = original
    # Rows as the PNG holds them: a filter byte, then the row's palette indices.
    filtered = cover._masthead(theme.stack("display"), text.publication, text.rtl).tobytes() + drawn[0]
    stride = cover.WIDTH + 1
    pixels = b"".join(filtered[r * stride + 1:(r + 1) * stride] for r in range(cover.HEIGHT))
    image = Image.frombytes("L", (cover.WIDTH, cover.HEIGHT), pixels)
    image.putpalette(cover._palette(theme.colors))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


@pytest.mark.parametrize("text", [
    cover.CoverText("The Caucasus Desk", "Russian Peacekeepers End Deployment in Karabakh", ("Aqsa Younas Rana", "28 April 2024")),
    cover.CoverText("صحيفة", "عنوان الخبر الطويل جدا في سطرين أو أكثر", ("الكاتب", "٢٨ أبريل ٢٠٢٤"), rtl=True),
])
def test_the_cover_has_the_pixels_and_palette_pillow_would_have_written(text):
    from PIL import Image

    theme = load_theme(STYLES)
    data = cover.typographic_cover(theme, text)
    ours, theirs = (Image.open(io.BytesIO(png_file)) for png_file in (data, _pillow_png(theme, text)))
    assert (ours.mode, ours.size) == (theirs.mode, theirs.size) == ("P", (cover.WIDTH, cover.HEIGHT))
    assert ours.getpalette() == theirs.getpalette() and ours.tobytes() == theirs.tobytes()
    rows = zlib.decompress(_idat(data))  # zlib checks the combined Adler-32; every row has filter type 0
    assert len(rows) == cover.HEIGHT * (cover.WIDTH + 1) and rows[:: cover.WIDTH + 1] == bytes(cover.HEIGHT)


@pytest.mark.parametrize("text", [
    cover.CoverText("The Caucasus Desk", "Russian Peacekeepers End Deployment in Karabakh", ("Aqsa Younas Rana", "28 April 2024")),
    cover.CoverText("صحيفة", "عنوان الخبر الطويل جدا في سطرين أو أكثر", ("الكاتب", "٢٨ أبريل ٢٠٢٤"), rtl=True, language="ar"),
    cover.CoverText("समाचार", "भारत में 75 वर्ष पूरे होने पर समारोह", ("लेखक", "28 अप्रैल 2024"), language="hi"),
    cover.CoverText("新闻", "人人生而自由，在尊严和权利上一律平等。", ("作者", "2024年4月28日"), language="zh"),
])
def test_the_rows_the_cover_names_flat_are_its_background(text):
    """The canvas names the rows no drawing reached (``_Canvas.flat_runs``) instead of comparing every row: each
    such row is the background, and they are nearly all the flat rows a full scan (``png.long_runs``) finds."""
    theme = load_theme(STYLES)
    seen = []
    original = cover.filtered_png
    cover.filtered_png = lambda head, rows, width, height, palette, flat: seen.append((rows, list(flat))) or b""
    try:
        cover.typographic_cover(theme, text)
    finally:
        cover.filtered_png = original
    (rows, flat), = seen
    stride = cover.WIDTH + 1
    background = b"\x00" + bytes([cover.BOX]) * cover.WIDTH
    assert flat and all(count >= png.LONG_RUN for _, count in flat)
    assert all(rows[r * stride:(r + 1) * stride] == background for first, count in flat for r in range(first, first + count))
    scanned = list(png.long_runs(rows, stride, len(rows) // stride, skip=1))
    named = {r for first, count in flat for r in range(first, first + count)}
    found = {r for first, count in scanned for r in range(first, first + count)}
    assert named <= found and len(named) >= 0.9 * len(found)


def test_the_template_is_drawn_on_a_copy():
    theme = load_theme(STYLES)
    text = cover.CoverText("The Caucasus Desk", "A headline", ("A byline",))
    template = cover._masthead(theme.stack("display"), text.publication, text.rtl)
    before = template.tobytes()
    first = cover.typographic_cover(theme, text)
    assert template.tobytes() == before
    assert cover.typographic_cover(theme, cover.CoverText("The Caucasus Desk", "Another", ())) != first
    assert cover.typographic_cover(theme, text) == first


def _documents(rng: random.Random, size: int) -> list[bytes]:
    """Text of ``size`` bytes, as XML documents repeat themselves, random bytes, and a run of one byte."""
    words = [b"<p>", b"</p>", b"lang", b"class=\"byline\"", b" ", b"\xc3\xa9t\xc3\xa9", b"the", b"\n", b"\xd0\xbc\xd0\xb8\xd1\x80"]
    text = bytearray()
    while len(text) < size:
        text += rng.choice(words)
    return [bytes(text[:size]), rng.randbytes(size), b"a" * size]


def test_a_small_entry_deflated_in_its_own_window_gives_zipfiles_bytes():
    rng = random.Random(1919)
    sizes = sorted({0, 1, 249, 250, 251, 761, 762, 763, 5000, 16122, 16123, 16200, 32505, 32506, 40000}
                   | {rng.randrange(1, 40000) for _ in range(40)})
    for size in sizes:
        for data in _documents(rng, size):
            for level in (1, 6, 9):
                compressor = zlib.compressobj(level, zlib.DEFLATED, -15)  # zipfile.writestr's own
                assert ziparchive.pack(data, level).data == compressor.compress(data) + compressor.flush(), (size, level)
    assert [ziparchive.window_bits(n) for n in (0, 250, 251, 762, 763, 32506, 32507, 10**6)] == [9, 9, 10, 10, 11, 15, 15, 15]


def test_zlib_ng_deflates_the_cover_rows_to_the_bytes_zlib_would(monkeypatch):
    """The rows are deflated by zlib-ng only because its run-length deflate writes zlib's own bytes: checked once
    per process (``png._rle_is_zlibs``), and here on whole covers in three scripts, against zlib itself."""
    assert png._rle_is_zlibs() and png.rle() is not zlib
    theme = load_theme(STYLES)
    texts = [
        cover.CoverText("The Caucasus Desk", "Russian Peacekeepers End Deployment in Karabakh", ("Aqsa Younas Rana",)),
        cover.CoverText("صحيفة", "عنوان الخبر الطويل جدا في سطرين أو أكثر", ("الكاتب", "٢٨ أبريل ٢٠٢٤"), rtl=True),
        cover.CoverText("समाचार", "सभी मनुष्यों को गौरव और अधिकारों के मामले में जन्मजात स्वतन्त्रता प्राप्त है", ("लेखक",), language="hi"),
    ]
    with_ng = [cover.typographic_cover(theme, text) for text in texts]
    monkeypatch.setattr(png, "rle", lambda: zlib)
    assert [cover.typographic_cover(theme, text) for text in texts] == with_ng


def test_the_self_check_falls_back_to_zlib_when_the_bytes_differ(monkeypatch):
    class Other:  # a zlib whose deflate writes other (valid) bytes: its default matching, not run lengths
        DEFLATED = zlib.DEFLATED

        @staticmethod
        def compressobj(level, method, bits, memory, strategy):
            return zlib.compressobj(level, method, bits, memory, zlib.Z_DEFAULT_STRATEGY)

    monkeypatch.setattr(png, "zlib_ng", Other)
    png._rle_is_zlibs.cache_clear()
    try:
        assert not png._rle_is_zlibs() and png.rle() is zlib
    finally:
        monkeypatch.undo()
        png._rle_is_zlibs.cache_clear()
    assert png.rle() is png.zlib_ng


def test_a_document_needing_no_change_is_kept_as_written_and_as_lxml_would_write_it():
    """``documents.finish`` parses every document back; one with nothing to change (no dangling link, no
    ``lang`` without ``xml:lang``) is kept as written instead of serialised again (issue 19), and for the
    renderer's pages that is the same bytes lxml would write. A document that needs a change still gets it."""
    from lxml import etree

    from pressrun.exporters.epub import documents

    body = '<section id="a"><h1>Title — “quoted” &amp; more</h1><p><a href="#a">up</a> <a href="https://x.org/?a=1&amp;b=2">out</a></p></section>'
    xhtml = documents.page("A page", "en", body)
    kept = documents.finish(xhtml, "page")
    assert kept == xhtml.encode("utf-8")
    root = etree.fromstring(kept)
    assert etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=True, doctype="<!DOCTYPE html>") == kept
    changed = documents.finish(documents.page("A page", "en", '<p><a href="#nowhere">x</a> <span lang="fr">oui</span></p>'), "page")
    assert b'class="unlinked"' in changed and b'xml:lang="fr"' in changed
