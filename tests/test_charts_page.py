"""Charts laid out to a page: checks computed from the layout and the drawn figure, not eyeballed."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from itertools import combinations

import pytest

import ice_graph
from ice_graph.build import branches, print_pdf
from ice_graph.charts.mpl import MIN_TYPE, _fig_h, _fig_w, _figure, page_size, plan
from ice_graph.errors import ExportError, RenderError

BRANCHES = ["hsi", "ero", "opla", "management-and-administration"]


def _drawn(c):
    """What the chart draws (an overview of the selection, when it had to be)."""
    return c.graph if c.drawn is None else c.drawn


@pytest.fixture(scope="module")
def overview(ice):
    return ice_graph.chart(ice, root="ice", engine="matplotlib")


def _overlaps(lay) -> list[tuple[object, object]]:
    boxes = {n: lay.box(n) for n in lay.pos}
    return [
        (a, b)
        for (a, ba), (b, bb) in combinations(boxes.items(), 2)
        if ba[0] < bb[2] and bb[0] < ba[2] and ba[1] < bb[3] and bb[1] < ba[3]
    ]


@pytest.mark.parametrize("root", ["ice", *BRANCHES])
def test_no_boxes_overlap(ice, root):
    c = ice_graph.chart(ice, root=root, engine="matplotlib", show=("head", "employees"))
    p = plan(_drawn(c), c.options)
    assert len(p.lay.pos) >= 8
    assert _overlaps(p.lay) == []


@pytest.mark.parametrize("root", ["ice", "hsi"])
def test_every_label_inside_its_box(ice, root):
    """Measured on the drawn figure: each label's ink lies within the box drawn for it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.path import Path
    from matplotlib.transforms import Bbox

    c = ice_graph.chart(ice, root=root, engine="matplotlib", show=("head", "employees"))
    fig = _figure(_drawn(c), c.options, "png")
    renderer = FigureCanvasAgg(fig).get_renderer()
    ax = fig.axes[0]
    boxes = []
    for p in ax.patches:  # boxes of one look are one patch: a path of several boxes, each starting with MOVETO
        if p.zorder == 3:
            path = p.get_transform().transform_path(p.get_path())
            starts = [i for i, code in enumerate(path.codes) if code == Path.MOVETO] + [len(path.codes)]
            boxes += [
                Bbox([path.vertices[a:b].min(0), path.vertices[a:b].max(0)])
                for a, b in zip(starts, starts[1:], strict=False)
            ]
    labels = [t for t in ax.texts if t.get_zorder() == 4]
    assert len(labels) == len(_drawn(c)) and boxes
    for t in labels:
        e = t.get_window_extent(renderer)
        assert any(
            b.x0 - 0.5 <= e.x0 and e.x1 <= b.x1 + 0.5 and b.y0 - 0.5 <= e.y0 and e.y1 <= b.y1 + 0.5 for b in boxes
        ), t.get_text()


def test_the_bundled_chart_fills_a_landscape_page(overview):
    p = plan(_drawn(overview), overview.options)
    assert 0.5 <= p.aspect <= 2.0
    w, h = page_size("letter-landscape")
    # It fills the page's room in one direction at least (within a tenth), at no less than 6 pt.
    room_w, room_h = (w - 0.8) * 72, (h - 0.8) * 72
    fw, fh = _fig_w(p.frame) * p.frame.scale, _fig_h(p.frame, p.lay) * p.frame.scale
    assert fw <= room_w + 1 and fh <= room_h + 1
    assert max(fw / room_w, fh / room_h) >= 0.9
    assert p.min_type() >= MIN_TYPE


@pytest.mark.parametrize("root", ["ice", *BRANCHES])
def test_type_is_6_pt_or_more_at_print_size(ice, root):
    """Every text of the PDF figure (which is exactly the paper size) is at least 6 pt."""
    c = ice_graph.chart(ice, root=root, engine="matplotlib", page="tabloid-landscape", theme="print")
    fig = _figure(_drawn(c), c.options, "pdf")
    assert tuple(fig.get_size_inches()) == pytest.approx(page_size("tabloid-landscape"))
    texts = list(fig.axes[0].texts) + [t for leg in [fig.axes[0].get_legend()] if leg for t in leg.get_texts()]
    assert texts
    sizes = [t.get_fontsize() for t in texts if t.get_text().strip()]
    assert min(sizes) >= MIN_TYPE


def test_the_overview_counts_what_it_leaves_out(overview):
    V = _drawn(overview)
    names = {a["name"] for _, a in V.nodes(data=True)}
    assert "25 field offices" in "\n".join(names)  # ERO's field offices as one count
    assert not any(a.get("kind") == "field_office" for _, a in V.nodes(data=True))
    assert {"hsi", "ero", "opla", "management-and-administration"} <= set(V)
    assert "an overview" in overview.options["note"]


def test_mission_areas_are_off_by_default_and_nothing_is_drawn_twice(ice):
    c = ice_graph.chart(ice, root="hsi", engine="matplotlib", fit=False)
    assert not any(a.get("category") == "mission_area" for _, a in c.graph.nodes(data=True))
    units = [n for n, a in plan(c.graph, c.options).T.nodes(data=True) if a.get("category") == "unit"]
    assert len(units) == len(set(units))
    with_areas = ice_graph.chart(ice, root="hsi", engine="matplotlib", areas=True, fit=False)
    assert any(a.get("category") == "mission_area" for _, a in with_areas.graph.nodes(data=True))


def test_boxes_show_the_head_and_the_size(ice):
    c = ice_graph.chart(ice, root="hsi", engine="matplotlib", show=("head", "employees"))
    lines = plan(_drawn(c), c.options).lay.lines["hsi"]
    assert lines[-2:] == ["Executive Associate Director", "10,000+ employees"]
    plain = ice_graph.chart(ice, root="hsi", engine="matplotlib")
    assert "10,000+ employees" not in plan(_drawn(plain), plain.options).lay.lines["hsi"]
    with pytest.raises(ExportError, match="show"):
        ice_graph.chart(ice, show=("budget",))


def test_titles_state_the_branch_and_the_date():
    history = ice_graph.load(history=True)
    c = ice_graph.chart(history, root="hsi", as_of="2012-06-01", engine="matplotlib")
    assert c.options["title"] == "Homeland Security Investigations \u00b7 ICE, as of 1 June 2012"


@pytest.mark.parametrize("page", ["letter", "a4-portrait", "a3-landscape", "tabloid-portrait"])
def test_pdf_is_on_real_paper(ice, page):
    c = ice_graph.chart(ice, root="opla", engine="matplotlib", page=page)
    box = re.search(rb"/MediaBox \[ ?0 0 ([\d.]+) ([\d.]+) ?\]", c.to_bytes("pdf"))
    assert box is not None
    w, h = page_size(page)
    assert (float(box[1]), float(box[2])) == pytest.approx((w * 72, h * 72), abs=1)


def test_bad_page_is_refused(ice):
    with pytest.raises(RenderError, match="letter-landscape"):
        ice_graph.chart(ice, page="legal")


def test_svg_keeps_labels_as_text_with_a_font_stack(ice):
    svg = ice_graph.chart(ice, root="opla", engine="matplotlib").to_bytes("svg").decode()
    assert svg.count("<text") >= 9
    assert "Office of the Principal" in svg
    assert "sans-serif" in svg and "Arial" in svg


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler's pdffonts is not installed")
def test_pdf_fonts_are_embedded_truetype_never_type_3(ice, tmp_path):
    p = tmp_path / "c.pdf"
    p.write_bytes(print_pdf(ice))
    out = subprocess.run(["pdffonts", str(p)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows and all("TrueType" in r for r in rows), out
    assert "Type 3" not in out


def test_the_print_pdf_has_an_overview_then_a_page_per_branch(ice):
    assert branches(ice) == BRANCHES
    data = print_pdf(ice)
    assert len(re.findall(rb"/Type /Page\b", data)) == 1 + len(BRANCHES)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", "-", "-"], input=data, capture_output=True, check=True
        ).stdout.decode()
        for page in range(2, 2 + len(BRANCHES)):
            assert f"continued on page {page}" in text
        assert "page 1 of 5" in text


def test_a_chart_too_big_for_its_page_is_laid_out_smaller_not_refused(ice):
    """The 176-node graph once made a 34,173-pixel-wide PNG (RenderError); on a page it fits."""
    c = ice_graph.chart(ice, engine="matplotlib")
    assert c.to_bytes("png")[:4] == b"\x89PNG"
    assert plan(_drawn(c), c.options).min_type() >= MIN_TYPE


@pytest.mark.parametrize("width", [300.0, 650.0, 1100.0])
def test_wrapped_rows_stay_within_their_width_and_never_overlap(ice, width):
    from ice_graph.layout import chart_tree, wrapped_layout

    c = ice_graph.chart(ice, root="hsi", engine="matplotlib", fit=False)
    T, _ = chart_tree(c.graph)
    lay = wrapped_layout(T, max_width=width, rows=8)
    assert _overlaps(lay) == []
    # A box with lists of programs and partners beside it is centred over room for them on both sides.
    lists: dict[object, dict[float, float]] = {}
    for m in lay.side:
        cols = lists.setdefault(lay.parent[m], {})
        cols[lay.spine[m]] = max(cols.get(lay.spine[m], 0.0), lay.size[m][0])
    head = max(lay.size[n][0] + 2 * sum(w + 18 + 16 for w in lists.get(n, {}).values()) for n in lay.pos)
    # A row is at most the limit wide, plus the trunk's indent at each level that wraps.
    assert lay.width <= max(width, head) + 18.0 * 6 + 1
    tidy = plan(c.graph, {**c.options, "rankdir": "TB"}).lay
    assert lay.width < 2000 and tidy.pos.keys() == lay.pos.keys()
    # Every connector ends at its box: on its top (a subtree) or its left side (a stacked list).
    for n, path in lay.paths.items():
        left, top, _right, _bottom = lay.box(n)
        x, y = path[-1]
        assert y == pytest.approx(top) or x == pytest.approx(left), n


def test_an_overview_of_changes_counts_the_changes_it_hides():
    from collections import Counter

    from ice_graph.charts import changes_chart

    c = changes_chart(ice_graph.load(history=True), "2003-03-01", "2026-11-29")
    assert c.drawn is not None
    hidden = [n for n in c.graph if n not in c.drawn]
    changed = Counter(c.graph.nodes[n]["_change"] for n in hidden if c.graph.nodes[n].get("_change"))
    assert changed  # offices created since 2003, FPS gone, HSI and ERO renamed: all below ICE
    text = "\n".join(a["name"] for _, a in c.drawn.nodes(data=True) if a.get("kind") == "summary")
    assert ", ".join(f"{k} {what}" for what, k in sorted(changed.items())) in text


def test_size_lines_keep_the_qualifier_and_the_year():
    from ice_graph.style import _size_line

    assert _size_line({"employees": 10000, "employees_qualifier": "more than"}) == "10,000+ employees"
    assert _size_line({"employees": 65000, "employees_qualifier": "nearly"}) == "nearly 65,000 employees"
    assert _size_line({"employees": 1670, "employees_qualifier": "approximately"}) == "about 1,670 employees"
    assert _size_line({"employees": 6700, "employees_date": "2006"}) == "6,700 employees (2006)"


def test_an_overview_of_a_cut_chart_does_not_claim_the_cut_levels():
    # The cut keeps the top levels; the page then fits fewer: the note must not say "top N levels"
    # for levels it does not draw, and must still say what the cut left out.
    from ice_graph.synthetic import random_organization

    c = ice_graph.chart(random_organization(10000, seed=0))
    note = c.options["note"]
    assert "showing the top" not in note
    assert "left out: " in note and "grey boxes" in note


@pytest.mark.parametrize("root", BRANCHES)
def test_a_branch_fits_a_web_column_with_type_a_reader_can_read(ice, root):
    """page="column": 600 CSS px wide (at 96 px an inch), at most 1,600 tall, no type under 8 pt (about 11 px),
    and the subtitle, which says what the chart leaves out, whole on the narrow width."""
    from PIL import Image

    from ice_graph.charts.mpl import SCREEN_MIN_TYPE

    c = ice_graph.chart(ice, root=root, engine="matplotlib", page="column", dpi=96)
    p = plan(_drawn(c), c.options)
    assert p.min_type() >= SCREEN_MIN_TYPE > MIN_TYPE
    sub = " ".join(p.frame.sub)
    assert "\u2026" not in sub and sub.endswith(c.options["note"].split()[-1] if c.options["note"] else sub)
    width, height = Image.open(io.BytesIO(c.to_bytes("png"))).size
    assert 0.85 * 600 <= width <= 600 and height <= 1600  # it uses the column's width, not a corner of it
    doubled = Image.open(io.BytesIO(ice_graph.chart(ice, root=root, page="column", dpi=192).to_bytes("png"))).size
    assert doubled[0] == pytest.approx(2 * width, abs=2)


def test_column_is_a_page_name_and_has_no_turn():
    assert page_size("column") == page_size("COLUMN") and page_size("column")[0] * 96 == pytest.approx(600)
    with pytest.raises(RenderError, match="column"):
        page_size("column-landscape")
