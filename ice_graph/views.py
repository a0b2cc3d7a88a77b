"""Views of the graph: the hierarchy alone, a branch, a filtered selection.

Views never copy attributes and never change the graph; each returns a read-only
NetworkX graph over the same node and edge data.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import networkx as nx

from ._types import OrgGraph
from .errors import ArgumentError, DataError, ExportError
from .lookup import EdgeTest, check_graph, cycle_problem, find_unit, hierarchy_edge, unit_test
from .schema import CATEGORIES, KINDS, RELATIONS, unknown

__all__ = ["check_graph", "hierarchy", "subtree", "select", "induced", "parent_of", "children_of", "roots"]


def induced(G: OrgGraph, nodes: Iterable[Hashable]) -> OrgGraph:
    """The subgraph on ``nodes``, read-only, with nodes and edges in G's own order.

    ``G.subgraph(nodes)`` iterates a small node set in set order, which changes
    from run to run; outputs must not.
    """
    keep = set(nodes)
    view: OrgGraph = nx.subgraph_view(G, filter_node=keep.__contains__)
    return view


def check_depth(depth: object) -> None:
    """Refuse a ``depth`` that is not None or a whole number of levels, 0 or more."""
    if depth is None:
        return
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 0:
        raise ArgumentError(f"depth: expected a whole number of levels, 0 or more, got {depth!r}")


def cycle_error(G: OrgGraph, start: Hashable, end: Hashable, edge: EdgeTest) -> DataError | None:
    """The error naming a hierarchy cycle through ``end -> start``, or None if there is none.

    ``end -> start`` is a hierarchy edge whose target was met before; it closes a
    cycle when ``start`` reaches ``end`` down the hierarchy (a unit with two
    superiors closes none).
    """
    down = nx.subgraph_view(G, filter_edge=edge)
    try:
        path = nx.shortest_path(down, start, end)
    except nx.NetworkXNoPath:
        return None
    return cycle_problem([*path, start])


def superior(G: OrgGraph, node: Hashable, edge: EdgeTest) -> Hashable | None:
    """The first hierarchy predecessor of ``node`` under the edge test ``edge`` (no lookup, no checks)."""
    return next((p for p in G.predecessors(node) if edge(p, node)), None)


def _children(G: OrgGraph, node: Hashable, edge: EdgeTest) -> list[Hashable]:
    return [c for c in G.successors(node) if edge(node, c)]


def _node(G: OrgGraph, node: Hashable) -> Hashable:
    check_graph(G)
    return node if node in G else find_unit(G, node)


def parent_of(G: OrgGraph, node: Hashable) -> Hashable | None:
    """The superior of ``node`` (its ``has_unit`` predecessor), or None at the top.

    ``node`` may be an id, a name or an abbreviation. In a graph without any
    ``relation`` attribute every edge is a hierarchy edge (see :func:`hierarchy`).
    """
    n = _node(G, node)
    return superior(G, n, hierarchy_edge(G))


def children_of(G: OrgGraph, node: Hashable) -> list[Hashable]:
    """The direct subordinates of ``node``, in the graph's order (``node``: id, name or abbreviation).

    In a graph without any ``relation`` attribute every edge is a hierarchy edge.
    """
    n = _node(G, node)
    return _children(G, n, hierarchy_edge(G))


def roots(G: OrgGraph) -> list[Hashable]:
    """Units with no superior, in the graph's order (a foreign graph's nodes without ``category`` count as units)."""
    check_graph(G)
    edge = hierarchy_edge(G)
    is_unit = unit_test(G, edge)
    return [n for n in G if is_unit(n) and superior(G, n, edge) is None]


def hierarchy(G: OrgGraph) -> OrgGraph:
    """The ``has_unit`` tree alone: unit nodes and hierarchy edges (a read-only view).

    The hierarchy edges are those with ``relation == "has_unit"``; in a graph where
    no edge has a ``relation`` attribute (a foreign graph such as
    ``nx.balanced_tree(3, 3, create_using=nx.DiGraph)``) every edge is one, and
    nodes without a ``category`` are units.

    >>> import ice_graph
    >>> H = ice_graph.hierarchy(ice_graph.load())
    >>> sorted({d["relation"] for _, _, d in H.edges(data=True)})
    ['has_unit']
    """
    check_graph(G)
    edge = hierarchy_edge(G)
    view: OrgGraph = nx.subgraph_view(G, filter_node=unit_test(G, edge), filter_edge=edge)
    return view


def branch(G: OrgGraph, root: Hashable, depth: int | None = None) -> list[Hashable]:
    """``root`` and the units below it, breadth first, down to ``depth`` levels (all if None).

    Each unit comes once, even under two superiors; a cycle in the hierarchy raises
    :class:`~ice_graph.errors.DataError` naming it, instead of looping for ever.
    """
    edge = hierarchy_edge(G)
    out = [root]
    seen = {root}
    frontier = [root]
    level = 0
    while frontier and (depth is None or level < depth):
        below = []
        for n in frontier:
            for c in _children(G, n, edge):
                if c not in seen:
                    seen.add(c)
                    below.append(c)
                elif error := cycle_error(G, c, n, edge):
                    raise error
        out.extend(below)
        frontier = below
        level += 1
    return out


def subtree(G: OrgGraph, unit: Hashable, *, depth: int | None = None, attached: bool = True) -> OrgGraph:
    """The branch below ``unit`` (down to ``depth`` levels), as a read-only subgraph.

    With ``attached`` (the default) the programs, mission areas and partners linked
    to the branch's units come along, so the branch can be drawn or exported whole.
    ``unit`` may be an id, name or abbreviation. A cycle in the hierarchy raises
    :class:`~ice_graph.errors.DataError`.

    >>> import ice_graph
    >>> B = ice_graph.subtree(ice_graph.load(), "HSI", depth=1, attached=False)
    >>> len(B), B.number_of_edges()
    (38, 37)
    """
    check_graph(G)
    check_depth(depth)
    root = find_unit(G, unit)
    units = branch(G, root, depth)
    keep = set(units)
    if attached:
        is_unit = unit_test(G)
        for u in units:
            keep.update(v for v in G.successors(u) if not is_unit(v))
    return induced(G, keep)


def select(
    G: OrgGraph,
    *,
    relations: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
) -> OrgGraph:
    """Keep only some relations, node kinds or categories (a read-only view).

    Nodes left without any kept edge are still kept if their kind is selected.
    """
    check_graph(G)
    rels = _check(relations, RELATIONS, "relation")
    ks = _check(kinds, KINDS, "kind")
    cats = _check(categories, CATEGORIES, "category")

    def keep_node(n: Hashable) -> bool:
        a = G.nodes[n]
        return (ks is None or a.get("kind") in ks) and (cats is None or a.get("category") in cats)

    def keep_edge(u: Hashable, v: Hashable) -> bool:
        return rels is None or G.edges[u, v].get("relation") in rels

    view: OrgGraph = nx.subgraph_view(G, filter_node=keep_node, filter_edge=keep_edge)
    return view


def _check(values: Iterable[str] | None, allowed: Iterable[str], what: str) -> set[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    chosen = set(values)
    allowed = list(allowed)
    bad = sorted(chosen - set(allowed))
    if bad:
        raise ExportError(unknown(what, bad[0], allowed))
    return chosen
