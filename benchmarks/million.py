"""10^6 units, once: each step in a fresh process, its wall time and peak memory (docs/scale.md's last row).

    python benchmarks/million.py --dir /tmp/org-1m     # writes the files first if missing (about 13 minutes)

The files pass the 50 MiB limit of a data file, so the steps run with ICE_GRAPH_MAX_FILE_MB=1000.
Steps: libyaml's parse alone (the floor), ice_graph.load of the YAML file, of the CSV folder, then the
CSV load followed by every writer. About 8 GB of memory at the peak (libyaml's parse).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

N = 1_000_000


def make_files(folder: Path) -> None:
    """The synthetic organization as YAML and as our CSV folder (as benchmarks/run.py makes them)."""
    from ice_graph.codec import build_graph
    from ice_graph.io.csv import write_csv
    from ice_graph.io.yaml import dump_yaml
    from ice_graph.synthetic import random_document
    from ice_graph.validate import validate

    folder.mkdir(parents=True, exist_ok=True)
    doc = random_document(N, seed=42)
    (folder / "org.yaml").write_text(dump_yaml(doc), encoding="utf-8")
    write_csv(build_graph(validate(doc)), folder / "csv")


def steps(folder: Path) -> dict[str, str]:
    yaml_path, csv_path = str(folder / "org.yaml"), str(folder / "csv")
    writers = (
        "from ice_graph.io import EXPORT_FORMATS\n"
        "for f in ('graphml', 'gexf', 'json', 'cytoscape', 'mermaid', 'dot'):\n"
        "    t = time.perf_counter(); ''.join(EXPORT_FORMATS[f].generate(G))\n"
        "    print(f, round(time.perf_counter() - t, 1), flush=True)\n"
    )
    return {
        "yaml parse alone (libyaml, collector paused)": (
            f"import gc, yaml; gc.disable(); yaml.load(open({yaml_path!r}).read(), Loader=yaml.CSafeLoader)"
        ),
        "load YAML": f"import ice_graph; G = ice_graph.load({yaml_path!r})",
        "load CSV folder (sourced)": f"import ice_graph; G = ice_graph.load({csv_path!r})",
        "load CSV, write every format": f"import ice_graph; G = ice_graph.load({csv_path!r})\n" + writers,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", default="/tmp/ice-graph-1m", help="folder for the 10^6-unit files")
    folder = Path(ap.parse_args().dir)
    if not (folder / "org.yaml").exists():
        make_files(folder)
    env = {**os.environ, "ICE_GRAPH_MAX_FILE_MB": "1000"}
    for name, code in steps(folder).items():
        script = (
            "import time\n_t = time.perf_counter()\n"
            + code
            + "\nprint('total s', round(time.perf_counter() - _t, 1))\n"
            "print('peak MiB', int([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0]) // 1024)"
        )
        run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
        print(f"## {name}\n{run.stdout}{run.stderr[-500:]}", flush=True)


if __name__ == "__main__":
    main()
