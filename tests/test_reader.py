"""Reader: every field, every node type, dates and time zones, text hygiene, the seed article."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import FIXTURES, SOURCE, articles_of
from pressrun import model
from pressrun.readers import read_sources
from pressrun.model import iter_blocks
from pressrun.render.plain import plain, plain_blocks

# The report as it was published (a copy of ../shared/seed-article.txt, so the test needs nothing outside the repo).
SEED_TEXT = FIXTURES / "seed-article.txt"


def whole_articles(folder: Path) -> list[model.Article]:
    """Every article of ``folder`` as read, whole (the reader hands out teasers and packed articles)."""
    sources = read_sources(folder)
    return [sources.article(a) for a in sources.articles]


def _typographic(text: str) -> str:
    """The reader sets typographic apostrophes; compare the seed text the same way."""
    return text.replace("'", "\u2019")


def write_article(folder: Path, name: str, front: str, body: str = "Body.\n") -> Path:
    path = folder / name
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    return path


@pytest.fixture
def pub_folder(tmp_path: Path) -> Path:
    (tmp_path / "publication.yaml").write_text(
        "title: T\nbase_url: https://t.example.com\nlanguage: en\ndescription: D\ntimezone: Asia/Baku\nauthor: House\n"
    )
    return tmp_path


# --- the seed article -------------------------------------------------------

def test_seed_article_is_faithful_to_the_published_report():
    publication, (article,) = articles_of(SOURCE)
    seed = SEED_TEXT.read_text(encoding="utf-8")
    lines = [line.strip() for line in seed.splitlines() if line.strip()]
    assert article.headline == lines[0]
    assert plain(article.summary) == _typographic(lines[1])
    assert [a.name for a in article.byline] == ["Aqsa Younas Rana"]
    assert article.published == datetime(2024, 4, 27, tzinfo=timezone.utc)
    assert article.language == "en"
    assert {"Nagorno-Karabakh", "Russia", "Azerbaijan", "Armenia"} <= set(article.tags)

    why_line = next(line for line in lines if line.startswith("Why this matters:"))
    assert plain_blocks(article.why_this_matters) == [_typographic(why_line.removeprefix("Why this matters:").strip())]

    takeaways = [t.lstrip("\u2022 ").strip() for t in lines[lines.index("Key Takeaways") + 1 :]]
    assert [plain(t) for t in article.takeaways] == [_typographic(t) for t in takeaways]
    assert len(article.takeaways) == 5

    # Every body paragraph of the report, in order (the web page's "New Update" chrome is not a paragraph).
    body_lines = [l for l in lines[lines.index("Aqsa Younas Rana") :] if len(l) > 120 and not l.startswith("Why this matters")]
    body_lines = [l for l in body_lines if l not in takeaways]
    assert plain_blocks(article.body) == [_typographic(l) for l in body_lines]
    assert len(article.body) == 5
    assert publication.title and publication.base_url.startswith("https://")


# --- every field and node type ----------------------------------------------

def test_kitchen_sink_fields():
    publication, (a,) = articles_of(FIXTURES / "kitchen-sink")
    assert a.headline == "Kitchen sink: every field and \u201cnode\u201d in one test article"
    assert plain(a.summary) == "The standfirst with strong text, code and a link."
    assert [type(n).__name__ for n in a.summary] == ["Text", "Emphasis", "Text", "Strong", "Text", "Code", "Text", "Link", "Text"]
    assert a.byline == (
        model.Author("Ann Writer", "reporter", "https://gazette.example.com/staff/ann", "ann@example.com"),
        model.Author("Bo Second"),
    )
    assert a.published == datetime(2024, 4, 27, 14, 30, tzinfo=timezone(timedelta(hours=4)))
    assert a.updated == datetime(2024, 4, 28, 9, 0, tzinfo=timezone.utc)
    assert a.modified == a.updated
    assert (a.language, a.slug, a.section, a.dateline, a.rights) == ("en-GB", "kitchen-sink", "World", "BAKU", "CC BY 4.0")
    assert a.id == "urn:uuid:0b0f3c1e-4a57-4d8e-9d0c-2f6f3c1a9e11"
    assert a.tags == ("Testing", "Fixtures", "Caucasus")
    assert a.canonical_url == "https://gazette.example.com/articles/kitchen-sink.html"
    assert a.image is not None
    assert (a.image.alt, a.image.caption, a.image.credit) == (
        "Officers stand at attention in front of three flags.",
        "The closing ceremony of the monitoring center.",
        "Photo by Jane Lens / Example Agency",
    )
    assert (a.image.media_type, a.image.width, a.image.height) == ("image/jpeg", 1200, 675)
    assert a.image.output_path == "media/images/ceremony.jpg"
    assert plain_blocks(a.why_this_matters) == ["First paragraph of why this matters.", "Second paragraph, with a link."]
    assert [plain(t) for t in a.takeaways][0] == "First takeaway with emphasis."
    assert len(a.takeaways) == 3


def test_kitchen_sink_uses_every_node_type():
    _, (a,) = articles_of(FIXTURES / "kitchen-sink")
    blocks = list(iter_blocks(a.body))
    block_types = {type(b) for b in blocks}
    assert block_types >= set(model.BLOCK_TYPES)
    from pressrun.model import iter_inlines, block_inlines

    inline_types = {type(i) for b in blocks for i in iter_inlines(block_inlines(b))}
    assert inline_types >= set(model.INLINE_TYPES)

    headings = [b for b in blocks if isinstance(b, model.Heading)]
    assert [(h.level, h.anchor) for h in headings] == [
        (2, "a-second-level-heading"), (3, "a-third-level-heading"), (4, "a-fourth-level-heading"),
    ]
    ordered = [b for b in a.body if isinstance(b, model.OrderedList)]
    assert [o.start for o in ordered] == [1, 4]
    nested = ordered[0].items[1].children[1]
    assert isinstance(nested, model.BulletList)
    assert isinstance(nested.items[1].children[1], model.OrderedList)
    code = next(b for b in blocks if isinstance(b, model.CodeBlock))
    assert code.language == "python" and '"world"' in code.text
    figure = next(b for b in blocks if isinstance(b, model.Figure))
    assert (figure.image.alt, figure.image.caption, figure.image.credit) == (
        "A map of the region with a red circle.", "The region, circled.", None,
    )
    assert [i.src for i in a.images()] == ["images/ceremony.jpg", "images/map.png"]


def test_raw_html_becomes_visible_text_and_unsafe_links_are_not_links():
    _, (a,) = articles_of(FIXTURES / "kitchen-sink")
    texts = plain_blocks(a.body)
    assert "Raw <b>HTML</b> stays visible text, and so does <script>alert(1)</script>." in texts


def test_dangerous_link_schemes_stay_text(pub_folder: Path):
    write_article(pub_folder, "a.md", "headline: H\nsummary: S\npublished: 2024-01-01\n",
                  "[click](javascript:alert(1)) and [data](data:text/html,hi) and [ok](https://ok.example)\n")
    sources = read_sources(pub_folder)
    (para,) = sources.article(sources.articles[0]).body
    links = [n for n in para.children if isinstance(n, model.Link)]
    assert [l.href for l in links] == ["https://ok.example"]
    assert "[click](javascript:alert(1))" in plain(para.children)


# --- dates and time zones ----------------------------------------------------

@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-04-27", datetime(2024, 4, 27, tzinfo=__import__("zoneinfo").ZoneInfo("Asia/Baku"))),
        ("2024-04-27T10:15:00", datetime(2024, 4, 27, 10, 15, tzinfo=__import__("zoneinfo").ZoneInfo("Asia/Baku"))),
        ("2024-04-27T10:15:00Z", datetime(2024, 4, 27, 10, 15, tzinfo=timezone.utc)),
        ("'2024-04-27T10:15:00+02:00'", datetime(2024, 4, 27, 10, 15, tzinfo=timezone(timedelta(hours=2)))),
    ],
)
def test_dates_are_timezone_aware_in_the_publication_zone(pub_folder: Path, value: str, expected: datetime):
    write_article(pub_folder, "a.md", f"headline: H\nsummary: S\npublished: {value}\n")
    (article,) = whole_articles(pub_folder)
    assert article.published == expected
    assert article.published.utcoffset() == expected.utcoffset()


def test_articles_are_sorted_newest_first(pub_folder: Path):
    write_article(pub_folder, "old.md", "headline: Old\nsummary: S\npublished: 2024-01-01\n")
    write_article(pub_folder, "new.md", "headline: New\nsummary: S\npublished: 2024-03-01\n")
    assert [a.slug for a in whole_articles(pub_folder)] == ["new", "old"]


# --- defaults, ids and hygiene -------------------------------------------------

def test_defaults_from_publication_and_file_name(pub_folder: Path):
    write_article(pub_folder, "Peace Talks Résumé.md", "headline: H\nsummary: S\npublished: 2024-01-01\n")
    (a,) = whole_articles(pub_folder)
    assert a.slug == "peace-talks-resume"
    assert a.byline == (model.Author("House"),)
    assert a.language == "en"
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", a.id)


def test_id_survives_a_headline_edit(pub_folder: Path):
    path = write_article(pub_folder, "story.md", "headline: First\nsummary: S\npublished: 2024-01-01\n")
    first = whole_articles(pub_folder)[0].id
    path.write_text(path.read_text().replace("First", "Edited headline"))
    assert whole_articles(pub_folder)[0].id == first


def test_control_characters_become_spaces_with_a_located_warning(pub_folder: Path):
    write_article(pub_folder, "a.md", "headline: H\nsummary: \"Tab\\vbed\"\npublished: 2024-01-01\n", "Line one\x0bpasted from Word.\n")
    sources = read_sources(pub_folder)
    (a,) = [sources.article(t) for t in sources.articles]
    assert plain_blocks(a.body) == ["Line one pasted from Word."]
    warnings = [str(w) for w in sources.diagnostics.warnings]
    assert any(":6: warning: body: control character U+000B" in w for w in warnings), warnings
    assert plain(a.summary) == "Tab bed"


def test_bom_and_crlf_are_normalised(pub_folder: Path):
    (pub_folder / "a.md").write_bytes(b"\xef\xbb\xbf---\r\nheadline: H\r\nsummary: S\r\npublished: 2024-01-01\r\n---\r\nBody\r\ntext.\r\n")
    (a,) = whole_articles(pub_folder)
    assert plain_blocks(a.body) == ["Body text."]


def test_heading_levels_are_clamped_with_a_warning(pub_folder: Path):
    write_article(pub_folder, "a.md", "headline: H\nsummary: S\npublished: 2024-01-01\n", "# Top\n\n###### Deep\n\nText.\n")
    sources = read_sources(pub_folder)
    levels = [b.level for b in sources.article(sources.articles[0]).body if isinstance(b, model.Heading)]
    assert levels == [2, 4]
    assert len([w for w in sources.diagnostics.warnings if w.field == "body"]) == 2


def test_duplicate_slugs_are_a_located_error(pub_folder: Path):
    write_article(pub_folder, "a.md", "headline: A\nsummary: S\npublished: 2024-01-01\nslug: same\n")
    write_article(pub_folder, "b.md", "headline: B\nsummary: S\npublished: 2024-01-01\nslug: same\n")
    errors = [str(e) for e in read_sources(pub_folder).diagnostics.errors]
    assert len(errors) == 1 and "b.md" in errors[0] and "slug 'same' is already used" in errors[0]


def test_body_heading_cannot_take_a_layout_id(pub_folder: Path):
    write_article(pub_folder, "a.md", "headline: H\nsummary: S\npublished: 2024-01-01\n", "## Why this matters\n\nText.\n")
    (heading, _) = whole_articles(pub_folder)[0].body
    assert heading.anchor == "why-this-matters-2"


@pytest.mark.parametrize(("value", "ok"), [("urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427", True),
                                          ("tag:example.org,2024:peace", True), ("https://x.example/a", True),
                                          ("42", False), ("my story", False)])
def test_explicit_ids_must_be_uris(pub_folder: Path, value: str, ok: bool):
    write_article(pub_folder, "a.md", f"headline: H\nsummary: S\npublished: 2024-01-01\nid: '{value}'\n")
    errors = [str(e) for e in read_sources(pub_folder).diagnostics.errors]
    assert (errors == []) if ok else (len(errors) == 1 and "a.md:5: id:" in errors[0] and "is not a URI" in errors[0])
