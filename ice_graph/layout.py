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
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import lru_cache

import networkx as nx

from ._types import OrgGraph
from .errors import ExportError
from .style import BOLD_KINDS, detail_lines, font_size, label_lines

__all__ = ["Layout", "tidy_layout", "wrapped_layout", "chart_tree", "text_width"]

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
    #: stacked nodes that are not units (their connector may leave from the parent's side)
    side: set[Hashable] = field(default_factory=set)
    #: child -> its connector from its parent, when the layout routes it (:func:`wrapped_layout`)
    paths: dict[Hashable, list[tuple[float, float]]] = field(default_factory=dict)
    #: how many tiers wrap onto a second row (:func:`wrapped_layout`)
    wraps: int = 0
    #: (parent, child) links cut to break cycles in the hierarchy
    cut: list[tuple[Hashable, Hashable]] = field(default_factory=list)
    rankdir: str = "TB"
    width: float = 0.0
    height: float = 0.0

    def box(self, n: Hashable) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of a node's box."""
        (x, y), (w, h) = self.pos[n], self.size[n]
        return x - w / 2, y - h / 2, x + w / 2, y + h / 2


def _first_parents(V: OrgGraph) -> dict[Hashable, Hashable | None]:
    """Each node's parent in the drawing: a unit's first superior, anything else's first linker."""
    order = {n: i for i, n in enumerate(V)}
    parent: dict[Hashable, Hashable | None] = {}
    for n, a in V.nodes(data=True):
        if a.get("category") == "unit":
            ups = [p for p in V.predecessors(n) if V.edges[p, n].get("relation") == "has_unit"]
        else:
            ups = sorted(V.predecessors(n), key=order.__getitem__)
        parent[n] = ups[0] if ups else None
    return parent


def _break_cycles(V: OrgGraph, parent: dict[Hashable, Hashable | None]) -> list[tuple[Hashable, Hashable]]:
    """Cut every cycle of ``parent`` links, deterministically; return the links cut.

    Each node has one parent, so a node that no root reaches lies on a cycle or
    below one. Walking up from it finds the cycle; the cycle's first node in graph
    order becomes a root (its link to its parent is cut). The walk is linear overall.
    """
    done: set[Hashable] = {n for n in V if parent[n] is None}
    cut: list[tuple[Hashable, Hashable]] = []
    order = {n: i for i, n in enumerate(V)}
    for n in V:
        path: list[Hashable] = []
        on_path: set[Hashable] = set()
        m: Hashable | None = n
        while m is not None and m not in done and m not in on_path:
            path.append(m)
            on_path.add(m)
            m = parent[m]
        if m is not None and m in on_path:  # a cycle: from m back to m
            cycle = path[path.index(m) :]
            head = min(cycle, key=order.__getitem__)
            p = parent[head]
            assert p is not None
            cut.append((p, head))
            parent[head] = None
        done.update(path)
    return cut


def _layout_tree(
    V: OrgGraph,
) -> tuple[
    dict[Hashable, Hashable | None], dict[Hashable, list[Hashable]], list[Hashable], list[tuple[Hashable, Hashable]]
]:
    """Parent, children and roots of the drawn tree, and the links cut to break cycles."""
    order = {n: i for i, n in enumerate(V)}
    parent = _first_parents(V)
    cut = _break_cycles(V, parent)
    children: dict[Hashable, list[Hashable]] = {n: [] for n in V}
    for n in V:
        p = parent[n]
        if p is not None:
            children[p].append(n)
    roots = [n for n in V if parent[n] is None]
    roots.sort(key=lambda n: (V.nodes[n].get("category") != "unit", order[n]))
    return parent, children, roots, cut


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


def _measure(V: OrgGraph, lay: Layout, wrap: int, show: tuple[str, ...] = ()) -> None:
    """Label lines, font and box size of every node.

    A head's title shared by more than four boxes (25 "Field Office Director"s) is
    left out: repeated, it says nothing.
    """
    heads = Counter(str(a.get("head_title")) for _, a in V.nodes(data=True) if a.get("head_title")) if show else {}
    widths = {False: _WIDTHS[False].__getitem__, True: _WIDTHS[True].__getitem__}
    for n, a in V.nodes(data=True):
        kind, cat = a.get("kind", "unit"), a.get("category", "unit")
        fs = font_size(kind, cat)
        bold = kind in BOLD_KINDS
        lines = label_lines(a, width=wrap)
        if a.get("_was"):
            lines = lines + label_lines({"name": f"(was: {a['_was']})"}, width=wrap + 4)
        if show:
            own = show if heads.get(str(a.get("head_title")), 0) <= 4 else tuple(x for x in show if x != "head")
            lines += detail_lines(a, own, wrap + 4)
        more = a.get("_more")
        if isinstance(more, list):
            lines += [str(x) for x in more]
        char = widths[bold]  # text_width, inlined: the same sums in the same order
        w = max([1.03 * fs * sum(map(char, line)) for line in lines]) + 2 * PAD_X
        h = len(lines) * fs * LINE + 2 * PAD_Y
        lay.lines[n], lay.font[n], lay.bold[n], lay.size[n] = lines, fs, bold, (w, h)


Group = tuple[str, list[Hashable]]  # ("tree", [child]) or ("stack", [children...])


@dataclass
class _Tree:
    """The drawn tree and the work of laying it out, shared by the steps of :func:`tidy_layout`."""

    V: OrgGraph
    lay: Layout
    children: dict[Hashable, list[Hashable]]
    roots: list[Hashable]
    tb: bool
    groups: dict[Hashable, list[Group]] = field(default_factory=dict)
    level: dict[Hashable, int] = field(default_factory=dict)
    post: list[Hashable] = field(default_factory=list)  # pre-order; reversed, children come first
    block: dict[Hashable, float] = field(default_factory=dict)
    stacked: set[Hashable] = field(default_factory=set)
    stacked_first: set[Hashable] = field(default_factory=set)
    #: first members of the columns that continue the list of the column before them
    continued: set[Hashable] = field(default_factory=set)
    level_top: list[float] = field(default_factory=list)
    bpos: dict[Hashable, float] = field(default_factory=dict)
    dpos: dict[Hashable, float] = field(default_factory=dict)
    bstart: dict[Hashable, float] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        return HGAP if self.tb else 8.0

    @property
    def vgap(self) -> float:
        return VGAP if self.tb else 44.0

    def breadth(self, n: Hashable) -> float:
        return self.lay.size[n][0] if self.tb else self.lay.size[n][1]

    def deep(self, n: Hashable) -> float:
        return self.lay.size[n][1] if self.tb else self.lay.size[n][0]

    def group_breadth(self, kind: str, members: list[Hashable]) -> float:
        if kind == "stack":
            return INDENT + max(self.breadth(m) for m in members)
        return self.block[members[0]]

    def groups_breadth(self, n: Hashable) -> float:
        gs = self.groups[n]
        return sum(self.group_breadth(k, m) for k, m in gs) + self.gap * (len(gs) - 1) if gs else 0.0


def _columns(members: list[Hashable], rows: int | None) -> list[Group]:
    """``members`` as stacked columns of at most ``rows`` boxes, as even as can be."""
    if not rows or len(members) <= rows:
        return [("stack", members)]
    ncol = -(-len(members) // rows)
    base, extra = divmod(len(members), ncol)  # the first ``extra`` columns get one more box
    out: list[Group] = []
    start = 0
    for c in range(ncol):
        end = start + base + (c < extra)
        out.append(("stack", members[start:end]))
        start = end
    return out


def _unit_groups(
    units: list[Hashable],
    children: dict[Hashable, list[Hashable]],
    kind: dict[Hashable, object],
    compact: bool,
    rows: int | None,
) -> list[Group]:
    """A node's unit subordinates as groups: subtrees, and (compact) columns of three or more leaf units."""
    leaf_units = [k for k in units if not children[k]]
    if not (compact and len(leaf_units) >= 3):
        return [("tree", [k]) for k in units]
    g: list[Group] = [("tree", [k]) for k in units if children[k]]
    if len(leaf_units) <= 8:  # a short list stays one list
        return g + _columns(leaf_units, rows)
    for kd in dict.fromkeys(kind[k] for k in leaf_units):  # one list per kind: the divisions, then the field offices
        g.extend(_columns([k for k in leaf_units if kind[k] == kd], rows))
    return g


def _group(t: _Tree, compact: bool, rows: int | None) -> None:
    """Split every node's children into groups: subtrees, and stacked columns (compact charts).

    Compact charts stack a unit's leaf subordinates (three or more) in columns of at
    most ``rows`` boxes, beside the subtrees of its other subordinates. Node data is
    read once into plain dicts: this runs over every node of charts of 10^5 nodes.
    """
    cat = {n: a.get("category") for n, a in t.V.nodes(data=True)}
    kind = {n: a.get("kind") for n, a in t.V.nodes(data=True)}
    children, groups, side, beside = t.children, t.groups, t.lay.side, t.lay.attached_beside
    for n in t.V:
        kids = children[n]
        if not kids:  # a leaf: no groups (most nodes of a big chart)
            groups[n] = []
            continue
        units = [k for k in kids if cat[k] == "unit"]
        others = [k for k in kids if cat[k] != "unit"] if len(units) < len(kids) else []
        g = _unit_groups(units, children, kind, compact, rows)
        if compact and others:
            # One column per category, so each column's connector has one line style; a node
            # with nodes of its own below it (a foreign graph's) is a subtree, never stacked.
            leaves = [k for k in others if not children[k]]
            for c in dict.fromkeys(cat[k] for k in leaves):
                g.extend(_columns([k for k in leaves if cat[k] == c], rows))
                side.update(k for k in leaves if cat[k] == c)
            g.extend(("tree", [k]) for k in others if children[k])
        else:
            g.extend(("tree", [k]) for k in others)
        groups[n] = g
        beside[n] = bool(units) and bool(others)
        _mark_stacks(t, g, kind)


def _mark_stacks(t: _Tree, g: list[Group], kind: dict[Hashable, object]) -> None:
    """Record a node's stacked members, each column's first, and columns that continue the one before."""
    previous: Group | None = None
    for grp in g:
        k1, m1 = grp
        if k1 == "stack":
            if previous is not None and previous[0] == "stack" and kind[previous[1][0]] == kind[m1[0]]:
                t.continued.add(m1[0])
            t.stacked.update(m1)
            t.stacked_first.add(m1[0])
        previous = grp


def _levels_and_blocks(t: _Tree) -> None:
    """Level of every node, pre-order (without recursion), and the breadth of every subtree's block."""
    stack = list(reversed(t.roots))
    t.level = {r: 0 for r in t.roots}
    while stack:
        n = stack.pop()
        t.post.append(n)
        for k in reversed(t.children[n]):
            t.level[k] = t.level[n] + 1
            stack.append(k)
    for n in reversed(t.post):
        t.block[n] = max(t.breadth(n), t.groups_breadth(n))


def _level_tops(t: _Tree) -> None:
    """Where each level starts: below the tallest non-stacked (or first stacked) box above it."""
    level_depth: dict[int, float] = {}
    for n in t.V:
        if n in t.stacked and n not in t.stacked_first:
            continue
        level_depth[t.level[n]] = max(level_depth.get(t.level[n], 0.0), t.deep(n))
    levels = max(level_depth) + 1 if level_depth else 0
    t.level_top = [0.0] * (levels + 1)
    for lv in range(1, levels + 1):
        t.level_top[lv] = t.level_top[lv - 1] + level_depth.get(lv - 1, 0.0) + t.vgap


def _place_stack(t: _Tree, n: Hashable, members: list[Hashable], cursor: float) -> None:
    sb = cursor + INDENT / 2
    d = t.level_top[t.level[n] + 1]
    for m in members:
        t.lay.spine[m] = sb
        t.bpos[m] = cursor + INDENT + t.breadth(m) / 2
        t.dpos[m] = d
        d += t.deep(m) + STACK_GAP


def _place(t: _Tree) -> None:
    """Pre-order placement: each block's start along the breadth, each box's top along the depth."""
    todo: list[tuple[Hashable, float]] = []
    left = 0.0
    for r in t.roots:
        todo.append((r, left))
        left += t.block[r] + 3 * t.gap
    while todo:
        n, start = todo.pop()
        t.bstart[n] = start
        t.dpos.setdefault(n, t.level_top[t.level[n]])
        gs = t.groups[n]
        if not gs:
            t.bpos[n] = start + t.block[n] / 2
            continue
        cursor = start + (t.block[n] - t.groups_breadth(n)) / 2
        for kind, members in gs:
            if kind == "stack":
                _place_stack(t, n, members, cursor)
            else:
                todo.append((members[0], cursor))
            cursor += t.group_breadth(kind, members) + t.gap


def _group_centre(t: _Tree, kind: str, members: list[Hashable]) -> float:
    if kind == "tree":
        return t.bpos[members[0]]
    return t.lay.spine[members[0]] - INDENT / 2 + t.group_breadth(kind, members) / 2


def _recentre(t: _Tree) -> None:
    """Centre parents over their children, bottom-up, but never outside their own band (no overlaps)."""
    for n in reversed(t.post):
        gs = t.groups[n]
        if not gs:
            continue
        mid = (_group_centre(t, *gs[0]) + _group_centre(t, *gs[-1])) / 2
        half = t.breadth(n) / 2
        t.bpos[n] = min(max(mid, t.bstart[n] + half), t.bstart[n] + t.block[n] - half)


def _finish(t: _Tree) -> None:
    """Positions, connector buses and the chart's extent, in the chart's coordinates."""
    lay = t.lay
    for n in t.V:
        b, d = t.bpos[n], t.dpos[n]
        lay.pos[n] = (b, d + lay.size[n][1] / 2) if t.tb else (d + lay.size[n][0] / 2, b)
    levels = len(t.level_top) - 1
    for n in t.V:
        if t.children[n]:
            lv = t.level[n]
            below = t.level_top[lv + 1] if lv + 1 <= levels else t.level_top[lv] + t.deep(n) + t.vgap
            lay.bus[n] = below - t.vgap / 2
    if lay.pos:  # the boxes' right and bottom edges, as Layout.box computes them
        lay.width = max([x + w / 2 for (x, _), (w, _) in zip(lay.pos.values(), lay.size.values(), strict=True)])
        lay.height = max([y + h / 2 for (_, y), (_, h) in zip(lay.pos.values(), lay.size.values(), strict=True)])


def tidy_layout(
    V: OrgGraph,
    *,
    rankdir: str = "TB",
    compact: bool | None = None,
    wrap: int = 24,
    rows: int | None = None,
    show: tuple[str, ...] = (),
) -> Layout:
    """Lay out ``V`` (a graph or view) as an org chart; see the module docstring.

    ``compact`` (default: on for top-down charts) stacks leaf subordinates and
    attached programs, areas and partners in columns. A cycle of ``has_unit`` links
    is cut where it reaches its first node in graph order; ``Layout.cut`` lists the
    links cut, which the chart draws as links. ``rows`` caps the boxes of a stacked
    column (a longer list becomes several columns); ``show`` adds detail lines to the
    boxes (``"head"``, ``"employees"``; see :func:`ice_graph.style.detail_lines`).
    """
    if rankdir not in ("TB", "LR"):
        raise ExportError(f"rankdir must be 'TB' or 'LR', got {rankdir!r}")
    compact = (rankdir == "TB") if compact is None else compact
    lay = Layout(rankdir=rankdir)
    _measure(V, lay, wrap, show)
    lay.parent, children, roots, lay.cut = _layout_tree(V)
    t = _Tree(V, lay, children, roots, rankdir == "TB")
    _group(t, compact, rows)
    _levels_and_blocks(t)
    _level_tops(t)
    _place(t)
    _recentre(t)
    _finish(t)
    return lay


def _stack_size(t: _Tree, members: list[Hashable]) -> tuple[float, float]:
    w = INDENT + max(t.lay.size[m][0] for m in members)
    return w, sum(t.lay.size[m][1] for m in members) + STACK_GAP * (len(members) - 1)


def _rows(sizes: list[tuple[float, float]], limit: float, cont: list[bool]) -> list[list[int]]:
    """Greedy rows of groups (indices) no wider than ``limit`` (a wider group gets a row of its own).

    The columns of one list (``cont[i]``: group i continues group i-1) move to the
    next row together when they fit on one row.
    """
    units: list[list[int]] = []
    for i in range(len(sizes)):
        if cont[i] and units:
            units[-1].append(i)
        else:
            units.append([i])
    rows: list[list[int]] = [[]]
    width = 0.0
    for u in units:
        uw = sum(sizes[i][0] for i in u) + HGAP * (len(u) - 1)
        if uw > limit:  # a list wider than a row: its columns wrap one by one
            for i in u:
                if rows[-1] and width + HGAP + sizes[i][0] > limit:
                    rows.append([])
                    width = 0.0
                width += (HGAP if rows[-1] else 0.0) + sizes[i][0]
                rows[-1].append(i)
            continue
        if rows[-1] and width + HGAP + uw > limit:
            rows.append([])
            width = 0.0
        width += (HGAP if rows[-1] else 0.0) + uw
        rows[-1].extend(u)
    return rows


@dataclass
class _Block:
    w: float
    h: float
    rows: list[list[int]]
    sizes: list[tuple[float, float]]
    beside: list[int] = field(default_factory=list)  # lists of programs and partners, right of the box
    head_h: float = 0.0  # the box, or the lists beside it if taller


def _block(t: _Tree, n: Hashable, blocks: dict[Hashable, _Block], limit: float) -> _Block:
    """The size of ``n``'s block: its box (programs and partners beside it), then its rows of subordinates."""
    bw, bh = t.lay.size[n]
    groups = t.groups[n]
    if not groups:
        return _Block(bw, bh, [], [], [], bh)
    sizes = [(blocks[m[0]].w, blocks[m[0]].h) if k == "tree" else _stack_size(t, m) for k, m in groups]
    beside = [i for i, (k, m) in enumerate(groups) if k == "stack" and m[0] in t.lay.side]
    if len(beside) == len(groups):  # nothing else below: the lists are the row
        beside = []
    below = [i for i in range(len(groups)) if i not in beside]
    # The lists beside the box are set one below the other, each with its own connector line.
    beside_w = max((sizes[i][0] + HGAP for i in beside), default=0.0)
    head_h = max(bh, sum(sizes[i][1] + 2 * STACK_GAP for i in beside))
    cont = [groups[i][0] == "stack" and groups[i][1][0] in t.continued for i in below]
    rows = [[below[j] for j in r] for r in _rows([sizes[i] for i in below], max(limit, bw), cont)]
    indent = INDENT if len(rows) > 1 else 0.0
    row_w = [sum(sizes[i][0] for i in r) + HGAP * (len(r) - 1) for r in rows]
    row_h = [max(sizes[i][1] for i in r) for r in rows]
    w = max(bw + 2 * beside_w, indent + max(row_w))
    return _Block(w, head_h + sum(h + VGAP for h in row_h), rows, sizes, beside, head_h)


def _place_block(
    t: _Tree, n: Hashable, left: float, top: float, blocks: dict[Hashable, _Block]
) -> list[tuple[Hashable, float, float]]:
    """Place ``n``'s box and its rows of groups; return the (node, left, top) of its subtrees to place next."""
    lay, b = t.lay, blocks[n]
    bw, bh = lay.size[n]
    lay.pos[n] = (left + b.w / 2, top + bh / 2)
    px, pb = left + b.w / 2, top + bh
    x, y = px + bw / 2 + HGAP, top
    step = INDENT / (len(b.beside) + 1)
    for k, i in enumerate(b.beside):  # programs and partners: lists right of the box, linked from its side
        sx = x + step * (k + 1)  # each list's line runs left of every list's boxes, apart from the others
        for m in t.groups[n][i][1]:
            mw, mh = lay.size[m]
            lay.pos[m] = (x + INDENT + mw / 2, y + mh / 2)
            lay.spine[m] = sx
            lay.paths[m] = [(px + bw / 2, top + bh / 2), (sx, top + bh / 2), (sx, y + mh / 2), (x + INDENT, y + mh / 2)]
            y += mh + STACK_GAP
        y += STACK_GAP
    if not b.rows:
        return []
    many = len(b.rows) > 1
    trunk = left + INDENT / 2
    row_top = top + b.head_h + VGAP
    first_bus = row_top - VGAP / 2
    todo: list[tuple[Hashable, float, float]] = []
    for r in b.rows:
        width = sum(b.sizes[i][0] for i in r) + HGAP * (len(r) - 1)
        x = left + INDENT if many else left + (b.w - width) / 2
        bus = row_top - VGAP / 2
        head = [(px, pb), (px, first_bus)] + ([(trunk, first_bus), (trunk, bus)] if bus != first_bus else [])
        for i in r:
            kind, members = t.groups[n][i]
            if kind == "tree":
                sub = members[0]
                kx = x + blocks[sub].w / 2
                lay.paths[sub] = [*head, (kx, bus), (kx, row_top)]
                todo.append((sub, x, row_top))
            else:
                sx, y = x + INDENT / 2, row_top
                for m in members:
                    mw, mh = lay.size[m]
                    lay.pos[m] = (x + INDENT + mw / 2, y + mh / 2)
                    lay.spine[m] = sx
                    lay.paths[m] = [*head, (sx, bus), (sx, y + mh / 2), (x + INDENT, y + mh / 2)]
                    y += mh + STACK_GAP
            x += b.sizes[i][0] + HGAP
        row_top += max(b.sizes[i][1] for i in r) + VGAP
    return todo


def wrapped_layout(
    V: OrgGraph, *, max_width: float, rows: int | None = None, wrap: int = 24, show: tuple[str, ...] = ()
) -> Layout:
    """A top-down org chart whose rows of subordinates wrap at ``max_width`` points.

    Each unit's subtrees and stacked lists are set in rows no wider than
    ``max_width``; a second row hangs below the first from a trunk line at the left,
    as printed charts wrap a wide tier. Connectors are in :attr:`Layout.paths`.
    """
    lay = Layout(rankdir="TB")
    _measure(V, lay, wrap, show)
    lay.parent, children, roots, lay.cut = _layout_tree(V)
    t = _Tree(V, lay, children, roots, True)
    _group(t, True, rows)
    _levels_and_blocks(t)
    blocks: dict[Hashable, _Block] = {}
    for n in reversed(t.post):
        blocks[n] = _block(t, n, blocks, max_width)
        lay.wraps += len(blocks[n].rows) > 1
    todo: list[tuple[Hashable, float, float]] = []
    x = 0.0
    for r in roots:
        todo.append((r, x, 0.0))
        x += blocks[r].w + 3 * HGAP
    while todo:
        n, left, top = todo.pop()
        todo.extend(_place_block(t, n, left, top, blocks))
    if lay.pos:
        lay.width = max(lay.box(n)[2] for n in V)
        lay.height = max(lay.box(n)[3] for n in V)
    return lay
