"""The writers' fast paths (issue 17) give the bytes of their plain paths.

Each writer has a fast path for the usual node (every value text, the usual
attributes) and keeps the field-by-field path for everything else; these tests
force the plain path and compare, on the bundled data and on hostile graphs.
"""

from __future__ import annotations

import gc
import json
import random
from typing import Any

import networkx as nx
import pytest

import ice_graph
from ice_graph.codec import decode_list, raw_citations, sources_of, to_document
from ice_graph.io import EXPORT_FORMATS, dot, gexf, graphml
from ice_graph.io import csv as csv_format
from ice_graph.io import json as json_format
from ice_graph.io._common import (
    attribute_types,
    column_types,
    coordinate_texts,
    display,
    display_columns,
    display_texts,
    flatten,
    positions,
)
from ice_graph.style import label_parts
from ice_graph.synthetic import random_organization

_CHARS = [
    "a",
    "B",
    " ",
    "_",
    "-",
    "=",
    "+",
    "@",
    "'",
    '"',
    "&",
    "<",
    ">",
    "]",
    "\\",
    "\n",
    "\r",
    "\t",
    "\x01",
    "é",
    "%",
    "#",
]
_KEYS = [
    "name",
    "abbreviation",
    "other_names",
    "description",
    "note",
    "head_title",
    "city",
    "state",
    "sources",
    "citations",
    "measures",
    "valid_from",
    "valid_until",
    "dated_names",
    "area_of_responsibility",
    "budget",
    "x",
    "label",
    "id",
    "data_q",
    "Head",
    "weight",
    "1",
]


def _text(r: random.Random) -> str:
    return "".join(r.choice(_CHARS) for _ in range(r.randint(0, 6)))


def _value(r: random.Random) -> Any:
    pick = r.randint(0, 9)
    if pick == 0:
        return r.randint(-(10**20), 10**20)
    if pick == 1:
        return r.random() * 1e6
    if pick == 2:
        return r.choice([True, False])
    if pick == 3:
        return None
    if pick == 4:
        return [_text(r), r.randint(0, 9)]
    if pick == 5:
        return json.dumps([{"source": _text(r), "quote": _text(r), "fact": r.choice(["", "dates", "budget"])}])
    return _text(r)


def _hostile(seed: int, n: int) -> nx.DiGraph:
    """A graph of awkward ids, names and values of every type (mostly text, as real ones are)."""
    r = random.Random(seed)
    G = nx.DiGraph()
    G.graph.update(id="h", title=_text(r), date="2020-01-01")
    nodes: list[Any] = []
    for i in range(n):
        node = r.choice([f"u{i}", i, f"{_text(r)}{i}"])
        if node in G:
            continue
        attrs = {k: _value(r) if r.random() < 0.3 else _text(r) for k in r.sample(_KEYS, r.randint(0, 5))}
        attrs["kind"] = r.choice(["agency", "office", "division", "program", _text(r)])
        attrs["category"] = r.choice(["unit", "program", "partner"])
        G.add_node(node, **attrs)
        nodes.append(node)
    for _ in range(2 * n):
        u, v = r.choice(nodes), r.choice(nodes)
        if u != v:
            G.add_edge(u, v, relation=r.choice(["has_unit", "runs", _text(r)]), sources=json.dumps([_text(r)]))
    return G


def _graphs() -> list[nx.DiGraph]:
    return [
        ice_graph.load(),
        ice_graph.load(history=True),
        random_organization(800, seed=5),
        *(_hostile(seed, 60 if seed % 2 else 700) for seed in range(4)),
    ]


GRAPHS = _graphs()


def _text_of(fmt: str, G: nx.DiGraph) -> str:
    return "".join(EXPORT_FORMATS[fmt].generate(G))


@pytest.mark.parametrize("G", GRAPHS)
def test_attribute_types_are_column_types_of_the_rows_written(G: nx.DiGraph) -> None:
    for dicts in ([a for _, a in G.nodes(data=True)], [a for *_, a in G.edges(data=True)]):
        rows = [{k: v for k, v in a.items() if v is not None and flatten(v) is not None} for a in dicts]
        assert attribute_types(dicts) == column_types(rows)


@pytest.mark.parametrize("G", GRAPHS)
@pytest.mark.parametrize(
    ("fmt", "module", "slow"),
    [
        ("graphml", graphml, "_Elements"),
        ("gexf", gexf, "_Elements"),
        ("json", json_format, "_Objects"),
        ("cytoscape", json_format, "_Objects"),
    ],
)
def test_templates_write_what_the_field_by_field_path_writes(
    G: nx.DiGraph, fmt: str, module: Any, slow: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _text_of(fmt, G)
    cls = getattr(module, slow)
    monkeypatch.setattr(cls, "_template" if hasattr(cls, "_template") else "make", lambda self, keys: None)
    assert _text_of(fmt, G) == fast


@pytest.mark.parametrize("G", GRAPHS)
@pytest.mark.parametrize(
    ("fmt", "cls"), [("graphml", graphml._Elements), ("gexf", gexf._Elements), ("cytoscape", json_format._Objects)]
)
def test_runs_of_elements_write_what_one_element_at_a_time_writes(
    G: nx.DiGraph, fmt: str, cls: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ElementTemplates.render (a run of dicts by C code) against the template filled one dict at a time."""
    fast = _text_of(fmt, G)
    monkeypatch.setattr(cls, "render", lambda self, dicts, before, after: [None] * len(dicts))
    assert _text_of(fmt, G) == fast


def test_a_run_mixing_text_and_other_values_is_written_as_one_by_one() -> None:
    """A group of dicts with one value that is no text is left to the one-by-one path, the others written
    by template, in order; the runs of nodes and edges cross chunk boundaries."""
    G = random_organization(900, seed=3)
    for i, n in enumerate(list(G)):
        if i % 97 == 5:
            G.nodes[n]["description"] = 7 if i % 2 else ["a", 1]
        if i % 89 == 3:
            G.nodes[n]["description"] = 'a "quoted" <text> & more\r'
    for i, (u, v) in enumerate(list(G.edges)):
        if i % 83 == 2:
            G.edges[u, v]["weight"] = 2.5
        if i % 71 == 4:
            G.edges[u, v]["relation"] = 3
    G.nodes[next(iter(G))]["category"] = ["not", "a", "key"]
    texts = {fmt: _text_of(fmt, G) for fmt in ("graphml", "gexf", "cytoscape")}
    with pytest.MonkeyPatch.context() as mp:
        for cls in (graphml._Elements, gexf._Elements, json_format._Objects):
            mp.setattr(cls, "make", lambda self, keys: None)
        assert {fmt: _text_of(fmt, G) for fmt in texts} == texts


def _old_nodes_csv(G: nx.DiGraph) -> str:
    """nodes.csv as it was written before issue 17: rows from to_document's records."""
    doc = to_document(G)
    node_of = {str(n): n for n in G}
    extras = csv_format.extra_attributes(G)
    rows = []
    js = csv_format._js
    for rec in doc["nodes"]:
        n = node_of[rec["id"]]
        a = G.nodes[n]
        names = rec.get("other_names", [])
        rows.append(
            {
                "Id": rec["id"],
                "Label": rec["name"],
                "kind": rec["kind"],
                "parent": rec.get("parent", ""),
                "abbreviation": rec.get("abbreviation", ""),
                "other_names": js([o for o in names if isinstance(o, str)]),
                "dated_names": js([o for o in names if not isinstance(o, str)]),
                "from": rec.get("from", ""),
                "until": rec.get("until", ""),
                "dates_citations": js(rec.get("dates_cite")),
                "description": rec.get("description", ""),
                "note": rec.get("note", ""),
                "head_title": rec.get("head_title", ""),
                "city": rec.get("location", {}).get("city", ""),
                "state": rec.get("location", {}).get("state", ""),
                "area_of_responsibility": js(rec.get("area_of_responsibility")),
                "counties": js(rec.get("counties")),
                "category": a.get("category", ""),
                "sources": js(sources_of(G, n)),
                "measures": js(rec.get("measures")),
                "citations": js(rec.get("cite")),
                "parent_citations": js(rec.get("parent_cite")),
                **extras.get(n, {}),
            }
        )
    header = csv_format.NODE_COLUMNS + sorted({k for e in extras.values() for k in e})
    return "".join(csv_format._rows(header, csv_format._dict_cells(header, rows)))


@pytest.mark.parametrize("G", GRAPHS)
def test_node_rows_are_the_documents_records(G: nx.DiGraph) -> None:
    assert _text_of("nodes-csv", G) == _old_nodes_csv(G)


@pytest.mark.parametrize("G", GRAPHS)
def test_display_rows_are_the_positions(G: nx.DiGraph) -> None:
    pos = positions(G)
    for n, d in display(G).items():
        x, y = pos[n]
        assert (d["x"], d["y"]) == (round(x, 2), round(-y, 2))
        assert d["label"] == str(G.nodes[n].get("name", n))


class _Shout(str):
    def __str__(self) -> str:
        return self.upper()


@pytest.mark.parametrize(
    ("template", "fields"),
    [
        ("<a %s>%s</a>\n", [["x", "", "&amp;"], ["1", "2", "3"]]),
        ("%s", [["only", "text"]]),
        ("<a %s>%s</a>", [["x", "y"], [1, 2.5]]),  # no text: %
        ("<a %%s %s>%s</a>", [["x", "y"], ["1", "2"]]),  # a literal percent sign: %
        ("<a id=%d>%s</a>", [[1, 2], ["1", "2"]]),
        ("<a %s>", [[_Shout("x"), "y"]]),  # a str subclass: % calls its __str__
    ],
)
def test_filled_templates_are_the_template_percent_each_row(template: str, fields: list[list[Any]]) -> None:
    from ice_graph.io._common import _filled

    assert list(_filled(template, fields)) == [template % row for row in zip(*fields, strict=True)]


def test_coordinate_texts_are_the_reprs_of_the_rounded_values() -> None:
    r = random.Random(7)
    values = [0.0, -0.0, 0.001, -0.001, 0.005, 0.015, 0.125, 2.675, -2.675, 1.005, 0.1, 10.0, 99.995, 1e-5]
    values += [9.99e12, -9.99e12, 1e13, 7.03e13, 1e15, 1e16, 1.5e17, float("inf"), float("-inf"), float("nan")]
    values += [r.uniform(-1e4, 1e4) for _ in range(5000)] + [r.uniform(-1e12, 1e12) for _ in range(2000)]
    values += [round(r.uniform(-1e3, 1e3), 3) for _ in range(2000)] + [r.randint(-999, 999) / 8 for _ in range(2000)]
    for chunk in ([v] for v in values):
        assert coordinate_texts(chunk) == [repr(round(chunk[0], 2))]
    assert coordinate_texts(values) == [repr(round(v, 2)) for v in values]
    plain = [v for v in values if abs(v) < 1e13]
    assert coordinate_texts(plain) == [repr(round(v, 2)) for v in plain]


@pytest.mark.parametrize("G", GRAPHS)
def test_display_texts_are_the_display_columns_written(G: nx.DiGraph) -> None:
    labels, xs, ys, looks = display_columns(G)
    assert display_texts(G) == (labels, list(map(repr, xs)), list(map(repr, ys)), looks)


def test_a_writer_leaves_the_collector_running_between_chunks_and_after() -> None:
    G = random_organization(3000, seed=2)
    assert gc.isenabled()
    chunks = EXPORT_FORMATS["graphml"].generate(G)
    next(chunks)
    assert gc.isenabled()  # the caller's code runs with the collector as it was
    del chunks  # abandoned half way
    assert gc.isenabled()
    "".join(EXPORT_FORMATS["gexf"].generate(G))
    assert gc.isenabled()
    gc.disable()
    try:
        "".join(EXPORT_FORMATS["gexf"].generate(G))
        assert not gc.isenabled()  # paused by the caller: left paused
    finally:
        gc.enable()


def _old_edge_rows(G: nx.DiGraph) -> str:
    """edges.csv as it was written before the rows were made by columns: one edge at a time."""
    rows = []
    for u, v, a in G.edges(data=True):
        relation, note = a.get("relation", ""), a.get("note", "")
        valid_from, valid_until = a.get("valid_from", ""), a.get("valid_until", "")
        rel = relation if type(relation) is str else str(relation)
        row = [
            u,
            v,
            "Directed",
            rel.replace("_", " "),
            rel,
            note,
            valid_from,
            valid_until,
            csv_format._js(decode_list(a.get("sources"))),
            csv_format._js(raw_citations({"citations": a.get("citations")})),
        ]
        if relation is None or note is None or valid_from is None or valid_until is None:
            row = ["" if c is None else c for c in row]
            row[4] = "" if relation is None else rel
        rows.append(list(map(str, row)))
    return "".join(csv_format._rows(csv_format.EDGE_COLUMNS, rows))


def _odd_values() -> nx.DiGraph:
    """A graph whose edges have None, numbers and lists for values, and a node without a name."""
    G = nx.DiGraph()
    G.add_node("a", name="A", category=None, kind=3)
    G.add_node(5, kind="office")  # no name: its id
    G.add_node("5", name="five", category="unit", sources=json.dumps(["x"]), head="h")  # 5 and "5": one id text
    G.add_edge("a", 5, relation=None, note=None, valid_from=2020, sources=["s1"], citations=None)
    G.add_edge(5, "a", relation=7, valid_until=None, sources=None)
    G.add_edge("a", "a", relation="has_unit", note="=cmd", citations='[{"source": "s", "quote": "q"}]')
    return G


@pytest.mark.parametrize("G", [*GRAPHS, _odd_values()])
def test_edge_rows_are_what_one_edge_at_a_time_writes(G: nx.DiGraph) -> None:
    assert _text_of("edges-csv", G) == _old_edge_rows(G)


def test_rows_of_nodes_whose_attributes_are_no_plain_dicts() -> None:
    """Attribute mappings that are no plain dicts are read with their own ``get``: the same rows."""

    class Attrs(dict[str, Any]):
        pass

    for G in (GRAPHS[0], _odd_values()):
        H = G.copy()
        for n in H:
            H._node[n] = Attrs(H._node[n])
        for u, v in H.edges:
            H._succ[u][v] = H._pred[v][u] = Attrs(H._succ[u][v])
        assert _text_of("nodes-csv", H) == _text_of("nodes-csv", G) == _old_nodes_csv(G)
        assert _text_of("edges-csv", H) == _text_of("edges-csv", G)


def _general_node_label(attrs: dict[str, Any], bold: bool) -> str:
    """A node's DOT label the general way (as it was made for every box before the one-line fast path)."""
    name_lines, abbreviation = label_parts(attrs)
    name = "<BR/>".join(dot._html(line) for line in name_lines)
    if bold:
        name = f"<B>{name}</B>"
    for line in abbreviation + dot._more(attrs):
        name += f'<BR/><FONT POINT-SIZE="9">{dot._html(line)}</FONT>'
    return f"<{name}>"


@pytest.mark.parametrize("G", GRAPHS)
def test_dot_labels_and_ids_are_the_general_ones(G: nx.DiGraph) -> None:
    """The usual box's label is made directly, and dot_ids' ids quoted inline: as the general code does."""
    for _, a in G.nodes(data=True):
        for bold in (False, True):
            assert dot._node_label(a, bold) == _general_node_label(a, bold)
    for v in dot.dot_ids(G).values():
        assert dot.quote_id(v) == (v if dot._DOT_ID.fullmatch(v) else f'"{v}"')
