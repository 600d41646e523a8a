"""Peak memory that does not grow with the number of articles (issue 19), once they are read.

Reading 1,000 articles allocates and frees ~50 KB of parse objects an article between the few bytes each
keeps (its teaser, its packed form); glibc keeps the freed pieces, and the build's later phases start from
that higher mark (measured: 59 MB after reading 1,000 benchmark articles, 46 MB after ``malloc_trim``;
elsewhere than glibc nothing is trimmed). What reading keeps then lives to the end of the build: frozen out
of the cyclic garbage collector's generations (``gc.freeze``), it is not scanned again and again, and the
collector, counting only what rendering makes, runs often enough that cyclic garbage (reportlab makes some)
does not pile up (N=1000, all formats, -j 1: peak 214 → 205 MB, 1.5 s faster in one measurement).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


def release_freed_memory() -> None:
    """Give the system back what the allocator holds free (a few milliseconds)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@contextmanager
def kept_to_the_end() -> Iterator[None]:
    """What is alive now stays alive for the block: freed memory given back, the survivors frozen out of the
    collector's generations, and thawed at the end (``pressrun serve`` builds again in the same process)."""
    release_freed_memory()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


# Young objects that start a collection while sources are read (CPython's default: 700).
READING_THRESHOLD = 10_000


@contextmanager
def few_collections_while_reading() -> Iterator[None]:
    """Speed (issue 19): reading an article holds a few thousand parse objects at once (its tokens) and frees
    them by reference counting; at CPython's default threshold each article set off a collection or more, and
    every tenth of those a scan of everything kept so far (N=1000: 76 ms of collections while reading, 5 ms
    with this threshold). The articles read are not cyclic garbage, so there is nothing more to collect."""
    before = gc.get_threshold()
    gc.set_threshold(max(READING_THRESHOLD, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
