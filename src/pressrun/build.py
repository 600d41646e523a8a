"""read all → export (per article, in parallel; then per publication) → write atomically → report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pressrun import model, registry
from pressrun.cache import Entry, Manifest, MANIFEST, article_key, build_salt, part_key, remove_stale
from pressrun.errors import EXIT_EXPORT_FAILED, EXIT_INVALID_INPUT, EXIT_OK, ExportError, PressrunError, Problem, Severity
from pressrun.exporters.base import ExportContext, Output, Written
from pressrun.parallel import render_articles
from pressrun.timelimit import DEFAULT_EXPORT_TIMEOUT, ExportTimedOut, time_limit, timed_out
from pressrun.readers import SourceSet, read_sources
from pressrun.readers.memo import MEMO, SourceMemo
from pressrun.theme import Theme, load_theme
from pressrun.writer import OutputWriter

@dataclass
class BuildOptions:
    source: Path = Path("source")
    out: Path = Path("output")
    styles: Path = Path("styles")
    formats: list[str] | None = None
    keep_going: bool = False
    strict: bool = False
    jobs: int = 1  # worker processes for per-article exports (the CLI defaults to every core)
    incremental: bool = True  # reuse an unchanged article's outputs from the previous build
    export_timeout: float | None = DEFAULT_EXPORT_TIMEOUT  # seconds per export before it is stopped; None/0: none


@dataclass
class BuildReport:
    problems: list[Problem] = field(default_factory=list)
    failures: list[Problem] = field(default_factory=list)  # exports that could not be produced
    written: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # slugs of the articles rendered (not reused)
    removed: list[str] = field(default_factory=list)  # stale outputs deleted
    articles: int = 0
    invalid_input: bool = False
    complete: bool = False  # ran to the end and wrote the manifest (what `build --verify` checks)

    @property
    def exit_code(self) -> int:
        if self.invalid_input:
            return EXIT_INVALID_INPUT
        return EXIT_EXPORT_FAILED if self.failures else EXIT_OK


Progress = Callable[[str, int, int], None]  # (article just rendered, articles done, articles to render)


def validate(options: BuildOptions, memo: SourceMemo | None = None) -> tuple[SourceSet, Theme | None, BuildReport]:
    """Read the theme and every source; collect all problems."""
    report = BuildReport()
    theme = None
    try:
        theme = load_theme(options.styles)
    except PressrunError as exc:
        report.problems.extend(exc.problems)
    sources = read_sources(options.source, memo)
    report.problems.extend(sources.diagnostics.problems)
    if options.strict:
        report.problems = [Problem(p.path, p.message, p.field, p.line) for p in report.problems]
    report.invalid_input = sources.publication is None or any(p.severity is Severity.ERROR for p in report.problems)
    report.articles = len(sources.articles)
    return sources, theme, report


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    classes = registry.load(options.formats)  # unknown formats fail before anything is read
    memo = _load_memo(options)
    sources, theme, report = validate(options, memo)
    if sources.publication is None or theme is None or (report.invalid_input and not options.keep_going):
        return report

    articles = sources.articles
    formats = [c.name for c in classes]
    ctx = ExportContext(sources.publication, theme, articles, tuple(formats))
    writer = OutputWriter(options.out)
    writer.remove_leftovers()
    old = Manifest.load(options.out) if options.incremental else Manifest()
    new = Manifest()
    salt = build_salt(sources.publication, theme, formats)

    new.assets = _publish_assets(articles, writer, report)

    # 1. Per-article exports: unchanged articles are reused, the rest rendered (in parallel with -j).
    keys = {a.id: article_key(a, salt, a.source_path) for a in articles}
    jobs: list[tuple[int, list[Written]]] = []
    for index, article in enumerate(articles):
        entry = old.fresh(article.id, keys[article.id], options.out)
        if entry is not None:
            new.articles[article.id] = entry
            ctx.written.extend(entry.outputs)
        else:
            jobs.append((index, []))
    article_classes = [c for c in classes if _has_article_exports(c)]
    done = 0
    by_id = {a.id: a for a in articles}
    for result in render_articles(ctx, article_classes, jobs, options.jobs, options.keep_going, options.export_timeout):
        article = by_id[result.article_id]
        entry = Entry(keys[article.id])
        failed = False
        for fmt in result.formats:
            report.failures.extend(fmt.problems)
            failed = failed or bool(fmt.problems)
            entry.outputs.extend(_write(fmt.outputs, ctx, writer, report))
        if not failed:  # a failed article is rendered again next time
            new.articles[article.id] = entry
        else:
            new.articles[article.id] = Entry("", entry.outputs)
        report.rendered.append(article.slug)
        done += 1
        if progress:
            progress(article.slug, done, len(jobs))
        if report.failures and not options.keep_going:
            return report

    # 2. Publication-level exports (indexes, feeds, collections), once, in parts: a part whose articles
    #    are unchanged keeps last build's files (an edit rebuilds only the feeds the article is in).
    for cls in classes:
        exporter = cls(ctx)
        for part in exporter.publication_parts(articles):
            name = f"{cls.name}:{part.name}"
            made_of = [(a.id, new.articles[a.id].key if a.id in new.articles else "") for a in part.articles]
            key = part_key(salt, name, part.label, made_of)
            entry = old.fresh_part(name, key, options.out)
            if entry is not None:
                ctx.written.extend(entry.outputs)
            else:
                failures = len(report.failures)
                try:
                    with time_limit(options.export_timeout):
                        outputs = exporter.export_part(part)
                except ExportTimedOut as exc:
                    publication_file = str(options.source / "publication.yaml")
                    report.failures.append(timed_out(publication_file, cls.name, exc.seconds, part=part.name))
                    outputs = []
                except PressrunError as exc:
                    report.failures.extend(Problem(p.path, p.message, p.field or cls.name, p.line) for p in exc.problems)
                    outputs = []
                entry = Entry(key, _write(outputs, ctx, writer, report))
                if len(report.failures) > failures:
                    if not options.keep_going:
                        return report
                    entry.key = ""  # made again next time
            new.parts[name] = entry

    report.removed = remove_stale(options.out, old, new)
    writer.write(MANIFEST, new.to_bytes())
    remembered = memo.to_bytes()
    if remembered is not None:
        writer.write(MEMO, remembered)
    report.complete = True
    return report


def _load_memo(options: BuildOptions) -> SourceMemo:
    try:
        publication_file = (options.source / "publication.yaml").read_bytes()
    except OSError:
        publication_file = b""  # reported by the reader
    return SourceMemo.load(options.out, publication_file, trust=options.incremental)


def _has_article_exports(cls: type) -> bool:
    from pressrun.exporters.base import Exporter

    return cls.export_article is not Exporter.export_article


def _publish_assets(articles: list[model.Article], writer: OutputWriter, report: BuildReport) -> list[str]:
    """Copy every image the articles use; pages, feeds and books all point at these copies."""
    published: list[str] = []
    for article in articles:
        for image in article.images():
            if image.output_path not in published:
                writer.write(image.output_path, image.path.read_bytes())
                report.written.append(image.output_path)
                published.append(image.output_path)
    return published


def _write(outputs: list[Output], ctx: ExportContext, writer: OutputWriter, report: BuildReport) -> list[Written]:
    """Write one export's outputs: every path is checked first, so all of it is written or none."""
    try:
        paths = [output.path for output in outputs]
        if len(set(paths)) != len(paths):
            raise ExportError(Problem(paths[0], "an exporter returned two outputs with the same path", "output"))
        for path in paths:
            writer.check(path)
    except PressrunError as exc:
        report.failures.extend(exc.problems)
        return []
    records = []
    for output in outputs:
        writer.write(output.path, output.data)
        report.written.append(output.path)
        record = output.record()
        ctx.written.append(record)
        records.append(record)
    return records
