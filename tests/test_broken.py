"""Broken sources: one located message per problem, exit 2, and an untouched output folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT

BROKEN = FIXTURES / "broken"

EXPECTED = [
    ("missing-headline.md", None, "headline", "required"),
    ("unparsable-date.md", 5, "published", "'next tuesday' is not a valid ISO 8601 date"),
    ("impossible-date.md", 5, "published", "'2024-02-30' is not a valid ISO 8601 date"),
    ("updated-before-published.md", 6, "updated", "is before published"),
    ("malformed-yaml.md", 4, "front matter", "malformed YAML"),
    ("bad-byline.md", 4, "byline", "must be a name, or a list of names"),
    ("slug-escape.md", 6, "slug", "must be lowercase letters, digits and single hyphens"),
    ("image-escape.md", 6, "image.src", "must be a relative path inside the source folder"),
    ("image-absolute.md", 6, "image.src", "must be a relative path inside the source folder"),
    ("missing-image.md", 6, "image.src", "image file not found: images/nowhere.jpg"),
    ("image-without-alt.md", 6, "image.alt", "alt text is required"),
    ("non-utf8.md", 2, "encoding", "not valid UTF-8 (byte 0xe9)"),
    ("nul-byte.md", 7, "encoding", "contains a NUL byte"),
    ("empty-body.md", 7, "body", "no body text"),
    ("no-front-matter.md", 1, "front matter", "no front matter"),
]


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pressrun", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp_path_factory.mktemp("out")
    (out / "keep.txt").write_text("an earlier good file")
    return run_cli("build", "--source", str(BROKEN), "--out", str(out)), out


def test_exit_code_is_2_and_nothing_is_written(broken_run):
    result, out = broken_run
    assert result.returncode == 2, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert (out / "keep.txt").read_text() == "an earlier good file"
    assert "Traceback" not in result.stderr
    assert "nothing was written" in result.stderr


@pytest.mark.parametrize(("name", "line", "field", "message"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_each_problem_has_one_located_message(broken_run, name, line, field, message):
    result, _ = broken_run
    where = f"{name}:{line}: " if line else f"{name}: "
    matches = [l for l in result.stderr.splitlines() if f"/{where}" in l and "warning" not in l]
    assert len(matches) == 1, result.stderr
    assert f"{where}{field}: " in matches[0] and message in matches[0], matches[0]


def test_every_error_names_a_file_of_the_fixture(broken_run):
    result, _ = broken_run
    errors = [l for l in result.stderr.splitlines() if l.startswith("tests/fixtures/broken/") and "warning:" not in l]
    assert len(errors) == len(EXPECTED)


def test_typo_in_a_field_name_is_a_located_warning(broken_run):
    result, _ = broken_run
    assert "typo-field.md:6: warning: takeways: unknown field ignored; did you mean 'takeaways'?" in result.stderr


def test_check_reports_the_same_problems_and_writes_nothing(tmp_path):
    result = run_cli("check", "--source", str(BROKEN))
    assert result.returncode == 2
    assert result.stderr.count("tests/fixtures/broken/") == len(EXPECTED) + 1  # + the typo warning


def test_strict_turns_warnings_into_errors(copy_source):
    source = copy_source("minimal")
    (source / "brief.md").write_text((source / "brief.md").read_text().replace("published:", "takeways: [x]\npublished:"))
    assert run_cli("check", "--source", str(source)).returncode == 0
    strict = run_cli("check", "--source", str(source), "--strict")
    assert strict.returncode == 2 and "takeways" in strict.stderr


def test_keep_going_publishes_the_valid_articles_and_still_fails(copy_source, tmp_path):
    source = copy_source("minimal")
    (source / "bad.md").write_text("---\nheadline: Bad\nsummary: S\npublished: never\n---\nBody.\n")
    out = tmp_path / "out"
    result = run_cli("build", "--source", str(source), "--out", str(out), "--format", "html", "--keep-going")
    assert result.returncode == 2
    assert (out / "articles" / "brief.html").is_file()
    assert not (out / "articles" / "bad.html").exists()
    assert "bad.md:4: published:" in result.stderr
