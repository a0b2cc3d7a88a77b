"""Full-detail charts of big organizations: every node drawn or said to be left out, labels placed as Text does."""

from __future__ import annotations

import io
import re

import matplotlib
import pytest

import ice_graph
from ice_graph.charts.mpl import LABEL_SPACING, _Label, _Labels, _labels_artist, plan
from ice_graph.layout import chart_tree, tidy_layout
from ice_graph.synthetic import random_organization


@pytest.fixture(scope="module")
def big():
    return random_organization(600, seed=3)


def test_a_chart_says_it_left_the_mission_areas_out(ice):
    areas = sum(1 for _, a in ice.nodes(data=True) if a.get("category") == "mission_area")
    c = ice_graph.chart(ice, engine="matplotlib", max_nodes=None, page=None)
    assert len(c.graph) == len(ice) - areas
    assert f"{areas} mission areas not shown" in c.options["note"] and c.hidden_areas == areas > 0
    every = ice_graph.chart(ice, engine="matplotlib", max_nodes=None, page=None, areas=True)
    assert len(every.graph) == len(ice) and "not shown" not in every.options["note"] and every.hidden_areas == 0


def test_the_full_chart_draws_every_node_as_text(big):
    c = ice_graph.chart(big, engine="matplotlib", max_nodes=None, page=None, areas=True)
    assert len(c.graph) == len(big) and c.drawn is None
    svg = c.to_bytes("svg").decode()
    names = [str(a["name"]) for _, a in big.nodes(data=True)]
    texts = "".join(re.findall(r"<text [^>]*>([^<]*)</text>", svg))
    assert all(name.split()[0] in texts for name in names)
    assert svg.count("<text") >= len(big)


def test_without_a_page_the_chart_is_the_plain_tidy_layout(big):
    """Nothing to fit: the first candidate (the tidy top-down layout) is the plan, as when all were tried."""
    c = ice_graph.chart(big, engine="matplotlib", max_nodes=None, page=None)
    p = plan(c.graph, c.options)
    assert p.lay.pos == tidy_layout(chart_tree(c.graph)[0], rankdir="TB").pos


def _svg_lines(draw) -> list[tuple[str, float]]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 3))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 288)
    ax.set_ylim(216, 0)
    ax.set_axis_off()
    draw(ax)
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "x"}):
        fig.savefig(buf, format="svg")
    found = re.findall(
        r'<text [^>]*?(?:y="([^"]*)"|translate\([^ ]* ([^)]*)\))[^>]*>([^<]*)</text>', buf.getvalue().decode()
    )
    return [(t, float(a or b)) for a, b, t in found]


@pytest.mark.skipif(
    tuple(int(x) for x in matplotlib.__version__.split(".")[:2]) < (3, 10),
    reason="Text places lines by the font's own line height from matplotlib 3.10",
)
@pytest.mark.parametrize("bold", [False, True])
@pytest.mark.parametrize(
    "lines", [["Homeland Security", "Investigations", "(HSI)"], ["Policy", "ÉÀ qgjy", "", "x"], ["one line"]]
)
def test_svg_labels_sit_where_matplotlib_text_puts_them(lines, bold):
    size = 9.3
    weight = "bold" if bold else "normal"

    def as_text(ax):
        ax.text(100, 80, "\n".join(lines), ha="center", va="center", fontsize=size, fontweight=weight,
                linespacing=LABEL_SPACING, fontfamily="DejaVu Sans", parse_math=False)  # fmt: skip

    def as_labels(ax):
        ax.add_artist(_labels_artist()(_Labels([_Label(100, 80, lines, size, bold, "#000000")])))

    text, labels = _svg_lines(as_text), _svg_lines(as_labels)
    assert [t for t, _ in labels] == [line for line in lines if line]
    assert [y for _, y in labels] == pytest.approx([y for _, y in text], abs=1e-5)


def test_svg_labels_are_text_whichever_matplotlib_places_them(monkeypatch):
    """Before matplotlib 3.10 (another text layout), SVG labels are drawn as Text, still real <text>."""
    from ice_graph.charts import mpl as chart_mpl

    G = ice_graph.load()
    fast = ice_graph.chart(G, engine="matplotlib").to_bytes("svg").decode()
    monkeypatch.setattr(chart_mpl, "_text_model_known", lambda: False)
    slow = ice_graph.chart(G, engine="matplotlib").to_bytes("svg").decode()
    texts = [sorted(re.findall(r">([^<>]+)</text>", svg)) for svg in (fast, slow)]
    assert texts[0] == texts[1] and "Operations" in texts[0] and len(texts[0]) > 50
