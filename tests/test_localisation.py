"""Issue 15, acceptance 1–3 across every format: the five-language fixture publication (Azerbaijani, Russian,
Arabic, Japanese, and English with Hebrew and Azerbaijani phrases) read back from the web page, the PDF's text,
the Word file and the e-book — labels and long dates in the article's language, no English furniture, and the
marked Hebrew phrase carried as a language everywhere."""

from __future__ import annotations

import re
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import html5lib
import pytest
from babel.dates import format_date as babel_date
from docx import Document
from lxml import etree

from conftest import FIXTURES, STYLES, run_build
from pressrun.labels import Labels
from pressrun.readers import read_sources
from pressrun.theme import load_theme

SOURCE = FIXTURES / "l10n"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XHTML = "{http://www.w3.org/1999/xhtml}"
# English furniture that must not appear on a page in another language.
ENGLISH = ("Why this matters", "Key takeaways", "Published", "Updated", "Download this article", "Contents",
           "Topics", "Image descriptions", "Code example", "Page", "By", "Figure", "Photo")
ARTICLES = {"az": "beyanname-yeni-neshr", "ru": "deklaratsiya-dlya-shkol", "ar": "tabaa-madrasiya", "ja": "sengen-shinban"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("l10n")
    report = run_build(SOURCE, out)
    assert report.exit_code == 0 and not report.problems, [str(p) for p in report.problems + report.failures]
    return out


@pytest.fixture(scope="module")
def articles():
    sources = read_sources(SOURCE)
    return {a.language: sources.article(a) for a in sources.articles}


def _labels(language: str) -> Labels:
    return load_theme(STYLES).labels_for(language)


def _long_date(moment: datetime, language: str) -> str:
    return babel_date(moment.date(), format="long", locale=language)


def _text_of_html(data: bytes) -> str:
    root = html5lib.parse(data, namespaceHTMLElements=False)
    main = root.find(".//main")
    return " ".join("".join(main.itertext()).split())


def _text_of_pdf(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _text_of_docx(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    section = doc.sections[0]
    for story in (section.header, section.footer):
        parts += ["".join(t.text or "" for t in p._p.iter(f"{W}t")) for p in story.paragraphs]
    return "\n".join(parts)


def _text_of_epub(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        docs = [n for n in book.namelist() if n.endswith(".xhtml")]
        return "\n".join(" ".join("".join(etree.fromstring(book.read(n)).itertext()).split()) for n in docs)


def _texts(out: Path, slug: str) -> dict[str, str]:
    return {
        "html": _text_of_html((out / "articles" / f"{slug}.html").read_bytes()),
        "pdf": _text_of_pdf(out / "pdf" / f"{slug}.pdf"),
        "docx": _text_of_docx(out / "docx" / f"{slug}.docx"),
        "epub": _text_of_epub(out / "epub" / f"{slug}.epub"),
    }


def _squeeze(text: str) -> str:
    """White space and bidi marks out: line breaks in a PDF's text, CLDR's narrow no-break spaces and the
    direction marks pdftotext wraps right-to-left runs in compare equal."""
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]+", "", text)


@pytest.mark.parametrize("language", ARTICLES)
def test_every_format_prints_the_articles_labels_and_date(built, articles, language):
    article, labels = articles[language], _labels(language)
    by = labels.by if len(article.byline) == 1 else labels.by_several
    expected = [labels.why_this_matters, labels.takeaways, by, labels.published, _long_date(article.published, language)]
    if article.updated:
        expected += [labels.updated, _long_date(article.updated, language)]
    for fmt, text in _texts(built, ARTICLES[language]).items():
        flat = _squeeze(text)
        missing = [e for e in expected if _squeeze(e) not in flat]
        assert not missing, (fmt, language, missing)


@pytest.mark.parametrize("language", ARTICLES)
def test_no_english_furniture_in_any_format(built, language):
    for fmt, text in _texts(built, ARTICLES[language]).items():
        found = [word for word in ENGLISH if re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", text)]
        assert not found, (fmt, language, found)


@pytest.mark.parametrize("language", ARTICLES)
def test_the_pdf_and_word_page_counters_are_in_the_language(built, language):
    labels = _labels(language)
    pdf = built / "pdf" / f"{ARTICLES[language]}.pdf"
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout)[1])
    text = _squeeze(_text_of_pdf(pdf))
    for page in range(1, pages + 1):
        assert _squeeze(labels.page.format(page=page, pages=pages)) in text, (language, page)
    footer = Document(str(built / "docx" / f"{ARTICLES[language]}.docx")).sections[0].footer._element
    codes = " ".join(t.text or "" for t in footer.iter(f"{W}instrText"))
    assert "PAGE" in codes and "NUMPAGES" in codes
    literal = "".join(t.text or "" for t in footer.iter(f"{W}t"))
    for piece in re.split(r"\{page\}|\{pages\}", labels.page):
        assert _squeeze(piece) in _squeeze(literal), (language, piece, literal)


def test_the_hebrew_phrase_is_marked_in_every_format(built):
    slug = "baku-forum-greeting"
    page = (built / "articles" / f"{slug}.html").read_text(encoding="utf-8")
    assert re.search(r'<bdi lang="he" dir="rtl">שלום עליכם</bdi>', page), page
    assert '<span lang="az">Bütün insanlar' in page
    with zipfile.ZipFile(built / "epub" / f"{slug}.epub") as book:
        doc = next(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml") and slug in n)
    assert re.search(r'<bdi[^>]*\blang="he"[^>]*>שלום עליכם</bdi>', doc) and 'dir="rtl"' in doc and 'xml:lang="he"' in doc
    body = Document(str(built / "docx" / f"{slug}.docx")).element.body
    runs = [r for r in body.iter(f"{W}r") if "שלום" in "".join(t.text or "" for t in r.iter(f"{W}t"))]
    assert runs
    for run in runs:
        lang = run.find(f"{W}rPr/{W}lang")
        assert lang is not None and lang.get(f"{W}bidi") == "he", etree.tostring(run)
        assert run.find(f"{W}rPr/{W}rtl") is not None, etree.tostring(run)
    pdf = built / "pdf" / f"{slug}.pdf"
    assert "שלום" in _text_of_pdf(pdf) and "עליכם" in _text_of_pdf(pdf)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Hebrew|DejaVuSans\b|DejaVuSans-", fonts), fonts


def test_the_collection_ebook_keeps_each_articles_language(built):
    book_path = next((built / "epub" / "issue").glob("*.epub"))
    with zipfile.ZipFile(book_path) as book:
        langs = {}
        for name in book.namelist():
            if name.endswith(".xhtml") and any(s in name for s in (*ARTICLES.values(), "baku-forum-greeting")):
                root = etree.fromstring(book.read(name))
                langs[name] = root.get("lang")
    found = set(langs.values())
    assert {"az", "ru", "ar", "ja", "en"} <= found, langs
