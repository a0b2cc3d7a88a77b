"""Analysis helpers on the tiny fixture, on the ICE data, and on random organizations."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ice_graph as ig
from ice_graph.errors import AmbiguousUnit, UnitNotFound
from ice_graph.synthetic import random_organization

# -- the tiny organization -----------------------------------------------------


def test_find_unit_by_every_kind_of_name(tiny):
    assert ig.find_unit(tiny, "ops") == "ops"
    assert ig.find_unit(tiny, "OPERATIONS") == "ops"
    assert ig.find_unit(tiny, "ops directorate") == "ops"
    assert ig.find_unit(tiny, "ta") == "agency"
    assert ig.find_unit(tiny, "  Tiny   Agency ") == "agency"


def test_find_unit_miss_suggests(tiny):
    with pytest.raises(UnitNotFound, match="did you mean 'ops'") as info:
        ig.find_unit(tiny, "Operatoins")
    assert info.value.suggestions[0] == "ops"


def test_find_unit_ambiguous(tiny):
    G = tiny.copy()
    G.nodes["legal"]["abbreviation"] = "TA"
    with pytest.raises(AmbiguousUnit) as info:
        ig.find_unit(G, "ta")
    assert info.value.candidates == ["agency", "legal"]


def test_find_unit_ignores_other_categories(tiny):
    with pytest.raises(UnitNotFound):
        ig.find_unit(tiny, "safety")
    assert ig.find_node(tiny, "safety") == "safety"


def test_unknown_unit_never_gives_an_empty_answer(tiny):
    for helper in (ig.chain_of_command, ig.subordinates, ig.direct_reports, ig.span_of_control, ig.programs_of):
        with pytest.raises(UnitNotFound):
            helper(tiny, "nowhere")
    with pytest.raises(UnitNotFound):
        ig.responsible_for(tiny, "nowhere")
    with pytest.raises(UnitNotFound):
        ig.who_runs(tiny, "nowhere")


def test_chain_and_subordinates(tiny):
    assert ig.chain_of_command(tiny, "lab") == ["field", "ops", "agency", "top"]
    assert ig.chain_of_command(tiny, "lab", include_self=True)[0] == "lab"
    assert ig.chain_of_command(tiny, "top") == []
    assert ig.subordinates(tiny, "agency") == ["ops", "legal", "field", "lab"]
    assert ig.subordinates(tiny, "agency", depth=1) == ["ops", "legal"]
    assert ig.subordinates(tiny, "agency", depth=0) == []
    assert ig.direct_reports(tiny, "ops") == ["field"]
    assert ig.span_of_control(tiny, "agency") == 2
    with pytest.raises(ValueError, match="depth"):
        ig.subordinates(tiny, "agency", depth=-1)


def test_common_superior(tiny):
    assert ig.common_superior(tiny, "lab", "legal") == "agency"
    assert ig.common_superior(tiny, "lab", "field") == "ops"
    assert ig.common_superior(tiny, "top", "lab") is None


def test_programs_areas_partners(tiny):
    assert ig.programs_of(tiny, "ops") == ["op-clean"]
    assert ig.programs_of(tiny, "agency") == []
    assert ig.programs_of(tiny, "agency", include_subunits=True) == ["op-clean"]
    assert ig.who_runs(tiny, "operation clean") == ["ops"]
    assert ig.responsible_for(tiny, "safety", direct=True) == ["lab"]
    assert ig.responsible_for(tiny, "safety") == ["lab", "field", "ops", "agency", "top"]
    assert ig.partners_of(tiny, "legal") == ["police"]
    assert ig.partners_of(tiny, "city police") == ["legal"]


def test_summary(tiny):
    s = ig.summary(tiny)
    assert s["units"] == 6
    assert s["levels"] == 5
    assert s["units_per_level"] == [1, 1, 2, 1, 1]
    assert s["units_per_kind"] == {
        "agency": 1,
        "department": 1,
        "directorate": 1,
        "division": 1,
        "office": 1,
        "section": 1,
    }
    assert s["deepest_branch"] == ["top", "agency", "ops", "field", "lab"]
    assert s["widest_unit"] == {"unit": "agency", "span": 2}
    assert s["average_span"] == pytest.approx(5 / 4)
    assert s["edges_per_relation"] == {"has_unit": 5, "partners_with": 1, "responsible_for": 1, "runs": 1}


def test_hierarchy_and_subtree(tiny):
    H = ig.hierarchy(tiny)
    assert set(H) == {"top", "agency", "ops", "legal", "field", "lab"}
    assert nx.is_arborescence(H)
    B = ig.subtree(tiny, "ops")
    assert set(B) == {"ops", "field", "lab", "op-clean", "safety"}
    assert set(ig.subtree(tiny, "ops", depth=1, attached=False)) == {"ops", "field"}


def test_centrality_table(tiny):
    rows = ig.centrality(tiny)
    assert {r["id"] for r in rows} == set(tiny)
    by_id = {r["id"]: r for r in rows}
    # agency sits on every path between the top and the rest of the tree
    assert by_id["agency"]["betweenness"] > by_id["lab"]["betweenness"]
    assert by_id["police"]["betweenness"] == 0
    assert by_id["ops"]["degree"] == 3
    assert rows == sorted(rows, key=lambda r: (-r["betweenness"], -r["degree"], r["id"]))


def test_to_dataframes(tiny):
    pytest.importorskip("pandas")
    nodes, edges = ig.to_dataframes(tiny)
    assert len(nodes) == len(tiny) and len(edges) == tiny.number_of_edges()
    assert "citations" in nodes.columns and "sources" in edges.columns


def test_names(tiny):
    assert ig.names(tiny, ["ops", "lab"]) == ["Operations", "Lab Section"]


# -- the ICE data ----------------------------------------------------------------


def test_ice_questions(ice):
    assert ig.chain_of_command(ice, "ERO") == ["ice", "dhs"]
    hsi_divisions = {
        "hsi-domestic-operations",
        "hsi-intelligence",
        "hsi-international-affairs",
        "hsi-mission-support",
        "hsi-ipr-center",
        "hsi-national-security-investigations",
    }
    assert hsi_divisions <= set(ig.direct_reports(ice, "HSI"))
    assert ig.common_superior(ice, "hsi-intelligence", "hsi-mission-support") == "hsi"
    assert ig.common_superior(ice, "OPLA", "hsi-intelligence") == "ice"
    assert "hsi" in ig.responsible_for(ice, "human trafficking")
    # The article's "National Security Division" (now NSID) works with the FBI, as do the units
    # ICE's pages name: the IPR Center, the human rights center and BEST.
    assert set(ig.partners_of(ice, "Federal Bureau of Investigations")) == {
        "hsi-national-security-investigations",
        "hsi-ipr-center",
        "hsi-hrvwcc",
        "hsi-best",
    }
    assert ig.find_unit(ice, "Enforcement & Removal Operations") == "ero"
    assert hsi_divisions <= set(ig.subordinates(ice, "HSI", depth=1))
    assert set(ig.subordinates(ice, "HSI", depth=1)) == set(ig.direct_reports(ice, "HSI"))


# -- property tests on random organizations -----------------------------------------

orgs = st.builds(lambda n, seed: random_organization(n, seed=seed), st.integers(2, 150), st.integers(0, 10_000))


@settings(max_examples=25, deadline=None)
@given(G=orgs, data=st.data())
def test_properties(G, data):
    units = [n for n, a in G.nodes(data=True) if a["category"] == "unit"]
    a = data.draw(st.sampled_from(units))
    b = data.draw(st.sampled_from(units))
    chain = ig.chain_of_command(G, a)
    top = chain[-1] if chain else a
    assert top in ig.roots(G)
    common = ig.common_superior(G, a, b)
    if common is not None:
        assert common in chain and common in ig.chain_of_command(G, b)
    depth = data.draw(st.integers(0, 4))
    assert set(ig.subordinates(G, a, depth=depth)) <= set(ig.subordinates(G, a))
    assert set(ig.subordinates(G, a)) == set(nx.descendants(ig.hierarchy(G), a))
    assert ig.span_of_control(G, a) == len(ig.direct_reports(G, a))
    assert ig.summary(G)["units"] == len(units)


# -- issue 14: covering(G, state) --------------------------------------------------------------
def test_covering_by_code_and_by_name():
    import ice_graph

    G = ice_graph.load()
    texas = ice_graph.covering(G, "TX")
    # each has TX in its area of responsibility, and every unit listing TX is there
    assert texas and all("TX" in ice_graph.codec.area_of_responsibility(G, n) for n in texas)
    assert texas == [n for n in G if "TX" in ice_graph.codec.area_of_responsibility(G, n)]
    assert ice_graph.covering(G, "Texas") == ice_graph.covering(G, "tx") == texas
    assert ice_graph.covering(G, "Puerto Rico") != texas


def test_covering_a_county_of_a_state_split_between_field_offices():
    import ice_graph
    from ice_graph.codec import counties

    G = ice_graph.load()
    ero = {n for n in ice_graph.subordinates(G, "ero") if G.nodes[n].get("kind") == "field_office"}

    def office(state: str, county: str) -> list[str]:
        return [n for n in ice_graph.covering(G, state, county=county) if n in ero]

    # Harris County is Houston's, Dallas County is Dallas's, whatever the spelling.
    assert office("TX", "Harris") == office("Texas", "harris county") == ["ero-field-office-houston"]
    assert office("TX", "Dallas") == ["ero-field-office-dallas"]
    assert office("NY", "St Lawrence County") == ["ero-field-office-buffalo"]  # listed as "St. Lawrence"
    # Orange County is in three states, each with its own office.
    assert [office(s, "Orange") for s in ("CA", "NY", "TX")] == [
        ["ero-field-office-los-angeles"],
        ["ero-field-office-new-york-city"],
        ["ero-field-office-houston"],
    ]
    # A state covered whole: its one office, whatever the county.
    assert office("OK", "Tulsa") == ["ero-field-office-dallas"]
    # A county no office lists, in a split state: an error with the closest names, never a guess.
    with pytest.raises(ice_graph.ArgumentError, match="no unit lists a county 'Haris' in TX.*'Harris'"):
        ice_graph.covering(G, "TX", county="Haris")
    # Each county of a split state has exactly one ERO office: all 254 of Texas, 58 of California,
    # 62 of New York (the Census Bureau's counts).
    for state, total in (("TX", 254), ("CA", 58), ("NY", 62)):
        listed = [c for n in ero for c in counties(G, n).get(state, [])]
        assert len(listed) == len(set(listed)) == total, state


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('{"TX": 5}', {"TX": []}),  # in part, by counties unknown: never the whole state
        ('{"TX": null}', {}),
        ("[1]", {}),
        ("not json", {}),
        (7, {}),
        ('{"TX": "Harris"}', {"TX": ["Harris"]}),
    ],
)
def test_a_foreign_graphs_counties_attribute_never_breaks_the_reader(value, expected):
    import networkx as nx

    from ice_graph.codec import counties

    G = nx.DiGraph()
    G.add_node("a", counties=value, area_of_responsibility='["TX"]')
    assert counties(G, "a") == expected
    # Harris County: covered when the state is whole or Harris is listed, not when the counties are unknown.
    assert ig.covering(G, "TX", county="Harris") == ([] if expected == {"TX": []} else ["a"])


def test_a_spreadsheets_area_cell_is_read_as_people_write_it(tmp_path):
    (tmp_path / "offices.csv").write_text(
        "id;name;parent;kind;area_of_responsibility;counties\n"
        "1;HQ;;agency;;\n"
        '2;North;1;field office;TX, OK;{"TX": ["Dallas", "Tarrant"]}\n'
        '3;South;1;field office;tx;{"TX": ["Harris"]}\n'
        "4;West;1;field office;New Mexico | Arizona;\n"
        "5;East;1;field office;LA MS;\n"
        "6;Odd;1;field office;Tejas;\n",
        encoding="utf-8",
    )
    G = ig.load(tmp_path / "offices.csv")
    area = ig.codec.area_of_responsibility
    assert [area(G, n) for n in G] == [[], ["TX", "OK"], ["TX"], ["NM", "AZ"], ["LA", "MS"], ["Tejas"]]
    assert ig.covering(G, "TX") == ["2", "3"] and ig.covering(G, "TX", county="Tarrant County") == ["2"]
    with pytest.raises(ig.ArgumentError, match=r"'Travis' in TX \(3 counties listed\)"):
        ig.covering(G, "TX", county="Travis")


def test_covering_an_unknown_state_is_an_argument_error():
    import ice_graph

    with pytest.raises(ice_graph.ArgumentError, match="unknown state 'Texsa'.*did you mean 'Texas'"):
        ice_graph.covering(ice_graph.load(), "Texsa")
