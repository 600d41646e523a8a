"""In CI a missing checker fails the run: a test that skips there would hide a check that never ran."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

PROBE = '''
import pytest

def test_needs_java():
    pytest.skip("Java is not installed (EPUBCheck needs it)")

@pytest.mark.skipif(True, reason="pandoc not installed")
def test_needs_pandoc():
    pass

def test_runs():
    assert True
'''


def _run_probe(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess:
    shutil.copy(Path(__file__).with_name("conftest.py"), tmp_path / "conftest.py")
    (tmp_path / "test_probe.py").write_text(PROBE)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


def test_skips_fail_when_ci_is_true(tmp_path):
    result = _run_probe(tmp_path, "true")
    assert result.returncode == 1, result.stdout
    assert "1 passed" in result.stdout and "1 failed" in result.stdout and "1 error" in result.stdout, result.stdout
    assert "skipped with CI=true: Skipped: Java is not installed" in result.stdout
    assert "skipped with CI=true: Skipped: pandoc not installed" in result.stdout


def test_skips_stay_skips_on_a_developers_machine(tmp_path):
    result = _run_probe(tmp_path, None)
    assert result.returncode == 0, result.stdout
    assert "1 passed, 2 skipped" in result.stdout, result.stdout
