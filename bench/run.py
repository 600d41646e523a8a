"""pressrun's benchmark (issue 8): pressrun vs the bare libraries (the floor) vs pandoc, on synthetic articles.

    .venv/bin/python -m bench.run [--sizes 1,100,1000] [--quick] [--write] [--json FILE]

Every timing is one fresh process (see bench.measure), each build into a fresh
output folder, so pressrun and the floor pay the same interpreter start and imports.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # `python bench/run.py`: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import cluster as bench_cluster, measure, report
from bench.floor import FORMATS
from bench.generate import generate
from bench.words import WORLD_GROUPS

ROOT = Path(__file__).resolve().parent.parent
PANDOC_MAX_N = 100  # pandoc spawns one process per article and format: beyond this it only costs time
WORLD_MAX_N = 30  # articles per kind of script in the per-script PDF rows: enough to amortise start-up, and quick


@dataclass
class SizeResult:
    n: int
    full: dict[int, measure.Sample] = field(default_factory=dict)  # jobs -> all formats, clean out dir
    per_format: dict[str, measure.Sample] = field(default_factory=dict)  # -j 1, one format per build
    floor_total: measure.Sample | None = None
    floor_format: dict[str, measure.Sample] = field(default_factory=dict)
    floor_steps: dict[str, float] = field(default_factory=dict)  # in-process seconds per step (all formats)
    docx_epub: dict[int, measure.Sample] = field(default_factory=dict)  # jobs -> docx+epub only
    pandoc: dict[str, float] = field(default_factory=dict)  # "serial" / "parallel" -> seconds
    noop: measure.Sample | None = None
    changed: measure.Sample | None = None  # an older article (in the middle of the archive)
    changed_newest: measure.Sample | None = None  # the newest: in every feed it can be in, and in the issue
    rendered: dict[str, str] = field(default_factory=dict)  # rebuild -> pressrun's summary line
    world_n: int = 0  # articles of each kind of script in ``world``
    world: dict[str, measure.Sample] = field(default_factory=dict)  # kind of script -> PDF build, -j 1
    cluster: measure.Sample | None = None  # --cluster local:<cores>, all formats, clean out dir (largest N)
    cluster_stats: dict[str, float] = field(default_factory=dict)  # the client's writing: rendered, seconds, bytes
    dask_task_ms: float | None = None  # Dask's own wall cost per (empty) task on a LocalCluster of <cores> workers


def _log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _build(src: Path, out: Path, jobs: int, formats: list[str] | None = None, force: bool = False,
           cluster: str | None = None) -> measure.Sample:
    cmd = [*measure.pressrun_cmd(), "build", "--source", str(src), "--out", str(out), "--styles", str(ROOT / "styles"), "-j", str(jobs)]
    if formats:
        cmd += ["--format", ",".join(formats)]
    if force:
        cmd.append("--force")
    if cluster:
        cmd += ["--cluster", cluster]
    sample = measure.run(cmd, cwd=ROOT, env={**os.environ, "PRESSRUN_STATS": "1"})
    how = f"--cluster {cluster}" if cluster else f"-j {jobs}"
    _log(f"pressrun {how} {','.join(formats or ['all'])}: {sample.wall:.2f} s, {sample.rss_mb:.0f} MB")
    return sample


def _floor(src: Path, out: Path, formats: list[str]) -> measure.Sample:
    sample = measure.run([sys.executable, "-m", "bench.floor", "--source", str(src), "--out", str(out), "--formats", ",".join(formats)], cwd=ROOT)
    _log(f"floor {','.join(formats)}: {sample.wall:.2f} s, {sample.rss_mb:.0f} MB")
    return sample


def _pandoc(exe: str, src: Path, out: Path, workers: int) -> float:
    """pandoc the way a Makefile would: one process per article and format (``make -j workers``)."""
    out.mkdir(parents=True)
    jobs = [(md, out / f"{md.stem}.{ext}") for md in sorted(src.glob("*.md")) for ext in ("docx", "epub")]

    def one(job: tuple[Path, Path]) -> None:
        subprocess.run([exe, job[0].name, "-o", str(job[1])], cwd=src, check=True, capture_output=True)

    t = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, jobs))
    wall = time.perf_counter() - t
    _log(f"pandoc x{workers}: {wall:.2f} s")
    return wall


def _summary(sample: measure.Sample) -> str:
    """pressrun's own count, e.g. "0 rendered, 1000 unchanged", to show a rebuild did what it claims."""
    found = re.search(r"\((\d+ rendered, \d+ unchanged)\)", sample.stderr)
    return found.group(1) if found else "?"


def bench_size(n: int, largest: bool, quick: bool, cores: int, tmp: Path) -> SizeResult:
    res = SizeResult(n)
    src = tmp / "source"
    generate(src, n)
    _log(f"N={n}: {n} articles generated")
    res.full[1] = _build(src, tmp / "out-j1", 1)
    if not quick and cores > 1:
        res.full[cores] = _build(src, tmp / f"out-j{cores}", cores)
    if largest and not quick and cores > 1 and bench_cluster.available():
        res.cluster = _build(src, tmp / "out-cluster", cores, cluster=f"local:{cores}")
        res.cluster_stats = bench_cluster.stats(res.cluster.stderr)
        res.dask_task_ms = bench_cluster.task_overhead_ms(cores)
        _log(f"Dask: {res.dask_task_ms:.2f} ms per empty task on local:{cores}")
    if largest:  # right after the full build whose output folder it reuses
        out = tmp / f"out-j{max(res.full)}"
        res.noop = _build(src, out, max(res.full))
        res.rendered = {"no-op": _summary(res.noop)}
        if not quick:
            files = sorted(src.glob("*.md"))
            newest = max(files, key=lambda f: (re.search(r"^published: *(.+)$", f.read_text(encoding="utf-8"), re.M).group(1), f.name))
            for attr, label, target in (("changed", "one changed", files[n // 2]), ("changed_newest", "newest changed", newest)):
                original = target.read_text(encoding="utf-8")
                target.write_text(original + "\nOne more paragraph, added by the benchmark.\n", encoding="utf-8")
                setattr(res, attr, _build(src, out, max(res.full)))
                res.rendered[label] = _summary(getattr(res, attr))
                target.write_text(original, encoding="utf-8")  # the rest measures the same articles
                _build(src, out, max(res.full))  # back to the generated articles
    for fmt in FORMATS:
        res.per_format[fmt] = _build(src, tmp / f"out-{fmt}", 1, [fmt], force=True)
    res.floor_total = _floor(src, tmp / "floor-all", list(FORMATS))
    res.floor_steps = json.loads(res.floor_total.stdout)
    for fmt in FORMATS:
        res.floor_format[fmt] = _floor(src, tmp / f"floor-{fmt}", [fmt])
    bench_world(res, tmp)
    exe = measure.pandoc()
    if exe and not quick and n <= PANDOC_MAX_N:
        for jobs in sorted({1, cores}):
            res.docx_epub[jobs] = _build(src, tmp / f"out-de-j{jobs}", jobs, ["docx", "epub"])
        res.pandoc["serial"] = _pandoc(exe, src, tmp / "pandoc-1", 1)
        if cores > 1:
            res.pandoc["parallel"] = _pandoc(exe, src, tmp / "pandoc-n", cores)
    return res


def bench_world(res: SizeResult, tmp: Path) -> None:
    """The PDF of the same number of articles in each kind of script (issue 14): today's six scripts, which need
    no shaping, then right-to-left, CJK and Indic ones, each built alone with -j 1."""
    res.world_n = min(res.n, WORLD_MAX_N)
    for k, (kind, languages) in enumerate(WORLD_GROUPS.items()):
        src = tmp / f"world-{k}"
        generate(src, res.world_n, languages=languages)
        res.world[kind] = _build(src, tmp / f"out-world-{k}", 1, ["pdf"], force=True)


def help_ms(runs: int) -> list[float]:
    return [measure.run([*measure.pressrun_cmd(), "--help"]).wall * 1000 for _ in range(runs)]


def describe_tree() -> dict[str, str]:
    """Which pressrun was measured: the module path (PYTHONPATH may point at a snapshot) and the commit."""
    where = subprocess.run([sys.executable, "-c", "import pressrun; print(pressrun.__file__, pressrun.__version__)"],
                           capture_output=True, text=True).stdout.strip()
    git = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "src"], capture_output=True, text=True).stdout.strip()
    if os.environ.get("PYTHONPATH"):
        where += f" (PYTHONPATH={os.environ['PYTHONPATH']})"
    return {"pressrun": where, "commit": git + (" (src/ modified)" if dirty else "")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="pressrun benchmark: pressrun vs the bare libraries vs pandoc")
    parser.add_argument("--sizes", default="1,100,1000", help="comma-separated article counts (default 1,100,1000)")
    parser.add_argument("--quick", action="store_true", help="one core, no pandoc, fewer --help runs (for the smoke test)")
    parser.add_argument("--write", action="store_true", help="also write the table to bench/results.md")
    parser.add_argument("--json", type=Path, help="also dump the raw measurements here (after every size)")
    parser.add_argument("--from-json", type=Path, help="no measuring: print the table of an earlier --json dump")
    args = parser.parse_args(argv)
    if args.from_json:
        raw = json.loads(args.from_json.read_text(encoding="utf-8"))
        text = report.render([_load(r) for r in raw["sizes"]], raw["help_ms"], raw["cores"], raw["started"], raw["tree"], raw["quick"])
        return _emit(text, args.write)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    cores = measure.cores()
    started = time.strftime("%Y-%m-%d %H:%M")
    results: list[SizeResult] = []
    helps = help_ms(3 if args.quick else 11)
    _log(f"pressrun --help: median {statistics.median(helps):.0f} ms")
    tree = describe_tree()
    if cores > 1:
        tree["ceiling"] = f"{measure.parallel_ceiling(cores, repeats=1 if args.quick else 3):.2f}"
        _log(f"{cores} CPU-bound processes at once: {tree['ceiling']}× one")
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix=f"pressrun-bench-{n}-") as tmp:
            results.append(bench_size(n, n == sizes[-1], args.quick, cores, Path(tmp)))
        tree["load"] = _load_average()  # other work on the machine skews every number: say so
        if args.json:
            raw = {"help_ms": helps, "cores": cores, "started": started, "tree": tree, "quick": args.quick,
                   "sizes": [asdict(r) for r in results]}
            args.json.write_text(json.dumps(raw, indent=1), encoding="utf-8")
    return _emit(report.render(results, helps, cores, started, tree, args.quick), args.write)


def _emit(text: str, write: bool) -> int:
    print(text)
    if write:
        (ROOT / "bench" / "results.md").write_text(text, encoding="utf-8")
    return 0


def _load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def _load(raw: dict) -> SizeResult:
    """A SizeResult back from its --json form (JSON turned the jobs keys into strings)."""
    sample = lambda d: measure.Sample(**d) if d else None  # noqa: E731
    return SizeResult(
        n=raw["n"], full={int(k): sample(v) for k, v in raw["full"].items()},
        per_format={k: sample(v) for k, v in raw["per_format"].items()}, floor_total=sample(raw["floor_total"]),
        floor_format={k: sample(v) for k, v in raw["floor_format"].items()}, floor_steps=raw["floor_steps"],
        docx_epub={int(k): sample(v) for k, v in raw["docx_epub"].items()}, pandoc=raw["pandoc"],
        noop=sample(raw["noop"]), changed=sample(raw["changed"]), changed_newest=sample(raw.get("changed_newest")), rendered=raw["rendered"],
        world_n=raw.get("world_n", 0), world={k: sample(v) for k, v in raw.get("world", {}).items()},
        cluster=sample(raw.get("cluster")), cluster_stats=raw.get("cluster_stats", {}), dask_task_ms=raw.get("dask_task_ms"),
    )


if __name__ == "__main__":
    sys.exit(main())
