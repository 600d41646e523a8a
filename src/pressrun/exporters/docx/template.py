"""The reference document, prepared once per process: cleaned, completed, and cached as bytes.

Each article then opens a fresh copy from those bytes (python-docx would
otherwise re-read and re-parse the file every time). A reference that lacks
one of pressrun's styles or list definitions is completed from the theme's
defaults (``defaults``), so a user's own reference never breaks an export.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.parts.numbering import NumberingPart

from pressrun.errors import ExportError, Problem
from pressrun.exporters.docx import oxml
from pressrun.exporters.docx.defaults import NS, numbering_xml, styles_xml
from pressrun.exporters.docx.package import clean_package
from pressrun.theme import Theme


@dataclass(frozen=True)
class Template:
    data: bytes  # the prepared reference: no body, every style and list definition present
    abstract_nums: dict[str, int]  # numbering definition name → abstractNumId


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
    """The reference without its body or thumbnail, every style and list definition of pressrun's in it."""
    try:
        doc = Document(io.BytesIO(path.read_bytes()))
    except Exception as exc:  # python-docx raises several types for a file that is not a DOCX
        raise ExportError(Problem(str(path), f"not a usable DOCX reference: {exc}", "reference_docx")) from None
    clean_package(doc)
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    styles = doc.part._styles_part.element
    _complete_styles(styles, theme)
    _complete_complex_script(styles)
    numbering = _numbering_part(doc).element
    for element in (styles, numbering):
        oxml.order_borders(element)
    found = _complete_numbering(numbering, theme)
    buf = io.BytesIO()
    doc.save(buf)
    return Template(buf.getvalue(), found)


def _complete_styles(styles: Any, theme: Theme) -> None:
    """Styles (and document defaults) missing from a user's reference come from the theme's defaults."""
    have = {s.get(qn("w:styleId")) for s in styles.findall(qn("w:style"))}
    defaults = parse_xml(styles_xml(theme))
    for style in defaults.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in have:
            styles.append(copy.deepcopy(style))
    if styles.find(qn("w:docDefaults")) is None:
        styles.insert(0, copy.deepcopy(defaults.find(qn("w:docDefaults"))))


# Run properties and their complex-script twins: Word sets Arabic, Hebrew or Devanagari text by the twin, so a
# style that says only ``w:sz`` would show such text at the default size (and ``w:b`` alone, not bold).
_TWINS = (("sz", "szCs"), ("b", "bCs"), ("i", "iCs"))


def _complete_complex_script(styles: Any) -> None:
    """Give every size, bold and italic of the styles its complex-script twin, where a reference lacks it."""
    for rpr in styles.iter(qn("w:rPr")):
        for name, twin in _TWINS:
            have = rpr.find(qn(f"w:{name}"))
            if have is not None and rpr.find(qn(f"w:{twin}")) is None:
                new = oxml.el(f"w:{twin}")
                if have.get(qn("w:val")) is not None:
                    new.set(qn("w:val"), have.get(qn("w:val")))
                oxml.place(rpr, new, oxml.RPR_ORDER)


def _complete_numbering(numbering: Any, theme: Theme) -> dict[str, int]:
    """Add the list definitions the reference lacks; every definition's name → its abstractNumId."""
    found = oxml.abstract_num_ids(numbering)
    for node in parse_xml(numbering_xml(theme)).findall(qn("w:abstractNum")):
        name = node.find(qn("w:name")).get(qn("w:val"))
        if name not in found:
            found[name] = oxml.add_abstract_num(numbering, node)
    return found


def _numbering_part(doc: Any) -> Any:
    try:
        return doc.part.part_related_by(RT.NUMBERING)
    except KeyError:  # python-docx cannot create one itself
        part = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING,
                             parse_xml(f"<w:numbering {NS}/>"), doc.part.package)
        doc.part.relate_to(part, RT.NUMBERING)
        return part
