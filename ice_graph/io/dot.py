"""Graphviz DOT in org-chart style, built with pydot.

Only display attributes reach the file: labels, shapes, colors, the title and
legend. Labels are Graphviz HTML-like labels with every character escaped, so
names with quotes, backslashes, angle brackets, ampersands, colons, non-ASCII
letters or newlines come out as written, and control characters are dropped;
node ids that are not plain slugs are replaced by stable generated ids so that
nothing in the data can break out of DOT quoting. Every id is quoted here, by
the DOT ID grammar and keyword list (as ``graphviz.quoting`` does), never left to
pydot. The legend and the grouped lists use ids with ``@``, which no node id has.
"""

from __future__ import annotations

import html
import inspect
import re
from collections import Counter
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pydot

from .._types import OrgGraph
from ..codec import cited_sources, source_registry
from ..errors import ExportError
from ..schema import RELATIONS
from ..style import BOLD_KINDS, Theme, font_size, get_theme, label_lines, label_parts
from ._common import paused_writer, require_simple
from ._files import PathOrFile, write_text

__all__ = ["to_pydot", "generate_dot", "write_dot", "chart_title", "quote_id", "dot_ids", "LEGEND_ID"]

_SAFE_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*\Z")
_KEYWORDS = {"node", "edge", "graph", "digraph", "subgraph", "strict"}
#: A DOT ID that needs no quotes: a name or a numeral (the grammar graphviz.quoting uses).
_DOT_ID = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*|-?(\.[0-9]+|[0-9]+(\.[0-9]*)?))", re.ASCII)
#: Characters a Graphviz HTML label cannot hold (C0 controls but tab and newline, DEL, C1, non-characters).
_LABEL_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_FONT = "Helvetica"
#: The id of the legend node; ``@`` never appears in a node id (see :func:`dot_ids`).
LEGEND_ID = "@legend"


def quote_id(name: str) -> str:
    """A DOT ID for ``name``: as it is when the grammar allows it and it is no keyword, else quoted."""
    if _DOT_ID.fullmatch(name) and name.lower() not in _KEYWORDS:
        return name
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


#: Any character :func:`_html` changes (plain text, the usual name, comes back as it is).
_HTML_ANY = re.compile("[&<>\"'\\]\r\n\t\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def _html(text: str) -> str:
    """Escape text for a Graphviz HTML-like label (newlines become line breaks, control characters go)."""
    if not _HTML_ANY.search(text):
        return text
    text = _LABEL_BAD.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    out = html.escape(text, quote=True)
    # Graphviz HTML labels take only a few named entities; use numeric ones for the rest.
    out = out.replace("&#x27;", "&#39;")
    # Graphviz's HTML lexer reads a "]" alone in an element as the end of the attribute list.
    out = out.replace("]", "&#93;")
    return "<BR/>".join(out.split("\n"))


def dot_ids(G: OrgGraph) -> dict[Hashable, str]:
    """DOT ids for every node (unquoted): the node's own id when it is a plain slug, else ``n<index>``.

    No id contains ``@``: the writer's own nodes (:data:`LEGEND_ID`, the grouped
    lists ``<id>@<category>``) use it, so they never collide with a node.
    """
    ids: dict[Hashable, str] = {}
    generated: list[Hashable] = []
    for i, n in enumerate(G):
        s = n if type(n) is str else str(n)
        if _SAFE_ID.match(s) and s.lower() not in _KEYWORDS:
            ids[n] = s
        else:
            ids[n] = f"n{i}"
            generated.append(n)
    if generated:  # a generated id must not collide with a real one
        used = {v for n, v in ids.items() if v == str(n)}
        for n in generated:
            v = ids[n]
            while v in used:
                v = "_" + v
            ids[n] = v
            used.add(v)
    return ids


def _credit(G: OrgGraph, registry: dict[str, Any]) -> str:
    """The credit line of a chart: the sources its own nodes and edges cite, by publisher.

    ``Sources: 31 documents from U.S. Immigration and Customs Enforcement, U.S. Department of
    Homeland Security, Congressional Research Service and others``; a graph whose nodes cite
    nothing credits its whole registry.
    """
    cited = {s for s in cited_sources(G) if s in registry} or set(registry)
    publishers = Counter(
        str(registry[s].get("publisher") or "") if isinstance(registry[s], dict) else "" for s in cited
    )
    named = [p for p, _ in sorted(publishers.items(), key=lambda kv: (-kv[1], kv[0])) if p]
    others = len(named) > 3 or publishers.get("", 0) > 0
    documents = f"{len(cited)} document{'s' if len(cited) != 1 else ''}"
    if not named:
        return f"Sources: {documents}"
    return f"Sources: {documents} from {', '.join(named[:3])}{' and others' if others else ''}"


def chart_title(G: OrgGraph, *, title: str | None = None, note: str = "") -> tuple[str, str]:
    """The chart's title and subtitle (date and sources), from the graph's metadata."""
    heading = str(title or G.graph.get("title") or "Organization chart")
    registry = source_registry(G)
    parts = []
    shown = G.graph.get("as_of")
    if shown and G.graph.get("date") and shown != G.graph["date"]:
        parts.append(f"The organization on {shown}")
    if G.graph.get("date_note"):  # no date in the data: the loader's stand-in (today) is not stated as one
        parts.append("No date in the data")
    elif G.graph.get("date"):
        parts.append(f"Data as of {G.graph['date']}")
    if registry:
        parts.append(_credit(G, registry))
    if note:
        parts.append(note)
    return heading, " \u00b7 ".join(parts)


def _node_label(attrs: dict[str, Any], bold: bool) -> str:
    """The HTML label of a node: its name's lines, then its abbreviation line (if any) in small type.

    The name and abbreviation lines are built from the attributes separately, never
    guessed from the joined lines, so a blank abbreviation takes no line of the name.
    """
    name_lines, abbreviation = label_parts(attrs)
    if len(name_lines) == 1 and not abbreviation and not isinstance(attrs.get("_more"), list):  # most boxes
        name = _html(name_lines[0])
        return f"<<B>{name}</B>>" if bold else f"<{name}>"
    extra = abbreviation + _more(attrs)  # "(abbreviation)", an overview's counts
    name = "<BR/>".join(_html(line) for line in name_lines)
    if bold:
        name = f"<B>{name}</B>"
    for line in extra:
        name += f'<BR/><FONT POINT-SIZE="9">{_html(line)}</FONT>'
    return f"<{name}>"


def _directed_once(G: OrgGraph) -> OrgGraph:
    """A directed copy of an undirected graph with each edge once, as the graph lists it."""
    D: OrgGraph = nx.DiGraph()
    D.graph.update(G.graph)
    D.add_nodes_from(G.nodes(data=True))
    D.add_edges_from(G.edges(data=True))
    return D


def _title_label(heading: str, sub: str) -> str:
    """The chart title: heading, then the subtitle only when there is one (an empty FONT is a dot error)."""
    subtitle = f'<FONT POINT-SIZE="11">{_html(sub)}</FONT><BR/>' if _html(sub).strip() else ""
    return f'<<FONT POINT-SIZE="20"><B>{_html(heading) or " "}</B></FONT><BR/>{subtitle} >'


#: A list box of a chart has at most this many rows; a longer list is set in columns (as the matplotlib chart does).
LIST_ROWS = 6


def _list_table(cells: list[str]) -> str:
    """An HTML table of list cells, in columns of at most :data:`LIST_ROWS`, read down each column."""
    ncol = -(-len(cells) // LIST_ROWS)
    per = -(-len(cells) // ncol)
    cols = [cells[i : i + per] for i in range(0, len(cells), per)]
    rows = []
    for r in range(per):
        row = "".join(col[r] if r < len(col) else '<TD BORDER="0"> </TD>' for col in cols)
        rows.append(f"<TR>{row}</TR>")
    return '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="3" CELLPADDING="3">' + "".join(rows) + "</TABLE>>"


def _more(attrs: dict[str, Any]) -> list[str]:
    """The lines an overview adds to a unit's box ("1 center \u00b7 1 office"), when it has them."""
    more = attrs.get("_more")
    return [str(x) for x in more] if isinstance(more, list) else []


def _legend(G: OrgGraph, theme: Theme, compact: bool = False) -> str:
    """The legend: a column of kinds and relations, or (``compact``, for charts) one row under the chart."""
    kinds = [k for k in dict.fromkeys(a.get("kind", "unit") for _, a in G.nodes(data=True)) if k != "summary"]
    succ: Mapping[Hashable, Mapping[Hashable, Any]] = G._succ  # type: ignore[attr-defined]
    present = {rel for nbrs in succ.values() for a in nbrs.values() if isinstance(rel := a.get("relation"), str)}
    relations = [r for r in RELATIONS if r in present]
    rows = ['<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Legend</B></TD></TR>']
    for k in kinds:
        st = theme.node(k)
        rows.append(
            f'<TR><TD BGCOLOR="{st.fill}" WIDTH="28" BORDER="1" COLOR="{st.border}"> </TD>'
            f'<TD ALIGN="LEFT">{_html(theme.kind_labels.get(k, k))}</TD></TR>'
        )
    # Line samples drawn with text (an HTML label cannot draw a line): heavy glyphs so the
    # colour shows at legend size.
    marks = {
        "solid": "\u2501\u2501\u2501\u2501",
        "dashed": "\u2013 \u2013 \u2013",
        "dotted": "\u2022 \u2022 \u2022 \u2022",
        "bold": "\u2501\u2501\u2501\u2501",
    }
    for r in relations:
        es = theme.edge(r)
        rows.append(
            f'<TR><TD><FONT COLOR="{es.color}" POINT-SIZE="12"><B>{marks[es.style]}</B></FONT></TD>'
            f'<TD ALIGN="LEFT">{_html(es.label)}</TD></TR>'
        )
    if compact:  # one row: each entry's sample and label side by side, no frame, no heading
        cells = "".join(r.removeprefix("<TR>").removesuffix("</TR>") for r in rows[1:])
        return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2"><TR>{cells}</TR></TABLE>>'
    return (
        '<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="2" CELLPADDING="3" COLOR="#999999">'
        + "".join(rows)
        + "</TABLE>>"
    )


@dataclass
class _Plan:
    """The statements of a DOT graph, in order, before any of them is written.

    :func:`to_pydot` turns them into pydot objects; :func:`generate_dot` writes them
    directly, quoting as pydot would, so the two give the same text.
    """

    #: attributes set on the graph itself (``dot.set``), written first
    attrs: dict[str, str] = field(default_factory=dict)
    #: ("node", name, label, attrs) or ("edge", (src, dst), label, attrs), ids quoted: the graph/node/edge
    #: defaults first. ``label`` (or None) is written before ``attrs``. Read only: ``attrs`` is shared, one
    #: dict for the boxes of one kind and font size, one for the edges of one relation (and ``minlen``).
    items: list[tuple[str, str | tuple[str, str], str | None, dict[str, Any]]] = field(default_factory=list)
    #: the legend node's attributes, in its own rank=sink subgraph
    legend: dict[str, Any] | None = None


def to_pydot(
    G: OrgGraph,
    *,
    theme: str | Theme = "light",
    rankdir: str = "TB",
    title: str | None = None,
    note: str = "",
    legend: bool = True,
    stagger_leaves: bool = True,
    group_leaves: bool = False,
) -> pydot.Dot:
    """A pydot graph of ``G`` (or a view of it) in org-chart style.

    ``group_leaves`` (used for charts) lists each unit's programs, mission areas
    and partners in one box per kind under the unit, as printed org charts do,
    instead of one node each: the chart stays narrow. The DOT file of the graph
    (the default) keeps one node per node.
    """
    plan = _plan(G, theme, rankdir, title, note, legend, stagger_leaves, group_leaves)
    dot = pydot.Dot(graph_name="organization", graph_type="digraph", strict=False)
    for k, v in plan.attrs.items():
        dot.set(k, v)
    for _kind, name, label, shared in plan.items:
        attrs = shared if label is None else {"label": label, **shared}
        if isinstance(name, tuple):
            dot.add_edge(pydot.Edge(*name, **attrs))
        else:
            dot.add_node(pydot.Node(name, **attrs))
    if plan.legend is not None:
        sub_g = pydot.Subgraph("legend_rank", rank="sink")
        sub_g.add_node(pydot.Node(quote_id(LEGEND_ID), **plan.legend))
        dot.add_subgraph(sub_g)
    return dot


def _plan(
    G: OrgGraph,
    theme: str | Theme,
    rankdir: str,
    title: str | None,
    note: str,
    legend: bool,
    stagger_leaves: bool,
    group_leaves: bool,
) -> _Plan:
    """The statements of the DOT graph of ``G`` (see :func:`to_pydot` for the options)."""
    if rankdir not in ("TB", "LR"):
        raise ExportError(f"rankdir must be 'TB' or 'LR', got {rankdir!r}")
    require_simple(G, "DOT")
    undirected = not G.is_directed()
    if undirected:  # each edge once, drawn without arrowheads
        G = _directed_once(G)
    th = get_theme(theme)
    heading, sub = chart_title(G, title=title, note=note)
    plan = _Plan()
    graph_defaults = {
        "rankdir": rankdir,
        "label": _title_label(heading, sub),
        "labelloc": "t",
        "labeljust": "l",
        "fontname": _FONT,
        "fontcolor": th.title,
        "bgcolor": th.background,
        "nodesep": "0.22",
        "ranksep": "0.45",
        "pad": "0.3",
        "splines": "ortho" if group_leaves else "spline",
    }
    if group_leaves:  # a chart: the title centred over it, as the matplotlib chart's; lists to the right
        plan.attrs.update(labeljust="c", ordering="out")
    plan.items.append(("node", "graph", None, graph_defaults))
    node_defaults = {
        "shape": "box",
        "style": '"rounded,filled"',
        "fontname": _FONT,
        "fontsize": "10",
        "margin": '"0.12,0.05"',
        "penwidth": "1",
    }
    plan.items.append(("node", "node", None, node_defaults))
    plan.items.append(
        ("node", "edge", None, {"arrowsize": "0.7", "fontname": _FONT, **({"dir": "none"} if undirected else {})})
    )
    raw = dot_ids(G)
    # quote_id of each: a dot_ids id is no keyword and has no quote or backslash to escape
    ids = {n: v if _DOT_ID.fullmatch(v) else f'"{v}"' for n, v in raw.items()}
    grouped = _grouped(G) if group_leaves else {}
    in_a_group = {v for groups in grouped.values() for _, vs in groups for v in vs}
    _plan_nodes(G, th, ids, in_a_group, plan)
    _plan_edges(G, th, ids, in_a_group, stagger_leaves, plan)
    _plan_lists(G, th, raw, grouped, plan)
    if legend and len(G):
        plan.legend = {
            "shape": "plaintext",
            "style": '""',
            "label": _legend(G, th, compact=group_leaves),
            "fontsize": "9",
        }
    return plan


def _grouped(G: OrgGraph) -> dict[Hashable, list[tuple[str, list[Hashable]]]]:
    """Each unit's lists for a chart: its leaf subordinates by kind, then its programs, areas, partners."""
    grouped: dict[Hashable, list[tuple[str, list[Hashable]]]] = {}
    for u, a in G.nodes(data=True):
        if a.get("category") != "unit":
            continue
        leaves = [v for v in G.successors(u) if G.nodes[v].get("category") != "unit"]
        cats = list(dict.fromkeys(G.nodes[v].get("category", "") for v in leaves))
        groups = [(c, [v for v in leaves if G.nodes[v].get("category") == c]) for c in cats]
        # Three or more subordinates without subordinates of their own: one list, as in
        # the matplotlib chart (the rule of ice_graph.layout).
        subs = [v for v in G.successors(u) if G.edges[u, v].get("relation") == "has_unit"]
        leaf_subs = [v for v in subs if G.out_degree(v) == 0]
        if len(leaf_subs) >= 3:  # one list per kind: the divisions, then the field offices
            for kind in reversed(list(dict.fromkeys(G.nodes[v].get("kind", "unit") for v in leaf_subs))):
                groups.insert(0, (f"unit-{kind}", [v for v in leaf_subs if G.nodes[v].get("kind", "unit") == kind]))
        if groups:
            grouped[u] = groups
    return grouped


def _plan_nodes(G: OrgGraph, th: Theme, ids: dict[Hashable, str], in_a_group: set[Hashable], plan: _Plan) -> None:
    """One box per node not in a list; the style of each kind computed once."""
    styles: dict[str, dict[str, str]] = {}
    sizes: dict[tuple[str, str], str] = {}  # (kind, category) -> font size text
    looks: dict[tuple[str, str], dict[str, str]] = {}  # (kind, font size) -> the box's attributes but its label
    for n, a in G.nodes(data=True):
        if n in in_a_group:
            continue
        kind = a.get("kind", "unit")
        if kind not in styles:
            st = th.node(kind)
            style = ["filled"] + (["rounded"] if st.shape == "box" else []) + (["dashed"] if st.dashed else [])
            styles[kind] = {
                "shape": st.shape,
                "style": f'"{",".join(style)}"',
                "fillcolor": f'"{st.fill}"',
                "color": f'"{st.border}"',
                "fontcolor": f'"{st.text}"',
                "penwidth": str(st.border_width),
                "peripheries": str(st.peripheries),
            }
        category = a.get("category", "unit")
        size = sizes.get((kind, category)) if type(category) is str else None
        if size is None:
            size = f"{font_size(kind, category):g}"
            if type(category) is str:
                sizes[kind, category] = size
        look = looks.get((kind, size))
        if look is None:
            look = looks[kind, size] = {**styles[kind], "fontsize": size}
        plan.items.append(("node", ids[n], _node_label(a, bold=kind in BOLD_KINDS), look))


def _plan_edges(
    G: OrgGraph, th: Theme, ids: dict[Hashable, str], in_a_group: set[Hashable], stagger_leaves: bool, plan: _Plan
) -> None:
    """Every edge not to a list. The programs, areas and partners of a unit are staggered over up
    to three ranks so a unit with many of them does not make the chart very wide (as `unflatten` does)."""
    succ: Mapping[Hashable, Mapping[Hashable, Any]] = G._succ  # type: ignore[attr-defined]
    leaves: dict[Hashable, int] = {}  # unit -> its staggered edges so far
    looks: dict[str, dict[str, str]] = {}  # relation -> its edges' attributes (one dict, shared)
    longer: dict[tuple[int, str], dict[str, str]] = {}  # (id of a look, minlen) -> the look with it
    items = plan.items
    for u, nbrs in succ.items():  # the edges as G.edges lists them, without a view's tuple per edge
        source = ids[u]
        for v, a in nbrs.items():
            if v in in_a_group:
                continue
            relation = a.get("relation", "has_unit")
            attrs = looks.get(relation) if type(relation) is str else None
            if attrs is None:
                es = th.edge(relation)
                attrs = {"color": f'"{es.color}"', "style": es.style, "penwidth": str(es.width), "arrowhead": es.arrow}
                if type(relation) is str:
                    looks[relation] = attrs
            if a.get("relation") != "has_unit" and not succ[v]:
                k = leaves[u] = leaves.get(u, 0) + 1
                if stagger_leaves and k % 3 != 1:  # minlen 2 or 3, every third edge back on the first rank
                    minlen = str(1 + (k - 1) % 3)
                    plain = attrs
                    attrs = longer.get((id(plain), minlen))
                    if attrs is None:
                        attrs = longer[id(plain), minlen] = {**plain, "minlen": minlen}
            items.append(("edge", (source, ids[v]), None, attrs))


def _plan_lists(
    G: OrgGraph,
    th: Theme,
    raw: dict[Hashable, str],
    grouped: dict[Hashable, list[tuple[str, list[Hashable]]]],
    plan: _Plan,
) -> None:
    """The list boxes of a chart, after the units, so that with ordering=out they sit to the right.

    ``raw`` are the unquoted :func:`dot_ids`: a list's id is its unit's with ``@`` and the list's kind.
    """
    for u, groups in grouped.items():
        for cat, members in groups:
            cells = []
            for v in members:
                st = th.node(G.nodes[v].get("kind", "unit"))
                text = "<BR/>".join(_html(line) for line in label_lines(G.nodes[v]) + _more(G.nodes[v]))
                size = 10 if cat.startswith("unit") else 9
                cells.append(
                    f'<TD BGCOLOR="{st.fill}" COLOR="{st.border}" ALIGN="LEFT">'
                    f'<FONT COLOR="{st.text}" POINT-SIZE="{size}">{text}</FONT></TD>'
                )
            box = quote_id(f"{raw[u]}@{cat}")
            plan.items.append(
                ("node", box, None, {"shape": "plaintext", "style": '""', "margin": "0", "label": _list_table(cells)})
            )
            relation = next(G.edges[u, v].get("relation", "has_unit") for v in members)
            es = th.edge(relation)
            attrs = {"color": f'"{es.color}"', "style": es.style, "penwidth": str(es.width), "arrowhead": es.arrow}
            plan.items.append(("edge", (quote_id(raw[u]), box), None, attrs))


@paused_writer
def generate_dot(G: OrgGraph, **options: Any) -> Iterator[str]:
    """Lines of the DOT text of ``G`` (options as for :func:`to_pydot`).

    Written directly from the statements, quoted as pydot quotes them (the same
    text as ``to_pydot(G).to_string()``), without building 10^5 pydot objects.
    """
    plan = _plan(G, **_options(**options))
    yield "digraph organization {\n"
    for k, v in plan.attrs.items():
        yield f"{_attr(k, v)};\n"
    chunk: list[str] = []
    tails: dict[int, str] = {}  # id of a shared attrs dict -> its "key=value, ...];" text, made once
    for _kind, name, label, attrs in plan.items:
        ends = f"{name[0]} -> {name[1]}" if isinstance(name, tuple) else name
        tail = tails.get(id(attrs))
        if tail is None:
            tail = tails[id(attrs)] = ", ".join([_attr(k, v) for k, v in attrs.items()]) + "];\n"
        if label is None:
            chunk.append(f"{ends} [{tail}")
        else:
            first = f"label={label}" if label[:1] == "<" and label[-1:] == ">" else _attr("label", label)
            chunk.append(f"{ends} [{first}{', ' if len(tail) > 3 else ''}{tail}")
        if len(chunk) >= 1000:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)
    if plan.legend is not None:
        legend = ", ".join([_attr(k, v) for k, v in plan.legend.items()])
        yield f"subgraph legend_rank {{\nrank=sink;\n{quote_id(LEGEND_ID)} [{legend}];\n}}\n"
    yield "}\n"


def _options(**options: Any) -> dict[str, Any]:
    """The options of :func:`to_pydot`, with its defaults (read from its signature: one list of them).

    An option :func:`to_pydot` does not take is a TypeError, as it would be there.
    """
    defaults = {
        name: p.default
        for name, p in inspect.signature(to_pydot).parameters.items()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }
    unknown = sorted(set(options) - set(defaults))
    if unknown:
        raise TypeError(f"unexpected keyword argument {unknown[0]!r}")
    return {**defaults, **options}


_QUOTED: dict[str, str] = {}


def _attr(key: str, value: str) -> str:
    """``key=value`` as pydot writes it: an HTML label as it is, other values quoted by pydot's rule (memoized)."""
    if value[:1] == "<" and value[-1:] == ">":  # pydot leaves an HTML-like label alone
        return f"{key}={value}"
    if value == "":
        value = '""'
    quoted = _QUOTED.get(value)
    if quoted is None:
        quoted = pydot.core.quote_attr_if_necessary(value)
        if len(_QUOTED) < 10_000:  # colors, styles, sizes: a few values, each quoted once
            _QUOTED[value] = quoted
    return f"{key}={quoted}"


def write_dot(G: OrgGraph, path: PathOrFile, **options: Any) -> None:
    """Write ``G`` as Graphviz DOT to a path (atomically), '-' or a file object."""
    write_text(path, "".join(generate_dot(G, **options)))
