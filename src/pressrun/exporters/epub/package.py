"""The plan → the entries of an EPUB 3 archive, with EbookLib writing the OPF package document and the NCX.

We hand EbookLib finished XHTML as plain items (its EpubHtml re-parses and
rewrites documents) and write the navigation document ourselves; EbookLib's
own generator tag and its clock-based dcterms:modified are replaced.

EbookLib writes into a ``ZipFile``; ours hands it a collector instead (issue 19), so the archive is
written once, by ``reproducible`` (it used to be zipped by EbookLib, read back and zipped again).
"""

from __future__ import annotations

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


def write_package(book: Book) -> dict[str, bytes]:
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
