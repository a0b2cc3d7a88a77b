"""An interactive org chart in one self-contained HTML file.

:func:`generate_html` yields the page piece by piece; :func:`write_html` writes it.
The page needs no network: its script and style (``charts/assets/``) are inlined,
and the graph travels as JSON inside ``<script type="application/json">``. It pans
and zooms, collapses and expands units, searches every name and abbreviation,
opens a side panel with each fact's sources and quotes, and, for a graph that holds
its history (``G.graph["history"]``), redraws the organization as of any date.

Every text of the graph is data, never markup: the script inserts it with
``textContent``, and the JSON is escaped so that ``</script>``, ``<!--`` and the
line separators U+2028/U+2029 cannot end or break its script element.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import Counter
from collections.abc import Hashable, Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

from .._types import OrgGraph
from ..codec import (
    area_of_responsibility,
    counties,
    dated_names,
    event_records,
    measures,
    other_names,
    raw_citations,
    source_registry,
)
from ..dates import day
from ..errors import RenderError
from ..io._files import PathOrFile, write_lines
from ..lookup import check_graph, hierarchy_edge
from ..schema import KINDS, NODE_ATTRIBUTES, RELATIONS, RESERVED_DISPLAY_NAMES
from ..style import clean_text, get_theme
from ..views import hierarchy

__all__ = ["generate_html", "write_html", "AUTO_COLLAPSE_UNITS"]

#: Above this many units the page opens collapsed below the directorate level
#: (about what fits a laptop screen readably when drawn whole).
AUTO_COLLAPSE_UNITS = 100
#: The level a big organization opens to when it has no "directorate" units.
DEFAULT_OPEN_LEVEL = 2
#: Only these addresses become links in the page (never javascript:, data:, file:).
_WEB_URL = re.compile(r"^https?://[^\s]+\Z", re.IGNORECASE)


@cache
def _asset(name: str) -> str:
    """An asset's text, checked once: it must not be able to close its own element."""
    text = resources.files("ice_graph.charts").joinpath("assets").joinpath(name).read_text(encoding="utf-8")
    if "</script" in text.lower() or "</style" in text.lower():
        raise RenderError(f"asset {name} contains a closing tag and cannot be inlined")
    return text


def _text(value: Any) -> str:
    """A value of the graph as text that any page can carry (no control characters, no lone surrogates)."""
    return clean_text(str(value)) if value is not None else ""


def _day(value: Any) -> str:
    """A date of the data as an ISO day, or "" when it is missing or not a date."""
    if not value:
        return ""
    try:
        return day(str(value))
    except ValueError:
        return ""


def script_json(value: Any) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` element of an HTML page.

    ``<``, ``>`` and ``&`` become ``\\u003c`` ``\\u003e`` ``\\u0026`` (so neither
    ``</script>`` nor ``<!--`` can appear), and U+2028/U+2029 are escaped too.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


class _Tables:
    """Shared tables that keep the payload small: sources and quotes by index."""

    def __init__(self, registry: dict[str, dict[str, str]]) -> None:
        self.registry = registry
        self.sources: dict[str, int] = {}
        self.quotes: dict[str, int] = {}
        self.source_rows: list[dict[str, str]] = []

    def cite(self, raw: dict[str, str]) -> list[Any]:
        """A citation as [source index, quote index(, fact)], its source's details added to the table once."""
        sid = _text(raw.get("source", ""))
        if sid not in self.sources:
            key = raw.get("source")
            details = self.registry.get(key, {}) if isinstance(key, str) else {}
            c = details if isinstance(details, dict) else {}
            self.sources[sid] = len(self.source_rows)
            row = {"id": sid}
            for key in ("title", "publisher", "published", "accessed"):
                if c.get(key):
                    row[key] = _text(c[key])
            url = _text(c.get("url", "")).strip()
            if _WEB_URL.match(url):
                row["url"] = url
            self.source_rows.append(row)
        quote = _text(raw.get("quote", ""))
        q = self.quotes.setdefault(quote, len(self.quotes))
        out: list[Any] = [self.sources[sid], q]
        if raw.get("fact"):
            out.append(_text(raw["fact"]))
        return out


#: Attributes the page shows in their own places (or that only carry display): not repeated as "other facts".
_SHOWN = {*NODE_ATTRIBUTES, "valid_from", "valid_until", "dated_names", "measures", *RESERVED_DISPLAY_NAMES}


def _other_facts(a: Mapping[str, Any], measure_names: set[str]) -> list[list[Any]]:
    """A spreadsheet's own columns (head, budget, ...): every other plain value of a node, by name."""
    out: list[list[Any]] = []
    for key in sorted(str(k) for k in a):
        value = a[key]
        base = key.removesuffix("_qualifier").removesuffix("_date")
        if key in _SHOWN or key in measure_names or base in measure_names or isinstance(value, bool):
            continue
        if isinstance(value, (int, float)) and math.isfinite(value):
            out.append([_text(key), value])
        elif isinstance(value, str) and value.strip():
            out.append([_text(key), _text(value)])
    return out


def _node_record(G: OrgGraph, n: Hashable, kinds: dict[str, int], tables: _Tables, category: str) -> dict[str, Any]:
    a = G.nodes[n]
    kind = _text(a.get("kind") or "unit")
    if kind not in kinds:
        kinds[kind] = len(kinds)
    rec: dict[str, Any] = {"i": _text(n), "n": _text(a.get("name", n)) or _text(n), "k": kinds[kind]}
    if category != "unit":
        rec["g"] = category
    for key, short in (("abbreviation", "a"), ("head_title", "h"), ("description", "d"), ("note", "t")):
        if a.get(key):
            rec[short] = _text(a[key])
    place = ", ".join(_text(a[k]) for k in ("city", "state") if a.get(k))
    if place:
        rec["l"] = place
    if others := other_names(G, n):
        rec["o"] = [_text(o) for o in others]
    dated = [
        [_text(d.name), _text(d.abbreviation), _day(d.valid_from), _day(d.valid_until)]
        for d in dated_names(G, n)
        if d.valid_from or d.valid_until
    ]
    if dated:
        rec["dn"] = dated
    if extra := _other_facts(a, {m.name for m in measures(G, n)}):
        rec["x"] = extra
    if items := measures(G, n):
        # The day orders the figures; the date as the source gives it ("2019", "2010-06") is what is shown.
        rec["m"] = [[_text(m.name), m.value, _text(m.qualifier), _day(m.date), _text(m.date)] for m in items]
    if area := area_of_responsibility(G, n):
        rec["r"] = [_text(x) for x in area]
        if parts := counties(G, n):
            rec["rc"] = {_text(code): [_text(c) for c in names] for code, names in parts.items()}
    for key, short in (("valid_from", "f"), ("valid_until", "u")):
        if d := _day(a.get(key)):
            rec[short] = d
    if cites := raw_citations(a):
        rec["c"] = [tables.cite(c) for c in cites]
    return rec


def _category(G: OrgGraph, n: Hashable, units: set[Hashable]) -> str:
    if n in units:
        return "unit"
    a = G.nodes[n]
    cat = a.get("category") or KINDS.get(str(a.get("kind", "")), "")
    return cat if cat in ("program", "mission_area", "partner") else "program"


def _edge_row(i: int, j: int, a: dict[str, Any], rel: int | None = None) -> list[Any]:
    row: list[Any] = [i, j] if rel is None else [i, j, rel]
    start, end = _day(a.get("valid_from")), _day(a.get("valid_until"))
    if start or end:
        row += [start, end]
    return row


def _kind_rows(kinds: dict[str, int]) -> list[dict[str, str]]:
    theme = get_theme("light")
    rows = []
    for kind in kinds:
        style = theme.node(kind)
        label = theme.kind_labels.get(kind) or kind.replace("_", " ").capitalize()
        cat = KINDS.get(kind, "unit")
        rows.append(
            {"k": kind, "label": label, "cat": cat, "fill": style.fill, "line": style.border, "ink": style.text}
        )
    return rows


def _events(G: OrgGraph, index: dict[Hashable, int], tables: _Tables) -> list[dict[str, Any]]:
    out = []
    by_text = {_text(n): i for n, i in index.items()}
    for e in event_records(G):
        rec: dict[str, Any] = {"date": _day(e.date), "type": _text(e.type), "unit": by_text.get(_text(e.unit), -1)}
        if _text(e.date) != rec["date"]:
            rec["shown"] = _text(e.date)  # a year or a month, shown as the source gives it
        for key in ("before", "after", "note"):
            if getattr(e, key):
                value = _text(getattr(e, key))
                rec[key] = by_text.get(value, value) if key != "note" else value
        rec["c"] = [tables.cite(c.as_dict()) for c in e.cites]
        if rec["date"]:
            out.append(rec)
    return out


def _date_range(payload: dict[str, Any], data_date: str) -> list[str]:
    dates = [r.get(k) for r in payload["nodes"] for k in ("f", "u")]
    dates += [e["date"] for e in payload["events"]]
    dates += [x for row in payload["tree"] + payload["links"] for x in row[2 if len(row) == 4 else 3 :]]
    dates += [d for r in payload["nodes"] for dn in r.get("dn", []) for d in dn[2:]]
    known = sorted(d for d in dates if d)
    if not known:
        return []
    first = f"{int(known[0][:4]) - 1}-01-01"
    last = max(known[-1], data_date) if data_date else known[-1]
    return [first, last]


def check_collapse_below(value: object) -> None:
    """Refuse a ``collapse_below`` that is not None or a whole number of levels, 0 or more."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RenderError(f"collapse_below must be a whole number of levels (0 or more) or None, got {value!r}")


def _open_level(G: OrgGraph, units: list[Hashable], depth: dict[Hashable, int], collapse_below: int | None) -> int:
    """The level at which units start collapsed (-1: none)."""
    if collapse_below is not None:
        return collapse_below
    if len(units) <= AUTO_COLLAPSE_UNITS:
        return -1
    # The level most directorates stand at (a department may hold a directorate or two
    # directly, as DHS does, while its agencies' directorates are one level lower).
    levels = Counter(depth[n] for n in units if G.nodes[n].get("kind") == "directorate" and depth.get(n, -1) >= 0)
    if not levels:
        return DEFAULT_OPEN_LEVEL
    return max(levels, key=lambda level: (levels[level], level))


def _depths(tree: list[list[Any]], count: int) -> list[int]:
    """The level of each node in the hierarchy by its first superior (0 at the top; -1 inside a cycle)."""
    parent: dict[int, int] = {}
    for row in tree:
        parent.setdefault(row[1], row[0])
    out = [-2] * count  # -2: not known yet
    for start in range(count):
        path: list[int] = []
        on_path: set[int] = set()
        n = start
        while out[n] == -2 and n in parent and n not in on_path:
            path.append(n)
            on_path.add(n)
            n = parent[n]
        if out[n] == -2:
            out[n] = -1 if n in on_path else 0
        base = out[n]
        for k, m in enumerate(reversed(path), 1):
            out[m] = base + k if base >= 0 else -1
    return out


def build_payload(G: OrgGraph, *, title: str | None = None, collapse_below: int | None = None) -> dict[str, Any]:
    """The data the page draws: nodes, hierarchy, links, events and sources, by index."""
    units = set(hierarchy(G))
    in_hierarchy = hierarchy_edge(G)
    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    kinds: dict[str, int] = {}
    tables = _Tables(source_registry(G))
    records = [_node_record(G, n, kinds, tables, _category(G, n, units)) for n in nodes]
    tree, links = [], []
    rels = {r: i for i, r in enumerate(RELATIONS)}
    for u, v, a in G.edges(data=True):
        if u in units and v in units and in_hierarchy(u, v):
            tree.append(_edge_row(index[u], index[v], a))
            continue
        rel = _text(a.get("relation", ""))
        rels.setdefault(rel, len(rels))
        links.append(_edge_row(index[u], index[v], a, rels[rel]))
    history = bool(G.graph.get("history", False))
    payload: dict[str, Any] = {
        "title": _text(title if title is not None else G.graph.get("title") or G.graph.get("name") or "Organization"),
        # (not the loader's stand-in for a date the data does not give: G.graph["date_note"])
        "date": _day(G.graph.get("as_of") or (None if G.graph.get("date_note") else G.graph.get("date"))),
        "history": history,
        "kinds": _kind_rows(kinds),
        "rels": list(rels),
        "nodes": records,
        "tree": tree,
        "links": links,
        "events": _events(G, index, tables),
    }
    payload["range"] = _date_range(payload, payload["date"]) if history else []
    if not payload["range"]:
        payload["history"] = False
    depth = _depths(tree, len(nodes))
    level = _open_level(G, [n for n in nodes if n in units], {n: depth[index[n]] for n in nodes}, collapse_below)
    payload["collapse"] = sorted(i for i, n in enumerate(nodes) if n in units and level >= 0 and depth[i] >= level)
    payload["sources"] = tables.source_rows
    payload["quotes"] = list(tables.quotes)
    return payload


_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ice_graph">
<title>{title}</title>
<style>
"""

_BODY = """</style>
</head>
<body>
<header class="bar">
  <h1 class="title">{title}</h1>
  <div class="tools">
    <label class="search"><span class="sr">Search units, programs and areas</span>
      <input type="search" id="q" placeholder="Search names, abbreviations\u2026" autocomplete="off" spellcheck="false"
        aria-controls="hits" aria-autocomplete="list"></label>
    <ul id="hits" class="hits" role="listbox" hidden></ul>
    <div class="when" id="when" hidden>
      <label for="date">Date</label>
      <button type="button" id="date-prev" class="chip step" title="Previous change" aria-label="Previous change">\u2039</button>
      <input type="range" id="date" aria-describedby="date-label">
      <button type="button" id="date-next" class="chip step" title="Next change" aria-label="Next change">\u203a</button>
      <output id="date-label" for="date"></output>
      <button type="button" id="date-play" class="chip" aria-pressed="false" title="Play the history" aria-label="Play the history">\u25b6</button>
      <button type="button" id="date-now" class="chip">Latest</button>
    </div>
    <details class="menu" id="filters">
      <summary>Show</summary>
      <fieldset><legend class="sr">What to show</legend>
        <label><input type="checkbox" data-filter="units" checked> All units (hierarchy)</label>
        <label><input type="checkbox" data-filter="program" checked> Programs</label>
        <label><input type="checkbox" data-filter="mission_area" checked> Mission areas</label>
        <label><input type="checkbox" data-filter="partner" checked> Partners</label>
      </fieldset>
    </details>
    <details class="menu" id="legend-box">
      <summary>Legend</summary>
      <div id="legend" class="legend"></div>
    </details>
  </div>
</header>
<div class="work">
<main class="chart" id="chart" aria-label="Organization chart; drag to pan, scroll or pinch to zoom">
  <div class="stage" id="stage" role="tree" aria-label="Organization">
    <svg class="links" id="links" aria-hidden="true"></svg>
  </div>
  <div class="zoom" role="group" aria-label="Zoom">
    <button type="button" id="zoom-in" title="Zoom in">+</button>
    <button type="button" id="zoom-out" title="Zoom out">\u2212</button>
    <button type="button" id="zoom-fit" title="Fit the chart">Fit</button>
    <button type="button" id="expand-all" title="Expand every unit">Expand all</button>
    <button type="button" id="collapse-all" title="Collapse to the top levels">Collapse</button>
  </div>
  <p class="status" id="status" aria-live="polite"></p>
</main>
<aside class="panel" id="panel" hidden aria-labelledby="panel-title">
  <button type="button" class="close" id="panel-close" aria-label="Close the panel">\u00d7</button>
  <div id="panel-body"></div>
</aside>
</div>
<noscript><p class="noscript">This chart needs JavaScript.</p></noscript>
<script type="application/json" id="org-data">"""

_TAIL = """</script>
<script>
"""


def generate_html(
    G: OrgGraph, *, title: str | None = None, collapse_below: int | None = None, as_of: str | None = None
) -> Iterator[str]:
    """The page, piece by piece (join them, or write them as they come).

    ``title`` replaces the graph's title. ``collapse_below``: the page opens with
    the units at this level (0 = the top) and below collapsed; None opens a small
    organization whole and a big one (over :data:`AUTO_COLLAPSE_UNITS` units)
    collapsed below its directorates. ``as_of`` (YYYY, YYYY-MM, YYYY-MM-DD) is the
    date the page opens on when the graph holds its history; it must be a date.
    The same graph always gives the same text.
    """
    check_graph(G)
    check_collapse_below(collapse_below)
    payload = build_payload(G, title=title, collapse_below=collapse_below)
    if as_of is not None:
        opening = _day(as_of)
        if not opening:
            raise RenderError(f"as_of must be a date (YYYY, YYYY-MM or YYYY-MM-DD), got {as_of!r}")
        payload["open"] = opening
    page_title = html.escape(payload["title"])
    yield _HEAD.format(title=page_title)
    yield _asset("orgchart.css")
    yield _BODY.format(title=page_title)
    yield script_json(payload)
    yield _TAIL
    yield _asset("orgchart.js")
    yield "</script>\n</body>\n</html>\n"


def write_html(G: OrgGraph, path: PathOrFile, **options: Any) -> None:
    """Write the page of :func:`generate_html` to ``path`` (a path or a text file; ``options`` as there)."""
    unknown = sorted(set(options) - {"title", "collapse_below", "as_of"})
    if unknown:
        raise RenderError(
            f"unknown option(s) for an HTML chart: {', '.join(unknown)} (expected title, collapse_below, as_of)"
        )
    write_lines(path, generate_html(G, **options))
