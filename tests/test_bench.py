"""Smoke test of the benchmark (bench/): generator, floor and runner at N=2, so they cannot silently rot; and unit
tests of what needs no measuring (issue 19): medians and spreads, the interleaving order, the noise verdicts, the
targets judged on made-up rounds, and re-rendering a --json dump (old and new).

Not a timing test: the smoke test only checks that every format, the floor ratio, the spreads and a noise verdict
make it into the table.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import noise, report, run  # noqa: E402
from bench.floor import FORMATS  # noqa: E402
from bench.generate import article, body_words, generate  # noqa: E402
from bench.measure import Sample, Series  # noqa: E402


def test_generator_is_deterministic_and_realistic(tmp_path: Path) -> None:
    paths = generate(tmp_path, 7)
    assert [p.read_text(encoding="utf-8") for p in paths] == [article(i) for i in range(7)]
    for text in (article(i) for i in range(12)):
        assert 600 <= body_words(text) <= 950  # markup tokens count as words here
        assert "## " in text and "\n- " in text and "\n1. " in text and "takeaways:" in text
    assert "image:" in article(0) and "image:" not in article(1)
    assert "ə" in "".join(article(i) for i in range(6))


def test_runner_quick_prints_the_interleaved_table_with_spreads_and_a_noise_verdict() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run", "--sizes", "2", "--quick", "--rounds", "3"],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    table = proc.stdout
    for fmt in FORMATS:
        assert f"| 2 | {fmt} |" in table
    assert "pressrun -j 1 ÷ floor" in table and "×" in table
    assert "median of 3 interleaved round(s)" in table
    assert " %] |" in table  # a median with its spread, e.g. "1.04 [3.2 %]"
    assert "×" in table and "–" in table  # a ratio with its per-round range, e.g. "2.30× [2.25–2.38]"
    assert "### Conditions" in table and "| before |" in table and "| after N=2 |" in table
    assert "- N = 2: quiet (" in table or "- N = 2: too noisy: " in table
    assert "| no-op |" in table and "0 rendered, 2 unchanged" in table
    assert "### Targets (issue 19" in table and "| n/a |" in table
    assert "| 2 | epub, issue of every article |" in table  # the issue's memory, measured at every size


# ---- the pure parts: no measuring --------------------------------------------------------------

def test_median_and_spread() -> None:
    assert noise.median([3.0, 1.0, 2.0]) == 2.0
    assert noise.spread([10.0, 11.0, 12.0]) == pytest.approx(2 / 11)
    assert noise.spread([5.0]) == 0.0
    assert noise.ratios([2.0, 4.0], [1.0, 2.0]) == [2.0, 2.0]
    series = Series([Sample(w, rss, "") for w, rss in ((1.2, 100), (1.0, 90), (1.1, 95))])
    assert series.wall == 1.1 and series.rss_mb == 95 and series.spread == pytest.approx(0.2 / 1.1)
    assert series.typical.wall == 1.1


def test_interleaving_takes_turns_and_reverses_every_other_round() -> None:
    assert noise.interleave(["A", "B"], 3) == [(0, "A"), (0, "B"), (1, "B"), (1, "A"), (2, "A"), (2, "B")]
    plan = noise.interleave(["A", "B", "C"], 4)
    for r in range(4):  # every label exactly once a round
        assert sorted(label for rr, label in plan if rr == r) == ["A", "B", "C"]
    assert [label for _, label in plan][:6] == ["A", "B", "C", "C", "B", "A"]


def test_measure_rounds_runs_the_plan_and_gathers_each_name() -> None:
    calls: list[tuple[str, int]] = []

    def step(label: str, wall: float):
        def one(r: int) -> dict[str, Sample]:
            calls.append((label, r))
            extra = {"no-op": Sample(wall / 10, 1, "")} if label == "B" else {}
            return {label: Sample(wall + r, 1, "")} | extra
        return one

    got = run.measure_rounds({"A": step("A", 1.0), "B": step("B", 2.0)}, 3)
    assert calls == [("A", 0), ("B", 0), ("B", 1), ("A", 1), ("A", 2), ("B", 2)]
    assert got["A"].walls == [1.0, 2.0, 3.0] and got["B"].walls == [2.0, 3.0, 4.0]
    assert got["no-op"].walls == [0.2, 0.2, 0.2]


def test_series_reasons_need_five_rounds_and_the_ceiling_five_repeats() -> None:
    assert noise.series_reasons({"floor": [10.0, 11.4, 10.2, 10.1, 10.3]}) == []  # a wide spread is no veto …
    assert noise.series_reasons({"-j 1": [10.0, 10.1, 10.0]}) == ["-j 1: 3 rounds < 5"]
    assert noise.ceiling_reasons([]) == ["parallel ceiling not measured"]
    assert noise.ceiling_reasons([1.78, 1.60, 1.95, 1.80, 1.79, 1.70]) == []
    assert noise.ceiling_reasons([1.50, 1.80]) == ["parallel ceiling: 2 repeats < 5"]


def test_a_verdict_needs_every_round_on_the_same_side_of_its_target() -> None:
    assert noise.agreement_reasons([1.20, 1.22, 1.24, 1.19, 1.21], 1.25) == []  # all meet
    assert noise.agreement_reasons([1.28, 1.30, 1.26, 1.27, 1.29], 1.25) == []  # all miss: decided too
    assert noise.agreement_reasons([1.20, 1.22, 1.27, 1.19, 1.21], 1.25) == [
        "rounds disagree: 1.19–1.27 spans the target 1.25"]  # … but one round on the other side is
    assert noise.agreement_reasons([4.1, 4.3, 3.9], 4.0, below=False) != []
    assert noise.agreement_reasons([4.1, 4.3, 4.0], 4.0, below=False) == []
    assert noise.agreement_reasons([], 1.0) == []


def _point(label: str, clock: float, busy: float | None, ours: float, load: float = 0.5) -> noise.Checkpoint:
    return noise.Checkpoint(label, clock, [load, load, load], [1.8, 1.8], busy, ours)


def test_other_work_is_the_cores_busy_time_less_the_benchmarks() -> None:
    a = _point("before", 0.0, 100.0, 10.0)
    quiet = _point("after", 100.0, 200.0, 109.0)  # 100 s busy, 99 s ours: 1 s of 200 core-seconds
    busy = _point("after", 100.0, 230.0, 109.0)  # 31 s of others
    assert noise.others_share(a, quiet, 2) == pytest.approx(0.005)
    assert noise.window_reasons(a, quiet, 2) == []
    assert noise.window_reasons(a, busy, 2) == ["other work 15.5 % of the cores > 5 %"]
    assert noise.window_reasons(None, quiet, 2) == ["machine not watched (no checkpoints)"]
    # Without /proc/stat: the load average beyond one task per core of ours.
    assert noise.window_reasons(_point("b", 0, None, 0, 0.2), _point("a", 9, None, 0, 2.3), 2) == []
    assert noise.window_reasons(_point("b", 0, None, 0, 0.2), _point("a", 9, None, 0, 2.9), 2) != []


def test_verdicts_met_missed_na_and_noisy() -> None:
    assert noise.verdict(None, ["anything"]) == "n/a"
    assert noise.verdict(True, []) == "met" and noise.verdict(False, []) == "missed"
    assert noise.verdict(True, ["rounds disagree: 1.19–1.27 spans the target 1.25"]) == "noisy"
    assert noise.verdict(False, ["other work 9.0 % of the cores > 5 %"]) == "noisy"
    five = [1.0, 1.01, 1.02, 1.0, 1.01]
    assert noise.size_verdict({"a": five}, []) == "quiet (largest spread 2.0 % (a))"
    wide = noise.size_verdict({"a": five, "b": [1.0, 1.2, 1.1, 1.1, 1.1]}, [])
    assert wide == "quiet (largest spread 18.2 % (b); 1 of 2 measurements spread > 5 %)"
    loud = noise.size_verdict({"a": five}, ["other work 9.0 % of the cores > 5 %"])
    assert loud == "too noisy: other work 9.0 % of the cores > 5 % (largest spread 2.0 % (a))"
    assert noise.size_verdict({"a": [1.0]}, []) == "too noisy: 1 round < 5 (largest spread 0.0 % (a))"


def _series(*walls: float, rss: float = 100.0) -> Series:
    return Series([Sample(w, rss, json.dumps({"parse": 0.1, **{f: 0.1 for f in FORMATS}})) for w in walls])


def _size(n: int, floor: tuple[float, ...], rss: float, busy_after: float = 1_000.5) -> run.SizeResult:
    """A made-up size: pressrun -j 1 at 10 s, -j 2 at 5.6 s, the floor as given, a quiet machine unless told."""
    r = run.SizeResult(n, full={1: _series(10.0, 10.1, 10.2, 10.1, 10.1, rss=rss),
                                  2: _series(5.6, 5.65, 5.7, 5.65, 5.65, rss=rss)},
                       floor_total=_series(*floor), noop=_series(*[0.1] * 5), changed=_series(0.25, 0.25, 0.26, 0.25, 0.25),
                       changed_newest=_series(*[0.2] * 5))
    r.per_format = {f: _series(1.0, 1.0, 1.01, 1.0, 1.0) for f in FORMATS}
    r.floor_format = {f: _series(0.6, 0.6, 0.61, 0.6, 0.6) for f in FORMATS}
    r.floor_steps = {"parse": 0.1}
    r.before = noise.Checkpoint("before", 0.0, [0.1] * 3, [1.80, 1.79, 1.81], 0.0, 0.0)
    r.after = noise.Checkpoint("after", 1_000.0, [1.0] * 3, [1.80, 1.78, 1.79], busy_after, 1_000.0)
    if n == 100:
        r.docx_epub = {1: _series(*[1.0] * 5), 2: _series(*[0.6] * 5)}
        r.pandoc = {"serial": _series(4.5, 4.4, 4.6, 4.5, 4.5), "parallel": _series(*[2.4] * 5)}
    return r


def _verdicts(results: list[run.SizeResult]) -> dict[str, report.Target]:
    return {t.name.split(":")[0]: t for t in report.targets(results, 2)}


def test_targets_are_judged_on_the_medians_and_held_back_when_noisy() -> None:
    quiet = _verdicts([_size(100, (9.0, 9.1, 9.2, 9.1, 9.1), 100), _size(1000, (9.4, 9.5, 9.6, 9.5, 9.5), 110)])
    assert quiet["all formats, N=1000, one process"].verdict == "met"  # 10.1 / 9.5 = 1.06×
    assert quiet["all formats, N=1000, one process"].measured == "1.06× [1.06–1.06]"
    assert quiet["EPUB, N=1000"].verdict == "met" and quiet["PDF, N=1000"].verdict == "missed"  # 1.67× > 1.25×
    assert quiet["DOCX + EPUB, N=100, one core each"].verdict == "met"  # 4.5×
    assert quiet["-j 2 at N=1000 within 5% of the machine's parallel ceiling"].verdict == "met"  # 1.79× of 1.795×
    assert quiet["peak RSS at N=1000 ≤ 1.2× N=100 (-j 1)"].verdict == "met"
    assert quiet["no-op rebuild of 1000"].verdict == "met" and quiet["one changed of 1000"].verdict == "met"
    assert all(t.reasons == [] for t in quiet.values())

    noisy = _verdicts([_size(100, (9.0, 9.1, 9.2, 9.1, 9.1), 100), _size(1000, (9.5, 8.9, 9.6, 9.5, 9.6), 110, busy_after=1_150.0)])
    floor = noisy["all formats, N=1000, one process"]
    assert floor.verdict == "noisy"
    assert floor.reasons == ["rounds disagree: 1.05–1.13 spans the target 1.1", "other work 7.5 % of the cores > 5 %"]
    assert noisy["PDF, N=1000"].verdict == "noisy"  # the machine was busy during N=1000 …
    assert noisy["peak RSS at N=1000 ≤ 1.2× N=100 (-j 1)"].verdict == "met"  # … which memory does not mind
    assert noisy["DOCX + EPUB, N=100, one core each"].verdict == "met"  # N=100's stretch was quiet

    small = _verdicts([_size(20, (9.0, 9.1, 9.2, 9.1, 9.1), 100)])
    assert {t.verdict for t in small.values()} == {"n/a"}


def test_the_issue_of_every_article_is_judged_on_its_memory_growth() -> None:
    name = "issue of every article (EPUB alone, -j 1)"
    mid, big = _size(100, (9.0, 9.1, 9.2, 9.1, 9.1), 100), _size(1000, (9.4, 9.5, 9.6, 9.5, 9.5), 110)
    assert _verdicts([mid, big])[name].verdict == "n/a"  # a dump from before it was measured
    mid.issue_all, big.issue_all = _series(*[0.5] * 5, rss=100), _series(*[5.0] * 5, rss=115)
    assert _verdicts([mid, big])[name].verdict == "met" and _verdicts([mid, big])[name].measured == "1.15× (115 vs 100 MB)"
    big.issue_all = _series(*[5.0] * 5, rss=190)  # an issue held whole grew with its pages
    assert _verdicts([mid, big])[name].verdict == "missed"


def test_a_dump_renders_again_and_an_old_one_says_it_is_noisy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = [_size(100, (9.0, 9.1, 9.2, 9.1, 9.1), 100), _size(1000, (9.4, 9.5, 9.6, 9.5, 9.5), 110)]
    info = report.RunInfo([40.0, 41.0, 42.0], 2, "2026-01-01 00:00", {"commit": "abc"}, False, 3)
    dump = tmp_path / "new.json"
    dump.write_text(json.dumps({"version": run.DUMP_VERSION, **asdict(info), "sizes": [asdict(r) for r in results]}))
    assert run.main(["--from-json", str(dump)]) == 0
    assert capsys.readouterr().out == report.render(results, info) + "\n"  # print's newline

    old = {"help_ms": [40.0], "cores": 2, "started": "2025-01-01 00:00", "tree": {"ceiling": "1.79", "load": "1.0"},
           "quick": False, "sizes": []}
    for r in results:  # the version-1 shape: one sample per measurement, pandoc in seconds, no checkpoints
        raw = asdict(r)
        for key in ("full", "per_format", "floor_format", "docx_epub"):
            raw[key] = {k: v["samples"][0] for k, v in raw[key].items()}
        for key in ("floor_total", "noop", "changed", "changed_newest"):
            raw[key] = raw[key]["samples"][0]
        raw["pandoc"] = {k: v["samples"][0]["wall"] for k, v in raw["pandoc"].items()}
        for key in ("before", "after", "world"):
            raw.pop(key)
        old["sizes"].append(raw)
    (tmp_path / "old.json").write_text(json.dumps(old))
    assert run.main(["--from-json", str(tmp_path / "old.json")]) == 0
    table = capsys.readouterr().out
    assert "Not recorded (a dump from before issue 19)" in table
    assert "| **noisy** | -j 1, N=1000: 1 round < 5; floor, N=1000: 1 round < 5; machine not watched" in table
    assert "**met**" not in table.replace("| 1.10× (110 vs 100 MB) | **met**", "")  # only memory is judged

    (tmp_path / "bad.json").write_text('{"sizes": 3}')
    with pytest.raises(SystemExit, match="cannot read .*bad.json as a benchmark dump"):
        run.main(["--from-json", str(tmp_path / "bad.json")])


def test_measured_processes_cache_bytecode_as_a_users_install_does() -> None:
    """A sandbox's PYTHONDONTWRITEBYTECODE would make every measured build compile the modules edited since their
    last cache (~0.1 s a build): the measured processes run without it, the rest of the environment kept."""
    from bench import measure

    child = measure.child_environment({"PYTHONDONTWRITEBYTECODE": "1", "PRESSRUN_STATS": "1", "PATH": "/bin"})
    assert child == {"PRESSRUN_STATS": "1", "PATH": "/bin"}
    done = measure.run([sys.executable, "-c", "import sys; print(sys.dont_write_bytecode)"],
                       env={"PYTHONDONTWRITEBYTECODE": "1"})
    assert done.stdout.strip() == "False"
