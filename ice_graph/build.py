"""The main job: every chart and graph file of a dataset, written to one folder."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._types import OrgGraph
from .charts import chart, graphviz_available, write_html
from .charts.select import main_unit
from .codec import dated_names, event_records
from .errors import IceGraphError
from .io import EXPORT_FORMATS
from .io._files import atomic_write
from .progress import Progress

__all__ = ["Output", "text_outputs", "chart_outputs", "check_out_folder", "build"]


@dataclass(frozen=True)
class Output:
    path: str  # relative to the output folder
    description: str
    opens_with: str


def _split(G: OrgGraph) -> tuple[OrgGraph, OrgGraph | None]:
    """The organization on the data's date, and the history graph when there is one."""
    if not G.graph.get("history"):
        return G, None
    from .history import as_of

    current = as_of(G, G.graph.get("date") or "9999-12-31")
    return current, (G if _has_dated_facts(G) else None)


def _has_dated_facts(G: OrgGraph) -> bool:
    """Whether any node, relation or name carries dates, or any event is recorded.

    Only then do the history files say more than the files of the current organization.
    """

    def dated(a: Mapping[str, Any]) -> bool:
        return bool(a.get("valid_from") or a.get("valid_until"))

    return (
        any(dated(a) for _, a in G.nodes(data=True))
        or any(dated(a) for _, _, a in G.edges(data=True))
        or any(n.valid_from or n.valid_until for node in G for n in dated_names(G, node))
        or bool(event_records(G))
    )


def text_outputs(G: OrgGraph) -> dict[str, tuple[Callable[[], Iterator[str]], Output]]:
    """The text files of a build (deterministic: compared byte for byte by the tests).

    ``G`` may be a history graph (``load(history=True)``): the files then show the
    organization on the data's date, and ``<id>-history.gexf``/``.graphml`` carry
    every dated fact (Gephi's timeline plays the history).
    """
    return _text_outputs(*_split(G))


def _text_outputs(G: OrgGraph, history: OrgGraph | None) -> dict[str, tuple[Callable[[], Iterator[str]], Output]]:
    what = {
        "graphml": "the whole graph with sources, layout and colors",
        "gexf": "the whole graph with sources, layout and colors",
        "json": "node-link JSON with every attribute",
        "cytoscape": "Cytoscape.js elements with positions",
        "nodes-csv": "one row per node, with its sources",
        "edges-csv": "one row per relation, with its sources",
        "sources-csv": "the source registry",
        "dataset-csv": "the dataset's id, title, date and license",
        "mermaid": "the hierarchy as a Mermaid flowchart",
        "dot": "the full org chart as Graphviz DOT",
    }
    stem = str(G.graph.get("id", "graph"))
    out: dict[str, tuple[Callable[[], Iterator[str]], Output]] = {}
    for fmt, description in what.items():
        f = EXPORT_FORMATS[fmt]
        name = f.filename.format(id=stem)
        rel = f"csv/{name}" if fmt.endswith("-csv") else name
        out[rel] = (functools.partial(f.generate, G), Output(rel, description, f.opens_with))
    if history is not None:
        for fmt, described in (
            ("gexf", "every dated fact, for Gephi's timeline"),
            ("graphml", "every dated fact, with valid_from/valid_until"),
        ):
            f = EXPORT_FORMATS[fmt]
            rel = f"{stem}-history.{fmt}"
            out[rel] = (functools.partial(f.generate, history), Output(rel, described, f.opens_with))
    return out


#: The page of the overview, and of the branch charts and the print PDF (more room, still a standard size).
OVERVIEW_PAGE, BRANCH_PAGE = "letter-landscape", "tabloid-landscape"


def branches(G: OrgGraph, min_units: int = 5) -> list[Hashable]:
    """The units that get a chart of their own: those below the main unit with ``min_units`` or more below them."""
    from .views import branch, children_of, roots

    tops = [main_unit(G)] if main_unit(G) is not None else roots(G)
    out = []
    for top in tops:
        for c in children_of(G, top):
            if len(branch(G, c)) - 1 >= min_units:
                out.append(c)
    return out


def _slug(G: OrgGraph, n: Hashable) -> str:
    a = G.nodes[n]
    text = str(a.get("abbreviation") or n).lower()
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-") or "unit"


def chart_outputs(
    *, graphviz: bool, stem: str = "ice", G: OrgGraph | None = None
) -> list[tuple[str, dict[str, object], Output]]:
    """The charts of a build: the overview (PNG, editable SVG), one chart per branch, the print PDF.

    Drawn by matplotlib (the same on every machine); Graphviz's overview too when installed.
    """
    root = main_unit(G) if G is not None else stem
    over: dict[str, object] = {"engine": "matplotlib", "root": root, "page": OVERVIEW_PAGE}
    specs: list[tuple[str, dict[str, object], str, str]] = [
        (f"{stem}.png", over, "the org chart: an overview on a landscape page", "any image viewer; articles"),
        (f"{stem}.svg", over, "the overview, editable (labels are text)", "browsers, Inkscape, Illustrator"),
        (
            f"{stem}-print.pdf",
            {"pages": True},
            "overview and branches, a tabloid page each, grayscale",
            "any PDF reader",
        ),
    ]
    for n in branches(G) if G is not None else []:
        assert G is not None
        name = str(G.nodes[n].get("name", n))
        opts: dict[str, object] = {
            "engine": "matplotlib",
            "root": n,
            "page": BRANCH_PAGE,
            "show": ("head", "employees"),
        }
        specs.append((f"{stem}-{_slug(G, n)}.png", opts, f"{name}: its chart", "any image viewer"))
        specs.append((f"{stem}-{_slug(G, n)}.svg", opts, f"{name}: its chart, editable", "Inkscape, Illustrator"))
    if graphviz:
        gv = {"engine": "graphviz", "root": root}
        specs += [
            (f"{stem}-graphviz.svg", gv, "the overview laid out by Graphviz dot", "browsers"),
            (f"{stem}-graphviz.png", {**gv, "dpi": 110}, "the overview laid out by Graphviz dot", "any image viewer"),
        ]
    return [(rel, opts, Output(rel, what, opens)) for rel, opts, what, opens in specs]


def print_pdf(G: OrgGraph) -> bytes:
    """The print PDF: the overview (each branch box says which page continues it), then a page per branch."""
    from .charts import chart
    from .charts.mpl import draw_pages

    parts = branches(G)
    pages = {n: i + 2 for i, n in enumerate(parts)}
    common: dict[str, Any] = {"engine": "matplotlib", "theme": "print", "page": BRANCH_PAGE}
    first = chart(G, root=main_unit(G), pages=pages, **common)
    total = len(parts) + 1
    docs = [(first.graph if first.drawn is None else first.drawn, {**first.options, "footer": f"page 1 of {total}"})]
    for n in parts:
        c = chart(G, root=n, show=("head", "employees"), **common)
        docs.append((c.graph if c.drawn is None else c.drawn, {**c.options, "footer": f"page {pages[n]} of {total}"}))
    return draw_pages(docs)


def check_out_folder(out: str | Path, data_path: str | Path) -> None:
    """Refuse an output folder that could overwrite the input data, in either direction.

    The input is a data file or a folder of CSV files. A build writes into ``out``
    and its ``csv/`` subfolder, so it refuses when ``out`` holds the input (``out``
    is the input's folder or above it) and, for a folder of CSV files, when ``out``
    is inside it. A folder beside a data file, or below it (``./org-chart/`` next to
    ``org-chart.csv``), is fine: a build writes only inside ``out``. Paths are
    resolved, so symlinks and ``..`` do not hide it.
    """
    src = Path(data_path).resolve()
    folder = src if src.is_dir() else src.parent
    target = Path(out).resolve()
    inside_input = src.is_dir() and folder in target.parents
    if folder == target or target in folder.parents or inside_input:
        raise IceGraphError(
            f"refusing to build into {out}: the input data {data_path} is in it or it is inside the input's "
            f"folder {folder}; choose an --out folder apart from the data"
        )


def build(
    G: OrgGraph,
    out: str | Path,
    *,
    data_path: str | Path | None = None,
    progress: Callable[[Output], None] | None = None,
) -> list[Output]:
    """Write every chart and graph file of ``G`` into ``out``; return what was written.

    Every file is written atomically. A build refuses to write where it could
    overwrite its own input (see :func:`check_out_folder`).
    """
    out = Path(out)
    if data_path is not None:
        check_out_folder(out, data_path)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Output] = []
    current, history = _split(G)
    texts = _text_outputs(current, history)
    stem = str(G.graph.get("id", "graph"))
    charts = chart_outputs(graphviz=graphviz_available(), stem=stem, G=current)
    bar = Progress(len(texts) + 1 + len(charts) + (history is not None), label="Building")

    def done(info: Output) -> None:
        written.append(info)
        bar.advance(1)
        if progress:
            progress(info)

    with bar:
        _build_outputs(out, current, history, G, stem, texts, charts, done)
    return written


def _build_outputs(
    out: Path,
    current: OrgGraph,
    history: OrgGraph | None,
    G: OrgGraph,
    stem: str,
    texts: dict[str, tuple[Callable[[], Iterator[str]], Output]],
    charts: list[tuple[str, dict[str, object], Output]],
    done: Callable[[Output], None],
) -> None:
    """Write the outputs of :func:`build`, calling ``done`` after each.

    A writer's own progress steps go to a silent inner bar, so that the build's bar counts whole files.
    """
    for rel, (gen, info) in texts.items():
        with atomic_write(out / rel) as fh, Progress(0, label=rel, stream=io.StringIO()):
            for chunk in gen():
                fh.write(chunk)
        done(info)
    # The interactive chart carries the history (its date control) when there is one.
    rel = f"{stem}.html"
    write_html(history if history is not None else current, out / rel)
    info = Output(rel, "the interactive org chart: search, sources on click, a date control", "any browser, offline")
    done(info)
    for rel, opts, info in charts:
        if opts.get("pages"):
            with atomic_write(out / rel, binary=True) as fh:
                fh.write(print_pdf(current))
        else:
            chart(current, **opts).save(out / rel)  # type: ignore[arg-type]
        done(info)
    if history is not None:
        from .charts import changes_chart
        from .history import events

        evs = events(history)
        if evs:
            # From the day the organization the data is about began (ICE: March 2003), else the first event.
            top = main_unit(current)
            began = history.nodes[top].get("valid_from") if top is not None and top in history else None
            start, end = str(began or evs[0]["date"]), str(G.graph.get("date"))
            rel = f"{stem}-changes.png"
            # Drawn from the main unit down, so its renamed, added and removed parts show.
            changes_chart(history, start, end, root=top).save(out / rel)
            info = Output(rel, f"what changed from {start} to {end}", "any image viewer")
            done(info)
