"""``pressrun serve``: claim the preview folder, listen, build, serve, then rebuild on every save until Ctrl-C.

The first build runs before any thread starts, with ``jobs`` worker processes (they are forked: no thread may
hold a lock then). Later builds render in this process: an edit renders one article, and its feeds and pages.
Ctrl-C (SIGINT) or SIGTERM ends the watch or the build under way where it is (the atomic writer removes its
temporary file; an unfinished build leaves no manifest, so the next one starts from the last complete one),
then the server stops. Forked build workers ignore SIGINT: the serving process stops them.
"""

from __future__ import annotations

import os
import signal
import threading
import webbrowser
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pressrun import registry
from pressrun.build import BuildOptions
from pressrun.errors import EXIT_OK, PressrunError, Problem
from pressrun.serve.folder import DEFAULT, PreviewFolder
from pressrun.serve.http import PreviewServer, bind
from pressrun.serve.rebuild import Rebuilder
from pressrun.serve.state import PreviewState
from pressrun.serve.watch import Watcher, describe, stamp
from pressrun.writer import OutputWriter


@dataclass
class ServeOptions:
    source: Path = Path("source")
    styles: Path = Path("styles")
    host: str = "127.0.0.1"
    port: int = 8000
    formats: list[str] | None = None  # the web edition is always built: it is what the preview shows
    open_browser: bool = False
    preview_dir: Path = DEFAULT
    jobs: int = 1  # worker processes for the first build


def serve(options: ServeOptions, say=None) -> int:
    """Run until interrupted; exit 0. Usage problems (a port in use, a folder that is not a preview folder, an
    unknown format, no source folder) raise PressrunError before anything is built (exit 2)."""
    say = say or _say
    if not options.source.is_dir():
        raise PressrunError(Problem(str(options.source), "is not a folder; give the source folder with --source", "source"))
    formats = _formats(options.formats)
    folder, state = PreviewFolder(options.preview_dir), PreviewState()
    server = bind(options.host, options.port, folder.path, state)  # a port in use fails before anything is made
    try:
        folder.claim(watched=[options.source, options.styles])
        build_options = BuildOptions(source=options.source, out=folder.path, styles=options.styles,
                                     formats=formats, base_url=server.url)
        with _interrupts():
            _run(options, server, Rebuilder(build_options, folder, state, say), say)
        OutputWriter(folder.path).remove_leftovers()  # none expected: the writer cleans up after itself
    finally:
        server.server_close()
        folder.release()
    say("pressrun serve: stopped")
    return EXIT_OK


def _run(options: ServeOptions, server: PreviewServer, rebuilder: Rebuilder, say) -> None:
    folders = [options.source, options.styles]
    say(f"pressrun serve: {server.url} (building into {options.preview_dir}; output/ is never touched)")
    thread, watcher = None, None
    try:
        before = stamp(folders)
        rebuilder.run("first build", jobs=options.jobs)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="pressrun-serve", daemon=True)
        thread.start()
        watcher = Watcher(folders)
        early = watcher.start()
        if early or stamp(folders) != before:  # saved while the first build ran
            rebuilder.run(f"changed {describe(early, folders) if early else 'during the first build'}")
        say(f"pressrun serve: watching {' and '.join(str(f) for f in folders if f.is_dir())}; open {server.url} — Ctrl-C stops")
        if options.open_browser:
            webbrowser.open(server.url)
        for batch in watcher:
            rebuilder.run(f"changed {describe(batch, folders)}")
    except KeyboardInterrupt:
        pass
    finally:
        rebuilder.state.close()  # event streams end
        if watcher is not None:
            watcher.close()
        if thread is not None:
            server.shutdown()
            thread.join(timeout=5)


def _formats(names: list[str] | None) -> list[str] | None:
    """The formats asked for, plus the web edition; unknown names fail now (exit 2), before anything starts.
    Never a wire exporter: a preview has nothing to send partners, and must not touch the real wire folder."""
    wanted = list(dict.fromkeys(["html", *names])) if names is not None else None
    return [cls.name for cls in registry.load(wanted) if not cls.wire]


@contextmanager
def _interrupts() -> Iterator[None]:
    """SIGINT and SIGTERM raise KeyboardInterrupt in this process; forked build workers leave it to us."""
    me = os.getpid()

    def stop(signum, frame) -> None:
        if os.getpid() == me:
            raise KeyboardInterrupt
        if signum == signal.SIGTERM:  # a worker told to end by its pool ends
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _say(line: str) -> None:
    print(line, flush=True)

