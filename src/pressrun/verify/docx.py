"""DOCX: a sound OPC package (every part its content types and relationships name exists, every part has a
content type), opens with python-docx, and is valid against the ECMA-376 schemas (``docx_schema``)."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from urllib.parse import unquote

import docx
from lxml import etree

from pressrun.errors import PressrunError
from pressrun.verify.findings import CheckOptions, Finding, shorten

_CT = "[Content_Types].xml"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)


def check(root: Path, files: list[str], options: CheckOptions) -> list[Finding]:
    findings: list[Finding] = []
    schema, why_not = _schema_module()
    for rel in files:
        # The package first: python-docx and the schemas would only fail again on a missing part.
        problems = check_package(rel, root / rel) or _opens(rel, root / rel)
        if not problems and schema is not None:
            problems = _schema(rel, root / rel, schema, options)
        findings.extend(problems)
    if schema is None and files:
        findings.append(Finding("", "schema", f"DOCX schema validation of {len(files)} file(s): {why_not}", skipped=True))
    return findings


def check_package(rel: str, path: Path) -> list[Finding]:
    """Open Packaging Conventions: what [Content_Types].xml and the .rels parts name must be in the ZIP."""
    try:
        with zipfile.ZipFile(path) as package:
            bad = package.testzip()
            if bad is not None:
                return [Finding(rel, "opens", f"ZIP member {bad} is damaged (CRC mismatch)")]
            parts = {name: package.read(name) for name in package.namelist() if not name.endswith("/")}
    except (OSError, zipfile.BadZipFile, EOFError) as exc:
        return [Finding(rel, "opens", f"not a readable ZIP package: {shorten(str(exc))}")]
    if _CT not in parts:
        return [Finding(rel, "parts", f"{_CT} is missing: no part has a content type")]
    try:
        types = etree.fromstring(parts[_CT], _PARSER)
    except etree.XMLSyntaxError as exc:
        return [Finding(rel, "parts", f"{_CT}:{exc.lineno}: not well-formed XML: {exc.msg}")]

    present = {name.lower() for name in parts}
    wanted: dict[str, list[str]] = {}  # missing part (lower case) → who names it
    overrides = set()
    for override in types.iter(f"{_CT_NS}Override"):
        name = unquote(override.get("PartName", "")).lstrip("/").lower()
        overrides.add(name)
        wanted.setdefault(name, []).append(f"{_CT}:{override.sourceline}")
    findings: list[Finding] = []
    for rels_name in (n for n in parts if n.endswith(".rels")):
        findings.extend(_relationships(rel, rels_name, parts[rels_name], wanted))

    for name in sorted(n for n in wanted if n not in present):
        findings.append(Finding(rel, "parts", f"{name} is missing from the package (named by {', '.join(wanted[name])})"))
    defaults = {d.get("Extension", "").lower() for d in types.iter(f"{_CT_NS}Default")}
    for name in sorted(parts):
        if name != _CT and name.lower() not in overrides and name.rsplit(".", 1)[-1].lower() not in defaults:
            findings.append(Finding(rel, "parts", f"{name} has no content type in {_CT}"))
    return findings


def _relationships(rel: str, rels_name: str, data: bytes, wanted: dict[str, list[str]]) -> list[Finding]:
    """Record in ``wanted`` every internal part this .rels part points at (findings only if it is not XML)."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        return [Finding(rel, "parts", f"{rels_name}:{exc.lineno}: not well-formed XML: {exc.msg}")]
    # "word/_rels/document.xml.rels" describes "word/document.xml": targets are relative to "word/".
    base = posixpath.dirname(posixpath.dirname(rels_name))
    for relationship in root.iter(f"{_REL_NS}Relationship"):
        if relationship.get("TargetMode") == "External":
            continue
        target = unquote(relationship.get("Target", ""))
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        where = f"{rels_name}:{relationship.sourceline} {relationship.get('Id', '?')}"
        wanted.setdefault(resolved.lower(), []).append(where)
    return []


def _opens(rel: str, path: Path) -> list[Finding]:
    try:
        docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 (python-docx raises whatever a damaged part makes its parser raise)
        return [Finding(rel, "opens", f"python-docx cannot open it: {shorten(str(exc) or type(exc).__name__)}")]
    return []


def _schema_module():
    """(the docx_schema module, None) or (None, why the schema check cannot run)."""
    try:
        # not `from … import`: that turns a missing module into a plain ImportError, without its name
        import pressrun.verify.docx_schema as docx_schema  # noqa: PLR0402
    except ModuleNotFoundError as exc:
        if exc.name != "pressrun.verify.docx_schema":
            raise
        return None, "the schema validator (pressrun.verify.docx_schema) is not installed"
    return docx_schema, None


def _schema(rel: str, path: Path, schema, options: CheckOptions) -> list[Finding]:
    try:
        problems = schema.validate_docx(path, options.schemas)
    except schema.SchemaUnavailable as exc:
        # The schema folder itself is wrong: every DOCX would "fail", so it is a usage error (exit 2).
        folder = options.schemas or schema.SHIPPED_SCHEMAS
        raise PressrunError(f"{folder}: cannot validate DOCX files with these schemas: {exc}") from exc
    return [Finding(rel, "schema", shorten(problem, 300)) for problem in problems]
