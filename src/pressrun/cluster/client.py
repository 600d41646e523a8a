"""The client side of `pressrun build --cluster`: connect, send the stale articles, hand back results as they come.

The build keeps everything it does locally: the plan (only stale articles reach here), atomic writes inside
--out, the manifest and the publication-level parts, made after every article as today. Here the articles
go out in batches, at most ``window`` batches in flight (so neither the client, the scheduler nor the
results in transit grow with the archive), and come back in the order they finish; each result is yielded
at once, written by the build and dropped. A batch that cannot come back — every worker that tried it died,
it failed on the worker outside an exporter, or nothing at all finished for longer than the export budget
allows — is a located failure of its articles, never a hang.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any

from pressrun import model
from pressrun.cluster.flight import Flight
from pressrun.cluster.payload import SOURCE, BuildPayload, client_names, rename_in_problems, theme_placeholders
from pressrun.cluster import worker as worker_side
from pressrun.cluster.worker import BuildMissing, WorkerRefused, identity, refusal
from pressrun.errors import Problem, PressrunError
from pressrun.exporters.base import ArticleResult, ExportContext, FormatResult

EXTRA = "pressrun[cluster]"
CONNECT_TIMEOUT = 10.0  # seconds to reach the scheduler
WORKERS_TIMEOUT = 30.0  # seconds for a first worker to join it
BATCH = 8  # articles per task at most: Dask's per-task cost spread over 8 (measured: 4 → 8 is ~4 % faster at N=1000)
STALL_GRACE = 30.0  # seconds beyond a batch's export budget before a build that gets no result gives up on it
_ADDRESS = re.compile(r"[a-z][a-z0-9+]*://\S+|[^\s/:]+:\d+")


def parse_address(address: str) -> tuple[int | None, str]:
    """``local:N`` → (N, ""); a scheduler address → (None, address). A PressrunError for anything else."""
    local = re.fullmatch(r"local:(\d+)", address)
    if local and int(local.group(1)) > 0:
        return int(local.group(1)), ""
    if not local and _ADDRESS.fullmatch(address):
        return None, address
    raise PressrunError(Problem("--cluster", f"not a Dask scheduler address or local:N (N ≥ 1): {address!r}; "
                                             "e.g. tcp://scheduler.example.org:8786 or local:4"))


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise PressrunError(Problem("--cluster", f"needs Dask's distributed package, which cannot be imported ({exc}): "
                                                 f"install pressrun with the cluster extra, pip install '{EXTRA}'")) from None
    return distributed


@contextmanager
def connect(address: str) -> Iterator["Cluster"]:
    """A connected cluster for one build: the scheduler at ``address``, or a LocalCluster started (and stopped)
    here for ``local:N``. A PressrunError (exit 2) when Dask is missing, the address is wrong or unreachable,
    or no worker joins in time."""
    workers, scheduler = parse_address(address)
    distributed = _distributed()
    with ExitStack() as stack:
        if workers:
            cluster = _local_cluster(distributed, workers)
            stack.callback(cluster.close)
            scheduler = cluster.scheduler_address
        try:
            client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise PressrunError(Problem("--cluster", f"cannot reach the Dask scheduler at {address} within "
                                                     f"{CONNECT_TIMEOUT:g} s: {exc}")) from None
        stack.callback(client.close)
        try:
            client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise PressrunError(Problem("--cluster", f"no Dask worker joined the scheduler at {address} within "
                                                     f"{WORKERS_TIMEOUT:g} s ({exc})")) from None
        _refuse_other_code(client)
        yield Cluster(client, distributed)


LOCAL_CONFIG = {
    # Dask's nannies set MALLOC_TRIM_THRESHOLD_, which turns off glibc's adaptive mmap threshold: every buffer over
    # 64 KiB (a PDF, an EPUB, a font) is then mapped and unmapped afresh, and rendering costs 5-8 % more CPU.
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.nanny.pre-spawn-environ.MALLOC_ARENA_MAX": 1,  # one thread renders: one malloc arena
    "distributed.worker.profile.enabled": False,  # the statistical profiler samples every thread every 10 ms
    "distributed.worker.memory.monitor-interval": "2s",  # from 100 ms: a build's memory changes slowly
    # The client keeps only a few batches in flight: send them to the workers at once, never queue them.
    "distributed.scheduler.worker-saturation": float("inf"),
}


def _local_cluster(distributed: Any, workers: int) -> Any:
    """``local:N``: N worker processes of one thread (rendering holds the GIL), on 127.0.0.1 only (the scheduler's
    HTTP endpoint too, on a free port).

    The workers share this machine's cores with the client and the scheduler, so Dask's own upkeep is cut back
    (``LOCAL_CONFIG``; README: the same for a cluster). Measured at N=1000 on 2 cores, three interleaved runs:
    `local:2` took 1.14× the time of `-j 2` with Dask's defaults, 1.07× with these settings and 8-article tasks."""
    import dask

    try:
        with dask.config.set(LOCAL_CONFIG):
            return distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                            scheduler_port=0, dashboard_address="127.0.0.1:0")
    except (OSError, RuntimeError, TimeoutError) as exc:
        raise PressrunError(Problem("--cluster", f"cannot start a local Dask cluster of {workers} worker(s): {exc}")) from None


def _refuse_other_code(client: Any) -> None:
    """Before anything is written: every worker must run the client's pressrun (a worker that joins later is
    checked by its first task)."""
    mine = identity()
    refused = {worker: refusal(theirs, mine) for worker, theirs in client.run(worker_side.identity).items()}
    problems = [Problem("--cluster", f"a Dask worker refused the build: {worker} {why}") for worker, why in refused.items() if why]
    if problems:
        raise PressrunError(problems)


class Cluster:
    def __init__(self, client: Any, distributed: Any):
        self.client = client
        self.distributed = distributed

    def render(self, ctx: ExportContext, classes: Sequence[type], indexes: list[int], keep_going: bool,
               timeout: float | None, renderer: type) -> Iterator[tuple[int, Any]]:
        """(index, result) of the articles at ``indexes`` of ``ctx.articles``, in the order they finish.

        ``renderer`` is pressrun.parallel.ArticleRenderer: the worker renders exactly as a local build does.
        """
        if not indexes:
            return
        build = self._payload(ctx, classes, renderer, keep_going, timeout)
        plugin = self._install(build)
        stall = timeout * max(1, len(classes)) * BATCH + STALL_GRACE if timeout else None
        flight = Flight(self.client, self.distributed, build, ctx.articles, ctx.article, indexes, BATCH, stall)
        try:
            for future, outcome, batch, stalled in flight:
                if stalled:
                    yield from self._lost(ctx, batch, f"no result from the cluster for {stall:g} s (a worker is stuck or "
                                                      "unreachable); stopped waiting")
                elif self._killed(future, outcome) and len(batch) > 1:
                    flight.split(batch)  # only the article that kills its workers is to fail
                else:
                    yield from self._outcome(ctx, future, outcome, batch, keep_going)
        finally:
            flight.close()
            try:
                self.client.unregister_worker_plugin(plugin.name)
            except Exception:  # the cluster is going away anyway
                pass

    def _payload(self, ctx: ExportContext, classes: Sequence[type], renderer: type, keep_going: bool,
                 timeout: float | None) -> BuildPayload:
        try:
            theme, files = theme_placeholders(ctx.theme)
        except ValueError as exc:
            raise PressrunError(Problem(str(ctx.theme.root / "theme.yaml"), f"--cluster sends the styles folder to the "
                                                                            f"workers, but {exc}", "fonts")) from None
        publication = dataclasses.replace(ctx.publication, source_dir=SOURCE)
        return BuildPayload(uuid.uuid4().hex, identity(), publication, theme, files, tuple(ctx.formats), tuple(classes),
                            renderer, keep_going, timeout, tuple(ctx.languages))

    def _install(self, build: BuildPayload) -> Any:
        """The build's shared part (theme files included) on every worker, once; on workers that join later too."""
        from pressrun.cluster.plugin import BuildPlugin

        plugin = BuildPlugin(build)
        try:
            self.client.register_plugin(plugin, name=plugin.name)
        except Exception as exc:  # e.g. a worker lacking an exporter plugin cannot unpickle the build
            raise PressrunError(Problem("--cluster", f"cannot set the build up on the Dask workers: {exc!r}")) from None
        return plugin

    def _killed(self, future: Any, outcome: Any) -> bool:
        return future.status == "error" and isinstance(outcome[1], self.distributed.KilledWorker)

    def _outcome(self, ctx: ExportContext, future: Any, outcome: Any, batch: list[int],
                 keep_going: bool) -> Iterator[tuple[int, Any]]:
        """A finished batch's results; a failed one's located failures (an exporter's bug without --keep-going and a
        worker with other pressrun code are raised instead, as a local build would)."""
        if future.status == "finished" and not isinstance(outcome, BaseException):
            for index, result in outcome:
                yield index, rename_in_problems(result, client_names(ctx.articles[index], ctx.publication, ctx.theme))
            return
        if future.status != "error":
            yield from self._lost(ctx, batch, f"the cluster dropped it ({future.status}: {outcome!r})")
            return
        _, exc, traceback = outcome
        if isinstance(exc, WorkerRefused):
            raise PressrunError(Problem("--cluster", f"a Dask worker refused the build: {exc}"))
        if isinstance(exc, self.distributed.KilledWorker):
            yield from self._lost(ctx, batch, "every Dask worker that tried to render it died")
        elif keep_going or isinstance(exc, BuildMissing):
            yield from self._lost(ctx, batch, f"the cluster could not render it: {exc!r}")
        else:
            raise exc.with_traceback(traceback)  # an exporter's bug: its traceback, as in a local build

    @staticmethod
    def _lost(ctx: ExportContext, batch: list[int], reason: str) -> Iterator[tuple[int, ArticleResult]]:
        for index in batch:
            article: model.Teaser = ctx.articles[index]
            problem = Problem(str(article.source_path), f"{reason} (it is rendered again by the next build)", "cluster")
            yield index, ArticleResult(article.id, [FormatResult("cluster", problems=[problem])])
