"""Load a data file (the bundled ICE data by default) into a checked graph."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from ._collector import collector_paused
from ._types import OrgGraph
from .codec import build_graph
from .convert import from_networkx, from_rows
from .errors import ArgumentError, DataError, Problem
from .io import read_document, read_gexf, read_graphml, read_node_link
from .io.csv import _csv_siblings, is_native, read_table
from .model import Dataset
from .progress import Progress
from .validate import validate

__all__ = ["load", "load_dataset", "bundled_data_path", "GRAPH_SUFFIXES", "PLAIN_SUFFIXES"]

#: Graph files of other tools, mapped to our conventions by :func:`ice_graph.from_networkx`.
GRAPH_SUFFIXES = (".graphml", ".gexf", ".json")
#: Tables as people write them (any CSV that is not in our sourced form, and Excel workbooks).
PLAIN_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")

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
    if not p.exists():
        raise _not_found(p)
    with collector_paused():
        doc = read_document(p)
        records = sum(len(v) for k in ("nodes", "relations", "events") if isinstance(v := doc.get(k), list))
        with Progress(records, label="Checking"):
            return validate(doc, file=str(p) if path is not None else f"data/{BUNDLED_NAME}")


def _not_found(p: Path) -> DataError:
    return DataError([Problem(str(p), 0, "", "not found (expected a data file or a folder of CSV files)")])


def _dataset_source(units: Path) -> str:
    """The one source of a plain table's ``sources.csv`` (a dataset-level source), or ""."""
    sources = _csv_siblings(units)[2]
    if not sources.is_file():
        return ""
    header, rows = read_table(sources)
    if not rows:
        return ""
    if len(rows) > 1:
        raise DataError(
            [
                Problem(
                    str(sources),
                    0,
                    "",
                    f"{len(rows)} sources, but the rows cite none: a table without 'source' and 'quote' columns "
                    "takes one source for all its facts (the dataset's)",
                )
            ]
        )
    cells = dict(zip((h.casefold() for h in header), rows[0][1], strict=False))
    return " ".join(c for c in (cells.get("title", ""), cells.get("url", "")) if c) or cells.get("id", "")


def _yed_labels(p: Path, G: OrgGraph) -> OrgGraph:
    """yEd keeps a node's label inside its graphics (``y:NodeLabel``): NetworkX's reader finds it.

    Our reader has already refused unsafe XML (DTDs, entities) before NetworkX's reads the file.
    """
    if b"yfiles.type" not in p.read_bytes()[:65536]:
        return G
    import networkx as nx

    for n, label in nx.read_graphml(p).nodes(data="label"):
        if label and n in G:
            G.nodes[n]["label"] = label
    return G


def load_other(path: str | Path, *, strict: bool = False, source: str = "", date: str = "") -> OrgGraph | None:
    """Other people's data at ``path`` as a graph, or None when it is data in our own sourced form.

    A plain table (CSV, ``.xlsx``) is read with :func:`ice_graph.convert.from_rows`; a
    GraphML, GEXF or node-link JSON file with :func:`ice_graph.from_networkx`.
    """
    p = Path(path)
    if date:
        from .dates import is_date

        if not is_date(date):
            raise ArgumentError(f"date {date!r} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    if not p.exists():
        raise _not_found(p)
    suffix = p.suffix.casefold()
    if p.is_dir() or suffix in (".csv", ".tsv", ".txt"):
        units = _csv_siblings(p)[0]
        if not units.exists():
            raise _not_found(units)
        if (p.is_dir() or suffix == ".csv") and is_native(p):
            return None
        header, rows = read_table(units)
        own = source or _dataset_source(units)
        return from_rows(header, rows, file=str(units), date=date, source=own, strict=strict)
    if suffix == ".xlsx":
        from .io.xlsx import read_xlsx_table

        header, rows = read_xlsx_table(p)
        return from_rows(header, rows, file=str(p), date=date, source=source, strict=strict)
    if suffix in GRAPH_SUFFIXES:
        if suffix == ".graphml":
            G = _yed_labels(p, read_graphml(p, keep_display=True))
            return from_networkx(
                G, date=date, source=source, strict=strict, file=str(p), title=str(G.graph.get("title") or p.stem)
            )
        G = (
            read_graphml(p, keep_display=True)
            if suffix == ".graphml"
            else (read_gexf(p) if suffix == ".gexf" else read_node_link(p))
        )
        return from_networkx(
            G, date=date, source=source, strict=strict, file=str(p), title=str(G.graph.get("title") or p.stem)
        )
    return None


def load(
    path: str | Path | None = None,
    *,
    history: bool = False,
    strict: bool = False,
    source: str = "",
    date: str = "",
) -> OrgGraph:
    """Load the bundled ICE data, or the data at ``path``, as a graph.

    ``path`` may be YAML or CSV in this project's sourced form (checked by every rule),
    or other people's data: a plain spreadsheet (CSV, ``.xlsx``), GraphML, GEXF or
    node-link JSON. Other data may be unsourced (``G.graph["unsourced"]`` counts the
    facts without a source); ``strict=True`` refuses that, ``source`` cites one
    dataset-level source for every fact, and ``date`` sets the data's date.

    The graph shows the organization on the data's own date (``G.graph["date"]``);
    ``history=True`` keeps every dated fact (former units, former names, ended
    relations) for :func:`~ice_graph.as_of` and :func:`~ice_graph.changes`.
    Raises :class:`~ice_graph.errors.DataError` listing every problem in the file.

    >>> import ice_graph
    >>> G = ice_graph.load()
    >>> G.nodes["ero"]["name"]
    'Enforcement and Removal Operations'
    """
    if path is not None:
        with collector_paused():  # as for our own files: 10^5 rows and their attribute dicts all live on
            other = load_other(path, strict=strict, source=source, date=date)
        if other is not None:
            return other
    from .history import cut_in_place

    # One pause from reading to the snapshot, and the checked dataset (10^6 objects at
    # 100,000 units) dropped as soon as the graph is built, inside it: the collector's
    # first pass when it runs again walks every object then alive (it walked the dataset
    # twice before: between checking and building, and on leaving with the graph).
    with collector_paused():
        G = build_graph(load_dataset(path))
        if history or not G.graph.get("date"):
            return G
        # G is ours and goes no further: the snapshot is cut from it instead of copied.
        return cut_in_place(G, G.graph["date"])
