"""The web edition: valid HTML5 that carries every part of the article, and links that resolve."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import html5lib
import pytest

from conftest import FIXTURES, SOURCE, STYLES, articles_of, run_build
from pressrun import model
from pressrun.render.plain import plain, plain_blocks

NS = {"h": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    outs = {}
    for name, source in {"seed": SOURCE, "kitchen-sink": FIXTURES / "kitchen-sink", "multilingual": FIXTURES / "multilingual"}.items():
        out = tmp_path_factory.mktemp(name)
        report = run_build(source, out, ["html"])
        assert report.exit_code == 0, report.problems + report.failures
        outs[name] = out
    return outs


def parse(path: Path):
    """Strict HTML5 parse: any parse error fails the test."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(path.read_bytes())


def text_of(element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


@pytest.mark.parametrize("site", ["seed", "kitchen-sink", "multilingual"])
def test_every_page_parses_as_html5_without_errors(sites, site):
    pages = sorted(sites[site].rglob("*.html"))
    assert len(pages) >= 2
    for page in pages:
        parse(page)


@pytest.mark.parametrize("site,source", [("seed", SOURCE), ("kitchen-sink", FIXTURES / "kitchen-sink")])
def test_page_carries_every_part_of_the_article(sites, site, source):
    publication, (article,) = articles_of(source)
    doc = parse(sites[site] / article.page_path)
    root = doc.getroot() if hasattr(doc, "getroot") else doc
    assert root.get("lang") == article.language
    (art,) = root.findall(".//h:article", NS)
    assert text_of(art.find(".//h:h1", NS)) == article.headline
    assert text_of(art.find(".//h:p[@class='standfirst']", NS)) == plain(article.summary)
    assert article.byline[0].name in text_of(art.find(".//h:p[@class='byline']", NS))
    times = art.findall(".//h:time", NS)
    assert times[0].get("datetime") == article.published.isoformat()
    takeaways = [text_of(li) for li in art.findall(".//h:section[@class='takeaways']//h:li", NS)]
    assert takeaways == [plain(t) for t in article.takeaways]
    why = [text_of(p) for p in art.findall(".//h:section[@class='why-this-matters']/h:p", NS)]
    assert why == plain_blocks(article.why_this_matters)
    story = re.sub(r"\s+", "", text_of(art.find(".//h:div[@class='story']", NS)))
    for paragraph in plain_blocks(article.body):  # white space aside (a <br/> has no text)
        assert re.sub(r"\s+", "", paragraph) in story


def test_topics_and_rights_are_parts_of_the_page(sites):
    """Tags after the story and the article's rights in the page footer, both rendered from the outline's parts."""
    publication, (article,) = articles_of(FIXTURES / "kitchen-sink")
    root = parse(sites["kitchen-sink"] / article.page_path)
    (tags,) = root.findall(".//h:article/h:ul[@class='tags']", NS)
    assert [text_of(li) for li in tags] == list(article.tags)
    (rights,) = root.findall(".//h:footer[@class='colophon']/h:p[@class='rights']", NS)
    assert text_of(rights) == article.rights == "CC BY 4.0" != publication.rights  # the article's own, not the default


def test_article_writer_visits_the_outline_in_reading_order():
    """Ids from the part types (with the document's prefix), one slot per part, topics and rights kept out of ``all``."""
    from pressrun import outline
    from pressrun.render.xhtml import UrlPolicy, XhtmlArticle
    from pressrun.theme import load_theme

    _, (article,) = articles_of(FIXTURES / "kitchen-sink")
    parts = XhtmlArticle(load_theme(STYLES).labels_for("en"), UrlPolicy(image_src=str, id_prefix="p-")).render(article)
    assert parts.order == ("header", "lead_image", "why_this_matters", "takeaways", "body", "topics", "rights")
    expected = [f"p-{part.anchor}" for part in outline.article_parts(article) if part.anchor]
    assert [i for i in re.findall(r' id="([^"]+)"', parts.all) if i in expected] == expected
    heading = f"p-{outline.heading_id(outline.Takeaways)}"
    assert f'aria-labelledby="{heading}"' in parts.takeaways and f'<h2 id="{heading}">Key takeaways</h2>' in parts.takeaways
    assert parts.topics and parts.topics not in parts.all and parts.rights not in parts.all


def test_lead_image_keeps_alt_caption_and_credit_apart(sites):
    _, (article,) = articles_of(FIXTURES / "kitchen-sink")
    root = parse(sites["kitchen-sink"] / article.page_path)
    figure = root.find(".//h:figure[@id='lead-image']", NS)
    img = figure.find("h:img", NS)
    assert img.get("alt") == article.image.alt
    assert img.get("src") == "../media/images/ceremony.jpg"
    assert text_of(figure.find(".//h:span[@class='caption']", NS)) == article.image.caption
    assert text_of(figure.find(".//h:span[@class='credit']", NS)) == article.image.credit
    assert article.image.alt not in text_of(figure.find("h:figcaption", NS))


def test_every_local_link_resolves_to_a_written_file(sites):
    for out in sites.values():
        for page in out.rglob("*.html"):
            root = parse(page)
            refs = [e.get("href") for e in root.iter() if e.get("href")] + [e.get("src") for e in root.iter() if e.get("src")]
            for ref in refs:
                parts = urlsplit(ref)
                if parts.scheme or ref.startswith("#") or ref == "other-page.html":  # an author's own relative link
                    continue
                target = (page.parent / parts.path).resolve()
                assert target.is_file(), f"{page.name}: {ref}"


def test_json_ld_and_open_graph(sites):
    publication, (article,) = articles_of(FIXTURES / "kitchen-sink")
    page = (sites["kitchen-sink"] / article.page_path).read_text()
    root = parse(sites["kitchen-sink"] / article.page_path)
    script = root.find(".//h:script[@type='application/ld+json']", NS)
    data = json.loads(script.text)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.headline
    assert data["datePublished"] == "2024-04-27T14:30:00+04:00" and data["dateModified"] == "2024-04-28T09:00:00+00:00"
    assert [a["name"] for a in data["author"]] == ["Ann Writer", "Bo Second"]
    assert data["image"]["url"] == "https://gazette.example.com/media/images/ceremony.jpg"
    assert data["image"]["description"] == article.image.alt and data["image"]["creditText"] == article.image.credit
    metas = {m.get("property"): m.get("content") for m in root.findall(".//h:meta[@property]", NS)}
    assert metas["og:title"] == article.headline
    assert metas["og:url"] == article.canonical_url
    assert metas["og:image"] == data["image"]["url"]
    assert metas["article:section"] == "World"
    assert '<link rel="canonical" href="https://gazette.example.com/articles/kitchen-sink.html"/>' in page


def test_index_lists_articles_newest_first(tmp_path, copy_source):
    source = copy_source("minimal")
    (source / "later.md").write_text("---\nheadline: Later news\nsummary: S\npublished: 2024-06-01\n---\nBody.\n")
    run_build(source, tmp_path / "out", ["html"])
    root = parse(tmp_path / "out" / "index.html")
    headlines = [text_of(h) for h in root.findall(".//h:article[@class='teaser']/h:h3", NS)]
    assert headlines == ["Later news", "A brief with only the required fields"]


def test_pages_link_only_to_downloads_and_feeds_the_build_wrote(sites):
    page = (sites["seed"] / "articles" / "russian-peacekeepers-leave-karabakh.html").read_text()
    assert ".pdf" not in page and ".epub" not in page and "feeds/" not in page


def test_raw_html_in_markdown_is_shown_as_text(sites):
    root = parse(sites["kitchen-sink"] / "articles" / "kitchen-sink.html")
    assert not root.findall(".//h:div[@class='story']//h:script", NS)
    assert "<script>alert(1)</script>" in text_of(root.find(".//h:div[@class='story']", NS))


def test_multilingual_page_declares_its_language(sites):
    root = parse(sites["multilingual"] / "articles" / "scripts.html")
    assert root.get("lang") == "az"
    assert "Խաղաղության" in text_of(root.find(".//h:h1", NS))


def test_index_links_the_collection_epub_when_it_was_built(tmp_path):
    report = run_build(FIXTURES / "minimal", tmp_path / "out", ["epub", "html"])
    assert report.exit_code == 0
    root = parse(tmp_path / "out" / "index.html")
    links = [a.get("href") for a in root.findall(".//h:p[@class='downloads']/h:a", NS)]
    assert links == ["epub/issue/minimal-daily.epub"] and (tmp_path / "out" / links[0]).is_file()


def test_code_blocks_are_named_keyboard_reachable_regions(sites):
    """A <pre> may scroll sideways, so the keyboard must reach it (axe: scrollable-region-focusable)."""
    root = parse(sites["kitchen-sink"] / "articles" / "kitchen-sink.html")
    (pre,) = root.findall(".//h:pre", NS)
    assert (pre.get("tabindex"), pre.get("role"), pre.get("aria-label")) == ("0", "region", "Code example 1 (python)")
    assert text_of(pre).startswith("def hello():")
    css = (sites["kitchen-sink"] / "css" / "site.css").read_text(encoding="utf-8")
    assert re.search(r"pre:focus-visible\s*\{[^}]*outline:\s*3px solid", css)


def test_every_code_block_has_its_own_name_and_only_pages_make_regions():
    from pressrun.render.xhtml import UrlPolicy, XhtmlRenderer

    blocks = (model.CodeBlock("a = 1", "python"), model.Paragraph((model.Text("x"),)), model.CodeBlock("$ ls"))
    page = XhtmlRenderer(UrlPolicy(image_src=str), code_label="Code example").blocks(blocks)
    assert re.findall(r'<pre tabindex="0" role="region" aria-label="([^"]+)">', page) == [
        "Code example 1 (python)", "Code example 2"]
    # E-books and feeds (no label asked for) keep a plain <pre>: their code wraps, or the reader drops attributes.
    plain_html = XhtmlRenderer(UrlPolicy(image_src=str)).blocks(blocks)
    assert plain_html.count("<pre><code") == 2 and "tabindex" not in plain_html


# --- the world's scripts (issue 14) --------------------------------------------------------------


def _world_page(language: str) -> Path:
    from test_world_scripts import world_output

    return world_output(language).page


@pytest.mark.parametrize("language", ["ar", "fa", "ur", "he"])
def test_right_to_left_pages_read_right_to_left_but_their_code(language):
    root = parse(_world_page(language))
    assert (root.get("lang"), root.get("dir")) == (language, "rtl")
    story = root.find(".//h:div[@class='story']", NS)
    spans, blocks = story.findall(".//h:p//h:code", NS), story.findall(".//h:pre", NS)
    assert spans and blocks or language in ("ur", "fa")
    for element in (*spans, *blocks):  # left to right, and isolated from the Arabic or Hebrew around them
        assert element.get("dir") == "ltr", text_of(element)


def test_left_to_right_pages_leave_code_unmarked(sites):
    root = parse(sites["kitchen-sink"] / "articles" / "kitchen-sink.html")
    assert root.get("dir") is None
    assert all(el.get("dir") is None for el in root.iter() if el.tag.endswith(("}pre", "}code")))


@pytest.mark.parametrize("language", ["ar", "hi", "zh-Hans", "th", "en"])
def test_world_pages_parse_and_carry_their_text(language):
    from test_world_scripts import WORLD

    root = parse(_world_page(language))
    publication, (article,) = articles_of(WORLD / language)
    assert text_of(root.find(".//h:h1", NS)) == article.headline
    assert root.get("lang") == article.language


def test_site_css_names_every_family_of_the_theme_without_serving_font_files():
    """The web edition publishes no font files: the stylesheet names the theme's families (a reader's copy is
    used when it has one) and has no @font-face pointing at files."""
    from pressrun.theme import load_theme

    css = (STYLES / "site.css").read_text(encoding="utf-8")
    named = set(re.findall(r'"([^"]+)"', css))
    assert {family.name for family in load_theme(STYLES).families.values()} <= named
    assert "@font-face" not in css and "url(" not in css
    assert "border-inline-start" in css and "border-left" not in css  # boxes mirror on right-to-left pages


def test_index_marks_the_direction_of_teasers_in_another_language(tmp_path):
    """A publication mixing English and Arabic stories: each teaser takes its own direction (dir="auto")."""
    import shutil

    from test_world_scripts import WORLD

    source = tmp_path / "src"
    shutil.copytree(WORLD / "en", source)
    shutil.copy(WORLD / "ar" / "udhr-75.md", source / "arabic.md")
    text = (source / "arabic.md").read_text(encoding="utf-8").replace("slug: udhr-75", "slug: udhr-75-ar")
    (source / "arabic.md").write_text(text, encoding="utf-8")
    report = run_build(source, tmp_path / "out", ["html"])
    assert report.exit_code == 0, report.problems + report.failures
    root = parse(tmp_path / "out" / "index.html")
    teasers = {t.get("lang"): t.get("dir") for t in root.findall(".//h:article", NS)}
    assert teasers == {"en": None, "ar": "auto"}
