"""HTML: parses with html5lib's strict parser (any HTML5 parse error fails), and every local href/src resolves to
a file inside the output folder. Absolute and other-scheme URLs (https:, mailto:…) and fragments are not local."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import html5lib
from html5lib.html5parser import ParseError
from lxml import etree
from lxml import html as lxml_html

from pressrun.verify.findings import CheckOptions, Finding, shorten

URL_ATTRIBUTES = ("href", "src", "poster", "data")


def check(root: Path, files: list[str], options: CheckOptions) -> list[Finding]:
    findings: list[Finding] = []
    for rel in files:
        data = (root / rel).read_bytes()
        findings.extend(_parse(rel, data))
        findings.extend(_links(root, rel, data))
    return findings


def _parse(rel: str, data: bytes) -> list[Finding]:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        parser.parse(data)  # bytes: html5lib sniffs the encoding as a browser would
    except ParseError as exc:
        (line, _column), _code, _data = parser.errors[-1]
        return [Finding(rel, "parse", f"html5lib (strict): {exc}", line)]
    return []


def _links(root: Path, rel: str, data: bytes) -> list[Finding]:
    # lxml for the walk: it keeps each element's source line, which html5lib's trees do not.
    try:
        document = lxml_html.document_fromstring(data)
    except (etree.ParserError, ValueError) as exc:
        return [Finding(rel, "link", f"cannot read the page's links: {shorten(str(exc))}")]
    findings = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        for attr, url in _urls(element):
            problem = resolve_problem(root, rel, url)
            if problem:
                findings.append(Finding(rel, "link", f"<{element.tag} {attr}={url!r}>: {problem}", element.sourceline))
    return findings


def _urls(element) -> list[tuple[str, str]]:
    urls = [(attr, element.get(attr)) for attr in URL_ATTRIBUTES if element.get(attr) is not None]
    for candidate in (element.get("srcset") or "").split(","):
        if candidate.strip():
            urls.append(("srcset", candidate.split()[0]))
    return urls


def resolve_problem(root: Path, page: str, url: str) -> str | None:
    """Why a local URL on ``page`` does not lead to a file in the output folder, or None when it does.

    ``root`` is the resolved output folder. A path starting with "/" is taken from the output folder,
    which is what the site's root is when the folder is served at base_url.
    """
    parts = urlsplit(url.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return None  # absolute, another scheme, or only a fragment/query on the page itself
    path = unquote(parts.path)
    base = root if path.startswith("/") else (root / page).parent
    target = (base / path.lstrip("/")).resolve()  # resolve(): ".." and symbolic links, as a server would see them
    if not target.is_relative_to(root):
        return "leads outside the output folder"
    shown = PurePosixPath(target.relative_to(root).as_posix())
    if target.is_dir():
        return None if (target / "index.html").is_file() else f"{shown}/ is a folder without index.html"
    if not target.is_file():
        return f"{shown} does not exist in the output folder"
    return None
