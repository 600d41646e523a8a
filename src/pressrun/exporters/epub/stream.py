"""The issue e-book, written into its file as it is made (issue 19): never held whole, however many articles.

An archive's entries come in name order (``ziparchive.entry_order``), and every article page
(``EPUB/article-<slug>.xhtml``) comes before everything else a book holds (``EPUB/content.opf``, the cover and
navigation documents, the stylesheet, fonts and images, the NCX); everything else depends only on what the pages
leave behind (``assemble.Pages``). So the pages are made in name order, each loaded whole, rendered, deflated and
written before the next is loaded; then the rest of the book is planned and written after them. The archive
holds the very bytes ``write_archive`` gives for the same book (a test compares them).

The images of the book are numbered in reading order (the spine's, then each article's ``images()``), before any
page is made, since the pages do not come in that order; each image file is read only when it is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import BinaryIO

from pressrun import model
from pressrun.exporters import ziparchive
from pressrun.exporters.epub import documents as docs
from pressrun.exporters.epub.assemble import Pages, image_data
from pressrun.exporters.epub.book import BookInfo, Item
from pressrun.exporters.epub.package import lead_entries, write_package
from pressrun.exporters.epub.reproducible import ARCHIVE
from pressrun.theme import Theme

PACKAGE = "EPUB/"  # the package folder: the items' names in the archive


def book_entries(articles: Sequence[model.Teaser], info: BookInfo, publication: model.Publication, theme: Theme,
                 load: Callable[[model.Teaser], model.Article]) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of each entry of the collection book of ``articles`` (teasers, in spine order), in the
    archive's order, loading one article at a time."""
    pages = Pages(articles, info, publication, theme, collection=True)
    pages.name_images()
    lead = lead_entries()
    yield from lead.items()
    spine = {PACKAGE + docs.article_href(teaser): (n, teaser) for n, teaser in enumerate(articles, 1)}
    assert len(spine) == len(articles), "slugs are unique (readers.source refuses a slug used twice)"
    stand_ins: dict[int, Item] = {}  # each page as the package names it, its bytes written already
    for name in sorted(spine):
        n, teaser = spine[name]
        article = load(teaser)
        page = pages.page(article, n)
        del article  # before the next is loaded: one whole article at a time
        stand_ins[n] = replace(page, data=b"")
        yield name, page.data
    book = pages.book([stand_ins[n] for n in sorted(stand_ins)], read_images=False)
    rest = write_package(book)
    images = {PACKAGE + href: image for href, image in pages.images.files().items()}
    for name in ziparchive.entry_order(list(rest), ARCHIVE):
        if name in images:
            yield name, image_data(images[name])
        elif name not in spine and name not in lead:
            yield name, rest[name]


def write_book(handle: BinaryIO, articles: Sequence[model.Teaser], info: BookInfo, publication: model.Publication,
               theme: Theme, load: Callable[[model.Teaser], model.Article]) -> int:
    """Write the collection book of ``articles`` into ``handle``; the bytes written."""
    return ziparchive.stream_archive(handle, lambda: book_entries(articles, info, publication, theme, load),
                                     info.modified, ARCHIVE)
