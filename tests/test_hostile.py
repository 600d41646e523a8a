"""Hostile input: each case has a defined behaviour (escaped, dropped with a warning, or rejected).

The README's "What pressrun does with bad input" section lists the same cases.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, run_build
from pressrun import registry
from pressrun.readers import read_sources

HOSTILE_BODY = (
    "Raw <b>bold</b> and <script>alert('x')</script> stay text.\n\n"
    "<div onclick=\"steal()\">a raw HTML block</div>\n\n"
    "[js](javascript:alert(1)) [vb](vbscript:msgbox) [data](data:text/html;base64,PHNjcmlwdD4=) "
    "[file](file:///etc/passwd) [fine](https://example.com/ok?a=1&b=2).\n\n"
    "Entities: &amp; &copy; &lt;tag&gt; &#0; &#xD800; &#x0B;.\n\n"
    "Word paste:\x0bvertical tab,\x0cform feed,\x1bescape and \x7fdelete.\n\n"
    "Zero\u200bwidth, joiner\u200d, marks\u200e\u200f, override\u202eevil\u202c and isolate\u2066x\u2069.\n\n"
    + "Long" * 200 + " word and https://example.com/" + "very-long-path/" * 40 + "\n"
)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, Path, object]:
    source = tmp_path_factory.mktemp("hostile-src")
    (source / "publication.yaml").write_text(
        "title: Hostile\nbase_url: https://hostile.example.com/\nlanguage: en\ndescription: Bad input.\nauthor: Staff\n"
    )
    front = "---\r\nheadline: Hostile <em>input</em> & friends\r\nsummary: A <script>summary</script>\r\npublished: 2024-05-01\r\n"
    front += "takeaways:\r\n  - \"<img src=x onerror=alert(1)>\"\r\n---\r\n"
    (source / "hostile.md").write_bytes(b"\xef\xbb\xbf" + (front + HOSTILE_BODY.replace("\n", "\r\n")).encode())
    out = tmp_path_factory.mktemp("hostile-out")
    report = run_build(source, out, sorted(registry.available()))
    return source, out, report


def _texts(out: Path) -> dict[str, str]:
    """Every text document in the output, including those inside DOCX and EPUB archives."""
    texts = {}
    for path in out.rglob("*"):
        rel = path.relative_to(out).as_posix()
        if path.suffix in {".html", ".xml", ".json", ".css"}:
            texts[rel] = path.read_text(encoding="utf-8")
        elif path.suffix in {".docx", ".epub"}:
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    if name.endswith((".xml", ".xhtml", ".opf", ".ncx", ".rels", ".css")):
                        texts[f"{rel}!{name}"] = archive.read(name).decode("utf-8")
    return texts


def test_hostile_article_publishes_with_warnings_not_errors(hostile):
    _, out, report = hostile
    assert report.exit_code == 0, [str(p) for p in report.failures + report.problems]
    warnings = [str(p) for p in report.problems]
    assert any("control characters U+000B, U+000C, U+001B, U+007F replaced by a space" in w for w in warnings), warnings


def test_no_output_contains_a_character_xml_forbids(hostile):
    _, out, _ = hostile
    forbidden = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
    for name, text in _texts(out).items():
        assert not forbidden.search(text), name


def _markup(out: Path) -> dict[str, str]:
    """Every piece of HTML pressrun wrote: pages, EPUB documents, and the HTML inside feeds, decoded."""
    import json

    import feedparser

    docs = {k: v for k, v in _texts(out).items() if k.endswith((".html", ".xhtml"))}
    for feed in out.glob("feeds/**/*.xml"):
        parsed = feedparser.parse(feed.read_bytes())
        for n, entry in enumerate(parsed.entries):
            docs[f"{feed.name}#{n}"] = " ".join(c.value for c in entry.get("content", [])) + entry.get("summary", "")
    for feed in out.glob("feeds/**/*.json"):
        for n, item in enumerate(json.loads(feed.read_text())["items"]):
            docs[f"{feed.name}#{n}"] = item.get("content_html", "")
    return docs


def test_raw_html_and_scripts_never_become_markup(hostile):
    _, out, _ = hostile
    docs = _markup(out)
    assert len(docs) >= 5
    for name, text in docs.items():
        assert not re.search(r"<script(?![^>]*application/ld\+json)", text, re.I), name
        assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", text, re.I), name
        assert not re.search(r"<img[^>]*src=[\"']?x[\s\"'>]", text, re.I), name
    page = docs["articles/hostile.html"]
    assert "&lt;script&gt;alert(" in page and "&lt;div onclick=" in page


def test_dangerous_link_schemes_never_become_links(hostile):
    _, out, _ = hostile
    for name, text in _texts(out).items():
        for scheme in ("javascript:", "vbscript:", "data:text/html", "file:///etc"):
            assert not re.search(rf'(href|src|Target)=["\']{re.escape(scheme)}', text, re.I), (name, scheme)
    pdf = next(out.glob("pdf/*.pdf"), None)
    if pdf is not None:
        from pypdf import PdfReader

        uris = [a.get_object().get("/A", {}).get("/URI") for page in PdfReader(pdf).pages for a in page.get("/Annots", []) or []]
        assert "https://example.com/ok?a=1&b=2" in uris
        assert not [u for u in uris if u and not u.startswith("https://")]


def test_visible_text_survives_in_every_format(hostile):
    _, out, _ = hostile
    page = (out / "articles" / "hostile.html").read_text()
    assert "a raw HTML block" in page and "Entities: &amp; © &lt;tag&gt;" in page
    pdf = next(out.glob("pdf/*.pdf"), None)
    if pdf is not None:
        from pypdf import PdfReader

        text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
        assert "stay text." in re.sub(r"\s+", " ", text)
        assert "alert" in text


def test_zero_width_and_bidi_controls_are_kept_in_text_formats(hostile):
    _, out, _ = hostile
    page = (out / "articles" / "hostile.html").read_text()
    assert "Zero\u200bwidth" in page and "override\u202eevil\u202c" in page and "isolate\u2066x\u2069" in page


def test_pdf_drops_invisible_format_characters_no_font_draws(hostile):
    from pypdf import PdfReader

    _, out, _ = hostile
    text = "".join(p.extract_text() for p in PdfReader(out / "pdf" / "hostile.pdf").pages)
    assert "isolatex" in text  # U+2066/U+2069 have no glyph in DejaVu: dropped, not a box, not an error


# --- rejected input --------------------------------------------------------------

def _pub(folder: Path) -> Path:
    (folder / "publication.yaml").write_text("title: T\nbase_url: https://t.example.com/\nlanguage: en\ndescription: D\nauthor: A\n")
    return folder


def test_a_10_mb_article_is_rejected_with_a_located_error(tmp_path):
    source = _pub(tmp_path)
    (source / "huge.md").write_text("---\nheadline: H\nsummary: S\npublished: 2024-01-01\n---\n" + ("word " * 2_000_000))
    errors = [str(e) for e in read_sources(source).diagnostics.errors]
    assert len(errors) == 1 and "huge.md: file: is 9.5 MB; an article may be at most 2 MB" in errors[0]


def test_thousands_of_articles_with_one_slug_give_one_located_error_each(tmp_path):
    source = _pub(tmp_path)
    for n in range(1500):
        (source / f"a{n:04}.md").write_text(f"---\nheadline: H{n}\nsummary: S\npublished: 2024-01-01\nslug: same\n---\nB.\n")
    sources = read_sources(source)
    errors = sources.diagnostics.errors
    assert len(sources.articles) == 1 and len(errors) == 1499
    assert all("slug 'same' is already used by" in e.message and "a0000.md" in e.message for e in errors)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not an image at all", "is not a readable image"),
        ((FIXTURES / "kitchen-sink" / "images" / "ceremony.jpg").read_bytes()[:4000], "is not a readable image"),
        # Only the last scan's end missing: the reader decodes JPEGs scaled down (draft), which must still read
        # every byte of the compressed data.
        ((FIXTURES / "kitchen-sink" / "images" / "ceremony.jpg").read_bytes()[:-60], "is not a readable image"),
    ],
    ids=["not-an-image", "truncated-jpeg", "jpeg-missing-its-last-bytes"],
)
def test_broken_image_files_are_rejected(tmp_path, content, message):
    source = _pub(tmp_path)
    (source / "pic.jpg").write_bytes(content)
    (source / "a.md").write_text("---\nheadline: H\nsummary: S\npublished: 2024-01-01\nimage: {src: pic.jpg, alt: A picture}\n---\nB.\n")
    errors = [str(e) for e in read_sources(source).diagnostics.errors]
    assert len(errors) == 1 and "a.md:5: image.src: 'pic.jpg'" in errors[0] and message in errors[0]


def test_an_article_symlink_leading_outside_is_refused_and_one_inside_is_read(tmp_path):
    (tmp_path / "src").mkdir()
    source = _pub(tmp_path / "src")
    text = "---\nheadline: {}\nsummary: S\npublished: 2024-01-01\nslug: {}\n---\nText.\n"
    (tmp_path / "outside.md").write_text(text.format("Outside", "outside"))
    (source / "a-out.md").symlink_to(tmp_path / "outside.md")
    (source / "real.md").write_text(text.format("Real", "real"))
    (source / "b-in.md").symlink_to(source / "real.md")  # a link within the folder is a file of it
    sources = read_sources(source)
    errors = [str(e) for e in sources.diagnostics.errors]
    assert len(errors) == 2 and "a-out.md" in errors[0] and "link to a file outside the source folder" in errors[0]
    assert "slug 'real' is already used by" in errors[1]  # b-in.md read: the same article as real.md
    assert [a.slug for a in sources.articles] == ["real"]


def test_an_image_symlink_leading_outside_is_rejected(tmp_path):
    (tmp_path / "src").mkdir()
    source = _pub(tmp_path / "src")
    (tmp_path / "secret.png").write_bytes((FIXTURES / "kitchen-sink" / "images" / "map.png").read_bytes())
    (source / "pic.png").symlink_to(tmp_path / "secret.png")
    (source / "a.md").write_text("---\nheadline: H\nsummary: S\npublished: 2024-01-01\n---\nText.\n\n![alt](pic.png)\n")
    errors = [str(e) for e in read_sources(source).diagnostics.errors]
    assert len(errors) == 1 and "a.md:8: body.src: 'pic.png' leads outside the source folder" in errors[0]


@pytest.mark.parametrize("src", ["https://cdn.example.com/x.jpg", "//cdn.example.com/x.jpg", "data:image/png;base64,iVBORw0KGgo="])
def test_remote_images_are_a_located_error(tmp_path, src):
    source = _pub(tmp_path)
    (source / "a.md").write_text(f"---\nheadline: H\nsummary: S\npublished: 2024-01-01\nimage: {{src: '{src}', alt: A}}\n---\nB.\n")
    errors = [str(e) for e in read_sources(source).diagnostics.errors]
    assert len(errors) == 1, errors
    assert "never fetches from the network" in errors[0] or "must be a relative path" in errors[0], errors
