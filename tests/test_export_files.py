"""GraphML, GEXF, JSON, CSV and Mermaid: valid, deterministic, and read back intact."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ice_graph
from ice_graph.io import EXPORT_FORMATS, export, read_graphml, read_node_link
from ice_graph.io.csv import neutralize, unneutralize, write_csv
from ice_graph.io.gexf import generate_gexf, write_gexf
from ice_graph.io.graphml import generate_graphml, write_graphml
from ice_graph.io.mermaid import generate_mermaid
from ice_graph.synthetic import random_document, random_organization

from .conftest import SCHEMAS, needs_networkx_gexf_13

needs_schemas = pytest.mark.skipif(not SCHEMAS.exists(), reason="needs ../shared/schemas")
HAS_XMLLINT = shutil.which("xmllint") is not None


def _validate_graphml(path: Path) -> None:
    if HAS_XMLLINT:
        proc = subprocess.run(
            ["xmllint", "--noout", "--schema", str(SCHEMAS / "graphml" / "graphml.xsd"), str(path)],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stderr
        return
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(SCHEMAS / "graphml" / "graphml.xsd"))
    schema.validate(str(path))


def _validate_gexf(path: Path) -> None:
    if not HAS_XMLLINT:
        pytest.skip("needs xmllint (apt-get install libxml2-utils) for RelaxNG")
    proc = subprocess.run(
        ["xmllint", "--noout", "--relaxng", str(SCHEMAS / "gexf-1.3" / "gexf.rng"), str(path)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr


def _same_graph(a: nx.DiGraph, b: nx.DiGraph) -> None:
    assert set(a) == set(b)
    assert set(a.edges) == set(b.edges)
    for n in a:
        assert dict(a.nodes[n]) == dict(b.nodes[n]), n
        assert {k: type(v) for k, v in a.nodes[n].items()} == {k: type(v) for k, v in b.nodes[n].items()}, n
    for u, v in a.edges:
        assert dict(a.edges[u, v]) == dict(b.edges[u, v]), (u, v)


# -- GraphML ---------------------------------------------------------------------


@needs_schemas
def test_graphml_validates(ice, tmp_path):
    write_graphml(ice, tmp_path / "ice.graphml")
    _validate_graphml(tmp_path / "ice.graphml")


def test_graphml_keys_are_named_and_typed_once(ice):
    text = "".join(generate_graphml(ice))
    import xml.etree.ElementTree as ET

    root = ET.fromstring(text)
    keys = root.findall("{http://graphml.graphdrawing.org/xmlns}key")
    ids = [k.get("id") for k in keys]
    assert not any(i.startswith("d") and i[1:].isdigit() for i in ids)
    per_name = {(k.get("for"), k.get("attr.name")) for k in keys}
    assert len(per_name) == len(keys)  # one declaration (one type) per attribute name
    types = {k.get("attr.name"): k.get("attr.type") for k in keys if k.get("for") == "node"}
    assert types["employees"] == "long" and types["x"] == "float" and types["label"] == "string"
    assert "None" not in text


def test_graphml_round_trip_ice(ice, tmp_path):
    write_graphml(ice, tmp_path / "ice.graphml")
    back = read_graphml(tmp_path / "ice.graphml")
    _same_graph(ice, back)
    assert back.graph == ice.graph
    disp = read_graphml(tmp_path / "ice.graphml", keep_display=True)
    assert disp.nodes["hsi"]["label"] == "Homeland Security Investigations"
    assert disp.nodes["dhs"]["y"] > disp.nodes["ice"]["y"]  # Gephi's y axis points up


def test_graphml_escapes_in_cdata_for_gephi(tiny):
    G = tiny.copy()
    G.nodes["ops"]["name"] = "A & <B> ]]> C"
    text = "".join(generate_graphml(G))
    assert "<![CDATA[A & <B> ]]]]><![CDATA[> C]]>" in text


def test_lists_dates_and_none_are_written_and_read_back(tiny, tmp_path):
    G = tiny.copy()
    G.nodes["ops"]["tags"] = ["a", "b"]
    G.nodes["ops"]["founded"] = dt.date(2003, 3, 1)
    G.nodes["ops"]["missing"] = None
    G.nodes["legal"]["label"] = "display name clash"
    write_graphml(G, tmp_path / "x.graphml")
    write_gexf(G, tmp_path / "x.gexf")
    back = read_graphml(tmp_path / "x.graphml")
    assert json.loads(back.nodes["ops"]["tags"]) == ["a", "b"]
    assert back.nodes["ops"]["founded"] == "2003-03-01"
    assert "missing" not in back.nodes["ops"]
    assert back.nodes["legal"]["label"] == "display name clash"  # kept apart from Gephi's label
    if SCHEMAS.exists():
        _validate_graphml(tmp_path / "x.graphml")
        _validate_gexf(tmp_path / "x.gexf")


def test_mixed_types_get_one_declared_type(tiny):
    G = tiny.copy()
    G.nodes["ops"]["code"] = 7
    G.nodes["legal"]["code"] = "L7"
    G.nodes["lab"]["ratio"] = 1
    G.nodes["field"]["ratio"] = 2.5
    text = "".join(generate_graphml(G))
    assert 'attr.name="code" attr.type="string"' in text
    assert 'attr.name="ratio" attr.type="double"' in text


def test_read_graphml_refuses_entities(tmp_path):
    p = tmp_path / "evil.graphml"
    p.write_text(
        '<?xml version="1.0"?><!DOCTYPE g [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph><node id="&x;"/></graph></graphml>'
    )
    with pytest.raises(ice_graph.DataError, match="refused"):
        read_graphml(p)


@pytest.mark.parametrize("content", [b"", b"<graphml", b"\x00\xff junk", b"<other/>"])
def test_read_graphml_bad_files(tmp_path, content):
    p = tmp_path / "bad.graphml"
    p.write_bytes(content)
    with pytest.raises(ice_graph.DataError, match=str(p)):
        read_graphml(p)


# -- GEXF -------------------------------------------------------------------------


@needs_schemas
def test_gexf_validates(ice, tmp_path):
    write_gexf(ice, tmp_path / "ice.gexf")
    _validate_gexf(tmp_path / "ice.gexf")


def test_gexf_meta_date_is_the_datas_and_no_dynamic_mode(ice, tiny):
    text = "".join(generate_gexf(ice))
    assert 'lastmodifieddate="2026-11-29"' in text
    assert 'mode="static"' in text and "<graph " in text and ' name=""' not in text
    assert "viz:color" in text and "viz:position" in text and "viz:size" in text and "viz:thickness" in text
    G = tiny.copy()
    G.nodes["ops"]["start"] = "2003"
    G.nodes["ops"]["end"] = "2009"
    text = "".join(generate_gexf(G))
    assert 'mode="static"' in text and "<spells" not in text and ' start="' not in text


def test_gexf_read_by_networkx(ice, tmp_path):
    needs_networkx_gexf_13()
    write_gexf(ice, tmp_path / "ice.gexf")
    back = nx.read_gexf(tmp_path / "ice.gexf")
    assert set(back) == set(ice) and back.number_of_edges() == ice.number_of_edges()
    assert back.nodes["hsi"]["employees"] == 10000


# -- determinism ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_every_format_is_deterministic(ice, tmp_path, fmt):
    export(ice, fmt, tmp_path / "a")
    export(ice.copy(), fmt, tmp_path / "b")
    assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes()


def test_unknown_export_format(ice, tmp_path):
    with pytest.raises(ice_graph.ExportError, match="did you mean 'graphml'"):
        export(ice, "grahml", tmp_path / "x")


# -- JSON ------------------------------------------------------------------------------


def test_node_link_round_trip(ice, tmp_path):
    export(ice, "json", tmp_path / "g.json")
    _same_graph(ice, read_node_link(tmp_path / "g.json"))


def test_cytoscape_elements(ice, tmp_path):
    export(ice, "cytoscape", tmp_path / "c.json")
    data = json.loads((tmp_path / "c.json").read_text())
    nodes = {n["data"]["id"]: n for n in data["elements"]["nodes"]}
    assert nodes["hsi"]["data"]["citations"] == ice.nodes["hsi"]["citations"]
    assert "position" in nodes["hsi"] and "unit" in nodes["hsi"]["classes"]
    assert len(data["elements"]["edges"]) == ice.number_of_edges()


# -- CSV ---------------------------------------------------------------------------------


def test_csv_round_trip_ice(ice, tmp_path):
    write_csv(ice, tmp_path)
    _same_graph(ice, ice_graph.load(tmp_path))


def test_csv_columns_for_gephi_kumu_pandas(ice, tmp_path):
    pd = pytest.importorskip("pandas")
    write_csv(ice, tmp_path)
    nodes = pd.read_csv(tmp_path / "nodes.csv")
    edges = pd.read_csv(tmp_path / "edges.csv")
    assert list(nodes.columns[:2]) == ["Id", "Label"] and list(edges.columns[:3]) == ["Source", "Target", "Type"]
    assert len(nodes) == len(ice) and len(edges) == ice.number_of_edges()


@pytest.mark.parametrize(
    "cell", ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "'=x", "''", "plain", "'quoted'"]
)
def test_formula_injection_neutralized(cell):
    out = neutralize(cell)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unneutralize(out) == cell


def test_csv_formula_cell_round_trip(tiny, tmp_path):
    G = tiny.copy()
    G.nodes["ops"]["name"] = '=HYPERLINK("http://evil.example","click")'
    write_csv(G, tmp_path)
    raw = (tmp_path / "nodes.csv").read_text()
    assert "'=HYPERLINK" in raw
    assert ice_graph.load(tmp_path).nodes["ops"]["name"] == G.nodes["ops"]["name"]


# -- property: YAML -> graph -> GraphML / CSV -> graph --------------------------------------


awkward_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="|"), min_size=1, max_size=20
).filter(lambda s: s.strip() and s == " ".join(s.split()))


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 60), seed=st.integers(0, 1000), names=st.lists(awkward_text, min_size=1, max_size=5))
def test_round_trips_on_random_organizations(tmp_path_factory, n, seed, names):
    doc = random_document(n, seed=seed, awkward=True)
    for i, name in enumerate(names):
        doc["nodes"][i % len(doc["nodes"])]["name"] = name
        if i % 2:
            doc["nodes"][i % len(doc["nodes"])]["description"] = f" {name} & <x> "
    G = ice_graph.codec.build_graph(ice_graph.validate.validate(doc))
    d = tmp_path_factory.mktemp("rt")
    write_graphml(G, d / "g.graphml")
    _same_graph(G, read_graphml(d / "g.graphml"))
    write_csv(G, d / "csv")
    _same_graph(G, ice_graph.load(d / "csv"))
    yaml_path = d / "g.yaml"
    yaml_path.write_text(ice_graph.io.yaml.dump_yaml(ice_graph.to_document(G)), encoding="utf-8")
    _same_graph(G, ice_graph.load(yaml_path))


@needs_schemas
@settings(max_examples=5, deadline=None)
@given(n=st.integers(1, 300), seed=st.integers(0, 1000))
def test_random_organizations_validate(tmp_path_factory, n, seed):
    G = random_organization(n, seed=seed, awkward=True)
    d = tmp_path_factory.mktemp("schema")
    write_graphml(G, d / "g.graphml")
    write_gexf(G, d / "g.gexf")
    _validate_graphml(d / "g.graphml")
    _validate_gexf(d / "g.gexf")


# -- a hand-written CSV organization ---------------------------------------------------------


def _handmade_csv(folder: Path, units: int = 300) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "units.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "parent", "name", "kind", "abbreviation", "source", "quote"])
        w.writerow(["agency", "", "Agency of Examples", "agency", "AOE", "manual", "The Agency of Examples"])
        for i in range(1, units):
            parent = "agency" if i < 10 else f"office-{(i % 9) + 1}"
            kind = "office" if i < 10 else "division"
            w.writerow(
                [
                    f"office-{i}" if i < 10 else f"division-{i}",
                    parent,
                    f"Unit {i} & Co",
                    kind,
                    "",
                    "manual",
                    f"Unit {i}",
                ]
            )
        w.writerow(["grants", "", "Grants Program", "program", "", "manual", "grants"])
    with open(folder / "relations.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["unit", "relation", "target", "source", "quote"])
        w.writerow(["office-1", "runs", "grants", "manual", "Office 1 runs grants"])
    with open(folder / "sources.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "title", "publisher", "url", "accessed"])
        w.writerow(["manual", "Agency manual", "Agency of Examples", "https://example.org/manual", "2025-01-31"])


def test_handmade_csv_organization_exports_everywhere(tmp_path):
    _handmade_csv(tmp_path / "org")
    G = ice_graph.load(tmp_path / "org")
    assert len(G) == 301 and G.graph["date"] == "2025-01-31"
    assert ice_graph.summary(G)["levels"] == 3
    for fmt in EXPORT_FORMATS:
        buf = io.StringIO()
        export(G, fmt, buf)
        text = buf.getvalue()
        assert len(text) > 100 or (fmt == "dataset-csv" and "org,org,2025-01-31" in text), fmt
    ice_graph.render(G, tmp_path / "org.png", engine="matplotlib")
    assert (tmp_path / "org.png").stat().st_size > 1000


def test_broken_csv_rows_are_reported_with_row_numbers(tmp_path):
    _handmade_csv(tmp_path / "org", units=20)
    lines = (tmp_path / "org" / "units.csv").read_text().splitlines()
    assert ",office," in lines[3] and lines[12].startswith("division-")
    lines[3] = lines[3].replace(",office,", ",offce,")
    lines[12] = lines[12].replace(",office-", ",ofice-")
    lines.insert(7, "too,many,cells,here,x,y,z,extra")  # becomes row 8; row 13 moves to 14
    (tmp_path / "org" / "units.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(ice_graph.DataError) as info:
        ice_graph.load(tmp_path / "org")
    msgs = [str(p) for p in info.value.problems]
    units = str(tmp_path / "org" / "units.csv")
    assert any(m.startswith(f"{units}:4:") and "unknown kind 'offce'" in m and "'office'" in m for m in msgs), msgs
    assert any(m.startswith(f"{units}:14:") and "parent 'ofice-" in m for m in msgs), msgs
    assert any(m.startswith(f"{units}:8:") and "8 cells" in m for m in msgs), msgs


def test_csv_needs_a_sources_file(tmp_path):
    _handmade_csv(tmp_path / "org", units=5)
    (tmp_path / "org" / "sources.csv").unlink()
    with pytest.raises(ice_graph.DataError, match="no sources file"):
        ice_graph.load(tmp_path / "org")


def test_csv_unknown_column_suggests(tmp_path):
    _handmade_csv(tmp_path / "org", units=5)
    p = tmp_path / "org" / "units.csv"
    p.write_text(p.read_text().replace("abbreviation", "abreviation", 1))
    with pytest.raises(ice_graph.DataError, match="did you mean 'abbreviation'"):
        ice_graph.load(tmp_path / "org")


# -- Mermaid -------------------------------------------------------------------------------------


def test_mermaid_quotes_every_name(tiny):
    G = tiny.copy()
    G.nodes["ops"]["name"] = 'Ops "A" & <B> #1 `x`'
    text = "".join(generate_mermaid(G))
    assert text.startswith("flowchart TD\n")
    assert "Ops #quot;A#quot; #amp; #lt;B#gt; #35;1 #96;x#96;" in text
    body = [line for line in text.splitlines() if '["' in line]
    assert all(line.count('"') == 2 for line in body)
    assert "op-clean" not in text  # hierarchy only by default
    assert "-.->" in "".join(generate_mermaid(G, hierarchy_only=False))
