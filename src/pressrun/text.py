"""Text rules every layer shares: characters no output may carry, and slugs for file names."""

from __future__ import annotations

import re
import unicodedata

# Characters XML 1.0 forbids (C0 controls except tab/LF/CR, U+FFFE, U+FFFF) and
# the C1 controls it discourages: none of them may reach any output.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

MAX_SLUG = 120


def slugify(name: str) -> str:
    """Lowercase ASCII letters, digits and single hyphens: a name fit for a file or a URL path."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:MAX_SLUG].strip("-")
