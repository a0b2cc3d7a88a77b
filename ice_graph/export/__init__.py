"""Deprecated alias of :mod:`ice_graph.io`, kept for one release.

``ice_graph.export.graphml.read_graphml`` and the other 0.1 paths still work, and
``ice_graph.export(G, "graphml", path)`` still writes a file: the alias is callable.
New code uses :mod:`ice_graph.io`, or the top-level ``ice_graph.write_graphml``,
``ice_graph.read_graphml`` and friends.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from .. import io as _io
from ..io import *  # noqa: F403
from ..io import __all__ as _io_all
from ..io import csv, dot, gexf, graphml, json, mermaid

__all__ = list(_io_all)

for _name, _mod in {"csv": csv, "dot": dot, "gexf": gexf, "graphml": graphml, "json": json, "mermaid": mermaid}.items():
    sys.modules[f"{__name__}.{_name}"] = _mod


class _CallableModule(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> None:
        _io.export(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
