"""Views and the graph rules every helper shares: the entry check, cycles, foreign graphs."""

from __future__ import annotations

import networkx as nx
import pytest

import ice_graph as ig
from ice_graph.errors import ArgumentError, DataError, UnitNotFound
from ice_graph.views import check_graph

CYCLE_HELPERS = [
    lambda G: ig.subordinates(G, "a"),
    lambda G: ig.subtree(G, "a"),
    lambda G: ig.programs_of(G, "a", include_subunits=True),
    lambda G: ig.chain_of_command(G, "a"),
    lambda G: ig.summary(G),
]


def _cycle() -> nx.DiGraph:
    """a -> b -> a as read from a GraphML file: two units, each the other's superior."""
    G = nx.DiGraph()
    G.add_node("a", category="unit", kind="office", name="A")
    G.add_node("b", category="unit", kind="office", name="B")
    G.add_edge("a", "b", relation="has_unit")
    G.add_edge("b", "a", relation="has_unit")
    return G


@pytest.mark.parametrize("call", CYCLE_HELPERS)
def test_a_cycle_is_named_not_followed_for_ever(call):
    with pytest.raises(DataError, match=r"the hierarchy has a cycle: '(a|b)' -> '(a|b)' -> '(a|b)'"):
        call(_cycle())


def test_a_cycle_below_a_root_is_named():
    G = _cycle()
    G.add_node("top", category="unit", kind="agency", name="Top")
    G.add_edge("top", "a", relation="has_unit")
    with pytest.raises(DataError, match="cycle: 'a' -> 'b' -> 'a'"):
        ig.subordinates(G, "top")
    with pytest.raises(DataError, match="cycle"):
        ig.summary(G)


def test_a_self_loop_is_a_cycle():
    G = nx.DiGraph()
    G.add_edge("a", "a", relation="has_unit")
    with pytest.raises(DataError, match="cycle: 'a' -> 'a'"):
        ig.subordinates(G, "a")
    with pytest.raises(DataError, match="cycle: 'a' -> 'a'"):
        ig.chain_of_command(G, "a")


def test_two_superiors_are_not_a_cycle():
    G = nx.DiGraph([("top", "x"), ("top", "y"), ("x", "z"), ("y", "z")])
    assert ig.subordinates(G, "top") == ["x", "y", "z"]  # z once


@pytest.mark.parametrize(
    ("graph", "message"),
    [
        (nx.Graph([(1, 2)]), "got an undirected Graph"),
        (nx.MultiDiGraph([(1, 2)]), "got a MultiDiGraph"),
        (nx.MultiGraph([(1, 2)]), "got a MultiGraph"),
        ({"a": "b"}, "expected a networkx DiGraph, got dict"),
    ],
)
def test_graphs_the_helpers_cannot_use_are_refused(graph, message):
    with pytest.raises(DataError, match=message):
        check_graph(graph)
    for call in (lambda G: ig.chain_of_command(G, 1), lambda G: ig.summary(G), lambda G: ig.roots(G)):
        with pytest.raises(DataError, match=message):
            call(graph)


def test_a_foreign_tree_is_a_hierarchy():
    """No relation and no category anywhere: every edge is the hierarchy and every node a unit."""
    T = nx.balanced_tree(3, 3, create_using=nx.DiGraph)  # 0 -> 1, 2, 3; 1 -> 4, 5, 6 ...
    assert ig.chain_of_command(T, 5) == [1, 0]
    assert ig.chain_of_command(T, "5") == [1, 0]  # found by its id as text too
    assert ig.parent_of(T, 5) == 1 and ig.children_of(T, 1) == [4, 5, 6]
    assert ig.roots(T) == [0] and ig.subordinates(T, 1) == [4, 5, 6, 13, 14, 15, 16, 17, 18, 19, 20, 21]
    s = ig.summary(T)
    assert s["units"] == 40 and s["levels"] == 4 and s["units_per_kind"] == {"unit": 40}
    assert s["widest_unit"] == {"unit": 0, "span": 3} and s["deepest_branch"] == [0, 1, 4, 13]
    assert ig.common_superior(T, 13, 20) == 1 and ig.span_of_control(T, "0") == 3
    assert len(ig.hierarchy(T)) == 40 and len(ig.subtree(T, 2, depth=1)) == 4


def test_an_edge_without_relation_is_not_hierarchy_when_others_have_one():
    G = nx.DiGraph()
    G.add_edge("top", "a", relation="has_unit")
    G.add_edge("a", "b")  # no relation, in a graph whose edges have them
    assert ig.subordinates(G, "top") == ["a"]
    assert ig.parent_of(G, "b") is None


def test_nodes_without_category_or_kind():
    G = nx.DiGraph()
    G.add_edge("hq", "field", relation="has_unit")
    G.add_edge("hq", "op", relation="runs")
    G.nodes["op"].update(category="program", name="Operation")
    assert ig.find_unit(G, "field") == "field"  # a unit by its hierarchy edge
    assert ig.programs_of(G, "hq") == ["op"]
    assert ig.summary(G)["units_per_kind"] == {"unit": 2}
    with pytest.raises(UnitNotFound):
        ig.find_unit(G, "op")  # a program is not a unit


@pytest.mark.parametrize("depth", [-1, 1.5, "2", True])
def test_bad_depth_is_our_error(tiny, depth):
    with pytest.raises(ArgumentError, match="depth: expected a whole number of levels, 0 or more"):
        ig.subtree(tiny, "ops", depth=depth)
    with pytest.raises(ArgumentError, match="depth"):
        ig.subordinates(tiny, "ops", depth=depth)


def test_parent_and_children_take_names(tiny):
    """Issue 12 #17: like every helper, these accept a name or an abbreviation."""
    assert ig.parent_of(tiny, "Operations") == "agency" and ig.parent_of(tiny, "TA") == "top"
    assert ig.children_of(tiny, "Tiny Agency") == ["ops", "legal"]
    with pytest.raises(UnitNotFound, match="no unit matches 'Operatoins'"):
        ig.children_of(tiny, "Operatoins")
