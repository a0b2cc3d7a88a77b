"""Every public helper on arbitrary graphs: it answers, or raises one of our errors, quickly.

Random small graphs (cycles, self-loops, undirected, multigraphs, nodes and edges
with missing or strange attributes) go through every helper of ``ice_graph.__all__``
that takes the graph and a unit. None may hang, and none may raise anything but an
:class:`~ice_graph.errors.IceGraphError` subclass (issue 18).
"""

from __future__ import annotations

import inspect
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ice_graph
from ice_graph.errors import IceGraphError

#: Names the helpers give their second parameter when it is a unit, a node or a query.
UNIT_PARAMETERS = {"unit", "node", "query", "program", "area", "text", "a"}
#: Helpers of ice_graph.__all__ defined in other modules than the ones these tests cover.
NOT_HELPERS = {"load", "load_dataset", "bundled_data_path", "chart", "render"}


def _public(arity: int) -> list[str]:
    """The public functions whose first parameter is the graph and whose next ``arity - 1`` are a unit."""
    out = []
    for name in ice_graph.__all__:
        f = getattr(ice_graph, name)
        if not inspect.isfunction(f) or name in NOT_HELPERS or name.startswith(("read_", "write_")):
            continue
        params = [p for p in inspect.signature(f).parameters.values() if p.default is inspect.Parameter.empty]
        if not params or params[0].name not in ("G", "G1"):
            continue
        graph_only = arity == 1 and len(params) == 1
        graph_and_unit = arity == 2 and len(params) >= 2 and params[1].name in UNIT_PARAMETERS
        if graph_only or graph_and_unit:
            out.append(name)
    return out


UNIT_HELPERS = _public(2)
GRAPH_HELPERS = _public(1)


def test_the_helper_lists_are_complete():
    """The discovery above finds the helpers it is meant to (so a renamed parameter cannot drop one)."""
    assert {"chain_of_command", "subordinates", "subtree", "programs_of", "parent_of", "children_of"} <= set(
        UNIT_HELPERS
    )
    assert {"citations", "common_superior", "find_unit", "partners_of", "who_runs"} <= set(UNIT_HELPERS)
    assert {"summary", "centrality", "roots", "hierarchy", "events"} <= set(GRAPH_HELPERS)


class Hang(Exception):
    """Raised by the alarm: a helper took too long (deliberately not an IceGraphError)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def alarm(signum: int, frame: Any) -> None:
        raise Hang(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def answers_or_refuses(f: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Call ``f``; it must return, or raise an IceGraphError, within two seconds."""
    with time_limit(2.0), suppress(IceGraphError):
        f(*args, **kwargs)


ids = st.one_of(st.integers(0, 5), st.sampled_from(["a", "b", "A", "hq", "5"]))
node_attrs = st.fixed_dictionaries(
    {},
    optional={
        "category": st.sampled_from(["unit", "program", "partner", "mission_area", "other", 3]),
        "kind": st.sampled_from(["office", "agency", "", 7]),
        "name": st.sampled_from(["Alpha", "alpha", "", "Beta Office", 9]),
        "abbreviation": st.sampled_from(["A", "HQ", ""]),
    },
)
edge_attrs = st.fixed_dictionaries(
    {},
    optional={"relation": st.sampled_from(["has_unit", "runs", "partners_with", "responsible_for", "bogus", 1])},
)
GRAPH_TYPES = [nx.DiGraph, nx.DiGraph, nx.DiGraph, nx.Graph, nx.MultiDiGraph, nx.MultiGraph]


@st.composite
def graphs(draw: st.DrawFn) -> nx.Graph:
    """A small graph of any type: cycles and self-loops allowed, attributes missing or odd."""
    G = draw(st.sampled_from(GRAPH_TYPES))()
    for n in draw(st.lists(ids, max_size=7, unique=True)):
        G.add_node(n, **draw(node_attrs))
    nodes = list(G)
    if nodes:
        for u, v in draw(st.lists(st.tuples(st.sampled_from(nodes), st.sampled_from(nodes)), max_size=12)):
            G.add_edge(u, v, **draw(edge_attrs))
    return G


queries = st.one_of(ids, st.sampled_from(["alpha", "Beta", "nothing", "", None]))
# `make fuzz` raises the number of examples (ICE_GRAPH_FUZZ_EXAMPLES).
fuzz = settings(
    max_examples=int(os.environ.get("ICE_GRAPH_FUZZ_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.mark.parametrize("name", UNIT_HELPERS)
@fuzz
@given(G=graphs(), data=st.data())
def test_unit_helpers_answer_or_raise_our_errors(name, G, data):
    unit = data.draw(st.one_of(st.sampled_from(list(G)), queries) if len(G) else queries)
    f = getattr(ice_graph, name)
    extra = [unit] if name == "common_superior" else []
    answers_or_refuses(f, G, unit, *extra)


@pytest.mark.parametrize("name", GRAPH_HELPERS)
@fuzz
@given(G=graphs())
def test_graph_helpers_answer_or_raise_our_errors(name, G):
    answers_or_refuses(getattr(ice_graph, name), G)


@fuzz
@given(G=graphs(), data=st.data())
def test_options_answer_or_raise_our_errors(G, data):
    unit = data.draw(st.one_of(st.sampled_from(list(G)), queries) if len(G) else queries)
    depth = data.draw(st.one_of(st.none(), st.integers(-3, 3), st.just(1.5), st.just("2")))
    answers_or_refuses(ice_graph.subordinates, G, unit, depth=depth)
    answers_or_refuses(ice_graph.subtree, G, unit, depth=depth)
    answers_or_refuses(ice_graph.programs_of, G, unit, include_subunits=True)
    answers_or_refuses(ice_graph.chain_of_command, G, unit, include_self=True)
    answers_or_refuses(ice_graph.names, G, [unit])
    dates = st.sampled_from(["2010", "2010-06", "2010-13", "last tuesday", "", 2010, None])
    answers_or_refuses(ice_graph.changes, G, data.draw(dates), data.draw(dates))
    answers_or_refuses(ice_graph.as_of, G, data.draw(dates))


def test_an_undirected_graph_gets_a_timeline_in_gexf_and_a_clear_error_from_the_layouts():
    """Both read predecessors: an undirected graph raised AttributeError ('Graph' has no 'predecessors')."""
    import networkx as nx

    from ice_graph.errors import ExportError
    from ice_graph.io.gexf import generate_gexf
    from ice_graph.layout import tidy_layout, wrapped_layout

    history = nx.Graph(ice_graph.load(history=True))
    text = "".join(generate_gexf(history))  # a dynamic GEXF: undated nodes start with the timeline
    assert 'mode="dynamic"' in text and 'defaultedgetype="undirected"' in text
    U = nx.Graph(ice_graph.load())
    for make in (lambda: tidy_layout(U), lambda: wrapped_layout(U, max_width=600)):
        with pytest.raises(ExportError, match="directed graph"):
            make()
