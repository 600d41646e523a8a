"""The floor: the bare library calls for each format on the benchmark's articles, no pressrun around them.

Honest but minimal: the same text (front matter fields and body), the same DejaVu
TrueType fonts registered and embedded in the PDF, the lead image where there is one,
each output written to disk. Nothing pressrun adds (typography, font fallback, page
footers, accessibility metadata, subset fonts in the EPUB, per-tag feeds) is done here.
Run as ``python -m bench.floor --source DIR --out DIR --formats pdf,docx`` (in its own
process, so the runner measures its wall time and peak RSS exactly as it does pressrun's).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time as dtime, timezone
from pathlib import Path
from typing import Any

FORMATS = ("html", "pdf", "docx", "epub", "feed")
FONTS = Path(__file__).resolve().parent.parent / "styles" / "fonts"


@dataclass
class Doc:
    slug: str
    meta: dict[str, Any]
    tokens: list[Any]  # markdown-it block tokens of the body
    why: list[Any]
    image: Path | None
    extra: dict[str, Any] = field(default_factory=dict)


def read(source: Path) -> list[Doc]:
    """Front matter (PyYAML) and body (markdown-it-py), the parse every format needs."""
    import yaml
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    docs = []
    for path in sorted(source.glob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.load(front, Loader=loader)
        image = source / meta["image"]["src"] if "image" in meta else None
        docs.append(Doc(path.stem, meta, md.parse(body), md.parse(meta.get("why_this_matters", "")), image))
    return docs


def _md():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def _html(md: Any, tokens: list[Any]) -> str:
    return md.renderer.render(tokens, md.options, {})


def _blocks(tokens: list[Any]) -> list[tuple[str, Any]]:
    """(kind, inline token) for each heading, paragraph and list item, in order."""
    out, kind, lists = [], "p", []
    for tok in tokens:
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            lists.append(tok.type[0])  # "b" or "o"
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif tok.type == "heading_open":
            kind = "h"
        elif tok.type == "inline":
            out.append((kind if kind == "h" else (lists[-1] if lists else "p"), tok))
            kind = "p"
    return out


# ---- PDF (reportlab) -------------------------------------------------------------------------

def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.pdfmetrics import registerFontFamily
    from reportlab.pdfbase.ttfonts import TTFont

    for family, files in {
        "Serif": ("DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic", "DejaVuSerif-BoldItalic"),
        "Sans": ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"),
    }.items():
        for f in files:
            pdfmetrics.registerFont(TTFont(f, str(FONTS / f"{f}.ttf")))
        registerFontFamily(files[0], normal=files[0], bold=files[1], italic=files[2], boldItalic=files[3])
    pdfmetrics.registerFont(TTFont("DejaVuSansMono", str(FONTS / "DejaVuSansMono.ttf")))


def _rl_markup(inline: Any) -> str:
    from xml.sax.saxutils import escape, quoteattr

    tags = {"em_open": "<i>", "em_close": "</i>", "strong_open": "<b>", "strong_close": "</b>", "link_close": "</a>"}
    parts = []
    for child in inline.children or []:
        if child.type == "text":
            parts.append(escape(child.content))
        elif child.type == "code_inline":
            parts.append(f'<font face="DejaVuSansMono">{escape(child.content)}</font>')
        elif child.type == "link_open":
            parts.append(f"<a href={quoteattr(child.attrs['href'])} color=\"#0b4f8a\">")
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        else:
            parts.append(tags.get(child.type, ""))
    return "".join(parts)


def pdf(docs: list[Doc], out: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate

    _register_fonts()
    body = ParagraphStyle("body", fontName="DejaVuSerif", fontSize=10.5, leading=15.2)
    head = ParagraphStyle("h2", fontName="DejaVuSans-Bold", fontSize=15, leading=19, spaceBefore=8)
    title = ParagraphStyle("h1", fontName="DejaVuSans-Bold", fontSize=25, leading=30)
    item = ParagraphStyle("li", parent=body, leftIndent=14, bulletIndent=4)
    md = _md()
    for doc in docs:
        m = doc.meta
        story: list[Any] = [Paragraph(m["headline"], title), Paragraph(_rl_markup(md.parseInline(m["summary"])[0]), body)]
        story.append(Paragraph(m["byline"], body))
        if doc.image:
            story.append(Image(str(doc.image), width=160 * mm, height=100 * mm))
            story.append(Paragraph(f"{m['image']['caption']} {m['image']['credit']}", body))
        number = 0
        for kind, inline in _blocks(doc.tokens):
            number = number + 1 if kind == "o" else 0
            bullet = "•" if kind == "b" else (f"{number}." if kind == "o" else None)
            story.append(Paragraph(_rl_markup(inline), {"h": head, "p": body}.get(kind, item), bulletText=bullet))
        story.append(Paragraph("Why this matters", head))
        story += [Paragraph(_rl_markup(inline), body) for _, inline in _blocks(doc.why)]
        story.append(Paragraph("Key takeaways", head))
        story += [Paragraph(_rl_markup(md.parseInline(t)[0]), item, bulletText="•") for t in m["takeaways"]]
        target = out / "pdf" / f"{doc.slug}.pdf"
        SimpleDocTemplate(str(target), pagesize=A4, title=m["headline"], author=m["byline"]).build(story)


# ---- DOCX (python-docx) ----------------------------------------------------------------------

def _docx_runs(paragraph: Any, inline: Any) -> None:
    bold = italic = False
    for child in inline.children or []:
        if child.type in ("strong_open", "strong_close"):
            bold = child.type == "strong_open"
        elif child.type in ("em_open", "em_close"):
            italic = child.type == "em_open"
        elif child.type in ("text", "code_inline", "softbreak"):
            run = paragraph.add_run(child.content if child.type != "softbreak" else " ")
            run.bold, run.italic = bold or None, italic or None
            if child.type == "code_inline":
                run.font.name = "DejaVu Sans Mono"


def docx(docs: list[Doc], out: Path) -> None:
    from docx import Document
    from docx.shared import Cm

    md = _md()
    for doc in docs:
        m = doc.meta
        d = Document()
        d.core_properties.title, d.core_properties.author = m["headline"], m["byline"]
        d.add_heading(m["headline"], 0)
        _docx_runs(d.add_paragraph(), md.parseInline(m["summary"])[0])
        d.add_paragraph(m["byline"])
        if doc.image:
            d.add_picture(str(doc.image), width=Cm(15))
            d.add_paragraph(f"{m['image']['caption']} {m['image']['credit']}")
        for kind, inline in _blocks(doc.tokens):
            if kind == "h":
                d.add_heading(inline.content, 2)
            else:
                _docx_runs(d.add_paragraph(style={"b": "List Bullet", "o": "List Number"}.get(kind)), inline)
        d.add_heading("Why this matters", 2)
        for _, inline in _blocks(doc.why):
            _docx_runs(d.add_paragraph(), inline)
        d.add_heading("Key takeaways", 2)
        for t in m["takeaways"]:
            _docx_runs(d.add_paragraph(style="List Bullet"), md.parseInline(t)[0])
        d.save(str(out / "docx" / f"{doc.slug}.docx"))


# ---- EPUB (EbookLib) -------------------------------------------------------------------------

def _article_html(md: Any, doc: Doc, image_href: str | None) -> str:
    from html import escape

    m = doc.meta
    parts = [f"<h1>{escape(m['headline'])}</h1>", md.render(m["summary"]), f"<p>{escape(m['byline'])}</p>"]
    if image_href:
        parts.append(f'<figure><img src="{image_href}" alt="{escape(m["image"]["alt"])}"/>'
                     f"<figcaption>{escape(m['image']['caption'])}</figcaption></figure>")
    parts.append(_html(md, doc.tokens))
    parts.append("<h2>Why this matters</h2>" + _html(md, doc.why))
    parts.append("<h2>Key takeaways</h2><ul>" + "".join(f"<li>{md.renderInline(t)}</li>" for t in m["takeaways"]) + "</ul>")
    return "\n".join(parts)


def epub(docs: list[Doc], out: Path) -> None:
    from ebooklib import epub as eb

    md = _md()
    for doc in docs:
        m = doc.meta
        book = eb.EpubBook()
        book.set_identifier(f"urn:bench:{doc.slug}")
        book.set_title(m["headline"])
        book.set_language(m["language"])
        book.add_author(m["byline"])
        href = None
        if doc.image:
            href = "images/" + doc.image.name
            book.add_item(eb.EpubItem(uid="lead", file_name=href, media_type="image/jpeg", content=doc.image.read_bytes()))
        chapter = eb.EpubHtml(title=m["headline"], file_name="article.xhtml", lang=m["language"])
        chapter.content = _article_html(md, doc, href)
        book.add_item(chapter)
        book.toc = [chapter]
        book.add_item(eb.EpubNcx())
        book.add_item(eb.EpubNav())
        book.spine = ["nav", chapter]
        eb.write_epub(str(out / "epub" / f"{doc.slug}.epub"), book)


# ---- feeds (feedgen) -------------------------------------------------------------------------

def _when(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return datetime.combine(value if isinstance(value, date) else date.fromisoformat(str(value)), dtime(), timezone.utc)


def feed(docs: list[Doc], out: Path) -> None:
    from feedgen.feed import FeedGenerator

    md = _md()
    fg = FeedGenerator()
    fg.id("https://bench.example.org/news/")
    fg.title("The Benchmark Desk")
    fg.link(href="https://bench.example.org/news/", rel="alternate")
    fg.description("Synthetic articles for pressrun's benchmark.")
    fg.language("en")
    for doc in docs:
        m = doc.meta
        url = f"https://bench.example.org/news/articles/{doc.slug}.html"
        e = fg.add_entry(order="append")
        e.id(url)
        e.title(m["headline"])
        e.link(href=url)
        e.description(m["summary"])
        e.content(_html(md, doc.tokens), type="CDATA")
        e.published(_when(m["published"]))
        e.updated(_when(m["published"]))
        e.author(name=m["byline"])
        for tag in m.get("tags", []):
            e.category(term=tag)
    (out / "feeds" / "rss.xml").write_bytes(fg.rss_str())
    (out / "feeds" / "atom.xml").write_bytes(fg.atom_str())


# ---- HTML (markdown-it + Jinja2) -------------------------------------------------------------

PAGE = """<!doctype html><html lang="{{ m.language }}"><head><meta charset="utf-8"><title>{{ m.headline }}</title></head>
<body><article><h1>{{ m.headline }}</h1><p>{{ m.summary }}</p><p>{{ m.byline }}</p>
{% if m.image %}<figure><img src="../{{ m.image.src }}" alt="{{ m.image.alt }}"><figcaption>{{ m.image.caption }}</figcaption></figure>{% endif %}
{{ body }}<section><h2>Why this matters</h2>{{ why }}</section>
<section><h2>Key takeaways</h2><ul>{% for t in m.takeaways %}<li>{{ t }}</li>{% endfor %}</ul></section></article></body></html>"""
INDEX = """<!doctype html><html><head><meta charset="utf-8"><title>Latest</title></head><body><ul>
{% for d in docs %}<li><a href="articles/{{ d.slug }}.html">{{ d.meta.headline }}</a></li>{% endfor %}</ul></body></html>"""


def html(docs: list[Doc], out: Path) -> None:
    from jinja2 import Environment
    from markupsafe import Markup

    env = Environment(autoescape=True)
    page, index = env.from_string(PAGE), env.from_string(INDEX)
    md = _md()
    for doc in docs:
        text = page.render(m=doc.meta, body=Markup(_html(md, doc.tokens)), why=Markup(_html(md, doc.why)))
        (out / "articles" / f"{doc.slug}.html").write_text(text, encoding="utf-8")
    (out / "index.html").write_text(index.render(docs=docs), encoding="utf-8")


STEPS: dict[str, Callable[[list[Doc], Path], None]] = {"html": html, "pdf": pdf, "docx": docx, "epub": epub, "feed": feed}
FOLDERS = {"html": "articles", "pdf": "pdf", "docx": "docx", "epub": "epub", "feed": "feeds"}


def run(source: Path, out: Path, formats: list[str]) -> dict[str, float]:
    """Read once, then each format; returns seconds per step (in-process, for information)."""
    times: dict[str, float] = {}
    t = time.perf_counter()
    docs = read(source)
    times["parse"] = time.perf_counter() - t
    for fmt in formats:
        (out / FOLDERS[fmt]).mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        STEPS[fmt](docs, out)
        times[fmt] = time.perf_counter() - t
    return times


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="the bare-library floor for pressrun's formats")
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated; 'none' for the parse only")
    args = parser.parse_args()
    wanted = [] if args.formats == "none" else args.formats.split(",")
    print(json.dumps(run(args.source, args.out, wanted)))
