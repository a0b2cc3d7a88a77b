"""GraphML that Gephi, yEd, Cytoscape and igraph open right the first time.

Differences from ``networkx.write_graphml``: keys are named after their attribute
(never ``d0``, ``d1`` ...), one type per attribute name across all nodes, no
``None``, lists/dicts/dates flattened to text, display attributes for Gephi
(``label``, ``x``, ``y``, ``size``, ``r``, ``g``, ``b``; edges ``label``, ``r``,
``g``, ``b``), text with escaped characters written as CDATA (Gephi drops the
spaces between escaped characters otherwise), and streaming output.
:func:`read_graphml` reads the file back with the attribute types restored.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import networkx as nx

from .._types import OrgGraph
from ..errors import DataError, Problem
from ._common import (
    cast,
    column_types,
    data_name,
    display,
    edge_display,
    flatten,
    fmt,
    nmtoken,
    parse_xml,
    xml_attr,
    xml_safe,
)
from ._files import PathOrFile, write_lines

__all__ = ["generate_graphml", "write_graphml", "read_graphml"]

NS = "http://graphml.graphdrawing.org/xmlns"
_NODE_DISPLAY = {"label": "string", "x": "float", "y": "float", "size": "float", "r": "int", "g": "int", "b": "int"}
_EDGE_DISPLAY = {"label": "string", "r": "int", "g": "int", "b": "int"}
_GRAPHML_TYPE = {"string": "string", "long": "long", "double": "double", "boolean": "boolean"}


def _text(value: str) -> str:
    if "&" in value or "<" in value or ">" in value:
        return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    return value


def _rows(items: Iterable[tuple[Any, Any]]) -> dict[Any, dict[str, Any]]:
    """Flattened attributes (None dropped) under XML-safe names, per node or edge."""
    out = {}
    for key, attrs in items:
        row = {}
        for k, v in attrs.items():
            v = flatten(v)
            if v is not None:
                row[nmtoken(data_name(k))] = v
        out[key] = row
    return out


def _data(prefix: str, row: dict[str, Any], types: dict[str, str], indent: str = "      ") -> list[str]:
    out = []
    for name in sorted(row):
        v = row[name]
        typ = types[name]
        if typ == "string":
            text = _text(xml_safe(v if isinstance(v, str) else fmt(v).lower() if isinstance(v, bool) else str(v)))
        else:
            text = fmt(cast(v, typ))
        out.append(f'{indent}<data key="{prefix}{name}">{text}</data>\n')
    return out


def generate_graphml(G: OrgGraph, *, theme: str = "light") -> Iterator[str]:
    """Lines of a GraphML document for ``G`` (one chunk per node or edge)."""
    node_rows = _rows((n, a) for n, a in G.nodes(data=True))
    edge_rows = _rows(((u, v), a) for u, v, a in G.edges(data=True))
    graph_row = _rows([("G", dict(G.graph))])["G"]
    ntypes = column_types(node_rows.values())
    etypes = column_types(edge_rows.values())
    gtypes = column_types([graph_row])
    disp = display(G, theme=theme)

    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield (
        f'<graphml xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    for name, typ in _NODE_DISPLAY.items():
        yield f'  <key id="{name}" for="node" attr.name="{name}" attr.type="{typ}"/>\n'
    for name, typ in sorted(ntypes.items()):
        yield f'  <key id="{name}" for="node" attr.name="{name}" attr.type="{_GRAPHML_TYPE[typ]}"/>\n'
    for name, typ in _EDGE_DISPLAY.items():
        yield f'  <key id="edge_{name}" for="edge" attr.name="{name}" attr.type="{typ}"/>\n'
    for name, typ in sorted(etypes.items()):
        yield f'  <key id="edge_{name}" for="edge" attr.name="{name}" attr.type="{_GRAPHML_TYPE[typ]}"/>\n'
    for name, typ in sorted(gtypes.items()):
        yield f'  <key id="graph_{name}" for="graph" attr.name="{name}" attr.type="{_GRAPHML_TYPE[typ]}"/>\n'
    yield '  <graph id="G" edgedefault="directed">\n'
    yield "".join(_data("graph_", graph_row, gtypes, indent="    "))
    for n, row in node_rows.items():
        d = disp[n]
        parts = [f"    <node id={xml_attr(n)}>\n", f'      <data key="label">{_text(xml_safe(d["label"]))}</data>\n']
        parts += [f'      <data key="{k}">{d[k]!r}</data>\n' for k in ("x", "y", "size", "r", "g", "b")]
        parts += _data("", row, ntypes)
        parts.append("    </node>\n")
        yield "".join(parts)
    for i, ((u, v), row) in enumerate(edge_rows.items()):
        relation = str(row.get("relation", ""))
        ed = edge_display(relation, theme=theme)
        parts = [
            f'    <edge id="e{i}" source={xml_attr(u)} target={xml_attr(v)}>\n',
            f'      <data key="edge_label">{_text(xml_safe(relation.replace("_", " ")))}</data>\n',
            f'      <data key="edge_r">{ed["r"]}</data>\n      <data key="edge_g">{ed["g"]}</data>\n      <data key="edge_b">{ed["b"]}</data>\n',
        ]
        parts += _data("edge_", row, etypes)
        parts.append("    </edge>\n")
        yield "".join(parts)
    yield "  </graph>\n</graphml>\n"


def write_graphml(G: OrgGraph, path: PathOrFile, *, theme: str = "light") -> None:
    """Write ``G`` as GraphML to a path (atomically), '-' or a file object."""
    write_lines(path, generate_graphml(G, theme=theme))


_DISPLAY_NODE_NAMES = set(_NODE_DISPLAY)
_DISPLAY_EDGE_NAMES = set(_EDGE_DISPLAY)


def _convert(text: str, typ: str) -> Any:
    if typ in ("int", "long"):
        return int(text)
    if typ in ("float", "double"):
        return float(text)
    if typ == "boolean":
        return text.strip().lower() in ("true", "1")
    return text


def read_graphml(path: str | Any, *, keep_display: bool = False) -> OrgGraph:
    """Read a GraphML file (ours or another tool's) with attribute types restored.

    Display attributes (label, x, y, size, r, g, b) are dropped unless
    ``keep_display``; ``data_<name>`` attributes get their names back. XML with a
    DTD or entities is refused.
    """
    root, ns, name = parse_xml(path, "GraphML")
    if root.tag != f"{ns}graphml":
        raise DataError([Problem(name, 0, "", f"not a GraphML file: root element is {root.tag!r}")])
    keys: dict[str, tuple[str, str, str]] = {}
    for k in root.iter(f"{ns}key"):
        keys[k.get("id", "")] = (
            k.get("for", "node"),
            k.get("attr.name", k.get("id", "")),
            k.get("attr.type", "string"),
        )
    graph = root.find(f"{ns}graph")
    if graph is None:
        raise DataError([Problem(name, 0, "", "no <graph> element")])
    G: OrgGraph = nx.DiGraph()
    problems: list[Problem] = []

    def read_data(elem: Any, where: str, skip: set[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for d in elem.findall(f"{ns}data"):
            kid = d.get("key", "")
            if kid not in keys:
                problems.append(Problem(name, 0, where, f"data uses undeclared key {kid!r}"))
                continue
            _for, aname, typ = keys[kid]
            if aname in skip and not keep_display:
                continue
            if aname.startswith("data_") and aname[5:] in _DISPLAY_NODE_NAMES | {"color", "weight", "id", "z"}:
                aname = aname[5:]
            try:
                out[aname] = _convert(d.text or "", typ)
            except ValueError:
                problems.append(Problem(name, 0, where, f"attribute {aname!r}: {d.text!r} is not a {typ}"))
        return out

    G.graph.update(read_data(graph, "graph", set()))
    for node in graph.findall(f"{ns}node"):
        nid = node.get("id")
        if nid is None:
            problems.append(Problem(name, 0, "node", "node without an id"))
            continue
        G.add_node(nid, **read_data(node, f"node {nid!r}", _DISPLAY_NODE_NAMES))
    for edge in graph.findall(f"{ns}edge"):
        u, v = edge.get("source"), edge.get("target")
        if u is None or v is None:
            problems.append(Problem(name, 0, "edge", "edge without source or target"))
            continue
        for end in (u, v):
            if end not in G:
                problems.append(Problem(name, 0, f"edge {u!r} -> {v!r}", f"{end!r} is not a node"))
        G.add_edge(u, v, **read_data(edge, f"edge {u!r} -> {v!r}", _DISPLAY_EDGE_NAMES))
    if problems:
        raise DataError(problems)
    return G
