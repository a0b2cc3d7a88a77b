"""The one module that turns records into graph attributes and back.

The graph is a plain :class:`networkx.DiGraph` keyed by node id. Every attribute
is a flat scalar (str, int, float, bool) so that GraphML and GEXF carry it; a
structured value (a list, citations, dated names, measures, events, the source
registry) is JSON text. Only this module encodes or decodes those values; every
other module reads them through the typed accessors below, which also accept
graphs built by hand or read from other tools (a plain string where we would
write a JSON list, no attribute at all).
"""

from __future__ import annotations

import json
import re
from collections.abc import Hashable, Iterable, Mapping
from operator import attrgetter
from typing import Any

import networkx as nx

from ._types import OrgGraph
from .dates import day
from .model import Cite, Dataset, DatedName, Edge, Event, Measure, Node, Record
from .schema import KINDS, RELATIONS, find_state

__all__ = [
    "build_graph",
    "dataset_of",
    "to_document",
    "encode_list",
    "decode_list",
    "other_names",
    "sources_of",
    "cited_sources",
    "citations",
    "raw_citations",
    "source_registry",
    "events",
    "event_records",
    "dated_names",
    "measures",
    "measure_values",
    "measures_document",
    "area_of_responsibility",
    "decode_area",
    "counties",
    "set_measures",
]


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------
#: ``json.dumps(value, ensure_ascii=False[, sort_keys=True])``, without building an encoder per call
#: (a graph of 10^5 nodes encodes 4 * 10^5 values; making the encoder was a third of the cost).
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
_ENCODE_SORTED = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def _dumps(value: Any) -> str:
    return _ENCODE_SORTED(value)


def encode_list(items: Iterable[Any]) -> str:
    """A list as an attribute value: JSON text (``'["A", "B | C"]'``)."""
    return _ENCODE(list(items))


def _json(value: Any, default: Any) -> Any:
    if value is None or value == "":
        return default
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        return None


def decode_list(value: Any) -> list[str]:
    """An attribute value as a list of text.

    JSON lists come back item for item; a plain string from a graph we did not
    write is one item (never split on a separator the text may contain).

    >>> decode_list('["Research | Development", "R|D"]')
    ['Research | Development', 'R|D']
    >>> decode_list("Office of Investigations")
    ['Office of Investigations']
    """
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, str) and value.startswith("["):
        parsed = _json(value, [])
        if isinstance(parsed, list):
            return [str(v) for v in parsed]
    return [str(value)]


def _attrs(G: OrgGraph, node: Hashable, target: Hashable | None = None) -> Mapping[str, Any]:
    return G.nodes[node] if target is None else G.edges[node, target]


def other_names(G: OrgGraph, node: Hashable) -> list[str]:
    """The other names of a node, in data order."""
    return decode_list(G.nodes[node].get("other_names"))


def sources_of(G: OrgGraph, node: Hashable, target: Hashable | None = None) -> list[str]:
    """Ids of the sources cited for a node (or the edge ``node -> target``)."""
    return decode_list(_attrs(G, node, target).get("sources"))


def cited_sources(G: OrgGraph) -> set[str]:
    """Ids of the sources that any node or edge cites (:func:`sources_of` of each).

    Each distinct ``sources`` text is decoded once: at 10^5 nodes most cite the same list.
    """
    cited: set[str] = set()
    done: set[str] = set()
    attrs = [a for _, a in G.nodes(data=True)] + [a for _, _, a in G.edges(data=True)]
    for a in attrs:
        value = a.get("sources")
        if type(value) is str:
            if value in done:
                continue
            done.add(value)
        cited.update(decode_list(value))
    return cited


def area_of_responsibility(G: OrgGraph, node: Hashable) -> list[str]:
    """USPS codes of the states and territories a unit covers (empty when not given).

    Ours is a JSON list. A spreadsheet's or another tool's cell is read as people write it:
    codes or names, separated by commas, semicolons, bars or spaces (``"TX, OK"``, ``"Texas;
    New Mexico"``, ``"tx ok"``); a part that names no state is kept as it is written.
    """
    return decode_area(G.nodes[node].get("area_of_responsibility"))


def decode_area(value: Any) -> list[str]:
    """An ``area_of_responsibility`` value as a list (see :func:`area_of_responsibility`); a text
    that names no state at all stays one item, as :func:`decode_list` reads it."""
    if not isinstance(value, str) or value.lstrip().startswith("["):
        return decode_list(value)
    out: list[str] = []
    for part in re.split(r"[,;|/]+", value):
        words = part.split()
        if (code := find_state(part)) is not None:
            out.append(code)
        elif words and all(find_state(w) for w in words):  # "TX OK"
            out.extend(str(find_state(w)) for w in words)
        elif words:
            out.append(" ".join(words))
    return list(dict.fromkeys(out)) if any(map(find_state, out)) else decode_list(value)


def counties(G: OrgGraph, node: Hashable) -> dict[str, list[str]]:
    """USPS code -> county names, for the states a unit covers only in part (empty when it covers them whole).

    A foreign graph's value that is not such a mapping reads as empty; a state whose entry is
    not a list of names (``{"TX": 5}``) reads as covered in part, by counties unknown (``[]``):
    never as the whole state.
    """
    value = _json(G.nodes[node].get("counties"), {})
    if not isinstance(value, dict):
        return {}
    return {str(k): _county_names(v) for k, v in value.items() if v not in (None, "", [])}


def _county_names(value: Any) -> list[str]:
    if isinstance(value, str):
        return decode_list(value)
    return [str(x) for x in value] if isinstance(value, list) else []


def raw_citations(attrs: Mapping[str, Any]) -> list[dict[str, str]]:
    """The ``citations`` attribute as a list of ``{source, quote[, fact]}``."""
    value = _json(attrs.get("citations"), [])
    if not isinstance(value, list):
        return []
    return [c for c in value if isinstance(c, dict) and "source" in c and "quote" in c]


def source_registry(G: OrgGraph) -> dict[str, dict[str, str]]:
    """The graph's registered sources: id -> {title, publisher, url, accessed, ...}."""
    value = _json(G.graph.get("source_registry"), {})
    return value if isinstance(value, dict) else {}


def citations(G: OrgGraph, node: Hashable, target: Hashable | None = None) -> list[dict[str, str]]:
    """The citations of a node (or of the edge ``node -> target``), with source details.

    ``node`` and ``target`` are ids; :func:`ice_graph.citations` also takes names.
    """
    registry = source_registry(G)
    out = []
    for c in raw_citations(_attrs(G, node, target)):
        details = {k: v for k, v in registry.get(c["source"], {}).items() if k != "note"}
        out.append({**c, **details})
    return out


def event_records(G: OrgGraph) -> list[Event]:
    """The graph's reorganization events as records, by date."""
    value = _json(G.graph.get("events"), [])
    if not isinstance(value, list):
        return []
    return [Event.from_dict(e) for e in value if isinstance(e, dict) and {"date", "type", "unit"} <= e.keys()]


def events(G: OrgGraph) -> list[dict[str, Any]]:
    """The graph's reorganization events, by date, as mappings (as in a data file)."""
    return [e.as_dict() for e in event_records(G)]


def _encode_events(evs: Iterable[Event]) -> str:
    return json.dumps([e.as_dict() for e in evs], ensure_ascii=False)


def dated_names(G: OrgGraph, node: Hashable) -> list[DatedName]:
    """The other names of a node that carry dates or citations of their own."""
    value = _json(G.nodes[node].get("dated_names"), [])
    if not isinstance(value, list):
        return []
    return [DatedName.from_dict(d) for d in value if isinstance(d, dict) and "name" in d]


def measures(G: OrgGraph, node: Hashable) -> list[Measure]:
    """Every measure of a node, all dates, as records."""
    value = _json(G.nodes[node].get("measures"), [])
    if not isinstance(value, list):
        return []
    return [Measure.from_dict(m) for m in value if isinstance(m, dict) and {"name", "value"} <= m.keys()]


def measure_values(items: Iterable[Measure], on: str | None = None, *, today: str | None = None) -> dict[str, Measure]:
    """For each measure name, the figure that describes the day ``on`` (default: the data's own day).

    An undated figure is the one its source states as current: it describes the
    data's day (``today``, and any later day). A dated figure applies from its date
    until a later one. On an earlier day the latest dated figure up to it applies,
    and the undated one only when none does (facts without dates hold whenever
    their node exists).
    """
    current = on is None or (today is not None and day(on) >= day(today))
    best: dict[str, Measure] = {}
    for m in items:
        if on is not None and m.date and day(m.date) > day(on):
            continue
        cur = best.get(m.name)
        if cur is None:
            best[m.name] = m
        elif current:
            if cur.date and (not m.date or day(m.date) >= day(cur.date)):
                best[m.name] = m
        elif m.date and (not cur.date or day(m.date) >= day(cur.date)):
            best[m.name] = m
    return best


def set_measures(
    attrs: dict[str, Any], items: list[Measure], on: str | None = None, *, today: str | None = None
) -> None:
    """Write the scalar attributes ``<name>``, ``<name>_qualifier``, ``<name>_date`` for day ``on``."""
    for m in items:
        for key in (m.name, f"{m.name}_qualifier", f"{m.name}_date"):
            attrs.pop(key, None)
    for name, m in measure_values(items, on, today=today).items():
        attrs[name] = m.value
        if m.qualifier:
            attrs[f"{name}_qualifier"] = m.qualifier
        if m.date:
            attrs[f"{name}_date"] = m.date


# ---------------------------------------------------------------------------
# Dataset -> graph
# ---------------------------------------------------------------------------
def _measure_order(m: Measure) -> tuple[str, str]:
    """Measures in one canonical order (by name, undated first, then by date), whatever the file's order."""
    return (m.name, day(m.date) if m.date else "")


_CitesText = tuple[str, str]
#: The encoded citations of each list of citations met, keyed by the identities of its Cite objects
#: (no Python ``__hash__`` call per fact), which the memo keeps alive so that no identity is reused.
_CitesMemo = dict[tuple[int, ...], tuple[tuple[Cite, ...], _CitesText]]


def _cites_text(cites: list[Cite], memo: _CitesMemo) -> _CitesText:
    """The ``sources`` and ``citations`` attributes of these citations.

    Most facts of a big file repeat the same few citations (the very same Cite objects:
    the validator hands out one per distinct citation), so each list is encoded once per graph.
    """
    key = tuple(map(id, cites))
    hit = memo.get(key)
    if hit is None:
        text = (encode_list(dict.fromkeys(c.source for c in cites)), _dumps([c.as_dict() for c in cites]))
        hit = memo[key] = (tuple(cites), text)
    return hit[1]


#: A node's optional text fields, stored as they are when given, in this order: the attribute
#: order of every file written.
_NODE_TEXT = ("abbreviation", "description", "note", "head_title", "city", "state")
_node_texts = attrgetter(*_NODE_TEXT)  # the six values in one C call


def _node_attrs(n: Node, memo: _CitesMemo) -> dict[str, Any]:
    attrs: dict[str, Any] = {"name": n.name, "kind": n.kind, "category": KINDS[n.kind]}
    for key, value in zip(_NODE_TEXT, _node_texts(n), strict=True):
        if value:
            attrs[key] = value
    if not (
        n.other_names
        or n.area_of_responsibility
        or n.measures
        or n.valid_from
        or n.valid_until
        or n.dated_names
        or n.dates_cites
    ):  # the usual node: its own citations and nothing more
        attrs["sources"], attrs["citations"] = _cites_text(n.cites, memo)
        return attrs
    measures = sorted(n.measures, key=_measure_order) if n.measures else []
    if n.other_names:
        attrs["other_names"] = encode_list(n.other_names)
    if n.area_of_responsibility:
        attrs["area_of_responsibility"] = encode_list(n.area_of_responsibility)
    if n.counties:
        attrs["counties"] = _dumps(n.counties)
    if measures:
        attrs["measures"] = _ENCODE([m.as_dict() for m in measures])
        set_measures(attrs, measures)
    if n.valid_from:
        attrs["valid_from"] = n.valid_from
    if n.valid_until:
        attrs["valid_until"] = n.valid_until
    if n.dated_names:
        attrs["dated_names"] = _ENCODE([d.as_dict() for d in n.dated_names])
    cites = n.cites
    if n.dates_cites or n.dated_names or measures:
        cites = (
            n.cites
            + n.dates_cites
            + [c for d in n.dated_names for c in d.cites]
            + [Cite(c.source, c.quote, m.name) for m in measures for c in m.cites]
        )
    attrs["sources"], attrs["citations"] = _cites_text(cites, memo)
    return attrs


def build_graph(data: Dataset) -> OrgGraph:
    """The graph of a checked dataset (nodes in file order, hierarchy edges first).

    It holds every dated fact (``G.graph["history"]`` is true);
    :func:`ice_graph.as_of` takes the organization of one day from it.
    """
    G: OrgGraph = nx.DiGraph()
    G.graph.update(data.meta)
    G.graph["source_registry"] = json.dumps(data.sources, ensure_ascii=False)
    memo: _CitesMemo = {}
    # networkx's own dicts of the new graph, filled directly: add_node and add_edges_from
    # were two thirds of building 10^5 units. Anything unusual (a repeated id or pair, an
    # edge to an unknown node, possible only in a dataset made by hand) takes the public API.
    node: dict[str, dict[str, Any]] = G._node  # type: ignore[attr-defined]
    succ: dict[str, dict[str, dict[str, Any]]] = G._succ  # type: ignore[attr-defined]
    pred: dict[str, dict[str, dict[str, Any]]] = G._pred  # type: ignore[attr-defined]
    for n in data.nodes:
        attrs = _node_attrs(n, memo)
        if n.id in node:
            G.add_node(n.id, **attrs)
        else:
            node[n.id], succ[n.id], pred[n.id] = attrs, {}, {}
    order = {n.id: i for i, n in enumerate(data.nodes)}
    rel_order = {r: i for i, r in enumerate(RELATIONS)}
    # The sort keys in one comprehension, the sort by index: no Python call per edge.
    rank = [(rel_order[e.relation], order[e.target] if e.relation == "has_unit" else 0) for e in data.edges]
    edges = [data.edges[i] for i in sorted(range(len(rank)), key=rank.__getitem__)]
    for e in edges:
        u, v = e.unit, e.target
        if e.note or e.valid_from or e.valid_until:
            attrs = _edge_attrs(e, memo)
        else:  # the usual edge (_edge_attrs without the call)
            attrs = {"relation": e.relation}
            attrs["sources"], attrs["citations"] = _cites_text(e.cites, memo)
        if u in succ and v in succ and v not in succ[u]:
            succ[u][v] = pred[v][u] = attrs
        else:
            G.add_edges_from([(u, v, attrs)])
    G.graph["events"] = _encode_events(data.events)
    G.graph["history"] = True
    return G


def _edge_attrs(e: Edge, memo: _CitesMemo) -> dict[str, Any]:
    attrs: dict[str, Any] = {"relation": e.relation}
    attrs["sources"], attrs["citations"] = _cites_text(e.cites, memo)
    if e.note:
        attrs["note"] = e.note
    if e.valid_from:
        attrs["valid_from"] = e.valid_from
    if e.valid_until:
        attrs["valid_until"] = e.valid_until
    return attrs


def replace_events(G: OrgGraph, evs: Iterable[Event]) -> None:
    """Set the graph's events (used by :func:`ice_graph.as_of` to keep those up to its day)."""
    G.graph["events"] = _encode_events(evs)


# ---------------------------------------------------------------------------
# Graph -> dataset / document
# ---------------------------------------------------------------------------
def _cites_of(cites: list[dict[str, str]], fact: str = "") -> list[Cite]:
    return [Cite(c["source"], c["quote"], fact) for c in cites if c.get("fact", "") == fact]


def _is_dated(a: Mapping[str, Any]) -> bool:
    return bool(a.get("valid_from") or a.get("valid_until"))


def dataset_of(G: OrgGraph) -> Dataset:
    """The records that :func:`build_graph` would turn into ``G`` (its inverse)."""
    meta = {k: str(G.graph[k]) for k in ("id", "title", "date", "description", "license") if G.graph.get(k)}
    nodes = []
    for n, a in G.nodes(data=True):
        cites = raw_citations(a)
        nodes.append(
            Node(
                id=str(n),
                kind=str(a.get("kind", "")),
                name=str(a.get("name", n)),
                abbreviation=str(a.get("abbreviation", "")),
                other_names=other_names(G, n),
                description=str(a.get("description", "")),
                note=str(a.get("note", "")),
                head_title=str(a.get("head_title", "")),
                city=str(a.get("city", "")),
                state=str(a.get("state", "")),
                area_of_responsibility=area_of_responsibility(G, n),
                counties=counties(G, n),
                measures=measures(G, n),
                cites=_cites_of(cites),
                valid_from=str(a.get("valid_from", "")),
                valid_until=str(a.get("valid_until", "")),
                dates_cites=_cites_of(cites, "dates"),
                dated_names=dated_names(G, n),
            )
        )
    edges = [
        Edge(
            str(u),
            str(v),
            str(a.get("relation", "")),
            str(a.get("note", "")),
            _cites_of(raw_citations(a)),
            str(a.get("valid_from", "")),
            str(a.get("valid_until", "")),
        )
        for u, v, a in G.edges(data=True)
    ]
    return Dataset(meta, source_registry(G), nodes, edges, event_records(G))


_NODE_KEYS = ("id", "kind", "name", "abbreviation", "other_names", "parent", "description", "note", "head_title")


def _measures_doc(items: list[Measure]) -> dict[str, Any]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for m in items:
        d = m.as_dict()
        del d["name"]
        grouped.setdefault(m.name, []).append(d)
    return {name: entries[0] if len(entries) == 1 else entries for name, entries in grouped.items()}


def measures_document(items: list[Measure]) -> dict[str, Any]:
    """Measures as a data file writes them (:func:`to_document`'s ``measures`` field): name -> entry, or entries."""
    return _measures_doc(items)


def to_document(G: OrgGraph) -> dict[str, Any]:
    """The document (records as in a data file) that would load as ``G``."""
    data = dataset_of(G)
    doc: dict[str, Any] = {
        "dataset": Record(data.meta),
        "sources": [Record({"id": sid, **rec}) for sid, rec in data.sources.items()],
        "nodes": [],
        "relations": [],
    }
    # The parent field holds the undated superior; dated ones stay has_unit relations.
    parent: dict[str, Edge] = {}
    for e in data.edges:
        if e.relation == "has_unit" and not (e.valid_from or e.valid_until) and e.target not in parent:
            parent[e.target] = e
    for n in data.nodes:
        own = [c.plain() for c in n.cites]
        dated = {d.name: d.as_dict() for d in n.dated_names}
        rec: dict[str, Any] = {"id": n.id, "kind": n.kind, "name": n.name}
        for key in ("abbreviation", "description", "note", "head_title"):
            if getattr(n, key):
                rec[key] = getattr(n, key)
        if n.other_names:
            rec["other_names"] = [dated.get(o, o) for o in n.other_names]
        if n.id in parent:
            rec["parent"] = parent[n.id].unit
        ordered = Record({k: rec[k] for k in _NODE_KEYS if k in rec})
        if n.city or n.state:
            ordered["location"] = {k: v for k, v in (("city", n.city), ("state", n.state)) if v}
        if n.area_of_responsibility:
            ordered["area_of_responsibility"] = list(n.area_of_responsibility)
        if n.counties:
            ordered["counties"] = {code: list(names) for code, names in n.counties.items()}
        if n.valid_from:
            ordered["from"] = n.valid_from
        if n.valid_until:
            ordered["until"] = n.valid_until
        if n.valid_from or n.valid_until:
            ordered["dates_cite"] = [c.plain() for c in n.dates_cites]
        if n.measures:
            ordered["measures"] = _measures_doc(n.measures)
        ordered["cite"] = own
        if n.id in parent:
            edge_cites = [c.plain() for c in parent[n.id].cites]
            if edge_cites != own:
                ordered["parent_cite"] = edge_cites
        doc["nodes"].append(ordered)
    for e in data.edges:
        if e.relation == "has_unit" and parent.get(e.target) is e:
            continue
        doc["relations"].append(Record(e.as_dict()))
    if data.events:
        doc["events"] = [Record(e.as_dict()) for e in data.events]
    return doc
