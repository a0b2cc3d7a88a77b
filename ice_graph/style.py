"""How each kind of node and each relation looks, per theme.

One table serves every output: the Graphviz chart, the matplotlib chart, and the
colors that GraphML and GEXF files carry for Gephi.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ExportError
from .schema import KINDS, RELATIONS, unknown

__all__ = [
    "BOLD_KINDS",
    "font_size",
    "Theme",
    "NodeStyle",
    "EdgeStyle",
    "THEMES",
    "get_theme",
    "label_lines",
    "label_lines_all",
    "detail_lines",
    "SHOW",
    "clean_text",
    "hex_to_rgb",
]


@dataclass(frozen=True)
class NodeStyle:
    fill: str
    border: str
    text: str
    shape: str  # Graphviz shape; the matplotlib chart maps it to a box style
    border_width: float = 1.0
    dashed: bool = False
    peripheries: int = 1


#: The box that counts what an overview leaves out ("25 field offices"), in every theme.
SUMMARY_STYLE = NodeStyle(fill="#f2f2f2", border="#6b6b6b", text="#1a1a1a", shape="box", dashed=True)


@dataclass(frozen=True)
class EdgeStyle:
    color: str
    style: str  # solid, dashed, dotted, bold
    width: float
    arrow: str  # Graphviz arrowhead
    label: str


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    title: str
    font: str
    nodes: Mapping[str, NodeStyle]
    edges: Mapping[str, EdgeStyle]
    kind_labels: Mapping[str, str] = field(default_factory=dict)

    def node(self, kind: str) -> NodeStyle:
        """The style of a kind; an overview's count box (kind ``summary``) is grey and dashed in every theme."""
        if kind == "summary":
            return SUMMARY_STYLE
        return self.nodes.get(kind) or self.nodes["unit"]

    def edge(self, relation: str) -> EdgeStyle:
        """The style of a relation; a relation outside the vocabulary looks like has_unit."""
        return self.edges.get(relation) or self.edges["has_unit"]


_KIND_LABELS = {
    "department": "Department",
    "agency": "Agency",
    "directorate": "Directorate",
    "office": "Office",
    "division": "Division",
    "section": "Section",
    "center": "Center",
    "field_office": "Field office",
    "task_force": "Task force",
    "unit": "Unit",
    "program": "Program",
    "operation": "Operation",
    "mission_area": "Mission area",
    "partner_agency": "Partner agency",
    "partner_organization": "Partner organization",
}

_EDGE_LABELS = {
    "has_unit": "has unit (hierarchy)",
    "runs": "runs",
    "responsible_for": "responsible for",
    "partners_with": "works with",
    "predecessor_of": "predecessor of",
}

_LIGHT_NODES = {
    "department": NodeStyle("#1b365d", "#0f2240", "#ffffff", "box", 1.5),
    "agency": NodeStyle("#24518a", "#163a66", "#ffffff", "box", 1.5),
    "directorate": NodeStyle("#3b78b8", "#24518a", "#ffffff", "box"),
    "office": NodeStyle("#8fb8e0", "#3b78b8", "#0f2240", "box"),
    "division": NodeStyle("#c9ddf2", "#5b8fc7", "#0f2240", "box"),
    "section": NodeStyle("#e6eff9", "#7ea6d3", "#0f2240", "box"),
    "center": NodeStyle("#e6eff9", "#7ea6d3", "#0f2240", "box"),
    "field_office": NodeStyle("#f1f5fb", "#9ab8db", "#0f2240", "box"),
    "task_force": NodeStyle("#f1f5fb", "#9ab8db", "#0f2240", "box"),
    "unit": NodeStyle("#f1f5fb", "#9ab8db", "#0f2240", "box"),
    "program": NodeStyle("#fde7c2", "#c27c0e", "#4a2c00", "note"),
    "operation": NodeStyle("#fde7c2", "#c27c0e", "#4a2c00", "note"),
    "mission_area": NodeStyle("#dcefd9", "#3d8b47", "#143d1a", "ellipse"),
    "partner_agency": NodeStyle("#f6dce6", "#a3385f", "#4a0f26", "box", 1.2, False, 2),
    "partner_organization": NodeStyle("#f6dce6", "#a3385f", "#4a0f26", "box", 1.2, True, 2),
}

_LIGHT_EDGES = {
    "has_unit": EdgeStyle("#5a6472", "solid", 1.3, "none", _EDGE_LABELS["has_unit"]),
    "runs": EdgeStyle("#c27c0e", "dashed", 1.2, "normal", _EDGE_LABELS["runs"]),
    "responsible_for": EdgeStyle("#3d8b47", "dotted", 1.4, "normal", _EDGE_LABELS["responsible_for"]),
    "partners_with": EdgeStyle("#a3385f", "dashed", 1.6, "normal", _EDGE_LABELS["partners_with"]),
    "predecessor_of": EdgeStyle("#8a8f98", "dashed", 1.2, "empty", _EDGE_LABELS["predecessor_of"]),
}

_PRINT_NODES = {
    "department": NodeStyle("#262626", "#000000", "#ffffff", "box", 1.5),
    "agency": NodeStyle("#4d4d4d", "#000000", "#ffffff", "box", 1.5),
    "directorate": NodeStyle("#808080", "#000000", "#ffffff", "box"),
    "office": NodeStyle("#b3b3b3", "#000000", "#000000", "box"),
    "division": NodeStyle("#d9d9d9", "#000000", "#000000", "box"),
    "section": NodeStyle("#efefef", "#000000", "#000000", "box"),
    "center": NodeStyle("#efefef", "#000000", "#000000", "box"),
    "field_office": NodeStyle("#ffffff", "#000000", "#000000", "box"),
    "task_force": NodeStyle("#ffffff", "#000000", "#000000", "box"),
    "unit": NodeStyle("#ffffff", "#000000", "#000000", "box"),
    "program": NodeStyle("#ffffff", "#000000", "#000000", "note", 1.0, True),
    "operation": NodeStyle("#ffffff", "#000000", "#000000", "note", 1.0, True),
    "mission_area": NodeStyle("#f2f2f2", "#000000", "#000000", "ellipse"),
    "partner_agency": NodeStyle("#ffffff", "#000000", "#000000", "box", 1.2, False, 2),
    "partner_organization": NodeStyle("#ffffff", "#000000", "#000000", "box", 1.2, True, 2),
}

_PRINT_EDGES = {
    "has_unit": EdgeStyle("#000000", "solid", 1.3, "none", _EDGE_LABELS["has_unit"]),
    "runs": EdgeStyle("#000000", "dashed", 1.1, "normal", _EDGE_LABELS["runs"]),
    "responsible_for": EdgeStyle("#000000", "dotted", 1.4, "normal", _EDGE_LABELS["responsible_for"]),
    "partners_with": EdgeStyle("#000000", "bold", 2.0, "normal", _EDGE_LABELS["partners_with"]),
    "predecessor_of": EdgeStyle("#000000", "dashed", 1.0, "empty", _EDGE_LABELS["predecessor_of"]),
}

THEMES: dict[str, Theme] = {
    "light": Theme("light", "#ffffff", "#0f2240", "DejaVu Sans", _LIGHT_NODES, _LIGHT_EDGES, _KIND_LABELS),
    "print": Theme("print", "#ffffff", "#000000", "DejaVu Sans", _PRINT_NODES, _PRINT_EDGES, _KIND_LABELS),
}
assert set(_LIGHT_NODES) == set(KINDS) == set(_PRINT_NODES)
assert set(_LIGHT_EDGES) == set(RELATIONS) == set(_PRINT_EDGES)


#: Kinds whose chart labels are bold.
BOLD_KINDS = frozenset({"department", "agency", "directorate"})


def font_size(kind: str, category: str) -> float:
    """Label size in points: larger for the top of the organization, smaller for non-units."""
    if kind in ("department", "agency"):
        return 11.0
    return 10.0 if category == "unit" else 9.0


def get_theme(theme: str | Theme) -> Theme:
    """A theme by name (``light`` or ``print``), or the Theme given."""
    if isinstance(theme, Theme):
        return theme
    try:
        return THEMES[theme]
    except KeyError:
        raise ExportError(unknown("theme", theme, THEMES)) from None


def _drawable(ch: str) -> bool:
    if ch in "\n\t":
        return True
    cat = unicodedata.category(ch)
    return cat not in ("Cc", "Cs", "Co", "Cn") or ch == " "


def clean_text(text: str) -> str:
    """``text`` without what no chart can draw: control characters, lone surrogates, non-characters.

    Line breaks and tabs stay (labels treat them as white space); the rest would make
    an SVG file that is not well-formed XML, or a DOT file that ``dot`` rejects.
    """
    if text.isprintable():
        return text
    return "".join(ch for ch in text if _drawable(ch))


def wrap_words(words: list[str], width: int) -> list[str]:
    """``textwrap.wrap(" ".join(words), width, break_long_words=True)``, greedily and without regexes.

    Labels are wrapped for every node of a chart (10^5 at a time); textwrap's regex split
    was most of the layout's time. Words with a hyphen (textwrap may break after it) or
    longer than ``width`` (textwrap cuts them) go through textwrap itself, so the lines
    are always exactly textwrap's.
    """
    text = " ".join(words)
    if len(text) <= width:
        return [text]
    if "-" in text or width < 1 or max(map(len, words)) > width:
        return textwrap.wrap(text, width=width, break_long_words=True) or [text]
    lines: list[str] = []
    line, used = [words[0]], len(words[0])
    for w in words[1:]:
        if used + 1 + len(w) <= width:
            line.append(w)
            used += 1 + len(w)
        else:
            lines.append(" ".join(line))
            line, used = [w], len(w)
    lines.append(" ".join(line))
    return lines


def label_lines(attrs: Mapping[str, Any], *, width: int = 24) -> list[str]:
    """The lines of a node's chart label: its name wrapped, then its abbreviation.

    Control characters are dropped (see :func:`clean_text`).
    """
    name_lines, abbreviation = label_parts(attrs, width=width)
    return name_lines + abbreviation


def label_lines_all(attrs: Iterable[Mapping[str, Any]], *, width: int = 24) -> list[list[str]]:
    """:func:`label_lines` of every node in ``attrs``, in one pass: a layout labels 10^5 nodes at a time.

    Most labels are a plain name (wrapped when longer than ``width``) and a plain
    abbreviation or none: those are made here, without a call per node (two calls per
    label were a sixth of the layout's time). Plain: a non-empty string that cleaning and
    collapsing white space leave as it is; a printable string's only white space is
    ``" "`` (tabs, line breaks and other spaces are not printable), so it is plain when
    no space starts, ends or doubles. Every other label goes through :func:`label_lines`
    itself, so the lines are always the same. Each label is a new list (callers may
    extend it).
    """
    out: list[list[str]] = []
    add = out.append
    for a in attrs:
        name = a.get("name", "")
        if type(name) is str and name.isprintable() and name != "" and name[0] != " " != name[-1] and "  " not in name:
            lines = [name] if len(name) <= width else wrap_words(name.split(" "), width)
            abbreviation = a.get("abbreviation", "")
            if abbreviation == "":
                add(lines)
                continue
            if (
                type(abbreviation) is str
                and abbreviation.isprintable()
                and abbreviation[0] != " " != abbreviation[-1]
                and "  " not in abbreviation
            ):  # shown unless it merely repeats the name
                if abbreviation.casefold() != " ".join(lines).casefold():
                    lines.append(f"({abbreviation})")
                add(lines)
                continue
        add(label_lines(a, width=width))
    return out


def label_parts(attrs: Mapping[str, Any], *, width: int = 24) -> tuple[list[str], list[str]]:
    """:func:`label_lines` in two parts: the name's lines, and the abbreviation's line (or none)."""
    raw = attrs.get("name", "")
    if type(raw) is not str:
        raw = str(raw)
    if 0 < len(raw) <= width and raw.isprintable() and raw[0] != " " != raw[-1] and "  " not in raw:
        lines = [raw]  # most names: one short line, nothing to clean (a printable name's only space is " ")
    elif raw.isprintable():  # a line break is not printable: one part, nothing to clean
        words = raw.split()
        text = " ".join(words)
        lines = [text] if 0 < len(text) <= width else wrap_words(words, width) if words else ["?"]
    else:
        lines = []
        clean = clean_text(raw)
        for part in clean.splitlines() or [clean]:  # a newline in a name is a line break
            words = part.split()
            if words:
                lines.extend(wrap_words(words, width))
        lines = lines or ["?"]
    abbreviation = attrs.get("abbreviation", "")
    if abbreviation == "" or (isinstance(abbreviation, str) and abbreviation.isspace()):  # most nodes have none
        return lines, []
    abbr = " ".join(clean_text(str(abbreviation)).split())
    if abbr and abbr.casefold() != " ".join(lines).casefold():
        return lines, [f"({abbr})"]
    return lines, []


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    c = color.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


#: What a box can show besides its name (``show=``).
SHOW = ("head", "employees")


def _size_line(attrs: Mapping[str, Any]) -> str:
    """``'10,000+ employees'``, ``'about 1,670 employees'``, ``'6,700 employees (2006)'``.

    The source's qualifier is kept (never a bare number for "nearly 65,000"), and a dated
    figure says its year, so that an old figure is never read as today's.
    """
    value = attrs.get("employees")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return ""
    qualifier = str(attrs.get("employees_qualifier", "")).strip().lower()
    more = "+" if qualifier.startswith(("more", "over", "at least")) else ""
    words = {"nearly": "nearly", "almost": "nearly", "about": "about", "approximately": "about", "around": "about"}
    before = "" if more or not qualifier else f"{words.get(qualifier, qualifier)} "
    year = f" ({str(attrs['employees_date'])[:4]})" if attrs.get("employees_date") else ""
    return f"{before}{int(value):,}{more} employees{year}"


def detail_lines(attrs: Mapping[str, Any], show: tuple[str, ...], width: int = 28) -> list[str]:
    """The lines a box adds below its name for ``show``: the head's title, the size.

    Only what the data has is shown: a unit without ``head_title`` gets no head line.
    """
    bad = [s for s in show if s not in SHOW]
    if bad:
        raise ExportError(unknown("show", bad[0], SHOW))
    lines: list[str] = []
    if "head" in show and str(attrs.get("head_title") or "").strip():
        lines += textwrap.wrap(clean_text(str(attrs["head_title"])), width=width) or []
    if "employees" in show and (size := _size_line(attrs)):
        lines.append(size)
    return lines
