"""Charts drawn by matplotlib, on the tidy-tree layout of :mod:`ice_graph.layout`.

Every text is drawn as plain text (``parse_math=False``): a ``$`` in a name is a
dollar sign, never mathtext. Texts are cleaned of control characters, and titles are
wrapped to the chart's width and cut to a few lines, so no name can break the file
or blow the image up.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
import warnings
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import lru_cache
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
    "moved": ("#7b3294", "solid", "moved (was under another unit)"),
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
    attrs = [a for _, a in V.nodes(data=True)]  # one pass over a view of 10^4 nodes, not four
    kinds = list(dict.fromkeys(a.get("kind", "unit") for a in attrs))
    kinds = [k for k in kinds if k != SUMMARY]
    present = {a.get("relation", "has_unit") for _, _, a in V.edges(data=True)}
    relations, labels = [], set()
    for r in RELATIONS:
        if r in present and th.edge(r).label not in labels:
            relations.append(r)
            labels.add(th.edge(r).label)
    marked = {a["_change"] for a in attrs if a.get("_change") in CHANGE_STYLE}
    changes = [c for c in CHANGE_STYLE if c in marked]
    return kinds, relations, changes


def _cycle_note(T: OrgGraph, lay: Layout) -> str:
    """What the chart says when the hierarchy has cycles: the links it draws outside the tree."""
    if not lay.cut:
        return ""
    names = [f"{T.nodes[p].get('name', p)} \u2192 {T.nodes[c].get('name', c)}" for p, c in lay.cut[:3]]
    more = f" and {len(lay.cut) - 3} more" if len(lay.cut) > 3 else ""
    return f"the hierarchy has a cycle; drawn as a plain link: {'; '.join(names)}{more}"


def _titles(V: OrgGraph, T: OrgGraph, lay: Layout, opts: dict[str, Any]) -> tuple[str, str]:
    """The chart's title and subtitle (its date, sources and notes)."""
    note = " \u00b7 ".join(x for x in (opts["note"], _cycle_note(T, lay)) if x)
    return chart_title(V, title=opts["title"], note=note)


def _frame(lay: Layout, opts: dict[str, Any], n_entries: int, titles: tuple[str, str]) -> _Frame:
    heading, sub = titles
    # At least a printed page's usual width, so that titles do not wrap into a tower; on a page
    # narrower than that (a web column) its own width, so that its type is not shrunk to fit.
    room = _page_box(opts)
    width = max(lay.width, min(520.0, room[0] - 2 * MARGIN) if room else 520.0)
    head_lines = _wrap_to(heading, width, 18, bold=True)
    # A narrow chart (a web column) gives its subtitle as many more lines as it is narrower: the end of
    # the subtitle says what the chart leaves out, which must not be cut off.
    sub_lines = (
        _wrap_to(sub, width, 9.5, max_lines=math.ceil(TITLE_LINES * 520.0 / min(width, 520.0))) if sub.strip() else []
    )
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


@dataclass
class _Boxes:
    """The boxes of a chart, collected to be drawn at once (:meth:`draw`).

    A patch per box cost a third of a 10,000-node chart: each is an artist, transformed,
    clipped and written on its own. Boxes with a solid outline are drawn as one compound
    path per look (fill, outline, width): boxes never overlap, so the picture is the same.
    Dashed boxes (a dash pattern would run on from one box to the next) are patches, and so
    are the outlines drawn over boxes (double borders, changes), after every box as before.
    """

    solid: dict[tuple[str, str, float], list[Any]] = field(default_factory=dict)
    patches: list[tuple[tuple[float, float, float, float, float], dict[str, Any]]] = field(default_factory=list)
    over: list[tuple[tuple[float, float, float, float, float], dict[str, Any]]] = field(default_factory=list)

    def add(
        self, xy: tuple[float, float], w: float, h: float, rounding: float, *, over: bool = False, **kw: Any
    ) -> None:
        """A box of ``w`` by ``h`` points with its top left corner at ``xy``; ``over``: drawn over the boxes."""
        r = min(rounding, h / 2, w / 2)
        if (
            over
            or kw.get("linestyle", "solid") != "solid"
            or set(kw) - {"facecolor", "edgecolor", "linewidth", "linestyle", "zorder"}
        ):
            (self.over if over else self.patches).append(((xy[0], xy[1], w, h, r), kw))
            return
        key = (kw["facecolor"], kw["edgecolor"], kw["linewidth"])
        self.solid.setdefault(key, []).append((xy[0], xy[1], w, h, r))

    def draw(self, ax: Axes) -> None:
        from matplotlib.patches import BoxStyle, FancyBboxPatch, PathPatch
        from matplotlib.path import Path

        # add_artist, not add_patch: the axes' limits are set, so a patch need not widen them
        # (add_patch's update of the data limits was half the drawing time of a 10,000-node chart).
        for (face, edge, width), boxes in self.solid.items():
            paths = [BoxStyle.Round(pad=0, rounding_size=r)(x, y, w, h, 1.0) for x, y, w, h, r in boxes]
            outline = Path.make_compound_path(*paths)
            ax.add_artist(PathPatch(outline, facecolor=face, edgecolor=edge, linewidth=width, zorder=3))
        for (x, y, w, h, r), kw in self.patches + self.over:
            ax.add_artist(FancyBboxPatch((x, y), w, h, boxstyle=f"round,pad=0,rounding_size={r}", **kw))


def _draw_change(
    boxes: _Boxes, change: str, box: tuple[float, float, float, float], rounding: float, fs: float
) -> None:
    """The coloured outline of an added, renamed, moved or removed node (removed ones also faded)."""
    left, top, right, bottom = box
    w, h, pad = right - left, bottom - top, 3.0
    color, style, _label = CHANGE_STYLE[change]
    ls = (0, (4, 2)) if style == "dashed" else "solid"
    kw = {"facecolor": "none", "edgecolor": color, "linewidth": 2.4 * fs, "linestyle": ls, "zorder": 3}
    boxes.add((left - pad, top - pad), w + 2 * pad, h + 2 * pad, rounding + pad, over=True, **kw)
    if change == "removed":
        boxes.add((left, top), w, h, 2, over=True, facecolor="#ffffff", alpha=0.55, edgecolor="none", zorder=3.5)


#: The line spacing of box labels, in font heights (matplotlib's ``linespacing``).
LABEL_SPACING = 1.08


@lru_cache(maxsize=8192)
def _glyph_extent(ch: str, bold: bool) -> tuple[float, float]:
    """Ascent and descent of one character's glyph at 100 pt (DejaVu Sans), as matplotlib measures SVG text."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal", size=100)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a glyph missing from the font: measured as its box
        _w, h, d = TextToPath().get_text_width_height_descent(ch, prop, ismath=False)
    return float(h - d), float(d)


@lru_cache(maxsize=64)
def _font_extent(bold: bool, size: float, dpi: float) -> tuple[float, float]:
    """The font's own ascent and descent (its OS/2 table) at ``size``: matplotlib's line height of a text."""
    from matplotlib.font_manager import FontProperties, findfont, get_font

    font = get_font(findfont(FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal")))
    table: Any = font.get_sfnt_table("OS/2")
    head: Any = font.get_sfnt_table("head")
    scale = 1 / head["unitsPerEm"] * size * dpi / 72
    return table["sTypoAscender"] * scale, -table["sTypoDescender"] * scale


def _baselines(lines: list[str], size: float, bold: bool, dpi: float) -> list[float]:
    """Each line's baseline above the label's centre (negative: below), in pixels.

    The placement of matplotlib's Text (3.10 and later) with ``linespacing`` 1.08 and
    ``va="center"``: every line is a font height times 1.08 tall, shifted by half the
    difference between its own glyphs' ascent and descent. A line's extent is the union
    of its glyphs' (measured once per character), as FreeType gives it for the whole line.
    """
    min_ascent, min_descent = _font_extent(bold, size, dpi)
    line_height = LABEL_SPACING * (min_ascent + min_descent)
    k = size / 100 * dpi / 72
    ys: list[float] = []
    thisy = d = 0.0
    for line in lines:
        if line:
            extents = [_glyph_extent(ch, bold) for ch in line]
            a = max(e[0] for e in extents) * k
            d = max(e[1] for e in extents) * k
        else:
            a = d = 0.0
        leading = line_height - (a + d)
        a += leading / 2
        d += leading / 2
        thisy -= a
        ys.append(thisy)
        thisy -= d
    offset = (ys[-1] - d) / 2  # the middle of the lines' extent
    return [y - offset for y in ys]


@dataclass
class _Label:
    x: float
    y: float
    lines: list[str]
    size: float
    bold: bool
    color: str


@dataclass
class _Labels:
    """The labels of every box of an SVG chart, drawn by one artist (see :func:`_labels_artist`)."""

    items: list[_Label] = field(default_factory=list)


@lru_cache(maxsize=1)
def _text_model_known() -> bool:
    """Whether this matplotlib lays out text as :func:`_baselines` does (3.10 and later).

    Older ones place lines otherwise (and their FreeType bindings lack the OS/2 fields
    read here): their SVG charts draw each label as a Text, as PNG and PDF charts do.
    """
    import matplotlib as mpl

    return tuple(int(x) for x in re.findall(r"\d+", mpl.__version__)[:2]) >= (3, 10)


@lru_cache(maxsize=1)
def _labels_artist() -> type:
    """The matplotlib artist that draws :class:`_Labels` (made on first use: matplotlib loads lazily).

    A Text per box measured each line with FreeType to place it (0.3 ms a line with
    matplotlib 3.11: most of the time of a 10,000-node SVG chart). This artist places the
    lines as Text does, from per-character extents, and writes each line as SVG ``<text>``
    anchored at the box's centre (``text-anchor: middle``), in a group per box as before.
    A label of several lines was anchored at its left, computed from DejaVu Sans' widths;
    centred, it stays centred in an editor that shows it in another font.
    """
    import matplotlib as mpl
    from matplotlib.artist import Artist
    from matplotlib.font_manager import FontProperties
    from matplotlib.text import Text
    from matplotlib.transforms import IdentityTransform

    class LabelsArtist(Artist):
        def __init__(self, labels: _Labels) -> None:
            super().__init__()
            self.labels = labels
            self.set_zorder(4)
            self.set_clip_on(False)  # as ax.text's texts

        def draw(self, renderer: Any) -> None:
            if not self.get_visible() or not self.labels.items:
                return
            import numpy as np

            items = self.labels.items
            fig, ax = self.figure, self.axes
            assert fig is not None and ax is not None
            dpi = fig.dpi
            centres = ax.transData.transform(np.array([(it.x, it.y) for it in items], dtype=float))
            canvas_h = renderer.get_canvas_width_height()[1]
            anchor = Text(0.0, 0.0, "", ha="center", transform=IdentityTransform())  # where a line is centred
            props: dict[tuple[float, bool], Any] = {}
            gc = renderer.new_gc()
            gc.set_antialiased(mpl.rcParams["text.antialiased"])
            self._set_gc_clip(gc)  # type: ignore[attr-defined]
            for it, (cx, cy) in zip(items, centres.tolist(), strict=True):
                key = (it.size, it.bold)
                if key not in props:
                    weight = "bold" if it.bold else "normal"
                    props[key] = FontProperties(family="DejaVu Sans", weight=weight, size=it.size)
                renderer.open_group("text", None)
                gc.set_foreground(it.color)
                anchor.set_x(cx)
                for line, dy in zip(it.lines, _baselines(it.lines, it.size, it.bold, dpi), strict=True):
                    if line:
                        y = dy + cy
                        if renderer.flipy():
                            y = canvas_h - y
                        renderer.draw_text(gc, cx, y, line, props[key], 0.0, ismath=False, mtext=anchor)
                renderer.close_group("text")
            gc.restore()

    return LabelsArtist


def _draw_node(
    ax: Axes,
    lay: Layout,
    n: Hashable,
    a: dict[str, Any],
    st: NodeStyle,
    fs: float,
    boxes: _Boxes,
    labels: _Labels | None = None,
) -> None:
    left, top, right, bottom = box = lay.box(n)
    w, h = right - left, bottom - top
    rounding = h / 2 if st.shape == "ellipse" else 1.5 if st.shape == "note" else 4.0
    ls = (0, (4, 2)) if st.dashed else "solid"
    kw: dict[str, Any] = {
        "facecolor": st.fill,
        "edgecolor": st.border,
        "linewidth": st.border_width * fs,
        "linestyle": ls,
    }
    boxes.add((left, top), w, h, rounding, zorder=3, **kw)
    if st.peripheries > 1:
        kw = {"facecolor": "none", "edgecolor": st.border, "linewidth": 0.8 * fs, "zorder": 3}
        boxes.add((left + 2.5, top + 2.5), w - 5, h - 5, 2.5, over=True, **kw)
    if a.get("_change") in CHANGE_STYLE:
        _draw_change(boxes, a["_change"], box, rounding, fs)
    if labels is not None:
        lines = [clean_text(line) for line in lay.lines[n]]
        labels.items.append(
            _Label((left + right) / 2, (top + bottom) / 2, lines, lay.font[n] * fs, lay.bold[n], st.text)
        )
        return
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
#: Screen sizes, in inches of 96 CSS pixels: "column" is a web page's 600 px column, up to 1,600 px tall
#: (a reader scrolls a column; a page of paper does not grow).
SCREENS = {"column": (6.25, 16.67)}
#: The width/height a layout aims for on a screen size (a column's chart is best a little taller than wide).
SCREEN_ASPECT = {"column": 0.75}
#: The margin a printed page keeps on every side, in inches.
PAGE_MARGIN = 0.4
#: The margin of a screen size, in inches (the page around it has its own).
SCREEN_MARGIN = 0.1
#: The smallest type on a screen size, in points: 8 pt is about 11 CSS pixels, the least a reader can read there.
SCREEN_MIN_TYPE = 8.0
#: A small chart is enlarged to fill its page, up to this much (10 pt labels become 15 pt).
MAX_ENLARGE = 1.5
#: The smallest type a printed chart may have, in points.
MIN_TYPE = 6.0
_FONTS = "'DejaVu Sans', 'Helvetica Neue', Helvetica, Arial, 'Liberation Sans', sans-serif"


def page_size(page: str) -> tuple[float, float]:
    """``'letter-landscape'`` -> (11.0, 8.5) inches; a bare paper name is landscape; ``'column'`` a screen size."""
    name, _, turn = str(page).lower().partition("-")
    if name in SCREENS and not turn:
        return SCREENS[name]
    if name not in PAPERS or turn not in ("", "landscape", "portrait"):
        choices = [f"{p}-{t}" for p in PAPERS for t in ("landscape", "portrait")] + list(SCREENS)
        raise RenderError(f"page must be one of {', '.join(choices)}; got {page!r}")
    w, h = PAPERS[name]
    return (w, h) if turn == "portrait" else (h, w)


def _on_screen(page: str | None) -> bool:
    return bool(page) and str(page).lower() in SCREENS


def page_margin(page: str | None) -> float:
    """The margin ``page`` keeps on every side, in inches."""
    return SCREEN_MARGIN if _on_screen(page) else PAGE_MARGIN


def min_type(page: str | None) -> float:
    """The smallest type a chart laid out for ``page`` may have, in points: 6 on paper, 8 on a screen size."""
    return SCREEN_MIN_TYPE if _on_screen(page) else MIN_TYPE


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
    margin = page_margin(opts["page"])
    return (w - 2 * margin) * 72, (h - 2 * margin) * 72


#: Widths (points) at which a wrapped top-down layout tries to break its rows.
_WRAPS = (None, 1800.0, 1400.0, 1100.0, 850.0, 650.0)


def _candidates(opts: dict[str, Any]) -> list[tuple[str, int | None, float | None]]:
    """(direction, stacked column length, row width) of each layout to try."""
    dirs = ["TB", "LR"] if opts["rankdir"] == "auto" else [opts["rankdir"]]
    room = _page_box(opts)
    # A page narrower than the narrowest row width (a web column) also tries rows of its own width.
    wraps = _WRAPS + ((room[0],) if room and room[0] < min(w for w in _WRAPS if w) else ())
    out: list[tuple[str, int | None, float | None]] = []
    for d in dirs:
        if d == "LR":
            out.append(("LR", None, None))
            continue
        out += [("TB", r, w) for r in (None, 12, 8, 6, 4) for w in wraps]
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
    target = (
        opts.get("aspect") or SCREEN_ASPECT.get(str(opts.get("page")).lower()) or (box[0] / box[1] if box else None)
    )
    best: Plan | None = None
    show = tuple(opts.get("show") or ())
    candidates = _candidates(opts)
    if box is None and target is None:
        # Nothing to fit: every layout that does not wrap scores the most a layout can, so
        # the first candidate wins and the others (30 layouts of the whole chart) need not be made.
        candidates = candidates[:1]
    titles: tuple[str, str] | None = None
    for rankdir, rows, width in candidates:
        if width is None:
            lay = tidy_layout(T, rankdir=rankdir, rows=rows, show=show)
        else:
            lay = wrapped_layout(T, max_width=width, rows=rows, show=show)
        # The same for every candidate (the links cut to break cycles do not depend on the layout);
        # crediting the sources reads every node's citations.
        titles = titles or _titles(V, T, lay, opts)
        f = _frame(lay, opts, n_entries, titles)
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
    labels = _Labels() if fmt == "svg" and _text_model_known() else None
    boxes = _Boxes()
    for n, a in T.nodes(data=True):
        _draw_node(ax, lay, n, a, th.node(a.get("kind", "unit")), f.scale, boxes, labels)
    boxes.draw(ax)
    if labels is not None:
        ax.add_artist(_labels_artist()(labels))
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
