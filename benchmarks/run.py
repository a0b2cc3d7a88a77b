"""Scale benchmark: ice_graph against the tools users would pick instead, in one run.

    python benchmarks/run.py                  # sizes 1,000 / 10,000 / 100,000 (several minutes)
    python benchmarks/run.py --sizes 1000     # a quick look

Every row times ice_graph and its peer on the same synthetic organization
(``ice_graph.synthetic.random_document``: depth 6-8, branching 3-8, about 5%
extra edges) in the same process, and reports the ratio ours / peer (below 1 is
faster). Peak memory is measured in a fresh subprocess per loader. Results go to
``benchmarks/results.md`` with the machine and the versions.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import platform
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
from ice_graph.codec import build_graph
from ice_graph.io import EXPORT_FORMATS
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


def drain(gen: Any) -> None:
    buf = io.StringIO()
    for chunk in gen:
        buf.write(chunk)


def peak_memory(code: str) -> float:
    """Peak memory (MiB) that ``code`` allocates in a fresh Python (tracemalloc)."""
    script = (
        "import tracemalloc, ice_graph, yaml\n"
        "tracemalloc.start()\n" + code + "\nprint(tracemalloc.get_traced_memory()[1])"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return int(run.stdout.split()[-1]) / 2**20


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


def bench(n: int, tmp: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    repeat = 3 if n <= 1000 else 2 if n <= 10_000 else 1
    doc = random_document(n, seed=42)
    yaml_path = tmp / f"org-{n}.yaml"
    yaml_path.write_text(dump_yaml(doc), encoding="utf-8")
    G = build_graph(validate(doc))
    csv_dir = tmp / f"csv-{n}"
    write_csv(G, csv_dir)
    text = yaml_path.read_text(encoding="utf-8")
    print(f"n={n}: {len(G)} nodes, {G.number_of_edges()} edges, YAML {len(text) / 2**20:.1f} MiB", flush=True)

    def row(op: str, ours: float, peer_name: str, peer: float | None) -> None:
        r = {"n": n, "operation": op, "ours": ours, "peer": peer_name, "peer_s": peer}
        r["ratio"] = (ours / peer) if peer not in (None, 0.0, float("inf")) else None
        rows.append(r)
        print(f"  {op:<34} ours {ours:8.3f}s   {peer_name:<44} {'' if peer is None else f'{peer:8.3f}s'}", flush=True)

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    row("load + validate YAML", timed(lambda: ice_graph.load(yaml_path), repeat),
        "yaml.load(CSafeLoader), parse only", timed(lambda: yaml.load(text, Loader=loader), repeat))

    def peer_csv() -> nx.DiGraph:
        nodes = pd.read_csv(csv_dir / "nodes.csv")
        edges = pd.read_csv(csv_dir / "edges.csv")
        H = nx.from_pandas_edgelist(edges, "Source", "Target", edge_attr=True, create_using=nx.DiGraph)
        H.add_nodes_from((r["Id"], r) for r in nodes.to_dict("records"))
        return H

    row("load + validate CSV", timed(lambda: ice_graph.load(csv_dir), repeat), "pandas.read_csv + from_pandas_edgelist", timed(peer_csv, repeat))
    drain(EXPORT_FORMATS["graphml"].generate(ice_graph.load(tmp / f"org-{n}.yaml") if n <= 1000 else G))  # warm caches
    row("DOT", timed(lambda: drain(EXPORT_FORMATS["dot"].generate(G)), repeat), "networkx.nx_pydot + pydot to_string", timed(lambda: peer_dot(G), repeat))
    row("GraphML", timed(lambda: drain(EXPORT_FORMATS["graphml"].generate(G)), repeat), "networkx.write_graphml", timed(lambda: nx.write_graphml(G, io.BytesIO()), repeat))
    row("GEXF", timed(lambda: drain(EXPORT_FORMATS["gexf"].generate(G)), repeat), "networkx.write_gexf", timed(lambda: nx.write_gexf(G, io.BytesIO()), repeat))
    row("JSON (node-link)", timed(lambda: drain(EXPORT_FORMATS["json"].generate(G)), repeat), "json.dumps(node_link_data)",
        timed(lambda: json.dumps(nx.node_link_data(G, edges="edges")), repeat))

    def peer_csv_write() -> None:
        pd.DataFrame([{"Id": k, **a} for k, a in G.nodes(data=True)]).to_csv(io.StringIO(), index=False)
        pd.DataFrame([{"Source": u, "Target": v, **a} for u, v, a in G.edges(data=True)]).to_csv(io.StringIO(), index=False)

    row("CSV (nodes + edges)", timed(lambda: (drain(EXPORT_FORMATS["nodes-csv"].generate(G)), drain(EXPORT_FORMATS["edges-csv"].generate(G))), repeat),
        "pandas DataFrame.to_csv", timed(peer_csv_write, repeat))
    layout = timed(lambda: tidy_layout(G), repeat)
    row("tidy layout, every node", layout, "(no peer: Graphviz lays out and draws at once)", None)
    dot_text = "".join(EXPORT_FORMATS["dot"].generate(G))
    for fmt in ("svg", "png"):
        ours = timed(lambda fmt=fmt: ice_graph.chart(G, engine="matplotlib").to_bytes(fmt), repeat)
        peer = run_dot(dot_text, fmt) if n <= 10_000 or fmt == "svg" else None
        row(f"chart {fmt.upper()} (default view)", ours, f"Graphviz dot -T{fmt}, every node" + (" (timed out)" if peer == float("inf") else ""), peer)
    chart_nodes = len(ice_graph.chart(G, engine="matplotlib").graph)
    rows[-1]["note"] = f"the default chart draws {chart_nodes} of {len(G)} nodes (top levels) and says so"

    code_ours = f"ice_graph.load({str(yaml_path)!r})"
    code_peer = f"yaml.load(open({str(yaml_path)!r}).read(), Loader=getattr(yaml, 'CSafeLoader', yaml.SafeLoader))"
    mo, mp = peak_memory(code_ours), peak_memory(code_peer)
    rows.append({"n": n, "operation": "peak memory, load YAML (MiB)", "ours": mo, "peer": "yaml.load(CSafeLoader)", "peer_s": mp,
                 "ratio": mo / mp if mp else None, "unit": "MiB"})
    print(f"  peak memory load YAML: ours {mo:.0f} MiB, peer {mp:.0f} MiB", flush=True)
    return rows


def markdown(rows: list[dict[str, Any]], seconds: float, argv: list[str]) -> str:
    def num(v: Any, unit: str = "s") -> str:
        if v is None:
            return "n/a"
        if v == float("inf"):
            return f"> {DOT_TIMEOUT:.0f} s (timed out)"
        return f"{v:.0f} MiB" if unit == "MiB" else f"{v:.3f} s"

    dot_version = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr.strip() if shutil.which("dot") else "not installed"
    lines = [
        "# Scale benchmark",
        "",
        "Command: `" + " ".join(["python benchmarks/run.py", *argv]) + "`",
        "",
        f"Machine: {platform.machine()}, {platform.processor() or 'cpu'}, {__import__('os').cpu_count()} cores, "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}.",
        f"Versions: ice_graph {ice_graph.__version__}, networkx {nx.__version__}, pydot {pydot.__version__}, "
        f"matplotlib {matplotlib.__version__}, PyYAML {yaml.__version__} (libyaml: {hasattr(yaml, 'CSafeLoader')}), "
        f"pandas {pd.__version__}, Graphviz: {dot_version}.",
        f"Total time of the run: {seconds:.0f} s. Times are the best of 3 (1,000 units), 2 (10,000) or 1 (100,000) runs.",
        "",
        "Ratio = ours / peer on the same input: below 1 means ice_graph is faster. Our loaders also validate every",
        "rule and keep line numbers, which the peers do not; our writers also compute the org-chart layout, colors",
        "and typed keys that the files carry for Gephi.",
        "",
        "| units | operation | ice_graph | peer | peer time | ratio |",
        "|---:|---|---:|---|---:|---:|",
    ]
    for r in rows:
        unit = r.get("unit", "s")
        ratio = f"{r['ratio']:.2f}" if r.get("ratio") is not None else ("< 0.01" if r.get("peer_s") == float("inf") else "")
        lines.append(f"| {r['n']:,} | {r['operation']} | {num(r['ours'], unit)} | {r['peer']} | {num(r['peer_s'], unit)} | {ratio} |")
    notes = [r["note"] for r in rows if r.get("note")]
    if notes:
        lines += ["", "Notes:"] + [f"- {r['n']:,} units: {r['note']}" for r in rows if r.get("note")]
    return "\n".join(lines) + "\n"


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
