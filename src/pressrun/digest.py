"""Content hashes of whole folders (the theme, pressrun's own code) for rebuild keys."""

from __future__ import annotations

import hashlib
from collections.abc import Container
from pathlib import Path


def tree_digest(root: Path, suffixes: Container[str] | None = None) -> str:
    """sha256 over every file under ``root`` (only ``suffixes`` if given): relative names and bytes, in name order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and (suffixes is None or p.suffix in suffixes)):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
