"""The rules a document must follow, checked all at once.

:func:`validate` takes a document (as :mod:`ice_graph.io.yaml` or :mod:`ice_graph.io.csv`
reads it) and returns a :class:`~ice_graph.model.Dataset`: the same facts, checked and
normalised (the ``parent`` fields turned into ``has_unit`` relations). It raises one
:class:`~ice_graph.errors.DataError` listing every problem, each with its file, line,
record and bad value.

One module per rule group: :mod:`.meta` (top level and dataset), :mod:`.sources`,
:mod:`.nodes`, :mod:`.relations` (and the hierarchy), :mod:`.events`; the generic
checks live in :mod:`._checker`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import DataError, Problem
from ..model import Dataset
from ._checker import Checker
from .events import check_events
from .meta import check_meta, check_top_level
from .nodes import check_nodes
from .relations import check_relations
from .sources import check_sources

__all__ = ["validate"]


def validate(doc: Mapping[str, Any], *, file: str = "<data>", problems: Iterable[Problem] = ()) -> Dataset:
    """Check every rule on ``doc``; return the checked Dataset or raise DataError.

    ``problems`` are problems found while reading the file (a CSV reader's bad rows),
    reported together with the rules' own. A reader may also attach them to the
    document object as its ``read_problems`` attribute, which no data file can set,
    and the columns each CSV file lacks as ``missing_columns`` (file -> names; each
    is then reported once for its file instead of once per row).
    """
    chk = Checker(file)
    chk.problems.extend(problems)
    chk.problems.extend(getattr(doc, "read_problems", ()))
    chk.missing_columns = getattr(doc, "missing_columns", {})
    check_top_level(doc, chk)
    meta = check_meta(doc, chk)
    chk.set_sources(check_sources(doc, chk))
    facts = check_nodes(doc, chk)
    chk.set_ids(facts.lines)
    edges = check_relations(doc, facts, chk)
    events = check_events(doc, chk)
    if chk.problems:
        raise DataError(chk.problems)
    return Dataset(meta=meta, sources=dict(chk.sources), nodes=facts.nodes, edges=edges, events=events)
