"""Relations between nodes, and the hierarchy they make: a tree on every date.

Explicit relations and the ``parent`` fields of units both become :class:`Edge`
records. The ``has_unit`` edges must form a tree at every date: one superior at a
time, and no cycle on any single date (a superior relation may turn around over
time: a -> b until 2005 and b -> a from 2005 is no cycle).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

import networkx as nx

from .. import progress
from ..dates import day, holds, overlaps
from ..model import Cite, Edge
from ..schema import KINDS, RELATION_FIELDS, RELATIONS, unknown
from ._checker import PROGRESS_STEP, Checker, is_plain_text, line_of, records
from .nodes import NodeFacts, ParentLink

__all__ = ["check_relations", "MAX_CYCLE_REPORTS"]

#: Most cycles reported (a broken file can have exponentially many).
MAX_CYCLE_REPORTS = 1000

Span = tuple[str | None, str | None]


class _Superior(NamedTuple):
    unit: str
    line: int
    span: Span
    file: str


@dataclass
class _Edges:
    """The relations accepted so far, with where each was given."""

    facts: NodeFacts
    #: Node id -> the category of its kind (unit, program ...).
    categories: dict[str, str] = field(default_factory=dict)
    edges: dict[tuple[str, str], Edge] = field(default_factory=dict)
    lines: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)  # file and line
    superiors: dict[str, list[_Superior]] = field(default_factory=dict)

    @cached_property
    def kinds(self) -> dict[str, str]:
        """Node id -> kind, made when a full check first asks (the usual records need only categories)."""
        return self.facts.kinds


def check_relations(doc: Mapping[str, Any], facts: NodeFacts, chk: Checker) -> list[Edge]:
    """Every relation and parent field checked; the hierarchy a tree on every date."""
    state = _Edges(facts, {n.id: KINDS[n.kind] for n in facts.nodes})
    # Explicit has_unit relations first, so that their citations win over a parent field's.
    recs = records(doc, "relations", chk)
    # (a stable sort on relation != "has_unit", without a Python call per record)
    recs = [r for r in recs if r.get("relation") == "has_unit"] + [r for r in recs if r.get("relation") != "has_unit"]
    for i, rec in enumerate(recs, 1):
        chk.current = getattr(rec, "file", "") or chk.file  # chk.at(rec), without a call per record
        if not _plain_relation(rec, state, chk):  # the usual record: one call
            _full_relation(rec, state, chk)
        if not i % PROGRESS_STEP:
            progress.step(PROGRESS_STEP)
    for link in facts.parents:
        chk.current = link.file
        if not _plain_parent_edge(link, state, chk):
            _parent_edge(link, state, chk)
    chk.at(None)
    _one_superior_at_a_time(state, chk)
    _no_cycle_on_any_date(state, chk)
    return list(state.edges.values())


#: The span of an undated relation.
_UNDATED: Span = (None, None)
#: The fields of the usual relation record, which :func:`_plain_relation` checks in one pass.
_PLAIN_RELATION_FIELDS = frozenset({"unit", "relation", "target", "note", "cite"})


def _plain_relation(rec: Mapping[str, Any], state: _Edges, chk: Checker) -> bool:
    """Add the usual relation: undated, between nodes of the right categories, citations already found good.

    A CSV folder lists every has_unit edge as such a relation. False, with nothing
    added or reported, for any other (or a pair that already has an edge, or a unit
    that already has a superior): the full checks of :func:`_relation` then run.
    """
    if not _PLAIN_RELATION_FIELDS.issuperset(rec):
        return False
    get = rec.get
    unit, relation, target, note = get("unit"), get("relation"), get("target"), get("note")
    spec = RELATIONS.get(relation) if type(relation) is str else None
    categories = state.categories
    if not (
        spec
        and type(unit) is str
        and type(target) is str
        and unit != target
        and categories.get(unit) == spec.source_category
        and categories.get(target) == spec.target_category
        and (note is None or is_plain_text(note))
    ):
        return False
    key = (unit, target)
    if key in state.edges or (relation == "has_unit" and target in state.superiors):
        return False
    cites = chk.known_cites(get("cite"))
    if cites is None:
        return False
    line, current = getattr(rec, "line", 0), chk.current
    if relation == "has_unit":
        state.superiors[target] = [_Superior(unit, line, _UNDATED, current)]
    state.edges[key] = Edge(unit, target, spec.name, note or "", cites, "", "")
    state.lines[key] = (current, line)
    return True


def _full_relation(rec: Mapping[str, Any], state: _Edges, chk: Checker) -> None:
    """Every check of a relation record, each problem reported (:func:`_plain_relation` found it unusual)."""
    line = getattr(rec, "line", 0)
    relation = rec.get("relation")
    label = f"relation {rec.get('unit')!r} {relation} {rec.get('target')!r}"
    chk.fields(rec, RELATION_FIELDS, label, line)
    if isinstance(relation, str) and relation not in RELATIONS:
        chk.add(line_of(rec, "relation", line), label, unknown("relation", relation, RELATIONS))
        return
    if not isinstance(relation, str):
        return
    unit = chk.ref_at(rec, "unit", label, line, "unit")
    target = chk.ref_at(rec, "target", label, line, "target")
    cites = chk.cites_at(rec, "cite", label, line)
    span = chk.interval(rec, label, line)
    if unit and target and unit == target:
        chk.add(
            line_of(rec, "target", line), label, f"a relation links two nodes; {unit!r} cannot be its own {relation}"
        )
    elif unit and target:
        note = chk.text(rec, "note", label, line)
        _add_edge(state, chk, Edge(unit, target, relation, note, cites, span[0], span[1]), line, label)


def _plain_parent_edge(link: ParentLink, state: _Edges, chk: Checker) -> bool:
    """Add the usual parent field's edge: a unit under a unit, citing the unit's own sources.

    Nearly every parent field of a big file is such, and :func:`_parent_edge` would find
    nothing to report: this does its work in a few look-ups. False, with nothing added,
    for any other field (or an edge that a relation already gave differently): the full
    checks then run as before.
    """
    child, parent = link.child, link.parent
    categories = state.categories
    if not (
        link.inherited
        and type(parent) is str
        and parent != child
        and categories.get(child) == "unit"
        and categories.get(parent) == "unit"
    ):
        return False
    key = (parent, child)
    given = state.edges.get(key)
    if given is not None:
        # An explicit has_unit relation gave this edge and its superior already (a CSV
        # folder lists both); any other relation on the pair is reported by the full checks.
        return given.relation == "has_unit"
    if child in state.superiors:
        return False
    span = state.facts.intervals.get(child, (None, None))
    state.superiors[child] = [_Superior(parent, link.line, span, chk.current)]
    state.edges[key] = Edge(parent, child, "has_unit", "", link.cites, "", "")
    state.lines[key] = (chk.current, link.line)
    return True


def _parent_edge(link: ParentLink, state: _Edges, chk: Checker) -> None:
    label = f"unit {link.child!r}" if link.child else "node"
    parent = link.parent
    if isinstance(parent, list):
        if len(parent) > 1:
            chk.add(
                link.line,
                label,
                f"a unit has one superior, but parent lists {len(parent)}: {', '.join(map(str, parent))}",
            )
            return
        parent = parent[0] if parent else None
    kind = state.kinds.get(link.child)
    if kind and KINDS[kind] != "unit":
        chk.add(
            link.line, label, f"only units have a parent; {link.child!r} is a {kind} (link it with a relation instead)"
        )
        return
    p = chk.ref(parent, label, link.line, "parent")
    if not (link.child and p):
        return
    if p == link.child:
        chk.add(link.line, label, "a unit cannot be its own parent")
        return
    # Inherited citations were already checked (and reported) as the node's own.
    cites: list[Cite] = link.cites if link.inherited else chk.cites(link.cites, label, link.line, key="parent_cite")
    _add_edge(state, chk, Edge(p, link.child, "has_unit", "", cites, "", ""), link.line, label, explicit=False)


def _ends_fit(state: _Edges, chk: Checker, edge: Edge, line: int, label: str) -> bool:
    """The ends have the categories the relation needs, and the relation outlives neither."""
    spec = RELATIONS[edge.relation]
    categories = state.categories
    if (
        categories.get(edge.unit, spec.source_category) != spec.source_category
        or categories.get(edge.target, spec.target_category) != spec.target_category
    ):
        _report_category(state, chk, edge, line, label)
        return False
    if not (edge.valid_from or edge.valid_until):
        return True  # the usual case: an undated relation holds while its ends exist, outliving neither
    for end in (edge.unit, edge.target):
        n_from, n_until = state.facts.intervals.get(end, (None, None))
        r_from, r_until = edge.valid_from, edge.valid_until
        if (r_from and n_from and day(r_from) < day(n_from)) or (r_until and n_until and day(r_until) > day(n_until)):
            chk.add(
                line,
                label,
                f"the relation ({r_from or '...'} to {r_until or '...'}) outlives {end!r} "
                f"({n_from or '...'} to {n_until or '...'})",
            )
            return False
    return True


def _report_category(state: _Edges, chk: Checker, edge: Edge, line: int, label: str) -> None:
    """The first end whose category the relation does not take."""
    spec = RELATIONS[edge.relation]
    for end, want, what in ((edge.unit, spec.source_category, "unit"), (edge.target, spec.target_category, "target")):
        if end in state.kinds and KINDS[state.kinds[end]] != want:
            chk.add(line, label, f"{edge.relation} needs a {want} as its {what}, but {end!r} is a {state.kinds[end]}")
            return


def _add_edge(state: _Edges, chk: Checker, edge: Edge, line: int, label: str, *, explicit: bool = True) -> None:
    if not _ends_fit(state, chk, edge, line, label):
        return
    unit, target, relation = edge.unit, edge.target, edge.relation
    if relation == "has_unit":
        # A parent field holds while the child exists; an explicit relation holds for its own span.
        span: Span = (
            (edge.valid_from or None, edge.valid_until or None)
            if explicit
            else state.facts.intervals.get(target, (None, None))
        )
        sups = state.superiors.setdefault(target, [])
        if unit not in [s.unit for s in sups]:
            sups.append(_Superior(unit, line, span, chk.current))
    key = (unit, target)
    if key in state.edges:
        first = state.edges[key]
        if first.relation != relation:
            chk.add(
                line,
                label,
                f"{unit!r} -> {target!r} already has relation {first.relation!r} "
                f"({chk.place(state.lines[key][1], state.lines[key][0])}); one relation per pair",
            )
        elif relation != "has_unit":
            chk.add(line, label, f"duplicate relation (first on {chk.place(state.lines[key][1], state.lines[key][0])})")
        return
    state.edges[key] = edge
    state.lines[key] = (chk.current, line)


def _one_superior_at_a_time(state: _Edges, chk: Checker) -> None:
    """The superiors of one unit never overlap in time."""
    if max(map(len, state.superiors.values()), default=0) < 2:
        return  # the usual data: one superior each (looked at in one pass in C)
    for child, sups in state.superiors.items():
        if len(sups) < 2:
            continue  # the usual case: one superior
        clash = [(a, b) for i, a in enumerate(sups) for b in sups[i + 1 :] if overlaps(a.span, b.span)]
        if clash:
            involved = list({id(x): x for pair in clash for x in pair}.values())
            chk.current = involved[-1].file
            chk.add(
                involved[-1].line,
                f"unit {child!r}",
                "a unit has one superior at a time, but it has "
                f"{len(involved)}: " + ", ".join(f"{s.unit!r} ({chk.place(s.line, s.file)})" for s in involved),
            )


def _no_cycle_on_any_date(state: _Edges, chk: Checker) -> None:
    """No cycle of has_unit edges that all hold on one same day.

    A cycle on a day is a cycle of the graph of every edge ever, so only the
    edges inside its strongly connected parts are checked, date by date: once
    for each stretch between the days on which one of them starts or ends.
    """
    if _acyclic(state.superiors):
        return  # the usual case: no cycle even among the edges of all dates together
    spans = {(s.unit, child): s.span for child, sups in state.superiors.items() for s in sups}
    tree = nx.DiGraph(list(spans))
    knots = [c for c in nx.strongly_connected_components(tree) if len(c) > 1 or any(tree.has_edge(n, n) for n in c)]
    core = {e: span for e, span in spans.items() if any(e[0] in c and e[1] in c for c in knots)}
    if not core:
        return
    days = sorted({day(d) for span in core.values() for d in span if d})
    reported: set[tuple[str, ...]] = set()
    for on in ["0001-01-01", *days]:
        active = nx.DiGraph([e for e, (start, end) in core.items() if holds(on, start, end)])
        for cycle in nx.simple_cycles(active):
            first = min(cycle)
            i = cycle.index(first)
            cyc = tuple(cycle[i:] + cycle[:i])
            if cyc in reported:
                continue
            reported.add(cyc)
            chk.current = state.facts.files.get(first, chk.file)
            chk.add(
                state.facts.lines.get(first, 0),
                f"unit {first!r}",
                "the hierarchy has a cycle: " + " -> ".join([*cyc, first]),
            )
            if len(reported) >= MAX_CYCLE_REPORTS:
                return


def _acyclic(superiors: dict[str, list[_Superior]]) -> bool:
    """Whether the superior relations (of all dates together) make no cycle at all.

    Kahn's algorithm on plain dicts: take away the units that have no superior
    left, again and again; a cycle is what is left. Several times cheaper than
    building a networkx graph and its strongly connected components, which are
    only needed (to name the cycles) when there is one.
    """
    subordinates: dict[str, list[str]] = {}
    for child, sups in superiors.items():
        for s in sups:
            subordinates.setdefault(s.unit, []).append(child)
    left = {child: len(sups) for child, sups in superiors.items()}  # a unit appears once among its superiors
    ready = [n for n in subordinates if n not in left]
    while ready:
        for sub in subordinates.get(ready.pop(), ()):
            left[sub] -= 1
            if not left[sub]:
                ready.append(sub)
    return not any(left.values())
