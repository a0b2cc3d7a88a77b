"""The source registry: every source a citation may name, with its id, title and url."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..schema import SOURCE_FIELDS
from ._checker import Checker, records

__all__ = ["check_sources"]


def check_sources(doc: Mapping[str, Any], chk: Checker) -> dict[str, dict[str, str]]:
    """Source id -> its fields (text, dates and http(s) urls), ids unique."""
    sources: dict[str, dict[str, str]] = {}
    for rec in records(doc, "sources", chk):
        chk.at(rec)
        line = getattr(rec, "line", 0)
        sid = rec.get("id")
        label = f"source {sid!r}" if isinstance(sid, str) else "source"
        chk.fields(rec, SOURCE_FIELDS, label, line)
        sid = chk.slug(sid, label, line) if sid is not None else ""
        entry = _source_fields(rec, label, line, chk)
        if sid:
            if sid in sources:
                chk.add(line, label, f"duplicate source id {sid!r}")
            sources[sid] = entry
    return sources


def _source_fields(rec: Mapping[str, Any], label: str, line: int, chk: Checker) -> dict[str, str]:
    entry: dict[str, str] = {}
    for key, (_req, typ, _doc) in SOURCE_FIELDS.items():
        if key == "id":
            continue
        check = {"date": chk.date, "url": chk.url}.get(typ, chk.text)
        value = check(rec, key, label, line)
        if value:
            entry[key] = value
    return entry
