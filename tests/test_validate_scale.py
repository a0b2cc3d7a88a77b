"""Validation stays linear: a suggestion is computed once per distinct bad value, from few candidates."""

from __future__ import annotations

import difflib
import time

import pytest

from ice_graph.errors import DataError
from ice_graph.model import Record
from ice_graph.synthetic import random_document
from ice_graph.validate import validate
from ice_graph.validate._checker import MAX_CANDIDATES, Suggester

CITE = [Record({"source": "synthetic", "quote": "q"})]


def _misspelt(n: int, distinct: int) -> dict:
    """A 2,000-unit document with ``n`` runs relations whose unit id is misspelt (``distinct`` spellings)."""
    doc = random_document(2000, seed=3, extra_ratio=0.01)
    target = next(r["target"] for r in doc["relations"] if r["relation"] == "runs")
    doc["relations"] = [
        Record({"unit": f"unit-{i % distinct}x", "relation": "runs", "target": target, "cite": CITE}, line=i + 1)
        for i in range(n)
    ]
    return doc


def _count_difflib(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = difflib.get_close_matches

    def counting(word, possibilities, *args, **kwargs):
        possibilities = list(possibilities)
        calls.append(len(possibilities))
        return real(word, possibilities, *args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    return calls


def test_one_suggestion_per_distinct_bad_value(monkeypatch):
    doc = _misspelt(2000, distinct=20)
    calls = _count_difflib(monkeypatch)
    with pytest.raises(DataError) as info:
        validate(doc)
    assert len(info.value.problems) == 2000
    assert len(calls) == 20
    assert max(calls) <= MAX_CANDIDATES


def test_two_thousand_misspelt_relations_validate_quickly():
    doc = _misspelt(2000, distinct=2000)
    start = time.perf_counter()
    with pytest.raises(DataError) as info:
        validate(doc)
    assert time.perf_counter() - start < 10  # was 66 s with a full difflib scan per problem
    assert len(info.value.problems) == 2000
    assert all("is not the id of any node" in p.message for p in info.value.problems)


def test_suggestions_still_find_the_close_id():
    hints = Suggester([f"u{i}" for i in range(5000)] + ["homeland-security-investigations"])
    assert hints.hint("homeland-security-investigatons") == "; did you mean 'homeland-security-investigations'?"
    assert hints.hint("u4999x") == "; did you mean 'u4999'?"
    assert hints.hint("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz") == ""
