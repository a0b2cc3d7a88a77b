"""Charts drawn by Graphviz: the DOT text of a chart, and the ``dot`` process that draws it."""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Any

from .._types import OrgGraph
from ..errors import GraphvizNotFound, RenderError
from ..io.dot import generate_dot

__all__ = ["graphviz_available", "dot_text", "run_graphviz", "GRAPHVIZ_TIMEOUT"]

GRAPHVIZ_TIMEOUT = 120.0


def graphviz_available() -> bool:
    """Whether the Graphviz ``dot`` executable is on PATH."""
    return shutil.which("dot") is not None


def dot_text(V: OrgGraph, opts: dict[str, Any]) -> str:
    """The DOT text of a chart of ``V`` (``opts`` as :func:`ice_graph.charts.chart` builds them)."""
    text = "".join(
        generate_dot(
            V,
            group_leaves=True,
            theme=opts["theme"],
            rankdir="TB" if opts["rankdir"] == "auto" else opts["rankdir"],
            title=opts["title"],
            note=opts["note"],
            legend=opts["legend"],
        )
    )
    if opts.get("size"):
        w, h = opts["size"]
        text = text.replace("graph [", f'graph [size="{float(w)},{float(h)}", ', 1)
    return text


def run_graphviz(V: OrgGraph, fmt: str, opts: dict[str, Any]) -> bytes:
    """The chart drawn by ``dot``.

    Graphviz's orthogonal router aborts on some graphs ("failed at node N", a crash of
    ``dot`` itself, not of our DOT text): the chart is then drawn once more with
    polyline connectors rather than not at all.
    """
    try:
        return _run_dot(V, fmt, opts, [])
    except RenderError as exc:
        if "(exit -" not in str(exc) and "failed at node" not in str(exc):
            raise
        return _run_dot(V, fmt, opts, ["-Gsplines=polyline"])


def _run_dot(V: OrgGraph, fmt: str, opts: dict[str, Any], extra: list[str]) -> bytes:
    exe = shutil.which("dot")
    if exe is None:
        raise GraphvizNotFound()
    args = [exe, f"-T{fmt}", *extra]
    if fmt == "png":
        args.append(f"-Gdpi={int(opts['dpi'])}")
    env = dict(os.environ, SOURCE_DATE_EPOCH="0")
    try:
        proc = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            args,
            input=dot_text(V, opts).encode("utf-8"),
            capture_output=True,
            timeout=GRAPHVIZ_TIMEOUT,
            check=False,
            env=env,
        )
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"Graphviz 'dot' did not finish within {GRAPHVIZ_TIMEOUT:.0f} s ({len(V)} nodes); "
            "draw a branch (root=, depth=) or use engine='matplotlib'"
        ) from None
    except OSError as exc:
        raise RenderError(f"could not run Graphviz 'dot': {exc}") from None
    if proc.returncode != 0 or not proc.stdout:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderError(f"Graphviz 'dot' failed (exit {proc.returncode}): {err[0] if err else 'no output'}")
    return proc.stdout
