"""The chart object and the two entry points: :func:`chart` draws, :func:`render` also writes a file."""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import history
from .._types import OrgGraph
from ..errors import ExportError, GraphvizNotFound
from ..history import undated_note
from ..io._files import PathOrFile, write_bytes
from ..schema import unknown
from ..style import Theme, clean_text, detail_lines, get_theme
from ..views import roots
from .graphviz import dot_text, graphviz_available, run_graphviz
from .html import write_html
from .mpl import draw_matplotlib
from .select import MAX_CHART_NODES, chart_view, collapse, levels, main_unit, without_areas

__all__ = ["Chart", "chart", "render", "short_title", "long_date", "default_title", "ENGINES", "FORMATS", "DPI_RANGE"]

ENGINES = ("auto", "graphviz", "matplotlib")
FORMATS = ("png", "svg", "pdf", "dot")
#: Resolutions a chart may have (FreeType fails below a few dpi; memory above 1200).
DPI_RANGE = (30, 1200)
#: A title is cut to this many characters per line and lines (the matplotlib chart wraps it again to its width).
TITLE_WIDTH, TITLE_LINES = 100, 3
_MIMETYPES = {"image/png": "_repr_image_png", "image/svg+xml": "_repr_image_svg_xml"}


def _choice(value: str, allowed: Iterable[str], what: str) -> str:
    allowed = list(allowed)
    if value not in allowed:
        raise ExportError(unknown(what, value, allowed))
    return value


def _check_dpi(dpi: object) -> None:
    lo, hi = DPI_RANGE
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or not lo <= dpi <= hi:
        raise ExportError(f"dpi must be a number from {lo} to {hi}, got {dpi!r}")


def _inches(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and 0 < x < math.inf


def _check_size(size: object) -> None:
    """``size`` must be None or (width, height): two finite numbers of inches above 0."""
    if size is None:
        return
    if not isinstance(size, (tuple, list)) or len(size) != 2 or not all(map(_inches, size)):
        raise ExportError(f"size must be (width, height) in inches, two numbers above 0, got {size!r}")


def _check_max_nodes(max_nodes: object) -> None:
    if max_nodes is not None and (isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1):
        raise ExportError(f"max_nodes must be a whole number of nodes, 1 or more, or None; got {max_nodes!r}")


def short_title(title: object) -> str | None:
    """A title that fits a chart: control characters dropped, at most 3 lines of 100 characters.

    Longer titles are cut with an ellipsis; a 10,000-character title would otherwise
    make a chart hundreds of thousands of pixels wide.
    """
    if title is None:
        return None
    text = " ".join(clean_text(str(title)).split())
    lines = textwrap.wrap(text[: TITLE_WIDTH * (TITLE_LINES + 1)], TITLE_WIDTH, break_long_words=True)
    if len(" ".join(lines[:TITLE_LINES])) < len(text):
        lines = lines[:TITLE_LINES]
        lines[-1] = lines[-1][: TITLE_WIDTH - 2].rstrip() + " \u2026"
    return "\n".join(lines) or None


@dataclass
class Chart:
    """A drawn chart: bytes in one or more formats, shown inline by Jupyter."""

    graph: OrgGraph
    engine: str
    options: dict[str, Any] = field(default_factory=dict)
    #: what is drawn, when it is not ``graph`` itself: an overview (deeper levels counted in boxes)
    drawn: OrgGraph | None = None
    #: mission areas of the selection left out of the chart (drawn with ``areas=True``); its note says so
    hidden_areas: int = 0
    _cache: dict[str, bytes] = field(default_factory=dict, repr=False)

    def to_bytes(self, fmt: str) -> bytes:
        """The chart as ``png``, ``svg``, ``pdf`` or ``dot`` bytes."""
        fmt = _choice(fmt, FORMATS, "format")
        if fmt not in self._cache:
            V = self.graph if self.drawn is None else self.drawn
            if fmt == "dot":
                self._cache[fmt] = dot_text(V, self.options).encode("utf-8")
            elif self.engine == "graphviz":
                self._cache[fmt] = run_graphviz(V, fmt, self.options)
            else:
                self._cache[fmt] = draw_matplotlib(V, fmt, self.options)
        return self._cache[fmt]

    def save(self, path: PathOrFile, *, format: str | None = None) -> None:
        """Write the chart (format from the file's extension unless given), atomically."""
        fmt = format or (Path(str(path)).suffix.lstrip(".").lower() if not hasattr(path, "write") else "png")
        write_bytes(path, self.to_bytes(fmt or "png"))

    # Jupyter display, as the graphviz package does it: the methods are NOT IPython's
    # magic ``_repr_png_``/``_repr_svg_`` (IPython would call both and draw the chart
    # twice); ``_repr_mimebundle_`` returns one image, PNG unless asked otherwise.

    def _repr_image_png(self) -> bytes:
        return self.to_bytes("png")

    def _repr_image_svg_xml(self) -> str:
        return self.to_bytes("svg").decode("utf-8")

    def _repr_mimebundle_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None, **_: Any
    ) -> dict[str, Any]:
        """One image for Jupyter: PNG (small, drawn the same everywhere, GitHub included) or SVG if only that is asked."""
        wanted = set(include) if include is not None else {"image/png"}
        wanted -= set(exclude or ())
        mimetype = next((m for m in _MIMETYPES if m in wanted), None)
        return {mimetype: getattr(self, _MIMETYPES[mimetype])()} if mimetype else {}


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def long_date(date: object) -> str:
    """``'2005-06-01'`` -> ``'1 June 2005'``; ``'2005-06'`` -> ``'June 2005'``; other text as it is."""
    parts = str(date).split("-")
    try:
        nums = [int(x) for x in parts]
    except ValueError:
        return str(date)
    if len(nums) >= 2 and 1 <= nums[1] <= 12:
        month = f"{_MONTHS[nums[1] - 1]} {nums[0]}"
        return f"{nums[2]} {month}" if len(nums) == 3 else month
    return str(date)


def _agency_of(G: OrgGraph, unit: Hashable) -> str:
    """The abbreviation (or name) of the agency above ``unit``, or ``''``."""
    from ..views import parent_of

    seen: set[Hashable] = set()
    n: Hashable | None = unit
    while n is not None and n not in seen:
        seen.add(n)
        n = parent_of(G, n)
        if n is not None and G.nodes[n].get("kind") == "agency":
            return str(G.nodes[n].get("abbreviation") or G.nodes[n].get("name"))
    return ""


def default_title(G: OrgGraph, V: OrgGraph, root: Hashable | None) -> str:
    """The title a chart states: its branch and its date ("HSI's name · ICE, as of 1 June 2005")."""
    from ..lookup import find_unit

    # A date the data does not give (today's, set by the loader: G.graph["date_note"]) is not stated.
    given = None if G.graph.get("date_note") else G.graph.get("date")
    date = V.graph.get("as_of") or G.graph.get("as_of") or given
    when = f", as of {long_date(date)}" if date else ""
    r = None if root is None else find_unit(G, root)
    if r is None or r == main_unit(G):
        return f"{G.graph.get('title') or 'Organization chart'}{when}"
    agency = _agency_of(G, r) if G.nodes[r].get("kind") != "agency" else ""
    name = str(G.nodes[r].get("name", r))
    sep = " \u00b7 " if agency else ""
    return f"{name}{sep}{agency}{when}"


def _fits(V: OrgGraph, rankdir: str, page: str, legend: bool, show: tuple[str, ...]) -> bool:
    """Whether all of ``V`` fits ``page`` with type of 6 pt or more (8 pt on a screen size)."""
    from .mpl import min_type, plan

    opts = {"rankdir": rankdir, "theme": "light", "title": None, "note": "", "legend": legend, "page": page}
    return plan(V, {**opts, "size": None, "show": show}).min_type(legend) >= min_type(page)


def _fitted(V: OrgGraph, opts: dict[str, Any]) -> tuple[OrgGraph, str]:
    """``V``, or ``V`` collapsed to fewer levels (counts below) until its type reaches 6 pt on the page
    (8 pt on a screen size)."""
    from .mpl import min_type, plan

    if not opts.get("page") or opts.get("size"):
        return V, ""
    least = min_type(opts["page"])
    deepest = max(levels(V).values(), default=0)
    if plan(V, opts).min_type(opts["legend"]) >= least or deepest < 2:
        return V, ""
    for depth in range(deepest - 1, 0, -1):
        C = collapse(V, depth)
        if plan(C, opts).min_type(opts["legend"]) >= least:
            break
    hidden = len(V) - (len(C) - sum(1 for _, a in C.nodes(data=True) if a.get("kind") == "summary"))
    return (
        C,
        f"an overview: {hidden} more units, programs and partners are counted in the grey boxes",
    )


def _without_areas(V: OrgGraph) -> tuple[OrgGraph, int]:
    """``V`` without its mission areas, and how many that leaves out."""
    W = without_areas(V)
    return W, len(V) - len(W)


def _areas_note(n: int) -> str:
    """What the chart says it left out ('16 mission areas not shown').

    Said to the chart's readers in their words; how to draw them (areas=True, --areas) is the author's business.
    """
    return f"{n} mission area{'s' if n != 1 else ''} not shown" if n else ""


def chart(
    G: OrgGraph,
    *,
    engine: str = "auto",
    root: Hashable | None = None,
    depth: int | None = None,
    hierarchy_only: bool = False,
    relations: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    rankdir: str = "auto",
    theme: str | Theme = "light",
    title: str | None = None,
    dpi: int = 150,
    size: tuple[float, float] | None = None,
    legend: bool = True,
    max_nodes: int | None = MAX_CHART_NODES,
    as_of: str | None = None,
    page: str | None = "letter-landscape",
    aspect: float | None = None,
    show: Iterable[str] = (),
    areas: bool = False,
    fit: bool = True,
    pages: dict[Hashable, int] | None = None,
    overview_main: bool = True,
) -> Chart:
    """Draw ``G`` (or a part of it) as an org chart; see :func:`render` for the options.

    >>> import ice_graph
    >>> c = ice_graph.chart(ice_graph.load(), root="HSI", engine="matplotlib")
    >>> c.to_bytes("png")[:4]
    b'\\x89PNG'
    """
    from .mpl import page_size

    _choice(engine, ENGINES, "engine")
    if rankdir not in ("TB", "LR", "auto"):
        raise ExportError(unknown("direction", rankdir, ("TB", "LR", "auto")))
    get_theme(theme)
    _check_dpi(dpi)
    _check_size(size)
    _check_max_nodes(max_nodes)
    if page is not None:
        page_size(page)
    if aspect is not None and not (_inches(aspect) and 0.05 <= aspect <= 20):
        raise ExportError(f"aspect must be a width/height ratio from 0.05 to 20, got {aspect!r}")
    show = tuple(show)
    detail_lines({}, show)
    if engine == "graphviz" and not graphviz_available():
        raise GraphvizNotFound()
    chosen = "graphviz" if engine == "graphviz" else "matplotlib"
    if as_of is not None:
        G = history.as_of(G, as_of)
    V, note = chart_view(
        G, root=root, depth=depth, hierarchy_only=hierarchy_only, relations=relations, kinds=kinds, max_nodes=max_nodes
    )
    hidden_areas = 0
    if not areas and kinds is None:
        V, hidden_areas = _without_areas(V)
    main = main_unit(G) if overview_main and root is None and depth is None and fit and page and not size else None
    if main is not None and page and main != next(iter(roots(V)), main) and not _fits(V, rankdir, page, legend, show):
        # The whole does not fit its page: the default chart is the overview of the unit the data is about.
        V, note = chart_view(G, root=main, hierarchy_only=hierarchy_only, relations=relations, max_nodes=max_nodes)
        if not areas:
            V, hidden_areas = _without_areas(V)
    if len(V) == 0:
        raise ExportError("nothing to draw: the selection is empty")
    undated, areas_note = undated_note(V), _areas_note(hidden_areas)
    cut_note, note = note, " \u00b7 ".join(x for x in (note, areas_note, undated) if x)
    heading = title if title is not None else (default_title(G, V, root) if V.graph.get("title") else None)
    opts = {
        "rankdir": rankdir,
        "theme": theme,
        "title": short_title(heading),
        "dpi": dpi,
        "size": size,
        "legend": legend,
        "note": note,
        "page": page,
        "aspect": aspect,
        "show": show,
    }
    drawn: OrgGraph | None = None
    if pages:  # an overview page of a multi-page PDF: every unit below the top continues on its page
        drawn = collapse(V, 1, pages=pages)
    elif fit:
        C, fit_note = _fitted(V, opts)
        drawn = None if C is V else C
        # The overview draws fewer levels than the cut kept: its "top N levels" no longer holds, but
        # what the cut left out must still be said (the grey boxes count only what the cut kept).
        kept = re.sub(r"^showing the top \d+ levels: ", "selected ", cut_note) if drawn is not None else cut_note
        opts["note"] = " \u00b7 ".join(x for x in (kept, areas_note, undated, fit_note) if x)
    return Chart(V, chosen, opts, drawn, hidden_areas=hidden_areas)


def render(G: OrgGraph, path: PathOrFile, *, format: str | None = None, **options: Any) -> Chart | None:
    """Draw ``G`` as an org chart and write it to ``path`` (PNG, SVG, PDF, DOT or HTML).

    The format comes from the file's extension unless ``format`` is given. ``.html``
    writes the interactive chart (:func:`ice_graph.charts.html.write_html`: pan, zoom,
    search, sources on click, a date control when ``G`` holds the history; options
    ``title``, ``as_of`` and ``collapse_below``) and returns None. Options of the images:

    - ``engine``: ``"auto"`` or ``"matplotlib"`` (the chart laid out to the page, the
      same on every machine) or ``"graphviz"`` (``dot``'s layout, orthogonal connectors);
    - ``root`` and ``depth``: draw a branch, or only the top levels;
    - ``hierarchy_only``: units and ``has_unit`` edges alone;
    - ``relations``, ``kinds``: which relations and kinds of node to include;
    - ``rankdir``: ``"auto"`` (whichever fits the page better), ``"TB"`` (top-down) or ``"LR"``;
    - ``page``: the paper the chart is laid out for (default ``"letter-landscape"``;
      letter, a4, tabloid, a3, each ``-landscape`` or ``-portrait``; ``"column"``: a web
      page's 600 px column, up to 800 px tall, with 8 pt type at least (``dpi=192`` makes a
      PNG of twice the pixels, sharp on a phone); None: natural size); a PDF is exactly that
      size, and a chart too big for it at 6 pt type (8 pt for a column) becomes an overview
      (deeper levels counted in boxes) unless ``fit=False``;
    - ``aspect``: the width/height the layout aims for (instead of the page's);
    - ``show``: what boxes add below the name: ``("head", "employees")``;
    - ``areas``: also the mission areas (off by default: they are not units);
    - ``overview_main``: when the whole graph does not fit its page, draw the overview
      of the unit the dataset is about (its id; ICE for the bundled data), not of the
      whole graph (DHS and its components);
    - ``pages``: unit -> page number; the chart is the overview of a multi-page PDF,
      each of those units' boxes saying "continued on page N";
    - ``theme``: ``"light"`` or ``"print"`` (grayscale);
    - ``title``, ``dpi``, ``size`` (width, height in inches, a maximum), ``legend``;
    - ``max_nodes``: above this many nodes only the top levels are drawn (the chart says so);
    - ``as_of``: the organization on that date (needs ``load(history=True)``); a
      history graph is otherwise drawn as it stands on the data's date.

    The file is written atomically: a failure leaves no partial file.
    """
    fmt = format or Path(str(path)).suffix.lstrip(".").lower()
    if fmt in ("html", "htm"):
        write_html(G, path, **options)
        return None
    _choice(fmt, (*FORMATS, "html"), "format")
    c = chart(G, **options)
    c.save(path, format=fmt)
    return c
