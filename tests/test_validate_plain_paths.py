"""The quick paths for the usual record agree with the full checks; a cut in place agrees with as_of (issue 17).

Validation checks the usual node, parent field and relation in one pass, and a citation
pair once; ``load()`` cuts the snapshot from the graph it has just built. Each must give
exactly what the full checks, and a copy, give: the same dataset, or the same problems in
the same order with the same words; the same nodes, edges, attributes and orders.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

import ice_graph
from ice_graph.errors import DataError
from ice_graph.history import as_of, cut_in_place
from ice_graph.io import read_document
from ice_graph.loader import bundled_data_path
from ice_graph.model import Dataset, Record
from ice_graph.synthetic import random_document
from ice_graph.validate import nodes, relations, validate
from ice_graph.validate._checker import Checker


def _outcome(doc: Any) -> Dataset | list[str]:
    try:
        return validate(doc, file="t.yaml")
    except DataError as e:
        return [str(p) for p in e.problems]


def _full_checks_only(doc: Any) -> Dataset | list[str]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(nodes, "_plain_node", lambda *args: False)
        mp.setattr(relations, "_plain_relation", lambda *args: False)
        mp.setattr(relations, "_plain_parent_edge", lambda *args: False)
        mp.setattr(Checker, "known_cites", lambda self, value, fact="": None)
        mp.setattr(Checker, "_good_cite", lambda self, item, fact: None)
        return _outcome(doc)


def _synthetic(n: int = 60, **kwargs: Any) -> dict[str, Any]:
    return random_document(n, seed=3, **kwargs)


def _set(i: int, key: str, value: Any) -> Any:
    def change(doc: dict[str, Any]) -> None:
        doc["nodes"][i][key] = value

    return change


def _duplicate_relation(doc: dict[str, Any]) -> None:
    doc["relations"].append(Record(doc["relations"][0]))


def _explicit_parent(doc: dict[str, Any]) -> None:
    # As a CSV folder gives it: the parent field and a has_unit relation for the same pair.
    child = doc["nodes"][4]
    cite = [Record({"source": "synthetic", "quote": "generated"})]
    doc["relations"].insert(
        0, Record({"unit": child["parent"], "relation": "has_unit", "target": child["id"], "cite": cite})
    )


def _second_superior(doc: dict[str, Any]) -> None:
    child = doc["nodes"][4]
    cite = [Record({"source": "synthetic", "quote": "generated"})]
    doc["relations"].insert(0, Record({"unit": "u2", "relation": "has_unit", "target": child["id"], "cite": cite}))


def _runs_to_a_unit(doc: dict[str, Any]) -> None:
    cite = [Record({"source": "synthetic", "quote": "generated"})]
    doc["relations"].append(Record({"unit": "u1", "relation": "runs", "target": "u2", "cite": cite}))


CHANGES = {
    "unknown kind": _set(5, "kind", "divison"),
    "duplicate id": _set(6, "id", "u7"),
    "blank name": _set(8, "name", "   "),
    "tab in an abbreviation": _set(13, "abbreviation", "A\tB"),
    "unregistered source": _set(9, "cite", [Record({"source": "nope", "quote": "q"})]),
    "unknown field in a citation": _set(11, "cite", [Record({"source": "synthetic", "quote": "generated", "x": 1})]),
    "no citation": _set(14, "cite", []),
    "unknown parent": _set(10, "parent", "missing"),
    "own parent": _set(12, "parent", "u12"),
    "cycle": _set(1, "parent", "u40"),
    "unknown field": _set(15, "colour", "red"),
    "parent_cite": _set(16, "parent_cite", [Record({"source": "synthetic", "quote": "other words"})]),
    "duplicate relation": _duplicate_relation,
    "parent and has_unit relation": _explicit_parent,
    "two superiors": _second_superior,
    "relation to the wrong category": _runs_to_a_unit,
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_quick_paths_report_what_the_full_checks_report(name):
    doc = _synthetic()
    CHANGES[name](doc)
    quick = _outcome(doc)
    assert quick == _full_checks_only(doc)


@pytest.mark.parametrize(
    "doc",
    [
        pytest.param(lambda: read_document(bundled_data_path()), id="ice"),
        pytest.param(lambda: _synthetic(400), id="synthetic"),
        pytest.param(lambda: _synthetic(400, awkward=True), id="awkward"),
    ],
)
def test_quick_paths_build_the_dataset_the_full_checks_build(doc):
    document = doc()
    quick = _outcome(document)
    assert isinstance(quick, Dataset)
    assert quick == _full_checks_only(document)


def _everything(G: Any) -> Any:
    return (
        [(n, list(a.items())) for n, a in G.nodes(data=True)],
        [(u, v, list(a.items())) for u, v, a in G.edges(data=True)],
        list(G.graph.items()),
        [(n, list(G.pred[n])) for n in G],
    )


@pytest.fixture(scope="module")
def history() -> Any:
    return ice_graph.load(history=True)


@pytest.mark.parametrize("day", ["1990", "2003-03-01", "2005-06-01", "2009", "2010-06", "2012-06-01", "2030"])
def test_cut_in_place_is_as_of(history, day):
    assert _everything(cut_in_place(copy.deepcopy(history), day)) == _everything(as_of(history, day))


def test_load_cuts_what_as_of_cuts(history):
    G = ice_graph.load()
    assert _everything(G) == _everything(as_of(history, history.graph["date"]))


def test_an_undated_organization_is_cut_without_the_walk(tmp_path, monkeypatch):
    """Nothing starts or ends: every node stands, and the cut skips _standing's walk with the same result."""
    from ice_graph import history as hist
    from ice_graph.io.yaml import dump_yaml

    p = tmp_path / "org.yaml"
    p.write_text(dump_yaml(random_document(300, seed=3)), encoding="utf-8")
    H = ice_graph.load(p, history=True)
    assert hist._undated(H) and not hist._undated(ice_graph.load(history=True))
    day = H.graph["date"]
    walked = _everything(as_of(H, day))
    calls = []
    monkeypatch.setattr(hist, "_standing", lambda *a: calls.append(1) or set())  # would drop every node
    assert _everything(cut_in_place(copy.deepcopy(H), day)) == walked and not calls
    assert len(walked[0]) == len(H)
