"""PDF edition (issue 3): read each PDF back with pypdf, pdffonts and qpdf and assert what a reader gets."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import pypdf
import pytest

from conftest import FIXTURES, ROOT, SOURCE, STYLES, articles_of, run_build
from pressrun import model
from pressrun.errors import ExportError
from pressrun.exporters.base import ExportContext
from pressrun.exporters.pdf import PdfExporter
from pressrun.exporters.pdf.fonts import FontRegistry
from pressrun.exporters.pdf.styles import Stacks, Styles, hyphenation_language
from pressrun.exporters.pdf.xmp import pdf_date
from pressrun.model import iter_blocks, iter_inlines
from pressrun.render.outline import table_of_contents
from pressrun.render.plain import plain, plain_blocks
from pressrun.render.textfields import text_fields
from pressrun.render.wording import byline_text
from pressrun.theme import load_theme

LIGATURES = re.compile("[\ufb00-\ufb06]")


def _build(source: Path, out: Path) -> dict[str, Path]:
    report = run_build(source, out, formats=["pdf"])
    assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
    return {p.stem: p for p in (out / "pdf").glob("*.pdf")}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """The seed, kitchen-sink and multilingual PDFs, built once for this module (PDF only)."""
    found: dict[str, Path] = {}
    for name, source in {"seed": SOURCE, "kitchen-sink": FIXTURES / "kitchen-sink",
                         "multilingual": FIXTURES / "multilingual"}.items():
        built = _build(source, tmp_path_factory.mktemp(f"pdf-{name}"))
        assert len(built) == 1, built
        found[name] = next(iter(built.values()))
    return found


def article(name: str) -> tuple[model.Publication, model.Article]:
    publication, articles = articles_of(SOURCE if name == "seed" else FIXTURES / name)
    return publication, articles[0]


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def squash(text: str) -> str:
    """Text without whitespace, hyphens and bidi marks: line breaks, hyphenation and the direction marks the
    extraction puts around a right-to-left phrase (the kitchen sink's Hebrew) must not count."""
    return re.sub(r"[\s\-\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)


def assert_in_order(haystack: str, needles: list[str]) -> None:
    flat, pos = squash(haystack), 0
    for needle in needles:
        found = flat.find(squash(needle), pos)
        assert found >= 0, f"{needle!r} missing or out of order"
        pos = found + len(squash(needle))


def outline_entries(reader: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark, in order."""
    out: list[tuple[int, str, int]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return out


def uris(path: Path) -> list[str]:
    found = []
    for page in pypdf.PdfReader(path).pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot["/Subtype"] == "/Link" and "/A" in annot and "/URI" in annot["/A"]:
                found.append(str(annot["/A"]["/URI"]))
    return found


# --- text and reading order ---------------------------------------------------------------------


def test_seed_text_reads_in_article_order(pdfs):
    _, art = article("seed")
    expected = [art.headline, plain(art.summary), byline_text(art.byline, art.language), *plain_blocks(art.why_this_matters),
                *(plain(t) for t in art.takeaways), *plain_blocks(art.body)]
    assert len(expected) > 10
    assert_in_order(text_of(pdfs["seed"]), expected)


def test_kitchen_sink_text_has_every_part_in_reading_order(pdfs):
    pub, art = article("kitchen-sink")
    text = text_of(pdfs["kitchen-sink"])
    assert_in_order(text, [
        art.headline, plain(art.summary), "Ann Writer and Bo Second", "BAKU", "27 April 2024", "28 April 2024",  # en-GB: CLDR long dates
        art.image.caption, art.image.credit, "Why this matters", *plain_blocks(art.why_this_matters),
        "Key takeaways", *(plain(t) for t in art.takeaways), *plain_blocks(art.body),
        *art.tags, art.rights,
    ])
    # The alt text is no longer printed: it is each Figure's /Alt (test_pdf_tagged.py reads it back).
    assert squash(art.image.alt) not in squash(text)
    assert "Page 1 of 2" in text and "Page 2 of 2" in text  # running footer…
    assert text.count(pub.title) >= 3  # …with the publication name on every page (and the masthead)


def test_test_word_extracts_as_plain_letters_without_ligatures(pdfs):
    for path in pdfs.values():
        text = text_of(path)
        assert not LIGATURES.search(text)
    text = text_of(pdfs["kitchen-sink"])
    assert "the word \u201ctest\u201d" in text  # smart quotes from the shared typography, letters intact
    assert "\u2013" in text  # the en dash


def test_english_text_is_hyphenated_with_pyphen(pdfs):
    assert hyphenation_language("en") == "en" and hyphenation_language("en-GB") == "en_GB"
    assert hyphenation_language("az") == ""  # no pyphen dictionary: lines break at spaces only
    _, art = article("seed")
    words = set(re.findall(r"\w+", " ".join(plain_blocks(art.body) + plain_blocks(art.why_this_matters))))
    lines = text_of(pdfs["seed"]).splitlines()
    broken = [a.split()[-1][:-1] + b.split()[0] for a, b in zip(lines, lines[1:])
              if a.endswith("-") and a.split() and b.split()]
    # a word split by hyphenation joins back into a word of the article that has no hyphen of its own
    assert any(re.sub(r"\W+$", "", w) in words for w in broken), broken


# --- metadata -------------------------------------------------------------------------------------


def test_metadata_from_the_article(pdfs):
    pub, art = article("kitchen-sink")
    reader = pypdf.PdfReader(pdfs["kitchen-sink"])
    meta = reader.metadata
    assert meta.title == art.headline
    assert meta.author == "Ann Writer, Bo Second"
    assert meta.subject == plain(art.summary) == "The standfirst with strong text, code and a link."
    assert meta["/Keywords"] == "Testing, Fixtures, Caucasus"
    assert "pressrun" in meta.creator and "pressrun" in meta.producer
    assert "anonymous" not in str(dict(meta)).lower() and "untitled" not in str(dict(meta)).lower()
    # dates come from the article, never from the clock
    assert meta["/CreationDate"] == pdf_date(art.published) == "D:20240427143000+04'00'"
    assert meta["/ModDate"] == pdf_date(art.updated) == "D:20240428090000+00'00'"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert xmp.dc_title == {"x-default": art.headline}
    assert xmp.dc_creator == ["Ann Writer", "Bo Second"]
    assert xmp.dc_language == ["en-GB"]
    assert xmp.dc_subject == ["Testing", "Fixtures", "Caucasus"]


def test_language_of_each_document(pdfs):
    for name, lang in (("seed", "en"), ("multilingual", "az")):
        assert pypdf.PdfReader(pdfs[name]).trailer["/Root"]["/Lang"] == lang


# --- navigation -----------------------------------------------------------------------------------


def test_outline_follows_the_table_of_contents(pdfs):
    pub, art = article("kitchen-sink")
    reader = pypdf.PdfReader(pdfs["kitchen-sink"])
    entries = outline_entries(reader)
    toc = table_of_contents(art, load_theme(STYLES).labels_for("en"))
    assert [title for _, title, _ in entries] == [e.title for e in toc]
    assert [d for d, _, _ in entries] == [0, 1, 1, 1, 2, 3]  # headline, then sections, then nested headings
    pages = [p for _, _, p in entries]
    assert pages == sorted(pages) and pages[-1] > 0  # in order, and body headings point at later pages
    # each heading's bookmark lands on the page where the heading is printed (kept with its next paragraph)
    for _, title, page in entries[3:]:
        assert title in reader.pages[page].extract_text()


def test_seed_outline(pdfs):
    entries = outline_entries(pypdf.PdfReader(pdfs["seed"]))
    _, art = article("seed")
    assert [t for _, t, _ in entries] == [art.headline, "Why this matters", "Key takeaways"]


def test_every_link_is_a_clickable_annotation_with_an_absolute_uri(pdfs):
    pub, art = article("kitchen-sink")
    page_url = pub.url(art.page_path)
    rich = [art.summary, *art.takeaways]
    rich += [b.children for b in iter_blocks(art.why_this_matters + art.body) if isinstance(b, (model.Paragraph, model.Heading))]
    expected = [urljoin(page_url, n.href) for r in rich for n in iter_inlines(r) if isinstance(n, model.Link)]
    assert "https://gazette.example.com/articles/other-page.html" in expected  # the relative link, resolved
    assert set(uris(pdfs["kitchen-sink"])) == set(expected)
    assert all(u.startswith("https://") for u in uris(pdfs["kitchen-sink"]))


# --- fonts ----------------------------------------------------------------------------------------


def fonts_of(path: Path) -> list[dict]:
    found = []
    for page in pypdf.PdfReader(path).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            found.append(font.get_object())
    return found


def test_every_font_is_an_embedded_truetype(pdfs):
    for name, path in pdfs.items():
        fonts = fonts_of(path)
        assert fonts, name
        for font in fonts:
            assert font["/Subtype"] == "/TrueType", (name, font["/BaseFont"])
            assert "/FontFile2" in font["/FontDescriptor"], (name, font["/BaseFont"])
            assert "Helvetica" not in font["/BaseFont"]
        assert b"Helvetica" not in path.read_bytes()


def test_bold_and_italic_use_their_own_font_files(pdfs):
    names = {str(f["/BaseFont"]).split("+")[-1] for f in fonts_of(pdfs["kitchen-sink"])}
    assert {"DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic", "DejaVuSerif-BoldItalic",
            "DejaVuSans-Bold", "DejaVuSansMono"} <= names


def test_pdffonts_lists_only_embedded_fonts(pdfs):
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (poppler-utils) is not installed")
    for path in pdfs.values():
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = out.splitlines()[2:]
        assert rows
        for row in rows:
            emb = row.split()[-5]  # columns: name type encoding emb sub uni object ID
            assert emb == "yes", row


def test_qpdf_check_is_clean(pdfs):
    if not shutil.which("qpdf"):
        pytest.skip("qpdf is not installed")
    for path in pdfs.values():
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No syntax or stream encoding errors" in result.stdout
        assert "WARNING" not in result.stdout + result.stderr


# --- scripts, fallback and preflight ---------------------------------------------------------------


def test_multilingual_every_character_is_extractable(pdfs):
    _, art = article("multilingual")
    text = text_of(pdfs["multilingual"])
    fields = list(text_fields(art))
    wanted = {c for f in fields for c in f.text if not c.isspace()}
    assert {"ə", "ğ", "ş", "ı", "İ", "щ", "Խ", "ქ", "λ"} <= wanted  # the fixture has every script
    assert wanted - set(text) == set()
    for f in fields:  # and as whole words, in their fields
        for word in f.text.split():
            assert squash(word) in squash(text), (f.field, word)


def _context(source: Path) -> tuple[ExportContext, model.Article]:
    pub, articles = articles_of(source)
    return ExportContext(pub, load_theme(STYLES), articles), articles[0]


def test_a_character_missing_from_the_first_font_falls_back_to_the_next(tmp_path):
    ctx, art = _context(FIXTURES / "minimal")
    # U+263A WHITE SMILING FACE: in DejaVu Sans, not in DejaVu Serif (the body stack's first font)
    art = dataclasses.replace(art, body=(model.Paragraph((model.Text("Serif text \u263a then serif again."),)),))
    path = tmp_path / "fallback.pdf"
    path.write_bytes(PdfExporter(ctx).export_article(art)[0].data)
    assert "Serif text \u263a then serif again." in text_of(path)
    assert "DejaVuSans" in {str(f["/BaseFont"]).split("+")[-1] for f in fonts_of(path)}


@pytest.mark.parametrize("field", ["image.caption", "image.alt", "tags", "takeaways", "headline"])
def test_preflight_names_the_field_character_and_code_point(field):
    ctx, art = _context(FIXTURES / "kitchen-sink")
    bad = "\U00020000"  # CJK Extension B: no bundled font has it
    changes = {
        "image.caption": {"image": dataclasses.replace(art.image, caption=f"A {bad} caption")},
        "image.alt": {"image": dataclasses.replace(art.image, alt=f"An {bad} alt")},
        "tags": {"tags": ("Fine", bad)},
        "takeaways": {"takeaways": ((model.Text(f"One {bad}"),),)},
        "headline": {"headline": f"Head {bad}"},
    }[field]
    with pytest.raises(ExportError) as caught:
        PdfExporter(ctx).export_article(dataclasses.replace(art, **changes))
    [problem] = caught.value.problems
    assert problem.field == field
    assert problem.path == str(art.source_path)
    assert f"'{bad}' (U+20000) is not covered by any font of the" in problem.message
    assert "DejaVu Sans" in problem.message


def test_uncovered_character_fails_the_build_with_a_located_message_and_no_pdf(tmp_path):
    out = tmp_path / "out"
    report = run_build(FIXTURES / "pdf-uncovered", out, formats=["pdf"])
    assert report.exit_code == 1
    [message] = [str(p) for p in report.failures]
    # located: the article file, the field, the character and its code point, and the stack that lacks it
    assert message.endswith(
        "pdf-uncovered/uncovered.md: body: character '\U00020000' (U+20000) is not covered by any font of the body stack "
        "(DejaVu Serif, DejaVu Sans and 26 script fonts)"
    ), message
    assert not list(out.rglob("*.pdf"))


# --- page setup, reproducibility, imports ---------------------------------------------------------


def test_page_size_comes_from_the_theme(tmp_path, pdfs):
    a4 = pypdf.PdfReader(pdfs["seed"]).pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)
    styles = tmp_path / "styles"
    shutil.copytree(STYLES, styles)
    theme = styles / "theme.yaml"
    theme.write_text(theme.read_text().replace("size: A4", "size: Letter"))
    report = run_build(FIXTURES / "minimal", tmp_path / "out", formats=["pdf"], styles=styles)
    assert report.exit_code == 0, report.failures
    [path] = (tmp_path / "out" / "pdf").glob("*.pdf")
    letter = pypdf.PdfReader(path).pages[0].mediabox
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)


def test_two_builds_give_identical_bytes(tmp_path, pdfs):
    again = _build(FIXTURES / "kitchen-sink", tmp_path / "again")
    first = pdfs["kitchen-sink"].read_bytes()
    assert again["kitchen-sink"].read_bytes() == first
    assert b"/CreationDate (D:20240427143000+04'00')" in first


def test_reportlab_is_not_imported_by_the_cli():
    code = (
        "import sys\n"
        "from pressrun import cli, registry\n"
        "import pressrun.exporters.pdf\n"
        "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('reportlab' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_every_style_avoids_widows_orphans_and_helvetica():
    from reportlab.pdfbase.pdfmetrics import getFont
    from reportlab.pdfbase.ttfonts import TTFont

    theme = load_theme(STYLES)
    styles = Styles(theme, Stacks.of(FontRegistry(), theme), "en")
    all_styles = [v for v in vars(styles).values() if type(v).__name__ == "ParagraphStyle"]
    all_styles += list(styles.headings.values())
    assert len(all_styles) > 15
    for style in all_styles:
        assert (style.allowWidows, style.allowOrphans) == (0, 0), style.name
        for font in (style.fontName, style.bulletFontName):
            assert isinstance(getFont(font), TTFont), (style.name, font)
    assert all(h.keepWithNext for h in styles.headings.values())
    assert styles.body.hyphenationLang == "en"


def test_quotes_figures_and_code_inside_list_items_are_laid_out(tmp_path):
    """Found by the property tests: an Indenter inside a list item crashed reportlab."""
    from pypdf import PdfReader

    source = tmp_path / "src"
    source.mkdir()
    (source / "publication.yaml").write_text("title: T\nbase_url: https://t.example.com/\nlanguage: en\ndescription: D\nauthor: A\n")
    (source / "a.md").write_text(
        "---\nheadline: H\nsummary: S\npublished: 2024-01-01\n---\nText.\n\n"
        "- item\n\n  ```\n  code line\n  ```\n\n  > quoted in a list\n  > > nested quote\n\n> quote with\n> - a list\n"
    )
    report = run_build(source, tmp_path / "out", ["pdf"])
    assert report.exit_code == 0, report.failures
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "out" / "pdf" / "a.pdf").pages)
    for words in ("code line", "quoted in a list", "nested quote", "quote with", "a list"):
        assert words in text


def test_the_hyphenation_cache_stays_bounded_over_a_long_build():
    """pyphen remembers every word it hyphenates; the exporter empties a full cache after an article."""
    import pyphen

    from pressrun.exporters.pdf.styles import HYPHENATION_CACHE_WORDS, trim_hyphenation_cache

    dictionary = pyphen.Pyphen(lang="en_GB")
    dictionary.inserted("newsroom")
    cache = dictionary.hd.cache  # the dictionary shared through pyphen.hdcache
    assert "newsroom" in cache
    trim_hyphenation_cache()
    assert "newsroom" in cache  # a small cache is kept
    cache.update({f"word{n}": [] for n in range(HYPHENATION_CACHE_WORDS + 1)})
    trim_hyphenation_cache()
    assert len(cache) == 0
    assert dictionary.inserted("newsroom") == "news-room"  # and works as before


# --- layout that must finish (issue 12) ------------------------------------------------------------

HANG_URL = ("https://roads.example.gov/reports/2024/northern-pass/reconstruction/programme/winter-schedule/"
            "culverts-retaining-walls-and-paving/progress-report-january-2024/annex-b-figures-by-section-and-contractor/"
            "table-3")
BUDGET = 20  # seconds per export: a regression is a located failure of the build, never a hung test run


def test_a_list_item_ending_in_a_heading_before_another_list_is_laid_out(tmp_path):
    """Found by the property tests: reportlab tried the heading's keep-with-next on page 2 for ever.

    The list crosses a page break, so its items are laid out one by one; the last one ends in a
    heading (kept with next) and the next flowable is another list, which cannot be kept with it.
    """
    out = tmp_path / "out"
    report = run_build(FIXTURES / "pdf-hang", out, ["pdf"], export_timeout=BUDGET)
    assert report.exit_code == 0, [str(p) for p in report.failures]
    path = out / "pdf" / "roads.pdf"
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == 2  # the first list does cross the page break (what made reportlab loop)
    text = text_of(path)
    assert_in_order(text, ["Where the figures come from:", HANG_URL,
                           "The full progress report is published by the regional roads authority."])
    assert HANG_URL in uris(path)  # the heading is still a working link


def test_a_layout_that_stops_moving_is_a_located_failure_not_a_hang(tmp_path, monkeypatch):
    """The guard behind the fix: undo the fix (reportlab's own keep-with-next, unreleased), and the same article
    fails fast with a located error."""
    from reportlab.platypus import BaseDocTemplate

    from pressrun.exporters.pdf import document

    monkeypatch.setattr(document.ArticleDoc, "handle_keepWithNext", BaseDocTemplate.handle_keepWithNext)
    out = tmp_path / "out"
    report = run_build(FIXTURES / "pdf-hang", out, ["pdf"], export_timeout=BUDGET, keep_going=True)
    assert report.exit_code == 1
    [message] = [str(p) for p in report.failures]
    assert message.endswith("pdf-hang/roads.md: body: the PDF page layout failed (the layout made no progress "
                            "on page 2); report this article as a bug"), message
    assert not list(out.rglob("*.pdf"))


def test_an_empty_list_item_keeps_its_number(tmp_path):
    """reportlab's list crashed on an item with nothing in it (a lone "1.")."""
    source = tmp_path / "src"
    shutil.copytree(FIXTURES / "minimal", source)
    [article_file] = source.glob("*.md")
    article_file.write_text(article_file.read_text() + "\nThe steps:\n\n1.\n\nAfter the list.\n")
    report = run_build(source, tmp_path / "out", ["pdf"], export_timeout=BUDGET)
    assert report.exit_code == 0, [str(p) for p in report.failures]
    [path] = (tmp_path / "out" / "pdf").glob("*.pdf")
    lines = text_of(path).splitlines()
    assert lines[lines.index("The steps:"):][:3] == ["The steps:", "1.", "After the list."]  # the number on a line of its own


def test_a_split_heading_has_no_gap_between_its_pieces():
    """keepWithNext keeps a long heading's pieces together; reportlab would open a space-before gap between them."""
    from pressrun.exporters.pdf.layout import Heading

    theme = load_theme(STYLES)
    styles = Styles(theme, Stacks.of(FontRegistry(), theme), "en")
    h3 = styles.headings[3]
    heading = Heading(" ".join(["Reconstruction"] * 40), h3)
    _, height = heading.wrap(300, 10_000)
    first, second = heading.split(300, height / 2)
    assert (first.getSpaceBefore(), first.getSpaceAfter()) == (h3.spaceBefore, 0)
    assert (second.getSpaceBefore(), second.getSpaceAfter()) == (0, h3.spaceAfter)


# --- the outline's parts, lists, and no hidden state (issue 13) ----------------------------------


def _article_source(tmp_path: Path, body: str, name: str = "src") -> Path:
    source = tmp_path / name
    source.mkdir()
    (source / "publication.yaml").write_text("title: T\nbase_url: https://t.example.com/\nlanguage: en\ndescription: D\nauthor: A\n")
    (source / "a.md").write_text(f"---\nheadline: H\nsummary: S\npublished: 2024-01-01\n---\n{body}")
    return source


def baselines(path: Path) -> dict[str, float]:
    """The baseline (y, from the page's foot) of the first line starting with each word on page 1."""
    found: dict[str, float] = {}

    def visit(text: str, cm: list, tm: list, font: object, size: float) -> None:
        if text.strip():
            found.setdefault(text.strip().split()[0], cm[5] + tm[5])

    pypdf.PdfReader(path).pages[0].extract_text(visitor_text=visit)
    return found


def test_a_loose_list_is_spaced_like_paragraphs_and_a_tight_one_stays_compact(tmp_path):
    """CommonMark decides per list: items separated by a blank line make the whole list loose."""
    gaps = {}
    for kind, items in (("tight", "- Alpha\n- Bravo\n- Charlie\n"), ("loose", "- Alpha\n\n- Bravo\n- Charlie\n")):
        source = _article_source(tmp_path, f"Before.\n\n{items}\nAfter.\n", kind)
        report = run_build(source, tmp_path / f"out-{kind}", ["pdf"])
        assert report.exit_code == 0, [str(p) for p in report.failures]
        y = baselines(tmp_path / f"out-{kind}" / "pdf" / "a.pdf")
        gaps[kind] = (y["Alpha"] - y["Bravo"], y["Bravo"] - y["Charlie"])
    styles = Styles(load_theme(STYLES), Stacks.of(FontRegistry(), load_theme(STYLES)), "en")
    leading = styles.item.leading
    assert gaps["tight"] == pytest.approx((leading + styles.item.spaceAfter,) * 2, abs=0.01)
    assert gaps["loose"] == pytest.approx((leading + styles.body.spaceAfter,) * 2, abs=0.01)  # every item, as a whole


def test_links_to_every_part_anchor_stay_inside_the_pdf(tmp_path):
    """Every anchor of the outline is a real destination, the body's ("story") too: "#x" links jump to it."""
    from pressrun import outline

    kitchen = FIXTURES / "kitchen-sink"
    _, (art,) = articles_of(kitchen)
    names = sorted(a for a in outline.anchors(art) if a in {t.anchor for t in outline.PART_TYPES})
    assert "story" in names and "lead-image" in names
    ctx, art = _context(kitchen)
    links = tuple(node for name in names for node in (model.Link(f"#{name}", (model.Text(name),)), model.Text(" ")))
    art = dataclasses.replace(art, body=(model.Paragraph(links), *art.body))
    path = tmp_path / "links.pdf"
    path.write_bytes(PdfExporter(ctx).export_article(art)[0].data)
    reader = pypdf.PdfReader(path)
    dests = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if "/Dest" in annot:
                dests.append(annot["/Dest"])
    assert len(dests) == len(names)  # an internal jump each, none turned into a web address
    assert not [u for u in uris(path) if "#" in u]


def test_a_character_the_layout_cannot_set_is_reported_against_its_own_field():
    """The field travels with the text (markup.at(field)): no attribute set on the markup before each call."""
    from pressrun.exporters.pdf.document import frame_width
    from pressrun.exporters.pdf.layout import ArticleLayout
    from pressrun.exporters.pdf.markup import Markup

    ctx, art = _context(FIXTURES / "kitchen-sink")
    bad = "\U00020000"  # CJK Extension B: no bundled font has it
    art = dataclasses.replace(art, image=dataclasses.replace(art.image, credit=f"{bad} Agency"),
                              tags=(*art.tags, f"T{bad}"), body=(model.Paragraph((model.Text(f"B{bad}"),)), *art.body))
    theme = ctx.theme
    stacks = Stacks.of(FontRegistry(), theme)
    markup = Markup(str(art.source_path), "https://x.example/a.html", set(), stacks.code, theme.colors.link)
    ArticleLayout(theme.labels_for("en"), Styles(theme, stacks, "en"), markup, frame_width(theme.page), {}).article(art, "Title")
    assert [p.field for p in markup.problems] == ["image.credit", "body", "tags"]  # in reading order
    with pytest.raises(ExportError):
        markup.check()


def test_the_environment_decides_nothing_and_is_left_alone(monkeypatch):
    """The /ID and dates come from the article: SOURCE_DATE_EPOCH neither changes the bytes nor is set by a render."""
    import os

    ctx, art = _context(FIXTURES / "minimal")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    plain_bytes = PdfExporter(ctx).render(art)
    assert "SOURCE_DATE_EPOCH" not in os.environ
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert PdfExporter(ctx).render(art) == plain_bytes
    assert os.environ["SOURCE_DATE_EPOCH"] == "86400"


def test_font_registries_share_reportlab_s_registration():
    """Each exporter owns its registry; a font file reportlab already has is not registered a second time."""
    from reportlab.pdfbase.pdfmetrics import getRegisteredFontNames

    theme = load_theme(STYLES)
    first = Stacks.of(FontRegistry(), theme)
    registered = set(getRegisteredFontNames())
    second = Stacks.of(FontRegistry(), theme)
    assert set(getRegisteredFontNames()) == registered
    assert second.body.faces == first.body.faces and second.body is not first.body


def test_bookmark_levels_never_skip():
    from pressrun.exporters.pdf.marks import bookmarks
    from pressrun.render.outline import TocEntry

    entries = [TocEntry(level, f"t{n}", f"a{n}") for n, level in enumerate((1, 2, 4, 2, 3, 4))]
    assert [b.depth for b in bookmarks(entries).values()] == [0, 1, 2, 1, 2, 3]
