"""The typed records every other module works with.

A data file is read into a *document* (plain :class:`Record` mappings that
remember their line), checked by :mod:`ice_graph.validate` into a
:class:`Dataset` of the records below, and turned into a graph by
:mod:`ice_graph.codec`, which is the only module that flattens these records
into graph attributes or reads them back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Record", "Cite", "DatedName", "Measure", "Node", "Edge", "Event", "Dataset", "NodeFact", "EdgeFact"]


class Record(dict[str, Any]):
    """A mapping read from a data file, with the line it starts on."""

    line: int = 0
    file: str = ""
    key_lines: dict[str, int]

    def __init__(self, *args: Any, line: int = 0, file: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = line
        self.file = file
        self.key_lines = {}

    @classmethod
    def of(cls, items: Iterable[tuple[str, Any]], line: int, file: str) -> Record:
        """``Record(items, line=line, file=file)`` without ``__init__``'s call through ``*args`` and
        ``**kwargs``, a third of making a record: a CSV reader makes one per row."""
        record = dict.__new__(cls)
        dict.update(record, items)
        record.line, record.file, record.key_lines = line, file, {}
        return record

    def line_of(self, key: str) -> int:
        """The line of ``key`` if known, else the record's own line."""
        return self.key_lines.get(key, self.line)


def _dated_and_cited(d: dict[str, object], valid_from: str, valid_until: str, cites: list[Cite]) -> dict[str, object]:
    """``d`` with the dates (``from``, ``until``) and the citations, as a data file writes them."""
    if valid_from:
        d["from"] = valid_from
    if valid_until:
        d["until"] = valid_until
    d["cite"] = [c.plain() for c in cites]
    return d


@dataclass(frozen=True)
class Cite:
    """A citation: a registered source and the words in it that support a fact.

    ``fact`` says which fact of a record the citation supports when it is not the
    record itself: ``"dates"``, a measure's name, ``"name <other name>"``.
    """

    source: str
    quote: str
    fact: str = ""

    def as_dict(self) -> dict[str, str]:
        d = {"source": self.source, "quote": self.quote}
        if self.fact:
            d["fact"] = self.fact
        return d

    def plain(self) -> dict[str, str]:
        """The citation as a data file writes it: ``{source, quote}``."""
        return {"source": self.source, "quote": self.quote}


def _cites(value: Any, fact: str = "") -> list[Cite]:
    return [Cite(c["source"], c["quote"], c.get("fact", fact)) for c in value or []]


@dataclass
class DatedName:
    """Another name of a node, with the period it applied."""

    name: str
    abbreviation: str = ""
    valid_from: str = ""
    valid_until: str = ""
    cites: list[Cite] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"name": self.name}
        if self.abbreviation:
            d["abbreviation"] = self.abbreviation
        return _dated_and_cited(d, self.valid_from, self.valid_until, self.cites)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DatedName:
        return cls(d["name"], d.get("abbreviation", ""), d.get("from", ""), d.get("until", ""), _cites(d.get("cite")))


@dataclass
class Measure:
    """A size or count of a node (``employees``), with the date it describes when known."""

    name: str
    value: int | float
    qualifier: str = ""
    date: str = ""
    cites: list[Cite] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"name": self.name, "value": self.value}
        if self.qualifier:
            d["qualifier"] = self.qualifier
        if self.date:
            d["date"] = self.date
        d["cite"] = [c.plain() for c in self.cites]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Measure:
        return cls(d["name"], d["value"], d.get("qualifier", ""), d.get("date", ""), _cites(d.get("cite"), d["name"]))


@dataclass
class Event:
    """A reorganization: a unit created, renamed, merged, split, transferred or abolished."""

    date: str
    type: str
    unit: str
    before: str = ""
    after: str = ""
    from_units: list[str] = field(default_factory=list)
    alt_dates: list[tuple[str, list[Cite]]] = field(default_factory=list)
    note: str = ""
    cites: list[Cite] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"date": self.date, "type": self.type, "unit": self.unit}
        for k in ("before", "after"):
            if getattr(self, k):
                d[k] = getattr(self, k)
        if self.from_units:
            d["from_units"] = list(self.from_units)
        if self.alt_dates:
            d["alt_dates"] = [{"date": a, "cite": [c.plain() for c in cs]} for a, cs in self.alt_dates]
        if self.note:
            d["note"] = self.note
        d["cite"] = [c.as_dict() for c in self.cites]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        return cls(
            d["date"],
            d["type"],
            d["unit"],
            d.get("before", ""),
            d.get("after", ""),
            list(d.get("from_units", [])),
            [(a["date"], _cites(a.get("cite"), "alt_date")) for a in d.get("alt_dates", [])],
            d.get("note", ""),
            _cites(d.get("cite")),
        )


@dataclass(slots=True)
class Node:
    """A unit, program, mission area or partner, with every fact about it and its sources.

    Slotted: a file of 10^5 units makes 10^5 of them, a quarter faster to make and smaller.
    """

    id: str
    kind: str
    name: str
    abbreviation: str = ""
    other_names: list[str] = field(default_factory=list)
    description: str = ""
    note: str = ""
    head_title: str = ""
    city: str = ""
    state: str = ""
    area_of_responsibility: list[str] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    cites: list[Cite] = field(default_factory=list)
    valid_from: str = ""
    valid_until: str = ""
    dates_cites: list[Cite] = field(default_factory=list)
    dated_names: list[DatedName] = field(default_factory=list)
    #: USPS code -> county names, for the states of ``area_of_responsibility`` covered only in part
    #: (last: the validator's quick path makes the usual node from its fields by position)
    counties: dict[str, list[str]] = field(default_factory=dict)


@dataclass(slots=True)
class Edge:
    """A relation from ``unit`` to ``target`` (``has_unit`` runs superior to subordinate); slotted as :class:`Node`."""

    unit: str
    target: str
    relation: str
    note: str = ""
    cites: list[Cite] = field(default_factory=list)
    valid_from: str = ""
    valid_until: str = ""

    def as_dict(self) -> dict[str, object]:
        """The relation as a data file writes it (``relations`` entry)."""
        d: dict[str, object] = {"unit": self.unit, "relation": self.relation, "target": self.target}
        if self.note:
            d["note"] = self.note
        return _dated_and_cited(d, self.valid_from, self.valid_until, self.cites)


@dataclass
class Dataset:
    """A checked document: what :func:`ice_graph.codec.build_graph` turns into a graph."""

    meta: dict[str, str]
    sources: dict[str, dict[str, str]]
    nodes: list[Node]
    edges: list[Edge]
    events: list[Event] = field(default_factory=list)


#: Former names, kept for code written against 0.1.
NodeFact = Node
EdgeFact = Edge
