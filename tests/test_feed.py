"""Feeds read back with feedparser and lxml: every item, every field, every feed (issue 6)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path

import feedparser
import html5lib
import jsonschema
import pytest
from lxml import etree
from lxml import html as lxml_html

from conftest import FIXTURES, SOURCE, articles_of, run_build
from pressrun import site
from pressrun.exporters.feed import paths
from pressrun.text import FORBIDDEN
from pressrun.render.plain import plain, plain_blocks
from pressrun.verify.feeds import json_feed_schema

ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA = "{http://search.yahoo.com/mrss/}"
DC = "{http://purl.org/dc/elements/1.1/}"
KITCHEN = FIXTURES / "kitchen-sink"


def build(source: Path, out: Path, formats: list[str] | None = None) -> Path:
    report = run_build(source, out, formats or ["feed"])
    assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
    return out


def feed_files(out: Path) -> list[Path]:
    return sorted(p for p in (out / "feeds").rglob("*") if p.is_file())


def parse(path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(path.read_bytes())
    assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
    return parsed


def squash(text: str) -> str:
    """Text without any whitespace: markup boundaries and <br/> move spaces, never letters."""
    return re.sub(r"\s+", "", text)


def html_text(fragment: str) -> str:
    return lxml_html.fragment_fromstring(fragment, create_parent="div").text_content()


def utc_tuple(moment: datetime) -> tuple[int, ...]:
    return tuple(moment.astimezone(timezone.utc).timetuple()[:6])


# --- a source with more articles than its feed limit --------------------------------

MANY_LIMIT = 3


def write_many(folder: Path) -> Path:
    """Five articles, limit 3; colliding and unslugifiable tags; an old article updated last."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "publication.yaml").write_text(
        "title: Many Times\nbase_url: https://many.example.org/news\nlanguage: en\n"
        "description: More articles than the feed limit.\nauthor: Desk\nfeed:\n  limit: 3\n",
        encoding="utf-8",
    )
    specs = [  # slug, day, section, tags, updated
        ("one", 1, "World", ["C++"], None),
        ("two", 2, "Politics", ["C"], None),
        ("three", 3, "World", ["Кавказ", "Testing"], "2024-06-01T08:00:00Z"),
        ("four", 4, "Politics", ["Կովկաս", "C"], None),
        ("five", 5, "World", ["testing"], None),
    ]
    for slug, day, section, tags, updated in specs:
        lines = [
            "---",
            f"headline: Article {slug}",
            f"summary: Summary of {slug}.",
            f"published: 2024-01-0{day}T10:00:00+02:00",
            f"section: {section}",
            f"tags: [{', '.join(tags)}]",
            f"takeaways:\n  - Takeaway of {slug}.",
        ]
        if updated:
            lines.append(f"updated: {updated}")
        lines += ["---", f"Body of {slug}, see [the details](#details).", "", "## Details", "", f"Details of {slug}."]
        (folder / f"{slug}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def kitchen_out(tmp_path_factory) -> Path:
    return build(KITCHEN, tmp_path_factory.mktemp("feed-kitchen"))


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> tuple[Path, Path]:
    source = write_many(tmp_path_factory.mktemp("many-src") / "src")
    return source, build(source, tmp_path_factory.mktemp("feed-many"))


@pytest.fixture(scope="module")
def all_outs(kitchen_out, many, tmp_path_factory) -> dict[str, Path]:
    return {
        "kitchen-sink": kitchen_out,
        "many": many[1],
        "seed": build(SOURCE, tmp_path_factory.mktemp("feed-seed")),
        "minimal": build(FIXTURES / "minimal", tmp_path_factory.mktemp("feed-minimal")),
        "multilingual": build(FIXTURES / "multilingual", tmp_path_factory.mktemp("feed-multi")),
    }


# --- every feed parses ----------------------------------------------------------------


def test_every_feed_parses_and_has_items(all_outs):
    for name, out in all_outs.items():
        files = feed_files(out)
        names = {p.relative_to(out).as_posix() for p in files}
        assert {paths.RSS, paths.ATOM, paths.JSON} <= names, name
        for path in files:
            if path.suffix == ".xml":
                parsed = parse(path)
                assert parsed.entries, path
                assert parsed.version in {"rss20", "atom10"}, (path, parsed.version)


def test_section_and_tag_feeds_exist_for_every_name(kitchen_out):
    publication, articles = articles_of(KITCHEN)
    article = articles[0]
    assert paths.section_feed_paths(article, articles) == ("feeds/section/world.rss.xml", "feeds/section/world.atom.xml")
    for tag in article.tags:
        rss_path, atom_path = site.tag_feeds(paths.tags(articles)[tag])
        for path in (rss_path, atom_path):
            entries = parse(kitchen_out / path).entries
            assert [e.id for e in entries] == [article.id]


# --- every entry field --------------------------------------------------------------


@pytest.mark.parametrize("feed_path", [paths.RSS, paths.ATOM])
def test_kitchen_sink_entry_fields(kitchen_out, feed_path):
    publication, articles = articles_of(KITCHEN)
    article = articles[0]
    entry = parse(kitchen_out / feed_path).entries[0]

    assert entry.id == article.id
    assert entry.link == "https://gazette.example.com/articles/kitchen-sink.html"
    assert entry.title == article.headline
    assert tuple(entry.published_parsed[:6]) == utc_tuple(article.published)
    assert tuple(entry.updated_parsed[:6]) == utc_tuple(article.updated)
    assert article.updated != article.published
    assert [a["name"] for a in entry.authors] == ["Ann Writer", "Bo Second"]
    assert [t.term for t in entry.tags] == ["World", "Testing", "Fixtures", "Caucasus"]
    assert squash(html_text(entry.summary)) == squash(plain(article.summary))

    content = entry.content[0]
    assert content.type == "text/html"
    text = squash(html_text(content.value))
    for part in [plain(article.summary), *plain_blocks(article.why_this_matters), *(plain(t) for t in article.takeaways), *plain_blocks(article.body)]:
        assert squash(part) in text, part
    doc = lxml_html.fragment_fromstring(content.value, create_parent="div")
    assert doc.xpath("//img/@src")[0] == "https://gazette.example.com/media/images/ceremony.jpg"
    assert doc.xpath("//img/@alt")[0] == article.image.alt
    assert "https://gazette.example.com/articles/other-page.html" in doc.xpath("//a/@href")


def test_rss_enclosure_and_media(kitchen_out):
    publication, articles = articles_of(KITCHEN)
    image = articles[0].image
    url = "https://gazette.example.com/media/images/ceremony.jpg"
    entry = parse(kitchen_out / paths.RSS).entries[0]
    assert entry.enclosures == [{"href": url, "type": "image/jpeg", "length": str(image.size)}]
    assert entry.media_content[0]["url"] == url and entry.media_content[0]["filesize"] == str(image.size)

    item = etree.parse(str(kitchen_out / paths.RSS)).find("channel/item")
    media = item.findall(f"{MEDIA}content")
    assert len(media) == 1 and media[0].get("medium") == "image" and media[0].get("type") == "image/jpeg"
    assert media[0].findtext(f"{MEDIA}description") == image.alt
    assert media[0].findtext(f"{MEDIA}credit") == image.credit
    assert item.find(f"{MEDIA}group") is None  # a one-element group is a validator warning
    assert [c.text for c in item.findall(f"{DC}creator")] == ["Ann Writer", "Bo Second"]
    assert item.find("author") is None  # RSS <author> must be an e-mail; dc:creator instead


def test_atom_links_keep_rel_type_length(kitchen_out):
    publication, articles = articles_of(KITCHEN)
    image = articles[0].image
    entry = etree.parse(str(kitchen_out / paths.ATOM)).find(f"{ATOM}entry")
    links = [dict(link.attrib) for link in entry.findall(f"{ATOM}link")]
    assert links == [
        {"href": "https://gazette.example.com/articles/kitchen-sink.html", "rel": "alternate", "type": "text/html"},
        {"href": "https://gazette.example.com/media/images/ceremony.jpg", "rel": "enclosure", "type": "image/jpeg", "length": str(image.size)},
    ]
    authors = entry.findall(f"{ATOM}author")
    assert [(a.findtext(f"{ATOM}name"), a.findtext(f"{ATOM}email"), a.findtext(f"{ATOM}uri")) for a in authors] == [
        ("Ann Writer", "ann@example.com", "https://gazette.example.com/staff/ann"),
        ("Bo Second", None, None),
    ]
    assert entry.find(f"{ATOM}content").get("type") == "html"
    assert entry.find(f"{ATOM}summary").get("type") == "html"


# --- absolute URLs only -------------------------------------------------------------


def test_every_url_in_content_is_absolute(all_outs):
    checked = 0
    for out in all_outs.values():
        for path in feed_files(out):
            if path.suffix == ".json":
                items = json.loads(path.read_text(encoding="utf-8"))["items"]
                fragments = [i["content_html"] for i in items]
            else:
                fragments = [c.value for e in parse(path).entries for c in e.content] + [e.summary for e in parse(path).entries]
            for fragment in fragments:
                doc = lxml_html.fragment_fromstring(fragment, create_parent="div")
                for url in doc.xpath("//@href | //@src"):
                    assert re.match(r"https?://[^/]+/", url), (path, url)
                    checked += 1
    assert checked > 50


def test_fragment_links_point_at_the_web_page(many):
    entry = parse(many[1] / paths.ATOM).entries[0]
    doc = lxml_html.fragment_fromstring(entry.content[0].value, create_parent="div")
    assert "https://many.example.org/news/articles/five.html#details" in doc.xpath("//a/@href")


# --- ordering, limit, feed-level dates ---------------------------------------------


def test_order_limit_and_feed_updated(many):
    source, out = many
    publication, articles = articles_of(source)
    assert len(articles) == 5 and publication.feed_limit == MANY_LIMIT
    for feed_path in (paths.RSS, paths.ATOM):
        parsed = parse(out / feed_path)
        assert [e.title for e in parsed.entries] == ["Article five", "Article four", "Article three"]
        # the feed changed last when "three" was updated, not when it was built
        assert tuple(parsed.feed.updated_parsed[:6]) == (2024, 6, 1, 8, 0, 0)
    items = json.loads((out / paths.JSON).read_text(encoding="utf-8"))["items"]
    assert [i["title"] for i in items] == ["Article five", "Article four", "Article three"]
    world = parse(out / "feeds/section/world.rss.xml")
    assert [e.title for e in world.entries] == ["Article five", "Article three", "Article one"]
    politics = parse(out / "feeds/section/politics.atom.xml")
    assert [e.title for e in politics.entries] == ["Article four", "Article two"]
    assert tuple(politics.feed.updated_parsed[:6]) == (2024, 1, 4, 8, 0, 0)


def test_limit_applies_to_section_feeds(tmp_path):
    source = write_many(tmp_path / "src")
    text = (source / "publication.yaml").read_text(encoding="utf-8").replace("limit: 3", "limit: 1")
    (source / "publication.yaml").write_text(text, encoding="utf-8")
    out = build(source, tmp_path / "out")
    assert [e.title for e in parse(out / "feeds/section/world.atom.xml").entries] == ["Article five"]
    assert len(parse(out / paths.RSS).entries) == 1


def test_colliding_and_empty_tag_slugs(many):
    source, out = many
    publication, articles = articles_of(source)
    slugs = paths.tags(articles)
    assert len(set(slugs.values())) == len(slugs) == 6  # C++, C, Кавказ, Կովկաս, Testing, testing
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in slugs.values())
    assert slugs["C"] != slugs["C++"] and slugs["C"].startswith("c-")
    expected = {"C++": ["Article one"], "C": ["Article four", "Article two"], "Кавказ": ["Article three"],
                "Կովկաս": ["Article four"], "Testing": ["Article three"], "testing": ["Article five"]}
    for tag, titles in expected.items():
        rss_path, atom_path = site.tag_feeds(slugs[tag])
        for path in (rss_path, atom_path):
            parsed = parse(out / path)
            assert [e.title for e in parsed.entries] == titles, tag
            assert parsed.feed.title == f"Many Times: {tag}"
    # a name's slug depends on the names it collides with, never on reading order
    assert paths.unique_slugs(["C", "C++", "Кавказ"]) == paths.unique_slugs(["Кавказ", "C++", "C", "C"])
    assert paths.unique_slugs(["World"]) == {"World": "world"}


# --- structure: what feedgen gets wrong by default ----------------------------------


def test_rss_channel_structure(kitchen_out):
    publication, articles = articles_of(KITCHEN)
    channel = etree.parse(str(kitchen_out / paths.RSS)).getroot().find("channel")
    assert channel.findtext("link") == "https://gazette.example.com/"  # the site, not the feed
    selves = channel.findall(f"{ATOM}link")
    assert [(s.get("rel"), s.get("href"), s.get("type")) for s in selves] == [
        ("self", "https://gazette.example.com/feeds/rss.xml", "application/rss+xml")
    ]
    assert channel.findtext("title") == publication.title
    assert channel.findtext("description") == publication.description
    assert channel.findtext("language") == "en"
    assert channel.findtext("copyright") == publication.rights
    assert channel.findtext("generator") == "pressrun 0.1.0"
    assert channel.findtext("lastBuildDate") == format_datetime(articles[0].updated.astimezone(timezone.utc))
    assert channel.find("pubDate") is None
    guid = channel.find("item/guid")
    assert guid.text == articles[0].id and guid.get("isPermaLink") == "false"
    assert channel.findtext(f"item/{ATOM}updated") == articles[0].updated.isoformat()


def test_atom_feed_structure(kitchen_out):
    publication, articles = articles_of(KITCHEN)
    root = etree.parse(str(kitchen_out / paths.ATOM)).getroot()
    assert root.findtext(f"{ATOM}id") == "https://gazette.example.com/feeds/atom.xml"
    assert root.findtext(f"{ATOM}updated") == articles[0].updated.isoformat()
    assert root.findtext(f"{ATOM}subtitle") == publication.description
    assert root.findtext(f"{ATOM}rights") == publication.rights
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert [(l.get("rel"), l.get("href"), l.get("type")) for l in root.findall(f"{ATOM}link")] == [
        ("self", "https://gazette.example.com/feeds/atom.xml", "application/atom+xml"),
        ("alternate", "https://gazette.example.com/", "text/html"),
    ]
    generator = root.find(f"{ATOM}generator")
    assert (generator.text, generator.get("version"), generator.get("uri")) == ("pressrun", "0.1.0", None)
    entry = root.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}published") == articles[0].published.isoformat()
    assert entry.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB"


def test_no_feedgen_defaults_and_no_build_time(all_outs):
    today = datetime.now(timezone.utc)
    stamps = {today.strftime("%d %b %Y"), today.strftime("%Y-%m-%d")}
    for out in all_outs.values():
        for path in feed_files(out):
            text = path.read_text(encoding="utf-8")
            assert "feedgen" not in text and "lkiesow" not in text, path
            assert not any(s in text for s in stamps), path
            assert "CDATA" not in text and "aria-" not in text, path


# --- W3C Feed Validation Service rules that bite generated HTML ---------------------

# The validator parses HTML content with html5lib in strict mode (NotHtml on any
# parse error) and warns (SecurityRisk/SecurityRiskAttr) on elements or
# attributes outside its allowlist. These are the allowed ones our renderer uses.
W3C_ELEMENTS = {"a", "blockquote", "br", "code", "div", "em", "figcaption", "figure", "h1", "h2", "h3", "h4",
                "header", "hr", "img", "li", "ol", "p", "pre", "section", "span", "strong", "time", "ul"}
W3C_ATTRIBUTES = {"alt", "class", "datetime", "dir", "height", "href", "id", "lang", "src", "start", "title", "type", "width"}  # dir, lang: the W3C validator accepts them (marked phrases)


def test_content_passes_w3c_html_rules(all_outs):
    for out in all_outs.values():
        for entry in parse(out / paths.ATOM).entries:
            for fragment in (entry.content[0].value, entry.summary):
                tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parseFragment(fragment)
                for element in tree.iter():
                    if isinstance(element.tag, str) and element.tag != "DOCUMENT_FRAGMENT":
                        assert element.tag in W3C_ELEMENTS, element.tag
                        assert set(element.attrib) <= W3C_ATTRIBUTES, (element.tag, element.attrib)


# --- stable ids ---------------------------------------------------------------------


def test_ids_survive_a_headline_edit(copy_source, tmp_path):
    source = copy_source("kitchen-sink")
    first = build(source, tmp_path / "first")
    md = source / "everything.md"
    md.write_text(md.read_text(encoding="utf-8").replace("Kitchen sink: every", "Rewritten headline for every"), encoding="utf-8")
    second = build(source, tmp_path / "second")
    for feed_path in (paths.RSS, paths.ATOM):
        before, after = parse(first / feed_path).entries, parse(second / feed_path).entries
        assert [e.id for e in before] == [e.id for e in after] == ["urn:uuid:0b0f3c1e-4a57-4d8e-9d0c-2f6f3c1a9e11"]
        assert before[0].title != after[0].title and after[0].title.startswith("Rewritten headline")
    ids = [[i["id"] for i in json.loads((o / paths.JSON).read_text(encoding="utf-8"))["items"]] for o in (first, second)]
    assert ids[0] == ids[1]


def test_default_ids_survive_a_headline_edit(tmp_path):
    """Articles without an explicit id get one from base_url + slug, not from the headline."""
    source = write_many(tmp_path / "src")
    first = [e.id for e in parse(build(source, tmp_path / "a") / paths.ATOM).entries]
    md = source / "five.md"
    md.write_text(md.read_text(encoding="utf-8").replace("headline: Article five", "headline: Five, rewritten"), encoding="utf-8")
    parsed = parse(build(source, tmp_path / "b") / paths.ATOM)
    assert [e.id for e in parsed.entries] == first and first[0].startswith("urn:uuid:")
    assert parsed.entries[0].title == "Five, rewritten"


# --- JSON Feed 1.1 ------------------------------------------------------------------

JSON_FEED_1_1 = json_feed_schema()  # the schema `pressrun verify` checks feeds against
# RFC 3339 with a mandatory offset, as JSON Feed requires.
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def test_json_feed_1_1_schema(all_outs):
    validator = jsonschema.Draft202012Validator(JSON_FEED_1_1, format_checker=jsonschema.FormatChecker())
    for out in all_outs.values():
        feed = json.loads((out / paths.JSON).read_text(encoding="utf-8"))
        validator.validate(feed)
        assert feed["feed_url"].endswith("/feeds/feed.json")
        ids = [item["id"] for item in feed["items"]]
        assert len(ids) == len(set(ids))
        for item in feed["items"]:
            assert RFC3339.match(item["date_published"]) and RFC3339.match(item["date_modified"])
            assert datetime.fromisoformat(item["date_modified"]) >= datetime.fromisoformat(item["date_published"])
    # the schema is not a rubber stamp
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"version": "https://jsonfeed.org/version/1", "title": "x", "items": []})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": [{"id": "a", "author": {}}]})


def test_json_feed_kitchen_sink_values(kitchen_out):
    publication, articles = articles_of(KITCHEN)
    article = articles[0]
    feed = json.loads((kitchen_out / paths.JSON).read_text(encoding="utf-8"))
    assert (feed["title"], feed["home_page_url"], feed["language"]) == (publication.title, publication.base_url, "en")
    item = feed["items"][0]
    assert item["id"] == article.id
    assert item["url"] == "https://gazette.example.com/articles/kitchen-sink.html"
    assert item["title"] == article.headline
    assert item["summary"] == plain(article.summary)
    assert item["image"] == "https://gazette.example.com/media/images/ceremony.jpg"
    assert datetime.fromisoformat(item["date_published"]) == article.published
    assert datetime.fromisoformat(item["date_modified"]) == article.updated
    assert item["authors"] == [{"name": "Ann Writer", "url": "https://gazette.example.com/staff/ann"}, {"name": "Bo Second"}]
    assert item["tags"] == ["World", "Testing", "Fixtures", "Caucasus"]
    assert item["language"] == "en-GB"
    for takeaway in article.takeaways:
        assert squash(plain(takeaway)) in squash(html_text(item["content_html"]))


# --- reproducible bytes -------------------------------------------------------------


def test_two_builds_are_byte_identical(kitchen_out, many, tmp_path):
    for source, out in ((KITCHEN, kitchen_out), (many[0], many[1])):
        again = build(source, tmp_path / source.name)
        first, second = feed_files(out), feed_files(again)
        assert [p.relative_to(out) for p in first] == [p.relative_to(again) for p in second]
        for a, b in zip(first, second):
            assert a.read_bytes() == b.read_bytes(), a


# --- characters XML forbids ---------------------------------------------------------


def test_control_characters_in_a_source_never_reach_a_feed(copy_source, tmp_path):
    source = copy_source("kitchen-sink")
    md = source / "everything.md"
    text = md.read_text(encoding="utf-8")
    # YAML refuses raw control characters but decodes escapes in double quotes; the body takes them raw.
    text = text.replace("Kitchen sink: every", "Kitchen\\x01 sink:\\x0b every\\x1b")
    text = text.replace("The last paragraph", "The\x0c last\x7f paragraph\x85")
    md.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    report = run_build(source, out, ["feed"])
    assert report.exit_code == 0
    assert sum("control character" in p.message for p in report.problems) >= 2  # they really were in the source
    for path in feed_files(out):
        content = path.read_text(encoding="utf-8")
        assert not FORBIDDEN.search(content), path
        assert "Kitchensink:every" in squash(content) and "Thelastparagraph" in squash(content), path
        if path.suffix == ".xml":
            parse(path)
