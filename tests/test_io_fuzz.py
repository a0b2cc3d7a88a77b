"""Property tests: random graphs with awkward ids, attribute names and values survive GraphML, GEXF and JSON."""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ice_graph.io import export, read_gexf, read_graphml, read_node_link

from .test_export_files import _validate_gexf, _validate_graphml, needs_schemas

# Text XML 1.0 can carry (no C0 controls but tab, newline and CR; no surrogates or U+FFFE/U+FFFF).
_XML_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff").filter(
        lambda c: c in "\t\n\r" or ord(c) >= 32
    ),
    max_size=12,
)
_IDS = st.one_of(_XML_TEXT, st.integers(-(2**63), 2**63 - 1))
_VALUES = st.sampled_from(
    [
        st.integers(-(2**63), 2**63 - 1),
        st.floats(allow_nan=False, width=64),
        st.booleans(),
        _XML_TEXT,
    ]
)


@st.composite
def graphs(draw: st.DrawFn) -> nx.DiGraph:
    """A random DiGraph; each attribute name has one value type, as a column does."""
    nodes = draw(st.lists(_IDS, min_size=1, max_size=6, unique_by=lambda n: (type(n), n)))
    G = nx.DiGraph()
    G.add_nodes_from(nodes)
    for u, v in draw(st.lists(st.tuples(st.sampled_from(nodes), st.sampled_from(nodes)), max_size=8)):
        G.add_edge(u, v)
    for items in (list(G.nodes.values()), [G.edges[e] for e in G.edges]):
        for name, values in draw(st.dictionaries(_XML_TEXT, _VALUES, max_size=4)).items():
            for attrs in items:
                if draw(st.booleans()):
                    attrs[name] = draw(values)
    return G


def _same(G: nx.DiGraph, back: nx.DiGraph, node: object = lambda n: n) -> None:
    assert {node(n) for n in G} == set(back)  # type: ignore[operator]
    assert {(node(u), node(v)) for u, v in G.edges} == set(back.edges)  # type: ignore[operator]
    for n in G:
        got = back.nodes[node(n)]  # type: ignore[operator]
        assert {k: (type(v), v) for k, v in G.nodes[n].items()} == {k: (type(v), v) for k, v in got.items()}
    for u, v in G.edges:
        got = back.edges[node(u), node(v)]  # type: ignore[operator]
        assert {k: (type(x), x) for k, x in G.edges[u, v].items()} == {k: (type(x), x) for k, x in got.items()}


# `make fuzz` raises the number of examples (ICE_GRAPH_FUZZ_EXAMPLES).
_SETTINGS = settings(
    max_examples=int(os.environ.get("ICE_GRAPH_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@needs_schemas
@_SETTINGS
@given(G=graphs())
def test_graphml_round_trip_of_random_graphs(tmp_path: Path, G: nx.DiGraph) -> None:
    path = tmp_path / "g.graphml"
    export(G, "graphml", path)
    _validate_graphml(path)
    _same(G, read_graphml(path))


@_SETTINGS
@given(G=graphs())
def test_json_round_trip_of_random_graphs(tmp_path: Path, G: nx.DiGraph) -> None:
    path = tmp_path / "g.json"
    export(G, "json", path)
    _same(G, read_node_link(path))


@needs_schemas
@_SETTINGS
@given(G=graphs())
def test_gexf_of_random_graphs_is_valid_and_reads_back(tmp_path: Path, G: nx.DiGraph) -> None:
    path = tmp_path / "g.gexf"
    export(G, "gexf", path)
    _validate_gexf(path)
    back = read_gexf(path)
    assert len(back) == len(G) and back.number_of_edges() == G.number_of_edges()
