"""The worker plugin that carries one build's shared part (theme files, publication, exporters) to every worker.

Dask keeps a registered plugin on the scheduler and sets it up on every worker, including workers that join
or are restarted (after a crash) during the build, so a task never depends on data that a dead worker took
with it. Imported only once ``distributed`` is known to be importable.
"""

from __future__ import annotations

from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from pressrun.cluster import worker as _worker
from pressrun.cluster.payload import BuildPayload


class BuildPlugin(WorkerPlugin):
    def __init__(self, build: BuildPayload):
        self.build = build
        self.name = f"pressrun-build-{build.token}"

    def setup(self, worker: Any) -> None:
        self.build = _worker.install(self.build, worker.local_directory)  # the theme's bytes are on disk now

    def teardown(self, worker: Any) -> None:
        _worker.uninstall(self.build.token)
