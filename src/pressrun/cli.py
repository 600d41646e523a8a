"""Command line: arguments in, exit codes out. Only PressrunError is caught; anything else is a bug."""

from __future__ import annotations

import argparse
import atexit
import os
import sys
import threading
from pathlib import Path

from pressrun import __version__
from pressrun.errors import EXIT_INVALID_INPUT, EXIT_OK

# Everything else is imported when a command runs, so `pressrun --help` starts fast.


def _formats(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def _seconds(value: str) -> float:
    seconds = float(value)
    if not seconds >= 0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value}")
    return seconds


def _moment(value: str):
    from pressrun.clock import parse_moment

    try:
        return parse_moment(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"not a port number (0-65535): {value}")
    return int(value)


_CLUSTER_HELP = ("render the articles on a Dask cluster instead of -j processes: a scheduler address (tcp://host:8786) "
                 "or local:N (N worker processes started here); needs pressrun[cluster]")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pressrun",
        description="Publish structured news articles as PDF, DOCX, EPUB, feeds and a web edition.",
    )
    parser.add_argument("--version", action="version", version=f"pressrun {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="validate the sources and publish every format")
    b.add_argument("--source", type=Path, default=Path("source"), help="source folder (default: source)")
    b.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output)")
    b.add_argument("--styles", type=Path, default=Path("styles"), help="theme folder (default: styles)")
    b.add_argument("--format", nargs="+", metavar="NAME", help="only these formats (e.g. 'docx epub' or 'docx,epub')")
    b.add_argument("--keep-going", action="store_true", help="publish what is valid even if some articles or formats fail")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="worker processes for reading and rendering articles (default: all cores; with --cluster, "
                        "for reading)")
    b.add_argument("--force", action="store_true", help="render every article, even those unchanged since the last build")
    b.add_argument("--export-timeout", type=_seconds, default=60.0, metavar="SECONDS",
                   help="stop an export (one article in one format) that runs longer, and report it (default: 60; 0: no limit)")
    b.add_argument("--verify", action="store_true", help="then check what was written, as `pressrun verify` does; fail if any check fails")
    b.add_argument("--cluster", metavar="ADDRESS", help=_CLUSTER_HELP)
    b.add_argument("--now", type=_moment, metavar="DATE-TIME",
                   help="the build clock, e.g. 2024-05-01T09:00:00+04:00: decides embargoes and the news sitemap's "
                        "48 hours (default: SOURCE_DATE_EPOCH when set, else this machine's clock)")
    b.add_argument("--wire", type=Path, metavar="DIR",
                   help="partners' folder for the ninjs items, outside the output folder (default: wire/ beside --out)")

    c = sub.add_parser("check", help="validate the sources without writing anything")
    c.add_argument("--source", type=Path, default=Path("source"))
    c.add_argument("--styles", type=Path, default=Path("styles"))
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")

    sub.add_parser("formats", help="list the available output formats")

    v = sub.add_parser("verify", help="check a published output folder with the checkers a production desk uses")
    v.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output)")
    v.add_argument("--format", nargs="+", metavar="NAME",
                   help="only these checks: html pdf docx epub feed manifest (default: all)")
    v.add_argument("--schemas", type=Path, metavar="DIR",
                   help="ECMA-376 XSD folder for the DOCX schema check (default: the schemas shipped with pressrun)")

    s = sub.add_parser("serve", help="preview locally: build for this machine, serve, rebuild on save, reload the browser")
    s.add_argument("--source", type=Path, default=Path("source"), help="source folder (default: source)")
    s.add_argument("--styles", type=Path, default=Path("styles"), help="theme folder (default: styles)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    s.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000; 0: any free port)")
    s.add_argument("--format", nargs="+", metavar="NAME", help="only these formats (the web edition is always built)")
    s.add_argument("--open", action="store_true", help="open the front page in the web browser")
    s.add_argument("--preview-dir", type=Path, default=Path(".pressrun-preview"), metavar="DIR",
                   help="where the preview is built (default: .pressrun-preview; never a build's output folder)")
    s.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="worker processes for the first build (default: all cores)")

    n = sub.add_parser("new", help="create a new article file with every field documented")
    n.add_argument("headline", help="the new article's headline")
    n.add_argument("--source", type=Path, default=Path("source"))
    _import_parser(sub)
    return parser


def _import_parser(sub) -> None:
    i = sub.add_parser("import", help="bring an edited DOCX back into its article's source, field by field")
    i.add_argument("docx", type=Path, metavar="FILE.docx", help="the DOCX an editor sent back")
    i.add_argument("--source", type=Path, default=Path("source"), help="source folder (default: source)")
    i.add_argument("--styles", type=Path, default=Path("styles"), help="theme folder (default: styles)")
    i.add_argument("--dry-run", action="store_true", help="print the diff of the source; write nothing")
    changes = i.add_mutually_exclusive_group()
    changes.add_argument("--accept-changes", action="store_true", help="import as if every tracked change were accepted")
    changes.add_argument("--reject-changes", action="store_true", help="import as if every tracked change were rejected")
    i.add_argument("--new", action="store_true", help="make a new article from a DOCX pressrun did not write")


def console() -> None:
    """The ``pressrun`` command: ``main``, then, when nothing else is running, out at once.

    A build ends holding a large heap (the reading memo, fonts, reportlab's and lxml's objects); the interpreter's
    own teardown frees it object by object, ~0.1 s of every build (issue 19: an eighth of rebuilding one changed
    article of 1,000). Every output is written and closed by then; the exit handlers still run (``atexit``) and
    the standard streams are flushed, so only the freeing the system does anyway is skipped.
    """
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        code = _reader_gone()
    if threading.active_count() != 1:  # a thread still working would be cut short: the ordinary way out
        sys.exit(code)
    atexit._run_exitfuncs()  # what ``sys.exit`` would run before the teardown (not documented, long stable)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more to say
            pass
    os._exit(code)


SIGPIPE_EXIT = 128 + 13  # how a shell reports a command that wrote to a pipe nobody reads any more


def _reader_gone() -> int:
    """``pressrun formats | head -1``: the reader left. Quietly, as other Unix tools do (no traceback), with
    the status they end with; standard output points nowhere, so writing what is left cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return SIGPIPE_EXIT


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from rich.console import Console

    from pressrun.build import BuildOptions, validate
    from pressrun.errors import PressrunError

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        if args.command == "formats":
            return _list_formats()
        if args.command == "import":
            from pressrun.importer.console import run

            return run(args, err)
        if args.command == "new":
            from pressrun.scaffold import new_article

            path = new_article(args.headline, args.source)
            print(f"created {path}")
            return EXIT_OK
        if args.command == "serve":
            return _serve(args)
        if args.command == "verify":
            return _verify(args.out, _formats(args.format), args.schemas, err)
        if args.command == "check":
            _, _, report = validate(BuildOptions(source=args.source, styles=args.styles, strict=args.strict))
            _print_problems(err, report)
            if not report.invalid_input:
                err.print(f"{report.articles} article(s) valid")
            return report.exit_code
        return _build(args, err)
    except PressrunError as exc:
        for problem in exc.problems:
            err.print(f"[red]error[/red]: {_escape(str(problem))}")
        return EXIT_INVALID_INPUT


def _build(args: argparse.Namespace, err) -> int:
    from pressrun.build import BuildOptions, build

    options = BuildOptions(
        source=args.source, out=args.out, styles=args.styles, formats=_formats(args.format),
        keep_going=args.keep_going, strict=args.strict, jobs=max(1, args.jobs), incremental=not args.force,
        export_timeout=args.export_timeout or None, cluster=args.cluster, now=args.now, wire=args.wire,
    )
    if err.is_terminal:
        from rich.progress import Progress

        with Progress(console=err, transient=True) as bar:
            task = bar.add_task("publishing", total=None)
            report = build(options, progress=lambda slug, done, total: bar.update(task, description=slug, completed=done, total=total))
    else:
        report = build(options)
    _print_problems(err, report)
    for held in report.held:
        err.print(f"[cyan]held[/cyan]: {_escape(held)} (left out of every public output)")
    for failure in report.failures:
        err.print(f"[red]failed[/red]: {_escape(str(failure))}")
    if report.invalid_input and not options.keep_going:
        err.print("nothing was written: fix the errors above and build again")
    else:
        status = "with failures" if report.failures or report.invalid_input else "ok"
        reused = report.articles - len(report.rendered) - len(report.held)
        held = f", {len(report.held)} held" if report.held else ""
        wire = f", {len(report.wire_written)} to the wire folder" if report.wire_written else ""
        err.print(
            f"pressrun: {report.articles} article(s) ({len(report.rendered)} rendered, {reused} unchanged{held}), "
            f"{len(report.written)} file(s) written to {options.out}{wire} — {status}"
        )
    if os.environ.get("PRESSRUN_STATS"):  # for the benchmark: what writing the rendered articles cost this process
        import json

        print("pressrun-stats " + json.dumps({"rendered": len(report.rendered), "write_seconds": report.write_seconds,
                                              "bytes_written": report.bytes_written}), file=sys.stderr)
    if args.verify and report.complete:
        # Only after a build that ran to the end: after an aborted one the folder is not what it wrote.
        from pressrun.verify.runner import KINDS

        kinds = [k for k in KINDS if k == "manifest" or options.formats is None or k in options.formats]
        return max(report.exit_code, _verify(options.out, kinds, None, err))
    return report.exit_code


def _serve(args: argparse.Namespace) -> int:
    from pressrun.serve import ServeOptions, serve

    return serve(ServeOptions(
        source=args.source, styles=args.styles, host=args.host, port=args.port, formats=_formats(args.format),
        open_browser=args.open, preview_dir=args.preview_dir, jobs=max(1, args.jobs),
    ))


def _verify(out: Path, formats: list[str] | None, schemas: Path | None, err) -> int:
    from pressrun.verify.runner import verify

    report = verify(out, formats, schemas)
    for finding in report.findings:
        color = "yellow" if finding.skipped else "red"
        err.print(f"[{color}]{_escape(finding.render(report.out))}[/{color}]")
    err.print(_escape(report.summary()))
    return report.exit_code


def _print_problems(err, report) -> None:
    from pressrun.errors import Severity

    for problem in report.problems:
        color = "yellow" if problem.severity is Severity.WARNING else "red"
        err.print(f"[{color}]{_escape(str(problem))}[/{color}]")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _list_formats() -> int:
    from pressrun import registry

    for name, entry in registry.available().items():
        cls = entry.load()
        print(f"{name:8} {getattr(cls, 'description', '')}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
