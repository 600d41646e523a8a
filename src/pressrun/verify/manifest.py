"""The build manifest (``.pressrun-manifest.json``, see ``pressrun.cache``): every file it lists exists with the
recorded size, and nothing in the output folder is unlisted except the manifest itself and the reading cache.
A file that disagrees with the manifest was changed, damaged or added after the build."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from pressrun.cache import MANIFEST, SCHEMA
from pressrun.verify.findings import CheckOptions, Finding, line_of
from pressrun.verify.folder import walk


def check(root: Path, files: list[str], options: CheckOptions) -> list[Finding]:
    path = root / MANIFEST
    if not path.is_file():
        return [Finding(MANIFEST, "manifest", "missing: this folder was not written by `pressrun build`")]
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        records = _records(json.loads(text))
    except json.JSONDecodeError as exc:
        return [Finding(MANIFEST, "manifest", f"not valid JSON: {exc.msg}", exc.lineno)]
    except ValueError as exc:
        return [Finding(MANIFEST, "manifest", str(exc))]

    findings: list[Finding] = []
    listed: set[str] = set()
    for rel, size in records:
        line = line_of(text, f'"path": {json.dumps(rel)}', json.dumps(rel))
        where = f"{MANIFEST}:{line}" if line else MANIFEST
        if not _inside(rel):
            findings.append(Finding(MANIFEST, "manifest", f"lists {rel!r}, a path outside the output folder", line))
            continue
        listed.add(rel)
        target = root / rel
        if not target.is_file():
            findings.append(Finding(rel, "manifest", f"listed in {where} but missing"))
        elif size is not None and target.stat().st_size != size:
            actual = target.stat().st_size
            findings.append(Finding(rel, "manifest", f"{actual} bytes, but {where} records {size}: changed after the build"))
    for rel in walk(root):
        if rel != MANIFEST and rel not in listed:
            findings.append(Finding(rel, "manifest", f"not listed in {MANIFEST}: not written by the last build"))
    return findings


def _records(raw: object) -> list[tuple[str, int | None]]:
    """(path, size) of every output and asset the manifest lists; assets record no size."""
    if not isinstance(raw, dict) or raw.get("schema") != SCHEMA:
        found = raw.get("schema") if isinstance(raw, dict) else None
        raise ValueError(f"manifest schema {found!r}, expected {SCHEMA}: written by another pressrun version?")
    try:
        records = [
            (str(output["path"]), int(output["size"]))
            for group in ("articles", "parts")
            for entry in raw[group].values()
            for output in entry["outputs"]
        ]
        records += [(str(asset), None) for asset in raw.get("assets", [])]
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ValueError(f"unexpected structure ({type(exc).__name__}: {exc})") from exc
    return records


def _inside(rel: str) -> bool:
    posix = PurePosixPath(rel)
    return bool(rel) and not posix.is_absolute() and ".." not in posix.parts and "\\" not in rel
