"""A broken theme is reported like a broken source: every problem at once, located, exit 2, nothing written."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, STYLES

# (what is done to styles/theme.yaml, the key reported, its line in the edited file, words of the message)
CASES = {
    "size-not-a-number": ("sizes:\n  body: big\n", "sizes.body", 2, "must be a positive number"),
    "labels-a-list": ("labels: [oops]\n", "labels", 1, "must be a mapping"),
    "unknown-colour": ("colors:\n  txet: '#000000'\n", "colors.txet", 2, "did you mean 'text'?"),
    "colour-not-hex": ("colors:\n  accent: red\n", "colors.accent", 2, "must be a hex colour"),
    "page-size": ("page:\n  size: A5\n", "page.size", 2, "must be A4 or Letter"),
    "margin-text": ("page:\n  margin_top_mm: wide\n", "page.margin_top_mm", 2, "margin in millimetres"),
    "page-label-placeholder": ("labels:\n  page: 'Seite {seite} von {pages}'\n", "labels.page", 2,
                               "unknown placeholder {seite}"),
    "unknown-section": ("colours:\n  text: '#000000'\n", "colours", 1, "did you mean 'colors'?"),
    "malformed-yaml": ("sizes:\n  body: [10\n", "theme", None, "malformed YAML"),
}


def _theme_with(tmp_path: Path, yaml_text: str) -> Path:
    """A copy of the project's styles whose theme.yaml is the project's with ``yaml_text`` placed first.

    The edited keys come first so their line numbers are known; YAML's last duplicate key wins, so the
    project's own section of the same name is removed.
    """
    styles = tmp_path / "styles"
    shutil.copytree(STYLES, styles)
    original = (STYLES / "theme.yaml").read_text(encoding="utf-8")
    for top in {m.group(1) for m in re.finditer(r"^([a-z_]+):", yaml_text, re.M)}:
        original = re.sub(rf"^{top}:.*?(?=^[a-z_#])", "", original, flags=re.S | re.M)
    (styles / "theme.yaml").write_text(yaml_text + original, encoding="utf-8")
    return styles


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pressrun", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_broken_theme_is_one_located_line_and_nothing_written(tmp_path, case):
    yaml_text, key, line, words = CASES[case]
    styles = _theme_with(tmp_path, yaml_text)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("an earlier good file")
    result = run_cli("build", "--source", str(FIXTURES / "minimal"), "--out", str(out), "--styles", str(styles), "-j", "1")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    located = [l for l in result.stderr.splitlines() if "theme.yaml" in l]
    assert len(located) == 1, result.stderr
    where = f"theme.yaml:{line}: " if line else "theme.yaml:"
    assert where in located[0] and f" {key}: " in located[0] and words in located[0], located[0]
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_unknown_family_in_a_stack_suggests_the_declared_one(tmp_path):
    styles = tmp_path / "styles"
    shutil.copytree(STYLES, styles)
    text = (styles / "theme.yaml").read_text(encoding="utf-8")
    line = text[: text.index("  body: [serif, sans]")].count("\n") + 1
    (styles / "theme.yaml").write_text(text.replace("  body: [serif, sans]", "  body: [serfi, sans]"), encoding="utf-8")
    result = run_cli("check", "--source", str(FIXTURES / "minimal"), "--styles", str(styles))
    assert result.returncode == 2
    located = [l for l in result.stderr.splitlines() if "theme.yaml" in l]
    assert len(located) == 1 and f"theme.yaml:{line}: fonts.body.0: unknown font family 'serfi'; did you mean 'serif'?" in located[0], result.stderr


def test_all_theme_problems_are_reported_at_once(tmp_path):
    styles = _theme_with(tmp_path, "sizes:\n  body: big\n  headline: -3\ncolors:\n  accent: red\n")
    result = run_cli("check", "--source", str(FIXTURES / "minimal"), "--styles", str(styles))
    assert result.returncode == 2
    located = [l for l in result.stderr.splitlines() if "theme.yaml:" in l]
    assert [l.split("theme.yaml:")[1].split(":")[0] for l in located] == ["2", "3", "5"], result.stderr


def test_the_shipped_theme_is_clean():
    result = run_cli("check", "--source", str(FIXTURES / "minimal"), "--styles", str(STYLES))
    assert result.returncode == 0, result.stderr
    assert "theme.yaml" not in result.stderr
