"""PDF: opens with pypdf in strict mode, every font embedded, text extractable, Title and /Lang present."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from pressrun.verify.findings import CheckOptions, Finding, shorten

_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
# What PDF libraries write when nobody set a title (reportlab: "untitled"): a reader shows it as the name.
PLACEHOLDER_TITLES = ("untitled", "(untitled)", "untitled document")


def check(root: Path, files: list[str], options: CheckOptions) -> list[Finding]:
    findings: list[Finding] = []
    with _quiet_pypdf():
        for rel in files:
            findings.extend(check_file(rel, (root / rel).read_bytes()))
    return findings


def check_file(rel: str, data: bytes) -> list[Finding]:
    # pypdf raises whatever its parser meets in a damaged file (PdfReadError, but also KeyError,
    # ValueError, AttributeError…): any exception while reading is this file's problem, not ours.
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        pages = list(reader.pages)
        catalog = reader.trailer["/Root"].get_object()
    except Exception as exc:  # noqa: BLE001 (see above)
        return [Finding(rel, "opens", f"pypdf cannot read it: {shorten(str(exc) or type(exc).__name__)}")]
    if not pages:
        return [Finding(rel, "opens", "the document has no pages")]
    findings = _fonts(rel, pages) + _text(rel, pages[0])
    title = ((reader.metadata.title if reader.metadata else None) or "").strip()
    if not title:
        findings.append(Finding(rel, "metadata", "no document Title in the Info dictionary"))
    elif title.lower() in PLACEHOLDER_TITLES:
        findings.append(Finding(rel, "metadata", f"the document Title is a placeholder ({title!r})"))
    if not str(catalog.get("/Lang", "")).strip():
        findings.append(Finding(rel, "metadata", "no /Lang in the document catalog (screen readers need the language)"))
    return findings


def _fonts(rel: str, pages: list) -> list[Finding]:
    findings = []
    reported: set[str] = set()
    for number, page in enumerate(pages, 1):
        try:
            fonts = list(_page_fonts(page))
        except Exception as exc:  # noqa: BLE001 (a damaged resource dictionary)
            findings.append(Finding(rel, "fonts", f"page {number}: cannot read the fonts: {shorten(str(exc))}"))
            continue
        for font in fonts:
            name = str(font.get("/BaseFont", "(unnamed)")).lstrip("/")
            if name not in reported and not _embedded(font):
                reported.add(name)
                subtype = str(font.get("/Subtype", "?")).lstrip("/")
                findings.append(Finding(rel, "fonts", f"page {number}: font {name} ({subtype}) is not embedded"))
    return findings


def _page_fonts(page) -> Iterator[DictionaryObject]:
    """Font dictionaries a page uses, including those of its form XObjects (nested, each once)."""
    seen: set[int] = set()
    pending = [page.get("/Resources")]
    while pending:
        resources = pending.pop()
        resources = resources.get_object() if resources is not None else None
        if not isinstance(resources, DictionaryObject) or id(resources) in seen:
            continue
        seen.add(id(resources))
        for ref in (resources.get("/Font") or DictionaryObject()).get_object().values():
            yield ref.get_object()
        for ref in (resources.get("/XObject") or DictionaryObject()).get_object().values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form":
                pending.append(xobject.get("/Resources"))


def _embedded(font: DictionaryObject) -> bool:
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return True  # glyphs are drawn by content streams inside the PDF itself
    if subtype == "/Type0":  # composite: the glyphs live in the descendant CIDFont
        descendants = font.get("/DescendantFonts")
        descendants = descendants.get_object() if descendants is not None else []
        return bool(descendants) and all(_embedded(d.get_object()) for d in descendants)
    descriptor = font.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else None
    return isinstance(descriptor, DictionaryObject) and any(key in descriptor for key in _FONT_FILES)


def _text(rel: str, first_page) -> list[Finding]:
    try:
        text = first_page.extract_text() or ""
    except Exception as exc:  # noqa: BLE001 (a damaged content stream)
        return [Finding(rel, "text", f"page 1: text cannot be extracted: {shorten(str(exc))}")]
    if not text.strip():
        return [Finding(rel, "text", "page 1: no extractable text (an image of text, or fonts without a Unicode map)")]
    return []


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs what it repairs to stderr; in strict mode what matters is raised, and reported as a finding."""
    logger = logging.getLogger("pypdf")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(previous)
