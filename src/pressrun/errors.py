"""Located problems and the one exception type that carries them to the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path


# Exit codes of the command line (documented in the README).
EXIT_OK = 0
EXIT_EXPORT_FAILED = 1
EXIT_INVALID_INPUT = 2


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a source, located as precisely as we know."""

    path: str
    message: str
    field: str | None = None
    line: int | None = None
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        label = f"{self.field}: " if self.field else ""
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{where}: {prefix}{label}{self.message}"


class PressrunError(Exception):
    """A user-facing failure: bad input or an export that could not be produced."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(path="pressrun", message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class SourceError(PressrunError):
    """The sources are invalid; nothing should be written."""


class ExportError(PressrunError):
    """An exporter could not produce a valid output for an article."""


class Diagnostics:
    """Collects every problem of a run so that all are reported together."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, path: Path | str, message: str, field: str | None = None, line: int | None = None) -> None:
        self.problems.append(Problem(str(path), message, field, line, Severity.ERROR))

    def warning(self, path: Path | str, message: str, field: str | None = None, line: int | None = None) -> None:
        self.problems.append(Problem(str(path), message, field, line, Severity.WARNING))

    def extend(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]
