"""Validate every XML part of a DOCX against the ECMA-376 Transitional schemas.

Which schema a part gets is decided by its content type in ``[Content_Types].xml`` (the package's
own ``[Content_Types].xml`` and ``.rels`` parts are validated against the OPC schemas). Before
validation each part goes through Markup Compatibility processing (ECMA-376 Part 3), as a consumer
that knows only the standard would do it: content in the namespaces a part lists in
``mc:Ignorable`` (w14, w15, wp14 …) is removed and ``mc:AlternateContent`` is replaced by its
``mc:Fallback``. Without that step every document Word or python-docx writes would "fail".

The schemas ship with pressrun (``SHIPPED_SCHEMAS``, copied unchanged from ECMA-376); lxml never
fetches anything: every import resolves to a local file or the check stops with SchemaUnavailable.
"""

from __future__ import annotations

import functools
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

SHIPPED_SCHEMAS = Path(__file__).with_name("ooxml_xsd")
_STUBS = SHIPPED_SCHEMAS / "stubs"  # pressrun's Dublin Core stand-ins (see ooxml_xsd/README.md)

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_CONTENT_TYPES = "[Content_Types].xml"
_RELS = "application/vnd.openxmlformats-package.relationships+xml"

# content type → (schema file inside the schema folder, the root element the part must have)
_SCHEMAS: dict[str, tuple[str, str]] = {
    f"{_WML}.document.main+xml": ("wml.xsd", f"{{{W}}}document"),
    f"{_WML}.template.main+xml": ("wml.xsd", f"{{{W}}}document"),
    f"{_WML}.styles+xml": ("wml.xsd", f"{{{W}}}styles"),
    f"{_WML}.numbering+xml": ("wml.xsd", f"{{{W}}}numbering"),
    f"{_WML}.settings+xml": ("wml.xsd", f"{{{W}}}settings"),
    f"{_WML}.fontTable+xml": ("wml.xsd", f"{{{W}}}fonts"),
    f"{_WML}.webSettings+xml": ("wml.xsd", f"{{{W}}}webSettings"),
    f"{_WML}.header+xml": ("wml.xsd", f"{{{W}}}hdr"),
    f"{_WML}.footer+xml": ("wml.xsd", f"{{{W}}}ftr"),
    f"{_WML}.footnotes+xml": ("wml.xsd", f"{{{W}}}footnotes"),
    f"{_WML}.endnotes+xml": ("wml.xsd", f"{{{W}}}endnotes"),
    f"{_WML}.comments+xml": ("wml.xsd", f"{{{W}}}comments"),
    "application/vnd.openxmlformats-officedocument.theme+xml":
        ("dml-main.xsd", "{http://schemas.openxmlformats.org/drawingml/2006/main}theme"),
    "application/vnd.openxmlformats-package.core-properties+xml":
        ("opc-xsd/opc-coreProperties.xsd",
         "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}coreProperties"),
    "application/vnd.openxmlformats-officedocument.extended-properties+xml":
        ("shared-documentPropertiesExtended.xsd",
         "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}Properties"),
    "application/vnd.openxmlformats-officedocument.custom-properties+xml":
        ("shared-documentPropertiesCustom.xsd",
         "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}Properties"),
    _RELS: ("opc-xsd/opc-relationships.xsd",
            "{http://schemas.openxmlformats.org/package/2006/relationships}Relationships"),
    _CONTENT_TYPES: ("opc-xsd/opc-contentTypes.xsd",
                     "{http://schemas.openxmlformats.org/package/2006/content-types}Types"),
}

# opc-coreProperties.xsd imports Dublin Core from the web; these URLs are served from _STUBS instead.
_DUBLIN_CORE = {
    "http://dublincore.org/schemas/xmls/qdc/2003/04/02/dc.xsd": "dc.xsd",
    "http://dublincore.org/schemas/xmls/qdc/2003/04/02/dcterms.xsd": "dcterms.xsd",
}

# Prefixes for readable messages: lxml names elements as {namespace-uri}local.
_PREFIXES = {
    W: "w",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships": "r",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "a",
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing": "wp",
    "http://schemas.openxmlformats.org/drawingml/2006/picture": "pic",
    "http://schemas.openxmlformats.org/officeDocument/2006/math": "m",
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties": "cp",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://purl.org/dc/terms/": "dcterms",
    "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes": "vt",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": "ep",
    "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties": "op",
    "http://schemas.openxmlformats.org/package/2006/content-types": "ct",
    "http://schemas.openxmlformats.org/package/2006/relationships": "rel",
    MC: "mc",
}

# Parts are data, not documents to expand: no DTDs, entities or network.
_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, remove_pis=False)


class SchemaUnavailable(Exception):
    """The schema folder lacks a schema, or a schema would need something that is not a local file."""


def validate_docx(docx: Path, schema_dir: Path | None = None) -> list[str]:
    """Every schema problem of the DOCX as ``"PART:LINE: message"`` (an empty list: valid).

    PART is the part's name inside the package (``word/styles.xml``); LINE is the line in that
    part (0 for the part as a whole, e.g. a part that is missing). Messages about an element
    name its path (``/w:styles/w:style[11]/w:pPr/w:pBdr/w:top``), since python-docx writes most
    parts on one line. Raises SchemaUnavailable when ``schema_dir`` cannot provide a schema.
    """
    folder = (schema_dir or SHIPPED_SCHEMAS).resolve()
    try:
        with zipfile.ZipFile(docx) as z:
            parts = {info.filename: z.read(info) for info in z.infolist() if not info.is_dir()}
    except (OSError, zipfile.BadZipFile) as exc:
        return [f"{docx.name}:0: not a readable ZIP package: {exc}"]
    if _CONTENT_TYPES not in parts:
        return [f"{_CONTENT_TYPES}:0: missing: the package has no content types"]

    problems = _check_part(_CONTENT_TYPES, parts[_CONTENT_TYPES], folder, *_SCHEMAS[_CONTENT_TYPES])
    overrides, defaults = _content_types(parts[_CONTENT_TYPES])
    present = {name.lower() for name in parts}  # OPC part names compare case-insensitively
    for name in sorted(overrides):
        if name.lower() not in present:
            problems.append(f"{name}:0: listed in {_CONTENT_TYPES} but missing from the package")
    by_name = {name.lower(): content_type for name, content_type in overrides.items()}
    for name, data in parts.items():
        if name == _CONTENT_TYPES:
            continue
        content_type = by_name.get(name.lower()) or defaults.get(name.rsplit(".", 1)[-1].lower())
        if content_type in _SCHEMAS:
            problems.extend(_check_part(name, data, folder, *_SCHEMAS[content_type]))
    return problems


def _content_types(data: bytes) -> tuple[dict[str, str], dict[str, str]]:
    """(part name without its leading "/" → content type, lower-case extension → content type)."""
    ns = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return {}, {}  # already reported by its own validation
    overrides = {o.get("PartName", "").lstrip("/"): o.get("ContentType", "")
                 for o in root.iter(f"{ns}Override")}
    defaults = {d.get("Extension", "").lower(): d.get("ContentType", "") for d in root.iter(f"{ns}Default")}
    return overrides, defaults


def _check_part(name: str, data: bytes, folder: Path, schema_file: str, root_tag: str) -> list[str]:
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        return [f"{name}:{exc.lineno or 0}: not well-formed XML: {exc.msg}"]
    markup_compatibility(root)
    if root.tag != root_tag:
        found, expected = _short(root.tag), _short(root_tag)
        return [f"{name}:{root.sourceline or 0}: the root element is {found}, expected {expected} for its content type"]
    schema = _schema(folder, schema_file)
    if schema.validate(root.getroottree()):
        return []
    return [f"{name}:{e.line}: {e.path}: {_short(e.message)}" for e in schema.error_log]


def _short(text: str) -> str:
    """``{uri}local`` → ``prefix:local`` for the namespaces we know."""
    return re.sub(r"\{([^}]*)\}", lambda m: f"{_PREFIXES[m[1]]}:" if m[1] in _PREFIXES else m[0], text)


# --- Markup Compatibility (ECMA-376 Part 3) ------------------------------------


def markup_compatibility(root: etree._Element) -> None:
    """Process ``root`` in place as a consumer that understands only the standard's namespaces."""
    _process(root, frozenset())


def _process(node: etree._Element, ignorable: frozenset[str]) -> None:
    declared = node.get(f"{{{MC}}}Ignorable")
    if declared:  # prefixes are resolved where they are declared, and hold for the whole subtree
        ignorable = ignorable | {node.nsmap[p] for p in declared.split() if p in node.nsmap}
    for attr in list(node.attrib):
        if etree.QName(attr).namespace in ignorable | {MC}:
            del node.attrib[attr]
    for child in list(node):
        if not isinstance(child.tag, str):  # comments and processing instructions
            continue
        namespace = etree.QName(child).namespace
        if child.tag == f"{{{MC}}}AlternateContent":
            fallback = child.find(f"{{{MC}}}Fallback")
            replacement = list(fallback) if fallback is not None else []
            _replace(child, replacement)
            for new in replacement:
                if isinstance(new.tag, str):
                    _process(new, ignorable)
        elif namespace in ignorable:
            _replace(child, [])
        else:
            _process(child, ignorable)


def _replace(node: etree._Element, replacement: list[etree._Element]) -> None:
    """Put ``replacement`` where ``node`` was, keeping the text that followed it."""
    parent = node.getparent()
    tail = node.tail
    for new in replacement:
        node.addprevious(new)
    if tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)


# --- schemas -------------------------------------------------------------------


class _LocalOnly(etree.Resolver):
    """Serve every schema import from the local folders; refuse anything else instead of fetching it."""

    def __init__(self, folders: tuple[Path, ...]):
        super().__init__()
        self.folders = folders
        self.refused: list[str] = []

    def resolve(self, url: str, pubid: str | None, context: object) -> object:
        if url in _DUBLIN_CORE:
            return self.resolve_filename(str(_STUBS / _DUBLIN_CORE[url]), context)
        parsed = urlparse(url)
        if parsed.scheme in ("", "file"):
            path = Path(unquote(parsed.path)).resolve()
            if path.is_file() and any(path.is_relative_to(folder) for folder in self.folders):
                return self.resolve_filename(str(path), context)
        self.refused.append(url)
        return self.resolve_string("<refused/>", context)  # not a schema: compiling fails, and we say why


@functools.cache
def _schema(folder: Path, schema_file: str) -> etree.XMLSchema:
    """Compile once per process: wml.xsd and what it imports take a while."""
    target = folder / schema_file
    if not target.is_file():
        raise SchemaUnavailable(f"{target}: no such schema")
    # The schemas import the xml: namespace without saying where it is: a wrapper points at xml.xsd first.
    xml_xsd = folder / "xml.xsd" if (folder / "xml.xsd").is_file() else SHIPPED_SCHEMAS / "xml.xsd"
    wrapper = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        f'<xs:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="{xml_xsd.as_uri()}"/>'
        f'<xs:import namespace="{_target_namespace(target)}" schemaLocation="{target.as_uri()}"/>'
        "</xs:schema>"
    )
    resolver = _LocalOnly((folder, SHIPPED_SCHEMAS.resolve()))
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(resolver)
    try:
        return etree.XMLSchema(etree.fromstring(wrapper, parser, base_url=folder.as_uri() + "/"))
    except etree.XMLSchemaParseError as exc:
        refused = f" (not a local file in the schema folder: {', '.join(resolver.refused)})" if resolver.refused else ""
        raise SchemaUnavailable(f"{target}: cannot compile{refused}: {exc}") from None


def _target_namespace(xsd: Path) -> str:
    return etree.parse(str(xsd), _PARSER).getroot().get("targetNamespace", "")
