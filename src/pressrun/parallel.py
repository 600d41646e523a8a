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

    def render(self, article: model.Article, beside: bool = False) -> ArticleResult:
        """Every format for one article, in run order: later formats see what earlier ones produced. ``beside``:
        the exporters that may (``Exporter.apart``) run in a forked process meanwhile (one article, -j 2 or more)."""
        results: list[FormatResult] = []
        apart = _Apart(self, article) if beside and any(e.apart for e in self.exporters) else None
        early: dict[int, FormatResult] = {}
        if apart is not None:  # meanwhile, here: the exporters of the apart ones' rank or before (they link to nothing)
            rank = max(e.order for e in self.exporters if e.apart)
            early = {i: self._export(i, article) for i, e in enumerate(self.exporters) if not e.apart and e.order <= rank}
        try:
            for index in range(len(self.exporters)):
                if index in early:
                    result = early[index]
                elif apart is not None and self.exporters[index].apart:
                    result = apart.result(index)
                else:
                    result = self._export(index, article)
                self.ctx.pending.extend(o.record() for o in result.outputs)
                results.append(result)
        finally:
            self.ctx.pending.clear()  # the build records what is really written
            if apart is not None:
                apart.close()
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


class _Apart:
    """The ``apart`` exporters of one article, run in a forked process while this one runs the others.

    The child starts before any export here; the renderer first makes the exports that need no other's outputs
    (an edition links to nothing), then takes the child's results in their turn. A child that ends without
    results costs only time: the exports it owed are made here.
    """

    def __init__(self, renderer: ArticleRenderer, article: model.Article) -> None:
        import multiprocessing

        self.renderer, self.article = renderer, article
        self.indexes = [i for i, e in enumerate(renderer.exporters) if e.apart]
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.child = context.Process(target=_export_apart, args=(renderer, article, self.indexes, send), daemon=True)
        self.child.start()
        send.close()
        self.done: dict[int, FormatResult] | None = None

    def result(self, index: int) -> FormatResult:
        if self.done is None:
            self._collect()
        assert self.done is not None
        return self.done.pop(index) if index in self.done else self.renderer._export(index, self.article)

    def _collect(self) -> None:
        try:
            self.done = dict(zip(self.indexes, self.receive.recv()))
        except (EOFError, OSError):  # the child died (killed, out of memory): its exports are made here
            self.done = {}

    def close(self) -> None:
        self.receive.close()
        self.child.join()


def _export_apart(renderer: ArticleRenderer, article: model.Article, indexes: list[int], send: Any) -> None:
    """In the forked child: the ``apart`` exports, sent back in order (problems travel inside their results). An
    exporter's bug is left to the parent, which makes the export again and reports it once, as without -j."""
    try:
        send.send([renderer._export(index, article) for index in indexes])
    except Exception:  # noqa: BLE001 — the parent's own attempt raises or reports it
        pass
    finally:
        send.close()


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
        for index in indexes:  # one article with -j 2 or more (an edit): its slowest edition in a second process
            yield renderer.render(ctx.article(ctx.articles[index]), beside=processes > 1)  # one whole article at a time
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
