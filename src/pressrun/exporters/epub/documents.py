"""XHTML content documents of the book: article pages (from the shared renderer), cover and navigation.

Every document is parsed back before it goes into the book: fragment links
whose target is not in the document become plain text (EPUBCheck rejects them,
and a reader would jump nowhere), and duplicate ids stop the export.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from urllib.parse import urljoin

from pressrun import model
from pressrun.errors import ExportError, Problem
from pressrun.exporters.epub.book import TocNode
from pressrun.render import outline
from pressrun.render.wording import is_rtl
from pressrun.render.xhtml import UrlPolicy, XhtmlArticle, esc
from pressrun.theme import Labels

CSS_HREF = "css/epub.css"
NAV_HREF = "nav.xhtml"
COVER_HREF = "cover.xhtml"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def lang_attrs(language: str) -> str:
    direction = ' dir="rtl"' if is_rtl(language) else ""
    return f'lang="{esc(language)}" xml:lang="{esc(language)}"{direction}'


def page(title: str, language: str, body: str, body_attrs: str = "") -> str:
    return (
        "<?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE html>\n"
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" {lang_attrs(language)}>\n'
        f'<head>\n<meta charset="utf-8"/>\n<title>{esc(title)}</title>\n'
        f'<link rel="stylesheet" type="text/css" href="{CSS_HREF}"/>\n</head>\n'
        f"<body{body_attrs}>\n{body}\n</body>\n</html>"
    )


def finish(xhtml: str, where: str) -> bytes:
    """Parse back (proves well-formedness), unlink dangling fragment links, refuse duplicate ids. A document that
    needs no change is kept as it was written (issue 19: serialising the tree again cost a fifth of this; its bytes
    differ at most in how a quote or an apostrophe in text is escaped)."""
    from lxml import etree

    data = xhtml.encode("utf-8")
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ExportError(Problem(where, f"EPUB document is not well-formed XML: {exc}", "epub")) from None
    ids = Counter(el.get("id") for el in root.iter() if el.get("id") is not None)
    duplicates = sorted(i for i, n in ids.items() if n > 1)
    if duplicates:
        raise ExportError(Problem(where, f"duplicate id(s) in the EPUB document: {', '.join(duplicates)}", "epub"))
    changed = False
    for link in root.iter(f"{XHTML}a"):
        href = link.get("href", "")
        if href.startswith("#") and href[1:] not in ids:
            # Keep the words, drop the jump: a link to nowhere would fail EPUBCheck.
            link.tag = f"{XHTML}span"
            link.attrib.clear()
            link.set("class", "unlinked")
            changed = True
    if not _mirror_lang(root) and not changed:
        return data
    return etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=True, doctype="<!DOCTYPE html>")


def _mirror_lang(root) -> bool:
    """``xml:lang`` beside every ``lang`` (a marked phrase's ``<span>``/``<bdi>`` from the shared renderer):
    EPUB reading systems read the XML attribute, browsers the HTML one, and EPUBCheck wants them equal. Whether
    one was added."""
    from lxml import etree

    added = False
    for element in root.iter(etree.Element):
        lang = element.get("lang")
        if lang is not None and element.get(XML_LANG) is None:
            element.set(XML_LANG, lang)
            added = True
    return added


def _by_construction(xhtml: str) -> bytes:
    """A document of fixed markup around values ``esc`` escapes, ``lang`` and ``xml:lang`` written together and
    links only to other documents (the cover, the navigation): ``finish`` would keep it as it is (a test holds
    that, on hostile text), so it is not parsed back (issue 19: ~40 µs a book)."""
    return xhtml.encode("utf-8")


def article_href(article: model.Teaser) -> str:
    return f"article-{article.slug}.xhtml"


def url_policy(article: model.Article, image_href, id_prefix: str = "") -> UrlPolicy:
    """Images point into the package; relative links resolve against the article's canonical URL (its web
    page unless the source names another), since they would otherwise point at files the book does not contain."""
    page_url = article.canonical_url
    return UrlPolicy(image_src=image_href, link_href=lambda href: urljoin(page_url, href), id_prefix=id_prefix)


def article_document(article: model.Article, labels: Labels, urls: UrlPolicy) -> bytes:
    """The article's parts (``XhtmlArticle``), then a colophon: its rights and where it is online."""
    parts = XhtmlArticle(labels, urls).render(article)
    online = article.canonical_url
    colophon = [p for p in (parts.rights, f'<p><a href="{esc(online)}">{esc(online)}</a></p>') if p]
    body = (
        f"<article>\n{parts.all}\n"
        f'<footer class="colophon">\n{chr(10).join(colophon)}\n</footer>\n</article>'
    )
    return finish(page(article.headline, article.language, body, ' epub:type="bodymatter"'), str(article.source_path))


def cover_document(title: str, language: str, image_href: str, alt: str) -> bytes:
    body = (
        # epub:type and its DPUB-ARIA twin on the same element, as Ace expects.
        f'<section id="cover">\n'
        f'<img epub:type="cover" role="doc-cover" src="{esc(image_href)}" alt="{esc(alt)}"/>\n</section>'
    )
    return _by_construction(page(title, language, body, ' class="cover"'))


def toc_nodes(article: model.Article, labels: Labels, href: str, urls: UrlPolicy, book_language: str) -> TocNode:
    """The article's outline as a tree: headline → sections and ## headings → deeper headings."""
    entries = outline.table_of_contents(article, labels)
    lang = article.language if article.language != book_language else None
    root = TocNode("", "")
    stack: list[tuple[int, TocNode]] = [(0, root)]
    for entry in entries:
        node = TocNode(entry.title, f"{href}#{urls.anchor(entry.anchor)}", lang)
        while stack[-1][0] >= entry.level:
            stack.pop()
        stack[-1][1].children.append(node)
        stack.append((entry.level, node))
    (headline,) = root.children  # the outline always starts with the one headline
    return headline


def _toc_list(nodes: Sequence[TocNode]) -> str:
    items = []
    for node in nodes:
        lang = f" {lang_attrs(node.lang)}" if node.lang else ""
        sub = f"\n{_toc_list(node.children)}" if node.children else ""
        items.append(f'<li{lang}><a href="{esc(node.href)}">{esc(node.title)}</a>{sub}</li>')
    return "<ol>\n" + "\n".join(items) + "\n</ol>"


def nav_document(title: str, language: str, labels: Labels, toc: Sequence[TocNode], first_href: str) -> bytes:
    """The EPUB 3 navigation document: the table of contents, and landmarks for reading systems."""
    first_lang = f" {lang_attrs(toc[0].lang)}" if toc[0].lang else ""  # the first headline, in its own language
    body = (
        f'<nav epub:type="toc" id="toc" role="doc-toc" aria-labelledby="toc-title">\n'
        f'<h1 id="toc-title">{esc(labels.contents)}</h1>\n{_toc_list(toc)}\n</nav>\n'
        f'<nav epub:type="landmarks" id="landmarks" aria-labelledby="landmarks-title" hidden="hidden">\n'
        f'<h2 id="landmarks-title">{esc(labels.landmarks)}</h2>\n<ol>\n'
        f'<li><a epub:type="cover" href="{COVER_HREF}">{esc(labels.cover)}</a></li>\n'
        f'<li><a epub:type="toc" href="{NAV_HREF}#toc">{esc(labels.contents)}</a></li>\n'
        f'<li{first_lang}><a epub:type="bodymatter" href="{esc(first_href)}">{esc(toc[0].title)}</a></li>\n'
        "</ol>\n</nav>"
    )
    return _by_construction(page(title, language, body))
