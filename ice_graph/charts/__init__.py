"""Org-chart images: Graphviz when ``dot`` is installed, matplotlib otherwise.

:func:`chart` returns a :class:`Chart` (shown inline in Jupyter); :func:`render`
also writes it to a file. Both take the same options for what to draw: the whole
graph or the hierarchy alone, a branch (``root``, ``depth``), relations and kinds,
direction, theme, size and resolution.

Modules: :mod:`.select` (what a chart shows), :mod:`.graphviz` (DOT and the ``dot``
process), :mod:`.mpl` (the matplotlib drawing), :mod:`.changes` (what changed
between two dates), :mod:`.chart` (the :class:`Chart` object, Jupyter display).
"""

from __future__ import annotations

from .changes import changes_chart
from .chart import ENGINES, FORMATS, Chart, chart, render
from .graphviz import graphviz_available
from .html import generate_html, write_html
from .select import MAX_CHART_NODES, chart_view

__all__ = [
    "Chart",
    "chart",
    "render",
    "changes_chart",
    "generate_html",
    "write_html",
    "chart_view",
    "graphviz_available",
    "ENGINES",
    "FORMATS",
    "MAX_CHART_NODES",
]
