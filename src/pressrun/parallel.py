"""Per-article exports, in this process or spread over worker processes.

Each worker builds its exporters once (fonts, templates and the reference DOCX
load once per process) and then renders whole articles: every article-level
format in run order, so the web page sees the downloads written before it.
Each export runs under the build's time budget (timelimit.py), in the worker's
main thread: one that never finishes is stopped and reported, the rest go on.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from pressrun import model
from pressrun.errors import PressrunError, Problem
from pressrun.exporters.base import ArticleResult, ExportContext, Exporter, FormatResult
from pressrun.timelimit import DEFAULT_EXPORT_TIMEOUT, ExportTimedOut, time_limit, timed_out


class ArticleRenderer:
    def __init__(self, ctx: ExportContext, exporter_classes: Sequence[type[Exporter]], keep_going: bool,
                 timeout: float | None = DEFAULT_EXPORT_TIMEOUT, limit: Callable[[float | None], Any] = time_limit):
        self.ctx = ctx
        self.exporters = [cls(ctx) for cls in exporter_classes]
        self.keep_going = keep_going
        self.timeout = timeout  # seconds per export (one article, one format); None or 0: no limit
        self.limit = limit  # how the budget is kept: timelimit's signal here; a watchdog in a Dask worker's thread

    def render(self, article: model.Article) -> ArticleResult:
        """Every format for one article, in run order: later formats see what earlier ones produced."""
        results = []
        try:
            for index in range(len(self.exporters)):
                result = self._export(index, article)
                self.ctx.pending.extend(o.record() for o in result.outputs)
                results.append(result)
        finally:
            self.ctx.pending.clear()  # the build records what is really written
        return ArticleResult(article.id, results)

    def _export(self, index: int, article: model.Article) -> FormatResult:
        """One format of one article under the time budget; failures become located problems."""
        exporter = self.exporters[index]
        result = FormatResult(exporter.name)
        try:
            with self.limit(self.timeout):
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
            message = f"internal error: {exc!r} at {last.filename}:{last.lineno}"
            result.problems = [Problem(str(article.source_path), message, exporter.name)]
        return result


_WORKER: ArticleRenderer | None = None


def _init_worker(ctx: ExportContext, classes: Sequence[type[Exporter]], keep_going: bool, timeout: float | None) -> None:
    global _WORKER
    _WORKER = ArticleRenderer(ctx, classes, keep_going, timeout)


def _render_in_worker(index: int) -> ArticleResult:
    assert _WORKER is not None
    return _WORKER.render(_WORKER.ctx.article(_WORKER.ctx.articles[index]))


def render_articles(
    ctx: ExportContext,
    classes: Sequence[type[Exporter]],
    indexes: list[int],
    processes: int,
    keep_going: bool,
    timeout: float | None = DEFAULT_EXPORT_TIMEOUT,
) -> Iterator[ArticleResult]:
    """The articles at ``indexes`` of ``ctx.articles``, results in that order (identical output whatever
    the number of processes)."""
    if processes <= 1 or len(indexes) <= 1:
        renderer = ArticleRenderer(ctx, classes, keep_going, timeout)
        for index in indexes:
            yield renderer.render(ctx.article(ctx.articles[index]))  # one whole article at a time
        return
    import multiprocessing

    worker_ctx = ExportContext(ctx.publication, ctx.theme, ctx.articles, ctx.formats, languages=ctx.languages, load=ctx.load)
    with ProcessPoolExecutor(
        max_workers=processes,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_init_worker,
        initargs=(worker_ctx, list(classes), keep_going, timeout),
    ) as pool:
        yield from pool.map(_render_in_worker, indexes, chunksize=max(1, min(8, len(indexes) // (processes * 4))))
