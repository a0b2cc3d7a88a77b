"""Other people's organizations as our graphs: spreadsheet rows and any NetworkX graph.

Two entry points, one mapping:

- :func:`from_rows` turns a table as people write it (``id``, ``name``, ``parent``,
  ``kind`` and any other columns, in any case, with common synonyms) into a graph;
- :func:`from_networkx` maps a graph built elsewhere (NetworkX, Gephi, yEd, a
  scraper) to our conventions: a ``name`` (from ``name``, ``label``, ``Label`` or
  the id), an open ``kind`` and its ``category``, ``has_unit`` hierarchy edges.

Such data may be unsourced: each graph counts its unsourced facts in
``G.graph["unsourced"]``, and ``strict=True`` refuses them. A single dataset-level
source (``source=``) cites every fact. Mistakes are reported the way a person can
act on them: one line per kind of mistake with its count and its first rows.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import re
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ._types import OrgGraph
from .errors import DataError, Problem
from .schema import ID_PATTERN, RELATIONS, RESERVED_DISPLAY_NAMES, category_of, normalize_kind

__all__ = [
    "COLUMN_SYNONYMS",
    "REQUIRED_COLUMNS",
    "OPTIONAL_COLUMNS",
    "MAX_REPORTED",
    "Report",
    "from_rows",
    "from_networkx",
]

#: Column names people use (any case, spaces or underscores) -> our field.
COLUMN_SYNONYMS: dict[str, str] = {
    "id": "id",
    "key": "id",
    "code": "id",
    "node_id": "id",
    "name": "name",
    "label": "name",
    "title": "name",
    "unit": "name",
    "unit_name": "name",
    "office_name": "name",
    "department_name": "name",
    "org_name": "name",
    "full_name": "name",
    "parent": "parent",
    "reports_to": "parent",
    "manager": "parent",
    "superior": "parent",
    "parent_id": "parent",
    "kind": "kind",
    "type": "kind",
    "abbreviation": "abbreviation",
    "abbr": "abbreviation",
    "acronym": "abbreviation",
    "description": "description",
    "note": "note",
    "source": "source",
}
REQUIRED_COLUMNS = ("id", "name")
OPTIONAL_COLUMNS = ("parent", "kind", "abbreviation", "description", "note", "source")
#: Most lines one report shows (the total is always said).
MAX_REPORTED = 20
#: Attributes a graph of ours computes itself; a foreign graph's values for them are replaced.
_OURS = frozenset({"name", "kind", "category", "sources", "citations"})
#: A table's columns read as the row's id, name, kind, superior and source (the rest are attributes).
_FIXED_COLUMNS = _OURS | {"id", "parent", "source"}
#: Columns kept as text (a code such as 007 stays 007); other columns are typed (numbers as numbers).
_TEXT_COLUMNS = frozenset({"abbreviation", "description", "note"})
_INTEGER = re.compile(r"[-+]?[0-9]{1,15}")
_DECIMAL = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


@dataclass
class Report:
    """Problems grouped by their message: one line per kind of mistake, with its count and first rows."""

    file: str
    word: str = "row"
    groups: dict[str, list[int]] = field(default_factory=dict)
    footer: str = ""

    def add(self, message: str, row: int = 0) -> None:
        self.groups.setdefault(message, []).append(row)

    def __bool__(self) -> bool:
        return bool(self.groups)

    def _where(self, rows: list[int]) -> str:
        rows = [r for r in rows if r]
        if not rows:
            return ""
        if len(rows) > 1 and rows[-1] - rows[0] == len(rows) - 1:
            return f"{self.word}s {rows[0]}-{rows[-1]}: "
        first = ", ".join(str(r) for r in rows[:5])
        more = ", ..." if len(rows) > 5 else ""
        return f"{self.word}{'s' if len(rows) > 1 else ''} {first}{more}: "

    def problems(self) -> list[Problem]:
        """The grouped problems, in the order first seen, capped at :data:`MAX_REPORTED`, with a total."""
        out = []
        for i, (message, rows) in enumerate(self.groups.items()):
            if i == MAX_REPORTED:
                rest = sum(len(r) for r in list(self.groups.values())[i:])
                out.append(Problem(self.file, 0, "", f"... and {rest:,} more problems not shown"))
                break
            count = f" ({len(rows):,} {self.word}s)" if len(rows) > 1 else ""
            out.append(Problem(self.file, 0, "", f"{self._where(rows)}{message}{count}"))
        total = self.total
        if total > 1 or self.footer:
            tail = f"{total:,} problem{'s' if total != 1 else ''} in all"
            out.append(Problem(self.file, 0, "", f"{tail}. {self.footer}".strip()))
        return out

    @property
    def total(self) -> int:
        return sum(len(r) for r in self.groups.values())

    def raise_if_any(self) -> None:
        if self.groups:
            raise DataError(self.problems(), ordered=True, total=self.total)


def _column_key(name: str) -> str:
    return "_".join(name.strip().lstrip("\ufeff").casefold().replace("-", " ").split())


def map_columns(header: Sequence[str]) -> dict[int, str]:
    """Column index -> field: synonyms for ours, the header's own (snake_case) name for extras."""
    out: dict[int, str] = {}
    taken: set[str] = set()
    for i, col in enumerate(header):
        key = _column_key(col)
        if not key:
            continue
        target = COLUMN_SYNONYMS.get(key, key)
        if target in taken:  # 'name' and 'title' both given: the second is an extra
            target = key
        if target in taken:
            continue
        taken.add(target)
        out[i] = target
    return out


#: Cells a spreadsheet uses for "no value": read as absent, like an empty cell.
NO_VALUE = frozenset({"n/a", "na", "-", "\u2014", "none", "null"})
_GROUPED = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def typed(cell: str) -> Any:
    """A cell's value: numbers as numbers (``1,200,000`` too), text as text, empty or ``n/a`` as None.

    >>> typed("1,200,000"), typed("2.5"), typed(" N/A "), typed("Chief Wiggum")
    (1200000, 2.5, None, 'Chief Wiggum')
    """
    text = cell.strip()
    if not text or text.casefold() in NO_VALUE:
        return None
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    if _INTEGER.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        return float(text)
    return text


def _columns_note() -> str:
    return f"Required columns: {', '.join(REQUIRED_COLUMNS)}; optional: {', '.join(OPTIONAL_COLUMNS)} and any others."


def from_rows(
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    *,
    file: str = "<rows>",
    title: str = "",
    date: str = "",
    source: str = "",
    strict: bool = False,
) -> OrgGraph:
    """A graph of the organization in a table: ``header`` and ``(row number, cells)``.

    Only ``id`` and ``name`` are required (any case; ``label`` and ``title`` name too);
    ``parent`` (``reports_to``, ``manager``) gives the superior by id or by unique name;
    ``kind`` (``type``) is open and case-insensitive; other columns become typed attributes.
    Every mistake is reported at once, grouped (:class:`Report`); raises DataError.
    """
    report = Report(file)
    report.footer = _columns_note()
    cols = map_columns(header)
    have = set(cols.values())
    missing = [c for c in REQUIRED_COLUMNS if c not in have]
    if missing:
        said = ", ".join(repr(h) for h in header)
        report.add(
            f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)} (the header has {said})"
            + (
                "; hint: add a column 'id' with a short unique code per row (a number such as =ROW() will do)"
                if "id" in missing
                else ""
            )
            + _rename_hint(header, missing)
        )
        report.raise_if_any()
    width = len(header)
    at = {field: i for i, field in cols.items()}
    # Absent columns read the empty cell each row gets at index `width`.
    i_id, i_name, i_kind, i_parent, i_source = (at.get(f, width) for f in ("id", "name", "kind", "parent", "source"))
    extras = [(i, key, key in _TEXT_COLUMNS) for i, key in cols.items() if key not in _FIXED_COLUMNS]
    parents: list[tuple[int, str, str]] = []
    sources: set[str] = set()
    nodes: dict[str, dict[str, Any]] = {}
    first_row: dict[str, int] = {}
    for line, row in rows:
        if len(row) == width:  # the usual row: its cells and the empty one at `width`
            cells = [*row, ""]
        else:
            if len(row) > width and any(c.strip() for c in row[width:]):
                report.add(f"the row has more cells than the header has columns ({width})", line)
            cells = [*row[:width], *[""] * (width + 1 - min(len(row), width))]
        nid = cells[i_id].strip()
        name = " ".join(cells[i_name].split())
        if not nid:
            report.add("column 'id' is empty", line)
            continue
        if nid in nodes:
            report.add(f"id {nid!r} is used twice (first on row {first_row[nid]})", line)
            continue
        if not name:
            report.add("column 'name' is empty", line)
        attrs: dict[str, Any] = {"name": name or nid}
        kind = cells[i_kind].strip()
        if kind:
            attrs["kind"] = kind  # normalised by _adopt, once per distinct kind
        for i, key, text in extras:
            value = (cells[i].strip() or None) if text else typed(cells[i])
            if value is not None:
                attrs[key] = value
        src = cells[i_source].strip()
        if src:
            sources.add(src)
        nodes[nid] = attrs
        first_row[nid] = line
        parent = cells[i_parent].strip()
        if parent:
            parents.append((line, nid, parent))
    edges = _link_parents(nodes, parents, report)
    report.raise_if_any()
    if len(sources) == 1 and not source:
        source = next(iter(sources))
    elif len(sources) > 1:
        report.add(f"column 'source' has {len(sources)} different values (a dataset-level source is one value)")
        report.raise_if_any()
    stem = file.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return _adopt(
        nodes.items(),
        ((u, v, {}) for u, v in edges),
        {},
        _Options("name", "kind", lambda u, v, d: True, title or stem, date, source, strict, file),
    )


def _rename_hint(header: Sequence[str], missing: list[str]) -> str:
    """A header column that looks like a missing one ('Unit Name' for name), named so it can be renamed."""
    hints = []
    for field_name in missing:
        like = [h for h in header if field_name in _column_key(h).split("_")]
        if like:
            hints.append(f"rename {like[0]!r} to {field_name!r} if it holds the {field_name}s")
    return f"; hint: {'; '.join(hints)}" if hints else ""


def _link_parents(
    nodes: Mapping[str, Mapping[str, Any]], parents: list[tuple[int, str, str]], report: Report
) -> list[tuple[str, str]]:
    """The (superior, unit) pairs: parents by id, else by unique name (case-insensitive); problems by row."""
    by_name: dict[str, list[str]] | None = None
    suggested: dict[str, str] = {}
    edges: list[tuple[str, str]] = []
    for line, child, parent in parents:
        target = parent
        if parent not in nodes:
            if by_name is None:  # built once, only when some parent is given by name
                by_name = {}
                for n, a in nodes.items():
                    by_name.setdefault(" ".join(str(a["name"]).casefold().split()), []).append(n)
            named = by_name.get(" ".join(parent.casefold().split()), [])
            if len(named) != 1:
                report.add(_parent_problem(parent, len(named), _close_name(parent, nodes, suggested)), line)
                continue
            target = named[0]
        if target == child:
            report.add(f"unit {child!r} is its own parent", line)
            continue
        edges.append((target, child))
    return edges


def _close_name(parent: str, nodes: Mapping[str, Mapping[str, Any]], cache: dict[str, str]) -> str:
    """The id or name closest to a parent that matches none (computed once per distinct value)."""
    if parent not in cache:
        choices = [str(n) for n in nodes] + [str(a["name"]) for a in nodes.values() if a.get("name")]
        if len(choices) <= 5000:
            close = difflib.get_close_matches(parent, choices, n=1, cutoff=0.6)
        else:  # large files: only names that start alike, so suggestions stay cheap
            close = difflib.get_close_matches(parent, [c for c in choices if c[:2] == parent[:2]][:2000], n=1)
        cache[parent] = close[0] if close else ""
    return cache[parent]


def _parent_problem(parent: str, matches: int, close: str = "") -> str:
    if matches > 1:
        return f"parent {parent!r} is the name of {matches} units; give its id instead"
    hint = f"did you mean {close!r}? " if close else ""
    return (
        f"parent {parent!r} is not the id or name of any unit "
        f"({hint}hint: give the id or exact name of a unit in this file, or leave it empty for a top unit)"
    )


# ---------------------------------------------------------------------------
# Any NetworkX graph
# ---------------------------------------------------------------------------
_NAME_KEYS = ("name", "label", "Label", "NodeLabel", "title", "Name")
_KIND_KEYS = ("kind", "type", "Type", "Kind", "shape_type")


def _first_key(a: Mapping[str, Any], keys: Sequence[str]) -> str | None:
    """The first of ``keys`` that ``a`` has a value for."""
    return next((k for k in keys if a.get(k) not in (None, "")), None)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold(), flags=re.ASCII).strip("-") or "organization"


def _flat(value: Any) -> Any:
    """A value a graph file can carry: scalars as they are, anything else as JSON text."""
    if isinstance(value, (str, int, float, bool)):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return str(value)


def _hierarchy_test(
    G: nx.Graph[Any], parent_edges: Callable[[Hashable, Hashable, Mapping[str, Any]], bool] | str | None
) -> Callable[[Hashable, Hashable, Mapping[str, Any]], bool]:
    if callable(parent_edges):
        return parent_edges
    if isinstance(parent_edges, str):
        wanted = parent_edges
        return lambda u, v, d: d.get("relation", d.get("type", d.get("label"))) == wanted
    if any("relation" in d for _, _, d in G.edges(data=True)):
        return lambda u, v, d: d.get("relation") in (None, "has_unit")
    return lambda u, v, d: True


def from_networkx(
    G: nx.Graph[Any],
    *,
    name: str | None = None,
    kind: str | None = None,
    parent_edges: Callable[[Hashable, Hashable, Mapping[str, Any]], bool] | str | None = None,
    title: str = "",
    date: str = "",
    source: str = "",
    strict: bool = False,
    file: str = "graph",
) -> OrgGraph:
    """A copy of ``G`` in our conventions, so every helper, chart and writer works on it.

    ``name`` and ``kind`` name the attributes holding the display name and the kind
    (default: ``name``, ``label``, ``Label``, yEd's ``NodeLabel``, else the id; ``kind``,
    ``type``). ``parent_edges`` picks the hierarchy edges: a test ``(u, v, data) -> bool``,
    or the value of their ``relation`` (or ``type`` or ``label``); by default edges without
    a ``relation`` (or with ``has_unit``) are the hierarchy. Ids keep their type (``5``
    stays ``5``). A unit with two superiors, or a cycle in the hierarchy, raises DataError.

    >>> import networkx as nx, ice_graph
    >>> H = ice_graph.from_networkx(nx.balanced_tree(2, 2, create_using=nx.DiGraph))
    >>> H.nodes[0]["name"], H.edges[0, 1]["relation"], ice_graph.chain_of_command(H, 5)
    ('0', 'has_unit', [2, 0])
    """
    if not isinstance(G, nx.Graph) or G.is_multigraph():
        raise DataError([Problem(file, 0, "", f"expected a networkx DiGraph, got {type(G).__name__}")])
    if not G.is_directed():
        raise DataError(
            [
                Problem(
                    file,
                    0,
                    "",
                    f"an undirected {type(G).__name__} has no superior -> subordinate direction; "
                    "give a DiGraph (for a tree: nx.bfs_tree(G, top_node) orients it from the top)",
                )
            ]
        )
    opts = _Options(name, kind, _hierarchy_test(G, parent_edges), title, date, source, strict, file)
    return _adopt(G.nodes(data=True), G.edges(data=True), G.graph, opts)


#: The title of a graph given without one (``from_networkx(G)`` of a graph with no ``title`` or ``name``).
UNTITLED = "Untitled organization"


@dataclass(frozen=True)
class _Options:
    """How :func:`_adopt` reads a graph's nodes and edges (see :func:`from_networkx`)."""

    name: str | None
    kind: str | None
    is_parent: Callable[[Hashable, Hashable, Mapping[str, Any]], bool]
    title: str
    date: str
    source: str
    strict: bool
    file: str


def _adopt(
    nodes: Iterable[tuple[Hashable, Mapping[str, Any]]],
    edges: Iterable[tuple[Hashable, Hashable, Mapping[str, Any]]],
    graph: Mapping[Any, Any],
    opts: _Options,
) -> OrgGraph:
    """Our graph of foreign nodes, edges and graph attributes (from a NetworkX graph or a table's rows)."""
    name, kind, source, file = opts.name, opts.kind, opts.source, opts.file
    report = Report(file, word="node")
    H: OrgGraph = nx.DiGraph()
    registry: dict[str, dict[str, str]] = {}
    if source:
        sid = _slug(source)[:60]
        registry[sid] = {"title": source}
    cited = json.dumps([sid] if source else [])
    node_cites = json.dumps([{"quote": "", "source": sid}] if source else [])
    _fill_nodes(H, (_adopt_node(n, a, name, kind, cited, node_cites, source) for n, a in nodes))
    superiors: dict[Hashable, Hashable] = {}
    kept: list[tuple[Hashable, Hashable, dict[str, Any]]] = []
    for u, v, d in edges:
        if u == v:
            continue
        relation = d.get("relation")
        if opts.is_parent(u, v, d):
            if v in superiors and superiors[v] != u:
                report.add(f"{v!r} has two superiors, {superiors[v]!r} and {u!r} (a unit has one)")
                continue
            superiors[v] = u
            relation = "has_unit"
        elif relation not in RELATIONS:
            continue
        if not d:  # a table's parent link: nothing of its own
            kept.append((u, v, {"relation": relation, "sources": cited, "citations": "[]"}))
            continue
        attrs = {key: _flat(x) for key, x in d.items() if key not in ("relation", "sources", "citations")}
        cites = {"sources": d["sources"], "citations": d["citations"]} if not source and _has_citations(d) else {}
        kept.append((u, v, {**attrs, "relation": relation, "sources": cited, "citations": "[]", **cites}))
    _fill_edges(H, kept)
    _check_cycle(superiors, report)
    unsourced = 0
    if not source:
        unsourced = [a["citations"] for a in H._node.values()].count("[]")  # type: ignore[attr-defined]
        unsourced += [a["citations"] for nbrs in H._succ.values() for a in nbrs.values()].count("[]")  # type: ignore[attr-defined]
        registry = _registry(graph)
    if opts.strict and unsourced:
        report.add(f"{unsourced:,} facts have no source (--strict); give a source column, sources.csv or --source")
    report.raise_if_any()
    # A graph that names itself nowhere is said to be untitled (on its charts too), not called "graph".
    gtitle = opts.title or str(graph.get("title") or graph.get("name") or UNTITLED)
    H.graph.update({k: _flat(v) for k, v in graph.items() if isinstance(k, str)})
    H.graph.update(
        id=str(graph.get("id") or _slug(gtitle.rsplit("/", 1)[-1].rsplit(".", 1)[0])),
        title=gtitle,
        date=opts.date or str(graph.get("date") or dt.date.today().isoformat()),
        source_registry=json.dumps(registry, ensure_ascii=False),
        events="[]",
        unsourced=unsourced,
    )
    if not (opts.date or graph.get("date")):
        H.graph["date_note"] = "no date in the data: today's date is used (set it with --date)"
    return H


def _fill_nodes(H: OrgGraph, nodes: Iterable[tuple[Hashable, dict[str, Any]]]) -> None:
    """``H.add_nodes_from(nodes)`` for a new graph, each attribute dict kept as it is (not copied).

    networkx's own dicts are filled directly: ``add_nodes_from`` copied and merged every
    dict (a third of reading a 10^5-row table). A repeated node takes the public API.
    """
    node: dict[Hashable, dict[str, Any]] = H._node  # type: ignore[attr-defined]
    succ: dict[Hashable, dict[Hashable, Any]] = H._succ  # type: ignore[attr-defined]
    pred: dict[Hashable, dict[Hashable, Any]] = H._pred  # type: ignore[attr-defined]
    for n, attrs in nodes:
        if n in node or n is None:
            H.add_nodes_from([(n, attrs)])
        else:
            node[n], succ[n], pred[n] = attrs, {}, {}


def _fill_edges(H: OrgGraph, edges: list[tuple[Hashable, Hashable, dict[str, Any]]]) -> None:
    """``H.add_edges_from(edges)``, each new edge between known nodes stored directly (its dict as it is)."""
    succ: dict[Hashable, dict[Hashable, dict[str, Any]]] = H._succ  # type: ignore[attr-defined]
    pred: dict[Hashable, dict[Hashable, dict[str, Any]]] = H._pred  # type: ignore[attr-defined]
    for u, v, attrs in edges:
        if u in succ and v in succ and v not in succ[u]:
            succ[u][v] = pred[v][u] = attrs
        else:
            H.add_edges_from([(u, v, attrs)])


def _adopt_node(
    n: Hashable, a: Mapping[str, Any], name: str | None, kind: str | None, cited: str, node_cites: str, source: str
) -> tuple[Hashable, dict[str, Any]]:
    """A foreign node's attributes in our conventions (name, open kind, category, citations)."""
    name_key = name or _first_key(a, _NAME_KEYS)
    kind_key = kind or _first_key(a, _KIND_KEYS)
    get = a.get
    label = get(name_key) if name_key else None
    raw_kind = get(kind_key) if kind_key else None
    k = "unit" if raw_kind in (None, "") else _normalized_kind(str(raw_kind))
    # The attributes read as name and kind, and other tools' display attributes (label, x, y, r, g, b,
    # size), are not data: our writers set their own. A table's usual row has no other attribute.
    given = (name_key in a) + (kind_key != name_key and kind_key in a)
    attrs = (
        {
            key: _flat(v)
            for key, v in a.items()
            if key not in _OURS
            and key != name_key
            and key != kind_key
            and str(key).lower() not in RESERVED_DISPLAY_NAMES
            and v not in (None, "")
        }
        if len(a) > given
        else {}
    )
    attrs["name"] = " ".join(str(label).split()) if label not in (None, "") else str(n)
    attrs["kind"] = k
    category = get("category")
    attrs["category"] = str(category) if category in ("program", "mission_area", "partner") else category_of(k)
    if not source and "citations" in a and _has_citations(a):
        attrs["sources"], attrs["citations"] = a["sources"], a["citations"]
    else:
        attrs["sources"], attrs["citations"] = cited, node_cites
    return n, attrs


@functools.lru_cache(maxsize=4096)
def _normalized_kind(raw: str) -> str:
    """:func:`normalize_kind`, once per distinct kind (a table repeats a few kinds 10^5 times)."""
    return normalize_kind(raw)


def _has_citations(a: Mapping[str, Any]) -> bool:
    return (
        isinstance(a.get("citations"), str) and isinstance(a.get("sources"), str) and a["citations"] not in ("", "[]")
    )


def _registry(graph: Mapping[Any, Any]) -> dict[str, Any]:
    try:
        reg = json.loads(str(graph.get("source_registry") or "{}"))
    except ValueError:
        return {}
    return reg if isinstance(reg, dict) else {}


def _check_cycle(superiors: Mapping[Hashable, Hashable], report: Report) -> None:
    """Report a cycle of the hierarchy, each unit having one superior: a walk up that meets itself (linear)."""
    done: set[Hashable] = set()
    for start in superiors:
        path: dict[Hashable, None] = {}
        n: Hashable | None = start
        while n is not None and n not in done and n not in path:
            path[n] = None
            n = superiors.get(n)
        if n is not None and n in path:
            loop = list(path)[list(path).index(n) :]
            shown = " -> ".join(repr(u) for u in reversed(loop)) + f" -> {loop[-1]!r}"
            report.add(f"the hierarchy has a cycle: {shown} (a unit cannot be its own superior)")
            return
        done.update(path)


def is_slug(value: Any) -> bool:
    return isinstance(value, str) and bool(ID_PATTERN.match(value))
