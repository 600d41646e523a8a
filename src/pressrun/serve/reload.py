"""The reload script: put into HTML as it is served (never into a built file), it listens to the event stream
and reloads the page when a build newer than the page has finished."""

from __future__ import annotations

import json
import re

EVENTS_PATH = "/__pressrun__/events"
MARKER = "data-pressrun-serve"  # the attribute that tells the script apart (tests look for it in built files)

_SCRIPT = (
    "<script {marker}>(function(){{var seen={token};"
    "var events=new EventSource({path});"
    "events.addEventListener(\"build\",function(e){{if(e.data!==seen){{events.close();location.reload();}}}});"
    "}})();</script>\n"
)
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def script(token: str) -> str:
    return _SCRIPT.format(marker=MARKER, token=json.dumps(token), path=json.dumps(EVENTS_PATH))


def inject(html: bytes, token: str) -> bytes:
    """``html`` with the script before its last ``</body>`` (at the end when there is none)."""
    tag = script(token).encode()
    ends = list(_BODY_END.finditer(html))
    if not ends:
        return html + tag
    at = ends[-1].start()
    return html[:at] + tag + html[at:]


def event(token: str) -> bytes:
    """One server-sent event announcing the build ``token``."""
    return f"event: build\ndata: {token}\n\n".encode()
