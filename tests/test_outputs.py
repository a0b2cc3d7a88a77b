"""outputs/ is what the current code and data produce (run `make outputs` when this fails)."""

from __future__ import annotations

import pytest

import ice_graph
from ice_graph.build import chart_outputs, text_outputs

from .conftest import ROOT

OUT = ROOT / "outputs"


@pytest.fixture(scope="module")
def expected():
    history = ice_graph.load(history=True)
    return {rel: "".join(gen()) for rel, (gen, _info) in text_outputs(history).items()}


def test_text_outputs_are_current(expected):
    stale = [
        rel
        for rel, text in expected.items()
        if not (OUT / rel).exists() or (OUT / rel).read_text(encoding="utf-8") != text
    ]
    assert not stale, f"outputs/ is out of date for {stale}: run `make outputs` and commit the result"


def test_charts_exist():
    """The overview, each branch's chart and the print PDF (the integrator regenerates outputs/ with `make outputs`)."""
    for rel, _opts, _info in chart_outputs(graphviz=False, stem="ice", G=ice_graph.load()):
        assert (OUT / rel).stat().st_size > 10_000, rel


def test_history_files_are_written(expected):
    assert {"ice-history.gexf", "ice-history.graphml"} <= set(expected)
    assert 'mode="dynamic"' in expected["ice-history.gexf"]


def test_a_renamed_unit_makes_outputs_stale(ice):
    G = ice.copy()
    G.nodes["hsi"]["name"] = "Renamed Investigations"
    changed = [
        rel for rel, (gen, _i) in text_outputs(G).items() if "".join(gen()) != (OUT / rel).read_text(encoding="utf-8")
    ]
    assert "ice.graphml" in changed and "csv/nodes.csv" in changed and "ice.dot" in changed
