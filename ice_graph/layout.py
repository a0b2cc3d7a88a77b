"""A tidy, linear-time layout for org charts, with boxes sized to their labels.

The hierarchy (``has_unit``) is laid out as a tree: every subtree gets its own
band, so no two boxes overlap, and every parent is centred over its children and
drawn above them (or to their left, left to right). Programs, mission areas and
partners hang under the first unit in the view that links to them; other links
are drawn on top by the renderer. Top-down charts stack a parent's leaf
subordinates, and its programs, areas and partners, in columns, as printed org
charts do, so that wide organizations stay readable.

Coordinates are in points (1/72 inch), y grows downward. The matplotlib chart
draws at exactly these sizes, and GraphML/GEXF files carry the positions for Gephi.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import lru_cache

import networkx as nx

from ._types import OrgGraph
from .style import BOLD_KINDS, font_size, label_lines

__all__ = ["Layout", "tidy_layout", "chart_tree", "text_width"]

HGAP = 16.0  # between sibling blocks
VGAP = 34.0  # between levels
STACK_GAP = 7.0  # between boxes in a stacked column
INDENT = 18.0  # a stacked column's indent (the connector spine runs in it)
PAD_X = 7.0
PAD_Y = 4.5
LINE = 1.22  # line height, in font sizes


@lru_cache(maxsize=4096)
def _char_width(ch: str, bold: bool) -> float:
    """Advance width of one character at font size 1 (DejaVu Sans), in points."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal", size=100)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a glyph missing from the font: measured as its box
        w, _h, _d = TextToPath().get_text_width_height_descent(ch, prop, ismath=False)
    return max(float(w) / 100.0, 0.3 if ch.strip() else 0.0)


class _Widths(dict[str, float]):
    def __init__(self, bold: bool) -> None:
        super().__init__()
        self.bold = bold

    def __missing__(self, ch: str) -> float:
        self[ch] = w = _char_width(ch, self.bold)
        return w


_WIDTHS = {False: _Widths(False), True: _Widths(True)}


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width of ``text`` at ``size`` points (sum of character advances, 3% margin)."""
    return 1.03 * size * sum(map(_WIDTHS[bold].__getitem__, text))


@dataclass
class Layout:
    """Where every node goes: centres and sizes in points (y down)."""

    pos: dict[Hashable, tuple[float, float]] = field(default_factory=dict)
    size: dict[Hashable, tuple[float, float]] = field(default_factory=dict)
    lines: dict[Hashable, list[str]] = field(default_factory=dict)
    font: dict[Hashable, float] = field(default_factory=dict)
    bold: dict[Hashable, bool] = field(default_factory=dict)
    parent: dict[Hashable, Hashable | None] = field(default_factory=dict)
    #: nodes drawn in a stacked column -> x of the column's connector spine
    spine: dict[Hashable, float] = field(default_factory=dict)
    #: parent -> y (TB) or x (LR) of the connector bus between it and its children
    bus: dict[Hashable, float] = field(default_factory=dict)
    #: units whose subordinates use the connector bus below them (their links leave from the side)
    attached_beside: dict[Hashable, bool] = field(default_factory=dict)
    rankdir: str = "TB"
    width: float = 0.0
    height: float = 0.0

    def box(self, n: Hashable) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of a node's box."""
        (x, y), (w, h) = self.pos[n], self.size[n]
        return x - w / 2, y - h / 2, x + w / 2, y + h / 2


def _layout_tree(
    V: OrgGraph,
) -> tuple[dict[Hashable, Hashable | None], dict[Hashable, list[Hashable]], list[Hashable]]:
    order = {n: i for i, n in enumerate(V)}
    parent: dict[Hashable, Hashable | None] = {}
    for n, a in V.nodes(data=True):
        if a.get("category") == "unit":
            ups = [p for p in V.predecessors(n) if V.edges[p, n].get("relation") == "has_unit"]
        else:
            ups = sorted(V.predecessors(n), key=order.__getitem__)
        parent[n] = ups[0] if ups else None
    # A view may cut a unit off from its superior's category filter; keep the tree acyclic.
    children: dict[Hashable, list[Hashable]] = {n: [] for n in V}
    for n in V:
        p = parent[n]
        if p is not None:
            children[p].append(n)
    roots = [n for n in V if parent[n] is None]
    roots.sort(key=lambda n: (V.nodes[n].get("category") != "unit", order[n]))
    return parent, children, roots


def chart_tree(V: OrgGraph) -> tuple[OrgGraph, dict[Hashable, Hashable]]:
    """The tree a chart draws: each program, area or partner once under every unit linking to it.

    Returns the tree and a map from its node keys to the nodes of ``V``. A node of
    ``V`` linked from several units (a mission area shared by two directorates) gets
    one box under each, keyed ``(unit, node)``, so that every link is a short
    connector and no line crosses the chart. Units keep their own keys.
    """
    T: OrgGraph = nx.DiGraph()
    origin: dict[Hashable, Hashable] = {}
    for n, a in V.nodes(data=True):
        if a.get("category") == "unit":
            T.add_node(n, **a)
            origin[n] = n
    for n, a in V.nodes(data=True):
        if a.get("category") == "unit":
            continue
        ups = [u for u in V.predecessors(n) if u in origin]
        if not ups:
            T.add_node(n, **a)
            origin[n] = n
        for u in ups:
            key = (u, n)
            T.add_node(key, **a)
            origin[key] = n
    for u, v, a in V.edges(data=True):
        if V.nodes[v].get("category") == "unit":
            if u in origin:
                T.add_edge(u, v, **a)
        elif u in origin:
            T.add_edge(u, (u, v), **a)
    return T, origin


def tidy_layout(V: OrgGraph, *, rankdir: str = "TB", compact: bool | None = None, wrap: int = 24) -> Layout:
    """Lay out ``V`` (a graph or view) as an org chart; see the module docstring.

    ``compact`` (default: on for top-down charts) stacks leaf subordinates and
    attached programs, areas and partners in columns.
    """
    if rankdir not in ("TB", "LR"):
        raise ValueError(f"rankdir must be 'TB' or 'LR', got {rankdir!r}")
    compact = (rankdir == "TB") if compact is None else compact
    lay = Layout(rankdir=rankdir)
    for n, a in V.nodes(data=True):
        kind, cat = a.get("kind", "unit"), a.get("category", "unit")
        fs = font_size(kind, cat)
        bold = kind in BOLD_KINDS
        lines = label_lines(a, width=wrap)
        if a.get("_was"):
            lines = lines + label_lines({"name": f"(was: {a['_was']})"}, width=wrap + 4)
        w = max(text_width(line, fs, bold=bold) for line in lines) + 2 * PAD_X
        h = len(lines) * fs * LINE + 2 * PAD_Y
        lay.lines[n], lay.font[n], lay.bold[n], lay.size[n] = lines, fs, bold, (w, h)

    parent, children, roots = _layout_tree(V)
    lay.parent = parent
    tb = rankdir == "TB"

    def breadth(n: Hashable) -> float:
        return lay.size[n][0] if tb else lay.size[n][1]

    def deep(n: Hashable) -> float:
        return lay.size[n][1] if tb else lay.size[n][0]

    # Groups of children: ("tree", [child]) or ("stack", [children...]).
    groups: dict[Hashable, list[tuple[str, list[Hashable]]]] = {}
    for n in V:
        kids = children[n]
        if not kids:
            groups[n] = []
            continue
        units = [k for k in kids if V.nodes[k].get("category") == "unit"]
        others = [k for k in kids if V.nodes[k].get("category") != "unit"]
        g: list[tuple[str, list[Hashable]]] = []
        if compact and len(units) >= 3 and all(not children[k] for k in units):
            g.append(("stack", units))
        else:
            g.extend(("tree", [k]) for k in units)
        if others:
            if compact:
                # One column per category, so each column's connector has one line style.
                cats = list(dict.fromkeys(V.nodes[k].get("category") for k in others))
                for cat in cats:
                    g.append(("stack", [k for k in others if V.nodes[k].get("category") == cat]))
            else:
                g.extend(("tree", [k]) for k in others)
        groups[n] = g
        lay.attached_beside[n] = bool(units) and bool(others)

    # Post-order without recursion: block breadth of every subtree.
    post: list[Hashable] = []
    stack = list(reversed(roots))
    level: dict[Hashable, int] = {r: 0 for r in roots}
    while stack:
        n = stack.pop()
        post.append(n)
        for k in reversed(children[n]):
            level[k] = level[n] + 1
            stack.append(k)
    block: dict[Hashable, float] = {}
    gap = HGAP if tb else 8.0

    def group_breadth(kind: str, members: list[Hashable]) -> float:
        if kind == "stack":
            return INDENT + max(breadth(m) for m in members)
        return block[members[0]]

    for n in reversed(post):
        gs = groups[n]
        total = sum(group_breadth(k, m) for k, m in gs) + gap * (len(gs) - 1) if gs else 0.0
        block[n] = max(breadth(n), total)

    # Depth of each level: the tallest non-stacked box (or first stacked box) on it.
    stacked_first: set[Hashable] = set()
    stacked: set[Hashable] = set()
    for n in V:
        for kind, members in groups[n]:
            if kind == "stack":
                stacked.update(members)
                stacked_first.add(members[0])
    level_depth: dict[int, float] = {}
    for n in V:
        if n in stacked and n not in stacked_first:
            continue
        level_depth[level[n]] = max(level_depth.get(level[n], 0.0), deep(n))
    levels = max(level_depth) + 1 if level_depth else 0
    vgap = VGAP if tb else 44.0
    level_top = [0.0] * (levels + 1)
    for lv in range(1, levels + 1):
        level_top[lv] = level_top[lv - 1] + level_depth.get(lv - 1, 0.0) + vgap

    # Pre-order placement: b = breadth coordinate of the centre, d = depth of the top.
    bpos: dict[Hashable, float] = {}
    dpos: dict[Hashable, float] = {}
    spine_b: dict[Hashable, float] = {}
    bstart: dict[Hashable, float] = {}
    todo: list[tuple[Hashable, float]] = []
    left = 0.0
    for r in roots:
        todo.append((r, left))
        left += block[r] + 3 * gap
    while todo:
        n, start = todo.pop()
        bstart[n] = start
        dpos[n] = level_top[level[n]] if n not in stacked else dpos.get(n, level_top[level[n]])
        gs = groups[n]
        if not gs:
            bpos[n] = start + block[n] / 2
            continue
        total = sum(group_breadth(k, m) for k, m in gs) + gap * (len(gs) - 1)
        cursor = start + (block[n] - total) / 2
        for kind, members in gs:
            width = group_breadth(kind, members)
            if kind == "stack":
                sb = cursor + INDENT / 2
                d = level_top[level[n] + 1]
                for m in members:
                    spine_b[m] = sb
                    bpos[m] = cursor + INDENT + breadth(m) / 2
                    dpos[m] = d
                    d += deep(m) + STACK_GAP
            else:
                todo.append((members[0], cursor))
            cursor += width + gap

    # Re-centre parents over their children's actual centres, bottom-up (children first).
    for n in post[::-1]:
        gs = groups[n]
        if not gs:
            continue
        first_kind, first = gs[0]
        last_kind, last = gs[-1]
        c1 = (
            bpos[first[0]]
            if first_kind == "tree"
            else spine_b[first[0]] - INDENT / 2 + group_breadth(first_kind, first) / 2
        )
        c2 = (
            bpos[last[0]] if last_kind == "tree" else spine_b[last[0]] - INDENT / 2 + group_breadth(last_kind, last) / 2
        )
        # Centred over the children, but never outside its own band (no overlaps).
        half = breadth(n) / 2
        bpos[n] = min(max((c1 + c2) / 2, bstart[n] + half), bstart[n] + block[n] - half)

    for n in V:
        b, d = bpos[n], dpos[n]
        if tb:
            lay.pos[n] = (b, d + lay.size[n][1] / 2)
        else:
            lay.pos[n] = (d + lay.size[n][0] / 2, b)
    for m, sb in spine_b.items():
        lay.spine[m] = sb
    for n in V:
        if children[n]:
            lv = level[n]
            lay.bus[n] = level_top[lv + 1] - vgap / 2 if lv + 1 <= levels else level_top[lv] + deep(n) + vgap / 2
    if lay.pos:
        lay.width = max(lay.box(n)[2] for n in V)
        lay.height = max(lay.box(n)[3] for n in V)
    return lay
