"""What a chart shows: the part of the graph selected by branch, depth, relations and kinds."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from typing import Any

import networkx as nx

from .. import history
from .._types import OrgGraph
from ..errors import ExportError
from ..schema import CATEGORIES, KINDS
from ..style import clean_text
from ..views import hierarchy, induced, roots, select, subtree

__all__ = ["chart_view", "chartable", "MAX_CHART_NODES"]

#: Above this many nodes a chart shows only the top levels (and says so).
MAX_CHART_NODES = 400

_LABELLED = ("name", "abbreviation", "_was", "kind")  # kind: the legend shows an unknown one as written


def _node_fix(n: Hashable, a: dict[str, Any]) -> dict[str, Any]:
    """The attributes a chart needs that ``a`` lacks or holds in a form no chart can draw."""
    fix: dict[str, Any] = {}
    kind = a.get("kind")
    if not isinstance(kind, str) or not kind:
        fix["kind"] = kind = "unit"
    if a.get("category") not in CATEGORIES:
        fix["category"] = KINDS.get(kind, "unit")
    if not str(a.get("name", "")).strip():
        fix["name"] = str(n)
    for key in _LABELLED:
        value = fix.get(key, a.get(key))
        if isinstance(value, str) and clean_text(value) != value:
            fix[key] = clean_text(value)
    return fix


def chartable(G: OrgGraph) -> OrgGraph:
    """``G`` with what every chart needs: a kind, category and printable name on each node.

    A node without a ``category`` gets the one of its ``kind`` (``unit`` if the kind
    is missing or unknown), a node without a name is labelled by its id, and control
    characters are stripped from names. In a graph where no edge has a ``relation``
    (a graph from elsewhere), every edge is the hierarchy (``has_unit``). ``G`` itself
    is returned when it needs nothing; otherwise a copy.
    """
    fixes = {n: f for n, a in G.nodes(data=True) if (f := _node_fix(n, a))}
    foreign = G.number_of_edges() > 0 and not any("relation" in a for _, _, a in G.edges(data=True))
    if not fixes and not foreign:
        return G
    C: OrgGraph = nx.DiGraph(G)
    for n, f in fixes.items():
        C.nodes[n].update(f)
    if foreign:
        for _u, _v, a in C.edges(data=True):
            a["relation"] = "has_unit"
    return C


def _top_levels(V: OrgGraph, max_nodes: int) -> tuple[set[Hashable], int]:
    """The units of the top levels, with what hangs on them, that fit in ``max_nodes``; and the last level."""
    H = hierarchy(V)
    tops = roots(V) or [n for n in V if V.nodes[n].get("category") == "unit"][:1]
    dist: dict[Hashable, int] = {}
    for r in tops:
        for n, d in nx.single_source_shortest_path_length(H, r).items():
            dist.setdefault(n, d)
    per_level: Counter[int] = Counter()
    for n, d in dist.items():
        per_level[d] += 1 + sum(1 for v in V.successors(n) if V.nodes[v].get("category") != "unit")
    shown, cut = 0, -1
    for lv in sorted(per_level):
        if shown + per_level[lv] > max_nodes:
            break
        shown += per_level[lv]
        cut = lv
    cut = max(cut, 0)  # the top level is always shown
    units = {n for n, d in dist.items() if d <= cut}
    keep = units | {v for u in units for v in V.successors(u) if V.nodes[v].get("category") != "unit"}
    return keep, cut


def _left_out(V: OrgGraph, keep: set[Hashable]) -> str:
    """``'1880 units, 12 programs'``: the nodes of ``V`` not in ``keep``, counted per category."""
    counts = Counter(V.nodes[n].get("category", "unit") for n in V if n not in keep)
    plural = {"unit": "units", "program": "programs", "mission_area": "mission areas", "partner": "partners"}
    return ", ".join(f"{counts[c]} {plural[c]}" for c in CATEGORIES if counts[c])


def _cut(V: OrgGraph, max_nodes: int) -> tuple[OrgGraph, str]:
    keep, cut = _top_levels(V, max_nodes)
    total_units = sum(1 for _, a in V.nodes(data=True) if a.get("category") == "unit")
    shown_units = sum(1 for n in keep if V.nodes[n].get("category") == "unit")
    note = (
        f"showing the top {cut + 1} levels: {shown_units} of {total_units} units; "
        f"left out: {_left_out(V, keep)} (use root= and depth= for a branch)"
    )
    return induced(V, keep), note


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
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise ExportError(f"a chart needs a directed graph without parallel edges (nx.DiGraph), got {type(G).__name__}")
    if G.graph.get("history"):
        G = history.as_of(G, G.graph.get("date") or "9999-12-31")
    G = chartable(G)
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
        V, note = _cut(V, max_nodes)
    return V, note


#: The kind of the box that counts what a collapsed chart leaves out below a unit.
SUMMARY = "summary"

_PLURAL = {
    "office": "offices",
    "division": "divisions",
    "field_office": "field offices",
    "unit": "units",
    "center": "centers",
    "section": "sections",
    "branch": "branches",
    "directorate": "directorates",
    "program": "programs",
    "operation": "operations",
    "mission_area": "mission areas",
    "partner_agency": "partner agencies",
    "task_force": "task forces",
}


def count_line(kind: str, n: int) -> str:
    """``'25 field offices'``, ``'1 division'``."""
    plural = _PLURAL.get(kind, kind.replace("_", " ") + "s")
    word = plural if n != 1 else (kind.replace("_", " ") if kind in _PLURAL else plural)
    return f"{n} {word}"


def _below(V: OrgGraph, unit: Hashable) -> list[Hashable]:
    """Every node below ``unit`` in ``V`` (units by ``has_unit``, anything else they link to)."""
    seen: set[Hashable] = {unit}
    order: list[Hashable] = []
    todo = [unit]
    while todo:
        n = todo.pop()
        for v in V.successors(n):
            if v not in seen:
                seen.add(v)
                order.append(v)
                if V.nodes[v].get("category") == "unit":
                    todo.append(v)
    return order


def levels(V: OrgGraph) -> dict[Hashable, int]:
    """Each unit's level in ``V``'s hierarchy (its roots are level 0)."""
    H = hierarchy(V)
    out: dict[Hashable, int] = {}
    for r in roots(V) or list(H)[:1]:
        for n, d in nx.single_source_shortest_path_length(H, r).items():
            out.setdefault(n, d)
    return out


def collapse(V: OrgGraph, depth: int, *, pages: dict[Hashable, int] | None = None) -> OrgGraph:
    """``V`` down to ``depth`` levels of units; what lies below a unit is one box of counts.

    The box (kind :data:`SUMMARY`) reads, for instance, "7 divisions / 25 field
    offices / 6 programs"; with ``pages`` (unit -> page number) it adds "continued on
    page N". The programs and partners of the units above are counted in their own
    boxes ("runs 2 operations"): an overview draws units alone. Nothing is drawn
    twice: a node below two kept units is counted once, under the first.
    """
    lv = levels(V)
    keep = {n for n, d in lv.items() if d <= depth}
    C: OrgGraph = induced(V, keep).copy()
    counted: set[Hashable] = set(keep)
    for u in sorted((n for n, d in lv.items() if d < depth), key=list(V).index):
        attached = [v for v in V.successors(u) if V.nodes[v].get("category") != "unit" and v not in counted]
        counted.update(attached)
        if attached:
            kinds = Counter(str(V.nodes[n].get("kind", "unit")) for n in attached)
            C.nodes[u]["_more"] = ["runs " + ", ".join(count_line(k, c) for k, c in sorted(kinds.items()))]
    for u in sorted((n for n, d in lv.items() if d == depth), key=list(V).index):
        hidden = [n for n in _below(V, u) if n not in counted]
        counted.update(hidden)
        if not hidden:
            continue
        kinds = Counter(str(V.nodes[n].get("kind", "unit")) for n in hidden)
        lines = [count_line(k, c) for k, c in sorted(kinds.items(), key=lambda kc: (-kc[1], kc[0]))]
        changed = Counter(str(V.nodes[n]["_change"]) for n in hidden if V.nodes[n].get("_change"))
        if changed:  # a chart of changes says how many of the units it counts changed
            lines.append(", ".join(f"{c} {what}" for what, c in sorted(changed.items())))
        if pages and u in pages:
            lines.append(f"continued on page {pages[u]}")
        if len(hidden) <= 3 and not (pages and u in pages):  # a few: said in the unit's own box
            C.nodes[u]["_more"] = [" \u00b7 ".join(lines)]
            continue
        key = f"{u}--more"
        C.add_node(key, name="\n".join(lines), kind=SUMMARY, category="unit", _count=len(hidden))
        C.add_edge(u, key, relation="has_unit")
    return C


def without_areas(V: OrgGraph) -> OrgGraph:
    """``V`` without its mission areas (the org chart's default: they are not units)."""
    return induced(V, [n for n, a in V.nodes(data=True) if a.get("category") != "mission_area"])


def main_unit(G: OrgGraph) -> Hashable | None:
    """The unit the dataset is about (the node whose id is the dataset's id), or None."""
    stem = G.graph.get("id")
    return stem if isinstance(stem, str) and stem in G and G.nodes[stem].get("category") == "unit" else None
