"""Charts drawn by matplotlib, on the tidy-tree layout of :mod:`ice_graph.layout`."""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any

from .._types import OrgGraph
from ..io.dot import chart_title
from ..layout import Layout, chart_tree, text_width, tidy_layout
from ..schema import RELATIONS
from ..style import get_theme

__all__ = ["draw_matplotlib", "CHANGE_STYLE"]

_LINESTYLE: dict[str, Any] = {"solid": "solid", "dashed": (0, (5, 3)), "dotted": (0, (1, 2)), "bold": "solid"}


def _connector(lay: Layout, p: Hashable, c: Hashable, side_rank: int = 0) -> list[tuple[float, float]]:
    """Orthogonal org-chart connector from parent p to child c."""
    (px, py), (cx, cy) = lay.pos[p], lay.pos[c]
    pl, pt, pr, pb = lay.box(p)
    cl, ct, cr, cb = lay.box(c)
    if lay.rankdir == "TB":
        bus = lay.bus[p]
        if c in lay.spine:
            sx = lay.spine[c]
            if lay.attached_beside.get(p) and sx > pr:
                # The unit's own bus is taken by its subordinates: leave from its side.
                y = py + 5.0 * side_rank
                return [(pr, y), (sx, y), (sx, cy), (cl, cy)]
            return [(px, pb), (px, bus), (sx, bus), (sx, cy), (cl, cy)]
        return [(px, pb), (px, bus), (cx, bus), (cx, ct)]
    bus = lay.bus[p]
    return [(pr, py), (bus, py), (bus, cy), (cl, cy)]


CHANGE_STYLE = {
    "added": ("#1a9641", "solid", "added"),
    "removed": ("#d7191c", "dashed", "removed"),
    "renamed": ("#e08b00", "solid", "renamed"),
}


def _wrap_to(text: str, width: float, size: float) -> list[str]:
    """Break text into lines no wider than ``width`` points at ``size``."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_width(lines[-1] + " " + word, size) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def draw_matplotlib(V: OrgGraph, fmt: str, opts: dict[str, Any]) -> bytes:
    import io

    import matplotlib
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyBboxPatch, Patch

    th = get_theme(opts["theme"])
    T, _origin = chart_tree(V)
    lay = tidy_layout(T, rankdir=opts["rankdir"])
    heading, sub = chart_title(V, title=opts["title"], note=opts["note"])
    margin = 24.0
    title_h = 58.0
    kinds = list(dict.fromkeys(a.get("kind", "unit") for _, a in V.nodes(data=True)))
    relations = [r for r in RELATIONS if any(a.get("relation") == r for _, _, a in V.edges(data=True))]
    n_entries = len(kinds) + len(relations) + len({a.get("_change") for _, a in V.nodes(data=True)} - {None})
    width = max(lay.width, 520.0, text_width(heading, 18, bold=True))
    sub_lines = _wrap_to(sub, width, 9.5)
    title_h += 13.0 * (len(sub_lines) - 1)
    ncol = max(1, min(n_entries, int(width // 150)))
    legend_h = (math.ceil(n_entries / ncol) * 15 + 20) if opts["legend"] else 0.0
    fig_w = width + 2 * margin
    fig_h = lay.height + title_h + legend_h + 2 * margin + 14
    scale = 1.0
    if opts.get("size"):
        max_w, max_h = opts["size"]
        scale = min(1.0, max_w * 72 / fig_w, max_h * 72 / fig_h)
    fig = Figure(figsize=(fig_w * scale / 72, fig_h * scale / 72), facecolor=th.background)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(-margin, width + margin)
    ax.set_ylim(lay.height + legend_h + margin + 14, -margin - title_h)
    ax.set_axis_off()
    ax.set_facecolor(th.background)
    fs = scale  # text scales with the figure

    ax.text(
        0, -title_h - margin / 2 + 8, heading, fontsize=18 * fs, fontweight="bold", color=th.title, va="top", ha="left"
    )
    ax.text(
        0,
        -title_h - margin / 2 + 34,
        "\n".join(sub_lines),
        fontsize=9.5 * fs,
        color="#444444",
        va="top",
        ha="left",
        linespacing=1.3,
    )

    # Connectors of the chart tree (hierarchy and links), grouped by relation.
    segs: dict[str, list[list[tuple[float, float]]]] = {}
    spines: dict[Hashable, list[float]] = {}
    for c, p in lay.parent.items():
        if p is not None and c in lay.spine:
            spines.setdefault(p, []).append(lay.spine[c])
    for c, p in lay.parent.items():
        if p is None:
            continue
        rel = T.edges[p, c].get("relation", "has_unit") if T.has_edge(p, c) else "has_unit"
        rank = sorted(set(spines.get(p, []))).index(lay.spine[c]) if c in lay.spine else 0
        segs.setdefault(rel, []).append(_connector(lay, p, c, rank))
    for rel, paths in segs.items():
        es = th.edge(rel)
        ax.add_collection(
            LineCollection(
                paths,
                colors=es.color,
                linewidths=es.width * fs,
                linestyles=[_LINESTYLE[es.style]],
                zorder=1,
                capstyle="butt",
            )
        )

    for n, a in T.nodes(data=True):
        kind = a.get("kind", "unit")
        st = th.node(kind)
        left, top, right, bottom = lay.box(n)
        w, h = right - left, bottom - top
        rounding = h / 2 if st.shape == "ellipse" else 1.5 if st.shape == "note" else 4.0
        ls = (0, (4, 2)) if st.dashed else "solid"
        ax.add_patch(
            FancyBboxPatch(
                (left, top),
                w,
                h,
                boxstyle=f"round,pad=0,rounding_size={min(rounding, h / 2, w / 2)}",
                facecolor=st.fill,
                edgecolor=st.border,
                linewidth=st.border_width * fs,
                linestyle=ls,
                zorder=3,
            )
        )
        if st.peripheries > 1:
            ax.add_patch(
                FancyBboxPatch(
                    (left + 2.5, top + 2.5),
                    w - 5,
                    h - 5,
                    boxstyle="round,pad=0,rounding_size=2.5",
                    facecolor="none",
                    edgecolor=st.border,
                    linewidth=0.8 * fs,
                    zorder=3,
                )
            )
        change = a.get("_change")
        lines = lay.lines[n]
        if change:
            color, style, _label = CHANGE_STYLE[change]
            pad = 3.0
            ax.add_patch(
                FancyBboxPatch(
                    (left - pad, top - pad),
                    w + 2 * pad,
                    h + 2 * pad,
                    boxstyle=f"round,pad=0,rounding_size={min(rounding + pad, (h + 2 * pad) / 2)}",
                    facecolor="none",
                    edgecolor=color,
                    linewidth=2.4 * fs,
                    linestyle=(0, (4, 2)) if style == "dashed" else "solid",
                    zorder=3,
                )
            )
            if change == "removed":
                ax.add_patch(
                    FancyBboxPatch(
                        (left, top),
                        w,
                        h,
                        boxstyle="round,pad=0,rounding_size=2",
                        facecolor="#ffffff",
                        alpha=0.55,
                        edgecolor="none",
                        zorder=3.5,
                    )
                )
        ax.text(
            (left + right) / 2,
            (top + bottom) / 2,
            "\n".join(lines),
            ha="center",
            va="center",
            fontsize=lay.font[n] * fs,
            fontweight="bold" if lay.bold[n] else "normal",
            color=st.text,
            linespacing=1.08,
            zorder=4,
            fontfamily="DejaVu Sans",
        )

    if opts["legend"]:
        handles: list[Any] = []
        for k in kinds:
            st = th.node(k)
            handles.append(
                Patch(
                    facecolor=st.fill,
                    edgecolor=st.border,
                    linestyle="--" if st.dashed else "-",
                    label=th.kind_labels.get(k, k),
                )
            )
        for change in ("added", "renamed", "removed"):
            if any(a.get("_change") == change for _, a in T.nodes(data=True)):
                color, style, label = CHANGE_STYLE[change]
                handles.append(
                    Patch(
                        facecolor="none",
                        edgecolor=color,
                        linewidth=2,
                        linestyle="--" if style == "dashed" else "-",
                        label=label,
                    )
                )
        for r in relations:
            es = th.edge(r)
            handles.append(
                Line2D(
                    [0, 1],
                    [0, 0],
                    color=es.color,
                    linewidth=es.width * 1.4,
                    linestyle=_LINESTYLE[es.style],
                    label=es.label,
                )
            )
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0, lay.height + 18),
            bbox_transform=ax.transData,
            ncol=ncol,
            frameon=False,
            fontsize=8.5 * fs,
            handlelength=2.4,
            columnspacing=1.6,
            borderaxespad=0,
            borderpad=0,
        )
    buf = io.BytesIO()
    meta: dict[str, Any] = {
        "png": {"Software": None},
        "svg": {"Date": None},
        "pdf": {"CreationDate": None, "ModDate": None},
    }.get(fmt, {})
    with matplotlib.rc_context({"svg.hashsalt": "ice_graph", "pdf.compression": 6}):
        fig.savefig(buf, format=fmt, dpi=opts["dpi"], facecolor=th.background, metadata=meta)
    return buf.getvalue()
