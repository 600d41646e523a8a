"""read all → export → write atomically → report. One straight line."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pressrun import model, registry
from pressrun.errors import ExportError, PressrunError, Problem
from pressrun.exporters.base import ExportContext, Output
from pressrun.readers import SourceSet, read_sources
from pressrun.theme import Theme, load_theme
from pressrun.writer import OutputWriter

EXIT_OK = 0
EXIT_EXPORT_FAILED = 1
EXIT_INVALID_INPUT = 2


@dataclass
class BuildOptions:
    source: Path = Path("source")
    out: Path = Path("output")
    styles: Path = Path("styles")
    formats: list[str] | None = None
    keep_going: bool = False
    strict: bool = False


@dataclass
class BuildReport:
    problems: list[Problem] = field(default_factory=list)
    failures: list[Problem] = field(default_factory=list)  # exports that could not be produced
    written: list[str] = field(default_factory=list)
    articles: int = 0
    invalid_input: bool = False

    @property
    def exit_code(self) -> int:
        if self.invalid_input:
            return EXIT_INVALID_INPUT
        return EXIT_EXPORT_FAILED if self.failures else EXIT_OK


# A progress callback: (description, advance) — the CLI draws it.
Progress = Callable[[str], None]


def validate(options: BuildOptions) -> tuple[SourceSet, Theme | None, BuildReport]:
    """Read the theme and every source; collect all problems."""
    report = BuildReport()
    theme = None
    try:
        theme = load_theme(options.styles)
    except PressrunError as exc:
        report.problems.extend(exc.problems)
    sources = read_sources(options.source)
    report.problems.extend(sources.diagnostics.problems)
    if options.strict:
        report.problems = [Problem(p.path, p.message, p.field, p.line) for p in report.problems]
    report.invalid_input = any(p.severity.value == "error" for p in report.problems) or sources.publication is None
    report.articles = len(sources.articles)
    return sources, theme, report


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    exporters = registry.load(options.formats)  # unknown formats fail before anything is read
    sources, theme, report = validate(options)
    if sources.publication is None or theme is None or (report.invalid_input and not options.keep_going):
        return report

    ctx = ExportContext(sources.publication, theme, sources.articles)
    writer = OutputWriter(options.out)
    _publish_assets(sources.articles, writer, report)
    for cls in exporters:
        exporter = cls(ctx)
        for article in sources.articles:
            if progress:
                progress(f"{cls.name}: {article.slug}")
            outputs = _run(report, options, cls.name, article.source_path, lambda: exporter.export_article(article))
            _write(outputs, ctx, writer, report, cls.name)
        outputs = _run(report, options, cls.name, options.source, lambda: exporter.export_publication(sources.articles))
        _write(outputs, ctx, writer, report, cls.name)
        if report.failures and not options.keep_going:
            break
    return report


def _publish_assets(articles: list[model.Article], writer: OutputWriter, report: BuildReport) -> None:
    """Copy every image the articles use; pages, feeds and books all point at these copies."""
    published: set[str] = set()
    for article in articles:
        for image in article.images():
            if image.output_path not in published:
                writer.write(image.output_path, image.path.read_bytes())
                published.add(image.output_path)
                report.written.append(image.output_path)


def _run(report: BuildReport, options: BuildOptions, fmt: str, where: Path, produce: Callable[[], list[Output]]) -> list[Output]:
    if report.failures and not options.keep_going:
        return []
    try:
        return produce()
    except PressrunError as exc:
        report.failures.extend(Problem(p.path, p.message, p.field or fmt, p.line) for p in exc.problems)
    except Exception as exc:  # a bug in an exporter: keep going if asked, else show the traceback
        if not options.keep_going:
            raise
        last = traceback.extract_tb(exc.__traceback__)[-1]
        report.failures.append(Problem(str(where), f"internal error: {exc!r} at {last.filename}:{last.lineno}", fmt))
    return []


def _write(outputs: list[Output], ctx: ExportContext, writer: OutputWriter, report: BuildReport, fmt: str) -> None:
    try:  # check every path first: all of an export is written, or none of it
        paths = [output.path for output in outputs]
        if len(set(paths)) != len(paths):
            raise ExportError(Problem(fmt, "an exporter returned two outputs with the same path", "output"))
        for path in paths:
            writer.check(path)
    except PressrunError as exc:
        report.failures.extend(exc.problems)
        return
    for output in outputs:
        writer.write(output.path, output.data)
        ctx.written.append(output)
        report.written.append(output.path)
