"""What the last build left, shared by the rebuild loop (one writer) and the server's threads (readers)."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Snapshot:
    token: str  # changes with every build (and every session): a page served with another token is out of date
    failed: bool = False  # the sources are invalid or an export failed: pages show ``problems`` instead
    problems: tuple[str, ...] = ()  # ``file:line: field: message`` lines, as the CLI prints them
    media_types: dict[str, str] = field(default_factory=dict)  # output path -> the type its exporter declared


class PreviewState:
    def __init__(self) -> None:
        self._session = secrets.token_hex(4)
        self._generation = 0
        self._cond = threading.Condition()
        self._snapshot = Snapshot(self._token())
        self.closed = False

    def _token(self) -> str:
        return f"{self._session}-{self._generation}"

    def snapshot(self) -> Snapshot:
        with self._cond:
            return self._snapshot

    def publish(self, failed: bool, problems: list[str], media_types: dict[str, str]) -> Snapshot:
        """A build has finished: wake every page that listens."""
        with self._cond:
            self._generation += 1
            self._snapshot = Snapshot(self._token(), failed, tuple(problems), media_types)
            self._cond.notify_all()
            return self._snapshot

    def wait(self, token: str, timeout: float) -> Snapshot | None:
        """The state once its token differs from ``token`` (or after ``timeout``); None once closed."""
        with self._cond:
            self._cond.wait_for(lambda: self.closed or self._snapshot.token != token, timeout)
            return None if self.closed else self._snapshot

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()
