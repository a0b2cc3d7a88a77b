"""Turn a checked Dataset into the graph, and a graph back into a document.

The graph is a plain :class:`networkx.DiGraph`. Nodes are keyed by id; every
attribute is a flat scalar (str, int, float) so that GraphML and GEXF can carry
it. The full citations are kept as JSON text in ``citations``; use
:func:`citations` to read them back as records. See ``data/README.md`` for the
attribute schema (and :mod:`ice_graph.schema`, which a test keeps in agreement).
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from typing import Any

import networkx as nx

from ._types import OrgGraph
from .document import Record
from .schema import KINDS, LIST_SEPARATOR, RELATIONS
from .validate import Dataset

__all__ = ["build_graph", "to_document", "citations", "source_registry"]


def _cites_json(cites: list[dict[str, str]]) -> str:
    return json.dumps(cites, ensure_ascii=False, sort_keys=True)


def build_graph(data: Dataset) -> OrgGraph:
    """The graph of a checked dataset (nodes in file order, hierarchy edges first)."""
    G: OrgGraph = nx.DiGraph()
    G.graph.update(data.meta)
    G.graph["source_registry"] = json.dumps(data.sources, ensure_ascii=False)
    for n in data.nodes:
        attrs: dict[str, Any] = {"name": n.name, "kind": n.kind, "category": KINDS[n.kind]}
        if n.abbreviation:
            attrs["abbreviation"] = n.abbreviation
        if n.other_names:
            attrs["other_names"] = LIST_SEPARATOR.join(n.other_names)
        if n.description:
            attrs["description"] = n.description
        if n.note:
            attrs["note"] = n.note
        for mname, (value, qualifier) in n.measures.items():
            attrs[mname] = value
            if qualifier:
                attrs[f"{mname}_qualifier"] = qualifier
        if n.valid_from:
            attrs["valid_from"] = n.valid_from
        if n.valid_until:
            attrs["valid_until"] = n.valid_until
        if n.dated_names:
            attrs["dated_names"] = json.dumps([d.as_dict() for d in n.dated_names], ensure_ascii=False)
        cites = n.cites + n.dates_cites + [c for d in n.dated_names for c in d.cites]
        attrs["sources"] = LIST_SEPARATOR.join(dict.fromkeys(c.source for c in cites))
        attrs["citations"] = _cites_json([c.as_dict() for c in cites])
        G.add_node(n.id, **attrs)
    order = {n.id: i for i, n in enumerate(data.nodes)}
    rel_order = {r: i for i, r in enumerate(RELATIONS)}
    edges = sorted(
        data.edges, key=lambda e: (rel_order[e.relation], order[e.target] if e.relation == "has_unit" else 0)
    )
    for e in edges:
        attrs = {"relation": e.relation}
        attrs["sources"] = LIST_SEPARATOR.join(dict.fromkeys(c.source for c in e.cites))
        attrs["citations"] = _cites_json([c.as_dict() for c in e.cites])
        if e.note:
            attrs["note"] = e.note
        if e.valid_from:
            attrs["valid_from"] = e.valid_from
        if e.valid_until:
            attrs["valid_until"] = e.valid_until
        G.add_edge(e.unit, e.target, **attrs)
    G.graph["events"] = json.dumps([ev.as_dict() for ev in data.events], ensure_ascii=False)
    G.graph["history"] = True
    return G


def citations(G: OrgGraph, node: Hashable, target: Hashable | None = None) -> list[dict[str, str]]:
    """The citations of a node (or of the edge ``node -> target``), with source details.

    >>> import ice_graph
    >>> G = ice_graph.load()
    >>> c = citations(G, "hsi")[0]
    >>> c["source"], c["title"]
    ('what-is-ice', 'What is ICE - Immigration and Customs Enforcement?')
    """
    attrs = G.nodes[node] if target is None else G.edges[node, target]
    registry = source_registry(G)
    out = []
    for c in json.loads(attrs.get("citations", "[]")):
        out.append({**c, **{k: v for k, v in registry.get(c["source"], {}).items() if k != "note"}})
    return out


def source_registry(G: OrgGraph) -> dict[str, dict[str, str]]:
    """The graph's registered sources: id -> {title, publisher, url, accessed, ...}."""
    result: dict[str, dict[str, str]] = json.loads(G.graph.get("source_registry", "{}"))
    return result


_NODE_KEYS = ("id", "kind", "name", "abbreviation", "other_names", "parent", "description", "note")
_FIXED = {
    "name",
    "kind",
    "category",
    "abbreviation",
    "other_names",
    "description",
    "note",
    "sources",
    "citations",
    "valid_from",
    "valid_until",
    "dated_names",
}


def to_document(G: OrgGraph) -> dict[str, Any]:
    """The document (records as in a data file) that :func:`build_graph` would turn into G."""
    registry = source_registry(G)
    doc: dict[str, Any] = {
        "dataset": Record({k: G.graph[k] for k in ("id", "title", "date", "description", "license") if k in G.graph}),
        "sources": [Record({"id": sid, **rec}) for sid, rec in registry.items()],
        "nodes": [],
        "relations": [],
    }
    for n, a in G.nodes(data=True):
        cites = json.loads(a.get("citations", "[]"))
        rec = Record({"id": n, "kind": a["kind"], "name": a["name"]})
        for key in ("abbreviation", "description", "note"):
            if a.get(key):
                rec[key] = a[key]
        dated = {d["name"]: d for d in json.loads(a.get("dated_names", "[]"))}
        if a.get("other_names"):
            rec["other_names"] = [dated.get(o, o) for o in a["other_names"].split(LIST_SEPARATOR)]
        # The parent field holds the undated superior; dated ones are has_unit relations.
        parents = [
            p
            for p in G.predecessors(n)
            if G.edges[p, n]["relation"] == "has_unit"
            and not (G.edges[p, n].get("valid_from") or G.edges[p, n].get("valid_until"))
        ]
        if parents:
            rec["parent"] = parents[0]
        measures = {}
        for key, value in a.items():
            if key in _FIXED or key.endswith("_qualifier") or isinstance(value, str):
                continue
            m: dict[str, Any] = {"value": value}
            if a.get(f"{key}_qualifier"):
                m["qualifier"] = a[f"{key}_qualifier"]
            m["cite"] = [{"source": c["source"], "quote": c["quote"]} for c in cites if c.get("fact") == key]
            measures[key] = m
        own = [{"source": c["source"], "quote": c["quote"]} for c in cites if not c.get("fact")]
        ordered = Record({k: rec[k] for k in _NODE_KEYS if k in rec})
        for key, field in (("valid_from", "from"), ("valid_until", "until")):
            if a.get(key):
                ordered[field] = a[key]
        if a.get("valid_from") or a.get("valid_until"):
            ordered["dates_cite"] = [
                {"source": c["source"], "quote": c["quote"]} for c in cites if c.get("fact") == "dates"
            ]
        if measures:
            ordered["measures"] = measures
        ordered["cite"] = own
        if parents:
            edge_cites = json.loads(G.edges[parents[0], n].get("citations", "[]"))
            if edge_cites != own:
                ordered["parent_cite"] = edge_cites
        doc["nodes"].append(ordered)
    for u, v, a in G.edges(data=True):
        is_dated = bool(a.get("valid_from") or a.get("valid_until"))
        if a["relation"] == "has_unit" and not is_dated:
            continue
        rec = Record({"unit": u, "relation": a["relation"], "target": v})
        if a.get("note"):
            rec["note"] = a["note"]
        if a.get("valid_from"):
            rec["from"] = a["valid_from"]
        if a.get("valid_until"):
            rec["until"] = a["valid_until"]
        rec["cite"] = json.loads(a.get("citations", "[]"))
        doc["relations"].append(rec)
    events = json.loads(G.graph.get("events", "[]"))
    if events:
        doc["events"] = [Record(e) for e in events]
    return doc
