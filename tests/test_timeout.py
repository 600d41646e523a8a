"""The export time budget (issue 12): an export that never finishes is stopped and reported, never a hung build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, STYLES, articles_of
from pressrun import registry
from pressrun.build import BuildOptions, build
from pressrun.cache import Manifest
from pressrun.exporters.base import Exporter, Output, Part
from pressrun.timelimit import ExportTimedOut, time_limit

BUDGET = 1.0  # seconds: what each stuck export is given in these tests
STUCK = "brief"  # the article (slug) the looping exporter never finishes


class NeverStopped(BaseException):
    """The budget did not stop a looping export: the test fails instead of hanging."""


def _spin() -> None:
    """Loops in pure Python, as reportlab did (issue 12) — for ever, as far as a 1 s budget can tell."""
    give_up = time.monotonic() + 60
    while time.monotonic() < give_up:
        pass
    raise NeverStopped()


class LoopingExporter(Exporter):
    name = "looping"
    description = "Never finishes one article (a test plugin)."
    order = 10

    def export_article(self, article):
        if article.slug == STUCK:
            _spin()
        return [Output(f"looping/{article.slug}.txt", b"done", "text/plain", article.id, "Text")]


class LoopingPartExporter(Exporter):
    name = "loopingpart"
    description = "Never finishes its publication-level part (a test plugin)."
    order = 20

    def publication_parts(self, articles):
        return [Part("index", articles)]

    def export_part(self, part: Part):
        _spin()


class SwallowingExporter(Exporter):
    """Swallows what it catches, as reportlab's bare ``except:`` clauses can: the budget must still stop it."""

    name = "swallowing"
    description = "Loops inside broad excepts (a test plugin)."
    order = 10

    def export_article(self, article):
        try:
            _spin()
        except BaseException:  # swallows the first stop
            pass
        while True:
            try:
                _spin()
            except Exception:
                pass


def _source(copy_source) -> Path:
    """The minimal fixture (slug "brief") plus a second article that every exporter finishes."""
    source = copy_source("minimal")
    (source / "second.md").write_text("---\nheadline: Second\nsummary: S\npublished: 2024-06-01\n---\nBody.\n")
    return source


def _use(monkeypatch, *classes: type) -> None:
    real = registry.load

    def load(names=None):
        return sorted([*classes, *real(["html"])], key=lambda c: (c.order, c.name))

    monkeypatch.setattr(registry, "load", load)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_looping_export_is_stopped_and_located_and_everything_else_published(copy_source, tmp_path, monkeypatch, jobs):
    source, out = _source(copy_source), tmp_path / "out"
    _use(monkeypatch, LoopingExporter)
    report = build(BuildOptions(source=source, out=out, styles=STYLES, keep_going=True, jobs=jobs, export_timeout=BUDGET))
    assert report.exit_code == 1
    assert [str(p) for p in report.failures] == [
        f"{source / 'brief.md'}: looping: looping export did not finish within 1 s; stopped (report this article as a bug)"
    ]
    assert (out / "looping" / "second.txt").read_bytes() == b"done"
    assert not (out / "looping" / "brief.txt").exists()
    for page in ("index.html", "articles/brief.html", "articles/second.html"):  # the other format, every article
        assert (out / page).is_file(), page
    assert 'href="../looping/second.txt"' in (out / "articles" / "second.html").read_text()
    assert "looping/brief.txt" not in (out / "articles" / "brief.html").read_text()  # no link to what was not written


def test_without_keep_going_the_build_stops_at_the_stuck_article(copy_source, tmp_path, monkeypatch):
    source = _source(copy_source)
    _use(monkeypatch, LoopingExporter)
    report = build(BuildOptions(source=source, out=tmp_path / "out", styles=STYLES, export_timeout=BUDGET))
    assert report.exit_code == 1
    assert [(p.path, p.field) for p in report.failures] == [(str(source / "brief.md"), "looping")]


def test_the_stuck_article_is_rendered_again_by_the_next_build(copy_source, tmp_path, monkeypatch):
    source, out = _source(copy_source), tmp_path / "out"
    _use(monkeypatch, LoopingExporter)
    first = build(BuildOptions(source=source, out=out, styles=STYLES, keep_going=True, export_timeout=BUDGET))
    assert first.exit_code == 1
    keys = {a.slug: Manifest.load(out).articles[a.id].key for a in articles_of(source)[1]}
    assert keys["brief"] == "" and keys["second"]  # marked to be rendered again; the finished one is not
    monkeypatch.setattr(sys.modules[__name__], "STUCK", "nothing")  # the exporter is fixed
    second = build(BuildOptions(source=source, out=out, styles=STYLES, keep_going=True, export_timeout=BUDGET))
    assert second.exit_code == 0, [str(p) for p in second.failures]
    assert second.rendered == ["brief"]  # the unchanged, finished article is reused
    assert (out / "looping" / "brief.txt").read_bytes() == b"done"


def test_a_looping_publication_part_is_stopped_and_located(copy_source, tmp_path, monkeypatch):
    source, out = _source(copy_source), tmp_path / "out"
    _use(monkeypatch, LoopingPartExporter)
    report = build(BuildOptions(source=source, out=out, styles=STYLES, keep_going=True, export_timeout=BUDGET))
    assert report.exit_code == 1
    assert [str(p) for p in report.failures] == [
        f"{source / 'publication.yaml'}: loopingpart: loopingpart export of index did not finish within 1 s; "
        "stopped (report this as a bug)"
    ]
    assert (out / "index.html").is_file() and (out / "articles" / "second.html").is_file()
    assert Manifest.load(out).parts["loopingpart:index"].key == ""  # made again next time


def test_an_exporter_that_swallows_the_stop_is_stopped_again(copy_source, tmp_path, monkeypatch):
    source = _source(copy_source)
    _use(monkeypatch, SwallowingExporter)
    report = build(BuildOptions(source=source, out=tmp_path / "out", styles=STYLES, keep_going=True, jobs=1,
                                export_timeout=BUDGET))
    assert sorted(p.path for p in report.failures) == sorted(str(source / f) for f in ("brief.md", "second.md"))
    assert all(p.field == "swallowing" for p in report.failures)


# --- the timer itself ---------------------------------------------------------------------------------


class OuterAlarm(Exception):
    pass


def _raise_outer(signum, frame):
    raise OuterAlarm()


def test_the_previous_handler_and_timer_are_restored():
    previous = signal.signal(signal.SIGALRM, _raise_outer)
    try:
        signal.setitimer(signal.ITIMER_REAL, 300)
        with time_limit(50):
            pass
        assert signal.getsignal(signal.SIGALRM) is _raise_outer
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < remaining <= 300  # the enclosing timer goes on
        with pytest.raises(ExportTimedOut):
            with time_limit(0.2):
                _spin()
        assert signal.getsignal(signal.SIGALRM) is _raise_outer
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_an_enclosing_limit_that_is_due_first_still_fires():
    previous = signal.signal(signal.SIGALRM, _raise_outer)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        with pytest.raises(OuterAlarm):
            with time_limit(120):
                _spin()
        assert signal.getsignal(signal.SIGALRM) is _raise_outer
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_an_enclosing_time_limit_due_first_passes_through_the_inner_one():
    inner_claimed = False
    with pytest.raises(ExportTimedOut) as caught:
        with time_limit(0.2):
            try:
                with time_limit(120):
                    _spin()
            except ExportTimedOut:
                inner_claimed = True
    assert not inner_claimed and caught.value.seconds == 0.2


def test_outside_the_main_thread_the_block_runs_without_a_timer():
    seen: list[object] = []

    def work() -> None:
        with time_limit(0.01):
            seen.append(signal.getitimer(signal.ITIMER_REAL))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=60)
    assert seen == [(0.0, 0.0)]


# --- through the command line ---------------------------------------------------------------------------

PLUGIN = '''
from pressrun.exporters.base import Exporter, Output


class LoopingExporter(Exporter):
    name = "looping"
    description = "Never finishes the article 'brief' (a test plugin)."

    def export_article(self, article):
        n = 0
        while article.slug == "brief":
            n += 1
        return [Output(f"looping/{article.slug}.txt", b"done", "text/plain", article.id)]
'''


@pytest.fixture
def plugin_path(tmp_path: Path) -> Path:
    """A separately installed distribution registering the looping exporter through the entry point group."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "pressrun_looping_plugin.py").write_text(PLUGIN)
    info = site / "pressrun_looping_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: pressrun-looping-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[pressrun.exporters]\nlooping = pressrun_looping_plugin:LoopingExporter\n")
    return site


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_cli_stops_a_looping_export_and_exits_1(plugin_path, copy_source, tmp_path, jobs):
    source, out = _source(copy_source), tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "pressrun", "build", "--source", str(source), "--out", str(out),
         "--format", "looping,html", "--export-timeout", "1", "--keep-going", "-j", jobs],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(plugin_path)},
    )
    assert result.returncode == 1, result.stderr
    assert (f"failed: {source / 'brief.md'}: looping: looping export did not finish within 1 s; stopped "
            "(report this article as a bug)") in result.stderr
    assert (out / "looping" / "second.txt").read_bytes() == b"done"
    assert (out / "articles" / "brief.html").is_file() and (out / "articles" / "second.html").is_file()
