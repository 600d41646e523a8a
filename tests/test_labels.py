"""Labels per language (issue 15): the shipped catalogue, fallbacks, theme overrides, one warning per build,
CLDR dates and lists, language tags checked against the registry, and [phrase]{lang=xx} spans."""

from __future__ import annotations

import re
import shutil
import string
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml
from babel.dates import format_date as babel_date

from conftest import FIXTURES, STYLES, run_build
from pressrun import model
from pressrun.errors import Severity, SourceError
from pressrun.labels import CATALOGUE, LABEL_FIELDS, LABEL_KEYS, Labels, shipped
from pressrun.language import check_tag, direction
from pressrun.readers.markdown import BodyConverter
from pressrun.render.wording import byline_text, format_date, join_names, split_names
from pressrun.theme import load_theme

REQUIRED = ("ar hy az zh-Hans zh-Hant en fr ka de he hi it ja ko fa pl pt ru es tr uk "
            "el bn ta ur th am km my si bo").split()
# Labels that are the same words in every language (format names), and words a language shares with English.
NEUTRAL = {"word_download", "colon"}
SAME_AS_ENGLISH = {("fr", "photo"), ("fr", "figure")}


def test_the_catalogue_has_every_label_for_every_required_language():
    catalogue = shipped()
    assert set(REQUIRED) <= set(catalogue), sorted(set(REQUIRED) - set(catalogue))
    for tag, labels in catalogue.items():
        assert set(labels) == set(LABEL_KEYS), (tag, set(labels) ^ set(LABEL_KEYS))
        for key, text in labels.items():
            assert isinstance(text, str) and (text.strip() == text or key == "colon") and text.strip(), (tag, key)
            fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
            assert fields == LABEL_FIELDS.get(key, set()), (tag, key, text)


def test_translations_are_translated_and_in_their_script():
    english = shipped()["en"]
    script_letters = {"ar": "\u0600-\u06ff", "fa": "\u0600-\u06ff", "he": "\u0590-\u05ff", "hy": "\u0530-\u058f",
                      "ka": "\u10a0-\u10ff", "ru": "\u0400-\u04ff", "uk": "\u0400-\u04ff", "hi": "\u0900-\u097f",
                      "ja": "\u3040-\u30ff\u4e00-\u9fff", "ko": "\uac00-\ud7af", "zh-Hans": "\u4e00-\u9fff",
                      "zh-Hant": "\u4e00-\u9fff", "el": "\u0370-\u03ff", "bn": "\u0980-\u09ff", "ta": "\u0b80-\u0bff",
                      "ur": "\u0600-\u06ff", "th": "\u0e00-\u0e7f", "am": "\u1200-\u137f", "km": "\u1780-\u17ff",
                      "my": "\u1000-\u109f", "si": "\u0d80-\u0dff", "bo": "\u0f00-\u0fff"}

    for tag, labels in shipped().items():
        if tag == "en":
            continue
        same = [k for k in LABEL_KEYS if k not in NEUTRAL and (tag, k) not in SAME_AS_ENGLISH and labels[k] == english[k]]
        assert not same, (tag, same)
        if tag in script_letters:
            for key in ("why_this_matters", "takeaways", "published", "contents"):
                assert re.search(f"[{script_letters[tag]}]", labels[key]), (tag, key, labels[key])
    assert shipped()["zh-Hant"]["published"] != shipped()["zh-Hans"]["published"]  # 發布 / 发布


# The languages added for the world fixtures (tests/fixtures/world/<tag>): the Unicode script their labels are
# written in (the start of its characters' names), and how a sentence of the accessibility summary ends.
WORLD = {"el": ("GREEK", "."), "bn": ("BENGALI", "।"), "ta": ("TAMIL", "."), "ur": ("ARABIC", "۔"),
         "th": ("THAI", ""), "am": ("ETHIOPIC", "።"), "km": ("KHMER", "។"), "my": ("MYANMAR", "။"),
         "si": ("SINHALA", "."), "bo": ("TIBETAN", "།")}
# Names of formats and standards: in Latin letters in every language ("የWCAG 2.1", "WCAG-এর").
LATIN_NAMES = re.compile(r"(?<![A-Za-z])(?:WCAG|AA|EPUB|DOCX|Word)(?![A-Za-z])")


def _placeholders(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("tag", WORLD)
def test_the_world_languages_have_their_own_labels(tag):
    """Loaded as an article in that language would be: every label translated, its placeholders kept, in the
    language's own script, and the accessibility sentences closed by the language's full stop (Thai has none)."""
    script, full_stop = WORLD[tag]
    theme = load_theme(STYLES)
    labels, english = theme.labels_for(tag), Labels()
    assert theme.missing_labels(tag) == ()
    for key in LABEL_KEYS:
        own, default = getattr(labels, key), getattr(english, key)
        assert _placeholders(own) == _placeholders(default), (tag, key, own)
        if key == "word_download" or (key == "colon" and own == default):
            continue  # "Word (DOCX)" everywhere; ": " where the language writes the colon as English does
        assert own != default, (tag, key)
        letters = [c for c in LATIN_NAMES.sub("", re.sub(r"\{\w+\}", "", own))
                   if c.isalpha() or unicodedata.category(c).startswith("M")]
        if key == "colon":  # "፦ ", "៖ ": the script's own colon sign
            letters = [c for c in own if not c.isspace()]
        assert letters and all(unicodedata.name(c).startswith(script) for c in letters), (tag, key, own)
        if key.startswith("a11y_"):
            assert own.endswith(full_stop) if full_stop else own[-1] not in ".ฯ", (tag, key, own)


@pytest.mark.parametrize("tag, expected_from", [
    ("pt-BR", "pt"), ("de-AT", "de"), ("zh-TW", "zh-Hant"), ("zh-Hant-HK", "zh-Hant"), ("zh", "zh-Hans"),
    ("zh-CN", "zh-Hans"), ("ru", "ru"), ("az-Latn-AZ", "az"), ("sr-Latn", None), ("az-Arab", None),
])
def test_an_article_takes_the_nearest_catalogue_entry_in_its_own_script(tag, expected_from):
    theme = load_theme(STYLES)
    labels = theme.labels_for(tag)
    if expected_from is None:  # no labels in this language and script: the theme's language, and a warning
        assert labels.why_this_matters == shipped()["en"]["why_this_matters"]
        assert set(theme.missing_labels(tag)) == set(LABEL_KEYS)
    else:
        assert labels.why_this_matters == shipped()[expected_from]["why_this_matters"]
        assert theme.missing_labels(tag) == ()


def _styles_with_labels(tmp_path: Path, labels_yaml: str) -> Path:
    styles = tmp_path / "styles"
    shutil.copytree(STYLES, styles)
    text = (styles / "theme.yaml").read_text(encoding="utf-8")
    assert "\nlabels: {}\n" in text
    (styles / "theme.yaml").write_text(text.replace("\nlabels: {}\n", "\n" + labels_yaml), encoding="utf-8")
    return styles


def _source(tmp_path: Path, articles: dict[str, str] | list[tuple[str, str]], language: str = "en") -> Path:
    source = tmp_path / "source"
    source.mkdir()
    (source / "publication.yaml").write_text(
        f"title: Labels Desk\nbase_url: https://labels.example.org/\nlanguage: {language}\n"
        "description: Labels in every language.\nauthor: Desk\n", encoding="utf-8")
    for n, (lang, body) in enumerate(articles.items() if isinstance(articles, dict) else articles, 1):
        (source / f"a{n}.md").write_text(
            f"---\nheadline: Article {n}\nsummary: A summary.\npublished: 2024-04-27T10:00:00Z\nlanguage: {lang}\n"
            f"slug: a{n}\nwhy_this_matters: It matters.\n---\n{body}\n", encoding="utf-8")
    return source


def _page(out: Path, slug: str) -> str:
    return (out / "articles" / f"{slug}.html").read_text(encoding="utf-8")


def test_a_theme_overrides_one_label_and_keeps_the_rest(tmp_path):
    styles = _styles_with_labels(tmp_path, "labels:\n  why_this_matters: What is at stake\n  ar:\n    takeaways: خلاصة القول\n")
    source = _source(tmp_path, {"en": "English text.", "ar": "نص عربي قصير."})
    report = run_build(source, tmp_path / "out", ["html"], styles=styles)
    assert report.exit_code == 0 and not report.problems, [str(p) for p in report.problems]
    english, arabic = _page(tmp_path / "out", "a1"), _page(tmp_path / "out", "a2")
    assert "What is at stake" in english and "Why this matters" not in english
    assert shipped()["ar"]["why_this_matters"] in arabic  # the override of another key leaves this one shipped


def test_a_theme_adds_a_language_without_code(tmp_path):
    styles = _styles_with_labels(tmp_path, "labels:\n  ca:\n" + "".join(
        f"    {k}: \"{v}\"\n" for k, v in {"why_this_matters": "Per què és important", "published": "Publicat",
                                           "takeaways": "Claus"}.items()))
    source = _source(tmp_path, {"ca": "Tots els éssers humans neixen lliures i iguals en dignitat i en drets."})
    report = run_build(source, tmp_path / "out", ["html"], styles=styles)
    page = _page(tmp_path / "out", "a1")
    assert "Per què és important" in page and "Publicat" in page
    assert babel_date(datetime(2024, 4, 27).date(), format="long", locale="ca") in page  # "27 d’abril de 2024"
    warnings = [p for p in report.problems if p.severity is Severity.WARNING and "'ca'" in p.message]
    assert len(warnings) == 1 and "by" in warnings[0].message and "why_this_matters" not in warnings[0].message


def test_a_language_without_labels_warns_once_per_build_not_per_article(tmp_path):
    source = _source(tmp_path, [("ca", "Primer."), ("ca", "Segon."), ("ca", "Tercer."), ("eu", "Laugarrena.")])
    report = run_build(source, tmp_path / "out", ["html"])
    assert report.exit_code == 0
    messages = [p.message for p in report.problems if p.severity is Severity.WARNING]
    assert sum("'ca'" in m for m in messages) == 1 and sum("'eu'" in m for m in messages) == 1, messages
    assert all("why_this_matters" in m and "theme" in m for m in messages)


@pytest.mark.parametrize("theme_yaml, key, words", [
    ("labels:\n  why_this_mater: X\n", "labels.why_this_mater", "did you mean 'why_this_matters'?"),
    ("labels:\n  ar:\n    takeaway: X\n", "labels.ar.takeaway", "did you mean 'takeaways'?"),
    ("labels:\n  ru:\n    page: 'Стр. {стр}'\n", "labels.ru.page", "unknown placeholder"),
    ("labels:\n  en--US:\n    by: X\n", "labels.en--US", "neither a label nor a language tag"),
    ("language: en--US\n", "language", "not a BCP 47 language tag"),
])
def test_label_mistakes_are_located(tmp_path, theme_yaml, key, words):
    styles = tmp_path / "styles"
    shutil.copytree(STYLES, styles)
    text = (styles / "theme.yaml").read_text(encoding="utf-8")
    text = text.replace("\nlabels: {}\n", "\n").replace("\nlanguage: en\n", "\n")
    (styles / "theme.yaml").write_text(theme_yaml + text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_theme(styles)
    problems = caught.value.problems
    assert any(p.field == key and words in p.message and p.line for p in problems), [str(p) for p in problems]


# Languages whose CLDR default numbering system is not Latin digits (Arabic has "latn" by default).
NATIVE_DIGITS = {"fa": "۰۱۲۳۴۵۶۷۸۹", "bn": "০১২৩৪৫৬৭৮৯", "my": "၀၁၂၃၄၅၆၇၈၉"}


@pytest.mark.parametrize("tag", REQUIRED)
def test_dates_are_cldr_long_dates(tag):
    moment = datetime(2024, 4, 27, 10, 0, tzinfo=timezone.utc)
    expected = babel_date(moment.date(), format="long", locale=tag.replace("-", "_"))
    if tag in NATIVE_DIGITS:  # CLDR's default numbering is the language's own digits, which Babel leaves to the caller
        expected = expected.translate(str.maketrans("0123456789", NATIVE_DIGITS[tag]))
    if tag == "fa":
        assert expected == "۲۷ آوریل ۲۰۲۴"
    assert format_date(moment, tag) == expected


def test_named_dates_in_the_issue():
    moment = datetime(2024, 4, 27, tzinfo=timezone.utc)
    assert format_date(moment, "ru") == "27 апреля 2024\u202fг."  # CLDR: a narrow no-break space before г.
    assert format_date(moment, "ja") == "2024年4月27日"
    assert format_date(moment, "ar") in ("27 أبريل 2024", "٢٧ أبريل ٢٠٢٤")


@pytest.mark.parametrize("language, names", [
    ("en", ["Ann Smith", "Bo Li", "Cy Tan"]), ("ru", ["Анна Петрова", "Игорь Смирнов"]),
    ("ja", ["山田花子", "佐藤健", "鈴木一郎"]), ("ar", ["ليلى حسن", "عمر خالد", "وليد سمير"]), ("az", ["Leyla", "Nicat"]),
])
def test_bylines_join_and_split_as_the_language_does(language, names):
    joined = join_names(names, language)
    assert split_names(joined, language) == names
    assert byline_text(tuple(model.Author(n) for n in names), language) == joined
    if language == "ru":
        assert joined == "Анна Петрова и Игорь Смирнов"


@pytest.mark.parametrize("given, canonical", [("hau", "ha"), ("iw", "he"), ("cat", "ca"), ("zh-cmn-Hans", "zh-Hans"),
                                              ("EN-gb", "en-GB"), ("az-Latn", "az-Latn")])
def test_language_tags_are_canonical(tmp_path, given, canonical):
    assert check_tag(given).tag == canonical
    source = _source(tmp_path, {given: "Text."})
    report = run_build(source, tmp_path / "out", ["html"])
    assert report.exit_code == 0
    assert f'<html lang="{canonical}"' in _page(tmp_path / "out", "a1")


def test_unknown_and_ill_formed_tags_are_located(tmp_path):
    source = _source(tmp_path, {"xq": "Text.", "en--US": "Text."})
    report = run_build(source, tmp_path / "out", ["html"])
    assert report.exit_code == 2
    by_severity = {(p.severity, Path(p.path).name, p.field, p.line) for p in report.problems if p.field == "language"}
    assert (Severity.WARNING, "a1.md", "language", 5) in by_severity, report.problems
    assert (Severity.ERROR, "a2.md", "language", 5) in by_severity, report.problems
    assert not (tmp_path / "out" / "articles").exists()


def _converter(problems: list) -> BodyConverter:
    return BodyConverter("en", lambda *a: None, lambda m, line: problems.append(("warning", m)),
                         error=lambda m, line: problems.append(("error", m)))


def test_spans_become_language_spans_with_canonical_tags():
    problems: list = []
    nodes = _converter(problems).inlines("Say [שלום]{lang=iw} to *[İlham Əliyev]{lang=az}* and [x]{bar}.")
    assert nodes == (model.Text("Say "), model.LanguageSpan("he", (model.Text("שלום"),)), model.Text(" to "),
                     model.Emphasis((model.LanguageSpan("az", (model.Text("İlham Əliyev"),)),)),
                     model.Text(" and [x]{bar}."))
    assert problems == []
    assert direction("he") == "rtl" and direction("az") == "ltr"


def test_bad_spans_keep_their_text_and_say_why():
    problems: list = []
    nodes = _converter(problems).inlines("[one]{lang=en--US} [two]{.note lang=fr} [three]{#x}")
    assert model.plain_text(nodes) == "one two three"
    assert [kind for kind, _ in problems] == ["error", "warning", "warning"], problems
    assert "lang" in problems[0][1] and "ignored" in problems[1][1]
    assert model.LanguageSpan("fr", (model.Text("two"),)) in nodes


def test_the_catalogue_files_are_plain_yaml():
    for path in sorted(CATALOGUE.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict) and path.stem == check_tag(path.stem).tag, path


def test_the_fixture_languages_read(tmp_path):
    report = run_build(FIXTURES / "l10n", tmp_path / "out", ["html"])
    assert report.exit_code == 0 and not report.problems, [str(p) for p in report.problems]


@pytest.mark.parametrize("tag, reading", [("en-GB", "en"), ("pt-BR", "pt"), ("zh-TW", "zh-Hant"), ("zh-CN", "zh"),
                                          ("sr-Latn", "sr-Latn"), ("az-Arab", "az-Arab"), ("ar-EG", "ar")])
def test_readers_choose_by_language_and_script_not_region(tag, reading):
    from pressrun.exporters.base import publication_languages
    from pressrun.language import reading_language

    assert reading_language(tag) == reading
    articles = [model.Article(id=f"a{n}", slug=f"a{n}", source_path=Path("a.md"), headline="H", summary=(), byline=(),
                              published=datetime(2024, 1, 1, tzinfo=timezone.utc), language=lang, body=())
                for n, lang in enumerate((tag, reading.split("-")[0]))]
    # Beside an article in the bare language: one language for a regional variant, two for another script.
    bare = reading.split("-")[0]
    expected = () if reading == bare else tuple(sorted((reading, bare)))
    assert publication_languages(articles, "en") == expected
