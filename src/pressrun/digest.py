"""Content hashes of whole folders (the theme, pressrun's own code) for rebuild keys."""

from __future__ import annotations

import hashlib
from collections.abc import Container
from functools import lru_cache
from pathlib import Path


_PACKAGE = Path(__file__).resolve().parent


CODE_SUFFIXES = (".py", ".j2", ".css", ".yaml", ".json")  # what shapes the outputs (not the README files)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of pressrun's own source: what it reads and writes changes with the code, not only the version. Its
    data files count as code: an edited label catalogue (``labels/catalogue/*.yaml``) changes every page in its
    language, and was missed when only ``.py``, ``.j2`` and ``.css`` counted (a rebuild kept English labels)."""
    return tree_digest(_PACKAGE, CODE_SUFFIXES)


def tree_digest(root: Path, suffixes: Container[str] | None = None) -> str:
    """sha256 over every file under ``root`` (only ``suffixes`` if given): relative names and bytes, in name order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and (suffixes is None or p.suffix in suffixes)):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
