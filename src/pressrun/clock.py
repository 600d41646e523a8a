"""The build clock: the one place pressrun reads the time.

What the clock decides — whether an embargo has passed, which articles the news sitemap lists, the date
``pressrun new`` gives a draft — follows the moment given with ``--now``, else ``SOURCE_DATE_EPOCH`` (the
reproducible-builds convention: seconds since 1970-01-01 UTC), else the machine's clock. Nothing else in
pressrun reads the time to decide what it writes, so a build with the same clock gives the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from pressrun.errors import PressrunError, Problem

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"


def parse_moment(value: str) -> datetime:
    """An ISO 8601 date and time with a UTC offset ("2024-05-01T09:00:00+04:00", "…Z"); ValueError otherwise."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"'{value}' is not an ISO 8601 date and time (e.g. 2024-05-01T09:00:00+04:00)") from None
    if moment.tzinfo is None:  # a date alone is naive too
        raise ValueError(f"'{value}' needs a time and a UTC offset, e.g. 2024-05-01T09:00:00+04:00 or …Z")
    return moment


def now(given: datetime | None = None, environ: Mapping[str, str] | None = None) -> datetime:
    """The build's moment: ``given`` (``--now``), else ``SOURCE_DATE_EPOCH``, else the machine's clock (UTC)."""
    if given is not None:
        if given.tzinfo is None:
            raise PressrunError(Problem("--now", "the build clock needs a UTC offset", "now"))
        return given
    epoch = (os.environ if environ is None else environ).get(EPOCH_VARIABLE, "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise PressrunError(Problem(EPOCH_VARIABLE, f"'{epoch}' is not a whole number of seconds since "
                                                        "1970-01-01 UTC", "environment")) from None
    return datetime.now(timezone.utc)


def today(zone: str, given: datetime | None = None) -> str:
    """Today's date (ISO 8601) where the newsroom is, by the build clock."""
    return now(given).astimezone(ZoneInfo(zone)).date().isoformat()
