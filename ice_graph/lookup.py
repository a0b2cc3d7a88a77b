"""Finding nodes by what people call them: id, name, abbreviation or another name.

Every helper that takes a unit accepts any of these, in any case. A lookup never
guesses: a query that matches several nodes raises
:class:`~ice_graph.errors.AmbiguousUnit`, and one that matches none raises
:class:`~ice_graph.errors.UnitNotFound` with the closest names as suggestions.
"""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Iterable

from ._types import OrgGraph
from .codec import other_names
from .errors import AmbiguousUnit, UnitNotFound

__all__ = ["find_node", "find_unit", "search", "names"]


def _norm(text: str) -> str:
    return " ".join(str(text).replace("&", " and ").casefold().split())


def _labels(G: OrgGraph, n: Hashable) -> list[str]:
    a = G.nodes[n]
    out = [str(n), a.get("name", ""), a.get("abbreviation", "")]
    out += other_names(G, n)
    return [s for s in out if s]


def _label_set(G: OrgGraph, n: Hashable) -> set[str]:
    return {_norm(s) for s in _labels(G, n)}


def find_node(G: OrgGraph, query: Hashable, *, category: str | None = None) -> Hashable:
    """Resolve an id, name, abbreviation or other name (any case) to a node id.

    ``category`` limits the search to ``"unit"``, ``"program"``, ``"mission_area"``
    or ``"partner"``. Raises :class:`~ice_graph.errors.AmbiguousUnit` when several
    nodes match and :class:`~ice_graph.errors.UnitNotFound` (with the closest
    matches) when none does.

    >>> import ice_graph
    >>> G = ice_graph.load()
    >>> find_node(G, "human trafficking", category="mission_area")
    'human-trafficking'
    """
    what = (category or "node").replace("_", " ")
    if query in G and (category is None or G.nodes[query].get("category") == category):
        return query
    q = _norm(str(query))
    candidates = [n for n, a in G.nodes(data=True) if category is None or a.get("category") == category]
    exact = [n for n in candidates if q in _label_set(G, n)]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise AmbiguousUnit(str(query), [str(n) for n in exact])
    # Never a guess: a name that merely starts with or contains the query is offered
    # as a suggestion, not taken as the answer.
    if category is not None:
        elsewhere = [n for n, a in G.nodes(data=True) if a.get("category") != category and q in _label_set(G, n)]
        if elsewhere:
            found = ", ".join(f"{n!r} is a {str(G.nodes[n].get('kind', 'node')).replace('_', ' ')}" for n in elsewhere)
            raise UnitNotFound(str(query), reason=f"no {what} matches {str(query)!r}, but {found} (not a {what})")
    keys: dict[str, list[Hashable]] = {}
    for n in candidates:
        for s in _labels(G, n):
            keys.setdefault(_norm(s), []).append(n)
    starts = [k for k in keys if len(q) >= 3 and k.startswith(q + " ")]
    contains = [k for k in keys if len(q) >= 3 and q in k and k not in starts]
    close = difflib.get_close_matches(q, list(keys), n=5, cutoff=0.6)
    suggestions: list[str] = []
    for k in starts + contains + close:
        for n in keys[k]:
            if str(n) not in suggestions:
                suggestions.append(str(n))
    raise UnitNotFound(str(query), suggestions[:8], what=what)


def find_unit(G: OrgGraph, query: Hashable) -> Hashable:
    """Resolve a unit by id, name, abbreviation or other name, in any case.

    >>> import ice_graph
    >>> G = ice_graph.load()
    >>> find_unit(G, "Enforcement and Removal Operations"), find_unit(G, "hsi")
    ('ero', 'hsi')
    >>> find_unit(G, "Homeland Security Investigation")
    Traceback (most recent call last):
    ...
    ice_graph.errors.UnitNotFound: no unit matches 'Homeland Security Investigation'; did you mean 'hsi', 'hsi-national-security-investigations'?
    """
    return find_node(G, query, category="unit")


def search(G: OrgGraph, text: str) -> list[Hashable]:
    """Ids of the nodes whose id, name, abbreviation or other names contain ``text``.

    >>> import ice_graph
    >>> search(ice_graph.load(), "security")[:3]
    ['dhs', 'hsi', 'national-security-division']
    """
    q = _norm(text)
    return [n for n in G if any(q in _norm(s) for s in _labels(G, n))]


def names(G: OrgGraph, ids: Iterable[Hashable]) -> list[str]:
    """The display names of ``ids``, in the same order.

    >>> import ice_graph
    >>> G = ice_graph.load()
    >>> names(G, ice_graph.chain_of_command(G, "ero"))
    ['U.S. Immigration and Customs Enforcement', 'U.S. Department of Homeland Security']
    """
    return [G.nodes[i].get("name", str(i)) for i in ids]
