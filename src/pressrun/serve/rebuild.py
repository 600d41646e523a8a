"""One rebuild: an incremental build into the preview folder, one terminal line, the state pages see."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import replace

from pressrun.build import BuildOptions, BuildReport, build
from pressrun.errors import PressrunError, Problem, Severity
from pressrun.serve.folder import PreviewFolder
from pressrun.serve.state import PreviewState


class Rebuilder:
    def __init__(self, options: BuildOptions, folder: PreviewFolder, state: PreviewState, say: Callable[[str], None]):
        self.options, self.folder, self.state, self.say = options, folder, state, say

    def run(self, why: str, jobs: int = 1) -> None:
        """Build, then tell the terminal and the pages. Problems never stop the server: the pages show them."""
        started = time.perf_counter()
        try:
            report = build(replace(self.options, jobs=jobs))
        except PressrunError as exc:
            report = BuildReport(problems=list(exc.problems), invalid_input=True)
        except Exception:  # a bug in pressrun or a plugin: shown like a problem, the server goes on
            trace = traceback.format_exc().rstrip()
            self.say(trace)
            bug = Problem("pressrun", f"internal error (a bug: please report it): {trace.splitlines()[-1]}", "serve")
            report = BuildReport(failures=[bug], invalid_input=True)
        seconds = time.perf_counter() - started
        failed = report.invalid_input or bool(report.failures) or not report.complete
        errors = [str(p) for p in report.problems if p.severity is Severity.ERROR] + [str(p) for p in report.failures]
        self.state.publish(failed, errors, self.folder.media_types())
        self.say(f"{time.strftime('%H:%M:%S')} {why} → {_outcome(report, failed)} in {seconds:.2f} s")
        for problem in report.problems:
            self.say(f"  {problem}")
        for failure in report.failures:
            self.say(f"  failed: {failure}")


def _outcome(report: BuildReport, failed: bool) -> str:
    if report.invalid_input:
        count = sum(1 for p in report.problems if p.severity is Severity.ERROR) + len(report.failures)
        return f"{count} problem(s), nothing published: the pages show them until the next good save"
    rendered = report.rendered
    names = ", ".join(rendered[:3]) + (f" and {len(rendered) - 3} more" if len(rendered) > 3 else "")
    what = f"rendered {names}" if rendered else "no article rendered"
    parts = [f"{what} ({report.articles} article(s))", f"{len(report.written)} file(s) written"]
    if report.removed:
        parts.append(f"{len(report.removed)} removed")
    if failed:
        parts.append(f"{len(report.failures)} export(s) failed: the pages show them")
    return ", ".join(parts)

