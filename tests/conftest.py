from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import pytest

import ice_graph

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
ROOT = HERE.parent


def needs_networkx_gexf_13() -> None:
    """Skip a test that reads our GEXF 1.3 with networkx: its reader knows GEXF 1.3 from 3.6 on.

    ice_graph itself reads it (``ice_graph.read_gexf``) with any networkx it supports.
    """
    import networkx as nx

    if tuple(int(x) for x in nx.__version__.split(".")[:2]) < (3, 6):
        pytest.skip(f"networkx {nx.__version__} reads GEXF up to 1.2 (GEXF 1.3 from networkx 3.6)")


SHARED = ROOT.parent / "shared"
SCHEMAS = SHARED / "schemas"

HAS_DOT = shutil.which("dot") is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason="needs the Graphviz 'dot' executable (apt-get install graphviz)")
    for item in items:
        if "dot" in item.keywords and not HAS_DOT:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def ice() -> nx.DiGraph:
    """The bundled ICE graph (do not modify: copy first)."""
    return ice_graph.load()


@pytest.fixture()
def tiny() -> nx.DiGraph:
    return ice_graph.load(FIXTURES / "tiny.yaml")


@pytest.fixture()
def tiny_text() -> str:
    return (FIXTURES / "tiny.yaml").read_text(encoding="utf-8")
