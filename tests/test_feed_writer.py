"""The feed writer on its own: model objects the reader would never produce, and download links."""

from __future__ import annotations

import dataclasses
import json

import feedparser
import pytest
from lxml import etree

from conftest import FIXTURES, STYLES, articles_of, run_build
from pressrun import model, registry
from pressrun.exporters.base import ExportContext, Output
from pressrun.exporters.feed import FeedExporter, paths
from pressrun.exporters.feed.xmlsafe import has_unsafe, xml_text
from pressrun.theme import load_theme

ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA = "{http://search.yahoo.com/mrss/}"
KITCHEN = FIXTURES / "kitchen-sink"
NASTY = "\x00\x01\x08\x0b\x0c\x1b\x7f\x85\x9f\ufffe\uffff\ufdd0\U0001fffe"


def export(articles: list[model.Article], publication: model.Publication, written: list[Output] = ()) -> dict[str, bytes]:
    ctx = ExportContext(publication, load_theme(STYLES), articles)
    ctx.written.extend(o.record() for o in written)  # what the build keeps of a written output
    return {o.path: o.data for o in FeedExporter(ctx).export_publication(articles)}


def test_xml_text_strips_everything_xml_and_html_parsers_refuse():
    assert xml_text(f"a{NASTY}b\tc\nd\u00e9\U0001f600") == "ab\tc\nd\u00e9\U0001f600"
    assert has_unsafe("x\x0by") and not has_unsafe("plain text, \u00e9 and \U0001f600")


def test_writer_strips_forbidden_characters_the_reader_did_not_catch():
    """The reader replaces control characters; the writer must not depend on it."""
    publication, articles = articles_of(KITCHEN)
    article = articles[0]
    dirty = dataclasses.replace(
        article,
        headline=f"Head{NASTY}line",
        summary=(model.Text(f"Sum{NASTY}mary"),),
        byline=(model.Author(f"Ann{NASTY} Writer", email="ann@example.com"),),
        tags=(f"Tag{NASTY}",),
        image=dataclasses.replace(article.image, alt=f"Alt{NASTY} text", credit=f"Cre{NASTY}dit"),
        takeaways=((model.Text(f"Take{NASTY}away"),),),
        body=(model.Paragraph((model.Text(f"Bo{NASTY}dy"),)),),
    )
    outputs = export([dirty], dataclasses.replace(publication, title=f"Gazette{NASTY}", description=f"Desc{NASTY}"))
    assert set(outputs) >= {paths.RSS, paths.ATOM, paths.JSON}
    for path, data in outputs.items():
        text = data.decode("utf-8")
        assert not has_unsafe(text), path
        assert "\\u00" not in text and "\\ufffe" not in text.lower(), path  # not smuggled in as JSON escapes either
        for word in ("Headline", "Summary", "Takeaway", "Body", "Gazette"):
            assert word in text, (path, word)
        if path.endswith(".xml"):
            etree.fromstring(data)  # well-formed
            assert feedparser.parse(data).bozo == 0, path
    rss = etree.fromstring(outputs[paths.RSS])
    assert rss.findtext(f"channel/item/{MEDIA}content/{MEDIA}description") == "Alt text"
    assert rss.findtext(f"channel/item/{MEDIA}content/{MEDIA}credit") == "Credit"
    assert rss.findtext("channel/item/category[2]") == "Tag"


def test_downloads_are_linked_from_every_format():
    publication, articles = articles_of(KITCHEN)
    article = articles[0]
    written = [
        Output(f"downloads/{article.slug}.pdf", b"%PDF-" + b"x" * 995, "application/pdf", article.id, "PDF"),
        Output(f"downloads/{article.slug}.epub", b"PK" + b"y" * 498, "application/epub+zip", article.id, "EPUB"),
        Output("downloads/other.pdf", b"%PDF-", "application/pdf", "urn:other", "PDF"),  # another article's
        Output(f"media/{article.slug}.css", b"p{}", "text/css", article.id, None),  # not a download
    ]
    outputs = export([article], publication, written)
    base = "https://gazette.example.com/downloads/kitchen-sink"
    expected = [(f"{base}.epub", "application/epub+zip", "500", "EPUB"), (f"{base}.pdf", "application/pdf", "1000", "PDF")]

    entry = etree.fromstring(outputs[paths.ATOM]).find(f"{ATOM}entry")
    links = [(l.get("href"), l.get("type"), l.get("length"), l.get("title"), l.get("rel")) for l in entry.findall(f"{ATOM}link")]
    assert links[2:] == [e + ("alternate",) for e in expected]
    assert links[0][4] == "alternate" and links[0][1] == "text/html" and links[1][4] == "enclosure"

    item = etree.fromstring(outputs[paths.RSS]).find("channel/item")
    rss_links = [(l.get("href"), l.get("type"), l.get("length"), l.get("title")) for l in item.findall(f"{ATOM}link")]
    assert rss_links == expected
    assert len(item.findall("enclosure")) == 1  # RSS allows one: the lead image

    feed = json.loads(outputs[paths.JSON])
    attachments = [(a["url"], a["mime_type"], str(a["size_in_bytes"]), a["title"]) for a in feed["items"][0]["attachments"]]
    assert attachments == expected

    parsed = feedparser.parse(outputs[paths.ATOM])
    content = parsed.entries[0].content[0].value
    assert f'href="{base}.pdf"' in content and f'href="{base}.epub"' in content and "other.pdf" not in content
    assert parsed.entries[0].link == "https://gazette.example.com/articles/kitchen-sink.html"  # the page stays the link


def test_article_without_byline_still_has_an_atom_author():
    publication, articles = articles_of(KITCHEN)
    bare = dataclasses.replace(articles[0], byline=())
    atom = etree.fromstring(export([bare], publication)[paths.ATOM])
    assert [a.findtext(f"{ATOM}name") for a in atom.findall(f"{ATOM}entry/{ATOM}author")] == ["Desk Editor"]
    nobody = dataclasses.replace(publication, authors=())
    atom = etree.fromstring(export([bare], nobody)[paths.ATOM])
    assert [a.findtext(f"{ATOM}name") for a in atom.findall(f"{ATOM}entry/{ATOM}author")] == [publication.title]


def test_no_articles_no_feeds():
    publication, _ = articles_of(KITCHEN)
    assert export([], publication) == {}


def test_id_that_is_the_page_url_is_a_permalink_guid():
    publication, articles = articles_of(KITCHEN)
    article = dataclasses.replace(articles[0], id="https://gazette.example.com/articles/kitchen-sink.html")
    guid = etree.fromstring(export([article], publication)[paths.RSS]).find("channel/item/guid")
    assert guid.get("isPermaLink") == "true"


def test_real_pdf_downloads_when_the_pdf_exporter_is_registered(tmp_path):
    if "pdf" not in registry.available():
        pytest.skip("pdf exporter not registered yet")
    report = run_build(KITCHEN, tmp_path, ["pdf", "feed"])
    assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
    pdfs = [p for p in report.written if p.endswith(".pdf")]
    assert pdfs
    entry = etree.parse(str(tmp_path / paths.ATOM)).find(f"{ATOM}entry")
    pdf_links = [l for l in entry.findall(f"{ATOM}link") if l.get("type") == "application/pdf"]
    assert len(pdf_links) == 1
    href = pdf_links[0].get("href")
    relative = href.removeprefix("https://gazette.example.com/")
    assert relative in pdfs
    assert int(pdf_links[0].get("length")) == (tmp_path / relative).stat().st_size
