"""What every graph-file writer shares: flattening values, attribute typing, display values."""

from __future__ import annotations

import datetime as _dt
import functools
import json
import re
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from .._types import OrgGraph
from ..schema import RESERVED_DISPLAY_NAMES
from ..style import get_theme, hex_to_rgb

__all__ = ["flatten", "column_types", "xml_safe", "xml_attr", "nmtoken", "display", "data_name"]

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NMTOKEN_BAD = re.compile(r"[^A-Za-z0-9._\-:]")


_ATTR_SPECIAL = re.compile('[&<>"\n\r\t]')
_ATTR_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def xml_attr(value: Any) -> str:
    """A double-quoted XML attribute value (faster than saxutils.quoteattr, always double quotes)."""
    text = xml_safe(fmt(value))
    if _ATTR_SPECIAL.search(text):
        text = _ATTR_SPECIAL.sub(lambda m: _ATTR_ESCAPES[m.group()], text)
    return f'"{text}"'


def xml_safe(text: str) -> str:
    """Text with the characters XML 1.0 cannot carry replaced by U+FFFD."""
    return _XML_BAD.sub("\ufffd", text)


def nmtoken(name: str) -> str:
    """An XML NMTOKEN made from an attribute name."""
    token = _NMTOKEN_BAD.sub("_", name)
    return token or "_"


def data_name(name: str) -> str:
    """A data attribute name that never collides with the display names (label, x, y ...)."""
    return f"data_{name}" if name in RESERVED_DISPLAY_NAMES else name


def flatten(value: Any) -> Any:
    """A flat scalar for a value: lists and dicts as JSON, dates as ISO text.

    None stays None (the writers omit it).
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return json.dumps([flatten(v) for v in items], ensure_ascii=False, default=str)
    return str(value)


def column_types(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """One type per attribute name across all rows: boolean, long, double or string."""
    seen: dict[str, set[str]] = {}
    for row in rows:
        for k, v in row.items():
            v = flatten(v)
            if v is None:
                continue
            t = (
                "boolean"
                if isinstance(v, bool)
                else "long"
                if isinstance(v, int)
                else "double"
                if isinstance(v, float)
                else "string"
            )
            seen.setdefault(k, set()).add(t)
    out = {}
    for k, ts in seen.items():
        if len(ts) == 1:
            out[k] = ts.pop()
        elif ts <= {"long", "double"}:
            out[k] = "double"
        else:
            out[k] = "string"
    return out


def cast(value: Any, typ: str) -> Any:
    v = flatten(value)
    if typ == "string":
        return v if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else str(v)
    if typ == "double":
        return float(v)
    return v


def fmt(value: Any) -> str:
    """Text of a flat value as written in XML files."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return xml_safe(str(value))


_SIZES = {"department": 30.0, "agency": 26.0, "directorate": 20.0, "office": 16.0}


def display(G: OrgGraph, *, theme: str = "light") -> dict[Hashable, dict[str, Any]]:
    """Gephi display values per node: label, x, y (hierarchical layout, y up), size, r, g, b."""
    from ..layout import tidy_layout

    th = get_theme(theme)
    lay = tidy_layout(G, rankdir="TB", compact=False)
    out: dict[Hashable, dict[str, Any]] = {}
    for n, a in G.nodes(data=True):
        x, y = lay.pos[n]
        r, g, b = hex_to_rgb(th.node(a.get("kind", "unit")).fill)
        out[n] = {
            "label": str(a.get("name", n)),
            "x": round(x, 2),
            "y": round(-y, 2),
            "size": _SIZES.get(a.get("kind", ""), 12.0 if a.get("category") == "unit" else 10.0),
            "r": r,
            "g": g,
            "b": b,
        }
    return out


@functools.lru_cache(maxsize=64)
def edge_display(relation: str, *, theme: str = "light") -> dict[str, Any]:
    """Gephi display values of a relation: r, g, b, thickness and shape (cached: called per edge)."""
    es = get_theme(theme).edge(relation)
    r, g, b = hex_to_rgb(es.color)
    return {
        "r": r,
        "g": g,
        "b": b,
        "thickness": es.width,
        "shape": "solid" if es.style in ("solid", "bold") else es.style,
    }


def parse_xml(path: Any, what: str) -> tuple[Any, str, str]:
    """Parse an XML file safely: (root element, namespace prefix ``{...}``, display name).

    DTDs and entities are refused (defusedxml); every failure is a DataError
    naming the file, and the line where the parser says.
    """
    import os

    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    from ..errors import DataError, Problem

    name = str(path) if isinstance(path, (str, os.PathLike)) else str(getattr(path, "name", "<file>"))
    try:
        root = DET.parse(path).getroot()
    except DefusedXmlException as exc:
        raise DataError(
            [Problem(name, 0, "", f"refused: the XML uses a DTD or entities ({type(exc).__name__})")]
        ) from None
    except Exception as exc:  # ParseError, OSError, UnicodeError
        line = exc.position[0] if hasattr(exc, "position") else 0
        raise DataError([Problem(name, line, "", f"not a readable {what} file: {exc}")]) from None
    ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    return root, ns, name
