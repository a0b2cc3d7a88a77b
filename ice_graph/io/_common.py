"""What every graph-file writer shares: flattening values, attribute typing, display values."""

from __future__ import annotations

import datetime as _dt
import functools
import json
import math
import re
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from itertools import compress, islice, repeat
from operator import add, gt, itemgetter, methodcaller, mul, neg, truediv
from typing import Any, ParamSpec

import networkx as nx

from .._collector import collector_paused
from .._types import OrgGraph
from ..schema import RESERVED_DISPLAY_NAMES
from ..style import get_theme, hex_to_rgb

__all__ = [
    "ElementTemplates",
    "Plan",
    "flatten",
    "column_types",
    "attribute_types",
    "xml_safe",
    "xml_attr",
    "nmtoken",
    "un_nmtoken",
    "is_nmtoken",
    "display",
    "display_rows",
    "display_columns",
    "display_texts",
    "coordinate_texts",
    "DisplayRow",
    "DisplayColumns",
    "DisplayTexts",
    "Look",
    "positions",
    "radial_positions",
    "RADIAL_ABOVE",
    "data_name",
    "undata_name",
    "int_text",
    "require_simple",
    "edge_list",
    "collector_paused",
    "paused_writer",
]

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Characters kept as they are in an NMTOKEN we write (a safe ASCII subset of the XML rule).
_NMTOKEN_OK = re.compile(r"[A-Za-z0-9._\-]+")
_NMTOKEN_ESCAPE = re.compile(r"[^A-Za-z0-9._\-]|_(?=x[0-9A-F]{4}_|U[0-9A-F]{8}_)")
_NMTOKEN_UNESCAPE = re.compile(r"_x([0-9A-F]{4})_|_U([0-9A-F]{8})_")
#: The signed 64-bit range of xsd:long (GraphML and GEXF "long").
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1
#: Integers a double carries exactly.
_EXACT_IN_DOUBLE = 2**53


_ATTR_SPECIAL = re.compile('[&<>"\n\r\t]')
#: Any character xml_attr changes: XML 1.0's excluded characters, and the escaped ones.
_ATTR_ANY = re.compile('[\x00-\x1f\ufffe\uffff\ud800-\udfff&<>"]')


def xml_attr(value: Any) -> str:
    """A double-quoted XML attribute value (faster than saxutils.quoteattr, always double quotes)."""
    if type(value) is str and not _ATTR_ANY.search(value):
        return f'"{value}"'  # the usual case: one regex search, nothing to change
    text = xml_safe(fmt(value))
    if _ATTR_SPECIAL.search(text):
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
        text = text.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    return f'"{text}"'


def xml_attr_text(text: str) -> str:
    """:func:`xml_attr` of text, without the quotes; each character is changed by itself, so the text
    of several values joined is the values' texts joined."""
    if _XML_BAD.search(text):
        text = _XML_BAD.sub("\ufffd", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return text.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


def xml_safe(text: str) -> str:
    """Text with the characters XML 1.0 cannot carry replaced by U+FFFD."""
    return _XML_BAD.sub("\ufffd", text)


def nmtoken(name: str) -> str:
    """An XML NMTOKEN made from an attribute name, reversibly (:func:`un_nmtoken`).

    Plain names (letters, digits, ``_``, ``.``, ``-``) stay as they are; any other
    character becomes ``_xHHHH_`` (the escape XML tools use for names), and a
    literal ``_`` that would read as such an escape becomes ``_x005F_``.
    """
    if not name or name == "_x_":
        return "_x_" if not name else "_x005F_x_"
    return _NMTOKEN_ESCAPE.sub(_escape_1, name)


def _escape_1(m: re.Match[str]) -> str:
    ch = m.group()
    if ch == "_":
        return "_x005F_"
    return f"_x{ord(ch):04X}_" if ord(ch) <= 0xFFFF else f"_U{ord(ch):08X}_"


def un_nmtoken(token: str) -> str:
    """The name :func:`nmtoken` was given (other tools' names come back as they are)."""
    if token == "_x_":
        return ""
    return _NMTOKEN_UNESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), token)


def is_nmtoken(text: str) -> bool:
    """Whether ``text`` is an NMTOKEN we write as it is (a plain ASCII slug)."""
    return bool(_NMTOKEN_OK.fullmatch(text))


#: Attribute names kept for the display values and the original node id.
RESERVED_NAMES = RESERVED_DISPLAY_NAMES | {"node_id", "node_key"}


def data_name(name: str) -> str:
    """A data attribute name that never collides with the display names (label, x, y ...).

    Reversible (:func:`undata_name`): a reserved name gets ``data_`` in front, and
    so does a name that already starts with ``data_``.
    """
    return f"data_{name}" if name in RESERVED_NAMES or name.startswith("data_") else name


def undata_name(name: str) -> str:
    """The attribute name :func:`data_name` was given."""
    if name.startswith("data_"):
        rest = name[5:]
        if rest in RESERVED_NAMES or rest.startswith("data_"):
            return rest
    return name


def int_text(value: int) -> str:
    """Decimal text of any int, also beyond Python's int-to-str digit limit."""
    try:
        return str(value)
    except ValueError:  # more digits than sys.get_int_max_str_digits()
        sign, value = ("-", -value) if value < 0 else ("", value)
        parts = []
        while value:
            value, low = divmod(value, 10**1000)
            parts.append(low)
        return sign + str(parts[-1]) + "".join(f"{p:01000d}" for p in reversed(parts[:-1]))


def edge_list(G: OrgGraph) -> list[tuple[Any, Any, dict[str, Any]]]:
    """``list(G.edges(data=True))``, the same tuples in the same order; a DiGraph's read from its
    adjacency dicts (no report view's generator: half the time at 10^5 edges)."""
    if type(G) is nx.DiGraph:
        succ: dict[Any, dict[Any, dict[str, Any]]] = G._succ  # type: ignore[attr-defined]
        return [(u, v, a) for u, nbrs in succ.items() for v, a in nbrs.items()]
    return list(G.edges(data=True))


def require_simple(G: Any, what: str) -> None:
    """Refuse a multigraph: its parallel edges would merge without a word (ExportError)."""
    if G.is_multigraph():
        from ..errors import ExportError

        raise ExportError(
            f"{what} cannot hold a multigraph's parallel edges (expected a DiGraph or Graph; "
            "nx.DiGraph(G) merges them, keeping the last edge's attributes)"
        )


_P = ParamSpec("_P")


def paused_writer(generate: Callable[_P, Iterator[str]]) -> Callable[_P, Iterator[str]]:
    """A ``generate_*`` writer whose chunks are each made with the collector paused (:func:`collector_paused`).

    Only the writer's own steps run paused: the caller's code between two chunks runs
    with the collector as it was, and an abandoned writer leaves nothing paused.
    """

    @functools.wraps(generate)
    def chunks(*args: _P.args, **kwargs: _P.kwargs) -> Iterator[str]:
        return _paused_chunks(generate(*args, **kwargs))

    return chunks


def _paused_chunks(chunks: Iterator[str]) -> Iterator[str]:
    while True:
        with collector_paused():
            chunk = next(chunks, None)
        if chunk is None:
            return
        yield chunk


def flatten(value: Any) -> Any:
    """A flat scalar for a value: lists and dicts as JSON, dates as ISO text.

    None stays None (the writers omit it); numpy numbers become Python numbers.
    """
    if type(value) in _FLAT:  # the common case, first: called for every value written
        return value
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        item = value.item()  # np.int64, np.float64, np.bool_ ... (an array gives a list)
        if item is not value:
            return flatten(item)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return json.dumps([_json_safe(flatten(v)) for v in items], ensure_ascii=False, default=str)
    return str(value)


def _json_safe(value: Any) -> Any:
    """An int too long for ``json.dumps`` as its digits (text); everything else unchanged."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**4000:
        return int_text(value)
    return value


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "long"
    if isinstance(v, float):
        return "double"
    return "string"


#: The kind of a value of exactly these types (flatten leaves them as they are).
_KIND_OF = {str: "string", int: "long", float: "double", bool: "boolean"}
_FLAT = frozenset({str, int, float, bool, type(None)})


class _Column:
    """What one attribute's values are: their kinds, and the range of their ints."""

    __slots__ = ("kinds", "low", "high")

    def __init__(self) -> None:
        self.kinds: set[str] = set()
        self.low = self.high = 0

    def add_int(self, v: int) -> None:
        self.low, self.high = min(self.low, v), max(self.high, v)

    def type(self) -> str:
        """One XML type that loses nothing.

        long when every int fits 64 bits; double when floats mix with ints that a
        double carries exactly; string otherwise (the digits are kept as text).
        """
        kinds = self.kinds
        if kinds == {"long"}:
            return "long" if self.low >= LONG_MIN and self.high <= LONG_MAX else "string"
        if kinds == {"long", "double"}:
            return "double" if max(-self.low, self.high) <= _EXACT_IN_DOUBLE else "string"
        return next(iter(kinds)) if len(kinds) == 1 else "string"


def _counted(seen: dict[str, _Column], key: str, value: Any, kind: str | None) -> None:
    """Count one value of the column ``key``: its ``kind`` from :data:`_KIND_OF`, or None for a
    value to flatten first (a value that flattens to None is not counted)."""
    if kind is None:
        value = flatten(value)
        if value is None:
            return
        kind = _kind(value)
    col = seen.get(key)
    if col is None:
        col = seen[key] = _Column()
    col.kinds.add(kind)
    if kind == "long":
        col.add_int(value)


def column_types(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """One type per attribute name across all rows: boolean, long, double or string.

    The general path (a graph's own row; attribute names that are not text): the writers'
    nodes and edges go through :func:`attribute_types`.
    """
    seen: dict[str, _Column] = {}
    for row in rows:
        for k, v in row.items():
            _counted(seen, k, v, _KIND_OF.get(type(v)))
    return {k: col.type() for k, col in seen.items()}


def attribute_types(attrs: Collection[Mapping[Any, Any]]) -> dict[str, str] | None:
    """:func:`column_types` of attribute dicts as they are (None values left out, others flattened),
    keyed by attribute name; None when a name is not text (the caller then flattens rows itself).

    Made for 10^5 nodes: a dict whose values are all text (``"".join`` takes them) only adds
    its names, by C code; the (name, type) pairs of the others are collected by C code too
    (``set.update(zip(...))``), and only their columns holding ints (their range) or values
    to flatten are read value by value, in a second pass.
    """
    texts: set[Any] = set()  # names of the dicts whose values are all text (the usual dict)
    others: list[Mapping[Any, Any]] = []
    for a in attrs:
        try:
            "".join(a.values())
        except TypeError:  # a value that is no text
            others.append(a)
        else:
            texts.update(a)
    pairs: set[tuple[Any, type]] = {(k, str) for k in texts}
    for a in others:
        pairs.update(zip(a, map(type, a.values()), strict=True))
    seen: dict[str, _Column] = {}
    closer: set[str] = set()  # columns read again: ints, and values to flatten
    for k, t in pairs:
        if type(k) is not str:
            return None
        if t is type(None):
            continue
        kind = _KIND_OF.get(t)
        if kind is None or kind == "long":
            closer.add(k)
        else:
            _counted(seen, k, None, kind)
    for a in others if closer else ():  # only they hold ints and values to flatten
        for k in closer.intersection(a):
            v = a[k]
            kind = _KIND_OF.get(type(v))
            if kind is None or kind == "long":  # the others were counted in the first pass
                _counted(seen, k, v, kind)
    return {k: col.type() for k, col in seen.items()}


#: A template's plan: the element with ``%s`` fields, a function picking a dict's values (from
#: ``tuple(attrs.values())``) in the template's order, and the names of those values in that order.
Plan = tuple[str, Callable[[tuple[Any, ...]], tuple[Any, ...]], tuple[Any, ...]]


class ElementTemplates:
    """Whole elements of a writer made from templates, one per tuple of attribute names (10^5 nodes share a few).

    A subclass says how in :meth:`make` (a :data:`Plan`, or None for a dict it leaves to the
    writer's field-by-field path) and :meth:`column` (the texts of one attribute's values);
    :meth:`plan` makes each plan once. :meth:`render` writes a run of dicts at once.
    """

    def __init__(self) -> None:
        self.made: dict[tuple[Any, ...], Plan | None] = {}

    def plan(self, attrs: Mapping[Any, Any]) -> Plan | None:
        return self.plan_of(tuple(attrs))

    def plan_of(self, keys: tuple[Any, ...]) -> Plan | None:
        try:
            return self.made[keys]
        except KeyError:
            plan = self.made[keys] = self.make(keys)
            return plan

    def make(self, keys: tuple[Any, ...]) -> Plan | None:
        raise NotImplementedError

    def column(self, values: list[Any]) -> list[Any]:
        """The texts written for one attribute's values; TypeError when one is no text."""
        raise NotImplementedError

    def render(
        self, dicts: Sequence[Mapping[Any, Any]], before: Sequence[Sequence[Any]], after: Sequence[Sequence[Any]]
    ) -> list[str | None]:
        """The elements of a run of dicts, each one's template filled; None for a dict the caller writes itself.

        ``before`` and ``after`` are columns (a value per dict) of the fields the templates take
        before and after the attribute values. The dicts with the same names are written together,
        by C code: their values taken a column at a time (:meth:`column`), then ``template % row`` by
        ``map`` (no Python call per dict: at 10^5 nodes that call was a third of a writer's time).
        A group without a plan, or with a value :meth:`column` refuses, is left to the caller.
        """
        out: list[str | None] = [None] * len(dicts)
        for keys, idx in _groups(dicts).items():
            plan = self.plan_of(keys)
            if plan is None:
                continue
            template, _, names = plan
            whole = len(idx) == len(dicts)
            rows = dicts if whole else list(map(dicts.__getitem__, idx))
            try:
                values = [self.column(list(map(itemgetter(name), rows))) for name in names]
            except TypeError:  # a value that is no text: the caller writes these dicts one by one
                continue
            fields = [c if whole else list(map(c.__getitem__, idx)) for c in before]
            fields += values
            fields += [c if whole else list(map(c.__getitem__, idx)) for c in after]
            texts = _filled(template, fields)
            if whole:
                return list(texts)
            for i, text in zip(idx, texts, strict=True):
                out[i] = text
        return out


def _filled(template: str, fields: list[Sequence[Any]]) -> Iterator[str]:
    """``template % row`` for each row of the columns ``fields``.

    When every field is ``%s`` and every value text, the template's pieces and the values are
    joined instead (``"".join`` copies; ``%`` reads its template a character at a time: three
    times slower on a 1 kB element).
    """
    pieces = template.split("%s")
    if (
        fields
        and len(pieces) == len(fields) + 1
        and template.count("%") == len(fields)
        and all(set(map(type, field)) <= {str} for field in fields)
    ):
        parts = [part for piece, field in zip(pieces[:-1], fields, strict=True) for part in (repeat(piece), field)]
        return map("".join, zip(*parts, repeat(pieces[-1])))
    return map(template.__mod__, zip(*fields, strict=True))


def _groups(dicts: Iterable[Mapping[Any, Any]]) -> dict[tuple[Any, ...], list[int]]:
    """The positions of the dicts of each tuple of names, in order (one loop: finding each group by C code,
    a pass per group, was slower for the usual four groups)."""
    every = list(map(tuple, dicts))
    if every and every.count(every[0]) == len(every):  # one group (every edge, often): by C code
        return {every[0]: list(range(len(every)))}
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, keys in enumerate(every):
        group = groups.get(keys)
        if group is None:
            groups[keys] = [i]
        else:
            group.append(i)
    return groups


def cast(value: Any, typ: str) -> Any:
    """A flat value converted to the column type ``typ`` (text for string columns)."""
    v = flatten(value)
    if typ == "string":
        return v if isinstance(v, str) else fmt(v)
    if typ == "double":
        return float(v)
    return v


def fmt(value: Any) -> str:
    """Text of a flat value as written in XML files (xsd:boolean, xsd:double, xsd:long, text)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (float("inf"), float("-inf")):
            return "INF" if value > 0 else "-INF"
        return repr(value)
    if isinstance(value, int):
        return int_text(value)
    return xml_safe(str(value))


_SIZES = {"department": 30.0, "agency": 26.0, "directorate": 20.0, "office": 16.0}


#: Above this many nodes the positions written are radial, not the tidy tree. A big tidy
#: tree is hundreds of times wider than tall (212:1 at 1,000 synthetic units, 1,779:1 at
#: 10,000), which Gephi's and Cytoscape's fit-to-window show as a thin line; a radial tree
#: is about as wide as tall at any size, and needs no label measured (linear, no text).
RADIAL_ABOVE = 500
#: Room along the outer ring per leaf, and the least distance between rings (points).
_LEAF_ROOM, _RING_MIN = 24.0, 150.0


def display(G: OrgGraph, *, theme: str = "light") -> dict[Hashable, dict[str, Any]]:
    """Gephi display values per node: label, x, y (y up), size, r, g, b.

    Positions are the org chart's tidy layout, or a radial tree for a graph of
    more than :data:`RADIAL_ABOVE` nodes (see :func:`positions`).
    """
    with collector_paused():
        return {
            n: {"label": label, "x": x, "y": y, "size": size, "r": r, "g": g, "b": b}
            for n, (label, x, y, (size, r, g, b)) in zip(G, display_rows(G, theme=theme), strict=True)
        }


#: A node's size and colour (size, r, g, b): one tuple shared by the nodes of a kind and category.
Look = tuple[float, int, int, int]
#: One node's display values, as :func:`display_rows` gives them: label, x, y (y up), look.
DisplayRow = tuple[str, float, float, Look]
#: The display values of all nodes, as :func:`display_columns` gives them: labels, x, y (y up), looks.
DisplayColumns = tuple[list[str], list[float], list[float], list[Look]]
#: :data:`DisplayColumns` with each coordinate as its text (:func:`display_texts`).
DisplayTexts = tuple[list[str], list[str], list[str], list[Look]]


def display_rows(G: OrgGraph, *, theme: str = "light") -> list[DisplayRow]:
    """:func:`display` as one tuple per node, in graph order (:func:`display_columns` zipped)."""
    return list(zip(*display_columns(G, theme=theme), strict=True))


def display_columns(G: OrgGraph, *, theme: str = "light") -> DisplayColumns:
    """:func:`display` as four lists in graph order, labels, x, y (y up) and looks: what the writers read.

    Column by column, each by C code (``map`` of a dict method over the attribute dicts,
    coordinates rounded by ``map``); the look of each kind and category made once and
    shared, so that a writer can format it once too.
    """
    labels, xs, ys, looks = _display_unrounded(G, theme)
    two = repeat(2)
    return labels, list(map(round, xs, two)), list(map(round, ys, two)), looks


def display_texts(G: OrgGraph, *, theme: str = "light") -> DisplayTexts:
    """:func:`display_columns` with each coordinate as the text ``repr`` writes of it (:func:`coordinate_texts`)."""
    labels, xs, ys, looks = _display_unrounded(G, theme)
    return labels, coordinate_texts(xs), coordinate_texts(ys), looks


def _display_unrounded(G: OrgGraph, theme: str) -> DisplayColumns:
    """:func:`display_columns` before the coordinates are rounded."""
    attrs: list[Mapping[str, Any]] = list(G._node.values())  # type: ignore[attr-defined]
    looks = _Looks(get_theme(theme))
    try:
        node_looks = list(map(looks.__getitem__, zip(map(_KIND, attrs), map(_CATEGORY, attrs), strict=True)))
    except TypeError:  # a kind or category that is no dict key: the theme says what it says
        node_looks = [looks.make(a.get("kind", "unit"), a.get("category")) for a in attrs]
    names = list(map(_NAME, attrs))
    if any(name is _NO_NAME for name in names):
        names = [n if name is _NO_NAME else name for n, name in zip(G, names, strict=True)]
    xs, ys = _positions_in_order(G)
    return list(map(str, names)), xs, list(map(neg, ys)), node_looks


#: Below this size a coordinate's ``"%.2f"`` text, less a last ``0``, is ``repr(round(value, 2))``:
#: a double's spacing is below 0.01 there (up to 2**46), so no other decimal of 2 places reads as the
#: rounded double, and ``repr`` writes no exponent (below 1e16).
_PLAIN_COORDINATE = 1e13


def coordinate_texts(values: list[float]) -> list[str]:
    """``repr(round(v, 2))`` of each value, the text the writers give a coordinate.

    By ``"%.2f"`` (the same correctly rounded digits as ``round``) less a trailing ``0``
    ("30.00" -> "30.0", "1.50" -> "1.5"): one conversion instead of round's two and repr's
    one. Values that are not finite or beyond :data:`_PLAIN_COORDINATE` take the long way.
    """
    if all(map(_PLAIN_COORDINATE.__gt__, map(abs, values))):  # False for NaN and infinities too
        return [t[:-1] if t[-1] == "0" else t for t in map("%.2f".__mod__, values)]
    return list(map(repr, map(round, values, repeat(2))))


_NO_NAME = object()
_KIND, _CATEGORY, _NAME = (
    methodcaller("get", "kind", "unit"),
    methodcaller("get", "category"),
    methodcaller("get", "name", _NO_NAME),
)


class _Looks(dict[tuple[Any, Any], Look]):
    """(kind, category) -> the look of its nodes, made on first use."""

    def __init__(self, theme: Any) -> None:
        super().__init__()
        self.theme = theme

    def __missing__(self, key: tuple[Any, Any]) -> Look:
        look = self[key] = self.make(*key)
        return look

    def make(self, kind: Any, category: Any) -> Look:
        """(size, r, g, b) of a node of ``kind`` and ``category``."""
        r, g, b = hex_to_rgb(self.theme.node(kind).fill)
        return _SIZES.get(kind, 12.0 if category == "unit" else 10.0), r, g, b


def positions(G: OrgGraph) -> Mapping[Hashable, tuple[float, float]]:
    """Node positions for graph files (y down): tidy org chart, radial tree, or grid.

    The tidy layout (``layout.tidy_layout``) for a directed acyclic graph of up to
    :data:`RADIAL_ABOVE` nodes; a radial tree (:func:`radial_positions`) above that;
    a grid for what is no tree of units (a ``has_unit`` cycle read from GraphML,
    an undirected or multi graph), with its nodes placed row by row in graph order.
    """
    if G.is_directed() and not G.is_multigraph():
        if len(G) > RADIAL_ABOVE:
            radial = radial_positions(G)
            if radial is not None:
                return radial
        elif nx.is_directed_acyclic_graph(G):
            from ..layout import tidy_layout

            return tidy_layout(G, rankdir="TB", compact=False).pos
    return dict(zip(G, _grid(len(G)), strict=True))


def _positions_in_order(G: OrgGraph) -> tuple[list[float], list[float]]:
    """:func:`positions` as two lists in graph order, x and y (no dict keyed by node for a radial tree)."""
    if G.is_directed() and not G.is_multigraph() and len(G) > RADIAL_ABOVE:
        radial = _radial(G)
        if radial is not None:
            return radial[1], radial[2]
        grid = _grid(len(G))
    else:
        pos = positions(G)
        grid = [pos[n] for n in G]
    return [x for x, _ in grid], [y for _, y in grid]


def _grid(count: int) -> list[tuple[float, float]]:
    """Positions row by row, for what is no tree."""
    cols = max(1, math.isqrt(count - 1) + 1) if count else 1
    return [(200.0 * (i % cols), 100.0 * (i // cols)) for i in range(count)]


def _superiors(G: OrgGraph) -> tuple[list[Hashable], list[int]]:
    """(nodes in graph order, the index of each one's superior or -1): its first ``has_unit``
    predecessor, else its first predecessor (programs, mission areas and partners hang under the
    first unit linking to them, as in the tidy layout)."""
    # The plain dicts under G.pred: a view per node costs a third of the layout at 100,000 nodes.
    pred: Mapping[Hashable, Mapping[Hashable, Mapping[str, Any]]] = G._pred  # type: ignore[attr-defined]
    nodes = list(pred)
    preds = list(pred.values())
    index = dict(zip(nodes, range(len(nodes)), strict=True))
    # Each node's first predecessor, by C code (-1 for none): its superior when it has only one.
    up = list(map(index.get, map(next, map(iter, preds), repeat(None)), repeat(-1)))
    for i in compress(range(len(preds)), map(gt, map(len, preds), repeat(1))):  # several: the first has_unit
        first = None
        for p, a in preds[i].items():
            if a.get("relation", "has_unit") == "has_unit":
                first = p
                break
            if first is None:
                first = p
        up[i] = index[first]
    return nodes, up


def radial_positions(G: OrgGraph) -> dict[Hashable, tuple[float, float]] | None:
    """A radial tree (y down): depth as the radius, each subtree a sector as wide as its leaves.

    Linear time, no label measured. None when the superiors form a cycle (no tree).
    """
    radial = _radial(G)
    if radial is None:
        return None
    nodes, xs, ys, order = radial
    return {nodes[i]: (xs[i], ys[i]) for i in order}


def _radial(G: OrgGraph) -> tuple[list[Hashable], list[float], list[float], list[int]] | None:
    """(nodes, their x and their y in graph order, the breadth-first order of their indexes) of
    :func:`radial_positions`, on plain lists indexed by node."""
    nodes, up = _superiors(G)
    size = len(nodes)
    children: list[list[int]] = [[] for _ in range(size)]
    roots: list[int] = []
    for i, p in enumerate(up):
        (roots if p < 0 else children[p]).append(i)
    order = list(roots)
    depth = [0] * size
    if len(roots) != 1:
        for r in roots:
            depth[r] = 1
    for i in order:  # breadth first; the list grows as it is read
        kids = children[i]
        if kids:
            d = depth[i] + 1
            for c in kids:
                depth[c] = d
            order += kids
    if len(order) != size:
        return None
    leaves = [0] * size  # leaves under each node (itself, for a leaf), summed bottom up
    for i in reversed(order):
        n_leaves = leaves[i] or 1
        leaves[i] = n_leaves
        p = up[i]
        if p >= 0:
            leaves[p] += n_leaves
    total = sum(leaves[r] for r in roots) or 1
    ring = max(_RING_MIN, total * _LEAF_ROOM / (2 * math.pi * max(1, max(depth, default=1))))
    start = [0.0] * size  # where each node's sector starts, in leaves; its children's follow in order
    cursor = 0.0
    for r in roots:
        start[r] = cursor
        cursor += leaves[r]
    nxt = list(start)  # where the next child of each node starts
    for i in islice(order, len(roots), None):  # the roots come first
        p = up[i]
        s = start[i] = nxt[p]
        nxt[p] = s + leaves[i]
        nxt[i] = s
    # angle = (start + leaves / 2) * scale, radius = depth * ring: the same float operations, by map
    scale = 2 * math.pi / total
    angles = list(map(mul, map(add, start, map(truediv, leaves, repeat(2))), repeat(scale)))
    radii = list(map(mul, depth, repeat(ring)))
    xs = list(map(mul, radii, map(math.cos, angles)))
    ys = list(map(mul, radii, map(math.sin, angles)))
    return nodes, xs, ys, order


@functools.lru_cache(maxsize=64)
def edge_display(relation: str, *, theme: str = "light") -> dict[str, Any]:
    """Gephi display values of a relation: r, g, b, thickness and shape (cached: called per edge)."""
    es = get_theme(theme).edge(relation)
    r, g, b = hex_to_rgb(es.color)
    return {
        "r": r,
        "g": g,
        "b": b,
        "thickness": es.width,
        "shape": "solid" if es.style in ("solid", "bold") else es.style,
    }


def parse_xml(path: Any, what: str) -> tuple[Any, str, str]:
    """Parse an XML file safely: (root element, namespace prefix ``{...}``, display name).

    DTDs and entities are refused (defusedxml); every failure is a DataError
    naming the file, and the line where the parser says.
    """
    import os

    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    from ..errors import DataError, Problem

    name = str(path) if isinstance(path, (str, os.PathLike)) else str(getattr(path, "name", "<file>"))
    try:
        root = DET.parse(path).getroot()
    except DefusedXmlException as exc:
        raise DataError(
            [Problem(name, 0, "", f"refused: the XML uses a DTD or entities ({type(exc).__name__})")]
        ) from None
    except Exception as exc:  # ParseError, OSError, UnicodeError
        line = exc.position[0] if hasattr(exc, "position") else 0
        raise DataError([Problem(name, line, "", f"not a readable {what} file: {exc}")]) from None
    ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    return root, ns, name
