"""Request paths → files inside the preview folder, and the HTTP facts about a file: media type, validators,
byte ranges. Nothing here outside the folder can be reached: ``..`` (also percent-encoded), hidden names and
symbolic links that lead out are all "not found"."""

from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

INDEX = "index.html"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# When the build's manifest does not say (images, a failed build): by the end of the name.
_BY_ENDING = (
    ("rss.xml", "application/rss+xml"),
    ("atom.xml", "application/atom+xml"),
    ("feed.json", "application/feed+json"),
    (".html", "text/html; charset=utf-8"),
    (".css", "text/css; charset=utf-8"),
    (".json", "application/json"),
    (".xml", "application/xml"),
    (".pdf", "application/pdf"),
    (".epub", "application/epub+zip"),
    (".docx", DOCX),
)


@dataclass(frozen=True)
class Found:
    path: Path | None = None  # the file to send (symbolic links resolved, inside the folder)
    name: str = ""  # its path in the folder, POSIX (the manifest's key)
    redirect: str | None = None  # a folder asked for without its trailing slash


NOT_FOUND = Found()


def locate(root: Path, url_path: str) -> Found:
    """The file for ``url_path`` (already without query and fragment), or NOT_FOUND."""
    try:
        raw = unquote(url_path, errors="strict")
    except UnicodeDecodeError:
        return NOT_FOUND
    if not raw.startswith("/") or "\0" in raw or "\\" in raw:
        return NOT_FOUND
    segments = [s for s in raw.split("/") if s]
    if any(s.startswith(".") for s in segments):  # "..", ".", and hidden files (the manifest, the cache)
        return NOT_FOUND
    return _inside(root.resolve(), segments, raw.endswith("/") or not segments, url_path)


def _inside(root: Path, segments: list[str], slash: bool, url_path: str) -> Found:
    try:
        real = root.joinpath(*segments).resolve(strict=True)
        if real.is_dir() and real.is_relative_to(root):
            if not slash:  # one leading slash: "//folder/" would send the browser to a host named "folder"
                return Found(redirect="/" + url_path.lstrip("/") + "/")
            segments = [*segments, INDEX]
            real = root.joinpath(*segments).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):  # missing, a link loop, a name the system refuses
        return NOT_FOUND
    if not real.is_relative_to(root) or not real.is_file():
        return NOT_FOUND
    return Found(real, PurePosixPath(*segments).as_posix())


def media_type(name: str, declared: dict[str, str]) -> str:
    """The type the exporter declared for ``name`` in the manifest, else one by the name's ending."""
    if name in declared:
        return declared[name]
    for ending, kind in _BY_ENDING:
        if name.endswith(ending):
            return kind
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


def is_html(kind: str) -> bool:
    return kind.split(";")[0].strip() == "text/html"


def etag(st: os.stat_result, extra: str = "") -> str:
    return f'"{st.st_ino:x}-{st.st_size:x}-{st.st_mtime_ns:x}{extra}"'


def http_date(seconds: float) -> str:
    return formatdate(seconds, usegmt=True)


def not_modified(headers, tag: str, mtime: float | None) -> bool:
    """If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2); ``mtime`` None: no date validator."""
    match = headers.get("If-None-Match")
    if match is not None:
        tags = [t.strip().removeprefix("W/") for t in match.split(",")]
        return "*" in tags or tag in tags
    since = headers.get("If-Modified-Since")
    if since is None or mtime is None:
        return False
    try:
        return int(mtime) <= parsedate_to_datetime(since).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return False


class Unsatisfiable(Exception):
    """A byte range that starts past the end of the file (416)."""


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(first, last) byte for a single ``bytes=`` range; None to send the whole file (no range, a malformed
    one, or several ranges: RFC 9110 lets a server ignore Range). Raises Unsatisfiable."""
    if not header or not header.startswith("bytes=") or "," in header:
        return None
    first_text, sep, last_text = header[6:].strip().partition("-")
    if not sep or not (first_text.isdigit() or last_text.isdigit()):
        return None
    if not first_text:  # the last N bytes
        suffix = int(last_text)
        if suffix == 0:
            raise Unsatisfiable
        return max(0, size - suffix), size - 1
    first = int(first_text)
    if last_text and (not last_text.isdigit() or int(last_text) < first):
        return None  # malformed: ignored
    if first >= size:
        raise Unsatisfiable
    return first, min(int(last_text), size - 1) if last_text else size - 1


def range_applies(headers, tag: str, mtime: float) -> bool:
    """If-Range: the range is for this version only (an ETag or a date); otherwise send the whole file."""
    condition = headers.get("If-Range")
    if condition is None:
        return True
    if condition.startswith('"') or condition.startswith("W/"):
        return condition == tag
    try:
        return int(mtime) == parsedate_to_datetime(condition).timestamp()  # a date must match exactly
    except (TypeError, ValueError, IndexError, OverflowError):
        return False
