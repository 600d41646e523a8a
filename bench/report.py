"""The benchmark's tables (Markdown): interleaved medians with their spreads, the machine's condition, and
issue 19's targets (issue 18's cluster row kept) — each "met", "missed", "n/a" or "noisy" (bench.noise)."""

from __future__ import annotations

import platform
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bench import noise
from bench.floor import FORMATS

if TYPE_CHECKING:
    from bench.measure import Series
    from bench.run import SizeResult


@dataclass
class RunInfo:
    help_ms: list[float]
    cores: int
    started: str
    tree: dict[str, str]  # which pressrun, at which commit
    quick: bool
    rounds: int


@dataclass
class Target:
    name: str
    measured: str
    ok: bool | None  # None: not measured in this run
    reasons: list[str]  # why the measurement cannot decide it (bench.noise); empty when it can

    @property
    def verdict(self) -> str:
        return noise.verdict(self.ok, self.reasons)


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def _t(s: "Series | None", scale: float = 1.0, digits: int = 2) -> str:
    """A median and its spread, e.g. "12.15 [1.3 %]" ("[—]": one round, no spread to give)."""
    if s is None:
        return "—"
    return f"{s.wall * scale:.{digits}f} [{_pct(s.spread) if len(s.samples) > 1 else '—'}]"


def _ratio(a: "Series | None", b: "Series | None") -> str:
    """Ratio of the medians, with the range of the round-by-round ratios (each from one interleaved round)."""
    if a is None or b is None or not b.wall:
        return "—"
    per_round = noise.ratios(a.walls, b.walls)
    spread = f" [{min(per_round):.2f}–{max(per_round):.2f}]" if len(per_round) > 1 else ""
    return f"{a.wall / b.wall:.2f}×{spread}"


def _mb(s: "Series | None") -> str:
    return f"{s.rss_mb:.0f} MB" if s else "—"


def _ceilings(r: "SizeResult") -> list[float]:
    """The parallel ceiling's repeats measured just before and just after this size."""
    return [c for point in (r.before, r.after) if point for c in point.ceiling]


def _conditions(results: list["SizeResult"], cores: int) -> list[str]:
    points = [results[0].before] + [r.after for r in results] if results else []
    lines = [
        "### Conditions (is this run quiet enough to judge?)",
        "",
        f"Checkpoints before the first size and after each: load average, the parallel ceiling ({cores} CPU-bound "
        "processes at once against one after another; median [spread] of its repeats), and how much of the cores' "
        "time went to anything but the benchmark since the previous checkpoint (/proc/stat's busy and steal time "
        f"less the benchmark's own CPU time). A run is quiet enough when every measurement has ≥ {noise.MIN_ROUNDS} "
        f"rounds and other work stayed ≤ {_pct(noise.MAX_OTHERS)}; each verdict then also needs every one of its rounds "
        "to give it (bench/noise.py says why the spread of single builds, named below when above "
        f"{_pct(noise.MAX_SPREAD)}, is not a veto on this VM: its CPU speed varies by itself).",
        "",
    ]
    if not any(points):
        return lines + ["Not recorded (a dump from before issue 19): every timed verdict below is \"noisy\".", ""]
    lines += [_row("checkpoint", "load (1, 5, 15 min)", "parallel ceiling", "other work since the previous"),
              _row(*["---"] * 4)]
    previous = None
    for point in points:
        share = noise.others_share(previous, point, cores) if previous else None
        wide = _pct(noise.spread(point.ceiling)) if len(point.ceiling) > 1 else "—"
        ceiling = f"{noise.median(point.ceiling):.2f}× [{wide}]" if point.ceiling else "— (one core)"
        lines.append(_row(point.label, " ".join(f"{x:.2f}" for x in point.load), ceiling,
                          _pct(share) if share is not None else ("—" if previous is None else "not measurable")))
        previous = point
    lines.append("")
    for r in results:
        lines.append(f"- N = {r.n}: {noise.size_verdict(r.series(), noise.window_reasons(r.before, r.after, cores))}")
    return lines


def _whole(results: list["SizeResult"], cores: int) -> list[str]:
    jn = f"-j {cores}"
    lines = [
        "### Whole build, all formats (clean output folder; seconds [spread], peak RSS of the largest process)",
        "",
        _row("N", "pressrun -j 1", f"pressrun {jn}", "speed-up", "of the ceiling", "floor", "pressrun -j 1 ÷ floor",
             "RSS -j 1", f"RSS {jn}", "RSS floor"),
        _row(*["---"] * 10),
    ]
    for r in results:
        one, many, floor = r.full[1], r.full.get(cores) if cores > 1 else None, r.floor_total
        ceilings = _ceilings(r)
        of_ceiling = f"{one.wall / many.wall / noise.median(ceilings):.0%}" if many and ceilings else "—"
        lines.append(_row(r.n, _t(one), _t(many), _ratio(one, many), of_ceiling, _t(floor), _ratio(one, floor),
                          _mb(one), _mb(many), _mb(floor)))
    return lines


def _formats(results: list["SizeResult"]) -> list[str]:
    lines = [
        "### Per format, -j 1 (one format per build and per floor process; ms per article [spread], wall time ÷ N)",
        "",
        "The floor's in-process column leaves out interpreter start and imports (for comparison only).",
        "",
        _row("N", "format", "pressrun", "floor", "pressrun ÷ floor", "floor in-process", "RSS pressrun", "RSS floor"),
        _row(*["---"] * 8),
    ]
    for r in results:
        for fmt in FORMATS:
            p, f = r.per_format[fmt], r.floor_format[fmt]
            inproc = (r.floor_steps.get(fmt, 0) + r.floor_steps.get("parse", 0) / len(FORMATS)) * 1000 / r.n
            lines.append(_row(r.n, fmt, _t(p, 1000 / r.n, 1), _t(f, 1000 / r.n, 1), _ratio(p, f), f"{inproc:.1f}",
                              _mb(p), _mb(f)))
        if r.issue_all:  # the EPUB build again, every article in the issue: what the issue adds (memory above all)
            lines.append(_row(r.n, "epub, issue of every article", _t(r.issue_all, 1000 / r.n, 1), "", "", "",
                              _mb(r.issue_all), ""))
        steps = ", ".join(f"{k} {v * 1000 / r.n:.1f}" for k, v in r.floor_steps.items())
        lines.append(_row(r.n, "*floor in one process*", "", "", "", steps + " ms/article", "", ""))
    return lines


def _world(results: list["SizeResult"]) -> list[str]:
    """The PDF per article in each kind of script: what shaping, bidi and dictionary line breaking cost."""
    rows = [r for r in results if r.world]
    if not rows:
        return []
    lines = [
        "### PDF per article by script (-j 1; one PDF build of N articles of each kind; ms per article [spread])",
        "",
        "The first row's articles are today's (the six scripts DejaVu sets, no shaping); the others are the same "
        "kind of story in Arabic and Hebrew, Chinese, Japanese and Korean, Hindi, Bengali and Tamil.",
        "",
        _row("N", "articles", "ms per article", "÷ six scripts", "RSS"),
        _row(*["---"] * 5),
    ]
    for r in rows:
        base = next(iter(r.world.values()))
        for kind, s in r.world.items():
            lines.append(_row(r.world_n, kind, _t(s, 1000 / r.world_n, 1), _ratio(s, base), _mb(s)))
    return lines


def _pandoc(results: list["SizeResult"], cores: int) -> list[str]:
    rows = [r for r in results if r.pandoc]
    if not rows:
        return ["### pandoc", "", "pandoc not on PATH (or --quick): not measured."]
    lines = [
        "### DOCX + EPUB vs pandoc (pandoc: one process per article and format, as a Makefile would; seconds [spread])",
        "",
        _row("N", "pandoc 1 at a time", f"pandoc {cores} at a time", "pressrun -j 1", f"pressrun -j {cores}",
             "pandoc(1) ÷ pressrun -j 1", f"pandoc(1) ÷ pressrun -j {cores}", f"pandoc({cores}) ÷ pressrun -j {cores}"),
        _row(*["---"] * 8),
    ]
    for r in rows:
        one, many = r.docx_epub[1], r.docx_epub[max(r.docx_epub)]
        ser, par = r.pandoc["serial"], r.pandoc.get("parallel", r.pandoc["serial"])
        lines.append(_row(r.n, _t(ser), _t(par), _t(one), _t(many), _ratio(ser, one), _ratio(ser, many), _ratio(par, many)))
    return lines


def _incremental(results: list["SizeResult"]) -> list[str]:
    r = results[-1]
    if r.noop is None:
        return []
    jobs = max(r.full)
    full = r.full[jobs]
    rows = [("no-op", r.noop, "no-op"), ("one older article changed", r.changed, "one changed"),
            ("the newest article changed (every feed it is in, the issue)", r.changed_newest, "newest changed")]
    lines = [
        f"### Incremental rebuilds at N = {r.n} (-j {jobs}, same output folder, right after the full build of each round)",
        "",
        _row("build", "seconds", "of the full build", "pressrun says"),
        _row(*["---"] * 4),
        _row("full (clean)", _t(full), "100%", ""),
    ]
    for label, s, key in rows:
        if s is not None:
            lines.append(_row(label, _t(s), f"{100 * s.wall / full.wall:.1f}%", r.rendered.get(key, "")))
    return lines


def _cluster(results: list["SizeResult"], cores: int) -> list[str]:
    """`--cluster local:N` against `-j N` (issue 18), Dask's cost per task and the client's write throughput."""
    r = next((r for r in reversed(results) if r.cluster), None)
    if r is None:
        return ["### On a Dask cluster", "", "Not measured (--quick, one core, or Dask's distributed not installed)."]
    local, stats = r.full[cores], r.cluster_stats
    rendered, seconds, size = stats.get("rendered", 0), stats.get("write_seconds", 0), stats.get("bytes_written", 0)
    from pressrun.cluster.client import BATCH as batch  # articles per task
    return [
        f"### On a Dask cluster, N = {r.n} (all formats, clean output folder, interleaved with -j {cores})",
        "",
        _row(f"pressrun -j {cores}", f"--cluster local:{cores}", "cluster ÷ -j", "Dask per task (empty tasks)",
             f"… per article ({batch} a task)", "client writes", "client write throughput"),
        _row(*["---"] * 7),
        _row(f"{_t(local)} s", f"{_t(r.cluster)} s", _ratio(r.cluster, local),
             f"{r.dask_task_ms:.2f} ms" if r.dask_task_ms else "—",
             f"{r.dask_task_ms / batch:.2f} ms" if r.dask_task_ms else "—",
             f"{seconds * 1000 / rendered:.2f} ms/article" if rendered else "—",
             f"{rendered / seconds:.0f} articles/s, {size / seconds / 1e6:.0f} MB/s" if seconds else "—"),
    ]


Named = tuple[str, "Series | None"]  # a series and the name a noise reason calls it by


def _judge(name: str, a: Named, b: Named, limit: float, r: "SizeResult", cores: int, below: bool = True) -> Target:
    """A ratio target a ÷ b ≤ limit (or ≥ with below=False), noisy when either side or the machine was."""
    (a_name, a_s), (b_name, b_s) = a, b
    if a_s is None or b_s is None:
        return Target(name, "not measured", None, [])
    value = a_s.wall / b_s.wall
    reasons = noise.series_reasons({f"{a_name}, N={r.n}": a_s.walls, f"{b_name}, N={r.n}": b_s.walls})
    reasons += noise.agreement_reasons(noise.ratios(a_s.walls, b_s.walls), limit, below)
    reasons += noise.window_reasons(r.before, r.after, cores)
    return Target(name, _ratio(a_s, b_s), value <= limit if below else value >= limit, reasons)


def _speedup(big: "SizeResult", cores: int) -> Target:
    name = f"-j {cores} at N=1000 within {noise.CEILING_MARGIN:.0%} of the machine's parallel ceiling"
    one, many, ceilings = big.full.get(1), big.full.get(cores) if cores > 1 else None, _ceilings(big)
    if one is None or many is None or not ceilings:
        return Target(name, "not measured (one core or --quick)", None, [])
    speed, ceiling = one.wall / many.wall, noise.median(ceilings)
    reasons = noise.series_reasons({f"-j 1, N={big.n}": one.walls, f"-j {cores}, N={big.n}": many.walls})
    per_round = [s / ceiling for s in noise.ratios(one.walls, many.walls)]  # each round's share of the ceiling
    reasons += noise.agreement_reasons(per_round, 1 - noise.CEILING_MARGIN, below=False)
    reasons += noise.ceiling_reasons(ceilings) + noise.window_reasons(big.before, big.after, cores)
    return Target(name, f"{_ratio(one, many)} of {ceiling:.2f}× ({speed / ceiling:.0%})",
                  speed >= (1 - noise.CEILING_MARGIN) * ceiling, reasons)


def _rebuild_targets(last: "SizeResult", cores: int) -> list[Target]:
    names = ("no-op rebuild of 1000: < 3% of a full build",
             "one changed of 1000: < 5% of a full build (the slower of an older and the newest article)")
    if last.n != 1000 or last.noop is None or last.changed is None:
        return [Target(n, "N=1000 not measured (or --quick)", None, []) for n in names]
    full = last.full[max(last.full)]
    worst = max((s for s in (last.changed, last.changed_newest) if s), key=lambda s: s.wall)
    out = []
    jobs = f"-j {max(last.full)}"
    for name, s, label, limit in ((names[0], last.noop, "no-op", 0.03), (names[1], worst, "one changed", 0.05)):
        t = _judge(name, (label, s), (jobs, full), limit, last, cores)
        per_round = noise.ratios(s.walls, full.walls)
        shown = f" [{100 * min(per_round):.1f}–{100 * max(per_round):.1f}%]" if len(per_round) > 1 else ""
        out.append(Target(name, f"{100 * s.wall / full.wall:.1f}%{shown}", t.ok, t.reasons))
    return out


def _issue_memory(big: "SizeResult", mid: "SizeResult") -> Target:
    """The issue of every article (an EPUB build with ``issue: {limit: all}``), streamed into its file: its peak
    memory at N=1000 within 1.2× that at N=100, like the whole build's."""
    name = "issue of every article (EPUB alone, -j 1): peak RSS at N=1000 ≤ 1.2× N=100"
    if big.issue_all is None or mid.issue_all is None:
        return Target(name, "not measured", None, [])
    growth = big.issue_all.rss_mb / mid.issue_all.rss_mb
    return Target(name, f"{growth:.2f}× ({big.issue_all.rss_mb:.0f} vs {mid.issue_all.rss_mb:.0f} MB)", growth <= 1.2, [])


def targets(results: list["SizeResult"], cores: int) -> list[Target]:
    """Issue 19's targets (and issue 18's cluster row), each judged on the size it names."""
    by_n = {r.n: r for r in results}
    big, mid = by_n.get(1000), by_n.get(100)
    out: list[Target] = []
    if big:
        out.append(_judge("all formats, N=1000, one process: ≤ 1.10× the floor", ("-j 1", big.full[1]),
                          ("floor", big.floor_total), 1.10, big, cores))
        for fmt, limit in (("epub", 2.0), ("pdf", 1.25)):
            out.append(_judge(f"{fmt.upper()}, N=1000: ≤ {limit:g}× its floor per article",
                              (f"{fmt} pressrun", big.per_format[fmt]), (f"{fmt} floor", big.floor_format[fmt]),
                              limit, big, cores))
    else:
        out.append(Target("N=1000 targets (floor ratios, -j speed-up, RSS growth)", "N=1000 not in --sizes", None, []))
    pandoc_name = "DOCX + EPUB, N=100, one core each: ≥ 4× faster than pandoc once per article and format"
    if mid and mid.pandoc:
        out.append(_judge(pandoc_name, ("pandoc serial", mid.pandoc["serial"]), ("docx+epub -j 1", mid.docx_epub[1]),
                          4.0, mid, cores, below=False))
    else:
        out.append(Target(pandoc_name, "not measured (no pandoc, --quick or N=100 absent)", None, []))
    if big:
        out.append(_speedup(big, cores))
        if mid:  # memory does not wait for a quiet machine: no noise reasons
            growth = big.full[1].rss_mb / mid.full[1].rss_mb
            out.append(Target("peak RSS at N=1000 ≤ 1.2× N=100 (-j 1)",
                              f"{growth:.2f}× ({big.full[1].rss_mb:.0f} vs {mid.full[1].rss_mb:.0f} MB)", growth <= 1.2, []))
            out.append(_issue_memory(big, mid))
    out += _rebuild_targets(results[-1], cores)
    if big and big.cluster:
        out.append(_judge(f"--cluster local:{cores} at N=1000: ≤ 1.10× -j {cores} (issue 18)", ("cluster", big.cluster),
                          (f"-j {cores}", big.full[cores]), 1.10, big, cores))
    return out


def _verdicts(results: list["SizeResult"], cores: int) -> list[str]:
    lines = ["### Targets (issue 19; the cluster row issue 18)", "",
             f"A verdict is given only on measurements of ≥ {noise.MIN_ROUNDS} interleaved rounds on a quiet machine "
             "(see Conditions) whose rounds all give it: each round's ratio compares builds measured next to each "
             "other; otherwise it is **noisy**, with the reason.", "",
             _row("target", "measured (median [per-round range])", "verdict", "conditions"), _row(*["---"] * 4)]
    for t in targets(results, cores):
        shown = t.verdict if t.verdict == "n/a" else f"**{t.verdict}**"
        lines.append(_row(t.name, t.measured, shown, "; ".join(t.reasons) or ("quiet" if t.ok is not None else "")))
    return lines


def _head(info: RunInfo) -> list[str]:
    tree = info.tree
    return [
        "# pressrun benchmark",
        "",
        f"Run {info.started} on {platform.machine()} with {info.cores} core(s), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; pressrun {tree.get('pressrun', '?')} at commit {tree.get('commit', '?')}"
        + (" — **--quick**" if info.quick else "") + ".",
        f"Every time is the median of {info.rounds} interleaved round(s) with its spread, (max − min) ÷ median, in "
        "brackets; the builds compared in a table take turns in every round (A B, then B A, then A B …), so a slow "
        "moment or a drift of the machine hits both sides, and a ratio's brackets give the range of its per-round ratios.",
        "Reproduce: `make bench` (or `.venv/bin/python -m bench.run --sizes 1,100,1000 --rounds 5 --write`).",
        *([f"Sources and outputs in `{tree['scratch']}`"
           + (" (RAM-backed: the disk's noise is left out, for pressrun and the floor alike)." if tree["scratch"] == "/dev/shm"
              else ".")] if "scratch" in tree else []),
        "Articles: `bench/generate.py` (600–900 words, six scripts, a lead image on every third; the per-script PDF rows "
        "add Arabic, Hebrew, Chinese, Japanese, Korean, Hindi, Bengali and Tamil ones). "
        "Floor: `bench/floor.py` (bare markdown-it-py, PyYAML, reportlab, python-docx, EbookLib, feedgen, Jinja2 calls).",
        "",
    ]


def render(results: list["SizeResult"], info: RunInfo) -> str:
    helps: Sequence[float] = info.help_ms
    cores = info.cores
    body = _conditions(results, cores) + [""] + _whole(results, cores) + [""] + _formats(results) + [""]
    body += _world(results) + [""] + _pandoc(results, cores) + [""] + _incremental(results) + [""] + _cluster(results, cores)
    body += ["", f"### `pressrun --help`: median {statistics.median(helps):.0f} ms of {len(helps)} runs "
             f"(min {min(helps):.0f}, max {max(helps):.0f})", ""]
    body += _verdicts(results, cores)
    return "\n".join(_head(info) + body) + "\n"
