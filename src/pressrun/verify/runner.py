"""Pick the files of each kind in an output folder, run each kind's checks, and report."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pressrun.cache import MANIFEST
from pressrun.errors import EXIT_EXPORT_FAILED, EXIT_OK, PressrunError
from pressrun.verify.findings import CheckOptions, Finding
from pressrun.verify.folder import walk

# kind → module with `check(root, files, options) -> list[Finding]`, imported only when that kind runs
# (each module imports its checker library at the top: pypdf, python-docx, feedparser…).
KINDS: dict[str, str] = {
    "html": "pressrun.verify.html",
    "pdf": "pressrun.verify.pdf",
    "docx": "pressrun.verify.docx",
    "epub": "pressrun.verify.epub",
    "feed": "pressrun.verify.feeds",
    "manifest": "pressrun.verify.manifest",
}
LABELS = {"html": "HTML", "pdf": "PDF", "docx": "DOCX", "epub": "EPUB", "feed": "feed", "manifest": "manifest"}


@dataclass
class VerifyReport:
    out: Path
    checked: dict[str, int] = field(default_factory=dict)  # kind → files checked
    findings: list[Finding] = field(default_factory=list)

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if not f.skipped]

    @property
    def exit_code(self) -> int:
        return EXIT_EXPORT_FAILED if self.problems else EXIT_OK

    def summary(self) -> str:
        counts = ", ".join(f"{n} {LABELS[kind]}" for kind, n in self.checked.items())
        problems = self.problems
        files = len({f.path for f in problems})
        verdict = f"{len(problems)} problem(s) in {files} file(s)" if problems else "0 problems"
        skipped = sum(f.skipped for f in self.findings)
        if skipped:
            verdict += f" ({skipped} check(s) skipped, see above)"
        return f"pressrun verify: checked {counts} in {self.out.as_posix()}: {verdict}"


def kinds_for(formats: list[str] | None) -> list[str]:
    """The kinds to check for ``--format`` (every kind when None); unknown names are a usage error."""
    if not formats:
        return list(KINDS)
    unknown = [name for name in formats if name not in KINDS]
    if unknown:
        raise PressrunError(f"unknown format(s): {', '.join(unknown)}; available: {', '.join(KINDS)}")
    return [kind for kind in KINDS if kind in formats]


def verify(out: Path, formats: list[str] | None = None, schemas: Path | None = None) -> VerifyReport:
    kinds = kinds_for(formats)
    if not out.is_dir():
        raise PressrunError(f"{out}: output folder not found (build first, or pass --out DIR)")
    if schemas is not None and not schemas.is_dir():
        raise PressrunError(f"{schemas}: schema folder not found (--schemas DIR)")
    root = out.resolve()
    files = select_files(root)
    options = CheckOptions(schemas=schemas)
    report = VerifyReport(out)
    for kind in kinds:
        module = importlib.import_module(KINDS[kind])
        report.checked[kind] = len(files[kind])
        report.findings.extend(module.check(root, files[kind], options))
    return report


def select_files(root: Path) -> dict[str, list[str]]:
    """Output files by kind (POSIX paths relative to ``root``, sorted); the local cache is never published."""
    found: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for rel in walk(root):
        kind = _kind(rel)
        if kind:
            found[kind].append(rel)
    found["manifest"] = [MANIFEST]  # checked even when missing: that is a finding
    return found


def _kind(rel: str) -> str | None:
    suffix = PurePosixPath(rel).suffix.lower().lstrip(".")
    if rel == MANIFEST:
        return None
    if suffix in ("html", "htm"):
        return "html"
    if suffix in ("pdf", "docx", "epub"):
        return suffix
    # Feeds are recognised by their folder: a plugin may well write other XML or JSON elsewhere.
    if rel.startswith("feeds/") and suffix in ("xml", "json"):
        return "feed"
    return None
