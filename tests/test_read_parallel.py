"""Issue 19: on a cold build the sources are parsed in the worker pool; what comes out is what one process reads."""

from __future__ import annotations

from pathlib import Path

from pressrun.readers import read_sources
from pressrun.readers.memo import SourceMemo
from pressrun.readers.source import PARALLEL_MIN


def _archive(root: Path, n: int) -> Path:
    root.mkdir()
    (root / "publication.yaml").write_text("title: Desk\nbase_url: https://desk.example.org/\nlanguage: en\n"
                                           "description: Many stories.\nauthor: Desk\n", encoding="utf-8")
    for i in range(n):
        extra = {7: "takeways: [typo]\n",  # a warning
                 11: "published: 2024-13-40\n",  # an error
                 13: "slug: story-012\n"}.get(i, "")  # a duplicate slug
        published = "" if i == 11 else f"published: 2024-05-{1 + i % 28:02d}T08:00:00Z\n"
        (root / f"story-{i:03d}.md").write_text(
            f"---\nheadline: Story {i}\nsummary: Summary {i}.\n{published}{extra}---\n"
            f"Paragraph {i} with *emphasis* and [שלום]{{lang=he}}.\n\n## Part two\n\n- one\n- two\n", encoding="utf-8")
    return root


def test_parallel_reading_gives_what_one_process_reads(tmp_path, monkeypatch):
    from pressrun.readers import source as reading

    source = _archive(tmp_path / "src", PARALLEL_MIN + 6)
    serial = read_sources(source, jobs=1)
    pools = []
    in_pool = reading._parse_in_pool
    monkeypatch.setattr(reading, "_parse_in_pool", lambda todo, pub, jobs: pools.append(jobs) or in_pool(todo, pub, jobs))
    parallel = read_sources(source, jobs=2)
    assert pools == [2]  # the articles really went to two processes
    assert [a.slug for a in parallel.articles] == [a.slug for a in serial.articles]
    assert parallel.articles == serial.articles
    assert [parallel.article(a) for a in parallel.articles] == [serial.article(a) for a in serial.articles]
    assert [str(p) for p in parallel.diagnostics.problems] == [str(p) for p in serial.diagnostics.problems]
    assert any("takeways" in str(p) for p in serial.diagnostics.problems)
    assert any("story-011.md" in str(p) for p in serial.diagnostics.errors)
    assert any("already used" in str(p) for p in serial.diagnostics.errors)


def test_parallel_reading_fills_the_memo_and_the_next_build_reads_nothing(tmp_path):
    source = _archive(tmp_path / "src", PARALLEL_MIN + 6)
    memo = SourceMemo("test")
    first = read_sources(source, memo, jobs=2)
    again = read_sources(source, memo, jobs=2)
    assert again.articles == first.articles
    assert [again.article(a) for a in again.articles] == [first.article(a) for a in first.articles]
    assert [str(p) for p in again.diagnostics.problems] == [str(p) for p in first.diagnostics.problems]
    assert len(memo.entries) == len(first.articles) + 1  # every article but the invalid one; the duplicate is read fine
