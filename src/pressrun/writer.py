"""Safe writing into the output folder: atomic, never twice, never outside it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from pressrun.errors import ExportError, Problem


class OutputWriter:
    def __init__(self, out_dir: Path):
        self.root = out_dir
        self.written: set[str] = set()
        self._resolved_root: Path | None = None  # the output folder resolved once: a build writes thousands of files
        self._folders: set[Path] = set()  # folders made (or found) by this build: one mkdir each
        self._targets: dict[str, Path] = {}  # output paths already resolved and found inside
        self._resolved_folders: dict[PurePosixPath, Path] = {}  # a folder of the output, resolved once per build

    def remove_leftovers(self) -> list[Path]:
        """Delete temporary files a killed build left behind (the targets themselves were never touched)."""
        if not self.root.is_dir():
            return []
        leftovers = [p for p in self.root.rglob(".*.tmp") if p.is_file() and not p.is_symlink()]
        for path in leftovers:
            path.unlink()
        return leftovers

    def target(self, relpath: str) -> Path:
        """Resolve an output path, refusing anything that could leave the output folder."""
        if relpath in self._targets:  # checked before writing, then written: resolved once
            return self._targets[relpath]
        self._targets[relpath] = path = self._resolve(relpath)
        return path

    def _resolve(self, relpath: str) -> Path:
        posix = PurePosixPath(relpath)
        if not relpath or posix.is_absolute() or ".." in posix.parts or "\\" in relpath or relpath.startswith("~"):
            raise ExportError(Problem(relpath, "refusing to write a path outside the output folder", "output"))
        if self._resolved_root is None:
            self._resolved_root = self.root.resolve()
        root = self._resolved_root
        # A symbolic link inside the folder may lead out of it. Each folder is resolved once per build (issue 19:
        # resolving every path walked all of its folders, 0.1 ms an article), the file itself every time.
        folder = self._resolved_folders.get(posix.parent)
        if folder is None:
            folder = self._resolved_folders[posix.parent] = (root / posix.parent).resolve()
        path = folder / posix.name
        if path.is_symlink():
            path = path.resolve()
        if not path.is_relative_to(root) or path == root:
            raise ExportError(Problem(relpath, "refusing to write a path outside the output folder", "output"))
        return path

    def check(self, relpath: str) -> Path:
        path = self.target(relpath)
        if relpath in self.written:
            raise ExportError(Problem(relpath, "two outputs of one build want the same path", "output"))
        return path

    def write(self, relpath: str, data: bytes) -> None:
        """Write to a temporary file beside the target, then rename over it: never a half-written file."""
        path = self.check(relpath)
        if _same_content(path, data):  # an unchanged file keeps its date, and costs no disk write
            self.written.add(relpath)
            return
        self._stream(relpath, path, lambda handle: handle.write(data))

    def stream(self, relpath: str, produce: Callable[[BinaryIO], object]) -> None:
        """Like ``write``, for a file made by writing into it (the reading memo: megabytes never held whole)."""
        self._stream(relpath, self.check(relpath), produce)

    def produce(self, relpath: str, produce: Callable[[BinaryIO], int]) -> int:
        """Like ``stream``, for an output (the issue e-book): a file whose bytes come out unchanged keeps its
        date, as with ``write``. The bytes ``produce`` wrote."""
        written: list[int] = []
        self._stream(relpath, self.check(relpath), lambda handle: written.append(produce(handle)), keep_same=True)
        return written[0]

    def _stream(self, relpath: str, path: Path, produce: Callable[[BinaryIO], object], keep_same: bool = False) -> None:
        if path.parent not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            # No fsync: the rename is what makes a killed build harmless, and syncing every
            # file costs more than rendering an article. (The next build repairs anything a
            # power cut might leave, because the manifest is only trusted for files present.)
            with os.fdopen(fd, "wb") as handle:
                produce(handle)
            if keep_same and _same_files(tmp, path):
                os.unlink(tmp)
            else:
                os.chmod(tmp, 0o644)
                os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise
        self.written.add(relpath)


def _same_content(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _same_files(made: str, path: Path, chunk: int = 1 << 20) -> bool:
    """Whether the file just made holds the bytes already at ``path`` (read a piece at a time)."""
    try:
        if os.stat(made).st_size != path.stat().st_size:
            return False
        with open(made, "rb") as new, path.open("rb") as old:
            while True:
                piece = new.read(chunk)
                if piece != old.read(chunk):
                    return False
                if not piece:
                    return True
    except OSError:
        return False
