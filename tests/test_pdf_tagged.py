"""The tagged PDF (issue 20): a structure tree in reading order, every mark on a page tagged or an artifact, PDF/UA-1.

Each fixture is rendered once per module, in-process (PDF only): the seed, the kitchen sink, the multilingual
article and every world-script fixture. What is checked is read back from the files: with ``pdfua check`` (the
machine-checkable part of PDF/UA-1), poppler's ``pdfinfo`` (``Tagged``, ``-struct-text``) and pikepdf (the
tree, the parent tree, the content streams). Helpers here (``struct_elements``, ``marked_text``) are used by
test_pdf_pages.py too.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

from conftest import FIXTURES, SOURCE, STYLES, articles_of
from pressrun.exporters.base import ExportContext
from pressrun.exporters.pdf import PdfExporter
from pressrun import model
from pressrun.render.plain import plain
from pressrun.theme import load_theme

WORLD = sorted(p.name for p in (FIXTURES / "world").iterdir() if p.is_dir())
SOURCES = {"seed": SOURCE, "kitchen-sink": FIXTURES / "kitchen-sink", "multilingual": FIXTURES / "multilingual",
           **{f"world-{name}": FIXTURES / "world" / name for name in WORLD}}
TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
PAINT_OPERATORS = TEXT_OPERATORS | {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh"}


def render(source: Path) -> bytes:
    publication, articles = articles_of(source)
    return PdfExporter(ExportContext(publication, load_theme(STYLES), articles)).render(articles[0])


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tagged")
    found = {}
    for name, source in SOURCES.items():
        found[name] = folder / f"{name}.pdf"
        found[name].write_bytes(render(source))
    return found


def needs(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (poppler-utils)")
    return path


# --- reading the structure back --------------------------------------------------------------------------------


def kids_of(node: pikepdf.Object) -> list[pikepdf.Object]:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def struct_elements(node: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    """Every structure element under ``node`` (a StructTreeRoot or an element), depth first, in document order."""
    for kid in kids_of(node):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            yield kid
            yield from struct_elements(kid)


def role(element: pikepdf.Dictionary) -> str:
    return str(element.S)[1:]


def content_items(element: pikepdf.Dictionary) -> Iterator[tuple[int, pikepdf.Object]]:
    """(MCID, page) of each marked-content item of ``element`` itself (the page object)."""
    for kid in kids_of(element):
        if isinstance(kid, int):
            yield kid, element.Pg
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            yield int(kid.MCID), kid.Pg


@dataclass
class Shown:
    """Text shown on a page: its marked-content context, where its baseline is, and its characters."""

    page: int
    mcid: int | None  # of the innermost sequence with one
    artifact: bool
    y: float  # the baseline, in page space


def walk_content(pdf: pikepdf.Pdf) -> Iterator[tuple[int, str, list, bool, int | None, float]]:
    """Every painting operator of every page: (page index, operator, operands, in an artifact, MCID, baseline y).

    A small interpreter: the graphics state's matrix (q, Q, cm) and the text line matrix (BT, Tm, Td, TD, T*, TL),
    enough to place reportlab's and the complex path's text; the stack of marked-content sequences."""
    for number, page in enumerate(pdf.pages):
        ctm, saved, stack = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], [], []
        line, leading = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], 0.0
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op == "q":
                saved.append(ctm)
            elif op == "Q":
                ctm = saved.pop()
            elif op == "cm":
                ctm = _concat([float(v) for v in operands], ctm)
            elif op in ("BDC", "BMC"):
                props = operands[1] if len(operands) > 1 and isinstance(operands[1], pikepdf.Dictionary) else {}
                stack.append((str(operands[0]), int(props["/MCID"]) if "/MCID" in props else None))
            elif op == "EMC":
                stack.pop()
            elif op == "BT":
                line = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
            elif op == "Tm":
                line = [float(v) for v in operands]
            elif op in ("Td", "TD"):
                tx, ty = (float(v) for v in operands)
                leading = -ty if op == "TD" else leading
                line = _concat([1, 0, 0, 1, tx, ty], line)
            elif op == "TL":
                leading = float(operands[0])
            elif op in ("T*", "'", '"'):
                line = _concat([1, 0, 0, 1, 0, -leading], line)
            if op in PAINT_OPERATORS:
                artifact = any(tag == "/Artifact" for tag, _ in stack)
                mcid = next((m for _, m in reversed(stack) if m is not None), None)
                y = _concat(line, ctm)[5]
                yield number, op, list(operands), artifact, mcid, y


def _concat(m: list[float], n: list[float]) -> list[float]:
    """The matrix m × n (PDF's row-vector convention: m applies first)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return [a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2, e * b2 + f * d2 + f2]


def parent_tree(pdf: pikepdf.Pdf) -> dict[int, pikepdf.Object]:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def pdfinfo_struct_text(pdf: Path) -> str:
    return subprocess.run([needs("pdfinfo"), "-struct-text", str(pdf)], capture_output=True, text=True, check=True).stdout


def struct_lines(text: str) -> list[tuple[str, str]]:
    """(element, its text) for each element pdfinfo prints with text right under it."""
    out, current = [], ""
    for row in text.splitlines():
        stripped = row.strip()
        if stripped.startswith('"'):
            out.append((current, stripped.strip('"')))
        elif stripped:
            current = stripped.split(" ")[0]
    return out


def struct_blocks(text: str, name: str) -> list[str]:
    """The text of each ``name`` element pdfinfo prints, its inline elements' text included, in order."""
    out, indent = [], None
    for row in text.splitlines():
        depth, stripped = len(row) - len(row.lstrip()), row.strip()
        if indent is not None and depth <= indent:
            indent = None
        if indent is None and stripped.split(" ")[0] == name:
            out.append("")
            indent = depth
        elif indent is not None and stripped.startswith('"'):
            out[-1] += stripped.strip('"')
    return out


def squash(text: str) -> str:
    return re.sub(r"[\s\-\u00ad\u200e\u200f]", "", text)


def _squash_left_to_right(text: str) -> str:
    return re.sub("[\u0590-\u08ff]", "", squash(text))


# --- 1. pdfua ----------------------------------------------------------------------------------------------------


def test_pdfua_check_finds_no_error_and_no_warning(pdfs):
    """``pdfua check`` (the machine-checkable subset of PDF/UA-1) on every fixture: no error, no warning."""
    run = subprocess.run([sys.executable, "-m", "pdfua", "check", "--format", "json", *map(str, pdfs.values())],
                         capture_output=True, text=True)
    decoder, text, reports = json.JSONDecoder(), run.stdout.strip(), []
    while text:
        report, end = decoder.raw_decode(text)
        reports.append(report)
        text = text[end:].strip()
    assert len(reports) == len(pdfs), run.stderr
    for report in reports:
        summary = report["summary"]
        assert (summary["errors"], summary["warnings"]) == (0, 0), (report["file"], report["findings"])
        assert summary["rules_run"] >= 12 and not report["skipped"], (report["file"], report["skipped"])
    assert run.returncode == 0


# --- 2. pdfinfo: tagged, and the structure in reading order ------------------------------------------------------


@pytest.mark.parametrize("name", ["seed", "kitchen-sink"])
def test_pdfinfo_lists_headline_takeaways_and_paragraphs_in_reading_order(pdfs, name):
    info = subprocess.run([needs("pdfinfo"), str(pdfs[name])], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    _, [article] = articles_of(SOURCES[name])
    lines = struct_lines(pdfinfo_struct_text(pdfs[name]))
    text_of = {}
    for element, text in lines:
        text_of.setdefault(element, []).append(text)
    assert squash("".join(text_of["H1"])) == squash(article.headline)
    # Every takeaway is an LI's paragraph (poppler prints the P inside LBody inside LI), in order.
    struct = pdfinfo_struct_text(pdfs[name])
    items = re.findall(r"^\s*LI \(block\)\n\s*Lbl \(block\)\n\s*\"(.)\"\n\s*LBody \(block\)\n\s*P \(block\)\n((?:\s*(?:\".*\"|Link.*|Object.*)\n)+)",
                       struct, re.M)
    assert [squash("".join(re.findall(r'"(.*)"', body))) for _, body in items[:len(article.takeaways)]] == [
        squash(plain(t)) for t in article.takeaways]
    # Every body paragraph is a P of its own, in the article's order (pdfinfo glues words across line ends, and
    # prints a right-to-left phrase in the order it is drawn: its letters are left out of the comparison).
    paragraphs = [_squash_left_to_right(p) for p in struct_blocks(struct, "P")]
    position = 0
    body = [plain(b.children) for b in article.body if isinstance(b, model.Paragraph)]
    assert len(body) >= 3
    for block in body:
        found = next((i for i in range(position, len(paragraphs)) if paragraphs[i] == _squash_left_to_right(block)), None)
        assert found is not None, block
        position = found + 1


def test_struct_tree_follows_the_outline_of_the_kitchen_sink(pdfs):
    with pikepdf.open(pdfs["kitchen-sink"]) as pdf:
        [document] = kids_of(pdf.Root.StructTreeRoot)
        assert role(document) == "Document" and str(document.Lang) == "en-GB"
        top = [role(e) for e in kids_of(document)]
        assert top[:6] == ["P", "H1", "P", "P", "P", "Div"]  # kicker, headline, standfirst, byline, dates, lead image
        assert top[6:8] == ["Sect", "Sect"]  # why this matters, key takeaways
        assert top[-2:] == ["P", "P"]  # topics, rights
        roles = [role(e) for e in struct_elements(pdf.Root.StructTreeRoot)]
        for needed in ("H2", "H3", "H4", "L", "LI", "Lbl", "LBody", "BlockQuote", "Code", "Figure", "Caption", "Link", "Span"):
            assert needed in roles, needed
        headings = [int(r[1]) for r in roles if re.fullmatch(r"H\d", r)]
        assert headings[0] == 1 and all(b <= a + 1 for a, b in zip(headings, headings[1:]))  # never skips a level


def test_each_figure_has_its_alt_text_and_a_caption_beside_it(pdfs):
    _, [article] = articles_of(SOURCES["kitchen-sink"])
    with pikepdf.open(pdfs["kitchen-sink"]) as pdf:
        groups = [e for e in struct_elements(pdf.Root.StructTreeRoot) if role(e) == "Div"]
        figures = [[role(k) for k in kids_of(g)] for g in groups]
        assert figures == [["Figure", "Caption"], ["Figure", "Caption"]]
        alts = [str(kids_of(g)[0].Alt) for g in groups]
        assert alts == [article.image.alt, "A map of the region with a red circle."]
        # caption and credit are two paragraphs of the caption, never one for the other
        assert [role(k) for k in kids_of(kids_of(groups[0])[1])] == ["P", "P"]
        for group in groups:  # where each picture is, for reflow and for magnifiers
            x0, y0, x1, y1 = (float(v) for v in kids_of(group)[0].A.BBox)
            width, height = (float(v) for v in pdf.pages[0].MediaBox[2:])
            assert 0 < x0 < x1 < width and 0 < y0 < y1 < height
    struct = pdfinfo_struct_text(pdfs["kitchen-sink"])
    assert struct.count("Figure") == 2 and article.image.caption in struct and article.image.credit in struct


def test_every_world_fixture_is_tagged_with_a_headline_and_its_language(pdfs):
    for name in WORLD:
        with pikepdf.open(pdfs[f"world-{name}"]) as pdf:
            [document] = kids_of(pdf.Root.StructTreeRoot)
            roles = [role(e) for e in struct_elements(document)]
            assert roles.count("H1") == 1 and "P" in roles and "LI" in roles, (name, roles)
            assert str(pdf.Root.Lang) == str(document.Lang)


# --- 3. every mark tagged or an artifact -------------------------------------------------------------------------


def test_no_text_is_shown_outside_tagged_content_or_an_artifact(pdfs):
    for name, path in pdfs.items():
        with pikepdf.open(path) as pdf:
            for page, op, _, artifact, mcid, _ in walk_content(pdf):
                assert artifact or mcid is not None, f"{name}: page {page + 1}: {op} is neither tagged nor an artifact"


def test_marked_content_nests_and_every_mcid_is_in_the_parent_tree(pdfs):
    """No MCID inside an artifact or inside another MCID; BDC … EMC and BT … ET nest separately (ISO 32000-1
    §14.6); each page's MCIDs are its StructParents' entries, and each points at the element that lists it."""
    for name, path in pdfs.items():
        with pikepdf.open(path) as pdf:
            parents = parent_tree(pdf)
            for number, page in enumerate(pdf.pages):
                seen = _check_nesting(page, f"{name} p{number + 1}")
                entries = parents[int(page.StructParents)]
                assert str(page.Tabs) == "/S"
                assert sorted(seen) == list(range(len(entries))), name
                for mcid in seen:
                    element = entries[mcid]
                    assert (mcid, page.objgen) in {(m, p.objgen) for m, p in content_items(element)}, (name, mcid)


def _check_nesting(page: pikepdf.Page, where: str) -> list[int]:
    stack: list[tuple[str, int | None, bool]] = []  # (tag, MCID, opened inside a text object)
    in_text, seen = False, []
    for operands, op in pikepdf.parse_content_stream(page):
        op = str(op)
        if op in ("BDC", "BMC"):
            props = operands[1] if len(operands) > 1 and isinstance(operands[1], pikepdf.Dictionary) else {}
            mcid = int(props["/MCID"]) if "/MCID" in props else None
            if mcid is not None:
                assert all(m is None and tag != "/Artifact" for tag, m, _ in stack), f"{where}: MCID {mcid} nested"
                assert mcid not in seen, f"{where}: MCID {mcid} twice"
                seen.append(mcid)
            stack.append((str(operands[0]), mcid, in_text))
        elif op == "EMC":
            assert stack.pop()[2] == in_text, f"{where}: a marked sequence crosses BT/ET"
        elif op in ("BT", "ET"):
            in_text = op == "BT"
    assert not stack, where
    return seen


def test_running_footer_and_furniture_are_artifacts(pdfs):
    with pikepdf.open(pdfs["seed"]) as pdf:
        ops = list(pikepdf.parse_content_stream(pdf.pages[0]))
        footers = [o for o in ops if str(o.operator) == "BDC" and str(o.operands[0]) == "/Artifact"]
        assert footers and footers[-1].operands[1].Type == "/Pagination" and footers[-1].operands[1].Subtype == "/Footer"
        texts = [(a, m) for _, op, _, a, m, _ in walk_content(pdf) if op in TEXT_OPERATORS]
        assert sum(1 for a, _ in texts if a) >= 3  # the masthead and the footer's two lines, on page 1 at least


# --- links and languages -----------------------------------------------------------------------------------------


def test_every_link_annotation_is_in_a_link_element_with_a_description(pdfs):
    for name, path in pdfs.items():
        with pikepdf.open(path) as pdf:
            parents = parent_tree(pdf)
            owners = {}
            for element in struct_elements(pdf.Root.StructTreeRoot):
                for kid in kids_of(element):
                    if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                        owners[kid.Obj.objgen] = element
            for page in pdf.pages:
                for annot in page.get("/Annots") or []:
                    if annot.Subtype != "/Link":
                        continue
                    assert str(annot.Contents).strip(), name
                    link = owners[annot.objgen]
                    assert role(link) == "Link" and parents[int(annot.StructParent)].objgen == link.objgen, name


def test_a_link_element_holds_its_text(pdfs):
    lines = struct_lines(pdfinfo_struct_text(pdfs["kitchen-sink"]))
    links = [t.strip() for e, t in lines if e == "Object"]  # pdfinfo prints the OBJR, then the link's text under it
    assert "link with title" in links and "link" in links


def test_phrases_in_other_languages_are_spans_with_their_language(pdfs):
    with pikepdf.open(pdfs["kitchen-sink"]) as pdf:
        spans = [str(e.Lang) for e in struct_elements(pdf.Root.StructTreeRoot) if role(e) == "Span"]
    assert spans == ["he", "az"]  # [the peace treaty]{lang=en-GB} is in the article's language: no span


def test_catalog_declares_a_tagged_pdf_ua_document(pdfs):
    for name, path in pdfs.items():
        with pikepdf.open(path) as pdf:
            root = pdf.Root
            assert root.MarkInfo.Marked is True and root.ViewerPreferences.DisplayDocTitle is True, name
            assert root.Lang and root.StructTreeRoot.ParentTreeNextKey >= len(pdf.pages)
            with pdf.open_metadata() as meta:
                assert meta.get("pdfuaid:part") == "1" and meta.get("dc:title"), name


# --- 5. reproducible -----------------------------------------------------------------------------------------------


def test_two_renders_give_the_same_bytes(pdfs):
    for name in ("kitchen-sink", "world-ar", "world-hi"):
        assert render(SOURCES[name]) == pdfs[name].read_bytes(), name


def test_links_and_phrases_of_a_right_to_left_paragraph_are_in_reading_order(tmp_path):
    """The complex path draws a line's pieces left to right; the structure has them in the order they are read."""
    source = tmp_path / "rtl"
    source.mkdir()
    shutil.copy(FIXTURES / "world" / "ar" / "publication.yaml", source)
    (source / "a.md").write_text(
        '---\nheadline: "اختبار الروابط"\nsummary: "نص قصير."\npublished: 2023-12-10T09:00:00Z\nlanguage: ar\n---\n'
        "[الأمم المتحدة](https://un.org) أعلنت اليوم أن [النص الكامل](https://example.org/udhr) منشور، وقال "
        "[Eleanor Roosevelt]{lang=en} إن الإعلان [مهم جدا](https://example.org/x).\n", encoding="utf-8")
    path = tmp_path / "rtl.pdf"
    path.write_bytes(render(source))
    with pikepdf.open(path) as pdf:
        [paragraph] = [e for e in struct_elements(pdf.Root.StructTreeRoot)
                       if role(e) == "P" and any(role(k) == "Link" for k in kids_of(e) if isinstance(k, pikepdf.Dictionary)
                                                 and k.get("/Type") == "/StructElem")]
        inline = [k for k in kids_of(paragraph) if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/StructElem"]
        described = [str(next(o.Obj.Contents for o in kids_of(k) if isinstance(o, pikepdf.Dictionary)
                               and o.get("/Type") == "/OBJR")) if role(k) == "Link" else str(k.Lang) for k in inline]
        assert described == ["الأمم المتحدة", "النص الكامل", "en", "مهم جدا"]
        _check_nesting(pdf.pages[0], "rtl")
