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
