"""The ice-graph command: every command, --json, errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ice_graph.cli import cli, main

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
        (["find", "security", "--json"], "hsi-national-security-investigations"),
        (["responsible", "human trafficking", "--direct", "--json"], '"hsi"'),
        (["programs", "ICE", "--json"], "operation-predator"),
        (["show", "hsi", "--json"], "HSI employs more than 10,000 employees"),
        (["info", "--json"], '"units": 146'),
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
    code, out, err = run(capsys, "chain", "Homeland Security Investigaton")
    assert code == 1 and out == ""
    # suggestions show names as well as ids (issue 14)
    assert err.strip().startswith(
        "error: no unit matches 'Homeland Security Investigaton'; did you mean 'hsi' (Homeland Security Investigations)"
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
    assert code == 1 and "nope.yaml: not found" in err


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
    for name in ("ice.png", "ice.svg", "ice.html", "ice.graphml", "ice.gexf", "csv/nodes.csv", "ice-hierarchy.mmd"):
        assert (tmp_path / "out" / name).exists(), name
        assert f"wrote {tmp_path / 'out' / name}" in err
    assert "files in" in out


def test_build_refuses_to_overwrite_its_input(capsys, tmp_path):
    data = tmp_path / "org.yaml"
    data.write_text((FIXTURES / "tiny.yaml").read_text())
    code, _, err = run(capsys, "--data", str(data), "build", "--out", str(tmp_path))
    assert code == 1 and "refusing to build" in err


@pytest.mark.parametrize(
    ("data_rel", "out_rel"),
    [
        ("org.yaml", "."),  # out is the data's folder
        ("project/data/org.yaml", "project"),  # out holds the data's folder
        ("project/data/org.yaml", "project/data/../.."),  # the same, written another way
        ("csv", "."),  # out holds a CSV data folder
        ("csv", "csv"),  # out is the CSV data folder itself
        ("csv", "csv/charts"),  # out is inside the CSV data folder
    ],
)
def test_build_refuses_out_around_its_input_both_ways(capsys, tmp_path, monkeypatch, data_rel, out_rel):
    monkeypatch.chdir(tmp_path)
    data = tmp_path / data_rel
    data.parent.mkdir(parents=True, exist_ok=True)
    if data_rel == "csv":
        from ice_graph.io.csv import write_csv

        write_csv(ice_graph_load_tiny(), data)
    else:
        data.write_text((FIXTURES / "tiny.yaml").read_text())
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    code, _, err = run(capsys, "--data", str(data), "build", "--out", out_rel)
    assert code == 1 and "refusing to build" in err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # nothing written


def test_build_beside_its_input_is_fine(capsys, tmp_path):
    data = tmp_path / "data" / "org.yaml"
    data.parent.mkdir()
    data.write_text((FIXTURES / "tiny.yaml").read_text())
    code, _, err = run(capsys, "--data", str(data), "build", "--out", str(tmp_path / "outputs"))
    assert code == 0, err
    assert (tmp_path / "outputs" / "tiny.graphml").exists() and data.read_text() == (FIXTURES / "tiny.yaml").read_text()


def ice_graph_load_tiny():
    import ice_graph

    return ice_graph.load(FIXTURES / "tiny.yaml")


def test_fmt_check_and_refusal(capsys, tmp_path):
    code, out, _ = run(capsys, "fmt", "data/ice.yaml", "--check")
    assert code == 0 and "canonical" in out
    messy = tmp_path / "m.yaml"
    messy.write_text((FIXTURES / "tiny.yaml").read_text() + "# a comment\n")
    code, _, err = run(capsys, "fmt", str(messy))
    assert code == 1 and "comments" in err
    assert messy.read_text().endswith("# a comment\n")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_help_ends_with_an_example(capsys, command):
    code, out, _ = run(capsys, command, "--help")
    assert code == 0 and out.strip().splitlines()[-1].strip().startswith(f"Example: ice-graph {command}")


def test_every_command_is_in_the_help_test():
    """The parametrization above covers what exists: a new command cannot go untested."""
    assert {"build", "changes", "chain", "export", "fmt", "render", "validate"} <= set(cli.commands)


@pytest.mark.parametrize("bug", [ValueError("boom"), KeyError("boom"), AttributeError("boom")])
def test_a_bug_shows_its_traceback(monkeypatch, bug):
    """Only our own errors and OSError become one line: anything else is a bug and must be seen."""

    def broken(*args, **kwargs):
        raise bug

    monkeypatch.setattr("ice_graph.analysis.chain_of_command", broken)
    with pytest.raises(type(bug), match="boom"):
        main(["chain", "ero"])


def test_our_errors_and_os_errors_stay_one_line(capsys, tmp_path):
    code, _, err = run(capsys, "changes", "2012", "2005")
    assert code == 1 and "'2012' is after end '2005'" in err and "Traceback" not in err
    code, _, err = run(capsys, "changes", "last tuesday", "2005")
    assert code == 1 and "'last tuesday' is not a date" in err
    (tmp_path / "a-file").write_text("")
    code, _, err = run(capsys, "export", "mermaid", "-o", str(tmp_path / "a-file" / "x.mmd"))  # an OSError
    assert code == 1 and err.startswith("error:") and "Traceback" not in err


def test_python_dash_m_and_version():
    proc = subprocess.run([sys.executable, "-m", "ice_graph", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "ice-graph, version" in proc.stdout


def test_build_into_a_folder_below_a_data_file_is_fine(capsys, tmp_path, monkeypatch):
    # The README's `ice-graph --data org-chart.csv build`, run in the spreadsheet's own folder.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "org.yaml").write_text((FIXTURES / "tiny.yaml").read_text())
    code, _, err = run(capsys, "--data", "org.yaml", "build", "--out", "charts")
    assert code == 0, err
    assert (tmp_path / "charts" / "csv" / "nodes.csv").exists()
    assert (tmp_path / "org.yaml").read_text() == (FIXTURES / "tiny.yaml").read_text()


def test_render_max_nodes_draws_every_node_or_cuts(capsys, tmp_path):
    """--max-nodes 0 draws every node; by default a big organization is cut to the top levels, as the API does."""
    from ice_graph.charts import MAX_CHART_NODES
    from ice_graph.io.yaml import dump_yaml
    from ice_graph.synthetic import random_document

    data = tmp_path / "org.yaml"
    data.write_text(dump_yaml(random_document(600, seed=1)), encoding="utf-8")
    G = __import__("ice_graph").load(data)
    units = sum(1 for _, a in G.nodes(data=True) if a["category"] != "mission_area")
    code, _, err = run(
        capsys, "--data", str(data), "render", "-o", str(tmp_path / "all.svg"), "--max-nodes", "0", "--page", "none"
    )
    assert code == 0 and f"matplotlib, {units} nodes)" in err, err
    code, _, err = run(capsys, "--data", str(data), "render", "-o", str(tmp_path / "cut.svg"), "--page", "none")
    drawn = int(err.rsplit(", ", 1)[1].split()[0])
    assert code == 0 and drawn <= MAX_CHART_NODES < units, err
    code, out, _ = run(capsys, "render", "--help")
    assert f"(default {MAX_CHART_NODES})" in " ".join(out.split())


def test_render_says_how_to_draw_the_mission_areas(capsys, tmp_path):
    """The chart tells its readers the areas are not shown; the command line tells its author how to draw them."""
    code, _, err = run(capsys, "render", "-o", str(tmp_path / "ice.svg"), "--engine", "matplotlib")
    assert code == 0 and "--areas draws them" in err
    code, _, err = run(capsys, "render", "-o", str(tmp_path / "all.svg"), "--engine", "matplotlib", "--areas")
    assert code == 0 and "--areas draws them" not in err


def test_find_the_field_office_of_a_county(capsys):
    code, out, err = run(capsys, "find", "--state", "TX", "--county", "Harris County", "--json")
    assert code == 0 and [r["id"] for r in json.loads(out)] == ["ero-field-office-houston"] and "note" not in err
    code, out, err = run(capsys, "find", "--state", "TX", "--json")
    offices = [r["id"] for r in json.loads(out)]  # the table stays what scripts read; the note goes to stderr
    assert code == 0 and len(offices) == 5 and "note: 5 of these cover only some counties of TX; --county" in err
    code, _, err = run(capsys, "find", "--state", "OK")
    assert code == 0 and "note" not in err  # Dallas covers Oklahoma whole
    code, _, err = run(capsys, "find", "--state", "TX", "--county", "Haris")
    assert code != 0 and "did you mean 'Harris'" in err and "Traceback" not in err
    code, _, err = run(capsys, "find", "--county", "Harris")
    assert code != 0 and "--county needs --state" in err
