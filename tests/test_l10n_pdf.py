"""Issue 15 in the PDF: every label, date and page counter in the article's language; phrases marked in
another language set in their script's font, in their visual order, hyphenated by their own language.

One build (PDF only) of a small publication: Arabic, Russian, Japanese, Azerbaijani and Persian articles
with why-this-matters, takeaways and a figure or two pages, and an English article with a Hebrew, a German
and an Azerbaijani phrase. Text is read back with ``pdftotext`` (compared with white space and bidi marks
squeezed out: it gives right-to-left text in logical order) and, where the order on the page matters, glyph
by glyph with pdfminer (``drawn_lines``: left to right, compared with python-bidi's visual order).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pypdf
import pytest
from babel.dates import format_date as babel_date
from babel.numbers import format_decimal
from bidi import get_display

from conftest import FIXTURES, STYLES, articles_of, run_build
from pressrun.errors import ExportError
from pressrun.exporters.pdf.fonts import FontRegistry
from pressrun.render.numerals import number
from pressrun.exporters.pdf.phrases import SOFT_HYPHEN, Phrases
from pressrun.exporters.pdf.preflight import PRINTED_LABELS, preflight, printed_labels
from pressrun.exporters.pdf.styles import Stacks, Styles
from pressrun.exporters.pdf.scripts import script_of
from pressrun.labels import LABEL_KEYS, Labels, merged
from pressrun.theme import load_theme
from test_pdf_scripts import drawn_lines

THEME = load_theme(STYLES)
TITLE = "Qafqaz Xəbərləri"
# English furniture that must not appear in a PDF in another language (labels, and words of the old footer).
ENGLISH = ("Why this matters", "Key takeaways", "Published", "Updated", "Topics", "Image descriptions", "Page",
           "By", "Figure", "Photo", "of")
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

# --- the sources ---------------------------------------------------------------------------------------------

UDHR = {
    "ar": ["يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق. وقد وهبوا عقلاً وضميرًا وعليهم أن يعامل بعضهم "
           "بعضًا بروح الإخاء.",
           "لكل فرد الحق في الحياة والحرية وفي الأمان على شخصه.",
           "لكل شخص الحق في حرية الرأي والتعبير، ويشمل هذا الحق حرية اعتناق الآراء دون أي تدخل، واستقاء الأنباء "
           "والأفكار وتلقيها وإذاعتها بأية وسيلة كانت دون تقيد بالحدود الجغرافية.",
           "لكل شخص الحق في التعلم، ويجب أن يكون التعليم في مراحله الأولى والأساسية على الأقل بالمجان."],
    "ru": ["Все люди рождаются свободными и равными в своем достоинстве и правах. Они наделены разумом и совестью "
           "и должны поступать в отношении друг друга в духе братства.",
           "Каждый человек имеет право на жизнь, на свободу и на личную неприкосновенность.",
           "Каждый человек имеет право на свободу убеждений и на свободное выражение их; это право включает свободу "
           "беспрепятственно придерживаться своих убеждений и свободу искать, получать и распространять информацию "
           "и идеи любыми средствами и независимо от государственных границ.",
           "Каждый человек имеет право на образование. Образование должно быть бесплатным по меньшей мере в том, "
           "что касается начального и общего образования."],
    "ja": ["すべての人間は、生まれながらにして自由であり、かつ、尊厳と権利とについて平等である。人間は、理性と良心とを"
           "授けられており、互いに同胞の精神をもって行動しなければならない。",
           "すべて人は、生命、自由及び身体の安全に対する権利を有する。",
           "すべて人は、意見及び表現の自由に対する権利を有する。この権利は、干渉を受けることなく自己の意見をもつ自由"
           "並びにあらゆる手段により、また、国境を越えると否とにかかわりなく、情報及び思想を求め、受け、及び伝える"
           "自由を含む。",
           "すべて人は、教育を受ける権利を有する。教育は、少なくとも初等の及び基礎的の段階においては、無償でなければ"
           "ならない。"],
    "az": ["Bütün insanlar ləyaqət və hüquqlarına görə azad və bərabər doğulurlar. Onların şüurları və vicdanları "
           "var və bir-birlərinə münasibətdə qardaşlıq ruhunda davranmalıdırlar.",
           "Hər bir insanın yaşamaq, azadlıq və şəxsi toxunulmazlıq hüququ vardır.",
           "Hər bir insanın əqidə azadlığı və onu sərbəst ifadə etmək hüququ vardır; bu hüquq maneəsiz olaraq öz "
           "əqidəsində qalmaq azadlığını və istənilən vasitələrlə, dövlət sərhədlərindən asılı olmayaraq, məlumat "
           "və ideyalar axtarmaq, almaq və yaymaq azadlığını nəzərdə tutur.",
           "Hər bir insanın təhsil almaq hüququ vardır. Heç olmazsa, ibtidai və ümumi təhsil pulsuz olmalıdır."],
    "fa": ["تمام افراد بشر آزاد به دنیا می‌آیند و از لحاظ حیثیت و حقوق با هم برابرند. همه دارای عقل و وجدان هستند "
           "و باید نسبت به یکدیگر با روح برادری رفتار کنند.",
           "هر کس حق زندگی، آزادی و امنیت شخصی دارد."],
}

# language: (slug, headline, summary, byline, why this matters, takeaways, section, dateline, heading, extra front matter)
FRONT = {
    "ar": ("ilan", "طبعة جديدة من الإعلان العالمي لحقوق الإنسان للمدارس",
           "قُدّمت في باكو طبعة عربية جديدة من الإعلان ستُوزَّع على المكتبات المدرسية.", '["ليلى حسن", "عمر خالد"]',
           "سيصبح نص الإعلان في متناول كل تلميذ، والمواطن الذي يعرف حقوقه أقدر على الدفاع عنها.",
           ["تضم الطبعة الجديدة المواد الثلاثين كلها.", "ستصل الكتب إلى المدارس قبل شهر سبتمبر."],
           "مجتمع", "باكو", "مواد مختارة", "updated: 2024-05-02T16:30:00+04:00\n"),
    "ru": ("deklaratsiya", "Всеобщую декларацию прав человека переиздали для школ",
           "В Баку представили новое издание Декларации на русском языке.",
           '["Анна Петрова", "Игорь Смирнов", "Вера Кузнецова"]',
           "Текст Декларации окажется в руках каждого школьника. Гражданин, который знает свои права, лучше их защищает.",
           ["Новое издание включает все 30 статей.", "Электронную версию можно скачать бесплатно."],
           "Общество", "Баку", "Избранные статьи", ""),
    "ja": ("sengen", "世界人権宣言、学校向けの新版を刊行", "バクーで世界人権宣言の日本語新版が紹介された。",
           '["山田花子", "佐藤健"]', "宣言の全文がすべての生徒の手に届く。自分の権利を知る市民は、それをよりよく守ることができる。",
           ["新版は全30条を収録している。", "電子版は無料でダウンロードできる。"], "社会", "バクー", "主な条文", ""),
    "az": ("beyanname", "İnsan Hüquqları haqqında Ümumi Bəyannamə yenidən çap olunur",
           "Bakıda Bəyannamənin Azərbaycan dilində yeni nəşri təqdim edildi.", '"Leyla Məmmədova"',
           "Bəyannamənin mətni hər şagirdin əlinin altında olacaq. Hüquqlarını bilən vətəndaş onları daha yaxşı qoruyur.",
           ["Yeni nəşr 30 maddənin hamısını əhatə edir.", "Mətnin elektron variantı pulsuz yüklənə bilər."],
           "Cəmiyyət", "Bakı", "Seçilmiş maddələr", "updated: 2024-05-03T09:00:00+04:00\n"),
    "fa": ("elamiye", "چاپ تازهٔ اعلامیهٔ جهانی حقوق بشر برای مدرسه‌ها",
           "در باکو چاپ تازه‌ای از اعلامیه به زبان فارسی معرفی شد.", '"مریم احمدی"',
           "متن اعلامیه به دست همهٔ دانش‌آموزان می‌رسد.", ["چاپ تازه هر سی ماده را در بر دارد."],
           "جامعه", "باکو", "مواد برگزیده", ""),
}
PUBLISHED = {"ar": date(2024, 4, 28), "ru": date(2024, 4, 27), "ja": date(2024, 4, 29), "az": date(2024, 4, 27),
             "fa": date(2024, 4, 30)}
FIGURE = {"ar", "ja", "fa"}  # articles with a figure in their body (its alt text, in the tagged Figure's /Alt)
ALT = {"ar": "خريطة المنطقة وعليها دائرة حمراء.", "ja": "赤い丸で囲んだ地域の地図。", "fa": "نقشهٔ منطقه با دایره‌ای سرخ."}

ENGLISH_BODY = (
    "The chair opened the forum with the Hebrew greeting [שלום עליכם]{lang=he}, “peace be upon you”, and quoted "
    "the ruling of the [Bundesverfassungsgericht]{lang=de} and a speech by [Ilham Aliyev]{lang=az}.\n\n"
    "Article 3 of the Declaration reads: “Everyone has the right to life, liberty and security of person.”\n"
)


def _article(language: str) -> str:
    slug, headline, summary, byline, why, takeaways, section, dateline, heading, extra = FRONT[language]
    paragraphs = UDHR[language]
    body = [*paragraphs, f"## {heading}", *paragraphs * 3]
    if language in FIGURE:
        body.insert(1, f"![{ALT[language]}](images/map.png)")
    items = "".join(f'  - "{t}"\n' for t in takeaways)
    return (f'---\nheadline: "{headline}"\nsummary: "{summary}"\nbyline: {byline}\n'
            f"published: {PUBLISHED[language].isoformat()}T10:00:00+04:00\n{extra}language: {language}\nslug: {slug}\n"
            f'section: "{section}"\ndateline: "{dateline}"\ntags: ["{section}"]\nwhy_this_matters: "{why}"\n'
            f"takeaways:\n{items}---\n" + "\n\n".join(body) + "\n")


def _source(folder: Path) -> Path:
    (folder / "images").mkdir(parents=True)
    shutil.copy(FIXTURES / "kitchen-sink" / "images" / "map.png", folder / "images" / "map.png")
    (folder / "publication.yaml").write_text(
        f'title: "{TITLE}"\nbase_url: https://xeber.example.org/\nlanguage: az\n'
        'description: "Qafqazdan xəbərlər."\nauthor: "Redaksiya"\ntimezone: Asia/Baku\n', encoding="utf-8")
    for language in FRONT:
        (folder / f"{language}.md").write_text(_article(language), encoding="utf-8")
    (folder / "en.md").write_text(
        '---\nheadline: "A greeting in Hebrew opens the Baku forum"\nsummary: "Delegates met in Baku."\n'
        'byline: "Sarah Cohen"\npublished: 2024-04-30T12:00:00+04:00\nlanguage: en\nslug: greeting\n'
        'why_this_matters: "The forum publishes in five languages."\ntakeaways:\n  - "Twelve countries attended."\n'
        f"---\n{ENGLISH_BODY}", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """language → its PDF; one build for the module."""
    for tool in ("pdftotext", "pdffonts"):
        assert shutil.which(tool), f"{tool} (poppler-utils) is needed"
    base = tmp_path_factory.mktemp("l10n-pdf")
    source = _source(base / "src")
    report = run_build(source, base / "out", formats=["pdf"])
    assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
    slugs = {language: front[0] for language, front in FRONT.items()} | {"en": "greeting"}
    return {language: base / "out" / "pdf" / f"{slug}.pdf" for language, slug in slugs.items()}


@pytest.fixture(scope="module")
def articles(built) -> dict:
    return {a.language: a for a in articles_of(built["en"].parents[2] / "src")[1]}


# --- reading back ---------------------------------------------------------------------------------------------


def pdftotext(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *pages, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def squeeze(text: str) -> str:
    """White space and bidi marks out: line ends, CLDR's narrow no-break spaces and the marks pdftotext
    wraps right-to-left runs in do not count."""
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]+", "", text)


def visual(text: str, language: str) -> str:
    """``text`` in the order its glyphs stand on the page, left to right, without spaces and format characters
    (as ``drawn_lines`` gives a line): the bidi algorithm's visual order in a paragraph of the language."""
    shown = get_display(text, base_dir="R" if language in ("ar", "fa", "he") else "L")
    return "".join(c for c in shown if c != " " and unicodedata.category(c) != "Cf")


def labels(language: str) -> Labels:
    return THEME.labels_for(language)


def page_count(pdf: Path) -> int:
    return len(pypdf.PdfReader(pdf).pages)


def expected_counter(language: str, page: int, pages: int) -> str:
    """The page label filled in with the digits of the locale, worked out here independently of pressrun."""
    counter = labels(language).page.format(page=format_decimal(page, locale=language, numbering_system="default"),
                                           pages=format_decimal(pages, locale=language, numbering_system="default"))
    return counter.translate(PERSIAN_DIGITS) if language == "fa" else counter


# --- labels and dates --------------------------------------------------------------------------------------------

LANGUAGES = ("ar", "ru", "ja", "az", "fa")


def _cldr_date(day, language: str) -> str:
    """Babel's long date; Persian in its own digits, as CLDR's default numbering for it says (Babel gives Latin)."""
    text = babel_date(day, format="long", locale=language)
    return text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) if language == "fa" else text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_labels_and_the_long_date_are_in_the_article_s_language(built, articles, language):
    article, own = articles[language], labels(language)
    by = own.by if len(article.byline) == 1 else own.by_several
    expected = [own.why_this_matters, own.takeaways, by, own.published, _cldr_date(PUBLISHED[language], language)]
    if article.updated:
        expected += [own.updated, _cldr_date(article.updated.date(), language)]
    text = squeeze(pdftotext(built[language]))
    assert [e for e in expected if squeeze(e) not in text] == []
    # in reading order: the byline, the dates, the box, the takeaways
    positions = [text.find(squeeze(e)) for e in (by, own.published, own.why_this_matters, own.takeaways)]
    assert positions == sorted(positions), positions


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_label_is_printed(built, language):
    pdf = built[language]
    text = pdftotext(pdf)
    found = [word for word in ENGLISH if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]
    assert found == [], found
    # nor in the bookmarks panel: its section titles are the article's labels
    titles = [item.title for item in pypdf.PdfReader(pdf).outline if not isinstance(item, list)]
    titles += [i.title for item in pypdf.PdfReader(pdf).outline if isinstance(item, list) for i in item]
    assert labels(language).why_this_matters in titles and labels(language).takeaways in titles, titles
    assert not [t for t in titles if t in ENGLISH], titles


@pytest.mark.parametrize("language", sorted(FIGURE))
def test_the_alt_text_is_the_figure_s_alternate_description_not_a_printed_list(built, language):
    """Issue 20: the alt text lives in the tagged Figure's /Alt (in the article's language), not in a printed list."""
    import pikepdf

    with pikepdf.open(built[language]) as pdf:
        alts = [str(e.Alt) for e in _struct_elements(pdf.Root.StructTreeRoot) if e.get("/S") == "/Figure"]
        assert str(pdf.Root.Lang) == language
    assert alts == [ALT[language]]
    printed = squeeze(pdftotext(built[language]))
    assert squeeze(labels(language).image_descriptions) not in printed and squeeze(ALT[language]) not in printed


def _struct_elements(node):
    """Every structure element under ``node``, in document order."""
    import pikepdf

    kids = node.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            yield kid
            yield from _struct_elements(kid)


# --- the page counter and the mirrored footer ---------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_has_the_counter_in_the_language_and_digits_of_the_locale(built, language):
    pdf = built[language]
    pages = page_count(pdf)
    assert pages >= (1 if language == "fa" else 2)
    for page in range(1, pages + 1):
        assert squeeze(expected_counter(language, page, pages)) in squeeze(pdftotext(pdf, page)), (language, page)


def test_persian_counts_pages_in_persian_digits(built):
    text = pdftotext(built["fa"])
    counters = re.findall(r"صفحهٔ[\s\u200e\u200f\u202a-\u202e]*(\S)", text)  # "صفحهٔ ۱ از ۲", never "صفحهٔ 1 از 2"
    assert counters and set(counters) <= set("۰۱۲۳۴۵۶۷۸۹"), counters
    assert number(12, "fa") == "۱۲" and number(12, "ar-EG") == "١٢" and number(12, "bn") == "১২"
    assert number(12, "ar") == "12" and number(12, "ja") == "12" and number(1234, "ru") == "1234"


@pytest.mark.parametrize("language", ["ar", "ru", "ja", "az"])
def test_the_footer_is_mirrored_right_to_left_and_the_counter_reads_in_order(built, language):
    """Each page's lowest line is the footer: the publication's name at the start, the counter at the end —
    so, right to left, the counter on the left, in the visual order of the bidi algorithm."""
    pdf = built[language]
    pages = page_count(pdf)
    lines = drawn_lines(pdf)
    for page in range(1, pages + 1):
        footer = min((line for line in lines if line.page == page), key=lambda line: line.baseline)
        counter = expected_counter(language, page, pages)
        expected = visual(counter, language) + TITLE if language == "ar" else TITLE + counter
        assert footer.text.replace(" ", "") == expected.replace(" ", ""), (page, footer.text, expected)


# --- phrases in other languages -------------------------------------------------------------------------------------


def test_the_hebrew_phrase_is_set_in_the_hebrew_face_in_visual_order_and_extracts_intact(built):
    pdf = built["en"]
    words = re.findall(r"\w+", re.sub(r"[\u200e\u200f\u202a-\u202e]", "", pdftotext(pdf)))
    assert "שלום" in words and "עליכם" in words, words  # each word whole, in its logical order
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSerifHebrew" in fonts, fonts  # the theme's family for Hebrew, not DejaVu Sans, which merely has it
    [line] = [line for line in drawn_lines(pdf) if "Hebrewgreeting" in line.text.replace(" ", "")]
    squeezed = line.text.replace(" ", "")
    # left to right on the page: "greeting", then the phrase right to left (שלום rightmost), then ", “peace"
    assert f"greeting{visual('שלום עליכם', 'en')},“peace" in squeezed, squeezed


def test_every_other_pdf_keeps_to_its_own_fonts(built):
    """A font made for a phrase's script is loaded only for that phrase: no Hebrew face in the other PDFs."""
    for language in LANGUAGES:
        fonts = subprocess.run(["pdffonts", str(built[language])], capture_output=True, text=True, check=True).stdout
        assert "Hebrew" not in fonts, (language, fonts)


@pytest.fixture(scope="module")
def stacks() -> Stacks:
    return Stacks.of(FontRegistry(), THEME)


def _lines(tmp_path: Path, markup: str, language: str, width: float, stacks: Stacks) -> list[str]:
    """The lines of one body paragraph of ``markup`` set ``width`` points wide, as pdftotext -layout reads them
    (hyphens kept)."""
    from reportlab.platypus import SimpleDocTemplate

    styles = Styles(THEME, stacks, language)
    path = tmp_path / "paragraph.pdf"
    doc = SimpleDocTemplate(str(path), pagesize=(width + 100, 800), leftMargin=50, rightMargin=50,
                            initialFontName=stacks.body.faces[0])
    doc.build([styles.paragraph(markup, styles.body)])
    layout = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                            text=True, check=True).stdout
    return [line.strip() for line in layout.splitlines() if line.strip()]


def _breaks(lines: list[str]) -> list[tuple[str, str]]:
    """(the part before, the part after) of every word hyphenated at a line end."""
    return [(a.split()[-1][:-1], b.split()[0]) for a, b in zip(lines, lines[1:]) if a.endswith("-")]


GERMAN = "Bundesverfassungsgericht Verfassungsbeschwerde Menschenrechtskonvention Grundrechtsschutz " * 3


def test_a_phrase_is_hyphenated_by_its_own_language(tmp_path, stacks):
    import pyphen

    german = pyphen.Pyphen(lang="de")
    markup = Phrases("en").markup(GERMAN, stacks.body, False, False, "de", lambda c: None)
    assert markup.startswith("<nobr>") and SOFT_HYPHEN in markup
    breaks = _breaks(_lines(tmp_path, markup, "en", 150, stacks))
    assert breaks, "the narrow column should hyphenate some German word"
    for before, after in breaks:
        word = before + after.rstrip(".,")
        assert len(before) in german.positions(word), (before, after)  # where German breaks it


def test_a_phrase_in_a_language_without_a_dictionary_is_not_hyphenated(tmp_path, stacks):
    text = "Azərbaycan Respublikası Prezidentinin Administrasiyası " * 4
    marked = Phrases("en").markup(text, stacks.body, False, False, "az", lambda c: None)
    assert marked.startswith("<nobr>") and SOFT_HYPHEN not in marked
    assert _breaks(_lines(tmp_path, marked, "en", 170, stacks)) == []
    # the control: the same words as English text are hyphenated by the English dictionary
    assert _breaks(_lines(tmp_path, stacks.body.markup(text), "en", 170, stacks))


def test_a_phrase_in_the_article_s_own_language_and_script_is_set_like_its_text(stacks):
    phrases = Phrases("ru")
    text = "Всеобщая декларация прав человека"
    assert phrases.markup(text, stacks.body, False, False, "ru", lambda c: None) == stacks.body.markup(text)
    assert "<nobr>" in phrases.markup(text, stacks.body, False, False, "uk", lambda c: None)  # its own dictionary
    assert stacks.body.preferred("Ilham Aliyev") is None  # the first family sets it: no other face


# --- preflight: the labels actually printed ------------------------------------------------------------------------


def test_preflight_checks_the_printed_labels_with_the_locale_s_digits():
    checked = {field: text for field, text, _ in printed_labels(labels("fa"), "fa", "en")}
    assert set(checked) == {f"labels.fa.{name}" for name in PRINTED_LABELS}
    assert checked["labels.fa.page"] == "صفحهٔ ۱۲۳۴۵۶۷۸۹۰ از ۱۲۳۴۵۶۷۸۹۰"  # every digit of the locale, in place
    assert set(PRINTED_LABELS) <= set(LABEL_KEYS)


def _theme_with(language: str, **overrides: str):
    return dataclasses.replace(THEME, catalogue=merged({language: overrides}, THEME.language))


def test_a_printed_label_no_font_covers_is_a_located_error_and_an_unprinted_one_is_not(stacks):
    publication, found = articles_of(FIXTURES / "l10n")
    article = next(a for a in found if a.language == "ar")
    preflight(article, publication, _theme_with("ar", downloads="تنزيل \ue000"), stacks)  # the web edition's label
    with pytest.raises(ExportError) as caught:
        preflight(article, publication, _theme_with("ar", takeaways="أبرز \ue000 النقاط"), stacks)
    [problem] = caught.value.problems
    assert problem.field == "labels.ar.takeaways" and "U+E000" in problem.message
    assert str(problem.path).endswith("theme.yaml")


# --- one design for the letters of a script (an Urdu word was DejaVu Sans with Noto Naskh's ہ and ے) ---------------

URDU = "انسانی حقوق کے عالمی منشور کے 75 سال، اقوامِ متحدہ (UN) نے یہ منشور منظور کیا تھا۔"
ARABIC = "الإعلان العالمي لحقوق الإنسان يبلغ عامه الخامس والسبعين"


def _faces_of_letters(stack, text: str, bold: bool = False) -> dict[str, set[str]]:
    """The face each letter of ``text`` is set in, by script ("arab", "latn"), as the PDF sets the article's text."""
    faces: dict[str, set[str]] = {}
    for face, run in stack.runs(text, bold, False, stack.whole(text, bold, False)):
        for char in run:
            if char.isalpha():
                faces.setdefault(script_of(char), set()).add(face)
    return faces


@pytest.mark.parametrize("which,bold", [("body", False), ("body", True), ("display", True)])
def test_an_urdu_text_s_letters_are_set_in_one_family(stacks, which, bold):
    stack = getattr(stacks, which)
    faces = _faces_of_letters(stack, URDU, bold)
    assert len(faces["arab"]) == 1 and next(iter(faces["arab"])).startswith("NotoNaskhArabic"), faces
    assert faces["latn"] == {stack.runs("UN", bold, False).__next__()[0]}  # the Latin letters keep their face
    mixed = {face for face, run in stack.runs(URDU, bold, False) if any(script_of(c) == "arab" for c in run)}
    assert len(mixed) > 1  # letter by letter, as before, the word was split between two designs


def test_a_script_one_family_has_whole_keeps_it(stacks):
    assert stacks.body.whole(ARABIC) is None and stacks.display.whole(ARABIC, True) is None  # DejaVu Sans has it all
    assert stacks.body.whole("Ilham Aliyev") is None
    assert {face for face, _ in stacks.body.runs(ARABIC)} == {face for face, _ in stacks.body.runs(ARABIC, prefer=None)}


def test_the_article_s_own_text_is_marked_up_in_one_design(stacks):
    """What the PDF's paragraphs are made of (``Markup.text`` asks for ``one_design``): the Urdu letters in one face."""
    markup = stacks.body.markup(URDU, one_design=True)
    faces = {face for face, run in re.findall(r'<font face="([^"]+)">([^<]*)</font>', markup)
             if any(script_of(c) == "arab" for c in run)}
    assert len(faces) == 1 and faces.pop().startswith("NotoNaskhArabic"), markup
    assert stacks.body.markup(ARABIC, one_design=True) == stacks.body.markup(ARABIC)  # Arabic as before
