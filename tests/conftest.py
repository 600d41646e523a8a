"""Shared test helpers: fixture folders and an in-process build."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pressrun.build import BuildOptions, BuildReport, build
from pressrun.readers import read_sources

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SOURCE = ROOT / "source"
STYLES = ROOT / "styles"


IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skip is a failure: tests skip only when a checker (Java, Ace, Chromium…) is missing, and CI
    installs every checker, so a skip there means a check silently did not run."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped with CI=true: {reason} (.ci/run must install what this test needs)"


def run_build(source: Path, out: Path, formats: list[str] | None = None, **kwargs) -> BuildReport:
    """Build ``source`` into ``out`` with the project's theme; fails the test on unexpected problems."""
    return build(BuildOptions(source=source, out=out, styles=kwargs.pop("styles", STYLES), formats=formats, **kwargs))


def articles_of(source: Path):
    sources = read_sources(source)
    assert not sources.diagnostics.errors, sources.diagnostics.errors
    return sources.publication, [sources.article(teaser) for teaser in sources.articles]  # whole, as tests inspect them


@pytest.fixture
def copy_source(tmp_path: Path):
    """Copy a fixture folder (or the real source/) somewhere writable."""

    def copy(name: str = "kitchen-sink") -> Path:
        origin = SOURCE if name == "source" else FIXTURES / name
        target = tmp_path / f"src-{name}"
        shutil.copytree(origin, target)
        return target

    return copy


@pytest.fixture(scope="session")
def built_samples(tmp_path_factory) -> dict[str, Path]:
    """Every format built once per session for the seed, kitchen-sink, minimal and multilingual sources.

    Tests that only read outputs use this, so the suite builds each sample once.
    """
    outs: dict[str, Path] = {}
    for name, source in {
        "seed": SOURCE,
        "kitchen-sink": FIXTURES / "kitchen-sink",
        "minimal": FIXTURES / "minimal",
        "multilingual": FIXTURES / "multilingual",
    }.items():
        out = tmp_path_factory.mktemp(f"out-{name}")
        report = run_build(source, out)
        assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
        outs[name] = out
    return outs
