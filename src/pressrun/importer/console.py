"""``pressrun import`` on the terminal: options from the arguments, the report printed, the exit code.

The diff goes to standard output (so it can be piped into a file or ``git apply``); problems, comments and the
summary line go to standard error, like every other diagnostic of pressrun.
"""

from __future__ import annotations

import argparse
from typing import Any

from pressrun.errors import Severity
from pressrun.importer.command import ImportOptions, ImportReport, import_docx
from pressrun.importer.document import Changes


def options_from(args: argparse.Namespace) -> ImportOptions:
    changes = Changes.ACCEPT if args.accept_changes else Changes.REJECT if args.reject_changes else Changes.REFUSE
    return ImportOptions(docx=args.docx, source=args.source, styles=args.styles, dry_run=args.dry_run,
                         changes=changes, new=args.new)


def run(args: argparse.Namespace, err: Any) -> int:
    from rich.markup import escape

    options = options_from(args)
    report = import_docx(options)
    for problem in report.problems:
        colour = "yellow" if problem.severity is Severity.WARNING else "red"
        err.print(f"[{colour}]{escape(str(problem))}[/{colour}]")
    for comment in report.comments:
        err.print(f"[cyan]{escape(str(comment))}[/cyan]")
    if report.diff:
        print(report.diff, end="")
    err.print(escape(summary(report, options)))
    return report.exit_code


def summary(report: ImportReport, options: ImportOptions) -> str:
    name = report.target or str(options.docx)
    if report.errors and not report.written:
        return f"pressrun import: {len(report.errors)} error(s); nothing was written"
    if not report.diff:
        return f"pressrun import: {name}: no change (the document shows what the source says)"
    fields = ", ".join(report.changed)
    images = f", {len(report.new_images)} new image(s)" if report.new_images else ""
    if options.dry_run:
        return f"pressrun import: {name}: would change {fields}{images} (dry run: nothing written)"
    if report.errors:
        return f"pressrun import: wrote {name} ({fields}{images}); complete the fields reported above"
    return f"pressrun import: {name}: changed {fields}{images}"
