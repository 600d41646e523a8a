"""One measurement = one fresh wrapper process that runs the command and reports its wall time and peak RSS.

A fresh wrapper per measurement because RUSAGE_CHILDREN's ru_maxrss is the largest of
*all* children a process ever waited for: read in the runner, it would remember the
biggest earlier build. In the wrapper it covers exactly this command and its workers
(the largest single process; Linux reports KiB).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench import noise

_WRAPPER = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)
wall = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "rss_kb": rss, "rc": p.returncode, "stdout": p.stdout.decode(errors="replace")}))
"""


@dataclass
class Sample:
    wall: float  # seconds, from just before the command starts until it has exited
    rss_mb: float  # peak resident set of the largest process in the command's tree
    stdout: str
    stderr: str = ""


@dataclass
class Series:
    """The rounds of one measurement (issue 19): its wall time and RSS are the medians, with the spread of the walls."""

    samples: list[Sample]

    @property
    def walls(self) -> list[float]:
        return [s.wall for s in self.samples]

    @property
    def wall(self) -> float:
        return noise.median(self.walls)

    @property
    def rss_mb(self) -> float:
        return noise.median([s.rss_mb for s in self.samples])

    @property
    def spread(self) -> float:
        return noise.spread(self.walls)

    @property
    def typical(self) -> Sample:
        """The round whose wall time is the median (the lower middle of an even count): its output stands for all."""
        return sorted(self.samples, key=lambda s: s.wall)[(len(self.samples) - 1) // 2]


class CommandFailed(RuntimeError):
    pass


def child_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """The measured processes' environment: this one's (or ``env``), less what makes Python unlike a user's
    install. ``PYTHONDONTWRITEBYTECODE`` (set in some sandboxes and CI images) keeps Python from caching the
    bytecode of a module edited since its last cache: every measured process then compiled those modules from
    source again (~0.1 s of a 0.9 s one-article rebuild, with a dozen freshly edited modules)."""
    found = dict(os.environ if env is None else env)
    found.pop("PYTHONDONTWRITEBYTECODE", None)
    return found


def compile_package() -> None:
    """pressrun's bytecode cached before anything is measured, as an install has it (pip compiles what it
    installs): else the first measured build of an edited tree pays for compiling it."""
    import compileall

    import pressrun

    compileall.compile_dir(Path(pressrun.__file__).parent, quiet=1)


def run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Sample:
    proc = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *cmd], cwd=cwd, env=child_environment(env), capture_output=True, text=True
    )
    if proc.returncode != 0 or not proc.stdout.strip():
        raise CommandFailed(f"{' '.join(cmd)}: wrapper failed\n{proc.stderr[-2000:]}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    if data["rc"] != 0:
        raise CommandFailed(f"{' '.join(cmd)}: exit {data['rc']}\n{proc.stderr[-2000:]}")
    return Sample(data["wall"], data["rss_kb"] / 1024, data["stdout"], proc.stderr)


def pressrun_cmd() -> list[str]:
    """The console script next to this interpreter (what `make` and users run), else `python -m pressrun`."""
    script = Path(sys.executable).parent / "pressrun"
    return [str(script)] if script.exists() else [sys.executable, "-m", "pressrun"]


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def pandoc() -> str | None:
    return shutil.which("pandoc")


_SPIN = "x = 0\nfor i in range({loops}): x += i * i"


def parallel_ceiling(workers: int, loops: int = 6_000_000, repeats: int = 3) -> float:
    """How much faster ``workers`` CPU-bound processes finish than one after another, on this machine, now.

    A perfectly parallel job's best case: a VM's vCPUs or other load can hold it well below
    ``workers``, and pressrun's -j speed-up should be read against it.
    """
    return noise.median(ceiling_ratios(workers, loops, repeats))


def ceiling_ratios(workers: int, loops: int = 6_000_000, repeats: int = 3) -> list[float]:
    """parallel_ceiling's repeats, one ratio each (one run alone, then ``workers`` at once)."""
    spin = [sys.executable, "-c", _SPIN.format(loops=loops)]
    many = [sys.executable, "-c", "import subprocess, sys\nps = [subprocess.Popen(sys.argv[2:]) for _ in range(int(sys.argv[1]))]\n"
            "sys.exit(max(p.wait() for p in ps))", str(workers), *spin]
    ratios = []
    for _ in range(repeats):
        one = run(spin).wall
        ratios.append(workers * one / run(many).wall)
    return ratios


def _busy_seconds() -> float | None:
    """CPU seconds this process's cores have been busy since boot (user, nice, system, irq, softirq and steal:
    a hypervisor's steal is a neighbour's work too), from /proc/stat; None where there is none."""
    try:
        lines = Path("/proc/stat").read_text(encoding="ascii").splitlines()
    except OSError:
        return None
    mine = {f"cpu{c}" for c in os.sched_getaffinity(0)} if hasattr(os, "sched_getaffinity") else None
    ticks = 0
    for line in lines:
        name, *fields = line.split()
        if name.startswith("cpu") and name != "cpu" and (mine is None or name in mine):
            user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
            ticks += user + nice + system + irq + softirq + steal
    return ticks / os.sysconf("SC_CLK_TCK")


def _our_seconds() -> float:
    """CPU seconds of this process and every descendant it (or they, down the tree) waited for."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def checkpoint(label: str, workers: int, repeats: int) -> noise.Checkpoint:
    """The machine now: load average, parallel ceiling (more than one core), and the CPU counters that tell,
    between two checkpoints, how much of the cores' time went to other work."""
    load = list(os.getloadavg()) if hasattr(os, "getloadavg") else [0.0, 0.0, 0.0]
    ceiling = ceiling_ratios(workers, repeats=repeats) if workers > 1 else []
    return noise.Checkpoint(label, time.monotonic(), load, ceiling, _busy_seconds(), _our_seconds())
