"""What a build keeps in the output folder for the next one (the reading memo, exporters' fragments): a
``(salt, dict)`` pickle, trusted only when written with the same salt. Deleting it only costs time."""

from __future__ import annotations

import pickle
from pathlib import Path

# What a missing, truncated, foreign or outdated file raises when unpickled.
_UNREADABLE = (OSError, ValueError, TypeError, EOFError, pickle.UnpicklingError, AttributeError, ImportError)


def load_salted(path: Path, salt: str) -> dict:
    """The dict stored at ``path`` if it was stored with ``salt``; else (none, unreadable, stale) an empty one."""
    try:
        with path.open("rb") as handle:
            stored_salt, stored = pickle.load(handle)
    except _UNREADABLE:
        return {}
    return stored if stored_salt == salt and isinstance(stored, dict) else {}
