"""Regression tests for the graph-file defects of issues 12 and 18 (DOT, GraphML, GEXF, JSON, Mermaid, files)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

import ice_graph
from ice_graph.io import _files, export, read_gexf, read_graphml, read_node_link
from ice_graph.io._common import column_types, nmtoken, un_nmtoken
from ice_graph.io.dot import LEGEND_ID, generate_dot, quote_id, to_pydot
from ice_graph.io.gexf import generate_gexf
from ice_graph.io.graphml import generate_graphml, write_graphml
from ice_graph.io.json import write_node_link
from ice_graph.io.mermaid import generate_mermaid

from .test_export_files import _validate_gexf, _validate_graphml, needs_schemas

GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"


def _dot_ok(text: str) -> None:
    proc = subprocess.run(["dot", "-Tsvg"], input=text.encode(), capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode()


# -- DOT (issue 12 #1, #2, #3, #16; issue 18 title) ------------------------------------------


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("ice", "ice"),
        ("a_1", "a_1"),
        ("-1.5", "-1.5"),
        ("management-and-administration", '"management-and-administration"'),
        ("v1.2", '"v1.2"'),
        ("node", '"node"'),
        ("Graph", '"Graph"'),
        ("1abc", '"1abc"'),
        ("@legend", '"@legend"'),
        ('a"b\\', '"a\\"b\\\\"'),
    ],
)
def test_quote_id_follows_the_dot_grammar(name, quoted):
    assert quote_id(name) == quoted


def test_dot_ids_are_quoted_by_us_not_by_pydot(tiny):
    G = nx.relabel_nodes(tiny, {"legal": "legal-office.v2", "ops": "node"})
    dot = to_pydot(G)
    names = [n.get_name() for n in dot.get_nodes()]
    names += [n.get_name() for s in dot.get_subgraphs() for n in s.get_nodes()]
    plain = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
    ids = [n for n in names if n not in ("node", "edge", "graph")]  # pydot's default statements
    assert '"legal-office.v2"' in ids
    for n in ids:
        assert (n.startswith('"') and n.endswith('"')) or (plain.fullmatch(n) and n.lower() != "node"), n


def test_a_unit_called_legend_keeps_its_own_node(tiny):
    G = nx.relabel_nodes(tiny, {"legal": "legend"})
    dot = to_pydot(G)
    names = [n.get_name() for n in dot.get_nodes()] + [n.get_name() for n in dot.get_subgraphs()[0].get_nodes()]
    names = [n for n in names if n not in ("node", "edge", "graph")]
    assert len(names) == len(set(names)) == len(G) + 1
    assert quote_id(LEGEND_ID) in names and "legend" in names


@pytest.mark.dot
def test_a_unit_called_legend_is_drawn(tiny):
    G = nx.relabel_nodes(tiny, {"legal": "legend"})
    svg = subprocess.run(["dot", "-Tsvg"], input="".join(generate_dot(G)).encode(), capture_output=True, check=True)
    assert svg.stdout.decode().count('class="node"') == len(G) + 1
    assert G.nodes["legend"]["name"] in svg.stdout.decode()


@pytest.mark.dot
@pytest.mark.parametrize("ch", ["\x01", "\x08", "\x0b", "\x0e", "\x1b", "\x7f", "\r", "\x9f"])
def test_control_characters_in_names_do_not_break_dot(tiny, ch):
    G = tiny.copy()
    G.nodes["legal"]["name"] = f"Legal{ch}Office"
    G.graph["title"] = f"Title{ch}"
    text = "".join(generate_dot(G))
    assert ch not in text.replace("\n", "")
    _dot_ok(text)


@pytest.mark.dot
def test_a_graph_without_date_or_sources_gives_valid_dot():
    G = nx.DiGraph()
    G.add_edge("a", "b")
    text = "".join(generate_dot(G))
    assert '<FONT POINT-SIZE="11"></FONT>' not in text
    _dot_ok(text)


def _label_of(G: nx.DiGraph, node: str) -> str:
    dot = to_pydot(G, legend=False)
    (pnode,) = dot.get_node(quote_id(node))
    return str(pnode.get("label"))


@pytest.mark.parametrize("abbr", ["", "   ", None])
def test_a_blank_abbreviation_takes_no_line_of_the_name(tiny, abbr):
    G = tiny.copy()
    name = "Office of the Principal Legal Advisor for Enforcement"  # wraps to 3 lines at 24 characters
    G.nodes["legal"]["name"] = name
    if abbr is None:
        G.nodes["legal"].pop("abbreviation", None)
    else:
        G.nodes["legal"]["abbreviation"] = abbr
    label = _label_of(G, "legal")
    assert "POINT-SIZE" not in label  # no abbreviation line
    assert label.count("<BR/>") == 2
    for word in name.split():
        assert word in label


def test_an_abbreviation_gets_its_own_small_line(tiny):
    G = tiny.copy()
    G.nodes["legal"]["name"] = "Office of the Principal Legal Advisor"
    G.nodes["legal"]["abbreviation"] = "OPLA"
    label = _label_of(G, "legal")
    assert label.endswith('<BR/><FONT POINT-SIZE="9">(OPLA)</FONT>>')
    assert "Advisor" in label.split("POINT-SIZE")[0]


# -- GraphML keys and ids (issue 12 #4; issue 18) ---------------------------------------------


def _keys(text: str) -> list[ET.Element]:
    return ET.fromstring(text).findall(f"{GRAPHML_NS}key")


@needs_schemas
@pytest.mark.parametrize("attr", ["edge_relation", "edge_label", "graph_x", "data_x", "data_label", "label", "x"])
def test_graphml_attribute_names_never_collide(tiny, tmp_path, attr):
    G = tiny.copy()
    G.nodes["legal"][attr] = 42
    G.graph[attr] = "graph value"
    G.edges["top", "agency"][attr] = 1.5
    text = "".join(generate_graphml(G))
    ids = [k.get("id") for k in _keys(text)]
    assert len(ids) == len(set(ids))
    path = tmp_path / "g.graphml"
    path.write_text(text, encoding="utf-8")
    _validate_graphml(path)
    back = read_graphml(path)
    assert back.nodes["legal"][attr] == 42
    assert back.graph[attr] == "graph value"
    assert back.edges["top", "agency"][attr] == 1.5
    assert back.edges["top", "agency"]["relation"] == "has_unit"
    assert dict(back.nodes["ops"]) == dict(tiny.nodes["ops"])


def test_graphml_key_ids_carry_their_scope(tiny):
    ids = {(k.get("for"), k.get("id")) for k in _keys("".join(generate_graphml(tiny)))}
    assert {f for f, _ in ids} == {"node", "edge", "graph"}
    for scope, kid in ids:
        assert kid.startswith({"node": "n_", "edge": "e_", "graph": "g_"}[scope]), kid


@pytest.mark.parametrize("name", ["a b", "0x", "", "_x0041_", "é", "😀", "a:b", "data_x", "x_", "_x_"])
def test_attribute_names_are_escaped_reversibly(name):
    token = nmtoken(name)
    assert re.fullmatch(r"[A-Za-z0-9._\-]+", token), token
    assert un_nmtoken(token) == name


@needs_schemas
@pytest.mark.parametrize("reader", ["graphml", "gexf", "json"])
def test_odd_node_ids_are_valid_and_come_back(tmp_path, reader):
    G = nx.DiGraph()
    G.add_edge(7, "a b")
    G.add_edge("a b", (1, "a"))
    G.add_edge((1, "a"), "7")  # a string "7" beside the int 7
    G.add_edge("7", "plain")
    path = tmp_path / f"g.{reader}"
    export(G, {"json": "json"}.get(reader, reader), path)
    if reader == "graphml":
        _validate_graphml(path)
        back = read_graphml(path)
        assert set(back) == {7, "a b", '[1, "a"]', "7", "plain"}  # tuples come back as their JSON text
        assert back.has_edge(7, "a b") and back.has_edge("7", "plain")
    elif reader == "gexf":
        _validate_gexf(path)
        back = read_gexf(path)
        # GEXF ids come back as text; an int whose text another node has gets a generated id
        assert set(back) == {"_n0", "a b", '[1, "a"]', "7", "plain"}
        assert back.number_of_edges() == G.number_of_edges()
    else:
        back = read_node_link(path)
        assert set(back) == set(G) and set(back.edges) == set(G.edges)


# -- Readers (issue 12 #13; issue 18) --------------------------------------------------------

_GEXF = """<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" version="1.3">
  <graph defaultedgetype="{kind}">
    <attributes class="node">
      <attribute id="0" title="active" type="boolean"/>
      <attribute id="1" title="node_for_adding" type="string"/>
    </attributes>
    <nodes>
      <node id="a" label="Alpha Office"><attvalues><attvalue for="0" value="false"/>
        <attvalue for="1" value="x"/></attvalues></node>
      <node id="b" label="b"/>
      {extra}
    </nodes>
    <edges><edge id="0" source="a" target="b" weight="2.5" label="reports to"/></edges>
  </graph>
</gexf>
"""


def test_read_gexf_keeps_labels_weights_and_false(tmp_path):
    path = tmp_path / "g.gexf"
    path.write_text(_GEXF.format(kind="directed", extra=""), encoding="utf-8")
    G = read_gexf(path)
    assert G.nodes["a"]["label"] == "Alpha Office"
    assert "label" not in G.nodes["b"]  # the label says nothing the id does not
    assert G.nodes["a"]["active"] is False
    assert G.nodes["a"]["node_for_adding"] == "x"
    assert G.edges["a", "b"]["weight"] == 2.5 and G.edges["a", "b"]["label"] == "reports to"
    assert G.is_directed()


def test_read_gexf_undirected_and_duplicate_ids(tmp_path):
    path = tmp_path / "g.gexf"
    path.write_text(_GEXF.format(kind="undirected", extra=""), encoding="utf-8")
    assert not read_gexf(path).is_directed()
    path.write_text(_GEXF.format(kind="directed", extra='<node id="a" label="Again"/>'), encoding="utf-8")
    with pytest.raises(ice_graph.DataError, match="used twice"):
        read_gexf(path)


_GRAPHML = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="d0" for="node" attr.name="node_for_adding" attr.type="string"/>
  <key id="d1" for="edge" attr.name="u_of_edge" attr.type="int"/>
  <key id="d2" for="edge" attr.name="v_of_edge" attr.type="boolean"/>
  <graph id="G" edgedefault="{kind}">
    <node id="a"><data key="d0">x</data></node>
    <node id="b"/>
    {extra}
    <edge source="a" target="b"><data key="d1">3</data><data key="d2">false</data></edge>
  </graph>
</graphml>
"""


def test_read_graphml_keyword_named_attributes_and_undirected(tmp_path):
    path = tmp_path / "g.graphml"
    path.write_text(_GRAPHML.format(kind="undirected", extra=""), encoding="utf-8")
    G = read_graphml(path)
    assert not G.is_directed() and G.has_edge("b", "a")
    assert G.nodes["a"]["node_for_adding"] == "x"
    assert G.edges["a", "b"] == {"u_of_edge": 3, "v_of_edge": False}


def test_read_graphml_refuses_duplicate_node_ids(tmp_path):
    path = tmp_path / "g.graphml"
    path.write_text(_GRAPHML.format(kind="directed", extra='<node id="a"/>'), encoding="utf-8")
    with pytest.raises(ice_graph.DataError, match="'a' is used twice"):
        read_graphml(path)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"[]",
        b"{}",
        b'"text"',
        b"\xff\xfe not utf-8",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"nodes": [{"no": "id"}]}',
        b'{"nodes": [{"id": {"a": 1}}]}',
        b'{"nodes": [{"id": "a"}], "edges": [{"source": "a", "target": "zz"}]}',
        b'{"nodes": [{"id": "a"}, {"id": "a"}]}',
        b'{"nodes": [], "multigraph": true}',
        b'{"nodes": [{"id": "a", "n": ' + b"9" * 5000 + b"}]}",
    ],
)
def test_read_node_link_bad_files(tmp_path, content):
    path = tmp_path / "g.json"
    path.write_bytes(content)
    with pytest.raises(ice_graph.DataError):
        read_node_link(path)


def test_read_node_link_missing_file(tmp_path):
    with pytest.raises(ice_graph.DataError, match="cannot read"):
        read_node_link(tmp_path / "missing.json")


def test_read_node_link_without_multigraph_is_a_digraph(tmp_path):
    path = tmp_path / "g.json"
    path.write_text(
        json.dumps(
            {
                "nodes": [{"id": "a", "node_for_adding": 1}, {"id": "b"}],
                "edges": [{"source": "a", "target": "b", "u_of_edge": 2}],
            }
        ),
        encoding="utf-8",
    )
    G = read_node_link(path)
    assert type(G) is nx.DiGraph
    assert G.nodes["a"] == {"node_for_adding": 1} and G.edges["a", "b"] == {"u_of_edge": 2}


def test_node_link_keeps_attributes_named_like_its_fields(tmp_path):
    G = nx.DiGraph()
    G.add_node("a", id="other", data_id=1, label="L")
    G.add_node("b")
    G.add_edge("a", "b", source="s", target="t", key="k")
    write_node_link(G, tmp_path / "g.json")
    back = read_node_link(tmp_path / "g.json")
    assert dict(back.nodes["a"]) == dict(G.nodes["a"]) and dict(back.edges["a", "b"]) == dict(G.edges["a", "b"])


# -- Numbers (issue 12 #13; issue 18) -------------------------------------------------------


def test_numpy_numbers_are_written_as_numbers(tiny, tmp_path):
    G = tiny.copy()
    G.nodes["legal"].update(count=np.int64(5), share=np.float64(0.25), active=np.bool_(True))
    types = {k.get("attr.name"): k.get("attr.type") for k in _keys("".join(generate_graphml(G)))}
    assert (types["count"], types["share"], types["active"]) == ("long", "double", "boolean")
    write_graphml(G, tmp_path / "g.graphml")
    back = read_graphml(tmp_path / "g.graphml").nodes["legal"]
    assert (back["count"], back["share"], back["active"]) == (5, 0.25, True)
    assert type(back["count"]) is int and type(back["active"]) is bool
    write_node_link(G, tmp_path / "g.json")
    assert json.loads((tmp_path / "g.json").read_text())["nodes"][3]["count"] == 5


@pytest.mark.parametrize(
    ("values", "typ"),
    [
        ([1, 2**63 - 1, -(2**63)], "long"),
        ([1, 2**63], "string"),  # beyond xsd:long: kept as its digits
        ([1, 2.5], "double"),
        ([2**53 + 1, 2.5], "string"),  # a double would round 2**53+1
        ([2**53, 0.5], "double"),
        ([True, 1], "string"),
        ([10**5000], "string"),
    ],
)
def test_column_type_loses_nothing(values, typ):
    assert column_types([{"m": v} for v in values]) == {"m": typ}


@needs_schemas
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_huge_and_mixed_numbers_export_valid_and_exact(tiny, tmp_path, fmt):
    G = tiny.copy()
    G.nodes["legal"].update(huge=10**5000, exact=2**53 + 1, big=2**64, inf=float("inf"))
    G.nodes["ops"].update(huge=1, exact=0.5, big=1, inf=1.0)
    path = tmp_path / f"g.{fmt}"
    export(G, fmt, path)
    (_validate_graphml if fmt == "graphml" else _validate_gexf)(path)
    back = (read_graphml if fmt == "graphml" else read_gexf)(path).nodes["legal"]
    assert int(back["exact"]) == 2**53 + 1 and int(back["big"]) == 2**64
    assert back["huge"] == "1" + "0" * 5000
    assert back["inf"] == float("inf")


def test_huge_int_in_json(tmp_path):
    G = nx.DiGraph()
    G.add_node("a", n=10**5000)
    write_node_link(G, tmp_path / "g.json")
    assert read_node_link(tmp_path / "g.json").nodes["a"]["n"] == "1" + "0" * 5000


def test_carriage_return_survives_graphml(tiny, tmp_path):
    G = tiny.copy()
    G.nodes["legal"]["note"] = "one\rtwo\r\nthree <&>"
    write_graphml(G, tmp_path / "g.graphml")
    assert read_graphml(tmp_path / "g.graphml").nodes["legal"]["note"] == "one\rtwo\r\nthree <&>"


def test_carriage_return_survives_gexf(tiny, tmp_path):
    G = tiny.copy()
    G.nodes["legal"]["note"] = "one\rtwo"
    G.graph["description"] = "a\rb"
    export(G, "gexf", tmp_path / "g.gexf")
    assert b"\r" not in (tmp_path / "g.gexf").read_bytes()
    assert read_gexf(tmp_path / "g.gexf").nodes["legal"]["note"] == "one\rtwo"


def test_gexf_until_the_first_day_is_an_export_error(tiny):
    G = tiny.copy()
    G.graph["history"] = True
    G.nodes["legal"]["valid_from"] = "0001"
    G.nodes["legal"]["valid_until"] = "0001"
    with pytest.raises(ice_graph.ExportError, match="valid_until '0001'"):
        "".join(generate_gexf(G))


# -- Mermaid (issue 18) ---------------------------------------------------------------------


def test_mermaid_kind_cannot_inject_a_line(tiny):
    G = tiny.copy()
    G.nodes["legal"]["kind"] = 'unit\nclick n0 href "javascript:alert(1)"'
    G.nodes["ops"]["kind"] = "default"
    lines = "".join(generate_mermaid(G)).splitlines()
    assert not any("click" in line or "javascript" in line for line in lines)
    for line in lines:
        if line.strip().startswith(("classDef", "class ")):
            assert re.fullmatch(
                r"    (classDef [A-Za-z][A-Za-z0-9_]* \S+|class [n0-9,]+ [A-Za-z][A-Za-z0-9_]*)", line
            ), line
    assert not any(line.startswith("    classDef default") for line in lines)


# -- Cycles (issue 12 #14) ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "cytoscape", "json", "dot", "mermaid"])
def test_a_has_unit_cycle_exports(tiny, tmp_path, fmt):
    G = tiny.copy()
    G.add_edge("agency", "top", relation="has_unit")  # no root left: the whole hierarchy is a cycle
    export(G, fmt, tmp_path / "out")
    assert (tmp_path / "out").stat().st_size > 0


# -- Writing through symlinks and into devices (issue 18) ------------------------------------


def test_writing_to_a_symlink_writes_the_file_it_names(tiny, tmp_path):
    real = tmp_path / "real.graphml"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.graphml"
    link.symlink_to(real)
    write_graphml(tiny, link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8").startswith("<?xml")


def test_writing_to_a_fifo_writes_into_it(tiny, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def drain() -> None:
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    reader = threading.Thread(target=drain)
    reader.start()
    write_graphml(tiny, fifo)
    reader.join(timeout=10)
    assert not reader.is_alive()
    assert got[0].startswith(b"<?xml") and got[0].endswith(b"</graphml>\n")
    assert fifo.is_fifo()


def test_a_character_device_is_written_in_place(tiny, tmp_path, monkeypatch):
    target = tmp_path / "fake-device"
    target.write_text("", encoding="utf-8")
    real_stat = os.stat

    def fake_stat(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        st = real_stat(path, *args, **kwargs)
        if Path(path) == target:
            return os.stat_result((0o020666, *tuple(st)[1:]))  # S_IFCHR
        return st

    monkeypatch.setattr(_files.os, "stat", fake_stat)
    monkeypatch.setattr(_files.os, "replace", lambda *a: pytest.fail("a device must never be replaced"))
    write_graphml(tiny, target)
    assert target.read_text(encoding="utf-8").startswith("<?xml")
    assert [p.name for p in tmp_path.iterdir()] == ["fake-device"]  # no temporary file left


def test_a_socket_or_folder_is_refused(tiny, tmp_path):
    with pytest.raises(ice_graph.ExportError, match="folder"), _files.atomic_write(tmp_path):
        pass


# -- Undirected and multi graphs (issue 18) -------------------------------------------------

_OWN_FORMATS = ["graphml", "gexf", "json", "cytoscape", "dot", "mermaid"]


@pytest.mark.parametrize("fmt", [*_OWN_FORMATS, "nodes-csv", "edges-csv"])
def test_a_multigraph_is_refused_not_merged(tmp_path, fmt):
    M = nx.MultiDiGraph()
    M.add_edge("a", "b", relation="has_unit")
    M.add_edge("a", "b", relation="runs")
    with pytest.raises(ice_graph.ExportError, match="multigraph"):
        export(M, fmt, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_multigraph_writes_no_csv_folder(tmp_path):
    M = nx.MultiDiGraph([("a", "b"), ("a", "b")])
    with pytest.raises(ice_graph.ExportError, match="multigraph"):
        ice_graph.write_csv(M, tmp_path / "out")
    assert not (tmp_path / "out").exists()  # not nodes.csv without edges.csv


@pytest.mark.parametrize(("fmt", "read"), [("graphml", read_graphml), ("gexf", read_gexf), ("json", read_node_link)])
def test_an_undirected_graph_comes_back_undirected(tmp_path, fmt, read):
    U = nx.Graph()
    U.add_edge("a", "b", relation="partners_with")
    U.add_edge("c", "b")
    export(U, fmt, tmp_path / "out")
    back = read(tmp_path / "out")
    assert not back.is_directed()
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in U.edges}


@pytest.mark.dot
def test_an_undirected_graph_draws_each_edge_once(tmp_path):
    U = nx.Graph()
    U.add_edge("a", "b")
    U.add_edge("c", "b")
    text = "".join(generate_dot(U))
    assert "dir=none" in text
    svg = subprocess.run(["dot", "-Tsvg"], input=text.encode(), capture_output=True, check=True).stdout.decode()
    assert svg.count('class="edge"') == 2


@pytest.mark.dot
@pytest.mark.parametrize("registry", ["{not json", '{"s": 3}', "[1, 2]", 7])
def test_dot_of_a_foreign_graph_with_odd_metadata(registry):
    G = nx.DiGraph()
    G.add_edge("a", "b")
    G.graph.update(source_registry=registry, title=5)
    _dot_ok("".join(generate_dot(G)))


@pytest.mark.parametrize("until", ["garbage", 5, "2010-02-30"])
def test_gexf_timeline_bad_dates_are_export_errors(tiny, until):
    G = tiny.copy()
    G.graph["history"] = True
    G.nodes["legal"].update(valid_from="2000", valid_until=until)
    with pytest.raises(ice_graph.ExportError, match="is not a date"):
        "".join(generate_gexf(G))


@pytest.mark.dot
@pytest.mark.parametrize("name", ["]", "]]", "[", "a]b", "]]>"])
def test_brackets_in_names_give_valid_dot(tiny, name):
    G = tiny.copy()
    G.nodes["legal"]["name"] = name
    G.graph["title"] = name
    _dot_ok("".join(generate_dot(G)))


def test_a_lone_surrogate_is_written_and_read_back_in_json(tmp_path):
    G = nx.DiGraph()
    G.add_node("a", name="broken \udcff text")
    write_node_link(G, tmp_path / "g.json")
    assert read_node_link(tmp_path / "g.json").nodes["a"]["name"] == "broken \udcff text"
    export(G, "cytoscape", tmp_path / "c.json")
    assert json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["elements"]["nodes"][0]["data"]["name"]


@pytest.mark.parametrize("fmt", ["mermaid", "dot", "graphml", "gexf"])
def test_a_lone_surrogate_in_a_name_is_written(tiny, tmp_path, fmt):
    G = tiny.copy()
    G.nodes["legal"]["name"] = "broken \udcff text"
    export(G, fmt, tmp_path / "out")
    assert "broken" in (tmp_path / "out").read_text(encoding="utf-8")
