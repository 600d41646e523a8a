"""The cluster row (issue 18): `--cluster local:N` against `-j N`, Dask's own cost per task, and how fast the
client writes what the workers send back.

Dask's per-task cost is measured apart from pressrun: empty tasks through a LocalCluster of the same shape as
`local:N` (one thread per worker process), submitted in one go and gathered, so what is left is the scheduler's,
the client's and the workers' bookkeeping and messages per task.
"""

from __future__ import annotations

import json
import subprocess
import sys

_OVERHEAD = """
import json, sys, time
import distributed

workers, tasks = int(sys.argv[1]), int(sys.argv[2])
with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                              dashboard_address=None) as cluster, distributed.Client(cluster) as client:
    client.gather(client.map(lambda x: x, range(workers * 4), pure=False))  # warm: workers up, functions known
    started = time.perf_counter()
    client.gather(client.map(lambda x: x, range(tasks), pure=False))
    print(json.dumps({"ms_per_task": (time.perf_counter() - started) * 1000 / tasks}))
"""


def available() -> bool:
    return subprocess.run([sys.executable, "-c", "import distributed"], capture_output=True).returncode == 0


def task_overhead_ms(workers: int, tasks: int = 2000) -> float:
    """Wall milliseconds per empty task, with ``workers`` worker processes taking them as fast as they come."""
    done = subprocess.run([sys.executable, "-c", _OVERHEAD, str(workers), str(tasks)], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])["ms_per_task"]


def stats(stderr: str) -> dict[str, float]:
    """pressrun's ``pressrun-stats`` line (PRESSRUN_STATS=1): articles rendered, seconds and bytes of writing them."""
    for line in stderr.splitlines():
        if line.startswith("pressrun-stats "):
            return json.loads(line.split(" ", 1)[1])
    return {}
