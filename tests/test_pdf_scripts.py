"""World scripts in the PDF (issue 14): shaping, bidi, line breaking by script, copyable text, the old path kept.

The glyphs drawn are read back with pdfminer.six (each glyph with its position and the text its ToUnicode
entry gives); whole-page text with ``pdftotext``, as the issue measures it. Helpers for other test modules:

* :func:`drawn_lines` — the glyphs of a PDF page grouped into lines, left to right, with their extent;
* :func:`lines_outside_frame` — every line whose ink runs outside the theme's text frame (an empty list is good);
* :func:`word_share` — the share of a text's words (letter pairs for scripts without spaces) in a PDF's text.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, STYLES, articles_of, run_build
from pressrun import model
from pressrun.errors import ExportError
from pressrun.exporters.base import ExportContext
from pressrun.exporters.pdf import PdfExporter
from pressrun.exporters.pdf.bidi import line_levels, paragraph_levels, visual_order
from pressrun.exporters.pdf.document import MM, PAGE_SIZES
from pressrun.exporters.pdf.linebreak import break_opportunities, fill_lines
from pressrun.exporters.pdf.scripts import needs_complex
from pressrun.theme import PageSetup, load_theme

WORLD = FIXTURES / "world"
THEME = load_theme(STYLES)
TOLERANCE = 0.5  # points: rounding of positions in the page stream

# --- helpers (usable from other test modules) ---------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Line:
    page: int
    baseline: float
    x0: float
    x1: float
    text: str  # the glyphs' text, left to right (format characters such as RLM/LRM removed)


def drawn_lines(pdf: Path) -> list[Line]:
    """Every line of glyphs drawn in ``pdf``: glyphs on one baseline, sorted left to right, on every page."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTComponent

    lines: list[Line] = []

    def chars_of(item: LTComponent):
        if isinstance(item, LTChar):
            yield item
        for child in getattr(item, "_objs", ()) or ():
            yield from chars_of(child)

    for number, page in enumerate(extract_pages(str(pdf), laparams=LAParams()), start=1):
        rows: list[list] = []  # a mark raised onto its letter (text rise) stays in its letter's line
        for char in sorted(chars_of(page), key=lambda c: -c.matrix[5]):
            if rows and rows[-1][0].matrix[5] - char.matrix[5] < 0.4 * char.size:
                rows[-1].append(char)
            else:
                rows.append([char])
        for chars in rows:
            chars.sort(key=lambda c: c.x0)
            text = "".join(_visual(c.get_text()) for c in chars)
            text = "".join(c for c in text if unicodedata.category(c) != "Cf")
            lines.append(Line(number, round(chars[0].matrix[5], 1), min(c.x0 for c in chars), max(c.x1 for c in chars),
                              text))
    return lines


def _visual(text: str) -> str:
    """A glyph's text as it reads on the page: one glyph for several right-to-left letters (lam-alef) shows them
    right to left."""
    if len(text) > 1 and all(unicodedata.bidirectional(c) in ("R", "AL", "NSM") for c in text):
        return text[::-1]
    return text


def frame_of(page: PageSetup) -> tuple[float, float]:
    """The left and right edges of the text frame (points from the page's left edge)."""
    return page.margin_left_mm * MM, PAGE_SIZES[page.size][0] - page.margin_right_mm * MM


def lines_outside_frame(pdf: Path, page: PageSetup = THEME.page) -> list[Line]:
    """The lines of ``pdf`` whose glyphs reach past the frame's left or right edge (running footer included:
    it is set inside the same edges)."""
    left, right = frame_of(page)
    return [line for line in drawn_lines(pdf) if line.x0 < left - TOLERANCE or line.x1 > right + TOLERANCE]


SPACELESS = re.compile(r"[\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def _units(text: str) -> list[str]:
    units: list[str] = []
    for word in re.findall(r"[\w\u0300-\u036f\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff]+", text):
        if SPACELESS.search(word) and len(word) > 1:
            units += [word[i:i + 2] for i in range(len(word) - 1)]
        else:
            units.append(word)
    return units


def _normal(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) != "Cf")


def pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def word_share(text: str, pdf: Path) -> tuple[float, list[str]]:
    """The share of ``text``'s words found in the PDF's ``pdftotext`` output (both NFKC, format characters
    removed; letter pairs of spaceless scripts looked for with white space removed), and the words missed."""
    extracted = _normal(pdftotext(pdf))
    words, compact = set(_units(extracted)), re.sub(r"\s+", "", extracted)
    units = _units(_normal(text))
    missing = [u for u in units if (u not in compact if SPACELESS.search(u) else u not in words)]
    return 1 - len(missing) / len(units), missing


def _need(*tools: str) -> None:
    for tool in tools:
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (poppler-utils / qpdf)")


# --- samples ------------------------------------------------------------------------------------

SAMPLES = {
    "ar": ("اعتمدت الجمعية العامة للأمم المتحدة الإعلان العالمي لحقوق الإنسان",
           "اعتمدت الجمعية العامة للأمم المتحدة (UN) الإعلان في باريس يوم 10 ديسمبر 1948، وهو اليوم مترجم إلى "
           "أكثر من 500 لغة. وقالت إليانور روزفلت (Eleanor Roosevelt) إن النص **مهم جدا** للجميع."),
    "he": ("העצרת הכללית אימצה את ההכרזה",
           "העצרת הכללית של האו״ם (UN) אימצה את ההכרזה בפריז ב־10 בדצמבר 1948, וכיום היא מתורגמת ליותר מ־500 "
           "שפות. אלינור רוזוולט (Eleanor Roosevelt) עמדה בראש הוועדה."),
    "hi": ("मानव अधिकारों की सार्वभौम घोषणा",
           "संयुक्त राष्ट्र (UN) महासभा ने 10 दिसंबर 1948 को पेरिस में यह घोषणा स्वीकार की थी; आज यह 500 से अधिक "
           "भाषाओं में उपलब्ध है। क्षत्रिय, विद्यार्थी और श्रद्धा जैसे संयुक्ताक्षर सही दिखते हैं।"),
    "th": ("ปฏิญญาสากลว่าด้วยสิทธิมนุษยชน",
           "สมัชชาใหญ่แห่งสหประชาชาติรับรองปฏิญญานี้ที่กรุงปารีสเมื่อวันที่ 10 ธันวาคม 1948 ปัจจุบันมีการแปลเป็นภาษาต่างๆ "
           "มากกว่า 500 ภาษา มนุษย์ทั้งหลายเกิดมามีอิสระและเสมอภาคกันในเกียรติศักดิ์และสิทธิ"),
    "zh": ("世界人权宣言通过七十五周年",
           "联合国大会于1948年12月10日在巴黎通过《世界人权宣言》，如今宣言已被译成500多种语言。人人生而自由，"
           "在尊严和权利上一律平等。他们赋有理性和良心，并应以兄弟关系的精神相对待。"),
}


def _source(folder: Path, language: str, headline: str, body: str, extra: str = "") -> Path:
    folder.mkdir(parents=True)
    (folder / "publication.yaml").write_text(
        f"title: World Desk\nbase_url: https://w.example.org/\nlanguage: {language}\ndescription: D\nauthor: Desk\n",
        encoding="utf-8")
    paragraphs = "\n\n".join([body] * 3)
    (folder / "a.md").write_text(
        f"---\nheadline: \"{headline}\"\nsummary: \"{headline}\"\npublished: 2024-01-01\nlanguage: {language}\n"
        f"why_this_matters: \"{headline}\"\ntakeaways:\n  - \"{headline}\"\n  - \"{headline} 2\"\n{extra}---\n"
        f"{paragraphs}\n\n- {headline}\n- {headline}\n\n## {headline}\n\n{body}\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, Path]:
    """One small article per sample language, built to PDF and HTML once for this module."""
    out: dict[str, Path] = {}
    for language, (headline, body) in SAMPLES.items():
        base = tmp_path_factory.mktemp(f"sample-{language}")
        report = run_build(_source(base / "src", language, headline, body), base / "out", formats=["pdf", "html"])
        assert report.exit_code == 0, [str(p) for p in report.failures + report.problems]
        out[language] = base / "out"
    return out


def _pdf(out: Path) -> Path:
    return next((out / "pdf").glob("*.pdf"))


def _page_text(out: Path) -> str:
    from lxml import html

    article = html.fromstring(next((out / "articles").glob("*.html")).read_bytes()).find(".//article")
    return " ".join(article.itertext())


# --- (a) bidi: the glyphs of a mixed right-to-left line are in the Unicode bidi algorithm's visual order -------------


def _render_paragraph(tmp_path: Path, markup_text: str, language: str, width: float) -> tuple[Path, list[str]]:
    """One paragraph through the complex path in a frame ``width`` wide, 50 points from the page's left edge:
    the PDF and the logical text of its lines (those of its last piece when it spans pages)."""
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    from pressrun.exporters.pdf.fonts import FontRegistry
    from pressrun.exporters.pdf.styles import Stacks, Styles

    stacks = Stacks.of(FontRegistry(), THEME)
    styles = Styles(THEME, stacks, language)
    markup = stacks.body.markup(markup_text)
    flowable = styles.paragraph(markup, styles.body)
    path = tmp_path / "paragraph.pdf"
    doc = BaseDocTemplate(str(path), pagesize=(width + 100, 842), initialFontName=stacks.body.faces[0])
    frame = Frame(50, 50, width, 742, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(frames=[frame])])
    doc.build([flowable])
    if not hasattr(flowable, "shaped"):
        return path, []  # reportlab's own paragraph: nothing in it needed the complex path
    return path, [flowable.shaped.text[a:b] for a, b in flowable._lines]  # the lines as laid out in the frame


MIXED_RTL = ("העצרת הכללית של האו״ם (UN) אימצה את ההכרזה בפריז ב־10 בדצמבר 1948, וכיום היא מתורגמת ליותר "
             "מ־500 שפות; the Universal Declaration of Human Rights (UDHR) נוסחה בידי ועדה בראשות Eleanor Roosevelt.")
MIXED_ARABIC = ("اعتمدت الجمعية العامة للأمم المتحدة (UN) الإعلان في باريس يوم 10 ديسمبر 1948، وهو اليوم مترجم إلى "
                "أكثر من 500 لغة حسب مكتب OHCHR في جنيف.")


@pytest.mark.parametrize("text, language", [(MIXED_RTL, "he"), (MIXED_ARABIC, "ar"), (MIXED_RTL, "en")],
                         ids=["hebrew-article", "arabic-article", "hebrew-in-english-article"])
def test_glyphs_of_each_mixed_line_are_in_the_bidi_algorithm_s_visual_order(tmp_path, text, language):
    from bidi import get_display

    pdf, logical = _render_paragraph(tmp_path, text, language, width=260)
    drawn = drawn_lines(pdf)
    assert len(logical) >= 3 and len(drawn) == len(logical)
    for line, source in zip(drawn, logical):
        expected = get_display(source.strip(), base_dir="R")  # a paragraph whose first strong letter is Hebrew/Arabic
        assert line.text.replace(" ", "") == expected.replace(" ", ""), (source, line.text, expected)


def test_english_paragraph_with_hebrew_and_arabic_names_keeps_the_english_order(tmp_path):
    from bidi import get_display

    text = "Charles Malik (شارل مالك) and René Cassin (רנה קסן) drafted Article 3 (المادة 3, סעיף 3) in 1948."
    pdf, logical = _render_paragraph(tmp_path, text, "en", width=300)
    for line, source in zip(drawn_lines(pdf), logical):
        assert line.text.replace(" ", "") == get_display(source.strip(), base_dir="L").replace(" ", "")
    assert drawn_lines(pdf)[0].text.startswith("Charles Malik (")


def test_visual_order_follows_rule_l2_and_l1_resets_trailing_spaces():
    assert visual_order([0, 0, 1, 1, 0]) == [0, 1, 3, 2, 4]
    assert visual_order([1, 1, 2, 2, 1]) == [4, 2, 3, 1, 0]  # the embedded left-to-right pair keeps its order
    text = "שלום 123 abc "
    levels = paragraph_levels(text, True)
    assert levels[5:8] == [2, 2, 2] and levels[9:12] == [2, 2, 2]
    assert line_levels(text, levels, 1)[-1] == 1  # the trailing space takes the paragraph's level
    assert paragraph_levels("plain text", False) == [0] * 10  # no right-to-left letter: nothing to resolve


# --- (b) no line runs outside the frame -----------------------------------------------------------


def test_no_line_of_any_sample_runs_outside_the_frame(samples):
    for language, out in samples.items():
        assert lines_outside_frame(_pdf(out)) == [], language


def test_a_word_wider_than_the_line_is_broken_between_clusters(tmp_path):
    word = "क्षत्रिय" * 40 + " " + "مرحبا" * 40
    pdf, logical = _render_paragraph(tmp_path, word, "hi", width=200)
    assert len(logical) > 4
    left, right = 50, 250
    for line in drawn_lines(pdf):
        assert line.x0 >= left - TOLERANCE and line.x1 <= right + TOLERANCE, line


def test_line_filling_never_exceeds_the_room():
    text = "สมัชชาใหญ่แห่งสหประชาชาติรับรองปฏิญญานี้ที่กรุงปารีสเมื่อวันที่ 10 ธันวาคม 1948"
    offsets = [float(i) for i in range(len(text) + 1)]  # one point a character
    lines = fill_lines(text, 0, len(text), offsets, break_opportunities(text, "th"), [True] * (len(text) + 1),
                       lambda n: 12.0)
    assert "".join(text[a:b] for a, b in lines) == text
    for a, b in lines:
        assert len(text[a:b].rstrip()) <= 12
    assert lines[0] == (0, 10)  # "สมัชชาใหญ่": ICU's dictionary word, not 12 letters cut anywhere


def test_korean_words_are_kept_whole_and_thai_is_broken_by_dictionary():
    assert break_opportunities("세계인권선언 채택 75주년", "ko") == [7, 10, 14]  # at the spaces only (and the end)
    assert break_opportunities("ภาษาไทยง่ายนิดเดียว", "th") == [4, 7, 11, 14, 19]  # ภาษา|ไทย|ง่าย|นิด|เดียว


def test_icu_offsets_count_code_points_beyond_the_basic_plane():
    text = "𠀀𠀁 人人生而自由"  # astral ideographs count two UTF-16 units in ICU
    points = break_opportunities(text, "zh")
    assert points[-1] == len(text) and all(0 < p <= len(text) for p in points)
    assert 3 in points  # after "𠀀𠀁 "


def test_chinese_and_japanese_never_start_a_line_with_closing_punctuation(samples):
    for language in ("zh",):
        lines = [line.text for line in drawn_lines(_pdf(samples[language])) if SPACELESS.search(line.text)]
        assert lines
        for text in lines:
            assert text[0] not in "，。、）》」』：；！？", text


# --- (c) copy and search: the words come back --------------------------------------------------


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_pdftotext_finds_95_percent_of_the_words(samples, language):
    _need("pdftotext")
    share, missing = word_share(_page_text(samples[language]), _pdf(samples[language]))
    assert share >= 0.95, (language, f"{share:.1%}", missing[:12])


def test_indic_text_extracts_as_its_own_characters_not_private_use_codes(samples):
    _need("pdftotext")
    text = _normal(pdftotext(_pdf(samples["hi"])))
    assert "क्षत्रिय" in text and "विद्यार्थी" in text and "श्रद्धा" in text
    assert not re.search("[\ue000-\uf8ff]", text)


def test_arabic_extracts_in_logical_order_and_joined_forms_normalise_to_letters(samples):
    _need("pdftotext")
    text = _normal(pdftotext(_pdf(samples["ar"])))
    assert "اعتمدت الجمعية العامة للأمم المتحدة" in text
    assert "Eleanor Roosevelt" in text and "1948" in text


@pytest.mark.skipif(not WORLD.is_dir(), reason="the world fixtures are not there yet")
@pytest.mark.parametrize("language", sorted(p.name for p in WORLD.glob("*") if (p / "publication.yaml").is_file())
                         if WORLD.is_dir() else [])
def test_world_fixture_pdf_lines_stay_inside_the_frame_and_words_come_back(tmp_path, language):
    """Reusable check for the fixtures of tests/fixtures/world/: every line inside the frame, ≥ 95 % of the words."""
    _need("pdftotext")
    report = run_build(WORLD / language, tmp_path / "out", formats=["pdf", "html"])
    assert report.exit_code == 0, [str(p) for p in report.failures]
    pdf = _pdf(tmp_path / "out")
    assert lines_outside_frame(pdf) == []
    share, missing = word_share(_page_text(tmp_path / "out"), pdf)
    assert share >= 0.95, (language, f"{share:.1%}", missing[:12])


# --- (d) fonts embedded, qpdf clean ------------------------------------------------------------------


def test_every_font_is_embedded_and_qpdf_is_clean(samples):
    _need("pdffonts", "qpdf")
    for language, out in samples.items():
        pdf = _pdf(out)
        rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        assert rows, language
        assert all(row.split()[-5] == "yes" for row in rows), (language, rows)  # emb
        assert all(row.split()[-3] == "yes" for row in rows), (language, rows)  # uni: every font has a ToUnicode map
        check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
        assert check.returncode == 0 and "WARNING" not in check.stdout + check.stderr, (language, check.stdout)


# --- mirrored furniture for a right-to-left article ------------------------------------------------


def test_right_to_left_article_is_right_aligned_with_bullets_box_rule_and_footer_mirrored(samples):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTCurve

    left, right = frame_of(THEME.page)
    lines = drawn_lines(_pdf(samples["he"]))
    body = [line for line in lines if "רוזוולט" in line.text or "טלווזור" in line.text]  # the story's lines
    assert body and all(abs(line.x1 - right) < 1.5 for line in body)  # every line ends at the right edge
    bullets = [line for line in lines if "•" in line.text]
    assert bullets and all(line.text.rstrip().endswith("•") for line in bullets)  # bullets on the right
    counter = THEME.labels_for("he").page.split("{")[0].strip()  # "עמוד", drawn in visual order
    footer = [line for line in lines if counter in line.text or counter[::-1] in line.text]
    assert footer and footer[0].x0 < left + 2  # "Page 1 of N" at the left, the publication at the right
    page = next(iter(extract_pages(str(_pdf(samples["he"])))))
    rules = [item for item in page if isinstance(item, LTCurve) and item.width < 4 and item.height > 20]
    assert rules and all(item.x0 > (left + right) / 2 for item in rules)  # the box's accent rule on the right


def test_code_blocks_stay_left_to_right_in_a_right_to_left_article(tmp_path):
    source = _source(tmp_path / "src", "ar", "عنوان", "نص عربي.\n\n```\nprint('hello') # تعليق\n```")
    assert run_build(source, tmp_path / "out", formats=["pdf"]).exit_code == 0
    lines = drawn_lines(_pdf(tmp_path / "out"))
    code = [line for line in lines if line.text.startswith("print(")]
    assert code and code[0].x0 < frame_of(THEME.page)[0] + 10


# --- (e) a Latin article takes the old path and pays nothing ----------------------------------------


def test_latin_text_needs_nothing_more():
    assert not needs_complex("Azərbaycan, Русский, Հայերեն, ქართული, Ελληνικά — “quotes”, 1948 <b>bold</b>")
    for text in ("שלום", "مرحبا", "हिन्दी", "ไทย", "漢字", "한국어", "e\u0301"):
        assert needs_complex(text), text


def test_a_latin_article_loads_neither_bidi_nor_icu_and_draws_no_glyph_subsets(tmp_path):
    code = (
        "import sys\n"
        "sys.path.insert(0, 'tests')\n"
        "from pathlib import Path\n"
        "from conftest import SOURCE, run_build\n"
        f"report = run_build(SOURCE, Path({str(tmp_path / 'out')!r}), formats=['pdf'])\n"
        "assert report.exit_code == 0\n"
        "print(sorted(m for m in ('bidi', 'icu4py.breakers', 'pressrun.exporters.pdf.complex_paragraph') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"
    assert b"LLLLLL+" not in next((tmp_path / "out" / "pdf").glob("*.pdf")).read_bytes()


# --- the traps: fonts mixed in a word, ligatures, bold, links, preflight ----------------------------------


def _context(language: str, body: str) -> tuple[ExportContext, model.Article]:
    pub, (art, *_) = articles_of(FIXTURES / "minimal")
    art = dataclasses.replace(art, language=language, body=(model.Paragraph((model.Text(body),)),))
    return ExportContext(pub, THEME, [art]), art


def test_words_mixing_fonts_and_styles_are_shaped_run_by_run(tmp_path):
    _need("pdftotext")
    pub, (art, *_) = articles_of(FIXTURES / "minimal")
    body = (model.Paragraph((model.Text("हिन्दी।, "), model.Strong((model.Text("मज़बूत"),)), model.Text("पाठ। ירושלים. "),
                             model.Link("https://example.org/x", (model.Text("קישור"),)), model.Text(" office test"))),)
    art = dataclasses.replace(art, language="hi", body=body)
    path = tmp_path / "mixed.pdf"
    path.write_bytes(PdfExporter(ExportContext(pub, THEME, [art])).export_article(art)[0].data)
    text = _normal(pdftotext(path))
    for word in ("हिन्दी", "मज़बूत", "ירושלים", "קישור", "office", "test"):
        assert word in text, word
    assert not re.search("[\ufb00-\ufb06]", text)  # no "ﬀ"/"ﬆ" ligatures in the copied text
    import pypdf

    uris = [a.get_object()["/A"]["/URI"] for p in pypdf.PdfReader(path).pages for a in p.get("/Annots") or []]
    assert "https://example.org/x" in uris  # a link inside a shaped paragraph is still a link


def test_a_character_no_font_has_is_still_a_located_error_in_a_right_to_left_article():
    ctx, art = _context("ar", "مرحبا \ue000 بالعالم")  # a private-use character
    with pytest.raises(ExportError) as caught:
        PdfExporter(ctx).export_article(art)
    [problem] = caught.value.problems
    assert problem.field == "body" and "U+E000" in problem.message


def test_a_long_right_to_left_article_splits_across_pages(tmp_path):
    body = " ".join([SAMPLES["ar"][1]] * 12)
    source = _source(tmp_path / "src", "ar", "عنوان طويل", body)
    report = run_build(source, tmp_path / "out", formats=["pdf"])
    assert report.exit_code == 0, [str(p) for p in report.failures]
    pdf = _pdf(tmp_path / "out")
    pages = {line.page for line in drawn_lines(pdf)}
    assert len(pages) >= 3
    assert lines_outside_frame(pdf) == []


# --- any mix of scripts: laid out, inside the frame ---------------------------------------------------------

MIXES = ("abc XYZ 123 .,;:()[]«»“”-— שלום עולם مرحبا بالعالم لا ً ّ क्षत्रिय हिन्दी ภาษาไทย 漢字、。「」 ខ្មែរ မြန်မာ "
         "\u200d\u200c\u202e\u2066\u2069\u00ad\n ɑ̃ é")


def test_any_mix_of_scripts_is_laid_out_inside_its_frame(tmp_path_factory):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(deadline=None, max_examples=25)
    @given(st.text(alphabet=MIXES, min_size=1, max_size=300), st.sampled_from(["en", "ar", "hi", "th", "zh"]),
           st.sampled_from([40, 120, 300]))
    def check(text, language, width):
        pdf, _ = _render_paragraph(tmp_path_factory.mktemp("mix"), text, language, width)
        outside = [line for line in drawn_lines(pdf) if line.x0 < 50 - TOLERANCE or line.x1 > 50 + width + TOLERANCE]
        assert not outside, outside

    check()
