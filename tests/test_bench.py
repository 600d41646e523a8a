"""Smoke test of the benchmark (bench/): generator, floor and runner at N=2, so they cannot silently rot.

Not a timing test: it only checks that every format and the floor ratio make it into the table.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.floor import FORMATS  # noqa: E402
from bench.generate import article, body_words, generate  # noqa: E402


def test_generator_is_deterministic_and_realistic(tmp_path: Path) -> None:
    paths = generate(tmp_path, 7)
    assert [p.read_text(encoding="utf-8") for p in paths] == [article(i) for i in range(7)]
    for text in (article(i) for i in range(12)):
        assert 600 <= body_words(text) <= 950  # markup tokens count as words here
        assert "## " in text and "\n- " in text and "\n1. " in text and "takeaways:" in text
    assert "image:" in article(0) and "image:" not in article(1)
    assert "ə" in "".join(article(i) for i in range(6))


def test_runner_quick_prints_every_format_and_the_floor_ratio() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run", "--sizes", "2", "--quick"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    table = proc.stdout
    for fmt in FORMATS:
        assert f"| 2 | {fmt} |" in table
    assert "pressrun -j 1 ÷ floor" in table and "×" in table
    assert "| no-op |" in table and "0 rendered, 2 unchanged" in table
    assert "Issue 8 targets" in table
