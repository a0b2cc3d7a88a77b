"""The vocabularies of the data model, written down once.

Everything that names a kind of node, a relation, a field of a data record, an
attribute of the graph or an output format lives here; the loader, the validator,
the exporters and ``data/README.md`` (checked by a test) all read it from here.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "CATEGORIES",
    "KINDS",
    "UNIT_KINDS",
    "RELATIONS",
    "Relation",
    "NODE_FIELDS",
    "LOCATION_FIELDS",
    "STATE_CODES",
    "STATE_NAMES",
    "NAME_FIELDS",
    "EVENT_FIELDS",
    "EVENT_TYPES",
    "RELATION_FIELDS",
    "SOURCE_FIELDS",
    "CITE_FIELDS",
    "MEASURE_FIELDS",
    "DATASET_FIELDS",
    "NODE_ATTRIBUTES",
    "EDGE_ATTRIBUTES",
    "GRAPH_ATTRIBUTES",
    "RESERVED_DISPLAY_NAMES",
    "LIST_SEPARATOR",
    "ID_PATTERN",
    "category_of",
    "KIND_SYNONYMS",
    "normalize_kind",
    "suggest",
    "unknown",
]

#: Separator of list items in a hand-written CSV cell (``other_names``). Graph
#: attributes never join lists with it: they hold JSON (see :mod:`ice_graph.codec`).
LIST_SEPARATOR = " | "

#: Node ids are lowercase slugs: letters, digits and single hyphens.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")

#: The four categories of node. Units form the hierarchy; the others hang off units.
CATEGORIES = ("unit", "program", "mission_area", "partner")

#: kind -> category. Units are the only nodes that take part in ``has_unit``.
KINDS: dict[str, str] = {
    "department": "unit",
    "agency": "unit",
    "directorate": "unit",
    "office": "unit",
    "division": "unit",
    "section": "unit",
    "center": "unit",
    "field_office": "unit",
    "task_force": "unit",
    "unit": "unit",
    "program": "program",
    "operation": "program",
    "mission_area": "mission_area",
    "partner_agency": "partner",
    "partner_organization": "partner",
}

UNIT_KINDS = tuple(k for k, c in KINDS.items() if c == "unit")

#: What people call our kinds in their own spreadsheets (lowercase, words joined by ``_``).
KIND_SYNONYMS: dict[str, str] = {
    "bureau": "agency",
    "administration": "agency",
    "service": "agency",
    "dept": "department",
    "ministry": "department",
    "council": "unit",
    "board": "unit",
    "commission": "unit",
    "committee": "unit",
    "team": "unit",
    "group": "unit",
    "branch": "section",
    "centre": "center",
    "field_office": "field_office",
    "taskforce": "task_force",
    "programme": "program",
    "partner": "partner_agency",
}


def normalize_kind(raw: str) -> str:
    """A kind as people write it, in our words: ``'Field Office'`` -> ``'field_office'``, ``'Bureau'`` -> ``'agency'``.

    Unknown kinds stay (lowercased, words joined by ``_``): kinds are open for other data.

    >>> normalize_kind("Board"), normalize_kind("Office"), normalize_kind("Water Authority")
    ('unit', 'office', 'water_authority')
    """
    key = "_".join(str(raw).replace("-", " ").casefold().split())
    return KIND_SYNONYMS.get(key, key)


@dataclass(frozen=True)
class Relation:
    name: str
    source_category: str
    target_category: str
    description: str


#: Every edge has one of these relations; edges run from the first to the second.
RELATIONS: dict[str, Relation] = {
    r.name: r
    for r in (
        Relation("has_unit", "unit", "unit", "superior unit -> subordinate unit (the hierarchy)"),
        Relation("runs", "unit", "program", "unit -> program or operation it runs"),
        Relation("responsible_for", "unit", "mission_area", "unit -> mission area it handles"),
        Relation("partners_with", "unit", "partner", "unit -> outside agency it works with"),
        Relation("predecessor_of", "unit", "unit", "former unit -> unit that took over (part of) its work"),
    )
}

# ---------------------------------------------------------------------------
# Fields of the data file (YAML keys, CSV columns). name -> (required, type, meaning)
# ---------------------------------------------------------------------------
FieldSpec = tuple[bool, str, str]

DATASET_FIELDS: dict[str, FieldSpec] = {
    "id": (True, "slug", "short id of the dataset"),
    "title": (True, "str", "title shown on charts and in file metadata"),
    "date": (True, "date", "the date the data describes (YYYY-MM-DD); used as the date of every output"),
    "description": (False, "str", "what the dataset covers"),
    "license": (False, "str", "license of the dataset"),
}

SOURCE_FIELDS: dict[str, FieldSpec] = {
    "id": (True, "slug", "id that citations use"),
    "title": (True, "str", "title of the document or page"),
    "publisher": (False, "str", "who published it; omit when the copy does not say"),
    "url": (False, "url", "http(s) address where known; never guessed"),
    "published": (False, "date", "publication date where known"),
    "accessed": (True, "date", "date the source was read (YYYY-MM-DD)"),
    "note": (False, "str", "anything a reader should know about the source"),
}

CITE_FIELDS: dict[str, FieldSpec] = {
    "source": (True, "ref", "id of a registered source"),
    "quote": (True, "str", "short quote from the source that supports the fact"),
}

MEASURE_FIELDS: dict[str, FieldSpec] = {
    "value": (True, "number", "the number (int or float)"),
    "qualifier": (False, "str", "how the source qualifies it: 'more than', 'about', 'at least' ..."),
    "date": (False, "date", "the date (or year) the figure describes"),
    "cite": (True, "cites", "where the number comes from"),
}

LOCATION_FIELDS: dict[str, FieldSpec] = {
    "city": (False, "str", "the city"),
    "state": (False, "state", "USPS code of the state or territory (TX, PR, DC)"),
}

#: USPS code -> name of every state, district and territory a unit's area may list.
STATE_NAMES: dict[str, str] = dict(
    zip(
        [
            "AL",
            "AK",
            "AZ",
            "AR",
            "CA",
            "CO",
            "CT",
            "DE",
            "DC",
            "FL",
            "GA",
            "HI",
            "ID",
            "IL",
            "IN",
            "IA",
            "KS",
            "KY",
            "LA",
            "ME",
            "MD",
            "MA",
            "MI",
            "MN",
            "MS",
            "MO",
            "MT",
            "NE",
            "NV",
            "NH",
            "NJ",
            "NM",
            "NY",
            "NC",
            "ND",
            "OH",
            "OK",
            "OR",
            "PA",
            "RI",
            "SC",
            "SD",
            "TN",
            "TX",
            "UT",
            "VT",
            "VA",
            "WA",
            "WV",
            "WI",
            "WY",
            "AS",
            "GU",
            "MP",
            "PR",
            "VI",
        ],
        [
            "Alabama",
            "Alaska",
            "Arizona",
            "Arkansas",
            "California",
            "Colorado",
            "Connecticut",
            "Delaware",
            "District of Columbia",
            "Florida",
            "Georgia",
            "Hawaii",
            "Idaho",
            "Illinois",
            "Indiana",
            "Iowa",
            "Kansas",
            "Kentucky",
            "Louisiana",
            "Maine",
            "Maryland",
            "Massachusetts",
            "Michigan",
            "Minnesota",
            "Mississippi",
            "Missouri",
            "Montana",
            "Nebraska",
            "Nevada",
            "New Hampshire",
            "New Jersey",
            "New Mexico",
            "New York",
            "North Carolina",
            "North Dakota",
            "Ohio",
            "Oklahoma",
            "Oregon",
            "Pennsylvania",
            "Rhode Island",
            "South Carolina",
            "South Dakota",
            "Tennessee",
            "Texas",
            "Utah",
            "Vermont",
            "Virginia",
            "Washington",
            "West Virginia",
            "Wisconsin",
            "Wyoming",
            "American Samoa",
            "Guam",
            "Northern Mariana Islands",
            "Puerto Rico",
            "U.S. Virgin Islands",
        ],
        strict=True,
    )
)

#: USPS codes of the states, the District of Columbia and the territories.
STATE_CODES = frozenset(STATE_NAMES)
_STATE_BY_NAME = {" ".join(v.casefold().replace(".", "").split()): k for k, v in STATE_NAMES.items()}


def find_state(text: str) -> str | None:
    """The USPS code of a state given by code or name in any case (``"tx"``, ``"Texas"`` -> ``"TX"``), or None."""
    words = " ".join(str(text).replace(".", "").split())
    if words.upper() in STATE_CODES:
        return words.upper()
    return _STATE_BY_NAME.get(words.casefold())


NODE_FIELDS: dict[str, FieldSpec] = {
    "id": (True, "slug", "stable id, lowercase letters, digits and hyphens"),
    "kind": (True, "kind", "one of the kinds below"),
    "name": (True, "str", "display name"),
    "abbreviation": (False, "str", "official abbreviation (HSI)"),
    "other_names": (False, "strs", "other names and spellings, including the source's own"),
    "parent": (False, "ref", "the superior unit (units only); makes a has_unit edge"),
    "description": (False, "str", "one or two sentences"),
    "note": (False, "str", "ambiguities and caveats"),
    "head_title": (False, "str", "the position that leads the unit ('Executive Associate Director'), where sourced"),
    "location": (False, "location", "where the unit sits: {city, state} (state as a USPS code: TX, PR, DC)"),
    "area_of_responsibility": (False, "states", "USPS codes of the states and territories the unit covers"),
    "counties": (
        False,
        "counties",
        "for each state of area_of_responsibility the unit covers only in part, its counties: {TX: [Harris, ...]}",
    ),
    "measures": (
        False,
        "measures",
        "sizes and counts: name -> {value, qualifier, date, cite}, or a list of them for several dates",
    ),
    "from": (False, "date", "first day the node belongs to the organization (YYYY, YYYY-MM or YYYY-MM-DD)"),
    "until": (False, "date", "first day it no longer does (exclusive)"),
    "dates_cite": (False, "cites", "sources for from and until (required when either is given)"),
    "cite": (True, "cites", "sources for the node (and its has_unit edge, unless parent_cite is given)"),
    "parent_cite": (False, "cites", "sources for the has_unit edge when they differ from cite"),
}

RELATION_FIELDS: dict[str, FieldSpec] = {
    "unit": (True, "ref", "the unit the relation starts from"),
    "relation": (True, "relation", "runs, responsible_for or partners_with"),
    "target": (True, "ref", "the program, mission area or partner"),
    "note": (False, "str", "ambiguities and caveats"),
    "from": (False, "date", "first day the relation holds"),
    "until": (False, "date", "first day it no longer holds (exclusive)"),
    "cite": (True, "cites", "sources for the relation (and its dates)"),
}

#: A dated other name: ``other_names`` entries may be text or these mappings.
NAME_FIELDS: dict[str, FieldSpec] = {
    "name": (True, "str", "the other name"),
    "abbreviation": (False, "str", "its abbreviation"),
    "from": (False, "date", "first day the name applied"),
    "until": (False, "date", "first day it no longer applied (exclusive)"),
    "cite": (True, "cites", "sources for the name and its dates"),
}

#: Reorganization events (after the W3C Organization Ontology's ChangeEvent).
EVENT_TYPES = ("created", "renamed", "merged_into", "split_from", "transferred", "abolished")

EVENT_FIELDS: dict[str, FieldSpec] = {
    "date": (True, "date", "when it happened"),
    "type": (True, "event_type", "created, renamed, merged_into, split_from, transferred or abolished"),
    "unit": (True, "ref", "the unit the event is about"),
    "before": (False, "str", "the name (renamed), superior (transferred) or unit split from, before"),
    "after": (False, "str", "the name, superior or unit merged into, after"),
    "from_units": (False, "refs", "predecessor units (created)"),
    "alt_dates": (False, "alt_dates", "other dates that other sources give: [{date, cite}]"),
    "note": (False, "str", "caveats, disagreements between sources"),
    "cite": (True, "cites", "sources for the event"),
}

# ---------------------------------------------------------------------------
# Attributes of the graph built by ice_graph.load(): all flat scalars.
# ---------------------------------------------------------------------------
NODE_ATTRIBUTES: dict[str, tuple[str, str]] = {
    "name": ("str", "display name (always present)"),
    "kind": ("str", "kind of node (always present)"),
    "category": ("str", "unit, program, mission_area or partner, from the kind (always present)"),
    "abbreviation": ("str", "present when the data gives one"),
    "other_names": ("str", "JSON list of the other names"),
    "description": ("str", "present when the data gives one"),
    "note": ("str", "present when the data gives one"),
    "head_title": ("str", "the position that leads the unit, when sourced"),
    "city": ("str", "the city the unit sits in, when given"),
    "state": ("str", "USPS code of the state or territory it sits in, when given"),
    "area_of_responsibility": ("str", "JSON list of the USPS codes the unit covers, when given"),
    "counties": ("str", "JSON object: USPS code -> county names, for each state the unit covers only in part"),
    "sources": ("str", "JSON list of the ids of the sources cited for the node"),
    "citations": ("str", "JSON list of {source, quote, fact} records: the full citations"),
    "measures": ("str", "JSON list of every measure {name, value, qualifier, date, cite}, all dates"),
    "<measure>": ("int|float", "one attribute per measure: its value on the graph's date (the latest one)"),
    "<measure>_qualifier": ("str", "the source's qualifier of that value ('more than')"),
    "<measure>_date": ("str", "the date that value describes, when the source gives one"),
    "valid_from": ("str", "first day the node belongs to the organization (YYYY[-MM[-DD]]), when dated"),
    "valid_until": ("str", "first day it no longer does, when dated"),
    "dated_names": ("str", "JSON list of {name, abbreviation, from, until} for names with dates"),
}

EDGE_ATTRIBUTES: dict[str, tuple[str, str]] = {
    "relation": ("str", "has_unit, runs, responsible_for or partners_with (always present)"),
    "sources": ("str", "JSON list of the ids of the sources cited for the edge"),
    "citations": ("str", "JSON list of {source, quote} records"),
    "note": ("str", "present when the data gives one"),
    "valid_from": ("str", "first day the relation holds, when dated"),
    "valid_until": ("str", "first day it no longer holds, when dated"),
}

GRAPH_ATTRIBUTES: dict[str, tuple[str, str]] = {
    "id": ("str", "dataset id"),
    "title": ("str", "dataset title"),
    "date": ("str", "the date the data describes (YYYY-MM-DD)"),
    "description": ("str", "present when the data gives one"),
    "license": ("str", "present when the data gives one"),
    "source_registry": ("str", "JSON object: source id -> {title, publisher, url, accessed ...}"),
    "events": ("str", "JSON list of reorganization events, each with its citations"),
    "history": ("bool", "true when the graph holds every dated fact, false for a one-day snapshot"),
    "as_of": ("str", "the day a snapshot shows (snapshots only)"),
}

#: Attribute names that graph files keep for display (Gephi, yEd); data never uses them.
RESERVED_DISPLAY_NAMES = frozenset({"label", "x", "y", "z", "size", "r", "g", "b", "color", "weight", "id"})


def category_of(kind: str) -> str:
    """The category of a kind (``'division'`` -> ``'unit'``); an open kind of other data is a unit."""
    return KINDS.get(kind, "unit")


def suggest(word: str, choices: Iterable[str], *, n: int = 3) -> list[str]:
    """Close matches of ``word`` among ``choices``, best first."""
    return difflib.get_close_matches(word, list(choices), n=n, cutoff=0.6)


def unknown(what: str, value: str, choices: Iterable[str]) -> str:
    """The message for a value that is not one of ``choices``, with the closest as a hint.

    >>> unknown("kind", "divison", ["division", "section"])
    "unknown kind 'divison' (expected one of: division, section); did you mean 'division'?"
    """
    choices = list(choices)
    msg = f"unknown {what} {value!r} (expected one of: {', '.join(choices)})"
    close = suggest(value, choices, n=1)
    if close:
        msg += f"; did you mean {close[0]!r}?"
    return msg
