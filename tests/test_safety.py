"""Hostile input and faults: each safety rule proved with a concrete attack."""

from __future__ import annotations

import importlib
import subprocess
import time

import pytest

import ice_graph
from ice_graph.build import build
from ice_graph.errors import DataError
from ice_graph.io import read_gexf, read_graphml

from .conftest import FIXTURES, HAS_DOT

BILLION_LAUGHS_YAML = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)]
)

BILLION_LAUGHS_XML = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + ']><graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph><node id="&lol9;"/></graph></graphml>'
)


def test_yaml_python_tag_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    p = tmp_path / "evil.yaml"
    p.write_text(f"dataset: !!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(DataError, match="refused"):
        ice_graph.load(p)
    assert not marker.exists()


def test_billion_laughs_yaml_is_refused_fast(tmp_path):
    p = tmp_path / "lol.yaml"
    p.write_text(BILLION_LAUGHS_YAML)
    start = time.perf_counter()
    with pytest.raises(DataError, match="aliases"):
        ice_graph.load(p)
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("reader", [read_graphml, read_gexf])
def test_billion_laughs_xml_is_refused(tmp_path, reader):
    p = tmp_path / "lol.xml"
    p.write_text(BILLION_LAUGHS_XML)
    with pytest.raises(DataError, match="refused"):
        reader(p)


@pytest.mark.parametrize("reader", [read_graphml, read_gexf])
def test_external_entity_is_not_fetched(tmp_path, reader):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    p = tmp_path / "xxe.xml"
    p.write_text(
        f'<?xml version="1.0"?><!DOCTYPE g [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph><node id="&x;"/></graph></graphml>'
    )
    with pytest.raises(DataError) as info:
        reader(p)
    assert "TOP SECRET" not in str(info.value)


def test_source_url_must_be_http(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text((FIXTURES / "tiny.yaml").read_text().replace("https://example.org/handbook", "javascript:alert(1)"))
    with pytest.raises(DataError, match="must start with http:// or https://"):
        ice_graph.load(p)


@pytest.mark.skipif(not HAS_DOT, reason="needs Graphviz")
def test_dot_injection_stays_a_label(tiny):
    G = tiny.copy()
    G.nodes["ops"]["name"] = '"]; x -> y [label="'
    from ice_graph.io.dot import generate_dot

    canon = subprocess.run(
        ["dot", "-Tcanon"], input="".join(generate_dot(G)).encode(), capture_output=True, check=True
    ).stdout.decode()
    assert "x -> y" not in canon.replace("&gt;", ">").split("label=<")[0]
    assert canon.count("->") == G.number_of_edges()


def test_graphviz_runs_without_shell_and_with_timeout(tiny, monkeypatch):
    R = importlib.import_module("ice_graph.charts.graphviz")
    seen = {}

    def fake_run(args, **kwargs):
        seen.update(kwargs, args=args)
        raise subprocess.TimeoutExpired(args, kwargs["timeout"])

    monkeypatch.setattr(R.shutil, "which", lambda _: "/usr/bin/dot")
    monkeypatch.setattr(R.subprocess, "run", fake_run)
    with pytest.raises(ice_graph.RenderError, match="did not finish"):
        ice_graph.chart(tiny, engine="graphviz").to_bytes("svg")
    assert isinstance(seen["args"], list) and not seen.get("shell") and seen["timeout"] > 0


def test_graphviz_error_is_reported(tiny, monkeypatch):
    R = importlib.import_module("ice_graph.charts.graphviz")
    monkeypatch.setattr(R.shutil, "which", lambda _: "/usr/bin/dot")
    monkeypatch.setattr(
        R.subprocess,
        "run",
        lambda args, **kw: subprocess.CompletedProcess(args, 1, b"", b"Error: syntax error in line 3"),
    )
    with pytest.raises(ice_graph.RenderError, match="syntax error in line 3"):
        ice_graph.chart(tiny, engine="graphviz").to_bytes("png")


def test_interrupted_build_keeps_previous_files(ice, tmp_path, monkeypatch):
    B = importlib.import_module("ice_graph.build")
    build(ice, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}

    def interrupted(G):
        yield "<?xml half"
        raise KeyboardInterrupt

    original = B._text_outputs

    def patched(G, history):
        out = original(G, history)
        gen, info = out["ice.gexf"]
        out["ice.gexf"] = (lambda: interrupted(G), info)
        return out

    monkeypatch.setattr(B, "_text_outputs", patched)
    with pytest.raises(KeyboardInterrupt):
        build(ice, tmp_path)
    after = {p.name: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before  # nothing truncated, no temporary file left behind


def test_build_refuses_its_own_input(tmp_path):
    data = tmp_path / "org.yaml"
    data.write_text((FIXTURES / "tiny.yaml").read_text())
    with pytest.raises(ice_graph.IceGraphError, match="refusing"):
        build(ice_graph.load(data), tmp_path / "sub" / "..", data_path=data)
    assert data.read_text() == (FIXTURES / "tiny.yaml").read_text()
