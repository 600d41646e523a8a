"""Text that is safe in any feed: no character XML 1.0 forbids or feed readers choke on.

The reader already replaces control characters, but the feed writer must not
rely on that alone: feedgen raises on them, and a single one makes a feed
unparseable for every subscriber.
"""

from __future__ import annotations

import re

from pressrun.text import FORBIDDEN

# Unicode noncharacters (U+FDD0..U+FDEF and U+xFFFE/U+xFFFF in every plane) and
# lone surrogates: legal or impossible in XML, but HTML parsers (the W3C feed
# validator uses html5lib in strict mode) report them as invalid code points.
_NONCHARACTERS = re.compile(
    "[\ufdd0-\ufdef\ud800-\udfff"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
    + "]"
)


def xml_text(text: str) -> str:
    """Drop every character that must not reach a feed."""
    return _NONCHARACTERS.sub("", FORBIDDEN.sub("", text))


def has_unsafe(text: str) -> bool:
    return bool(FORBIDDEN.search(text) or _NONCHARACTERS.search(text))
