"""Finding nodes by id, name or abbreviation, in graphs of ours and foreign ones."""

from __future__ import annotations

import networkx as nx
import pytest

import ice_graph as ig
from ice_graph.errors import DataError, UnitNotFound


def test_int_ids_are_found_as_ints_and_as_text():
    G = nx.balanced_tree(2, 2, create_using=nx.DiGraph)
    assert ig.find_unit(G, 5) == 5 and ig.find_unit(G, "5") == 5
    assert ig.find_node(G, "6") == 6 and ig.search(G, "4") == [4]
    with pytest.raises(UnitNotFound, match="no unit matches '7'"):
        ig.find_unit(G, 7)


def test_names_of_unknown_ids_is_our_error(tiny):
    assert ig.names(tiny, ["ops", "top"]) == ["Operations", "Department of Tiny Things"]
    with pytest.raises(UnitNotFound, match="no node matches 'nope'"):
        ig.names(tiny, ["ops", "nope"])


def test_citations_take_names(tiny):
    """Issue 12 #17: citations accepts names and abbreviations, for a node and for an edge."""
    by_id = ig.citations(tiny, "ops")
    assert by_id and ig.citations(tiny, "Operations") == by_id and ig.citations(tiny, "ops directorate") == by_id
    edge = ig.citations(tiny, "Operations", "Operation Clean")
    assert [c["quote"] for c in edge] == ["Operations runs Operation Clean."]
    with pytest.raises(UnitNotFound, match="no edge 'op-clean' -> 'ops'"):
        ig.citations(tiny, "Operation Clean", "Operations")


def test_lookup_refuses_undirected_graphs():
    with pytest.raises(DataError, match="undirected"):
        ig.find_unit(nx.path_graph(3), 1)
