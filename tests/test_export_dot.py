"""DOT output: org-chart style, display attributes only, awkward names escaped."""

from __future__ import annotations

import html
import subprocess
import xml.etree.ElementTree as ET

import pytest

import ice_graph
from ice_graph.io.dot import dot_ids, generate_dot, to_pydot, write_dot
from ice_graph.style import label_lines

AWKWARD = {
    "quote": 'The "Quoted" Office',
    "colon": "Office: Legal",
    "backslash": "Back\\slash Unit\\",
    "angle": "<Angle> Office",
    "ampersand": "Management & Administration",
    "non_ascii": "Oficina de Asuntos Jurídicos – Ñandú",
    "newline": "First line\nSecond line",
    "injection": '"]; x -> y [label="',
}


def _tiny_with(tiny, name: str):
    G = tiny.copy()
    G.nodes["legal"]["name"] = name
    return G


@pytest.mark.parametrize("case", sorted(AWKWARD))
def test_awkward_names_are_escaped(tiny, case):
    name = AWKWARD[case]
    text = "".join(generate_dot(_tiny_with(tiny, name)))
    lines = label_lines({"name": name})
    assert len(lines) >= name.count("\n") + 1
    for line in lines:
        # each line of the HTML-like label is escaped: &, <, >, " never appear raw, nor "]" (which
        # Graphviz's HTML lexer can take for the end of the attribute list)
        assert html.escape(line, quote=True).replace("&#x27;", "&#39;").replace("]", "&#93;") in text


@pytest.mark.dot
@pytest.mark.parametrize("case", sorted(AWKWARD))
def test_graphviz_parses_awkward_names_without_warnings(tiny, case):
    name = AWKWARD[case]
    text = "".join(generate_dot(_tiny_with(tiny, name)))
    canon = subprocess.run(["dot", "-Tcanon"], input=text.encode(), capture_output=True, check=False)
    assert canon.returncode == 0 and canon.stderr == b"", canon.stderr
    svg = subprocess.run(["dot", "-Tsvg"], input=text.encode(), capture_output=True, check=True).stdout.decode()
    texts = {"".join(t.itertext()) for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")}
    for line in label_lines({"name": name}):
        assert line in texts, (line, texts)
    # one node per data node plus the legend: nothing was split out of quoting
    assert svg.count('class="node"') == len(tiny) + 1


@pytest.mark.dot
def test_ice_dot_parses_without_warnings(ice):
    text = "".join(generate_dot(ice))
    proc = subprocess.run(["dot", "-Tcanon"], input=text.encode(), capture_output=True, check=False)
    assert proc.returncode == 0 and proc.stderr == b""


def test_only_display_attributes(ice):
    text = "".join(generate_dot(ice))
    for leaked in ("citations", "what-is-ice", "statutes_enforced", "HSI employs", "description"):
        assert leaked not in text
    assert "Data as of 2026-11-29" in text
    assert "Legend" in text


def test_kinds_and_relations_styled_differently(ice):
    dot = to_pydot(ice)
    nodes = {n.get_name().strip('"'): n for n in dot.get_nodes()}
    assert nodes["hsi"].get("fillcolor") != nodes["human-trafficking"].get("fillcolor")
    assert nodes["human-trafficking"].get("shape") != nodes["operation-predator"].get("shape")
    edges = {(e.get_source().strip('"'), e.get_destination().strip('"')): e for e in dot.get_edges()}
    assert edges[("ice", "hsi")].get("style") == "solid"
    assert edges[("hsi", "human-trafficking")].get("style") == "dotted"
    assert edges[("ice", "operation-predator")].get("style") == "dashed"


def test_unsafe_ids_are_replaced(tiny):
    G = tiny.copy()
    G.add_node('a"b', name="x", kind="office", category="unit")
    G.add_node("node", name="y", kind="office", category="unit")
    ids = dot_ids(G)
    assert ids["ops"] == "ops"
    assert ids['a"b'].startswith("n") and ids["node"] != "node"
    assert len(set(ids.values())) == len(G)


def test_write_dot_is_deterministic(ice, tmp_path):
    write_dot(ice, tmp_path / "a.dot")
    write_dot(ice, tmp_path / "b.dot")
    assert (tmp_path / "a.dot").read_bytes() == (tmp_path / "b.dot").read_bytes()


def test_rankdir_and_theme(ice):
    text = "".join(generate_dot(ice, rankdir="LR", theme="print"))
    assert "rankdir=LR" in text and "#1b365d" not in text
    with pytest.raises(ValueError):
        to_pydot(ice, rankdir="XX")
    with pytest.raises(ice_graph.ExportError, match="unknown theme"):
        to_pydot(ice, theme="dark")


def _odd_ids_graph():
    """Node ids DOT must quote or rename: keywords, numerals, colons, spaces, quotes, non-ASCII, integers."""
    import networkx as nx

    from ice_graph.synthetic import random_organization

    G = random_organization(120, seed=4, awkward=True)
    mapping = dict(
        zip(
            list(G)[:10],
            ["node", "graph", "1.5", "a:b", "with space", 'q"uote', "Ñandú", 7, "-3", "x@y"],
            strict=False,
        )
    )
    return nx.relabel_nodes(G, mapping)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"group_leaves": True},
        {"rankdir": "LR", "legend": False, "stagger_leaves": False},
        {"theme": "print", "title": 'A "title" <b>', "note": "a note & more"},
    ],
)
@pytest.mark.parametrize("undirected", [False, True])
def test_streamed_dot_is_pydots_text(options, undirected):
    """The DOT file, written directly, is the text of the pydot graph (the Dot object API).

    Line for line: pydot 3 writes a blank line before a closing brace that pydot 4 does not,
    and the file must not depend on the pydot installed.
    """
    G = _odd_ids_graph()
    if undirected:
        G = G.to_undirected()

    def lines(text: str) -> list[str]:
        return [line for line in text.splitlines() if line.strip()]

    assert lines("".join(generate_dot(G, **options))) == lines(to_pydot(G, **options).to_string())


def test_dot_file_builds_no_pydot_objects(ice, monkeypatch):
    """10^5 pydot objects took most of a big DOT file's time: the file is streamed without them."""
    import pydot

    def refuse(*_a, **_k):
        raise AssertionError("a pydot object was built")

    monkeypatch.setattr(pydot, "Node", refuse)
    monkeypatch.setattr(pydot, "Edge", refuse)
    text = "".join(generate_dot(ice))
    assert text.startswith("digraph organization {") and text.endswith("}\n")


def test_a_charts_credit_line_names_its_own_sources_by_publisher(ice):
    from ice_graph.io.dot import chart_title

    opla = ice_graph.subtree(ice, "OPLA")
    cited = {s for n in opla for s in ice_graph.codec.sources_of(opla, n)} | {
        s for u, v in opla.edges for s in ice_graph.codec.sources_of(opla, u, v)
    }
    credit = chart_title(opla)[1]
    assert f"Sources: {len(cited)} documents from U.S. Immigration and Customs Enforcement" in credit
    assert "What is ICE" not in credit  # no longer the dataset's first three titles on every chart
