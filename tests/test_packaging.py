"""The wheel holds the whole package: every subpackage, the bundled data and the chart assets."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ROOT

tomllib = pytest.importorskip("tomllib", reason="tomllib is in Python's standard library from 3.11")

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_is_listed():
    on_disk = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "ice_graph").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    assert on_disk <= listed, f"add to [tool.setuptools] packages: {sorted(on_disk - listed)}"


def test_package_data_covers_the_non_python_files():
    data = PYPROJECT["tool"]["setuptools"]["package-data"]
    assets = sorted(p.name for p in (ROOT / "ice_graph" / "charts" / "assets").iterdir() if p.is_file())
    patterns = data["ice_graph.charts"]
    assert assets and all(any(Path(f"assets/{a}").match(pat) for pat in patterns) for a in assets)
    assert "*.yaml" in data["ice_graph.data"]
