"""Articles → the plan of one book (documents, images, fonts, stylesheet, cover, TOC, metadata).

A book is made in two steps, so that an issue of every article need never hold its pages together:
``Pages`` renders the article pages one at a time, keeping only what the rest of the book needs of them (their
characters and code for the fonts, their entries in the table of contents, the accessibility findings, the
images they show); ``Pages.book`` then plans the rest (cover, navigation, stylesheet, fonts, images, metadata)
around page items it is handed: whole ones for an article's book (``assemble``), or stand-ins for pages
already written to the archive (``stream``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import PurePosixPath

from pressrun import model
from pressrun.errors import ExportError, Problem
from pressrun.exporters.epub import documents as docs
from pressrun.exporters.epub.accessibility import Examination, accessibility_metadata
from pressrun.exporters.epub.book import Book, BookInfo, Item, TocNode
from pressrun.exporters.epub.cover import CoverText, typographic_cover
from pressrun.exporters.epub.fonts import STYLES, characters, has_code, stack_roles, subset_fonts, theme_css
from pressrun.exporters.epub.scriptfaces import fonts_for
from pressrun.render.wording import byline_text, format_date, is_rtl
from pressrun.theme import FontFamily, Theme

XHTML = "application/xhtml+xml"
COVER_PNG = "images/cover.png"


class _Images:
    """Package names for the articles' images: one copy per file, numbered in reading order."""

    def __init__(self) -> None:
        self.by_output: dict[str, tuple[str, model.Image]] = {}

    def href(self, image: model.Image) -> str:
        if image.output_path not in self.by_output:
            suffix = PurePosixPath(image.src).suffix.lower() or ".img"
            self.by_output[image.output_path] = (f"images/image-{len(self.by_output) + 1}{suffix}", image)
        return self.by_output[image.output_path][0]

    def items(self, cover_href: str | None, read: bool) -> list[Item]:
        """The images' items; with ``read`` False their data is left empty (``image_data`` reads it later)."""
        return [Item(href, f"img-{n}", image.media_type, image_data(image) if read else b"",
                     ("cover-image",) if href == cover_href else ())
                for n, (href, image) in enumerate(self.by_output.values(), 1)]

    def files(self) -> dict[str, model.Image]:
        return {href: image for href, image in self.by_output.values()}


def image_data(image: model.Image) -> bytes:
    try:
        return image.path.read_bytes()
    except OSError as exc:
        raise ExportError(Problem(str(image.path), f"cannot read image: {exc}", "epub")) from None


_STYLESHEETS: dict[tuple, bytes] = {}  # a build has one theme: a few entries (families and direction vary)


def _stylesheet(theme: Theme, families: tuple[FontFamily, ...], rtl: bool) -> bytes:
    """The theme's ``epub.css`` and the rules ``theme_css`` derives from theme.yaml: made once per process for
    each (theme, families, direction), keyed by everything they are made of (a Theme holds a dict: no key)."""
    key = (theme.root, theme.fingerprint, tuple(theme.families.items()), theme.body_stack, theme.display_stack,
           theme.code_stack, theme.colors, families, rtl)
    if key not in _STYLESHEETS:
        if len(_STYLESHEETS) >= 32:
            _STYLESHEETS.clear()
        path = theme.root / "epub.css"
        try:
            layout = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ExportError(Problem(str(path), f"the EPUB stylesheet is missing: {exc}", "epub")) from None
        _STYLESHEETS[key] = (layout.rstrip() + "\n\n/* from theme.yaml */\n" + theme_css(theme, families, rtl)).encode("utf-8")
    return _STYLESHEETS[key]


def _font_licences(theme: Theme) -> list[Item]:
    """Licence files next to the fonts travel with them (the DejaVu licence asks for it)."""
    return [Item(f"fonts/{name}", f"font-licence-{n}", "text/plain", data)
            for n, (name, data) in enumerate(_licence_files(tuple(theme.families.values())), 1)]


@lru_cache(maxsize=8)
def _licence_files(families: tuple[FontFamily, ...]) -> tuple[tuple[str, bytes], ...]:
    """(name, bytes) of the licences beside the families' files: read once per process, like the fonts
    themselves (``fonts.face``)."""
    folders = sorted({family.file(bold, italic).parent for family in families for bold, italic in STYLES})
    files = sorted(f for folder in folders for f in folder.glob("LICENSE*") if f.is_file())
    return tuple((f.name, f.read_bytes()) for f in files)


class Pages:
    """A book's article pages, made one at a time, and what the rest of the book needs of them."""

    def __init__(self, articles: Sequence[model.Teaser], info: BookInfo, publication: model.Publication,
                 theme: Theme, collection: bool) -> None:
        self.articles, self.info, self.publication, self.theme, self.collection = (
            articles, info, publication, theme, collection)
        self.images = _Images()
        self.examination = Examination(theme)
        self.toc: dict[int, TocNode] = {}  # by place in the spine (from 1)
        self.texts: list[str] = []  # the pages' text, until ``characters`` reads it (``_read``)
        self.chars: frozenset[int] = frozenset()
        self.code = False  # whether a page has code (the code stack's fonts)

    def name_images(self) -> None:
        """Number every image of the book in reading order now, for pages made in another order (``stream``)."""
        for teaser in self.articles:
            for image in teaser.images():
                self.images.href(image)

    def page(self, article: model.Article, n: int) -> Item:
        """The page of ``article``, ``n``-th in the spine; what the book needs of it is kept."""
        href = docs.article_href(article)
        labels = self.theme.labels_for(article.language)
        urls = docs.url_policy(article, self.images.href, f"{article.slug}-" if self.collection else "")
        item = Item(href, f"article-{n}", XHTML, docs.article_document(article, labels, urls), in_spine=True)
        self.toc[n] = docs.toc_nodes(article, labels, href, urls, self.info.language)
        self.examination.add(article, n)
        self.texts.append(item.data.decode("utf-8"))
        if len(self.texts) > 1:  # an issue's pages: read one by one (an article's book reads its text at once)
            self._read()
        return item

    def _read(self) -> None:
        """The characters and code of the texts kept so far (of a concatenation: the union of its parts')."""
        text = "".join(self.texts)
        self.texts.clear()
        self.chars |= characters(text)
        self.code = self.code or has_code(text)

    def _cover(self) -> tuple[str, str, bytes | None]:
        """(href, alt text, PNG made for it): the lead image of a single article; otherwise a typographic one."""
        articles, info = self.articles, self.info
        lead = articles[0].image if not self.collection else None
        if lead is not None:
            return self.images.href(lead), lead.alt, None
        top = articles[0]
        if self.collection:
            lines = tuple(a.headline for a in articles[1:6]) + (format_date(info.published, info.language),)
        else:
            lines = (byline_text(top.byline, top.language), format_date(top.published, top.language))
        text = CoverText(self.publication.title, top.headline, lines, is_rtl(info.language), info.language)
        return COVER_PNG, text.alt, typographic_cover(self.theme, text)

    def book(self, pages: Sequence[Item], read_images: bool = True) -> Book:
        """The plan of the book around its ``pages`` (in spine order), once every page has been made."""
        info, theme = self.info, self.theme
        labels = theme.labels_for(info.language)  # the book's own furniture (its navigation); articles take their own
        cover_href, cover_alt, cover_png = self._cover()
        toc = [self.toc[n] for n in sorted(self.toc)]
        cover_doc = Item(docs.COVER_HREF, "cover", XHTML, docs.cover_document(info.title, info.language, cover_href, cover_alt), in_spine=True)
        nav_doc = Item(docs.NAV_HREF, "nav", XHTML, docs.nav_document(info.title, info.language, labels, toc,
                                                                      docs.article_href(self.articles[0])), ("nav",), in_spine=True)
        self.texts[:0] = (cover_doc.data.decode("utf-8"), nav_doc.data.decode("utf-8"))
        self._read()
        families, left_out = fonts_for(theme, stack_roles(self.code), self.chars)
        any_rtl = any(is_rtl(a.language) for a in self.articles)
        fonts = [Item(href, f"font-{n}", "font/ttf", data)
                 for n, (href, data) in enumerate(subset_fonts(families, self.chars, left_out), 1)]
        items = [cover_doc, nav_doc, *pages, Item(docs.CSS_HREF, "css", "text/css", _stylesheet(theme, families, any_rtl)),
                 *fonts, *_font_licences(theme), *self.images.items(cover_href, read_images)]
        cover_id = next((i.item_id for i in items if i.href == cover_href), "cover-image")
        if cover_png is not None:
            items.append(Item(COVER_PNG, cover_id, "image/png", cover_png, ("cover-image",)))
        findings = self.examination.findings()
        return Book(info, items, toc, accessibility_metadata(findings, self.publication.title, labels), cover_id,
                    is_rtl(info.language))


def assemble(articles: Sequence[model.Teaser], info: BookInfo, publication: model.Publication,
             theme: Theme, collection: bool, load: Callable[[model.Teaser], model.Article] | None = None) -> Book:
    """The plan of a book of ``articles``, with its pages: teasers, each loaded whole by ``load`` only while its
    page is made, or whole articles when ``load`` is None. (An issue is written by ``stream``, which never holds
    its pages together.)"""
    pages = Pages(articles, info, publication, theme, collection)
    items = []
    for n, teaser in enumerate(articles, 1):
        article = load(teaser) if load is not None else teaser
        assert isinstance(article, model.Article)
        items.append(pages.page(article, n))
        del article  # before the next is loaded: one whole article at a time
    return pages.book(items)
