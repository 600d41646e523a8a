"""The Word file speaks the article's language (issue 15).

Small sources are written here and built as a build would: an Arabic article with an English phrase marked
(``[…]{lang=en}``), a Russian article with an English and an Azerbaijani phrase, an English article greeting
in Hebrew (``[שלום עליכם]{lang=he}``) and a Japanese one under a theme that overrides a single label. The
documents are read back with python-docx and lxml: labels and long dates in the language (the dates equal
Babel's CLDR long form), no English label, a footer whose PAGE and NUMPAGES are real fields inside the
localised words, phrases whose runs name their language in Word's slot for it, furniture mirrored for
right-to-left, and schema validity. LibreOffice then lays two of them out: the Arabic rule on the right, the
Hebrew greeting in the family that sets Hebrew, in reading order.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from babel.dates import format_date
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from conftest import STYLES, run_build
from pressrun import model, outline
from pressrun.labels import Labels
from pressrun.theme import load_theme

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

ARABIC = """---
headline: "الإعلان العالمي لحقوق الإنسان في طبعة مدرسية جديدة"
summary: >-
  صدرت في بيروت طبعة جديدة من الإعلان العالمي لحقوق الإنسان، موجّهة إلى طلاب المدارس.
byline: ["ليلى حسن", "عمر خالد"]
published: 2024-04-27T10:00:00+03:00
updated: 2024-04-28T09:00:00+03:00
language: ar
slug: ilan
section: "مجتمع"
why_this_matters: >-
  يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق. وقد وهبوا عقلاً وضميرًا وعليهم أن يعامل بعضهم بعضًا
  بروح الإخاء.
takeaways:
  - "لكل فرد الحق في الحياة والحرية وسلامة شخصه."
  - "لا يجوز استرقاق أو استعباد أي شخص."
---
تنص المادة الثانية على أن «لكل إنسان حق التمتع بكافة الحقوق والحريات الواردة في هذا الإعلان، دون أي تمييز».
وقد اعتُمد الإعلان عام 1948، وعنوانه بالإنجليزية [Universal Declaration of Human Rights]{lang=en}.

- لكل فرد الحق في حرية التفكير والضمير والدين.
- الناس جميعًا سواء أمام القانون.

> لا يعرض أي إنسان للتعذيب ولا للعقوبات أو المعاملات القاسية.

```
curl https://example.org/udhr.txt
```

لكل شخص الحق في التعليم.
"""

RUSSIAN = """---
headline: "Всеобщая декларация прав человека вышла в новом школьном издании"
summary: >-
  В Баку представили новое издание декларации на русском языке для школьных библиотек.
byline: ["Анна Смирнова", "Олег Петров"]
published: 2024-04-27T10:00:00+04:00
updated: 2024-04-28T09:00:00+04:00
language: ru
slug: deklaratsiya
section: "Общество"
why_this_matters: >-
  Все люди рождаются свободными и равными в своем достоинстве и правах. Они наделены разумом и совестью и
  должны поступать в отношении друг друга в духе братства.
takeaways:
  - "Каждый человек имеет право на жизнь, на свободу и на личную неприкосновенность."
  - "Никто не должен содержаться в рабстве или в подневольном состоянии."
---
Статья 19 гласит: «Каждый человек имеет право на свободу убеждений и на свободное выражение их». Декларацию
приняли в 1948 году; по-английски она называется [Universal Declaration of Human Rights]{lang=en}, а
по-азербайджански — [İnsan hüquqları haqqında ümumi bəyannamə]{lang=az}.
"""

ENGLISH = """---
headline: "An old greeting at the signing"
summary: The delegates were welcomed in three languages.
byline: ["Ann Writer"]
published: 2024-04-27T10:00:00+01:00
language: en
slug: greeting
why_this_matters: >-
  All human beings are born free and equal in dignity and rights.
takeaways:
  - Everyone has the right to life, liberty and security of person.
---
The envoy greeted the delegates with [שלום עליכם]{lang=he} and then read the first article of the declaration.

Everyone is entitled to all the rights and freedoms set forth in this Declaration, without distinction of any kind.
"""

JAPANESE = """---
headline: "世界人権宣言の新しい学校版"
summary: 学校図書館向けに、世界人権宣言の新しい版が発行された。
byline: ["山田花子"]
published: 2024-04-27T10:00:00+09:00
language: ja
slug: sengen
why_this_matters: >-
  すべての人間は、生れながらにして自由であり、かつ、尊厳と権利とについて平等である。
takeaways:
  - すべて人は、生命、自由及び身体の安全に対する権利を有する。
---
何人も、奴隷にされ、又は苦役に服することはない。
"""

PUBLICATIONS = {
    "ar": ("نشرة الحقوق", "ar", "Asia/Beirut"),
    "ru": ("Правовой вестник", "ru", "Asia/Baku"),
    "en": ("The Rights Desk", "en", "Europe/London"),
    "ja": ("人権通信", "ja", "Asia/Tokyo"),
}
ARTICLES = {"ar": ARABIC, "ru": RUSSIAN, "en": ENGLISH, "ja": JAPANESE}
JAPANESE_PAGE = "{pages} ページ中 {page} ページ"  # the theme's override: the total first, as Japanese says it
ENGLISH_LABELS = Labels()


def write_source(folder: Path, key: str, publication: tuple[str, str, str] | None = None) -> Path:
    """A one-article source folder for ``key`` (its publication in the same language unless given)."""
    title, language, zone = publication or PUBLICATIONS[key]
    folder.mkdir(parents=True)
    (folder / "publication.yaml").write_text(
        f'title: "{title}"\nbase_url: https://{key}.example.org/\nlanguage: {language}\n'
        f'description: "A desk."\ntimezone: {zone}\nauthor: "Desk"\n', encoding="utf-8")
    (folder / "article.md").write_text(ARTICLES[key], encoding="utf-8")
    return folder


def japanese_theme(root: Path) -> Path:
    """The project's theme with one label overridden for Japanese (no code change needed)."""
    styles = root / "styles"
    shutil.copytree(STYLES, styles)
    theme = styles / "theme.yaml"
    text = theme.read_text(encoding="utf-8")
    assert "\nlabels: {}\n" in text, "the theme's labels section moved: update the test"
    theme.write_text(text.replace("\nlabels: {}\n", f'\nlabels:\n  ja:\n    page: "{JAPANESE_PAGE}"\n'), encoding="utf-8")
    return styles


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Each article's DOCX, built as ``pressrun build --format docx`` builds it."""
    root = tmp_path_factory.mktemp("l10n-docx")
    out: dict[str, Path] = {}
    for key in ARTICLES:
        styles = japanese_theme(root / "ja-theme") if key == "ja" else STYLES
        report = run_build(write_source(root / f"src-{key}", key), root / f"out-{key}", formats=["docx"], styles=styles)
        assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
        (out[key],) = (root / f"out-{key}" / "docx").glob("*.docx")
    return out


def part(docx: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(docx) as z:
        return etree.fromstring(z.read(name))


def styled(docx: Path) -> list[tuple[str | None, str]]:
    """(style id, text) of every body paragraph."""
    out = []
    for p in Document(str(docx)).paragraphs:
        ppr = p._p.pPr
        out.append((ppr.style if ppr is not None else None, p.text))
    return out


def all_text(docx: Path, parts: str = "document|header\\d*|footer\\d*") -> str:
    """The text the reader sees (``w:t``, not field codes) of the body, headers and footers."""
    with zipfile.ZipFile(docx) as z:
        names = [n for n in z.namelist() if re.fullmatch(rf"word/({parts})\.xml", n)]
        return "\n".join("".join(t.text or "" for t in etree.fromstring(z.read(n)).iter(qn("w:t"))) for n in names)


def labels_of(language: str) -> Labels:
    return load_theme(STYLES).labels_for(language)


def byline_label(language: str, authors: int) -> str:
    """The label pressrun's outline prints before ``authors`` names ("Авторы" before two)."""
    names = tuple(model.Author(name=f"N{i}") for i in range(authors))
    return getattr(labels_of(language), outline.Byline(names, language).label)


# --- labels and dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language, locale, authors, names", [
    ("ar", "ar", 2, "ليلى حسن وعمر خالد"),  # CLDR: the conjunction joins the last name
    ("ru", "ru", 2, "Анна Смирнова и Олег Петров"),
])
def test_labels_and_long_dates_are_the_articles_language(built, language, locale, authors, names):
    labels = labels_of(language)
    assert labels.why_this_matters != ENGLISH_LABELS.why_this_matters  # the catalogue has the language
    paragraphs = styled(built[language])
    by_style: dict[str | None, list[str]] = {}
    for style, text in paragraphs:
        by_style.setdefault(style, []).append(text)
    assert by_style["WhyThisMattersHeading"] == [labels.why_this_matters]
    assert by_style["KeyTakeawaysHeading"] == [labels.takeaways]
    (byline,) = by_style["Byline"]
    assert byline == f"{byline_label(language, authors)} {names}"
    published = format_date(date(2024, 4, 27), format="long", locale=locale)
    updated = format_date(date(2024, 4, 28), format="long", locale=locale)
    assert by_style["Date"] == [f"{labels.published} {published}", f"{labels.updated} {updated}"]


@pytest.mark.parametrize("language", ["ar", "ru", "ja"])
def test_no_english_label_anywhere_in_the_document(built, language):
    text = all_text(built[language])
    english = [ENGLISH_LABELS.why_this_matters, ENGLISH_LABELS.takeaways, ENGLISH_LABELS.published,
               ENGLISH_LABELS.updated, ENGLISH_LABELS.downloads]
    assert not [label for label in english if label.casefold() in text.casefold()], text
    assert not [p for _, p in styled(built[language]) if p.startswith(f"{ENGLISH_LABELS.by} ")]
    footer = all_text(built[language], r"footer\d*")
    assert "Page" not in footer and " of " not in footer, footer


def test_a_russian_byline_of_one_name_takes_the_singular_label():
    """The outline's choice, as the DOCX prints it: "Автор" before one name, "Авторы" before several."""
    assert byline_label("ru", 1) == labels_of("ru").by
    assert byline_label("ru", 2) == getattr(labels_of("ru"), "by_several", labels_of("ru").by)


# --- the footer: the localised words around real fields ----------------------------------------------------


def footer_pieces(docx: Path) -> list[tuple[str, str]]:
    """The footer paragraph as ("text", words) and ("field", instruction) pieces, in order."""
    (p,) = Document(str(docx)).sections[0].footer.paragraphs
    pieces: list[tuple[str, str]] = []
    depth, instruction = 0, ""
    for r in p._p.iter(qn("w:r")):
        for child in r:
            kind = child.get(qn("w:fldCharType"))
            if kind == "begin":
                depth, instruction = depth + 1, ""
            elif kind == "end":
                depth -= 1
                pieces.append(("field", instruction.strip()))
            elif child.tag == qn("w:instrText"):
                instruction += child.text or ""
            elif child.tag == qn("w:t") and depth == 0:
                if pieces and pieces[-1][0] == "text":
                    pieces[-1] = ("text", pieces[-1][1] + (child.text or ""))
                else:
                    pieces.append(("text", child.text or ""))
    return pieces


def expected_pieces(label: str) -> list[tuple[str, str]]:
    fields = {"{page}": "PAGE", "{pages}": "NUMPAGES"}
    return [("field", fields[piece]) if piece in fields else ("text", piece)
            for piece in re.split(r"(\{pages?\})", label) if piece]


@pytest.mark.parametrize("language, label", [
    ("ar", None), ("ru", None), ("ja", JAPANESE_PAGE),
])
def test_footer_holds_page_and_numpages_fields_inside_the_localised_words(built, language, label):
    label = label or labels_of(language).page
    assert label != ENGLISH_LABELS.page
    pieces = footer_pieces(built[language])
    assert pieces == expected_pieces(label)
    assert {value for kind, value in pieces if kind == "field"} == {"PAGE", "NUMPAGES"}
    (p,) = Document(str(built[language])).sections[0].footer.paragraphs
    assert p.text == label.format(page=1, pages=1)  # the fields' results, until Word or LibreOffice update them


def test_a_theme_overriding_one_label_changes_only_that_label(built):
    """Japanese under a theme that overrides only ``page``: the footer's total comes first, the other labels are
    the shipped catalogue's."""
    assert footer_pieces(built["ja"])[0] == ("field", "NUMPAGES")
    headings = [text for style, text in styled(built["ja"]) if style == "WhyThisMattersHeading"]
    assert headings == [labels_of("ja").why_this_matters]


# --- phrases in other languages ----------------------------------------------------------------------------


def runs(docx: Path) -> list[tuple[str, dict[str, str], set[str]]]:
    """(text, w:lang attributes, rPr children) of every text run of the body."""
    out = []
    for r in part(docx, "word/document.xml").iter(qn("w:r")):
        text = "".join(t.text or "" for t in r.iter(qn("w:t")))
        rpr = r.find(qn("w:rPr"))
        lang = rpr.find(qn("w:lang")) if rpr is not None else None
        attrs = {etree.QName(k).localname: v for k, v in lang.attrib.items()} if lang is not None else {}
        kids = {etree.QName(c).localname for c in rpr} if rpr is not None else set()
        if text:
            out.append((text, attrs, kids))
    return out


def test_a_hebrew_phrase_in_english_names_hebrew_in_the_bidi_slot_and_reads_right_to_left(built):
    found = runs(built["en"])
    (hebrew,) = [r for r in found if r[0] == "שלום עליכם"]
    assert hebrew[1] == {"val": "he", "bidi": "he"}  # Word reads a Hebrew letter's language in w:bidi
    assert "rtl" in hebrew[2]
    assert not [r for r in found if r[0] != "שלום עליכם" and r[1]]  # the English around it names nothing
    # Its font: the complex-script family the styles name is the theme's first body family that sets Hebrew.
    from pressrun.exporters.docx.scripts import codepoints

    fonts = part(built["en"], "word/styles.xml").find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr/{{{W}}}rFonts")
    hebrew_points = {ord(c) for c in "שלום עליכם" if c != " "}
    family = next(f for f in load_theme(STYLES).stack("body") if hebrew_points <= codepoints(f.regular))
    assert fonts.get(qn("w:cs")) == family.name


@pytest.mark.parametrize("language, phrase, tag", [
    ("ar", "Universal Declaration of Human Rights", "en"),
    ("ru", "Universal Declaration of Human Rights", "en"),
    ("ru", "İnsan hüquqları haqqında ümumi bəyannamə", "az"),
])
def test_a_latin_phrase_names_its_language_in_the_val_slot_and_stays_left_to_right(built, language, phrase, tag):
    (run,) = [r for r in runs(built[language]) if r[0] == phrase]
    assert run[1] == {"val": tag} and "rtl" not in run[2]


def test_the_header_names_the_publication_in_the_publications_language(tmp_path):
    """An Arabic article of a Baku desk: the header's "Qafqaz Xəbərləri" is Azerbaijani, and says so; the footer's
    words are the article's (Arabic), in the footer style's language."""
    source = write_source(tmp_path / "src", "ar", ("Qafqaz Xəbərləri", "az", "Asia/Baku"))
    report = run_build(source, tmp_path / "out", formats=["docx"])
    assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
    (docx,) = (tmp_path / "out" / "docx").glob("*.docx")
    with zipfile.ZipFile(docx) as z:
        header = etree.fromstring(z.read("word/header1.xml"))
    (lang,) = header.iter(qn("w:lang"))
    assert dict(lang.attrib) == {qn("w:val"): "az"}
    assert footer_pieces(docx) == expected_pieces(labels_of("ar").page)
    # An en-GB article of an ``en`` desk: the same language, so the header names none.
    source = write_source(tmp_path / "src-en", "en")
    article = source / "article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("language: en\n", "language: en-GB\n"), encoding="utf-8")
    report = run_build(source, tmp_path / "out-en", formats=["docx"])
    assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
    (docx,) = (tmp_path / "out-en" / "docx").glob("*.docx")
    with zipfile.ZipFile(docx) as z:
        assert b"w:lang" not in z.read("word/header1.xml")


# --- right-to-left furniture ------------------------------------------------------------------------------


def style_ppr(styles: etree._Element, ident: str) -> etree._Element | None:
    return styles.find(f"{{{W}}}style[@{{{W}}}styleId='{ident}']/{{{W}}}pPr")


def test_arabic_furniture_is_mirrored_and_code_stays_left_to_right(built):
    styles = part(built["ar"], "word/styles.xml")
    default = styles.find(f"{{{W}}}docDefaults/{{{W}}}pPrDefault/{{{W}}}pPr/{{{W}}}bidi")
    assert default is not None and default.get(qn("w:val")) is None  # every paragraph right to left by default
    accent = load_theme(STYLES).colors.accent.lstrip("#").upper()
    for ident in ("WhyThisMattersHeading", "WhyThisMatters"):
        borders = style_ppr(styles, ident).find(qn("w:pBdr"))
        right, left = borders.find(qn("w:right")), borders.find(qn("w:left"))
        assert (right.get(qn("w:sz")), right.get(qn("w:color"))) == ("24", accent)  # the rule on the start side
        assert left.get(qn("w:sz")) == "4"
    quote = style_ppr(styles, "Quote").find(qn("w:pBdr"))
    assert quote.find(qn("w:right")) is not None and quote.find(qn("w:left")) is None
    code = style_ppr(styles, "Code").find(qn("w:bidi"))
    assert code is not None and code.get(qn("w:val")) == "0"
    for ident in ("Header", "Footer", "ListParagraph", "KeyTakeaway", "BodyText"):  # they inherit right to left
        ppr = style_ppr(styles, ident)
        assert ppr is None or ppr.find(qn("w:bidi")) is None, ident
    document = part(built["ar"], "word/document.xml")
    assert document.find(f".//{{{W}}}sectPr/{{{W}}}bidi") is not None  # page numbering and gutter on the right
    (code_run,) = [r for r in runs(built["ar"]) if r[0].startswith("curl ")]
    assert not code_run[2] & {"rtl", "lang"}


def test_left_to_right_articles_keep_their_furniture(built):
    for language in ("ru", "en"):
        styles = part(built[language], "word/styles.xml")
        assert styles.find(f"{{{W}}}docDefaults/{{{W}}}pPrDefault/{{{W}}}pPr/{{{W}}}bidi") is None
        left = style_ppr(styles, "WhyThisMatters").find(qn("w:pBdr")).find(qn("w:left"))
        assert left.get(qn("w:sz")) == "24"


@pytest.mark.parametrize("language", ["ar", "ru", "en", "ja"])
def test_documents_with_phrases_and_right_to_left_furniture_are_schema_valid(built, language):
    from pressrun.verify.docx_schema import validate_docx

    assert validate_docx(built[language]) == []


# --- what LibreOffice lays out ------------------------------------------------------------------------------

FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>{fonts}</dir>
<cachedir>{cache}</cachedir></fontconfig>
"""


@pytest.fixture(scope="module")
def laid_out(built, tmp_path_factory) -> dict[str, Path]:
    """The Arabic and English documents as LibreOffice lays them out (PDF), with the theme's fonts."""
    if not SOFFICE:
        pytest.skip("LibreOffice not installed")
    tmp = tmp_path_factory.mktemp("l10n-lo")
    config = tmp / "fonts.conf"
    config.write_text(FONTS_CONF.format(fonts=STYLES / "fonts", cache=tmp / "fc-cache"))
    copies = []
    for key in ("ar", "en"):
        copies.append(tmp / f"{key}.docx")
        shutil.copy(built[key], copies[-1])
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp), *map(str, copies)],
        capture_output=True, text=True, timeout=240, env={**os.environ, "FONTCONFIG_FILE": str(config)})
    assert result.returncode == 0, result.stderr
    return {key: tmp / f"{key}.pdf" for key in ("ar", "en")}


def _longest_rule(png: Path, colour: tuple[int, int, int]) -> tuple[int, int, int]:
    """(x, length, page width) of the longest vertical run of ``colour`` pixels: a paragraph's rule."""
    from PIL import Image

    image = Image.open(png).convert("RGB")
    width, height = image.size
    pixels = image.load()
    best = (0, 0)
    for x in range(width):
        run = 0
        for y in range(height):
            if all(abs(a - b) < 40 for a, b in zip(pixels[x, y], colour)):
                run += 1
                best = max(best, (run, x))
            else:
                run = 0
    return best[1], best[0], width


@pytest.mark.parametrize("language, right", [("ar", True), ("en", False)])
def test_libreoffice_draws_the_why_this_matters_rule_on_the_start_side(laid_out, tmp_path, language, right):
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-f", "1", "-l", "1", str(laid_out[language]),
                    str(tmp_path / "page")], check=True)
    (png,) = tmp_path.glob("page*.png")
    accent = load_theme(STYLES).colors.accent.lstrip("#")
    x, length, width = _longest_rule(png, tuple(int(accent[i:i + 2], 16) for i in (0, 2, 4)))
    assert length >= 40, "no accent rule found"  # the box is several lines tall
    assert (x > width * 0.8) if right else (x < width * 0.2), (x, width)


def test_libreoffice_sets_the_hebrew_greeting_in_its_family_in_reading_order(laid_out):
    fonts = subprocess.run(["pdffonts", str(laid_out["en"])], capture_output=True, text=True, check=True).stdout
    assert "+DejaVuSans" in fonts, fonts  # the complex-script family (the body is DejaVu Serif)
    text = subprocess.run(["pdftotext", str(laid_out["en"]), "-"], capture_output=True, text=True, check=True).stdout
    # pdftotext brackets a run of the other direction in bidi controls; the words come out in logical order.
    assert "שלום עליכם" in re.sub("[\u202a-\u202e]", " ", text).replace("  ", " ")
