"""Incremental and parallel builds: same bytes as a clean serial build, and only what changed is rendered."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, STYLES, run_build
from pressrun import registry


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def archive(copy_source) -> Path:
    """Six articles: the kitchen sink plus five generated ones."""
    source = copy_source("kitchen-sink")
    for n in range(5):
        (source / f"story-{n}.md").write_text(
            f"---\nheadline: Story {n}\nsummary: Summary {n}.\npublished: 2024-05-0{n + 1}\ntags: [Tag{n % 2}]\n"
            f"takeaways: [Point {n}]\n---\nParagraph {n} with a [link](https://example.com/{n}).\n\n## Part\n\nMore.\n"
        )
    return source


FORMATS = ["html"]


def test_parallel_output_is_byte_identical_to_serial(archive, tmp_path):
    formats = sorted(registry.available())
    serial = run_build(archive, tmp_path / "serial", formats, jobs=1)
    parallel = run_build(archive, tmp_path / "parallel", formats, jobs=2)
    assert serial.exit_code == parallel.exit_code == 0, serial.failures + parallel.failures
    assert sorted(parallel.rendered) == sorted(serial.rendered) and len(serial.rendered) == 6
    assert _tree(tmp_path / "serial") == _tree(tmp_path / "parallel")


def test_noop_rebuild_renders_nothing_and_changes_nothing(archive, tmp_path):
    out = tmp_path / "out"
    first = run_build(archive, out, FORMATS)
    assert len(first.rendered) == 6
    before = _tree(out)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    again = run_build(archive, out, FORMATS)
    assert again.exit_code == 0 and again.rendered == []
    assert _tree(out) == before
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == mtimes


def test_one_changed_article_is_the_only_one_rendered(archive, tmp_path):
    out = tmp_path / "out"
    run_build(archive, out, FORMATS)
    story = archive / "story-3.md"
    story.write_text(story.read_text().replace("Paragraph 3", "Edited paragraph 3"))
    again = run_build(archive, out, FORMATS)
    assert again.rendered == ["story-3"]
    assert "Edited paragraph 3" in (out / "articles" / "story-3.html").read_text()
    clean = run_build(archive, tmp_path / "clean", FORMATS, incremental=False)
    assert len(clean.rendered) == 6
    assert _tree(out) == _tree(tmp_path / "clean")


def test_a_changed_image_rerenders_the_article(archive, tmp_path):
    out = tmp_path / "out"
    run_build(archive, out, FORMATS)
    shutil.copy(FIXTURES / "kitchen-sink" / "images" / "ceremony.jpg", archive / "images" / "map.png")
    (archive / "images" / "map.png").write_bytes((FIXTURES / "kitchen-sink" / "images" / "map.png").read_bytes()[:-1] + b"\x00")
    again = run_build(archive, out, FORMATS)
    assert again.rendered == ["kitchen-sink"]


def test_a_theme_change_rebuilds_everything(archive, tmp_path):
    out = tmp_path / "out"
    styles = tmp_path / "styles"
    shutil.copytree(STYLES, styles)
    run_build(archive, out, FORMATS, styles=styles)
    (styles / "site.css").write_text((styles / "site.css").read_text() + "\n/* house style change */\n")
    again = run_build(archive, out, FORMATS, styles=styles)
    assert len(again.rendered) == 6
    assert (out / "css" / "site.css").read_text().endswith("/* house style change */\n")


def test_a_deleted_article_loses_its_outputs_and_index_entry(archive, tmp_path):
    out = tmp_path / "out"
    run_build(archive, out, FORMATS)
    assert (out / "articles" / "story-2.html").is_file()
    (archive / "story-2.md").unlink()
    again = run_build(archive, out, FORMATS)
    assert again.rendered == []
    assert "articles/story-2.html" in again.removed
    assert not (out / "articles" / "story-2.html").exists()
    assert "Story 2" not in (out / "index.html").read_text()
    assert _tree(out) == _tree(_clean(archive, tmp_path))


def test_a_manifest_from_a_killed_build_is_never_trusted_blindly(archive, tmp_path):
    out = tmp_path / "out"
    run_build(archive, out, FORMATS)
    (out / "articles" / "story-1.html").unlink()  # an output lost since the last build
    again = run_build(archive, out, FORMATS)
    assert again.rendered == ["story-1"]
    assert (out / "articles" / "story-1.html").is_file()


def _clean(source: Path, tmp_path: Path) -> Path:
    out = tmp_path / "clean-build"
    run_build(source, out, FORMATS, incremental=False)
    return out


def test_a_deleted_article_leaves_every_feed_and_its_tag_feed_disappears(archive, tmp_path):
    import feedparser

    out = tmp_path / "out"
    (archive / "story-4.md").write_text((archive / "story-4.md").read_text().replace("tags: [Tag0]", "tags: [Lonely]"))
    run_build(archive, out, ["html", "feed"])
    assert (out / "feeds" / "tag" / "lonely.rss.xml").is_file()
    ids = {e.id for e in feedparser.parse((out / "feeds" / "atom.xml").read_bytes()).entries}
    (archive / "story-4.md").unlink()
    again = run_build(archive, out, ["html", "feed"])
    assert again.rendered == [] and again.exit_code == 0
    for feed in ("rss.xml", "atom.xml"):
        entries = feedparser.parse((out / "feeds" / feed).read_bytes()).entries
        assert len(entries) == len(ids) - 1 and all("Story 4" not in e.title for e in entries)
    assert "Story 4" not in (out / "feeds" / "feed.json").read_text()
    assert not (out / "feeds" / "tag" / "lonely.rss.xml").exists()
    assert "feeds/tag/lonely.atom.xml" in again.removed


# --- the reading memo: unchanged sources are not parsed again -------------------------------


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The source files the build really parses (not taken from the memo)."""
    from pressrun.readers import source

    seen: list[str] = []
    real = source.read_article

    def counting(path, *args, **kwargs):
        seen.append(path.name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(source, "read_article", counting)
    return seen


def test_a_noop_rebuild_parses_no_source_and_an_edit_parses_one(archive, tmp_path, reads):
    out = tmp_path / "out"
    run_build(archive, out, FORMATS)
    assert len(reads) == 6
    reads.clear()
    again = run_build(archive, out, FORMATS)
    assert reads == [] and again.articles == 6 and again.rendered == []
    story = archive / "story-1.md"
    story.write_text(story.read_text().replace("Paragraph 1", "Rewritten paragraph 1"))
    edited = run_build(archive, out, FORMATS)
    assert reads == ["story-1.md"] and edited.rendered == ["story-1"]
    assert "Rewritten paragraph 1" in (out / "articles" / "story-1.html").read_text()


def test_the_memo_forgets_on_a_changed_image_publication_or_force(archive, tmp_path, reads):
    out = tmp_path / "out"
    run_build(archive, out, FORMATS)
    reads.clear()
    image = archive / "images" / "map.png"  # the kitchen sink's figure: a new file, same name
    image.write_bytes(image.read_bytes() + b"\x00")
    assert run_build(archive, out, FORMATS).rendered == ["kitchen-sink"] and reads == ["everything.md"]  # the kitchen sink's file
    reads.clear()
    publication = archive / "publication.yaml"
    publication.write_text(publication.read_text().replace("Kitchen Sink Gazette", "The Gazette"))
    assert len(run_build(archive, out, FORMATS).rendered) == 6 and len(reads) == 6
    reads.clear()
    assert len(run_build(archive, out, FORMATS, incremental=False).rendered) == 6 and len(reads) == 6


def test_a_remembered_article_reports_its_warnings_again(archive, tmp_path):
    (archive / "story-0.md").write_text((archive / "story-0.md").read_text().replace("tags:", "takeways: [x]\ntags:"))
    out = tmp_path / "out"
    first = run_build(archive, out, FORMATS)
    again = run_build(archive, out, FORMATS)
    warned = [str(p) for p in first.problems if "takeaways" in p.message]
    assert warned and [str(p) for p in again.problems if "takeaways" in p.message] == warned


def test_a_broken_source_is_never_remembered(archive, tmp_path, reads):
    out = tmp_path / "out"
    run_build(archive, out, FORMATS)
    broken = archive / "story-4.md"
    broken.write_text(broken.read_text().replace("headline: Story 4\n", ""))
    reads.clear()
    for _ in range(2):
        report = run_build(archive, out, FORMATS)
        assert report.exit_code == 2 and any(p.field == "headline" for p in report.problems)
    assert reads == ["story-4.md", "story-4.md"]  # read (and reported) every time


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_a_damaged_memo_is_ignored(archive, tmp_path, reads, damage):
    from pressrun.readers.memo import MEMO

    out = tmp_path / "out"
    run_build(archive, out, FORMATS)
    (out / MEMO).write_bytes(damage)
    reads.clear()
    report = run_build(archive, out, FORMATS)
    assert report.exit_code == 0 and len(reads) == 6 and report.rendered == []  # outputs are still reused
    assert _tree(out) == _tree(_clean(archive, tmp_path))


def test_an_edit_rebuilds_only_the_feeds_and_issue_the_article_is_in(archive, tmp_path):
    out = tmp_path / "out"
    formats = ["html", "epub", "feed"]
    publication = archive / "publication.yaml"
    publication.write_text(publication.read_text() + "issue: {limit: 2}\n")  # the two newest: story-4, story-3
    run_build(archive, out, formats)
    story = archive / "story-1.md"  # Tag1, old: in the publication's feeds and Tag1's, not in the issue
    story.write_text(story.read_text().replace("Paragraph 1", "Corrected paragraph 1"))
    again = run_build(archive, out, formats)
    assert again.rendered == ["story-1"]
    feeds = {p for p in again.written if p.startswith("feeds/")}
    assert feeds == {"feeds/rss.xml", "feeds/atom.xml", "feeds/feed.json", "feeds/tag/tag1.rss.xml", "feeds/tag/tag1.atom.xml"}
    assert not any(p.startswith("epub/issue/") for p in again.written)
    assert "Corrected paragraph 1" in (out / "feeds" / "tag" / "tag1.atom.xml").read_text()
    assert _tree(out) == _tree(_clean_formats(archive, tmp_path, formats))
    newest = archive / "story-4.md"  # in the issue: the issue is made again
    newest.write_text(newest.read_text().replace("Paragraph 4", "Corrected paragraph 4"))
    assert any(p.startswith("epub/issue/") for p in run_build(archive, out, formats).written)


def _clean_formats(source: Path, tmp_path: Path, formats: list[str]) -> Path:
    out = tmp_path / "clean-formats"
    run_build(source, out, formats, incremental=False)
    return out


def test_an_edit_makes_one_feed_entry_and_reuses_the_others(archive, tmp_path, monkeypatch):
    """Feed entries are kept between builds (ExportContext.fragments) while their article and its downloads stay
    the same: an edited article rebuilds every feed it is in with one new entry, and the feeds are those of a
    clean build."""
    from pressrun.exporters import feed
    from pressrun.exporters.feed import syndication

    made: list[str] = []
    build_item = feed.build_item
    monkeypatch.setattr(feed, "build_item", lambda article, *a: made.append(article.slug) or build_item(article, *a))
    serialised: list[str] = []  # the items feedgen serialises as RSS and as Atom (skeletons have none)
    for name in ("_rss_document", "_atom_document"):
        write = getattr(syndication, name)
        monkeypatch.setattr(syndication, name, lambda meta, items, w=write: serialised.extend(i.title for i in items) or w(meta, items))
    out, formats = tmp_path / "out", ["html", "pdf", "feed"]
    run_build(archive, out, formats)
    assert sorted(made) == sorted(["kitchen-sink", *(f"story-{n}" for n in range(5))])
    assert len(serialised) == 2 * 6
    made.clear()
    serialised.clear()
    story = archive / "story-2.md"
    story.write_text(story.read_text().replace("Paragraph 2", "Corrected paragraph 2"))
    again = run_build(archive, out, formats)
    assert again.rendered == ["story-2"] and made == ["story-2"]
    assert len(serialised) == 2 and len(set(serialised)) == 1  # the edited article's item and entry, once each
    assert "Corrected paragraph 2" in (out / "feeds" / "atom.xml").read_text()
    assert _tree(out) == _tree(_clean_formats(archive, tmp_path, formats))
    made.clear()
    assert run_build(archive, out, formats, incremental=False).exit_code == 0 and len(made) == 6  # --force: all


def _edit_story_2(archive: Path) -> None:
    story = archive / "story-2.md"
    story.write_text(story.read_text().replace("Paragraph 2", "Corrected paragraph 2"))


def test_one_article_with_two_jobs_renders_its_pdf_in_a_second_process(archive, tmp_path, monkeypatch):
    """An edit rebuilt with -j 2 exports the article's PDF (``Exporter.apart``) in a forked child while this
    process makes the DOCX and EPUB (parallel._Apart), and writes what a clean build writes."""
    import os

    from pressrun.exporters.pdf import PdfExporter

    formats = ["html", "pdf", "docx", "epub", "feed"]
    out = tmp_path / "out"
    run_build(archive, out, formats, jobs=2)
    where: list[int] = []
    export = PdfExporter.export_article
    monkeypatch.setattr(PdfExporter, "export_article", lambda self, a: where.append(os.getpid()) or export(self, a))
    _edit_story_2(archive)
    again = run_build(archive, out, formats, jobs=2)
    assert again.rendered == ["story-2"] and not again.failures
    assert where == []  # not called in this process: the child's call left no trace here
    assert "pdf/story-2.pdf" in again.written
    assert _tree(out) == _tree(_clean_formats(archive, tmp_path, formats))


def test_a_lost_second_process_costs_time_not_output(archive, tmp_path, monkeypatch):
    """A child that ends without results (killed, out of memory): its exports are made here, the same bytes."""
    import os

    from pressrun import parallel

    formats = ["html", "pdf", "epub"]
    out = tmp_path / "out"
    run_build(archive, out, formats, jobs=2)
    monkeypatch.setattr(parallel, "_export_apart", lambda *args: os._exit(9))
    _edit_story_2(archive)
    again = run_build(archive, out, formats, jobs=2)
    assert again.rendered == ["story-2"] and not again.failures and "pdf/story-2.pdf" in again.written
    assert _tree(out) == _tree(_clean_formats(archive, tmp_path, formats))


def test_a_failing_pdf_in_the_second_process_is_reported_once(archive, tmp_path, monkeypatch):
    from pressrun.errors import ExportError, Problem
    from pressrun.exporters.pdf import PdfExporter

    out = tmp_path / "out"
    run_build(archive, out, ["html", "pdf"], jobs=2)

    def refuse(self, article):
        raise ExportError(Problem(str(article.source_path), "no PDF today", "pdf"))

    monkeypatch.setattr(PdfExporter, "export_article", refuse)
    _edit_story_2(archive)
    again = run_build(archive, out, ["html", "pdf"], jobs=2, keep_going=True)
    assert [p.message for p in again.failures] == ["no PDF today"]
    assert again.failures[0].path.endswith("story-2.md")


def test_an_edited_label_catalogue_rebuilds_its_articles(monkeypatch, tmp_path):
    """The rebuild key covers pressrun's data files too: a corrected label in labels/catalogue reaches the
    outputs of an existing output folder (it kept the old labels when only .py, .j2 and .css counted)."""
    from pressrun import digest

    package = tmp_path / "pressrun"
    (package / "labels" / "catalogue").mkdir(parents=True)
    (package / "build.py").write_text("x = 1\n")
    catalogue = package / "labels" / "catalogue" / "el.yaml"
    catalogue.write_text('why_this_matters: "Γιατί έχει σημασία"\n')
    monkeypatch.setattr(digest, "_PACKAGE", package)

    def fingerprint() -> str:
        digest.code_fingerprint.cache_clear()
        return digest.code_fingerprint()

    try:
        before = fingerprint()
        catalogue.write_text('why_this_matters: "Γιατί μετράει"\n')
        edited = fingerprint()
        (package / "README.md").write_text("notes\n")  # documentation shapes no output
        assert before != edited == fingerprint()
    finally:
        digest.code_fingerprint.cache_clear()  # the next caller fingerprints the real package
