"""JSON: NetworkX node-link data, and Cytoscape.js elements, with every attribute.

Node-link files keep ``nx.node_link_graph``'s layout (``nodes`` with ``id``,
``edges`` with ``source`` and ``target``). An attribute whose name the format
keeps for itself (``id``, ``source``, ``target``, ``key``), or that starts with
``data_``, is written as ``data_<name>`` and read back under its own name.
Numpy numbers are written as numbers; an int longer than ``json`` can write
(4,000 digits and more) as its digits in a string.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Hashable, Iterator, Mapping
from json.encoder import encode_basestring as _string  # the C function, ensure_ascii=False
from operator import methodcaller, neg
from typing import Any

import networkx as nx

from .._types import OrgGraph
from ..errors import DataError, Problem
from ..progress import Progress, step
from ._common import (
    ElementTemplates,
    Plan,
    display,
    display_columns,
    edge_list,
    flatten,
    int_text,
    paused_writer,
    require_simple,
)
from ._files import PathOrFile, read_limited, write_lines

__all__ = [
    "node_link",
    "cytoscape",
    "generate_node_link",
    "generate_cytoscape",
    "write_node_link",
    "write_cytoscape",
    "read_node_link",
]

_RESERVED = frozenset({"id", "source", "target", "key"})
#: Deepest nesting of JSON arrays and objects we read (deeper input is refused, not parsed).
MAX_DEPTH = 200


def _name(name: Any, reserved: frozenset[str] = _RESERVED) -> str:
    name = str(name)
    return f"data_{name}" if name in reserved or name.startswith("data_") else name


def _unname(name: str) -> str:
    if name.startswith("data_") and (name[5:] in _RESERVED or name[5:].startswith("data_")):
        return name[5:]
    return name


def _plain(value: Any) -> Any:
    """A value ``json.dumps`` writes faithfully: numpy scalars as numbers, huge ints as digits."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return [_plain(v) for v in sorted(value, key=str)]
    if type(value).__module__ == "numpy":
        value = flatten(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**4000:
        return int_text(value)
    return value


_PLAIN_TYPES = frozenset({str, float, bool, type(None)})  # ints too, up to json's digit limit


def _attrs(attrs: Mapping[Any, Any], reserved: frozenset[str] = _RESERVED) -> dict[str, Any]:
    """The attributes as written: names kept apart from the format's own, values plain (one call per
    value only when it is not already a plain text, number or bool)."""
    plain = _PLAIN_TYPES
    return {
        (k if type(k) is str and k not in reserved and not k.startswith("data_") else _name(k, reserved)): (
            v if type(v) in plain or (type(v) is int and -_BIG_INT < v < _BIG_INT) else _plain(v)
        )
        for k, v in attrs.items()
    }


_BIG_INT = 10**4000


#: Names a Cytoscape element's data keeps for itself.
_CYTOSCAPE_RESERVED = _RESERVED | {"label"}


def node_link(G: OrgGraph) -> dict[str, Any]:
    """NetworkX node-link data (``nx.node_link_graph`` reads it back)."""
    require_simple(G, "node-link JSON")
    return {
        "directed": G.is_directed(),
        "multigraph": False,
        "graph": _plain(dict(G.graph)),
        "nodes": [{**_attrs(a), "id": _plain(n)} for n, a in G.nodes(data=True)],
        "edges": [{**_attrs(a), "source": _plain(u), "target": _plain(v)} for u, v, a in G.edges(data=True)],
    }


def cytoscape(G: OrgGraph) -> dict[str, Any]:
    """Cytoscape.js elements JSON, with the org-chart positions and a class per kind."""
    require_simple(G, "Cytoscape JSON")
    disp = display(G)
    nodes = []
    for n, a in G.nodes(data=True):
        d = disp[n]
        nodes.append(
            {
                "data": {"id": str(n), "label": d["label"], **_attrs(a, _CYTOSCAPE_RESERVED)},
                "position": {"x": d["x"], "y": -d["y"]},
                "classes": " ".join(str(a.get(k, "")) for k in ("category", "kind") if a.get(k)),
            }
        )
    edges = [
        {
            "data": {"id": f"e{i}", "source": str(u), "target": str(v), **_attrs(a, _CYTOSCAPE_RESERVED)},
            "classes": str(a.get("relation", "")),
        }
        for i, (u, v, a) in enumerate(G.edges(data=True))
    ]
    return {"data": _plain(dict(G.graph)), "directed": True, "elements": {"nodes": nodes, "edges": edges}}


_SURROGATE = re.compile("[\ud800-\udfff]")


def _dump(data: Any) -> Iterator[str]:
    """JSON text; a lone surrogate (which UTF-8 cannot encode) as its ``\\uXXXX`` escape, read back the same.

    The text is ``json.dumps(data, ensure_ascii=False, indent=2, default=str)``, byte for byte,
    made by :func:`_indented`: ``json`` writes indented text with its pure-Python encoder, three
    times slower than this (the C encoder does only compact text).
    """
    yield _no_surrogates("".join(_indented(data, 0)))
    yield "\n"


def _float(value: float) -> str:
    """A float as ``json`` writes it (NaN and the infinities as JavaScript names)."""
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    """An object key as ``json`` writes it: text, or a number, bool or null made text."""
    if isinstance(key, str):
        return _string(key)
    if key is None or isinstance(key, (bool, int, float)):
        return _string(_scalar(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _scalar(value: Any) -> str:
    """A str (not quoted), None, bool, int or float as ``json`` writes it."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    return str(value)


def _indented(value: Any, level: int) -> list[str]:
    """The pieces of ``value``'s JSON text at nesting ``level`` (indent 2, as ``json.dumps`` does)."""
    if isinstance(value, str):
        return [_string(value)]
    if value is None or isinstance(value, (bool, int, float)):
        return [_scalar(value)]
    if isinstance(value, (list, tuple)):
        if not value:
            return ["[]"]
        inner = "\n" + "  " * (level + 1)
        out = ["[" + inner]
        for i, item in enumerate(value):
            if i:
                out.append("," + inner)
            out += _indented(item, level + 1)
        out.append("\n" + "  " * level + "]")
        return out
    if isinstance(value, dict):
        return _object(value, level)
    return _indented(str(value), level)  # default=str


def _object(value: dict[Any, Any], level: int) -> list[str]:
    """An object's pieces; plain text values (the usual ones) without a call each."""
    if not value:
        return ["{}"]
    inner = "\n" + "  " * (level + 1)
    out = ["{"]
    sep = inner
    for k, v in value.items():
        head = f"{sep}{_string(k) if type(k) is str else _key(k)}: "
        t = type(v)
        if t is str:
            out.append(head + _string(v))
        elif t is float and v - v == 0.0:  # finite
            out.append(head + float.__repr__(v))
        else:
            out.append(head)
            out += _indented(v, level + 1)
        sep = "," + inner
    out.append("\n" + "  " * level + "}")
    return out


@paused_writer
def generate_node_link(G: OrgGraph) -> Iterator[str]:
    """The text of :func:`node_link` (``json.dumps(..., indent=2)``, byte for byte), a chunk of nodes at a time."""
    require_simple(G, "node-link JSON")
    head = (
        f'{{\n  "directed": {"true" if G.is_directed() else "false"},\n  "multigraph": false,\n'
        f'  "graph": {"".join(_indented(_plain(dict(G.graph)), 1))},\n  "nodes": '
    )
    yield _no_surrogates(head)
    node = _Objects(2, _RESERVED, (), ("id",))
    yield from _items((node(a, (), (n if type(n) is str else _plain(n),)) for n, a in G.nodes(data=True)), 1)
    yield ',\n  "edges": '
    edge = _Objects(2, _RESERVED, (), ("source", "target"))
    ends = _plain_ends
    yield from _items((edge(a, (), ends(u, v)) for u, v, a in G.edges(data=True)), 1)
    yield "\n}\n"


@paused_writer
def generate_cytoscape(G: OrgGraph) -> Iterator[str]:
    """The text of :func:`cytoscape` (``json.dumps(..., indent=2)``, byte for byte), a chunk of nodes at a time.

    Each element's fixed frame (``position``, ``classes``) is written around its ``data``
    object directly, not built as nested dicts and walked again.
    """
    require_simple(G, "Cytoscape JSON")
    yield _no_surrogates('{\n  "data": ' + "".join(_indented(_plain(dict(G.graph)), 1)) + ',\n  "directed": true,\n')
    yield '  "elements": {\n    "nodes": '
    yield from _items(_cytoscape_nodes(G), 2)
    yield ',\n    "edges": '
    yield from _items(_cytoscape_edges(edge_list(G)), 2)
    yield "\n  }\n}\n"


#: A Cytoscape node element around its ``data`` object (:func:`_cytoscape_node`), with ``%s`` for x, y and classes.
_NODE_FRAME = (
    '{\n        "data": ',
    ',\n        "position": {\n          "x": %s,\n          "y": %s\n        },\n        "classes": %s\n      }',
)
#: A Cytoscape edge element around its ``data`` object (:func:`_cytoscape_edge`), with ``%s`` for its classes.
_EDGE_FRAME = ('{\n        "data": ', ',\n        "classes": %s\n      }')


def _cytoscape_nodes(G: OrgGraph) -> Iterator[str]:
    """Each node element's text: a chunk at a time by template (:meth:`_Objects.render`), and one by one
    (:func:`_cytoscape_node`) for the nodes no template writes."""
    attrs: list[Mapping[Any, Any]] = list(G._node.values())  # type: ignore[attr-defined]
    ids = list(map(str, G))
    labels, xs, ys, _ = display_columns(G)
    node = _Objects(4, _CYTOSCAPE_RESERVED, ("id", "label"), (), frame=_NODE_FRAME)
    frame = [
        _numbers(xs),
        _numbers(list(map(neg, ys))),
        _column_of(_Classes(), zip(map(_CATEGORY, attrs), map(_KIND, attrs), strict=True)),
    ]
    for at in range(0, len(ids), _JSON_CHUNK):
        part = slice(at, at + _JSON_CHUNK)
        out: list[str | None] = [None] * len(ids[part])
        if all(column is not None for column in frame):
            out = node.render(attrs[part], [_strings(ids[part]), _strings(labels[part])], [c[part] for c in frame])  # type: ignore[index]
        for i in [i for i, text in enumerate(out) if text is None] if None in out else ():
            j = at + i
            out[i] = _cytoscape_node(node(attrs[j], (ids[j], labels[j]), ()), xs[j], ys[j], _classes(attrs[j]))
        yield from out  # type: ignore[misc]  # every None was filled


def _cytoscape_edges(edges: list[tuple[Any, Any, dict[str, Any]]]) -> Iterator[str]:
    """Each edge element's text, as :func:`_cytoscape_nodes` writes the nodes."""
    edge = _Objects(4, _CYTOSCAPE_RESERVED, ("id", "source", "target"), (), frame=_EDGE_FRAME)
    for at in range(0, len(edges), _JSON_CHUNK):
        run = edges[at : at + _JSON_CHUNK]
        attrs = [a for _, _, a in run]
        relations = list(map(_RELATION, attrs))
        out: list[str | None] = [None] * len(run)
        if set(map(type, relations)) <= {str}:
            ids = [f"e{i}" for i in range(at, at + len(run))]
            ends = [_strings([str(u) for u, _, _ in run]), _strings([str(v) for _, v, _ in run])]
            out = edge.render(attrs, [_strings(ids), *ends], [_strings(relations)])
        for i in [i for i, text in enumerate(out) if text is None] if None in out else ():
            u, v, a = run[i]
            out[i] = _cytoscape_edge(edge(a, (f"e{at + i}", str(u), str(v)), ()), str(a.get("relation", "")))
        yield from out  # type: ignore[misc]  # every None was filled


def _strings(texts: list[str]) -> list[str]:
    """Each text as a JSON string."""
    return list(map(_string, texts))


def _numbers(values: list[Any]) -> list[str] | None:
    """Each coordinate as :func:`_number` writes it, by C code; None unless all are finite floats."""
    if set(map(type, values)) <= {float} and all(map(math.isfinite, values)):
        return list(map(float.__repr__, values))
    return None


class _Classes(dict[tuple[Any, Any], str]):
    """(category, kind) -> a node's classes as a JSON string (:func:`_classes`), made once per pair of texts."""

    def __missing__(self, key: tuple[Any, Any]) -> str:
        text = _string(" ".join(str(v) for v in key if v))
        if all(type(v) is str or v is None for v in key):
            self[key] = text
        return text


def _column_of(made: _Classes, keys: Iterator[tuple[Any, Any]]) -> list[str] | None:
    """The classes of each node, or None when a category or kind is no dict key."""
    try:
        return list(map(made.__getitem__, keys))
    except TypeError:
        return None


_CATEGORY, _KIND, _RELATION = (
    methodcaller("get", "category"),
    methodcaller("get", "kind"),
    methodcaller("get", "relation", ""),
)


def _classes(a: Mapping[Any, Any]) -> str:
    """A node's Cytoscape classes: its category and kind."""
    return " ".join(str(a.get(k, "")) for k in ("category", "kind") if a.get(k))


def _cytoscape_node(data: str, x: float, y: float, classes: str) -> str:
    """One node element at nesting level 3: ``{"data": ..., "position": ..., "classes": ...}``."""
    return (
        f'{{\n        "data": {data},\n        "position": {{\n          "x": {_number(x)},\n'
        f'          "y": {_number(-y)}\n        }},\n        "classes": {_string(classes)}\n      }}'
    )


def _cytoscape_edge(data: str, classes: str) -> str:
    """One edge element at nesting level 3: ``{"data": ..., "classes": ...}``."""
    return f'{{\n        "data": {data},\n        "classes": {_string(classes)}\n      }}'


def _plain_ends(u: Any, v: Any) -> tuple[Any, Any]:
    """An edge's ends as node-link data writes them."""
    return (u if type(u) is str else _plain(u), v if type(v) is str else _plain(v))


class _Objects(ElementTemplates):
    """The JSON text of ``{before..., attributes..., after...}`` objects at one nesting level.

    The usual object (every value text, names already plain) is one ``%`` of a template
    made once per tuple of attribute names, its values escaped by ``json``'s C function;
    any other goes through :func:`_object`. The same text either way. :meth:`render` writes
    a run of objects inside ``frame`` (the element's text before and after the object, with
    ``%s`` for the fields after it).
    """

    def __init__(
        self,
        level: int,
        reserved: frozenset[str],
        before: tuple[str, ...],
        after: tuple[str, ...],
        frame: tuple[str, str] = ("", ""),
    ) -> None:
        self.level, self.reserved, self.before, self.after, self.frame = level, reserved, before, after, frame
        super().__init__()
        self.templates: dict[tuple[Any, ...], str | None] = {}

    def make(self, keys: tuple[Any, ...]) -> Plan | None:
        """The framed object with ``%s`` for each value, every value in the dict's order, the names."""
        template = self._template(keys)
        if template is None:
            return None
        return self.frame[0] + template + self.frame[1], _every_value, keys

    def column(self, values: list[Any]) -> list[str]:
        """One attribute's values as JSON strings (TypeError for a value that is no text)."""
        return list(map(_string, values))

    def __call__(self, attrs: Mapping[Any, Any], before: tuple[Any, ...], after: tuple[Any, ...]) -> str:
        keys = tuple(attrs)
        template = self.templates.get(keys, "")
        if template == "":
            template = self.templates[keys] = self._template(keys)
        if template is not None:
            try:
                return template % tuple(map(_string, (*before, *attrs.values(), *after)))
            except TypeError:  # a value that is no text
                pass
        data = {**dict(zip(self.before, before, strict=True)), **_attrs(attrs, self.reserved)}
        data.update(zip(self.after, after, strict=True))
        return "".join(_object(data, self.level))

    def _template(self, keys: tuple[Any, ...]) -> str | None:
        """The object's text with ``%s`` for each value; None when two names would be one."""
        names = [*self.before, *(_name(k, self.reserved) for k in keys), *self.after]
        if not names or len(set(names)) != len(names):
            return None
        inner = "\n" + "  " * (self.level + 1)
        fields = ",".join(f"{inner}{_string(name).replace('%', '%%')}: %s" for name in names)
        return "{" + fields + "\n" + "  " * self.level + "}"


def _every_value(values: tuple[Any, ...]) -> tuple[Any, ...]:
    return values


def _number(value: Any) -> str:
    """A position coordinate as ``json`` writes it."""
    return float.__repr__(value) if type(value) is float and value - value == 0.0 else "".join(_indented(value, 0))


#: List items per chunk of JSON text.
_JSON_CHUNK = 2000


def _items(texts: Iterator[str], level: int) -> Iterator[str]:
    """A JSON list at nesting ``level`` of the items' texts (each already at ``level + 1``), in chunks."""
    inner = ",\n" + "  " * (level + 1)
    chunk: list[str] = []
    first = True
    for text in texts:
        chunk.append(text)
        if len(chunk) == _JSON_CHUNK:
            yield _no_surrogates(("[\n" + "  " * (level + 1) if first else inner) + inner.join(chunk))
            chunk, first = [], False
    if first and not chunk:
        yield "[]"
        return
    if chunk:
        yield _no_surrogates(("[\n" + "  " * (level + 1) if first else inner) + inner.join(chunk))
    yield "\n" + "  " * level + "]"


def _no_surrogates(text: str) -> str:
    """A lone surrogate (which UTF-8 cannot encode) as its ``\\uXXXX`` escape, read back the same."""
    if not text.isascii() and _SURROGATE.search(text):
        return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


def write_node_link(G: OrgGraph, path: PathOrFile) -> None:
    """Write node-link JSON to a path (atomically), '-' or a file object."""
    with Progress(1, label="Writing node-link JSON"):
        write_lines(path, generate_node_link(G))
        step()


def write_cytoscape(G: OrgGraph, path: PathOrFile) -> None:
    """Write Cytoscape.js JSON to a path (atomically), '-' or a file object."""
    with Progress(1, label="Writing Cytoscape JSON"):
        write_lines(path, generate_cytoscape(G))
        step()


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(r"[\[\]{}]")


def _depth(text: str) -> int:
    """The deepest nesting of brackets outside strings (checked before parsing: no RecursionError)."""
    depth = deepest = 0
    for m in _BRACKETS.finditer(_STRINGS.sub("", text)):
        if m.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _load(path: Any) -> Any:
    text = read_limited(path, what="JSON")
    bad = DataError
    if _depth(text) > MAX_DEPTH:
        raise bad([Problem(str(path), 0, "", f"JSON nested deeper than {MAX_DEPTH} levels; refused")])
    try:
        return json.loads(text)
    except ValueError as exc:  # JSONDecodeError, and ints over the digit limit
        line = getattr(exc, "lineno", 0)
        raise bad([Problem(str(path), line, "", f"not readable JSON: {exc}")]) from None


def _node_id(value: Any) -> Hashable:
    """A node id from JSON: a list (how a tuple id is written) becomes a tuple."""
    if isinstance(value, list):
        return tuple(_node_id(v) for v in value)
    if isinstance(value, dict):
        raise TypeError("an object")
    return value  # type: ignore[no-any-return]


def read_node_link(path: Any) -> OrgGraph:
    """Read node-link JSON written by :func:`write_node_link` (or by ``nx.node_link_data``).

    Refuses, with :class:`~ice_graph.errors.DataError`, anything that is not such
    a file: bad JSON, a wrong shape, a multigraph, edges to unknown nodes.
    """
    where = str(path)
    data = _load(path)
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        raise DataError([Problem(where, 0, "", 'not node-link JSON: expected an object with a "nodes" list')])
    if data.get("multigraph", False):
        raise DataError([Problem(where, 0, "", '"multigraph": true is not supported (expected a simple graph)')])
    problems: list[Problem] = []
    # An undirected file gives an nx.Graph: honoured, not silently made directed; typed as the
    # usual DiGraph so that callers of the common case need no checks (the docstring says so).
    G: OrgGraph = nx.DiGraph() if data.get("directed", True) else nx.Graph()  # type: ignore[assignment]
    graph_attrs = data.get("graph", {})
    if isinstance(graph_attrs, dict):
        G.graph.update(graph_attrs)
    else:
        problems.append(Problem(where, 0, "graph", '"graph" is not an object'))
    _read_nodes(data["nodes"], G, where, problems)
    edges = data.get("edges", data.get("links", []))
    if not isinstance(edges, list):
        problems.append(Problem(where, 0, "edges", '"edges" is not a list'))
        edges = []
    _read_edges(edges, G, where, problems)
    if problems:
        raise DataError(problems)
    return G


def _read_nodes(items: list[Any], G: OrgGraph, where: str, problems: list[Problem]) -> None:
    for i, item in enumerate(items):
        try:
            if not isinstance(item, dict) or "id" not in item:
                raise TypeError("not an object with an id")
            n = _node_id(item["id"])
            hash(n)
        except TypeError as exc:
            problems.append(Problem(where, 0, f"nodes[{i}]", f"not a node ({exc}); expected {{'id': ...}}"))
            continue
        if n in G:
            problems.append(Problem(where, 0, f"nodes[{i}]", f"node id {n!r} is used twice (expected unique ids)"))
            continue
        G.add_node(n)
        G.nodes[n].update({_unname(k): v for k, v in item.items() if k != "id"})


def _read_edges(items: list[Any], G: OrgGraph, where: str, problems: list[Problem]) -> None:
    for i, item in enumerate(items):
        try:
            if not isinstance(item, dict) or "source" not in item or "target" not in item:
                raise TypeError("not an object with a source and a target")
            u, v = _node_id(item["source"]), _node_id(item["target"])
            if u not in G or v not in G:
                raise TypeError(f"{u!r} -> {v!r} does not join two nodes")
        except TypeError as exc:
            problems.append(Problem(where, 0, f"edges[{i}]", f"not an edge: {exc}"))
            continue
        G.add_edge(u, v)
        G.edges[u, v].update({_unname(k): x for k, x in item.items() if k not in ("source", "target")})
