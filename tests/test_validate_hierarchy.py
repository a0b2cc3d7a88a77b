"""The hierarchy is a tree on every date: one superior at a time, no cycle on any day."""

from __future__ import annotations

import pytest

from ice_graph.errors import DataError
from ice_graph.io.yaml import parse_yaml
from ice_graph.validate import validate

from .conftest import FIXTURES

TINY = (FIXTURES / "tiny.yaml").read_text(encoding="utf-8")
CITE = "    cite:\n      - source: handbook\n        quote: q\n"


def _unit(uid: str) -> str:
    return f"  - id: {uid}\n    kind: office\n    name: Office {uid.upper()}\n" + CITE


def _has_unit(unit: str, target: str, dates: str = "") -> str:
    return f"  - unit: {unit}\n    relation: has_unit\n    target: {target}\n{dates}" + CITE


def _doc(*relations: str) -> str:
    text = TINY.replace("relations:\n", _unit("a") + _unit("b") + _unit("c") + "relations:\n", 1)
    return text + "".join(relations)


def _cycles(text: str) -> list[str]:
    try:
        validate(parse_yaml(text, path="t.yaml"), file="t.yaml")
    except DataError as exc:
        return [p.message for p in exc.problems]
    return []


def test_a_superior_relation_that_turns_around_is_no_cycle():
    text = _doc(_has_unit("a", "b", "    until: '2005'\n"), _has_unit("b", "a", "    from: '2005'\n"))
    edges = {(e.unit, e.target) for e in validate(parse_yaml(text)).edges}
    assert {("a", "b"), ("b", "a")} <= edges


def test_a_cycle_on_some_days_is_reported_once():
    text = _doc(_has_unit("a", "b", "    until: '2006'\n"), _has_unit("b", "a", "    from: '2005'\n"))
    assert _cycles(text) == ["the hierarchy has a cycle: a -> b -> a"]


def test_an_undated_cycle_is_reported():
    text = _doc(_has_unit("a", "b"), _has_unit("b", "c"), _has_unit("c", "a"))
    assert _cycles(text) == ["the hierarchy has a cycle: a -> b -> c -> a"]


@pytest.mark.parametrize(
    ("ab", "bc", "ca", "cycle"),
    [
        ("    until: '2003'\n", "", "    from: '2003'\n", False),  # a->b ends the day c->a starts
        ("    from: '2001'\n", "    until: '2010'\n", "    from: '2009-12-31'\n", True),  # all three on 2009-12-31
        ("    until: '2001'\n", "    from: '2002'\n", "", False),  # a->b and b->c never hold together
    ],
)
def test_three_dated_edges(ab, bc, ca, cycle):
    messages = _cycles(_doc(_has_unit("a", "b", ab), _has_unit("b", "c", bc), _has_unit("c", "a", ca)))
    assert messages == (["the hierarchy has a cycle: a -> b -> c -> a"] if cycle else [])


def test_a_parent_field_holds_while_the_child_exists():
    # c's parent is a while c exists (until 2005); a's superior is c from 2005: no day has both.
    text = _doc(_has_unit("c", "a", "    from: '2005'\n")).replace(
        "  - id: c\n    kind: office\n    name: Office C\n",
        "  - id: c\n    kind: office\n    name: Office C\n    parent: a\n    until: '2005'\n"
        "    dates_cite:\n      - source: handbook\n        quote: q\n",
    )
    assert "parent: a" in text
    assert _cycles(text) == []
