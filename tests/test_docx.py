"""The DOCX exporter (issue 4): read the documents back with python-docx, the ZIP/XML, LibreOffice and pandoc."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import RGBColor
from lxml import etree

from conftest import FIXTURES, ROOT, SOURCE, STYLES, run_build

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSMAP = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
         "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}


def build_docx(source: Path, out: Path, **kwargs) -> Path:
    report = run_build(source, out, formats=["docx"], **kwargs)
    assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
    (docx,) = (out / "docx").glob("*.docx")
    return docx


@pytest.fixture(scope="module")
def sink(tmp_path_factory) -> Path:
    return build_docx(FIXTURES / "kitchen-sink", tmp_path_factory.mktemp("docx-sink"))


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Path:
    return build_docx(SOURCE, tmp_path_factory.mktemp("docx-seed"))


def style_id(p) -> str | None:
    ppr = p._p.pPr
    return ppr.style if ppr is not None else None


def paragraphs(path: Path) -> list[tuple[str | None, str]]:
    return [(style_id(p), p.text) for p in Document(str(path)).paragraphs]


def part_xml(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


# --- content, order and styles ------------------------------------------------

SINK_PARAGRAPHS = [
    ("Kicker", "World"),
    ("Title", "Kitchen sink: every field and \u201cnode\u201d in one test article"),
    ("Standfirst", "The standfirst with strong text, code and a link."),
    ("Byline", "By Ann Writer and Bo Second"),
    ("Dateline", "BAKU"),
    ("Date", "Published 27 April 2024"),
    ("Date", "Updated 28 April 2024"),
    ("Figure", ""),
    ("Caption", "The closing ceremony of the monitoring center."),
    ("ImageCredit", "Photo by Jane Lens / Example Agency"),
    ("WhyThisMattersHeading", "Why this matters"),
    ("WhyThisMatters", "First paragraph of why this matters."),
    ("WhyThisMatters", "Second paragraph, with a link."),
    ("KeyTakeawaysHeading", "Key takeaways"),
    ("KeyTakeaway", "First takeaway with emphasis."),
    ("KeyTakeaway", "Second takeaway with a link."),
    ("KeyTakeaway", "Third takeaway mentions the test word \u201cofficial\u201d."),
    ("BodyText", "The first body paragraph has emphasis, strong, both, inline code, a link with title and a "
                 "relative link. This line ends with a hard break\nand continues here."),
    ("Heading2", "A second-level heading"),
    ("BodyText", "Text under the second-level heading. The envoy greeted the crowd with שלום עליכם and quoted İlham "
                 "Əliyev on the peace treaty."),
    ("Heading3", "A third-level heading"),
    ("ListParagraph", "First ordered item"),
    ("ListParagraph", "Second ordered item"),
    ("ListParagraph", "Nested bullet"),
    ("ListParagraph", "Another nested bullet"),
    ("ListParagraph", "Deeply nested number"),
    ("ListParagraph", "Third ordered item"),
    ("Heading4", "A fourth-level heading"),
    ("ListParagraph", "Bullet one"),
    ("ListParagraph", "Bullet two"),
    ("ListParagraph", "A list that starts at four"),
    ("ListParagraph", "And goes on to five"),
    ("Quote", "A block quote with emphasis."),
    ("Quote", "Its second paragraph."),
    ("Code", 'def hello():\n    return "world"  # <not a tag>'),
    ("Separator", ""),
    ("Figure", ""),
    ("Caption", "The region, circled."),
    ("BodyText", "Raw <b>HTML</b> stays visible text, and so does <script>alert(1)</script>."),
    ("BodyText", "The last paragraph of the body, with the word \u201ctest\u201d and an en dash \u2013 here."),
]


def test_kitchen_sink_paragraphs_styles_and_text_in_reading_order(sink):
    assert paragraphs(sink) == SINK_PARAGRAPHS


def test_seed_paragraphs_in_reading_order(seed):
    got = paragraphs(seed)
    assert got[:6] == [
        ("Kicker", "World"),
        ("Title", "Russian Peacekeepers End Deployment in Nagorno-Karabakh as Ceasefire Monitoring Center Closes"),
        ("Standfirst", "Russian peacekeepers withdraw from Nagorno-Karabakh as ceasefire monitoring center closes, "
                       "marking a shift in the region\u2019s dynamics as Armenia and Azerbaijan work towards a peace deal."),
        ("Byline", "By Aqsa Younas Rana"),
        ("Date", "Published April 27, 2024"),  # CLDR's long date for en
        ("WhyThisMattersHeading", "Why this matters"),
    ]
    assert got[6][0] == "WhyThisMatters" and got[6][1].startswith("The end of the Russian peacekeeping mission")
    assert got[7] == ("KeyTakeawaysHeading", "Key takeaways")
    assert [s for s, _ in got[8:13]] == ["KeyTakeaway"] * 5
    assert got[12][1] == "$7 billion earmarked for Karabakh reconstruction, with $2.4 billion planned for 2024."
    body = got[13:]
    assert [s for s, _ in body] == ["BodyText"] * 5
    assert body[0][1].startswith("Russian peacekeepers have ended their deployment")
    assert body[-1][1].endswith("$2.4 billion is planned to be allocated for reconstruction work in Karabakh.")


def test_no_direct_formatting_only_style_ids(sink):
    """Paragraphs carry a style id (never Normal) and list membership; runs carry a character style only."""
    doc = Document(str(sink))
    defined = {s.get(qn("w:styleId")) for s in doc.styles.element.findall(qn("w:style"))}
    stories = [doc.element.body, doc.sections[0].header._element, doc.sections[0].footer._element]
    for story in stories:
        for p in story.iter(qn("w:p")):
            ppr = p.pPr
            assert ppr is not None and ppr.style not in (None, "Normal"), etree.tostring(p)[:200]
            assert ppr.style in defined
            assert {etree.QName(c).localname for c in ppr} <= {"pStyle", "numPr"}, etree.tostring(ppr)
        for r in story.iter(qn("w:r")):
            rpr = r.rPr
            if rpr is None:
                continue
            kids = {etree.QName(c).localname for c in rpr}
            marked = rpr.find(qn("w:lang")) is not None  # a phrase in another language ([שלום]{lang=he})
            assert rpr.style in defined or (rpr.style is None and marked), etree.tostring(r)
            # Emphasis inside a link is the one toggle (the run's style must stay Hyperlink).
            allowed = {"rStyle", "b", "i"} if rpr.style == "Hyperlink" else {"rStyle"}
            if marked:  # its language, and the direction and complex-script font its letters need
                allowed = allowed | {"lang", "rtl", "cs", "rFonts"}
            assert kids <= allowed, etree.tostring(r)


def test_character_styles_of_the_first_body_paragraph(sink):
    doc = Document(str(sink))
    (p,) = [p for p in doc.paragraphs if p.text.startswith("The first body paragraph")]
    runs = [(r.rPr.style if r.rPr is not None else None, r.text) for r in p._p.iter(qn("w:r"))]
    assert runs == [
        (None, "The first body paragraph has "),
        ("Emphasis", "emphasis"),
        (None, ", "),
        ("Strong", "strong"),
        (None, ", "),
        ("StrongEmphasis", "both"),
        (None, ", "),
        ("InlineCode", "inline code"),
        (None, ", a "),
        ("Hyperlink", "link with title"),
        (None, " and a relative "),
        ("Hyperlink", "link"),
        (None, ". This line ends with a hard break"),
        (None, "\n"),  # a w:br of its own
        (None, "and continues here."),
    ]
    assert len(p._p.xpath(".//w:br")) == 1


# --- lists ------------------------------------------------------------------


def _numbering(path: Path) -> tuple[dict[int, tuple[str, dict[int, int]]], dict[str, etree._Element]]:
    """numId → (abstract name, {ilvl: startOverride}); abstract name → element."""
    root = part_xml(path, "word/numbering.xml")
    abstracts = {a.get(qn("w:abstractNumId")): a for a in root.findall(qn("w:abstractNum"))}
    named = {a.find(qn("w:name")).get(qn("w:val")): a for a in abstracts.values()}
    nums = {}
    for num in root.findall(qn("w:num")):
        abstract = abstracts[num.find(qn("w:abstractNumId")).get(qn("w:val"))]
        overrides = {int(o.get(qn("w:ilvl"))): int(o.find(qn("w:startOverride")).get(qn("w:val")))
                     for o in num.findall(qn("w:lvlOverride"))}
        nums[int(num.get(qn("w:numId")))] = (abstract.find(qn("w:name")).get(qn("w:val")), overrides)
    return nums, named


def test_word_numbering_restarts_nests_and_honours_start(sink):
    nums, named = _numbering(sink)
    items = {}
    for p in Document(str(sink)).paragraphs:
        numpr = p._p.pPr.numPr
        if numpr is not None:
            items[p.text] = (numpr.numId.val, numpr.ilvl.val)
    first, second = items["First ordered item"], items["Second ordered item"]
    assert first == second and first[1] == 0
    assert nums[first[0]] == ("pressrun-numbers", {0: 1})
    assert items["Third ordered item"] == first  # the nested lists do not break the outer count
    assert items["Nested bullet"] == items["Another nested bullet"]
    assert items["Nested bullet"][1] == 1 and nums[items["Nested bullet"][0]][0] == "pressrun-bullets"
    deep = items["Deeply nested number"]
    assert deep[1] == 2 and nums[deep[0]] == ("pressrun-numbers", {2: 1})
    assert items["Bullet one"] == items["Bullet two"] and nums[items["Bullet one"][0]][0] == "pressrun-bullets"
    four = items["A list that starts at four"]
    assert four == items["And goes on to five"] and four[0] != first[0]
    assert nums[four[0]] == ("pressrun-numbers", {0: 4})
    # Every list is its own w:num, so no list continues another.
    list_ids = {first[0], items["Nested bullet"][0], deep[0], items["Bullet one"][0], four[0]}
    assert len(list_ids) == 5
    takeaway_nums = {v for k, v in items.items() if "takeaway" in k}
    assert len(takeaway_nums) == 1 and nums[takeaway_nums.pop()[0]][0] == "pressrun-takeaways"
    formats = [lvl.find(qn("w:numFmt")).get(qn("w:val")) for lvl in named["pressrun-numbers"].findall(qn("w:lvl"))[:3]]
    assert formats == ["decimal", "lowerLetter", "lowerRoman"]
    assert named["pressrun-bullets"].find(qn("w:lvl")).find(qn("w:numFmt")).get(qn("w:val")) == "bullet"


LISTS = """---
headline: Tight and loose lists
summary: A tight list, then a loose one.
published: 2024-05-01
---
Before.

- Tight one
- Tight two

Between.

- Loose one

- Loose two, first paragraph.

  Loose two, second paragraph.

  Loose two, third paragraph.

- Loose three
  1. Nested tight a
  2. Nested tight b

After.
"""


@pytest.fixture(scope="module")
def lists_docx(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("lists-src")
    shutil.copy(FIXTURES / "minimal" / "publication.yaml", source)
    (source / "lists.md").write_text(LISTS, encoding="utf-8")
    return build_docx(source, tmp_path_factory.mktemp("lists-out"))


def test_tight_lists_stay_compact_and_loose_lists_are_spaced(lists_docx):
    """CommonMark decides tight or loose per list: a loose list's items take List Paragraph Spaced, and
    further paragraphs of an item List Continue; the nested tight list inside a loose item stays compact."""
    body = paragraphs(lists_docx)[4:]
    assert body == [
        ("BodyText", "Before."),
        ("ListParagraph", "Tight one"),
        ("ListParagraph", "Tight two"),
        ("BodyText", "Between."),
        ("ListParagraphSpaced", "Loose one"),
        ("ListParagraphSpaced", "Loose two, first paragraph."),
        ("ListContinue", "Loose two, second paragraph."),
        ("ListContinue", "Loose two, third paragraph."),
        ("ListParagraphSpaced", "Loose three"),
        ("ListParagraph", "Nested tight a"),
        ("ListParagraph", "Nested tight b"),
        ("BodyText", "After."),
    ]


def test_list_spacing_comes_from_the_styles(lists_docx):
    """Tight items share their spacing (contextual spacing); the spaced style is List Paragraph with it off,
    so restyling List Paragraph restyles both; an item's further paragraphs are always spaced."""
    styles = {s.get(qn("w:styleId")): s for s in part_xml(lists_docx, "word/styles.xml").findall(qn("w:style"))}

    def contextual(ident: str) -> str | None:
        node = styles[ident].find(f"{{{W}}}pPr/{{{W}}}contextualSpacing")
        return None if node is None else node.get(qn("w:val"), "1")

    assert contextual("ListParagraph") == "1"
    assert contextual("ListParagraphSpaced") == "0"
    assert styles["ListParagraphSpaced"].find(qn("w:basedOn")).get(qn("w:val")) == "ListParagraph"
    assert [contextual(f"ListContinue{n}") for n in ("", "2", "3")] == [None, None, None]
    numbered = [p for p in Document(str(lists_docx)).paragraphs if p._p.pPr.numPr is not None]
    assert [p.text for p in numbered] == ["Tight one", "Tight two", "Loose one", "Loose two, first paragraph.",
                                          "Loose three", "Nested tight a", "Nested tight b"]


# --- links, images, header and footer ----------------------------------------


def test_real_hyperlinks_with_absolute_targets(sink):
    doc = Document(str(sink))
    rels = doc.part.rels
    links = []
    for h in doc.element.body.iter(qn("w:hyperlink")):
        rel = rels[h.get(qn("r:id"))]
        assert rel.is_external
        runs = h.findall(qn("w:r"))
        assert runs and all(r.rPr.style == "Hyperlink" for r in runs)
        links.append(("".join(r.text for r in runs), rel.target_ref))
    assert links == [
        ("link", "https://example.com/standfirst"),
        ("link", "https://example.com/why"),
        ("link", "https://example.com/takeaway"),
        ("link with title", "https://example.com/a"),
        ("link", "https://gazette.example.com/articles/other-page.html"),  # relative, resolved against the page
    ]


def test_images_embedded_with_alt_text_caption_and_credit(sink):
    doc = Document(str(sink))
    section = doc.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    shapes = doc.inline_shapes
    assert len(shapes) == 2
    descr = [s._inline.docPr.get("descr") for s in shapes]
    assert descr == ["Officers stand at attention in front of three flags.", "A map of the region with a red circle."]
    for shape, (w, h) in zip(shapes, [(1200, 675), (640, 400)]):
        assert 0.9 * text_width <= shape.width <= text_width  # a sensible width: the text column
        assert abs(shape.height / shape.width - h / w) < 0.01
    blobs = {rel.target_part.blob for rel in doc.part.rels.values() if rel.reltype.endswith("/image")}
    images = FIXTURES / "kitchen-sink" / "images"
    assert blobs == {(images / "ceremony.jpg").read_bytes(), (images / "map.png").read_bytes()}
    # Caption and credit are separate paragraphs right after the picture's own.
    paras = doc.paragraphs
    figures = [i for i, p in enumerate(paras) if p._p.xpath(".//w:drawing")]
    assert [style_id(paras[i]) for i in figures] == ["Figure", "Figure"]
    assert [(style_id(p), p.text) for p in paras[figures[0] + 1:figures[0] + 3]] == [
        ("Caption", "The closing ceremony of the monitoring center."),
        ("ImageCredit", "Photo by Jane Lens / Example Agency"),
    ]


def test_header_names_the_publication_and_footer_has_page_fields(sink):
    section = Document(str(sink)).sections[0]
    assert [(style_id(p), p.text) for p in section.header.paragraphs] == [("Header", "Kitchen Sink Gazette")]
    (footer,) = section.footer.paragraphs
    assert style_id(footer) == "Footer"
    instructions = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    kinds = [c.get(qn("w:fldCharType")) for c in footer._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"] * 2
    assert footer.text == "Page 1 of 1"  # field results; Word and LibreOffice recompute them


# --- metadata and language ----------------------------------------------------


def test_core_properties_come_from_the_article(sink, seed):
    cp = Document(str(sink)).core_properties
    assert cp.title == "Kitchen sink: every field and \u201cnode\u201d in one test article"
    assert cp.author == "Ann Writer and Bo Second"
    assert cp.subject == "The standfirst with strong text, code and a link."
    assert cp.keywords == "Testing, Fixtures, Caucasus"
    assert cp.language == "en-GB"
    assert cp.identifier == "urn:uuid:0b0f3c1e-4a57-4d8e-9d0c-2f6f3c1a9e11"
    assert cp.category == "World"
    assert cp.comments == "CC BY 4.0"
    assert cp.last_modified_by == "pressrun"
    assert cp.revision == 1
    utc = [d.replace(tzinfo=timezone.utc) if d.tzinfo is None else d for d in (cp.created, cp.modified)]
    assert utc == [datetime(2024, 4, 27, 10, 30, tzinfo=timezone.utc), datetime(2024, 4, 28, 9, 0, tzinfo=timezone.utc)]
    with zipfile.ZipFile(sink) as z:
        core = z.read("docProps/core.xml").decode()
        assert "python-docx" not in core and "2013" not in core
        assert b"<Application>pressrun</Application>" in z.read("docProps/app.xml")
        assert not [n for n in z.namelist() if "thumbnail" in n or "customXml" in n]
    # Tags and rights are properties of the file, not paragraphs of the body (ArticleWriter.visit_Topics/Rights).
    assert not [t for _, t in paragraphs(sink) if "CC BY 4.0" in t or "Fixtures" in t]
    seed_cp = Document(str(seed)).core_properties
    assert (seed_cp.author, seed_cp.comments, seed_cp.language) == (
        "Aqsa Younas Rana", "\u00a9 2024 The Caucasus Desk. All rights reserved.", "en")
    assert seed_cp.keywords == "Nagorno-Karabakh, Russia, Azerbaijan, Armenia, Turkey, Peacekeeping"


def test_paragraph_border_sides_follow_the_schema_sequence(sink):
    """CT_PBdr is a sequence: top, left, bottom, right, between, bar (issue 12: w:left came before w:top).

    Checked without the schemas too, so it runs wherever the tests do (test_docx_schema.py has the rest)."""
    order = ["top", "left", "bottom", "right", "between", "bar"]
    borders = part_xml(sink, "word/styles.xml").findall(".//w:pBdr", NSMAP)
    assert any(len(b) == 4 for b in borders)  # the boxed styles have all four sides
    for pbdr in borders:
        sides = [etree.QName(side).localname for side in pbdr]
        assert sides == sorted(sides, key=order.index), sides


def test_language_on_document_defaults_and_every_style(sink):
    styles = part_xml(sink, "word/styles.xml")
    default = styles.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr/{{{W}}}lang")
    assert default.get(qn("w:val")) == "en-GB"  # the reference says "en": the article's language wins
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) in ("paragraph", "character"):
            lang = style.find(f"{{{W}}}rPr/{{{W}}}lang")
            assert lang is not None and lang.get(qn("w:val")) == "en-GB", style.get(qn("w:styleId"))


# --- reproducibility and the reference document --------------------------------


def test_two_builds_are_byte_identical(sink, tmp_path):
    again = build_docx(FIXTURES / "kitchen-sink", tmp_path / "again")
    assert again.read_bytes() == sink.read_bytes()
    with zipfile.ZipFile(sink) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(2024, 4, 28, 9, 0, 0)}  # the article's last change, not "now"


def test_saving_without_python_docxs_private_steps_gives_the_same_bytes(sink, tmp_path, monkeypatch):
    """The DOCX is saved through python-docx's own (private) writer steps, without a ZIP to re-read; a
    python-docx without them falls back to saving and rewriting the ZIP, byte for byte the same file."""
    from pressrun.exporters.docx import package

    monkeypatch.setattr(package, "_WRITER_STEPS", ("_a_step_no_release_has",))
    assert build_docx(FIXTURES / "kitchen-sink", tmp_path / "fallback").read_bytes() == sink.read_bytes()


def _edit_reference(styles_dir: Path, edit) -> None:
    ref = styles_dir / "reference.docx"
    doc = Document(str(ref))
    edit(doc)
    doc.save(str(ref))


def _style(doc, ident: str):
    (style,) = [s for s in doc.styles if s.style_id == ident]
    return style


def test_replacing_the_reference_restyles_the_output(tmp_path):
    styles = tmp_path / "styles"
    shutil.copytree(STYLES, styles)

    def restyle(doc):
        body = _style(doc, "BodyText")
        body.name = "Brödtext"  # a localised display name: the exporter looks styles up by id
        body.font.name = "Liberation Sans"
        body.font.color.rgb = RGBColor(0x00, 0x80, 0x00)
        _style(doc, "Heading2").font.color.rgb = RGBColor(0x12, 0x34, 0x56)
        kicker = _style(doc, "Kicker")
        kicker.element.getparent().remove(kicker.element)  # a reference lacking a style

    _edit_reference(styles, restyle)
    out = build_docx(FIXTURES / "kitchen-sink", tmp_path / "out", styles=styles)
    doc = Document(str(out))
    body = _style(doc, "BodyText")
    assert (body.name, body.font.name, body.font.color.rgb) == ("Brödtext", "Liberation Sans", RGBColor(0, 0x80, 0))
    assert _style(doc, "Heading2").font.color.rgb == RGBColor(0x12, 0x34, 0x56)
    assert _style(doc, "Kicker").name == "Kicker"  # completed from the theme's defaults
    assert [(style_id(p), p.text) for p in doc.paragraphs] == SINK_PARAGRAPHS
    default = Document(str(STYLES / "reference.docx"))
    assert _style(default, "BodyText").font.color.rgb != RGBColor(0, 0x80, 0)


def test_reference_has_every_style_with_an_example_paragraph():
    from pressrun.exporters.docx.styles import CATALOGUE

    doc = Document(str(STYLES / "reference.docx"))
    defined = {s.style_id for s in doc.styles}
    assert {s.id for s in CATALOGUE} <= defined
    used = {style_id(p) for p in doc.paragraphs}
    used |= {r.rPr.style for r in doc.element.body.iter(qn("w:r")) if r.rPr is not None}
    used |= {style_id(p) for p in doc.sections[0].header.paragraphs + doc.sections[0].footer.paragraphs}
    assert {s.id for s in CATALOGUE if s.id not in ("Normal", "DefaultParagraphFont")} <= used
    fonts = {s.font.name for s in doc.styles if s.type == 1 and s.font.name}
    assert {"DejaVu Serif", "DejaVu Sans", "DejaVu Sans Mono"} <= fonts


def test_reference_is_up_to_date_with_the_theme():
    """The committed reference is what the script makes from the theme (rerun it after changing the theme)."""
    from pressrun.exporters.docx.reference import build_reference
    from pressrun.theme import load_theme

    fresh = zipfile.ZipFile(io.BytesIO(build_reference(load_theme(STYLES))))
    committed = zipfile.ZipFile(STYLES / "reference.docx")
    assert fresh.namelist() == committed.namelist()
    for name in fresh.namelist():  # parts, not ZIP bytes: zlib versions may compress differently
        assert fresh.read(name) == committed.read(name), name


def test_a_missing_reference_is_a_located_export_failure(tmp_path):
    styles = tmp_path / "styles"
    shutil.copytree(STYLES, styles)
    (styles / "reference.docx").unlink()
    report = run_build(FIXTURES / "minimal", tmp_path / "out", formats=["docx"], styles=styles)
    assert report.exit_code == 1
    (failure,) = report.failures
    assert failure.path == str(styles / "reference.docx") and "reference DOCX" in failure.message
    assert not (tmp_path / "out" / "docx").exists()


def test_the_reference_tool_sits_on_the_exporters_leaves_without_cycles():
    """reference.py builds on the leaves (defaults, furniture, package, oxml, styles); the exporter never
    imports it, and no two DOCX modules import each other, directly or not (issue 13)."""
    import grimp

    graph = grimp.build_graph("pressrun")
    modules = sorted(m for m in graph.modules if m.startswith("pressrun.exporters.docx."))
    reference, writer = "pressrun.exporters.docx.reference", "pressrun.exporters.docx.writer"
    assert not graph.find_shortest_chains(importer=reference, imported=writer)
    assert not graph.find_downstream_modules(reference)  # a tool: nothing imports it (grimp: "downstream")
    cycles = [(a, b) for a in modules for b in modules if a < b
              and graph.find_shortest_chain(importer=a, imported=b) and graph.find_shortest_chain(importer=b, imported=a)]
    assert not cycles
    leaves = {"styles", "defaults", "oxml", "furniture", "package"}
    for leaf in leaves:  # a leaf imports other leaves at most
        imported = graph.find_upstream_modules(f"pressrun.exporters.docx.{leaf}")  # what it imports
        assert {m.rsplit(".", 1)[1] for m in imported if m in modules} <= leaves, leaf


def test_importing_pressrun_does_not_load_python_docx():
    code = ("import sys, pressrun.cli, pressrun.registry, pressrun.exporters.docx as d; "
            "assert d.DocxExporter.name == 'docx'; "
            "assert 'docx' not in sys.modules and 'lxml' not in sys.modules, sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True)


# --- independent readers: LibreOffice and pandoc --------------------------------


def _squash(text: str) -> str:
    """Without white space (line wrapping) and case (styles with all caps)."""
    return "".join(text.split()).casefold()


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice not installed")
def test_libreoffice_converts_and_shows_all_text(seed, sink, tmp_path):
    from pypdf import PdfReader

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    profile = tmp_path / "lo-profile"  # a private profile: parallel LibreOffice runs do not collide
    result = subprocess.run(
        [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(seed), str(sink)],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    texts = {}
    for docx, publication in ((seed, "The Caucasus Desk"), (sink, "Kitchen Sink Gazette")):
        pages = [_squash(page.extract_text()) for page in PdfReader(str(tmp_path / f"{docx.stem}.pdf")).pages]
        n = len(pages)
        assert n >= 2
        for number, page in enumerate(pages, 1):  # every page: the header, and the footer's fields evaluated
            header, footer = _squash(publication), _squash(f"Page {number} of {n}")
            assert page.startswith(header) and page.endswith(footer), page[:80]
            pages[number - 1] = page[len(header):-len(footer)]
        texts[docx] = text = "".join(pages)
        for _, para in paragraphs(docx):
            assert _squash(para) in text, para
    sink_text = texts[sink]
    for numbered in ("1.First ordered item", "3.Third ordered item", "i.Deeply nested number",
                     "4.A list that starts at four", "5.And goes on to five"):
        assert _squash(numbered) in sink_text


def _pandoc_paragraphs(blocks: list) -> list[str]:
    """The text of every Para/Plain/Header in document order, from pandoc's JSON AST."""

    def inl(nodes: list) -> str:
        out = []
        for n in nodes:
            t, c = n["t"], n.get("c")
            if t == "Str":
                out.append(c)
            elif t in ("Space", "SoftBreak"):
                out.append(" ")
            elif t == "LineBreak":
                out.append("\n")
            elif t == "Code":
                out.append(c[1])
            elif t in ("Emph", "Strong", "Underline", "SmallCaps", "Strikeout"):
                out.append(inl(c))
            elif t in ("Link", "Span", "Quoted"):
                out.append(inl(c[1]))
        return "".join(out)

    found: list[str] = []
    for b in blocks:
        t, c = b["t"], b.get("c")
        if t in ("Para", "Plain"):
            found.append(inl(c))
        elif t == "Header":
            found.append(inl(c[2]))
        elif t == "BulletList":
            for item in c:
                found.extend(_pandoc_paragraphs(item))
        elif t == "OrderedList":
            for item in c[1]:
                found.extend(_pandoc_paragraphs(item))
        elif t in ("BlockQuote",):
            found.extend(_pandoc_paragraphs(c))
        elif t == "Div":
            found.extend(_pandoc_paragraphs(c[1]))
    return [f for f in found if f]


@pytest.mark.skipif(not shutil.which("pandoc"), reason="pandoc not installed")
def test_pandoc_reads_the_same_text(seed):
    result = subprocess.run(["pandoc", "-f", "docx", "-t", "json", str(seed)], capture_output=True, text=True,
                            check=True, timeout=60)
    ast = json.loads(result.stdout)
    assert _pandoc_paragraphs(ast["blocks"]) == [text for _, text in paragraphs(seed) if text]


def test_core_properties_longer_than_words_limit_are_cut_not_fatal(tmp_path):
    from docx import Document

    source = tmp_path / "src"
    source.mkdir()
    (source / "publication.yaml").write_text("title: T\nbase_url: https://t.example.com/\nlanguage: en\ndescription: D\nauthor: A\n")
    long_headline = "Long headline " * 30
    (source / "a.md").write_text(f"---\nheadline: {long_headline}\nsummary: {'Summary words ' * 40}\npublished: 2024-01-01\n---\nBody.\n")
    report = run_build(source, tmp_path / "out", ["docx"])
    assert report.exit_code == 0, report.failures
    doc = Document(tmp_path / "out" / "docx" / "a.docx")
    assert len(doc.core_properties.title) == 255 and doc.core_properties.title.endswith("\u2026")
    assert doc.core_properties.title.startswith("Long headline Long headline")
    assert long_headline.strip() in [p.text for p in doc.paragraphs]


def test_every_anchor_of_the_outline_is_a_bookmark(sink):
    """Internal links (#standfirst, #story, a heading…) land in Word as they do on the web page and in the PDF."""
    from conftest import articles_of
    from pressrun import outline
    from pressrun.exporters.docx.oxml import bookmark_name

    _, (article,) = articles_of(FIXTURES / "kitchen-sink")
    names = {b.get(qn("w:name")) for b in part_xml(sink, "word/document.xml").iter(qn("w:bookmarkStart"))}
    wanted = {bookmark_name(anchor) for anchor in outline.anchors(article)}
    assert {bookmark_name("story"), bookmark_name("standfirst")} <= wanted
    assert wanted <= names, sorted(wanted - names)


# --- the world's scripts (issue 14): font slots, direction, language ------------------------------

# The family each fixture's script takes: the first of the body stack (DejaVu Serif, DejaVu Sans, then the
# theme's fallbacks) that has every letter of it — DejaVu Sans for Arabic, Persian and Hebrew, Noto Naskh Arabic
# for Urdu (DejaVu Sans lacks ہ ے ۔), the Noto family of the script for the others, as in the PDF and the EPUB.
COMPLEX_FAMILY = {
    "ar": "DejaVu Sans", "fa": "DejaVu Sans", "he": "DejaVu Sans", "ur": "Noto Naskh Arabic",
    "hi": "Noto Serif Devanagari", "bn": "Noto Serif Bengali", "ta": "Noto Serif Tamil", "si": "Noto Serif Sinhala",
    "th": "Noto Serif Thai", "km": "Noto Serif Khmer", "my": "Noto Serif Myanmar", "bo": "Noto Serif Tibetan",
}
EAST_ASIAN_FAMILY = {"zh-Hans": "WenQuanYi Micro Hei", "ja": "WenQuanYi Micro Hei", "ko": "WenQuanYi Micro Hei"}
# Scripts Word sets with the complex-script font only on runs marked w:cs (unicodedata names, not pressrun's table).
COMPLEX_NAMES = ("DEVANAGARI", "BENGALI", "TAMIL", "SINHALA", "THAI", "KHMER", "MYANMAR", "TIBETAN")


def _world_docx(language: str) -> Path:
    from test_world_scripts import world_output

    build = world_output(language)
    assert build.docx is not None, build.failures
    return build.docx


def _letters(text: str) -> tuple[bool, bool, bool]:
    """Whether ``text`` has right-to-left letters, complex-script (non-RTL) letters, Latin letters."""
    import unicodedata

    letters = [c for c in text if c.isalpha()]
    rtl = any(unicodedata.bidirectional(c) in ("R", "AL") for c in letters)
    complex_ = any(unicodedata.name(c, "").startswith(COMPLEX_NAMES) for c in letters)
    latin = any(unicodedata.name(c, "").startswith("LATIN") for c in letters)
    return rtl, complex_, latin


def _body_runs(docx: Path) -> list[tuple[str, set[str], dict[str, str]]]:
    """(text, rPr children, rFonts attributes) of every text run of the body."""
    out = []
    for r in part_xml(docx, "word/document.xml").iter(qn("w:r")):
        text = "".join(t.text or "" for t in r.iter(qn("w:t")))
        rpr = r.find(qn("w:rPr"))
        kids = {etree.QName(c).localname for c in rpr} if rpr is not None else set()
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        out.append((text, kids, {etree.QName(k).localname: v for k, v in (fonts.attrib if fonts is not None else {}).items()}))
    return [run for run in out if run[0]]


def _defaults(docx: Path) -> tuple[dict[str, str], dict[str, str], etree._Element]:
    """The document defaults' rFonts and lang attributes, and the styles part."""
    styles = part_xml(docx, "word/styles.xml")
    rpr = styles.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr")
    attrs = [{etree.QName(k).localname: v for k, v in rpr.find(qn(f"w:{n}")).attrib.items()} for n in ("rFonts", "lang")]
    return attrs[0], attrs[1], styles


@pytest.mark.parametrize("language", sorted(COMPLEX_FAMILY))
def test_complex_scripts_name_their_family_in_the_styles_and_mark_their_runs(language):
    """The styles name the script's family in w:cs (with w:szCs beside every w:sz); right-to-left runs carry
    w:rtl, other complex-script runs w:cs, Latin runs neither; the w:bidi language is the article's."""
    docx = _world_docx(language)
    fonts, lang, styles = _defaults(docx)
    assert fonts["cs"] == COMPLEX_FAMILY[language]
    assert lang == {"val": language, "bidi": language}
    for rpr in styles.iter(qn("w:rPr")):
        if rpr.find(qn("w:sz")) is not None:
            assert rpr.find(qn("w:szCs")).get(qn("w:val")) == rpr.find(qn("w:sz")).get(qn("w:val"))
    for text, kids, run_fonts in _body_runs(docx):
        rtl, complex_, latin = _letters(text)
        assert not (latin and (rtl or complex_)), f"a run mixes Latin with another script: {text!r}"
        assert ("cs" in kids) == complex_, (text, kids)
        assert "rtl" in kids if rtl else ("rtl" not in kids or not latin and language in ("ar", "fa", "he", "ur")), (
            text, kids)  # in a right-to-left article, digits and punctuation alone may read right to left
        assert kids <= {"rStyle", "rtl", "cs"} and not run_fonts, (text, kids)  # the font is the styles'


def test_right_to_left_article_reads_right_to_left_except_its_code():
    docx = _world_docx("ar")
    doc = part_xml(docx, "word/document.xml")
    styles = part_xml(docx, "word/styles.xml")
    default_ppr = styles.find(f"{{{W}}}docDefaults/{{{W}}}pPrDefault/{{{W}}}pPr")
    assert default_ppr.find(qn("w:bidi")) is not None and default_ppr.find(qn("w:bidi")).get(qn("w:val")) is None
    code = styles.find(f"{{{W}}}style[@{{{W}}}styleId='Code']/{{{W}}}pPr/{{{W}}}bidi")
    assert code.get(qn("w:val")) == "0"  # code blocks stay left to right
    footer = styles.find(f"{{{W}}}style[@{{{W}}}styleId='Footer']/{{{W}}}pPr/{{{W}}}bidi")
    assert footer is None  # the Arabic "الصفحة 1 من 2" runs right to left, as the document does
    why = styles.find(f"{{{W}}}style[@{{{W}}}styleId='WhyThisMatters']/{{{W}}}pPr/{{{W}}}pBdr")
    assert why.find(qn("w:right")).get(qn("w:sz")) == "24"  # the accent rule on the start side
    assert doc.find(f".//{{{W}}}sectPr/{{{W}}}bidi") is not None
    for p in doc.iter(qn("w:p")):  # paragraphs carry style ids only: the direction comes from the styles
        assert {etree.QName(c).localname for c in p.find(qn("w:pPr"))} <= {"pStyle", "numPr"}
    (code_run,) = [r for r in _body_runs(docx) if r[0].startswith("curl ")]
    assert code_run[1] == set()


def test_right_to_left_names_in_a_left_to_right_article():
    """English text quoting Arabic and Hebrew: the paragraphs stay left to right, the names' runs are right to
    left, the parentheses and spaces around a name stay with the English text."""
    docx = _world_docx("en")
    fonts, lang, styles = _defaults(docx)
    assert fonts["cs"] == "DejaVu Sans" and lang == {"val": "en"}
    assert styles.find(f"{{{W}}}docDefaults/{{{W}}}pPrDefault/{{{W}}}pPr/{{{W}}}bidi") is None
    runs = _body_runs(docx)
    names = [text for text, kids, _ in runs if "rtl" in kids]
    assert "شارل مالك" in names and "רנה קסן" in names and "ההכרזה לכל באי עולם בדבר זכויות האדם" in names
    assert any(text.endswith("Charles Malik (") for text, _, _ in runs)
    for text, kids, _ in runs:
        assert ("rtl" in kids) == _letters(text)[0], text


@pytest.mark.parametrize("language", sorted(EAST_ASIAN_FAMILY))
def test_east_asian_articles_name_their_family_in_the_styles_only(language):
    docx = _world_docx(language)
    fonts, lang, _ = _defaults(docx)
    assert fonts["eastAsia"] == EAST_ASIAN_FAMILY[language] and fonts["hint"] == "eastAsia"
    assert fonts["ascii"] == "DejaVu Serif"  # Latin words (UN, PDF) keep the body face
    assert lang == {"val": language, "eastAsia": language}
    assert all(kids <= {"rStyle"} for _, kids, _ in _body_runs(docx))  # style ids only


def test_a_script_without_a_slot_of_its_own_names_its_family_on_its_runs():
    """Ethiopic has no font slot in Word (it takes the Latin ones): its runs name Noto Serif Ethiopic."""
    docx = _world_docx("am")
    ethiopic = [(kids, fonts) for text, kids, fonts in _body_runs(docx) if any("\u1200" <= c <= "\u137f" for c in text)]
    assert ethiopic and all(fonts == {"ascii": "Noto Serif Ethiopic", "hAnsi": "Noto Serif Ethiopic"}
                            for _, fonts in ethiopic)
    assert _defaults(docx)[0]["ascii"] == "DejaVu Serif"


@pytest.mark.parametrize("language", ["el", "ka"])
def test_scripts_the_body_face_sets_need_nothing(language):
    """Greek and Georgian are DejaVu Serif's own: no run properties, the styles as the reference has them."""
    docx = _world_docx(language)
    assert all(not kids for _, kids, _ in _body_runs(docx))
    assert _defaults(docx)[0]["cs"] == "DejaVu Serif"


def test_every_world_docx_is_schema_valid():
    from pressrun.verify.docx_schema import validate_docx
    from test_world_scripts import LANGUAGES

    schemas = ROOT.parent / "shared" / "ooxml-xsd"
    for language in LANGUAGES:
        errors = validate_docx(_world_docx(language), schemas if (schemas / "wml.xsd").is_file() else None)
        assert not errors, f"{language}: " + "\n".join(errors[:10])


LIBREOFFICE_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>{fonts}</dir>
<cachedir>{cache}</cachedir></fontconfig>
"""


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice not installed")
def test_libreoffice_sets_world_scripts_in_the_named_families(tmp_path):
    """LibreOffice, given the theme's fonts, lays out the Arabic, Hindi, Japanese and English-with-names documents
    with the families they name, and its PDF holds the web page's words (the issue's measure) — measured for
    Japanese and English only: pdftotext does not give LibreOffice's shaped Arabic (lam-alef ligatures, vowel
    marks) and Devanagari (conjuncts) back in logical order (88% and 91% of the words); those two were checked
    by eye, rendered to PNG."""
    import os

    from test_world_scripts import match, page_text, pdf_text, world_output

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    config = tmp_path / "fonts.conf"
    config.write_text(LIBREOFFICE_FONTS.format(fonts=STYLES / "fonts", cache=tmp_path / "fc-cache"))
    wanted = {"ar": "DejaVuSans", "hi": "NotoSerifDevanagari", "ja": "WenQuanYiMicroHei", "en": "DejaVuSans"}
    for language, family in wanted.items():
        copy = tmp_path / f"{language}.docx"
        shutil.copy(_world_docx(language), copy)
    result = subprocess.run(
        [exe, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *(str(tmp_path / f"{lang}.docx") for lang in wanted)],
        capture_output=True, text=True, timeout=240, env={**os.environ, "FONTCONFIG_FILE": str(config)},
    )
    assert result.returncode == 0, result.stderr
    for language, family in wanted.items():
        pdf = tmp_path / f"{language}.pdf"
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        assert f"+{family}" in fonts, fonts
        if language in ("ja", "en"):
            # LibreOffice's PDF drops the space after a run of the other direction; pdftotext marks such runs
            # with bidi controls, which here stand for that space.
            text = re.sub("[\u202a-\u202e]", " ", pdf_text(pdf))
            found = match(page_text(world_output(language).page), text)
            assert found.share >= 0.95, (language, found.share, found.missing[:10])
