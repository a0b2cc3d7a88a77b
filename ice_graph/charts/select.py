"""What a chart shows: the part of the graph selected by branch, depth, relations and kinds."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import networkx as nx

from .. import history
from .._types import OrgGraph
from ..views import hierarchy, induced, roots, select, subtree

__all__ = ["chart_view", "MAX_CHART_NODES"]

#: Above this many nodes a chart shows only the top levels (and says so).
MAX_CHART_NODES = 400


def chart_view(
    G: OrgGraph,
    *,
    root: Hashable | None = None,
    depth: int | None = None,
    hierarchy_only: bool = False,
    relations: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    max_nodes: int | None = MAX_CHART_NODES,
) -> tuple[OrgGraph, str]:
    """The part of ``G`` a chart shows, and a note saying what was left out."""
    if G.graph.get("history"):
        G = history.as_of(G, G.graph.get("date") or "9999-12-31")
    V: OrgGraph = G
    note = ""
    if root is not None or depth is not None:
        if root is None:
            keep: set[Hashable] = set()
            for r in roots(G):
                keep |= set(subtree(G, r, depth=depth))
            V = induced(G, keep)
        else:
            V = subtree(G, root, depth=depth)
    if hierarchy_only:
        V = select(V, relations=["has_unit"], categories=["unit"])
    if relations is not None or kinds is not None:
        V = select(V, relations=relations, kinds=kinds)
    if max_nodes is not None and len(V) > max_nodes:
        H = hierarchy(V)
        tops = roots(V) or list(V)[:1]
        dist: dict[Hashable, int] = {}
        for r in tops:
            dist.update(nx.single_source_shortest_path_length(H, r))
        per_level: dict[int, int] = {}
        for d in dist.values():
            per_level[d] = per_level.get(d, 0) + 1
        shown, cut = 0, 0
        for lv in sorted(per_level):
            if shown + per_level[lv] > max_nodes:
                break
            shown += per_level[lv]
            cut = lv
        keep = {n for n, d in dist.items() if d <= cut}
        total_units = sum(1 for _, a in V.nodes(data=True) if a.get("category") == "unit")
        V = induced(V, keep)
        note = (
            f"showing the top {cut + 1} levels: {len(keep)} of {total_units} units (use root= and depth= for a branch)"
        )
    return V, note
