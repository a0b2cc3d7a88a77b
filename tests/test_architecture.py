"""The import direction of the package (docs/architecture.md): data flows one way.

Every import inside ``ice_graph`` must point to a lower layer, or stay inside one
package (``io``, ``charts``) without a cycle. A cycle, or a module reaching up a
layer, fails here the day it appears.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import networkx as nx
import pytest

import ice_graph

PACKAGE = Path(ice_graph.__file__).parent

#: The layers, lowest first (docs/architecture.md draws them).
LAYERS: list[set[str]] = [
    {"_types", "_version", "_collector", "errors", "dates", "schema", "progress"},
    {"model"},
    {"codec"},
    {"validate", "lookup", "style", "convert"},
    {"views", "layout", "history"},
    {"io"},
    {"loader", "analysis", "synthetic"},
    {"charts"},
    {"build", "export"},
    {"cli", "__init__", "__main__"},
]
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}


def _modules() -> dict[str, Path]:
    return {".".join(p.relative_to(PACKAGE).with_suffix("").parts): p for p in PACKAGE.rglob("*.py")}


def _top(module: str) -> str:
    """The layer name of a module: its first part (``io.graphml`` -> ``io``)."""
    return module.split(".")[0]


def _imports(module: str, path: Path) -> set[str]:
    """The ice_graph modules that ``module`` imports (at any depth of its code)."""
    parts = module.split(".")
    is_pkg = path.name == "__init__.py"
    here = parts[:-1] if not is_pkg else parts[:-1]
    out: set[str] = set()
    known = _modules()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
                target = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.startswith("ice_graph"):
                target = node.module.split(".")[1:]
            else:
                continue
            name = ".".join(target)
            for alias in node.names:  # "from . import history" imports a module
                sub = f"{name}.{alias.name}" if name else alias.name
                if sub in known or f"{sub}.__init__" in known:
                    out.add(sub)
                    break
            else:
                out.add(name or "__init__")
        elif isinstance(node, ast.Import):
            out.update(a.name.split(".", 1)[1] for a in node.names if a.name.startswith("ice_graph."))
    return {m.removesuffix(".__init__") for m in out if m and m != module.removesuffix(".__init__")}


def _graph() -> nx.DiGraph:
    G = nx.DiGraph()
    for module, path in _modules().items():
        name = module.removesuffix(".__init__") or "__init__"
        G.add_node(name)
        for target in _imports(module, path):
            G.add_edge(name, target)
    return G


def test_every_module_has_a_layer():
    missing = sorted({_top(m) for m in _modules()} - set(RANK))
    assert not missing, f"add {missing} to LAYERS here and to docs/architecture.md"


def test_imports_point_down_or_stay_inside_a_package():
    wrong = []
    for a, b in _graph().edges:
        ta, tb = _top(a), _top(b)
        if ta == tb and ta in ("io", "charts", "validate"):
            continue
        if RANK[ta] <= RANK[tb] and ta not in ("__init__", "__main__"):
            wrong.append(f"{a} -> {b}")
    assert not wrong, "imports that go up or sideways: " + ", ".join(wrong)


def test_no_import_cycles():
    G = _graph()
    G.remove_nodes_from([n for n in G if n in ("__init__", "__main__")])
    cycles = list(nx.simple_cycles(G))
    assert not cycles, f"import cycles: {cycles}"


def test_the_checker_sees_imports_inside_functions(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("def f():\n    from .history import as_of\n    from .io import graphml\n", encoding="utf-8")
    assert _imports("x", path) == {"history", "io.graphml"}


@pytest.mark.parametrize("name", ice_graph.__all__)
def test_no_public_name_hides_a_module(name):
    submodules = {m.name for m in pkgutil.iter_modules(ice_graph.__path__)}
    value = getattr(ice_graph, name)
    if name in submodules:
        assert value is importlib.import_module(f"ice_graph.{name}"), f"ice_graph.{name} hides the module"
