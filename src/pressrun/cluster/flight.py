"""The batches of one build in flight on the cluster: a bounded window, results as they finish, a stall watchdog.

Articles go out in batches of up to ``batch`` (fewer when there are few articles for the workers: at least
four tasks per worker thread), which divides Dask's per-task cost. A batch that Dask gives up on because
workers died running it is split and its articles sent again one by one, so only the article that kills
its workers fails. At most ``window`` batches are submitted at once (twice the workers' threads, at least
4): every worker has its next batch waiting while the client writes the last one, yet the client, the
scheduler and the results in transit stay the same size whatever the archive's. Results are fetched in the
background as tasks finish (Dask's ``as_completed`` with results), so fetching overlaps the client's
writing. When no batch at all has finished for ``stall`` seconds the watchdog cancels every batch in
flight: they come back cancelled, marked stalled, and the build goes on with the rest.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from pressrun import model
from pressrun.cluster import payload
from pressrun.cluster.payload import BuildPayload
from pressrun.cluster.worker import render_batch


class Flight:
    def __init__(self, client: Any, distributed: Any, build: BuildPayload, articles: Sequence[model.Teaser],
                 load: Callable[[model.Teaser], model.Article], indexes: list[int], batch: int, stall: float | None):
        self.client, self.build, self.articles, self.load = client, build, articles, load
        threads = sum(client.nthreads().values())
        size = max(1, min(batch, len(indexes) // (4 * max(1, threads))))
        self.todo = deque(indexes[i:i + size] for i in range(0, len(indexes), size))
        self.window = max(4, 2 * threads)
        self.done = distributed.as_completed(loop=client.loop, with_results=True, raise_errors=False)
        self.lock = threading.Lock()
        self.pending: dict[str, tuple[Any, list[int]]] = {}  # task key → (future, article indexes)
        self.given_up: set[str] = set()
        self.last = time.monotonic()
        self.closed = threading.Event()
        self.submitted = 0
        self._top_up()
        if stall:
            threading.Thread(target=self._watch, args=(stall,), name="pressrun-cluster-watchdog", daemon=True).start()

    def __iter__(self) -> Iterator[tuple[Any, Any, list[int], bool]]:
        """(future, its result or error, its article indexes, whether the watchdog gave up on it), as they finish."""
        for future, outcome in self.done:
            with self.lock:
                self.last = time.monotonic()
                _, batch = self.pending.pop(future.key)
                stalled = future.key in self.given_up
            self._top_up()
            yield future, outcome, batch, stalled

    def split(self, batch: list[int]) -> None:
        """Send a batch's articles again, each alone, before any other."""
        self.todo.extendleft([index] for index in reversed(batch))
        self._top_up()

    def _top_up(self) -> None:
        while len(self.pending) < self.window and self.todo and not self.closed.is_set():
            batch = self.todo.popleft()
            tasks = [payload.article_task(index, self.load(self.articles[index])) for index in batch]
            self.submitted += 1  # a key is never reused, not even by a split batch's first article
            key = f"pressrun-render-{self.articles[batch[0]].slug}-{self.build.token[:12]}-{self.submitted}"
            future = self.client.submit(render_batch, self.build.token, self.build.identity, tasks, key=key, pure=False)
            with self.lock:
                self.pending[future.key] = (future, batch)
            self.done.add(future)

    def _watch(self, stall: float) -> None:
        while not self.closed.wait(timeout=min(1.0, stall / 4)):
            with self.lock:
                stuck = [f for key, (f, _) in self.pending.items() if key not in self.given_up]
                if not stuck or time.monotonic() - self.last < stall:
                    continue
                self.given_up.update(f.key for f in stuck)
                self.last = time.monotonic()
            self.client.cancel(stuck)  # they come back cancelled, and are reported as stalled

    def close(self) -> None:
        """Stop the watchdog and cancel what is still in flight (a build that stopped early)."""
        self.closed.set()
        with self.lock:
            futures = [future for future, _ in self.pending.values()]
            self.pending.clear()
        if futures:
            self.client.cancel(futures)
        self.done.clear()
