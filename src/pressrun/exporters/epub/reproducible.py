"""Rewrite an EPUB archive so identical input gives identical bytes, by the shared rule of ``exporters.ziparchive``.

OCF rules: ``mimetype`` first, stored (uncompressed) and without extra fields
(the shared writer does that for every package that has one); here
``META-INF/container.xml`` follows it. Every entry gets the same timestamp (the
book's last modification, in UTC, so the date still means something), fixed
permissions, and a fixed order.
"""

from __future__ import annotations

from datetime import datetime

from pressrun.exporters import ziparchive

# zlib's default level: 9 took a third longer for 0.1 % smaller books. Fonts and images are large and
# gain little from harder work: the fast level costs a few percent in size and saves most of the time.
ARCHIVE = ziparchive.Layout(lead=("META-INF/container.xml",), compresslevel=6, media_compresslevel=1)


def normalise(archive: bytes, modified: datetime) -> bytes:
    return ziparchive.rewrite(archive, modified, ARCHIVE)
