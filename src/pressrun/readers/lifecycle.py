"""The editorial lifecycle of an article: its embargo, its status and its dated corrections, checked and located.

Rules (each a located error with its fix): an embargo is a date, a time and a UTC offset, and ``published`` is
not before it; ``status`` is one of usable, withheld, canceled; a correction has a date not before
``published``, a type (correction or clarification) and a text (inline Markdown); ``updated``, when given, is
not before the newest correction.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from pressrun import clock, model
from pressrun.readers.fields import Fields

CORRECTION_FIELDS = ("date", "type", "text")
Inlines = Callable[[str, str], model.RichText]  # (field, inline Markdown) → rich text, problems located at field


@dataclass(frozen=True)
class Lifecycle:
    embargo: datetime | None = None
    status: str = "usable"
    corrections: tuple[model.Correction, ...] = ()


def read_lifecycle(fields: Fields, zone: ZoneInfo, inlines: Inlines,
                   published: datetime | None, updated: datetime | None) -> Lifecycle:
    embargo = _embargo(fields)
    status = _choice(fields, "status", fields.text("status", one_line=True), model.STATUSES) or "usable"
    corrections = _corrections(fields, zone, inlines)
    if published and embargo and published < embargo:
        fields.error("published", f"{published.isoformat()} is before the embargo ({embargo.isoformat()}): an "
                                  "embargoed article is published when the embargo lifts; set published to that time or later")
    if published:
        for index, correction in corrections:
            if correction.date < published:
                fields.error(f"corrections[{index}].date", f"{correction.date.isoformat()} is before published "
                                                           f"({published.isoformat()}); a correction follows publication")
    if updated and corrections:
        index, newest = max(corrections, key=lambda pair: pair[1].date)
        if updated < newest.date:
            fields.error("updated", f"{updated.isoformat()} is before the newest correction ({newest.date.isoformat()}, "
                                    f"corrections[{index}]); set updated to that time or later, or remove it")
    ordered = sorted((c for _, c in corrections), key=lambda c: c.date.timestamp())  # oldest first, stable
    return Lifecycle(embargo, status, tuple(ordered))


def _embargo(fields: Fields) -> datetime | None:
    text = fields.text("embargo", one_line=True)
    if text is None:
        return None
    try:
        return clock.parse_moment(text)
    except ValueError as exc:
        fields.error("embargo", f"{exc}: an embargo is a moment, so it takes a time and an offset")
        return None


def _choice(fields: Fields, key: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    """``value`` when it is one of ``allowed`` (case aside); a located error with the closest one otherwise."""
    if value is None:
        return None
    if value.lower() in allowed:
        return value.lower()
    close = difflib.get_close_matches(value.lower(), allowed, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    fields.error(key, f"unknown {key.rpartition('.')[2]} '{value}'; {hint}use one of: {', '.join(allowed)}")
    return None


def _corrections(fields: Fields, zone: ZoneInfo, inlines: Inlines) -> list[tuple[int, model.Correction]]:
    """(1-based position in the source, correction) of every valid correction."""
    raw = fields.data.get("corrections")
    if raw is None:
        return []
    if not isinstance(raw, list):
        fields.error("corrections", "must be a list of {date, type, text} mappings")
        return []
    found = []
    for index, item in enumerate(raw, start=1):
        correction = _correction(fields, f"corrections[{index}]", item, zone, inlines)
        if correction is not None:
            found.append((index, correction))
    return found


def _correction(fields: Fields, key: str, item: object, zone: ZoneInfo, inlines: Inlines) -> model.Correction | None:
    if not isinstance(item, dict):
        fields.error(key, "must be a mapping with date, type (correction or clarification) and text")
        return None
    extra = sorted(map(str, set(item) - set(CORRECTION_FIELDS)))
    if extra:
        fields.warning(key, f"unknown correction field(s) ignored: {', '.join(extra)}; known: {', '.join(CORRECTION_FIELDS)}")
    missing = [name for name in CORRECTION_FIELDS if item.get(name) in (None, "")]
    for name in missing:
        fields.error(f"{key}.{name}", "required: a correction has a date, a type (correction or clarification) and a text")
    date = fields.moment_value(f"{key}.date", item["date"], zone) if "date" not in missing else None
    kind = fields.nested_text(f"{key}.type", item.get("type"))
    kind = _choice(fields, f"{key}.type", kind, model.CORRECTION_TYPES) if kind else None
    text = fields.nested_text(f"{key}.text", item.get("text"))
    if date is None or kind is None or not text:
        return None
    return model.Correction(date, kind, inlines(f"{key}.text", text))
