"""Every DOCX part against the ECMA-376 Transitional schemas (issue 12), and the validator itself.

The tests take the schemas from the project's reference copy (``../shared/ooxml-xsd``); the product
uses the copy it ships (``pressrun.verify.docx_schema.SHIPPED_SCHEMAS``), checked here to be the same.
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, ROOT, STYLES, run_build
from pressrun.verify.docx_schema import SHIPPED_SCHEMAS, SchemaUnavailable, markup_compatibility, validate_docx

SHARED_XSD = ROOT.parent / "shared" / "ooxml-xsd"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
OURS = {"README.md", "stubs/dc.xsd", "stubs/dcterms.xsd"}  # in the shipped folder but not copies of Ecma's files


@pytest.fixture(scope="module")
def schemas() -> Path:
    if not (SHARED_XSD / "wml.xsd").is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the reference schemas are missing: {SHARED_XSD}")
        pytest.skip(f"the reference schemas are not beside the project ({SHARED_XSD})")
    return SHARED_XSD


def _docx(out: Path) -> list[Path]:
    found = sorted((out / "docx").glob("*.docx"))
    assert found, f"no DOCX in {out}"
    return found


def _edit(docx: Path, target: Path, part: str, edit) -> Path:
    """A copy of ``docx`` with ``part`` replaced by ``edit(its text)``."""
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                data = edit(data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
    return target


@pytest.fixture(scope="module")
def seed_docx(built_samples) -> Path:
    return _docx(built_samples["seed"])[0]


def _added(good: Path, bad: Path, schemas: Path | None = None) -> list[str]:
    """The problems ``bad`` has and ``good`` has not: the tests of the validator hold even if the exporter regresses."""
    before = set(validate_docx(good, schemas))
    return [e for e in validate_docx(bad, schemas) if e not in before]


# --- the outputs are valid ---------------------------------------------------------


@pytest.mark.parametrize("sample", ["seed", "kitchen-sink", "minimal", "multilingual"])
def test_every_part_of_every_sample_docx_is_schema_valid(built_samples, schemas, sample):
    for docx in _docx(built_samples[sample]):
        errors = validate_docx(docx, schemas)
        assert not errors, f"{docx.name}: {len(errors)} schema errors\n" + "\n".join(errors)


def test_the_reference_document_is_schema_valid(schemas):
    errors = validate_docx(STYLES / "reference.docx", schemas)
    assert not errors, "\n".join(errors)


def test_a_reference_with_borders_out_of_order_still_gives_a_valid_docx(tmp_path, schemas):
    """A reference made by pressrun 0.1.0 (w:left before w:top), or by another tool: the exporter reorders."""
    styles = tmp_path / "styles"
    shutil.copytree(STYLES, styles)
    old = _edit(STYLES / "reference.docx", tmp_path / "old.docx", "word/styles.xml", _left_before_top)
    assert any("w:pBdr/w:top" in e for e in validate_docx(old, schemas))  # the edit did make it invalid
    shutil.copy(old, styles / "reference.docx")
    report = run_build(FIXTURES / "kitchen-sink", tmp_path / "out", formats=["docx"], styles=styles)
    assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
    (docx,) = _docx(tmp_path / "out")
    assert validate_docx(docx, schemas) == []


def test_the_product_validates_with_its_shipped_schemas(seed_docx):
    """``pressrun verify`` needs nothing outside the package."""
    assert validate_docx(seed_docx) == []


# --- the validator is not a rubber stamp ---------------------------------------------


def _left_before_top(xml: str, pretty: bool = False) -> str:
    """Every w:pBdr with a top and a left side gets the left one moved in front (the bug of issue 12)."""
    root = etree.fromstring(xml.encode())
    swapped = 0
    for pbdr in root.iter(f"{{{W}}}pBdr"):
        top, left = pbdr.find(f"{{{W}}}top"), pbdr.find(f"{{{W}}}left")
        if top is not None and left is not None:
            top.addprevious(left)
            swapped += 1
    assert swapped, "no paragraph border with a top and a left side to swap"
    return etree.tostring(root, encoding="unicode", pretty_print=pretty)  # pretty: one element a line


def test_borders_in_the_wrong_order_are_reported_with_part_line_and_path(seed_docx, tmp_path, schemas):
    # Pretty-printed, one element a line, so that the line number means something.
    bad = _edit(seed_docx, tmp_path / "bad.docx", "word/styles.xml", lambda xml: _left_before_top(xml, pretty=True))
    errors = validate_docx(bad, schemas)
    assert errors, "a w:pBdr with w:left before w:top passed the schema"
    with zipfile.ZipFile(bad) as z:
        lines = z.read("word/styles.xml").decode().splitlines()
    top_lines = {n for n, line in enumerate(lines, 1) if "<w:top " in line and "<w:left " in lines[n - 2]}
    for error in errors:
        match = re.match(r"word/styles\.xml:(\d+): /w:styles/w:style\[\d+\]/w:pPr/w:pBdr/w:top: "
                         r"Element 'w:top': This element is not expected", error)
        assert match, error
        assert int(match[1]) in top_lines, (error, sorted(top_lines))
    assert len(errors) == len(top_lines)


# One deliberately invalid edit per part: each must be reported against that part.
BREAKS = {
    "[Content_Types].xml": ('<Default Extension="xml"', '<Default Extension="xml" Unknown="1"'),
    "_rels/.rels": ("<Relationship ", '<Relationship TargetMode="Sideways" '),
    "word/_rels/document.xml.rels": ('Id="rId1"', ""),
    "word/document.xml": ("<w:body>", "<w:body><w:bogus/>"),
    "word/styles.xml": ("<w:docDefaults>", "<w:bogus/><w:docDefaults>"),
    "word/numbering.xml": ('<w:nsid w:val="', '<w:nsid w:val="zz'),
    "word/settings.xml": ("<w:zoom ", "<w:bogus/><w:zoom "),
    "word/fontTable.xml": ("<w:font ", "<w:bogus/><w:font "),
    "word/header1.xml": ("<w:p>", "<w:p><w:bogus/>"),
    "word/footer1.xml": ("<w:p>", "<w:p><w:bogus/>"),
    "word/theme/theme1.xml": ("<a:themeElements>", "<a:bogus/><a:themeElements>"),
    "docProps/core.xml": ("<dc:title>", "<cp:bogus/><dc:title>"),
    "docProps/app.xml": ("<Application>", "<Pages>many</Pages><Application>"),
}


@pytest.mark.parametrize("part", sorted(BREAKS))
def test_each_part_is_validated(seed_docx, tmp_path, schemas, part):
    old, new = BREAKS[part]

    def edit(xml: str) -> str:
        assert old in xml, f"{part} no longer contains {old!r}: update the test"
        return xml.replace(old, new, 1)

    errors = _added(seed_docx, _edit(seed_docx, tmp_path / "bad.docx", part, edit), schemas)
    assert errors and all(e.startswith(f"{part}:") for e in errors), errors


def test_dublin_core_dates_are_checked(seed_docx, tmp_path, schemas):
    """The Dublin Core stand-ins are real schemas: W3CDTF dates are checked, not waved through."""
    bad = _edit(seed_docx, tmp_path / "bad.docx", "docProps/core.xml",
                lambda xml: re.sub(r"(<dcterms:created [^>]*>)[^<]+", r"\1yesterday", xml))
    (error,) = _added(seed_docx, bad, schemas)
    assert error.startswith("docProps/core.xml:") and "dcterms:created" in error and "'yesterday'" in error


def test_package_problems_are_reported(seed_docx, tmp_path):
    not_zip = tmp_path / "not.docx"
    not_zip.write_bytes(b"PK but not really")
    (error,) = validate_docx(not_zip)
    assert error.startswith("not.docx:0: not a readable ZIP package")

    missing = tmp_path / "missing.docx"
    with zipfile.ZipFile(seed_docx) as src, zipfile.ZipFile(missing, "w") as dst:
        for info in src.infolist():
            if info.filename != "word/styles.xml":
                dst.writestr(info, src.read(info))
    assert _added(seed_docx, missing) == [
        "word/styles.xml:0: listed in [Content_Types].xml but missing from the package"]

    broken = _edit(seed_docx, tmp_path / "broken.docx", "word/settings.xml", lambda xml: xml[:-20])
    (error,) = _added(seed_docx, broken)
    assert re.match(r"word/settings\.xml:\d+: not well-formed XML", error), error


def test_a_part_with_the_wrong_root_element_is_reported(seed_docx, tmp_path):
    """wml.xsd declares w:document as well as w:styles: the content type decides which one a part must be."""
    with zipfile.ZipFile(seed_docx) as z:
        document = z.read("word/document.xml").decode()
    swapped = _edit(seed_docx, tmp_path / "swapped.docx", "word/styles.xml", lambda xml: document)
    (error,) = _added(seed_docx, swapped)
    assert error == "word/styles.xml:2: the root element is w:document, expected w:styles for its content type"


# --- Markup Compatibility -------------------------------------------------------------

MCE_DOC = f"""<w:document xmlns:w="{W}" xmlns:mc="{MC}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"
  xmlns:x="urn:example:unknown" mc:Ignorable="w14">
<w:body>
<w:p w14:paraId="1A2B3C4D"><w:r><w:t>kept</w:t></w:r><w14:extra/></w:p>
<mc:AlternateContent><mc:Choice Requires="w14"><w14:new/></mc:Choice>
  <mc:Fallback><w:p><w:r><w:t>fallback</w:t></w:r></w:p></mc:Fallback></mc:AlternateContent>
<w:sectPr/>
</w:body>
</w:document>"""


def test_markup_compatibility_removes_ignorable_content_and_takes_the_fallback():
    root = etree.fromstring(MCE_DOC.encode())
    markup_compatibility(root)
    text = etree.tostring(root, encoding="unicode")
    assert "w14:" not in text.replace('xmlns:w14="', "") and "mc:" not in text.replace('xmlns:mc="', "")
    assert [t.text for t in root.iter(f"{{{W}}}t")] == ["kept", "fallback"]
    assert [etree.QName(c).localname for c in root[0]] == ["p", "p", "sectPr"]


def test_content_in_a_namespace_that_is_not_ignorable_is_an_error(seed_docx, tmp_path, schemas):
    def add(xml: str, element: str) -> str:
        return xml.replace("<w:body>", f'<w:body>{element}', 1)

    w14 = _edit(seed_docx, tmp_path / "w14.docx", "word/document.xml",
                lambda xml: add(xml, "<w14:anything/>"))
    assert _added(seed_docx, w14, schemas) == []  # document.xml lists w14 in mc:Ignorable
    unknown = _edit(seed_docx, tmp_path / "unknown.docx", "word/document.xml",
                    lambda xml: add(xml, '<x:anything xmlns:x="urn:example:unknown"/>'))
    (error,) = _added(seed_docx, unknown, schemas)
    assert error.startswith("word/document.xml:") and "anything" in error


# --- the shipped schemas ----------------------------------------------------------------


def test_shipped_schemas_are_the_reference_copy_byte_for_byte(schemas):
    shipped = {p.relative_to(SHIPPED_SCHEMAS).as_posix() for p in SHIPPED_SCHEMAS.rglob("*") if p.is_file()}
    copies = shipped - OURS
    assert {"wml.xsd", "dml-main.xsd", "xml.xsd", "opc-xsd/opc-coreProperties.xsd"} <= copies
    for name in sorted(copies):
        assert (SHIPPED_SCHEMAS / name).read_bytes() == (schemas / name).read_bytes(), name


def test_a_schema_folder_missing_an_import_is_refused_not_fetched(tmp_path, seed_docx):
    partial = tmp_path / "xsd"
    shutil.copytree(SHIPPED_SCHEMAS, partial)
    (partial / "shared-math.xsd").unlink()
    with pytest.raises(SchemaUnavailable, match="shared-math.xsd"):
        validate_docx(seed_docx, partial)
