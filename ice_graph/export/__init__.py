"""Graph files, one module per format, and :func:`export` to reach them by name.

Each module has ``generate_*`` (yields the text) and ``write_*`` (to a path,
atomically, to '-' for standard output, or to a file object); writers are
deterministic: the same graph gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._io import PathOrFile, write_lines
from .._types import OrgGraph
from ..errors import ExportError
from ..schema import unknown
from . import csv as csv_format
from .dot import generate_dot
from .gexf import generate_gexf, read_gexf
from .graphml import generate_graphml, read_graphml
from .json import generate_cytoscape, generate_node_link, read_node_link
from .mermaid import generate_mermaid

__all__ = ["EXPORT_FORMATS", "Format", "export", "read_graphml", "read_gexf", "read_node_link"]


@dataclass(frozen=True)
class Format:
    name: str
    filename: str
    generate: Callable[..., Iterator[str]]
    opens_with: str


EXPORT_FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("graphml", "{id}.graphml", generate_graphml, "Gephi, yEd, Cytoscape, igraph, NetworkX (read_graphml)"),
        Format("gexf", "{id}.gexf", generate_gexf, "Gephi (colors, positions and sizes already set)"),
        Format("json", "{id}.node-link.json", generate_node_link, "NetworkX (node_link_graph), D3 and other scripts"),
        Format("cytoscape", "{id}.cytoscape.json", generate_cytoscape, "Cytoscape.js and Cytoscape desktop"),
        Format(
            "nodes-csv", "nodes.csv", csv_format.generate_nodes_csv, "spreadsheets, pandas, Gephi and Kumu importers"
        ),
        Format(
            "edges-csv", "edges.csv", csv_format.generate_edges_csv, "spreadsheets, pandas, Gephi and Kumu importers"
        ),
        Format(
            "sources-csv",
            "sources.csv",
            csv_format.generate_sources_csv,
            "the source registry, beside nodes.csv and edges.csv",
        ),
        Format(
            "mermaid", "{id}-hierarchy.mmd", generate_mermaid, "Markdown on GitHub (```mermaid blocks), mermaid.live"
        ),
        Format("dot", "{id}.dot", generate_dot, "Graphviz (dot -Tsvg), and any DOT viewer"),
    )
}


def export(G: OrgGraph, fmt: str, path: PathOrFile, **options: Any) -> None:
    """Write ``G`` in the format named ``fmt`` (see :data:`EXPORT_FORMATS`)."""
    try:
        f = EXPORT_FORMATS[fmt]
    except KeyError:
        raise ExportError(unknown("export format", fmt, EXPORT_FORMATS)) from None
    if isinstance(path, (str, Path)) and str(path) != "-" and Path(path).is_dir():
        path = Path(path) / f.filename.format(id=G.graph.get("id", "graph"))
    write_lines(path, f.generate(G, **options))
