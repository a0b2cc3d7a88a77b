"""The ``ice-graph`` command: questions, charts and files from the shell.

Library errors (``IceGraphError``) and file errors (``OSError``) become one line
each on standard error and a non-zero exit status. Any other exception is a bug
in ice_graph and shows its traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Hashable, Iterable, Sequence
from pathlib import Path
from typing import Any

import click

from . import analysis as A
from . import progress
from ._types import OrgGraph
from ._version import __version__
from .codec import citations, counties
from .errors import DataError, IceGraphError
from .loader import bundled_data_path, load

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Ctx:
    def __init__(
        self, data: Path | None, as_of: str | None = None, *, strict: bool = False, source: str = "", date: str = ""
    ) -> None:
        self.data = data
        self.as_of = as_of
        self.strict = strict
        self.source = source
        self.date = date
        self._graph: OrgGraph | None = None

    def load(self, *, history: bool = False) -> OrgGraph:
        """The data (--data, or the bundled ICE data), with --strict, --source and --date applied."""
        return load(self.data, history=history, strict=self.strict, source=self.source, date=self.date)

    @property
    def graph(self) -> OrgGraph:
        """The organization on --as-of (default: on the data's date)."""
        if self._graph is None:
            if self.as_of:
                from .history import as_of

                history = self.load(history=True)
                _warn_before_start(history, self.as_of)
                self._graph = as_of(history, self.as_of)
                from .history import undated_note

                if note := undated_note(self._graph):
                    click.echo(f"note: as of {self.as_of}, {note}", err=True)
            else:
                self._graph = self.load()
        return self._graph

    @property
    def history(self) -> OrgGraph:
        """Every dated fact (or the --as-of snapshot when one was asked for)."""
        return self.graph if self.as_of else self.load(history=True)


def _plural(count: int, word: str) -> str:
    """``1 level``, ``2 levels``, ``1,234 units``."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _warn_before_start(H: OrgGraph, day: str) -> None:
    """Warn when --as-of is before a top unit of the data existed (it is then left out, not drawn)."""
    from .dates import day as first_day

    for n in H:
        start = H.nodes[n].get("valid_from")
        is_top = not any(H.edges[u, n].get("relation", "has_unit") == "has_unit" for u in H.predecessors(n))
        if (
            start
            and is_top
            and H.nodes[n].get("category", "unit") == "unit"
            and first_day(str(day)) < first_day(str(start))
        ):
            name = H.nodes[n].get("abbreviation") or H.nodes[n].get("name", n)
            click.echo(f"warning: --as-of {day} is before {name} existed (from {start})", err=True)


def _resolve(G: OrgGraph, query: str, category: str | None = "unit") -> Hashable:
    """The node ``query`` names; a partial match is said on standard error (``HSI (Homeland Security Investigations)``)."""
    from .lookup import resolve

    node, exact = resolve(G, query, category=category)
    if not exact:
        a = G.nodes[node]
        label = (
            f"{a['abbreviation']} ({a.get('name', node)})"
            if a.get("abbreviation")
            else f"{a.get('name', node)} ({node})"
        )
        click.echo(f"{query!r} resolved to {label}", err=True)
    return node


def _table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    if not rows:
        return "(none)"
    cells = [[str(r.get(c, "")) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=False)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=False)).rstrip() for row in cells]
    return "\n".join(lines)


def _node_rows(G: OrgGraph, ids: Iterable[Hashable]) -> list[dict[str, Any]]:
    return [
        {
            "id": n,
            "name": G.nodes[n].get("name", ""),
            "abbreviation": G.nodes[n].get("abbreviation", ""),
            "kind": G.nodes[n].get("kind", ""),
        }
        for n in ids
    ]


def _emit(G: OrgGraph, ids: list[Hashable], as_json: bool) -> None:
    rows = _node_rows(G, ids)
    click.echo(
        json.dumps(rows, ensure_ascii=False, indent=2)
        if as_json
        else _table(rows, ["id", "name", "abbreviation", "kind"])
    )


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts instead of a table.")


#: Options of the group that may also come after the command (``chain ERO --as-of 2005``): name -> takes a value.
GLOBAL_OPTIONS = {
    "--data": True,
    "--as-of": True,
    "--source": True,
    "--date": True,
    "--strict": False,
    "--quiet": False,
    "-q": False,
}


class _Group(click.Group):
    """A group whose own options are also accepted after the command's name."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, _hoist_global_options(args, self.commands))


def _hoist_global_options(args: list[str], commands: Any) -> list[str]:
    """Move the group's options found after the command name to before it."""
    front: list[str] = []
    rest = list(args)
    i = next((k for k, a in enumerate(rest) if a in commands), None)
    if i is None:
        return rest
    head, tail = rest[: i + 1], rest[i + 1 :]
    kept: list[str] = []
    k = 0
    while k < len(tail):
        a = tail[k]
        if a == "--":
            kept += tail[k:]
            break
        name = a.split("=", 1)[0]
        if name in GLOBAL_OPTIONS:
            if GLOBAL_OPTIONS[name] and "=" not in a and k + 1 < len(tail):
                front += [a, tail[k + 1]]
                k += 2
                continue
            front.append(a)
        else:
            kept.append(a)
        k += 1
    return head[:-1] + front + head[-1:] + kept


@click.group(cls=_Group, context_settings=CONTEXT, epilog="Example: ice-graph chain ERO --as-of 2005")
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE",
    help="Other data instead of the bundled ICE data: YAML, a CSV or .xlsx spreadsheet (id, name, parent ...), "
    "a folder of CSV files, GraphML, GEXF or node-link JSON.",
)
@click.option("--strict", is_flag=True, help="Refuse facts without a source in other data (default: a warning).")
@click.option("--source", default="", metavar="TEXT", help="One source that cites every fact of other data.")
@click.option("--date", "data_date", default="", metavar="DATE", help="The date other data describes (default: today).")
@click.option(
    "--as-of",
    "as_of",
    default=None,
    metavar="DATE",
    help="Use the organization as it stood on DATE (YYYY, YYYY-MM or YYYY-MM-DD); default: the data's date.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bars (they show only on a terminal, for long work).")
@click.version_option(__version__, "--version", prog_name="ice-graph")
@click.pass_context
def cli(
    ctx: click.Context, data: Path | None, as_of: str | None, strict: bool, source: str, data_date: str, quiet: bool
) -> None:
    """The organization of U.S. Immigration and Customs Enforcement as a sourced graph.

    Every command reads the bundled ICE data unless --data names another file.
    """
    ctx.with_resource(progress.quiet(quiet))  # for the whole command, which runs inside this context
    if as_of is not None:
        from .dates import is_date

        if not is_date(as_of):
            raise click.BadParameter(
                f"{as_of!r} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)", param_hint="--as-of"
            )
    if data_date:
        from .dates import is_date

        if not is_date(data_date):
            raise click.BadParameter(
                f"{data_date!r} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)", param_hint="--date"
            )
    ctx.obj = Ctx(data, as_of, strict=strict, source=source, date=data_date)


@cli.command(epilog="Example: ice-graph validate my-agency.yaml")
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.pass_obj
def validate(obj: Ctx, file: Path | None) -> None:
    """Check a data file and print every problem, one per line (exit 1 if any)."""
    G = load(file or obj.data, strict=obj.strict, source=obj.source, date=obj.date)
    where = file or obj.data or bundled_data_path()
    sources = len(json.loads(G.graph.get("source_registry", "{}")))
    click.echo(
        f"ok: {where}: {_plural(G.number_of_nodes(), 'node')}, {_plural(G.number_of_edges(), 'edge')}, "
        f"{_plural(sources, 'source')}"
    )
    unsourced = int(G.graph.get("unsourced", 0))
    if unsourced:
        click.echo(
            f"warning: {_plural(unsourced, 'fact')} {'has' if unsourced == 1 else 'have'} no source "
            "(--strict makes this an error; --source TEXT cites one source for all)",
            err=True,
        )
    if G.graph.get("date_note"):
        click.echo(f"note: {G.graph['date_note']}", err=True)


@cli.command(epilog="Example: ice-graph info --json")
@json_option
@click.pass_obj
def info(obj: Ctx, as_json: bool) -> None:
    """Counts by kind and relation, depth, sources and the data's date."""
    G = obj.graph
    s = A.summary(G)
    s.update(
        {
            "title": G.graph.get("title", ""),
            "date": obj.as_of or G.graph.get("date", ""),
            "nodes": len(G),
            "edges": G.number_of_edges(),
        }
    )
    s["source_list"] = [{"id": k, **v} for k, v in json.loads(G.graph.get("source_registry", "{}")).items()]
    if as_json:
        click.echo(json.dumps(s, ensure_ascii=False, indent=2))
        return
    click.echo(f"{s['title']} ({'as of' if obj.as_of else 'data as of'} {s['date']})")
    click.echo(
        f"{_plural(s['nodes'], 'node')}, {_plural(s['edges'], 'edge')}; {_plural(s['units'], 'unit')} on "
        f"{_plural(s['levels'], 'level')}, average span {s['average_span']}"
    )
    click.echo("")
    click.echo(_table([{"kind": k, "units": v} for k, v in s["units_per_kind"].items()], ["kind", "units"]))
    click.echo("")
    click.echo(_table([{"category": k, "nodes": v} for k, v in s["nodes_per_category"].items()], ["category", "nodes"]))
    click.echo("")
    click.echo(_table([{"relation": k, "edges": v} for k, v in s["edges_per_relation"].items()], ["relation", "edges"]))
    click.echo("")
    click.echo(_table(s["source_list"], ["id", "title", "publisher", "url", "accessed"]))


@cli.command(epilog="Example: ice-graph show HSI")
@click.argument("unit")
@json_option
@click.pass_obj
def show(obj: Ctx, unit: str, as_json: bool) -> None:
    """Everything about one node: attributes, links and sources."""
    G = obj.graph
    n = _resolve(G, unit, None)
    attrs = {k: v for k, v in G.nodes[n].items() if k != "citations"}
    ups = [u for u in G.predecessors(n)]
    record = {
        "id": n,
        **attrs,
        "superior": next((u for u in ups if G.edges[u, n]["relation"] == "has_unit"), None),
        "linked_from": [
            {"id": u, "relation": G.edges[u, n]["relation"]} for u in ups if G.edges[u, n]["relation"] != "has_unit"
        ],
        "links": [{"id": v, "relation": G.edges[n, v]["relation"]} for v in G.successors(n)],
        "citations": citations(G, n),
    }
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    for k, v in record.items():
        if k in ("links", "linked_from", "citations"):
            continue
        if v not in (None, ""):
            click.echo(f"{k:>22}: {v}")
    for label, key in (("links", "links"), ("linked from", "linked_from")):
        if record[key]:
            click.echo(f"{label:>22}: " + ", ".join(f"{x['relation']} {x['id']}" for x in record[key]))
    click.echo("\nsources:" + ("" if record["citations"] else " none (the data gives no source for this node)"))
    for c in record["citations"]:
        fact = f" [{c['fact']}]" if c.get("fact") else ""
        click.echo(
            f"  - {c['source']}{fact}: \u201c{c['quote']}\u201d ({c.get('title', '')}{', ' + c['url'] if c.get('url') else ''})"
        )


@cli.command(epilog="Example: ice-graph chain ERO")
@click.argument("unit")
@json_option
@click.pass_obj
def chain(obj: Ctx, unit: str, as_json: bool) -> None:
    """The chain of command of a unit, up to the top."""
    _emit(obj.graph, A.chain_of_command(obj.graph, _resolve(obj.graph, unit)), as_json)


@cli.command(epilog="Example: ice-graph subordinates HSI --depth 1")
@click.argument("unit")
@click.option("--depth", type=click.IntRange(min=0), default=None, help="Only this many levels down.")
@json_option
@click.pass_obj
def subordinates(obj: Ctx, unit: str, depth: int | None, as_json: bool) -> None:
    """The units below a unit (all, or down to --depth)."""
    _emit(obj.graph, A.subordinates(obj.graph, _resolve(obj.graph, unit), depth=depth), as_json)


@cli.command(epilog='Example: ice-graph common OPLA "Intelligence"')
@click.argument("a")
@click.argument("b")
@json_option
@click.pass_obj
def common(obj: Ctx, a: str, b: str, as_json: bool) -> None:
    """The lowest unit that two units both report to."""
    n = A.common_superior(obj.graph, a, b)
    _emit(obj.graph, [n] if n is not None else [], as_json)


@cli.command(epilog="Example: ice-graph find --state TX --county Harris")
@click.argument("text", required=False)
@click.option("--state", default=None, metavar="STATE", help="Units whose area includes STATE (code or name).")
@click.option("--county", default=None, metavar="NAME", help="With --state: only the units that cover this county.")
@json_option
@click.pass_obj
def find(obj: Ctx, text: str | None, state: str | None, county: str | None, as_json: bool) -> None:
    """Nodes whose id, name, abbreviation or other names contain TEXT (or that cover --state)."""
    if county is not None and state is None:
        raise click.UsageError("--county needs --state (a county name is not unique across states)")
    if text is None and state is None:
        raise click.UsageError("give TEXT to search for, or --state STATE")
    found = A.search(obj.graph, text) if text is not None else list(obj.graph)
    if state is not None:
        covering = set(A.covering(obj.graph, state, county=county))
        found = [n for n in found if n in covering]
        code = A.state_code(state)
        part = [n for n in found if code in counties(obj.graph, n)]
        if part and county is None:  # said apart from the table, which scripts read
            click.echo(
                f"note: {len(part)} of these cover only some counties of {code}; "
                "--county NAME gives the one that covers a county",
                err=True,
            )
    _emit(obj.graph, found, as_json)


@cli.command(epilog='Example: ice-graph responsible "human trafficking"')
@click.argument("area")
@click.option("--direct", is_flag=True, help="Only units linked to the area, not their superiors.")
@json_option
@click.pass_obj
def responsible(obj: Ctx, area: str, direct: bool, as_json: bool) -> None:
    """The units that handle a mission area, directly or through a subunit."""
    G = obj.graph
    _emit(G, A.responsible_for(G, _resolve(G, area, "mission_area"), direct=direct), as_json)


@cli.command(epilog="Example: ice-graph programs ICE --include-subunits")
@click.argument("unit")
@click.option("--include-subunits", is_flag=True, help="Also the programs of the units below.")
@json_option
@click.pass_obj
def programs(obj: Ctx, unit: str, include_subunits: bool, as_json: bool) -> None:
    """The programs and operations a unit runs."""
    G = obj.graph
    _emit(G, A.programs_of(G, _resolve(G, unit), include_subunits=include_subunits), as_json)


@cli.command(epilog="Example: ice-graph render -o hsi.svg --root HSI --depth 1")
@click.option("-o", "--output", default="chart.png", show_default=True, help="File to write ('-' for standard output).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["png", "svg", "pdf", "dot", "html"]),
    default=None,
    help="Default: from the file name (.html: the interactive chart, with the history's date control).",
)
@click.option("--root", default=None, help="Draw the branch below this unit.")
@click.option("--depth", type=click.IntRange(min=0), default=None, help="Levels below the root (or the top) to draw.")
@click.option("--hierarchy-only", is_flag=True, help="Units and the hierarchy alone.")
@click.option("--relation", "relations", multiple=True, help="Relations to draw (repeat); default all.")
@click.option("--engine", type=click.Choice(["auto", "graphviz", "matplotlib"]), default="auto", show_default=True)
@click.option(
    "--direction",
    type=click.Choice(["auto", "TB", "LR"]),
    default="auto",
    show_default=True,
    help="Top-down, left to right, or whichever fits the page better.",
)
@click.option("--theme", type=click.Choice(["light", "print"]), default="light", show_default=True)
@click.option("--dpi", type=click.IntRange(30, 1200), default=150, show_default=True)
@click.option("--title", default=None, help="Chart title (default: the branch and the date).")
@click.option(
    "--page",
    default="letter-landscape",
    show_default=True,
    help="Paper to lay out for: letter, a4, tabloid or a3, with -landscape or -portrait; 'column' for a web page's 600 px column; 'none' for natural size.",
)
@click.option("--aspect", type=float, default=None, help="Width/height to aim for instead of the page's.")
@click.option("--show", "show", default="", help="What boxes add: head, employees (comma-separated).")
@click.option("--areas", is_flag=True, help="Also draw the mission areas.")
@click.option(
    "--max-nodes",
    type=click.IntRange(min=0),
    default=None,
    help="Above this many nodes only the top levels are drawn, and the chart says so (default 400); 0 draws every node.",
)
@click.pass_obj
def render(
    obj: Ctx,
    output: str,
    fmt: str | None,
    root: str | None,
    depth: int | None,
    hierarchy_only: bool,
    relations: tuple[str, ...],
    engine: str,
    direction: str,
    theme: str,
    dpi: int,
    title: str | None,
    page: str,
    aspect: float | None,
    show: str,
    areas: bool,
    max_nodes: int | None,
) -> None:
    """Draw the org chart (PNG, SVG, PDF or DOT, laid out to a page), or the interactive HTML chart."""
    from .charts import MAX_CHART_NODES, write_html
    from .charts import render as do_render

    if fmt and output != "-":
        _check_extension(output, fmt, f"chart.{fmt}")
    elif output != "-" and not Path(output).suffix:
        raise click.UsageError(f"-o {output} has no extension: name it {output}.png, .svg, .pdf, .dot or .html")
    fmt = fmt or (Path(output).suffix.lstrip(".").lower() if output != "-" else "png")
    if fmt in ("html", "htm"):
        write_html(obj.history, output, title=title)
        if output != "-":
            click.echo(f"wrote {output} (interactive html, {len(obj.history)} nodes)", err=True)
        return
    c = do_render(
        obj.graph,
        output,
        format=fmt,
        root=root,
        depth=depth,
        hierarchy_only=hierarchy_only,
        relations=list(relations) or None,
        engine=engine,
        rankdir=direction,
        theme=theme,
        dpi=dpi,
        title=title,
        page=None if page.lower() == "none" else page,
        aspect=aspect,
        show=[x.strip() for x in show.split(",") if x.strip()],
        areas=areas,
        max_nodes=MAX_CHART_NODES if max_nodes is None else (max_nodes or None),
    )
    if output != "-" and c is not None:
        click.echo(f"wrote {output} ({fmt}, {c.engine}, {len(c.graph)} nodes)", err=True)
    if c is not None and c.hidden_areas:
        click.echo("note: the mission areas are not drawn; --areas draws them", err=True)


@cli.command(epilog="Example: ice-graph export gexf -o ice.gexf")
@click.argument("fmt", metavar="FORMAT")
@click.option(
    "-o", "--output", default="-", show_default=True, help="File or folder to write ('-' for standard output)."
)
@click.pass_obj
def export(obj: Ctx, fmt: str, output: str) -> None:
    """Write the graph as FORMAT: graphml, gexf, json, cytoscape, nodes-csv, edges-csv, sources-csv, mermaid, dot,
    csv (nodes, edges, sources and dataset into the folder -o DIR), or html (the interactive chart)."""
    from .io import EXPORT_FORMATS
    from .io import export as do_export

    if fmt == "csv":
        if output == "-":
            raise click.UsageError("export csv writes four files: give a folder with -o DIR")
        from .io import write_csv

        written = write_csv(obj.graph, output)
        click.echo(f"wrote {', '.join(str(p) for p in written)}", err=True)
        return
    if fmt == "html":
        from .charts import write_html

        _check_extension(output, fmt, "chart.html")
        write_html(obj.history, output)
        if output != "-":
            click.echo(f"wrote {output} (interactive html)", err=True)
        return
    if fmt not in EXPORT_FORMATS:
        raise click.ClickException(_unknown_format(fmt, [*EXPORT_FORMATS, "csv", "html"]))
    _check_extension(output, fmt, EXPORT_FORMATS[fmt].filename)
    do_export(obj.graph, fmt, output)
    if output != "-":
        click.echo(f"wrote {output} ({fmt})", err=True)


def _unknown_format(fmt: str, choices: list[str]) -> str:
    """``unknown format 'grapml' (expected one of: ...); did you mean 'graphml'?`` -- by spelling or by a shared part."""
    import difflib

    close = difflib.get_close_matches(fmt.lower(), choices, n=1, cutoff=0.6)
    close = close or [c for c in choices if fmt.lower() and (fmt.lower() in c or c in fmt.lower())][:1]
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown format {fmt!r} (expected one of: {', '.join(choices)}){hint}"


def _check_extension(output: str, fmt: str, filename: str) -> None:
    """Refuse ``-o chart.png`` for a format written as ``.graphml``; a name without extension gets a hint."""
    if output == "-" or Path(output).is_dir():
        return
    want = "." + filename.rsplit(".", 1)[-1]
    suffix = Path(output).suffix.lower()
    if not suffix:
        raise click.UsageError(f"-o {output} has no extension: name it {output}{want} for the {fmt} format")
    if suffix != want:
        raise click.UsageError(
            f"-o {output} ends in {suffix} but the {fmt} format is written as {want}: "
            f"name it {Path(output).with_suffix(want)} or choose the format that writes {suffix}"
        )


@cli.command(epilog="Example: ice-graph build --out outputs")
@click.option(
    "--out",
    default=None,
    type=click.Path(path_type=Path),
    help="Folder to write into (default: outputs for the bundled data, ./<dataset id>/ for other data).",
)
@click.pass_obj
def build(obj: Ctx, out: Path | None) -> None:
    """Write every chart and graph file into a folder, with a summary."""
    from .build import build as do_build

    G = obj.history
    out = _build_folder(obj, G, out)
    written = do_build(G, out, data_path=obj.data, progress=lambda o: click.echo(f"  wrote {out / o.path}", err=True))
    click.echo(
        f"{len(written)} files in {out}/ from {obj.data or 'the bundled ICE data'} "
        f"({len(G)} nodes, {G.number_of_edges()} edges, data as of {G.graph.get('date', '?')})"
    )
    click.echo(
        _table(
            [{"file": o.path, "what": o.description, "open with": o.opens_with} for o in written],
            ["file", "what", "open with"],
        )
    )


def _build_folder(obj: Ctx, G: OrgGraph, out: Path | None) -> Path:
    """Where ``build`` writes: never the project's own outputs/ for data other than the bundled data."""
    if obj.data is None:
        return out or Path("outputs")
    project_outputs = (bundled_data_path().resolve().parent.parent / "outputs").resolve()
    folder = out or Path(str(G.graph.get("id") or "organization"))
    if folder.resolve() == project_outputs:
        raise click.UsageError(
            f"{folder} is the project's own outputs folder (the bundled ICE data); give --out for {obj.data}"
        )
    return folder


def _changes(obj: Ctx, start: str, end: str) -> list[dict[str, Any]]:
    """The changes from START to END; with --as-of, only those known on that day (none after it)."""
    from .history import changes as find_changes
    from .history import end_of, start_of

    if not obj.as_of:
        return find_changes(obj.history, start, end)
    # Ask every dated fact, not the snapshot: the snapshot keeps only the events
    # about its own units, and a change that ended a unit is a change too.
    H = load(obj.data, history=True)
    last = min(end_of(end), start_of(obj.as_of, "--as-of"))
    if start_of(start) > last:
        find_changes(H, start, end)  # refuses a START after END
        return []  # START is after the --as-of day: no change is known yet
    return find_changes(H, start, last)


@cli.command(epilog="Example: ice-graph changes 2008 2012-12-31 --chart changes.png")
@click.argument("start")
@click.argument("end")
@click.option(
    "--chart",
    "chart_path",
    default=None,
    metavar="FILE",
    help="Also draw the chart on END with what changed since START marked (PNG, SVG or PDF).",
)
@json_option
@click.pass_obj
def changes(obj: Ctx, start: str, end: str, chart_path: str | None, as_json: bool) -> None:
    """Reorganizations between START and END (created, renamed, transferred ...), with sources."""
    found = _changes(obj, start, end)
    if chart_path:
        from .charts import changes_chart

        changes_chart(obj.history, start, end).save(chart_path)
        click.echo(f"wrote {chart_path}", err=True)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    rows = [
        {
            "date": c["date"],
            "change": c["type"].replace("_", " "),
            "unit": c["unit"],
            "from": c.get("before", ", ".join(c.get("from_units", []))),
            "to": c.get("after", ""),
            "sources": ", ".join(dict.fromkeys(x["source"] for x in c["sources"])),
        }
        for c in found
    ]
    click.echo(_table(rows, ["date", "change", "unit", "from", "to", "sources"]))
    notes = [f"{c['date']} {c['unit']}: {c['note']}" for c in found if c.get("note")]
    if notes:
        click.echo("\nnotes:\n" + "\n".join(f"  - {n}" for n in notes))


@cli.command("fmt", epilog="Example: ice-graph fmt data/ice.yaml --check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="Only say whether the file is in canonical form (exit 1 if not).")
def fmt_command(file: Path, check: bool) -> None:
    """Rewrite a YAML data file in canonical form (refuses files with comments)."""
    from .io._files import write_text
    from .io.yaml import dump_yaml, has_comments, parse_yaml, read_yaml_text
    from .validate import validate as check_rules

    if file.suffix.lower() not in (".yaml", ".yml"):
        raise click.UsageError(
            f"{file}: fmt rewrites YAML data files in canonical form; a {file.suffix or 'file without extension'} "
            "file is not YAML (check other data with: ice-graph --data FILE validate)"
        )
    text = read_yaml_text(file)
    doc = parse_yaml(text, path=str(file))
    check_rules(doc, file=str(file))
    canonical = dump_yaml(doc)
    if check:
        if canonical != text:
            raise click.ClickException(f"{file} is not in canonical form; run: ice-graph fmt {file}")
        click.echo(f"{file}: canonical")
        return
    if canonical == text:
        click.echo(f"{file}: already canonical")
        return
    if has_comments(text):
        raise click.ClickException(
            f"{file} has comments, which the canonical form cannot keep; move them into 'note' fields first"
        )
    write_text(file, canonical)
    click.echo(f"{file}: rewritten in canonical form")


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``ice-graph`` console script."""
    try:
        cli.main(args=argv, prog_name="ice-graph", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except DataError as exc:
        for p in exc.problems:
            click.echo(str(p), err=True)
        click.echo(f"{exc.total:,} problem{'s' if exc.total != 1 else ''} found", err=True)
        sys.exit(1)
    except IceGraphError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    # Anything else is a bug in ice_graph: let its traceback show, so it gets reported and fixed.
