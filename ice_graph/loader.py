"""Load a data file (the bundled ICE data by default) into a checked graph."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from ._types import OrgGraph
from .codec import build_graph
from .io import read_document
from .model import Dataset
from .validate import validate

__all__ = ["load", "load_dataset", "bundled_data_path"]

BUNDLED_NAME = "ice.yaml"


def bundled_data_path() -> Path:
    """Path of the bundled ICE data file.

    Read through :mod:`importlib.resources` (the file ships in the package as
    ``ice_graph/data/ice.yaml``); an editable install of a checkout, where that
    mapping does not exist, reads ``data/ice.yaml`` of the checkout instead.
    """
    try:
        resource = importlib.resources.files("ice_graph.data").joinpath(BUNDLED_NAME)
        if resource.is_file():
            return Path(str(resource))
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / "data" / BUNDLED_NAME


def load_dataset(path: str | Path | None = None) -> Dataset:
    """Read and check a data file; return the checked records (raises DataError)."""
    p = Path(path) if path is not None else bundled_data_path()
    doc = read_document(p)
    return validate(doc, file=str(p) if path is not None else f"data/{BUNDLED_NAME}")


def load(path: str | Path | None = None, *, history: bool = False) -> OrgGraph:
    """Load the bundled ICE data, or the YAML or CSV data at ``path``, as a graph.

    The graph shows the organization on the data's own date (``G.graph["date"]``);
    ``history=True`` keeps every dated fact (former units, former names, ended
    relations) for :func:`~ice_graph.as_of` and :func:`~ice_graph.changes`.
    Raises :class:`~ice_graph.errors.DataError` listing every problem in the file.

    >>> import ice_graph
    >>> G = ice_graph.load()
    >>> G.nodes["ero"]["name"]
    'Enforcement and Removal Operations'
    """
    G = build_graph(load_dataset(path))
    if history:
        return G
    from .history import as_of

    return as_of(G, G.graph["date"]) if G.graph.get("date") else G
