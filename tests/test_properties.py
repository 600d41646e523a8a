"""Property tests: random articles either publish valid output in every format or fail with located problems.

CI runs a bounded number of examples; ``make fuzz`` runs many more (HYPOTHESIS_PROFILE=fuzz).
hypothesis' ``deadline`` only complains once an example has ended, so a hang is stopped here: every
export has a small budget (a stopped export fails the example), and the whole example a backstop.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import zipfile
from pathlib import Path

import feedparser
import html5lib
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from lxml import etree

import pytest

from conftest import STYLES, run_build
from pressrun import registry
from pressrun.errors import Severity
from pressrun.timelimit import ExportTimedOut, time_limit

from hypothesis import Phase

# CI: a bounded run that fails fast (no shrinking); the fuzz profile shrinks failures to a minimal article.
settings.register_profile("ci", max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                          phases=[Phase.explicit, Phase.reuse, Phase.generate])
settings.register_profile("fuzz", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Seconds one export of one example may take (`make fuzz FUZZ_EXPORT_TIMEOUT=…`); a random article takes well
# under one. The backstop covers reading and checking too: up to 2 articles × every format, then the parts.
EXPORT_BUDGET = float(os.environ.get("FUZZ_EXPORT_TIMEOUT", "20"))
EXAMPLE_LIMIT = 20 * EXPORT_BUDGET

# Letters of every script the bundled fonts cover, plus the punctuation Markdown cares about.
SCRIPTS = "abcxyzABCXYZ əğşıİöüçÖÜÇ абвгдеёжщэюяАБВЖЩ αβγδεζΩΣ աբգդեզԱԲԳ აბგდევზ 0123456789"
MARKDOWN = "*_`[]()<>#!&\\-+.:;,'\"=~|{}/?"
word = st.text(alphabet=SCRIPTS.replace(" ", ""), min_size=1, max_size=12)
messy = st.text(alphabet=SCRIPTS + MARKDOWN + "\u200b\u200d\x0b", min_size=1, max_size=60)
long_word = st.integers(min_value=80, max_value=400).map(lambda n: "Ж" * n)
long_url = st.integers(min_value=50, max_value=300).map(lambda n: f"<https://example.com/{'segment/' * (n // 8)}end>")


@st.composite
def inline_text(draw) -> str:
    parts = draw(st.lists(st.one_of(
        word, messy, long_word, long_url,
        word.map(lambda w: f"*{w}*"), word.map(lambda w: f"**{w}**"), word.map(lambda w: f"`{w}`"),
        word.map(lambda w: f"[{w}](https://example.com/{len(w)})"), word.map(lambda w: f"[{w}](relative/{len(w)}.html)"),
    ), min_size=1, max_size=12))
    return " ".join(parts)


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@st.composite
def block(draw, depth: int = 0) -> str:
    kind = draw(st.sampled_from(["p", "p", "h", "ul", "ol", "quote", "code", "hr"] if depth < 6 else ["p"]))
    if kind == "p":
        return draw(inline_text())
    if kind == "h":
        return "#" * draw(st.integers(2, 4)) + " " + _one_line(draw(inline_text()))
    if kind in ("ul", "ol"):
        items = draw(st.lists(inline_text(), min_size=1, max_size=5))
        nested = draw(st.one_of(st.none(), block(depth + 1))) if depth < 6 else None
        marker = "-" if kind == "ul" else "1."
        lines = [f"{marker} {_one_line(i)}" for i in items]
        if nested:
            lines += ["   " + line for line in nested.splitlines()]
        return "\n".join(lines)
    if kind == "quote":
        return "> " + _one_line(draw(inline_text()))
    if kind == "code":
        return "```\n" + draw(messy).replace("`", "'") + "\n```"
    return "---"


def _yaml_str(text: str) -> str:
    return json.dumps(_one_line(text), ensure_ascii=False)  # JSON strings are YAML strings


@st.composite
def article_source(draw) -> dict[str, str]:
    body = "\n\n".join(draw(st.lists(block(), min_size=1, max_size=8)))
    takeaways = draw(st.one_of(st.just([]), st.lists(inline_text(), min_size=1, max_size=5),
                               st.lists(word, min_size=150, max_size=300)))
    front = [
        f"headline: {_yaml_str(draw(inline_text()))}",
        f"summary: {_yaml_str(draw(inline_text()))}",
        f"byline: {json.dumps(draw(st.lists(word, min_size=1, max_size=3)), ensure_ascii=False)}",
        f"published: 2024-0{draw(st.integers(1, 9))}-1{draw(st.integers(0, 9))}",
        f"language: {draw(st.sampled_from(['en', 'az', 'ru', 'hy', 'ka', 'el', 'tr', 'de']))}",
        f"tags: {json.dumps(draw(st.lists(word, max_size=4)), ensure_ascii=False)}",
    ]
    if draw(st.booleans()):
        front.append(f"why_this_matters: {_yaml_str(draw(inline_text()))}")
    if takeaways:
        front.append("takeaways:\n" + "\n".join(f"  - {_yaml_str(t)}" for t in takeaways))
    if draw(st.booleans()):
        front.append("section: " + _yaml_str(draw(word)))
    return {"front": "\n".join(front), "body": body}


def _squash(text: str) -> str:
    """Compare text modulo white space, hyphenation and typographic quotes."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011\u200b\u200d\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\"']", "", text)


def _footer(language: str) -> re.Pattern:
    """The running footer: the publication's title and the page counter in the article's language."""
    from pressrun.theme import load_theme

    counter = re.escape(load_theme(STYLES).labels_for(language).page)
    counter = counter.replace(re.escape("{page}"), r"\S+").replace(re.escape("{pages}"), r"\S+")
    return re.compile(r"Fuzz\s*" + counter.replace(r"\ ", r"\s*") + r"\s*$")


def _check_outputs(out: Path, takeaways: dict[str, list[str]], languages: dict[str, str]) -> None:
    """Every output parses; each article's PDF and DOCX contain its takeaways."""
    from docx import Document
    from pypdf import PdfReader

    for page in out.rglob("*.html"):
        html5lib.HTMLParser(strict=True).parse(page.read_bytes())
    for slug, items in takeaways.items():
        # Each page without its running footer, which may fall in the middle of a long takeaway.
        footer = _footer(languages[slug])
        pages = [footer.sub("", p.extract_text()) for p in PdfReader(out / "pdf" / f"{slug}.pdf").pages]
        pdf_text = _squash("".join(pages))
        docx_text = _squash(" ".join(p.text for p in Document(out / "docx" / f"{slug}.docx").paragraphs))
        for item in items:
            assert _squash(item) in pdf_text, item
            assert _squash(item) in docx_text, item
    for epub in out.glob("epub/**/*.epub"):
        with zipfile.ZipFile(epub) as archive:
            assert archive.namelist()[0] == "mimetype"
            for name in archive.namelist():
                if name.endswith((".xhtml", ".opf", ".ncx")):
                    etree.fromstring(archive.read(name))
    for feed in out.glob("feeds/**/*.xml"):
        assert feedparser.parse(feed.read_bytes()).bozo == 0, feed
    for feed in out.glob("feeds/**/*.json"):
        json.loads(feed.read_text())


PUBLICATION = "title: Fuzz\nbase_url: https://fuzz.example.com/\nlanguage: en\ndescription: Random articles.\n"


# Found by this test (issue 12): the PDF layout looped for ever on a list item ending in a heading.
PDF_HANG = {
    "front": 'headline: "[Ωд](https://example.com/2) Ա0ğ7ბВг9 ' + "Ж" * 134 + ' `ÖБε3ΣÖж` Y"\nsummary: "S"\n'
             'byline: ["B"]\npublished: 2024-01-18\nlanguage: en\ntags: ["3aդгщΣ"]\ntakeaways:\n'
             '  - "`жαc9` 1ёვx [ə](relative/1.html)"\nsection: "y"',
    "body": "- <https://example.com/" + "segment/" * 12 + "end> \u200dşԱ ВB9Σ7е **27XC** " + "Ж" * 299
            + " `x9x09эCд` ა]Üგ& `զБığԱԲԲαİ`\n  ### <https://example.com/" + "segment/" * 35 + "end>\n1.\n",
}


@example(articles=[PDF_HANG])
@given(articles=st.lists(article_source(), min_size=1, max_size=2))
def test_random_articles_publish_or_fail_with_located_problems(articles):
    try:
        with time_limit(EXAMPLE_LIMIT):
            _publish_and_check(articles)
    except ExportTimedOut:
        pytest.fail(f"the example did not finish within {EXAMPLE_LIMIT:g} s (a hang outside the exports)")


def _publish_and_check(articles: list[dict[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "src", Path(tmp) / "out"
        source.mkdir()
        (source / "publication.yaml").write_text(PUBLICATION)
        takeaways: dict[str, list[str]] = {}
        for n, article in enumerate(articles):
            (source / f"a{n}.md").write_text(f"---\n{article['front']}\n---\n{article['body']}\n", encoding="utf-8")
        # never any other exception; an export that loops is stopped by its budget and reported
        report = run_build(source, out, sorted(registry.available()), keep_going=True, export_timeout=EXPORT_BUDGET)
        for problem in report.problems + report.failures:
            assert problem.path and problem.message, problem
        stuck = [str(f) for f in report.failures if "as a bug" in f.message]
        assert not stuck, stuck  # an export that did not finish (or a PDF layout that stopped moving) is a bug
        event("published" if report.exit_code == 0 else f"rejected: {(report.problems + report.failures)[0].field}")
        bugs = [str(f) for f in report.failures if f.message.startswith("internal error")]
        assert not bugs, bugs  # an exporter crashed: that is a bug, not a located problem
        if report.exit_code == 0:
            from pressrun.readers import read_sources
            from pressrun.render.plain import plain

            sources = read_sources(source)
            read = [sources.article(a) for a in sources.articles]
            for a in read:
                takeaways[a.slug] = [plain(t) for t in a.takeaways][:20]
            _check_outputs(out, takeaways, {a.slug: a.language for a in read})
        else:
            errors = [p for p in report.problems if p.severity is Severity.ERROR] + report.failures
            assert errors and all(p.field for p in errors), errors
