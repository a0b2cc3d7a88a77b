"""The streaming YAML reader gives exactly what PyYAML's full loader gives, or hands the file to it.

`parse_yaml` reads from libyaml's events (no node tree); whatever it does not handle itself
goes to the full loader. Each test compares the two on the same text: the same values,
types, record lines and key lines, or the same error message.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ice_graph.errors import DataError
from ice_graph.io import yaml as yaml_io
from ice_graph.model import Record

from .conftest import FIXTURES

pytestmark = pytest.mark.skipif(yaml_io._CBase is None, reason="PyYAML without libyaml has no streaming reader")

EXAMPLES = int(os.environ.get("ICE_GRAPH_FUZZ_EXAMPLES", "150"))
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _shape(value: Any) -> Any:
    """The value with every type and every record's lines made visible, for comparison."""
    if isinstance(value, Record):
        items = [(k, _shape(v)) for k, v in value.items()]
        return ("record", value.line, dict(value.key_lines), items)
    if isinstance(value, dict):
        return ("dict", [(_shape(k), _shape(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_shape(v) for v in value])
    return (type(value).__name__, repr(value))


def _outcome(text: str, *, stream: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as m:
        if not stream:

            def refuse(_text: str) -> Any:
                raise yaml_io._Unusual

            m.setattr(yaml_io, "_stream", refuse)
        try:
            return ("ok", _shape(yaml_io.parse_yaml(text, path="f.yaml")))
        except DataError as exc:
            return ("error", [str(p) for p in exc.problems])


def _same(text: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    ours = _outcome(text, stream=True, monkeypatch=monkeypatch)
    full = _outcome(text, stream=False, monkeypatch=monkeypatch)
    assert ours == full
    return ours


def test_bundled_data_reads_the_same(monkeypatch):
    text = (FIXTURES.parent.parent / "data" / "ice.yaml").read_text(encoding="utf-8")
    assert _same(text, monkeypatch)[0] == "ok"


def test_streaming_reader_is_used_for_plain_data(monkeypatch):
    """A data file without tags or anchors never reaches the full loader (so no node tree is built)."""
    calls = []
    original = yaml.load
    monkeypatch.setattr(yaml, "load", lambda *a, **k: calls.append(1) or original(*a, **k))
    doc = yaml_io.parse_yaml((FIXTURES / "tiny.yaml").read_text(encoding="utf-8"))
    assert doc["nodes"] and calls == []


SCALARS = [
    "yes",
    "No",
    "on",
    "OFF",
    "true",
    "~",
    "null",
    "",
    "0x1F",
    "0o17",
    "017",
    "1_000",
    "190:20:30",
    "1e3",
    ".inf",
    "-.INF",
    ".nan",
    "2003-03-01",
    "2003-03-01 10:00:00",
    "<<",
    "=",
    "12",
    "-7",
    "+3.5",
    "1" * 5000,
    "Legal Border 0",
    "Northern New York",
    "O'Brien",
    "N/A",
    "True Bill",
    "Fraud: big",
]


@pytest.mark.parametrize("scalar", SCALARS)
def test_every_implicit_type_reads_the_same(monkeypatch, scalar):
    for text in (f"key: {scalar}\n", f"key: '{scalar}'\n", f"- {scalar}\n- [{scalar}, x]\n", f"{scalar}: v\n"):
        _same(text, monkeypatch)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # an alias: refused, with the full loader's message
        "a: &x 1\nb: 2\n",  # an anchor without alias
        "a: !!str 12\n",
        "a: !!python/object:os.system x\n",
        "a: 1\na: 2\n",  # a repeated key
        "1: a\n",  # a key that is not text
        "? [a, b]\n: c\n",  # a key that is a list
        "<<: {a: 1}\nb: 2\n",  # a merge key
        "a: 1\n---\nb: 2\n",  # two documents
        "a: [" * 30 + "]" * 30 + "\n",  # deeper than MAX_DEPTH
        "a: [\n",  # malformed
        "",
        "---\n...\n",
        "just text\n",
        "- 1\n- 2\n",
        "a:\n  - b: 1\n    c: [1, 2, {d: e}]\n  - x\n",
        "a: |\n  two\n  lines\nb: >\n  folded\n  text\n",
    ],
)
def test_unusual_files_read_the_same(monkeypatch, text):
    _same(text, monkeypatch)


_keys = st.sampled_from(["id", "name", "kind", "cite", "quote", "yes", "1", "n", "<<", "a b"])
_scalars = st.one_of(st.sampled_from(SCALARS[:-6]), st.text(max_size=12), st.integers(), st.booleans(), st.none())
_values = st.recursive(
    _scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4), max_leaves=25
)


@fuzz
@given(
    value=_values,
    flow=st.sampled_from([None, True, False]),
    cut=st.integers(0, 400),
    insert=st.sampled_from(["", "&a ", "*a", "!!str ", "- ", ": ", "\n", "{", "'", "#"]),
)
def test_any_document_reads_the_same(monkeypatch, value, flow, cut, insert):
    text = yaml.safe_dump({"top": value}, default_flow_style=flow, allow_unicode=True, sort_keys=False)
    text = text[:cut] + insert + text[cut:]
    _same(text, monkeypatch)
