"""Dates as the data writes them: as precise as the source, YYYY, YYYY-MM or YYYY-MM-DD."""

from __future__ import annotations

import datetime
import functools
import re

DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def is_date(value: str) -> bool:
    """True for YYYY, YYYY-MM or YYYY-MM-DD with a day that exists (no 2020-02-30)."""
    if not DATE_RE.match(value):
        return False
    if len(value) == 10:
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return False
    return True


@functools.lru_cache(maxsize=4096)
def date_bounds(value: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day a date as precise as YYYY, YYYY-MM or YYYY-MM-DD can mean (memoised: the time
    model asks for the same few hundred dates again and again)."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = datetime.date(*parts)
        return day, day
    if len(parts) == 2:
        first = datetime.date(parts[0], parts[1], 1)
        following = datetime.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
        return first, following - datetime.timedelta(days=1)
    return datetime.date(parts[0], 1, 1), datetime.date(parts[0], 12, 31)


def as_day(value: str | datetime.date) -> datetime.date:
    """The day a date asked about stands for: a day as given; YYYY or YYYY-MM: its last day (the network as it
    stood at the end of that month or year). ValueError with a readable message for anything else."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if not DATE_RE.match(text):
        raise ValueError(f"{text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    if not is_date(text):
        raise ValueError(f"{text!r} is not a date that exists")
    return date_bounds(text)[1]


def first_day(value: str | datetime.date) -> datetime.date:
    """The first day a date can mean (YYYY: 1 January; YYYY-MM: the 1st; a day: itself)."""
    if isinstance(value, datetime.date):
        return value
    as_day(value)  # the same checks and messages
    return date_bounds(str(value).strip())[0]


def data_as_of(updated: str | None) -> str:
    """'Data as of 2026-12' for the data's updated date (atlas.yaml), as every page and export shows it; '' when
    the date is not known."""
    return f"Data as of {updated[:7]}" if updated and is_date(updated) else ""


def with_data_date(text: str, updated: str | None) -> str:
    """An export's credit line followed by 'Data as of YYYY-MM.' when the data's date is known."""
    label = data_as_of(updated)
    return f"{text} {label}." if label else text
