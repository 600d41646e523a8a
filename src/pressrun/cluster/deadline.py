"""The export time budget in a thread that is not the main one (a Dask worker runs its tasks in threads).

``timelimit.time_limit`` stops an export with SIGALRM, and only the main thread receives signals. Here a
watchdog timer raises the stop in the rendering thread instead (``PyThreadState_SetAsyncExc``): like a
signal it lands between two bytecodes, so it stops pure-Python loops (reportlab's, a plugin's) but not
code stuck inside a C extension. As in timelimit.py the stop derives from BaseException (an exporter's
``except Exception`` cannot swallow it), each limit raises its own subclass, a stop swallowed by a bare
``except:`` is sent again every RETRY seconds, and the caller sees timelimit's ``ExportTimedOut``. In the
main thread this is simply ``timelimit.time_limit``.
"""

from __future__ import annotations

import ctypes
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from pressrun.timelimit import RETRY, ExportTimedOut, can_limit, time_limit


class _Stop(BaseException):
    """Unwinds the export from the watchdog; a subclass per limit."""


@contextmanager
def thread_time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``ExportTimedOut`` in the block if it runs longer than ``seconds`` (None or 0: no limit)."""
    if can_limit():
        with time_limit(seconds):
            yield
        return
    if not seconds or seconds <= 0 or not math.isfinite(seconds):
        yield
        return
    watchdog = _Watchdog(seconds)
    try:
        try:
            yield
        finally:
            watchdog.stop()
    except watchdog.expired:
        raise ExportTimedOut(seconds) from None


def _raise_in(thread: int, exception: type[BaseException] | None) -> None:
    """Raise ``exception`` in the thread at its next bytecode; None clears one sent but not yet raised."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), ctypes.py_object(exception) if exception else None)


class _Watchdog:
    def __init__(self, seconds: float):
        self.thread = threading.get_ident()
        self.expired: type[_Stop] = type("Expired", (_Stop,), {})
        self.lock = threading.Lock()
        self.active = True
        self.timer = self._after(seconds)

    def _after(self, seconds: float) -> threading.Timer:
        timer = threading.Timer(seconds, self._fire)
        timer.daemon = True
        timer.start()
        return timer

    def _fire(self) -> None:
        with self.lock:
            if self.active:
                _raise_in(self.thread, self.expired)
                self.timer = self._after(RETRY)  # until the block has really ended

    def stop(self) -> None:
        """End the watch; a stop raised while ending it is absorbed (the block is over by then)."""
        while True:
            try:
                with self.lock:
                    self.active = False
                    self.timer.cancel()
                    _raise_in(self.thread, None)
                return
            except self.expired:
                continue
