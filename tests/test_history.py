"""Dated facts, reorganization events, snapshots, changes and diffs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ice_graph
from ice_graph.codec import build_graph, to_document
from ice_graph.errors import DataError, IceGraphError
from ice_graph.io.gexf import generate_gexf
from ice_graph.io.yaml import dump_yaml
from ice_graph.model import Record
from ice_graph.synthetic import random_document
from ice_graph.validate import validate

from .conftest import FIXTURES, SCHEMAS


@pytest.fixture(scope="module")
def history():
    return ice_graph.load(history=True)


# -- the ICE history ---------------------------------------------------------------


def test_fps_under_ice_until_2009(history):
    in_2005 = ice_graph.as_of(history, "2005-06-01")
    in_2012 = ice_graph.as_of(history, "2012-06-01")
    assert "fps" in in_2005 and in_2005.edges["ice", "fps"]["relation"] == "has_unit"
    # In mid-2005 ICE still reported through DHS's Border and Transportation Security directorate.
    assert ice_graph.chain_of_command(in_2005, "FPS") == ["ice", "dhs-bts", "dhs"]
    assert "fps" not in in_2012


def test_names_before_the_2010_realignment(history):
    before = ice_graph.as_of(history, "2005-06-01")
    names = {a["name"] for _, a in before.nodes(data=True)}
    assert "Homeland Security Investigations" not in names and "Enforcement and Removal Operations" not in names
    assert before.nodes["hsi"]["name"] == "Office of Investigations"
    assert (
        before.nodes["ero"]["name"] == "Office of Detention and Removal"
        and before.nodes["ero"]["abbreviation"] == "DRO"
    )
    assert "management-and-administration" not in before
    after = ice_graph.as_of(history, "2011")
    assert (
        after.nodes["hsi"]["name"] == "Homeland Security Investigations" and after.nodes["hsi"]["abbreviation"] == "HSI"
    )


def test_before_ice_existed(history):
    in_2000 = ice_graph.as_of(history, "2000-01-01")
    assert "ice" not in in_2000 and "hsi" not in in_2000  # the whole branch goes with its top
    assert {"ins", "customs-service", "doj", "treasury"} <= set(in_2000) and "dhs" not in in_2000
    assert history.edges["ins", "ice"]["relation"] == "predecessor_of"


def test_today_is_the_default_and_the_current_graph_is_unchanged(history):
    today = ice_graph.load()
    assert set(today) == set(ice_graph.as_of(history, history.graph["date"]))
    assert not {"fps", "ins", "customs-service"} & set(today)
    assert not any(ice_graph.diff(today, ice_graph.as_of(history, "2026-11-29")).values())


def test_changes_2008_to_2012_with_sources(history):
    found = ice_graph.changes(history, "2008-01-01", "2012-12-31")
    kinds = {(c["type"], c["unit"]) for c in found}
    assert {("transferred", "fps"), ("renamed", "hsi"), ("renamed", "ero")} <= kinds
    for c in found:
        assert c["sources"] and all(s["quote"] and s["title"] for s in c["sources"])
    fps = next(c for c in found if c["unit"] == "fps")
    assert fps["before"] == "ice" and "National Protection and Programs Directorate" in fps["after"]
    assert [a["date"] for a in fps["alt_dates"]] == ["2009-10-29"]  # the two sources' dates, both kept


def test_ice_creation_dates_disagree_and_both_are_kept(history):
    created = next(e for e in ice_graph.events(history) if e["type"] == "created" and e["unit"] == "ice")
    assert created["date"] == "2003-03" and created["alt_dates"][0]["date"] == "2003-03-01"
    assert created["from_units"] == ["ins", "customs-service"]
    assert "Homeland Security Act" in json.dumps(created)


def test_as_of_needs_history():
    with pytest.raises(IceGraphError, match="history=True"):
        ice_graph.as_of(ice_graph.load(), "2005")


def test_changes_range_checked(history):
    with pytest.raises(DataError, match="'2012' is after end '2008'"):
        ice_graph.changes(history, "2012", "2008")
    assert ice_graph.changes(history, "1990", "1991") == []


@pytest.mark.parametrize(
    ("call", "bad"),
    [
        (lambda H: ice_graph.as_of(H, "last tuesday"), "'last tuesday' is not a date"),
        (lambda H: ice_graph.as_of(H, "2010-02-30"), "'2010-02-30' is not a date"),
        (lambda H: ice_graph.changes(H, "soon", "2012"), "'soon' is not a date"),
        (lambda H: ice_graph.changes(H, "2005", 2012.5), "2012.5 is not a date"),
        (lambda H: ice_graph.changes(H, "2005", None), "None is not a date"),
    ],
)
def test_bad_dates_raise_our_error(history, call, bad):
    with pytest.raises(DataError, match=bad):
        call(history)


# -- issue 12 #5: a partial END date means the last day of its period ---------------------


@pytest.mark.parametrize(
    ("text", "last"),
    [("2010", "2010-12-31"), ("2010-06", "2010-06-30"), ("2012-02", "2012-02-29"), ("2011-02", "2011-02-28")],
)
def test_end_of_a_period(text, last):
    from ice_graph.history import end_of

    assert end_of(text) == last
    assert end_of(last) == last  # a full date is its own day


def test_changes_within_one_year(history):
    # Three changes of the 2010 realignment are dated June 2010 in the data.
    june = {("renamed", "hsi"), ("renamed", "ero"), ("created", "management-and-administration")}
    assert june <= {(c["type"], c["unit"]) for c in ice_graph.changes(history, "2010", "2010")}
    assert june <= {(c["type"], c["unit"]) for c in ice_graph.changes(history, "2010-06", "2010-06")}
    assert ice_graph.changes(history, "2010-01", "2010-05") == []
    # A second source dates them 8 July 2010, so July finds them too, saying so.
    july = ice_graph.changes(history, "2010-07", "2010-07")
    assert july and all("2010-07-08" in [a["date"] for a in c["alt_dates"]] for c in july)


def test_cli_changes_within_one_year(capsys):
    from .test_cli import run

    code, out, err = run(capsys, "changes", "2010", "2010", "--json")
    assert code == 0, err
    assert {"hsi", "ero", "management-and-administration"} <= {c["unit"] for c in json.loads(out)}


# -- issue 12 #6: a snapshot holds only the events up to its day ------------------------------


def test_cli_as_of_changes_stop_at_that_day(capsys):
    from .test_cli import run

    code, out, err = run(capsys, "--as-of", "2005", "changes", "2003", "2012", "--json")
    assert code == 0, err
    found = json.loads(out)
    assert ("created", "ice") in {(c["type"], c["unit"]) for c in found}
    assert all(c["date"] < "2005-01-02" for c in found), [c["date"] for c in found]
    code, out, _ = run(capsys, "--as-of", "2005", "changes", "2008", "2012", "--json")
    assert code == 0 and json.loads(out) == []  # nothing was known in 2005 about 2008 to 2012


@pytest.mark.parametrize("year", ["1999", "2003-03-01", "2005", "2010", "2026-11-29"])
def test_an_ice_snapshot_is_a_valid_dataset(history, year):
    S = ice_graph.as_of(history, year)
    assert all(ice_graph.events(S)) and all(e["date"] <= S.graph["as_of"] for e in ice_graph.events(S))
    again = build_graph(validate(to_document(S)))  # raises DataError listing any broken rule
    assert set(again) == set(S) and set(again.edges) == set(S.edges)


# -- issue 12 #8: a unit whose superior relation starts later stands at the top until then -----


def test_unit_placed_later_is_in_earlier_snapshots(tmp_path):
    ops_parent = "    parent: agency\n    cite:\n      - source: handbook\n        quote: Operations"
    text = DATED.replace(ops_parent, ops_parent.replace("    parent: agency\n", ""))
    text += (
        "  - unit: agency\n    relation: has_unit\n    target: ops\n    from: '2010'\n"
        "    cite:\n      - source: handbook\n        quote: Operations joined the agency in 2010.\n"
    )
    assert text.count("parent: agency") == 1  # only Legal's is left
    G = _load_text(tmp_path, text)
    before = ice_graph.as_of(G, "2005")
    assert {"ops", "field", "lab", "op-clean"} <= set(before)  # the unit, its branch and what it runs
    assert ice_graph.parent_of(before, "ops") is None and "ops" in ice_graph.roots(before)
    assert ice_graph.chain_of_command(before, "lab") == ["field", "ops"]
    after = ice_graph.as_of(G, "2012")
    assert ice_graph.chain_of_command(after, "lab") == ["field", "ops", "agency", "top"]


def test_history_gexf_timeline(history, tmp_path):
    text = "".join(generate_gexf(history))
    # The timeline runs from the earliest dated fact (the INS program of 1955) to the data's date.
    assert 'mode="dynamic" timeformat="date" start="1955-01-01" end="2026-11-29"' in text
    assert '<node id="fps" label="Federal Protective Service" start="2003-03-01" end="2009-10-27">' in text
    # Every node has a finite start (Gephi leaves a start at minus infinity out of its timeline);
    # an undated unit starts with its superior: HSI with ICE in March 2003.
    nodes = re.findall(r"<node [^>]*>", text)
    assert len(nodes) == len(history) and all(" start=" in tag for tag in nodes)
    assert '<node id="hsi" label="Homeland Security Investigations" start="2003-03-01">' in text
    # Renamed units carry the name of the time as a dynamic attribute.
    assert '<attvalue for="dyn_name" value="Office of Investigations" start="2003-03-01" end="2010-05-31"/>' in text
    assert (
        '<attvalue for="dyn_name" value="Homeland Security Investigations" start="2010-06-01" end="2026-11-29"/>'
        in text
    )
    assert 'mode="static"' in "".join(generate_gexf(ice_graph.load()))
    if SCHEMAS.exists() and shutil.which("xmllint"):
        p = tmp_path / "h.gexf"
        p.write_text(text)
        proc = subprocess.run(
            ["xmllint", "--noout", "--relaxng", str(SCHEMAS / "gexf-1.3" / "gexf.rng"), str(p)],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stderr


def test_chart_says_its_date(history):
    from ice_graph.io.dot import chart_title

    assert "The organization on 2005-06-01" in chart_title(ice_graph.as_of(history, "2005-06-01"))[1]
    assert "The organization on" not in chart_title(ice_graph.load())[1]
    c = ice_graph.chart(history, as_of="2005-06-01", engine="matplotlib", hierarchy_only=True)
    assert "fps" in c.graph
    from ice_graph.charts import changes_chart

    ch = changes_chart(history, "2003-03-01", "2026-11-29", hierarchy_only=True)
    marks = {n: a.get("_change") for n, a in ch.graph.nodes(data=True) if a.get("_change")}
    # The realignment's marks, among the others since 2003 (BTS dissolved, offices created).
    assert {
        "fps": "removed",
        "management-and-administration": "added",
        "hsi": "renamed",
        "ero": "renamed",
    }.items() <= marks.items()
    assert marks["dhs-bts"] == "removed"
    assert ch.to_bytes("png")[:4] == b"\x89PNG"
    # A unit moved in 2010 (HSI's intelligence office, from ICE's front office) keeps one superior in
    # the chart, its later one; the earlier is named in its box, so no connector crosses the chart.
    superiors = Counter(v for _, v, r in ch.graph.edges(data="relation") if r == "has_unit")
    assert max(superiors.values()) == 1
    assert marks["hsi-intelligence"] == "moved" and ch.graph.nodes["hsi-intelligence"]["_was"] == "under ICE"
    assert list(ch.graph.predecessors("hsi-intelligence")) == ["hsi"]


def test_cli_as_of_and_changes(capsys, tmp_path):
    from .test_cli import run

    code, out, _ = run(capsys, "--as-of", "2005-06-01", "subordinates", "ice", "--depth", "1", "--json")
    assert code == 0 and "fps" in [r["id"] for r in json.loads(out)]
    code, out, _ = run(capsys, "changes", "2008", "2012-12-31", "--json")
    assert code == 0 and {c["unit"] for c in json.loads(out)} >= {"fps", "hsi", "ero"}
    chart = tmp_path / "changes.png"
    code, _, err = run(capsys, "changes", "2003-03", "2026-11-29", "--chart", str(chart))
    assert code == 0 and chart.read_bytes()[:4] == b"\x89PNG"
    code, _, err = run(capsys, "--as-of", "2005-13", "info")
    assert code == 2 and "not a date" in err


# -- the date rules, each with a broken file ---------------------------------------------

DATED = (FIXTURES / "tiny.yaml").read_text(encoding="utf-8")


def _load_text(tmp_path: Path, text: str):
    p = tmp_path / "dated.yaml"
    p.write_text(text, encoding="utf-8")
    return ice_graph.load(p, history=True)


def _problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(DataError) as info:
        _load_text(tmp_path, text)
    return [str(p) for p in info.value.problems]


DATES = "    from: '2001'\n    until: 2005-06\n    dates_cite:\n      - source: handbook\n        quote: dates\n"


def test_dated_node_loads(tmp_path):
    G = _load_text(tmp_path, DATED.replace("    name: Legal Office\n", "    name: Legal Office\n" + DATES))
    assert G.nodes["legal"]["valid_from"] == "2001" and G.nodes["legal"]["valid_until"] == "2005-06"
    assert "legal" in ice_graph.as_of(G, "2003") and "legal" not in ice_graph.as_of(G, "2005-06-01")
    assert "police" not in ice_graph.as_of(G, "2006")  # its only link went with Legal


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("until: 2005-06", "until: 2005-13", "'2005-13' is not a date"),
        ("from: '2001'", "from: 'May 2001'", "'May 2001' is not a date"),
        ("until: 2005-06", "until: '2000'", "'from' 2001 must be before 'until' 2000"),
        ("    dates_cite:\n      - source: handbook\n        quote: dates\n", "", "no source: dates_cite"),
    ],
)
def test_date_rules(tmp_path, old, new, expected):
    text = DATED.replace("    name: Legal Office\n", "    name: Legal Office\n" + DATES.replace(old, new))
    msgs = _problems(tmp_path, text)
    assert any(expected in m for m in msgs), msgs


def test_relation_never_outlives_its_ends(tmp_path):
    text = DATED.replace("    name: Legal Office\n", "    name: Legal Office\n" + DATES)
    text = text.replace(
        "  - unit: legal\n    relation: partners_with\n",
        "  - unit: legal\n    relation: partners_with\n    from: '2001'\n    until: '2009'\n",
    )
    msgs = _problems(tmp_path, text)
    assert any("outlives 'legal'" in m for m in msgs), msgs


def test_one_superior_at_every_date(tmp_path):
    moved = (
        "  - unit: ops\n    relation: has_unit\n    target: legal\n    from: '2010'\n"
        "    cite:\n      - source: handbook\n        quote: moved\n"
    )
    text = DATED.replace("    name: Legal Office\n    parent: agency\n", "    name: Legal Office\n")
    ok = text + moved + moved.replace("unit: ops", "unit: agency").replace("    from: '2010'\n", "    until: '2010'\n")
    G = _load_text(tmp_path, ok)
    assert ice_graph.chain_of_command(ice_graph.as_of(G, "2012"), "legal")[0] == "ops"
    assert ice_graph.chain_of_command(ice_graph.as_of(G, "2005"), "legal")[0] == "agency"
    clash = (
        text + moved + moved.replace("unit: ops", "unit: agency").replace("    from: '2010'\n", "    until: '2011'\n")
    )
    msgs = _problems(tmp_path, clash)
    assert any("one superior at a time" in m for m in msgs), msgs


def test_event_rules(tmp_path):
    events = "events:\n  - date: 2010-02-30\n    type: renamd\n    unit: opz\n    cite:\n      - source: handbook\n        quote: q\n"
    msgs = _problems(tmp_path, DATED + events)
    assert any("unknown event type 'renamd'" in m and "did you mean 'renamed'" in m for m in msgs), msgs
    events = events.replace("renamd", "renamed")
    msgs = _problems(tmp_path, DATED + events)
    assert any("'2010-02-30' is not a date" in m for m in msgs) and any("'opz'" in m for m in msgs), msgs


def test_dated_names_need_sources(tmp_path):
    text = DATED.replace("other_names: [Ops Directorate]", "other_names:\n      - name: Old Ops\n        until: '2000'")
    msgs = _problems(tmp_path, text)
    assert any("cite" in m for m in msgs), msgs


# -- properties -------------------------------------------------------------------------------


def _dated_document(n: int, seed: int) -> dict:
    import random

    rng = random.Random(seed)
    doc = random_document(n, seed=seed)
    for rec in doc["nodes"][1:]:
        if rng.random() < 0.3:
            rec["from"] = str(rng.randint(1990, 2005))
            if rng.random() < 0.5:
                rec["until"] = str(rng.randint(2006, 2020))
            rec["dates_cite"] = [Record({"source": "synthetic", "quote": "dated"})]
    return doc


@settings(max_examples=20, deadline=None)
@given(n=st.integers(2, 80), seed=st.integers(0, 10_000), year=st.integers(1985, 2025))
def test_a_snapshot_is_a_valid_organization(n, seed, year):
    H = build_graph(validate(_dated_document(n, seed)))
    S = ice_graph.as_of(H, str(year))
    doc = to_document(S)
    again = build_graph(validate(doc))  # the snapshot passes every rule
    assert set(again) == set(S)
    # The rebuilt graph holds the same facts: an independent copy, not S itself.
    assert again is not S and not any(ice_graph.diff(S, again).values())
    assert {k: v for k, v in again.graph.items() if k not in ("history", "as_of")} == {
        k: v for k, v in S.graph.items() if k not in ("history", "as_of")
    }


@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 60), seed=st.integers(0, 10_000))
def test_diff_with_itself_is_empty_and_finds_changes(n, seed):
    G = build_graph(validate(random_document(n, seed=seed)))
    same = build_graph(validate(to_document(G)))  # the same facts, built again
    assert not any(ice_graph.diff(G, same).values())
    H = G.copy()
    H.nodes["u0"]["name"] = "Renamed"
    H.add_node("new", name="New", kind="office", category="unit")
    d = ice_graph.diff(G, H)
    assert d["added_nodes"] == ["new"] and d["changed_nodes"]["u0"] == {"name": [G.nodes["u0"]["name"], "Renamed"]}
    assert not d["removed_nodes"] and not d["added_edges"] and not d["changed_edges"]
    for u, v in list(G.edges)[:1]:  # a one-unit organization has no edge
        H.remove_edge(u, v)
        assert ice_graph.diff(G, H)["removed_edges"] == [(u, v)]


def test_history_round_trips_through_yaml(history, tmp_path):
    p = tmp_path / "h.yaml"
    p.write_text(dump_yaml(to_document(history)), encoding="utf-8")
    back = ice_graph.load(p, history=True)
    assert set(back) == set(history) and set(back.edges) == set(history.edges)
    for n in history:
        assert dict(back.nodes[n]) == dict(history.nodes[n]), n
    for u, v in history.edges:
        assert dict(back.edges[u, v]) == dict(history.edges[u, v]), (u, v)
    assert back.graph == history.graph  # id, title, date, sources, events and the history flag
