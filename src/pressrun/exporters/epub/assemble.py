"""Articles → the plan of one book (documents, images, fonts, stylesheet, cover, TOC, metadata)."""

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
from pressrun.exporters.epub.fonts import STYLES, embedded_fonts, theme_css
from pressrun.exporters.epub.scriptfaces import book_fonts
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

    def items(self, cover_href: str | None) -> list[Item]:
        out = []
        for n, (href, image) in enumerate(self.by_output.values(), 1):
            try:
                data = image.path.read_bytes()
            except OSError as exc:
                raise ExportError(Problem(str(image.path), f"cannot read image: {exc}", "epub")) from None
            props = ("cover-image",) if href == cover_href else ()
            out.append(Item(href, f"img-{n}", image.media_type, data, props))
        return out


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


def _article_page(article: model.Article, n: int, images: _Images, theme: Theme, collection: bool,
                  book_language: str) -> tuple[Item, TocNode]:
    """The article's page in the book and its entry in the table of contents."""
    href = docs.article_href(article)
    labels = theme.labels_for(article.language)
    urls = docs.url_policy(article, images.href, f"{article.slug}-" if collection else "")
    page = Item(href, f"article-{n}", XHTML, docs.article_document(article, labels, urls), in_spine=True)
    return page, docs.toc_nodes(article, labels, href, urls, book_language)


def assemble(articles: Sequence[model.Teaser], info: BookInfo, publication: model.Publication,
             theme: Theme, collection: bool, load: Callable[[model.Teaser], model.Article] | None = None) -> Book:
    """The plan of a book of ``articles``: teasers, each loaded whole by ``load`` only while its page is made (an
    issue of every article holds one at a time), or whole articles when ``load`` is None."""
    labels = theme.labels_for(info.language)  # the book's own furniture (its navigation); articles take their own
    images = _Images()
    article_items: list[Item] = []
    toc = []
    examination = Examination(theme)
    for n, teaser in enumerate(articles, 1):
        article = load(teaser) if load is not None else teaser
        assert isinstance(article, model.Article)
        item, node = _article_page(article, n, images, theme, collection, info.language)
        examination.add(article)
        article_items.append(item)
        toc.append(node)
        del article  # before the next is loaded: one whole article at a time

    # Cover: the lead image of a single article; otherwise a typographic one.
    lead = articles[0].image if not collection else None
    cover_png: bytes | None = None
    if lead is not None:
        cover_href, cover_alt = images.href(lead), lead.alt
    else:
        top = articles[0]
        if collection:
            lines = tuple(a.headline for a in articles[1:6]) + (format_date(info.published, info.language),)
        else:
            lines = (byline_text(top.byline, top.language), format_date(top.published, top.language))
        text = CoverText(publication.title, top.headline, lines, is_rtl(info.language), info.language)
        cover_href, cover_alt, cover_png = COVER_PNG, text.alt, typographic_cover(theme, text)

    cover_doc = Item(docs.COVER_HREF, "cover", XHTML, docs.cover_document(info.title, info.language, cover_href, cover_alt), in_spine=True)
    nav_doc = Item(docs.NAV_HREF, "nav", XHTML, docs.nav_document(info.title, info.language, labels, toc, article_items[0].href),
                   ("nav",), in_spine=True)
    text = "".join(item.data.decode("utf-8") for item in (cover_doc, nav_doc, *article_items))
    families, left_out = book_fonts(theme, text)
    any_rtl = any(is_rtl(a.language) for a in articles)
    fonts = [Item(href, f"font-{n}", "font/ttf", data)
             for n, (href, data) in enumerate(embedded_fonts(families, text, left_out), 1)]
    items = [cover_doc, nav_doc, *article_items, Item(docs.CSS_HREF, "css", "text/css", _stylesheet(theme, families, any_rtl)), *fonts,
             *_font_licences(theme), *images.items(cover_href)]
    cover_id = next((i.item_id for i in items if i.href == cover_href), "cover-image")
    if cover_png is not None:
        items.append(Item(COVER_PNG, cover_id, "image/png", cover_png, ("cover-image",)))

    findings = examination.findings()
    return Book(info, items, toc, accessibility_metadata(findings, publication.title, labels), cover_id, is_rtl(info.language))
