"""Nodes: units, programs, mission areas and partners, with their names, measures and places."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .. import progress
from ..model import Cite, DatedName, Measure, Node, Record
from ..schema import (
    ID_PATTERN,
    KINDS,
    LOCATION_FIELDS,
    MEASURE_FIELDS,
    NAME_FIELDS,
    NODE_ATTRIBUTES,
    NODE_FIELDS,
    RESERVED_DISPLAY_NAMES,
    STATE_CODES,
    unknown,
)
from ._checker import PROGRESS_STEP, Checker, is_plain_text, line_of, records, short

__all__ = ["ParentLink", "NodeFacts", "check_nodes", "MAX_MEASURE"]

_MEASURE_NAME = re.compile(r"^[a-z][a-z0-9_]*\Z", re.ASCII)
_INTEGER = re.compile(r"[-+]?[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?", re.ASCII)
#: Largest measure value (in size): every integer up to 2**53 is exact in a float and in every graph format.
MAX_MEASURE = 2**53
_MAX_DIGITS = 30


class ParentLink(NamedTuple):
    """A ``parent`` field: the has_unit edge it makes is checked with the relations.

    A named tuple: one is made per unit, and a frozen dataclass costs three times as much to make.
    """

    child: str
    parent: Any
    line: int
    cites: Any
    inherited: bool
    #: The file the field was read from (CSV data has several).
    file: str


@dataclass
class NodeFacts:
    """What the node records give the later rule groups."""

    nodes: list[Node] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    #: The file of each node read from another file than the checker's own (CSV data).
    files: dict[str, str] = field(default_factory=dict)
    #: (from, until) of each node that has either: ``.get(id, (None, None))`` for any node.
    intervals: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    parents: list[ParentLink] = field(default_factory=list)

    @property
    def kinds(self) -> dict[str, str]:
        return {n.id: n.kind for n in self.nodes}


def check_nodes(doc: Mapping[str, Any], chk: Checker) -> NodeFacts:
    """Every node record checked; the valid ones become :class:`Node` records."""
    facts = NodeFacts()
    for i, rec in enumerate(records(doc, "nodes", chk), 1):
        chk.current = getattr(rec, "file", "") or chk.file  # chk.at(rec), without a call per record
        if not _plain_node(rec, chk, facts):
            _check_node(rec, chk, facts)
        if not i % PROGRESS_STEP:
            progress.step(PROGRESS_STEP)
    return facts


#: The fields of the usual node record, which :func:`_plain_node` checks in one pass.
_PLAIN_FIELDS = frozenset({"id", "kind", "name", "abbreviation", "parent", "description", "note", "head_title", "cite"})


def _plain_node(rec: Mapping[str, Any], chk: Checker, facts: NodeFacts) -> bool:
    """Check and record the usual node: only plain text, a known kind, citations already found good.

    Most records of a big file are such: one pass over the fields they have replaces a
    dozen checks that each look for a field they lack (a fifth of checking the nodes of
    10^4 units). False, with nothing recorded or reported, for any other record: the
    full checks of :func:`_check_node` then say what is wrong.
    """
    if not _PLAIN_FIELDS.issuperset(rec):  # (twice as quick as rec.keys() <= ...)
        return False
    get = rec.get
    nid, kind, name = get("id"), get("kind"), get("name")
    if not (
        type(nid) is str
        and ID_PATTERN.match(nid)
        and nid not in facts.lines
        and type(kind) is str
        and kind in KINDS
        and name
        and is_plain_text(name)
    ):
        return False
    abbreviation, description, note, head_title = (
        get("abbreviation"),
        get("description"),
        get("note"),
        get("head_title"),
    )
    for value in (abbreviation, description, note, head_title):
        if value is not None and not is_plain_text(value):
            return False
    cites = chk.known_cites(get("cite"))
    if cites is None:
        return False
    line = getattr(rec, "line", 0)
    facts.lines[nid] = line
    if chk.current != chk.file:
        facts.files[nid] = chk.current
    # Node's fields by position (id, kind, name, abbreviation, other_names, description, note,
    # head_title, city, state, area_of_responsibility, measures, cites): half the cost of keywords.
    facts.nodes.append(
        Node(
            nid,
            kind,
            " ".join(name.split()),
            abbreviation or "",
            [],
            description or "",
            note or "",
            head_title or "",
            "",
            "",
            [],
            [],
            cites,
        )
    )
    parent = get("parent")
    if parent not in (None, ""):
        # The has_unit edge cites what the node cites (a plain record has no parent_cite).
        # (line_of(rec, "parent", line), without two calls)
        pline = rec.key_lines.get("parent", line) if isinstance(rec, Record) else line
        facts.parents.append(ParentLink(nid, parent, pline, list(cites), True, chk.current))
    return True


def _check_node(rec: Mapping[str, Any], chk: Checker, facts: NodeFacts) -> None:
    line = getattr(rec, "line", 0)
    nid = rec.get("id")
    kind = rec.get("kind")
    category = KINDS.get(kind) if isinstance(kind, str) else None
    label = f"{category or 'node'} {nid!r}" if nid else "node"
    chk.fields(rec, NODE_FIELDS, label, line)
    nid = chk.slug_at(rec, "id", label, line) if nid is not None else ""
    if nid in facts.lines:
        chk.add(
            line_of(rec, "id", line), label, f"duplicate id {nid!r} (first defined on {chk.place(facts.lines[nid])})"
        )
        nid = ""
    kind = _kind(rec, label, line, chk)
    name = chk.text(rec, "name", label, line)
    other, dated_names = _other_names(rec, label, line, chk)
    cites = chk.cites_at(rec, "cite", label, line)
    measures = _measures(rec, label, line, chk)
    city, state = _location(rec, label, line, chk)
    area = _area(rec, label, line, chk)
    counties = _counties(rec, area, label, line, chk) if "counties" in rec else {}
    valid_from, valid_until, dates_cites = _dates(rec, label, line, chk)
    if nid:
        facts.lines[nid] = line
        if chk.current != chk.file:
            facts.files[nid] = chk.current
        if valid_from or valid_until:
            facts.intervals[nid] = (valid_from or None, valid_until or None)
    if nid and kind and name:
        facts.nodes.append(
            Node(
                id=nid,
                kind=kind,
                name=" ".join(name.split()),
                abbreviation=chk.text(rec, "abbreviation", label, line),
                other_names=other,
                description=chk.text(rec, "description", label, line),
                note=chk.text(rec, "note", label, line),
                head_title=chk.text(rec, "head_title", label, line),
                city=city,
                state=state,
                area_of_responsibility=area,
                counties=counties,
                measures=measures,
                cites=cites,
                valid_from=valid_from,
                valid_until=valid_until,
                dates_cites=dates_cites,
                dated_names=dated_names,
            )
        )
    _parent(rec, nid, label, line, cites, chk, facts)


def _kind(rec: Mapping[str, Any], label: str, line: int, chk: Checker) -> str:
    kind = rec.get("kind")
    if isinstance(kind, str) and kind not in KINDS:
        chk.add(line_of(rec, "kind", line), label, unknown("kind", kind, KINDS))
        return ""
    if kind is not None and not isinstance(kind, str):
        chk.add(line_of(rec, "kind", line), label, f"kind must be text, got {short(kind)}")
        return ""
    return kind or ""


def _other_names(rec: Mapping[str, Any], label: str, line: int, chk: Checker) -> tuple[list[str], list[DatedName]]:
    """Other names: text, or ``{name, abbreviation, from, until, cite}`` for a dated one."""
    other = rec.get("other_names") or []
    if not other:
        return [], []
    if isinstance(other, str):
        other = [other]
    oline = line_of(rec, "other_names", line)
    if not isinstance(other, list) or not all(isinstance(o, (str, Mapping)) for o in other):
        chk.add(oline, label, f"other_names must be a list of text, got {short(other)}")
        return [], []
    plain: list[str] = []
    dated: list[DatedName] = []
    for o in other:
        if isinstance(o, str):
            text = chk.text({"other_names": o}, "other_names", label, oline)
            if text:
                plain.append(text)
            continue
        entry = _dated_name(o, label, getattr(o, "line", oline), chk)
        if entry:
            plain.append(entry.name)
            dated.append(entry)
    return plain, dated


def _dated_name(o: Mapping[str, Any], label: str, line: int, chk: Checker) -> DatedName | None:
    chk.fields(o, NAME_FIELDS, label, line)
    name = chk.text(o, "name", label, line)
    start, end = chk.interval(o, label, line)
    cites = chk.cites_at(o, "cite", label, line, fact=f"name {name}")
    return DatedName(name, chk.text(o, "abbreviation", label, line), start, end, cites) if name else None


def _measures(rec: Mapping[str, Any], label: str, line: int, chk: Checker) -> list[Measure]:
    value = rec.get("measures") or {}
    if not value:
        return []
    if not isinstance(value, Mapping):
        chk.add(
            line_of(rec, "measures", line),
            label,
            f"measures must be a mapping name -> {{value, qualifier, date, cite}}, got {short(value)}",
        )
        return []
    out: list[Measure] = []
    for name, m in value.items():
        mline = getattr(m, "line", line_of(rec, "measures", line))
        if not _good_measure_name(name):
            chk.add(
                line_of(value, str(name), mline),
                label,
                f"measure name {name!r} must be lowercase snake_case, not a field or display name, "
                "and not end in _qualifier or _date",
            )
            continue
        seen_dates: set[str] = set()
        for entry in m if isinstance(m, list) else [m]:
            measure = _measure(str(name), entry, label, getattr(entry, "line", mline), chk)
            if measure is None:
                continue
            if measure.date in seen_dates:
                chk.add(
                    getattr(entry, "line", mline),
                    label,
                    f"measure {name!r} has two figures for {measure.date or 'no date'}",
                )
            seen_dates.add(measure.date)
            out.append(measure)
    return out


def _good_measure_name(name: Any) -> bool:
    text = str(name)
    return bool(
        _MEASURE_NAME.match(text)
        and text not in NODE_FIELDS
        and text not in NODE_ATTRIBUTES
        and text not in RESERVED_DISPLAY_NAMES
        and not text.endswith(("_qualifier", "_date"))
    )


def _measure(name: str, entry: Any, label: str, line: int, chk: Checker) -> Measure | None:
    if not isinstance(entry, Mapping):
        chk.add(
            line,
            label,
            f"measure {name!r} must be a mapping {{value, qualifier, date, cite}} or a list of them, "
            f"got {short(entry)}",
        )
        return None
    chk.fields(entry, MEASURE_FIELDS, f"{label} measure {name!r}", line)
    value, why = _number(entry.get("value"))
    if value is None:
        chk.add(
            line_of(entry, "value", line),
            label,
            f"measure {name!r}: value must be {why}, got {short(entry.get('value'))}",
        )
        return None
    date = chk.date(entry, "date", label, line)
    cites = chk.cites_at(entry, "cite", label, line, fact=name)
    return Measure(name, value, chk.text(entry, "qualifier", label, line), date, cites)


def _number(raw: Any) -> tuple[int | float | None, str]:
    """A measure's value as a number, or None and what was expected instead."""
    value = raw
    if isinstance(raw, str):
        text = raw.strip()
        if len(text) > _MAX_DIGITS:
            return None, f"a number of at most {_MAX_DIGITS} characters"
        if _INTEGER.fullmatch(text):
            value = int(text)
        elif _DECIMAL.fullmatch(text):
            value = float(text)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None, "a number"
    if isinstance(value, float) and not math.isfinite(value):
        return None, "a number"
    if abs(value) > MAX_MEASURE:
        return None, f"a number between -2**53 and 2**53 ({MAX_MEASURE:,})"
    return value, ""


def _location(rec: Mapping[str, Any], label: str, line: int, chk: Checker) -> tuple[str, str]:
    loc = rec.get("location")
    if loc is None:
        return "", ""
    lline = line_of(rec, "location", line)
    if not isinstance(loc, Mapping):
        chk.add(lline, label, f"location must be a mapping {{city, state}}, got {short(loc)}")
        return "", ""
    chk.fields(loc, LOCATION_FIELDS, label, lline)
    city = chk.text(loc, "city", label, lline)
    state = chk.text(loc, "state", label, lline)
    if state and state not in STATE_CODES:
        chk.add(lline, label, unknown("state code", state, sorted(STATE_CODES)))
        state = ""
    return city, state


def _area(rec: Mapping[str, Any], label: str, line: int, chk: Checker) -> list[str]:
    aor = rec.get("area_of_responsibility")
    if aor is None:
        return []
    aline = line_of(rec, "area_of_responsibility", line)
    if isinstance(aor, str):
        aor = [aor]
    if not isinstance(aor, list):
        chk.add(aline, label, f"area_of_responsibility must be a list of state codes, got {short(aor)}")
        return []
    area: list[str] = []
    for code in aor:
        if not isinstance(code, str):
            chk.add(aline, label, f"area_of_responsibility entries must be state codes, got {short(code)}")
        elif code not in STATE_CODES:
            chk.add(aline, label, unknown("state code", code, sorted(STATE_CODES)))
        elif code not in area:
            area.append(code)
    return area


def _counties(rec: Mapping[str, Any], area: list[str], label: str, line: int, chk: Checker) -> dict[str, list[str]]:
    """``counties``: for a state of the area covered only in part, its counties (names, each once)."""
    value = rec.get("counties")
    cline = line_of(rec, "counties", line)
    if not isinstance(value, Mapping):
        chk.add(cline, label, f"counties must be a mapping of state code to county names, got {short(value)}")
        return {}
    out: dict[str, list[str]] = {}
    for code, names in value.items():
        if not isinstance(code, str) or code not in STATE_CODES:
            chk.add(cline, label, unknown("state code", str(code), sorted(STATE_CODES)))
            continue
        if code not in area:
            chk.add(
                cline,
                label,
                f"counties of {code} given, but {code} is not in area_of_responsibility; add it there "
                "(counties list the part of a state the unit covers)",
            )
            continue
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not names:
            chk.add(cline, label, f"counties of {code} must be a list of county names, got {short(names)}")
            continue
        kept: list[str] = []
        for name in names:
            text = " ".join(name.split()) if isinstance(name, str) else ""
            if not text:
                chk.add(cline, label, f"counties of {code} must be county names (text), got {short(name)}")
            elif text in kept:
                chk.add(cline, label, f"county {text!r} of {code} is listed twice")
            else:
                kept.append(text)
        if kept:
            out[code] = kept
    return out


def _dates(rec: Mapping[str, Any], label: str, line: int, chk: Checker) -> tuple[str, str, list[Cite]]:
    """from, until, and the citations for them (required when either is given)."""
    if rec.get("from") is None and rec.get("until") is None and rec.get("dates_cite") is None:
        return "", "", []  # the usual case: no dates
    valid_from, valid_until = chk.interval(rec, label, line)
    if valid_from or valid_until:
        cites = chk.cites(rec.get("dates_cite"), label, line_of(rec, "from", line), fact="dates", key="dates_cite")
        return valid_from, valid_until, cites
    if rec.get("dates_cite") is not None:
        chk.add(line_of(rec, "dates_cite", line), label, "dates_cite is given but neither 'from' nor 'until' is")
    return valid_from, valid_until, []


def _parent(
    rec: Mapping[str, Any], nid: str, label: str, line: int, cites: list[Cite], chk: Checker, facts: NodeFacts
) -> None:
    """Remember a ``parent`` field; its has_unit edge shares the node's own citations unless parent_cite is given."""
    if rec.get("parent") not in (None, ""):
        facts.parents.append(_parent_link(rec, nid, line, cites, chk.current))
    elif rec.get("parent_cite") is not None:
        chk.add(line_of(rec, "parent_cite", line), label, "parent_cite is given but parent is not")


def _parent_link(rec: Mapping[str, Any], nid: str, line: int, cites: list[Cite], file: str) -> ParentLink:
    own = [c for c in cites if not c.fact]
    given = rec.get("parent_cite")
    return ParentLink(
        nid, rec.get("parent"), line_of(rec, "parent", line), own if given is None else given, given is None, file
    )
