"""Reproducible OPC packages: python-docx stamps every ZIP entry with the current time."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

# Parts every reader looks for first; the rest follow in name order.
_FIRST = ("[Content_Types].xml", "_rels/.rels")
_DOS_EPOCH = (1980, 1, 1, 0, 0, 0)


def _stamp(moment: datetime | None) -> tuple[int, int, int, int, int, int]:
    if moment is None or moment.year < 1980:
        return _DOS_EPOCH
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second // 2 * 2)


def reproducible_zip(data: bytes, moment: datetime | None = None) -> bytes:
    """Rewrite a ZIP with a fixed entry order, one timestamp (``moment``, e.g. the article's
    last change) and fixed attributes, so the same input always gives the same bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        entries = {info.filename: src.read(info) for info in src.infolist()}
    names = [n for n in _FIRST if n in entries] + sorted(n for n in entries if n not in _FIRST)
    out = io.BytesIO()
    stamp = _stamp(moment)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the build machine
            info.external_attr = 0o644 << 16
            dst.writestr(info, entries[name], compresslevel=9)
    return out.getvalue()
