from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import pytest

import ice_graph

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
ROOT = HERE.parent
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
