"""Questions about an organization, each one call on the graph.

Every helper takes the graph first and accepts a unit as an id, a name, an
abbreviation or another name, in any case (see :func:`find_unit`). Helpers return
ids (lists in a stable order) or plain dicts; :func:`names` turns ids into names.

They also answer on graphs that ice_graph did not build: the hierarchy is the
``has_unit`` edges, or every edge when no edge has a ``relation`` attribute at all,
and a node without ``category`` is a unit when it has a hierarchy edge (see
:func:`~ice_graph.views.hierarchy`). Undirected graphs, multigraphs and cycles in the
hierarchy raise :class:`~ice_graph.errors.DataError`; no helper loops for ever.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from typing import Any

import networkx as nx

from ._types import OrgGraph
from .codec import area_of_responsibility, counties, source_registry
from .codec import citations as _citations
from .errors import ArgumentError, UnitNotFound
from .lookup import check_graph, cycle_problem, find_node, find_unit, hierarchy_edge, names, search
from .schema import STATE_NAMES, find_state
from .views import branch, check_depth, children_of, hierarchy, roots, superior

__all__ = [
    "citations",
    "find_unit",
    "find_node",
    "search",
    "names",
    "chain_of_command",
    "subordinates",
    "direct_reports",
    "span_of_control",
    "summary",
    "common_superior",
    "programs_of",
    "who_runs",
    "responsible_for",
    "partners_of",
    "covering",
    "STATE_NAMES",
    "centrality",
    "to_dataframes",
]


def citations(G: OrgGraph, node: Hashable, target: Hashable | None = None) -> list[dict[str, str]]:
    """The citations of a node (or of the edge ``node -> target``), with the sources' details.

    ``node`` and ``target`` may be ids, names or abbreviations.

    >>> import ice_graph
    >>> G = ice_graph.load()
    >>> c = citations(G, "HSI")[0]
    >>> c["source"], c["title"]
    ('what-is-ice', 'What is ICE - Immigration and Customs Enforcement?')
    """
    u = find_node(G, node)
    if target is None:
        return _citations(G, u)
    v = find_node(G, target)
    if not G.has_edge(u, v):
        raise UnitNotFound(f"{u} -> {v}", reason=f"there is no edge {u!r} -> {v!r}")
    return _citations(G, u, v)


def chain_of_command(G: OrgGraph, unit: Hashable, *, include_self: bool = False) -> list[Hashable]:
    """The superiors of ``unit``, nearest first, up to the top of the hierarchy.

    >>> import ice_graph
    >>> chain_of_command(ice_graph.load(), "ERO")
    ['ice', 'dhs']

    The superior is the source of the unit's ``has_unit`` edge; in a graph without
    any ``relation`` attribute, the source of any edge into it. A cycle in the
    chain raises :class:`~ice_graph.errors.DataError` naming it.
    """
    start = find_unit(G, unit)
    edge = hierarchy_edge(G)
    path = [start]
    up = superior(G, start, edge)
    while up is not None:
        if up in path:
            raise cycle_problem([*reversed(path[path.index(up) :]), up])
        path.append(up)
        up = superior(G, up, edge)
    return path if include_self else path[1:]


def subordinates(G: OrgGraph, unit: Hashable, *, depth: int | None = None) -> list[Hashable]:
    """All units below ``unit`` (breadth first), or only those ``depth`` levels down.

    >>> import ice_graph
    >>> G = ice_graph.load()
    >>> len(subordinates(G, "ice")), len(subordinates(G, "ice", depth=1))
    (136, 13)
    """
    check_depth(depth)
    return branch(G, find_unit(G, unit), depth)[1:]


def direct_reports(G: OrgGraph, unit: Hashable) -> list[Hashable]:
    """The units directly under ``unit``.

    >>> import ice_graph
    >>> direct_reports(ice_graph.load(), "hsi")[:2]
    ['hsi-domestic-operations', 'hsi-intelligence']
    """
    return subordinates(G, unit, depth=1)


def span_of_control(G: OrgGraph, unit: Hashable) -> int:
    """How many units report directly to ``unit``.

    >>> import ice_graph
    >>> span_of_control(ice_graph.load(), "OPLA")
    2
    """
    return len(children_of(G, find_unit(G, unit)))


def summary(G: OrgGraph) -> dict[str, Any]:
    """The shape of the whole organization, as a dict of plain values.

    Keys: ``units``, ``levels``, ``units_per_kind``, ``units_per_level``,
    ``nodes_per_category``, ``edges_per_relation``, ``roots``, ``widest_level``,
    ``widest_unit`` (the largest span of control), ``deepest_branch`` (a longest
    chain from the top), ``average_span`` (over units that have reports),
    ``sources``.

    >>> import ice_graph
    >>> s = summary(ice_graph.load())
    >>> s["levels"], s["widest_unit"]
    (6, {'unit': 'hsi', 'span': 37})

    A cycle in the hierarchy raises :class:`~ice_graph.errors.DataError` naming it.
    """
    H = hierarchy(G)
    _check_acyclic(H)
    depth: dict[Hashable, int] = {}
    for r in roots(G):
        for n, d in nx.single_source_shortest_path_length(H, r).items():
            depth[n] = d
    per_level = Counter(depth.values())
    spans = {n: H.out_degree(n) for n in H}
    managers = [s for s in spans.values() if s]
    order = {n: i for i, n in enumerate(G)}
    deepest = max(depth, key=lambda n: (depth[n], -order[n])) if depth else None
    widest = max(spans, key=lambda n: spans[n]) if spans else None
    return {
        "units": H.number_of_nodes(),
        "levels": (max(depth.values()) + 1) if depth else 0,
        "units_per_kind": _counts(a.get("kind", "unit") for _, a in H.nodes(data=True)),
        "units_per_level": [per_level[i] for i in range(len(per_level))],
        "nodes_per_category": _counts(a.get("category") for _, a in G.nodes(data=True)),
        "edges_per_relation": _counts(a.get("relation") for _, _, a in G.edges(data=True)),
        "roots": roots(G),
        "widest_level": max(per_level, key=lambda lv: (per_level[lv], -lv)) if per_level else None,
        "widest_unit": {"unit": widest, "span": spans[widest]} if widest is not None else None,
        "deepest_branch": list(reversed(chain_of_command(G, deepest, include_self=True)))
        if deepest is not None
        else [],
        "average_span": round(sum(managers) / len(managers), 3) if managers else 0.0,
        "sources": len(source_registry(G)),
    }


def _counts(values: Any) -> dict[Any, int]:
    """How often each value occurs, sorted by value (as text: a foreign graph may mix types or lack values)."""
    return dict(sorted(Counter(values).items(), key=lambda kv: str(kv[0])))


def _check_acyclic(H: OrgGraph) -> None:
    """Raise a DataError naming a cycle of the hierarchy ``H``, if it has one."""
    try:
        cycle = nx.find_cycle(H)
    except nx.NetworkXNoCycle:
        return
    raise cycle_problem([u for u, _v in cycle] + [cycle[0][0]])


def common_superior(G: OrgGraph, a: Hashable, b: Hashable) -> Hashable | None:
    """The lowest unit that both ``a`` and ``b`` report to (None if they share none).

    >>> import ice_graph
    >>> G = ice_graph.load()
    >>> common_superior(G, "OPLA", "hsi-intelligence")
    'ice'
    """
    ups = set(chain_of_command(G, a))
    for n in chain_of_command(G, b):
        if n in ups:
            return n
    return None


def _linked(G: OrgGraph, node: Hashable, relation: str, *, reverse: bool = False) -> list[Hashable]:
    if reverse:
        return [u for u in G.predecessors(node) if G.edges[u, node].get("relation") == relation]
    return [v for v in G.successors(node) if G.edges[node, v].get("relation") == relation]


def programs_of(G: OrgGraph, unit: Hashable, *, include_subunits: bool = False) -> list[Hashable]:
    """The programs and operations ``unit`` runs (and, optionally, those of its subunits).

    >>> import ice_graph
    >>> programs_of(ice_graph.load(), "ICE")
    ['operation-community-shield', 'operation-predator']
    """
    root = find_unit(G, unit)
    units = [root] + (subordinates(G, root) if include_subunits else [])
    return list(dict.fromkeys(p for u in units for p in _linked(G, u, "runs")))


def who_runs(G: OrgGraph, program: Hashable) -> list[Hashable]:
    """The units that run a program or operation.

    >>> import ice_graph
    >>> who_runs(ice_graph.load(), "Operation Predator")
    ['ice']
    """
    return _linked(G, find_node(G, program, category="program"), "runs", reverse=True)


def responsible_for(G: OrgGraph, area: Hashable, *, direct: bool = False) -> list[Hashable]:
    """The units that handle a mission area, directly or through a subunit.

    Units linked to the area come first, then the superiors of those units (which
    handle the area through them), nearest first. ``direct=True`` keeps only the
    units linked to the area.

    >>> import ice_graph
    >>> G = ice_graph.load()
    >>> responsible_for(G, "human trafficking")
    ['hsi', 'ice', 'dhs']
    >>> responsible_for(G, "human trafficking", direct=True)
    ['hsi']
    """
    direct_units = _linked(G, find_node(G, area, category="mission_area"), "responsible_for", reverse=True)
    if direct:
        return direct_units
    out = list(direct_units)
    for u in direct_units:
        for s in chain_of_command(G, u):
            if s not in out:
                out.append(s)
    return out


def partners_of(G: OrgGraph, node: Hashable) -> list[Hashable]:
    """The partners a unit works with; for a partner, the units that work with it.

    >>> import ice_graph
    >>> G = ice_graph.load()
    >>> partners_of(G, "national security division"), partners_of(G, "fbi")
    (['fbi'], ['hsi-ipr-center', 'hsi-national-security-investigations', 'hsi-hrvwcc', 'hsi-best'])
    """
    n = find_node(G, node)
    if G.nodes[n].get("category") == "partner":
        return _linked(G, n, "partners_with", reverse=True)
    return _linked(G, find_unit(G, node), "partners_with")


def state_code(state: str) -> str:
    """The USPS code of a state given by code or name (``"tx"``, ``"Texas"`` -> ``"TX"``); ArgumentError otherwise."""
    code = find_state(state)
    if code is None:
        from .schema import suggest

        text = " ".join(str(state).replace(".", "").split())
        close = suggest(text.title(), STATE_NAMES.values(), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ArgumentError(
            f"unknown state {state!r} (expected a USPS code such as 'TX' or a name such as 'Texas'){hint}"
        )
    return code


def covering(G: OrgGraph, state: str, county: str | None = None) -> list[Hashable]:
    """The units whose area of responsibility includes ``state`` (a USPS code or a state name).

    Where a unit covers only part of a state, its data lists the counties (``counties``):
    with ``county`` ("Harris" or "Harris County"), only the units that cover it, by name or
    by covering the whole state. A county that no unit lists, in a state that some unit
    covers only in part, raises :class:`~ice_graph.errors.ArgumentError` with the closest
    names: a misspelt county never quietly gets the wrong office.

    >>> import ice_graph
    >>> G = ice_graph.load()
    >>> covering(G, "TX") == covering(G, "Texas")
    True
    >>> "ero-field-office-houston" in covering(G, "tx")
    True
    >>> [n for n in covering(G, "TX", county="Harris County") if n.startswith("ero")]
    ['ero-field-office-houston']
    """
    check_graph(G)
    code = state_code(state)
    units = [n for n in G if code in area_of_responsibility(G, n)]
    if county is None:
        return units
    wanted = _county_key(county)
    found: list[Hashable] = []
    listed: dict[str, str] = {}
    for n in units:
        part = counties(G, n).get(code)
        if part is None:  # the whole state
            found.append(n)
            continue
        names = {_county_key(c): c for c in part}
        listed.update(names)
        if wanted in names:
            found.append(n)
    if listed and wanted not in listed:
        from .schema import suggest

        close = suggest(str(county), sorted(listed.values()), n=3)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        listed_n = f"{len(listed)} count{'y' if len(listed) == 1 else 'ies'} listed"
        raise ArgumentError(f"no unit lists a county {county!r} in {code} ({listed_n}){hint}")
    return found


def _county_key(name: str) -> str:
    """A county's name for comparison: 'St. Lawrence County' and 'st lawrence' are one county."""
    words = str(name).replace(".", " ").casefold().split()
    if len(words) > 1 and words[-1] in ("county", "parish", "borough"):
        words = words[:-1]
    return " ".join(words)


def centrality(G: OrgGraph) -> list[dict[str, Any]]:
    """Degree and betweenness of every node on the full typed graph, as table rows.

    Betweenness is computed on the undirected graph, so it measures how much a
    node bridges parts of the organization (a unit linking the hierarchy to a
    partner, say). Rows are sorted by betweenness, then degree, then id.

    >>> import ice_graph
    >>> rows = centrality(ice_graph.load())
    >>> rows[0]["id"], sorted(rows[0])
    ('ice', ['betweenness', 'category', 'degree', 'degree_centrality', 'id', 'in_degree', 'name', 'out_degree'])
    """
    check_graph(G)
    U = G.to_undirected(as_view=True)
    betweenness = nx.betweenness_centrality(U, normalized=True) if len(G) > 2 else {n: 0.0 for n in G}
    degree = nx.degree_centrality(G) if len(G) > 1 else {n: 0.0 for n in G}
    rows = [
        {
            "id": n,
            "name": a.get("name", str(n)),
            "category": a.get("category", ""),
            "in_degree": G.in_degree(n),
            "out_degree": G.out_degree(n),
            "degree": G.degree(n),
            "degree_centrality": round(degree[n], 6),
            "betweenness": round(betweenness[n], 6),
        }
        for n, a in G.nodes(data=True)
    ]
    rows.sort(key=lambda r: (-r["betweenness"], -r["degree"], str(r["id"])))
    return rows


def to_dataframes(G: OrgGraph) -> tuple[Any, Any]:
    """Two pandas DataFrames: nodes (indexed by id) and edges, with their sources.

    Needs pandas (``pip install 'ice_graph[pandas]'``).

    >>> import ice_graph
    >>> nodes, edges = to_dataframes(ice_graph.load())
    >>> nodes.loc["hsi", "abbreviation"], list(edges.columns[:3])
    ('HSI', ['source', 'target', 'relation'])
    """
    check_graph(G)
    try:
        import pandas as pd  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "to_dataframes needs pandas: pip install 'ice_graph[pandas]' (or pip install pandas)"
        ) from None
    # The columns are named even when there is no row, so an empty graph gives empty tables.
    nodes = pd.DataFrame([{**a, "id": n} for n, a in G.nodes(data=True)], columns=_columns(G.nodes.data(), ["id"]))
    edges = pd.DataFrame(
        [{**a, "source": u, "target": v} for u, v, a in G.edges(data=True)],
        columns=_columns(G.edges.data(), ["source", "target"]),
    )
    return nodes.set_index("id"), edges


def _columns(rows: Any, first: list[str]) -> list[str]:
    """``first``, then every attribute name of ``rows`` (tuples ending in a dict) in order of appearance."""
    names = dict.fromkeys(first)
    for *_, a in rows:
        names.update(dict.fromkeys(a))
    return list(names)
