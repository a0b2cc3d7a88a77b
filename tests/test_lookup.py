"""Finding nodes by id, name or abbreviation, in graphs of ours and foreign ones."""

from __future__ import annotations

import networkx as nx
import pytest

import ice_graph
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


# -- issue 14: lookups never guess silently ----------------------------------------------------
def test_homeland_security_is_ambiguous_not_hsi():
    G = ice_graph.load()
    with pytest.raises(ice_graph.AmbiguousUnit) as info:
        ice_graph.find_unit(G, "homeland security")
    assert {"dhs", "hsi"} <= set(info.value.candidates)
    assert "'dhs' (U.S. Department of Homeland Security)" in str(info.value)


def test_national_security_lists_the_units_with_names():
    with pytest.raises(ice_graph.AmbiguousUnit, match=r"'hsi-national-security-unit' \(National Security Unit\)"):
        ice_graph.find_unit(ice_graph.load(), "national security")


def test_a_single_partial_match_resolves_and_says_it_was_partial():
    from ice_graph.lookup import resolve

    G = ice_graph.load()
    assert resolve(G, "Homeland Security Investigations") == ("hsi", True)
    node, exact = resolve(G, "Forensic Lab")
    assert node == "hsi-forensic-laboratory" and exact is False


def test_a_partner_where_a_unit_is_needed_says_so():
    with pytest.raises(
        ice_graph.UnitNotFound, match=r"Federal Bureau of Investigation \(fbi\) is a partner agency, not part"
    ):
        ice_graph.chain_of_command(ice_graph.load(), "FBI")


def test_mission_areas_match_by_words():
    G = ice_graph.load()
    assert ice_graph.find_node(G, "trafficking", category="mission_area") == "human-trafficking"


def test_int_ids_resolve_from_text():
    import networkx as nx

    G = nx.balanced_tree(2, 2, create_using=nx.DiGraph)
    assert ice_graph.find_unit(G, "5") == 5 and ice_graph.chain_of_command(G, "5") == [2, 0]


def test_a_name_in_the_singular_resolves_to_the_plural_one():
    from ice_graph.lookup import resolve

    assert resolve(ice_graph.load(), "Homeland Security Investigation") == ("hsi", False)


def test_a_program_where_a_unit_is_needed_names_the_units_linked_to_it():
    G = ice_graph.load()
    with pytest.raises(
        ice_graph.UnitNotFound,
        match=r"is a program, not part of the hierarchy; linked to 'hsi-national-security-investigations'",
    ):
        ice_graph.chain_of_command(G, "SEVP")
