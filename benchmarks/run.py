"""Scale benchmark: ice_graph against the tools users would pick instead, in one run.

    python benchmarks/run.py                  # sizes 1,000 / 10,000 / 100,000 (several minutes)
    python benchmarks/run.py --sizes 1000     # a quick look

Every row times ice_graph, its peer (what a user would pick instead) and its
floor (the same work done plainly: libyaml's parse, ``pandas.read_csv`` +
``nx.from_pandas_edgelist``, ``json.dumps(nx.node_link_data(G))``) on the same
synthetic organization (``ice_graph.synthetic.random_document``: depth 6-8,
branching 3-8, about 5% extra edges, a source cited by every unit) in the same
process, with the ratios and whether issue 17's target holds. The plain CSV is
``id,parent,name,kind`` only. Peak memory is the resident peak of a fresh
process (getrusage). Results go to ``benchmarks/results.md`` with the machine
and the versions. Speed targets live here, never in timed unit tests.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib
import networkx as nx
import pandas as pd
import pydot
import yaml

import ice_graph
from ice_graph.analysis import chain_of_command, common_superior, subordinates
from ice_graph.codec import build_graph
from ice_graph.io import EXPORT_FORMATS
from ice_graph.io._common import display
from ice_graph.io.csv import write_csv
from ice_graph.io.yaml import dump_yaml
from ice_graph.layout import tidy_layout
from ice_graph.synthetic import random_document
from ice_graph.validate import validate

HERE = Path(__file__).parent
DOT_TIMEOUT = 120.0


def timed(fn: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def paired(ours: Callable[[], Any], floor: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Best of ``repeat`` runs of ``ours`` and of its ``floor``, taken in turns.

    A shared machine slows down in bursts: timing the two in alternation lets both meet the
    same bursts, so their ratio says more than two figures measured minutes apart.
    """
    best_ours = best_floor = float("inf")
    for _ in range(repeat):
        best_floor = min(best_floor, timed(floor, 1))
        best_ours = min(best_ours, timed(ours, 1))
    return best_ours, best_floor


def paused(fn: Callable[[], Any]) -> Any:
    """``fn()`` with the cyclic garbage collector paused (as :func:`ice_graph.load` reads a file)."""
    gc.disable()
    try:
        return fn()
    finally:
        gc.enable()


def drain(gen: Any) -> None:
    buf = io.StringIO()
    for chunk in gen:
        buf.write(chunk)


def peak_rss(code: str) -> float:
    """Peak resident memory (MiB) of a fresh Python running ``code``: its VmHWM, no tracing overhead.

    (Not getrusage's ru_maxrss: Linux keeps it across exec, so a child started by this big
    process would report this process's size.)
    """
    script = (
        "import ice_graph, yaml\n" + code + "\n"
        "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return int(run.stdout.split()[-1]) / 1024


def peer_dot(G: nx.DiGraph) -> str:
    # networkx's pydot bridge fails on an attribute called "name" (pydot's own argument),
    # so the peer gets the names as labels: the same text to write.
    H = nx.DiGraph()
    H.add_nodes_from((n, {"label": a["name"], "kind": a["kind"]}) for n, a in G.nodes(data=True))
    H.add_edges_from((u, v, {"relation": a["relation"]}) for u, v, a in G.edges(data=True))
    return str(nx.nx_pydot.to_pydot(H).to_string())


def run_dot(text: str, fmt: str) -> float | None:
    exe = shutil.which("dot")
    if exe is None:
        return None
    t = time.perf_counter()
    try:
        subprocess.run([exe, f"-T{fmt}", "-o", "/dev/null"], input=text.encode(), timeout=DOT_TIMEOUT, check=True, capture_output=True)
    except subprocess.TimeoutExpired:
        return float("inf")
    return time.perf_counter() - t


def write_plain_csv(G: nx.DiGraph, path: Path) -> None:
    """The issue's plain table: ``id,parent,name,kind`` and nothing else (no sources)."""
    parent = {v: u for u, v, a in G.edges(data=True) if a.get("relation") == "has_unit"}
    frame = pd.DataFrame(
        [{"id": n, "parent": parent.get(n, ""), "name": a["name"], "kind": a["kind"]} for n, a in G.nodes(data=True) if a.get("category") == "unit"]
    )
    frame.to_csv(path, index=False)


class Bench:
    """The rows of one size: each figure beside its peer and its floor, with both ratios."""

    def __init__(self, n: int) -> None:
        self.n, self.rows = n, []
        self.repeat = 5 if n <= 1000 else 3

    def time(self, fn: Callable[[], Any], *, slow: bool = False) -> float:
        """Best of a few runs; slow work (charts, the peers' writers) once at 100,000 units."""
        return timed(fn, 1 if slow and self.n >= 100_000 else self.repeat)

    def pair(self, ours: Callable[[], Any], floor: Callable[[], Any]) -> tuple[float, float]:
        """``ours`` and its floor, best of the same number of runs taken in turns (see :func:`paired`)."""
        return paired(ours, floor, self.repeat)

    def row(self, op: str, ours: float | None, peer: tuple[str, float | None] = ("", None),
            floor: tuple[str, float | None] = ("", None), target: str = "", note: str = "") -> None:
        r: dict[str, Any] = {"n": self.n, "operation": op, "ours": ours, "peer": peer[0], "peer_s": peer[1],
                             "floor": floor[0], "floor_s": floor[1], "target": target, "note": note}
        r["ratio"] = _ratio(ours, peer[1])
        r["floor_ratio"] = _ratio(ours, floor[1])
        r["holds"] = _holds(r)
        self.rows.append(r)
        fr = "" if r["floor_ratio"] is None else f"{r['floor_ratio']:.2f}x floor"
        pr = "" if r["ratio"] is None else f"{r['ratio']:.2f}x peer"
        print(f"  {op:<36} {_num(ours):>10}  {pr:<14} {fr:<14} {target} {'' if r['holds'] is None else 'holds' if r['holds'] else 'MISSED'}", flush=True)


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b not in (None, 0.0, float("inf")) and a != float("inf") else None


def _holds(r: dict[str, Any]) -> bool | None:
    """Whether the row's target holds: "3x" (of the floor) or "1s" (absolute)."""
    t = r["target"]
    if not t or r["ours"] is None:
        return None
    if t.endswith("x"):
        return r["floor_ratio"] is not None and r["floor_ratio"] <= float(t[:-1])
    return bool(r["ours"] <= float(t[:-1]))


def _num(v: Any, unit: str = "s") -> str:
    if v is None:
        return "n/a"
    if v == float("inf"):
        return f"> {DOT_TIMEOUT:.0f} s (timed out)"
    return f"{v:.0f} MiB" if unit == "MiB" else f"{v:.3f} s" if v >= 0.001 else f"{v * 1e6:.1f} us"


def bench(n: int, tmp: Path) -> list[dict[str, Any]]:
    b = Bench(n)
    doc = random_document(n, seed=42)
    yaml_path = tmp / f"org-{n}.yaml"
    yaml_path.write_text(dump_yaml(doc), encoding="utf-8")
    G = build_graph(validate(doc))
    csv_dir = tmp / f"csv-{n}"
    write_csv(G, csv_dir)
    plain_csv = tmp / f"plain-{n}.csv"
    write_plain_csv(G, plain_csv)
    text = yaml_path.read_text(encoding="utf-8")
    print(f"n={n}: {len(G)} nodes, {G.number_of_edges()} edges, YAML {len(text) / 2**20:.1f} MiB", flush=True)

    # Loading: the floor is the plain parse (libyaml; pandas + from_pandas_edgelist).
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    # The floor parses with the garbage collector paused, as ice_graph.load reads: otherwise the
    # collector's passes over the parsed records (not the parse) would count against the floor.
    ours_yaml, parse = b.pair(lambda: ice_graph.load(yaml_path), lambda: paused(lambda: yaml.load(text, Loader=loader)))
    libyaml = ("yaml.load(CSafeLoader), parse only, collector paused", parse)
    b.row("load + validate YAML (sourced)", ours_yaml, libyaml, libyaml, "1.2x")

    def pandas_graph(nodes_file: Path, edges_file: Path | None) -> nx.DiGraph:
        nodes = pd.read_csv(nodes_file)
        if edges_file is None:  # a plain table: the edges are its parent column
            edges = nodes.dropna(subset=["parent"]).rename(columns={"parent": "Source", "id": "Target"})[["Source", "Target"]]
        else:
            edges = pd.read_csv(edges_file)
        H = nx.from_pandas_edgelist(edges, "Source", "Target", edge_attr=edges_file is not None or None, create_using=nx.DiGraph)
        H.add_nodes_from((r.get("Id", r.get("id")), r) for r in nodes.to_dict("records"))
        return H

    ours_csv, pandas_s = b.pair(lambda: ice_graph.load(csv_dir), lambda: paused(lambda: pandas_graph(csv_dir / "nodes.csv", csv_dir / "edges.csv")))
    floor = ("pandas.read_csv + from_pandas_edgelist", pandas_s)
    b.row("load + validate CSV (sourced)", ours_csv, floor, floor, "2x")
    plain_pandas = lambda: paused(lambda: pandas_graph(plain_csv, None))  # noqa: E731
    try:
        ours_plain, plain_s = b.pair(lambda: ice_graph.load(plain_csv), plain_pandas)
        note = ""
    except ice_graph.IceGraphError as exc:
        ours_plain, plain_s, note = None, b.time(plain_pandas), f"plain id,parent,name,kind CSV refused: {str(exc).splitlines()[0][:120]}"
    plain_floor = ("pandas.read_csv + from_pandas_edgelist", plain_s)
    b.row("load + validate CSV (plain)", ours_plain, plain_floor, plain_floor, "2x", note)

    # Writers: the floor is json.dumps(nx.node_link_data(G)), the same data written plainly, timed in turns with each.
    def node_link() -> str:
        return json.dumps(nx.node_link_data(G, edges="edges"))

    def floor_row(op: str, fn: Callable[[], Any], peer: tuple[str, float | None] = ("", None), target: str = "") -> None:
        ours, floor_s = b.pair(fn, node_link)
        b.row(op, ours, peer, ("json.dumps(node_link_data)", floor_s), target)

    floor_row("positions (io display step)", lambda: display(G))
    writers: list[tuple[str, str, tuple[str, Callable[[], Any] | None]]] = [
        ("DOT file", "dot", ("networkx.nx_pydot + pydot to_string", lambda: peer_dot(G))),
        ("GraphML", "graphml", ("networkx.write_graphml", lambda: nx.write_graphml(G, io.BytesIO()))),
        ("GEXF", "gexf", ("networkx.write_gexf", lambda: nx.write_gexf(G, io.BytesIO()))),
        ("JSON (node-link)", "json", ("json.dumps(node_link_data, indent=2)", lambda: json.dumps(nx.node_link_data(G, edges="edges"), indent=2))),
        ("Cytoscape JSON", "cytoscape", ("json.dumps(nx.cytoscape_data)", lambda: json.dumps(nx.cytoscape_data(G)))),
        ("Mermaid", "mermaid", ("", None)),
    ]
    for op, fmt, (peer_name, peer_fn) in writers:
        if fmt not in EXPORT_FORMATS:
            continue
        floor_row(op, lambda fmt=fmt: drain(EXPORT_FORMATS[fmt].generate(G)), (peer_name, b.time(peer_fn, slow=True) if peer_fn else None), "3x")

    def peer_csv_write() -> None:
        pd.DataFrame([{"Id": k, **a} for k, a in G.nodes(data=True)]).to_csv(io.StringIO(), index=False)
        pd.DataFrame([{"Source": u, "Target": v, **a} for u, v, a in G.edges(data=True)]).to_csv(io.StringIO(), index=False)

    floor_row("CSV (nodes + edges)", lambda: (drain(EXPORT_FORMATS["nodes-csv"].generate(G)), drain(EXPORT_FORMATS["edges-csv"].generate(G))),
              ("pandas DataFrame.to_csv", b.time(peer_csv_write, slow=True)), "3x")
    floor_row("tidy layout, every node", lambda: tidy_layout(G), target="1s" if n >= 100_000 else "")
    dot_text = "".join(EXPORT_FORMATS["dot"].generate(G))
    ours_svg = b.time(lambda: ice_graph.chart(G, engine="matplotlib").to_bytes("svg"), slow=True)
    peer = run_dot(dot_text, "svg") if n <= 10_000 else None
    chart_nodes = len(ice_graph.chart(G, engine="matplotlib").graph)
    b.row("chart SVG (default view)", ours_svg, ("Graphviz dot -Tsvg, every node" + (" (timed out)" if peer == float("inf") else ""), peer),
          note=f"the default chart draws {chart_nodes} of {len(G)} nodes (top levels) and says so")

    if n <= 10_000:  # issue 17: a full-detail SVG of every unit of a 10,000-unit organization in at most 5 s
        full = ice_graph.chart(G, engine="matplotlib", max_nodes=None, page=None, areas=True)
        b.row("chart SVG, every node (full detail)", b.time(lambda: ice_graph.chart(G, engine="matplotlib", max_nodes=None, page=None, areas=True).to_bytes("svg"), slow=True),
              ("Graphviz dot -Tsvg, every node" + (" (timed out)" if peer == float("inf") else ""), peer),
              target="5s" if n >= 10_000 else "", note=f"draws {len(full.graph)} of {len(G)} nodes")

    # Questions: per answer, over 200 random units.
    units = [u for u, a in G.nodes(data=True) if a.get("category") == "unit"]
    pick = random.Random(1).sample(units, min(200, len(units)))
    for name, fn in (("chain_of_command", lambda u: chain_of_command(G, u)),
                     ("common_superior", lambda u: common_superior(G, u, pick[0])),
                     ("subordinates (random unit)", lambda u: subordinates(G, u))):
        start = time.perf_counter()
        for u in pick:
            fn(u)
        b.row(f"{name}, per answer", (time.perf_counter() - start) / len(pick), target="0.001s")

    mem = peak_rss(f"G = ice_graph.load({str(csv_dir)!r})\nfrom ice_graph.io import EXPORT_FORMATS\n"
                   "for f in ('graphml', 'gexf', 'json', 'cytoscape', 'mermaid', 'dot'):\n    ''.join(EXPORT_FORMATS[f].generate(G))")
    b.rows.append({"n": n, "operation": "peak memory: load CSV, write every format", "ours": mem, "unit": "MiB", "peer": "", "peer_s": None,
                   "floor": "", "floor_s": None, "ratio": None, "floor_ratio": None, "target": "1024 MiB", "holds": mem <= 1024, "note": ""})
    print(f"  peak memory (load CSV, write all): {mem:.0f} MiB", flush=True)
    if n <= 100_000:
        mem_yaml = peak_rss(f"ice_graph.load({str(yaml_path)!r})")
        b.rows.append({"n": n, "operation": "peak memory: load YAML", "ours": mem_yaml, "unit": "MiB", "peer": "", "peer_s": None,
                       "floor": "", "floor_s": None, "ratio": None, "floor_ratio": None, "target": "1024 MiB", "holds": mem_yaml <= 1024, "note": ""})
        print(f"  peak memory (load YAML): {mem_yaml:.0f} MiB", flush=True)
    return b.rows


def markdown(rows: list[dict[str, Any]], seconds: float, argv: list[str]) -> str:
    dot_version = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr.strip() if shutil.which("dot") else "not installed"
    lines = [
        "# Scale benchmark",
        "",
        "Command: `" + " ".join(["python benchmarks/run.py", *argv]) + "` (`make bench`)",
        "",
        f"Machine: {platform.machine()}, {platform.processor() or 'cpu'}, {__import__('os').cpu_count()} cores, "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}.",
        f"Versions: ice_graph {ice_graph.__version__}, networkx {nx.__version__}, pydot {pydot.__version__}, "
        f"matplotlib {matplotlib.__version__}, PyYAML {yaml.__version__} (libyaml: {hasattr(yaml, 'CSafeLoader')}), "
        f"pandas {pd.__version__}, Graphviz: {dot_version}.",
        f"Total time of the run: {seconds:.0f} s. Times are the best of 5 (1,000 units) or 3 (10,000 and 100,000) runs",
        "(charts and the peers' writers: 1 run at 100,000). Each figure with a floor is timed in turns with that floor",
        "(floor, ours, floor, ours, ...), so both meet the same bursts of load on a machine shared with other work,",
        "where single figures vary by about 30% between runs.",
        "",
        "Each figure stands beside its **peer** (what a user would pick instead) and its **floor** (the same work done",
        "plainly: libyaml's parse; `pandas.read_csv` + `nx.from_pandas_edgelist`; `json.dumps(nx.node_link_data(G))` for",
        "every writer), measured in the same run, with the ratios ours / peer and ours / floor. The load floors run with",
        "Python's garbage collector paused, as `ice_graph.load` reads. *Target* is issue 17's:",
        "a multiple of the floor, or an absolute time; *holds* says whether this run meets it.",
        "",
        "| units | operation | ice_graph | peer | peer time | ratio | floor time | x floor | target | holds |",
        "|---:|---|---:|---|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        unit = r.get("unit", "s")
        ratio = f"{r['ratio']:.2f}" if r.get("ratio") is not None else ("< 0.01" if r.get("peer_s") == float("inf") else "")
        fr = f"{r['floor_ratio']:.2f}" if r.get("floor_ratio") is not None else ""
        holds = "" if r.get("holds") is None else "yes" if r["holds"] else "**no**"
        ours = _num(r["ours"], unit) if r["ours"] is not None else "refused"
        lines.append(f"| {r['n']:,} | {r['operation']} | {ours} | {r['peer']} | {_num(r['peer_s'], unit) if r['peer_s'] is not None else ''} "
                     f"| {ratio} | {_num(r['floor_s']) if r.get('floor_s') is not None else ''} | {fr} | {r.get('target', '')} | {holds} |")
    lines += summary(rows)
    notes = [r for r in rows if r.get("note")]
    if notes:
        lines += ["", "Notes:"] + [f"- {r['n']:,} units, {r['operation']}: {r['note']}" for r in notes]
    return "\n".join(lines) + "\n"


def summary(rows: list[dict[str, Any]]) -> list[str]:
    """Which of issue 17's targets hold at the largest size of the run."""
    top = max((r["n"] for r in rows), default=0)
    judged = [r for r in rows if r["n"] == top and r.get("holds") is not None]
    held = [r["operation"] for r in judged if r["holds"]]
    missed = [f"{r['operation']} ({_judged(r)})" for r in judged if not r["holds"]]
    return ["", f"Targets at {top:,} units:", "", f"- hold: {', '.join(held) or 'none'};", f"- missed: {', '.join(missed) or 'none'}."]


def _judged(r: dict[str, Any]) -> str:
    if r.get("floor_ratio") is not None and str(r["target"]).endswith("x"):
        return f"{r['floor_ratio']:.2f}x the floor, target {r['target']}"
    return f"{_num(r['ours'], r.get('unit', 's'))}, target {r['target']}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000", help="comma-separated unit counts")
    ap.add_argument("--out", default=str(HERE / "results.md"))
    args = ap.parse_args()
    start = time.perf_counter()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(s) for s in args.sizes.split(",")]:
            rows += bench(n, Path(tmp))
    text = markdown(rows, time.perf_counter() - start, sys.argv[1:])
    Path(args.out).write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
