"""Reorganization events: created, renamed, merged, split, transferred, abolished."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..dates import day
from ..model import Cite, Event
from ..schema import EVENT_FIELDS, EVENT_TYPES, FieldSpec, unknown
from ._checker import Checker, line_of, records, short

__all__ = ["check_events"]

_ALT_DATE_FIELDS: dict[str, FieldSpec] = {"date": (True, "date", ""), "cite": (True, "cites", "")}


def check_events(doc: Mapping[str, Any], chk: Checker) -> list[Event]:
    """Every event checked (its unit and predecessors must be node ids), sorted by date."""
    events: list[Event] = []
    for rec in records(doc, "events", chk):
        chk.at(rec)
        event = _event(rec, chk)
        if event:
            events.append(event)
    events.sort(key=lambda e: day(e.date))
    return events


def _event(rec: Mapping[str, Any], chk: Checker) -> Event | None:
    line = getattr(rec, "line", 0)
    label = f"event {rec.get('type')!r} of {rec.get('unit')!r}"
    chk.fields(rec, EVENT_FIELDS, label, line)
    etype = rec.get("type")
    if isinstance(etype, str) and etype not in EVENT_TYPES:
        chk.add(line_of(rec, "type", line), label, unknown("event type", etype, EVENT_TYPES))
        return None
    date = chk.date(rec, "date", label, line)
    unit = chk.ref_at(rec, "unit", label, line, "unit")
    from_units = _from_units(rec, label, line, chk)
    alts = _alt_dates(rec, label, line, chk)
    cites = chk.cites_at(rec, "cite", label, line)
    if not (date and unit and isinstance(etype, str)):
        return None
    return Event(
        date,
        etype,
        unit,
        chk.text(rec, "before", label, line),
        chk.text(rec, "after", label, line),
        from_units,
        alts,
        chk.text(rec, "note", label, line),
        cites,
    )


def _from_units(rec: Mapping[str, Any], label: str, line: int, chk: Checker) -> list[str]:
    value = rec.get("from_units") or []
    where = line_of(rec, "from_units", line)
    if not isinstance(value, list):
        chk.add(where, label, f"from_units must be a list of ids, got {short(value)}")
        return []
    return [u for u in (chk.ref(u, label, where, "from_units entry") for u in value) if u]


def _alt_dates(rec: Mapping[str, Any], label: str, line: int, chk: Checker) -> list[tuple[str, list[Cite]]]:
    """Other dates other sources give: a list of ``{date, cite}``."""
    value = rec.get("alt_dates")
    if value is None or value == []:
        return []
    if not isinstance(value, list):
        chk.add(
            line_of(rec, "alt_dates", line), label, f"alt_dates must be a list of {{date, cite}}, got {short(value)}"
        )
        return []
    alts: list[tuple[str, list[Cite]]] = []
    for alt in value:
        aline = getattr(alt, "line", line_of(rec, "alt_dates", line))
        if not isinstance(alt, Mapping):
            chk.add(aline, label, f"alt_dates entries must be {{date, cite}}, got {short(alt)}")
            continue
        chk.fields(alt, _ALT_DATE_FIELDS, label, aline)
        adate = chk.date(alt, "date", label, aline)
        acites = chk.cites_at(alt, "cite", label, aline, fact="alt_date")
        if adate:
            alts.append((adate, acites))
    return alts
