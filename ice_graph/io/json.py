"""JSON: NetworkX node-link data, and Cytoscape.js elements, with every attribute."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import networkx as nx

from .._types import OrgGraph
from ._common import display
from ._files import PathOrFile, write_lines

__all__ = [
    "node_link",
    "cytoscape",
    "generate_node_link",
    "generate_cytoscape",
    "write_node_link",
    "write_cytoscape",
    "read_node_link",
]


def node_link(G: OrgGraph) -> dict[str, Any]:
    """NetworkX node-link data (``nx.node_link_graph`` reads it back)."""
    data: dict[str, Any] = nx.node_link_data(G, edges="edges")
    return data


def cytoscape(G: OrgGraph) -> dict[str, Any]:
    """Cytoscape.js elements JSON, with the org-chart positions and a class per kind."""
    disp = display(G)
    nodes = []
    for n, a in G.nodes(data=True):
        d = disp[n]
        nodes.append(
            {
                "data": {"id": str(n), "label": d["label"], **a},
                "position": {"x": d["x"], "y": -d["y"]},
                "classes": " ".join(str(a.get(k, "")) for k in ("category", "kind") if a.get(k)),
            }
        )
    edges = [
        {"data": {"id": f"e{i}", "source": str(u), "target": str(v), **a}, "classes": str(a.get("relation", ""))}
        for i, (u, v, a) in enumerate(G.edges(data=True))
    ]
    return {"data": dict(G.graph), "directed": True, "elements": {"nodes": nodes, "edges": edges}}


def _dump(data: Any) -> Iterator[str]:
    yield json.dumps(data, ensure_ascii=False, indent=2, default=str)
    yield "\n"


def generate_node_link(G: OrgGraph) -> Iterator[str]:
    yield from _dump(node_link(G))


def generate_cytoscape(G: OrgGraph) -> Iterator[str]:
    yield from _dump(cytoscape(G))


def write_node_link(G: OrgGraph, path: PathOrFile) -> None:
    """Write node-link JSON to a path (atomically), '-' or a file object."""
    write_lines(path, generate_node_link(G))


def write_cytoscape(G: OrgGraph, path: PathOrFile) -> None:
    """Write Cytoscape.js JSON to a path (atomically), '-' or a file object."""
    write_lines(path, generate_cytoscape(G))


def read_node_link(path: Any) -> OrgGraph:
    """Read node-link JSON written by :func:`write_node_link`."""
    with open(path, encoding="utf-8") as fh:
        G = nx.node_link_graph(json.load(fh), edges="edges", directed=True)
    assert isinstance(G, nx.DiGraph)
    return G
