"""The plan → the entries of an EPUB 3 archive, with EbookLib writing the OPF package document and the NCX.

We hand EbookLib finished XHTML as plain items (its EpubHtml re-parses and
rewrites documents) and write the navigation document ourselves; EbookLib's
own generator tag and its clock-based dcterms:modified are replaced.

EbookLib writes into a ``ZipFile``; ours hands it a collector instead (issue 19), so the archive is
written once, by ``reproducible`` (it used to be zipped by EbookLib, read back and zipped again).

Speed (issue 19): ``_direct_entries`` writes the OPF and the NCX as the lines EbookLib's writer comes to
(its lxml trees, pretty-printed by libxml2), byte for byte, without building an ``EpubBook`` and two trees:
~0.35 ms a book less. A plan EbookLib would change (an item without id or media type) or text libxml2 would
write as character references (control characters) goes through EbookLib itself (``_ebooklib_entries``).
"""

from __future__ import annotations

import re
from datetime import timezone
from functools import lru_cache

from pressrun.exporters.epub.book import Book, TocNode

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _ncx_toc(nodes: list[TocNode], counter: list[int]) -> list:
    from ebooklib import epub

    toc = []
    for node in nodes:
        counter[0] += 1
        link = epub.Link(node.href, node.title, f"navpoint-{counter[0]}")
        toc.append((link, _ncx_toc(node.children, counter)) if node.children else link)
    return toc


def utc_stamp(moment) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=1)
def _writer_class() -> type:
    """EbookLib's writer, putting ``xml:lang`` on the OPF ``<package>`` (EbookLib has no option for it).

    Without it Ace reports ``epub-lang`` (serious): reading systems take the package's language for the
    metadata (title, names, description), e.g. to read it aloud. A class made once, when EbookLib is loaded.
    """
    from ebooklib import epub

    class Writer(epub.EpubWriter):
        language = ""

        def _write_opf_file(self, root) -> None:  # EbookLib's last step before serialising content.opf
            root.set(XML_LANG, self.language)
            super()._write_opf_file(root)

        def entries(self) -> dict[str, bytes]:
            """What ``write`` would put in its ZIP, by name: its own steps, with ``_Entries`` for the archive."""
            self.out = _Entries()
            self.out.writestr("mimetype", "application/epub+zip")
            self._write_container()
            self._write_opf()
            self._write_items()
            return self.out.files

    return Writer


class _Entries:
    """Stands in for the ``ZipFile`` EbookLib writes into: keeps each entry's bytes (str as UTF-8, as
    ``ZipFile.writestr`` stores it; a name written twice keeps its last copy, as reading the ZIP back did)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def writestr(self, name: str, data: str | bytes, **_ignored) -> None:
        self.files[name] = data.encode("utf-8") if isinstance(data, str) else data


def lead_entries() -> dict[str, bytes]:
    """``mimetype`` and the OCF container, the same in every book (EbookLib's, for the package folder ``EPUB``):
    the first entries of its archive."""
    from ebooklib.epub import CONTAINER_XML

    return {"mimetype": b"application/epub+zip",
            "META-INF/container.xml": (CONTAINER_XML % {"folder_name": "EPUB"}).encode("utf-8")}


def write_package(book: Book) -> dict[str, bytes]:
    if all(item.item_id and item.media_type for item in book.items):
        try:
            return _direct_entries(book)
        except _NotPlain:
            pass
    return _ebooklib_entries(book)


def _metadata(book: Book) -> list[tuple[str | None, str, str, dict[str, str] | None]]:
    """(namespace key, name, value, attributes) in the order ``_ebooklib_entries`` adds them to EbookLib's book."""
    info = book.info
    found: list[tuple[str | None, str, str, dict[str, str] | None]] = [("DC", "identifier", info.identifier, {"id": "id"}),
                                                                      ("DC", "title", info.title, None)]
    found.extend(("DC", "language", language, None) for language in info.languages)
    for n, person in enumerate(info.creators, 1):
        uid = f"creator-{n}"
        found.append(("DC", "creator", person.name, {"id": uid}))
        attrs = {"refines": f"#{uid}", "property": "role"}
        if person.marc:
            attrs["scheme"] = "marc:relators"
        found.append((None, "meta", person.role, attrs))
    found.append(("DC", "date", utc_stamp(info.published), None))
    found.append(("DC", "description", info.description, None))
    found.extend(("DC", "subject", subject, None) for subject in info.subjects)
    found.append(("DC", "publisher", info.publisher, None))
    if info.rights:
        found.append(("DC", "rights", info.rights, None))
    found.extend((None, "meta", value, {"property": prop}) for prop, value in book.accessibility)
    found.append((None, "meta", "", {"name": "cover", "content": book.cover_image_id}))
    return found


_OPF_HEAD = """<?xml version='1.0' encoding='utf-8'?>
<package xmlns="http://www.idpf.org/2007/opf" unique-identifier="id" version="3.0"{dir} prefix="rendition: http://www.idpf.org/vocab/rendition/#" xml:lang="{lang}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    <meta property="dcterms:modified">{modified}</meta>
"""
_NCX_HEAD = """<?xml version='1.0' encoding='utf-8'?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
  <head>
    <meta content="{uid}" name="dtb:uid"/>
    <meta content="0" name="dtb:depth"/>
    <meta content="0" name="dtb:totalPageCount"/>
    <meta content="0" name="dtb:maxPageNumber"/>
  </head>
  <docTitle>
    <text>{title}</text>
  </docTitle>
"""
# Characters libxml2 writes as character references (in text a carriage return, in attributes any white space
# but the space) or lxml refuses: a book with one goes through EbookLib.
_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_ATTRIBUTE = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff]")


class _NotPlain(Exception):
    pass


def _text(value: str) -> str:
    """``value`` as libxml2 writes element text (lxml's ``tostring``, UTF-8)."""
    if _NOT_TEXT.search(value):
        raise _NotPlain
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    """``value`` as libxml2 writes an attribute value."""
    if _NOT_ATTRIBUTE.search(value):
        raise _NotPlain
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _element(tag: str, attrs: dict[str, str] | None, text: str | None, indent: str) -> str:
    attributes = "".join(f' {name}="{_attr(value)}"' for name, value in (attrs or {}).items())
    if text is None:
        return f"{indent}<{tag}{attributes}/>\n"
    return f"{indent}<{tag}{attributes}>{_text(text)}</{tag}>\n"


def _direct_entries(book: Book) -> dict[str, bytes]:
    """What ``_ebooklib_entries`` gives, written directly: EbookLib's writer (``EpubWriter._write_opf`` and
    ``_get_ncx``; no guide, no play order, the direction on package and spine when rtl) builds these lxml
    trees and pretty-prints them, which comes to these lines. Raises ``_NotPlain`` for text libxml2 would
    write otherwise than ``_text`` does."""
    info = book.info
    direction = "rtl" if book.rtl else None
    files = lead_entries()

    opf = [_OPF_HEAD.format(dir=f' dir="{direction}"' if direction else "", lang=_attr(info.language),
                            modified=_text(utc_stamp(info.modified)))]
    grouped: dict[str | None, dict[str, list[tuple[str, dict[str, str] | None]]]] = {}  # EpubBook.metadata
    for namespace, name, value, attrs in _metadata(book):
        grouped.setdefault(namespace, {}).setdefault(name, []).append((value, attrs))
    for namespace, names in grouped.items():
        for name, values in names.items():
            tag = f"dc:{name}" if namespace else name
            opf.extend(_element(tag, attrs, value, "    ") for value, attrs in values)
    opf.append("  </metadata>\n  <manifest>\n")
    for item in book.items:
        opts = {"href": item.href, "id": item.item_id, "media-type": item.media_type}
        if item.properties:
            opts["properties"] = " ".join(item.properties)
        opf.append(_element("item", opts, None, "    "))
    opf.append('    <item href="toc.ncx" id="ncx" media-type="application/x-dtbncx+xml"/>\n  </manifest>\n')
    opf.append(f'  <spine toc="ncx" page-progression-direction="{direction}">\n' if direction else '  <spine toc="ncx">\n')
    opf.extend(_element("itemref", {"idref": item.item_id}, None, "    ") for item in book.items if item.in_spine)
    opf.append("  </spine>\n</package>\n")
    files["EPUB/content.opf"] = _utf8(opf)

    for item in book.items:  # EpubWriter._write_items: each item, then the NCX
        files[f"EPUB/{item.href}"] = item.data

    ncx = [_NCX_HEAD.format(uid=_attr(info.identifier), title=_text(info.title))]
    if book.toc:
        ncx.append("  <navMap>\n")
        _ncx_points(ncx, book.toc, 0, [0], "    ")
        ncx.append("  </navMap>\n</ncx>\n")
    else:
        ncx.append("  <navMap/>\n</ncx>\n")
    files["EPUB/toc.ncx"] = _utf8(ncx)
    return files


def _utf8(pieces: list[str]) -> bytes:
    """The pieces' UTF-8, joined: the bytes of ``"".join(pieces).encode()`` without that string, which for an
    issue of every article is megabytes (up to four bytes a character where a title has a CJK one)."""
    return b"".join([piece.encode("utf-8") for piece in pieces])


def _ncx_points(out: list[str], nodes: list[TocNode], uid: int, counter: list[int], indent: str) -> int:
    """EbookLib's ``_create_section`` over the ``_ncx_toc`` of ``nodes``: a node with children is a section
    ("sep_<uid>"), one without a link ("navpoint-<n>", numbered in ``_ncx_toc``'s preorder)."""
    for node in nodes:
        counter[0] += 1
        point = f"sep_{uid}" if node.children else f"navpoint-{counter[0]}"
        if not node.href:
            raise _NotPlain  # EbookLib would give the section its first link's target: rare enough to leave to it
        out.append(f'{indent}<navPoint id="{_attr(point)}">\n{indent}  <navLabel>\n'
                   f"{indent}    <text>{_text(node.title)}</text>\n{indent}  </navLabel>\n"
                   f'{indent}  <content src="{_attr(node.href)}"/>\n')
        if node.children:
            uid = _ncx_points(out, node.children, uid + 1, counter, indent + "  ")
        out.append(f"{indent}</navPoint>\n")
    return uid


def _ebooklib_entries(book: Book) -> dict[str, bytes]:
    from ebooklib import epub

    info = book.info
    eb = epub.EpubBook()
    eb.metadata.pop(epub.NAMESPACES["OPF"], None)  # EbookLib's generator tag: not ours to claim
    eb.set_identifier(info.identifier)
    eb.set_title(info.title)
    for language in info.languages:
        eb.set_language(language)
    eb.language = info.language  # set_language keeps the last one
    if book.rtl:
        eb.set_direction("rtl")
    for n, person in enumerate(info.creators, 1):
        uid = f"creator-{n}"
        eb.add_metadata("DC", "creator", person.name, {"id": uid})
        attrs = {"refines": f"#{uid}", "property": "role"}
        if person.marc:
            attrs["scheme"] = "marc:relators"
        eb.add_metadata(None, "meta", person.role, attrs)
    eb.add_metadata("DC", "date", utc_stamp(info.published))
    eb.add_metadata("DC", "description", info.description)
    for subject in info.subjects:
        eb.add_metadata("DC", "subject", subject)
    eb.add_metadata("DC", "publisher", info.publisher)
    if info.rights:
        eb.add_metadata("DC", "rights", info.rights)
    for prop, value in book.accessibility:
        eb.add_metadata(None, "meta", value, {"property": prop})
    # EPUB 2 readers (and calibre) find the cover through this.
    eb.add_metadata(None, "meta", "", {"name": "cover", "content": book.cover_image_id})

    spine = []
    for item in book.items:
        entry = epub.EpubItem(uid=item.item_id, file_name=item.href, media_type=item.media_type, content=item.data)
        entry.properties = list(item.properties)
        eb.add_item(entry)
        if item.in_spine:
            spine.append(entry)
    eb.add_item(epub.EpubNcx())
    eb.spine = spine
    eb.toc = _ncx_toc(book.toc, [0])

    writer = _writer_class()(None, eb, {
        "mtime": info.modified.astimezone(timezone.utc),  # EbookLib would stamp local "now" labelled Z
        "epub2_guide": False, "epub3_landmark": False, "epub3_pages": False, "raise_exceptions": True,
        "package_direction": book.rtl,  # dir="rtl" on <package> too: the metadata (title, names) is right-to-left
    })
    writer.language = info.language
    writer.process()
    return writer.entries()
