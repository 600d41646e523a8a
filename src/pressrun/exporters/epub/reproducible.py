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

# Fonts and images are large and gain little from harder work: the fast level costs a few percent in size and
# saves most of the time. The documents made anew for each book (the article, the OPF, navigation, NCX) take
# the fast level too (issue 19): ~0.2 ms a book less than zlib's default, for ~0.85 KB more (~0.2 % of a
# book, whose subset fonts are most of it). What recurs (the stylesheet, the fonts' licence, the container)
# is deflated once per process, so at the default level, as before. The article's pictures may recur (the
# same photo in several articles): deflated once while they do (``ziparchive.pack_picture``).
ARCHIVE = ziparchive.Layout(lead=("META-INF/container.xml",), compresslevel=1, media_compresslevel=1,
                            reused=("EPUB/fonts/", "EPUB/css/", "META-INF/"), stored=(COVER,),
                            reused_compresslevel=6, pictures=("EPUB/images/",))


def archive(entries: Mapping[str, bytes], modified: datetime) -> bytes:
    return ziparchive.write_archive(entries, modified, ARCHIVE)
