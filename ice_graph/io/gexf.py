"""GEXF 1.3 for Gephi, valid against the GEXF 1.3 RelaxNG schema.

Differences from ``networkx.write_gexf``: the ``<meta>`` date is the data's date
(the same data gives the same bytes tomorrow), no empty ``name`` on ``<graph>``,
``viz:color``, ``viz:position``, ``viz:size`` and ``viz:shape`` per node and
``viz:color``, ``viz:thickness`` and ``viz:shape`` per edge in the viz namespace,
one declared type per attribute (its title is the attribute's own name), and no
attribute can switch the file into dynamic mode by accident (``start``/``end``
are ordinary attributes here). :func:`read_gexf` keeps what other tools write
too: node and edge labels (as ``label``, when they say more than the name) and
edge weights (``weight``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from operator import itemgetter, methodcaller
from typing import Any
from xml.sax.saxutils import escape

import networkx as nx

from .._types import OrgGraph
from .._version import __version__
from ..codec import dated_names, events
from ..dates import day
from ..errors import DataError, ExportError, Problem
from ..progress import Progress, step
from ._common import (
    _ATTR_ANY,
    _FLAT,
    DisplayTexts,
    ElementTemplates,
    Look,
    Plan,
    attribute_types,
    cast,
    column_types,
    display_texts,
    edge_display,
    edge_list,
    flatten,
    fmt,
    nmtoken,
    parse_xml,
    paused_writer,
    require_simple,
    xml_attr,
    xml_attr_text,
)
from ._files import PathOrFile, write_lines

__all__ = ["generate_gexf", "write_gexf", "read_gexf"]

NS = "http://gexf.net/1.3"
VIZ = "http://gexf.net/1.3/viz"
_TYPES = {"string": "string", "long": "long", "double": "double", "boolean": "boolean"}
_SHAPES = {"unit": "square", "program": "diamond", "mission_area": "disc", "partner": "triangle"}


_q = xml_attr
#: How many quoted text values one file keeps for reuse.
_SEEN_MAX = 100_000
#: Lines per chunk yielded: few, large writes.
_CHUNK = 20_000


def _attvalues(
    row: dict[str, Any], ids: dict[str, str], types: dict[str, str], indent: str, seen: dict[str, str] | None = None
) -> list[str]:
    """An ``<attvalues>`` block; ``seen`` keeps the quoted form of text values met before (a citation
    list is the same JSON text on most nodes, and it is full of quotes to escape)."""
    if not row:
        return []
    seen = {} if seen is None else seen
    out = [f"{indent}<attvalues>\n"]
    for name in sorted(row):
        v = row[name]
        typ = types[name]
        if type(v) is str and typ == "string":
            text = seen.get(v)
            if text is None:
                text = _q(v)
                if len(seen) < _SEEN_MAX:
                    seen[v] = text
        else:
            text = _q(cast(v, typ))
        out.append(f'{indent}  <attvalue for="{ids[name]}" value={text}/>\n')
    out.append(f"{indent}</attvalues>\n")
    return out


def _day(value: Any) -> str:
    """The first day of a date (``YYYY-MM-DD``), or ExportError naming the value that is no date."""
    try:
        text = day(value)
        dt.date.fromisoformat(text)
    except (ValueError, TypeError, OverflowError) as exc:
        raise ExportError(f"GEXF timeline: {value!r} is not a date ({exc})") from None
    return text


def _dates(attrs: Iterable[Mapping[Any, Any]]) -> list[Any]:
    """The ``valid_from`` and ``valid_until`` values of attribute dicts, in order (a dict without either
    costs two membership tests)."""
    return [
        d for a in attrs if "valid_from" in a or "valid_until" in a for d in (a.get("valid_from"), a.get("valid_until"))
    ]


def _spells(G: OrgGraph, edges: Iterable[tuple[Any, Any, Mapping[Any, Any]]] | None = None) -> tuple[str, str] | None:
    """(first day, last day) of the timeline when ``G`` holds dated facts deliberately, else None.

    Only a history graph (``G.graph["history"]``) becomes dynamic: an attribute
    that merely looks like a date never switches the file's mode.
    """
    if not G.graph.get("history"):
        return None
    nodes: Mapping[Any, Mapping[Any, Any]] = G._node  # type: ignore[attr-defined]
    dated = _dates(nodes.values()) + _dates(a for _, _, a in (G.edges(data=True) if edges is None else edges))
    dated += [e.get("date") for e in events(G)]
    days = sorted(_day(d) for d in dated if d)
    if not days:
        return None
    last = _day(G.graph["date"]) if G.graph.get("date") else days[-1]
    return days[0], max(last, days[-1])


def _last_day(until: str, what: Any) -> str:
    """The inclusive GEXF end for an exclusive ``until``: the day before it."""
    day_after = dt.date.fromisoformat(_day(until))
    if day_after == dt.date.min:
        raise ExportError(
            f"valid_until {what!r} is the first day a date can have, so nothing was "
            "ever valid before it (expected a later date, or no valid_until)"
        )
    return (day_after - dt.timedelta(days=1)).isoformat()


def _when(attrs: Any, first: str = "") -> str:
    """GEXF start/end attributes: from is the first day, until the day after the last (end is inclusive).

    ``first`` is the timeline's first day, given to what has no start of its own: Gephi leaves an
    interval that starts at minus infinity out of its timeline range, so it would never be shown.
    """
    out = ""
    if attrs.get("valid_from") or first:
        out += f' start="{_day(attrs["valid_from"]) if attrs.get("valid_from") else first}"'
    if attrs.get("valid_until"):
        out += f' end="{_last_day(attrs["valid_until"], attrs["valid_until"])}"'
    return out


def _starts(G: OrgGraph, first: str) -> dict[Any, str]:
    """The first day of each node on the timeline.

    A node without a start of its own begins with its superior (an undated unit exists
    whenever the unit above it does), and at the timeline's first day when no superior
    is dated: Gephi leaves an interval that starts at minus infinity out of its timeline.
    """
    out: dict[Any, str] = {}

    # An undirected graph has no superiors: an undated node starts with the timeline.
    def superiors(n: Any) -> Iterator[Any]:
        return iter(G.predecessors(n)) if G.is_directed() else iter(())

    def start(n: Any) -> str:
        chain: list[Any] = []
        while n not in out:
            if G.nodes[n].get("valid_from"):
                out[n] = _day(G.nodes[n]["valid_from"])
                break
            ups = [p for p in superiors(n) if G.edges[p, n].get("relation", "has_unit") == "has_unit"]
            if not ups or n in chain:
                out[n] = first
                break
            chain.append(n)
            n = ups[0]
        for m in chain:
            out[m] = out[n]
        return out[n]

    for n in G:
        start(n)
    return out


def _name_spells(G: OrgGraph, n: Any, first: str, last: str) -> list[tuple[str, str, str]]:
    """(name, start, end) spells of a renamed node: its dated names, and its own name in between."""
    attrs = G.nodes[n]
    dated = sorted(
        (
            _day(d.valid_from) if d.valid_from else first,
            _last_day(d.valid_until, d.valid_until) if d.valid_until else last,
            d.name,
        )
        for d in dated_names(G, n)
        if d.valid_from or d.valid_until
    )
    if not dated:
        return []
    start = first
    end = _last_day(attrs["valid_until"], attrs["valid_until"]) if attrs.get("valid_until") else last
    spells: list[tuple[str, str, str]] = []
    cursor = start
    for s, e, name in dated:
        if s > cursor:
            spells.append(
                (str(attrs.get("name", n)), cursor, (dt.date.fromisoformat(s) - dt.timedelta(days=1)).isoformat())
            )
        spells.append((name, max(s, start), min(e, end)))
        cursor = max(cursor, (dt.date.fromisoformat(e) + dt.timedelta(days=1)).isoformat())
    if cursor <= end:
        spells.append((str(attrs.get("name", n)), cursor, end))
    return [sp for sp in spells if sp[1] <= sp[2]]


def _node_ids(G: OrgGraph) -> dict[Any, str]:
    """A distinct GEXF id per node: its text (a string id as it is), or ``_n<index>`` when that is taken."""
    ids: dict[Any, str] = {n: n for n in G if isinstance(n, str)}
    if len(ids) == len(G):  # every id is text: nothing taken twice
        return ids
    used = set(ids.values())
    for i, n in enumerate(G):
        if n not in ids or not isinstance(n, str):
            cand = fmt(flatten(n))
            while cand in used:
                cand = f"_n{i}" if not cand.startswith("_n") else "_" + cand
            ids[n] = cand
            used.add(cand)
    return ids


def _types(attrs: Collection[Mapping[Any, Any]]) -> dict[str, str]:
    """One type per attribute name (:func:`column_types` of the rows written), from the attributes."""
    types = attribute_types(attrs)
    return column_types([_row(a) for a in attrs]) if types is None else types


#: The start of a ``<node>`` element, for :class:`_Elements`: quoted id, escaped label (its name, so the
#: name's attvalue finds it escaped already).
_NODE_HEAD = '      <node id=%s label="%s">\n'
#: The end of a ``<node>`` element: its colour line, x, y, then its size and shape lines (:data:`_NODE_LOOK`).
_NODE_TAIL = '%s        <viz:position x="%s" y="%s" z="0.0"/>\n%s'
#: A node's colour line, and its size and shape lines with the element's end: made once per look and shape.
_NODE_COLOR = '        <viz:color r="%s" g="%s" b="%s"/>\n'
_NODE_LOOK = '        <viz:size value="%r"/>\n        <viz:shape value="%s"/>\n      </node>\n'


class _AttrTexts(dict[str, str]):
    """Attribute value -> its text inside ``value="..."``, each distinct value escaped once (up to
    :data:`_SEEN_MAX` of them): a citation list, full of quotes, is the same text on most nodes.

    A value that is not text raises TypeError (the caller then writes the element field by field).
    """

    def __missing__(self, value: Any) -> str:
        if type(value) is not str:
            raise TypeError(f"not text: {type(value).__name__}")
        text = xml_attr_text(value) if _ATTR_ANY.search(value) else value
        if len(self) < _SEEN_MAX:
            self[value] = text
        return text


class _Elements(ElementTemplates):
    """Whole ``<node>`` or ``<edge>`` elements of attribute dicts whose values are all text: one ``%``
    of a template made once per tuple of attribute names.

    ``head`` and ``tail`` (``%`` fields for the values given before and after the attribute
    values, ``%%`` for a percent sign) frame the ``<attvalues>`` block. A dict with a value
    that is not text, a name whose column is not ``string``, or a name in ``refused`` gets None:
    the caller then writes it field by field.
    """

    def __init__(
        self,
        head: str,
        tail: str,
        ids: dict[str, str],
        types: dict[str, str],
        texts: _AttrTexts,
        refused: frozenset[str] = frozenset(),
    ) -> None:
        self.head, self.tail, self.ids, self.types, self.refused = head, tail, ids, types, refused
        super().__init__()
        self.texts = texts
        #: Quoted text values met before, for the field-by-field path (:func:`_attvalues`).
        self.seen: dict[str, str] = {}

    def __call__(self, attrs: Mapping[Any, Any], before: tuple[Any, ...], after: tuple[Any, ...]) -> str | None:
        plan = self.plan(attrs)
        if plan is None:
            return None
        template, pick, _ = plan
        try:
            values = tuple(map(self.texts.__getitem__, pick(tuple(attrs.values()))))
        except TypeError:  # a value that is no text (None, a number, a list)
            return None
        return template % (*before, *values, *after)

    def column(self, values: list[Any]) -> list[str]:
        """The escaped texts of one attribute's values (TypeError for a value that is no text): the values
        themselves when all are text with nothing to escape (names: each one new, no use keeping)."""
        if set(map(type, values)) <= {str} and not _ATTR_ANY.search("".join(values)):
            return values
        return list(map(self.texts.__getitem__, values))

    def make(self, keys: tuple[Any, ...]) -> Plan | None:
        """(the element with ``%s`` for each value, a function picking the values in name order, the names), or None."""
        if any(type(k) is not str for k in keys) or any(self.types.get(k) != "string" for k in keys):
            return None
        if self.refused.intersection(keys):
            return None
        order = sorted(range(len(keys)), key=keys.__getitem__)
        lines = "".join(f'          <attvalue for="{self.ids[keys[i]]}" value="%s"/>\n' for i in order)
        block = f"        <attvalues>\n{lines}        </attvalues>\n" if order else ""
        template = self.head + block + self.tail
        names = tuple(keys[i] for i in order)
        if not order:
            return template, lambda values: (), names
        pick = itemgetter(*order)
        return template, (pick if len(order) > 1 else lambda values: (pick(values),)), names


def _row(attrs: Mapping[Any, Any]) -> dict[str, Any]:
    """The attributes written: names as text, None (and what flattens to None) left out."""
    return {str(k): v for k, v in attrs.items() if v is not None and (type(v) in _FLAT or flatten(v) is not None)}


@paused_writer
def generate_gexf(G: OrgGraph, *, theme: str = "light") -> Iterator[str]:
    """Lines of a GEXF 1.3 document for ``G``."""
    require_simple(G, "GEXF")
    nodes: Mapping[Any, Mapping[Any, Any]] = G._node  # type: ignore[attr-defined]
    edges = edge_list(G)
    ntypes = _types(nodes.values())
    etypes = _types([a for _, _, a in edges])
    nids = {name: f"n_{nmtoken(name)}" for name in ntypes}
    eids = {name: f"e_{nmtoken(name)}" for name in etypes}
    disp = display_texts(G, theme=theme)
    gid = _node_ids(G)
    date = str(G.graph.get("date", ""))

    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<gexf xmlns="{NS}" xmlns:viz="{VIZ}" version="1.3">\n'
    yield f"  <meta{f' lastmodifieddate={_q(date)}' if len(date) == 10 else ''}>\n"
    yield f"    <creator>ice_graph {escape(__version__)}</creator>\n"
    title = str(G.graph.get("title", ""))
    desc = " \u2014 ".join(x for x in (title, str(G.graph.get("description", ""))) if x)
    if desc:
        yield f"    <description>{escape(fmt(desc), {chr(13): '&#13;'})}</description>\n"
    yield "  </meta>\n"
    spells = _spells(G, edges)
    kind = "directed" if G.is_directed() else "undirected"
    if spells is None:
        yield f'  <graph defaultedgetype="{kind}" mode="static">\n'
    else:
        first, last = spells
        yield f'  <graph defaultedgetype="{kind}" mode="dynamic" timeformat="date" start="{first}" end="{last}">\n'
    for cls, types, ids in (("node", ntypes, nids), ("edge", etypes, eids)):
        if types:
            yield f'    <attributes class="{cls}">\n'
            for name in sorted(types):
                yield f'      <attribute id="{ids[name]}" title={_q(name)} type="{_TYPES[types[name]]}"/>\n'
            yield "    </attributes>\n"
    first, last = spells if spells else ("", "")
    starts = _starts(G, first) if spells else {}
    renamed = {n: sp for n in G if (sp := _name_spells(G, n, starts[n], last))} if spells else {}
    if renamed:
        # The name of the time, for Gephi's timeline (label a node by it to see renamings play).
        yield '    <attributes class="node" mode="dynamic">\n'
        yield '      <attribute id="dyn_name" title="name_then" type="string"/>\n'
        yield "    </attributes>\n"
    yield f'    <nodes count="{G.number_of_nodes()}">\n'
    qid = _quoted_ids(gid)
    texts = _AttrTexts()
    timeline = _Timeline(starts, renamed) if spells else None
    yield from _node_chunks(nodes, disp, qid, _Elements(_NODE_HEAD, _NODE_TAIL, nids, ntypes, texts), timeline)
    yield "    </nodes>\n"
    yield f'    <edges count="{len(edges)}">\n'
    edge_elements = _Elements(
        '      <edge id="%s" source=%s target=%s%s>\n', "%s", eids, etypes, texts, refused=frozenset({"weight"})
    )
    yield from _edge_chunks(edges, qid, edge_elements, _EdgeLooks(theme), timeline)
    yield "    </edges>\n  </graph>\n</gexf>\n"


def _quoted_ids(gid: dict[Any, str]) -> dict[Any, str]:
    """Each node's GEXF id quoted once (its edges use it too): by C code when every id is plain text."""
    ids = list(gid.values())
    if set(map(type, ids)) <= {str} and not _ATTR_ANY.search("".join(ids)):
        # Nothing to escape, and no NUL (_ATTR_ANY finds one): the quoted ids joined by NULs, split.
        return dict(zip(gid, ('"' + '"\0"'.join(ids) + '"').split("\0"), strict=True)) if ids else {}
    return {n: _q(i) for n, i in gid.items()}


class _Timeline:
    """What a dynamic file writes per node and edge: each node's first day, and the spells of renamed nodes."""

    def __init__(self, starts: dict[Any, str], renamed: dict[Any, list[tuple[str, str, str]]]) -> None:
        self.starts, self.renamed = starts, renamed


class _NodeLooks(dict[tuple[Look, Any], tuple[str, str]]):
    """(look, category) -> a node's colour line, and its size and shape lines with the element's end;
    made once per look and category text."""

    def __missing__(self, key: tuple[Look, Any]) -> tuple[str, str]:
        (size, r, g, b), category = key
        lines = (_NODE_COLOR % (r, g, b), _NODE_LOOK % (size, _SHAPES.get(str(category), "disc")))
        if type(category) is str:
            self[key] = lines
        return lines


def _node_looks(attrs: list[Mapping[Any, Any]], looks: list[Look]) -> list[tuple[str, str]]:
    """Each node's colour line and its size and shape lines (:class:`_NodeLooks`), by C code when every
    category can be a dict key."""
    made = _NodeLooks()
    categories = list(map(_CATEGORY, attrs))
    try:
        return list(map(made.__getitem__, zip(looks, categories, strict=True)))
    except TypeError:  # a category that is no dict key
        return [made.__missing__((look, c)) for look, c in zip(looks, categories, strict=True)]


_CATEGORY = methodcaller("get", "category")
_RELATION = methodcaller("get", "relation", "")


def _node_chunks(
    nodes: Mapping[Any, Mapping[Any, Any]],
    disp: DisplayTexts,
    qid: dict[Any, str],
    elements: _Elements,
    timeline: _Timeline | None,
) -> Iterator[str]:
    """The ``<node>`` elements, joined a chunk of nodes at a time: by template (:meth:`_Elements.render`),
    and field by field (:func:`_node_fields`) for the nodes no template writes and for a timeline."""
    ids, attrs = list(nodes), list(nodes.values())
    labels, xs, ys, looks = disp
    colors, ends = (list(c) for c in zip(*_node_looks(attrs, looks), strict=True)) if attrs else ([], [])
    texts = elements.texts
    quoted = list(map(qid.__getitem__, ids))
    size = _CHUNK // 12
    for at in range(0, len(ids), size):
        part = slice(at, at + size)
        if timeline is None:
            label_texts = elements.column(labels[part])
            out = elements.render(
                attrs[part], [quoted[part], label_texts], [colors[part], xs[part], ys[part], ends[part]]
            )
        else:
            out = [None] * len(ids[part])
        for i in [i for i, text in enumerate(out) if text is None] if None in out else ():
            j = at + i
            lines = (colors[j], xs[j], ys[j], ends[j])
            text = None if timeline else elements(attrs[j], (quoted[j], texts[labels[j]]), lines)
            out[i] = text or _node_fields(ids[j], attrs[j], quoted[j], labels[j], lines, elements, timeline)
        yield "".join(out)  # type: ignore[arg-type]  # every None was filled
        step(len(out))


def _node_fields(
    n: Any,
    a: Mapping[Any, Any],
    quoted: str,
    label: str,
    lines: tuple[str, str, str, str],
    elements: _Elements,
    timeline: _Timeline | None,
) -> str:
    """A ``<node>`` element written field by field (values that are no text, a timeline's dates and names)."""
    row = _row(a)
    when = _when(a, timeline.starts[n]) if timeline else ""
    parts = [f"      <node id={quoted} label={_q(label)}{when}>\n"]
    parts += _attvalues(row, elements.ids, elements.types, "        ", elements.seen)
    if timeline and n in timeline.renamed:
        if not row:
            parts.append("        <attvalues>\n")
        else:
            parts.pop()  # reopen the attvalues block closed by _attvalues
        parts += [
            f'          <attvalue for="dyn_name" value={_q(name)} start="{s}" end="{e}"/>\n'
            for name, s, e in timeline.renamed[n]
        ]
        parts.append("        </attvalues>\n")
    parts.append(_NODE_TAIL % lines)
    return "".join(parts)


class _EdgeLooks(dict[str, tuple[str, str]]):
    """A relation's label attribute and its edges' closing lines (:func:`_edge_viz`), made once."""

    def __init__(self, theme: str) -> None:
        super().__init__()
        self.theme = theme

    def __missing__(self, relation: str) -> tuple[str, str]:
        lines = self[relation] = _edge_viz(relation, self.theme)
        return lines


def _edge_chunks(
    edges: Sequence[tuple[Any, Any, Mapping[Any, Any]]],
    qid: dict[Any, str],
    elements: _Elements,
    looks: _EdgeLooks,
    timeline: _Timeline | None,
) -> Iterator[str]:
    """The ``<edge>`` elements, joined a chunk of edges at a time: by template (:meth:`_Elements.render`)
    when every relation is text, and field by field (:func:`_edge_fields`) for the others."""
    size = _CHUNK // 12
    for at in range(0, len(edges), size):
        run = edges[at : at + size]
        attrs = [a for _, _, a in run]
        relations = list(map(_RELATION, attrs))
        if timeline is None and set(map(type, relations)) <= {str}:
            labels, tails = zip(*map(looks.__getitem__, relations), strict=True) if run else ((), ())
            before = [
                list(map(str, range(at, at + len(run)))),
                [qid[u] for u, _, _ in run],
                [qid[v] for _, v, _ in run],
                labels,
            ]
            out = elements.render(attrs, before, [tails])
        else:
            out = [None] * len(run)
        for i in [i for i, text in enumerate(out) if text is None] if None in out else ():
            u, v, a = run[i]
            relation, text = relations[i], None
            if type(relation) is str and not timeline and "weight" not in a:
                label, tail = looks[relation]
                text = elements(a, (at + i, qid[u], qid[v], label), (tail,))
            out[i] = text or _edge_fields(at + i, u, v, a, qid, elements, looks, timeline)
        yield "".join(out)  # type: ignore[arg-type]  # every None was filled
        step(len(out))


def _edge_fields(
    i: int,
    u: Any,
    v: Any,
    a: Mapping[Any, Any],
    qid: dict[Any, str],
    elements: _Elements,
    looks: _EdgeLooks,
    timeline: _Timeline | None,
) -> str:
    """An ``<edge>`` element written field by field (values that are no text, a weight, a timeline's dates)."""
    row = _row(a)
    label, tail = looks[str(row.get("relation", ""))]
    when = _when(a, max(timeline.starts[u], timeline.starts[v])) if timeline else ""
    weight = a.get("weight")
    if isinstance(flatten(weight), (int, float)) and not isinstance(flatten(weight), bool):
        label += f" weight={_q(float(flatten(weight)))}"
    parts = [f'      <edge id="{i}" source={qid[u]} target={qid[v]}{label}{when}>\n']
    parts += _attvalues(row, elements.ids, elements.types, "        ", elements.seen)
    parts.append(tail)
    return "".join(parts)


def _edge_viz(relation: str, theme: str) -> tuple[str, str]:
    """(label attribute, closing lines with the viz color, thickness and shape) of a relation's edges."""
    ed = edge_display(relation, theme=theme)
    label = f" label={_q(relation.replace('_', ' '))}" if relation else ""
    tail = (
        f'        <viz:color r="{ed["r"]}" g="{ed["g"]}" b="{ed["b"]}"/>\n'
        f'        <viz:thickness value="{ed["thickness"]!r}"/>\n'
        f'        <viz:shape value="{ed["shape"]}"/>\n'
        "      </edge>\n"
    )
    return label, tail


def write_gexf(G: OrgGraph, path: PathOrFile, *, theme: str = "light") -> None:
    """Write ``G`` as GEXF 1.3 to a path (atomically), '-' or a file object."""
    with Progress(len(G) + G.number_of_edges(), label="Writing GEXF"):
        write_lines(path, generate_gexf(G, theme=theme))


def _boolean(text: str) -> bool:
    word = text.strip().lower()
    if word not in ("true", "1", "false", "0"):
        raise ValueError(text)
    return word in ("true", "1")


_GEXF_TYPES: dict[str, Any] = {
    "integer": int,
    "long": int,
    "short": int,
    "byte": int,
    "biginteger": int,
    "double": float,
    "float": float,
    "bigdecimal": float,
    "boolean": _boolean,
    "string": str,
}


class _Reader:
    """The state of one :func:`read_gexf` call: declared attributes and problems."""

    def __init__(self, graph: Any, ns: str, name: str) -> None:
        self.ns, self.name = ns, name
        self.problems: list[Problem] = []
        self.attrs: dict[tuple[str, str], tuple[str, Any, str]] = {}
        for block in graph.findall(f"{ns}attributes"):
            cls = block.get("class", "node")
            for a in block.findall(f"{ns}attribute"):
                typ = a.get("type", "string")
                self.attrs[(cls, a.get("id", ""))] = (a.get("title", a.get("id", "")), _GEXF_TYPES.get(typ, str), typ)

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.name, 0, where, message))

    def values(self, elem: Any, cls: str, where: str) -> dict[str, Any]:
        """The attvalues of a node or edge, typed."""
        out: dict[str, Any] = {}
        av = elem.find(f"{self.ns}attvalues")
        for v in av.findall(f"{self.ns}attvalue") if av is not None else []:
            key = (cls, v.get("for", ""))
            if key not in self.attrs:
                self.problem(where, f"attvalue for undeclared attribute {v.get('for')!r}")
                continue
            title, conv, typ = self.attrs[key]
            try:
                out[title] = conv(v.get("value", ""))
            except ValueError:
                self.problem(where, f"attribute {title!r}: {v.get('value', '')[:80]!r} is not a {typ}")
        return out


def read_gexf(path: Any) -> OrgGraph:
    """Read a GEXF file (ours or Gephi's) with attribute types restored.

    Static graphs only; ``viz`` elements are dropped. A node's label becomes its
    ``label`` attribute when it differs from its ``name`` and id; an edge's
    ``weight`` its ``weight``. Node ids come back as strings.
    ``defaultedgetype="undirected"`` gives an undirected graph. XML with a DTD
    or entities, duplicate node ids and edges to unknown nodes are refused:
    every problem raises :class:`~ice_graph.errors.DataError`.
    """
    root, ns, name = parse_xml(path, "GEXF")
    graph = root.find(f"{ns}graph")
    if root.tag != f"{ns}gexf" or graph is None:
        raise DataError([Problem(name, 0, "", f"not a GEXF file: root element is {root.tag!r}")])
    r = _Reader(graph, ns, name)
    # An undirected file gives an nx.Graph: honoured, not silently made directed; typed as the
    # usual DiGraph so that callers of the common case need no checks (the docstring says so).
    G: OrgGraph = nx.Graph() if graph.get("defaultedgetype") == "undirected" else nx.DiGraph()  # type: ignore[assignment]
    nodes = graph.find(f"{ns}nodes")
    for node in nodes.findall(f"{ns}node") if nodes is not None else []:
        _read_node(r, node, G)
    edges = graph.find(f"{ns}edges")
    for edge in edges.findall(f"{ns}edge") if edges is not None else []:
        _read_edge(r, edge, G)
    if r.problems:
        raise DataError(r.problems)
    return G


def _read_node(r: _Reader, node: Any, G: OrgGraph) -> None:
    nid = node.get("id")
    if nid is None:
        r.problem("node", "node without an id")
        return
    if nid in G:
        r.problem(f"node {nid!r}", f"node id {nid!r} is used twice (expected unique ids)")
        return
    attrs = r.values(node, "node", f"node {nid!r}")
    label = node.get("label")
    if label is not None and "label" not in attrs and label not in (str(attrs.get("name", nid)), nid):
        attrs["label"] = label
    G.add_node(nid)
    G.nodes[nid].update(attrs)


def _read_edge(r: _Reader, edge: Any, G: OrgGraph) -> None:
    u, v = edge.get("source"), edge.get("target")
    where = f"edge {u!r} -> {v!r}"
    if u is None or v is None or u not in G or v not in G:
        r.problem("edge", f"{where} does not join two nodes")
        return
    attrs = r.values(edge, "edge", where)
    label = edge.get("label")
    if label is not None and "label" not in attrs and label != str(attrs.get("relation", "")).replace("_", " "):
        attrs["label"] = label
    weight = edge.get("weight")
    if weight is not None and "weight" not in attrs:
        try:
            attrs["weight"] = float(weight)
        except ValueError:
            r.problem(where, f"weight {weight[:80]!r} is not a number")
    G.add_edge(u, v)
    G.edges[u, v].update(attrs)
