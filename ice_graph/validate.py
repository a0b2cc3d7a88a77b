"""The rules a document must follow, checked all at once.

:func:`validate` takes a document from :mod:`ice_graph.document` and returns a
:class:`Dataset`: the same facts, checked and normalised (the ``parent`` fields
turned into ``has_unit`` relations). It raises one :class:`~ice_graph.errors.DataError`
listing every problem, each with its file, line, record and bad value.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Mapping
from typing import Any

import networkx as nx

from .dates import day, is_date, overlaps
from .errors import DataError, Problem
from .model import Cite, Dataset, DatedName, Edge, Event, Measure, Node, Record
from .schema import (
    CITE_FIELDS,
    DATASET_FIELDS,
    EVENT_FIELDS,
    EVENT_TYPES,
    ID_PATTERN,
    KINDS,
    LOCATION_FIELDS,
    MEASURE_FIELDS,
    NAME_FIELDS,
    NODE_ATTRIBUTES,
    NODE_FIELDS,
    RELATION_FIELDS,
    RELATIONS,
    RESERVED_DISPLAY_NAMES,
    SOURCE_FIELDS,
    STATE_CODES,
    suggest,
    unknown,
)

__all__ = ["validate"]
_MEASURE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_MAX_TEXT = 10_000


def _did_you_mean(value: str, choices: Any) -> str:
    close = suggest(value, choices, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


class _Checker:
    def __init__(self, file: str) -> None:
        self.file = file
        self.current = file
        self.problems: list[Problem] = []

    def at(self, rec: Any) -> None:
        """Report what follows against the file ``rec`` came from (CSV data has several)."""
        self.current = getattr(rec, "file", "") or self.file

    def add(self, line: int, record: str, message: str) -> None:
        self.problems.append(Problem(self.current, line, record, message))

    # -- generic field checks ------------------------------------------------
    def fields(self, rec: Mapping[str, Any], spec: Mapping[str, Any], label: str, line: int) -> None:
        for key in rec:
            if key not in spec:
                self.add(
                    _line(rec, key, line),
                    label,
                    f"unknown field {key!r} (expected: {', '.join(spec)})" + _did_you_mean(key, spec),
                )
        for key, (required, _type, _doc) in spec.items():
            if required and (key not in rec or rec[key] in (None, "", [])):
                self.add(line, label, f"missing required field {key!r}")

    def text(self, rec: Mapping[str, Any], key: str, label: str, line: int) -> str:
        value = rec.get(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.add(
                _line(rec, key, line), label, f"field {key!r} must be text, got {type(value).__name__} {_short(value)}"
            )
            return ""
        text = str(value)
        if len(text) > _MAX_TEXT:
            self.add(
                _line(rec, key, line), label, f"field {key!r} is {len(text)} characters long (at most {_MAX_TEXT})"
            )
            return ""
        return text

    def date(self, rec: Mapping[str, Any], key: str, label: str, line: int) -> str:
        value = self.text(rec, key, label, line)
        if value and not is_date(value):
            self.add(
                _line(rec, key, line),
                label,
                f"field {key!r}: {value!r} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)",
            )
            return ""
        return value

    def interval(self, rec: Mapping[str, Any], label: str, line: int) -> tuple[str, str]:
        """The record's from/until, checked: real dates, from before until."""
        start = self.date(rec, "from", label, line)
        end = self.date(rec, "until", label, line)
        if start and end and day(start) >= day(end):
            self.add(_line(rec, "until", line), label, f"'from' {start} must be before 'until' {end}")
            return start, ""
        return start, end

    def slug(self, value: Any, label: str, line: int, what: str = "id") -> str:
        if not isinstance(value, str) or not value:
            self.add(line, label, f"{what} must be text, got {_short(value)}")
            return ""
        if not ID_PATTERN.match(value):
            fixed = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
            self.add(
                line,
                label,
                f"{what} {value!r} is not a slug (lowercase letters, digits and single hyphens)"
                + (f"; did you mean {fixed!r}?" if fixed else ""),
            )
            return ""
        return value

    def cites(
        self, value: Any, label: str, line: int, sources: Mapping[str, Any], fact: str = "", key: str = "cite"
    ) -> list[Cite]:
        what = f"{key} of {fact}" if fact else key
        if value is None or value == []:
            self.add(line, label, f"no source: {what} must list at least one {{source, quote}}")
            return []
        if isinstance(value, Mapping):
            value = [value]
        if not isinstance(value, list):
            self.add(line, label, f"{what} must be a list of {{source, quote}}, got {_short(value)}")
            return []
        out = []
        for item in value:
            cline = getattr(item, "line", line) or line
            if not isinstance(item, Mapping):
                self.add(cline, label, f"{what}: each entry must be a mapping {{source, quote}}, got {_short(item)}")
                continue
            self.fields(item, CITE_FIELDS, label, cline)
            src = self.text(item, "source", label, cline)
            quote = self.text(item, "quote", label, cline)
            if src and src not in sources:
                self.add(
                    cline, label, f"{what}: source {src!r} is not registered in sources" + _did_you_mean(src, sources)
                )
            if src and quote:
                out.append(Cite(src, " ".join(quote.split()), fact))
        return out


def _line(rec: Mapping[str, Any], key: str, default: int) -> int:
    return rec.line_of(key) if isinstance(rec, Record) else default


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _records(doc: Mapping[str, Any], key: str, chk: _Checker) -> list[Mapping[str, Any]]:
    value = doc.get(key)
    line = _line(doc, key, 0)
    if value is None:
        return []
    if not isinstance(value, list):
        chk.add(line, "", f"{key!r} must be a list of records, got {_short(value)}")
        return []
    out = []
    for item in value:
        if isinstance(item, Mapping):
            out.append(item)
        else:
            chk.add(line, "", f"{key!r}: each entry must be a mapping, got {_short(item)}")
    return out


def validate(doc: Mapping[str, Any], *, file: str = "<data>") -> Dataset:
    """Check every rule on ``doc``; return the checked Dataset or raise DataError."""
    chk = _Checker(file)
    chk.problems.extend(doc.get("_problems", []))
    top = {"dataset", "sources", "nodes", "relations", "events"}
    for key in doc:
        if key not in top and not key.startswith("_"):
            chk.add(
                _line(doc, key, 1),
                "",
                f"unknown top-level key {key!r} (expected: {', '.join(sorted(top))})" + _did_you_mean(key, top),
            )
    if "nodes" not in doc:
        chk.add(1, "", "missing top-level key 'nodes'")

    # -- dataset -------------------------------------------------------------
    meta_rec = doc.get("dataset") or Record()
    meta: dict[str, str] = {}
    if not isinstance(meta_rec, Mapping):
        chk.add(_line(doc, "dataset", 1), "dataset", f"must be a mapping, got {_short(meta_rec)}")
    else:
        mline = getattr(meta_rec, "line", 1)
        chk.fields(meta_rec, DATASET_FIELDS, "dataset", mline)
        for key, (_req, typ, _doc) in DATASET_FIELDS.items():
            value = (
                chk.date(meta_rec, key, "dataset", mline)
                if typ == "date"
                else chk.text(meta_rec, key, "dataset", mline)
            )
            if value:
                meta[key] = value

    # -- sources -------------------------------------------------------------
    sources: dict[str, dict[str, str]] = {}
    for rec in _records(doc, "sources", chk):
        chk.at(rec)
        line = getattr(rec, "line", 0)
        sid = rec.get("id")
        label = f"source {sid!r}" if isinstance(sid, str) else "source"
        chk.fields(rec, SOURCE_FIELDS, label, line)
        sid = chk.slug(sid, label, line) if sid is not None else ""
        entry: dict[str, str] = {}
        for key, (_req, typ, _doc) in SOURCE_FIELDS.items():
            if key == "id":
                continue
            value = chk.date(rec, key, label, line) if typ == "date" else chk.text(rec, key, label, line)
            if typ == "url" and value and not re.match(r"^https?://[^\s]+$", value):
                chk.add(_line(rec, key, line), label, f"url {value!r} must start with http:// or https://")
                value = ""
            if value:
                entry[key] = value
        if sid:
            if sid in sources:
                chk.add(line, label, f"duplicate source id {sid!r}")
            sources[sid] = entry

    # -- nodes ---------------------------------------------------------------
    nodes: list[Node] = []
    node_lines: dict[str, int] = {}
    intervals: dict[str, tuple[str | None, str | None]] = {}
    parents: list[tuple[str, Any, int, Any, bool, Any]] = []  # child, parent value, line, cites, inherited
    for rec in _records(doc, "nodes", chk):
        chk.at(rec)
        line = getattr(rec, "line", 0)
        nid = rec.get("id")
        kind = rec.get("kind")
        category = KINDS.get(kind) if isinstance(kind, str) else None
        label = f"{category or 'node'} {nid!r}" if nid else "node"
        chk.fields(rec, NODE_FIELDS, label, line)
        nid = chk.slug(nid, label, _line(rec, "id", line)) if nid is not None else ""
        if nid in node_lines:
            chk.add(_line(rec, "id", line), label, f"duplicate id {nid!r} (first defined on line {node_lines[nid]})")
            nid = ""
        if isinstance(kind, str) and kind not in KINDS:
            chk.add(
                _line(rec, "kind", line),
                label,
                unknown("kind", kind, KINDS),
            )
            kind = None
        elif kind is not None and not isinstance(kind, str):
            chk.add(_line(rec, "kind", line), label, f"kind must be text, got {_short(kind)}")
            kind = None
        name = chk.text(rec, "name", label, line)
        other = rec.get("other_names") or []
        if isinstance(other, str):
            other = [other]
        dated_names: list[DatedName] = []
        if not isinstance(other, list) or not all(isinstance(o, (str, Mapping)) for o in other):
            chk.add(_line(rec, "other_names", line), label, f"other_names must be a list of text, got {_short(other)}")
            other = []
        plain: list[str] = []
        for o in other:
            if isinstance(o, str):
                plain.append(o)
                continue
            oline = getattr(o, "line", _line(rec, "other_names", line))
            chk.fields(o, NAME_FIELDS, label, oline)
            oname = chk.text(o, "name", label, oline)
            ofrom, ountil = chk.interval(o, label, oline)
            ocites = chk.cites(o.get("cite"), label, _line(o, "cite", oline), sources, fact=f"name {oname}")
            if oname:
                plain.append(oname)
                dated_names.append(DatedName(oname, chk.text(o, "abbreviation", label, oline), ofrom, ountil, ocites))
        other = plain
        cites = chk.cites(rec.get("cite"), label, _line(rec, "cite", line), sources)
        measures: list[Measure] = []
        mvalue = rec.get("measures") or {}
        if not isinstance(mvalue, Mapping):
            chk.add(
                _line(rec, "measures", line),
                label,
                f"measures must be a mapping name -> {{value, qualifier, date, cite}}, got {_short(mvalue)}",
            )
            mvalue = {}
        for mname, m in mvalue.items():
            mline = getattr(m, "line", _line(rec, "measures", line))
            if (
                not _MEASURE_NAME.match(str(mname))
                or mname in NODE_FIELDS
                or mname in NODE_ATTRIBUTES
                or mname in RESERVED_DISPLAY_NAMES
                or str(mname).endswith(("_qualifier", "_date"))
            ):
                chk.add(
                    mline,
                    label,
                    f"measure name {mname!r} must be lowercase snake_case, not a field or display name, "
                    "and not end in _qualifier or _date",
                )
                continue
            entries = m if isinstance(m, list) else [m]
            seen_dates: set[str] = set()
            for entry in entries:
                eline = getattr(entry, "line", mline)
                if not isinstance(entry, Mapping):
                    chk.add(
                        eline,
                        label,
                        f"measure {mname!r} must be a mapping {{value, qualifier, date, cite}} or a list of them, "
                        f"got {_short(entry)}",
                    )
                    continue
                chk.fields(entry, MEASURE_FIELDS, f"{label} measure {mname!r}", eline)
                val: Any = entry.get("value")
                if isinstance(val, str):
                    with contextlib.suppress(ValueError):
                        val = int(val) if re.fullmatch(r"-?\d+", val.strip()) else float(val)
                if (
                    isinstance(val, bool)
                    or not isinstance(val, (int, float))
                    or (isinstance(val, float) and not math.isfinite(val))
                ):
                    chk.add(
                        _line(entry, "value", eline),
                        label,
                        f"measure {mname!r}: value must be a number, got {_short(entry.get('value'))}",
                    )
                    continue
                mdate = chk.date(entry, "date", label, eline)
                if mdate in seen_dates:
                    chk.add(eline, label, f"measure {mname!r} has two figures for {mdate or 'no date'}")
                seen_dates.add(mdate)
                mcites = chk.cites(entry.get("cite"), label, _line(entry, "cite", eline), sources, fact=str(mname))
                measures.append(Measure(str(mname), val, chk.text(entry, "qualifier", label, eline), mdate, mcites))
        head_title = chk.text(rec, "head_title", label, line)
        city = state = ""
        loc = rec.get("location")
        if loc is not None:
            lline = _line(rec, "location", line)
            if not isinstance(loc, Mapping):
                chk.add(lline, label, f"location must be a mapping {{city, state}}, got {_short(loc)}")
            else:
                chk.fields(loc, LOCATION_FIELDS, label, lline)
                city = chk.text(loc, "city", label, lline)
                state = chk.text(loc, "state", label, lline)
                if state and state not in STATE_CODES:
                    chk.add(lline, label, unknown("state code", state, sorted(STATE_CODES)))
                    state = ""
        area: list[str] = []
        aor = rec.get("area_of_responsibility")
        if aor is not None:
            aline = _line(rec, "area_of_responsibility", line)
            if isinstance(aor, str):
                aor = [aor]
            if not isinstance(aor, list):
                chk.add(aline, label, f"area_of_responsibility must be a list of state codes, got {_short(aor)}")
                aor = []
            for code in aor:
                if not isinstance(code, str) or code not in STATE_CODES:
                    chk.add(
                        aline,
                        label,
                        unknown("state code", str(code), sorted(STATE_CODES))
                        if isinstance(code, str)
                        else f"area_of_responsibility entries must be state codes, got {_short(code)}",
                    )
                elif code not in area:
                    area.append(code)
        valid_from, valid_until = chk.interval(rec, label, line)
        dates_cites: list[Cite] = []
        if valid_from or valid_until:
            dates_cites = chk.cites(
                rec.get("dates_cite"), label, _line(rec, "from", line), sources, fact="dates", key="dates_cite"
            )
        elif rec.get("dates_cite") is not None:
            chk.add(_line(rec, "dates_cite", line), label, "dates_cite is given but neither 'from' nor 'until' is")
        if nid:
            node_lines[nid] = line
            intervals[nid] = (valid_from or None, valid_until or None)
        if nid and kind and name:
            nodes.append(
                Node(
                    id=nid,
                    kind=kind,
                    name=" ".join(name.split()) if "\n" not in name else name,
                    abbreviation=chk.text(rec, "abbreviation", label, line),
                    other_names=[o for o in other if o.strip()],
                    description=chk.text(rec, "description", label, line),
                    note=chk.text(rec, "note", label, line),
                    head_title=head_title,
                    city=city,
                    state=state,
                    area_of_responsibility=area,
                    measures=measures,
                    cites=cites,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    dates_cites=dates_cites,
                    dated_names=dated_names,
                )
            )
        if rec.get("parent") not in (None, ""):
            # The has_unit edge shares the node's own citations unless parent_cite is given.
            own = [c for c in cites if not c.fact]
            pcites = rec.get("parent_cite") if rec.get("parent_cite") is not None else own
            parents.append(
                (nid, rec.get("parent"), _line(rec, "parent", line), pcites, rec.get("parent_cite") is None, rec)
            )
        elif rec.get("parent_cite") is not None:
            chk.add(_line(rec, "parent_cite", line), label, "parent_cite is given but parent is not")

    kinds = {n.id: n.kind for n in nodes}

    # -- relations -------------------------------------------------------------
    edges: dict[tuple[str, str], Edge] = {}
    edge_lines: dict[tuple[str, str], int] = {}
    superiors: dict[str, list[tuple[str, int, tuple[str | None, str | None]]]] = {}

    def ref(value: Any, label: str, line: int, what: str) -> str:
        if not isinstance(value, str) or not value:
            chk.add(line, label, f"{what} must be an id, got {_short(value)}")
            return ""
        if value not in node_lines:
            chk.add(line, label, f"{what} {value!r} is not the id of any node" + _did_you_mean(value, node_lines))
            return ""
        return value

    def add_edge(
        unit: str,
        target: str,
        relation: str,
        line: int,
        label: str,
        cites: list[Cite],
        note: str,
        span: tuple[str, str] = ("", ""),
        explicit: bool = True,
    ) -> None:
        spec = RELATIONS[relation]
        for end, want, what in ((unit, spec.source_category, "unit"), (target, spec.target_category, "target")):
            if end in kinds and KINDS[kinds[end]] != want:
                chk.add(line, label, f"{relation} needs a {want} as its {what}, but {end!r} is a {kinds[end]}")
                return
        # A relation never outlives either end.
        for end in (unit, target):
            n_from, n_until = intervals.get(end, (None, None))
            r_from, r_until = span
            if (r_from and n_from and day(r_from) < day(n_from)) or (
                r_until and n_until and day(r_until) > day(n_until)
            ):
                chk.add(
                    line,
                    label,
                    f"the relation ({r_from or '...'} to {r_until or '...'}) outlives {end!r} "
                    f"({n_from or '...'} to {n_until or '...'})",
                )
                return
        if relation == "has_unit":
            superiors.setdefault(target, [])
            own = (span[0] or None, span[1] or None) if explicit else intervals.get(target, (None, None))
            if unit not in [s for s, _, _ in superiors[target]]:
                superiors[target].append((unit, line, own))
        key = (unit, target)
        if key in edges:
            if edges[key].relation != relation:
                chk.add(
                    line,
                    label,
                    f"{unit!r} -> {target!r} already has relation {edges[key].relation!r} "
                    f"(line {edge_lines[key]}); one relation per pair",
                )
            elif relation != "has_unit":
                chk.add(line, label, f"duplicate relation (first on line {edge_lines[key]})")
            return
        edges[key] = Edge(unit, target, relation, note, cites, span[0], span[1])
        edge_lines[key] = line

    # Explicit has_unit relations first, so that their citations win over a parent field's.
    rel_records = _records(doc, "relations", chk)
    rel_records.sort(key=lambda r: r.get("relation") != "has_unit")
    for rec in rel_records:
        chk.at(rec)
        line = getattr(rec, "line", 0)
        relation = rec.get("relation")
        label = f"relation {rec.get('unit')!r} {relation} {rec.get('target')!r}"
        chk.fields(rec, RELATION_FIELDS, label, line)
        if isinstance(relation, str) and relation not in RELATIONS:
            chk.add(
                _line(rec, "relation", line),
                label,
                unknown("relation", relation, RELATIONS),
            )
            continue
        if not isinstance(relation, str):
            continue
        unit = ref(rec.get("unit"), label, _line(rec, "unit", line), "unit")
        target = ref(rec.get("target"), label, _line(rec, "target", line), "target")
        cites = chk.cites(rec.get("cite"), label, _line(rec, "cite", line), sources)
        span = chk.interval(rec, label, line)
        if unit and target:
            add_edge(unit, target, relation, line, label, cites, chk.text(rec, "note", label, line), span)

    for child, parent, line, pcites, inherited, prec in parents:
        chk.at(prec)
        label = f"unit {child!r}" if child else "node"
        if isinstance(parent, list):
            if len(parent) > 1:
                chk.add(
                    line,
                    label,
                    f"a unit has one superior, but parent lists {len(parent)}: {', '.join(map(str, parent))}",
                )
                continue
            parent = parent[0] if parent else None
        if child and kinds.get(child) and KINDS[kinds[child]] != "unit":
            chk.add(
                line,
                label,
                f"only units have a parent; {child!r} is a {kinds[child]} (link it with a relation instead)",
            )
            continue
        p = ref(parent, label, line, "parent")
        if child and p:
            if p == child:
                chk.add(line, label, "a unit cannot be its own parent")
                continue
            # Inherited citations were already checked (and reported) as the node's own.
            cites = pcites if inherited else chk.cites(pcites, label, line, sources, key="parent_cite")
            add_edge(p, child, "has_unit", line, label, cites, "", explicit=False)

    chk.at(None)
    # The hierarchy is a tree at every date: superiors of one unit never overlap in time.
    for child, sups in superiors.items():
        clash = [(a, b) for i, a in enumerate(sups) for b in sups[i + 1 :] if overlaps(a[2], b[2])]
        if clash:
            involved = list(dict.fromkeys(x for pair in clash for x in pair))
            chk.add(
                involved[-1][1],
                f"unit {child!r}",
                "a unit has one superior at a time, but it has "
                f"{len(involved)}: " + ", ".join(f"{s!r} (line {ln})" for s, ln, _ in involved),
            )

    events: list[Event] = []
    for rec in _records(doc, "events", chk):
        chk.at(rec)
        line = getattr(rec, "line", 0)
        label = f"event {rec.get('type')!r} of {rec.get('unit')!r}"
        chk.fields(rec, EVENT_FIELDS, label, line)
        etype = rec.get("type")
        if isinstance(etype, str) and etype not in EVENT_TYPES:
            chk.add(
                _line(rec, "type", line),
                label,
                unknown("event type", etype, EVENT_TYPES),
            )
            continue
        date = chk.date(rec, "date", label, line)
        unit = ref(rec.get("unit"), label, _line(rec, "unit", line), "unit")
        from_units = rec.get("from_units") or []
        if not isinstance(from_units, list):
            chk.add(
                _line(rec, "from_units", line), label, f"from_units must be a list of ids, got {_short(from_units)}"
            )
            from_units = []
        from_units = [
            u for u in (ref(u, label, _line(rec, "from_units", line), "from_units entry") for u in from_units) if u
        ]
        alts: list[tuple[str, list[Cite]]] = []
        for alt in rec.get("alt_dates") or []:
            aline = getattr(alt, "line", line)
            if not isinstance(alt, Mapping):
                chk.add(aline, label, f"alt_dates entries must be {{date, cite}}, got {_short(alt)}")
                continue
            chk.fields(alt, {"date": (True, "date", ""), "cite": (True, "cites", "")}, label, aline)
            adate = chk.date(alt, "date", label, aline)
            acites = chk.cites(alt.get("cite"), label, _line(alt, "cite", aline), sources, fact="alt_date")
            if adate:
                alts.append((adate, acites))
        cites = chk.cites(rec.get("cite"), label, _line(rec, "cite", line), sources)
        if date and unit and isinstance(etype, str):
            events.append(
                Event(
                    date,
                    etype,
                    unit,
                    chk.text(rec, "before", label, line),
                    chk.text(rec, "after", label, line),
                    from_units,
                    alts,
                    chk.text(rec, "note", label, line),
                    cites,
                )
            )

    tree = nx.DiGraph((e.unit, e.target) for e in edges.values() if e.relation == "has_unit")
    for cycle in nx.simple_cycles(tree):
        first = min(cycle)
        i = cycle.index(first)
        cyc = cycle[i:] + cycle[:i]
        chk.add(node_lines.get(first, 0), f"unit {first!r}", "the hierarchy has a cycle: " + " -> ".join([*cyc, first]))
        if len(chk.problems) > 1000:
            break

    if chk.problems:
        raise DataError(chk.problems)
    events.sort(key=lambda e: day(e.date))
    return Dataset(meta=meta, sources=sources, nodes=nodes, edges=list(edges.values()), events=events)
