"""An 8-bit indexed PNG of a picture that is mostly flat colour (the typographic cover), written quickly.

Pillow's PNG encoder deflates every one of the cover's 2.9 million pixels (~5 ms), although most rows
repeat the row above (the background between lines, the band behind the masthead). Here a long run of
one flat colour is made of segments deflated once per process (the row 2^k times: a run is the sum of
a few) and reused; the other rows are deflated in one stream. The stream is cut before each run with a
full flush, after which deflate refers to nothing before the cut, so the independently deflated
segments (each ending in a sync flush: byte-aligned, not final) can stand between its pieces. The
Adler-32 of the whole is combined from the pieces'.

Speed (issue 19): rows arrive filtered (``filtered_png``: the caller draws the filter bytes as a column of
zeros) and fixed rows deflated once (``Piece``: the cover's masthead), so no row is copied or joined.

Speed (issue 19): the rows that differ are deflated, and every checksum taken, by zlib-ng (``rle``), ~40 %
faster than the system's zlib at the same run-length matching. Its run-length deflate gives zlib's bytes,
which this module checks once per process before trusting it (``_rle_is_zlibs``), so a cover's bytes never
depend on which of the two did the work.

Same pixels and palette as Pillow's file (a test decodes both), other compressed bytes. They depend
only on the pixels, the palette and zlib, never on what was cached before: reproducible.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

from zlib_ng import zlib_ng

SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The rows that differ: run-length matches only (zlib's Z_RLE), which suit rows of flat colour and
# anti-aliased edges: a third faster than Pillow's level 1 on a cover, and a few percent smaller.
LEVEL, STRATEGY = 1, zlib.Z_RLE
LONG_RUN = 8  # identical rows from which a run is taken from the cached segments
BLOCK = 16  # rows compared at once within a run
ADLER_BASE = 65521
NO_FILTER = b"\x00"  # PNG filter type 0 before each row, as Pillow writes for palette images


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib_ng.crc32(kind + data))


def _sample_rows() -> bytes:
    """Rows like a cover's: flat runs, edges in every shade, short runs, rows repeated; ~100 KB."""
    shades = bytes(range(256)) * 5
    edges = bytes(170 - i % 7 for i in range(200)) + bytes(range(0, 256, 3))
    rows = [b"\x00" + bytes([170]) * 300 + shades[:256] + edges[:200] + bytes([85]) * 244]
    rows += [b"\x00" + shades[j : j + 600] + edges[j % 50 :][:400].ljust(400, b"\xaa") for j in range(0, 80, 2)]
    return b"".join(rows * 2 + [b"\x00" + bytes([85]) * 1000] * 20)


@lru_cache(maxsize=1)
def _rle_is_zlibs() -> bool:
    """Whether zlib-ng's run-length deflate writes the system zlib's bytes, as it does (it looks back one byte
    and keeps no hash, where zlib-ng's other levels differ from zlib by design): tried once per process."""
    sample = _sample_rows()
    out = []
    for module in (zlib, zlib_ng):
        deflate = module.compressobj(LEVEL, module.DEFLATED, -15, 8, STRATEGY)
        out.append(deflate.compress(sample[:50_000]) + deflate.flush(zlib.Z_FULL_FLUSH)
                   + deflate.compress(sample[50_000:]) + deflate.flush(zlib.Z_FINISH))
    return out[0] == out[1]


def rle() -> ModuleType:
    """The zlib that deflates the rows: zlib-ng where it gives zlib's bytes, else zlib itself."""
    return zlib_ng if _rle_is_zlibs() else zlib


def adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two byte strings one after the other, from each one's checksum (zlib's rule)."""
    a1, b1, a2, b2 = first & 0xFFFF, first >> 16, second & 0xFFFF, second >> 16
    a = (a1 + a2 - 1) % ADLER_BASE
    b = (b1 + b2 + second_length * (a1 - 1)) % ADLER_BASE
    return b << 16 | a


def long_runs(pixels: bytes, width: int, height: int, skip: int = 0) -> Iterator[tuple[int, int]]:
    """(first row, rows) of each run of at least LONG_RUN identical rows of one colour (the background and
    the bands: the same on every cover), top to bottom; rows are ``width`` bytes, of which the first ``skip``
    are not pixels (a filter byte). ``startswith`` compares in place, copying nothing, and within a run BLOCK
    rows at a time (a run is often hundreds of rows)."""
    start = 0
    while start < height:
        row = pixels[start * width : (start + 1) * width]
        end = start + 1
        if end < height and pixels.startswith(row, end * width):
            block = row * BLOCK
            while end + BLOCK <= height and pixels.startswith(block, end * width):
                end += BLOCK
            while end < height and pixels.startswith(row, end * width):
                end += 1
            # Runs of a row with text in it (the stems of large letters) stay in the stream: caching them
            # would only push out the flat rows every cover shares.
            if end - start >= LONG_RUN and row.count(row[skip : skip + 1], skip) == width - skip:
                yield start, end - start
        start = end


@dataclass(frozen=True)
class Piece:
    """Filtered rows deflated on their own and cut with a full flush (nothing after refers into them): a part
    of a picture made once per process (the cover's masthead), with the rows' Adler-32 and length."""

    data: bytes
    adler: int
    length: int


def deflated(rows: bytes) -> Piece:
    """``rows`` (each a filter byte and its pixels) as a Piece; paid once per process: the smallest level."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Piece(compressor.compress(rows) + compressor.flush(zlib.Z_FULL_FLUSH), zlib_ng.adler32(rows), len(rows))


@lru_cache(maxsize=64)  # flat rows in a few colours, 2^0 … 2^11 times each
def _segment(line: bytes, count: int) -> tuple[bytes, int, int]:
    """``line`` ``count`` times, deflated on its own and sync-flushed: (segment, Adler-32, length)."""
    data = line * count
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)  # paid once per process: the smallest
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH), zlib_ng.adler32(data), len(data)


class _Stream:
    """The zlib stream of the image data: header, deflate pieces, Adler-32."""

    def __init__(self) -> None:
        module = rle()
        self.deflate = module.compressobj(LEVEL, module.DEFLATED, -15, 8, STRATEGY)
        self.parts = [b"\x78\x01"]  # zlib header: deflate, 32 KB window, fastest level
        self.adler = 1

    def rows(self, rows: memoryview, stride: int, first: int, end: int, flush: int) -> None:
        """Filtered rows ``first`` to ``end`` (excluded), deflated in one call, copying nothing."""
        data = rows[first * stride : end * stride]
        self.parts.append(self.deflate.compress(data))
        self.parts.append(self.deflate.flush(flush))
        self.adler = zlib_ng.adler32(data, self.adler)

    def run(self, line: bytes, count: int) -> None:
        """The filtered row ``line`` ``count`` times, from the cached segments (after a full flush: nothing
        after the cut refers to what came before it)."""
        for bit in range(count.bit_length() - 1, -1, -1):
            if count >> bit & 1:
                segment, adler, length = _segment(line, 1 << bit)
                self.parts.append(segment)
                self.adler = adler32_combine(self.adler, adler, length)

    def piece(self, piece: Piece) -> None:
        """Rows deflated before (after a full flush, as ``run``)."""
        self.parts.append(piece.data)
        self.adler = adler32_combine(self.adler, piece.adler, piece.length)

    def finish(self) -> bytes:
        self.parts.append(struct.pack(">I", self.adler))
        return b"".join(self.parts)


def indexed_png(pixels: bytes, width: int, height: int, palette: bytes) -> bytes:
    """A PNG of ``pixels`` (one palette index a byte, row by row) in the colours of ``palette`` (RGB triples)."""
    rows = b"".join(NO_FILTER + pixels[r * width : (r + 1) * width] for r in range(height))
    return filtered_png((), rows, width, height, palette)


def filtered_png(head: Sequence[Piece], rows: bytes, width: int, height: int, palette: bytes,
                 flat: Iterable[tuple[int, int]] | None = None) -> bytes:
    """A PNG whose first rows are deflated already (``head``, top to bottom) and whose other rows are ``rows``:
    each a filter byte 0 and ``width`` palette indices, as a caller can draw them (a column of zeros) and
    hand them over without a copy. ``flat``: (first row, rows) of ``rows``'s runs of one row of one colour, top
    to bottom, when the caller knows them; else ``long_runs`` finds them."""
    stream, stride = _Stream(), width + 1
    for piece in head:
        stream.piece(piece)
    view, done = memoryview(rows), 0  # rows given to the stream so far
    if flat is None:
        flat = long_runs(rows, stride, len(rows) // stride, skip=1)
    for first, count in flat:
        stream.rows(view, stride, done, first, zlib.Z_FULL_FLUSH)
        stream.run(rows[first * stride : (first + 1) * stride], count)
        done = first + count
    stream.rows(view, stride, done, len(rows) // stride, zlib.Z_FINISH)  # the final block
    header = struct.pack(">2I5B", width, height, 8, 3, 0, 0, 0)  # 8-bit, indexed colour, no interlace
    return b"".join((SIGNATURE, _chunk(b"IHDR", header), _chunk(b"PLTE", palette), _chunk(b"IDAT", stream.finish()),
                     _chunk(b"IEND", b"")))
