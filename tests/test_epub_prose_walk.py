"""The accessibility examination's direct walk (``_prose_texts``) sees what ``prose`` sees (issue 19)."""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from conftest import FIXTURES, ROOT, articles_of
from pressrun import model
from pressrun.exporters.epub import accessibility as acc

sys.path.insert(0, str(ROOT))
from bench.generate import generate  # noqa: E402

_, (KITCHEN_SINK, *_) = articles_of(FIXTURES / "kitchen-sink")


@pytest.fixture(scope="module")
def bench_articles(tmp_path_factory) -> Path:
    """Twelve of the benchmark's articles: six scripts, lists, links, code, images."""
    folder = tmp_path_factory.mktemp("prose") / "src"
    generate(folder, 12)
    return folder


def old_view(article):
    texts = list(acc.prose(article))
    by: dict[str, set[str]] = {}
    for lang, text in texts:
        by.setdefault(lang, set()).update(text)
    return ({k: v - {"\n"} for k, v in by.items()}, acc.foreign_scripts(article, texts), acc.marked_languages(article, texts))


def new_view(article):
    found = acc._prose_texts(article)
    return ({k: set("".join(v)) - {"\n"} for k, v in found.items()}, acc.foreign_scripts(article), acc.marked_languages(article))


def check(article):
    old, new = old_view(article), new_view(article)
    assert list(old[0]) == list(new[0]), (article.slug, list(old[0]), list(new[0]))
    assert old == new, article.slug


def test_every_fixture_article(bench_articles):
    n = 0
    for folder in [*sorted(p for p in FIXTURES.iterdir() if (p / "publication.yaml").exists()), ROOT / "source"]:
        if folder.name in ("broken",) or not (folder / "publication.yaml").exists():
            continue
        try:
            _, articles = articles_of(folder)
        except AssertionError:
            continue
        for article in articles:
            check(article)
            n += 1
    for article in articles_of(bench_articles)[1]:
        check(article)
        n += 1
    assert n > 10


LANGS = st.sampled_from(["en", "he", "ru", "ja", "", "ar", "xx"])
TEXTS = st.sampled_from(["", "\n", "a", "שלום", "Привет", "日本", "\n\n", " ", "x\n", "ª", "ー", "１", "ﾃ"])


def inlines(depth: int):
    leaf = st.one_of(TEXTS.map(model.Text), TEXTS.map(model.Code), st.just(model.LineBreak()))
    if depth == 0:
        return st.lists(leaf, max_size=4).map(tuple)
    child = inlines(depth - 1)
    node = st.one_of(leaf, child.map(model.Emphasis), child.map(model.Strong),
                     child.map(lambda c: model.Link("https://x.test/", c)),
                     st.tuples(LANGS, child).map(lambda t: model.LanguageSpan(t[0], t[1])))
    return st.lists(node, max_size=4).map(tuple)


def blocks(depth: int):
    leaf = st.one_of(inlines(2).map(model.Paragraph), inlines(2).map(lambda c: model.Heading(2, c, "h")),
                     TEXTS.map(model.CodeBlock), st.just(model.ThematicBreak()))
    if depth == 0:
        return st.lists(leaf, max_size=3).map(tuple)
    child = blocks(depth - 1)
    node = st.one_of(leaf, child.map(model.BlockQuote),
                     st.lists(child.map(model.ListItem), max_size=3).map(lambda items: model.BulletList(tuple(items))))
    return st.lists(node, max_size=3).map(tuple)


@settings(max_examples=60, deadline=None)  # a fast check: each example is one walk
@given(body=blocks(2), why=blocks(1), summary=inlines(2), takeaways=st.lists(inlines(2), max_size=2), lang=LANGS,
       headline=TEXTS)
def test_random_articles(body, why, summary, takeaways, lang, headline):
    base = KITCHEN_SINK
    article = dataclasses.replace(base, body=body, why_this_matters=why, summary=summary, takeaways=tuple(takeaways),
                                  language=lang or "en", headline=headline)
    check(article)
