"""Articles kept packed between reading and rendering, so a build's memory does not grow with its articles.

A read article is ~50 KB of Python objects; pickled and deflated it is ~4 KB. The build keeps each
article's teaser (model.Teaser) and its packed bytes, and unpacks one article while rendering it
(issue 19: peak memory at 1,000 articles within 1.2× that at 100). Packing costs ~0.1 ms and
unpacking ~0.25 ms an article (measured on the benchmark's 600–900 word articles); the reading memo
stores the same bytes, so an unchanged source is never unpacked just to be listed.
"""

from __future__ import annotations

import pickle

from zlib_ng import zlib_ng

from pressrun import model

# Level 1: four-fifths of the saving of level 6 at under half its cost. zlib-ng (issue 19): a third of zlib's
# time to pack (0.10 -> 0.03 ms an article), half to unpack; the bytes are never output, and any inflate reads them.
LEVEL = 1


def pack(article: model.Article) -> bytes:
    return zlib_ng.compress(pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL), LEVEL)


def unpack(packed: bytes) -> model.Article:
    article = pickle.loads(zlib_ng.decompress(packed))
    assert isinstance(article, model.Article)
    return article
