"""``pressrun import FILE.docx``: the import as a straight line of steps.

read the DOCX (refusing what is not one) → tracked changes (refused, accepted or rejected) and comments
(listed) → the article it belongs to, by its id → its parts by style → what changed against the source's own
export → the source with only that rewritten → checked by reading it and exporting it again → a unified diff
→ written atomically (unless ``--dry-run``). Every problem is a located ``Problem``; any error means nothing
is written (exit 2).
"""

from __future__ import annotations

import difflib
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from pressrun import model
from pressrun.errors import EXIT_INVALID_INPUT, EXIT_OK, Diagnostics, PressrunError, Problem, Severity, SourceError
from pressrun.exporters.base import ExportContext
from pressrun.importer import baseline
from pressrun.importer.document import Changes, Document, read_document
from pressrun.importer.files import write_atomic
from pressrun.importer.images import ImageFiles
from pressrun.importer.locate import snippet
from pressrun.importer.parts import PartReader, Parts
from pressrun.importer.session import ArticleImport
from pressrun.importer.snapshot import FIELDS, snapshot
from pressrun.importer.sourcefile import SourceFile
from pressrun.readers import read_sources
from pressrun.readers.article import read_article
from pressrun.theme import Theme, load_theme

BLOCK_FIELDS = frozenset({"body", "why_this_matters"})


@dataclass
class ImportOptions:
    docx: Path
    source: Path = Path("source")
    styles: Path = Path("styles")
    dry_run: bool = False
    changes: Changes = Changes.REFUSE
    new: bool = False
    rewrite: bool = False  # write every field the DOCX carries anew, changed or not (how the tests prove the writer)


@dataclass
class ImportReport:
    problems: list[Problem] = field(default_factory=list)
    comments: list[Problem] = field(default_factory=list)
    diff: str = ""
    target: str | None = None  # the source file, as messages name it
    changed: list[str] = field(default_factory=list)  # the fields rewritten
    written: list[Path] = field(default_factory=list)
    new_images: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID_INPUT if self.errors else EXIT_OK


def shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def import_docx(options: ImportOptions) -> ImportReport:
    report = ImportReport()
    try:
        _run(options, report)
    except PressrunError as exc:
        report.problems.extend(exc.problems)
    return report


def _run(options: ImportOptions, report: ImportReport) -> None:
    docx_shown = shown(options.docx)
    try:
        data = options.docx.read_bytes()
    except OSError as exc:
        raise SourceError(Problem(docx_shown, f"cannot read it: {exc.strerror or exc}")) from None
    doc = read_document(data, docx_shown, options.changes)
    report.comments = [Problem(docx_shown, c.describe(), f"paragraph {c.paragraph}" if c.paragraph else None,
                               severity=Severity.WARNING) for c in doc.comments]
    if doc.changes and options.changes is Changes.REFUSE:
        report.problems += [Problem(docx_shown, c.describe(), f"paragraph {c.paragraph}" if c.paragraph else None)
                            for c in doc.changes]
        report.problems.append(Problem(docx_shown, f"{len(doc.changes)} tracked change(s): accept or reject them in Word, "
                                                   "or import with --accept-changes or --reject-changes"))
        return
    report.problems += doc.problems
    theme = load_theme(options.styles)
    sources = read_sources(options.source)
    if sources.publication is None:
        raise SourceError(sources.diagnostics.errors)
    if options.new:
        from pressrun.importer.new import import_new

        import_new(options, doc, theme, sources, report)
        return
    _import_existing(options, doc, theme, sources, report)


def read_parts(doc: Document, theme: Theme, report: ImportReport | None) -> Parts:
    def warn(number: int, message: str) -> None:
        if report is not None:
            report.problems.append(Problem(doc.package.shown, message, f"paragraph {number}", severity=Severity.WARNING))

    # The byline's "By" is in the document's language (the one pressrun wrote it in).
    language = doc.package.core().get("language") or theme.language
    return PartReader(doc.paras, by_labels(theme, language), warn).read()


def by_labels(theme: Theme, language: str) -> tuple[str, ...]:
    """What a byline starts with in ``language``: "By", or before several names "Авторы", "ავტორები"."""
    labels = theme.labels_for(language)
    return tuple(dict.fromkeys((labels.by, getattr(labels, "by_several", labels.by))))


def _find_article(doc: Document, sources, docx_shown: str, report: ImportReport) -> model.Article:
    ident = doc.identifier
    if not ident:
        # A tool that drops the property (some online editors do) leaves the file name pressrun gave it, slug.docx.
        stem = Path(docx_shown).stem
        for article in sources.articles:
            if article.slug == stem:
                report.problems.append(Problem(docx_shown, f"has no pressrun id (the document property 'identifier'): "
                                               f"matched to {article.source_path} by its file name", severity=Severity.WARNING))
                return sources.article(article)
        raise SourceError(Problem(docx_shown, "has no pressrun id (the document property 'identifier'), so it was not "
                                              "made by pressrun or the property was removed; to make a new article "
                                              "from it, use `pressrun import --new`"))
    for article in sources.articles:
        if article.id == ident:
            return sources.article(article)
    errors = sources.diagnostics.errors
    hint = f"; {len(errors)} source error(s) below may hide it" if errors else ""
    raise SourceError([Problem(docx_shown, f"its id {ident} matches no article in {shown(sources.publication.source_dir)}"
                                           f"{hint} (use --new to make a new article from it)"), *errors])


def _import_existing(options: ImportOptions, doc: Document, theme: Theme, sources, report: ImportReport) -> None:
    article = _find_article(doc, sources, doc.package.shown, report)
    publication = sources.publication
    ctx = ExportContext(publication, theme, [article])
    path = publication.source_dir / Path(article.source_path).name
    source = SourceFile.parse(path, str(article.source_path), doc.package.shown, path.read_bytes())
    report.target = source.shown
    parts = read_parts(doc, theme, report)
    edited = snapshot(parts, warner(doc, report))
    base_parts = read_parts(baseline.render(article, ctx), theme, None)
    if parts.dates != base_parts.dates and parts.dates:
        report.problems.append(Problem(doc.package.shown, "the dates are not imported: change 'published' or 'updated' "
                                       "in the source", f"paragraph {parts.numbers.get('published', 1)}", severity=Severity.WARNING))
    if parts.corrections != base_parts.corrections:
        report.problems.append(Problem(doc.package.shown, "the correction notices are not imported: change 'corrections' "
                                       "in the source", f"paragraph {parts.numbers.get('corrections', 1)}", severity=Severity.WARNING))
    images = ImageFiles.of(article, publication.source_dir, article.slug)
    report.problems += images.check(doc.paras, doc.package.shown)
    if report.errors:
        return
    session = ArticleImport(article, ctx, source, edited, snapshot(base_parts), parts, images)
    report.changed = [name for name in FIELDS if edited[name] != session.base[name]
                      or (options.rewrite and (edited[name] is not None or session.base[name] is not None))]
    new_text = _rewrite(session, report, frozenset(report.changed) if options.rewrite else frozenset())
    if report.errors or new_text is None:
        return
    _finish(options, source, new_text, images, report)


def warner(doc: Document, report: ImportReport):
    def warn(number: int, message: str) -> None:
        report.problems.append(Problem(doc.package.shown, message, f"paragraph {number}", severity=Severity.WARNING))
    return warn


def _rewrite(session: ArticleImport, report: ImportReport, force: frozenset[str]) -> str | None:
    """The new source text, checked by exporting it again; a block field that does not come back as the DOCX
    shows it is written again whole, and what still differs is reported."""
    if not report.changed:
        return None
    text = session.apply(report.changed, force)
    report.problems += session.problems
    if report.errors:
        return None
    differing = verify(session, text)
    retry = frozenset(differing) & BLOCK_FIELDS - force
    if retry and not session.inexact:  # written whole, a field loses what Markdown cannot hold all the same
        session.problems.clear()
        session.inexact.clear()
        text = session.apply(report.changed, force=retry | force)
        differing = verify(session, text)
    for name in differing:
        report.problems.append(Problem(session.source.docx_shown, "the source written does not show exactly what the "
                                       "document shows; check the diff", name, severity=Severity.WARNING))
    for paragraph in dict.fromkeys(session.inexact):
        report.problems.append(Problem(session.source.docx_shown, "CommonMark cannot open or close bold or italic "
                                       f"where this text has it; written without: {snippet(paragraph)}", None,
                                       severity=Severity.WARNING))
    return text


def verify(session: ArticleImport, text: str) -> list[str]:
    """The fields whose export differs from the DOCX, once ``text`` is read and exported as a build would."""
    publication = session.ctx.publication
    with tempfile.TemporaryDirectory(prefix="pressrun-import-") as tmp:
        if session.images.new:
            publication = replace(publication, source_dir=_overlay(session, Path(tmp)))
        diag = Diagnostics()
        article = read_article(session.source.path, Path(session.source.shown), publication, diag, session.source.encode(text))
        if article is None:
            raise SourceError(diag.errors)
        ctx = ExportContext(publication, session.ctx.theme, [article])
        labels = by_labels(session.ctx.theme, article.language)
        again = snapshot(PartReader(baseline.render(article, ctx).paras, labels, lambda n, m: None).read())
    return [name for name in FIELDS if again[name] != session.edited[name]]


def _overlay(session: ArticleImport, root: Path) -> Path:
    """A source folder for the check: the article's images, and the new ones, at their paths."""
    for image in session.article.images():
        target = root / image.src
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(image.path, target)
    for src, data in session.images.new.values():
        target = root / src
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


def unified_diff(old: str, new: str, name: str) -> str:
    """``git diff``'s form for a relative path (``a/source/x.md``); an absolute one as it is."""
    before, after = (name, name) if name.startswith("/") else (f"a/{name}", f"b/{name}")
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        fromfile=before if old else "/dev/null", tofile=after))


def _finish(options: ImportOptions, source: SourceFile, new_text: str, images: ImageFiles, report: ImportReport) -> None:
    if new_text == source.text:
        report.changed = []
        return
    report.diff = unified_diff(source.text, new_text, source.shown)
    images.new = {digest: (src, data) for digest, (src, data) in images.new.items() if src in new_text}
    report.new_images = [src for src, _ in images.new.values()]
    if options.dry_run:
        return
    report.written += images.write()
    write_atomic(source.path, source.encode(new_text))
    report.written.append(source.path)
