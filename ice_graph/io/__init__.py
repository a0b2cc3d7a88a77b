"""Graph files, one module per format, each owning both its reader and its writer.

Each format module has ``generate_*`` (yields the text), ``write_*`` (to a path,
atomically, to '-' for standard output, or to a file object) and, where the
format can be read back, ``read_*``. Writers are deterministic: the same graph
gives the same bytes. :func:`export` reaches a writer by name; :func:`read_document`
reads a data file (YAML or CSV) for the validator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._types import OrgGraph
from ..errors import DataError, ExportError, Problem
from ..schema import unknown
from . import csv as csv_format
from ._files import PathOrFile, write_lines
from .csv import read_csv, write_csv
from .dot import generate_dot, write_dot
from .gexf import generate_gexf, read_gexf, write_gexf
from .graphml import generate_graphml, read_graphml, write_graphml
from .json import generate_cytoscape, generate_node_link, read_node_link, write_cytoscape, write_node_link
from .mermaid import generate_mermaid, write_mermaid
from .yaml import dump_yaml, read_yaml

__all__ = [
    "EXPORT_FORMATS",
    "DATA_SUFFIXES",
    "Format",
    "export",
    "read_document",
    "read_yaml",
    "read_csv",
    "dump_yaml",
    "read_graphml",
    "read_gexf",
    "read_node_link",
    "read_json",
    "write_graphml",
    "write_gexf",
    "write_node_link",
    "write_json",
    "write_cytoscape",
    "write_csv",
    "write_dot",
    "write_mermaid",
]

read_json = read_node_link
write_json = write_node_link


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
            "dataset-csv",
            "dataset.csv",
            csv_format.generate_dataset_csv,
            "the dataset's id, title, date and license, beside nodes.csv (so the folder loads back whole)",
        ),
        Format(
            "mermaid", "{id}-hierarchy.mmd", generate_mermaid, "Markdown on GitHub (```mermaid blocks), mermaid.live"
        ),
        Format("dot", "{id}.dot", generate_dot, "Graphviz (dot -Tsvg), and any DOT viewer"),
    )
}

#: Data file suffixes :func:`read_document` reads.
DATA_SUFFIXES = (".yaml", ".yml", ".csv")


def export(G: OrgGraph, fmt: str, path: PathOrFile, **options: Any) -> None:
    """Write ``G`` in the format named ``fmt`` (see :data:`EXPORT_FORMATS`)."""
    try:
        f = EXPORT_FORMATS[fmt]
    except KeyError:
        raise ExportError(unknown("export format", fmt, EXPORT_FORMATS)) from None
    if isinstance(path, (str, Path)) and str(path) != "-" and Path(path).is_dir():
        path = Path(path) / f.filename.format(id=G.graph.get("id", "graph"))
    write_lines(path, f.generate(G, **options))


def read_document(path: str | Path) -> dict[str, Any]:
    """Read a YAML or CSV data file (or a folder of CSV files) into a document for the validator."""
    p = Path(path)
    if p.is_dir() or p.suffix.lower() == ".csv":
        return read_csv(p)
    if p.suffix.lower() in (".yaml", ".yml"):
        return read_yaml(p)
    if not p.exists():
        raise DataError([Problem(str(p), 0, "", "not found (expected a data file or a folder of CSV files)")])
    if p.suffix.lower() in (".graphml", ".gexf", ".json", ".xlsx"):
        why = f"a {p.suffix} file is not a document of sourced records: ice_graph.load() reads it as a graph"
        raise DataError([Problem(str(p), 0, "", why)])
    raise DataError(
        [
            Problem(
                str(p),
                0,
                "",
                f"unknown data file type {p.suffix!r} (expected .yaml, .yml, .csv, .tsv, .txt, .xlsx, .graphml, "
                ".gexf, .json or a folder of CSV files)",
            )
        ]
    )
