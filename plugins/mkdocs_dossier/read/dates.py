"""Partial dates as editors write them: `2018`, `2020-01`, `2020-01-03`."""

from __future__ import annotations

import re
from datetime import date, datetime

from ..model import PartialDate

_PARTIAL = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")
_DATETIME = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?\s*$")


def parse_partial_date(value: object) -> tuple[PartialDate | None, str | None]:
    """A PartialDate from a front-matter value, or None and why it is not one."""
    if isinstance(value, bool):
        return None, f"{value!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"
    if isinstance(value, datetime):
        return PartialDate(value.year, value.month, value.day), None
    if isinstance(value, date):
        return PartialDate(value.year, value.month, value.day), None
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return None, f"{_show(value)} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"
    text = value
    timestamp = _DATETIME.match(text)
    if timestamp:
        text = timestamp.group(1)
    match = _PARTIAL.match(text)
    if not match:
        return None, f'"{value}" is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)'
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if year < 1:
        return None, f'"{value}" is not a valid date (year 0)'
    if month is not None and not 1 <= month <= 12:
        return None, f'"{value}" is not a valid date (month {month})'
    if day is not None:
        try:
            date(year, month or 1, day)
        except ValueError:
            return None, f'"{value}" is not a valid date (no day {day} in that month)'
    return PartialDate(year, month, day), None


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
