"""Reproducible ZIP archives: the one writer behind every format that is a ZIP (DOCX, EPUB).

The libraries that make the packages (python-docx, EbookLib) stamp every entry
with the clock and keep whatever order they wrote in. ``rewrite`` gives the same
bytes for the same entries, whatever the machine, the time or the build order.
One rule for every format:

* **Timestamps.** Every entry carries the same moment, the document's own date
  (for an article, its last change), never the clock. ZIP times have no zone, so
  the moment is given in UTC, as the packages' own metadata give it
  (``dcterms:modified``); a naive moment is taken to be UTC already. The ZIP
  format's range (1980 to 2107) bounds it, at its two-second resolution.
* **Order.** ``mimetype``, where there is one (OCF and ODF require it first,
  stored, without extra fields), then the entries a format's readers look for
  first (``Layout.lead``), then every other entry by name.
* **Attributes.** Unix, ``rw-r--r--``, no extra fields, every entry deflated but
  ``mimetype``.

How hard to compress is a format's own setting (``Layout``): it changes the size
and the time a build takes, never whether the bytes are reproducible.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

MIMETYPE = "mimetype"  # the first entry of an OCF (EPUB) or ODF package, stored uncompressed
ZIP_FIRST = datetime(1980, 1, 1)  # the earliest time a ZIP entry can carry
ZIP_LAST = datetime(2107, 12, 31, 23, 59, 58)  # and the latest
# Already compressed: deflating them harder gains almost nothing and costs most of the time.
MEDIA_SUFFIXES = (".ttf", ".otf", ".woff", ".jpg", ".jpeg", ".png", ".gif")


@dataclass(frozen=True)
class Layout:
    """What a format adds to the rule: the entries its readers look for first, and how hard to compress."""

    lead: tuple[str, ...] = ()  # after ``mimetype``, in this order; the rest follow by name
    compresslevel: int = 6  # zlib's default
    media_compresslevel: int = 6  # for names ending in MEDIA_SUFFIXES (fonts, images)

    def level(self, name: str) -> int:
        return self.media_compresslevel if name.lower().endswith(MEDIA_SUFFIXES) else self.compresslevel


def entry_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    """The one timestamp of every entry: ``moment`` in UTC (naive: already UTC), within the ZIP range."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    moment = min(max(moment, ZIP_FIRST), ZIP_LAST)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second // 2 * 2)


def entry_order(names: list[str] | tuple[str, ...], layout: Layout) -> list[str]:
    """``mimetype``, then the layout's leading entries, then the rest by name."""
    first = (MIMETYPE, *layout.lead)
    return [n for n in first if n in names] + sorted(n for n in names if n not in first)


def read_entries(archive: bytes) -> dict[str, bytes]:
    """Every entry of a ZIP by name (a name written twice keeps its last copy, as ``ZipFile.read`` would)."""
    with zipfile.ZipFile(io.BytesIO(archive)) as source:
        return {info.filename: source.read(info) for info in source.infolist()}


def write_archive(entries: Mapping[str, bytes], modified: datetime, layout: Layout) -> bytes:
    """A ZIP of ``entries`` by the rule above: the same entries and moment always give the same bytes."""
    stamp = entry_time(modified)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in entry_order(list(entries), layout):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3  # Unix, whatever the build machine
            info.external_attr = 0o644 << 16
            if name == MIMETYPE:
                info.compress_type = zipfile.ZIP_STORED
                target.writestr(info, entries[name])
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, entries[name], compresslevel=layout.level(name))
    return out.getvalue()


def rewrite(archive: bytes, modified: datetime, layout: Layout) -> bytes:
    """Rewrite a ZIP a library wrote (with the clock's times, in its own order) by the rule above."""
    return write_archive(read_entries(archive), modified, layout)
