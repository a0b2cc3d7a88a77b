"""What changed between two dates, drawn on the organization of the later one."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from .. import history
from .._types import OrgGraph
from ..dates import day
from ..errors import ExportError
from .chart import Chart, chart

__all__ = ["changes_chart"]


def changes_chart(G: OrgGraph, start: str, end: str, **options: Any) -> Chart:
    """A chart of the organization on ``end`` with what changed since ``start`` marked.

    Units and links added since ``start`` get a green outline, renamed ones an
    amber outline and their former name, and those gone by ``end`` are drawn
    dashed in red. ``G`` must hold the history (``load(history=True)``). Drawn
    with matplotlib; other options as for :func:`chart`.
    """
    a, b = history.as_of(G, start), history.as_of(G, end)
    U: OrgGraph = b.copy()
    U.graph["as_of"] = day(end)
    for n, attrs in a.nodes(data=True):
        if n not in U:
            U.add_node(n, **attrs, _change="removed")
        elif attrs.get("name") != U.nodes[n].get("name"):
            U.nodes[n]["_change"] = "renamed"
            U.nodes[n]["_was"] = attrs.get("name")
    for n in b:
        if n not in a:
            U.nodes[n]["_change"] = "added"
    placed = {v for _, v, a_ in b.edges(data=True) if a_.get("relation") == "has_unit"}
    for u, v, attrs in a.edges(data=True):
        if U.has_edge(u, v) or u not in U or v not in U:
            continue
        if attrs.get("relation") == "has_unit" and v in placed:
            _moved(U, v, a, u)  # one superior in the chart: the later one; the earlier one is named in the box
        else:
            U.add_edge(u, v, **attrs)
    title = (
        options.pop("title", None)
        or f"{G.graph.get('title', 'Organization')}: what changed, {day(start)} to {day(end)}"
    )
    options.setdefault("engine", "matplotlib")
    options.setdefault("overview_main", False)  # units gone from outside the main unit (INS, BTS) are changes too
    if options["engine"] != "matplotlib":
        raise ExportError("changes_chart draws with matplotlib only")
    return chart(U, title=title, **options)


def _moved(U: OrgGraph, n: Hashable, before: OrgGraph, superior: Hashable) -> None:
    """Mark ``n`` moved from ``superior`` (and renamed, when it was): 'was: Office of Intelligence, under ICE'."""
    boss = before.nodes[superior]
    under = f"under {boss.get('abbreviation') or boss.get('name', superior)}"
    attrs = U.nodes[n]
    if attrs.get("_change") == "removed":
        return
    attrs["_was"] = f"{attrs['_was']}, {under}" if attrs.get("_change") == "renamed" else under
    attrs["_change"] = "moved"
