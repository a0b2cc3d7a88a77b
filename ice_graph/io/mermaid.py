"""Mermaid flowchart text for the hierarchy, for Markdown on GitHub.

Node ids are generated (``n0``, ``n1`` ...) and every label is quoted with
Mermaid's entity codes for ``"``, ``#``, ``&``, ``<`` and ``>``, so no name can
break the diagram's syntax. Kinds become class names made of letters, digits and
``_`` only (a kind that is not one gets ``k<index>``), so no kind can add a line.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from typing import Any

from .._types import OrgGraph
from ..errors import ExportError
from ..progress import Progress, step
from ..style import get_theme, label_lines
from ._common import paused_writer, require_simple
from ._files import PathOrFile, write_lines

__all__ = ["generate_mermaid", "write_mermaid", "mermaid_label"]

_ARROWS = {"has_unit": "---", "runs": "-.->", "responsible_for": "-.->", "partners_with": "==>"}


def mermaid_label(text: str) -> str:
    """Text safe inside a quoted Mermaid label."""
    out = []
    for ch in text:
        if ch == "#":
            out.append("#35;")
        elif ch == '"':
            out.append("#quot;")
        elif ch == "&":
            out.append("#amp;")
        elif ch == "<":
            out.append("#lt;")
        elif ch == ">":
            out.append("#gt;")
        elif ch in "`\\":
            out.append(f"#{ord(ch)};")
        elif ord(ch) < 32 or 0xD800 <= ord(ch) <= 0xDFFF:  # controls; lone surrogates (no UTF-8)
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


_CLASS_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
#: Words Mermaid gives a meaning of its own, never used as a class name.
_MERMAID_WORDS = frozenset({"default", "end", "graph", "flowchart", "subgraph", "class", "classdef", "click", "style"})


def class_names(kinds: list[Hashable]) -> dict[Hashable, str]:
    """A safe, distinct Mermaid class name per kind: the kind itself when it is a plain word."""
    out: dict[Hashable, str] = {}
    used: set[str] = set()
    for i, k in enumerate(kinds):
        name = str(k)
        if not _CLASS_NAME.fullmatch(name) or name.lower() in _MERMAID_WORDS or name in used:
            name = f"k{i}"
            while name in used or name in kinds:
                name = "k" + name
        out[k] = name
        used.add(name)
    return out


@paused_writer
def generate_mermaid(
    G: OrgGraph, *, hierarchy_only: bool = True, direction: str = "TD", theme: str = "light"
) -> Iterator[str]:
    """Lines of a Mermaid flowchart (the hierarchy, or every relation)."""
    if direction not in ("TD", "LR"):
        raise ExportError(f"direction must be 'TD' or 'LR', got {direction!r}")
    require_simple(G, "Mermaid")
    th = get_theme(theme)
    keep = {n: a for n, a in G.nodes(data=True) if not hierarchy_only or a.get("category") == "unit"}
    ids = {n: f"n{i}" for i, n in enumerate(keep)}
    lines = [f"flowchart {direction}\n"]
    for n, a in keep.items():
        label = "<br/>".join(mermaid_label(line) for line in label_lines(a))
        lines.append(f'    {ids[n]}["{label}"]\n')
    for u, v, a in G.edges(data=True):
        rel = a.get("relation", "has_unit")
        if u in ids and v in ids and (not hierarchy_only or rel == "has_unit"):
            lines.append(f"    {ids[u]} {_ARROWS.get(rel, '-->')} {ids[v]}\n")
    members: dict[Any, list[str]] = {}  # kind -> node ids, in one pass
    for n, a in keep.items():
        members.setdefault(a.get("kind", "unit"), []).append(ids[n])
    kinds = list(members)
    names = class_names(kinds)
    for k in kinds:
        st = th.node(k)
        lines.append(f"    classDef {names[k]} fill:{st.fill},stroke:{st.border},color:{st.text}\n")
    lines += [f"    class {','.join(members[k])} {names[k]}\n" for k in kinds]
    yield "".join(lines)


def write_mermaid(G: OrgGraph, path: PathOrFile, **options: object) -> None:
    """Write Mermaid text to a path (atomically), '-' or a file object."""
    with Progress(1, label="Writing Mermaid"):
        write_lines(path, generate_mermaid(G, **options))  # type: ignore[arg-type]
        step()
