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
from collections.abc import Callable, Hashable, ItemsView, Iterator, Mapping, ValuesView
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar

import networkx as nx

from ._collector import collector_paused
from ._types import OrgGraph
from .errors import ExportError
from .style import BOLD_KINDS, detail_lines, font_size, label_lines, label_lines_all

__all__ = ["Layout", "NodeMap", "tidy_layout", "wrapped_layout", "chart_tree", "text_width"]

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


_V = TypeVar("_V")


class NodeMap(Mapping[Hashable, _V]):
    """A read-only map from node to value: one value list over an index shared by several maps.

    A layout's maps keyed by node (positions, sizes, labels, fonts, ...) share one
    node -> position index; each keeps only a list. Building a dict per map was a
    sixth of the layout's time at 10^5 nodes. Iteration follows the index (graph order).
    """

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[Hashable, int], values: list[_V]) -> None:
        self._index, self._values = index, values

    def __getitem__(self, key: Hashable) -> _V:
        return self._values[self._index[key]]

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def items(self) -> ItemsView[Hashable, _V]:
        return _NodeItems(self)

    def values(self) -> ValuesView[_V]:
        return _NodeValues(self)

    def __repr__(self) -> str:
        return repr(dict(self.items()))

    def __reduce__(self) -> tuple[Any, ...]:  # pickled as the dict it stands for
        return dict, (list(self.items()),)


class PairMap(NodeMap[tuple[float, float]]):
    """A read-only map from node to a pair (x, y): two lists over the shared index.

    The pair is made when read: 10^5 positions and sizes, each a tuple kept alive in
    a list, cost their making and a collector pass over them after the layout.
    """

    __slots__ = ("_second",)

    def __init__(self, index: dict[Hashable, int], first: list[float], second: list[float]) -> None:
        super().__init__(index, first)  # type: ignore[arg-type]
        self._second = second

    def __getitem__(self, key: Hashable) -> tuple[float, float]:
        i = self._index[key]
        return self._values[i], self._second[i]  # type: ignore[return-value]

    def values(self) -> ValuesView[tuple[float, float]]:
        return _PairValues(self)

    def items(self) -> ItemsView[Hashable, tuple[float, float]]:
        return _PairItems(self)


class _PairValues(ValuesView[tuple[float, float]]):
    _mapping: PairMap

    def __iter__(self) -> Iterator[tuple[float, float]]:
        return zip(self._mapping._values, self._mapping._second, strict=True)  # type: ignore[arg-type]


class _PairItems(ItemsView[Hashable, tuple[float, float]]):
    _mapping: PairMap

    def __iter__(self) -> Iterator[tuple[Hashable, tuple[float, float]]]:
        m = self._mapping
        return zip(m._index, zip(m._values, m._second, strict=True), strict=True)  # type: ignore[arg-type]


class _NodeItems(ItemsView[Hashable, _V]):
    """:meth:`NodeMap.items`, read from the index and the list together (no lookup per item)."""

    _mapping: NodeMap[_V]

    def __iter__(self) -> Iterator[tuple[Hashable, _V]]:
        return zip(self._mapping._index, self._mapping._values, strict=True)


class _NodeValues(ValuesView[_V]):
    """:meth:`NodeMap.values`: the list itself."""

    _mapping: NodeMap[_V]

    def __iter__(self) -> Iterator[_V]:
        return iter(self._mapping._values)


@dataclass
class Layout:
    """Where every node goes: centres and sizes in points (y down).

    The maps keyed by node are read-only (:class:`NodeMap`, or a dict).
    """

    pos: Mapping[Hashable, tuple[float, float]] = field(default_factory=dict)
    size: Mapping[Hashable, tuple[float, float]] = field(default_factory=dict)
    lines: Mapping[Hashable, list[str]] = field(default_factory=dict)
    font: Mapping[Hashable, float] = field(default_factory=dict)
    bold: Mapping[Hashable, bool] = field(default_factory=dict)
    parent: Mapping[Hashable, Hashable | None] = field(default_factory=dict)
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


def _measure(t: _Tree, wrap: int, show: tuple[str, ...] = ()) -> None:
    """Label lines, font and box size of every node.

    A head's title shared by more than four boxes (25 "Field Office Director"s) is
    left out: repeated, it says nothing. Each step runs over all nodes at once: the
    fonts, the labels (:func:`~ice_graph.style.label_lines_all`), the extra lines of
    the few nodes that have them, the box sizes (:func:`_box_sizes`), the maps.
    """
    attrs = t.attrs
    kinds = [a.get("kind", "unit") for a in attrs]
    categories = [a.get("category", "unit") for a in attrs]
    fonts = list(map(_Fonts().__getitem__, zip(kinds, categories, strict=True)))
    all_lines = label_lines_all(attrs, width=wrap)
    heads = Counter(str(a.get("head_title")) for a in attrs if a.get("head_title")) if show else {}
    more = range(len(attrs)) if show else [i for i, a in enumerate(attrs) if "_was" in a or "_more" in a]
    for i in more:  # most nodes have no more than the label
        a = attrs[i]
        lines = all_lines[i]
        if a.get("_was"):
            lines = lines + label_lines({"name": f"(was: {a['_was']})"}, width=wrap + 4)
        if show:
            own = show if heads.get(str(a.get("head_title")), 0) <= 4 else tuple(x for x in show if x != "head")
            lines += detail_lines(a, own, wrap + 4)
        extra = a.get("_more")
        if isinstance(extra, list):
            lines += [str(x) for x in extra]
        all_lines[i] = lines
    w, h = _box_sizes(all_lines, fonts)
    index, lay = t.index, t.lay
    lay.lines = NodeMap(index, all_lines)
    lay.font = NodeMap(index, [f.size for f in fonts])
    lay.bold = NodeMap(index, [f.bold for f in fonts])
    lay.size = PairMap(index, w, h)
    t.w, t.h = w, h
    t.br, t.dp = (w, h) if t.tb else (h, w)


class _Font(NamedTuple):
    """How one kind of label is set and measured."""

    size: float
    bold: bool
    scale: float  # 1.03 * size: text_width's factor
    advance: Callable[[str], float]  # a character's width at size 1
    widths: dict[str, float]  # lines after a label's first, each measured once


class _Fonts(dict[tuple[Any, Any], _Font]):
    """(kind, category) -> the font of its labels, each made once."""

    def __missing__(self, key: tuple[Any, Any]) -> _Font:
        size, bold = font_size(*key), key[0] in BOLD_KINDS
        self[key] = font = _Font(size, bold, 1.03 * size, _WIDTHS[bold].__getitem__, {})
        return font


def _box_sizes(all_lines: list[list[str]], fonts: list[_Font]) -> tuple[list[float], list[float]]:
    """Each box's width (its widest line, as :func:`text_width` sums it, and the padding) and height.

    A label's first line (its name) is summed character by character; the lines after
    it (abbreviations, details) repeat from box to box, so each is measured once per font.
    """
    w: list[float] = []
    h: list[float] = []
    add_w, add_h, pad_x, pad_y, line_h = w.append, h.append, 2 * PAD_X, 2 * PAD_Y, LINE
    for lines, (size, _, scale, advance, widths) in zip(all_lines, fonts, strict=True):
        widest = scale * sum(map(advance, lines[0]))
        if len(lines) > 1:
            for line in lines[1:]:
                width = widths.get(line)
                if width is None:
                    widths[line] = width = scale * sum(map(advance, line))
                if width > widest:
                    widest = width
        add_w(widest + pad_x)
        add_h(len(lines) * size * line_h + pad_y)
    return w, h


Group = tuple[str, list[int]]  # ("tree", [child]) or ("stack", [children...]), nodes by position


@dataclass
class _Tree:
    """The drawn tree and the work of laying it out, shared by the steps of :func:`tidy_layout`.

    Nodes are numbered by their position in ``V``, and every value per node is a list
    indexed by that number (or a bytearray of flags): the layout runs over every node
    of charts of 10^5 nodes, where hashing node keys was most of its time. The
    :class:`Layout` it fills is keyed by the nodes themselves.
    """

    V: OrgGraph
    lay: Layout
    tb: bool
    nodes: list[Hashable]
    index: dict[Hashable, int]  # node -> its position in nodes (shared by the Layout's maps)
    attrs: list[dict[str, Any]]
    category: list[Any] = field(default_factory=list)  # each node's category attribute (None: none)
    w: list[float] = field(default_factory=list)  # box widths
    h: list[float] = field(default_factory=list)  # box heights
    br: list[float] = field(default_factory=list)  # box breadths: widths (TB) or heights (LR)
    dp: list[float] = field(default_factory=list)  # box depths: heights (TB) or widths (LR)
    parent: list[int] = field(default_factory=list)  # -1: a root
    children: list[list[int]] = field(default_factory=list)
    roots: list[int] = field(default_factory=list)
    inner: list[int] = field(default_factory=list)  # the nodes with children, in graph order
    groups: list[list[Group]] = field(default_factory=list)
    gwidth: list[list[float]] = field(default_factory=list)  # the breadth of each of a node's groups
    gsum: list[float] = field(default_factory=list)  # the breadth of all of a node's groups, with the gaps
    level: list[int] = field(default_factory=list)
    by_level: list[list[int]] = field(default_factory=list)  # the nodes of each level
    order: list[int] = field(default_factory=list)  # level by level; reversed, children come first
    inner_order: list[int] = field(default_factory=list)  # :attr:`order`'s nodes with children
    block: list[float] = field(default_factory=list)
    #: stacked nodes below the first box of their column (the levels' depths leave them out)
    follows: bytearray = field(default_factory=bytearray)
    #: first members of the columns that continue the list of the column before them
    continued: bytearray = field(default_factory=bytearray)
    #: stacked nodes that are not units (:attr:`Layout.side`)
    side: bytearray = field(default_factory=bytearray)
    level_top: list[float] = field(default_factory=list)
    bpos: list[float] = field(default_factory=list)
    dpos: list[float] = field(default_factory=list)
    bstart: list[float] = field(default_factory=list)
    spine: list[float] = field(default_factory=list)
    placed: dict[Hashable, tuple[float, float]] = field(default_factory=dict)  # :func:`wrapped_layout`'s positions

    @property
    def gap(self) -> float:
        return HGAP if self.tb else 8.0

    @property
    def vgap(self) -> float:
        return VGAP if self.tb else 44.0


def _tree(V: OrgGraph, lay: Layout, tb: bool, wrap: int, show: tuple[str, ...]) -> _Tree:
    """``V``'s nodes numbered, measured and linked into the drawn tree."""
    nodes = list(V)
    node_attrs = V._node  # type: ignore[attr-defined]
    # A graph's own dict lists its attributes in node order at once; a view's is looked up.
    attrs: list[dict[str, Any]] = (
        list(node_attrs.values()) if type(node_attrs) is dict else list(map(node_attrs.__getitem__, nodes))
    )
    index = dict(zip(nodes, range(len(nodes)), strict=True))
    t = _Tree(V, lay, tb, nodes, index, attrs, [a.get("category") for a in attrs])
    _measure(t, wrap, show)
    _link(t)
    return t


def _first_parents(V: OrgGraph, nodes: list[Hashable], index: dict[Hashable, int], category: list[Any]) -> list[int]:
    """Each node's parent in the drawing (its position in ``nodes``, -1 for none).

    A unit's parent is its first superior (``has_unit``); anything else's is the
    first node, in graph order, that links to it.
    """
    # The plain dicts under V.pred (filtered ones for a view): a view object per node cost a
    # sixth of the layout at 100,000 nodes. Listed first, then read: a fifth faster than
    # fetching each inside the loop.
    pred: dict[Hashable, dict[Hashable, dict[str, Any]]] = V._pred  # type: ignore[attr-defined]
    parent = [-1] * len(nodes)
    for i, ups in enumerate(list(map(pred.__getitem__, nodes))):
        if not ups:
            continue
        if category[i] == "unit":
            for p, e in ups.items():
                if e.get("relation") == "has_unit":
                    parent[i] = index[p]
                    break
        else:
            parent[i] = min(map(index.__getitem__, ups))
    return parent


def _break_cycles(parent: list[int]) -> list[tuple[int, int]]:
    """Cut every cycle of ``parent`` links, deterministically; return the links cut (parent, child).

    Each node has one parent, so a node that no root reaches lies on a cycle or
    below one. Walking up from it finds the cycle; the cycle's first node in graph
    order becomes a root (its link to its parent is cut). The walk is linear overall.
    """
    done = bytearray(len(parent))  # 1: a root is reached from here, no cycle above
    for n, p in enumerate(parent):
        if p < 0:
            done[n] = 1
    cut: list[tuple[int, int]] = []
    for n, p in enumerate(parent):
        if done[n]:
            continue
        if done[p]:  # most nodes: the parent is already known to reach a root
            done[n] = 1
            continue
        path: list[int] = []
        on_path: set[int] = set()
        m = n
        while m >= 0 and not done[m] and m not in on_path:
            path.append(m)
            on_path.add(m)
            m = parent[m]
        if m >= 0 and m in on_path:  # a cycle: from m back to m
            head = min(path[path.index(m) :])
            cut.append((parent[head], head))
            parent[head] = -1
        for x in path:
            done[x] = 1
    return cut


def _link(t: _Tree) -> None:
    """Parent, children and roots of the drawn tree, and the links cut to break cycles."""
    nodes = t.nodes
    parent = _first_parents(t.V, nodes, t.index, t.category)
    cut = _break_cycles(parent)
    no_children: list[int] = []  # shared by every leaf (most nodes), never changed
    children = [no_children] * len(nodes)
    for n, p in enumerate(parent):
        if p >= 0:
            if children[p] is no_children:
                children[p] = [n]
            else:
                children[p].append(n)
    roots = [n for n, p in enumerate(parent) if p < 0]
    cat = t.category
    t.parent, t.children = parent, children
    t.roots = [n for n in roots if cat[n] == "unit"] + [n for n in roots if cat[n] != "unit"]  # units first
    t.inner = [n for n, kids in enumerate(children) if kids]
    above = [*nodes, None]  # above[-1]: a root's parent
    t.lay.parent = NodeMap(t.index, list(map(above.__getitem__, parent)))
    t.lay.cut = [(nodes[p], nodes[c]) for p, c in cut]


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


def _columns(members: list[int], rows: int | None) -> list[Group]:
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
    units: list[int], children: list[list[int]], kind: list[object], compact: bool, rows: int | None
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
    most ``rows`` boxes, beside the subtrees of its other subordinates.
    """
    cat, kind = t.category, [a.get("kind") for a in t.attrs]
    nodes, children, beside = t.nodes, t.children, t.lay.attached_beside
    size = len(nodes)
    no_groups: list[Group] = []  # shared by every leaf (most nodes of a big chart), never changed
    t.groups = groups = [no_groups] * size
    follows, continued, side = bytearray(size), bytearray(size), bytearray(size)
    t.follows, t.continued, t.side = follows, continued, side
    side_nodes: list[int] = []
    for n in t.inner:
        kids = children[n]
        units = [k for k in kids if cat[k] == "unit"]
        g = _unit_groups(units, children, kind, compact, rows)
        has_others = len(units) < len(kids)  # programs, areas, partners (most nodes: units only)
        if has_others and compact:
            # One column per category, so each column's connector has one line style; a node
            # with nodes of its own below it (a foreign graph's) is a subtree, never stacked.
            others = [k for k in kids if cat[k] != "unit"]
            leaves = [k for k in others if not children[k]]
            for c in dict.fromkeys(cat[k] for k in leaves):
                column = [k for k in leaves if cat[k] == c]
                g.extend(_columns(column, rows))
                for k in column:
                    side[k] = 1
                side_nodes.extend(column)
            g.extend(("tree", [k]) for k in others if children[k])
        elif has_others:
            g.extend(("tree", [k]) for k in kids if cat[k] != "unit")
        groups[n] = g
        beside[nodes[n]] = has_others and bool(units)
        _mark_stacks(g, kind, follows, continued)
    t.lay.side = {nodes[k] for k in side_nodes}


def _mark_stacks(g: list[Group], kind: list[object], follows: bytearray, continued: bytearray) -> None:
    """Record the stacked members after each column's first, and columns that continue the one before."""
    previous: Group | None = None
    for grp in g:
        k1, m1 = grp
        if k1 == "stack":
            if previous is not None and previous[0] == "stack" and kind[previous[1][0]] == kind[m1[0]]:
                continued[m1[0]] = 1
            for m in m1[1:]:
                follows[m] = 1
        previous = grp


def _levels_and_blocks(t: _Tree) -> None:
    """Level of every node, the nodes level by level, and the breadth of every subtree's block.

    Each group's breadth is kept (:attr:`_Tree.gwidth`): placement and centring read them again.
    """
    _levels(t)
    children, groups, br, gap = t.children, t.groups, t.br, t.gap
    block = list(br)  # a leaf's block is its box
    no_widths: list[float] = []  # shared by every leaf, never changed
    gwidth: list[list[float]] = [no_widths] * len(children)
    gsum = [0.0] * len(children)
    for n in reversed(t.inner_order):
        gs = groups[n]
        ws = [INDENT + max(map(br.__getitem__, members)) if k == "stack" else block[members[0]] for k, members in gs]
        gwidth[n] = ws
        gsum[n] = total = sum(ws) + gap * (len(gs) - 1)
        block[n] = max(br[n], total)
    t.block, t.gwidth, t.gsum = block, gwidth, gsum


def _levels(t: _Tree) -> None:
    """Each node's level, and the nodes level by level (a list per level beats a stack per node)."""
    children = t.children
    t.level = level = [0] * len(children)
    order, inner = t.order, t.inner_order
    frontier, lv = t.roots, 0
    while frontier:
        for n in frontier:
            level[n] = lv
        t.by_level.append(frontier)
        order += frontier
        frontier = [n for n in frontier if children[n]]
        inner += frontier
        frontier = [k for n in frontier for k in children[n]]
        lv += 1


def _level_tops(t: _Tree) -> None:
    """Where each level starts: below the tallest non-stacked (or first stacked) box above it."""
    follows, dp = t.follows, t.dp
    depth = [max([dp[n] for n in nodes if not follows[n]], default=None) for nodes in t.by_level]
    while depth and depth[-1] is None:  # a last level of stacked boxes only: its columns hang from above
        depth.pop()
    levels = len(depth)
    t.level_top = [0.0] * (levels + 1)
    for lv in range(1, levels + 1):
        t.level_top[lv] = t.level_top[lv - 1] + (depth[lv - 1] or 0.0) + t.vgap


def _place(t: _Tree) -> None:
    """Pre-order placement: each block's start along the breadth, each box's top along the depth.

    A stacked column's boxes are placed with their parent: one below the other from the
    next level's top, right of the column's connector spine.
    """
    size = len(t.nodes)
    t.bpos, t.dpos, t.bstart, t.spine = [0.0] * size, [0.0] * size, [0.0] * size, [0.0] * size
    bpos, dpos, bstart, block, level, level_top = t.bpos, t.dpos, t.bstart, t.block, t.level, t.level_top
    groups, gsum, gwidth, gap, br, dp = t.groups, t.gsum, t.gwidth, t.gap, t.br, t.dp
    spine, spines, nodes = t.spine, t.lay.spine, t.nodes
    todo: list[tuple[int, float]] = []
    left = 0.0
    for r in t.roots:
        todo.append((r, left))
        left += block[r] + 3 * gap
    while todo:
        n, start = todo.pop()
        bstart[n] = start
        dpos[n] = level_top[level[n]]  # never a stacked node: those are placed with their parent
        gs = groups[n]
        if not gs:
            bpos[n] = start + block[n] / 2
            continue
        cursor = start + (block[n] - gsum[n]) / 2
        for (kind, members), width in zip(gs, gwidth[n], strict=True):
            if kind == "stack":
                sb, d = cursor + INDENT / 2, level_top[level[n] + 1]
                for m in members:
                    spines[nodes[m]] = spine[m] = sb
                    bpos[m] = cursor + INDENT + br[m] / 2
                    dpos[m] = d
                    d += dp[m] + STACK_GAP
            elif groups[members[0]]:
                todo.append((members[0], cursor))
            else:  # a leaf's block is its box: placed at once (its order among leaves changes nothing)
                m = members[0]
                bstart[m] = cursor
                dpos[m] = level_top[level[m]]
                bpos[m] = cursor + block[m] / 2
            cursor += width + gap


def _recentre(t: _Tree) -> None:
    """Centre parents over their children, bottom-up, but never outside their own band (no overlaps).

    A group's centre is its subtree's box, or the middle of a stacked column's breadth.
    """
    bpos, bstart, block, br, spine, groups, gwidth = t.bpos, t.bstart, t.block, t.br, t.spine, t.groups, t.gwidth
    for n in reversed(t.inner_order):
        gs = groups[n]
        (k0, m0), (k1, m1) = gs[0], gs[-1]
        first = bpos[m0[0]] if k0 == "tree" else spine[m0[0]] - INDENT / 2 + gwidth[n][0] / 2
        last = bpos[m1[0]] if k1 == "tree" else spine[m1[0]] - INDENT / 2 + gwidth[n][-1] / 2
        mid = (first + last) / 2
        half = br[n] / 2
        bpos[n] = min(max(mid, bstart[n] + half), bstart[n] + block[n] - half)


def _finish(t: _Tree) -> None:
    """Positions, connector buses and the chart's extent, in the chart's coordinates."""
    lay, nodes = t.lay, t.nodes
    if t.tb:
        xs, ys = t.bpos, [d + h / 2 for d, h in zip(t.dpos, t.h, strict=True)]
    else:
        xs, ys = [d + w / 2 for d, w in zip(t.dpos, t.w, strict=True)], t.bpos
    lay.pos = PairMap(t.index, xs, ys)
    levels = len(t.level_top) - 1
    level, level_top, dp, vgap = t.level, t.level_top, t.dp, t.vgap
    for n in t.inner:
        lv = level[n]
        below = level_top[lv + 1] if lv + 1 <= levels else level_top[lv] + dp[n] + vgap
        lay.bus[nodes[n]] = below - vgap / 2
    if nodes:  # the boxes' right and bottom edges, as Layout.box computes them
        lay.width = max([x + w / 2 for x, w in zip(xs, t.w, strict=True)])
        lay.height = max([y + h / 2 for y, h in zip(ys, t.h, strict=True)])


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
    _require_directed(V)
    compact = (rankdir == "TB") if compact is None else compact
    lay = Layout(rankdir=rankdir)
    with collector_paused():
        t = _tree(V, lay, rankdir == "TB", wrap, show)
        _group(t, compact, rows)
        _levels_and_blocks(t)
        _level_tops(t)
        _place(t)
        _recentre(t)
        _finish(t)
        # Dropped while the collector is paused: its first pass after the pause visits every
        # container still alive (the tree's 10^5 lists and tuples were a tenth of the layout's time).
        del t
    return lay


def _require_directed(V: OrgGraph) -> None:
    """An org chart's links point from superior to unit: an undirected graph has no layout (ExportError)."""
    if not V.is_directed():
        raise ExportError(
            "an org chart needs a directed graph (superior -> unit); nx.DiGraph(G) makes one, "
            "or ice_graph.from_networkx(nx.bfs_tree(G, top)) orients a tree from its top"
        )


def _stack_size(t: _Tree, members: list[int]) -> tuple[float, float]:
    w = INDENT + max([t.w[m] for m in members])
    return w, sum([t.h[m] for m in members]) + STACK_GAP * (len(members) - 1)


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


_LEAF = _Block(0.0, 0.0, [], [])  # a placeholder, until a node's own block is measured


def _block(t: _Tree, n: int, blocks: list[_Block], limit: float) -> _Block:
    """The size of ``n``'s block: its box (programs and partners beside it), then its rows of subordinates."""
    bw, bh = t.w[n], t.h[n]
    groups = t.groups[n]
    if not groups:
        return _Block(bw, bh, [], [], [], bh)
    sizes = [(blocks[m[0]].w, blocks[m[0]].h) if k == "tree" else _stack_size(t, m) for k, m in groups]
    beside = [i for i, (k, m) in enumerate(groups) if k == "stack" and t.side[m[0]]]
    if len(beside) == len(groups):  # nothing else below: the lists are the row
        beside = []
    below = [i for i in range(len(groups)) if i not in beside]
    # The lists beside the box are set one below the other, each with its own connector line.
    beside_w = max((sizes[i][0] + HGAP for i in beside), default=0.0)
    head_h = max(bh, sum(sizes[i][1] + 2 * STACK_GAP for i in beside))
    cont = [groups[i][0] == "stack" and bool(t.continued[groups[i][1][0]]) for i in below]
    rows = [[below[j] for j in r] for r in _rows([sizes[i] for i in below], max(limit, bw), cont)]
    indent = INDENT if len(rows) > 1 else 0.0
    row_w = [sum(sizes[i][0] for i in r) + HGAP * (len(r) - 1) for r in rows]
    row_h = [max(sizes[i][1] for i in r) for r in rows]
    w = max(bw + 2 * beside_w, indent + max(row_w))
    return _Block(w, head_h + sum(h + VGAP for h in row_h), rows, sizes, beside, head_h)


def _place_block(t: _Tree, n: int, left: float, top: float, blocks: list[_Block]) -> list[tuple[int, float, float]]:
    """Place ``n``'s box and its rows of groups; return the (node, left, top) of its subtrees to place next."""
    lay, b, nodes, pos = t.lay, blocks[n], t.nodes, t.placed
    bw, bh = t.w[n], t.h[n]
    pos[nodes[n]] = (left + b.w / 2, top + bh / 2)
    px, pb = left + b.w / 2, top + bh
    x, y = px + bw / 2 + HGAP, top
    step = INDENT / (len(b.beside) + 1)
    for k, i in enumerate(b.beside):  # programs and partners: lists right of the box, linked from its side
        sx = x + step * (k + 1)  # each list's line runs left of every list's boxes, apart from the others
        for m in t.groups[n][i][1]:
            mw, mh, key = t.w[m], t.h[m], nodes[m]
            pos[key] = (x + INDENT + mw / 2, y + mh / 2)
            lay.spine[key] = sx
            lay.paths[key] = [
                (px + bw / 2, top + bh / 2),
                (sx, top + bh / 2),
                (sx, y + mh / 2),
                (x + INDENT, y + mh / 2),
            ]
            y += mh + STACK_GAP
        y += STACK_GAP
    if not b.rows:
        return []
    many = len(b.rows) > 1
    trunk = left + INDENT / 2
    row_top = top + b.head_h + VGAP
    first_bus = row_top - VGAP / 2
    todo: list[tuple[int, float, float]] = []
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
                lay.paths[nodes[sub]] = [*head, (kx, bus), (kx, row_top)]
                todo.append((sub, x, row_top))
            else:
                sx, y = x + INDENT / 2, row_top
                for m in members:
                    mw, mh, key = t.w[m], t.h[m], nodes[m]
                    pos[key] = (x + INDENT + mw / 2, y + mh / 2)
                    lay.spine[key] = sx
                    lay.paths[key] = [*head, (sx, bus), (sx, y + mh / 2), (x + INDENT, y + mh / 2)]
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
    _require_directed(V)
    lay = Layout(rankdir="TB")
    with collector_paused():
        t = _tree(V, lay, True, wrap, show)
        _group(t, True, rows)
        _levels_and_blocks(t)
        _place_wrapped(t, max_width)
        del t  # dropped while the collector is paused (see tidy_layout)
    return lay


def _place_wrapped(t: _Tree, max_width: float) -> None:
    """Measure every block, children first, then place them from the roots down."""
    lay = t.lay
    lay.pos = t.placed  # filled in placement order
    blocks: list[_Block] = [_LEAF] * len(t.nodes)  # each replaced, children first
    for n in reversed(t.order):
        blocks[n] = b = _block(t, n, blocks, max_width)
        lay.wraps += len(b.rows) > 1
    todo: list[tuple[int, float, float]] = []
    x = 0.0
    for r in t.roots:
        todo.append((r, x, 0.0))
        x += blocks[r].w + 3 * HGAP
    while todo:
        n, left, top = todo.pop()
        todo.extend(_place_block(t, n, left, top, blocks))
    if lay.pos:  # the boxes' right and bottom edges, as Layout.box computes them
        lay.width = max([lay.pos[n][0] + w / 2 for n, w in zip(t.nodes, t.w, strict=True)])
        lay.height = max([lay.pos[n][1] + h / 2 for n, h in zip(t.nodes, t.h, strict=True)])
