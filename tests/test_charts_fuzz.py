"""Property test: any small graph with hostile names gives a well-formed chart, or one of our errors.

Random graphs mix known and unknown kinds, missing categories and relations, cycles
and self-loops, int and str ids, and names full of ``$``, backslashes, markup and
control characters. Every chart is PNG, SVG (which must parse as XML) and PDF
bytes, or an :class:`~ice_graph.errors.IceGraphError`; never another exception.
``ICE_GRAPH_FUZZ_EXAMPLES`` raises the number of examples (as ``make fuzz`` does).
"""

from __future__ import annotations

import contextlib
import os
import xml.etree.ElementTree as ET
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ice_graph
from ice_graph.errors import IceGraphError
from ice_graph.schema import CATEGORIES, KINDS, RELATIONS

EXAMPLES = int(os.environ.get("ICE_GRAPH_FUZZ_EXAMPLES", "25"))
fuzz = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HOSTILE = "$\\^_{}<>&\"'%#|;:\n\r\t\x00\x01\x08\x0b\x0c\x1b\x7f\u0085\u2028\u200b\ufeffé漢🙂 aA1"
texts = st.text(alphabet=st.sampled_from(HOSTILE) | st.characters(), max_size=40)
ids = st.integers(0, 6) | st.sampled_from(["a", "b", "legend", "node", "a b", "x-1", "1.5"])


@st.composite
def graphs(draw: Any) -> nx.DiGraph:
    """A small directed graph whose attributes may be anything a foreign file holds."""
    G = nx.DiGraph()
    if draw(st.booleans()):
        G.graph["title"] = draw(texts)
    if draw(st.booleans()):
        G.graph["date"] = "2024-01-01"
    for n in draw(st.lists(ids, min_size=1, max_size=7, unique=True)):
        attrs: dict[str, Any] = {}
        kind = draw(st.none() | st.sampled_from([*KINDS, "bogus", ""]))
        if kind is not None:
            attrs["kind"] = kind
        category = draw(st.none() | st.sampled_from([*CATEGORIES, "bogus"]))
        if category is not None:
            attrs["category"] = category
        for key in ("name", "abbreviation"):
            if draw(st.booleans()):
                attrs[key] = draw(texts)
        G.add_node(n, **attrs)
    nodes = list(G)
    for u, v in draw(st.lists(st.tuples(st.sampled_from(nodes), st.sampled_from(nodes)), max_size=10)):
        relation = draw(st.none() | st.sampled_from([*RELATIONS, "bogus"]))
        G.add_edge(u, v, **({} if relation is None else {"relation": relation}))
    return G


def _check(c: ice_graph.Chart, fmt: str) -> None:
    data = c.to_bytes(fmt)
    if fmt == "svg":
        ET.fromstring(data)
    else:
        assert data[:4] == {"png": b"\x89PNG", "pdf": b"%PDF"}[fmt]


@fuzz
@given(G=graphs(), fmt=st.sampled_from(["png", "svg", "pdf"]))
def test_matplotlib_charts_of_any_graph(G: nx.DiGraph, fmt: str) -> None:
    with contextlib.suppress(IceGraphError):
        _check(ice_graph.chart(G, engine="matplotlib", dpi=40), fmt)


@pytest.mark.dot
@settings(max_examples=max(EXAMPLES // 2, 5), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(G=graphs(), fmt=st.sampled_from(["png", "svg", "pdf"]))
def test_graphviz_charts_of_any_graph(G: nx.DiGraph, fmt: str) -> None:
    try:
        _check(ice_graph.chart(G, engine="graphviz", dpi=40), fmt)
    except IceGraphError as exc:
        assert "'dot' failed" not in str(exc)  # our DOT text must always be valid


@pytest.mark.dot
def test_graphviz_label_of_a_lone_bracket() -> None:
    """Found by the fuzz: Graphviz rejected the HTML label <]> (fixed in io/dot.py)."""
    G = nx.DiGraph()
    G.add_node("a", kind="agency", category="unit", name="]")
    _check(ice_graph.chart(G, engine="graphviz"), "svg")
