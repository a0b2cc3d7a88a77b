"""The ice-graph command: every command, --json, errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ice_graph.cli import main

from .conftest import FIXTURES


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main([*args])
        raise SystemExit(0)
    out = capsys.readouterr()
    return int(info.value.code or 0), out.out, out.err


def test_chain_table_and_json(capsys):
    code, out, _ = run(capsys, "chain", "ERO")
    assert code == 0 and out.splitlines()[0].split() == ["id", "name", "abbreviation", "kind"]
    assert [line.split()[0] for line in out.splitlines()[2:]] == ["ice", "dhs"]
    code, out, _ = run(capsys, "chain", "ero", "--json")
    assert [r["id"] for r in json.loads(out)] == ["ice", "dhs"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["subordinates", "HSI", "--depth", "1", "--json"], "hsi-intelligence"),
        (["common", "OPLA", "hsi-intelligence", "--json"], '"ice"'),
        (["find", "security", "--json"], "national-security-division"),
        (["responsible", "human trafficking", "--direct", "--json"], '"hsi"'),
        (["programs", "ICE", "--json"], "operation-predator"),
        (["show", "hsi", "--json"], "HSI employs more than 10,000 employees"),
        (["info", "--json"], '"units": 16'),
    ],
)
def test_commands(capsys, args, expected):
    code, out, err = run(capsys, *args)
    assert code == 0, err
    assert expected in out
    json.loads(out)


def test_show_table_lists_sources(capsys):
    code, out, _ = run(capsys, "show", "fbi")
    assert code == 0 and "sources:" in out and "Federal Bureau of Investigations" in out


def test_info_table(capsys):
    code, out, _ = run(capsys, "info")
    assert code == 0 and "data as of 2026-11-29" in out and "has_unit" in out


def test_misspelled_unit_suggests_and_exits_1(capsys):
    code, out, err = run(capsys, "chain", "Homeland Security Investigation")
    assert code == 1 and out == ""
    assert (
        err.strip()
        == "error: no unit matches 'Homeland Security Investigation'; did you mean 'hsi', 'hsi-national-security-investigations'?"
    )


def test_validate_ok_and_broken(capsys, tmp_path):
    code, out, _ = run(capsys, "validate")
    assert code == 0 and out.startswith("ok:")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        (FIXTURES / "tiny.yaml")
        .read_text()
        .replace("kind: division", "kind: divison")
        .replace("parent: field", "parent: feild")
    )
    code, out, err = run(capsys, "validate", str(bad))
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 3 and lines[-1] == "2 problems found"
    assert all(line.startswith(f"{bad}:") for line in lines[:2])
    assert "Traceback" not in err


def test_global_data_option(capsys):
    code, out, _ = run(capsys, "--data", str(FIXTURES / "tiny.yaml"), "chain", "lab", "--json")
    assert code == 0 and [r["id"] for r in json.loads(out)] == ["field", "ops", "agency", "top"]


def test_missing_data_file(capsys, tmp_path):
    code, _, err = run(capsys, "--data", str(tmp_path / "nope.yaml"), "info")
    assert code == 1 and "cannot read the file" in err


def test_render_and_export(capsys, tmp_path):
    code, _, err = run(capsys, "render", "-o", str(tmp_path / "hsi.svg"), "--root", "HSI", "--engine", "matplotlib")
    assert code == 0 and (tmp_path / "hsi.svg").read_bytes().startswith(b"<?xml")
    code, out, _ = run(capsys, "export", "mermaid")
    assert code == 0 and out.startswith("flowchart TD")
    code, _, _ = run(capsys, "export", "gexf", "-o", str(tmp_path / "g.gexf"))
    assert code == 0 and b"<gexf" in (tmp_path / "g.gexf").read_bytes()
    code, _, err = run(capsys, "export", "gefx")
    assert code == 1 and "did you mean 'gexf'" in err
    code, _, err = run(capsys, "render", "-o", str(tmp_path / "x.png"), "--depth", "-1")
    assert code == 2 and "Invalid value" in err


def test_render_graphviz_missing(capsys, tmp_path, monkeypatch):
    import importlib

    monkeypatch.setattr(importlib.import_module("ice_graph.charts.graphviz").shutil, "which", lambda _: None)
    code, _, err = run(capsys, "render", "-o", str(tmp_path / "x.png"), "--engine", "graphviz")
    assert code == 1 and "apt-get install graphviz" in err and not (tmp_path / "x.png").exists()


def test_build(capsys, tmp_path):
    code, out, err = run(capsys, "build", "--out", str(tmp_path / "out"))
    assert code == 0
    for name in ("ice.png", "ice.svg", "ice.graphml", "ice.gexf", "csv/nodes.csv", "ice-hierarchy.mmd"):
        assert (tmp_path / "out" / name).exists(), name
        assert f"wrote {tmp_path / 'out' / name}" in err
    assert "files in" in out


def test_build_refuses_to_overwrite_its_input(capsys, tmp_path):
    data = tmp_path / "org.yaml"
    data.write_text((FIXTURES / "tiny.yaml").read_text())
    code, _, err = run(capsys, "--data", str(data), "build", "--out", str(tmp_path))
    assert code == 1 and "refusing to build" in err


def test_fmt_check_and_refusal(capsys, tmp_path):
    code, out, _ = run(capsys, "fmt", "data/ice.yaml", "--check")
    assert code == 0 and "canonical" in out
    messy = tmp_path / "m.yaml"
    messy.write_text((FIXTURES / "tiny.yaml").read_text() + "# a comment\n")
    code, _, err = run(capsys, "fmt", str(messy))
    assert code == 1 and "comments" in err
    assert messy.read_text().endswith("# a comment\n")


@pytest.mark.parametrize(
    "command",
    [
        "validate",
        "info",
        "show",
        "chain",
        "subordinates",
        "common",
        "find",
        "responsible",
        "programs",
        "render",
        "export",
        "build",
        "fmt",
    ],
)
def test_every_help_ends_with_an_example(capsys, command):
    code, out, _ = run(capsys, command, "--help")
    assert code == 0 and out.strip().splitlines()[-1].strip().startswith("Example: ice-graph")


def test_python_dash_m_and_version():
    proc = subprocess.run([sys.executable, "-m", "ice_graph", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "ice-graph, version" in proc.stdout
