"""Write an EPUB archive so identical input gives identical bytes, by the shared rule of ``exporters.ziparchive``.

OCF rules: ``mimetype`` first, stored (uncompressed) and without extra fields
(the shared writer does that for every package that has one); here
``META-INF/container.xml`` follows it. Every entry gets the same timestamp (the
book's last modification, in UTC, so the date still means something), fixed
permissions, and a fixed order.

The subset fonts (and mostly the stylesheet) recur from book to book: books in the same scripts share
their coverage. Each is deflated once per process (``Layout.reused``).

Speed (issue 19): the generated cover is stored, not deflated again (``COVER``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pressrun.exporters import ziparchive

# The typographic cover (``assemble.COVER_PNG``): a PNG deflated already, and new in every book, so no cache
# helps; deflating it again cost ~0.5 ms a book (a third of its ZIP time) to gain ~10 KB, ~2 % of the book.
COVER = "EPUB/images/cover.png"

# zlib's default level: 9 took a third longer for 0.1 % smaller books. Fonts and images are large and
# gain little from harder work: the fast level costs a few percent in size and saves most of the time.
ARCHIVE = ziparchive.Layout(lead=("META-INF/container.xml",), compresslevel=6, media_compresslevel=1,
                            reused=("EPUB/fonts/", "EPUB/css/"), stored=(COVER,))


def archive(entries: Mapping[str, bytes], modified: datetime) -> bytes:
    return ziparchive.write_archive(entries, modified, ARCHIVE)
