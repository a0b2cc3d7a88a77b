"""Finding nodes by what people call them: id, name, abbreviation or another name.

Every helper that takes a unit accepts any of these, in any case. A lookup never
guesses: a query that matches several nodes raises
:class:`~ice_graph.errors.AmbiguousUnit`, and one that matches none raises
:class:`~ice_graph.errors.UnitNotFound` with the closest names as suggestions.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Hashable, Iterable

import networkx as nx

from ._types import OrgGraph
from .codec import other_names
from .errors import AmbiguousUnit, DataError, Problem, UnitNotFound

__all__ = ["check_graph", "hierarchy_edge", "unit_test", "resolve", "find_node", "find_unit", "search", "names"]

#: A test on an edge ``(u, v)`` or on a node ``n`` of one graph.
EdgeTest = Callable[[Hashable, Hashable], bool]
NodeTest = Callable[[Hashable], bool]


def graph_problem(message: str, record: str = "") -> DataError:
    """A :class:`DataError` about the graph given to a helper (not about a data file)."""
    return DataError([Problem("graph", 0, record, message)])


def cycle_problem(loop: Iterable[Hashable]) -> DataError:
    """The error naming a cycle of the hierarchy, given as ``[a, b, ..., a]`` top down."""
    path = " -> ".join(repr(n) for n in loop)
    return graph_problem(f"the hierarchy has a cycle: {path} (a unit cannot be its own superior)")


def check_graph(G: object) -> None:
    """Refuse a graph the helpers cannot answer on, with a message that says why.

    Every public helper calls this first. The helpers need a directed graph whose
    edges run superior -> subordinate, with at most one edge per pair: an undirected
    graph has no direction to follow, and a multigraph has several relations per pair.
    """
    if not isinstance(G, nx.Graph):
        raise graph_problem(f"expected a networkx DiGraph, got {type(G).__name__}")
    if G.is_multigraph():
        raise graph_problem(
            f"expected a networkx DiGraph, got a {type(G).__name__}: the helpers need one edge per pair "
            "(convert with nx.DiGraph(G), which keeps one edge of each pair)"
        )
    if not G.is_directed():
        raise graph_problem(
            f"expected a directed graph (edges run superior -> subordinate), got an undirected {type(G).__name__}"
        )


def hierarchy_edge(G: OrgGraph) -> EdgeTest:
    """The test for hierarchy edges of ``G``: ``relation == "has_unit"``.

    A graph none of whose edges has a ``relation`` attribute (a foreign graph such as
    ``nx.balanced_tree(3, 3, create_using=nx.DiGraph)``) is all hierarchy: every edge
    runs from a superior to a subordinate. In a graph where some edges have a
    relation, an edge without one is not part of the hierarchy.
    """
    # Stops at the first edge of a graph we built: every edge has a relation.
    if any("relation" in d for _, _, d in G.edges(data=True)):
        return lambda u, v: G.edges[u, v].get("relation") == "has_unit"
    return lambda u, v: True


def unit_test(G: OrgGraph, in_hierarchy: EdgeTest | None = None) -> NodeTest:
    """The test for units of ``G``: ``category == "unit"``.

    A node without a ``category`` (a foreign graph) is a unit when it has a hierarchy
    edge, or no edge at all; its missing ``kind`` reads as ``"unit"``.
    """
    edge = in_hierarchy or hierarchy_edge(G)

    def is_unit(n: Hashable) -> bool:
        category = G.nodes[n].get("category")
        if category is not None:
            return bool(category == "unit")
        if G.degree(n) == 0:
            return True
        return any(edge(u, n) for u in G.predecessors(n)) or any(edge(n, v) for v in G.successors(n))

    return is_unit


def _norm(text: str) -> str:
    return " ".join(str(text).replace("&", " and ").casefold().split())


def _labels(G: OrgGraph, n: Hashable) -> list[str]:
    a = G.nodes[n]
    out = [str(n), a.get("name", ""), a.get("abbreviation", "")]
    out += other_names(G, n)
    return [str(s) for s in out if s is not None and str(s)]


def _label_set(G: OrgGraph, n: Hashable) -> set[str]:
    return {_norm(s) for s in _labels(G, n)}


def _described(G: OrgGraph, ids: Iterable[Hashable]) -> dict[str, str]:
    """id -> display name, for messages that show names as well as ids."""
    return {str(n): str(G.nodes[n].get("name", n)) for n in ids if n in G}


def _words(text: str) -> list[str]:
    return [w for w in "".join(c if c.isalnum() else " " for c in _norm(text)).split() if w]


def _singular(text: str) -> str:
    """``text`` with each word's plural 's' dropped, to compare names regardless of number."""
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in text.split())


def _word_match(query_words: list[str], label: str) -> bool:
    """Every word of the query begins a word of the label ('national secur' in 'National Security ...')."""
    words = _words(label)
    return all(any(w.startswith(q) for w in words) for q in query_words)


def resolve(G: OrgGraph, query: Hashable, *, category: str | None = None) -> tuple[Hashable, bool]:
    """The node ``query`` names, and whether it named it exactly (id, name, abbreviation or other name).

    A query that is none of these but whose words begin the words of exactly one
    node's labels resolves to that node (``exact`` is False, so a caller can say what it
    took: the CLI prints ``HSI (Homeland Security Investigations)``); several such nodes
    raise :class:`~ice_graph.errors.AmbiguousUnit` with their names; none raises
    :class:`~ice_graph.errors.UnitNotFound` with the closest names. A node of another
    category (a partner where a unit is needed) is named as such, never taken.
    """
    check_graph(G)
    what = (category or "node").replace("_", " ")
    is_unit = unit_test(G)

    def in_category(n: Hashable) -> bool:
        if category is None:
            return True
        return is_unit(n) if category == "unit" else bool(G.nodes[n].get("category") == category)

    if query in G and in_category(query):
        return query, True
    q = _norm(str(query))
    candidates = [n for n in G if in_category(n)]
    exact = [n for n in candidates if q in _label_set(G, n)]
    if len(exact) == 1:
        return exact[0], True
    if len(exact) > 1:
        raise AmbiguousUnit(str(query), [str(n) for n in exact], names=_described(G, exact))
    singular = _singular(q)
    plural = [n for n in candidates if singular in {_singular(x) for x in _label_set(G, n)}]
    if len(plural) == 1:  # 'Homeland Security Investigation' for '... Investigations'
        return plural[0], False
    words = _words(q)
    partial = [n for n in candidates if any(_word_match(words, s) for s in _labels(G, n))] if len(q) >= 3 else []
    if len(partial) == 1:
        return partial[0], False
    if len(partial) > 1:
        raise AmbiguousUnit(str(query), [str(n) for n in partial], names=_described(G, partial))
    if category is not None:
        _refuse_other_category(G, query, q, what, in_category)
    suggestions = _suggestions(G, q, candidates)
    raise UnitNotFound(str(query), suggestions, what=what, names=_described(G, suggestions))


def _refuse_other_category(G: OrgGraph, query: Hashable, q: str, what: str, in_category: NodeTest) -> None:
    """A partner or program named where a unit is needed: say what it is instead of 'no match'."""
    elsewhere = [n for n in G if not in_category(n) and q in _label_set(G, n)]
    if not elsewhere:
        return
    found = ", ".join(
        f"{G.nodes[n].get('abbreviation') or G.nodes[n].get('name', n)} ({n}) is a "
        f"{str(G.nodes[n].get('kind', 'node')).replace('_', ' ')}"
        for n in elsewhere
    )
    place = "not part of the hierarchy" if what == "unit" else f"not a {what}"
    # Who runs it, works with it or is responsible for it: the units to ask about instead.
    linked = list(dict.fromkeys(u for n in elsewhere for u in G.predecessors(n) if in_category(u)))
    hint = f"; linked to {', '.join(repr(u) for u in linked[:5])}" if what == "unit" and linked else ""
    raise UnitNotFound(str(query), reason=f"no {what} matches {str(query)!r}: {found}, {place}{hint}")


def _suggestions(G: OrgGraph, q: str, candidates: list[Hashable]) -> list[Hashable]:
    keys: dict[str, list[Hashable]] = {}
    for n in candidates:
        for s in _labels(G, n):
            keys.setdefault(_norm(s), []).append(n)
    contains = [k for k in keys if len(q) >= 3 and q in k]
    close = difflib.get_close_matches(q, list(keys), n=5, cutoff=0.6)
    out: list[Hashable] = []
    for k in contains + close:
        for n in keys[k]:
            if n not in out:
                out.append(n)
    return out[:8]


def find_node(G: OrgGraph, query: Hashable, *, category: str | None = None) -> Hashable:
    """Resolve an id, name, abbreviation or other name (any case) to a node id.

    ``category`` limits the search to ``"unit"``, ``"program"``, ``"mission_area"``
    or ``"partner"``. A query matching no label exactly resolves when its words begin
    the words of one node's labels (see :func:`resolve`). Raises
    :class:`~ice_graph.errors.AmbiguousUnit` when several nodes match and
    :class:`~ice_graph.errors.UnitNotFound` (with the closest matches) when none does.

    >>> import ice_graph
    >>> G = ice_graph.load()
    >>> find_node(G, "human trafficking", category="mission_area")
    'human-trafficking'
    >>> find_node(G, "trafficking", category="mission_area")
    'human-trafficking'
    """
    return resolve(G, query, category=category)[0]


def find_unit(G: OrgGraph, query: Hashable) -> Hashable:
    """Resolve a unit by id, name, abbreviation or other name, in any case.

    >>> import ice_graph
    >>> G = ice_graph.load()
    >>> find_unit(G, "Enforcement and Removal Operations"), find_unit(G, "hsi")
    ('ero', 'hsi')
    >>> find_unit(G, "Removal")
    'ero-removal'
    >>> find_unit(G, "national security")
    Traceback (most recent call last):
    ...
    ice_graph.errors.AmbiguousUnit: 'national security' matches 3 nodes: 'hsi-national-security-investigations' (National Security Investigations Division), 'opla-national-security-law-division' (National Security Law Division), 'hsi-national-security-unit' (National Security Unit); use one of these ids
    """
    return find_node(G, query, category="unit")


def search(G: OrgGraph, text: str) -> list[Hashable]:
    """Ids of the nodes whose id, name, abbreviation or other names contain ``text``.

    >>> import ice_graph
    >>> search(ice_graph.load(), "security")[:3]
    ['dhs', 'hsi', 'hsi-national-security-investigations']
    """
    check_graph(G)
    q = _norm(text)
    return [n for n in G if any(q in _norm(s) for s in _labels(G, n))]


def names(G: OrgGraph, ids: Iterable[Hashable]) -> list[str]:
    """The display names of ``ids``, in the same order.

    >>> import ice_graph
    >>> G = ice_graph.load()
    >>> names(G, ice_graph.chain_of_command(G, "ero"))
    ['U.S. Immigration and Customs Enforcement', 'U.S. Department of Homeland Security']
    """
    check_graph(G)
    out = []
    for i in ids:
        if i not in G:
            raise UnitNotFound(str(i), what="node")
        out.append(str(G.nodes[i].get("name", i)))
    return out
