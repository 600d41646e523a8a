"""The preview folder: where ``pressrun serve`` builds. Never a build's output folder.

It is ``.pressrun-preview/`` in the working directory unless ``--preview-dir`` says otherwise, and it is kept
between sessions, so a restart is an incremental build (the manifest and the reading cache live in it). It marks
itself with a ``.gitignore`` of ``*`` (as pytest's cache does): git ignores it in any project without the project
doing anything. A folder that is not empty and lacks the mark is refused, so a preview built for
``http://127.0.0.1:8000/`` can never land in ``output/`` or anywhere else. The mark is also locked while a
session runs: two servers never build into one folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from pressrun.cache import Manifest
from pressrun.errors import PressrunError, Problem

try:
    import fcntl
except ImportError:  # not POSIX: no lock, the rest works
    fcntl = None  # type: ignore[assignment]

DEFAULT = Path(".pressrun-preview")
MARK = ".gitignore"
MARK_TEXT = (
    "# pressrun serve's preview folder: a build for the local server's address. Never publish it;\n"
    "# delete it whenever you like (the next `pressrun serve` builds it again).\n"
    "*\n"
)


class PreviewFolder:
    def __init__(self, path: Path):
        self.path = path
        self._lock: int | None = None

    def claim(self, watched: list[Path]) -> None:
        """Create or reuse the folder, refusing one that is not a preview folder or is inside a watched one."""
        where = str(self.path)
        for folder in watched:
            real, other = self.path.resolve(), folder.resolve()
            if real.is_relative_to(other) or other.is_relative_to(real):
                raise PressrunError(Problem(where, f"the preview folder must be outside {folder}; choose another --preview-dir", "preview-dir"))
        mark = self.path / MARK
        if self.path.exists() and not self._is_preview(mark):
            if not self.path.is_dir() or any(self.path.iterdir()):
                raise PressrunError(Problem(where, "is not a preview folder of pressrun serve (it is not empty and has no "
                                                   f"{MARK} from serve); choose another --preview-dir", "preview-dir"))
        self.path.mkdir(parents=True, exist_ok=True)
        if not self._is_preview(mark):
            mark.write_text(MARK_TEXT, encoding="utf-8")
        self._take_lock(mark)

    @staticmethod
    def _is_preview(mark: Path) -> bool:
        try:
            return mark.read_text(encoding="utf-8") == MARK_TEXT
        except (OSError, UnicodeDecodeError):
            return False

    def _take_lock(self, mark: Path) -> None:
        if fcntl is None:
            return
        fd = os.open(mark, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise PressrunError(Problem(str(self.path), "another pressrun serve is building into this preview folder; "
                                                        "stop it, or choose another --preview-dir", "preview-dir")) from None
        self._lock = fd

    def release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)  # closing the file lets the lock go
            self._lock = None

    def media_types(self) -> dict[str, str]:
        """Output path -> the media type its exporter declared, as the last complete build recorded them."""
        manifest = Manifest.load(self.path)
        entries = [*manifest.articles.values(), *manifest.parts.values()]
        return {w.path: w.media_type for entry in entries for w in entry.outputs}
