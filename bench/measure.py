"""One measurement = one fresh wrapper process that runs the command and reports its wall time and peak RSS.

A fresh wrapper per measurement because RUSAGE_CHILDREN's ru_maxrss is the largest of
*all* children a process ever waited for: read in the runner, it would remember the
biggest earlier build. In the wrapper it covers exactly this command and its workers
(the largest single process; Linux reports KiB).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

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


class CommandFailed(RuntimeError):
    pass


def run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Sample:
    proc = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *cmd], cwd=cwd, env=env, capture_output=True, text=True
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
    spin = [sys.executable, "-c", _SPIN.format(loops=loops)]
    many = [sys.executable, "-c", "import subprocess, sys\nps = [subprocess.Popen(sys.argv[2:]) for _ in range(int(sys.argv[1]))]\n"
            "sys.exit(max(p.wait() for p in ps))", str(workers), *spin]
    ratios = []
    for _ in range(repeats):
        one = run(spin).wall
        ratios.append(workers * one / run(many).wall)
    return sorted(ratios)[len(ratios) // 2]
