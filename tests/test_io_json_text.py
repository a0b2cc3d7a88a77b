"""The indented JSON text ice_graph writes is json.dumps's, byte for byte (it is made faster by hand)."""

from __future__ import annotations

import enum
import json

import pytest

from ice_graph.io.json import _dump, _indented


class Level(enum.IntEnum):
    TOP = 1


class Odd:
    def __str__(self) -> str:
        return "odd \u00e9"


CASES = [
    {},
    [],
    {"a": []},
    {"a": {}},
    {"x": 1.5, "y": -0.0, "n": float("nan"), "i": float("inf"), "m": float("-inf")},
    {"t": True, "f": False, "z": None, "big": 2**70, "lvl": Level.TOP},
    {"s": 'quote " back \\ tab \t nl \n ctrl \x01 caf\u00e9 \u2014 \U0001f600'},
    {3: "int key", 2.5: "float key", True: "bool key", None: "none key"},
    {"nested": [{"a": [1, [2, [3, {}]]]}, (4, 5), []]},
    {"default": Odd(), "list": [Odd()]},
    "top string",
    7,
    [None, True, 1e300, 3],
]


@pytest.mark.parametrize("value", CASES, ids=range(len(CASES)))
def test_indented_text_is_json_dumps(value):
    assert "".join(_indented(value, 0)) == json.dumps(value, ensure_ascii=False, indent=2, default=str)


def test_lone_surrogate_is_escaped_and_reads_back():
    text = "".join(_dump({"name": "a\ud800b"}))
    assert "\\ud800" in text
    assert json.loads(text) == {"name": "a\ud800b"}


def test_bad_key_is_refused_like_json():
    with pytest.raises(TypeError):
        _indented({(1, 2): "tuple key"}, 0)
