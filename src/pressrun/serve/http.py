"""The preview's HTTP server: the files of the preview folder, and the event stream pages listen to.

Threads serve several clients at once (a browser opens several connections; a PDF viewer asks for ranges while
the page's event stream stays open). Every response says ``Cache-Control: no-cache``, so a browser revalidates
and gets 304 while a file is unchanged.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from pressrun import __version__
from pressrun.errors import PressrunError
from pressrun.serve import files, reload
from pressrun.serve.errorpage import error_page
from pressrun.serve.state import PreviewState, Snapshot

KEEPALIVE = 15.0  # seconds between comments on an idle event stream (a closed tab is noticed then)


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # a stop never waits for a browser's idle keep-alive connection

    def __init__(self, address: tuple[str, int], family: socket.AddressFamily, root: Path, state: PreviewState):
        self.address_family = family
        self.root, self.state = root, state
        super().__init__(address, PreviewHandler)
        self.loopback = ipaddress.ip_address(self.server_address[0]).is_loopback

    def host_allowed(self, host: str) -> bool:
        """On a loopback address only this machine's names are answered: a web page that points its own domain
        at 127.0.0.1 (DNS rebinding) cannot read the preview."""
        if not self.loopback or not host:
            return True
        name = host[: host.find("]") + 1] if host.startswith("[") else host.rsplit(":", 1)[0]
        return name.lower() in ("localhost", "[::1]") or name.startswith("127.")

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        if host in ("0.0.0.0", "::"):  # every interface: links name this machine
            host = socket.gethostname()
        return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def bind(host: str, port: int, root: Path, state: PreviewState) -> PreviewServer:
    """The server, listening (not yet serving). A port in use or refused is a usage error (exit 2)."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror as exc:
        raise PressrunError(f"cannot listen on '{host}': {exc.strerror}; give an address such as --host 127.0.0.1") from None
    try:
        return PreviewServer((host, port), family, root, state)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PressrunError(f"{host}:{port} is already in use (another pressrun serve?); "
                                f"choose another port with --port, e.g. --port {port + 1 if port else 8001}") from None
        raise PressrunError(f"cannot listen on {host}:{port}: {exc.strerror}; choose another port with --port "
                            "(ports below 1024 need privileges)") from None


class PreviewHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = f"pressrun-serve/{__version__}"
    server: PreviewServer
    timeout = 60  # an idle keep-alive connection is closed after this

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def log_message(self, format: str, *args) -> None:
        pass  # the terminal is for builds: one line each

    def _respond(self, head: bool) -> None:
        path = urlsplit(self.path).path
        if not self.server.host_allowed(self.headers.get("Host", "")):
            return self._simple(HTTPStatus.FORBIDDEN, head)
        if path == reload.EVENTS_PATH:
            return self._events(head)
        found = files.locate(self.server.root, path)
        if found.redirect:
            return self._simple(HTTPStatus.MOVED_PERMANENTLY, head, {"Location": found.redirect})
        if found.path is None:
            return self._simple(HTTPStatus.NOT_FOUND, head)
        snapshot = self.server.state.snapshot()
        if snapshot.failed:
            return self._problems(snapshot, head)
        kind = files.media_type(found.name, snapshot.media_types)
        try:
            with found.path.open("rb") as handle:  # the open file: a rebuild renaming over it changes nothing here
                if files.is_html(kind):
                    return self._page(handle, kind, snapshot, head)
                return self._file(handle, kind, head)
        except FileNotFoundError:
            return self._simple(HTTPStatus.NOT_FOUND, head)

    def _page(self, handle, kind: str, snapshot: Snapshot, head: bool) -> None:
        """HTML with the reload script, as served only; its ETag changes with every build (the script does)."""
        tag = files.etag(os.fstat(handle.fileno()), f"-{snapshot.token}")
        if files.not_modified(self.headers, tag, None):
            return self._simple(HTTPStatus.NOT_MODIFIED, True, {"ETag": tag})
        body = reload.inject(handle.read(), snapshot.token)
        self._send(HTTPStatus.OK, kind, body, head, {"ETag": tag})

    def _file(self, handle, kind: str, head: bool) -> None:
        st = os.fstat(handle.fileno())
        tag, size = files.etag(st), st.st_size
        validators = {"ETag": tag, "Last-Modified": files.http_date(st.st_mtime), "Accept-Ranges": "bytes"}
        if files.not_modified(self.headers, tag, st.st_mtime):
            return self._simple(HTTPStatus.NOT_MODIFIED, True, validators)
        span = None
        if files.range_applies(self.headers, tag, st.st_mtime):
            try:
                span = files.byte_range(self.headers.get("Range"), size)
            except files.Unsatisfiable:
                return self._simple(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, head, {"Content-Range": f"bytes */{size}"})
        first, last = span if span else (0, size - 1)
        status = HTTPStatus.PARTIAL_CONTENT if span else HTTPStatus.OK
        if span:
            validators["Content-Range"] = f"bytes {first}-{last}/{size}"
        self._headers(status, kind, last - first + 1, validators)
        if not head:
            handle.seek(first)
            _copy(handle, self.wfile, last - first + 1)

    def _problems(self, snapshot: Snapshot, head: bool) -> None:
        """While the sources are invalid every page is the list of problems (503: the preview is not ready)."""
        body = reload.inject(error_page(snapshot.problems), snapshot.token)
        self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/html; charset=utf-8", body, head, {"Cache-Control": "no-store"})

    def _events(self, head: bool) -> None:
        """Server-sent events: the current build's token now, then each new one (comments keep it alive)."""
        self._headers(HTTPStatus.OK, "text/event-stream", None, {"Cache-Control": "no-store"})
        self.close_connection = True  # the stream ends when the connection does
        if head:
            return
        state = self.server.state
        snapshot: Snapshot | None = state.snapshot()
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while snapshot is not None:
                self.wfile.write(reload.event(snapshot.token))
                self.wfile.flush()
                token = snapshot.token
                while (snapshot := state.wait(token, KEEPALIVE)) is not None and snapshot.token == token:
                    self.wfile.write(b": waiting for the next build\n\n")
                    self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the page went away

    def _simple(self, status: HTTPStatus, head: bool, extra: dict[str, str] | None = None) -> None:
        if status is HTTPStatus.NOT_MODIFIED:  # no body, no length
            self._headers(status, None, None, extra or {})
            return
        body = f"{status.value} {status.phrase}\n".encode()
        self._send(status, "text/plain; charset=utf-8", body, head, extra or {})

    def _send(self, status: HTTPStatus, kind: str, body: bytes, head: bool, extra: dict[str, str]) -> None:
        self._headers(status, kind, len(body), extra)
        if not head:
            self.wfile.write(body)

    def _headers(self, status: HTTPStatus, kind: str | None, length: int | None, extra: dict[str, str]) -> None:
        self.send_response(status)
        if kind:
            self.send_header("Content-Type", kind)
        if length is not None:
            self.send_header("Content-Length", str(length))
        headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff", **extra}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()


def _copy(source, target, length: int) -> None:
    remaining = length
    while remaining > 0:
        chunk = source.read(min(remaining, 256 * 1024))
        if not chunk:
            break
        target.write(chunk)
        remaining -= len(chunk)
