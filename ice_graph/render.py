"""Org-chart images: Graphviz when ``dot`` is installed, matplotlib otherwise.

:func:`chart` returns a :class:`Chart` (shown inline in Jupyter); :func:`render`
also writes it to a file. Both take the same options for what to draw: the whole
graph or the hierarchy alone, a branch (``root``, ``depth``), relations and kinds,
direction, theme, size and resolution.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from . import history
from ._io import PathOrFile, write_bytes
from ._types import OrgGraph
from .dates import day
from .errors import ExportError, GraphvizNotFound, RenderError
from .export.dot import chart_title, generate_dot
from .layout import Layout, chart_tree, text_width, tidy_layout
from .schema import RELATIONS, unknown
from .style import Theme, get_theme
from .views import hierarchy, induced, roots, select, subtree

__all__ = ["Chart", "chart", "render", "changes_chart", "chart_view", "graphviz_available", "ENGINES", "FORMATS"]

ENGINES = ("auto", "graphviz", "matplotlib")
FORMATS = ("png", "svg", "pdf", "dot")
#: Above this many nodes a chart shows only the top levels (and says so).
MAX_CHART_NODES = 400
GRAPHVIZ_TIMEOUT = 120.0


def graphviz_available() -> bool:
    """Whether the Graphviz ``dot`` executable is on PATH."""
    return shutil.which("dot") is not None


def _choice(value: str, allowed: Iterable[str], what: str) -> str:
    allowed = list(allowed)
    if value not in allowed:
        raise ExportError(unknown(what, value, allowed))
    return value


def chart_view(
    G: OrgGraph,
    *,
    root: Hashable | None = None,
    depth: int | None = None,
    hierarchy_only: bool = False,
    relations: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    max_nodes: int | None = MAX_CHART_NODES,
) -> tuple[OrgGraph, str]:
    """The part of ``G`` a chart shows, and a note saying what was left out."""
    if G.graph.get("history"):
        G = history.as_of(G, G.graph.get("date") or "9999-12-31")
    V: OrgGraph = G
    note = ""
    if root is not None or depth is not None:
        if root is None:
            keep: set[Hashable] = set()
            for r in roots(G):
                keep |= set(subtree(G, r, depth=depth))
            V = induced(G, keep)
        else:
            V = subtree(G, root, depth=depth)
    if hierarchy_only:
        V = select(V, relations=["has_unit"], categories=["unit"])
    if relations is not None or kinds is not None:
        V = select(V, relations=relations, kinds=kinds)
    if max_nodes is not None and len(V) > max_nodes:
        H = hierarchy(V)
        tops = roots(V) or list(V)[:1]
        dist: dict[Hashable, int] = {}
        for r in tops:
            dist.update(nx.single_source_shortest_path_length(H, r))
        per_level: dict[int, int] = {}
        for d in dist.values():
            per_level[d] = per_level.get(d, 0) + 1
        shown, cut = 0, 0
        for lv in sorted(per_level):
            if shown + per_level[lv] > max_nodes:
                break
            shown += per_level[lv]
            cut = lv
        keep = {n for n, d in dist.items() if d <= cut}
        total_units = sum(1 for _, a in V.nodes(data=True) if a.get("category") == "unit")
        V = induced(V, keep)
        note = (
            f"showing the top {cut + 1} levels: {len(keep)} of {total_units} units (use root= and depth= for a branch)"
        )
    return V, note


@dataclass
class Chart:
    """A drawn chart: bytes in one or more formats, shown inline by Jupyter."""

    graph: OrgGraph
    engine: str
    options: dict[str, Any] = field(default_factory=dict)
    _cache: dict[str, bytes] = field(default_factory=dict, repr=False)

    def to_bytes(self, fmt: str) -> bytes:
        """The chart as ``png``, ``svg``, ``pdf`` or ``dot`` bytes."""
        fmt = _choice(fmt, FORMATS, "format")
        if fmt not in self._cache:
            if fmt == "dot":
                self._cache[fmt] = _dot_text(self.graph, self.options).encode("utf-8")
            elif self.engine == "graphviz":
                self._cache[fmt] = _graphviz(self.graph, fmt, self.options)
            else:
                self._cache[fmt] = _matplotlib(self.graph, fmt, self.options)
        return self._cache[fmt]

    def save(self, path: PathOrFile, *, format: str | None = None) -> None:
        """Write the chart (format from the file's extension unless given), atomically."""
        fmt = format or (Path(str(path)).suffix.lstrip(".").lower() if not hasattr(path, "write") else "png")
        write_bytes(path, self.to_bytes(fmt or "png"))

    def _repr_svg_(self) -> str:
        return self.to_bytes("svg").decode("utf-8")

    def _repr_png_(self) -> bytes:
        return self.to_bytes("png")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        # PNG keeps notebooks small and renders the same everywhere (GitHub included).
        return {"image/png": self._repr_png_()}


def chart(
    G: OrgGraph,
    *,
    engine: str = "auto",
    root: Hashable | None = None,
    depth: int | None = None,
    hierarchy_only: bool = False,
    relations: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    rankdir: str = "TB",
    theme: str | Theme = "light",
    title: str | None = None,
    dpi: int = 150,
    size: tuple[float, float] | None = None,
    legend: bool = True,
    max_nodes: int | None = MAX_CHART_NODES,
    as_of: str | None = None,
) -> Chart:
    """Draw ``G`` (or a part of it) as an org chart; see :func:`render` for the options.

    >>> import ice_graph
    >>> c = ice_graph.chart(ice_graph.load(), root="HSI", engine="matplotlib")
    >>> c.to_bytes("png")[:4]
    b'\\x89PNG'
    """
    _choice(engine, ENGINES, "engine")
    if rankdir not in ("TB", "LR"):
        raise ExportError(unknown("direction", rankdir, ("TB", "LR")))
    get_theme(theme)
    if dpi <= 0 or dpi > 1200:
        raise ExportError(f"dpi must be between 1 and 1200, got {dpi}")
    if engine == "graphviz" and not graphviz_available():
        raise GraphvizNotFound()
    chosen = "graphviz" if engine == "graphviz" or (engine == "auto" and graphviz_available()) else "matplotlib"
    if as_of is not None:
        G = history.as_of(G, as_of)
    V, note = chart_view(
        G, root=root, depth=depth, hierarchy_only=hierarchy_only, relations=relations, kinds=kinds, max_nodes=max_nodes
    )
    if len(V) == 0:
        raise ExportError("nothing to draw: the selection is empty")
    opts = {
        "rankdir": rankdir,
        "theme": theme,
        "title": title,
        "dpi": dpi,
        "size": size,
        "legend": legend,
        "note": note,
    }
    return Chart(V, chosen, opts)


def render(G: OrgGraph, path: PathOrFile, *, format: str | None = None, **options: Any) -> Chart:
    """Draw ``G`` as an org chart and write it to ``path`` (PNG, SVG, PDF or DOT).

    The format comes from the file's extension unless ``format`` is given. Options:

    - ``engine``: ``"auto"`` (Graphviz when ``dot`` is installed, else matplotlib),
      ``"graphviz"`` or ``"matplotlib"``;
    - ``root`` and ``depth``: draw a branch, or only the top levels;
    - ``hierarchy_only``: units and ``has_unit`` edges alone;
    - ``relations``, ``kinds``: which relations and kinds of node to include;
    - ``rankdir``: ``"TB"`` (top-down) or ``"LR"`` (left to right);
    - ``theme``: ``"light"`` or ``"print"`` (grayscale);
    - ``title``, ``dpi``, ``size`` (width, height in inches, a maximum), ``legend``;
    - ``max_nodes``: above this many nodes only the top levels are drawn (the chart says so);
    - ``as_of``: the organization on that date (needs ``load(history=True)``); a
      history graph is otherwise drawn as it stands on the data's date.

    The file is written atomically: a failure leaves no partial file.
    """
    fmt = format or Path(str(path)).suffix.lstrip(".").lower()
    _choice(fmt, FORMATS, "format")
    c = chart(G, **options)
    c.save(path, format=fmt)
    return c


# ---------------------------------------------------------------------------
# Graphviz
# ---------------------------------------------------------------------------
def _dot_text(V: OrgGraph, opts: dict[str, Any]) -> str:
    text = "".join(
        generate_dot(
            V,
            group_leaves=True,
            theme=opts["theme"],
            rankdir=opts["rankdir"],
            title=opts["title"],
            note=opts["note"],
            legend=opts["legend"],
        )
    )
    if opts.get("size"):
        w, h = opts["size"]
        text = text.replace("graph [", f'graph [size="{float(w)},{float(h)}", ', 1)
    return text


def _graphviz(V: OrgGraph, fmt: str, opts: dict[str, Any]) -> bytes:
    exe = shutil.which("dot")
    if exe is None:
        raise GraphvizNotFound()
    args = [exe, f"-T{fmt}"]
    if fmt == "png":
        args.append(f"-Gdpi={int(opts['dpi'])}")
    env = dict(os.environ, SOURCE_DATE_EPOCH="0")
    try:
        proc = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            args,
            input=_dot_text(V, opts).encode("utf-8"),
            capture_output=True,
            timeout=GRAPHVIZ_TIMEOUT,
            check=False,
            env=env,
        )
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"Graphviz 'dot' did not finish within {GRAPHVIZ_TIMEOUT:.0f} s ({len(V)} nodes); "
            "draw a branch (root=, depth=) or use engine='matplotlib'"
        ) from None
    except OSError as exc:
        raise RenderError(f"could not run Graphviz 'dot': {exc}") from None
    if proc.returncode != 0 or not proc.stdout:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderError(f"Graphviz 'dot' failed (exit {proc.returncode}): {err[0] if err else 'no output'}")
    return proc.stdout


# ---------------------------------------------------------------------------
# matplotlib
# ---------------------------------------------------------------------------
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


_CHANGE_STYLE = {
    "added": ("#1a9641", "solid", "added"),
    "removed": ("#d7191c", "dashed", "removed"),
    "renamed": ("#e08b00", "solid", "renamed"),
}


def changes_chart(G: OrgGraph, start: str, end: str, **options: Any) -> Chart:
    """A chart of the organization on ``end`` with what changed since ``start`` marked.

    Units and links added since ``start`` get a green outline, renamed ones an
    amber outline and their former name, and those gone by ``end`` are drawn
    dashed in red. ``G`` must hold the history (``load(history=True)``). Drawn
    with matplotlib; other options as for :func:`chart`.
    """
    a, b = history.as_of(G, start), history.as_of(G, end)
    U: OrgGraph = b.copy()
    U.graph["as_of"] = day(end)
    for n, attrs in a.nodes(data=True):
        if n not in U:
            U.add_node(n, **attrs, _change="removed")
        elif attrs.get("name") != U.nodes[n].get("name"):
            U.nodes[n]["_change"] = "renamed"
            U.nodes[n]["_was"] = attrs.get("name")
    for n in b:
        if n not in a:
            U.nodes[n]["_change"] = "added"
    for u, v, attrs in a.edges(data=True):
        if not U.has_edge(u, v) and u in U and v in U:
            U.add_edge(u, v, **attrs)
    title = (
        options.pop("title", None)
        or f"{G.graph.get('title', 'Organization')}: what changed, {day(start)} to {day(end)}"
    )
    options.setdefault("engine", "matplotlib")
    if options["engine"] != "matplotlib":
        raise ExportError("changes_chart draws with matplotlib only")
    return chart(U, title=title, **options)


def _wrap_to(text: str, width: float, size: float) -> list[str]:
    """Break text into lines no wider than ``width`` points at ``size``."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_width(lines[-1] + " " + word, size) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _matplotlib(V: OrgGraph, fmt: str, opts: dict[str, Any]) -> bytes:
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
            color, style, _label = _CHANGE_STYLE[change]
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
                color, style, label = _CHANGE_STYLE[change]
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
