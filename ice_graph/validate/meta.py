"""The document's top level and its ``dataset`` record (id, title, date, description, license)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import Record
from ..schema import DATASET_FIELDS
from ._checker import Checker, did_you_mean, line_of, short

__all__ = ["TOP_LEVEL_KEYS", "check_top_level", "check_meta"]

#: The keys a data file may have at its top level.
TOP_LEVEL_KEYS = ("dataset", "sources", "nodes", "relations", "events")


def check_top_level(doc: Mapping[str, Any], chk: Checker) -> None:
    """Every top-level key is known (there are no hidden ones) and ``nodes`` is there."""
    top = sorted(TOP_LEVEL_KEYS)
    for key in doc:
        if key not in TOP_LEVEL_KEYS:
            chk.add(
                line_of(doc, key, 1),
                "",
                f"unknown top-level key {key!r} (expected: {', '.join(top)})" + did_you_mean(str(key), top),
            )
    if "nodes" not in doc:
        chk.add(1, "", "missing top-level key 'nodes'")


def check_meta(doc: Mapping[str, Any], chk: Checker) -> dict[str, str]:
    """The dataset's own fields, checked (only those given)."""
    rec = doc.get("dataset") or Record()
    meta: dict[str, str] = {}
    if not isinstance(rec, Mapping):
        chk.add(line_of(doc, "dataset", 1), "dataset", f"must be a mapping, got {short(rec)}")
        return meta
    chk.at(rec)
    line = getattr(rec, "line", 1)
    chk.fields(rec, DATASET_FIELDS, "dataset", line)
    for key, (_req, typ, _doc) in DATASET_FIELDS.items():
        value = chk.date(rec, key, "dataset", line) if typ == "date" else chk.text(rec, key, "dataset", line)
        if value:
            meta[key] = value
    return meta
