"""The issue e-book written into its file as it is made (issue 19): the bytes of the book made whole, one article
page in memory at a time, and a build that fails while writing it leaves nothing behind."""

from __future__ import annotations

import io
import os
import random
import shutil
import sys
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import FIXTURES, STYLES, run_build
from pressrun.errors import ExportError, Problem
from pressrun.exporters import ziparchive
from pressrun.exporters.base import ExportContext, Output
from pressrun.exporters.epub import EpubExporter, stream
from pressrun.exporters.epub import documents as docs
from pressrun.exporters.epub.assemble import assemble
from pressrun.exporters.epub.metadata import collection_info
from pressrun.exporters.epub.package import write_package
from pressrun.exporters.epub.reproducible import ARCHIVE, archive
from pressrun.readers import read_sources
from pressrun.theme import load_theme
from pressrun.writer import OutputWriter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402

MOMENT = datetime(2024, 4, 28, 9, 30, tzinfo=timezone.utc)


def _random_entries(seed: int) -> dict[str, bytes]:
    rng = random.Random(seed)
    entries = {"mimetype": b"application/epub+zip", "META-INF/container.xml": b"<container/>"}
    for n in range(rng.randrange(1, 30)):
        folder = rng.choice(["EPUB/", "EPUB/fonts/", "EPUB/images/", "EPUB/css/", "EPUB/ünï/"])
        suffix = rng.choice([".xhtml", ".ttf", ".png", ".css", ".jpg"])
        size = rng.choice([0, 1, 200, 5_000, 70_000])
        entries[f"{folder}{rng.randrange(10**6)}-{n}{suffix}"] = bytes(rng.randrange(4) for _ in range(size))
    return entries


def _in_order(entries: dict[str, bytes]):
    return lambda: ((name, entries[name]) for name in ziparchive.entry_order(list(entries), ARCHIVE))


@pytest.mark.parametrize("seed", range(12))
def test_a_streamed_archive_is_write_archives_bytes(seed: int, tmp_path: Path) -> None:
    entries = _random_entries(seed)
    expected = ziparchive.write_archive(entries, MOMENT, ARCHIVE)
    memory = io.BytesIO()
    assert ziparchive.stream_archive(memory, _in_order(entries), MOMENT, ARCHIVE) == len(expected)
    assert memory.getvalue() == expected
    with (tmp_path / "book.epub").open("wb") as handle:
        assert ziparchive.stream_archive(handle, _in_order(entries), MOMENT, ARCHIVE) == len(expected)
    assert (tmp_path / "book.epub").read_bytes() == expected


@pytest.mark.parametrize("why", ["size", "count", "folder"])
def test_an_archive_that_needs_zipfile_is_written_again_through_it_from_the_start(why: str, tmp_path: Path,
                                                                                    monkeypatch) -> None:
    """ZIP64 (by size or number of entries) or a folder entry shows only once written: the entries are asked for
    again and written by ``zipfile`` over what the fast writer had begun, as ``write_archive`` would write them."""
    entries = _random_entries(3) | {"EPUB/zz.xhtml": b"<p>last</p>" * 500}
    if why == "size":
        monkeypatch.setattr(ziparchive, "SMALL_ENOUGH", sum(map(len, entries.values())) - 10)
    elif why == "count":
        monkeypatch.setattr(ziparchive.zipfile, "ZIP_FILECOUNT_LIMIT", len(entries) - 1)
    else:
        entries["EPUB/zy/"] = b""
    through_zipfile: list[str] = []
    add = ziparchive._add_with_zipfile
    monkeypatch.setattr(ziparchive, "_add_with_zipfile", lambda target, name, *rest: (through_zipfile.append(name), add(target, name, *rest)))
    expected = ziparchive.write_archive(entries, MOMENT, ARCHIVE)
    assert len(through_zipfile) == len(entries)  # write_archive, too, took zipfile's way
    through_zipfile.clear()
    with (tmp_path / "book.epub").open("wb") as handle:
        written = ziparchive.stream_archive(handle, _in_order(entries), MOMENT, ARCHIVE)
    assert len(through_zipfile) == len(entries)
    assert (tmp_path / "book.epub").read_bytes() == expected and written == len(expected)


def test_entries_that_come_out_of_order_are_refused() -> None:
    entries = [("mimetype", b"x"), ("EPUB/b.xhtml", b"b"), ("EPUB/a.xhtml", b"a")]
    with pytest.raises(ValueError, match="entry_order"):
        ziparchive.stream_archive(io.BytesIO(), lambda: iter(entries), MOMENT, ARCHIVE)
    with pytest.raises(ValueError, match="entry_order"):  # the container after an entry that follows it
        ziparchive.stream_archive(io.BytesIO(), lambda: iter([("EPUB/a", b""), ("META-INF/container.xml", b"")]),
                                  MOMENT, ARCHIVE)
    with pytest.raises(ValueError, match="entry_order"):  # a name twice
        ziparchive.stream_archive(io.BytesIO(), lambda: iter([("EPUB/a", b""), ("EPUB/a", b"")]), MOMENT, ARCHIVE)


def _exporter(source: Path) -> tuple[EpubExporter, list]:
    sources = read_sources(source)
    assert not sources.diagnostics.errors
    ctx = ExportContext(sources.publication, load_theme(STYLES), sources.articles, ("epub",), load=sources.article)
    exporter = EpubExporter(ctx)
    return exporter, exporter.publication_parts(sources.articles)


def _issue_of_all(folder: Path, count: int) -> Path:
    """``count`` of the benchmark's articles, every one in the issue."""
    generate(folder, count)
    (folder / "publication.yaml").write_text((folder / "publication.yaml").read_text() + "issue: {limit: all}\n")
    return folder


@pytest.fixture(scope="module")
def bench_source(tmp_path_factory) -> Path:
    return _issue_of_all(tmp_path_factory.mktemp("stream") / "src", 30)


@pytest.fixture(scope="module")
def mixed_source(tmp_path_factory) -> Path:
    """The kitchen sink (figures, a lead image), the l10n articles (Arabic, Azerbaijani, Japanese, Russian,
    English), the multilingual one and the lifecycle's market story (images of its own) in one issue."""
    folder = tmp_path_factory.mktemp("stream-mixed") / "src"
    shutil.copytree(FIXTURES / "kitchen-sink", folder)
    shutil.copytree(FIXTURES / "lifecycle" / "images", folder / "images", dirs_exist_ok=True)
    for article in [*(FIXTURES / "l10n").glob("*.md"), FIXTURES / "multilingual" / "scripts.md",
                    FIXTURES / "lifecycle" / "market.md"]:
        shutil.copy(article, folder / article.name)
    return folder


@pytest.mark.parametrize("name", ["mixed", "l10n", "lifecycle", "world/ur", "world/zh-Hans", "bench"])
def test_the_streamed_issue_is_the_book_made_whole(name: str, bench_source: Path, mixed_source: Path) -> None:
    """Pages made in name order, images numbered before them: the bytes of the book assembled in reading order
    and zipped whole (the way every issue was made before it was streamed)."""
    folder = {"bench": bench_source, "mixed": mixed_source}.get(name, FIXTURES / name)
    exporter, parts = _exporter(folder)
    (part,) = parts
    ctx = exporter.ctx
    info = collection_info(part.articles, ctx.publication)
    whole = assemble(part.articles, info, ctx.publication, ctx.theme, True, ctx.article)
    expected = archive(write_package(whole), info.modified)
    (output,) = exporter.export_part(part)
    assert output.data == b"" and output.content() == expected
    assert len(part.articles) >= 2 or name.startswith("world/")
    if name in ("mixed", "bench"):
        images = [item.href for item in whole.items if item.href.startswith("images/image-")]
        assert len(images) >= 2  # numbered in reading order, both ways
        spine = [docs.article_href(t) for t in part.articles]
        assert spine != sorted(spine)  # the pages were written in another order than they are read


class _Sink:
    """A file that keeps only how much was written into it."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)

    def tell(self) -> int:
        return self.size


def test_each_page_is_written_before_the_next_article_is_loaded(bench_source: Path) -> None:
    exporter, (part,) = _exporter(bench_source)
    load = exporter.ctx.load
    sink = _Sink()
    seen: list[int] = []

    def loading(teaser):
        seen.append(sink.size)
        return load(teaser)

    exporter.ctx.load = loading
    (output,) = exporter.export_part(part)
    size = output.produce(sink)
    assert len(seen) == len(part.articles) == 30
    assert all(later > earlier for earlier, later in zip(seen, seen[1:]))  # written in between, every time
    assert size == sink.size > seen[-1]


def _peak_while_written(folder: Path, count: int) -> int:
    exporter, (part,) = _exporter(_issue_of_all(folder, count))
    (output,) = exporter.export_part(part)
    output.produce(_Sink())  # fonts, stylesheet and packed entries cached: what every later issue finds
    tracemalloc.start()
    try:
        output.produce(_Sink())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak


def test_writing_an_issue_holds_no_page_but_the_one_being_made(tmp_path: Path) -> None:
    """From 24 to 96 articles the page documents grow by ~1.1 MB (made whole, the book's peak grew ~1.5 MB);
    written as made, the peak grows by what every article leaves for the end of the book (its table of contents
    entries, manifest and spine lines, central directory records): ~3 KB an article, a fifth of its page."""
    small = _peak_while_written(tmp_path / "small", 24)
    large = _peak_while_written(tmp_path / "large", 96)
    exporter, (part,) = _exporter(tmp_path / "large")
    ctx = exporter.ctx
    info = collection_info(part.articles, ctx.publication)
    whole = assemble(part.articles, info, ctx.publication, ctx.theme, True, ctx.article)
    page_bytes = sum(len(item.data) for item in whole.items if item.href.startswith("article-"))
    assert page_bytes > 96 * 10_000  # the pages are what would grow: ~16 KB each
    assert large - small < 0.35 * page_bytes * (96 - 24) / 96


def test_a_produced_output_keeps_an_unchanged_file_and_replaces_a_changed_one(tmp_path: Path) -> None:
    writer = OutputWriter(tmp_path)
    assert writer.produce("epub/issue/a.epub", lambda handle: handle.write(b"same bytes")) == 10
    target = tmp_path / "epub" / "issue" / "a.epub"
    os.utime(target, (1_000_000, 1_000_000))
    OutputWriter(tmp_path).produce("epub/issue/a.epub", lambda handle: handle.write(b"same bytes"))
    assert target.stat().st_mtime == 1_000_000 and target.read_bytes() == b"same bytes"
    OutputWriter(tmp_path).produce("epub/issue/a.epub", lambda handle: handle.write(b"same bytez"))
    assert target.stat().st_mtime != 1_000_000 and target.read_bytes() == b"same bytez"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.epub"]  # no temporary file left


def test_an_output_made_while_written_gives_its_bytes_to_whoever_asks() -> None:
    made = Output("x.epub", b"", "application/epub+zip", produce=lambda handle: handle.write(b"book"))
    assert made.content() == b"book" and made.record(4).size == 4
    with pytest.raises(AssertionError):
        made.record()  # its size is what writing it gave


def test_an_issue_that_fails_while_written_is_a_located_error_and_leaves_no_file(copy_source, tmp_path: Path,
                                                                                   monkeypatch) -> None:
    source = copy_source("kitchen-sink")
    out = tmp_path / "out"

    def unreadable(image):
        raise ExportError(Problem(str(image.path), "cannot read image: [Errno 5] Input/output error", "epub"))

    monkeypatch.setattr(stream, "image_data", unreadable)
    report = run_build(source, out, ["epub"])
    assert report.exit_code != 0
    (problem,) = report.failures
    assert problem.path.endswith((".jpg", ".png")) and "cannot read image" in problem.message and problem.field == "epub"
    issue = out / "epub" / "issue"
    assert not issue.exists() or list(issue.iterdir()) == []  # neither a half-written book nor its temporary file
    assert list(out.rglob("*.tmp")) == []
    assert (out / "epub" / "kitchen-sink.epub").is_file()  # the article's own book is not the issue's business


def test_a_build_records_the_size_the_issue_was_written_at(mixed_source: Path, tmp_path: Path) -> None:
    """The manifest's size of the issue (and of anything linking it) is the file's: what writing it returned."""
    import json

    report = run_build(mixed_source, tmp_path / "out", ["epub"])
    assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
    manifest = json.loads((tmp_path / "out" / ".pressrun-manifest.json").read_text(encoding="utf-8"))
    (record,) = [w for part in manifest["parts"].values() for w in part["outputs"] if w["path"].startswith("epub/issue/")]
    assert record["size"] == (tmp_path / "out" / record["path"]).stat().st_size > 100_000
