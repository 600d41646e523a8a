"""IPTC's ninjs 3.1 schema (vendored beside this module, CC BY 4.0) and the checks every item passes before it is
written: Draft 2020-12 with formats enforced (``date-time`` by rfc3339-validator, ``uri`` by rfc3987), offline."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

SCHEMA_FILE = Path(__file__).with_name("ninjs-schema_3.1.json")
SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#"
# Characters a URI may hold as they are (RFC 3986 reserved and unreserved, and '%' of escapes already made).
_URI_SAFE = ":/?#[]@!$&'()*+,;=-._~%"


def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def validator() -> Any:
    """A Draft 2020-12 validator of the vendored schema that really checks formats (once per process)."""
    from jsonschema import Draft202012Validator

    checker = Draft202012Validator.FORMAT_CHECKER
    missing = {"uri", "date-time"} - set(checker.checkers)
    if missing:  # jsonschema skips a format whose checker library is absent: refuse to check half an item
        raise RuntimeError(f"jsonschema cannot check the format(s) {', '.join(sorted(missing))}: install rfc3987 "
                           "and rfc3339-validator (pressrun's dependencies)")
    return Draft202012Validator(load_schema(), format_checker=checker)


def problems(item: dict[str, Any]) -> list[str]:
    """Every way ``item`` breaks the schema, as "<path>: <message>", in a stable order (none: valid)."""
    found = sorted(validator().iter_errors(item), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(item)'}: {e.message}" for e in found]


def as_uri(value: str | None) -> str | None:
    """``value`` as an RFC 3986 URI — characters a URI cannot hold (non-ASCII letters, spaces) percent-encoded as
    UTF-8, RFC 3987's mapping of an IRI to a URI — or None when it still is not an absolute URI."""
    if not value:
        return None
    import rfc3987

    candidate = quote(value.strip(), safe=_URI_SAFE)
    return candidate if rfc3987.match(candidate, rule="URI") else None
