"""Charts: engines, filters, formats, inline display, atomic writes."""

from __future__ import annotations

import importlib

import pytest

import ice_graph
from ice_graph.errors import ExportError, GraphvizNotFound

R = importlib.import_module("ice_graph.charts.graphviz")
S = importlib.import_module("ice_graph.charts.select")
PNG = b"\x89PNG"


@pytest.fixture()
def no_dot(monkeypatch):
    monkeypatch.setattr(R.shutil, "which", lambda name: None)


def test_fallback_without_graphviz(ice, tmp_path, no_dot):
    c = ice_graph.render(ice, tmp_path / "chart.png")
    assert c.engine == "matplotlib"
    assert (tmp_path / "chart.png").read_bytes()[:4] == PNG


def test_explicit_graphviz_without_dot_says_how_to_install(ice, tmp_path, no_dot):
    with pytest.raises(GraphvizNotFound, match="apt-get install graphviz"):
        ice_graph.render(ice, tmp_path / "chart.png", engine="graphviz")
    assert not (tmp_path / "chart.png").exists()


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_matplotlib_formats(ice, tmp_path, fmt):
    p = tmp_path / f"chart.{fmt}"
    ice_graph.render(ice, p, engine="matplotlib", root="HSI")
    data = p.read_bytes()
    assert data[:4] == {"png": PNG, "svg": b"<?xm", "pdf": b"%PDF"}[fmt]


def test_matplotlib_svg_is_deterministic(ice):
    a = ice_graph.chart(ice, engine="matplotlib", root="ERO").to_bytes("svg")
    b = ice_graph.chart(ice, engine="matplotlib", root="ERO").to_bytes("svg")
    assert a == b


@pytest.mark.dot
@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_graphviz_formats(ice, tmp_path, fmt):
    p = tmp_path / f"chart.{fmt}"
    c = ice_graph.render(ice, p, engine="graphviz")
    assert c.engine == "graphviz"
    assert p.read_bytes()[:4] == {"png": PNG, "svg": b"<?xm", "pdf": b"%PDF"}[fmt]


def test_dot_format(ice, tmp_path):
    ice_graph.render(ice, tmp_path / "c.dot")
    assert (tmp_path / "c.dot").read_text().startswith("digraph")


def test_branch_depth_and_filters(ice):
    V, _ = S.chart_view(ice, root="hsi", depth=1)
    assert "hsi" in V and "hsi-intelligence" in V and "ice" not in V
    assert "human-trafficking" in V  # attached to the branch
    V, _ = S.chart_view(ice, root="hsi", depth=0)
    assert {n for n in V if ice.nodes[n]["category"] == "unit"} == {"hsi"}
    V, _ = S.chart_view(ice, hierarchy_only=True)
    assert {a["relation"] for _, _, a in V.edges(data=True)} == {"has_unit"}
    assert all(a["category"] == "unit" for _, a in V.nodes(data=True))
    V, _ = S.chart_view(
        ice, relations=["has_unit", "partners_with"], kinds=[k for k in ice_graph.schema.KINDS if k != "mission_area"]
    )
    assert "fbi" in V and "human-trafficking" not in V
    assert {a["relation"] for _, _, a in V.edges(data=True)} == {"has_unit", "partners_with"}
    V, _ = S.chart_view(ice, depth=1)
    assert {n for n in V if ice.nodes[n]["category"] == "unit"} == {"dhs", *ice_graph.direct_reports(ice, "dhs")}


def test_big_chart_is_cut_and_says_so():
    from ice_graph.synthetic import random_organization

    G = random_organization(2000, seed=1)
    V, note = S.chart_view(G, max_nodes=300)
    assert len(V) <= 300 and "of 2000 units" in note


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"engine": "gnuplot"}, "unknown engine"),
        ({"theme": "neon"}, "unknown theme"),
        ({"rankdir": "BT"}, "unknown direction"),
        ({"dpi": 0}, "dpi"),
        ({"root": "nowhere"}, "no unit matches"),
    ],
)
def test_bad_options(ice, tmp_path, options, message):
    with pytest.raises(ice_graph.IceGraphError, match=message):
        ice_graph.render(ice, tmp_path / "x.png", **options)
    assert list(tmp_path.iterdir()) == []


def test_bad_format_writes_nothing(ice, tmp_path):
    with pytest.raises(ExportError, match="unknown format 'gif'"):
        ice_graph.render(ice, tmp_path / "x.gif")
    assert list(tmp_path.iterdir()) == []


def test_failure_keeps_previous_file(ice, tmp_path, monkeypatch):
    p = tmp_path / "chart.png"
    p.write_bytes(b"previous")

    def boom(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(importlib.import_module("ice_graph.charts.chart"), "draw_matplotlib", boom)
    with pytest.raises(RuntimeError):
        ice_graph.render(ice, p, engine="matplotlib")
    assert p.read_bytes() == b"previous"
    assert [f.name for f in tmp_path.iterdir()] == ["chart.png"]


def test_inline_display(ice):
    c = ice_graph.chart(ice, engine="matplotlib", root="OPLA")
    assert c._repr_image_png()[:4] == PNG
    assert "<svg" in c._repr_image_svg_xml()
    assert list(c._repr_mimebundle_()) == ["image/png"]


def test_print_theme_is_grayscale(ice):
    from ice_graph.style import THEMES, hex_to_rgb

    for st in THEMES["print"].nodes.values():
        r, g, b = hex_to_rgb(st.fill)
        assert r == g == b
