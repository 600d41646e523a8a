"""The EPUB edition speaks the article's language (issue 15).

Books are built from small sources written here: an Arabic article with an English and a Hebrew phrase marked
(``[…]{lang=en}``), a Russian article (together with the Arabic one in a Russian publication: a two-language
issue), and an English article with a marked Hebrew greeting. They are read back with zipfile + lxml, checked
by EPUBCheck and DAISY Ace, and the Arabic one is laid out in Chromium.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from babel.dates import format_date

from conftest import STYLES, articles_of, run_build
from pressrun.exporters.epub.accessibility import examine, expected_scripts, foreign_scripts
from pressrun.labels import Labels
from pressrun.theme import load_theme
from test_accessibility import CHROMIUM, INSTALL, ace_violations, run_ace
from test_epub import NS, XML_LANG, Epub, run_epubcheck

PUBLISHED = date(2024, 4, 27)

PUBLICATIONS = {
    "ar": 'title: "نشرة الحقوق"\nbase_url: https://huquq.example.org/\nlanguage: ar\n'
          'description: "أخبار حقوق الإنسان."\nauthor: "هيئة التحرير"\n',
    "ru": 'title: "Правовой вестник"\nbase_url: https://vestnik.example.org/\nlanguage: ru\n'
          'description: "Новости о правах человека."\nauthor: "Редакция"\n',
    "en": "title: The Rights Desk\nbase_url: https://rights.example.org/\nlanguage: en\n"
          "description: News about human rights.\nauthor: Desk Editor\n",
}

ARABIC = """---
headline: "الإعلان العالمي لحقوق الإنسان في طبعة جديدة"
summary: >-
  صدرت طبعة عربية جديدة من [Universal Declaration of Human Rights]{lang=en} للمدارس.
byline: ["ليلى حسن"]
published: 2024-04-27T09:30:00+04:00
language: ar
slug: ilan
why_this_matters: >-
  سيصبح نص الإعلان في متناول كل تلميذ، والمواطن الذي يعرف حقوقه أقدر على الدفاع عنها.
takeaways:
  - "تضم الطبعة الجديدة المواد الثلاثين كلها."
  - "ستصل الكتب إلى المدارس قبل شهر سبتمبر."
---
تنص المادة الأولى على ما يلي: «يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق. وقد وهبوا عقلاً وضميرًا وعليهم أن
يعامل بعضهم بعضًا بروح الإخاء».

وقرأ ضيف من القدس التحية العبرية [שלום עליכם]{lang=he} قبل أن يتلو المادة الثالثة: «لكل فرد الحق في الحياة والحرية وفي
الأمان على شخصه».
"""

RUSSIAN = """---
headline: "Всеобщей декларации прав человека исполнилось 75 лет"
summary: >-
  Генеральная Ассамблея ООН приняла декларацию в Париже 10 декабря 1948 года.
byline: ["Анна Петрова"]
published: 2024-04-27T10:00:00+03:00
language: ru
slug: deklaratsiya
why_this_matters: >-
  Декларация впервые перечислила права, которые принадлежат каждому человеку без какого бы то ни было различия.
takeaways:
  - "Декларацию приняли 48 голосами при восьми воздержавшихся."
  - "Текст переведён более чем на 500 языков."
---
Статья 1 гласит: «Все люди рождаются свободными и равными в своем достоинстве и правах. Они наделены разумом
и совестью и должны поступать в отношении друг друга в духе братства».

Статья 3: «Каждый человек имеет право на жизнь, на свободу и на личную неприкосновенность».
"""

ENGLISH = """---
headline: A greeting in two languages
summary: The new school edition of the declaration was presented in Baku.
byline: Desk Editor
published: 2024-04-27T08:00:00Z
language: en
slug: greeting
---
The guest opened with {greeting}, \u201cpeace be upon you\u201d, before reading Article 1 aloud.
"""
MARKED = "[שלום עליכם]{lang=he}"


def _source(root: Path, publication: str, articles: dict[str, str]) -> Path:
    root.mkdir(parents=True)
    (root / "publication.yaml").write_text(PUBLICATIONS[publication], encoding="utf-8")
    for name, text in articles.items():
        (root / f"{name}.md").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    """An Arabic book, a Russian one, the Russian publication's two-language issue and an English book."""
    root = tmp_path_factory.mktemp("l10n-epub")
    sources = {"ar": _source(root / "src-ar", "ar", {"ilan": ARABIC}),
               "ru": _source(root / "src-ru", "ru", {"deklaratsiya": RUSSIAN, "ilan": ARABIC}),
               "en": _source(root / "src-en", "en", {"greeting": ENGLISH.format(greeting=MARKED)})}
    for name, source in sources.items():
        report = run_build(source, root / f"out-{name}", formats=["epub"])
        assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
    (issue,) = sorted((root / "out-ru" / "epub" / "issue").glob("*.epub"))
    return {"ar": root / "out-ar" / "epub" / "ilan.epub", "ru": root / "out-ru" / "epub" / "deklaratsiya.epub",
            "collection": issue, "en": root / "out-en" / "epub" / "greeting.epub"}


def labels(language: str) -> Labels:
    return load_theme(STYLES).labels_for(language)


def _text(element) -> str:
    return "".join(element.itertext())


# --- labels, dates and the navigation in the article's language ------------------------------------------


@pytest.mark.parametrize("name,language,slug", [("ar", "ar", "ilan"), ("ru", "ru", "deklaratsiya")])
def test_labels_and_long_date_in_the_article_language(books, name, language, slug):
    own, english = labels(language), Labels()
    for key in ("why_this_matters", "takeaways", "published", "contents"):
        assert getattr(own, key) != getattr(english, key), key  # the catalogue really translates it
    book = Epub(books[name])
    doc = book.xml(f"article-{slug}.xhtml")
    assert _text(doc.find(".//x:section[@class='why-this-matters']/x:h2", NS)) == own.why_this_matters
    assert _text(doc.find(".//x:section[@class='takeaways']/x:h2", NS)) == own.takeaways
    published = doc.find(".//x:span[@class='published']", NS)
    long_date = format_date(PUBLISHED, format="long", locale=language)
    assert _text(published) == f"{own.published} {long_date}"
    assert published.find("x:time", NS).text == long_date
    assert published.find("x:time", NS).get("datetime").startswith("2024-04-27T")  # machine-readable: ISO
    nav = book.xml(book.nav_href())
    assert _text(nav.find(".//x:nav[@epub:type='toc']/x:h1", NS)) == own.contents
    words = " ".join(_text(book.xml(href)) for href in book.documents())
    for key in ("why_this_matters", "takeaways", "published", "by", "contents"):
        assert getattr(english, key) not in words, key


def test_a_two_language_issue_gives_every_document_its_own_language(books):
    book = Epub(books["collection"])
    expected = {"cover.xhtml": ("ru", None), "nav.xhtml": ("ru", None),
                "article-deklaratsiya.xhtml": ("ru", None), "article-ilan.xhtml": ("ar", "rtl")}
    found = {href: (book.xml(href).get("lang"), book.xml(href).get("dir")) for href in book.documents()}
    assert found == expected
    assert all(book.xml(href).get(XML_LANG) == book.xml(href).get("lang") for href in book.documents())
    assert book.dc("language") == ["ru", "ar"]
    assert book.opf.get(XML_LANG) == "ru" and book.opf.find("opf:spine", NS).get("page-progression-direction") != "rtl"
    nav = book.xml("nav.xhtml")
    assert _text(nav.find(".//x:nav[@epub:type='toc']/x:h1", NS)) == labels("ru").contents
    entry = nav.find(".//x:nav[@epub:type='toc']/x:ol/x:li[@lang='ar']", NS)
    assert (entry.get(XML_LANG), entry.get("dir")) == ("ar", "rtl")
    assert entry.find("x:a", NS).get("href") == "article-ilan.xhtml#ilan-headline"
    # Each article keeps its own furniture inside the Russian issue.
    arabic = book.xml("article-ilan.xhtml")
    assert _text(arabic.find(".//x:section[@class='why-this-matters']/x:h2", NS)) == labels("ar").why_this_matters
    (summary,) = book.meta("schema:accessibilitySummary")
    assert summary.startswith(labels("ru").a11y_summary) and labels("ru").a11y_languages in summary


# --- phrases in another language ---------------------------------------------------------------------------


def test_a_marked_hebrew_phrase_is_isolated_with_both_language_attributes(books):
    doc = Epub(books["en"]).xml("article-greeting.xhtml")
    (bdi,) = doc.findall(".//x:bdi", NS)
    assert (bdi.get("lang"), bdi.get(XML_LANG), bdi.get("dir"), bdi.text) == ("he", "he", "rtl", "שלום עליכם")
    arabic = Epub(books["ar"]).xml("article-ilan.xhtml")
    (english,) = arabic.findall(".//x:bdi", NS)  # left to right inside right to left: isolated
    assert (english.get("lang"), english.get(XML_LANG), english.get("dir")) == ("en", "en", "ltr")
    (hebrew,) = arabic.findall(".//x:span[@lang='he']", NS)  # right to left in right to left: a span
    assert hebrew.get(XML_LANG) == "he" and hebrew.get("dir") is None


def test_marked_phrases_count_as_language_markup(books, tmp_path):
    book = Epub(books["en"])
    (summary,) = book.meta("schema:accessibilitySummary")
    assert Labels().a11y_languages in summary and summary.endswith(Labels().a11y_conforms)
    assert book.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    theme = load_theme(STYLES)
    source = _source(tmp_path / "unmarked", "en", {"greeting": ENGLISH.format(greeting="שלום עליכם")})
    _, (unmarked,) = articles_of(source)
    assert foreign_scripts(unmarked) == {"HEBREW"}
    findings = examine([unmarked], theme)
    assert findings.conformance_blockers == ("greeting: HEBREW text without language markup",)
    assert findings.marked_languages == ()


def test_expected_scripts_come_from_the_subtag_registry():
    """The languages of the hand-kept table this replaces keep their scripts; CJK languages get theirs."""
    before = {"en": "LATIN", "az": "LATIN", "tr": "LATIN", "de": "LATIN", "pl": "LATIN", "sr-latn": "LATIN",
              "uz": "LATIN", "ru": "CYRILLIC", "uk": "CYRILLIC", "kk": "CYRILLIC", "hy": "ARMENIAN",
              "ka": "GEORGIAN", "el": "GREEK", "ar": "ARABIC", "fa": "ARABIC", "ur": "ARABIC", "he": "HEBREW",
              "yi": "HEBREW"}
    assert {lang: expected_scripts(lang) for lang in before} == {k: frozenset({v}) for k, v in before.items()}
    assert expected_scripts("ja") == {"CJK", "HIRAGANA", "KATAKANA"}
    assert expected_scripts("ko") == {"HANGUL", "CJK"}
    assert expected_scripts("zh-Hans") == expected_scripts("zh-Hant") == {"CJK"}
    assert expected_scripts("hi") == {"DEVANAGARI"} and expected_scripts("bn") == {"BENGALI"}


def test_the_accessibility_summary_is_in_the_book_language(books):
    book = Epub(books["ar"])
    own = labels("ar")
    assert book.opf.get(XML_LANG) == "ar"
    (summary,) = book.meta("schema:accessibilitySummary")
    assert summary == " ".join([own.a11y_summary, own.a11y_no_images, own.a11y_languages, own.a11y_conforms])
    assert book.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]


# --- direction-aware CSS -----------------------------------------------------------------------------------


def test_css_mirrors_right_to_left_furniture_and_keeps_code_left_to_right(books):
    arabic = Epub(books["ar"]).read("css/epub.css").decode()
    english = Epub(books["en"]).read("css/epub.css").decode()
    for css in (arabic, english):  # direction is the markup's job: EPUB style sheets must not set it (CSS-001)
        assert "direction" not in css and "unicode-bidi" not in css
    assert '[dir="rtl"] ul, [dir="rtl"] ol { padding-left: 0; padding-right: 2.5em; }' in arabic
    assert '[dir="rtl"]' not in english


@pytest.fixture(scope="module")
def chromium_page() -> Iterator:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} ({INSTALL})")
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        yield browser.new_page(viewport={"width": 600, "height": 900})
        browser.close()


LAYOUT = """() => {
  const box = getComputedStyle(document.querySelector('.why-this-matters'));
  const list = document.querySelector('.takeaways ul'), item = list.querySelector('li');
  const body = document.body.getBoundingClientRect(), text = item.getBoundingClientRect();
  return {left: box.borderLeftWidth, right: box.borderRightWidth, listRight: getComputedStyle(list).paddingRight,
          gapRight: body.right - text.right, gapLeft: text.left - body.left};
}"""


def test_chromium_draws_the_rule_and_bullets_on_the_right(books, chromium_page, tmp_path):
    with zipfile.ZipFile(books["ar"]) as book:
        book.extractall(tmp_path)
    chromium_page.goto((tmp_path / "EPUB" / "article-ilan.xhtml").as_uri())
    layout = chromium_page.evaluate(LAYOUT)
    assert layout["left"] == "0px" and float(layout["right"].removesuffix("px")) >= 3, layout
    assert float(layout["listRight"].removesuffix("px")) > 20, layout  # room for the bullets, on the right
    assert layout["gapRight"] > 20 and layout["gapLeft"] < layout["gapRight"], layout  # items indented from the right


def _bands(book: Path, index: int) -> list[tuple[int, int, int, int]]:
    """(left, top, right, bottom) of each band of rows below the masthead where the cover draws palette
    ``index`` (the cover is drawn in palette indices: ``cover.MUTED``, ``cover.ACCENT``…)."""
    from PIL import Image

    picture = Image.open(io.BytesIO(Epub(book).read("images/cover.png")))
    mask = Image.frombytes("L", picture.size, picture.tobytes()).point(lambda v: 255 if v == index else 0)
    rows = [y for y in range(320, picture.height) if mask.crop((0, y, picture.width, y + 1)).getbbox()]
    bands, start = [], rows[0]
    for previous, row in zip(rows, rows[1:] + [None]):
        if row != previous + 1:
            bands.append(mask.crop((0, start, picture.width, previous + 1)).getbbox())
            bands[-1] = (bands[-1][0], start, bands[-1][2], previous + 1)
            start = row
    return bands


def test_typographic_covers_set_each_line_on_its_own_start_side(books):
    """The Arabic book's rule sits on the right; the Russian issue's rule on the left, its Arabic line on the right."""
    from pressrun.exporters.epub.cover import ACCENT, MARGIN, MUTED, WIDTH

    (rule,) = _bands(books["ar"], ACCENT)
    assert rule[2] == WIDTH - MARGIN + 1 and rule[0] > WIDTH // 2, rule
    (rule,) = _bands(books["collection"], ACCENT)
    assert rule[0] == MARGIN and rule[2] < WIDTH // 2, rule
    arabic, russian = _bands(books["collection"], MUTED)[:2]  # the Arabic headline, then the date
    assert WIDTH - MARGIN - 5 <= arabic[2] <= WIDTH - MARGIN + 1 and arabic[0] > MARGIN + 50, arabic
    assert MARGIN - 1 <= russian[0] <= MARGIN + 5 and russian[2] < WIDTH // 2, russian


# --- the industry's checkers -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def epubcheck(books, tmp_path_factory) -> dict[str, dict]:
    return run_epubcheck(books, tmp_path_factory.mktemp("epubcheck-l10n"))


@pytest.mark.parametrize("name", ["ar", "ru", "collection", "en"])
def test_epubcheck_reports_nothing(epubcheck, name):
    result = epubcheck[name]
    problems = [f"{m['severity']} {m['ID']}: {m['message']} at {m.get('locations')}"
                for m in result["messages"] if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    checker = result["checker"]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0), problems
    assert result["returncode"] == 0


@pytest.fixture(scope="module")
def ace_reports(books, tmp_path_factory) -> dict[str, dict]:
    return run_ace({name: books[name] for name in ("ar", "collection")}, tmp_path_factory.mktemp("ace-l10n"))


@pytest.mark.parametrize("name", ["ar", "collection"])
def test_ace_finds_no_violation(ace_reports, name):
    """The Arabic book with its English and Hebrew phrases, and the two-language issue: no violation at all."""
    report = ace_reports[name]
    checked = {document["earl:testSubject"]["url"] for document in report["assertions"]}
    assert any(url.endswith("article-ilan.xhtml") for url in checked), checked
    violations = ace_violations(report)
    assert not violations, "\n".join(f"{impact} {rule} in {where}: {what}" for impact, rule, where, what in violations)
