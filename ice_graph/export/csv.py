"""CSV: ``nodes.csv`` and ``edges.csv`` for spreadsheets, pandas, Gephi and Kumu.

Nodes have ``Id`` and ``Label`` columns, edges ``Source``, ``Target``, ``Type``
and ``Label``, as Gephi's and Kumu's spreadsheet importers expect; the other
columns are the data file's fields, so ``ice_graph.load()`` reads the pair back
(with a ``sources.csv`` written beside them). Cells that a spreadsheet would run
as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return)
are prefixed with an apostrophe; the loader removes it again.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .._io import atomic_write
from .._types import OrgGraph
from ..graph import to_document
from ..schema import LIST_SEPARATOR

__all__ = [
    "NODE_COLUMNS",
    "EDGE_COLUMNS",
    "SOURCE_COLUMNS",
    "generate_nodes_csv",
    "generate_edges_csv",
    "generate_sources_csv",
    "write_csv",
    "neutralize",
    "unneutralize",
]

NODE_COLUMNS = [
    "Id",
    "Label",
    "kind",
    "parent",
    "abbreviation",
    "other_names",
    "description",
    "note",
    "category",
    "sources",
    "measures",
    "citations",
    "parent_citations",
    "from",
    "until",
    "dates_citations",
    "dated_names",
]
EDGE_COLUMNS = ["Source", "Target", "Type", "Label", "relation", "note", "from", "until", "sources", "citations"]
SOURCE_COLUMNS = ["id", "title", "publisher", "url", "published", "accessed", "note"]

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def neutralize(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (prefixing an apostrophe)."""
    if cell.startswith(_FORMULA) or (cell.startswith("'") and cell[1:2] in _FORMULA + ("'",)):
        return "'" + cell
    return cell


def unneutralize(cell: str) -> str:
    """Undo :func:`neutralize`."""
    if cell.startswith("'") and cell[1:2] in _FORMULA + ("'",):
        return cell[1:]
    return cell


def _rows(header: list[str], rows: list[dict[str, Any]]) -> Iterator[str]:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow([neutralize("" if row.get(c) is None else str(row[c])) for c in header])
    yield buf.getvalue()


def _js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


def generate_nodes_csv(G: OrgGraph) -> Iterator[str]:
    doc = to_document(G)
    rows = []
    for rec in doc["nodes"]:
        a = G.nodes[rec["id"]]
        rows.append(
            {
                "Id": rec["id"],
                "Label": rec["name"],
                "kind": rec["kind"],
                "parent": rec.get("parent", ""),
                "abbreviation": rec.get("abbreviation", ""),
                "other_names": LIST_SEPARATOR.join(o for o in rec.get("other_names", []) if isinstance(o, str)),
                "dated_names": _js([o for o in rec.get("other_names", []) if not isinstance(o, str)]),
                "from": rec.get("from", ""),
                "until": rec.get("until", ""),
                "dates_citations": _js(rec.get("dates_cite")),
                "description": rec.get("description", ""),
                "note": rec.get("note", ""),
                "category": a.get("category", ""),
                "sources": a.get("sources", ""),
                "measures": _js(rec.get("measures")),
                "citations": _js(rec.get("cite")),
                "parent_citations": _js(rec.get("parent_cite")),
            }
        )
    yield from _rows(NODE_COLUMNS, rows)


def generate_edges_csv(G: OrgGraph) -> Iterator[str]:
    rows = []
    for u, v, a in G.edges(data=True):
        rows.append(
            {
                "Source": u,
                "Target": v,
                "Type": "Directed",
                "Label": str(a.get("relation", "")).replace("_", " "),
                "relation": a.get("relation", ""),
                "note": a.get("note", ""),
                "from": a.get("valid_from", ""),
                "until": a.get("valid_until", ""),
                "sources": a.get("sources", ""),
                "citations": _js(json.loads(a.get("citations", "[]"))),
            }
        )
    yield from _rows(EDGE_COLUMNS, rows)


def generate_sources_csv(G: OrgGraph) -> Iterator[str]:
    reg = json.loads(G.graph.get("source_registry", "{}"))
    yield from _rows(SOURCE_COLUMNS, [{"id": sid, **rec} for sid, rec in reg.items()])


def write_csv(G: OrgGraph, folder: str | Path) -> list[Path]:
    """Write ``nodes.csv``, ``edges.csv`` and ``sources.csv`` into ``folder`` (each atomically)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, gen in (
        ("nodes.csv", generate_nodes_csv),
        ("edges.csv", generate_edges_csv),
        ("sources.csv", generate_sources_csv),
    ):
        with atomic_write(out / name) as fh:
            for chunk in gen(G):
                fh.write(chunk)
        written.append(out / name)
    return written
