"""Organizations change: snapshots on a date, the changes between two dates, diffs.

A graph from ``ice_graph.load(history=True)`` holds every dated fact: nodes and
relations with ``valid_from``/``valid_until``, names with the years they applied,
and reorganization events (``G.graph["events"]``). :func:`as_of` cuts the
organization as it stood on one day; ``ice_graph.load()`` returns the cut on the
data's own date.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Hashable, Iterable
from operator import methodcaller
from typing import Any

import networkx as nx

from ._types import OrgGraph
from .codec import dated_names, event_records, measures, replace_events, set_measures, source_registry
from .codec import events as _events
from .dates import DATE_PATTERN, day, holds
from .errors import DataError, IceGraphError, Problem
from .lookup import check_graph

__all__ = ["as_of", "changes", "diff", "events", "start_of", "end_of", "undated_units", "undated_note"]


def _bad_date(what: str, value: object) -> DataError:
    return DataError(
        [Problem(what, 0, "", f"{value!r} is not a date (expected YYYY, YYYY-MM, YYYY-MM-DD or a datetime.date)")]
    )


def start_of(value: str | dt.date, what: str = "start") -> str:
    """The first day a date stands for (``2010`` -> ``2010-01-01``), as an ISO day.

    Raises :class:`~ice_graph.errors.DataError` naming ``what`` for a value that is not a date.
    """
    try:
        return day(value)
    except (ValueError, TypeError, OverflowError):
        raise _bad_date(what, value) from None


def end_of(value: str | dt.date, what: str = "end") -> str:
    """The last day a date stands for as the END of a range, as an ISO day.

    A partial date covers its whole period: a year ends on 31 December, a month on
    its last day; a full date is that day. So ``changes(H, "2010", "2010")`` covers
    all of 2010. Raises :class:`~ice_graph.errors.DataError` naming ``what`` for a
    value that is not a date.

    >>> end_of("2010"), end_of("2010-06"), end_of("2012-02"), end_of("2010-06-15")
    ('2010-12-31', '2010-06-30', '2012-02-29', '2010-06-15')
    """
    first = start_of(value, what)
    m = None if isinstance(value, dt.date) else DATE_PATTERN.match(str(value).strip())
    if m is None or m.group(3):
        return first
    year = int(m.group(1))
    month = int(m.group(2) or 12)
    return dt.date(year, month, calendar.monthrange(year, month)[1]).isoformat()


def _check_history(G: OrgGraph) -> None:
    if not G.graph.get("history", False):
        when = G.graph.get("as_of", "one day")
        raise IceGraphError(
            f"this graph shows the organization on {when} only; load every dated fact with "
            "ice_graph.load(history=True) (CLI: leave out --as-of) and cut it with as_of()"
        )


def as_of(G: OrgGraph, date: str | dt.date) -> OrgGraph:
    """The organization on ``date`` (YYYY, YYYY-MM, YYYY-MM-DD or a ``datetime.date``).

    Nodes and relations are kept when their dates hold on that day; a unit whose
    place in the hierarchy is not known on that day (its superior relation ended)
    is left out with its branch, and one whose superior relation starts later stands
    at the top until then. Names, abbreviations and measures are the ones of that
    day, and only the events up to it about the units that stand on it are kept
    (an abolished unit is not in the snapshot; ``changes(G, start, date)`` on the
    history graph lists every change).

    >>> import ice_graph
    >>> H = ice_graph.load(history=True)
    >>> "fps" in as_of(H, "2005-06-01"), "fps" in as_of(H, "2012-06-01")
    (True, False)
    >>> as_of(H, "2005-06-01").nodes["hsi"]["name"]
    'Office of Investigations'
    """
    check_graph(G)
    _check_history(G)
    on = start_of(date, "as_of")
    keep = _standing(G, on)
    S: OrgGraph = nx.DiGraph()
    S.graph.update(G.graph)
    S.graph["history"] = False
    S.graph["as_of"] = on
    today = _today(G)
    # The new graph's own dicts, filled directly (see codec.build_graph): nodes in G's order,
    # then edges superior by superior, so each node lists its predecessors in node order.
    node: dict[Hashable, dict[str, Any]] = S._node  # type: ignore[attr-defined]
    succ: dict[Hashable, dict[Hashable, dict[str, Any]]] = S._succ  # type: ignore[attr-defined]
    pred: dict[Hashable, dict[Hashable, dict[str, Any]]] = S._pred  # type: ignore[attr-defined]
    for n, a in G.nodes(data=True):
        if n in keep:
            attrs = dict(a)
            if "dated_names" in attrs or "measures" in attrs:
                _facts_of_day(G, n, attrs, on, today)
            node[n], succ[n], pred[n] = attrs, {}, {}
    for u, nbrs in G.adjacency():
        if u in keep:
            for v, a in nbrs.items():
                if v in keep and holds(on, a.get("valid_from"), a.get("valid_until")):
                    succ[u][v] = pred[v][u] = dict(a)
    _keep_events(S, G, on)
    return S


def cut_in_place(G: OrgGraph, date: str | dt.date) -> OrgGraph:
    """``as_of(G, date)`` made from ``G`` itself, for a caller that owns ``G`` and drops it.

    :func:`ice_graph.load` has just built the history graph and returns only the
    snapshot of the data's day: copying 10^5 nodes and edges to throw the original
    away cost more than the cut. The result equals ``as_of(G, date)`` in every
    node, edge, attribute and order (predecessors included); ``G`` is that result.
    """
    check_graph(G)
    _check_history(G)
    on = start_of(date, "as_of")
    # Undated, nothing starts or ends: every node and edge of a checked data file stands
    # (and every edge holds), so there is nothing to remove.
    if not _undated(G):
        keep = _standing(G, on)
        G.remove_nodes_from([n for n in G if n not in keep])
        G.remove_edges_from(
            [
                (u, v)
                for u, nbrs in G.adjacency()
                for v, a in nbrs.items()
                if not holds(on, a.get("valid_from"), a.get("valid_until"))
            ]
        )
    _predecessors_in_node_order(G)
    today = _today(G)
    nodes: dict[Hashable, dict[str, Any]] = G._node  # type: ignore[attr-defined]
    for n in [n for n, attrs in nodes.items() if "dated_names" in attrs or "measures" in attrs]:
        _facts_of_day(G, n, nodes[n], on, today)
    G.graph["history"] = False
    G.graph["as_of"] = on
    _keep_events(G, G, on)
    return G


def _undated(G: OrgGraph) -> bool:
    """Whether no node and no edge of ``G`` has a start or an end date (a spreadsheet's organization, often).

    In a checked data file, which :func:`cut_in_place` is for, every unit then reaches a
    top unit through has_unit links that all hold, and every other node is linked from a
    unit: :func:`_standing` keeps them all, after a walk over every edge.
    """
    nodes: Iterable[dict[str, Any]] = G._node.values()  # type: ignore[attr-defined]
    edges = [a for nbrs in G._succ.values() for a in nbrs.values()]  # type: ignore[attr-defined]
    # A column at a time, each look-up in C (map with methodcaller): no Python call per node.
    return not any(any(map(get, attrs)) for attrs in (nodes, edges) for get in _DATE_GETTERS)


#: The look-ups of a node's or edge's start and end dates.
_DATE_GETTERS = (methodcaller("get", "valid_from"), methodcaller("get", "valid_until"))


def _standing(G: OrgGraph, on: str) -> set[Hashable]:
    """The nodes that stand on day ``on``: their dates hold and so does their place in the hierarchy.

    Every node kept is present on that day, and so is every edge between two kept
    nodes whose own dates hold.
    """
    # The plain dicts under G.nodes, G.succ and G.pred: a view per lookup was half of as_of.
    node: dict[Hashable, dict[str, Any]] = G._node  # type: ignore[attr-defined]
    succ: dict[Hashable, dict[Hashable, dict[str, Any]]] = G._succ  # type: ignore[attr-defined]
    pred: dict[Hashable, dict[Hashable, dict[str, Any]]] = G._pred  # type: ignore[attr-defined]
    present = {n for n, a in node.items() if holds(on, a.get("valid_from"), a.get("valid_until"))}

    def edge_ok(u: Hashable, v: Hashable, a: dict[str, Any]) -> bool:
        return u in present and v in present and holds(on, a.get("valid_from"), a.get("valid_until"))

    # The roots on that day: units with no superior relation yet. A unit whose
    # superior relation starts later stands at the top until then; one whose superior
    # relation holds goes with its superior (absent superior, absent branch); one whose
    # superior relation has ended has no known place and is left out.
    placed: set[Hashable] = set()
    for nbrs in succ.values():
        for v, a in nbrs.items():
            if a.get("relation") != "has_unit":
                continue
            start = a.get("valid_from")
            if not (start and day(start) > on):
                placed.add(v)
    keep: set[Hashable] = set()
    # Nodes are visited in the graph's order (not the set's): the same nodes, read in the order they sit in memory.
    frontier = [n for n, a in node.items() if a.get("category") == "unit" and n not in placed and n in present]
    while frontier:
        keep.update(frontier)
        # (edge_ok without its test of u: every node kept is present)
        frontier = [
            v
            for u in frontier
            for v, a in succ[u].items()
            if v not in keep
            and a.get("relation") == "has_unit"
            and v in present
            and holds(on, a.get("valid_from"), a.get("valid_until"))
        ]
    # In the graph's order, so that a graph linking a non-unit to a non-unit (no data file
    # can: every relation starts at a unit) gets one answer, not one that depends on the hash seed.
    for n, a in node.items():
        if a.get("category") != "unit" and n in present:
            ins = pred[n]
            if not ins or any(u in keep and edge_ok(u, n, a) for u, a in ins.items()):
                keep.add(n)
    return keep


def _today(G: OrgGraph) -> str | None:
    return str(G.graph["date"]) if G.graph.get("date") else None


def _facts_of_day(G: OrgGraph, n: Hashable, attrs: dict[str, Any], on: str, today: str | None) -> None:
    """Set ``attrs`` (node ``n``'s) to the name, abbreviation and measures of day ``on``."""
    if attrs.get("dated_names"):
        for name in dated_names(G, n):
            if (name.valid_from or name.valid_until) and holds(on, name.valid_from, name.valid_until):
                attrs["name"] = name.name
                if name.abbreviation:
                    attrs["abbreviation"] = name.abbreviation
                else:
                    attrs.pop("abbreviation", None)
                break
    if attrs.get("measures"):
        items = measures(G, n)
        if items:
            set_measures(attrs, items, on, today=today)


def _keep_events(S: OrgGraph, G: OrgGraph, on: str) -> None:
    """Only the events up to that day belong to the organization as it stood then,
    and only those about units that stand then: a snapshot is a valid dataset."""
    replace_events(
        S, [e for e in event_records(G) if day(e.date) <= on and e.unit in S and all(u in S for u in e.from_units)]
    )


def _predecessors_in_node_order(G: OrgGraph) -> None:
    """List each node's predecessors in the order of the nodes, as a copy made edge by edge does.

    A graph built from a dataset lists them in the order its edges were added
    (hierarchy first); :func:`as_of` copies edges superior by superior. Some
    readers take the first predecessor (``io._common._tree``), so a cut in place
    must list them as the copy would.
    """
    pred: dict[Hashable, dict[Hashable, dict[str, Any]]] = G._pred  # type: ignore[attr-defined]
    several = [p for p in pred.values() if len(p) > 1]
    if not several:
        return
    position = {n: i for i, n in enumerate(G)}
    for p in several:
        items = sorted(p.items(), key=lambda item: position[item[0]])
        p.clear()
        p.update(items)


def undated_units(S: OrgGraph) -> list[Hashable]:
    """The units of a snapshot of a past day that have no sourced start date of their own.

    They are shown on every day their superior existed (a fact without a date holds whenever
    its node exists), so a snapshot of 2004 may show an office that was created later without
    the sources saying so. Empty for a snapshot of the data's own day, or a graph that is no snapshot.
    """
    on, today = S.graph.get("as_of"), S.graph.get("date")
    if not on or not today or day(str(on)) >= day(str(today)):
        return []
    return [n for n, a in S.nodes(data=True) if a.get("category") == "unit" and not a.get("valid_from")]


def undated_note(S: OrgGraph) -> str:
    """The sentence a chart or answer of a past day adds about :func:`undated_units` (or "")."""
    n = len(undated_units(S))
    if not n:
        return ""
    return f"{n} unit{'s' if n != 1 else ''} shown {'have' if n != 1 else 'has'} no sourced start date (may not have existed yet)"


def events(G: OrgGraph) -> list[dict[str, Any]]:
    """The reorganization events recorded in the data, oldest first."""
    check_graph(G)
    return _events(G)


def changes(G: OrgGraph, start: str | dt.date, end: str | dt.date) -> list[dict[str, Any]]:
    """The reorganizations between ``start`` and ``end`` (both included), each with its sources.

    A partial date covers its whole period: ``start`` "2010" is 2010-01-01 and
    ``end`` "2010" is 2010-12-31 (see :func:`end_of`), so ``changes(H, "2010", "2010")``
    lists the changes of 2010. A start after the end raises
    :class:`~ice_graph.errors.DataError`. Ask the history graph
    (``load(history=True)``): a snapshot keeps only the events about its own units.

    Each change is a dict: ``date``, ``type`` (created, renamed, merged_into,
    split_from, transferred, abolished), ``unit``, ``before``/``after`` where
    they apply, ``note``, and ``sources``: the citations with the sources' titles
    and addresses. An event that another source dates inside the range also
    counts, and says so in ``alt_dates``.

    >>> import ice_graph
    >>> H = ice_graph.load(history=True)
    >>> [(c["date"], c["type"], c["unit"]) for c in changes(H, "2009", "2009")]
    [('2008-04', 'created', 'hsi-hrvwcc'), ('2009-08-06', 'created', 'ice-office-of-detention-policy-and-planning'), ('2009-10-28', 'transferred', 'fps')]
    """
    check_graph(G)
    lo, hi = start_of(start, "start"), end_of(end)
    if lo > hi:
        raise DataError([Problem("start", 0, "", f"{start!r} is after end {end!r} (expected start <= end)")])
    registry = source_registry(G)

    def details(cites: list[dict[str, str]]) -> list[dict[str, str]]:
        return [
            {**c, **{k: v for k, v in registry.get(c["source"], {}).items() if k in ("title", "publisher", "url")}}
            for c in cites
        ]

    out = []
    for ev in events(G):
        dates = [ev["date"]] + [a["date"] for a in ev.get("alt_dates", [])]
        if any(lo <= day(d) <= hi for d in dates):
            item = {k: v for k, v in ev.items() if k not in ("cite", "alt_dates")}
            item["sources"] = details(ev.get("cite", []))
            if ev.get("alt_dates"):
                item["alt_dates"] = [
                    {"date": a["date"], "sources": details(a.get("cite", []))} for a in ev["alt_dates"]
                ]
            out.append(item)
    out.sort(key=lambda c: (day(c["date"]), str(c["unit"])))
    return out


def diff(G1: OrgGraph, G2: OrgGraph) -> dict[str, Any]:
    """What differs between two graphs: nodes and edges added, removed or changed.

    Returns ``added_nodes``, ``removed_nodes``, ``changed_nodes`` (id -> attribute ->
    [old, new]), ``added_edges``, ``removed_edges`` and ``changed_edges``; every
    value is empty when the graphs hold the same facts.

    >>> import ice_graph
    >>> G = ice_graph.load()
    >>> diff(G, G)["changed_nodes"]
    {}
    """
    check_graph(G1)
    check_graph(G2)

    def attr_changes(a: dict[str, Any], b: dict[str, Any]) -> dict[str, list[Any]]:
        return {k: [a.get(k), b.get(k)] for k in sorted(set(a) | set(b), key=str) if a.get(k) != b.get(k)}

    nodes1, nodes2 = set(G1), set(G2)
    edges1, edges2 = set(G1.edges), set(G2.edges)
    changed_nodes = {n: c for n in G1 if n in nodes2 and (c := attr_changes(G1.nodes[n], G2.nodes[n]))}
    changed_edges = {
        f"{u} -> {v}": c
        for u, v in G1.edges
        if (u, v) in edges2 and (c := attr_changes(G1.edges[u, v], G2.edges[u, v]))
    }
    return {
        "added_nodes": [n for n in G2 if n not in nodes1],
        "removed_nodes": [n for n in G1 if n not in nodes2],
        "changed_nodes": changed_nodes,
        "added_edges": [(u, v) for u, v in G2.edges if (u, v) not in edges1],
        "removed_edges": [(u, v) for u, v in G1.edges if (u, v) not in edges2],
        "changed_edges": changed_edges,
    }
