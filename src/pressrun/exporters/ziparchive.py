"""Reproducible ZIP archives: the one writer behind every format that is a ZIP (DOCX, EPUB).

The libraries that make the packages (python-docx, EbookLib) stamp every entry
with the clock and keep whatever order they wrote in. ``rewrite`` gives the same
bytes for the same entries, whatever the machine, the time or the build order;
``write_archive`` writes entries a format collected itself (EPUB) by the same rule.
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
  ``mimetype`` (and those a format names in ``Layout.stored``).

How hard to compress is a format's own setting (``Layout``): it changes the size
and the time a build takes, never whether the bytes are reproducible.

Speed (issue 19): the archive is laid out here (``_Archive``), byte for byte as ``zipfile`` lays it out (a
test holds the two equal), so an entry can be deflated once per process and reused: the entries a format
names in ``Layout.reused`` (an EPUB's subset fonts, the same from book to book in the same scripts) are
deflated by a cache keyed by their bytes, which returns exactly what deflating them again would.
A format may also name entries to store as they are (``Layout.stored``: an EPUB's generated cover, a PNG
made anew for each book, which deflating again took a millisecond to shrink by a fifth).
Archives that would need ZIP64 (2 GB), or that hold folder entries, go through ``zipfile`` itself.

``stream_archive`` writes the same bytes into a file as the entries come (an issue e-book of every article is
never held whole): only the central directory stays in memory.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import BinaryIO

from zlib_ng import zlib_ng  # CRC-32 only, the same number ~3x faster; deflating stays zlib's (its bytes)

MIMETYPE = "mimetype"  # the first entry of an OCF (EPUB) or ODF package, stored uncompressed
ZIP_FIRST = datetime(1980, 1, 1)  # the earliest time a ZIP entry can carry
ZIP_LAST = datetime(2107, 12, 31, 23, 59, 58)  # and the latest
# Already compressed: deflating them harder gains almost nothing and costs most of the time.
MEDIA_SUFFIXES = (".ttf", ".otf", ".woff", ".jpg", ".jpeg", ".png", ".gif")
UNIX, MODE, VERSION = 3, 0o644 << 16, 20  # made on Unix, rw-r--r--; "version needed": 2.0 (deflate)
UTF8_NAME = 0x800  # general purpose flag: the name is UTF-8 (set only when it is not ASCII, as zipfile does)
SMALL_ENOUGH = zipfile.ZIP64_LIMIT // 2  # bytes in, below which no ZIP64 record can be needed


@dataclass(frozen=True)
class Layout:
    """What a format adds to the rule: the entries its readers look for first, and how hard to compress."""

    lead: tuple[str, ...] = ()  # after ``mimetype``, in this order; the rest follow by name
    compresslevel: int = 6  # zlib's default
    media_compresslevel: int = 6  # for names ending in MEDIA_SUFFIXES (fonts, images)
    reused: tuple[str, ...] = ()  # name prefixes of entries that recur, byte for byte, across packages
    stored: tuple[str, ...] = ()  # names stored as they are, like ``mimetype`` (compressed already, and made anew)
    # For the reused entries that are not media (deflated once per process, so the harder level costs nothing
    # after the first package); None: ``compresslevel``.
    reused_compresslevel: int | None = None
    pictures: tuple[str, ...] = ()  # name prefixes of pictures, which may recur (``pack_picture``)

    def level(self, name: str) -> int | None:
        """How hard to deflate ``name``; None: store it."""
        if name == MIMETYPE or name in self.stored:
            return None
        if name.lower().endswith(MEDIA_SUFFIXES):
            return self.media_compresslevel
        if self.reused_compresslevel is not None and name.startswith(self.reused):
            return self.reused_compresslevel
        return self.compresslevel

    def packer(self, name: str, size: int) -> Callable[[bytes, int | None], Packed]:
        """``pack``, or one of its caches for the entries that recur."""
        if name.startswith(self.reused):
            return pack_reused
        if name.startswith(self.pictures) and name not in self.stored and size <= PICTURE_CACHED:
            return pack_picture
        return pack


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


@dataclass(frozen=True)
class Packed:
    """One entry's data as stored in the archive."""

    method: int  # zipfile.ZIP_STORED or ZIP_DEFLATED
    crc: int
    size: int  # uncompressed
    data: bytes


# zlib's deflate looks no further back than its window less MIN_LOOKAHEAD bytes, and reads an input that fits in
# that span in one go: there a smaller window gives the very bytes of zipfile's 32 KB one (a test compares them).
MIN_LOOKAHEAD = 262
SMALLEST_WINDOW, ZIPFILE_WINDOW = 9, 15


def window_bits(size: int) -> int:
    """The smallest deflate window (as a power of two) that gives the same bytes as zipfile's for ``size`` bytes.

    Speed (issue 19): setting up a compressor clears and allocates its tables, window included: ~40 µs for the
    32 KB window, most of the cost of deflating a 2 KB document (a book's navigation, a DOCX part). A book's
    five documents took ~0.4 ms to deflate; ~0.2 ms with their own windows."""
    bits = SMALLEST_WINDOW
    while bits < ZIPFILE_WINDOW and (1 << bits) - MIN_LOOKAHEAD < size:
        bits += 1
    return bits


def pack(data: bytes, level: int | None) -> Packed:
    """``data`` deflated at ``level`` (None: stored): the bytes ``zipfile.writestr`` would write."""
    if level is None:
        return Packed(zipfile.ZIP_STORED, zlib_ng.crc32(data), len(data), data)
    compressor = zlib.compressobj(level, zlib.DEFLATED, -window_bits(len(data)))
    return Packed(zipfile.ZIP_DEFLATED, zlib_ng.crc32(data), len(data), compressor.compress(data) + compressor.flush())


# Keyed by the bytes themselves: a hit is exactly what ``pack`` would compute. Sized for a theme's faces
# (an EPUB embeds up to 12) in each of the coverages of a large multilingual run, like ``fonts._subset``.
pack_reused = lru_cache(maxsize=256)(pack)
# Pictures recur less (the same photo in several articles' books) and can be large: a few, of a bounded size.
PICTURE_CACHED = 1 << 20
pack_picture = lru_cache(maxsize=8)(pack)


@lru_cache(maxsize=1024)  # the same names recur from package to package
def _encoded_name(name: str) -> tuple[bytes, int]:
    """The name as ``zipfile`` stores it (its normalisation), and the flag telling whether it is UTF-8."""
    filename = zipfile.ZipInfo(name).filename
    try:
        return filename.encode("ascii"), 0
    except UnicodeEncodeError:
        return filename.encode("utf-8"), UTF8_NAME


class _Archive:
    """Local headers, data, central directory and end record, field for field as ``zipfile`` writes them, each
    handed to ``write`` as it is made: a list's ``append`` to join them once at the end (the fonts are most of an
    EPUB: copied once, not again as a buffer grows), or a file's ``write`` (``stream_archive``)."""

    def __init__(self, stamp: tuple[int, int, int, int, int, int], write: Callable[[bytes], object]) -> None:
        y, mo, d, h, mi, s = stamp
        self.when = (h << 11 | mi << 5 | s // 2, (y - 1980) << 9 | mo << 5 | d)  # DOS time, date
        self.write = write
        self.offset = 0
        self.central: list[bytes] = []

    def add(self, name: str, packed: Packed) -> None:
        encoded, flags = _encoded_name(name)
        fields = (flags, packed.method, *self.when, packed.crc, len(packed.data), packed.size, len(encoded))
        header = struct.pack("<4s2B4HL2L2H", b"PK\003\004", VERSION, 0, *fields, 0) + encoded
        self.central.append(struct.pack("<4s4B4HL2L5H2L", b"PK\001\002", VERSION, UNIX, VERSION, 0, *fields,
                                        0, 0, 0, 0, MODE, self.offset) + encoded)
        self.write(header)
        self.write(packed.data)
        self.offset += len(header) + len(packed.data)

    def close(self) -> int:
        """Writes the central directory and the end record; the archive's size."""
        count, size = len(self.central), sum(map(len, self.central))
        end = struct.pack("<4s4H2LH", b"PK\005\006", 0, 0, count, count, size, self.offset, 0)
        for record in (*self.central, end):
            self.write(record)
        return self.offset + size + len(end)


def _add_with_zipfile(target: zipfile.ZipFile, name: str, data: bytes, stamp: tuple[int, ...], layout: Layout) -> None:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.create_system = UNIX  # Unix, whatever the build machine
    info.external_attr = MODE
    if layout.level(name) is None:
        info.compress_type = zipfile.ZIP_STORED
        target.writestr(info, data)
    else:
        info.compress_type = zipfile.ZIP_DEFLATED
        target.writestr(info, data, compresslevel=layout.level(name))


def _with_zipfile(entries: Mapping[str, bytes], stamp: tuple[int, ...], layout: Layout) -> bytes:
    """The same rule through ``zipfile`` (which adds ZIP64 records where an archive needs them)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in entry_order(list(entries), layout):
            _add_with_zipfile(target, name, entries[name], stamp, layout)
    return out.getvalue()


def write_archive(entries: Mapping[str, bytes], modified: datetime, layout: Layout) -> bytes:
    """A ZIP of ``entries`` by the rule above: the same entries and moment always give the same bytes."""
    stamp = entry_time(modified)
    # ZIP64 records, and folder entries (zipfile gives them attributes of their own): zipfile's business.
    big = len(entries) > zipfile.ZIP_FILECOUNT_LIMIT or sum(map(len, entries.values())) > SMALL_ENOUGH
    if big or any(name.endswith("/") for name in entries):
        return _with_zipfile(entries, stamp, layout)
    parts: list[bytes] = []
    archive = _Archive(stamp, parts.append)
    for name in entry_order(list(entries), layout):
        data = entries[name]
        archive.add(name, layout.packer(name, len(data))(data, layout.level(name)))
    archive.close()
    return b"".join(parts)


class _NeedsZipfile(Exception):
    """The archive needs what only ``zipfile`` writes (ZIP64 records, folder entries)."""


class _InOrder:
    """Holds a stream of entries to ``entry_order``: a writer that cannot sort what it has not seen yet refuses
    what would come out in another order (a programming error: the bytes would differ from ``write_archive``'s)."""

    def __init__(self, layout: Layout) -> None:
        self.first = (MIMETYPE, *layout.lead)
        self.last: tuple[int, int, str] = (-1, 0, "")

    def check(self, name: str) -> None:
        key = (0, self.first.index(name), "") if name in self.first else (1, 0, name)
        if key <= self.last:
            raise ValueError(f"archive entry {name!r} comes after {self.last[2] or self.first[self.last[1]]!r}: "
                             "entries must come in entry_order")
        self.last = key


Entries = Iterable[tuple[str, bytes]]


def stream_archive(handle: BinaryIO, entries: Callable[[], Entries], modified: datetime, layout: Layout) -> int:
    """Write the ZIP of ``entries()`` to ``handle`` as they come, holding only the central directory: the bytes
    ``write_archive`` gives for the same entries, which must come in ``entry_order``. Returns the bytes written.

    Whether an archive needs ZIP64 records shows only as it is written: the entries are then asked for again
    (``entries`` makes them anew) and written through ``zipfile`` from where the archive began."""
    stamp = entry_time(modified)
    start = handle.tell()
    try:
        return _stream(handle, entries(), stamp, layout)
    except _NeedsZipfile:
        handle.seek(start)
        handle.truncate()
    order = _InOrder(layout)
    with zipfile.ZipFile(handle, "w") as target:
        for name, data in entries():
            order.check(name)
            _add_with_zipfile(target, name, data, stamp, layout)
    return handle.tell() - start


def _stream(handle: BinaryIO, entries: Entries, stamp: tuple[int, int, int, int, int, int], layout: Layout) -> int:
    """``_Archive`` writing to ``handle``, until an entry needs ``zipfile`` (by ``write_archive``'s rule)."""
    archive, order = _Archive(stamp, handle.write), _InOrder(layout)
    count = taken = 0
    for name, data in entries:
        order.check(name)
        count, taken = count + 1, taken + len(data)
        if count > zipfile.ZIP_FILECOUNT_LIMIT or taken > SMALL_ENOUGH or name.endswith("/"):
            raise _NeedsZipfile
        archive.add(name, layout.packer(name, len(data))(data, layout.level(name)))
    return archive.close()


def rewrite(archive: bytes, modified: datetime, layout: Layout) -> bytes:
    """Rewrite a ZIP a library wrote (with the clock's times, in its own order) by the rule above."""
    return write_archive(read_entries(archive), modified, layout)
