"""Type aliases shared by the modules."""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    import networkx as nx

#: The organization graph: a plain networkx DiGraph keyed by node id.
OrgGraph: TypeAlias = "nx.DiGraph[Hashable]"

__all__ = ["OrgGraph"]
