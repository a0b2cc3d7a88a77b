"""Seeded synthetic organizations, for tests, benchmarks and demonstrations.

:func:`random_document` makes a data document (as read from a file) of ``n``
units: a tree of depth up to 8 whose branching varies by level (3 to 8), kinds
by level, a few text fields each, one registered source, and about
``extra_ratio`` * n extra non-tree edges to programs, mission areas and partners.
With ``awkward=True`` names hold characters that break naive writers (quotes,
``&``, ``<>``, ``|``, non-ASCII), and some units get dated other names, measures
for several dates and reorganization events. The same arguments always give the
same document.
"""

from __future__ import annotations

import random
from typing import Any

from ._types import OrgGraph
from .codec import build_graph
from .model import Record
from .validate import validate

__all__ = ["random_document", "random_organization"]

_LEVEL_KINDS = ["department", "agency", "directorate", "office", "division", "section", "field_office", "unit"]
_WORDS = [
    "Border",
    "Customs",
    "Field",
    "Legal",
    "Policy",
    "Budget",
    "Records",
    "Training",
    "Cyber",
    "Trade",
    "Intelligence",
    "Support",
    "Planning",
    "Finance",
    "Operations",
    "Analysis",
    "Outreach",
    "Safety",
]
_AWKWARD = [
    '"Quoted"',
    "A & B",
    "<Angle>",
    "Colon: here",
    "Back\\slash",
    "Café Ñandú",
    " padded ",
    "x;y{z}",
    "50% = half",
    "R|D",
    "Research | Development",
]


def _name(rng: random.Random, i: int, awkward: bool) -> str:
    words = rng.sample(_WORDS, 2)
    base = f"{words[0]} {words[1]} {i}"
    if awkward and rng.random() < 0.3:
        base = f"{rng.choice(_AWKWARD)} {base}"
    return base


def random_document(
    n: int, *, seed: int = 0, extra_ratio: float = 0.05, awkward: bool = False, max_depth: int = 8
) -> dict[str, Any]:
    """A document with ``n`` units (n >= 1), reproducible from ``seed``."""
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    rng = random.Random(seed)
    cite = [Record({"source": "synthetic", "quote": "generated"})]
    nodes: list[Record] = [Record({"id": "u0", "kind": "department", "name": _name(rng, 0, awkward), "cite": cite})]
    levels = [0]
    frontier = [0]
    next_id = 1
    # Grow breadth first; branching shrinks with depth so the tree reaches depth 6-8.
    while next_id < n:
        if not frontier:
            frontier = [i for i in range(len(nodes)) if levels[i] < max_depth - 1] or [0]
        new_frontier = []
        for parent in frontier:
            level = levels[parent] + 1
            if level >= max_depth:
                continue
            low, high = (3, 8) if level < 3 else (2, 6) if level < 5 else (1, 4)
            for _ in range(rng.randint(low, high)):
                if next_id >= n:
                    break
                rec = Record(
                    {
                        "id": f"u{next_id}",
                        "kind": _LEVEL_KINDS[min(level, len(_LEVEL_KINDS) - 1)],
                        "name": _name(rng, next_id, awkward),
                        "parent": f"u{parent}",
                        "cite": cite,
                    }
                )
                if rng.random() < 0.5:
                    rec["abbreviation"] = (
                        "".join(w[0] for w in rec["name"].split() if w[:1].isalpha()).upper()[:5] or "X"
                    )
                if rng.random() < 0.3:
                    rec["description"] = f"Handles {rng.choice(_WORDS).lower()} matters."
                nodes.append(rec)
                levels.append(level)
                new_frontier.append(next_id)
                next_id += 1
            if next_id >= n:
                break
        frontier = new_frontier
    relations: list[Record] = []
    extra = int(round(n * extra_ratio))
    kinds = [
        ("program", "runs", "p"),
        ("mission_area", "responsible_for", "m"),
        ("partner_agency", "partners_with", "x"),
    ]
    targets: list[tuple[str, str]] = []
    for j in range(max(1, extra // 3) if extra else 0):
        for kind, rel, prefix in kinds:
            nid = f"{prefix}{j}"
            nodes.append(
                Record({"id": nid, "kind": kind, "name": f"{kind.replace('_', ' ').title()} {j}", "cite": cite})
            )
            targets.append((nid, rel))
    units = list(range(n))
    pairs = set()
    for k in range(extra):
        nid, rel = targets[k % len(targets)]
        u = f"u{rng.choice(units)}"
        if (u, nid) in pairs:
            continue
        pairs.add((u, nid))
        relations.append(Record({"unit": u, "relation": rel, "target": nid, "cite": cite}))
    doc: dict[str, Any] = {
        "dataset": Record(
            {"id": f"synthetic-{n}-{seed}", "title": f"Synthetic organization ({n} units)", "date": "2024-01-01"}
        ),
        "sources": [Record({"id": "synthetic", "title": "ice_graph.synthetic", "accessed": "2024-01-01"})],
        "nodes": nodes,
        "relations": relations,
    }
    if awkward:
        # A separate generator, so the tree is the same with and without awkward facts.
        doc["events"] = _add_dated_facts(nodes[:n], random.Random(seed + 1), cite)
    return doc


def _add_dated_facts(units: list[Record], rng: random.Random, cite: list[Record]) -> list[Record]:
    """Give some units dated other names (with ``|``) and dated measures; return events about them."""
    events: list[Record] = []
    for rec in units:
        if rng.random() < 0.2:
            rec["other_names"] = [
                f"{rec['name']} | Old",
                Record({"name": f"Former | {rec['name']}", "from": "2001", "until": "2010-06", "cite": cite}),
            ]
            events.append(
                Record(
                    {
                        "date": "2010-06",
                        "type": "renamed",
                        "unit": rec["id"],
                        "before": f"Former | {rec['name']}",
                        "after": rec["name"],
                        "alt_dates": [Record({"date": "2010-07-01", "cite": cite})],
                        "cite": cite,
                    }
                )
            )
        if rng.random() < 0.15:
            rec["measures"] = {
                "employees": [
                    Record({"value": rng.randint(1, 5000), "date": "2019", "cite": cite}),
                    Record({"value": rng.randint(1, 5000), "qualifier": "about", "date": "2023-06-30", "cite": cite}),
                ]
            }
        if rng.random() < 0.05 and rec.get("parent"):
            events.append(
                Record(
                    {
                        "date": "2003-03-01",
                        "type": "created",
                        "unit": rec["id"],
                        "from_units": [rec["parent"]],
                        "cite": cite,
                    }
                )
            )
    return events


def random_organization(n: int, *, seed: int = 0, extra_ratio: float = 0.05, awkward: bool = False) -> OrgGraph:
    """The graph of :func:`random_document` (validated like any data file)."""
    return build_graph(
        validate(random_document(n, seed=seed, extra_ratio=extra_ratio, awkward=awkward), file="<synthetic>")
    )
