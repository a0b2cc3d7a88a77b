"""Charts of strange graphs: cut big charts, cycles, foreign graphs, hostile names, sizes and display."""

from __future__ import annotations

import importlib
import struct
import xml.etree.ElementTree as ET
from collections import Counter

import matplotlib
import networkx as nx
import pytest

import ice_graph
from ice_graph.charts.chart import Chart
from ice_graph.errors import ExportError, IceGraphError, RenderError
from ice_graph.layout import chart_tree, tidy_layout
from ice_graph.style import THEMES, label_lines
from ice_graph.synthetic import random_organization

S = importlib.import_module("ice_graph.charts.select")
PNG = b"\x89PNG"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:4] == PNG
    w, h = struct.unpack(">II", data[16:24])
    return w, h


def _svg_text(c: Chart) -> str:
    """The SVG of a matplotlib chart with its texts as <text> elements (not glyph paths)."""
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        return c.to_bytes("svg").decode("utf-8")


def _org(*nodes: tuple[str, str, str], edges: tuple[tuple[str, str, str], ...] = ()) -> nx.DiGraph:
    """A small graph: nodes (id, kind, name), edges (superior, subordinate, relation)."""
    G = nx.DiGraph(title="Test", date="2024-01-01")
    for n, kind, name in nodes:
        G.add_node(n, kind=kind, category=ice_graph.schema.category_of(kind), name=name)
    for u, v, rel in edges:
        G.add_edge(u, v, relation=rel)
    return G


# --- issue 12 #9: a cut chart keeps what hangs on its units and says what it left out ---


def test_big_chart_keeps_attached_nodes_and_counts_what_is_left_out():
    G = random_organization(2000, seed=1)
    V, note = S.chart_view(G, max_nodes=300)
    assert len(V) <= 300
    units = [n for n in V if G.nodes[n]["category"] == "unit"]
    attached = {v for u in units for v in G.successors(u) if G.nodes[v]["category"] != "unit"}
    assert attached and attached <= set(V)
    left = Counter(G.nodes[n]["category"] for n in G if n not in V)
    assert f"{len(units)} of 2000 units" in note
    for cat, word in [("unit", "units"), ("program", "programs"), ("mission_area", "mission areas")]:
        assert f"{left[cat]} {word}" in note
    assert left["partner"] == 0 or f"{left['partner']} partners" in note


# --- issue 12 #10: predecessor_of is drawn in its own style, listed once in the legend ---

PRED = _org(
    ("a", "agency", "Agency"),
    ("old", "office", "Old office"),
    ("new", "office", "New office"),
    edges=(("a", "old", "has_unit"), ("a", "new", "has_unit"), ("old", "new", "predecessor_of")),
)


def test_matplotlib_draws_predecessor_of_in_its_style():
    svg = ice_graph.chart(PRED, engine="matplotlib", legend=False).to_bytes("svg").decode()
    color = THEMES["light"].edge("predecessor_of").color
    assert f"stroke: {color}" in svg


def test_legends_list_each_relation_once():
    mpl = importlib.import_module("ice_graph.charts.mpl")
    _kinds, relations, _changes = mpl._legend_entries(PRED, THEMES["light"])
    assert relations == ["has_unit", "predecessor_of"]
    dot = ice_graph.chart(PRED, engine="matplotlib").to_bytes("dot").decode()
    assert dot.count("has unit (hierarchy)") == 1 and dot.count("predecessor of") == 1
    pred = THEMES["light"].edge("predecessor_of")
    assert f'a -> new [color="{pred.color}"' not in dot
    assert f'old -> new [color="{pred.color}", style=dashed' in dot


# --- issue 12 #14: cycles in the hierarchy ---

CYCLE = _org(
    ("a", "agency", "A"),
    ("b", "office", "B"),
    ("c", "office", "C"),
    ("d", "division", "D"),
    edges=(("a", "b", "has_unit"), ("b", "c", "has_unit"), ("c", "a", "has_unit"), ("c", "d", "has_unit")),
)


def test_layout_cuts_a_cycle_at_its_first_node():
    lay = tidy_layout(CYCLE)
    assert lay.cut == [("c", "a")]
    assert lay.parent == {"a": None, "b": "a", "c": "b", "d": "c"}
    assert len(lay.pos) == 4


def test_layout_of_two_cycles_and_a_tail_is_deterministic():
    G = _org(*[(n, "office", n) for n in "xyzpq"])
    G.add_edges_from([("x", "y"), ("y", "x"), ("y", "z"), ("p", "q"), ("q", "p")], relation="has_unit")
    lay = tidy_layout(G)
    assert lay.cut == [("y", "x"), ("q", "p")]
    assert lay.parent["z"] == "y"
    assert sorted(n for n, p in lay.parent.items() if p is None) == ["p", "x"]


def test_matplotlib_chart_of_a_cycle_says_so():
    svg = _svg_text(ice_graph.chart(CYCLE, engine="matplotlib"))
    assert "the hierarchy has a cycle" in svg and "C \u2192 A" in svg


@pytest.mark.dot
def test_graphviz_chart_of_a_cycle():
    assert ice_graph.chart(CYCLE, engine="graphviz").to_bytes("png")[:4] == PNG


# --- Jupyter display: one image, not one per format ---


def test_display_gives_one_image(ice):
    c = ice_graph.chart(ice, engine="matplotlib", root="OPLA")
    assert not hasattr(c, "_repr_png_") and not hasattr(c, "_repr_svg_")
    bundle = c._repr_mimebundle_()
    assert list(bundle) == ["image/png"] and bundle["image/png"][:4] == PNG
    svg = c._repr_mimebundle_(include=["image/svg+xml"])
    assert list(svg) == ["image/svg+xml"] and "<svg" in svg["image/svg+xml"]
    assert c._repr_mimebundle_(exclude=["image/png"]) == {}


# --- issue 18: titles, names with $, control characters, dpi ---

LONG = "Directorate " * 900  # about 10,000 characters


def test_long_title_is_wrapped_and_cut():
    G = _org(("a", "agency", "Agency"))
    G.graph["title"] = LONG
    c = ice_graph.chart(G, engine="matplotlib")
    w, h = _png_size(c.to_bytes("png"))
    assert w < 2000 and h < 1000
    svg = _svg_text(c)
    assert svg.count("Directorate") < 60 and "\u2026" in svg


@pytest.mark.dot
def test_long_title_is_cut_in_graphviz_charts():
    G = _org(("a", "agency", "Agency"))
    G.graph["title"] = LONG
    w, _h = _png_size(ice_graph.chart(G, engine="graphviz").to_bytes("png"))
    assert w < 3000


def test_huge_png_is_refused_before_drawing():
    G = _org(*[(f"u{i}", "office", f"Office number {i}") for i in range(60)])
    G.add_node("top", kind="agency", category="unit", name="Top")
    G.add_edges_from((("top", f"u{i}") for i in range(60)), relation="has_unit")
    c = ice_graph.chart(G, engine="matplotlib", rankdir="TB", dpi=1200, page=None)  # natural size: 60 boxes wide
    with pytest.raises(RenderError, match="pixels"):
        c.to_bytes("png")


DOLLARS = ["Legal $\\foo$ Office", "Costs $x^$", "$5 to $10"]


@pytest.mark.parametrize("name", DOLLARS)
def test_dollar_signs_are_drawn_as_written(name):
    G = _org(("a", "agency", name), ("p", "program", name), edges=(("a", "p", "runs"),))
    G.graph["title"] = name
    svg = _svg_text(ice_graph.chart(G, engine="matplotlib"))
    expected = name.replace("&", "&amp;").replace("<", "&lt;")
    assert svg.count(expected) == 3  # title and both boxes, as plain text


CONTROL = "".join(chr(i) for i in range(1, 0x1C))


def test_label_lines_drop_control_characters():
    invisible = "".join(ch for ch in CONTROL if not ch.isspace())  # white space breaks or separates words
    assert label_lines({"name": f"Office {invisible}of Law", "abbreviation": "O\x01L"}) == ["Office of Law", "(OL)"]


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_control_characters_give_well_formed_files(fmt):
    G = _org(("a", "agency", f"A{CONTROL}gency"), ("p", "program", "P\x01rog\x1b"), edges=(("a", "p", "runs"),))
    G.graph["title"] = f"Title{CONTROL}"
    data = ice_graph.chart(G, engine="matplotlib").to_bytes(fmt)
    if fmt == "svg":
        ET.fromstring(data)
    else:
        assert data[:4] in (PNG, b"%PDF")


@pytest.mark.parametrize("dpi", [1, 29, 1201, 0, -5, float("nan"), True, "150"])
def test_dpi_out_of_range_is_refused(dpi):
    with pytest.raises(ExportError, match="from 30 to 1200"):
        ice_graph.chart(PRED, engine="matplotlib", dpi=dpi)


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"size": (0, 0)}, "size must be"),
        ({"size": (-1, 2)}, "size must be"),
        ({"size": "big"}, "size must be"),
        ({"size": (float("nan"), 3)}, "size must be"),
        ({"max_nodes": 0}, "max_nodes must be"),
        ({"max_nodes": "x"}, "max_nodes must be"),
    ],
)
def test_bad_size_and_max_nodes_are_refused(option, message):
    with pytest.raises(ExportError, match=message):
        ice_graph.chart(PRED, engine="matplotlib", **option).to_bytes("png")


def test_dpi_at_the_bounds_is_drawn():
    assert ice_graph.chart(PRED, engine="matplotlib", dpi=30).to_bytes("png")[:4] == PNG


# --- nodes without category, foreign graphs ---


def _no_category() -> nx.DiGraph:
    G = _org(("a", "agency", "Agency"), ("p", "program", "Program"), ("m", "mission_area", "Area"))
    G.add_edge("a", "p", relation="runs")
    G.add_edge("a", "m", relation="responsible_for")
    for n in "pm":  # the agency keeps its category: its programs and areas are then grouped
        del G.nodes[n]["category"]
    G.add_node("k", name="No kind either")
    G.add_edge("a", "k", relation="has_unit")
    return G


def test_category_comes_from_kind():
    V, _ = S.chart_view(_no_category())
    assert {n: a["category"] for n, a in V.nodes(data=True)} == {
        "a": "unit",
        "p": "program",
        "m": "mission_area",
        "k": "unit",
    }


@pytest.mark.parametrize("engine", ["matplotlib", pytest.param("graphviz", marks=pytest.mark.dot)])
def test_nodes_without_category_are_drawn(engine):
    assert ice_graph.chart(_no_category(), engine=engine).to_bytes("png")[:4] == PNG


def test_foreign_graph_is_one_tree_labelled_by_ids():
    T = nx.balanced_tree(3, 3, create_using=nx.DiGraph)
    c = ice_graph.chart(T, engine="matplotlib")
    tree, origin = chart_tree(c.graph)
    assert set(origin) == set(T)  # every node drawn once, under its own id
    lay = tidy_layout(tree)
    assert [n for n, p in lay.parent.items() if p is None] == [0]
    assert all(lay.parent[v] == u for u, v in T.edges)
    assert all(lay.lines[n] == [str(n)] for n in T)
    assert c.to_bytes("png")[:4] == PNG


@pytest.mark.dot
def test_foreign_graph_through_graphviz():
    T = nx.balanced_tree(3, 3, create_using=nx.DiGraph)
    c = ice_graph.chart(T, engine="graphviz")
    dot = c.to_bytes("dot").decode()
    assert "?" not in dot and "<B>0</B>" not in dot and ">39<" in dot
    ET.fromstring(c.to_bytes("svg"))


@pytest.mark.parametrize("graph", [nx.Graph([(1, 2)]), nx.MultiDiGraph([(1, 2)])])
def test_undirected_and_multigraphs_are_refused(graph):
    with pytest.raises(IceGraphError):
        ice_graph.chart(graph, engine="matplotlib")


def test_an_orthogonal_router_crash_is_drawn_again_with_polylines(monkeypatch, ice):
    # Graphviz's ortho router aborts on some graphs (SIGABRT, "failed at node N"): draw again, not fail.
    import subprocess

    G = importlib.import_module("ice_graph.charts.graphviz")
    calls = []

    def fake_run(args, **kwargs):
        calls.append(args)
        if "-Gsplines=polyline" not in args:
            return subprocess.CompletedProcess(args, -6, b"", b"failed at node 16[0]\n")
        return subprocess.CompletedProcess(args, 0, b"<svg/>", b"")

    monkeypatch.setattr(G.shutil, "which", lambda _: "/usr/bin/dot")
    monkeypatch.setattr(G.subprocess, "run", fake_run)
    out = G.run_graphviz(
        ice, "svg", {"theme": "light", "rankdir": "TB", "title": None, "note": "", "legend": True, "dpi": 72}
    )
    assert out == b"<svg/>" and len(calls) == 2
