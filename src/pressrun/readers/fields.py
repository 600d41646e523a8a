"""Typed access to front-matter fields, reporting located problems."""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pressrun import model
from pressrun.errors import Diagnostics
from pressrun.language import check_tag
from pressrun.readers.text import scrub

class Fields:
    """One mapping of fields from one file, with the line of each top-level key."""

    def __init__(self, data: dict[str, Any], lines: dict[str, int], path: Path, diag: Diagnostics):
        self.data = data
        self.lines = lines
        self.path = path
        self.diag = diag

    def line(self, key: str) -> int | None:
        """The line of ``key``; ``corrections[2].date`` falls back to ``corrections[2]``, then ``corrections``."""
        while key not in self.lines:
            shorter = key.rpartition(".")[0] if "." in key else key.partition("[")[0]
            if not shorter or shorter == key:
                return None
            key = shorter
        return self.lines[key]

    def error(self, key: str, message: str) -> None:
        self.diag.error(self.path, message, key, self.line(key))

    def warning(self, key: str, message: str) -> None:
        self.diag.warning(self.path, message, key, self.line(key))

    def warn_unknown(self, known: tuple[str, ...]) -> None:
        for key in self.data:
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else f"; known fields: {', '.join(known)}"
                self.warning(str(key), f"unknown field ignored{hint}")

    # --- scalars --------------------------------------------------------------
    def text(self, key: str, required: bool = False, one_line: bool = False) -> str | None:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(key, "required; add it to the front matter")
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.error(key, f"must be text, not {_kind(value)}")
            return None
        value = scrub(value.strip(), self.path, self.diag, key, (self.line(key) or 1) - 1)
        if one_line and "\n" in value:
            self.error(key, "must be a single line")
            return None
        return value

    def language(self, key: str, default: str | None = None, required: bool = False) -> str | None:
        value = self.text(key, required=required, one_line=True)
        if value is None:
            return default
        checked = check_tag(value)
        if checked.error:
            self.error(key, checked.error)
            return default
        if checked.warning:
            self.diag.warning(self.path, checked.warning, key, self.line(key))
        return checked.tag  # canonical: 'hau' is written as 'ha', 'iw' as 'he'

    def nested_text(self, key: str, value: object) -> str | None:
        """A text value found inside a mapping or list (``image.caption``, ``corrections[0].text``), scrubbed and
        located; None when absent or empty, and an error when it is not text."""
        if value is None:
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.error(key, "must be text")
            return None
        return scrub(str(value).strip(), self.path, self.diag, key, (self.line(key) or 1) - 1) or None

    def url(self, key: str, required: bool = False) -> str | None:
        value = self.text(key, required=required, one_line=True)
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            self.error(key, f"'{value}' must be an absolute http(s) URL")
            return None
        return value

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
            self.error(key, "must be a list of text items")
            return ()
        items = [scrub(str(v).strip(), self.path, self.diag, key, (self.line(key) or 1) - 1) for v in value]
        return tuple(dict.fromkeys(i for i in items if i))  # drop empties and repeats, keep order

    def moment(self, key: str, zone: ZoneInfo, required: bool = False) -> datetime | None:
        """An ISO 8601 date or date-time; without an offset it is in ``zone``."""
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.error(key, "required; an ISO 8601 date such as 2024-04-27 or 2024-04-27T14:30:00+04:00")
            return None
        return self.moment_value(key, value, zone)

    def moment_value(self, key: str, value: object, zone: ZoneInfo) -> datetime | None:
        """``value`` (of ``key``, e.g. ``corrections[1].date``) as a moment; without an offset it is in ``zone``."""
        if isinstance(value, datetime):
            parsed = value
        elif isinstance(value, date):
            parsed = datetime.combine(value, time())
        elif isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value.strip())
            except ValueError:
                self.error(key, f"'{value}' is not a valid ISO 8601 date (e.g. 2024-04-27 or 2024-04-27T14:30:00Z)")
                return None
        else:
            self.error(key, f"must be an ISO 8601 date, not {_kind(value)}")
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)

    def authors(self, key: str) -> tuple[model.Author, ...] | None:
        value = self.data.get(key)
        if value is None:
            return None
        entries = value if isinstance(value, list) else [value]
        authors: list[model.Author] = []
        for entry in entries:
            if isinstance(entry, str) and entry.strip():
                authors.append(model.Author(entry.strip()))
            elif isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry["name"].strip():
                extra = set(entry) - {"name", "role", "url", "email"}
                if extra:
                    self.warning(key, f"unknown author field(s) ignored: {', '.join(sorted(map(str, extra)))}")
                if any(entry.get(k) is not None and not isinstance(entry.get(k), str) for k in ("role", "url", "email")):
                    self.error(key, "author role, url and email must be text")
                    return None
                authors.append(model.Author(entry["name"].strip(), entry.get("role"), entry.get("url"), entry.get("email")))
            else:
                self.error(key, "must be a name, or a list of names or of {name, role, url, email} mappings")
                return None
        if not authors:
            self.error(key, "must name at least one author")
            return None
        return tuple(authors)


def _kind(value: object) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(type(value), type(value).__name__)
