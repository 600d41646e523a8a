"""A time budget for one export: an export that never finishes becomes a located failure, not a hung build.

POSIX interval timer (SIGALRM) in the thread that renders: reportlab, python-docx
and the other exporters are pure Python where they loop, so the signal is handled
and an exception unwinds the export. It derives from BaseException so that an
exporter's ``except Exception`` cannot swallow it. The previous handler and timer
are restored afterwards (an outer limit, e.g. a test's, keeps counting and still
fires first if it is due first). Outside the main thread, or without setitimer,
the block simply runs unlimited.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from pressrun.errors import Problem

DEFAULT_EXPORT_TIMEOUT = 60.0  # seconds; BuildOptions.export_timeout, `pressrun build --export-timeout`
BUG_HINT = "report this article as a bug"
RETRY = 0.25  # seconds: a stop swallowed by a bare ``except:`` (reportlab has some) is sent again


class ExportTimedOut(BaseException):
    """Raised out of a ``time_limit`` block whose budget ran out."""

    def __init__(self, seconds: float):
        super().__init__(f"did not finish within {seconds:g} s")
        self.seconds = seconds


class _Expired(BaseException):
    """Unwinds the block from the signal handler. Each limit raises its own subclass and turns only that one
    into ExportTimedOut, so an enclosing limit's expiry passes through an inner block (and its caller)
    untouched. A class, not an attribute: reportlab re-raises an annotated copy, ``type(exc)(message)``."""


def can_limit() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``ExportTimedOut`` in the block if it runs longer than ``seconds`` (None or 0: no limit)."""
    if not seconds or seconds <= 0 or not math.isfinite(seconds) or not can_limit():
        yield
        return
    alarm = _Alarm(seconds)
    alarm.arm()
    try:
        yield
    except alarm.expired:
        raise ExportTimedOut(seconds) from None
    finally:
        alarm.disarm()


class _Alarm:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.armed = False
        self.outer_handler: Any = None
        self.outer_due: float | None = None  # monotonic time an enclosing timer is due, if one is running
        self.outer_interval = 0.0
        self.outer_fired = False
        self.own_due = 0.0
        self.expired: type[_Expired] = type("Expired", (_Expired,), {})

    def arm(self) -> None:
        now = time.monotonic()
        self.outer_handler = signal.getsignal(signal.SIGALRM)
        delay, self.outer_interval = signal.setitimer(signal.ITIMER_REAL, 0)  # pause an enclosing timer
        self.outer_due = now + delay if delay > 0 else None
        self.own_due = now + self.seconds
        signal.signal(signal.SIGALRM, self._on_alarm)
        first = self.seconds if self.outer_due is None else min(self.seconds, delay)
        self.armed = True
        signal.setitimer(signal.ITIMER_REAL, first)

    def _on_alarm(self, signum: int, frame: FrameType | None) -> None:
        if not self.armed:
            return  # the block has just ended: nothing to stop
        now = time.monotonic()
        if self.outer_due is not None and now >= self.outer_due and not self.outer_fired:
            # The enclosing limit is due first: it is its handler's to act on.
            self.outer_fired = True
            if callable(self.outer_handler):
                self.outer_handler(signum, frame)
            signal.setitimer(signal.ITIMER_REAL, max(self.own_due - time.monotonic(), 1e-3))
            return
        signal.setitimer(signal.ITIMER_REAL, RETRY)  # until the block has really ended
        raise self.expired()

    def disarm(self) -> None:
        self.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.outer_handler if self.outer_handler is not None else signal.SIG_DFL)
        # The enclosing timer goes on where it was (one with no Python handler, e.g. the default "terminate",
        # could not be run from here: it is delivered now, late).
        if self.outer_due is not None and (not self.outer_fired or not callable(self.outer_handler)):
            signal.setitimer(signal.ITIMER_REAL, max(self.outer_due - time.monotonic(), 1e-3), self.outer_interval)
        elif self.outer_fired and isinstance(getattr(self.outer_handler, "__self__", None), _Alarm):
            signal.setitimer(signal.ITIMER_REAL, RETRY)  # an enclosing limit of ours keeps knocking until its block ends
        elif self.outer_fired and self.outer_interval > 0:  # a periodic enclosing timer keeps its period
            signal.setitimer(signal.ITIMER_REAL, self.outer_interval, self.outer_interval)


def timed_out(path: str, fmt: str, seconds: float, part: str | None = None) -> Problem:
    """The located failure of an export stopped by its budget."""
    what = f"{fmt} export" if part is None else f"{fmt} export of {part}"
    hint = BUG_HINT if part is None else "report this as a bug"
    return Problem(path, f"{what} did not finish within {seconds:g} s; stopped ({hint})", fmt)
