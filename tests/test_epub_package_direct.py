"""The OPF and NCX written directly are EbookLib's bytes (issue 19)."""
from __future__ import annotations

import pytest
from conftest import FIXTURES, STYLES, articles_of
from pressrun.exporters.base import ExportContext
from pressrun.exporters.epub import EpubExporter, package
from pressrun.theme import load_theme


@pytest.mark.parametrize("name", ["kitchen-sink", "l10n", "multilingual", "minimal", "lifecycle"])
def test_direct_package_is_ebooklibs(name, monkeypatch):
    books = []
    original = package.write_package

    def spy(book):
        books.append(book)
        return original(book)

    monkeypatch.setattr(package, "write_package", spy)
    publication, articles = articles_of(FIXTURES / name)
    exporter = EpubExporter(ExportContext(publication, load_theme(STYLES), articles, ("epub",)))
    for article in articles:
        exporter.export_article(article)
    exporter.export_publication(articles)
    assert books
    for book in books:
        assert package._direct_entries(book) == package._ebooklib_entries(book), book.info.identifier
    assert any(book.rtl for book in books) or name != "l10n"


ODD = ['Smith & Co <say> "hi" it\'s', "tab\there", "line\nbreak", "cr\rhere", "emoji 😀 ‏שלום", "", "a > b", "\x7f\x85", "&amp;"]


@pytest.mark.parametrize("odd", ODD)
@pytest.mark.parametrize("rtl", [False, True])
def test_direct_package_with_odd_text(odd, rtl):
    from datetime import datetime, timezone

    from pressrun.exporters.epub.book import Book, BookInfo, Creator, Item, TocNode

    when = datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc)
    info = BookInfo(f"urn:x:{odd}", f"Title {odd}", ("en", "he"), (Creator(f"N {odd}", "aut", True), Creator("B", f"r {odd}", False)),
                    when, when, f"D {odd}", (f"s {odd}", "t"), f"P {odd}", f"R {odd}" if odd else None)
    items = [Item("cover.xhtml", "cover", "application/xhtml+xml", b"<x/>", in_spine=True),
             Item(f"a{odd}.xhtml", f"i{odd}", "application/xhtml+xml", b"<y/>", ("nav",), in_spine=True),
             Item("images/c.png", "cover-image", "image/png", b"png", ("cover-image",))]
    toc = [TocNode(f"H {odd}", f"a.xhtml#h{odd}", None, [TocNode("c1", "a.xhtml#c1", None, [TocNode(odd, "a.xhtml#d", "he")]),
                                                          TocNode("c2", "a.xhtml#c2")]),
           TocNode("second", "b.xhtml#x")]
    book = Book(info, items, toc, [("schema:accessibilitySummary", f"S {odd}"), ("a", "")], "cover-image", rtl)
    try:
        direct = package._direct_entries(book)
    except package._NotPlain:
        assert any(c in odd for c in "\t\n\r")
        return
    assert direct == package._ebooklib_entries(book)


@pytest.mark.parametrize("odd", ODD)
def test_direct_package_with_odd_text_in_text_only(odd):
    from datetime import datetime, timezone

    from pressrun.exporters.epub.book import Book, BookInfo, Creator, Item, TocNode

    when = datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc)
    info = BookInfo("urn:x:1", f"Title {odd}", ("en",), (Creator(f"N {odd}", "aut", True),), when, when, f"D {odd}\n2",
                    (f"s {odd}",), f"P {odd}", None)
    items = [Item("cover.xhtml", "cover", "application/xhtml+xml", b"<x/>", in_spine=True)]
    toc = [TocNode(f"H {odd}", "a.xhtml#h", None, [TocNode(f"c {odd}", "a.xhtml#c1")])]
    book = Book(info, items, toc, [("schema:accessibilitySummary", f"S {odd}")], "cover-image", False)
    try:
        direct = package._direct_entries(book)
    except package._NotPlain:
        assert "\r" in odd
        return
    assert direct == package._ebooklib_entries(book)
