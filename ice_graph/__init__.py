"""ice_graph: the organization of U.S. Immigration and Customs Enforcement as a sourced graph.

>>> import ice_graph
>>> G = ice_graph.load()
>>> ice_graph.chain_of_command(G, "ERO")
['ice', 'dhs']
"""

from __future__ import annotations

from . import export, schema
from ._version import __version__
from .analysis import (
    centrality,
    chain_of_command,
    citations,
    common_superior,
    covering,
    direct_reports,
    find_node,
    find_unit,
    names,
    partners_of,
    programs_of,
    responsible_for,
    search,
    span_of_control,
    subordinates,
    summary,
    to_dataframes,
    who_runs,
)
from .charts import Chart, chart, render
from .codec import source_registry, to_document
from .convert import from_networkx
from .errors import (
    AmbiguousUnit,
    ArgumentError,
    DataError,
    ExportError,
    GraphvizNotFound,
    IceGraphError,
    Problem,
    RenderError,
    UnitNotFound,
)
from .history import as_of, changes, diff, events
from .io import (
    EXPORT_FORMATS,
    read_gexf,
    read_graphml,
    read_json,
    read_node_link,
    write_csv,
    write_cytoscape,
    write_dot,
    write_gexf,
    write_graphml,
    write_json,
    write_mermaid,
)
from .loader import bundled_data_path, load, load_dataset
from .views import children_of, hierarchy, parent_of, roots, select, subtree

__all__ = [
    "__version__",
    "schema",
    "load",
    "load_dataset",
    "bundled_data_path",
    "from_networkx",
    "citations",
    "source_registry",
    "to_document",
    "EXPORT_FORMATS",
    "export",
    "read_graphml",
    "read_gexf",
    "read_json",
    "read_node_link",
    "write_graphml",
    "write_gexf",
    "write_json",
    "write_cytoscape",
    "write_csv",
    "write_dot",
    "write_mermaid",
    "as_of",
    "changes",
    "diff",
    "events",
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
    "centrality",
    "to_dataframes",
    "hierarchy",
    "subtree",
    "select",
    "parent_of",
    "children_of",
    "roots",
    "chart",
    "render",
    "Chart",
    "IceGraphError",
    "DataError",
    "Problem",
    "UnitNotFound",
    "AmbiguousUnit",
    "RenderError",
    "GraphvizNotFound",
    "ExportError",
    "ArgumentError",
]
