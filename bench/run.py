"""pressrun's benchmark (issue 8): pressrun vs the bare libraries (the floor) vs pandoc, on synthetic articles.

    .venv/bin/python -m bench.run [--sizes 1,100,1000] [--rounds 5] [--quick] [--write] [--json FILE]

Every timing is one fresh process (see bench.measure), each build into a fresh
output folder, so pressrun and the floor pay the same interpreter start and imports.
Every comparison is measured interleaved (issue 19): the builds being compared take
turns, round after round (A B, B A, A B …), and the tables give each one's median and
spread; the machine is watched between sizes (bench.noise says when it was too busy).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # `python bench/run.py`: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import cluster as bench_cluster, measure, noise, report
from bench.floor import FORMATS
from bench.generate import generate
from bench.measure import Sample, Series
from bench.words import WORLD_GROUPS

ROOT = Path(__file__).resolve().parent.parent
PANDOC_MAX_N = 100  # pandoc spawns one process per article and format: beyond this it only costs time
WORLD_MAX_N = 30  # articles per kind of script in the per-script PDF rows: enough to amortise start-up, and quick
DUMP_VERSION = 2  # 2: every measurement a list of rounds, checkpoints around every size (issue 19)

# One round of one label: named samples (a build, and after it the rebuilds that reuse its output folder).
Step = Callable[[int], dict[str, Sample]]


@dataclass
class SizeResult:
    n: int
    full: dict[int, Series] = field(default_factory=dict)  # jobs -> all formats, clean out dir
    per_format: dict[str, Series] = field(default_factory=dict)  # -j 1, one format per build
    floor_total: Series | None = None
    floor_format: dict[str, Series] = field(default_factory=dict)
    floor_steps: dict[str, float] = field(default_factory=dict)  # in-process seconds per step (all formats), medians
    docx_epub: dict[int, Series] = field(default_factory=dict)  # jobs -> docx+epub only
    pandoc: dict[str, Series] = field(default_factory=dict)  # "serial" / "parallel"
    noop: Series | None = None
    changed: Series | None = None  # an older article (in the middle of the archive)
    changed_newest: Series | None = None  # the newest: in every feed it can be in, and in the issue
    rendered: dict[str, str] = field(default_factory=dict)  # rebuild -> pressrun's summary line
    world_n: int = 0  # articles of each kind of script in ``world``
    world: dict[str, Series] = field(default_factory=dict)  # kind of script -> PDF build, -j 1
    issue_all: Series | None = None  # EPUB alone with ``issue: {limit: all}``, -j 1: the issue's memory (issue 19)
    cluster: Series | None = None  # --cluster local:<cores>, all formats, clean out dir (largest N)
    cluster_stats: dict[str, float] = field(default_factory=dict)  # the client's writing: rendered, seconds, bytes
    dask_task_ms: float | None = None  # Dask's own wall cost per (empty) task on a LocalCluster of <cores> workers
    before: noise.Checkpoint | None = None  # the machine just before this size's measuring …
    after: noise.Checkpoint | None = None  # … and just after it

    def series(self) -> dict[str, list[float]]:
        """Every timed measurement of this size by name, as wall times per round (for the size's noise line)."""
        named: dict[str, Series | None] = {f"-j {j}": s for j, s in self.full.items()}
        named |= {"floor": self.floor_total, "no-op": self.noop, "one changed": self.changed,
                  "newest changed": self.changed_newest, "cluster": self.cluster, "issue of every article": self.issue_all}
        named |= {f"{f} pressrun": s for f, s in self.per_format.items()}
        named |= {f"{f} floor": s for f, s in self.floor_format.items()}
        named |= {f"docx+epub -j {j}": s for j, s in self.docx_epub.items()}
        named |= {f"pandoc {k}": s for k, s in self.pandoc.items()}
        named |= {f"PDF {k}": s for k, s in self.world.items()}
        return {k: s.walls for k, s in named.items() if s is not None}


def _log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _build(src: Path, out: Path, jobs: int, formats: list[str] | None = None, force: bool = False,
           cluster: str | None = None) -> Sample:
    cmd = [*measure.pressrun_cmd(), "build", "--source", str(src), "--out", str(out), "--styles", str(ROOT / "styles"), "-j", str(jobs)]
    # "All formats" are the floor's five, like for like: the news sitemap and the ninjs wire (issue 21) have no
    # floor, and the wire would go beside the benchmark's output folders.
    cmd += ["--format", ",".join(formats or FORMATS)]
    if force:
        cmd.append("--force")
    if cluster:
        cmd += ["--cluster", cluster]
    sample = measure.run(cmd, cwd=ROOT, env={**os.environ, "PRESSRUN_STATS": "1"})
    how = f"--cluster {cluster}" if cluster else f"-j {jobs}"
    _log(f"pressrun {how} {','.join(formats or ['all'])}: {sample.wall:.2f} s, {sample.rss_mb:.0f} MB")
    return sample


def _floor(src: Path, out: Path, formats: list[str]) -> Sample:
    sample = measure.run([sys.executable, "-m", "bench.floor", "--source", str(src), "--out", str(out), "--formats", ",".join(formats)], cwd=ROOT)
    _log(f"floor {','.join(formats)}: {sample.wall:.2f} s, {sample.rss_mb:.0f} MB")
    return sample


def _pandoc(exe: str, src: Path, out: Path, workers: int) -> Sample:
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
    return Sample(wall, 0.0, "")


def _summary(sample: Sample) -> str:
    """pressrun's own count, e.g. "0 rendered, 1000 unchanged", to show a rebuild did what it claims."""
    found = re.search(r"\((\d+ rendered, \d+ unchanged)\)", sample.stderr)
    return found.group(1) if found else "?"


def _fresh(tmp: Path, name: str, make: Callable[[Path], Sample]) -> Step:
    """A step that builds into a new folder every round and removes it afterwards (N=1000 is ~GBs over rounds)."""
    def step(r: int) -> dict[str, Sample]:
        out = tmp / f"{re.sub(r'[^A-Za-z0-9]+', '-', name).strip('-')}-r{r}"
        try:
            return {name: make(out)}
        finally:
            shutil.rmtree(out, ignore_errors=True)
    return step


def measure_rounds(steps: dict[str, Step], rounds: int) -> dict[str, Series]:
    """Run every step once a round, interleaved (bench.noise.interleave), and gather each name's rounds."""
    gathered: dict[str, list[Sample]] = {}
    for r, label in noise.interleave(list(steps), rounds):
        for name, sample in steps[label](r).items():
            gathered.setdefault(name, []).append(sample)
    return {name: Series(samples) for name, samples in gathered.items()}


def _newest(files: list[Path]) -> Path:
    def published(f: Path) -> tuple[str, str]:
        return re.search(r"^published: *(.+)$", f.read_text(encoding="utf-8"), re.M).group(1), f.name
    return max(files, key=published)


def _rebuilds(src: Path, out: Path, jobs: int, quick: bool) -> dict[str, Sample]:
    """Right after a full build into ``out``: a no-op rebuild, then (not --quick) one older and the newest
    article changed, each put back and rebuilt (unmeasured) so the next round measures the same articles."""
    got = {"no-op": _build(src, out, jobs)}
    if quick:
        return got
    files = sorted(src.glob("*.md"))
    for label, target in (("one changed", files[len(files) // 2]), ("newest changed", _newest(files))):
        original = target.read_text(encoding="utf-8")
        target.write_text(original + "\nOne more paragraph, added by the benchmark.\n", encoding="utf-8")
        try:
            got[label] = _build(src, out, jobs)
        finally:
            target.write_text(original, encoding="utf-8")
        _build(src, out, jobs)  # back to the generated articles
    return got


def _with_rebuilds(src: Path, tmp: Path, jobs: int, quick: bool) -> Step:
    """The full build at ``jobs`` followed, in the same round, by the rebuilds that reuse its output folder."""
    def step(r: int) -> dict[str, Sample]:
        out = tmp / f"out-j{jobs}-{r}"
        try:
            return {f"-j {jobs}": _build(src, out, jobs)} | _rebuilds(src, out, jobs, quick)
        finally:
            shutil.rmtree(out, ignore_errors=True)
    return step


def bench_whole(res: SizeResult, src: Path, tmp: Path, largest: bool, quick: bool, cores: int, rounds: int) -> None:
    """All formats: -j 1, the floor, -j N and (largest N) --cluster local:N, interleaved; rebuilds after -j N."""
    many = cores if not quick and cores > 1 else 1
    steps: dict[str, Step] = {"-j 1": _fresh(tmp, "-j 1", lambda out: _build(src, out, 1)),
                              "floor": _fresh(tmp, "floor", lambda out: _floor(src, out, list(FORMATS)))}
    if many > 1:
        steps[f"-j {many}"] = _fresh(tmp, f"-j {many}", lambda out: _build(src, out, many))
    if largest:
        steps[f"-j {many}"] = _with_rebuilds(src, tmp, many, quick)
    if largest and not quick and cores > 1 and bench_cluster.available():
        steps["cluster"] = _fresh(tmp, "cluster", lambda out: _build(src, out, cores, cluster=f"local:{cores}"))
    got = measure_rounds(steps, rounds)
    res.full = {int(k[3:]): got[k] for k in steps if k.startswith("-j ")}
    res.floor_total = got["floor"]
    res.floor_steps = _median_steps(res.floor_total)
    res.noop, res.changed, res.changed_newest = got.get("no-op"), got.get("one changed"), got.get("newest changed")
    res.rendered = {k: " / ".join(dict.fromkeys(_summary(s) for s in got[k].samples))
                    for k in ("no-op", "one changed", "newest changed") if k in got}
    if "cluster" in got:
        res.cluster = got["cluster"]
        res.cluster_stats = bench_cluster.stats(res.cluster.typical.stderr)
        res.dask_task_ms = bench_cluster.task_overhead_ms(cores)
        _log(f"Dask: {res.dask_task_ms:.2f} ms per empty task on local:{cores}")


def _median_steps(floor: Series) -> dict[str, float]:
    """The floor's in-process seconds per step, each the median over the rounds."""
    rounds = [json.loads(s.stdout) for s in floor.samples]
    return {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}


def bench_formats(res: SizeResult, src: Path, tmp: Path, rounds: int) -> None:
    """Each format alone with -j 1, pressrun and its floor interleaved."""
    for fmt in FORMATS:
        got = measure_rounds({
            "pressrun": _fresh(tmp, "pressrun", lambda out, fmt=fmt: _build(src, out, 1, [fmt], force=True)),
            "floor": _fresh(tmp, "floor", lambda out, fmt=fmt: _floor(src, out, [fmt])),
        }, rounds)
        res.per_format[fmt], res.floor_format[fmt] = got["pressrun"], got["floor"]


def bench_issue_of_all(res: SizeResult, src: Path, tmp: Path, rounds: int) -> None:
    """The EPUB edition alone with every article in the issue (``issue: {limit: all}``), -j 1: the one output
    that grows with N, written into its file as it is made; its peak memory is the measurement."""
    every = tmp / "source-issue-all"
    shutil.copytree(src, every)
    with (every / "publication.yaml").open("a", encoding="utf-8") as f:
        f.write("issue: {limit: all}\n")
    got = measure_rounds({"issue": _fresh(tmp, "issue", lambda out: _build(every, out, 1, ["epub"]))}, rounds)
    res.issue_all = got["issue"]
    shutil.rmtree(every, ignore_errors=True)


def bench_world(res: SizeResult, tmp: Path, rounds: int) -> None:
    """The PDF of the same number of articles in each kind of script (issue 14): today's six scripts, which need
    no shaping, then right-to-left, CJK and Indic ones, each built alone with -j 1, the kinds interleaved."""
    res.world_n = min(res.n, WORLD_MAX_N)
    steps: dict[str, Step] = {}
    for k, (kind, languages) in enumerate(WORLD_GROUPS.items()):
        src = tmp / f"world-{k}"
        generate(src, res.world_n, languages=languages)
        steps[kind] = _fresh(tmp, kind, lambda out, src=src: _build(src, out, 1, ["pdf"], force=True))
    res.world = measure_rounds(steps, rounds)


def bench_pandoc(res: SizeResult, src: Path, tmp: Path, cores: int, rounds: int) -> None:
    """DOCX + EPUB: pressrun -j 1 and -j N against pandoc one and N at a time, all four interleaved."""
    exe = measure.pandoc()
    if not exe or res.n > PANDOC_MAX_N:
        return
    steps: dict[str, Step] = {}
    for jobs in sorted({1, cores}):
        steps[f"-j {jobs}"] = _fresh(tmp, f"-j {jobs}", lambda out, jobs=jobs: _build(src, out, jobs, ["docx", "epub"]))
    for key, workers in (("serial", 1), ("parallel", cores)) if cores > 1 else (("serial", 1),):
        steps[key] = _fresh(tmp, key, lambda out, workers=workers: _pandoc(exe, src, out, workers))
    got = measure_rounds(steps, rounds)
    res.docx_epub = {int(k[3:]): v for k, v in got.items() if k.startswith("-j ")}
    res.pandoc = {k: v for k, v in got.items() if not k.startswith("-j ")}


def bench_size(n: int, largest: bool, quick: bool, cores: int, rounds: int, tmp: Path) -> SizeResult:
    res = SizeResult(n)
    src = tmp / "source"
    generate(src, n)
    _log(f"N={n}: {n} articles generated; {rounds} interleaved rounds of everything")
    bench_whole(res, src, tmp, largest, quick, cores, rounds)
    bench_formats(res, src, tmp, rounds)
    bench_issue_of_all(res, src, tmp, rounds)
    bench_world(res, tmp, rounds)
    if not quick:
        bench_pandoc(res, src, tmp, cores, rounds)
    return res


def help_ms(runs: int) -> list[float]:
    return [measure.run([*measure.pressrun_cmd(), "--help"]).wall * 1000 for _ in range(runs)]


# Where the sources and every build's output go. This machine's disk costs ~0.8 ms to create a file and stalls
# now and then on writeback: runs on it spread 9–18 % at N=1000 with no other work on the cores. A RAM-backed
# folder leaves the disk out of both sides (pressrun and the floor write the same way); --scratch chooses.
RAM_SCRATCH = Path("/dev/shm")
RAM_NEEDED = 4 << 30  # bytes free: N=1000 writes ~0.6 GB a build, one build's folder at a time


def scratch_folder(chosen: Path | None) -> Path | None:
    """--scratch, else /dev/shm when it has room (Linux's RAM-backed tmpfs), else the system's temporary folder."""
    if chosen is not None:
        return chosen
    try:
        usage = shutil.disk_usage(RAM_SCRATCH)
    except OSError:
        return None
    return RAM_SCRATCH if usage.free >= RAM_NEEDED else None


def describe_tree() -> dict[str, str]:
    """Which pressrun was measured: the module path (PYTHONPATH may point at a snapshot) and the commit."""
    where = subprocess.run([sys.executable, "-c", "import pressrun; print(pressrun.__file__, pressrun.__version__)"],
                           capture_output=True, text=True).stdout.strip()
    git = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "src"], capture_output=True, text=True).stdout.strip()
    if os.environ.get("PYTHONPATH"):
        where += f" (PYTHONPATH={os.environ['PYTHONPATH']})"
    return {"pressrun": where, "commit": git + (" (src/ modified)" if dirty else "")}


def _checkpoint(label: str, cores: int, quick: bool) -> noise.Checkpoint:
    point = measure.checkpoint(label, cores, repeats=1 if quick else 3)
    ceiling = f", ceiling {noise.median(point.ceiling):.2f}×" if point.ceiling else ""
    _log(f"checkpoint {label}: load {point.load[0]:.2f}{ceiling}")
    return point


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="pressrun benchmark: pressrun vs the bare libraries vs pandoc")
    parser.add_argument("--sizes", default="1,100,1000", help="comma-separated article counts (default 1,100,1000)")
    parser.add_argument("--rounds", type=int, default=noise.MIN_ROUNDS,
                        help=f"interleaved rounds of every measurement (default {noise.MIN_ROUNDS}; fewer: noisy)")
    parser.add_argument("--quick", action="store_true", help="one core, no pandoc, fewer --help runs (for the smoke test)")
    parser.add_argument("--write", action="store_true", help="also write the table to bench/results.md")
    parser.add_argument("--json", type=Path, help="also dump the raw measurements here (after every size)")
    parser.add_argument("--scratch", type=Path, help="folder for sources and outputs (default /dev/shm when it has "
                                                     "4 GB free: the disk's noise left out; else the system's temp)")
    parser.add_argument("--from-json", type=Path, help="no measuring: print the table of an earlier --json dump")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error(f"--rounds must be at least 1 (and {noise.MIN_ROUNDS} or more for a verdict)")
    if args.from_json:
        return _emit(report.render(*_load_dump(args.from_json)), args.write)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    measure.compile_package()
    cores = measure.cores()
    scratch = scratch_folder(args.scratch)
    tree = describe_tree() | {"scratch": str(scratch or Path(tempfile.gettempdir()))}
    info = report.RunInfo(help_ms(3 if args.quick else 11), cores, time.strftime("%Y-%m-%d %H:%M"), tree,
                          args.quick, args.rounds)
    _log(f"pressrun --help: median {statistics.median(info.help_ms):.0f} ms")
    results: list[SizeResult] = []
    point = _checkpoint("before", cores, args.quick)
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix=f"pressrun-bench-{n}-", dir=scratch) as tmp:
            res = bench_size(n, n == sizes[-1], args.quick, cores, args.rounds, Path(tmp))
        res.before, res.after = point, _checkpoint(f"after N={n}", cores, args.quick)
        point = res.after
        results.append(res)
        if args.json:
            raw = {"version": DUMP_VERSION, **asdict(info), "sizes": [asdict(r) for r in results]}
            args.json.write_text(json.dumps(raw, indent=1), encoding="utf-8")
    return _emit(report.render(results, info), args.write)


def _emit(text: str, write: bool) -> int:
    print(text)
    if write:
        (ROOT / "bench" / "results.md").write_text(text, encoding="utf-8")
    return 0


def _load_dump(path: Path) -> tuple[list[SizeResult], report.RunInfo]:
    """An earlier --json dump back. A dump from before issue 19 (one sample per measurement, no checkpoints) still
    loads, as one round each: its table says so, and every timed verdict is "noisy"."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        info = report.RunInfo(raw["help_ms"], raw["cores"], raw["started"], raw["tree"], raw["quick"],
                              raw.get("rounds", 1))
        return [_load(r) for r in raw["sizes"]], info
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise SystemExit(f"bench: cannot read {path} as a benchmark dump (bench.run --json, version "
                         f"{DUMP_VERSION} or 1): {type(err).__name__}: {err}") from None


def _series(raw: dict | list | float | None) -> Series | None:
    """A Series from its dump: {"samples": [...]}; version 1 had one sample (a dict) or, for pandoc, seconds."""
    if raw is None:
        return None
    if isinstance(raw, (int, float)):
        return Series([Sample(float(raw), 0.0, "")])
    if "samples" in raw:
        return Series([Sample(**s) for s in raw["samples"]])
    return Series([Sample(**raw)])


def _load(raw: dict) -> SizeResult:
    """A SizeResult back from its --json form (JSON turned the jobs keys into strings)."""
    many = lambda d, key=str: {key(k): _series(v) for k, v in (d or {}).items()}  # noqa: E731
    point = lambda d: noise.Checkpoint(**d) if d else None  # noqa: E731
    return SizeResult(
        n=raw["n"], full=many(raw["full"], int), per_format=many(raw["per_format"]),
        floor_total=_series(raw["floor_total"]),
        floor_format=many(raw["floor_format"]), floor_steps=raw["floor_steps"],
        docx_epub=many(raw["docx_epub"], int), pandoc=many(raw["pandoc"]),
        noop=_series(raw["noop"]), changed=_series(raw["changed"]), changed_newest=_series(raw.get("changed_newest")),
        rendered=raw["rendered"], world_n=raw.get("world_n", 0), world=many(raw.get("world")),
        issue_all=_series(raw.get("issue_all")), cluster=_series(raw.get("cluster")), cluster_stats=raw.get("cluster_stats", {}), dask_task_ms=raw.get("dask_task_ms"),
        before=point(raw.get("before")), after=point(raw.get("after")),
    )


if __name__ == "__main__":
    sys.exit(main())
