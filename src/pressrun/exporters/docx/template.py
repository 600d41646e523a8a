"""The reference document, prepared once per process: cleaned, completed, and cached as bytes.

Each article then opens a fresh copy from those bytes (python-docx would
otherwise re-read and re-parse the file every time). A reference that lacks
one of pressrun's styles or list definitions is completed from the theme's
defaults, so a user's own reference never breaks an export.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from pressrun.errors import ExportError, Problem
from pressrun.theme import Theme


@dataclass(frozen=True)
class Template:
    data: bytes  # the prepared reference: no body, every style and list definition present
    abstract_nums: dict[str, int]  # numbering definition name → abstractNumId
    style_ids: frozenset[str]


def load_template(theme: Theme) -> Template:
    path = theme.reference_docx
    try:
        stat = path.stat()
    except OSError as exc:
        raise ExportError(Problem(str(path), f"cannot read the reference DOCX: {exc.strerror}", "reference_docx")) from None
    # Keyed on the file's mtime and size (an edited reference is re-read) and the theme's
    # fingerprint (missing styles are completed from the theme).
    key = (path.resolve(), stat.st_mtime_ns, stat.st_size, theme.fingerprint)
    if key not in _CACHE:
        _CACHE[key] = _prepare(path, theme)
    return _CACHE[key]


_CACHE: dict[tuple[Path, int, int, str], Template] = {}


def _prepare(path: Path, theme: Theme) -> Template:
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    from pressrun.exporters.docx import oxml
    from pressrun.exporters.docx.reference import numbering_xml, styles_xml

    try:
        doc = Document(io.BytesIO(path.read_bytes()))
    except Exception as exc:  # python-docx raises several types for a file that is not a DOCX
        raise ExportError(Problem(str(path), f"not a usable DOCX reference: {exc}", "reference_docx")) from None
    clean_package(doc)
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)

    # Styles missing from a user's reference come from the theme's defaults.
    styles = doc.part._styles_part.element
    have = {s.get(qn("w:styleId")) for s in styles.findall(qn("w:style"))}
    defaults = parse_xml(styles_xml(theme))
    for style in defaults.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in have:
            styles.append(copy.deepcopy(style))
    if styles.find(qn("w:docDefaults")) is None:
        styles.insert(0, copy.deepcopy(defaults.find(qn("w:docDefaults"))))

    numbering = _numbering_part(doc, theme).element
    for element in (styles, numbering):
        oxml.order_borders(element)
    found = oxml.abstract_num_ids(numbering)
    default_defs = parse_xml(numbering_xml(theme))
    for node in default_defs.findall(qn("w:abstractNum")):
        name = node.find(qn("w:name")).get(qn("w:val"))
        if name not in found:
            found[name] = oxml.add_abstract_num(numbering, node)

    buf = io.BytesIO()
    doc.save(buf)
    ids = frozenset(s.get(qn("w:styleId")) for s in styles.findall(qn("w:style")))
    return Template(buf.getvalue(), found, ids)


def _numbering_part(doc: Any, theme: Theme) -> Any:
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.oxml import parse_xml
    from docx.parts.numbering import NumberingPart

    from pressrun.exporters.docx.reference import NS

    try:
        return doc.part.part_related_by(RT.NUMBERING)
    except KeyError:  # python-docx cannot create one itself
        part = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING,
                             parse_xml(f"<w:numbering {NS}/>"), doc.part.package)
        doc.part.relate_to(part, RT.NUMBERING)
        return part


def clean_package(doc: Any) -> None:
    """Drop the reference's thumbnail: it would show the reference, not the article."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    package = doc.part.package
    for rel in list(package.rels.values()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel.rId]


def _utc_naive(moment: datetime) -> datetime:
    """python-docx writes the time it is given followed by "Z": give it UTC."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


CORE_PROPERTY_LIMIT = 255  # Word's (and python-docx's) limit for a core property


def _fit(text: str) -> str:
    """A long summary or headline is cut with an ellipsis: the document text keeps it whole."""
    return text if len(text) <= CORE_PROPERTY_LIMIT else text[: CORE_PROPERTY_LIMIT - 1].rstrip() + "\u2026"


def reset_properties(doc: Any, *, title: str, author: str, language: str, created: datetime, modified: datetime,
                     subject: str = "", keywords: str = "", identifier: str = "", category: str = "",
                     comments: str = "", company: str = "") -> None:
    """Fresh core and extended properties: nothing of the reference's (or python-docx's) survives."""
    from docx.oxml.coreprops import CT_CoreProperties

    doc.part.package._core_properties_part._element = CT_CoreProperties.new()
    cp = doc.core_properties
    cp.title, cp.author, cp.subject, cp.keywords = _fit(title), _fit(author), _fit(subject), _fit(keywords)
    cp.language, cp.identifier, cp.category, cp.comments = _fit(language), _fit(identifier), _fit(category), _fit(comments)
    cp.created, cp.modified = _utc_naive(created), _utc_naive(modified)
    cp.last_modified_by = "pressrun"
    cp.revision = 1
    for part in doc.part.package.iter_parts():
        if part.partname == "/docProps/app.xml":
            part._blob = (
                "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                f"<Application>pressrun</Application><Company>{escape(company)}</Company></Properties>"
            ).encode()
