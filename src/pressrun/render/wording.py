"""Editorial wording decided once for every format: bylines and dates (quotes and direction: ``pressrun.language``)."""

from __future__ import annotations

from datetime import datetime

from pressrun import model
from pressrun.language import is_rtl as is_rtl, primary_language, quotes_for as quotes_for  # re-exported for the writers

_MONTHS_EN = (
    "January February March April May June July August September October November December"
).split()


def join_names(names: list[str], conjunction: str = "and") -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {conjunction} " + names[-1]


def byline_text(authors: tuple[model.Author, ...]) -> str:
    """"Ann Smith, Bo Li and Cy Tan": the names, as the reader sees them."""
    return join_names([a.name for a in authors])


def format_date(moment: datetime, language: str) -> str:
    """A reader-facing date. English gets "27 April 2024"; other languages ISO 8601."""
    if primary_language(language) == "en":
        return f"{moment.day} {_MONTHS_EN[moment.month - 1]} {moment.year}"
    return moment.date().isoformat()


def iso(moment: datetime) -> str:
    """Machine-readable timestamp with offset, e.g. for ``<time datetime>``."""
    return moment.isoformat()
