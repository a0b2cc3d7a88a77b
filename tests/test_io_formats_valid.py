"""Every export format of awkward graphs is valid for its format and reads back with the same nodes and edges.

The graphs: the bundled ICE graph, one with hostile names and attribute names, a
balanced tree with integer ids, and one with a ``has_unit`` cycle. The formats:
every entry of ``EXPORT_FORMATS`` (a new format cannot go untested).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest

import ice_graph
from ice_graph.io import EXPORT_FORMATS, export, read_gexf, read_graphml, read_node_link

from .conftest import FIXTURES
from .test_export_files import _validate_gexf, _validate_graphml, needs_schemas

HOSTILE_NAMES = [
    "Control\x01\x02\x1b\x7f chars",
    "Costs $x^$ and $5 to $10",
    "The \"Quoted\" 'Office'",
    ']; x -> y [label="',
    "<b>bold</b> & <i>",
    "Emoji \U0001f600 office \u2603",
    "Carriage\rreturn\r\nand newline\n",
    "Very long " * 200,
]
HOSTILE_ATTRS = ["edge_relation", "label", "id", "node_for_adding", "a b", "0x", "u_of_edge", "data_x", "graph_x"]


def _hostile() -> nx.DiGraph:
    G = ice_graph.load(FIXTURES / "tiny.yaml")
    for n, name in zip(list(G), HOSTILE_NAMES, strict=False):
        G.nodes[n]["name"] = name
        G.nodes[n]["abbreviation"] = name[:10]
    G = nx.relabel_nodes(G, {"legal": "legal office", "ops": "node", "field": "legend"})
    for i, attr in enumerate(HOSTILE_ATTRS):
        G.nodes["top"][attr] = f"value {i} \r <&>"
        G.edges["top", "agency"][attr] = i
    G.graph["title"] = HOSTILE_NAMES[3]
    return G


def _tree() -> nx.DiGraph:
    return nx.balanced_tree(3, 3, create_using=nx.DiGraph)


def _cycle() -> nx.DiGraph:
    G = ice_graph.load(FIXTURES / "tiny.yaml")
    G.add_edge("agency", "top", relation="has_unit")  # no root left: the whole hierarchy is a cycle
    return G


GRAPHS: dict[str, Callable[[], nx.DiGraph]] = {
    "ice": ice_graph.load,
    "hostile": _hostile,
    "int-tree": _tree,
    "cycle": _cycle,
}


def _text_id(n: object) -> str:
    return n if isinstance(n, str) else json.dumps(list(n)) if isinstance(n, tuple) else str(n)


def _check_graphml(G: nx.DiGraph, path: Path) -> None:
    _validate_graphml(path)
    back = read_graphml(path)
    assert set(back) == set(G) and set(back.edges) == set(G.edges)


def _check_gexf(G: nx.DiGraph, path: Path) -> None:
    _validate_gexf(path)
    back = read_gexf(path)
    assert set(back) == {_text_id(n) for n in G}  # GEXF ids come back as text
    assert set(back.edges) == {(_text_id(u), _text_id(v)) for u, v in G.edges}


def _check_json(G: nx.DiGraph, path: Path) -> None:
    back = read_node_link(path)
    assert set(back) == set(G) and set(back.edges) == set(G.edges)
    for n in G:
        assert dict(back.nodes[n]) == {k: v for k, v in G.nodes[n].items()}


def _check_cytoscape(G: nx.DiGraph, path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert {e["data"]["id"] for e in data["elements"]["nodes"]} == {str(n) for n in G}
    edges = {(e["data"]["source"], e["data"]["target"]) for e in data["elements"]["edges"]}
    assert edges == {(str(u), str(v)) for u, v in G.edges}


def _check_dot(G: nx.DiGraph, path: Path) -> None:
    if shutil.which("dot") is None:
        pytest.skip("needs the Graphviz 'dot' executable")
    proc = subprocess.run(["dot", "-Tsvg", str(path)], capture_output=True, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    svg = ET.fromstring(proc.stdout)
    nodes = [g for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "node"]
    edges = [g for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "edge"]
    assert len(nodes) == len(G) + 1  # and the legend
    assert len(edges) == G.number_of_edges()


_MERMAID_LINE = re.compile(
    r'flowchart (TD|LR)|    n\d+\["[^"\n]*"\]|    n\d+ (---|-\.->|==>|-->) n\d+'
    r"|    classDef [A-Za-z]\w* fill:#\w+,stroke:#\w+,color:#\w+|    class [n\d,]+ [A-Za-z]\w*"
)


def _check_mermaid(G: nx.DiGraph, path: Path) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    for line in lines[:-1]:
        assert _MERMAID_LINE.fullmatch(line), line
    units = [n for n, a in G.nodes(data=True) if a.get("category") == "unit"]
    assert sum(1 for line in lines if line.startswith("    n") and '["' in line) == len(units)


def _check_csv(G: nx.DiGraph, path: Path) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    assert rows and len({len(r) for r in rows}) == 1  # rectangular: no row split by a \r


CHECKS: dict[str, Callable[[nx.DiGraph, Path], None]] = {
    "graphml": _check_graphml,
    "gexf": _check_gexf,
    "json": _check_json,
    "cytoscape": _check_cytoscape,
    "dot": _check_dot,
    "mermaid": _check_mermaid,
}


def test_every_format_has_a_check():
    assert set(CHECKS) | {f for f in EXPORT_FORMATS if f.endswith("-csv")} == set(EXPORT_FORMATS)


@needs_schemas
@pytest.mark.parametrize("fmt", sorted(CHECKS))
@pytest.mark.parametrize("graph", sorted(GRAPHS))
def test_export_is_valid_and_reads_back(tmp_path, graph, fmt):
    G = GRAPHS[graph]()
    path = tmp_path / f"out.{fmt}"
    export(G, fmt, path)
    CHECKS[fmt](G, path)


@pytest.mark.parametrize("fmt", sorted(f for f in EXPORT_FORMATS if f.endswith("-csv")))
@pytest.mark.parametrize("graph", sorted(GRAPHS))
def test_csv_exports_are_rectangular(request, tmp_path, graph, fmt):
    G = GRAPHS[graph]()
    path = tmp_path / f"out.{fmt}"
    export(G, fmt, path)
    _check_csv(G, path)
