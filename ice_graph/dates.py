"""Dates in the data: full (2003-03-01) or partial (2003, 2003-03), compared as days.

A partial date stands for the first day of its period, both as a start ("from")
and as an end ("until", the first day a fact no longer holds).
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["DATE_PATTERN", "day", "is_date", "holds", "overlaps"]

#: ASCII digits only: ``\d`` alone would accept Arabic-Indic and other digits.
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z", re.ASCII)


def is_date(text: str) -> bool:
    """Whether ``text`` is a real YYYY, YYYY-MM or YYYY-MM-DD date."""
    try:
        day(text)
    except ValueError:
        return False
    return True


def day(value: str | dt.date) -> str:
    """The ISO day a date stands for (``"2003-03"`` -> ``"2003-03-01"``); ValueError if invalid."""
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    m = DATE_PATTERN.match(str(value).strip())
    if not m:
        raise ValueError(f"{value!r} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    return dt.date(y, mo, d).isoformat()


def holds(on: str, start: str | None, end: str | None) -> bool:
    """Whether a fact valid from ``start`` until ``end`` (exclusive) holds on day ``on``."""
    return (not start or day(start) <= on) and (not end or on < day(end))


def overlaps(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    """Whether two [from, until) intervals share a day (None is open-ended)."""
    a0, a1 = (day(a[0]) if a[0] else "0000-01-01"), (day(a[1]) if a[1] else "9999-12-31")
    b0, b1 = (day(b[0]) if b[0] else "0000-01-01"), (day(b[1]) if b[1] else "9999-12-31")
    return a0 < b1 and b0 < a1
