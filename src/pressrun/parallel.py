"""Per-article exports, in this process or spread over worker processes.

Each worker builds its exporters once (fonts, templates and the reference DOCX
load once per process) and then renders whole articles: every article-level
format in run order, so the web page sees the downloads written before it.
Each export runs under the build's time budget (timelimit.py), in the worker's
main thread: one that never finishes is stopped and reported, the rest go on.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from pressrun import model
from pressrun.errors import PressrunError, Problem
from pressrun.exporters.base import ExportContext, Exporter, Output, Written
from pressrun.timelimit import DEFAULT_EXPORT_TIMEOUT, ExportTimedOut, time_limit, timed_out


@dataclass
class FormatResult:
    fmt: str
    outputs: list[Output] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ArticleResult:
    article_id: str
    formats: list[FormatResult]


class ArticleRenderer:
    def __init__(self, ctx: ExportContext, exporter_classes: Sequence[type[Exporter]], keep_going: bool,
                 timeout: float | None = DEFAULT_EXPORT_TIMEOUT):
        self.ctx = ctx
        self.exporters = [cls(ctx) for cls in exporter_classes]
        self.keep_going = keep_going
        self.timeout = timeout  # seconds per export (one article, one format); None or 0: no limit

    def render(self, article: model.Article, kept: list[Written]) -> ArticleResult:
        """Every format for one article; ``kept`` are its outputs reused from the previous build."""
        results = []
        before = len(self.ctx.written)
        self.ctx.written.extend(kept)
        try:
            for index, exporter in enumerate(self.exporters):
                result = FormatResult(exporter.name)
                try:
                    with time_limit(self.timeout):
                        result.outputs = exporter.export_article(article)
                except ExportTimedOut as exc:
                    result.problems = [timed_out(str(article.source_path), exporter.name, exc.seconds)]
                    self.exporters[index] = type(exporter)(self.ctx)  # stopped mid-way: no half-updated state kept
                except PressrunError as exc:
                    result.problems = [Problem(p.path, p.message, p.field or exporter.name, p.line) for p in exc.problems]
                except Exception as exc:  # an exporter bug: reported with --keep-going, else re-raised
                    if not self.keep_going:
                        raise
                    last = traceback.extract_tb(exc.__traceback__)[-1]
                    result.problems = [Problem(str(article.source_path), f"internal error: {exc!r} at {last.filename}:{last.lineno}", exporter.name)]
                self.ctx.written.extend(o.record() for o in result.outputs)
                results.append(result)
        finally:
            del self.ctx.written[before:]  # the build records what is really written
        return ArticleResult(article.id, results)


_WORKER: ArticleRenderer | None = None


def _init_worker(ctx: ExportContext, classes: Sequence[type[Exporter]], keep_going: bool, timeout: float | None) -> None:
    global _WORKER
    _WORKER = ArticleRenderer(ctx, classes, keep_going, timeout)


def _render_in_worker(job: tuple[int, list[Written]]) -> ArticleResult:
    assert _WORKER is not None
    index, kept = job
    return _WORKER.render(_WORKER.ctx.articles[index], kept)


def render_articles(
    ctx: ExportContext,
    classes: Sequence[type[Exporter]],
    jobs: list[tuple[int, list[Written]]],
    processes: int,
    keep_going: bool,
    timeout: float | None = DEFAULT_EXPORT_TIMEOUT,
) -> Iterator[ArticleResult]:
    """Results in job order (so output is identical whatever the number of processes)."""
    if processes <= 1 or len(jobs) <= 1:
        renderer = ArticleRenderer(ctx, classes, keep_going, timeout)
        for index, kept in jobs:
            yield renderer.render(ctx.articles[index], kept)
        return
    import multiprocessing

    worker_ctx = ExportContext(ctx.publication, ctx.theme, ctx.articles, ctx.formats)
    with ProcessPoolExecutor(
        max_workers=processes,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_init_worker,
        initargs=(worker_ctx, list(classes), keep_going, timeout),
    ) as pool:
        yield from pool.map(_render_in_worker, jobs, chunksize=max(1, min(8, len(jobs) // (processes * 4))))
