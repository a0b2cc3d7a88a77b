"""ice_graph: the organization of U.S. Immigration and Customs Enforcement as a sourced graph.

>>> import ice_graph
>>> G = ice_graph.load()
>>> ice_graph.chain_of_command(G, "ERO")
['ice', 'dhs']
"""

from __future__ import annotations

from . import schema
from ._version import __version__
from .analysis import (
    centrality,
    chain_of_command,
    common_superior,
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
from .errors import (
    AmbiguousUnit,
    DataError,
    ExportError,
    GraphvizNotFound,
    IceGraphError,
    Problem,
    RenderError,
    UnitNotFound,
)
from .graph import citations, source_registry, to_document
from .history import as_of, changes, diff, events
from .load import bundled_data_path, load, load_dataset
from .render import Chart, chart, render
from .views import children_of, hierarchy, parent_of, roots, select, subtree

__all__ = [
    "__version__",
    "schema",
    "load",
    "load_dataset",
    "bundled_data_path",
    "citations",
    "source_registry",
    "to_document",
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
]
