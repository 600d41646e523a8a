"""The web edition in the article's language (issue 15): labels and long dates by CLDR on every page, phrases in
other languages marked and isolated, direction-aware furniture, and an index that a reader of a multilingual
publication can navigate by language.

The sources are written here: a publication with articles in English, Russian and Arabic (sentences of the
Universal Declaration of Human Rights), built once per module.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

import html5lib
import pytest
from babel.dates import format_date

from conftest import STYLES, articles_of, run_build
from pressrun import model, site
from pressrun.labels import Labels, shipped
from pressrun.language import autonym
from pressrun.theme import load_theme

NS = {"h": "http://www.w3.org/1999/xhtml"}
THEME = load_theme(STYLES)
ENGLISH = Labels()

PUBLICATION = """title: The Caucasus Desk
base_url: https://news.example.org/caucasus/
language: {language}
description: {description}
timezone: Asia/Baku
author: Desk Editor
feed: {{limit: 3}}
"""
DESCRIPTIONS = {"en": "Reporting on the South Caucasus.", "ar": "تقارير من جنوب القوقاز.", "ru": "Репортажи с Южного Кавказа."}

# slug: (language, published, byline, headline, summary, why this matters, takeaways, tags, body)
ARTICLES: dict[str, tuple] = {
    "udhr-ar": (
        "ar", "2024-04-28T09:00:00", "ليلى حداد", "الإعلان العالمي لحقوق الإنسان يبلغ عامه الخامس والسبعين",
        "اعتمدت الجمعية العامة للأمم المتحدة [Universal Declaration of Human Rights]{lang=en} في باريس يوم 10 ديسمبر 1948.",
        "يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق.",
        ["لكل فرد الحق في الحياة والحرية وفي الأمان على شخصه.", "لا يجوز استرقاق أحد أو استعباده."],
        ["حقوق الإنسان"],
        "وقالت المتحدثة إن لجنة برئاسة [Eleanor Roosevelt]{lang=en} صاغت النص بين عامي 1946 و1948.\n\n"
        "```\ncurl -O https://www.ohchr.org/udhr/udhr_arb.pdf\n```\n",
    ),
    "udhr-ru": (
        "ru", "2024-04-27T10:00:00", "Анна Петрова", "Всеобщей декларации прав человека исполнилось 75 лет",
        "Генеральная Ассамблея ООН приняла декларацию в Париже 10 декабря 1948 года.",
        "Все люди рождаются свободными и равными в своем достоинстве и правах.",
        ["Каждый человек имеет право на жизнь, на свободу и на личную неприкосновенность.",
         "Никто не должен содержаться в рабстве или в подневольном состоянии."],
        ["Права человека"],
        "Текст готовила комиссия под руководством [Eleanor Roosevelt]{lang=en}.\n\n"
        "Статья 19: «Каждый человек имеет право на свободу убеждений и на свободное выражение их».\n\n"
        "```\ncurl -O https://www.ohchr.org/udhr/udhr_rus.pdf\n```\n",
    ),
    "udhr-en": (
        "en", "2024-04-26T08:00:00", "Ann Writer", "The Universal Declaration of Human Rights turns seventy-five",
        "The General Assembly adopted the declaration in Paris on 10 December 1948.",
        "All human beings are born free and equal in dignity and rights.",
        ["Everyone has the right to life, liberty and security of person.",
         "No one shall be held in slavery or servitude."],
        ["Human rights"],
        "In Hebrew the first article begins [כל בני האדם נולדו בני חורין ושווים]{lang=he}, the interpreter read.\n\n"
        "```\ncurl -O https://www.ohchr.org/udhr/udhr_eng.pdf\n```\n",
    ),
    "translations-en": (
        "en", "2024-04-20T08:00:00", "Bo Second", "Translators carry the declaration into 500 languages",
        "The declaration is among the most translated documents in the world.", None, [], [],
        "Everyone has the right to freedom of opinion and expression.\n",
    ),
    "chaillot-en": (
        "en", "2024-04-10T08:00:00", "Ann Writer", "Paris remembers the vote at the Palais de Chaillot",
        "Forty-eight states voted for the declaration and none against.", None, [], [],
        "No one shall be subjected to arbitrary arrest, detention or exile.\n",
    ),
    "education-en": (
        "en", "2024-03-01T08:00:00", "Bo Second", "Everyone has the right to education",
        "Article 26 asks that elementary education be free and compulsory.", None, [], [],
        "Education shall be free, at least in the elementary and fundamental stages.\n",
    ),
    "opinion-ru": (
        "ru", "2024-02-01T08:00:00", "Анна Петрова", "Право на свободу убеждений",
        "Статья 19 защищает свободу искать, получать и распространять информацию.", None, [], [],
        "Каждый человек имеет право на образование.\n",
    ),
    "opinion-ar": (
        "ar", "2024-03-15T08:00:00", "ليلى حداد", "حرية الرأي والتعبير حق لكل شخص",
        "تنص المادة 19 على أن لكل شخص الحق في حرية الرأي والتعبير.", None, [], [],
        "لكل شخص الحق في التعلم.\n",
    ),
}
LANGUAGES = ("en", "ar", "ru")  # the index's order: the publication's language, then by tag


def _front_matter(slug: str, spec: tuple) -> str:
    language, published, byline, headline, summary, why, takeaways, tags, body = spec
    lines = ["---", f"headline: {headline}", f"summary: '{summary}'", f"byline: {byline}", f"published: {published}",
             f"language: {language}", f"slug: {slug}"]
    if why:
        lines.append(f"why_this_matters: {why}")
    if takeaways:
        lines += ["takeaways:", *(f"  - {t}" for t in takeaways)]
    if tags:
        lines.append(f"tags: [{', '.join(tags)}]")
    return "\n".join([*lines, "---", body])


def write_source(folder: Path, language: str = "en", languages: tuple[str, ...] = LANGUAGES) -> Path:
    """The publication (in ``language``) with the articles in ``languages``."""
    folder.mkdir(parents=True, exist_ok=True)
    pub = PUBLICATION.format(language=language, description=DESCRIPTIONS[language])
    (folder / "publication.yaml").write_text(pub, encoding="utf-8")
    for slug, spec in ARTICLES.items():
        if spec[0] in languages:
            (folder / f"{slug}.md").write_text(_front_matter(slug, spec), encoding="utf-8")
    return folder


def build(source: Path, out: Path, formats: list[str]) -> Path:
    report = run_build(source, out, formats)
    assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
    return out


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """(source, output) of: the three-language publication in English, the same in Arabic, and a Russian-only one."""
    made = {}
    for name, language, languages in (("multi", "en", LANGUAGES), ("multi-ar", "ar", LANGUAGES), ("ru", "ru", ("ru",))):
        source = write_source(tmp_path_factory.mktemp(f"l10n-src-{name}") / "source", language, languages)
        formats = ["epub", "docx", "feed", "html"] if name == "multi" else ["feed", "html"]
        made[name] = (source, build(source, tmp_path_factory.mktemp(f"l10n-out-{name}"), formats))
    return made


@pytest.fixture(scope="module")
def articles(sites) -> dict[str, model.Article]:
    _, found = articles_of(sites["multi"][0])
    return {a.slug: a for a in found}


def parse(path: Path):
    """Strict HTML5 parse: any parse error fails the test."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(path.read_bytes())


def text_of(element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def exact_text(element) -> str:
    """The text as written: CLDR's dates keep their no-break spaces (\u202f in "27 апреля 2024\u202fг.")."""
    return "".join(element.itertext())


def page(sites, slug: str, site_name: str = "multi"):
    return parse(sites[site_name][1] / site.page_path(slug))


def only(found: list):
    assert len(found) == 1, found
    return found[0]


# --- labels and dates ------------------------------------------------------------------------------------------

PAGE_LABELS = ("why_this_matters", "takeaways", "by", "published", "downloads", "topics", "code_example",
               "index_heading", "languages", "all_languages")


@pytest.mark.parametrize("language", ["ru", "ar", "el", "bn", "ta", "ur", "th", "am", "km", "my", "si", "bo"])
def test_the_shipped_catalogue_translates_every_label_a_page_shows(language):
    labels = THEME.labels_for(language)
    assert [key for key in PAGE_LABELS if getattr(labels, key) == getattr(ENGLISH, key)] == []


@pytest.mark.parametrize("slug", ["udhr-en", "udhr-ru", "udhr-ar"])
def test_article_page_labels_and_long_date_are_in_the_article_language(sites, articles, slug):
    article = articles[slug]
    labels = THEME.labels_for(article.language)
    root = page(sites, slug)
    assert root.get("lang") == article.language and root.get("dir") == ("rtl" if article.language == "ar" else None)
    art = root.find(".//h:article", NS)
    assert text_of(art.find(".//h:section[@class='why-this-matters']/h:h2", NS)) == labels.why_this_matters
    assert text_of(art.find(".//h:section[@class='takeaways']/h:h2", NS)) == labels.takeaways
    assert text_of(art.find(".//h:p[@class='byline']", NS)) == f"{labels.by} {article.byline[0].name}"
    published = art.find(".//h:span[@class='published']", NS)
    time = published.find("h:time", NS)
    long_date = format_date(article.published.date(), format="long", locale=article.language)
    assert exact_text(time) == long_date and exact_text(published) == f"{labels.published} {long_date}"
    assert time.get("datetime") == article.published.isoformat()  # machines still read ISO 8601
    assert art.find(".//h:ul[@class='tags']", NS).get("aria-label") == labels.topics
    assert text_of(art.find(".//h:aside[@class='downloads']/h:h2", NS)) == labels.downloads
    assert art.find(".//h:pre", NS).get("aria-label") == f"{labels.code_example} 1"


def _english_labels(language: str) -> dict[str, str]:
    """Each English label as it would show on a page (the fixed words of a format string), leaving out those the
    language's catalogue writes the same way on purpose ("Word (DOCX)")."""
    own = shipped().get(language, {})
    found = {}
    for f in fields(Labels):
        english = getattr(ENGLISH, f.name)
        words = english.split("{")[0].strip(" :")
        if own.get(f.name) != english and len(words) >= 2:
            found[f.name] = words
    return found


def _text_in(root, language: str) -> Iterator[str]:
    """The text and the read-out attributes of the body's elements whose language (lang, inherited) is ``language``."""

    def walk(element, lang: str) -> Iterator[str]:
        lang = element.get("lang", lang)
        mine = lang == language
        if mine:
            yield from (element.get(a) for a in ("aria-label", "title", "alt") if element.get(a))
            yield element.text or ""
        for child in element:
            yield from walk(child, lang)
            if mine:
                yield child.tail or ""

    yield from walk(root.find("h:body", NS), root.get("lang"))


@pytest.mark.parametrize("site_name,path,language", [
    ("multi", "articles/udhr-ru.html", "ru"), ("multi", "articles/udhr-ar.html", "ar"),
    ("multi", "articles/opinion-ar.html", "ar"), ("multi-ar", "index.html", "ar"), ("ru", "index.html", "ru"),
])
def test_no_english_label_on_a_russian_or_arabic_page(sites, site_name, path, language):
    root = parse(sites[site_name][1] / path)
    text = "\n".join(_text_in(root, language))
    assert len(text) > 100  # the page's own text was read
    left = {key: words for key, words in _english_labels(language).items() if re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text)}
    assert not left, left


def test_index_furniture_is_in_the_publication_language_and_teasers_in_their_own(sites, articles):
    root = parse(sites["multi-ar"][1] / "index.html")
    labels = THEME.labels_for("ar")
    assert (root.get("lang"), root.get("dir")) == ("ar", "rtl")
    assert only(root.findall(".//h:nav", NS)).get("aria-label") == labels.languages
    assert text_of(root.find(".//h:footer/h:p[@class='feeds']/h:span[@class='feeds-name']", NS)) == labels.all_languages
    for teaser in root.findall(".//h:article[@class='teaser']", NS):
        slug = teaser.find("h:h3/h:a", NS).get("href").removeprefix("articles/").removesuffix(".html")
        article = articles[slug]
        assert teaser.get("lang") == article.language
        time = teaser.find(".//h:time", NS)
        assert exact_text(time) == format_date(article.published.date(), format="long", locale=article.language)
        assert time.get("datetime") == article.published.isoformat()


def test_single_language_index_keeps_one_list_headed_in_its_language(sites):
    root = parse(sites["ru"][1] / "index.html")
    assert root.find(".//h:nav", NS) is None and root.find(".//h:section[@id='lang-ru']", NS) is None
    assert text_of(root.find(".//h:h2[@id='latest-h']", NS)) == THEME.labels_for("ru").index_heading
    assert len(root.findall(".//h:article[@class='teaser']", NS)) == 2
    assert all(link.get("hreflang") is None for link in root.findall(".//h:link[@rel='alternate']", NS))
    assert not (sites["ru"][1] / "feeds" / "lang").exists()


# --- phrases in other languages, and direction -------------------------------------------------------------------


def test_a_phrase_in_the_other_direction_is_isolated_with_its_direction(sites):
    hebrew = only(page(sites, "udhr-en").findall(".//h:div[@class='story']//h:bdi", NS))
    assert (hebrew.get("lang"), hebrew.get("dir"), text_of(hebrew)) == ("he", "rtl", "כל בני האדם נולדו בני חורין ושווים")
    english = only(page(sites, "udhr-ar").findall(".//h:div[@class='story']//h:bdi", NS))
    assert (english.get("lang"), english.get("dir"), text_of(english)) == ("en", "ltr", "Eleanor Roosevelt")


def test_a_phrase_in_the_same_direction_is_a_span_with_its_language(sites):
    story = page(sites, "udhr-ru").find(".//h:div[@class='story']", NS)
    assert story.findall(".//h:bdi", NS) == []
    span = only(story.findall(".//h:span[@lang]", NS))
    assert (span.get("lang"), span.get("dir"), text_of(span)) == ("en", None, "Eleanor Roosevelt")


def test_teasers_isolate_phrases_against_their_own_article_direction(sites):
    root = parse(sites["multi"][1] / "index.html")
    teaser = root.find(".//h:section[@id='lang-ar']//h:article[@class='teaser']", NS)
    bdi = only(teaser.findall(".//h:p[@class='standfirst']/h:bdi", NS))
    assert (bdi.get("lang"), bdi.get("dir")) == ("en", "ltr")


def test_code_reads_left_to_right_in_an_arabic_page(sites):
    story = page(sites, "udhr-ar").find(".//h:div[@class='story']", NS)
    assert only(story.findall(".//h:pre", NS)).get("dir") == "ltr"
    css = (sites["multi"][1] / "css" / "site.css").read_text(encoding="utf-8")
    assert re.search(r"pre, code \{ direction: ltr; unicode-bidi: isolate; \}", css)
    assert re.search(r"bdi, \[dir\] \{ unicode-bidi: isolate; \}", css)


def test_site_css_places_rules_and_bullets_on_the_start_side():
    css = (STYLES / "site.css").read_text(encoding="utf-8")
    assert re.search(r"\.why-this-matters \{[^}]*border-inline-start:", css)
    assert re.search(r"\.takeaways ul \{[^}]*padding-inline-start:", css)
    assert "text-align: start" in css
    # Nothing is placed by a physical side: a right-to-left page mirrors all of it (code by its own direction).
    assert not re.findall(r"(?:border|padding|margin)-(?:left|right)|float: (?:left|right)|text-align: (?:left|right)", css)


def test_publication_title_on_an_article_page_in_another_language_is_marked(sites):
    masthead = page(sites, "udhr-ar").find(".//h:header[@class='masthead']/h:a", NS)
    assert (masthead.get("lang"), masthead.get("dir")) == ("en", "ltr")
    assert page(sites, "udhr-ru").find(".//h:header[@class='masthead']/h:a", NS).get("dir") is None
    assert page(sites, "udhr-en").find(".//h:header[@class='masthead']/h:a", NS).get("lang") is None


# --- the multilingual index --------------------------------------------------------------------------------------


def test_index_navigates_by_language(sites, articles):
    out = sites["multi"][1]
    root = parse(out / "index.html")
    nav = only(root.findall(".//h:nav", NS))
    assert nav.get("aria-label") == THEME.labels_for("en").languages
    links = nav.findall(".//h:a", NS)
    assert [text_of(a) for a in links] == [autonym(t) for t in LANGUAGES] == ["English", "العربية", "Русский"]
    for link, tag in zip(links, LANGUAGES, strict=True):
        assert (link.get("lang"), link.get("hreflang"), link.get("dir")) == (tag, tag, "rtl" if tag == "ar" else None)
        assert link.get("href") == f"#lang-{tag}"
        section = only(root.findall(f".//h:section[@id='lang-{tag}']", NS))
        assert (section.get("lang"), section.get("dir")) == (tag, "rtl" if tag == "ar" else None)
        heading = section.find("h:h2", NS)
        assert text_of(heading) == autonym(tag) and section.get("aria-labelledby") == heading.get("id")
        teasers = [a.get("href") for a in section.findall("h:article/h:h3/h:a", NS)]
        mine = sorted((a for a in articles.values() if a.language == tag), key=lambda a: a.published, reverse=True)
        assert teasers == [a.page_path for a in mine]  # that language's articles, newest first
        feeds = [a.get("href") for a in section.findall("h:p[@class='feeds']/h:a", NS)]
        assert feeds == list(site.language_feeds(tag)) and all((out / f).is_file() for f in feeds)
        assert {a.get("hreflang") for a in section.findall("h:p[@class='feeds']/h:a", NS)} == {tag}
    assert root.find(".//h:h2[@id='latest-h']", NS) is None  # the sections replace the one list


def test_index_and_article_pages_advertise_language_feeds(sites):
    index = parse(sites["multi"][1] / "index.html")
    alternates = [(link.get("hreflang"), link.get("href")) for link in index.findall(".//h:head/h:link[@rel='alternate']", NS)]
    assert [href for lang, href in alternates if lang is None] == ["feeds/rss.xml", "feeds/atom.xml", "feeds/feed.json"]
    for tag in LANGUAGES:
        assert [href for lang, href in alternates if lang == tag] == list(site.language_feeds(tag))
    root = page(sites, "udhr-ru")
    links = root.findall(".//h:head/h:link[@rel='alternate']", NS)
    assert [(link.get("hreflang"), link.get("href")) for link in links if link.get("hreflang")] == [
        ("ru", f"../{path}") for path in site.language_feeds("ru")]
    title = only([link for link in links if link.get("href") == "../feeds/lang/ru.atom.xml"]).get("title")
    assert title == "The Caucasus Desk — Русский (Atom)"
    names = [text_of(s) for s in root.findall(".//h:footer/h:p[@class='feeds']/h:span[@class='feeds-name']", NS)]
    assert names == ["Русский", THEME.labels_for("ru").all_languages]


def test_an_arabic_publication_sets_its_left_to_right_sections_apart(sites):
    root = parse(sites["multi-ar"][1] / "index.html")
    assert [(s.get("id"), s.get("dir")) for s in root.findall(".//h:section", NS)] == [
        ("lang-ar", None), ("lang-en", "ltr"), ("lang-ru", "ltr")]
    assert [a.get("dir") for a in root.findall(".//h:nav//h:a", NS)] == [None, "ltr", "ltr"]


def test_every_page_parses_and_every_local_link_resolves(sites):
    for _, out in sites.values():
        pages = sorted(out.rglob("*.html"))
        assert len(pages) >= 3
        for path in pages:
            root = parse(path)
            ids = {e.get("id") for e in root.iter() if e.get("id")}
            for element in root.iter():
                href = element.get("href") or element.get("src")
                if not href or href.startswith(("http", "mailto:")):
                    continue
                if href.startswith("#"):
                    assert href[1:] in ids, (path.name, href)
                else:
                    assert (path.parent / href.split("#")[0]).resolve().is_file(), (path.name, href)


# --- seen in a browser ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from test_accessibility import AXE_JS, CHROMIUM, INSTALL

    if not AXE_JS.exists() or not CHROMIUM.exists():
        pytest.skip(f"axe-core and Chromium are needed ({INSTALL})")
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        yield chromium
        chromium.close()


@pytest.mark.parametrize("site_name,path", [
    ("multi", "index.html"), ("multi-ar", "index.html"), ("multi", "articles/udhr-ar.html"), ("multi", "articles/udhr-en.html"),
])
def test_axe_finds_no_critical_or_serious_violation(browser, sites, site_name, path):
    from test_accessibility import BLOCKING, run_axe

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        tab.goto((sites[site_name][1] / path).as_uri())
        results = run_axe(tab)
    finally:
        context.close()
    assert len(results["passes"]) >= 10
    blocking = [(v["id"], [n["target"] for n in v["nodes"]]) for v in results["violations"] if v["impact"] in BLOCKING]
    assert not blocking, blocking


def test_arabic_page_has_its_rule_and_bullets_on_the_right_and_its_code_left_to_right(browser, sites):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        tab.goto((sites["multi"][1] / "articles" / "udhr-ar.html").as_uri())
        style = tab.evaluate("""() => {
            const s = sel => getComputedStyle(document.querySelector(sel));
            const box = document.querySelector('.why-this-matters').getBoundingClientRect();
            const list = document.querySelector('.takeaways ul').getBoundingClientRect();
            const item = document.querySelector('.takeaways li').getBoundingClientRect();
            const text = document.querySelector('.story p').getBoundingClientRect();
            return {rule: [s('.why-this-matters').borderRightWidth, s('.why-this-matters').borderLeftWidth],
                    bullets: [s('.takeaways ul').paddingRight, s('.takeaways ul').paddingLeft],
                    itemRight: item.right, listRight: list.right, boxRight: box.right, textRight: text.right,
                    pre: s('pre').direction, code: s('pre code').direction, align: s('pre').textAlign};
        }""")
    finally:
        context.close()
    assert style["rule"] == ["4px", "0px"], style
    assert style["bullets"][1] == "0px" and style["bullets"][0] != "0px", style
    assert style["itemRight"] < style["listRight"]  # items start inset from the right, where their bullets hang
    assert style["boxRight"] == style["textRight"]  # the box's rule lines up with the story's right edge
    assert (style["pre"], style["code"], style["align"]) == ("ltr", "ltr", "start")
