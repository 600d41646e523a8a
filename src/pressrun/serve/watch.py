"""Watching source/ and styles/: bursts of events become one change set.

watchfiles yields once no event has come for ``STEP`` ms (at most ``DEBOUNCE`` ms after the first), so an editor
that saves a temporary file and renames it over the article, or saves twice in a row, causes one rebuild.
Editors' scratch files (``.article.md.swp``, ``article.md~``, ``.#article.md``, ``*.tmp``, vim's ``4913``) are
not changes of the sources. Events that arrive while a build runs are kept and yielded after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from watchfiles import Change, DefaultFilter, watch

DEBOUNCE = 1600  # ms: the longest a burst is gathered
STEP = 120  # ms of quiet that ends a burst
RUST_TIMEOUT = 300  # ms


class SourceFilter(DefaultFilter):
    ignore_entity_patterns = (
        *DefaultFilter.ignore_entity_patterns,
        r"\.tmp$", r"\.temp$", r"^\.goutputstream-", r"^4913$", r"\.crswap$", r"\.kate-swp$", r"^\.~lock\.",
    )


class Watcher:
    """watchfiles over ``folders``; ``start()`` returns once it is watching (with any changes seen meanwhile)."""

    def __init__(self, folders: list[Path]):
        paths = [f for f in folders if f.is_dir()]
        # The Rust side gives up waiting every RUST_TIMEOUT ms (an empty batch), so start() knows it is watching.
        self._batches = watch(*paths, watch_filter=SourceFilter(), debounce=DEBOUNCE, step=STEP,
                              rust_timeout=RUST_TIMEOUT, yield_on_timeout=True, raise_interrupt=True)

    def start(self) -> set[tuple[Change, str]]:
        return _settle(next(self._batches))

    def __iter__(self) -> Iterator[set[tuple[Change, str]]]:
        """Change sets until KeyboardInterrupt."""
        for batch in self._batches:
            settled = _settle(batch)
            if settled:
                yield settled

    def close(self) -> None:
        self._batches.close()


def stamp(folders: list[Path]) -> dict[str, tuple[int, int]]:
    """Every file's size and modification time: what changed before the watcher started is found by comparing."""
    stamps = {}
    for folder in folders:
        for path in folder.rglob("*") if folder.is_dir() else ():
            try:
                st = path.stat()
            except OSError:
                continue
            stamps[str(path)] = (st.st_size, st.st_mtime_ns)
    return stamps


def _settle(changes: set[tuple[Change, str]]) -> set[tuple[Change, str]]:
    """Without the files that came and went within the burst (an editor's or a tool's temporary file)."""
    added = {path for change, path in changes if change is Change.added}
    return {(c, p) for c, p in changes if not (p in added and not Path(p).exists())}


def describe(changes: set[tuple[Change, str]], folders: list[Path], most: int = 3) -> str:
    """``source/a.md, source/old.md (deleted), styles/theme.yaml and 2 more``: each file once."""
    names = sorted({_name(Path(raw), folders) + ("" if Path(raw).exists() else " (deleted)") for _, raw in changes})
    more = len(names) - most
    return ", ".join(names[:most]) + (f" and {more} more" if more > 0 else "")


def _name(path: Path, folders: list[Path]) -> str:
    for folder in folders:
        try:
            return path.resolve().relative_to(folder.resolve().parent).as_posix()
        except ValueError:
            continue
    return path.name
