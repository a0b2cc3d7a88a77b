"""The tidy tree layout: no overlapping boxes, parents above (or left of) children."""

from __future__ import annotations

import itertools
import pickle

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ice_graph.layout import Layout, chart_tree, tidy_layout
from ice_graph.synthetic import random_organization


def _overlaps(lay: Layout) -> list[tuple[object, object]]:
    boxes = sorted((lay.box(n), n) for n in lay.pos)
    bad = []
    # sweep on x: only boxes whose x ranges intersect need the full test
    active: list[tuple[tuple[float, float, float, float], object]] = []
    for box, n in boxes:
        active = [(b, m) for b, m in active if b[2] > box[0] + 1e-6]
        for b, m in active:
            if b[1] < box[3] - 1e-6 and box[1] < b[3] - 1e-6:
                bad.append((m, n))
        active.append((box, n))
    return bad


def _check(lay: Layout) -> None:
    assert not _overlaps(lay)
    for child, parent in lay.parent.items():
        if parent is None:
            continue
        pl, pt, pr, pb = lay.box(parent)
        cl, ct, cr, cb = lay.box(child)
        if lay.rankdir == "TB":
            assert pb < ct, (parent, child)
        else:
            assert pr < cl, (parent, child)


def _check_centred(lay: Layout) -> None:
    kids: dict[object, list[object]] = {}
    for c, p in lay.parent.items():
        if p is not None and c not in lay.spine:
            kids.setdefault(p, []).append(c)
    axis = 0 if lay.rankdir == "TB" else 1
    for p, cs in kids.items():
        if any(c in lay.spine for c, q in lay.parent.items() if q == p):
            continue  # a parent with stacked columns is centred over the columns
        centres = sorted(lay.pos[c][axis] for c in cs)
        assert lay.pos[p][axis] == pytest.approx((centres[0] + centres[-1]) / 2, abs=0.01), p


@pytest.mark.parametrize("rankdir", ["TB", "LR"])
def test_ice_layout(ice, rankdir):
    T, origin = chart_tree(ice)
    assert set(origin.values()) == set(ice)
    lay = tidy_layout(T, rankdir=rankdir)
    _check(lay)
    _check_centred(lay)
    assert lay.width > 0 and lay.height > 0


def test_chart_tree_has_one_box_per_link(ice):
    T, origin = chart_tree(ice)
    links = sum(1 for u, v, a in ice.edges(data=True) if a["relation"] != "has_unit")
    non_units = sum(1 for n in T if ice.nodes[origin[n]]["category"] != "unit")
    assert non_units == links
    assert all(T.in_degree(n) <= 1 for n in T)


def test_boxes_fit_their_labels(ice):
    from ice_graph.layout import text_width

    lay = tidy_layout(ice)
    for n, lines in lay.lines.items():
        w, h = lay.size[n]
        assert all(text_width(line, lay.font[n], bold=lay.bold[n]) < w for line in lines)
        assert h > len(lines) * lay.font[n]


@settings(max_examples=8, deadline=None)
@given(n=st.integers(200, 600), seed=st.integers(0, 1000), rankdir=st.sampled_from(["TB", "LR"]))
def test_random_trees(n, seed, rankdir):
    G = random_organization(n, seed=seed, awkward=True)
    T, _ = chart_tree(G)
    lay = tidy_layout(T, rankdir=rankdir)
    _check(lay)
    _check_centred(lay)


def test_forest_roots_do_not_overlap(tiny):
    G = tiny.copy()
    G.remove_edge("top", "agency")
    lay = tidy_layout(G)
    _check(lay)
    assert lay.parent["agency"] is None


def test_bad_rankdir(tiny):
    with pytest.raises(ValueError, match="rankdir"):
        tidy_layout(tiny, rankdir="BT")


def test_overlap_detector_detects():
    lay = Layout(pos={"a": (0, 0), "b": (5, 5)}, size={"a": (10, 10), "b": (10, 10)})
    assert _overlaps(lay) == [("a", "b")]
    assert (
        list(itertools.chain(*_overlaps(Layout(pos={"a": (0, 0), "b": (20, 0)}, size={"a": (10, 10), "b": (10, 10)}))))
        == []
    )


def test_a_foreign_cycle_is_cut_not_a_key_error():
    """Issue 12 #14: nx.cycle_graph (int ids, no attributes) raised KeyError: 0 from the layout."""
    import networkx as nx

    lay = tidy_layout(nx.cycle_graph(3, create_using=nx.DiGraph))
    assert lay.cut == [(2, 0)]
    assert lay.parent == {0: None, 1: 0, 2: 1}
    _check(lay)


@st.composite
def _any_digraph(draw):
    import networkx as nx

    from ice_graph.schema import CATEGORIES, RELATIONS

    n = draw(st.integers(1, 9))
    G = nx.DiGraph()
    for i in range(n):
        cat = draw(st.none() | st.sampled_from(CATEGORIES))
        G.add_node(i, **({} if cat is None else {"category": cat}))
    for u, v, rel in draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.sampled_from(list(RELATIONS))))
    ):
        G.add_edge(u, v, relation=rel)
    return G


@settings(max_examples=150, deadline=None)
@given(G=_any_digraph(), rankdir=st.sampled_from(["TB", "LR"]))
def test_any_small_graph_is_laid_out(G, rankdir):
    """Cycles, self-loops, non-units with nodes below them: every node placed, no overlaps."""
    lay = tidy_layout(G, rankdir=rankdir)
    assert set(lay.pos) == set(G)
    _check(lay)


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("ab c-\u00e9\u2014\t\u00a0xyzW")), max_size=70),
    width=st.integers(1, 30),
)
def test_fast_wrap_is_textwraps(text, width):
    """The greedy label wrap gives textwrap's lines exactly (hyphens and long words included)."""
    import textwrap

    from ice_graph.style import wrap_words

    words = text.split()
    if words:
        part = " ".join(words)
        assert wrap_words(words, width) == (textwrap.wrap(part, width=width, break_long_words=True) or [part])


def test_labels_wrap_as_before():
    """A long name wraps greedily at word boundaries, each line within the width."""
    from ice_graph.style import label_lines

    assert label_lines({"name": "Homeland Security Investigations Intelligence"}, width=24) == [
        "Homeland Security",
        "Investigations",
        "Intelligence",
    ]


_LABEL_TEXT = st.text(alphabet=st.sampled_from(list("ab AB-\u00e9\t\n\x01\u00a0\u2028\ud800(")), max_size=40)


@settings(max_examples=400, deadline=None)
@given(
    attrs=st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "name": st.one_of(_LABEL_TEXT, st.integers(), st.none()),
                "abbreviation": st.one_of(_LABEL_TEXT, st.floats(allow_nan=True), st.none()),
            },
        ),
        max_size=8,
    ),
    width=st.integers(1, 30),
)
def test_labels_in_one_pass_are_label_lines(attrs, width):
    """label_lines_all (the layout's fast path) gives label_lines's lines for any name and abbreviation."""
    from ice_graph.style import label_lines, label_lines_all

    assert label_lines_all(attrs, width=width) == [label_lines(a, width=width) for a in attrs]


def test_box_widths_are_text_widths(ice):
    """A box is exactly its widest line (text_width's sum) plus the padding, whichever line that is."""
    from ice_graph.layout import PAD_X, text_width

    lay = tidy_layout(ice, show=("head", "employees"))
    assert any(len(lines) > 1 for lines in lay.lines.values())
    for n, lines in lay.lines.items():
        widest = max(text_width(line, lay.font[n], bold=lay.bold[n]) for line in lines)
        assert lay.size[n][0] == widest + 2 * PAD_X


def test_layout_maps_behave_as_read_only_dicts() -> None:
    """Positions, sizes, labels, ... are read-only views over lists: equal to, and pickled as, dicts in node order."""
    G = nx.DiGraph()
    G.add_edge("a", "b", relation="has_unit")
    G.add_edge("a", "c", relation="has_unit")
    nx.set_node_attributes(G, "unit", "category")
    lay = tidy_layout(G)
    for m in (lay.pos, lay.size, lay.lines, lay.font, lay.bold, lay.parent):
        as_dict = {n: m[n] for n in G}
        assert m == as_dict and list(m.items()) == list(as_dict.items()) and list(m.values()) == list(as_dict.values())
        assert "z" not in m and m.get("z") is None and len(m) == 3
        assert pickle.loads(pickle.dumps(m)) == as_dict and type(pickle.loads(pickle.dumps(m))) is dict
        with pytest.raises(TypeError):
            m["a"] = m["b"]  # type: ignore[index]
    assert lay.parent == {"a": None, "b": "a", "c": "a"}
    assert pickle.loads(pickle.dumps(lay)) == lay
