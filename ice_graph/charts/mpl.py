"""Charts drawn by matplotlib, on the tidy-tree layout of :mod:`ice_graph.layout`.

Every text is drawn as plain text (``parse_math=False``): a ``$`` in a name is a
dollar sign, never mathtext. Texts are cleaned of control characters, and titles are
wrapped to the chart's width and cut to a few lines, so no name can break the file
or blow the image up.
"""

from __future__ import annotations

import io
import math
import textwrap
import warnings
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._types import OrgGraph
from ..errors import RenderError
from ..io.dot import chart_title
from ..layout import Layout, chart_tree, text_width, tidy_layout, wrapped_layout
from ..schema import RELATIONS
from ..style import NodeStyle, Theme, clean_text, get_theme
from .select import SUMMARY

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["draw_matplotlib", "CHANGE_STYLE", "MAX_PIXELS", "TITLE_LINES"]

_LINESTYLE: dict[str, Any] = {"solid": "solid", "dashed": (0, (5, 3)), "dotted": (0, (1, 2)), "bold": "solid"}

#: The longest side of a PNG chart, in pixels (matplotlib itself fails at 65,536).
MAX_PIXELS = 30_000
#: At most this many lines of title, and of subtitle; the rest is cut with an ellipsis.
TITLE_LINES = 3
MARGIN = 24.0

CHANGE_STYLE = {
    "added": ("#1a9641", "solid", "added"),
    "removed": ("#d7191c", "dashed", "removed"),
    "renamed": ("#e08b00", "solid", "renamed"),
}


def _connector(lay: Layout, p: Hashable, c: Hashable, side_rank: int = 0) -> list[tuple[float, float]]:
    """Orthogonal org-chart connector from parent p to child c."""
    if c in lay.paths:
        return lay.paths[c]
    (px, py), (cx, cy) = lay.pos[p], lay.pos[c]
    pl, pt, pr, pb = lay.box(p)
    cl, ct, cr, cb = lay.box(c)
    if lay.rankdir == "TB":
        bus = lay.bus[p]
        if c in lay.spine:
            sx = lay.spine[c]
            if lay.attached_beside.get(p) and c in lay.side and sx > pr:
                # The unit's own bus is taken by its subordinates: leave from its side.
                y = py + 5.0 * side_rank
                return [(pr, y), (sx, y), (sx, cy), (cl, cy)]
            return [(px, pb), (px, bus), (sx, bus), (sx, cy), (cl, cy)]
        return [(px, pb), (px, bus), (cx, bus), (cx, ct)]
    bus = lay.bus[p]
    return [(pr, py), (bus, py), (bus, cy), (cl, cy)]


def _wrap_to(text: str, width: float, size: float, *, bold: bool = False, max_lines: int = TITLE_LINES) -> list[str]:
    """``text`` (cleaned) in lines no wider than ``width`` points at ``size``; at most ``max_lines``.

    Long words are broken; text beyond the last line is cut and marked with an ellipsis.
    """
    text = " ".join(clean_text(text).split())
    chars = max(8, int(width / (0.45 * size)))  # an upper bound on the characters that fit
    while True:
        lines = textwrap.wrap(text[: chars * (max_lines + 1)], width=chars, break_long_words=True) or [""]
        if all(text_width(line, size, bold=bold) <= width for line in lines) or chars <= 8:
            break
        chars = int(chars * 0.9)
    if len(lines) > max_lines or len(" ".join(lines)) < len(text):
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_width(last + " \u2026", size, bold=bold) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + " \u2026"
    return lines


@dataclass
class _Frame:
    """The figure's geometry, in points: the chart, with the title above and the legend below."""

    width: float
    title_h: float
    legend_h: float
    ncol: int
    heading: list[str]
    sub: list[str]
    scale: float = 1.0


def _legend_entries(V: OrgGraph, th: Theme) -> tuple[list[str], list[str], list[str]]:
    """Kinds, relations and changes the legend lists: each once, relations by their distinct labels."""
    kinds = list(dict.fromkeys(a.get("kind", "unit") for _, a in V.nodes(data=True)))
    kinds = [k for k in kinds if k != SUMMARY]
    present = {a.get("relation", "has_unit") for _, _, a in V.edges(data=True)}
    relations, labels = [], set()
    for r in RELATIONS:
        if r in present and th.edge(r).label not in labels:
            relations.append(r)
            labels.add(th.edge(r).label)
    changes = [c for c in CHANGE_STYLE if any(a.get("_change") == c for _, a in V.nodes(data=True))]
    return kinds, relations, changes


def _cycle_note(T: OrgGraph, lay: Layout) -> str:
    """What the chart says when the hierarchy has cycles: the links it draws outside the tree."""
    if not lay.cut:
        return ""
    names = [f"{T.nodes[p].get('name', p)} \u2192 {T.nodes[c].get('name', c)}" for p, c in lay.cut[:3]]
    more = f" and {len(lay.cut) - 3} more" if len(lay.cut) > 3 else ""
    return f"the hierarchy has a cycle; drawn as a plain link: {'; '.join(names)}{more}"


def _frame(V: OrgGraph, T: OrgGraph, lay: Layout, opts: dict[str, Any], n_entries: int) -> _Frame:
    note = " \u00b7 ".join(x for x in (opts["note"], _cycle_note(T, lay)) if x)
    heading, sub = chart_title(V, title=opts["title"], note=note)
    width = max(lay.width, 520.0)
    head_lines = _wrap_to(heading, width, 18, bold=True)
    sub_lines = _wrap_to(sub, width, 9.5) if sub.strip() else []
    title_h = 22.0 * len(head_lines) + 13.0 * len(sub_lines) + 23.0
    ncol = max(1, min(n_entries, int(width // 150)))
    legend_h = (math.ceil(n_entries / ncol) * 15 + 20) if opts["legend"] and n_entries else 0.0
    frame = _Frame(width, title_h, legend_h, ncol, head_lines, sub_lines)
    if opts.get("size"):
        max_w, max_h = opts["size"]
        frame.scale = min(1.0, max_w * 72 / _fig_w(frame), max_h * 72 / _fig_h(frame, lay))
    return frame


def _fig_w(f: _Frame) -> float:
    return f.width + 2 * MARGIN


def _fig_h(f: _Frame, lay: Layout) -> float:
    return lay.height + f.title_h + f.legend_h + 2 * MARGIN + 14


def _check_pixels(f: _Frame, lay: Layout, fmt: str, dpi: float, n: int) -> None:
    """Refuse a PNG larger than :data:`MAX_PIXELS` on a side, before any memory is spent on it."""
    if fmt != "png":
        return
    w, h = (round(x * f.scale * dpi / 72) for x in (_fig_w(f), _fig_h(f, lay)))
    if max(w, h) > MAX_PIXELS:
        raise RenderError(
            f"the chart would be {w} x {h} pixels ({n} nodes at {dpi:g} dpi), more than {MAX_PIXELS} on a side; "
            "lower dpi=, give size= (inches), draw a branch (root=, depth=), or write SVG or PDF"
        )


def _text(ax: Axes, x: float, y: float, s: str, **kw: Any) -> None:
    """Plain text: control characters dropped, ``$`` a dollar sign (never mathtext)."""
    ax.text(x, y, clean_text(s), parse_math=False, **kw)


def _draw_title(ax: Axes, f: _Frame, th: Theme) -> None:
    top = -f.title_h - MARGIN / 2 + 8
    _text(
        ax, 0, top, "\n".join(f.heading), fontsize=18 * f.scale, fontweight="bold", color=th.title, va="top", ha="left"
    )
    if f.sub:
        y = top + 22.0 * len(f.heading) + 4
        kw = {"fontsize": 9.5 * f.scale, "color": "#444444", "va": "top", "ha": "left", "linespacing": 1.3}
        _text(ax, 0, y, "\n".join(f.sub), **kw)


def _draw_connectors(ax: Axes, T: OrgGraph, lay: Layout, th: Theme, fs: float) -> None:
    """The connectors of the drawn tree (hierarchy and attached nodes), one collection per relation."""
    from matplotlib.collections import LineCollection

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
    for u, v, a in T.edges(data=True):
        if lay.parent.get(v) != u:  # a link outside the tree: predecessor_of, a second superior, a cut cycle
            segs.setdefault(a.get("relation", "has_unit"), []).append([lay.pos[u], lay.pos[v]])
    for rel, paths in segs.items():
        es = th.edge(rel)
        lines = LineCollection(paths, colors=es.color, linewidths=es.width * fs, linestyles=[_LINESTYLE[es.style]])
        lines.set(zorder=1, capstyle="butt")
        ax.add_collection(lines)


def _box(ax: Axes, xy: tuple[float, float], w: float, h: float, rounding: float, **kw: Any) -> None:
    from matplotlib.patches import FancyBboxPatch

    style = f"round,pad=0,rounding_size={min(rounding, h / 2, w / 2)}"
    ax.add_patch(FancyBboxPatch(xy, w, h, boxstyle=style, **kw))


def _draw_change(ax: Axes, change: str, box: tuple[float, float, float, float], rounding: float, fs: float) -> None:
    """The coloured outline of an added, renamed or removed node (removed ones also faded)."""
    left, top, right, bottom = box
    w, h, pad = right - left, bottom - top, 3.0
    color, style, _label = CHANGE_STYLE[change]
    ls = (0, (4, 2)) if style == "dashed" else "solid"
    kw = {"facecolor": "none", "edgecolor": color, "linewidth": 2.4 * fs, "linestyle": ls, "zorder": 3}
    _box(ax, (left - pad, top - pad), w + 2 * pad, h + 2 * pad, rounding + pad, **kw)
    if change == "removed":
        _box(ax, (left, top), w, h, 2, facecolor="#ffffff", alpha=0.55, edgecolor="none", zorder=3.5)


def _draw_node(ax: Axes, lay: Layout, n: Hashable, a: dict[str, Any], st: NodeStyle, fs: float) -> None:
    left, top, right, bottom = box = lay.box(n)
    w, h = right - left, bottom - top
    rounding = h / 2 if st.shape == "ellipse" else 1.5 if st.shape == "note" else 4.0
    ls = (0, (4, 2)) if st.dashed else "solid"
    kw = {"facecolor": st.fill, "edgecolor": st.border, "linewidth": st.border_width * fs, "linestyle": ls}
    _box(ax, (left, top), w, h, rounding, zorder=3, **kw)
    if st.peripheries > 1:
        kw = {"facecolor": "none", "edgecolor": st.border, "linewidth": 0.8 * fs, "zorder": 3}
        _box(ax, (left + 2.5, top + 2.5), w - 5, h - 5, 2.5, **kw)
    if a.get("_change") in CHANGE_STYLE:
        _draw_change(ax, a["_change"], box, rounding, fs)
    _text(
        ax,
        (left + right) / 2,
        (top + bottom) / 2,
        "\n".join(lay.lines[n]),
        ha="center",
        va="center",
        fontsize=lay.font[n] * fs,
        fontweight="bold" if lay.bold[n] else "normal",
        color=st.text,
        linespacing=1.08,
        zorder=4,
        fontfamily="DejaVu Sans",
    )


def _draw_legend(ax: Axes, V: OrgGraph, lay: Layout, th: Theme, f: _Frame) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    kinds, relations, changes = _legend_entries(V, th)
    handles: list[Any] = []
    for k in kinds:
        st = th.node(k)
        label = clean_text(th.kind_labels.get(k) or str(k).replace("_", " ").capitalize())
        handles.append(Patch(facecolor=st.fill, edgecolor=st.border, linestyle="--" if st.dashed else "-", label=label))
    for change in changes:
        color, style, label = CHANGE_STYLE[change]
        dash: Any = "--" if style == "dashed" else "-"
        handles.append(Patch(facecolor="none", edgecolor=color, linewidth=2, linestyle=dash, label=label))
    for r in relations:
        es = th.edge(r)
        kw = {"color": es.color, "linewidth": es.width * 1.4, "linestyle": _LINESTYLE[es.style]}
        handles.append(Line2D([0, 1], [0, 0], label=es.label, **kw))
    legend = ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0, lay.height + 18),
        bbox_transform=ax.transData,
        ncol=f.ncol,
        frameon=False,
        fontsize=8.5 * f.scale,
        handlelength=2.4,
        columnspacing=1.6,
        borderaxespad=0,
        borderpad=0,
    )
    for t in legend.get_texts():
        t.set_parse_math(False)


#: Fonts embedded as TrueType (Type 42) in PDFs, texts kept as text in SVGs; set per save, never globally.
_RC: dict[Any, Any] = {
    "svg.hashsalt": "ice_graph",
    "pdf.compression": 6,
    "text.usetex": False,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "none",
}


def _save(fig: Any, fmt: str, dpi: float, th: Theme) -> bytes:
    """The figure's bytes, without dates or versions (the same chart gives the same bytes)."""
    import matplotlib

    buf = io.BytesIO()
    meta: dict[str, Any] = {
        "png": {"Software": None},
        "svg": {"Date": None},
        "pdf": {"CreationDate": None, "ModDate": None},
    }.get(fmt, {})
    with (
        matplotlib.rc_context(_RC),
        warnings.catch_warnings(),
    ):
        # A character missing from the font is drawn as a box, as the layout measured it.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        fig.savefig(buf, format=fmt, dpi=dpi, facecolor=th.background, metadata=meta)
    return buf.getvalue()


#: Paper sizes, portrait (width, height) in inches.
PAPERS = {"letter": (8.5, 11.0), "a4": (8.27, 11.69), "tabloid": (11.0, 17.0), "a3": (11.69, 16.54)}
#: The margin a printed page keeps on every side, in inches.
PAGE_MARGIN = 0.4
#: A small chart is enlarged to fill its page, up to this much (10 pt labels become 15 pt).
MAX_ENLARGE = 1.5
#: The smallest type a printed chart may have, in points.
MIN_TYPE = 6.0
_FONTS = "'DejaVu Sans', 'Helvetica Neue', Helvetica, Arial, 'Liberation Sans', sans-serif"


def page_size(page: str) -> tuple[float, float]:
    """``'letter-landscape'`` -> (11.0, 8.5) inches; a bare paper name is landscape."""
    name, _, turn = str(page).lower().partition("-")
    if name not in PAPERS or turn not in ("", "landscape", "portrait"):
        choices = [f"{p}-{t}" for p in PAPERS for t in ("landscape", "portrait")]
        raise RenderError(f"page must be one of {', '.join(choices)}; got {page!r}")
    w, h = PAPERS[name]
    return (w, h) if turn == "portrait" else (h, w)


@dataclass
class Plan:
    """A chart ready to draw: its tree, layout and frame (title, legend, scale)."""

    T: OrgGraph
    lay: Layout
    frame: _Frame
    fit: float  # the scale that fits the page (above 1 when the chart is small)

    @property
    def aspect(self) -> float:
        """Width over height of the drawn chart (title and legend included)."""
        return _fig_w(self.frame) / _fig_h(self.frame, self.lay)

    def min_type(self, legend: bool = True) -> float:
        """The smallest type on the chart, in points at its drawn (printed) size."""
        sizes = list(self.lay.font.values()) + [9.5 if self.frame.sub else 18.0]
        if legend and self.frame.legend_h:
            sizes.append(8.5)
        return min(sizes) * self.frame.scale


def _page_box(opts: dict[str, Any]) -> tuple[float, float] | None:
    """The room on the page for the chart, in points, or None without a page."""
    if not opts.get("page"):
        return None
    w, h = page_size(opts["page"])
    return (w - 2 * PAGE_MARGIN) * 72, (h - 2 * PAGE_MARGIN) * 72


#: Widths (points) at which a wrapped top-down layout tries to break its rows.
_WRAPS = (None, 1800.0, 1400.0, 1100.0, 850.0, 650.0)


def _candidates(opts: dict[str, Any]) -> list[tuple[str, int | None, float | None]]:
    """(direction, stacked column length, row width) of each layout to try."""
    dirs = ["TB", "LR"] if opts["rankdir"] == "auto" else [opts["rankdir"]]
    out: list[tuple[str, int | None, float | None]] = []
    for d in dirs:
        if d == "LR":
            out.append(("LR", None, None))
            continue
        out += [("TB", r, w) for r in (None, 12, 8, 6, 4) for w in _WRAPS]
    return out


def _score(p: Plan, target: float | None) -> tuple[float, ...]:
    """Bigger is better: type at full size (in steps of a tenth), then fewer wrapped tiers, an aspect near
    the target, and the larger type."""
    miss = abs(math.log(p.aspect / target)) if target else 0.0
    return (round(min(p.fit, 1.0), 1), -p.lay.wraps, -round(miss, 1), p.fit)


def plan(V: OrgGraph, opts: dict[str, Any]) -> Plan:
    """Lay ``V`` out the way that fits the page (or aspect) best: TB or LR, stacked columns of some length."""
    th = get_theme(opts["theme"])
    T, _origin = chart_tree(V)
    kinds, relations, changes = _legend_entries(V, th)
    n_entries = len(kinds) + len(relations) + len(changes)
    box = _page_box(opts)
    target = opts.get("aspect") or (box[0] / box[1] if box else None)
    best: Plan | None = None
    show = tuple(opts.get("show") or ())
    for rankdir, rows, width in _candidates(opts):
        if width is None:
            lay = tidy_layout(T, rankdir=rankdir, rows=rows, show=show)
        else:
            lay = wrapped_layout(T, max_width=width, rows=rows, show=show)
        f = _frame(V, T, lay, opts, n_entries)
        fit = min(box[0] / _fig_w(f), box[1] / _fig_h(f, lay)) if box else 1.0
        p = Plan(T, lay, f, fit)
        if best is None or _score(p, target) > _score(best, target):
            best = p
    assert best is not None
    if not opts.get("size"):
        best.frame.scale = min(best.fit, MAX_ENLARGE if box else 1.0)
    return best


def _figure(V: OrgGraph, opts: dict[str, Any], fmt: str, p: Plan | None = None) -> Any:
    """The matplotlib figure of the chart; a PDF with a page is exactly that paper size."""
    from matplotlib.figure import Figure

    th = get_theme(opts["theme"])
    p = p or plan(V, opts)
    T, lay, f = p.T, p.lay, p.frame
    _check_pixels(f, lay, fmt, opts["dpi"], len(V))
    w, h = _fig_w(f) * f.scale / 72, _fig_h(f, lay) * f.scale / 72
    if fmt == "pdf" and opts.get("page") and not opts.get("size"):
        pw, ph = page_size(opts["page"])
        fig = Figure(figsize=(pw, ph), facecolor=th.background)
        ax = fig.add_axes(((1 - w / pw) / 2, (1 - h / ph) / 2, w / pw, h / ph))
    else:
        fig = Figure(figsize=(w, h), facecolor=th.background)
        ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(-MARGIN, f.width + MARGIN)
    ax.set_ylim(lay.height + f.legend_h + MARGIN + 14, -MARGIN - f.title_h)
    ax.set_axis_off()
    ax.set_facecolor(th.background)
    _draw_title(ax, f, th)
    _draw_connectors(ax, T, lay, th, f.scale)
    for n, a in T.nodes(data=True):
        _draw_node(ax, lay, n, a, th.node(a.get("kind", "unit")), f.scale)
    if opts["legend"] and f.legend_h:
        _draw_legend(ax, V, lay, th, f)
    if opts.get("footer"):
        fig.text(
            0.5,
            0.5 * PAGE_MARGIN / (fig.get_figheight()),
            clean_text(opts["footer"]),
            ha="center",
            va="center",
            fontsize=8,
            color="#444444",
            parse_math=False,
        )
    return fig


def _svg_fonts(svg: bytes) -> bytes:
    """Labels name a font stack, so an editor without DejaVu Sans falls back to a sans-serif."""
    return svg.replace(b"font-family:'DejaVu Sans'", f"font-family:{_FONTS}".encode()).replace(
        b"font-family: 'DejaVu Sans'", f"font-family: {_FONTS}".encode()
    )


def draw_matplotlib(V: OrgGraph, fmt: str, opts: dict[str, Any]) -> bytes:
    """``V`` drawn as an org chart in ``fmt`` (png, svg or pdf), with title, subtitle and legend."""
    th = get_theme(opts["theme"])
    data = _save(_figure(V, opts, fmt), fmt, opts["dpi"], th)
    return _svg_fonts(data) if fmt == "svg" else data


def draw_pages(pages: list[tuple[OrgGraph, dict[str, Any]]]) -> bytes:
    """One PDF of several charts, a page each (each on its own ``page`` size)."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    buf = io.BytesIO()
    with matplotlib.rc_context(_RC), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        with PdfPages(buf, metadata={"CreationDate": None, "ModDate": None}) as pdf:
            for V, opts in pages:
                fig = _figure(V, opts, "pdf")
                pdf.savefig(fig, facecolor=get_theme(opts["theme"]).background)
    return buf.getvalue()
