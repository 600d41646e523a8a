"""The benchmark's tables (Markdown) and issue 8's targets, met or missed."""

from __future__ import annotations

import platform
import statistics
from typing import TYPE_CHECKING

from bench.floor import FORMATS

if TYPE_CHECKING:
    from bench.run import SizeResult


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "—"


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _whole(results: list["SizeResult"], cores: int) -> list[str]:
    jn = f"-j {cores}"
    lines = [
        "### Whole build, all formats (clean output folder; seconds, peak RSS of the largest process)",
        "",
        _row("N", "pressrun -j 1", f"pressrun {jn}", "speed-up", "floor", "pressrun -j 1 ÷ floor",
             "RSS -j 1", f"RSS {jn}", "RSS floor"),
        _row(*["---"] * 9),
    ]
    for r in results:
        one, many, floor = r.full[1], r.full.get(cores), r.floor_total
        lines.append(_row(
            r.n, f"{one.wall:.2f}", f"{many.wall:.2f}" if many else "—", _ratio(one.wall, many.wall) if many else "—",
            f"{floor.wall:.2f}", _ratio(one.wall, floor.wall),
            f"{one.rss_mb:.0f} MB", f"{many.rss_mb:.0f} MB" if many else "—", f"{floor.rss_mb:.0f} MB",
        ))
    return lines


def _formats(results: list["SizeResult"]) -> list[str]:
    lines = [
        "### Per format, -j 1 (one format per build and per floor process; ms per article, wall time ÷ N)",
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
            lines.append(_row(r.n, fmt, f"{p.wall * 1000 / r.n:.1f}", f"{f.wall * 1000 / r.n:.1f}",
                              _ratio(p.wall, f.wall), f"{inproc:.1f}", f"{p.rss_mb:.0f} MB", f"{f.rss_mb:.0f} MB"))
        steps = ", ".join(f"{k} {v * 1000 / r.n:.1f}" for k, v in r.floor_steps.items())
        lines.append(_row(r.n, "*floor in one process*", "", "", "", steps + " ms/article", "", ""))
    return lines


def _world(results: list["SizeResult"]) -> list[str]:
    """The PDF per article in each kind of script: what shaping, bidi and dictionary line breaking cost."""
    rows = [r for r in results if r.world]
    if not rows:
        return []
    lines = [
        "### PDF per article by script (-j 1; one PDF build of N articles of each kind; ms per article, wall time ÷ N)",
        "",
        "The first row's articles are today's (the six scripts DejaVu sets, no shaping); the others are the same "
        "kind of story in Arabic and Hebrew, Chinese, Japanese and Korean, Hindi, Bengali and Tamil.",
        "",
        _row("N", "articles", "ms per article", "÷ six scripts", "RSS"),
        _row(*["---"] * 5),
    ]
    for r in rows:
        base = next(iter(r.world.values())).wall
        for kind, sample in r.world.items():
            lines.append(_row(r.world_n, kind, f"{sample.wall * 1000 / r.world_n:.1f}", _ratio(sample.wall, base),
                              f"{sample.rss_mb:.0f} MB"))
    return lines


def _pandoc(results: list["SizeResult"], cores: int) -> list[str]:
    rows = [r for r in results if r.pandoc]
    if not rows:
        return ["### pandoc", "", "pandoc not on PATH (or --quick): not measured."]
    lines = [
        "### DOCX + EPUB vs pandoc (pandoc: one process per article and format, as a Makefile would; seconds)",
        "",
        _row("N", "pandoc 1 at a time", f"pandoc {cores} at a time", "pressrun -j 1", f"pressrun -j {cores}",
             "pandoc(1) ÷ pressrun -j 1", f"pandoc(1) ÷ pressrun -j {cores}", f"pandoc({cores}) ÷ pressrun -j {cores}"),
        _row(*["---"] * 8),
    ]
    for r in rows:
        one, many = r.docx_epub[1].wall, r.docx_epub[max(r.docx_epub)].wall
        ser, par = r.pandoc["serial"], r.pandoc.get("parallel", r.pandoc["serial"])
        lines.append(_row(r.n, f"{ser:.2f}", f"{par:.2f}", f"{one:.2f}", f"{many:.2f}",
                          _ratio(ser, one), _ratio(ser, many), _ratio(par, many)))
    return lines


def _incremental(results: list["SizeResult"], cores: int) -> list[str]:
    r = results[-1]
    if r.noop is None:
        return []
    full = r.full[max(r.full)].wall
    jobs = max(r.full)
    return [
        f"### Incremental rebuilds at N = {r.n} (-j {jobs}, same output folder)",
        "",
        _row("build", "seconds", "of the full build", "pressrun says"),
        _row(*["---"] * 4),
        _row("full (clean)", f"{full:.2f}", "100%", ""),
        _row("no-op", f"{r.noop.wall:.2f}", f"{100 * r.noop.wall / full:.1f}%", r.rendered.get("no-op", "")),
    ] + ([_row("one older article changed", f"{r.changed.wall:.2f}", f"{100 * r.changed.wall / full:.1f}%", r.rendered.get("one changed", ""))]
         if r.changed else []) + ([_row("the newest article changed (every feed it is in, the issue)", f"{r.changed_newest.wall:.2f}",
                                       f"{100 * r.changed_newest.wall / full:.1f}%", r.rendered.get("newest changed", ""))]
                                  if r.changed_newest else [])


def _cluster(results: list["SizeResult"], cores: int) -> list[str]:
    """`--cluster local:N` against `-j N` (issue 18), Dask's cost per task and the client's write throughput."""
    r = next((r for r in reversed(results) if r.cluster), None)
    if r is None:
        return ["### On a Dask cluster", "", "Not measured (--quick, one core, or Dask's distributed not installed)."]
    local, stats = r.full[cores], r.cluster_stats
    rendered, seconds, size = stats.get("rendered", 0), stats.get("write_seconds", 0), stats.get("bytes_written", 0)
    from pressrun.cluster.client import BATCH as batch  # articles per task
    lines = [
        f"### On a Dask cluster, N = {r.n} (all formats, clean output folder)",
        "",
        _row(f"pressrun -j {cores}", f"--cluster local:{cores}", "cluster ÷ -j", "Dask per task (empty tasks)",
             f"… per article ({batch} a task)", "client writes", "client write throughput"),
        _row(*["---"] * 7),
        _row(f"{local.wall:.2f} s", f"{r.cluster.wall:.2f} s", _ratio(r.cluster.wall, local.wall),
             f"{r.dask_task_ms:.2f} ms" if r.dask_task_ms else "—",
             f"{r.dask_task_ms / batch:.2f} ms" if r.dask_task_ms else "—",
             f"{seconds * 1000 / rendered:.2f} ms/article" if rendered else "—",
             f"{rendered / seconds:.0f} articles/s, {size / seconds / 1e6:.0f} MB/s" if seconds else "—"),
    ]
    return lines


def targets(results: list["SizeResult"], helps: list[float], cores: int, tree: dict[str, str]) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) — met is None when this run did not measure it."""
    by_n = {r.n: r for r in results}
    out: list[tuple[str, str, bool | None]] = []
    big, mid = by_n.get(1000), by_n.get(100)
    if big:
        ratio = big.full[1].wall / big.floor_total.wall
        out.append(("all formats, N=1000, 1 process: ≤ 1.25× the floor", f"{ratio:.2f}×", ratio <= 1.25))
        if cores in big.full and cores > 1:
            speed = big.full[1].wall / big.full[cores].wall
            ceiling = f" (machine ceiling {tree['ceiling']}×)" if "ceiling" in tree else ""
            out.append((f"all formats, N=1000: ≥ 1.8× faster with {cores} processes than 1", f"{speed:.2f}×{ceiling}", speed >= 1.8))
        else:
            out.append(("all formats, N=1000: ≥ 1.8× faster with all cores than 1", "not measured", None))
    else:
        out.append(("N=1000 targets (floor ratio, speed-up, RSS)", "N=1000 not in --sizes", None))
    if mid and mid.pandoc:
        ser, par = mid.pandoc["serial"], mid.pandoc.get("parallel", mid.pandoc["serial"])
        many = mid.docx_epub[max(mid.docx_epub)].wall
        out.append((f"DOCX+EPUB, N=100: ≥ 3× faster than pandoc per article (pressrun -j {cores} vs pandoc one at a time)",
                    f"{ser / many:.2f}×", ser / many >= 3))
        out.append(("… like for like, 1 core each (pressrun -j 1 vs pandoc one at a time)",
                    f"{ser / mid.docx_epub[1].wall:.2f}×", ser / mid.docx_epub[1].wall >= 3))
        out.append((f"… like for like, {cores} cores each (pressrun -j {cores} vs pandoc {cores} at a time)",
                    f"{par / many:.2f}×", par / many >= 3))
    else:
        out.append(("DOCX+EPUB, N=100: ≥ 3× faster than pandoc", "not measured (no pandoc, --quick or N=100 absent)", None))
    last = results[-1]
    if last.noop and last.changed and last.n == 1000:
        full = last.full[max(last.full)].wall
        out.append(("no-op rebuild of 1000: < 3% of a full build", f"{100 * last.noop.wall / full:.1f}%", last.noop.wall / full < 0.03))
        worst = max(x.wall for x in (last.changed, last.changed_newest) if x)
        out.append(("one changed of 1000: < 5% of a full build (the slower of an older and the newest article)",
                    f"{100 * worst / full:.1f}%", worst / full < 0.05))
    else:
        out.append(("rebuilds at N=1000 (no-op < 3%, one changed < 5%)", "N=1000 not measured", None))
    clustered = next((r for r in reversed(results) if r.cluster and r.n == 1000), None)
    if clustered:
        ratio = clustered.cluster.wall / clustered.full[cores].wall
        out.append((f"--cluster local:{cores} at N=1000: ≤ 1.10× -j {cores}", f"{ratio:.2f}×", ratio <= 1.10))
    med = statistics.median(helps)
    out.append(("`pressrun --help` < 150 ms wall (median)", f"{med:.0f} ms", med < 150))
    if big:
        peak = max(s.rss_mb for s in big.full.values())
        out.append(("peak RSS at N=1000 < 400 MB (largest process, any -j)", f"{peak:.0f} MB", peak < 400))
        if mid:
            growth = big.full[1].rss_mb / mid.full[1].rss_mb
            out.append(("peak RSS at N=1000 ≤ 1.2× N=100 (-j 1)", f"{growth:.2f}× ({big.full[1].rss_mb:.0f} vs {mid.full[1].rss_mb:.0f} MB)", growth <= 1.2))
    return out


def render(results: list["SizeResult"], helps: list[float], cores: int, started: str, tree: dict[str, str], quick: bool) -> str:
    head = [
        "# pressrun benchmark",
        "",
        f"Run {started} on {platform.machine()} with {cores} core(s), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; pressrun {tree.get('pressrun', '?')} at commit {tree.get('commit', '?')}"
        + (" — **--quick**" if quick else "") + ".",
        f"Load average (1, 5, 15 min) when the last size finished: {tree.get('load', '?')} (the benchmark's own "
        "builds count for 1–2 of it; more means other work shared the cores and skewed the timings).",
        (f"Parallel ceiling: {cores} CPU-bound processes at once finished {tree['ceiling']}× as fast as one after "
         "another (the best any -j speed-up can do on this machine in this run)." if "ceiling" in tree
         else "Parallel ceiling: not measured in this run."),
        "Reproduce: `make bench` (or `.venv/bin/python -m bench.run --sizes 1,100,1000 --write`).",
        "Articles: `bench/generate.py` (600–900 words, six scripts, a lead image on every third; the per-script PDF rows "
        "add Arabic, Hebrew, Chinese, Japanese, Korean, Hindi, Bengali and Tamil ones). "
        "Floor: `bench/floor.py` (bare markdown-it-py, PyYAML, reportlab, python-docx, EbookLib, feedgen, Jinja2 calls).",
        "",
    ]
    body = _whole(results, cores) + [""] + _formats(results) + [""] + _world(results) + [""] + _pandoc(results, cores)
    body += [""] + _incremental(results, cores) + [""] + _cluster(results, cores)
    body += ["", f"### `pressrun --help`: median {statistics.median(helps):.0f} ms of {len(helps)} runs "
             f"(min {min(helps):.0f}, max {max(helps):.0f})", "", "### Issue 8 targets", "",
             _row("target", "measured", "verdict"), _row("---", "---", "---")]
    for name, value, met in targets(results, helps, cores, tree):
        body.append(_row(name, value, "n/a" if met is None else ("**met**" if met else "**missed**")))
    return "\n".join(head + body) + "\n"
