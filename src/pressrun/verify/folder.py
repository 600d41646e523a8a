"""What is in an output folder: every file but the build's local reading cache."""

from __future__ import annotations

import os
from pathlib import Path

from pressrun.readers.memo import MEMO

CACHE_DIR = MEMO.split("/")[0]  # the build's reading cache: local to this machine, never published


def walk(root: Path) -> list[str]:
    """Every file in the output folder except the cache folder, as sorted POSIX paths relative to it."""
    paths = []
    for folder, dirs, names in os.walk(root):
        here = Path(folder).relative_to(root)
        if here == Path("."):
            dirs[:] = [d for d in dirs if d != CACHE_DIR]
        paths.extend((here / name).as_posix() for name in names)
    return sorted(paths)
