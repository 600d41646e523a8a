"""The DOCX as an OPC package: a ZIP of XML parts joined by relationships. Anything else is refused here.

Refused with one clear problem each (the command exits 2 and writes nothing): a file that is not a ZIP, an
encrypted (password-protected) or legacy Word file (both are OLE compound files), a ZIP that is not a
WordprocessingML package (an ODT, a spreadsheet…), Strict Open XML, and parts that are not well-formed XML.
XML is parsed without DTDs, entities or network access, and every part read is capped in size (a ZIP bomb
fails as a located problem, not as a full disk).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml import etree

from pressrun.errors import Problem, SourceError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {
    "w": W,
    "r": R,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OFFICE_DOCUMENT = "/officeDocument"  # the end of the relationship type naming the main part (transitional or strict)
MAIN_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
MAX_PART = 64 * 1024 * 1024  # bytes of one part, uncompressed: a news article's document.xml is well under 1 MB
MAX_FILE = 256 * 1024 * 1024
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)


def w(tag: str) -> str:
    """``w:tag`` in Clark notation."""
    return f"{{{W}}}{tag}"


@dataclass(frozen=True)
class Rel:
    type: str
    target: str  # a part name inside the package, or the URL of an external target
    external: bool


@dataclass
class Package:
    shown: str  # the file as messages name it
    archive: zipfile.ZipFile
    main: str  # the main document part, e.g. "word/document.xml"
    _xml: dict[str, Any] = field(default_factory=dict)

    def has(self, part: str) -> bool:
        return part in self.archive.NameToInfo

    def blob(self, part: str) -> bytes:
        info = self.archive.getinfo(part)
        if info.file_size > MAX_PART:
            raise _refuse(self.shown, f"{part} is {info.file_size // 1048576} MB uncompressed; too large for an article")
        with self.archive.open(info) as handle:
            data = handle.read(MAX_PART + 1)
        if len(data) > MAX_PART:
            raise _refuse(self.shown, f"{part} is too large for an article")
        return data

    def xml(self, part: str | None) -> Any:
        """The part's root element, or None when the package has no such part."""
        if part is None or not self.has(part):
            return None
        if part not in self._xml:
            try:
                self._xml[part] = etree.fromstring(self.blob(part), _PARSER)
            except etree.XMLSyntaxError as exc:
                raise _refuse(self.shown, f"{part} is not well-formed XML ({exc.msg}); the file is damaged") from None
        return self._xml[part]

    def rels(self, part: str) -> dict[str, Rel]:
        """The relationships of ``part`` by id; internal targets resolved to part names."""
        folder, name = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", name + ".rels"))
        found: dict[str, Rel] = {}
        for node in (root if root is not None else ()):
            target, external = node.get("Target", ""), node.get("TargetMode") == "External"
            if not external:
                target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found[node.get("Id", "")] = Rel(node.get("Type", ""), target, external)
        return found

    def related(self, part: str, type_suffix: str) -> str | None:
        """The first internal part related to ``part`` by a relationship type ending in ``type_suffix``."""
        for rel in self.rels(part).values():
            if rel.type.endswith(type_suffix) and not rel.external:
                return rel.target
        return None

    def core(self) -> dict[str, str]:
        """Core properties (``docProps/core.xml``) by local name: identifier, title, created, modified…"""
        part = self.related("", "/metadata/core-properties") or "docProps/core.xml"
        root = self.xml(part)
        return {etree.QName(child).localname: (child.text or "").strip() for child in (root if root is not None else ())}

    def custom(self) -> dict[str, str]:
        """Custom document properties (``docProps/custom.xml``, File > Properties > Custom) by name."""
        part = self.related("", "/custom-properties") or "docProps/custom.xml"
        root = self.xml(part)
        return {node.get("name", ""): "".join(node.itertext()).strip() for node in (root if root is not None else ())}

    def core_date(self, name: str) -> datetime | None:
        value = self.core().get(name, "")
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
        except ValueError:
            return None


def open_package(data: bytes, shown: str) -> Package:
    """The package of a Word document, or a SourceError saying, in one line, why the file is not one."""
    if data.startswith(OLE_MAGIC):  # an OLE compound file: an encrypted OOXML package, or a legacy binary .doc
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise _refuse(shown, "is password-protected (encrypted); remove the password in Word "
                                 "(File > Info > Protect Document > Encrypt with Password) and import again")
        raise _refuse(shown, "is a legacy Word 97–2003 (.doc) file, not a DOCX; save it as Word Document (.docx)")
    if len(data) > MAX_FILE:
        raise _refuse(shown, f"is {len(data) // 1048576} MB; too large for an article")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _refuse(shown, "is not a DOCX file (not a ZIP package); save it from Word as Word Document (.docx)") from None
    package = Package(shown, archive, "")
    if not package.has("[Content_Types].xml") or not package.has("_rels/.rels"):
        raise _refuse(shown, "is a ZIP file but not an Office Open XML package (no [Content_Types].xml); save it as .docx")
    package.main = _main_part(package)
    root = package.xml(package.main)
    if root is None or root.tag != w("document"):
        namespace = etree.QName(root).namespace if root is not None else ""
        if namespace == STRICT_W:
            raise _refuse(shown, "is Strict Open XML; save it as Word Document (.docx), not Strict Open XML Document")
        raise _refuse(shown, f"{package.main} is not a WordprocessingML document")
    return package


def _main_part(package: Package) -> str:
    main = package.related("", OFFICE_DOCUMENT)
    if main is None:
        raise _refuse(package.shown, "is an Office package without a main document part; is it a DOCX?")
    types = package.xml("[Content_Types].xml")
    overrides = {n.get("PartName", "").lstrip("/"): n.get("ContentType", "") for n in types if n.get("PartName")}
    kind = overrides.get(main, "")
    if kind not in MAIN_TYPES:
        what = "a spreadsheet" if "spreadsheetml" in kind else "a presentation" if "presentationml" in kind else kind or "unknown"
        raise _refuse(package.shown, f"is not a Word document (its main part is {what}); export it as .docx")
    if not package.has(main):
        raise _refuse(package.shown, f"names {main} as its document, but the package has no such part; the file is damaged")
    return main


def _refuse(shown: str, message: str) -> SourceError:
    return SourceError(Problem(shown, message))
