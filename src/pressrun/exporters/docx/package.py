"""The OPC package around a document: its properties, what of the reference it drops, and its reproducible bytes.

A leaf of the exporter (python-docx and the shared ZIP writer only): the
article's ``writer`` and the ``reference`` tool both save through it.

Speed (issue 19): the entries go straight from python-docx's parts to ``ziparchive.write_archive`` (no ZIP
deflated by python-docx only to be read back and deflated again), and those from the reference are deflated once.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
from typing import Any
from xml.sax.saxutils import escape

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.coreprops import CT_CoreProperties

from pressrun.exporters import ziparchive

# Parts every reader looks for first; level 9 throughout (a DOCX is small, and its images are few).
# The entries that come from the reference and change only with the publication, the language or the scripts
# (never with the article's text) are deflated once per process (``ziparchive.pack_reused``, keyed by their bytes).
ARCHIVE = ziparchive.Layout(lead=("[Content_Types].xml", "_rels/.rels"), compresslevel=9, media_compresslevel=9,
                            reused=("[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "word/fontTable.xml",
                                    "word/theme/", "word/styles.xml", "word/settings.xml", "word/webSettings.xml",
                                    "word/header", "word/footer"))


# python-docx's own steps of ``PackageWriter.write`` (private; there in 1.2): a release without them
# falls back to saving a ZIP and rewriting it, slower but the same bytes.
_WRITER_STEPS = ("_write_content_types_stream", "_write_pkg_rels", "_write_parts")


def save(doc: Any, modified: datetime) -> bytes:
    """The document's bytes, the same for the same document: every entry dated ``modified`` (never "now")."""
    if not all(hasattr(PackageWriter, step) for step in _WRITER_STEPS):
        buf = io.BytesIO()
        doc.save(buf)
        return ziparchive.rewrite(buf.getvalue(), modified, ARCHIVE)
    return ziparchive.write_archive(entries(doc), modified, ARCHIVE)


class _Entries(dict):
    """Stands in for python-docx's ZIP writer (``PhysPkgWriter``): keeps each entry's bytes by member name."""

    def write(self, pack_uri: Any, blob: bytes | str) -> None:
        self[pack_uri.membername] = blob.encode() if isinstance(blob, str) else blob  # as ``writestr`` would


def entries(doc: Any) -> dict[str, bytes]:
    """Every entry python-docx's ``Document.save`` would write, by name, with the very calls it makes
    (``OpcPackage.save``, ``PackageWriter.write``), without deflating them into a ZIP to be read back."""
    package = doc.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    out = _Entries()
    PackageWriter._write_content_types_stream(out, parts)
    PackageWriter._write_pkg_rels(out, package.rels)
    PackageWriter._write_parts(out, parts)
    return out


def clean_package(doc: Any) -> None:
    """Drop the reference's thumbnail: it would show the reference, not the article."""
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
