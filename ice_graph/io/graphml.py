"""GraphML that Gephi, yEd, Cytoscape and igraph open right the first time.

Differences from ``networkx.write_graphml``: keys are named after their attribute
(never ``d0``, ``d1`` ...), one type per attribute name across all nodes, no
``None``, lists/dicts/dates flattened to text, display attributes for Gephi
(``label``, ``x``, ``y``, ``size``, ``r``, ``g``, ``b``; edges ``label``, ``r``,
``g``, ``b``), text with escaped characters written as CDATA (Gephi drops the
spaces between escaped characters otherwise), and streaming output.
:func:`read_graphml` reads the file back with the attribute types restored.

Key ids carry their scope (``n_``, ``e_``, ``g_``), so no attribute name can
collide with another scope's key. Attribute names that are not XML NMTOKENs are
escaped reversibly (``a b`` -> ``a_x0020_b``). A node id that is not a plain
string slug (``7``, ``'a b'``, ``(1, 'a')``) is written with a generated XML id
and its own id in the ``node_id`` attribute (an int, which comes back as an int)
or the ``node_key`` attribute (its text: a tuple comes back as JSON text).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from operator import itemgetter, methodcaller
from typing import Any

import networkx as nx

from .._types import OrgGraph
from ..errors import DataError, Problem
from ..progress import Progress, step
from ._common import (
    _FLAT,
    _NMTOKEN_OK,
    LONG_MAX,
    LONG_MIN,
    DisplayTexts,
    ElementTemplates,
    Look,
    Plan,
    attribute_types,
    cast,
    column_types,
    data_name,
    display_texts,
    edge_display,
    edge_list,
    flatten,
    fmt,
    is_nmtoken,
    nmtoken,
    parse_xml,
    paused_writer,
    require_simple,
    un_nmtoken,
    undata_name,
    xml_safe,
)
from ._files import PathOrFile, write_lines

__all__ = ["generate_graphml", "write_graphml", "read_graphml"]

NS = "http://graphml.graphdrawing.org/xmlns"
_NODE_DISPLAY = {"label": "string", "x": "float", "y": "float", "size": "float", "r": "int", "g": "int", "b": "int"}
_EDGE_DISPLAY = {"label": "string", "r": "int", "g": "int", "b": "int"}
#: The attributes holding a node's own id when the XML id does not carry it: an int, or its text.
NODE_ID, NODE_KEY = "node_id", "node_key"


#: Characters that make element text need more than itself: what XML 1.0 cannot carry, markup, CR.
_TEXT_SPECIAL = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff\ud800-\udfff&<>]")


def _text(value: str) -> str:
    """Element text: CDATA when it holds markup characters (Gephi keeps the spaces), escaped when ``\r``."""
    if "\r" in value:  # a parser turns a raw CR into LF; only a character reference keeps it
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    if "&" in value or "<" in value or ">" in value:
        return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    return value


def _safe_text(value: str) -> str:
    """:func:`_text` of :func:`xml_safe` text, with one regex search for the usual plain text."""
    return _text(xml_safe(value)) if _TEXT_SPECIAL.search(value) else value


def _rows(items: Iterable[tuple[Any, Any]]) -> dict[Any, dict[str, Any]]:
    """Flattened attributes (None dropped) under reversible XML-safe names, per node or edge."""
    out = {}
    names: dict[Any, str] = {}  # an attribute name's XML name, made once per name
    flat = _FLAT
    for key, attrs in items:
        row = {}
        for k, v in attrs.items():
            if type(v) not in flat:
                v = flatten(v)
            if v is not None:
                name = names.get(k) if type(k) is str else None
                if name is None:
                    name = nmtoken(data_name(str(k)))
                    if type(k) is str:
                        names[k] = name
                row[name] = v
        out[key] = row
    return out


class _DataLines:
    """``<data>`` lines of one scope, with each key's opening tag made once."""

    def __init__(self, prefix: str, types: dict[str, str], indent: str = "      ") -> None:
        self.types = types
        self.open = {name: f'{indent}<data key="{prefix}{name}">' for name in types}

    def __call__(self, row: dict[str, Any]) -> list[str]:
        types, open_ = self.types, self.open
        out = []
        for name in sorted(row):
            typ = types[name]
            v = row[name]
            text = _safe_text(v if type(v) is str else cast(v, typ)) if typ == "string" else fmt(cast(v, typ))
            out.append(f"{open_[name]}{text}</data>\n")
        return out


def _data(prefix: str, row: dict[str, Any], types: dict[str, str], indent: str = "      ") -> list[str]:
    return _DataLines(prefix, types, indent)(row)


def _file_ids(G: OrgGraph) -> dict[Hashable, str]:
    """An XML id (NMTOKEN) per node: its own id when a plain string slug, else a generated one."""
    slug = _NMTOKEN_OK.fullmatch
    ids: dict[Hashable, str] = {n: n for n in G if isinstance(n, str) and slug(n)}
    if len(ids) == len(G):  # every id a plain slug: nothing generated
        return ids
    used = set(ids.values())
    for i, n in enumerate(G):
        if n in ids and isinstance(n, str) and ids[n] == n:
            continue
        own = str(n) if isinstance(n, int) and not isinstance(n, bool) else ""
        cand = own if own and is_nmtoken(own) and own not in used else f"_n{i}"
        while cand in used:
            cand = "_" + cand
        ids[n] = cand
        used.add(cand)
    return ids


def _own_ids(G: OrgGraph, ids: dict[Hashable, str]) -> dict[Hashable, dict[str, Any]]:
    """The ids that the XML id does not carry exactly: ints as ``node_id`` (long), others as ``node_key`` text."""
    out: dict[Hashable, dict[str, Any]] = {}
    for n in G:
        if isinstance(n, str) and ids[n] == n:
            continue
        if isinstance(n, int) and not isinstance(n, bool) and LONG_MIN <= n <= LONG_MAX:
            out[n] = {NODE_ID: n}
        else:
            out[n] = {NODE_KEY: cast(n, "string")}
    return out


def _keys(scope: str, display_keys: dict[str, str], types: dict[str, str]) -> Iterator[str]:
    for name, typ in display_keys.items():
        yield f'  <key id="{scope}_{name}" for="{_FOR[scope]}" attr.name="{name}" attr.type="{typ}"/>\n'
    for name, typ in sorted(types.items()):
        yield f'  <key id="{scope}_{name}" for="{_FOR[scope]}" attr.name="{name}" attr.type="{typ}"/>\n'


_FOR = {"n": "node", "e": "edge", "g": "graph"}


@paused_writer
def generate_graphml(G: OrgGraph, *, theme: str = "light") -> Iterator[str]:
    """Lines of a GraphML document for ``G`` (a chunk of nodes or edges at a time)."""
    require_simple(G, "GraphML")
    nodes: Mapping[Hashable, Mapping[Any, Any]] = G._node  # type: ignore[attr-defined]
    edges = edge_list(G)
    graph_row = _rows([("G", dict(G.graph))])["G"]
    ids = _file_ids(G)
    own = _own_ids(G, ids)
    ntypes = _types(nodes.values())
    etypes = _types([a for _, _, a in edges])
    gtypes = column_types([graph_row])
    node_display = dict(_NODE_DISPLAY)
    for key, typ in ((NODE_ID, "long"), (NODE_KEY, "string")):
        if any(key in row for row in own.values()):
            node_display[key] = typ
    disp = display_texts(G, theme=theme)
    directed = "directed" if G.is_directed() else "undirected"

    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield (
        f'<graphml xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    yield from _keys("n", node_display, ntypes)
    yield from _keys("e", _EDGE_DISPLAY, etypes)
    yield from _keys("g", {}, gtypes)
    yield f'  <graph id="G" edgedefault="{directed}">\n'
    yield "".join(_data("g_", graph_row, gtypes, indent="    "))
    quoted = {n: f'"{i}"' for n, i in ids.items()}  # each id quoted once (an NMTOKEN needs no escape)
    yield from _node_chunks(nodes, quoted, own, disp, node_display, ntypes)
    yield from _edge_chunks(edges, quoted, etypes, theme)
    yield "  </graph>\n</graphml>\n"


def _types(attrs: Collection[Mapping[Any, Any]]) -> dict[str, str]:
    """One type per XML attribute name (:func:`column_types` of the flattened rows), from the attributes."""
    types = attribute_types(attrs)
    if types is None:  # a name that is not text: rows made as written, names that may meet
        return column_types(_rows(enumerate(attrs)).values())
    return {nmtoken(data_name(k)): t for k, t in types.items()}


class _Elements(ElementTemplates):
    """Whole elements (``<node>``, ``<edge>``) of attribute dicts whose values are all text: one ``%``
    of a template made once per tuple of attribute names.

    ``head`` (with ``%`` fields for the values given to each call, ``%%`` for a percent sign)
    and ``tail`` frame the ``<data>`` lines. A dict with a value that is not text, or a name
    whose column is not ``string``, gets None: the caller writes it value by value.
    """

    def __init__(self, head: str, tail: str, prefix: str, types: dict[str, str]) -> None:
        self.head, self.tail, self.prefix, self.types = head, tail, prefix, types
        super().__init__()

    def __call__(self, attrs: Mapping[Any, Any], fixed: tuple[Any, ...]) -> str | None:
        plan = self.plan(attrs)
        if plan is None:
            return None
        template, pick, _ = plan
        values = pick(tuple(attrs.values()))
        try:
            joined = "".join(values)
        except TypeError:  # a value that is no text (None, a number, a list)
            return None
        if _TEXT_SPECIAL.search(joined):
            values = tuple(map(_safe_text, values))
        return template % (*fixed, *values)

    def column(self, values: list[Any]) -> list[Any]:
        """One attribute's values as element text (:func:`_safe_text`); TypeError for a value that is no text."""
        return list(map(_safe_text, values)) if _TEXT_SPECIAL.search("".join(values)) else values

    def make(self, keys: tuple[Any, ...]) -> Plan | None:
        """(the element with ``%s`` for each value, a function picking the values in name order, the names), or None."""
        if any(type(k) is not str for k in keys):
            return None
        names = [nmtoken(data_name(k)) for k in keys]
        if any(self.types.get(name) != "string" for name in names):
            return None
        order = sorted(range(len(names)), key=names.__getitem__)
        lines = "".join(f'      <data key="{self.prefix}{names[i]}">%s</data>\n' for i in order)
        template = self.head + lines + self.tail
        ordered = tuple(keys[i] for i in order)
        if not order:
            return template, lambda values: (), ordered
        pick = itemgetter(*order)
        return template, (pick if len(order) > 1 else lambda values: (pick(values),)), ordered


#: The start of a ``<node>`` element and its display values, for :class:`_Elements`: quoted id, label, x, y, look lines.
_NODE_HEAD = (
    "    <node id=%s>\n"
    '      <data key="n_label">%s</data>\n'
    '      <data key="n_x">%s</data>\n'
    '      <data key="n_y">%s</data>\n'
    "%s"
)
#: A node's size and colour lines (:data:`_NODE_HEAD`'s last field), made once per look.
_NODE_LOOK = (
    '      <data key="n_size">%r</data>\n'
    '      <data key="n_r">%r</data>\n'
    '      <data key="n_g">%r</data>\n'
    '      <data key="n_b">%r</data>\n'
)


#: Nodes or edges per chunk yielded: few, large writes (and a progress step each).
CHUNK = 2000


def _node_chunks(
    nodes: Mapping[Hashable, Mapping[Any, Any]],
    ids: dict[Hashable, str],
    own: dict[Hashable, dict[str, Any]],
    disp: DisplayTexts,
    node_display: dict[str, str],
    ntypes: dict[str, str],
) -> Iterator[str]:
    """The ``<node>`` elements, joined a chunk of nodes at a time: by template (:meth:`_Elements.render`),
    and one by one for the nodes no template writes (values that are no text, an id of their own)."""
    data = _DataLines("n_", ntypes)
    own_data = _DataLines("n_", node_display)
    elements = _Elements(_NODE_HEAD, "    </node>\n", "n_", ntypes)
    keys, attrs = list(nodes), list(nodes.values())
    labels, xs, ys, looks = disp
    look_lines = list(map(_LookLines().__getitem__, looks))
    quoted = list(map(ids.__getitem__, keys))
    for at in range(0, len(keys), CHUNK):
        part = slice(at, at + CHUNK)
        head = [quoted[part], elements.column(labels[part]), xs[part], ys[part], look_lines[part]]
        out = elements.render(attrs[part], head, [])
        if own:  # their own ids go field by field
            for i, n in enumerate(keys[part]):
                if n in own:
                    out[i] = None
        for i in [i for i, text in enumerate(out) if text is None] if None in out else ():
            fixed = tuple(column[i] for column in head)
            n, a = keys[at + i], attrs[at + i]
            text = elements(a, fixed) if n not in own else None
            if text is None:
                lines = own_data(own[n]) if n in own else []
                lines += data(_rows([(n, a)])[n])
                text = _NODE_HEAD % fixed + "".join(lines) + "    </node>\n"
            out[i] = text
        yield "".join(out)  # type: ignore[arg-type]  # every None was filled
        step(len(out))


class _LookLines(dict[Look, str]):
    """A node look's size and colour lines (:data:`_NODE_LOOK`), made once per look."""

    def __missing__(self, look: Look) -> str:
        lines = self[look] = _NODE_LOOK % look
        return lines


class _EdgeHeads(dict[str, str]):
    """A relation's label and colour lines (:func:`_edge_head`), made once per relation."""

    def __init__(self, theme: str) -> None:
        super().__init__()
        self.theme = theme

    def __missing__(self, relation: str) -> str:
        head = self[relation] = _edge_head(relation, self.theme)
        return head


_RELATION = methodcaller("get", "relation", "")


def _edge_chunks(
    edges: Sequence[tuple[Any, Any, Mapping[Any, Any]]], ids: dict[Hashable, str], etypes: dict[str, str], theme: str
) -> Iterator[str]:
    """The ``<edge>`` elements, joined a chunk of edges at a time: by template (:meth:`_Elements.render`)
    when every relation is text, and one by one for the others."""
    data = _DataLines("e_", etypes)
    elements = _Elements('    <edge id="e%s" source=%s target=%s>\n%s', "    </edge>\n", "e_", etypes)
    heads = _EdgeHeads(theme)
    for at in range(0, len(edges), CHUNK):
        run = edges[at : at + CHUNK]
        attrs = [a for _, _, a in run]
        relations = list(map(_RELATION, attrs))
        if set(map(type, relations)) <= {str}:
            before = [
                list(map(str, range(at, at + len(run)))),
                [ids[u] for u, _, _ in run],
                [ids[v] for _, v, _ in run],
            ]
            out = elements.render(attrs, [*before, list(map(heads.__getitem__, relations))], [])
        else:
            out = [None] * len(run)
        for i in [i for i, text in enumerate(out) if text is None] if None in out else ():
            u, v, a = run[i]
            relation, text = relations[i], None
            if type(relation) is str:  # else its flattened text, below
                text = elements(a, (at + i, ids[u], ids[v], heads[relation]))
            if text is None:
                row = _rows([(i, a)])[i]
                head = heads[str(row.get("relation", ""))]
                text = f'    <edge id="e{at + i}" source={ids[u]} target={ids[v]}>\n{head}{"".join(data(row))}    </edge>\n'
            out[i] = text
        yield "".join(out)  # type: ignore[arg-type]  # every None was filled
        step(len(out))


def _edge_head(relation: str, theme: str) -> str:
    """The label and color lines of a relation's edges."""
    ed = edge_display(relation, theme=theme)
    return (
        f'      <data key="e_label">{_text(xml_safe(relation.replace("_", " ")))}</data>\n'
        f'      <data key="e_r">{ed["r"]}</data>\n      <data key="e_g">{ed["g"]}</data>\n      <data key="e_b">{ed["b"]}</data>\n'
    )


def write_graphml(G: OrgGraph, path: PathOrFile, *, theme: str = "light") -> None:
    """Write ``G`` as GraphML to a path (atomically), '-' or a file object."""
    with Progress(len(G) + G.number_of_edges(), label="Writing GraphML"):
        write_lines(path, generate_graphml(G, theme=theme))


_DISPLAY_NODE_NAMES = set(_NODE_DISPLAY)
_DISPLAY_EDGE_NAMES = set(_EDGE_DISPLAY)


def _convert(text: str, typ: str) -> Any:
    """The value of a ``<data>`` text for its key's type (ValueError when it is not one)."""
    if typ in ("int", "long"):
        return int(text)
    if typ in ("float", "double"):
        return float(text)
    if typ == "boolean":
        word = text.strip().lower()
        if word not in ("true", "1", "false", "0"):
            raise ValueError(text)
        return word in ("true", "1")
    return text


class _Reader:
    """The state of one :func:`read_graphml` call: keys, problems, the node-id map."""

    def __init__(self, root: Any, ns: str, name: str, keep_display: bool) -> None:
        self.ns, self.name, self.keep_display = ns, name, keep_display
        self.problems: list[Problem] = []
        self.keys: dict[str, tuple[str, str, str]] = {}
        for k in root.iter(f"{ns}key"):
            kid = k.get("id", "")
            if kid in self.keys:
                self.problem("key", f"key id {kid!r} is declared twice")
            self.keys[kid] = (k.get("for", "all"), k.get("attr.name", kid), k.get("attr.type", "string"))

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.name, 0, where, message))

    def data(self, elem: Any, where: str, skip: set[str]) -> dict[str, Any]:
        """The attributes of an element, names and types restored."""
        out: dict[str, Any] = {}
        for d in elem.findall(f"{self.ns}data"):
            kid = d.get("key", "")
            if kid not in self.keys:
                self.problem(where, f"data uses undeclared key {kid!r}")
                continue
            _for, aname, typ = self.keys[kid]
            if aname in skip and not self.keep_display:
                continue
            if aname not in (NODE_ID, NODE_KEY):
                aname = undata_name(un_nmtoken(aname))
            try:
                out[aname] = _convert(d.text or "", typ)
            except ValueError:
                self.problem(where, f"attribute {aname!r}: {(d.text or '')[:80]!r} is not a {typ}")
        return out


def read_graphml(path: str | Any, *, keep_display: bool = False) -> OrgGraph:
    """Read a GraphML file (ours or another tool's) with attribute types restored.

    Display attributes (label, x, y, size, r, g, b) are dropped unless
    ``keep_display``; ``data_<name>`` attributes get their names back; a node's
    ``node_id`` or ``node_key`` attribute is its id. ``edgedefault="undirected"`` gives an
    undirected graph. XML with a DTD or entities, duplicate ids and edges to
    unknown nodes are refused with :class:`~ice_graph.errors.DataError`.
    """
    root, ns, name = parse_xml(path, "GraphML")
    if root.tag != f"{ns}graphml":
        raise DataError([Problem(name, 0, "", f"not a GraphML file: root element is {root.tag!r}")])
    graph = root.find(f"{ns}graph")
    if graph is None:
        raise DataError([Problem(name, 0, "", "no <graph> element")])
    r = _Reader(root, ns, name, keep_display)
    # An undirected file gives an nx.Graph: honoured, not silently made directed; typed as the
    # usual DiGraph so that callers of the common case need no checks (the docstring says so).
    G: OrgGraph = nx.DiGraph() if graph.get("edgedefault", "directed") != "undirected" else nx.Graph()  # type: ignore[assignment]
    G.graph.update(r.data(graph, "graph", set()))
    idmap = _read_nodes(r, graph, G)
    _read_edges(r, graph, G, idmap)
    if r.problems:
        raise DataError(r.problems)
    return G


def _read_nodes(r: _Reader, graph: Any, G: OrgGraph) -> dict[str, Hashable]:
    """Add the nodes to ``G``; the map from XML id to node id."""
    idmap: dict[str, Hashable] = {}
    for node in graph.findall(f"{r.ns}node"):
        xid = node.get("id")
        if xid is None:
            r.problem("node", "node without an id")
            continue
        attrs = r.data(node, f"node {xid!r}", _DISPLAY_NODE_NAMES)
        nid: Hashable = attrs.pop(NODE_ID, attrs.pop(NODE_KEY, xid))
        if xid in idmap or nid in G:
            r.problem(f"node {xid!r}", f"node id {nid!r} is used twice (expected unique ids)")
            continue
        idmap[xid] = nid
        G.add_node(nid)
        G.nodes[nid].update(attrs)
    return idmap


def _read_edges(r: _Reader, graph: Any, G: OrgGraph, idmap: dict[str, Hashable]) -> None:
    edge_ids: set[str] = set()
    want = "true" if G.is_directed() else "false"
    for edge in graph.findall(f"{r.ns}edge"):
        u, v = edge.get("source"), edge.get("target")
        where = f"edge {u!r} -> {v!r}"
        if u is None or v is None:
            r.problem("edge", "edge without source or target")
            continue
        eid = edge.get("id")
        if eid is not None:
            if eid in edge_ids:
                r.problem(where, f"edge id {eid!r} is used twice (expected unique ids)")
            edge_ids.add(eid)
        if edge.get("directed", want) != want:
            r.problem(where, f"directed={edge.get('directed')!r} in a graph whose edges are directed={want!r}")
        missing = [end for end in (u, v) if end not in idmap]
        for end in missing:
            r.problem(where, f"{end!r} is not a node")
        attrs = r.data(edge, where, _DISPLAY_EDGE_NAMES)
        if not missing:
            G.add_edge(idmap[u], idmap[v])
            G.edges[idmap[u], idmap[v]].update(attrs)
