"""Memory flat in the number of articles (issue 19): the build keeps teasers and packed articles, and holds a
whole article only while it is rendered — the issue e-book too, even one of every article.

The figure itself (peak RSS at 1,000 articles within 1.2× that at 100) is measured by ``make bench``; these tests
check the mechanism that makes it true, by counting the whole articles alive while a build runs.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from conftest import STYLES
from pressrun import model
from pressrun.build import BuildOptions, build
from pressrun.exporters.base import ExportContext
from pressrun.exporters.epub import EpubExporter, stream
from pressrun.exporters.feed import FeedExporter
from pressrun.parallel import ArticleRenderer
from pressrun.readers import read_sources
from pressrun.readers.article import read_article
from pressrun.errors import Diagnostics
from pressrun.readers.shelf import pack, unpack

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402


_EARLIER: set[int] = set()  # whole articles other tests left alive (module constants…): not this test's
_HELD: list[model.Article] = []  # …held here, so that none dies and lends its id to an article of this test


def _whole_articles_alive() -> int:
    return sum(1 for o in gc.get_objects() if type(o) is model.Article and id(o) not in _EARLIER)


def _set_aside_earlier_articles() -> None:
    gc.collect()
    _HELD[:] = [o for o in gc.get_objects() if type(o) is model.Article]
    _EARLIER.clear()
    _EARLIER.update(id(o) for o in _HELD)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("memory") / "src"
    generate(folder, 24)
    with (folder / "publication.yaml").open("a", encoding="utf-8") as f:
        f.write("issue: {limit: all}\nfeed: {limit: 6}\n")
    return folder


def test_reading_keeps_teasers_and_packed_articles_not_whole_ones(archive: Path) -> None:
    _set_aside_earlier_articles()
    sources = read_sources(archive)
    gc.collect()
    assert len(sources.articles) == 24
    assert all(type(t) is model.Teaser for t in sources.articles)
    assert _whole_articles_alive() == 0  # nothing read is kept whole
    first = sources.articles[0]
    whole = sources.article(first)
    again = read_article(first.source_path, first.source_path, sources.publication, Diagnostics())
    assert whole == again and whole.body  # the packed article is the article as read
    assert whole.teaser() == first and first.images() == whole.images()
    assert unpack(pack(whole)) == whole
    assert sum(len(p) for p in sources.packed.values()) < 24 * 8_000  # deflated: a few KB an article


def test_a_build_holds_one_whole_article_at_a_time(archive: Path, tmp_path: Path, monkeypatch) -> None:
    alive: dict[str, int] = {"render": 0, "feed": 0, "issue": 0}

    def count(where: str) -> None:
        gc.collect()
        alive[where] = max(alive[where], _whole_articles_alive())

    render, feed_part, epub_part = ArticleRenderer.render, FeedExporter.export_part, EpubExporter.export_part
    write_book = stream.write_book
    load = ExportContext.article

    def rendering(self, article, beside=False):
        count("render")
        return render(self, article, beside)

    def feed(self, part):
        count("feed")
        return feed_part(self, part)

    phase: list[str] = []

    def issue(self, part):
        assert all(type(t) is model.Teaser for t in part.articles)  # publication parts get teasers
        return epub_part(self, part)

    def issue_written(*args, **kwargs):  # the issue is made while it is written into its file
        phase.append("issue")
        try:
            return write_book(*args, **kwargs)
        finally:
            phase.pop()

    def loading(self, teaser):
        whole = load(self, teaser)
        if phase:
            count("issue")
        return whole

    monkeypatch.setattr(ArticleRenderer, "render", rendering)
    monkeypatch.setattr(FeedExporter, "export_part", feed)
    monkeypatch.setattr(EpubExporter, "export_part", issue)
    monkeypatch.setattr(stream, "write_book", issue_written)
    monkeypatch.setattr(ExportContext, "article", loading)
    _set_aside_earlier_articles()
    report = build(BuildOptions(source=archive, out=tmp_path / "out", styles=STYLES, formats=["html", "epub", "feed"],
                                wire=tmp_path / "wire"))
    assert report.exit_code == 0 and len(report.rendered) == 24
    assert alive["render"] == 1  # the article being rendered, and no other
    assert alive["feed"] <= 1
    assert alive["issue"] == 1  # the issue e-book, too, loads its articles one at a time


def test_a_build_freezes_what_it_read_only_while_it_runs(archive: Path, tmp_path: Path, monkeypatch) -> None:
    """What reading keeps is frozen out of the collector's generations during the build, and thawed after it
    (``pressrun serve`` builds again in the same process: nothing may stay frozen, or uncollectable)."""
    frozen: list[int] = []
    render = ArticleRenderer.render

    def rendering(self, article, beside=False):
        frozen.append(gc.get_freeze_count())
        return render(self, article, beside)

    monkeypatch.setattr(ArticleRenderer, "render", rendering)
    report = build(BuildOptions(source=archive, out=tmp_path / "out", styles=STYLES, formats=["html"],
                                wire=tmp_path / "wire"))
    assert report.exit_code == 0 and frozen and min(frozen) > 1000  # the teasers, modules, theme…
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("folder", ["kitchen-sink", "multilingual", "world/ar", "world/hi"])
def test_reading_leaves_no_cyclic_garbage_and_restores_the_collector(folder: str, archive: Path,
                                                                         monkeypatch) -> None:
    """Reading collects less often (``memory.few_collections_while_reading``), which is sound only while reading
    makes no garbage that reference counting cannot free: read with the collector off, and nothing is left for it.
    The collector's threshold is the caller's again afterwards, after a source with errors too."""
    sources_dir = ROOT / "tests" / "fixtures" / folder
    during: list[tuple[int, int, int]] = []
    parse = read_article

    def reading(*args, **kwargs):
        during.append(gc.get_threshold())
        return parse(*args, **kwargs)

    monkeypatch.setattr("pressrun.readers.source.read_article", reading)
    before = gc.get_threshold()
    gc.collect()
    gc.disable()
    try:
        assert read_sources(sources_dir).articles and read_sources(archive).articles
        assert gc.collect() == 0
    finally:
        gc.enable()
    assert during and all(t[0] >= 10_000 and t[1:] == before[1:] for t in during)
    assert gc.get_threshold() == before
    assert read_sources(ROOT / "tests" / "fixtures" / "broken").diagnostics.errors
    assert gc.get_threshold() == before


@pytest.mark.parametrize("folder", ["kitchen-sink", "multilingual", "world/ar", "world/hi"])
def test_packing_gives_back_every_node_of_every_kind(folder: str) -> None:
    """Each node type pickles as its class and its values (``model._pickle_by_field_names``): an article with
    every kind of block and inline comes back equal, node for node and type for type, its figures included."""
    sources = read_sources(ROOT / "tests" / "fixtures" / folder)
    kinds: set[type] = set()
    for teaser in sources.articles:
        article = sources.article(teaser)
        again = unpack(pack(article))
        assert again == article and again.figures == article.figures
        assert [type(b) for b in model.iter_blocks(again.body)] == [type(b) for b in model.iter_blocks(article.body)]
        kinds |= {type(b) for b in model.iter_blocks(article.body)}
    if folder == "kitchen-sink":  # every block kind is there
        assert {model.Paragraph, model.Heading, model.BulletList, model.OrderedList, model.BlockQuote,
                model.CodeBlock, model.Figure} <= kinds
