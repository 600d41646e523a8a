"""What runs on a Dask worker: render a batch of articles from what the client sent, and nothing else.

A build's shared part (``BuildPayload``, theme files included) reaches every worker once, through a worker
plugin (``plugin.py``) that Dask also gives to workers that join or restart mid-build: ``install`` writes the
theme's files once per process (into the worker's own scratch folder, keyed by the theme's fingerprint and
checked against it). Per worker thread the exporters are built once per build, so fonts, templates and the
reference DOCX load once, not per task. Each task writes its articles' images into a temporary folder of
its own, renders every format under the export time budget (``deadline.py``: worker tasks run outside the
main thread) and returns the outputs' bytes; the folder is removed afterwards.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pressrun import __version__
from pressrun.cluster.deadline import thread_time_limit
from pressrun.cluster.payload import IMAGES, STYLES, ArticleTask, BuildPayload, map_paths, rename_in_problems
from pressrun.digest import code_fingerprint, tree_digest
from pressrun.exporters.base import ExportContext


class WorkerRefused(RuntimeError):
    """This worker must not render for this client: its outputs would differ (other pressrun code)."""


class BuildMissing(RuntimeError):
    """This worker has not got the build's shared part (its plugin was removed, or not yet installed)."""


_BUILDS: dict[str, tuple[BuildPayload, Path]] = {}  # build token → (its payload, its theme folder)
_THEMES: dict[str, Path] = {}  # theme fingerprint → its folder, written once in this process
_LOCK = threading.Lock()
_THREAD = threading.local()  # this thread's (build token, renderer, theme folder)


def identity() -> tuple[str, str]:
    """This process's pressrun version and code fingerprint: a worker must have the client's."""
    return __version__, code_fingerprint()


def refusal(worker: tuple[str, str], client: tuple[str, str]) -> str | None:
    """Why a worker with ``worker``'s pressrun must not render for ``client``'s (its outputs could differ), or None."""
    if tuple(worker) == tuple(client):
        return None
    return (f"runs pressrun {worker[0]} (code {worker[1][:12]}), the client pressrun {client[0]} (code {client[1][:12]}): "
            "install the client's pressrun on it")


def install(build: BuildPayload, scratch_dir: str) -> BuildPayload:
    """Keep a build's shared part in this process (a plugin's setup); its theme files are written to disk once
    per theme. Returns the payload without the files' bytes, which are no longer needed in memory."""
    folder = _theme_folder(build, Path(scratch_dir))
    kept = dataclasses.replace(build, theme_files={})
    with _LOCK:
        _BUILDS[build.token] = (kept, folder)
    return kept


def uninstall(token: str) -> None:
    with _LOCK:
        _BUILDS.pop(token, None)


def render_batch(token: str, client: tuple[str, str], batch: Sequence[ArticleTask]) -> list[tuple[int, Any]]:
    """Every format of each article in ``batch``: (index, ArticleResult), problems named with placeholders."""
    refused = refusal(identity(), client)
    if refused:
        raise WorkerRefused(f"this worker {refused}")
    renderer, theme_root = _renderer(token)
    return [(task.index, _render(renderer, task, theme_root)) for task in batch]


def _render(renderer: Any, task: ArticleTask, theme_root: Path) -> Any:
    names = {str(theme_root): str(STYLES)}
    if not task.images:
        return rename_in_problems(renderer.render(task.article()), names)
    with tempfile.TemporaryDirectory(prefix="pressrun-task-", dir=scratch()) as tmp:
        folder = Path(tmp)
        for placeholder, data in task.images.items():
            file = folder / placeholder
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(data)
        article = map_paths(task.article(), lambda p: folder / p if p.is_relative_to(IMAGES) else p)
        result = renderer.render(article)
    return rename_in_problems(result, {**names, f"{folder}{os.sep}": ""})


def _renderer(token: str) -> tuple[Any, Path]:
    cached = getattr(_THREAD, "renderer", None)
    if cached is not None and cached[0] == token:
        return cached[1], cached[2]
    with _LOCK:
        if token not in _BUILDS:
            raise BuildMissing("this worker has not got the build's theme and settings (its plugin is not installed)")
        build, root = _BUILDS[token]
    theme = map_paths(build.theme, lambda p: root / p.relative_to(STYLES))
    ctx = ExportContext(build.publication, theme, (), build.formats, languages=build.languages)
    renderer = build.renderer(ctx, build.classes, build.keep_going, build.timeout, limit=thread_time_limit)
    _THREAD.renderer = (token, renderer, root)
    return renderer, root


def _theme_folder(build: BuildPayload, scratch_dir: Path) -> Path:
    """The theme's files in this worker's scratch folder, written once per process and theme."""
    fingerprint = build.theme.fingerprint
    with _LOCK:
        if fingerprint in _THEMES and _THEMES[fingerprint].is_dir():
            return _THEMES[fingerprint]
        root = scratch_dir / f"pressrun-theme-{fingerprint[:16]}"
        staging = Path(tempfile.mkdtemp(prefix=".pressrun-theme-", dir=scratch_dir))
        for name, data in build.theme_files.items():
            file = staging / name
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(data)
        if tree_digest(staging) != fingerprint:
            shutil.rmtree(staging, ignore_errors=True)
            raise WorkerRefused("the theme's files arrived different from the client's (fingerprint mismatch)")
        shutil.rmtree(root, ignore_errors=True)
        staging.rename(root)
        _THEMES[fingerprint] = root
        return root


def scratch() -> str:
    """The worker's own scratch folder (Dask removes it when the worker closes), else the temp folder."""
    try:
        from distributed import get_worker

        return get_worker().local_directory
    except (ImportError, ValueError):
        return tempfile.gettempdir()
