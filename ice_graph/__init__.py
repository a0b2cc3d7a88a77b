"""ice_graph: the organization of U.S. Immigration and Customs Enforcement as a sourced graph.

>>> import ice_graph
>>> G = ice_graph.load()
>>> ice_graph.chain_of_command(G, "ERO")
['ice', 'dhs']
"""

from __future__ import annotations

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
from .load import bundled_data_path, load, load_dataset

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "load",
    "load_dataset",
    "bundled_data_path",
    "citations",
    "source_registry",
    "to_document",
    "IceGraphError",
    "DataError",
    "Problem",
    "UnitNotFound",
    "AmbiguousUnit",
    "RenderError",
    "GraphvizNotFound",
    "ExportError",
]
