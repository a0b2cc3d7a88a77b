"""Views of the graph: the hierarchy alone, a branch, a filtered selection.

Views never copy attributes and never change the graph; each returns a read-only
NetworkX graph over the same node and edge data.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import networkx as nx

from ._types import OrgGraph
from .errors import ExportError
from .lookup import find_unit
from .schema import CATEGORIES, KINDS, RELATIONS, unknown

__all__ = ["hierarchy", "subtree", "select", "induced", "parent_of", "children_of", "roots"]


def induced(G: OrgGraph, nodes: Iterable[Hashable]) -> OrgGraph:
    """The subgraph on ``nodes``, read-only, with nodes and edges in G's own order.

    ``G.subgraph(nodes)`` iterates a small node set in set order, which changes
    from run to run; outputs must not.
    """
    keep = set(nodes)
    view: OrgGraph = nx.subgraph_view(G, filter_node=keep.__contains__)
    return view


def parent_of(G: OrgGraph, node: Hashable) -> Hashable | None:
    """The superior of ``node`` (its ``has_unit`` predecessor), or None at the top.

    ``node`` may be an id, a name or an abbreviation.
    """
    if node not in G:
        node = find_unit(G, node)
    for p in G.predecessors(node):
        if G.edges[p, node].get("relation") == "has_unit":
            return p
    return None


def children_of(G: OrgGraph, node: Hashable) -> list[Hashable]:
    """The direct subordinates of ``node``, in the graph's order (``node``: id, name or abbreviation)."""
    if node not in G:
        node = find_unit(G, node)
    return [c for c in G.successors(node) if G.edges[node, c].get("relation") == "has_unit"]


def roots(G: OrgGraph) -> list[Hashable]:
    """Units with no superior, in the graph's order."""
    return [n for n, a in G.nodes(data=True) if a.get("category") == "unit" and parent_of(G, n) is None]


def hierarchy(G: OrgGraph) -> OrgGraph:
    """The ``has_unit`` tree alone: unit nodes and hierarchy edges (a read-only view).

    >>> import ice_graph
    >>> H = ice_graph.hierarchy(ice_graph.load())
    >>> sorted({d["relation"] for _, _, d in H.edges(data=True)})
    ['has_unit']
    """
    view: OrgGraph = nx.subgraph_view(
        G,
        filter_node=lambda n: G.nodes[n].get("category") == "unit",
        filter_edge=lambda u, v: G.edges[u, v].get("relation") == "has_unit",
    )
    return view


def branch(G: OrgGraph, root: Hashable, depth: int | None = None) -> list[Hashable]:
    """``root`` and the units below it, breadth first, down to ``depth`` levels (all if None)."""
    out = [root]
    frontier = [root]
    level = 0
    while frontier and (depth is None or level < depth):
        frontier = [c for n in frontier for c in children_of(G, n)]
        out.extend(frontier)
        level += 1
    return out


def subtree(G: OrgGraph, unit: Hashable, *, depth: int | None = None, attached: bool = True) -> OrgGraph:
    """The branch below ``unit`` (down to ``depth`` levels), as a read-only subgraph.

    With ``attached`` (the default) the programs, mission areas and partners linked
    to the branch's units come along, so the branch can be drawn or exported whole.
    ``unit`` may be an id, name or abbreviation.

    >>> import ice_graph
    >>> B = ice_graph.subtree(ice_graph.load(), "HSI", depth=1, attached=False)
    >>> len(B), B.number_of_edges()
    (7, 6)
    """
    if depth is not None and depth < 0:
        raise ValueError(f"depth must be 0 or more, got {depth}")
    root = find_unit(G, unit)
    units = branch(G, root, depth)
    keep = set(units)
    if attached:
        for u in units:
            keep.update(v for v in G.successors(u) if G.nodes[v].get("category") != "unit")
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
