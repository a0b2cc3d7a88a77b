"""GEXF 1.3 for Gephi, valid against the GEXF 1.3 RelaxNG schema.

Differences from ``networkx.write_gexf``: the ``<meta>`` date is the data's date
(the same data gives the same bytes tomorrow), no empty ``name`` on ``<graph>``,
``viz:color``, ``viz:position``, ``viz:size`` and ``viz:shape`` per node and
``viz:color``, ``viz:thickness`` and ``viz:shape`` per edge in the viz namespace,
one declared type per attribute, and no attribute can switch the file into
dynamic mode by accident (``start``/``end`` are ordinary attributes here).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import escape

import networkx as nx

from .._types import OrgGraph
from .._version import __version__
from ..dates import day
from ._common import cast, column_types, data_name, display, edge_display, flatten, fmt, nmtoken, parse_xml, xml_attr
from ._files import PathOrFile, write_lines

__all__ = ["generate_gexf", "write_gexf", "read_gexf"]

NS = "http://gexf.net/1.3"
VIZ = "http://gexf.net/1.3/viz"
_TYPES = {"string": "string", "long": "long", "double": "double", "boolean": "boolean"}
_SHAPES = {"unit": "square", "program": "diamond", "mission_area": "disc", "partner": "triangle"}


_q = xml_attr


def _attvalues(row: dict[str, Any], ids: dict[str, str], types: dict[str, str], indent: str) -> list[str]:
    if not row:
        return []
    out = [f"{indent}<attvalues>\n"]
    for name in sorted(row):
        out.append(f'{indent}  <attvalue for="{ids[name]}" value={_q(cast(row[name], types[name]))}/>\n')
    out.append(f"{indent}</attvalues>\n")
    return out


def _spells(G: OrgGraph) -> tuple[str, str] | None:
    """(first day, last day) of the timeline when ``G`` holds dated facts deliberately, else None.

    Only a history graph (``G.graph["history"]``) becomes dynamic: an attribute
    that merely looks like a date never switches the file's mode.
    """
    if not G.graph.get("history"):
        return None
    dated = [a.get(k) for _, a in G.nodes(data=True) for k in ("valid_from", "valid_until")]
    dated += [a.get(k) for _, _, a in G.edges(data=True) for k in ("valid_from", "valid_until")]
    dated += [e.get("date") for e in json.loads(G.graph.get("events", "[]"))]
    days = sorted(day(d) for d in dated if d)
    if not days:
        return None
    last = day(G.graph["date"]) if G.graph.get("date") else days[-1]
    return days[0], max(last, days[-1])


def _when(attrs: Any) -> str:
    """GEXF start/end attributes: from is the first day, until the day after the last (end is inclusive)."""
    out = ""
    if attrs.get("valid_from"):
        out += f' start="{day(attrs["valid_from"])}"'
    if attrs.get("valid_until"):
        last = dt.date.fromisoformat(day(attrs["valid_until"])) - dt.timedelta(days=1)
        out += f' end="{last.isoformat()}"'
    return out


def generate_gexf(G: OrgGraph, *, theme: str = "light") -> Iterator[str]:
    """Lines of a GEXF 1.3 document for ``G``."""
    node_rows = {
        n: {nmtoken(data_name(k)): v for k, v in a.items() if flatten(v) is not None} for n, a in G.nodes(data=True)
    }
    edge_rows = {
        (u, v): {nmtoken(data_name(k)): x for k, x in a.items() if flatten(x) is not None}
        for u, v, a in G.edges(data=True)
    }
    ntypes = column_types(node_rows.values())
    etypes = column_types(edge_rows.values())
    nids = {name: f"n_{name}" for name in ntypes}
    eids = {name: f"e_{name}" for name in etypes}
    disp = display(G, theme=theme)
    date = str(G.graph.get("date", ""))

    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<gexf xmlns="{NS}" xmlns:viz="{VIZ}" version="1.3">\n'
    yield f"  <meta{f' lastmodifieddate={_q(date)}' if len(date) == 10 else ''}>\n"
    yield f"    <creator>ice_graph {escape(__version__)}</creator>\n"
    title = str(G.graph.get("title", ""))
    desc = " \u2014 ".join(x for x in (title, str(G.graph.get("description", ""))) if x)
    if desc:
        yield f"    <description>{escape(fmt(desc))}</description>\n"
    yield "  </meta>\n"
    spells = _spells(G)
    if spells is None:
        yield '  <graph defaultedgetype="directed" mode="static">\n'
    else:
        first, last = spells
        yield f'  <graph defaultedgetype="directed" mode="dynamic" timeformat="date" start="{first}" end="{last}">\n'
    for cls, types, ids in (("node", ntypes, nids), ("edge", etypes, eids)):
        if types:
            yield f'    <attributes class="{cls}">\n'
            for name in sorted(types):
                yield f'      <attribute id="{ids[name]}" title={_q(name)} type="{_TYPES[types[name]]}"/>\n'
            yield "    </attributes>\n"
    yield f'    <nodes count="{G.number_of_nodes()}">\n'
    for n, row in node_rows.items():
        d = disp[n]
        when = _when(G.nodes[n]) if spells else ""
        parts = [f"      <node id={_q(n)} label={_q(d['label'])}{when}>\n"]
        parts += _attvalues(row, nids, ntypes, "        ")
        parts.append(f'        <viz:color r="{d["r"]}" g="{d["g"]}" b="{d["b"]}"/>\n')
        parts.append(f'        <viz:position x="{d["x"]!r}" y="{d["y"]!r}" z="0.0"/>\n')
        parts.append(f'        <viz:size value="{d["size"]!r}"/>\n')
        parts.append(f'        <viz:shape value="{_SHAPES.get(str(G.nodes[n].get("category")), "disc")}"/>\n')
        parts.append("      </node>\n")
        yield "".join(parts)
    yield "    </nodes>\n"
    yield f'    <edges count="{G.number_of_edges()}">\n'
    for i, ((u, v), row) in enumerate(edge_rows.items()):
        relation = str(row.get("relation", ""))
        ed = edge_display(relation, theme=theme)
        label = f" label={_q(relation.replace('_', ' '))}" if relation else ""
        when = _when(G.edges[u, v]) if spells else ""
        parts = [f'      <edge id="{i}" source={_q(u)} target={_q(v)}{label}{when}>\n']
        parts += _attvalues(row, eids, etypes, "        ")
        parts.append(f'        <viz:color r="{ed["r"]}" g="{ed["g"]}" b="{ed["b"]}"/>\n')
        parts.append(f'        <viz:thickness value="{ed["thickness"]!r}"/>\n')
        parts.append(f'        <viz:shape value="{ed["shape"]}"/>\n')
        parts.append("      </edge>\n")
        yield "".join(parts)
    yield "    </edges>\n  </graph>\n</gexf>\n"


def write_gexf(G: OrgGraph, path: PathOrFile, *, theme: str = "light") -> None:
    """Write ``G`` as GEXF 1.3 to a path (atomically), '-' or a file object."""
    write_lines(path, generate_gexf(G, theme=theme))


_GEXF_TYPES = {
    "integer": int,
    "long": int,
    "short": int,
    "byte": int,
    "biginteger": int,
    "double": float,
    "float": float,
    "bigdecimal": float,
}


def read_gexf(path: Any) -> OrgGraph:
    """Read a GEXF file (ours or Gephi's) with attribute types restored.

    Static graphs only; ``viz`` elements are dropped. XML with a DTD or entities
    is refused. Every problem raises :class:`~ice_graph.errors.DataError`.
    """
    from ..errors import DataError, Problem

    root, ns, name = parse_xml(path, "GEXF")
    graph = root.find(f"{ns}graph")
    if root.tag != f"{ns}gexf" or graph is None:
        raise DataError([Problem(name, 0, "", f"not a GEXF file: root element is {root.tag!r}")])
    attrs: dict[tuple[str, str], tuple[str, Any]] = {}
    for block in graph.findall(f"{ns}attributes"):
        cls = block.get("class", "node")
        for a in block.findall(f"{ns}attribute"):
            attrs[(cls, a.get("id", ""))] = (
                a.get("title", a.get("id", "")),
                _GEXF_TYPES.get(a.get("type", "string"), str),
            )
    problems: list[Problem] = []

    def values(elem: Any, cls: str, where: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        av = elem.find(f"{ns}attvalues")
        for v in av.findall(f"{ns}attvalue") if av is not None else []:
            key = (cls, v.get("for", ""))
            if key not in attrs:
                problems.append(Problem(name, 0, where, f"attvalue for undeclared attribute {v.get('for')!r}"))
                continue
            title, conv = attrs[key]
            try:
                out[title] = conv(v.get("value", "")) if conv is not str else v.get("value", "")
            except ValueError:
                problems.append(Problem(name, 0, where, f"attribute {title!r}: {v.get('value')!r} is not a number"))
        return out

    G: OrgGraph = nx.DiGraph()
    nodes = graph.find(f"{ns}nodes")
    for node in nodes.findall(f"{ns}node") if nodes is not None else []:
        nid = node.get("id")
        if nid is None:
            problems.append(Problem(name, 0, "node", "node without an id"))
            continue
        G.add_node(nid, **values(node, "node", f"node {nid!r}"))
    edges = graph.find(f"{ns}edges")
    for edge in edges.findall(f"{ns}edge") if edges is not None else []:
        u, v = edge.get("source"), edge.get("target")
        if u is None or v is None or u not in G or v not in G:
            problems.append(Problem(name, 0, "edge", f"edge {u!r} -> {v!r} does not join two nodes"))
            continue
        G.add_edge(u, v, **values(edge, "edge", f"edge {u!r} -> {v!r}"))
    if problems:
        raise DataError(problems)
    return G
