"""What the DOCX shows of each field, in a form that compares equal exactly when the editor changed nothing.

The editor's DOCX, the source's own export and the export of the source the import writes are all reduced to
this, so "changed" means "looks different in Word", and the import is checked by exporting what it wrote.
"""

from __future__ import annotations

from typing import Any

from pressrun.importer.blocks import Warn
from pressrun.importer.merge import read_blocks
from pressrun.importer.parts import Parts

# The fields a pressrun DOCX carries, in the order messages list them.
FIELDS = ("section", "headline", "summary", "byline", "dateline", "image", "why_this_matters", "takeaways", "body")


def _quiet(number: int, message: str) -> None:
    """Problems of the source's own export are the source's, reported by ``pressrun check``."""


def snapshot(parts: Parts, warn: Warn = _quiet) -> dict[str, Any]:
    lead = parts.lead
    why = read_blocks(parts.why, warn) if parts.why else []
    return {
        "section": parts.kicker,
        "headline": parts.headline,
        "summary": parts.standfirst or None,
        "byline": parts.byline,
        "dateline": parts.dateline,
        "image": (lead.picture.digest, lead.picture.alt, lead.caption, lead.credit) if lead else None,
        "why_this_matters": tuple(why) or None,
        "takeaways": tuple(dict.fromkeys(parts.takeaways or ())) or None,  # the article holds a takeaway once
        "body": tuple(read_blocks(parts.body, warn)),
    }
