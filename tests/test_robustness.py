"""Crash safety, reproducibility across machines and clocks, no network, exporter isolation."""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pressrun.readers.memo import MEMO

from conftest import FIXTURES, ROOT, STYLES, run_build
from pressrun import registry

ALL = sorted(registry.available())


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _archive(target: Path, edition: str) -> Path:
    shutil.copytree(FIXTURES / "kitchen-sink", target)
    for n in range(6):
        (target / f"story-{n}.md").write_text(
            f"---\nheadline: Story {n} ({edition})\nsummary: Summary {n}, {edition}.\npublished: 2024-05-0{n + 1}T08:00:00\n"
            f"section: Region\ntags: [Tag{n % 2}]\ntakeaways: [Point {n}, Another point]\nwhy_this_matters: Because {n}.\n---\n"
            + f"Paragraph {n} of edition {edition} with a [link](https://example.com/{n}).\n\n" * 12
            + "## Part two\n\n- one\n- two\n\n1. first\n2. second\n"
        )
    return target


def _cli(*args: str, cwd: Path = ROOT, env: dict | None = None, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pressrun", *args], cwd=cwd, env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, **kw)


def test_two_builds_in_different_places_clocks_and_time_zones_are_byte_identical(tmp_path):
    source = _archive(tmp_path / "src", "A")
    (tmp_path / "elsewhere").mkdir()
    first = _cli("build", "--source", str(source), "--out", str(tmp_path / "one"), "--styles", str(STYLES), "-j", "1",
                 env={"TZ": "Pacific/Kiritimati", "SOURCE_DATE_EPOCH": "1700000000"})
    assert first.wait(timeout=600) == 0, first.stderr.read().decode()
    time.sleep(1.1)  # a different wall-clock second
    second = _cli("build", "--source", "../src", "--out", "two", "--styles", str(STYLES), "-j", "2",
                  cwd=tmp_path / "elsewhere", env={"TZ": "America/Anchorage", "LC_ALL": "C"})
    assert second.wait(timeout=600) == 0, second.stderr.read().decode()
    one, two = _tree(tmp_path / "one"), _tree(tmp_path / "elsewhere" / "two")
    # The reading memo is this machine's cache (it holds the paths it read from), not output: it is never published.
    assert one.pop(MEMO) and two.pop(MEMO)
    assert sorted(one) == sorted(two)
    for name in one:
        assert one[name] == two[name], name
    produced = {path.split("/")[0] for path in one}
    assert {"pdf", "docx", "epub", "feeds", "articles"} <= produced or set(ALL) == {"html"}


def _rewritten_since(out: Path, start_ns: int) -> int:
    """How many outputs (not temporary files) were replaced after ``start_ns``: the build's progress, seen from outside."""
    count = 0
    for path in out.rglob("*"):
        try:
            if path.is_file() and not path.name.endswith(".tmp") and path.stat().st_mtime_ns > start_ns:
                count += 1
        except FileNotFoundError:  # renamed away while we looked
            pass
    return count


def _kill_after_writes(process: subprocess.Popen, out: Path, start_ns: int, writes: int) -> int:
    """SIGKILL the build (and its workers) as soon as it has replaced ``writes`` files; returns how many it had."""
    deadline = time.monotonic() + 300
    while process.poll() is None and time.monotonic() < deadline:
        seen = _rewritten_since(out, start_ns)
        if seen >= writes:
            os.killpg(process.pid, signal.SIGKILL)  # mid-write or not: the build does not know it is coming
            return seen
        time.sleep(0.002)
    raise AssertionError(f"the build ended before it had written {writes} files: the kill would interrupt nothing")


def test_a_build_killed_at_random_moments_leaves_only_complete_files(tmp_path):
    old_source = _archive(tmp_path / "old-src", "A")
    new_source = _archive(tmp_path / "new-src", "B")
    old_out, new_out = tmp_path / "old-out", tmp_path / "new-out"
    assert run_build(old_source, old_out, ALL).exit_code == 0
    assert run_build(new_source, new_out, ALL).exit_code == 0
    old, new = _tree(old_out), _tree(new_out)
    changed = [name for name in new if old.get(name) != new[name]]
    assert len(changed) > 20, changed  # every article changed, so the write phase is long enough to cut into

    rng = random.Random(20240427)
    # Kill points spread over the write phase, measured from outside the build: early, middle, late.
    for attempt, share in enumerate((rng.uniform(0.02, 0.2), rng.uniform(0.3, 0.6), rng.uniform(0.65, 0.9))):
        out = tmp_path / f"killed-{attempt}"
        shutil.copytree(old_out, out)
        time.sleep(0.01)  # the copy's own writes are older than the build's
        start_ns = time.time_ns()
        process = _cli("build", "--source", str(new_source), "--out", str(out), "--styles", str(STYLES), "-j", "2")
        _kill_after_writes(process, out, start_ns, max(1, int(share * len(changed))))
        process.wait(timeout=60)
        after = _tree(out)
        for name, data in after.items():
            if Path(name).name.startswith(".") and name.endswith(".tmp"):
                continue  # a temporary file: never an output, removed by the next build
            assert data in (old.get(name), new.get(name)), f"attempt {attempt}: {name} is neither version"
        finished = [name for name in changed if after.get(name) == new[name]]
        print(f"attempt {attempt}: killed with {len(finished)} of {len(changed)} changed outputs written")
        assert 0 < len(finished) < len(changed), f"attempt {attempt}: the kill did not land inside the write phase"
        repair = _cli("build", "--source", str(new_source), "--out", str(out), "--styles", str(STYLES))
        assert repair.wait(timeout=600) == 0, repair.stderr.read().decode()
        repaired = _tree(out)
        assert repaired == new, f"attempt {attempt}: not repaired: {_differences(repaired, new)}"


def _differences(got: dict[str, bytes], expected: dict[str, bytes]) -> str:
    """The files that differ, with the first differing lines of the text ones (the manifest: which entry)."""
    import difflib

    names = sorted(k for k in set(got) | set(expected) if got.get(k) != expected.get(k))
    shown = [", ".join(names)]
    for name in names:
        if name.endswith((".json", ".html", ".xml")) and name in got and name in expected:
            lines = difflib.unified_diff(expected[name].decode(errors="replace").splitlines(),
                                         got[name].decode(errors="replace").splitlines(), "expected", "repaired", n=1, lineterm="")
            shown.append(f"{name}:\n" + "\n".join(list(lines)[:40]))
    return "\n".join(shown)


def test_a_build_never_opens_a_network_connection(tmp_path, monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access during a build")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    report = run_build(_archive(tmp_path / "src", "A"), tmp_path / "out", ALL, jobs=1)
    assert report.exit_code == 0, report.failures
    assert attempts == []


@pytest.mark.parametrize("victim", [name for name in ALL if name != "html"])
def test_one_exporter_failing_on_one_article_spares_every_other_output(victim, tmp_path, monkeypatch):
    source = _archive(tmp_path / "src", "A")
    cls = registry.load([victim])[0]
    original = cls.export_article

    def flaky(self, article):
        if article.slug == "story-2":
            raise RuntimeError("exporter crashed")
        return original(self, article)

    monkeypatch.setattr(cls, "export_article", flaky)
    clean = tmp_path / "clean"
    monkeypatch.setattr(cls, "export_article", original)
    run_build(source, clean, ALL, wire=tmp_path / "clean-wire")  # each build its own wire folder (README)
    monkeypatch.setattr(cls, "export_article", flaky)
    out = tmp_path / "out"
    report = run_build(source, out, ALL, keep_going=True, wire=tmp_path / "out-wire")
    assert report.exit_code == 1
    assert [(f.field, Path(f.path).name) for f in report.failures] == [(victim, "story-2.md")]
    produced, expected = _tree(out), _tree(clean)
    missing = sorted(set(expected) - set(produced))
    assert all("story-2" in m for m in missing if not m.startswith(("feeds/", "epub/", "index", "."))), missing
    for name, data in produced.items():
        if "story-2" not in name and not name.startswith(("feeds/", ".")) and name in expected:
            if name.startswith("epub/") and "story" not in name and "kitchen" not in name:
                continue  # the collection EPUB lacks nothing but is built from the same articles
            assert data == expected[name], name
