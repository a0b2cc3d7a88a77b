"""Fuzzing the readers: whatever the bytes, only our DataError escapes, quickly.

`make fuzz` runs many more examples (ICE_GRAPH_FUZZ_EXAMPLES=5000).
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ice_graph
from ice_graph.errors import DataError
from ice_graph.io import read_gexf, read_graphml
from ice_graph.io.yaml import parse_yaml

from .conftest import FIXTURES

EXAMPLES = int(os.environ.get("ICE_GRAPH_FUZZ_EXAMPLES", "60"))
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=2000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TINY = (FIXTURES / "tiny.yaml").read_text(encoding="utf-8")


def _mutations() -> st.SearchStrategy[str]:
    """The tiny fixture with a slice cut, replaced or duplicated: near-valid files."""
    n = len(TINY)
    return st.tuples(st.integers(0, n), st.integers(0, n), st.text(max_size=30)).map(
        lambda t: TINY[: min(t[0], t[1])] + t[2] + TINY[max(t[0], t[1]) :]
    )


@fuzz
@given(text=st.one_of(st.text(max_size=300), _mutations()))
def test_yaml_loader_only_raises_data_error(tmp_path_factory, text):
    p = tmp_path_factory.mktemp("y") / "f.yaml"
    p.write_text(text, encoding="utf-8")
    try:
        ice_graph.load(p)
    except DataError as exc:
        assert exc.problems and all(str(pr).startswith(str(p)) for pr in exc.problems)


@fuzz
@given(data=st.binary(max_size=300))
def test_yaml_bytes(tmp_path_factory, data):
    p = tmp_path_factory.mktemp("b") / "f.yaml"
    p.write_bytes(data)
    with contextlib.suppress(DataError):
        ice_graph.load(p)


@fuzz
@given(units=st.text(max_size=400), relations=st.text(max_size=200), sources=st.text(max_size=200))
def test_csv_loader_only_raises_data_error(tmp_path_factory, units, relations, sources):
    d = tmp_path_factory.mktemp("c")
    (d / "units.csv").write_text(units, encoding="utf-8")
    (d / "relations.csv").write_text(relations, encoding="utf-8")
    (d / "sources.csv").write_text(sources, encoding="utf-8")
    with contextlib.suppress(DataError):
        ice_graph.load(d)


_XML_SNIPPETS = st.sampled_from(
    [
        "<graphml>",
        "</graphml>",
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        "<graph>",
        "</graph>",
        '<node id="a"/>',
        '<node id="b">',
        "</node>",
        '<edge source="a" target="b"/>',
        '<edge source="a"/>',
        '<key id="k" for="node" attr.name="n" attr.type="int"/>',
        '<data key="k">x</data>',
        '<data key="zz">1</data>',
        '<gexf xmlns="http://gexf.net/1.3">',
        "</gexf>",
        "<nodes>",
        "</nodes>",
        "<edges>",
        "</edges>",
        '<attributes class="node"><attribute id="0" title="t" type="integer"/></attributes>',
        '<attvalues><attvalue for="0" value="q"/></attvalues>',
        "&amp;",
        "&bogus;",
        "<![CDATA[",
        "]]>",
        '<!DOCTYPE x [<!ENTITY e "e">]>',
        "\x00",
        "\ufeff",
    ]
)


@fuzz
@given(parts=st.lists(_XML_SNIPPETS, max_size=14), junk=st.binary(max_size=20))
def test_xml_readers_only_raise_data_error(tmp_path_factory, parts, junk):
    d = tmp_path_factory.mktemp("x")
    data = "".join(parts).encode("utf-8", "replace") + junk
    for name, reader in (("f.graphml", read_graphml), ("f.gexf", read_gexf)):
        p = d / name
        p.write_bytes(data)
        with contextlib.suppress(DataError):
            reader(p)


def test_deep_yaml_nesting_is_refused(tmp_path):
    p = tmp_path / "deep.yaml"
    p.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(DataError, match="nesting"):
        ice_graph.load(p)


def test_deep_json_cell_is_refused(tmp_path):
    (tmp_path / "units.csv").write_text('id,name,kind,citations\nx,X,agency,"' + "[" * 100_000 + '"\n')
    (tmp_path / "sources.csv").write_text("id,title,accessed\ns,S,2020-01-01\n")
    with pytest.raises(DataError, match="not valid JSON"):
        ice_graph.load(tmp_path)


def test_enormous_fields(tmp_path):
    big = "x" * 200_000
    (tmp_path / "units.csv").write_text(f"id,name,kind,source,quote\nx,{big},agency,s,q\n")
    (tmp_path / "sources.csv").write_text("id,title,accessed\ns,S,2020-01-01\n")
    with pytest.raises(DataError, match="malformed CSV|characters long"):
        ice_graph.load(tmp_path)
    text = TINY.replace("name: Legal Office", f"name: {big}")
    with pytest.raises(DataError, match="200000 characters long"):
        ice_graph.validate.validate(parse_yaml(text))


@fuzz
@given(
    field=st.sampled_from(["name", "abbreviation", "note", "description", "quote", "title", "date", "value"]),
    value=st.text(max_size=40),
)
def test_any_text_in_any_field_is_accepted_clean_or_refused(field, value):
    """Whatever text a field holds, validation gives a clean dataset or a DataError, nothing else."""
    from ice_graph.model import Record

    doc = parse_yaml(TINY)
    legal = next(n for n in doc["nodes"] if n["id"] == "legal")
    targets: dict[str, Any] = {
        "name": legal,
        "abbreviation": legal,
        "note": legal,
        "description": legal,
        "quote": legal["cite"][0],
        "title": doc["dataset"],
        "date": doc["dataset"],
        "value": next(n for n in doc["nodes"] if n["id"] == "agency")["measures"]["employees"],
    }
    rec: Record = targets[field]
    rec[field] = value
    try:
        dataset = ice_graph.validate.validate(doc)
    except DataError as exc:
        assert exc.problems
        return
    (node,) = [n for n in dataset.nodes if n.id == "legal"]
    for text in (node.name, node.abbreviation, node.description, node.note, *(c.quote for c in node.cites)):
        assert not any(ord(c) < 32 and c not in "\t\n" or c == "\x7f" for c in text)
    assert node.name.strip() == node.name and node.name
