"""read all → export (per article, in parallel; then per publication) → write atomically → report."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from pressrun import clock, model, registry
from pressrun.memory import kept_to_the_end
from pressrun.cache import (FRAGMENTS, MANIFEST, Entry, Manifest, article_key, build_salt, load_fragments, part_key,
                            remove_stale, store_fragments)
from pressrun.errors import EXIT_EXPORT_FAILED, EXIT_INVALID_INPUT, EXIT_OK, ExportError, PressrunError, Problem, Severity
from pressrun.exporters.base import ExportContext, Exporter, Output, Part, Written, publication_languages
from pressrun.parallel import ArticleRenderer, render_articles
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
    cluster: str | None = None  # render articles on Dask: a scheduler address or local:N (`--cluster`, pressrun[cluster])
    base_url: str | None = None  # publish for this address instead of publication.yaml's (`pressrun serve`)
    now: datetime | None = None  # the build clock (`--now`); None: SOURCE_DATE_EPOCH, else the machine's clock
    wire: Path | None = None  # partners' folder (`--wire`); None: `wire/` beside the output folder


@dataclass
class BuildReport:
    problems: list[Problem] = field(default_factory=list)
    failures: list[Problem] = field(default_factory=list)  # exports that could not be produced
    written: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # slugs of the articles rendered (not reused)
    removed: list[str] = field(default_factory=list)  # stale outputs deleted
    held: list[str] = field(default_factory=list)  # "<source>: held until T" / ": withheld": left out of public outputs
    wire_written: list[str] = field(default_factory=list)  # paths inside the wire folder
    wire_removed: list[str] = field(default_factory=list)
    articles: int = 0
    invalid_input: bool = False
    complete: bool = False  # ran to the end and wrote the manifest (what `build --verify` checks)
    # What writing rendered articles cost this process (the client of a cluster): the benchmark's write throughput.
    write_seconds: float = 0.0
    bytes_written: int = 0

    @property
    def exit_code(self) -> int:
        if self.invalid_input:
            return EXIT_INVALID_INPUT
        return EXIT_EXPORT_FAILED if self.failures else EXIT_OK


Progress = Callable[[str, int, int], None]  # (article just rendered, articles done, articles to render)
# Where articles are rendered: (ctx, exporter classes, indexes, keep_going, timeout) → (index, result) pairs.
Renderer = Callable[[ExportContext, list[type[Exporter]], list[int], bool, float | None], Iterator[tuple[int, Any]]]


def validate(options: BuildOptions, memo: SourceMemo | None = None) -> tuple[SourceSet, Theme | None, BuildReport]:
    """Read the theme and every source; collect all problems."""
    report = BuildReport()
    theme = None
    try:
        theme = load_theme(options.styles)
    except PressrunError as exc:
        report.problems.extend(exc.problems)
    # With --cluster too: the sources are read here, in -j processes, before the cluster is reached.
    sources = read_sources(options.source, memo, options.base_url, options.jobs)
    report.problems.extend(sources.diagnostics.problems)
    if theme is not None:
        report.problems.extend(missing_labels(theme, sources))
    if options.strict:
        report.problems = [Problem(p.path, p.message, p.field, p.line) for p in report.problems]
    report.invalid_input = sources.publication is None or any(p.severity is Severity.ERROR for p in report.problems)
    report.articles = len(sources.articles)
    return sources, theme, report


def missing_labels(theme: Theme, sources: SourceSet) -> list[Problem]:
    """One warning per language the articles are in that has no labels of its own (never one per article)."""
    languages = sorted({a.language for a in sources.articles} | ({sources.publication.language} if sources.publication else set()))
    problems = []
    for language in languages:
        missing = theme.missing_labels(language)
        if missing:
            problems.append(Problem(
                str(theme.root / "theme.yaml"),
                f"no labels in '{language}' for {', '.join(missing)}: the {theme.language} ones are printed; add them "
                f"under 'labels: {language}:' in the theme", "labels", severity=Severity.WARNING))
    return problems


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Read and validate everything, then publish: plan, articles, publication parts, commit; then the wire."""
    classes = registry.load(options.formats)  # unknown formats fail before anything is read
    now = clock.now(options.now)  # the one reading of the time: embargoes and the news sitemap's window
    wire = [c for c in classes if c.wire]
    options = replace(options, now=now, wire=wire_folder(options) if wire else None)
    memo = _load_memo(options)
    sources, theme, report = validate(options, memo)
    if sources.publication is None or theme is None or (report.invalid_input and not options.keep_going):
        return report
    with kept_to_the_end():  # what reading keeps lives as long as the build
        _publish(options, sources, theme, memo, classes, report, progress)
    return report


def _publish(options: BuildOptions, sources: SourceSet, theme: Theme, memo: SourceMemo, classes: list[type[Exporter]],
             report: BuildReport, progress: Progress | None) -> None:
    """The public outputs, then (when a wire exporter takes part) the wire."""
    assert sources.publication is not None and options.now is not None
    now = options.now
    wire = [c for c in classes if c.wire]
    public = [a for a in sources.articles if a.held(now) is None]
    report.held = [f"{a.source_path}: {a.held(now)}" for a in sources.articles if a.held(now) is not None]
    memo.forget({a.id for a in sources.articles} - {a.id for a in public})
    with _article_renderer(options) as renderer:  # a cluster is reached (or refused) before anything is written
        run = _Publishing(options, sources.publication, theme, public, [c for c in classes if not c.wire], report,
                          sources.article)
        run.publish_assets()
        rendered = run.render_articles(progress, renderer)
    if rendered and run.render_publication_parts():
        run.commit(memo)
        if wire:
            _publish_wire(options, sources, theme, wire, report)


def wire_folder(options: BuildOptions) -> Path:
    """Where partners' files go: ``--wire``, else ``wire/`` beside the output folder. Never inside the published
    folder (nor holding it): embargoed items are written there."""
    out = options.out.resolve()
    wire = (options.wire or out.parent / "wire").resolve()
    if wire == out or wire.is_relative_to(out) or out.is_relative_to(wire):
        raise PressrunError(Problem(str(options.wire or wire), f"the wire folder must be outside the output folder "
                                    f"{options.out} (and not hold it): it holds embargoed items; choose --wire DIR", "wire"))
    return wire


def _publish_wire(options: BuildOptions, sources: SourceSet, theme: Theme, classes: list[type[Exporter]],
                  report: BuildReport) -> None:
    """The wire exporters over every article, held ones included, into the wire folder with its own manifest
    (the output folder's must not name a held article). Rendered here, never on a cluster: ninjs is cheap."""
    assert options.wire is not None and sources.publication is not None
    wire_options = replace(options, out=options.wire, cluster=None)
    wire_report = BuildReport()
    with _article_renderer(wire_options) as renderer:
        run = _Publishing(wire_options, sources.publication, theme, sources.articles, classes, wire_report, sources.article)
        if run.render_articles(None, renderer) and run.render_publication_parts():
            run.commit(None)
    report.failures.extend(wire_report.failures)
    report.wire_written, report.wire_removed = wire_report.written, wire_report.removed


@contextmanager
def _article_renderer(options: BuildOptions) -> Iterator[Renderer]:
    """This process and its -j workers (results in order), or a Dask cluster (results as they finish)."""
    if not options.cluster:
        yield lambda ctx, classes, indexes, keep_going, timeout: (
            pair for pair in zip(indexes, render_articles(ctx, classes, indexes, options.jobs, keep_going, timeout)))
        return
    from pressrun.cluster import connect

    with connect(options.cluster) as cluster:
        yield partial(cluster.render, renderer=ArticleRenderer)


class _Publishing:
    """One build's publishing steps over the shared state: the context, the writer and both manifests."""

    def __init__(self, options: BuildOptions, publication: model.Publication, theme: Theme,
                 articles: list[model.Teaser], classes: list[type[Exporter]], report: BuildReport,
                 load: Callable[[model.Teaser], model.Article]):
        self.options, self.classes, self.report = options, classes, report
        self.articles = articles
        formats = [c.name for c in classes]
        languages = publication_languages(articles, publication.language)
        self.ctx = ExportContext(publication, theme, articles, tuple(formats), languages=languages, now=options.now,
                                 load=load)
        self.writer = OutputWriter(options.out)
        self.writer.remove_leftovers()
        # What the last build wrote is removed when no longer produced even with --force (which only stops its
        # reuse): a withheld or canceled article's pages must go however the build is run.
        self.previous = Manifest.load(options.out)
        self.old = self.previous if options.incremental else Manifest()
        self.new = Manifest()
        self.salt = build_salt(publication, theme, formats)
        if options.base_url:  # every URL (and default id) follows it: outputs for another address are stale
            self.salt = hashlib.sha256(f"{self.salt}|base_url {publication.base_url}".encode()).hexdigest()
        if languages:  # every page links its language's feeds: a language coming or going changes them all
            self.salt = hashlib.sha256(f"{self.salt}|languages {' '.join(languages)}".encode()).hexdigest()
        if options.incremental:
            self.ctx.fragments.stored = load_fragments(options.out, self.salt)

    def publish_assets(self) -> None:
        """Copy every image the articles use; pages, feeds and books all point at these copies."""
        for article in self.articles:
            for image in article.images():
                if image.output_path not in self.new.assets:
                    self.writer.write(image.output_path, image.path.read_bytes())
                    self.report.written.append(image.output_path)
                    self.new.assets.append(image.output_path)

    def render_articles(self, progress: Progress | None, renderer: Renderer) -> bool:
        """Per-article exports: unchanged articles are reused, the rest rendered (in parallel with -j, or on a cluster).

        False when a failure stops the build (without --keep-going).
        """
        keys = {a.id: article_key(a, self.salt, a.source_path) for a in self.articles}
        self.ctx.content_keys = keys
        stale = []
        for index, article in enumerate(self.articles):
            entry = self.old.fresh(article.id, keys[article.id], self.options.out)
            if entry is None:
                stale.append(index)
            else:
                self.new.articles[article.id] = entry
                self.ctx.written.extend(entry.outputs)
        classes = [c for c in self.classes if _has_article_exports(c)]
        o = self.options
        reported: list[tuple[int, list[Problem]]] = []  # (index, its failures) in the order results came
        rendered, failures = len(self.report.rendered), len(self.report.failures)
        with closing(renderer(self.ctx, classes, stale, o.keep_going, o.export_timeout)) as results:
            for done, (index, result) in enumerate(results, start=1):
                article = self.articles[index]
                started = time.perf_counter()  # a measurement only: nothing written depends on it
                reported.append((index, self._record(article, keys[article.id], result)))
                self.report.write_seconds += time.perf_counter() - started
                if progress:
                    progress(article.slug, done, len(stale))
                if self.report.failures and not o.keep_going:
                    return False
        # A cluster hands articles back as they finish: report them in the articles' order, as a local build does.
        reported.sort(key=lambda r: r[0])
        self.report.rendered[rendered:] = [self.articles[index].slug for index, _ in reported]
        self.report.failures[failures:] = [problem for _, problems in reported for problem in problems]
        return True

    def _record(self, article: model.Teaser, key: str, result: Any) -> list[Problem]:
        """Write one rendered article and enter it in the new manifest; its failures."""
        before = len(self.report.failures)
        entry = Entry(key)
        for fmt in result.formats:
            self.report.failures.extend(fmt.problems)
            records = self.write(fmt.outputs)
            entry.outputs.extend(records)
            self.report.bytes_written += sum(record.size for record in records)
            if fmt.problems:
                entry.key = ""  # a failed article is rendered again next time
        self.new.articles[article.id] = entry
        self.report.rendered.append(article.slug)
        return self.report.failures[before:]

    def render_publication_parts(self) -> bool:
        """Indexes, feeds, collections: once, in parts. A part whose articles are unchanged keeps last build's
        files, so an edit rebuilds only the feeds the article is in. False when a failure stops the build."""
        for cls in self.classes:
            exporter = cls(self.ctx)
            for part in exporter.publication_parts(self.articles):
                name = f"{cls.name}:{part.name}"
                made_of = [(a.id, self.new.articles[a.id].key if a.id in self.new.articles else "") for a in part.articles]
                key = part_key(self.salt, name, part.label, made_of)
                entry = self.old.fresh_part(name, key, self.options.out)
                if entry is not None:
                    self.ctx.written.extend(entry.outputs)
                else:
                    failures = len(self.report.failures)
                    entry = Entry(key, self._export_part(exporter, cls.name, part))
                    if len(self.report.failures) > failures:
                        if not self.options.keep_going:
                            return False
                        entry.key = ""  # made again next time
                self.new.parts[name] = entry
        return True

    def _export_part(self, exporter: Exporter, fmt: str, part: Part) -> list[Written]:
        """Export and write one part; what was written. Writing is within the export's time limit and its
        errors are the export's: an output may be made while it is written (``Output.produce``)."""
        try:
            with time_limit(self.options.export_timeout):
                return self.write(exporter.export_part(part))
        except ExportTimedOut as exc:
            publication_file = str(self.options.source / "publication.yaml")
            self.report.failures.append(timed_out(publication_file, fmt, exc.seconds, part=part.name))
        except PressrunError as exc:
            self.report.failures.extend(Problem(p.path, p.message, p.field or fmt, p.line) for p in exc.problems)
        return []

    def commit(self, memo: SourceMemo | None) -> None:
        """Remove what no longer belongs, then write the manifest and the reading memo (none in the wire folder)."""
        self.report.removed = remove_stale(self.options.out, self.previous, self.new)
        self.writer.write(MANIFEST, self.new.to_bytes())
        kept = self.ctx.fragments.kept(self.ctx.content_keys)  # what exporters reuse next time (feed entries)
        if kept.keys() != self.ctx.fragments.stored.keys():
            self.writer.stream(FRAGMENTS, partial(store_fragments, salt=self.salt, fragments=kept))
        if memo is not None and not memo.unchanged:
            self.writer.stream(MEMO, memo.write_to)  # written as pickled: never a second copy in memory
        self.report.complete = True

    def write(self, outputs: list[Output]) -> list[Written]:
        """Write one export's outputs: every path is checked first, so all of it is written or none."""
        try:
            paths = [output.path for output in outputs]
            if len(set(paths)) != len(paths):
                raise ExportError(Problem(paths[0], "an exporter returned two outputs with the same path", "output"))
            for path in paths:
                self.writer.check(path)
        except PressrunError as exc:
            self.report.failures.extend(exc.problems)
            return []
        records = []
        # Produced outputs first: one that fails while it is made (an unreadable image) leaves nothing written.
        for output in sorted(outputs, key=lambda o: o.produce is None):
            if output.produce is None:
                self.writer.write(output.path, output.data)
                record = output.record()
            else:
                record = output.record(self.writer.produce(output.path, output.produce))
            self.report.written.append(output.path)
            self.ctx.written.append(record)
            records.append(record)
        return records


def _load_memo(options: BuildOptions) -> SourceMemo:
    try:
        publication_file = (options.source / "publication.yaml").read_bytes()
    except OSError:
        publication_file = b""  # reported by the reader
    if options.base_url:  # articles as read hold URLs and ids made from it
        publication_file += f"\0base_url {options.base_url}".encode()
    return SourceMemo.load(options.out, publication_file, trust=options.incremental)


def _has_article_exports(cls: type[Exporter]) -> bool:
    return cls.export_article is not Exporter.export_article
