"""The Google News sitemap (issue 21): valid against the sitemaps.org schemas and pressrun's news schema, only the
articles of the 48 hours before the build clock, at most 1,000 URLs a file with an index beyond."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, run_build
from pressrun.exporters.sitemap import news_language

XSD = Path(__import__("pressrun").__file__).parent / "exporters" / "sitemap" / "xsd"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
NOW = datetime.fromisoformat("2024-05-03T10:00:00+04:00")


def _schema(*files: str) -> etree.XMLSchema:
    """One schema importing ``files`` (each a namespace of its own): sitemap.xsd's extension points are strict."""
    imports = "".join(
        f'<xsd:import namespace="{etree.parse(str(XSD / f)).getroot().get("targetNamespace")}" schemaLocation="{f}"/>'
        for f in files)
    wrapper = f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">{imports}</xsd:schema>'
    return etree.XMLSchema(etree.fromstring(wrapper, base_url=f"{XSD}/"))


URLSET = _schema("sitemap.xsd", "sitemap-news.xsd")
INDEX = _schema("siteindex.xsd")


def _valid(schema: etree.XMLSchema, path: Path) -> etree._Element:
    document = etree.parse(str(path))
    assert schema.validate(document), (path.name, [str(e) for e in schema.error_log])
    return document.getroot()


def test_the_schemas_reject_what_google_would():
    good = (f'<urlset xmlns="{SM[1:-1]}" xmlns:news="{NEWS[1:-1]}"><url><loc>https://example.org/a.html</loc>'
            "<news:news><news:publication><news:name>P</news:name><news:language>{lang}</news:language></news:publication>"
            "<news:publication_date>{date}</news:publication_date><news:title>T</news:title></news:news></url></urlset>")
    assert URLSET.validate(etree.fromstring(good.format(lang="zh-cn", date="2024-05-03T10:00:00+04:00")))
    assert URLSET.validate(etree.fromstring(good.format(lang="en", date="2024-05-03")))
    for lang, date in (("zh-Hans", "2024-05-03"), ("en", "2024-05-03T10:00:00"), ("english", "2024-05-03")):
        assert not URLSET.validate(etree.fromstring(good.format(lang=lang, date=date))), (lang, date)


@pytest.fixture(scope="module")
def lifecycle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sitemap") / "output"
    report = run_build(FIXTURES / "lifecycle", out, ["html", "sitemap"], now=NOW)
    assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
    return out


def test_the_news_sitemap_validates_and_holds_only_the_last_48_hours(lifecycle):
    root = _valid(URLSET, lifecycle / "news-sitemap.xml")
    urls = [u.findtext(f"{SM}loc") for u in root.iter(f"{SM}url")]
    # Newest first; the fish market (two weeks old), withheld and canceled stories are not in it.
    assert urls == [f"https://lifecycle.example.org/desk/articles/{slug}.html"
                    for slug in ("embargoed-rate-decision", "ferry-resumes-ru", "northern-pier-reopens")]
    for url in root.iter(f"{SM}url"):
        published = datetime.fromisoformat(url.findtext(f"{NEWS}news/{NEWS}publication_date"))
        assert NOW - timedelta(hours=48) <= published <= NOW
        assert url.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}name") == "The Lifecycle Desk"
    languages = [u.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}language") for u in root.iter(f"{SM}url")]
    assert languages == ["en", "ru", "en"]
    assert root.find(f"{SM}url/{NEWS}news/{NEWS}title").text == "Central bank to cut its key rate by half a point"


def test_news_language_is_iso_639_as_google_asks():
    assert [news_language(t) for t in ("zh-Hans", "zh", "zh-CN", "zh-Hant", "zh-TW", "zh-HK", "en-GB", "pt-BR", "az-Arab", "fil")] \
        == ["zh-cn", "zh-cn", "zh-cn", "zh-tw", "zh-tw", "zh-tw", "en", "pt", "az", "fil"]


def test_with_nothing_fresh_the_sitemap_is_an_empty_urlset(tmp_path):
    run_build(FIXTURES / "lifecycle", tmp_path, ["sitemap"], now=NOW + timedelta(days=30))
    root = etree.parse(str(tmp_path / "news-sitemap.xml")).getroot()
    assert root.tag == f"{SM}urlset" and len(root) == 0  # Google: "It will not cause any problems"


def test_the_window_moves_with_the_clock_in_an_incremental_build(tmp_path):
    run_build(FIXTURES / "lifecycle", tmp_path, ["sitemap"], now=NOW)
    report = run_build(FIXTURES / "lifecycle", tmp_path, ["sitemap"], now=NOW + timedelta(hours=25))
    assert "news-sitemap.xml" in report.written
    root = _valid(URLSET, tmp_path / "news-sitemap.xml")
    assert [u.findtext(f"{SM}loc").rsplit("/", 1)[1] for u in root.iter(f"{SM}url")] == ["embargoed-rate-decision.html"]


def test_an_article_dated_after_the_clock_is_not_yet_in_it(tmp_path):
    report = run_build(FIXTURES / "lifecycle", tmp_path, ["sitemap"], now=datetime.fromisoformat("2024-05-02T09:00:00+04:00"))
    root = _valid(URLSET, tmp_path / "news-sitemap.xml")
    assert [u.findtext(f"{SM}loc").rsplit("/", 1)[1] for u in root.iter(f"{SM}url")] == ["northern-pier-reopens.html"]
    assert any("held until" in h for h in report.held)


def test_1001_fresh_articles_give_two_sitemaps_and_an_index(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "publication.yaml").write_text("title: Busy Desk\nbase_url: https://busy.example.org/\nlanguage: zh-Hans\n"
                                             "description: Many stories.\nauthor: Desk\n", encoding="utf-8")
    start = NOW - timedelta(hours=40)
    for n in range(1001):
        moment = (start + timedelta(minutes=2 * n)).isoformat()
        (source / f"s{n:04d}.md").write_text(f"---\nheadline: 第{n}条新闻\nsummary: S.\npublished: {moment}\n---\n正文。\n",
                                             encoding="utf-8")
    (source / "old.md").write_text("---\nheadline: Old\nsummary: S.\npublished: 2024-04-01\n---\nBody.\n", encoding="utf-8")
    report = run_build(source, tmp_path / "out", ["sitemap"], now=NOW)
    assert report.exit_code == 0, [str(p) for p in report.problems + report.failures][:5]
    out = tmp_path / "out"
    index = _valid(INDEX, out / "news-sitemap.xml")
    assert [s.findtext(f"{SM}loc") for s in index.iter(f"{SM}sitemap")] == [
        "https://busy.example.org/news-sitemap-1.xml", "https://busy.example.org/news-sitemap-2.xml"]
    parts = [_valid(URLSET, out / f"news-sitemap-{n}.xml") for n in (1, 2)]
    assert [len(list(p.iter(f"{SM}url"))) for p in parts] == [1000, 1]
    assert {lang.text for p in parts for lang in p.iter(f"{NEWS}language")} == {"zh-cn"}
    assert sorted(p.name for p in out.glob("news-sitemap*.xml")) == ["news-sitemap-1.xml", "news-sitemap-2.xml", "news-sitemap.xml"]
    # The clock moves on: 30 stories leave the window, the rest fit one file again, and the parts are removed.
    again = run_build(source, out, ["sitemap"], now=NOW + timedelta(hours=9))
    assert {"news-sitemap-1.xml", "news-sitemap-2.xml"} <= set(again.removed)
    assert len(list(_valid(URLSET, out / "news-sitemap.xml").iter(f"{SM}url"))) < 1000
