"""Issue 14: the CLI traps, and other people's data through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ice_graph.cli import main

CITY = str(Path(__file__).parent / "fixtures" / "own_org" / "city.csv")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main([*args])
        raise SystemExit(0)
    out = capsys.readouterr()
    return int(info.value.code or 0), out.out, out.err


def test_global_options_after_the_command(capsys):
    code, out, err = run(capsys, "chain", "ERO", "--as-of", "2005", "--json")
    assert code == 0, err
    assert [r["id"] for r in json.loads(out)] == ["ice", "dhs-bts", "dhs"]
    code, out, _ = run(capsys, "info", "--data", CITY)
    assert code == 0 and "10 nodes, 9 edges" in out


def test_missing_path_says_not_found(capsys):
    code, _, err = run(capsys, "--data", "nosuch/", "info")
    assert code == 1 and "nosuch: not found" in err and "unknown data file type" not in err


def test_validate_warns_about_unsourced_facts_and_strict_refuses(capsys):
    code, out, err = run(capsys, "--data", CITY, "validate")
    assert code == 0 and out.startswith(f"ok: {CITY}: 10 nodes, 9 edges, 0 sources")
    assert "warning: 19 facts have no source" in err and "today's date" in err
    code, _, err = run(capsys, "--data", CITY, "--strict", "validate")
    assert code == 1 and "19 facts have no source" in err
    code, out, err = run(capsys, "--data", CITY, "--strict", "--source", "City charter", "validate")
    assert code == 0 and "1 source\n" in out and "warning" not in err


def test_date_option_sets_the_data_date(capsys):
    code, out, _ = run(capsys, "--data", CITY, "--date", "2024-05", "info")
    assert code == 0 and "(data as of 2024-05)" in out
    code, _, err = run(capsys, "--data", CITY, "--date", "May", "info")
    assert code != 0 and "'May' is not a date" in err


def test_info_shows_the_date_it_answers_for_and_plurals(capsys):
    code, out, _ = run(capsys, "--as-of", "2010", "info")
    assert code == 0 and "(as of 2010)" in out.splitlines()[0]
    code, out, _ = run(capsys, "--as-of", "2010", "--source", "x", "validate")
    assert "1 sources" not in out


def test_plural_of_one(tmp_path, capsys):
    f = tmp_path / "one.csv"
    f.write_text("id,name\na,Alone\n", encoding="utf-8")
    code, out, _ = run(capsys, "--data", str(f), "info")
    assert code == 0 and "1 node, 0 edges; 1 unit on 1 level," in out


def test_as_of_before_the_organization_existed_warns(capsys):
    code, _, err = run(capsys, "--as-of", "1999", "info")
    assert code == 0 and "warning: --as-of 1999 is before DHS existed" in err


def test_a_partial_match_says_what_it_resolved_to(capsys):
    code, out, err = run(capsys, "chain", "forensic lab")
    assert code == 0 and "'forensic lab' resolved to HSI Forensic Laboratory (hsi-forensic-laboratory)" in err
    code, _, err = run(capsys, "chain", "homeland security")
    assert code == 1 and "'dhs' (U.S. Department of Homeland Security)" in err


def test_chain_of_a_partner_says_it_is_a_partner(capsys):
    code, _, err = run(capsys, "chain", "FBI")
    assert code == 1 and "is a partner agency, not part of the hierarchy" in err


def test_find_by_state(capsys):
    code, out, _ = run(capsys, "find", "--state", "TX", "--json")
    ids = [r["id"] for r in json.loads(out)]
    assert code == 0 and "ero-field-office-houston" in ids
    code, out2, _ = run(capsys, "find", "--state", "Texas", "--json")
    assert json.loads(out2) == json.loads(out)


def test_export_csv_to_a_folder_writes_four_files(tmp_path, capsys):
    code, _, err = run(capsys, "export", "csv", "-o", str(tmp_path / "out"))
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "dataset.csv",
        "edges.csv",
        "nodes.csv",
        "sources.csv",
    ]


def test_unknown_export_format_suggests_the_closest(capsys):
    code, _, err = run(capsys, "export", "grapml", "-o", "-")
    assert code != 0 and "did you mean 'graphml'?" in err


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("chart.png", "-o chart.png ends in .png but the graphml format is written as .graphml"),
        ("chart", "-o chart has no extension: name it chart.graphml"),
    ],
)
def test_export_output_extension_must_fit_the_format(tmp_path, monkeypatch, capsys, output, message):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "export", "graphml", "-o", output)
    assert code != 0 and message in err and not (tmp_path / output).exists()


def test_build_other_data_defaults_to_a_folder_named_after_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--data", CITY, "build")
    assert code == 0, err
    assert (tmp_path / "city" / "city.graphml").is_file() and "files in city/" in out


def test_build_other_data_never_writes_the_projects_outputs(capsys):
    from ice_graph.loader import bundled_data_path

    outputs = bundled_data_path().resolve().parent.parent / "outputs"
    code, _, err = run(capsys, "--data", CITY, "build", "--out", str(outputs))
    assert code != 0 and "is the project's own outputs folder" in err


def test_fmt_on_a_csv_says_it_is_for_yaml(capsys):
    code, _, err = run(capsys, "fmt", CITY)
    assert code != 0 and "fmt rewrites YAML data files" in err


def test_show_lists_extra_columns_and_says_when_unsourced(capsys):
    code, out, _ = run(capsys, "--data", CITY, "show", "police")
    assert code == 0 and "head: Chief Wiggum" in out and "budget: 540000.5" in out
    assert "sources: none (the data gives no source for this node)" in out


def test_five_thousand_same_mistakes_are_two_lines_and_a_count(tmp_path, capsys):
    f = tmp_path / "bad.csv"
    f.write_text("id,parent,name\n" + "".join(f"u{i},nowhere,Unit {i}\n" for i in range(5000)), encoding="utf-8")
    code, _, err = run(capsys, "--data", str(f), "validate")
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 3
    assert "rows 2-5001: parent 'nowhere' is not the id or name of any unit" in lines[0]
    assert "Required columns: id, name; optional: parent" in lines[1]
    assert lines[2] == "5,000 problems found"
