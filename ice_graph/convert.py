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
        )
        report.raise_if_any()
    G: OrgGraph = nx.DiGraph()
    parents: list[tuple[int, str, str]] = []
    sources: set[str] = set()
    nodes: dict[str, dict[str, Any]] = {}
    for line, cells in rows:
        rec = {cols[i]: cells[i] for i in cols if i < len(cells)}
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            report.add(f"the row has more cells than the header has columns ({len(header)})", line)
        nid = (rec.get("id") or "").strip()
        name = " ".join((rec.get("name") or "").split())
        if not nid:
            report.add("column 'id' is empty", line)
            continue
        if nid in nodes:
            report.add(f"id {nid!r} is used twice (first on row {nodes[nid]['row']})", line)
            continue
        if not name:
            report.add("column 'name' is empty", line)
        attrs: dict[str, Any] = {"name": name or nid, "row": line}
        kind = (rec.get("kind") or "").strip()
        if kind:
            attrs["kind"] = kind  # normalised by from_networkx, once per distinct kind
        for key, cell in rec.items():
            if key in ("id", "name", "kind", "parent", "source") or key in _OURS:
                continue
            value = typed(cell) if key not in ("abbreviation", "description", "note") else (cell.strip() or None)
            if value is not None:
                attrs[key] = value
        src = (rec.get("source") or "").strip()
        if src:
            sources.add(src)
        nodes[nid] = attrs
        parent = (rec.get("parent") or "").strip()
        if parent:
            parents.append((line, nid, parent))
    for a in nodes.values():
        del a["row"]
    G.add_nodes_from(nodes.items())
    _link_parents(G, parents, report)
    report.raise_if_any()
    if len(sources) == 1 and not source:
        source = next(iter(sources))
    elif len(sources) > 1:
        report.add(f"column 'source' has {len(sources)} different values (a dataset-level source is one value)")
        report.raise_if_any()
    stem = file.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return from_networkx(G, title=title or stem, date=date, source=source, strict=strict, file=file)


def _link_parents(G: OrgGraph, parents: list[tuple[int, str, str]], report: Report) -> None:
    """Parents by id, else by unique name (case-insensitive); each problem reported by row."""
    by_name: dict[str, list[Hashable]] | None = None
    suggested: dict[str, str] = {}
    edges: list[tuple[Hashable, str]] = []
    for line, child, parent in parents:
        target: Hashable = parent
        if parent not in G:
            if by_name is None:  # built once, only when some parent is given by name
                by_name = {}
                for n, name in G.nodes(data="name"):
                    by_name.setdefault(" ".join(str(name).casefold().split()), []).append(n)
            named = by_name.get(" ".join(parent.casefold().split()), [])
            if len(named) != 1:
                report.add(_parent_problem(parent, len(named), _close_name(parent, G, suggested)), line)
                continue
            target = named[0]
        if target == child:
            report.add(f"unit {child!r} is its own parent", line)
            continue
        edges.append((target, child))
    G.add_edges_from(edges)


def _close_name(parent: str, G: OrgGraph, cache: dict[str, str]) -> str:
    """The id or name closest to a parent that matches none (computed once per distinct value)."""
    if parent not in cache:
        choices = [str(n) for n in G] + [str(a) for _, a in G.nodes(data="name") if a]
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
    D = G
    is_parent = _hierarchy_test(D, parent_edges)
    report = Report(file, word="node")
    H: OrgGraph = nx.DiGraph()
    registry: dict[str, dict[str, str]] = {}
    if source:
        sid = _slug(source)[:60]
        registry[sid] = {"title": source}
    cited = json.dumps([sid] if source else [])
    node_cites = json.dumps([{"quote": "", "source": sid}] if source else [])
    nodes: list[tuple[Hashable, dict[str, Any]]] = []
    kinds: dict[str, str] = {}
    for n, a in D.nodes(data=True):
        name_key = name or _first_key(a, _NAME_KEYS)
        kind_key = kind or _first_key(a, _KIND_KEYS)
        label = a.get(name_key) if name_key else None
        raw_kind = a.get(kind_key) if kind_key else None
        k = (
            "unit"
            if raw_kind in (None, "")
            else kinds.get(str(raw_kind)) or kinds.setdefault(str(raw_kind), normalize_kind(str(raw_kind)))
        )
        # The attributes read as name and kind, and other tools' display attributes (label, x, y, r, g, b,
        # size), are not data: our writers set their own.
        used = {name_key, kind_key}
        attrs = {
            key: _flat(v)
            for key, v in a.items()
            if key not in _OURS
            and key not in used
            and str(key).lower() not in RESERVED_DISPLAY_NAMES
            and v not in (None, "")
        }
        attrs.update(
            name=" ".join(str(label).split()) if label not in (None, "") else str(n),
            kind=k,
            category=str(a.get("category"))
            if a.get("category") in ("program", "mission_area", "partner")
            else category_of(k),
            sources=cited,
            citations=node_cites,
        )
        if not source and _has_citations(a):
            attrs.update(sources=a["sources"], citations=a["citations"])
        nodes.append((n, attrs))
    H.add_nodes_from(nodes)
    superiors: dict[Hashable, Hashable] = {}
    edges: list[tuple[Hashable, Hashable, dict[str, Any]]] = []
    for u, v, d in D.edges(data=True):
        if u == v:
            continue
        relation = d.get("relation")
        if is_parent(u, v, d):
            if v in superiors and superiors[v] != u:
                report.add(f"{v!r} has two superiors, {superiors[v]!r} and {u!r} (a unit has one)")
                continue
            superiors[v] = u
            relation = "has_unit"
        elif relation not in RELATIONS:
            continue
        attrs = {key: _flat(x) for key, x in d.items() if key not in ("relation", "sources", "citations")}
        cites = {"sources": d["sources"], "citations": d["citations"]} if not source and _has_citations(d) else {}
        edges.append((u, v, {**attrs, "relation": relation, "sources": cited, "citations": "[]", **cites}))
    H.add_edges_from(edges)
    _check_cycle(superiors, report)
    unsourced = 0
    if not source:
        unsourced = sum(1 for n in H if H.nodes[n]["citations"] == "[]")
        unsourced += sum(1 for e in H.edges if H.edges[e]["citations"] == "[]")
        registry = _registry(G)
    if strict and unsourced:
        report.add(f"{unsourced:,} facts have no source (--strict); give a source column, sources.csv or --source")
    report.raise_if_any()
    gtitle = title or str(G.graph.get("title") or G.graph.get("name") or file)
    H.graph.update({k: _flat(v) for k, v in G.graph.items() if isinstance(k, str)})
    H.graph.update(
        id=str(G.graph.get("id") or _slug(gtitle.rsplit("/", 1)[-1].rsplit(".", 1)[0])),
        title=gtitle,
        date=date or str(G.graph.get("date") or dt.date.today().isoformat()),
        source_registry=json.dumps(registry, ensure_ascii=False),
        events="[]",
        unsourced=unsourced,
    )
    if not (date or G.graph.get("date")):
        H.graph["date_note"] = "no date in the data: today's date is used (set it with --date)"
    return H


def _has_citations(a: Mapping[str, Any]) -> bool:
    return (
        isinstance(a.get("citations"), str) and isinstance(a.get("sources"), str) and a["citations"] not in ("", "[]")
    )


def _registry(G: nx.Graph[Any]) -> dict[str, Any]:
    try:
        reg = json.loads(str(G.graph.get("source_registry") or "{}"))
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
