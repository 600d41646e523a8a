"""``source/publication.yaml`` → Publication."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pressrun import model
from pressrun.errors import Diagnostics
from pressrun.readers.fields import Fields
from pressrun.readers.frontmatter import load_yaml_mapping
from pressrun.readers.text import decode_source

PUBLICATION_FIELDS = ("title", "base_url", "language", "description", "timezone", "author", "feed", "issue", "rights")


def read_publication(source_dir: Path, diag: Diagnostics, base_url: str | None = None) -> model.Publication | None:
    """``base_url``: read as if publication.yaml said this instead (``pressrun serve`` publishes a preview at the
    server's address); the file's own base_url must still be valid."""
    path = source_dir / "publication.yaml"
    shown = _shown(path)
    try:
        data = path.read_bytes()
    except OSError:
        diag.error(shown, "not found: every source folder needs a publication.yaml (title, base_url, language, description)")
        return None
    text = decode_source(data, shown, diag)
    if text is None:
        return None
    parsed = load_yaml_mapping(text, shown, diag)
    if parsed is None:
        return None
    fields = Fields(parsed[0], parsed[1], shown, diag)
    fields.warn_unknown(PUBLICATION_FIELDS)
    errors_before = len(diag.errors)

    title = fields.text("title", required=True, one_line=True)
    own_url = fields.url("base_url", required=True)
    language = fields.language("language", required=True)
    description = fields.text("description", required=True)
    zone_name = fields.text("timezone", one_line=True) or "UTC"
    try:
        ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        fields.error("timezone", f"'{zone_name}' is not an IANA time zone such as 'UTC' or 'Asia/Baku'")
    authors = fields.authors("author") or ()
    feed_limit = _limit(fields, "feed", "feed: {limit: 50}", allow_all=False)
    issue_limit = _limit(fields, "issue", "issue: {limit: 50} or issue: {limit: all}", allow_all=True)
    rights = fields.text("rights")
    if len(diag.errors) > errors_before:
        return None
    assert title and own_url and language and description
    return model.Publication(
        title=title,
        base_url=(base_url or own_url).rstrip("/") + "/",
        language=language,
        description=description,
        timezone=zone_name,
        authors=authors,
        feed_limit=feed_limit or DEFAULT_LIMIT,
        issue_limit=issue_limit,
        rights=rights,
        source_dir=source_dir,
    )


DEFAULT_LIMIT = 50


def _limit(fields: Fields, name: str, example: str, allow_all: bool) -> int | None:
    """``<name>: {limit: N}``: how many of the newest articles go in; None means all (where allowed)."""
    block = fields.data.get(name)
    if block is None:
        return DEFAULT_LIMIT
    if not isinstance(block, dict) or set(block) - {"limit"}:
        fields.error(name, f"must be a mapping with one key, limit (e.g. '{example}')")
        return DEFAULT_LIMIT
    limit = block.get("limit", DEFAULT_LIMIT)
    if allow_all and limit == "all":
        return None
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        fields.error(name, "limit must be a whole number of at least 1" + (" or 'all'" if allow_all else ""))
        return DEFAULT_LIMIT
    return limit


def _shown(path: Path) -> Path:
    """Paths in messages are relative to the working directory when possible."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path
