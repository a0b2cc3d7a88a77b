"""The structure of ICE that users rely on, as ICE's own pages (and the cited sources) document it.

Each expected value here was read from the cited sources (see data/README.md and the quotes in
data/ice.yaml), not copied from the program's output.
"""

from __future__ import annotations

import pytest

import ice_graph
from ice_graph.codec import area_of_responsibility, citations
from ice_graph.schema import STATE_CODES


@pytest.fixture(scope="module")
def history():
    return ice_graph.load(history=True)


def _field_offices(G):
    return [n for n in ice_graph.direct_reports(G, "ero") if G.nodes[n]["kind"] == "field_office"]


def test_ero_has_25_field_offices_each_with_its_area(ice):
    offices = _field_offices(ice)
    assert len(offices) == 25  # "25 field offices" on ICE's current ERO pages
    for n in offices:
        assert area_of_responsibility(ice, n), n
        assert ice.nodes[n]["head_title"] == "Field Office Director"
        assert citations(ice, n), n


def test_every_state_and_territory_but_american_samoa_is_covered(ice):
    covered = {s for n in _field_offices(ice) for s in area_of_responsibility(ice, n)}
    # The dataset lists no office for American Samoa; every other code is covered.
    assert STATE_CODES - covered == {"AS"}


def test_which_field_offices_cover_texas(ice):
    texas = {ice.nodes[n]["name"] for n in _field_offices(ice) if "TX" in area_of_responsibility(ice, n)}
    assert texas == {
        "Dallas Field Office",
        "El Paso Field Office",
        "Harlingen Field Office",
        "Houston Field Office",
        "San Antonio Field Office",
    }


def test_c3_and_sevp_sit_in_hsi(ice):
    # ICE's 2020 page puts the Cyber Crimes Center under HSI's Investigative Programs; ICE's 2011
    # story lists SEVP among the programs of the National Security Investigations Division.
    assert ice_graph.chain_of_command(ice, "C3") == ["hsi-investigative-programs", "hsi", "ice", "dhs"]
    assert ice_graph.who_runs(ice, "SEVP") == ["hsi-national-security-investigations"]
    assert ice_graph.parent_of(ice, "cyber-crimes-section") == "hsi-c3"


@pytest.mark.parametrize(
    ("day", "chain"),
    [
        ("2004-06-01", ["dhs-bts", "dhs"]),
        ("2005-09-30", ["dhs-bts", "dhs"]),
        ("2005-10-01", ["dhs"]),
        ("2020", ["dhs"]),
    ],
)
def test_ice_reported_through_bts_from_2003_to_2005(history, day, chain):
    assert ice_graph.chain_of_command(ice_graph.as_of(history, day), "ice") == chain


@pytest.mark.parametrize(
    ("unit", "inside", "outside"),
    [
        ("ice-federal-air-marshal-service", "2004-06-01", "2006-01-01"),  # November 2003 until 2005
        ("ice-air-and-marine-operations", "2004-06-01", "2004-11-01"),  # until 31 October 2004
        ("fps", "2009-01-01", "2010-01-01"),  # transferred out on 28 October 2009
    ],
)
def test_units_that_left_ice(history, unit, inside, outside):
    assert "ice" in ice_graph.chain_of_command(ice_graph.as_of(history, inside), unit)
    assert unit not in ice_graph.as_of(history, outside)


def test_intelligence_and_international_affairs_went_into_hsi_in_2010(history):
    for unit in ("hsi-intelligence", "hsi-international-affairs"):
        assert ice_graph.parent_of(ice_graph.as_of(history, "2008"), unit) == "ice"
        assert ice_graph.parent_of(ice_graph.as_of(history, "2011"), unit) == "hsi"


def test_predecessors_had_their_own_departments(history):
    before = ice_graph.as_of(history, "2000-01-01")
    assert "ice" not in before and "dhs" not in before  # DHS came into being in November 2002
    assert ice_graph.chain_of_command(before, "ins") == ["doj"]
    assert ice_graph.chain_of_command(before, "customs-service") == ["treasury"]


def test_dhs_components_are_ices_siblings(ice):
    siblings = {ice.nodes[n].get("abbreviation") for n in ice_graph.direct_reports(ice, "dhs")}
    assert {"ICE", "CBP", "USCIS", "TSA", "FEMA", "USSS", "FLETC", "CISA"} <= siblings


def test_the_graph_is_about_200_nodes_and_every_node_is_cited(ice):
    assert len(ice) >= 150
    assert all(citations(ice, n) for n in ice)


def test_the_largest_agency_claim_is_a_cited_note_not_a_fact(ice):
    assert "single largest" not in ice.nodes["ice"]["description"]
    assert "not" in ice.nodes["ice"]["note"] and "CBP" in ice.nodes["ice"]["note"]
    assert any("single largest agency" in c["quote"] for c in citations(ice, "ice"))


def test_every_registered_source_is_cited(history):
    cited = {c["source"] for n in history for c in citations(history, n)} | {
        c["source"] for u, v in history.edges for c in citations(history, u, v)
    }
    cited |= {c["source"] for e in ice_graph.events(history) for c in e["cite"]}
    cited |= {c["source"] for e in ice_graph.events(history) for a in e.get("alt_dates", []) for c in a["cite"]}
    assert set(ice_graph.source_registry(history)) - cited == set()


def test_sizes_of_the_time(history, ice):
    # ICE's page says "more than 20,000" today; 19,000 in 2016 (Director Saldaña); more than 20,000 in 2013.
    assert ice.nodes["ice"]["employees"] == 20000
    assert ice_graph.as_of(history, "2016-06-01").nodes["ice"]["employees"] == 19000
    # OPLA: more than 1,700 attorneys today, more than 900 in 2013.
    assert ice.nodes["opla"]["attorneys"] == 1700
    assert ice_graph.as_of(history, "2014").nodes["opla"]["attorneys"] == 900


def test_a_past_day_says_which_units_have_no_start_date(history, capsys):
    from ice_graph.history import undated_note, undated_units

    in_2004 = ice_graph.as_of(history, "2004-06-01")
    undated = undated_units(in_2004)
    # The Office of Partnership and Engagement has no sourced start: it is shown in 2004, and said so.
    assert "ice-office-of-partnership-and-engagement" in undated and "ice" not in undated  # ICE: March 2003
    assert undated_note(in_2004).startswith(f"{len(undated)} units shown have no sourced start date")
    assert undated_note(ice_graph.load()) == ""  # the data's own day: nothing to say
    assert "no sourced start date" in ice_graph.chart(history, as_of="2004-06-01").options["note"]
    from .test_cli import run

    code, _, err = run(capsys, "--as-of", "2004", "chain", "ERO")
    assert code == 0 and "no sourced start date" in err
