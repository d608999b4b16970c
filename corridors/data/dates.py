"""Dates as the data writes them: as precise as the source, YYYY, YYYY-MM or YYYY-MM-DD."""

from __future__ import annotations

import datetime
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
