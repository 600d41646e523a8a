"""The fonts shipped in styles/fonts/ cover the world's scripts (issue 14), and the theme loads them.

* every script's sample — a few words of real text, mostly article 1 of the Universal Declaration of Human
  Rights — is covered, character for character, by the cmaps of the theme's stacks, in every style;
* every fallback family is needed: without it some sample loses a character (so these tests fail when a
  script loses its font);
* every font file has TrueType outlines and loads in reportlab, and is listed in styles/fonts/README.md with
  a licence text that is present;
* a family may have only a regular (and a bold) file: the other styles fall back, decided in the theme.
"""

from __future__ import annotations

import re
import shutil
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from conftest import STYLES
from pressrun.errors import SourceError
from pressrun.theme import FontFamily, Theme, load_theme

FONTS = STYLES / "fonts"
STYLES_4 = ((False, False), (True, False), (False, True), (True, True))

SAMPLES = {
    "Arabic": "يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق. ٠١٢٣٤٥٦٧٨٩ «مرحبا»، ما هذا؟ أهلاً؛",
    "Persian": "تمام افراد بشر آزاد به دنیا می‌آیند و از لحاظ حیثیت و حقوق با هم برابرند. پژوهش، گفت‌وگو ۱۴۰۳",
    "Urdu": "تمام انسان آزاد اور حقوق و عزت کے اعتبار سے برابر پیدا ہوئے ہیں۔ ۲۰۲۴",
    "Pashto": "ټول انسانان آزاد نړۍ ته راځي او د حيثيت او حقوقو له پلوه سره برابر دي. څه ښه ګډ",
    "Uyghur": "ھەممە ئادەم تۇغۇلۇشىدىنلا ئەركىن، ئىززەت-ھۆرمەت ۋە ھوقۇقتا باب-باراۋەر بولۇپ تۇغۇلغان. ئۈرۈمچى",
    "Sindhi": "سڀ انسان آزاد ۽ برابر پيدا ٿيا آهن. وڃڻ ٺاهڻ ڄاڻ ڳالهه",
    # The letters issue 14 names: پ چ ک گ ھ ہ ے ټ څ ې ۇ ٺ ڃ
    "Arabic-script letters": "\u067e\u0686\u06a9\u06af\u06be\u06c1\u06d2\u067c\u0685\u06d0\u06c7\u067a\u0683",
    "Hebrew": "כל בני האדם נולדו בני חורין ושווים בערכם ובזכויותיהם. צה״ל",
    "Hebrew (Genesis 1:1, with cantillation)": "בְּרֵאשִׁ֖ית בָּרָ֣א אֱלֹהִ֑ים אֵ֥ת הַשָּׁמַ֖יִם וְאֵ֥ת הָאָֽרֶץ׃",
    "Yiddish": "אַלע מענטשן װערן געבוירן פֿרײַ און גלײַך אין כּבֿוד און רעכט",
    "Syriac": "ܟܠܗܘܢ ܒܢܝ̈ܢܫܐ ܡܬܝܠܕܝܢ ܚܐܪ̈ܐ ܘܫܘܝ̈ܐ ܒܐܝܩܪܐ ܘܒܙܕܩܐ܂",
    "Thaana": "ހުރިހާ އިންސާނުން ވެސް އުފަންވަނީ، ދަރަޖަ އާއި ޙައްޤުތަކުގައި މިނިވަންކަމާއި ހަމަހަމަކަން ލިބިގެންވާ ބައެއްގެ ގޮތުގައެވެ.",
    "N'Ko": "ߒߞߏ ߞߊ߲ ߡߊ߲߬ߘߋ߲߬ߞߊ߲",
    "Adlam": "𞤀𞤣𞤤𞤢𞤥 𞤆𞤵𞤤𞤢𞤪 𞤊𞤵𞤤𞤬𞤵𞤤𞤣𞤫",
    "Devanagari": "सभी मनुष्यों को गौरव और अधिकारों के मामले में जन्मजात स्वतन्त्रता और समानता प्राप्त है। १२३",
    "Bengali": "সমস্ত মানুষ স্বাধীনভাবে সমান মর্যাদা এবং অধিকার নিয়ে জন্মগ্রহণ করে। ১২৩",
    "Gurmukhi": "ਸਾਰਾ ਮਨੁੱਖੀ ਪਰਿਵਾਰ ਆਪਣੀ ਮਹਿਮਾ, ਸ਼ਾਨ ਅਤੇ ਹੱਕਾਂ ਦੇ ਪੱਖ ਤੋਂ ਜਨਮ ਤੋਂ ਹੀ ਆਜ਼ਾਦ ਹੈ।",
    "Gujarati": "પ્રતિષ્ઠા અને અધિકારોની દૃષ્ટિએ સર્વ માનવો જન્મથી સ્વતંત્ર અને સમાન હોય છે.",
    "Oriya": "ସବୁ ମଣିଷ ଜନ୍ମକାଳରୁ ସ୍ୱାଧୀନ। ସେମାନଙ୍କର ମର୍ଯ୍ୟାଦା ଓ ଅଧିକାର ସମାନ।",
    "Tamil": "மனிதப் பிறவியினர் சகலரும் சுதந்திரமாகவே பிறக்கின்றனர்; அவர்கள் மதிப்பிலும், உரிமைகளிலும் சமமானவர்கள்.",
    "Telugu": "ప్రతిపత్తిస్వత్వముల విషయమున మానవులెల్లరును జన్మతః స్వతంత్రులును సమానులును నగుదురు.",
    "Kannada": "ಎಲ್ಲಾ ಮಾನವರೂ ಸ್ವತಂತ್ರರಾಗಿಯೇ ಜನಿಸಿದ್ದಾರೆ. ಹಾಗೂ ಘನತೆ ಮತ್ತು ಹಕ್ಕುಗಳಲ್ಲಿ ಸಮಾನರಾಗಿದ್ದಾರೆ.",
    "Malayalam": "മനുഷ്യരെല്ലാവരും തുല്യാവകാശങ്ങളോടും അന്തസ്സോടും സ്വാതന്ത്ര്യത്തോടുംകൂടി ജനിച്ചിട്ടുള്ളവരാണ്‌. അവൻ",
    "Sinhala": "සියලු මනුෂ්‍යයෝ නිදහස්ව උපත ලබා ඇත. ගරුත්වයෙන් හා අයිතිවාසිකම්වලින් සමාන වෙති.",
    "Thai": "มนุษย์ทั้งหลายเกิดมามีอิสระและเสมอภาคกันในเกียรติศักดิ์และสิทธิ ๑๒๓",
    "Lao": "ມະນຸດທັງຫຼາຍເກີດມາມີກຽດສັກສີ ແລະ ສິດທິເທົ່າທຽມກັນ ໑໒໓",
    "Khmer": "មនុស្សទាំងអស់ កើតមកមានសេរីភាព និងសមភាព ក្នុងផ្នែកសេចក្ដីថ្លៃថ្នូរ និងសិទ្ធិ។ ១២៣",
    "Myanmar": "လူတိုင်းသည် တူညီ လွတ်လပ်သော ဂုဏ်သိက္ခာဖြင့် လည်းကောင်း၊ မွေးဖွားလာသူများ ဖြစ်သည်။ ၁၂၃",
    "Tibetan": "འགྲོ་བ་མིའི་རིགས་རྒྱུད་ཡོངས་ལ་སྐྱེས་ཙམ་ཉིད་ནས་ཆེ་མཐོངས་དང༌། ཐོབ་ཐང་གི་རང་དབང་འདྲ་མཉམ་དུ་ཡོད་ལ། ༡༢༣",
    "Ethiopic": "የሰው ልጅ ሁሉ ሲወለድ ነጻና በክብርና በመብትም እኩልነት ያለው ነው። ፩፪፫",
    "Cherokee": "ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ ᏂᎦᏓ ᎠᏂᏴᏫ ꮳꮃꭹ",
    "Canadian Aboriginal syllabics": "ᐃᓅᔪᓕᒫᑦ ᐊᓂᖅᑎᕆᔪᓕᒫᑦ ᐃᓱᒪᕐᓱᕐᖢᑎᒃ ᓀᐦᐃᔭᐍᐏᐣ ᑕᗸᒡ ᓱᖽᐧᖿ",
    "Tifinagh": "ⵉⵍⵍⴰ ⵎⴰⵕⵕⴰ ⵡⴰⴷⴷⴰⵏ ⵜⵜⵍⴰⵍⴰⵏ ⴷ ⵉⵍⴻⵍⵍⵉⵜⵏ ⵎⵙⴰⵡⴰⵏ ⴳ ⵍⴽⵔⴰⵎⴰ ⴷ ⵉⵣⵔⴼⴰⵏ.",
    "Vai": "ꕙꔤ ꕉꕜꕮ ꔔꘋ ꖸ ꔰ",
    "Han (Simplified)": "人人生而自由，在尊严和权利上一律平等。他们赋有理性和良心，并应以兄弟关系的精神相对待。",
    "Han (Traditional)": "人人生而自由，在尊嚴和權利上一律平等。他們賦有理性和良心，並應以兄弟關係的精神相對待。",
    "Japanese (kana and kanji)": "すべての人間は、生まれながらにして自由であり、かつ、尊厳と権利とについて平等である。「ニュース」",
    "Korean (Hangul)": "모든 인간은 태어날 때부터 자유로우며 그 존엄과 권리에 있어 동등하다.",
}


@pytest.fixture(scope="module")
def theme() -> Theme:
    return load_theme(STYLES)


@lru_cache(maxsize=None)
def cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(path, lazy=True).getBestCmap())


def uncovered(families: tuple[FontFamily, ...], text: str, bold: bool, italic: bool) -> list[str]:
    """Characters of ``text`` (spaces aside) that no family's file for this style maps."""
    maps = [cmap(f.file(bold, italic)) for f in families]
    return [c for c in dict.fromkeys(text) if not c.isspace() and not any(ord(c) in m for m in maps)]


def fallback_keys() -> list[str]:
    return yaml.safe_load((STYLES / "theme.yaml").read_text(encoding="utf-8"))["fonts"]["fallback"]


@pytest.mark.parametrize("script", SAMPLES, ids=list(SAMPLES))
def test_every_stack_covers_the_script_in_every_style(theme, script):
    text = SAMPLES[script]
    gaps = {
        (which, bold, italic): [f"{c} U+{ord(c):04X}" for c in missing]
        for which in ("body", "display", "code")
        for bold, italic in STYLES_4
        if (missing := uncovered(theme.stack(which), text, bold, italic))
    }
    assert not gaps, f"{script}: characters no font of the stack has: {gaps}"


def test_the_theme_own_faces_stay_first(theme):
    """Latin, Cyrillic, Greek, Armenian and Georgian keep exactly today's fonts: the fallback comes after."""
    assert [f.key for f in theme.stack("body")][:2] == ["serif", "sans"]
    assert [f.key for f in theme.stack("display")][:2] == ["sans", "serif"]
    assert [f.key for f in theme.stack("code")][:2] == ["mono", "sans"]
    for which in ("body", "display", "code"):
        assert [f.key for f in theme.stack(which)][2:] == fallback_keys(), which


@pytest.mark.parametrize("key", fallback_keys())
def test_every_fallback_family_is_needed(theme, key):
    """Without this family some sample loses a character in some style: no dead weight, and removing a
    script's font from the theme fails the coverage test above."""
    without = tuple(f for f in theme.stack("body") if f.key != key)
    lost = {
        script: missing
        for script, text in SAMPLES.items()
        for bold, italic in STYLES_4
        if (missing := uncovered(without, text, bold, italic))
    }
    assert lost, f"{key}: every sample is covered without it"


def test_coverage_fails_when_a_script_loses_its_font(theme):
    body = tuple(f for f in theme.stack("body") if f.key != "devanagari")
    assert uncovered(body, SAMPLES["Devanagari"], False, False)
    assert not uncovered(theme.stack("body"), SAMPLES["Devanagari"], False, False)


# --- the files -------------------------------------------------------------------------------------

FONT_FILES = sorted(p.name for p in FONTS.glob("*.ttf"))


@pytest.mark.parametrize("name", FONT_FILES)
def test_font_has_truetype_outlines_and_loads_in_reportlab(name):
    from fontTools.ttLib import TTFont
    from reportlab.pdfbase.ttfonts import TTFont as ReportlabTTFont

    font = TTFont(FONTS / name, lazy=True)
    assert "glyf" in font and "CFF " not in font and "CFF2" not in font, f"{name}: not TrueType outlines"
    assert "fvar" not in font, f"{name}: a variable font (reportlab would use its default instance only)"
    loaded = ReportlabTTFont(f"test-fonts-{name}", str(FONTS / name))
    assert loaded.face.charToGlyph


def readme_rows() -> dict[str, list[str]]:
    """styles/fonts/README.md's table: file name -> its cells."""
    rows = {}
    for line in (FONTS / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and (match := re.fullmatch(r"`?([\w.-]+\.ttf)`?", cells[0])):
            rows[match.group(1)] = cells
    return rows


def test_every_font_file_is_listed_with_its_licence_and_size():
    rows = readme_rows()
    assert sorted(rows) == FONT_FILES, "styles/fonts/README.md must list exactly the .ttf files of styles/fonts"
    for name, cells in rows.items():
        licence = re.search(r"[\w.-]+\.txt", " ".join(cells))
        assert licence and (FONTS / licence.group()).is_file(), f"{name}: no licence file named, or it is missing"
        size = round((FONTS / name).stat().st_size / 1024)
        assert f"{size:,} KB".replace(",", " ") in cells, f"{name}: README size is not {size} KB"


def test_every_family_names_the_licence_its_files_are_listed_with(theme):
    rows = readme_rows()
    for family in theme.families.values():
        assert family.license is not None and family.license.is_file(), family.key
        for path in {family.file(b, i) for b, i in STYLES_4}:
            assert path.parent == FONTS.resolve() and path.name in rows, path
            assert family.license.name in " ".join(rows[path.name]), (family.key, path.name)


# --- families with fewer than four files -------------------------------------------------------------


def _theme_with_family(tmp_path: Path, family_yaml: str) -> Path:
    styles = tmp_path / "styles"
    styles.mkdir()
    shutil.copy(STYLES / "site.css", styles / "site.css")
    (styles / "theme.yaml").write_text(
        "fonts:\n"
        "  families:\n"
        "    serif:\n"
        + "".join(f"      {line}\n" for line in family_yaml.strip().splitlines())
        + "  body: [serif]\n  display: [serif]\n  code: [serif]\n",
        encoding="utf-8",
    )
    return styles


def test_a_family_of_one_regular_file_serves_every_style(tmp_path):
    regular = (FONTS / "WenQuanYiMicroHei.ttf").resolve()
    theme = load_theme(_theme_with_family(tmp_path, f"name: One\nregular: {regular}"))
    family = theme.families["serif"]
    assert {family.file(b, i) for b, i in STYLES_4} == {regular}
    assert family.own_styles == ("regular",) and family.has_own() and not family.has_own(bold=True)
    assert theme.font_files() == [regular]


def test_a_missing_italic_is_the_upright_file_of_the_same_weight(tmp_path):
    regular, bold = (FONTS / "NotoSerifThai-Regular.ttf").resolve(), (FONTS / "NotoSerifThai-Bold.ttf").resolve()
    family = load_theme(_theme_with_family(tmp_path, f"name: Two\nregular: {regular}\nbold: {bold}")).families["serif"]
    assert (family.file(), family.file(bold=True), family.file(italic=True), family.file(True, True)) == (
        regular, bold, regular, bold)
    assert family.own_styles == ("regular", "bold")


def test_a_missing_bold_italic_keeps_the_slant_when_there_is_no_bold(tmp_path):
    regular, italic = (FONTS / "DejaVuSerif.ttf").resolve(), (FONTS / "DejaVuSerif-Italic.ttf").resolve()
    family = load_theme(_theme_with_family(tmp_path, f"name: Two\nregular: {regular}\nitalic: {italic}")).families["serif"]
    assert (family.file(bold=True), family.file(italic=True), family.file(True, True)) == (regular, italic, italic)


@pytest.mark.parametrize("family_yaml, key, line, words", [
    ("name: None\nbold: fonts/DejaVuSerif-Bold.ttf", "fonts.families.serif", 3, "missing 'regular' font file"),
    ("name: Bad\nregular: fonts/DejaVuSerif.ttf\nbold: 3", "fonts.families.serif.bold", 6, "must be a .ttf path"),
    ("name: Gone\nregular: fonts/DejaVuSerif.ttf\nitalic: fonts/Nope.ttf", "fonts.families.serif.italic", 6,
     "font file not found: fonts/Nope.ttf"),
    ("name: Lic\nregular: fonts/DejaVuSerif.ttf\nlicense: fonts/NOPE.txt", "fonts.families.serif.license", 6,
     "licence file not found"),
])
def test_a_broken_family_is_a_located_error(tmp_path, family_yaml, key, line, words):
    styles = _theme_with_family(tmp_path, family_yaml)
    shutil.copytree(FONTS, styles / "fonts")
    with pytest.raises(SourceError) as caught:
        load_theme(styles)
    [problem] = caught.value.problems
    assert (problem.field, problem.line) == (key, line) and words in problem.message, str(problem)


def test_an_unknown_fallback_family_is_a_located_error(tmp_path):
    styles = _theme_with_family(tmp_path, "name: One\nregular: fonts/DejaVuSerif.ttf")
    shutil.copytree(FONTS, styles / "fonts")
    theme_yaml = styles / "theme.yaml"
    theme_yaml.write_text(theme_yaml.read_text(encoding="utf-8") + "  fallback: [serif, serfi]\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_theme(styles)
    [problem] = caught.value.problems
    assert problem.field == "fonts.fallback.1" and "did you mean 'serif'?" in problem.message, str(problem)
