"""`pressrun serve` (issue 17): the live preview, tested from outside — a real `pressrun serve` process on a free
port of 127.0.0.1, spoken to over HTTP (and by headless Chromium), stopped with SIGINT as Ctrl-C stops it.

Every wait has a deadline, and every server is stopped (killed, if SIGINT does not end it) even when a test
fails, so no test can hang.
"""

from __future__ import annotations

import hashlib
import html
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import feedparser
import pytest

from conftest import FIXTURES, SOURCE, STYLES, run_build
from pressrun.serve import files, reload

KITCHEN = "kitchen-sink"
SEED = "russian-peacekeepers-leave-karabakh"
PRODUCTION = "https://gazette.example.com/"  # the fixture publication's base_url
CHROMIUM = Path(os.environ.get("PRESSRUN_CHROMIUM", "/usr/bin/chromium"))
START = 120.0  # seconds for a server to build and listen (a loaded CI machine included)
CHANGE = 30.0  # seconds for an edit to show


class Serve:
    """One `pressrun serve` subprocess; its output is collected line by line."""

    def __init__(self, project: Path, *args: str, env: dict[str, str] | None = None):
        cmd = [sys.executable, "-m", "pressrun", "serve", "--source", "source", "--styles", str(STYLES),
               "--port", "0", "-j", "1", *args]
        self.proc = subprocess.Popen(cmd, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env={**os.environ, **(env or {})})
        self.lines: list[str] = []
        self._cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = ""

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()

    @property
    def output(self) -> str:
        with self._cond:
            return "\n".join(self.lines)

    def wait_for(self, pattern: str, timeout: float = CHANGE, after: int = 0) -> re.Match:
        """The first line (from line ``after`` on) matching ``pattern``."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines[after:]:
                    if match := re.search(pattern, line):
                        return match
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not self._cond.wait(0.2)):
                    pytest.fail(f"no line matching {pattern!r} within {timeout:g} s; output:\n{self.output}")
                self._cond.wait(min(left, 0.5))

    def started(self) -> "Serve":
        self.url = self.wait_for(r"pressrun serve: (http://127\.0\.0\.1:\d+/) ", START).group(1)
        self.wait_for(r"pressrun serve: watching ", START)
        return self

    def stop(self) -> int:
        """Ctrl-C; the exit code (the process is killed if it has not ended in 30 s)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
            pytest.fail(f"pressrun serve did not stop on SIGINT; output:\n{self.output}")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A publication to preview: the kitchen sink (an image: enclosures, media) and the seed article, without the
    two URLs the author wrote out in full, so the production address appears nowhere the build does not put it."""
    source = tmp_path / "project" / "source"
    shutil.copytree(FIXTURES / KITCHEN, source)
    text = (source / "everything.md").read_text(encoding="utf-8")
    text = re.sub(r"^(canonical_url|    url): .*\n", "", text, flags=re.M)
    (source / "everything.md").write_text(text, encoding="utf-8")
    shutil.copy(SOURCE / f"{SEED}.md", source)
    return source.parent


@pytest.fixture
def serving(project: Path):
    """start(*args) → a started server in ``project``; every one is stopped at the end of the test."""
    servers: list[Serve] = []

    def start(*args: str, **kwargs) -> Serve:
        servers.append(Serve(project, *args, **kwargs))
        return servers[-1].started()

    yield start
    for server in servers:
        server.stop()


def fetch(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=CHANGE) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def raw_status(url: str, path: str, host_header: str | None = None) -> tuple[int, str | None]:
    """GET ``path`` exactly as written (no client normalises its dots): the status and the Location."""
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=CHANGE)
    try:
        conn.putrequest("GET", path, skip_host=host_header is not None, skip_accept_encoding=True)
        if host_header is not None:
            conn.putheader("Host", host_header)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.getheader("Location")
    finally:
        conn.close()


def until(check, timeout: float = CHANGE, what: str = "the change"):
    """Poll ``check()`` until it returns something true; that value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.05)
    pytest.fail(f"{what} did not happen within {timeout:g} s")


def save(path: Path, text: str) -> None:
    """As editors do: write a temporary file beside it, then rename it over the file."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def set_headline(project: Path, headline: str) -> None:
    path = project / "source" / "everything.md"
    save(path, re.sub(r"^headline: .*$", f"headline: {headline}", path.read_text(encoding="utf-8"), count=1, flags=re.M))


# --- 1. the preview over HTTP ------------------------------------------------------------------------------------


def test_pages_feeds_and_downloads_are_served_for_the_servers_address(serving, project: Path, tmp_path: Path):
    opener = tmp_path / "browser"
    opener.write_text(f"#!/bin/sh\necho \"$1\" > {tmp_path / 'opened.txt'}\n")
    opener.chmod(0o755)
    server = serving("--open", env={"BROWSER": str(opener)})
    url = server.url
    preview = project / ".pressrun-preview"

    status, headers, body = fetch(url)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b'href="articles/kitchen-sink.html"' in body and reload.MARKER.encode() in body
    status, headers, page = fetch(url + "articles/kitchen-sink.html")
    assert status == 200 and b"Kitchen sink" in page
    assert f'<link rel="canonical" href="{url}articles/kitchen-sink.html"/>'.encode() in page
    assert until(lambda: (tmp_path / "opened.txt").is_file() and (tmp_path / "opened.txt").read_text().strip()) == url

    feeds = sorted(p.relative_to(preview).as_posix() for p in (preview / "feeds").rglob("*") if p.is_file())
    assert {"feeds/rss.xml", "feeds/atom.xml", "feeds/feed.json", "feeds/section/world.rss.xml"} <= set(feeds)
    for name in feeds:
        _check_feed(url, name)

    for name, kind in [("pdf/kitchen-sink.pdf", "application/pdf"), ("epub/kitchen-sink.epub", "application/epub+zip"),
                       ("docx/kitchen-sink.docx", files.DOCX), ("media/images/ceremony.jpg", "image/jpeg")]:
        status, headers, body = fetch(url + name)
        assert (status, headers["Content-Type"]) == (200, kind), name
        assert body == (preview / name).read_bytes()
    for path in ["index.html", "articles/", "feeds/rss.xml"]:
        assert PRODUCTION.encode() not in fetch(url + path)[2], path


def _check_feed(url: str, name: str) -> None:
    """The media type, a clean parse, and every link of the feed and its entries on the server."""
    status, headers, body = fetch(url + name)
    assert status == 200, name
    assert PRODUCTION.encode() not in body, name
    if name.endswith(".json"):  # feedparser 6 does not read JSON Feed: its URLs are checked by name
        assert headers["Content-Type"] == "application/feed+json"
        feed = json.loads(body)
        links = [feed["home_page_url"], feed["feed_url"]] + [i["url"] for i in feed["items"]]
        links += [a["url"] for i in feed["items"] for a in i.get("attachments", [])]
        links += [i["image"] for i in feed["items"] if "image" in i]
    else:
        assert headers["Content-Type"] == ("application/rss+xml" if name.endswith("rss.xml") else "application/atom+xml")
        feed = feedparser.parse(body)
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        assert feed.entries, name
        links = [feed.feed.link] + [link.href for link in feed.feed.get("links", [])]
        for entry in feed.entries:
            links += [entry.link] + [link.href for link in entry.links] + [m["url"] for m in entry.get("media_content", [])]
            links += [e.href for e in entry.get("enclosures", [])]
    if any("kitchen-sink" in link for link in links):  # its lead image is an enclosure
        assert any(link == f"{url}media/images/ceremony.jpg" for link in links), (name, links)
    assert all(link.startswith(url) for link in links), (name, [link for link in links if not link.startswith(url)])


def test_ranges_validators_head_and_several_clients(serving, project: Path):
    url = serving().url
    pdf = (project / ".pressrun-preview" / "pdf" / "kitchen-sink.pdf").read_bytes()
    name = url + "pdf/kitchen-sink.pdf"

    status, headers, body = fetch(name, {"Range": "bytes=100-1123"})
    assert status == 206 and body == pdf[100:1124]
    assert headers["Content-Range"] == f"bytes 100-1123/{len(pdf)}" and headers["Content-Type"] == "application/pdf"
    assert fetch(name, {"Range": "bytes=-10"})[2] == pdf[-10:]
    assert fetch(name, {"Range": f"bytes={len(pdf)}-"})[0] == 416

    status, headers, body = fetch(name, method="HEAD")
    assert (status, body, int(headers["Content-Length"]), headers["Accept-Ranges"]) == (200, b"", len(pdf), "bytes")
    assert fetch(name, {"If-None-Match": headers["ETag"]})[0] == 304
    assert fetch(name, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    page = url + "articles/kitchen-sink.html"
    assert fetch(page, {"If-None-Match": fetch(page)[1]["ETag"]})[0] == 304
    assert raw_status(url, "/articles") == (301, "/articles/")  # a folder is its index.html, under its own URL
    assert raw_status(url, "/articles/") == (404, None)  # (this one has none)
    assert raw_status(url, "//articles") == (301, "/articles/")  # not "//articles/": that is another host

    # An open event stream, and many range requests at once.
    events = urllib.request.urlopen(url + reload.EVENTS_PATH.lstrip("/"), timeout=CHANGE)
    assert events.headers["Content-Type"] == "text/event-stream"
    assert events.readline() == b"retry: 1000\n"
    with ThreadPoolExecutor(8) as pool:
        spans = [(i * 997, i * 997 + 4999) for i in range(24)]
        bodies = list(pool.map(lambda s: fetch(name, {"Range": f"bytes={s[0]}-{s[1]}"})[2], spans))
    assert bodies == [pdf[a:b + 1] for a, b in spans]
    events.close()


def test_nothing_outside_the_preview_folder_is_served(serving, project: Path, tmp_path: Path):
    url = serving().url
    secret = tmp_path / "secret.txt"
    secret.write_text("outside")
    preview = project / ".pressrun-preview"
    (preview / "leak.txt").symlink_to(secret)
    (preview / "leak-folder").symlink_to(tmp_path, target_is_directory=True)
    (preview / "inside.pdf").symlink_to(preview / "pdf" / "kitchen-sink.pdf")
    for path in ["/../source/publication.yaml", "/%2e%2e/source/publication.yaml", "/%2E%2E/%2e%2e/secret.txt",
                 "/articles/..%2f..%2fsource%2fpublication.yaml", "/articles/%2e%2e/%2e%2e/source/publication.yaml",
                 "/..\\source\\publication.yaml", "/%252e%252e/source/publication.yaml", "/leak.txt",
                 "/leak-folder/secret.txt", "/.pressrun-manifest.json", "/.pressrun-cache/sources.pickle",
                 "/nothing-here.html", "/%ff%fe"]:
        assert raw_status(url, path)[0] == 404, path
    assert raw_status(url, "/inside.pdf")[0] == 200  # a link that stays inside is followed
    port = url.rstrip("/").rsplit(":", 1)[1]
    assert raw_status(url, "/", f"localhost:{port}")[0] == 200
    assert raw_status(url, "/", f"rebound.example:{port}")[0] == 403  # DNS rebinding: another site's name


# --- 2. edits, and broken sources --------------------------------------------------------------------------------


def test_an_edit_shows_without_a_restart_and_problems_replace_stale_pages(serving, project: Path):
    server = serving()
    page = server.url + "articles/kitchen-sink.html"
    started = time.monotonic()
    set_headline(project, "Edited while the server runs")
    until(lambda: b"Edited while the server runs" in fetch(page)[2], what="the new headline")
    assert time.monotonic() - started < 10  # about a second on an idle machine
    server.wait_for(r"changed source/everything\.md → rendered kitchen-sink \(2 article\(s\)\), \d+ file\(s\) written in [\d.]+ s")

    builds = len(re.findall(r" changed ", server.output))
    for n in range(5):  # an editor saving in a burst: one rebuild
        set_headline(project, f"Burst {n}")
    until(lambda: b"Burst 4" in fetch(page)[2], what="the burst")
    time.sleep(1.0)
    assert len(re.findall(r" changed ", server.output)) == builds + 1, server.output

    article = project / "source" / "everything.md"
    good = article.read_text(encoding="utf-8")
    save(article, good.replace("published: 2024-04-27T14:30:00+04:00", "published: [2024-04-27"))
    status, _, body = until(lambda: (r := fetch(page))[0] == 503 and r, what="the problems page")
    located = html.unescape(re.search(r"source/everything\.md:\d+: front matter: [^<]+", body.decode()).group(0))
    assert b"Kitchen sink" not in body and reload.MARKER.encode() in body
    assert fetch(server.url)[0] == 503  # every page: no stale content
    server.wait_for(re.escape(located))  # the terminal too
    check = subprocess.run([sys.executable, "-m", "pressrun", "check", "--source", "source", "--styles", str(STYLES)],
                           cwd=project, capture_output=True, text=True, timeout=60)
    assert located in check.stderr.splitlines()  # the very line the CLI prints

    save(article, good)
    until(lambda: (r := fetch(page))[0] == 200 and b"Burst 4" in r[2], what="the recovery")


# --- 3. a browser reloads by itself ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium; .ci/install-checkers)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed (pip install -e '.[test]')")
    args = ["--no-sandbox"] if os.geteuid() == 0 else []  # Chromium refuses its sandbox as root
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args, timeout=60_000)
        yield browser
        browser.close()


def test_an_open_page_reloads_itself_after_an_edit(serving, project: Path, chromium, tmp_path: Path):
    server = serving()
    page = chromium.new_page(viewport={"width": 900, "height": 700})
    page.set_default_timeout(CHANGE * 1000)
    try:
        page.goto(server.url + "articles/kitchen-sink.html")
        page.evaluate("window.beforeTheEdit = true")
        set_headline(project, "Reloaded by itself")
        page.wait_for_function("document.querySelector('h1').textContent.includes('Reloaded by itself')")
        assert page.evaluate("window.beforeTheEdit === undefined")  # a new document: the page reloaded
        shot = Path(os.environ.get("PRESSRUN_SERVE_SCREENSHOT", tmp_path / "reloaded.png"))
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000

        article = project / "source" / "everything.md"
        good = article.read_text(encoding="utf-8")
        save(article, good.replace("headline: Reloaded by itself", "headline: [Broken"))
        page.wait_for_function("document.title.includes('problem')")
        assert re.search(r"source/everything\.md:\d+: front matter: ", page.inner_text("ol.problems"))
        page.screenshot(path=str(shot.with_name(f"{shot.stem}-problems.png")))
        save(article, good)
        page.wait_for_function("document.querySelector('h1') && document.querySelector('h1').textContent.includes('Reloaded')")
    finally:
        page.close()


# --- 4. output/ is never touched; built files never carry the script ----------------------------------------------


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _contents(path: Path) -> list[bytes]:
    """A file's bytes, or each member's for the zip containers (EPUB, DOCX)."""
    if path.suffix in (".epub", ".docx"):
        with zipfile.ZipFile(path) as archive:
            return [archive.read(name) for name in archive.namelist()]
    return [path.read_bytes()]


def test_output_is_untouched_and_built_files_never_carry_the_script(serving, project: Path):
    report = run_build(project / "source", project / "output", jobs=1)
    assert report.exit_code == 0
    before = _snapshot(project / "output")
    assert ".pressrun-manifest.json" in before

    server = serving()
    set_headline(project, "Edited during a preview")
    until(lambda: b"Edited during a preview" in fetch(server.url + "articles/kitchen-sink.html")[2])
    server.wait_for(r"changed source/everything\.md")
    assert server.stop() == 0
    assert server.output.endswith("pressrun serve: stopped")
    assert "Traceback" not in server.output

    assert _snapshot(project / "output") == before
    preview = project / ".pressrun-preview"
    assert (preview / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    built = [p for p in preview.rglob("*") if p.is_file()]
    assert not [p for p in built if p.name.endswith(".tmp")]
    assert len(built) > 20
    carrying = [p for p in built for data in _contents(p) if reload.MARKER.encode() in data or b"EventSource" in data]
    assert not carrying


def test_ctrl_c_during_a_build_stops_cleanly(project: Path):
    server = Serve(project, "-j", "2")
    server.wait_for(r"pressrun serve: http://", START)
    time.sleep(0.3)  # the first build is under way
    code = server.stop()
    assert code == 0, server.output
    assert server.output.endswith("pressrun serve: stopped") and "Traceback" not in server.output
    assert not list((project / ".pressrun-preview").rglob("*.tmp"))


# --- 5. usage errors: exit 2 before anything is built -------------------------------------------------------------


def _run(project: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "pressrun", "serve", "--source", "source", "--styles", str(STYLES), *args]
    return subprocess.run(cmd, cwd=project, capture_output=True, text=True, timeout=60)


def test_a_port_in_use_is_a_usage_error_that_suggests_another(project: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _run(project, "--port", str(port))
    assert result.returncode == 2, result
    assert f"127.0.0.1:{port} is already in use" in result.stderr and "--port" in result.stderr
    assert not (project / ".pressrun-preview").exists()


def test_a_folder_that_is_not_a_preview_folder_is_refused(project: Path):
    run_build(project / "source", project / "output", formats=["html"], jobs=1)
    before = _snapshot(project / "output")
    result = _run(project, "--port", "0", "--preview-dir", "output")
    assert result.returncode == 2 and "--preview-dir" in result.stderr, result
    assert _snapshot(project / "output") == before
    result = _run(project, "--port", "0", "--preview-dir", "source/preview")
    assert result.returncode == 2 and "must be outside" in result.stderr, result
    result = _run(project, "--port", "0", "--format", "nope")
    assert result.returncode == 2 and "unknown format" in result.stderr, result


def test_byte_ranges_are_read_as_rfc_9110_says():
    assert files.byte_range("bytes=0-9", 100) == (0, 9)
    assert files.byte_range("bytes=90-", 100) == (90, 99)
    assert files.byte_range("bytes=95-200", 100) == (95, 99)
    assert files.byte_range("bytes=-5", 100) == (95, 99)
    assert files.byte_range("bytes=-500", 100) == (0, 99)
    for ignored in ["items=0-9", "bytes=0-9,20-29", "bytes=9-0", "bytes=x-y", "bytes=", None]:
        assert files.byte_range(ignored, 100) is None, ignored
    for unsatisfiable in ["bytes=100-", "bytes=-0"]:
        with pytest.raises(files.Unsatisfiable):
            files.byte_range(unsatisfiable, 100)


def test_another_address_rebuilds_what_the_last_one_built(copy_source, tmp_path: Path):
    """The preview folder outlives a session; a build for another port must not reuse pages that link the old one."""
    source, out = copy_source("minimal"), tmp_path / "preview"
    first = run_build(source, out, ["html", "feed"], jobs=1, base_url="http://127.0.0.1:1111/")
    again = run_build(source, out, ["html", "feed"], jobs=1, base_url="http://127.0.0.1:1111/")
    moved = run_build(source, out, ["html", "feed"], jobs=1, base_url="http://127.0.0.1:2222/")
    assert first.rendered and not again.rendered and moved.rendered == first.rendered
    built = [p.read_bytes() for p in out.rglob("*") if p.is_file() and ".pressrun" not in str(p.relative_to(out))]
    assert any(b"http://127.0.0.1:2222/" in data for data in built)
    assert not any(b"1111" in data for data in built)
