"""Feeds of a multilingual publication (issue 15): one RSS, Atom and JSON Feed per language besides the
all-language ones, every entry in its own language, and the entry's content in its language's words.

The three-language source is the web edition's (``test_l10n_web.write_source``), built once per module.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import html5lib
import jsonschema
import pytest
from babel.dates import format_date
from lxml import etree

from conftest import STYLES, articles_of
from pressrun import model, site
from pressrun.exporters.feed import paths
from pressrun.labels import Labels
from pressrun.language import autonym
from pressrun.theme import load_theme
from pressrun.verify.feeds import json_feed_schema
from test_l10n_web import LANGUAGES, build, write_source

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
THEME = load_theme(STYLES)
LIMIT = 3  # the source's feed limit


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    source = write_source(tmp_path_factory.mktemp("l10n-feed-src") / "source")
    return source, build(source, tmp_path_factory.mktemp("l10n-feed-out"), ["epub", "feed"])


@pytest.fixture(scope="module")
def out(built) -> Path:
    return built[1]


@pytest.fixture(scope="module")
def publication_and_articles(built) -> tuple[model.Publication, list[model.Article]]:
    return articles_of(built[0])


def newest(articles: list[model.Article], language: str | None = None) -> list[str]:
    """The ids a feed should hold: the newest ``LIMIT`` articles (in ``language``), newest first."""
    chosen = [a for a in articles if language in (None, a.language)]
    return [a.id for a in sorted(chosen, key=lambda a: (-a.published.timestamp(), a.slug))[:LIMIT]]


def parse(path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(path.read_bytes())
    assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
    return parsed


def xml(path: Path) -> etree._Element:
    return etree.fromstring(path.read_bytes())


def by_id(articles: list[model.Article]) -> dict[str, model.Article]:
    return {a.id: a for a in articles}


# --- one feed set per language ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_rss_atom_and_json_feeds_of_its_newest_articles(out, publication_and_articles, language):
    publication, articles = publication_and_articles
    rss_path, atom_path, json_path = site.language_feeds(language)
    expected = newest(articles, language)
    title = f"{publication.title} — {autonym(language)}"
    home = f"{publication.base_url}#lang-{language}"
    for path in (rss_path, atom_path):
        parsed = parse(out / path)
        assert parsed.version == ("rss20" if path.endswith(".rss.xml") else "atom10")
        assert (parsed.feed.title, parsed.feed.link) == (title, home)
        assert [e.id for e in parsed.entries] == expected
    channel = xml(out / rss_path).find("channel")
    assert channel.findtext("language") == language
    assert [item.findtext(f"{DC}language") for item in channel.findall("item")] == [language] * len(expected)
    feed = xml(out / atom_path)
    assert feed.get(XML_LANG) == language
    assert [entry.get(XML_LANG) for entry in feed.findall(f"{ATOM}entry")] == [language] * len(expected)
    data = json.loads((out / json_path).read_text(encoding="utf-8"))
    assert (data["title"], data["language"], data["home_page_url"]) == (title, language, home)
    assert data["feed_url"] == publication.url(json_path)
    assert [(i["id"], i["language"]) for i in data["items"]] == [(i, language) for i in expected]


def test_the_feed_limit_applies_to_each_language(out, publication_and_articles):
    _, articles = publication_and_articles
    english = [a for a in articles if a.language == "en"]
    assert len(english) > LIMIT  # the fixture has more English articles than a feed holds
    entries = parse(out / site.language_feeds("en")[1]).entries
    assert len(entries) == LIMIT and [e.id for e in entries] == newest(articles, "en")


def test_every_json_feed_is_valid_json_feed_1_1(out):
    validator = jsonschema.Draft202012Validator(json_feed_schema(), format_checker=jsonschema.FormatChecker())
    files = [out / paths.JSON, *(out / site.language_feeds(t)[2] for t in LANGUAGES)]
    for path in files:
        validator.validate(json.loads(path.read_text(encoding="utf-8")))


def test_the_description_of_a_language_feed_keeps_the_publication_language(out, publication_and_articles):
    publication, _ = publication_and_articles
    subtitle = xml(out / site.language_feeds("ru")[1]).find(f"{ATOM}subtitle")
    assert (subtitle.text, subtitle.get(XML_LANG)) == (publication.description, publication.language)
    assert xml(out / paths.ATOM).find(f"{ATOM}subtitle").get(XML_LANG) is None  # the feed's own language already


# --- every entry in its own language, in every feed -------------------------------------------------------------


def test_all_language_feeds_mark_each_entry_with_its_language(out, publication_and_articles):
    publication, articles = publication_and_articles
    expected = newest(articles)
    languages = [by_id(articles)[i].language for i in expected]
    assert len(set(languages)) == 3  # the newest articles are in all three languages
    feed = xml(out / paths.ATOM)
    assert feed.get(XML_LANG) == publication.language
    assert [(e.findtext(f"{ATOM}id"), e.get(XML_LANG)) for e in feed.findall(f"{ATOM}entry")] == list(zip(expected, languages))
    items = json.loads((out / paths.JSON).read_text(encoding="utf-8"))["items"]
    assert [(i["id"], i["language"]) for i in items] == list(zip(expected, languages))
    channel = xml(out / paths.RSS).find("channel")
    assert [item.findtext(f"{DC}language") for item in channel.findall("item")] == languages
    for entry, language in zip(parse(out / paths.ATOM).entries, languages, strict=True):
        assert entry.content[0].language == language  # what a feed reader is told


def _content(out: Path, language: str) -> list[tuple[str, str]]:
    """(id, content HTML) of the entries of a language's JSON feed."""
    items = json.loads((out / site.language_feeds(language)[2]).read_text(encoding="utf-8"))["items"]
    return [(i["id"], i["content_html"]) for i in items]


@pytest.mark.parametrize("language", LANGUAGES)
def test_entry_content_speaks_the_entry_language(out, publication_and_articles, language):
    _, articles = publication_and_articles
    labels = THEME.labels_for(language)
    english = Labels()
    for item_id, content in _content(out, language):
        article = by_id(articles)[item_id]
        text = "".join(html5lib.parseFragment(content, namespaceHTMLElements=False).itertext())
        assert f"{labels.downloads}: " in text  # the downloads line, in the entry's words
        assert format_date(article.published.date(), format="long", locale=language) in text
        if article.why_this_matters:
            assert labels.why_this_matters in text and labels.takeaways in text
        if language != "en":
            for key in ("why_this_matters", "takeaways", "published", "downloads"):
                assert getattr(english, key) not in text, key


def test_phrases_keep_language_and_direction_through_feed_readers(out, publication_and_articles):
    """Feed readers sanitise with an allowlist (feedparser's, the W3C validator's) that keeps <span lang dir> and
    drops <bdi>: a span with ``dir`` is isolated all the same."""
    english_page = dict(_content(out, "en"))
    arabic_page = dict(_content(out, "ar"))
    assert any('<span lang="he" dir="rtl">כל בני האדם נולדו בני חורין ושווים</span>' in c for c in english_page.values())
    assert any('<span lang="en" dir="ltr">Eleanor Roosevelt</span>' in c for c in arabic_page.values())
    for content in (*english_page.values(), *arabic_page.values()):
        assert "<bdi" not in content
    sanitised = parse(out / site.language_feeds("en")[1]).entries[0].content[0].value
    assert '<span dir="rtl" lang="he">' in sanitised or '<span lang="he" dir="rtl">' in sanitised


def test_right_to_left_content_is_set_right_to_left(out, publication_and_articles):
    for _, content in _content(out, "ar"):
        assert content.startswith('<div dir="rtl">') and content.endswith("</div>")
        assert re.search(r'<pre dir="ltr">', content) or "<pre" not in content  # code still reads left to right
    for _, content in _content(out, "ru"):
        assert not content.startswith("<div")
    summaries = [entry.summary for entry in parse(out / site.language_feeds("ar")[0]).entries]
    assert all('dir="rtl"' in s for s in summaries)


# --- reproducible, and only when there are several languages ---------------------------------------------------


def test_language_feeds_are_byte_reproducible(built, tmp_path):
    source, first = built
    again = build(source, tmp_path / "again", ["epub", "feed"])
    files = sorted(p.relative_to(first) for p in (first / "feeds").rglob("*") if p.is_file())
    assert len([f for f in files if f.parts[1] == "lang"]) == 9
    assert files == sorted(p.relative_to(again) for p in (again / "feeds").rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (again / rel).read_bytes(), rel


def test_a_one_language_publication_has_no_language_feeds(tmp_path):
    source = write_source(tmp_path / "source", "ru", ("ru",))
    out = build(source, tmp_path / "out", ["feed"])
    assert not (out / "feeds" / "lang").exists()
    assert sorted(p.name for p in (out / "feeds").iterdir()) == ["atom.xml", "feed.json", "rss.xml", "tag"]
    assert parse(out / paths.ATOM).feed.title == "The Caucasus Desk"
