"""The bundled ICE dataset: every fact present, every fact sourced, canonical form."""

from __future__ import annotations

import json
import re

import pytest

import ice_graph
from ice_graph.io.yaml import dump_yaml, parse_yaml
from ice_graph.schema import (
    DATASET_FIELDS,
    EDGE_ATTRIBUTES,
    GRAPH_ATTRIBUTES,
    KINDS,
    NODE_ATTRIBUTES,
    NODE_FIELDS,
    RELATION_FIELDS,
    RELATIONS,
    SOURCE_FIELDS,
)

from .conftest import ROOT, SHARED

ARTICLE = SHARED / "sources" / "what-is-ice-article.txt"


def _norm(text: str) -> str:
    return " ".join(text.split())


def test_every_node_and_edge_cites_a_registered_source_with_a_quote(ice):
    registry = ice_graph.source_registry(ice)
    items = [("node", n, a) for n, a in ice.nodes(data=True)] + [
        ("edge", (u, v), a) for u, v, a in ice.edges(data=True)
    ]
    for what, key, attrs in items:
        cites = json.loads(attrs["citations"])
        assert cites, f"{what} {key} has no citation"
        for c in cites:
            assert c["source"] in registry, (key, c)
            assert len(c["quote"].strip()) >= 3, (key, c)


@pytest.mark.skipif(not ARTICLE.exists(), reason="needs ../shared/sources (the source article)")
def test_quotes_from_the_article_are_verbatim(ice):
    article = _norm(ARTICLE.read_text(encoding="utf-8"))
    quotes = set()
    for _, a in ice.nodes(data=True):
        quotes |= {c["quote"] for c in json.loads(a["citations"]) if c["source"] == "what-is-ice"}
    for _, _, a in ice.edges(data=True):
        quotes |= {c["quote"] for c in json.loads(a["citations"]) if c["source"] == "what-is-ice"}
    assert len(quotes) > 20
    missing = [q for q in quotes if _norm(q) not in article]
    assert not missing


def test_sources_registry_is_complete(ice):
    registry = ice_graph.source_registry(ice)
    for sid, rec in registry.items():
        assert rec["title"] and re.match(r"^\d{4}-\d{2}-\d{2}$", rec["accessed"]), sid
        assert "url" not in rec or rec["url"].startswith(("https://", "http://"))


def _has(ice, u, v, relation):
    return ice.has_edge(u, v) and ice.edges[u, v]["relation"] == relation


def test_structure_from_the_article(ice):
    assert _has(ice, "dhs", "ice", "has_unit")
    for unit, abbr in [("hsi", "HSI"), ("ero", "ERO"), ("osltc", "OSLTC"), ("opla", "OPLA"), ("opr", "OPR")]:
        assert _has(ice, "ice", unit, "has_unit")
        assert ice.nodes[unit]["abbreviation"] == abbr
    # The article's six divisions, found by the article's own names (kept as other names where
    # ICE's pages give the division another name), all directly under HSI.
    for name in (
        "Domestic Operations",
        "Intelligence",
        "International Affairs",
        "Mission Support",
        "National Intellectual Property Rights Coordination Center",
        "National Security Investigations Division",
    ):
        assert _has(ice, "hsi", ice_graph.find_unit(ice, name), "has_unit"), name
    # Corrected against ICE's pages: the article's "National Security Division of ICE" is HSI's NSID,
    # and its "Cyber Crimes Section of ICE" is C3's section, now the Cyber Crimes Unit.
    assert "national-security-division" not in ice
    assert ice_graph.find_unit(ice, "National Security Division") == "hsi-national-security-investigations"
    assert ice_graph.parent_of(ice, "cyber-crimes-section") == "hsi-c3"
    assert ice.nodes["cyber-crimes-section"]["name"] == "Cyber Crimes Unit"
    assert ice_graph.find_unit(ice, "Cyber Crimes Section") == "cyber-crimes-section"


def test_programs_areas_partners_and_measures(ice):
    assert _has(ice, "ice", "operation-community-shield", "runs")
    assert _has(ice, "ice", "operation-predator", "runs")
    for area in ("narcotics-smuggling", "human-trafficking", "cyber-crimes", "export-screening"):
        assert _has(ice, "hsi", area, "responsible_for")
    for area in ("detention", "removal"):
        assert _has(ice, "ero", area, "responsible_for")
    assert _has(ice, "hsi-national-security-investigations", "counter-terrorism", "responsible_for")
    assert _has(ice, "hsi-national-security-investigations", "fbi", "partners_with")
    assert ice.nodes["hsi"]["employees"] == 10000 and ice.nodes["hsi"]["employees_qualifier"] == "more than"
    # Both figures are recorded: the article's undated 6,700 special agents, which the graph of the
    # data's day shows (an undated figure is the one its source states as current), and DHS's "more
    # than 6,000" of November 2017, which a snapshot between then and today shows.
    agents = {(m.value, m.date) for m in ice_graph.codec.measures(ice, "hsi") if m.name == "special_agents"}
    assert agents == {(6700, ""), (6000, "2017-11-28")}
    assert ice.nodes["hsi"]["special_agents"] == 6700 and "special_agents_date" not in ice.nodes["hsi"]
    history = ice_graph.load(history=True)
    in_2018 = ice_graph.as_of(history, "2018").nodes["hsi"]
    assert (in_2018["special_agents"], in_2018["special_agents_date"]) == (6000, "2017-11-28")
    assert ice_graph.as_of(history, "2012").nodes["hsi"]["special_agents"] == 6700
    assert ice.nodes["ice"]["statutes_enforced"] == 400
    assert ice.nodes["ice"]["statutes_enforced_qualifier"] == "more than"


def test_attributes_are_flat_scalars(ice):
    for _, a in ice.nodes(data=True):
        assert all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in a.values())
    for _, _, a in ice.edges(data=True):
        assert all(isinstance(v, str) for v in a.values())
    assert all(isinstance(v, (str, bool)) for v in ice.graph.values())


def test_bundled_data_is_canonical():
    """data/ice.yaml is in canonical form: run `make format-data` to fix it."""
    path = ROOT / "data" / "ice.yaml"
    text = path.read_text(encoding="utf-8")
    assert dump_yaml(parse_yaml(text)) == text


def test_data_dictionary_matches_schema():
    """data/README.md documents every kind, relation, field and attribute of ice_graph.schema."""
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    names = [
        *KINDS,
        *RELATIONS,
        *DATASET_FIELDS,
        *SOURCE_FIELDS,
        *NODE_FIELDS,
        *RELATION_FIELDS,
        *NODE_ATTRIBUTES,
        *EDGE_ATTRIBUTES,
        *GRAPH_ATTRIBUTES,
    ]
    missing = [n for n in names if f"`{n}`" not in readme]
    assert not missing, f"data/README.md does not document: {missing}"
    kinds_section = readme.split("### Kinds", 1)[1].split("###", 1)[0]
    documented = dict(re.findall(r"^\| `([a-z_]+)` \| ([a-z_]+) \|", kinds_section, re.M))
    assert documented == KINDS


def test_an_unsourced_fact_cannot_be_added(tmp_path):
    text = (ROOT / "data" / "ice.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "nodes:\n", "nodes:\n  - id: new-office\n    kind: office\n    name: New Office\n    parent: ice\n", 1
    )
    p = tmp_path / "ice.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ice_graph.DataError, match="unit 'new-office': no source: cite must list at least one"):
        ice_graph.load(p)
