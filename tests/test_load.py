"""The loader and validator: every rule proved with a deliberately broken file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ice_graph
from ice_graph.errors import DataError


def _write(tmp_path: Path, text: str, name: str = "org.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing needle (computed, not copied)."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    return hits[nth - 1]


def _problems(path: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        ice_graph.load(path)
    return [str(p) for p in info.value.problems]


def test_tiny_loads(tiny):
    assert sorted(tiny) == sorted(["top", "agency", "ops", "legal", "field", "lab", "op-clean", "safety", "police"])
    assert tiny.edges["top", "agency"]["relation"] == "has_unit"
    assert tiny.nodes["agency"]["employees"] == 120
    assert isinstance(tiny.nodes["agency"]["employees"], int)
    assert tiny.nodes["agency"]["employees_qualifier"] == "about"
    assert tiny.graph["date"] == "2024-05-01"


def test_malformed_yaml_names_file_and_line(tmp_path, tiny_text):
    text = tiny_text.replace("    name: Operations\n", "    name: [Operations\n")
    p = _write(tmp_path, text)
    (msg,) = _problems(p)
    assert msg.startswith(f"{p}:")
    assert "malformed YAML" in msg
    line = int(msg.split(":")[1])
    assert abs(line - _line_of(text, "name: [Operations")) <= 2


def test_missing_required_field(tmp_path, tiny_text):
    text = tiny_text.replace("    name: Legal Office\n", "")
    p = _write(tmp_path, text)
    (msg,) = _problems(p)
    assert f"{p}:{_line_of(text, 'id: legal')}: unit 'legal': missing required field 'name'" == msg


def test_duplicate_id(tmp_path, tiny_text):
    text = tiny_text.replace("  - id: legal\n", "  - id: ops\n")
    p = _write(tmp_path, text)
    msgs = _problems(p)
    expected_line = _line_of(text, "- id: ops", 2)
    assert any(
        f":{expected_line}:" in m and "duplicate id 'ops'" in m and f"line {_line_of(text, '- id: ops')}" in m
        for m in msgs
    ), msgs


def test_unknown_kind_suggests(tmp_path, tiny_text):
    text = tiny_text.replace("kind: division", "kind: divison")
    p = _write(tmp_path, text)
    msgs = _problems(p)
    line = _line_of(text, "kind: divison")
    assert any(
        m.startswith(f"{p}:{line}: ") and "unknown kind 'divison'" in m and "did you mean 'division'?" in m
        for m in msgs
    ), msgs


def test_unknown_relation_suggests(tmp_path, tiny_text):
    text = tiny_text.replace("relation: partners_with", "relation: partner_with")
    p = _write(tmp_path, text)
    (msg,) = _problems(p)
    assert f":{_line_of(text, 'relation: partner_with')}:" in msg
    assert "unknown relation 'partner_with'" in msg and "did you mean 'partners_with'?" in msg


def test_reference_to_missing_id(tmp_path, tiny_text):
    text = tiny_text.replace("parent: ops", "parent: opps")
    p = _write(tmp_path, text)
    (msg,) = _problems(p)
    assert f"{p}:{_line_of(text, 'parent: opps')}: unit 'field': parent 'opps' is not the id of any node" in msg
    assert "did you mean 'ops'?" in msg


def test_relation_target_missing(tmp_path, tiny_text):
    text = tiny_text.replace("target: safety", "target: safty")
    p = _write(tmp_path, text)
    (msg,) = _problems(p)
    assert f":{_line_of(text, 'target: safty')}:" in msg and "target 'safty'" in msg and "'safety'" in msg


def test_two_superiors_as_list(tmp_path, tiny_text):
    text = tiny_text.replace("parent: ops", "parent: [ops, legal]")
    p = _write(tmp_path, text)
    (msg,) = _problems(p)
    assert "unit 'field'" in msg and "one superior" in msg and "ops, legal" in msg


def test_two_superiors_by_relation(tmp_path, tiny_text):
    extra = (
        "  - unit: legal\n    relation: has_unit\n    target: field\n"
        "    cite:\n      - source: handbook\n        quote: q\n"
    )
    text = tiny_text + extra
    p = _write(tmp_path, text)
    (msg,) = _problems(p)
    assert "unit 'field'" in msg and "one superior" in msg and "'legal'" in msg and "'ops'" in msg


def test_cycle_in_hierarchy(tmp_path, tiny_text):
    text = tiny_text.replace("    abbreviation: DTT\n", "    abbreviation: DTT\n    parent: lab\n")
    p = _write(tmp_path, text)
    (msg,) = _problems(p)
    assert "cycle" in msg
    assert "agency -> top" not in msg  # direction of has_unit edges: superior -> subordinate
    for n in ("top", "agency", "ops", "field", "lab"):
        assert n in msg


def test_fact_without_source(tmp_path, tiny_text):
    text = tiny_text.replace("    cite:\n      - source: handbook\n        quote: The Legal Office advises.\n", "")
    p = _write(tmp_path, text)
    (msg,) = _problems(p)  # one missing cite is one problem, not two
    assert msg == (
        f"{p}:{_line_of(text, 'id: legal')}: unit 'legal': no source: cite must list at least one {{source, quote}}"
    )


def test_relation_without_source(tmp_path, tiny_text):
    text = tiny_text.replace(
        "    cite:\n      - source: handbook\n        quote: Operations runs Operation Clean.\n", ""
    )
    p = _write(tmp_path, text)
    assert any("relation 'ops' runs 'op-clean'" in m and "cite" in m for m in _problems(p))


def test_quote_required(tmp_path, tiny_text):
    text = tiny_text.replace("        quote: The Legal Office advises.\n", "")
    p = _write(tmp_path, text)
    (msg,) = _problems(p)
    assert f":{_line_of(text, '- source: handbook', 5)}:" in msg and "missing required field 'quote'" in msg


def test_source_not_registered(tmp_path, tiny_text):
    text = tiny_text.replace("quote: The Legal Office advises.", "quote: x").replace(
        "      - source: handbook\n        quote: x", "      - source: handbok\n        quote: x"
    )
    p = _write(tmp_path, text)
    (msg,) = _problems(p)
    assert f":{_line_of(text, 'source: handbok')}:" in msg
    assert "source 'handbok' is not registered" in msg and "did you mean 'handbook'?" in msg


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("value: 120", "value: many", "value must be a number, got 'many'"),
        ("name: Legal Office", "name: [Legal, Office]", "field 'name' must be text, got list"),
        ("url: https://example.org/handbook", "url: javascript:alert(1)", "must start with http:// or https://"),
        ("date: '2024-05-01'", "date: 'May 2024'", "'May 2024' is not a date"),
        ("other_names: [Ops Directorate]", "other_names: 7", "other_names must be a list of text"),
    ],
)
def test_wrong_value_types(tmp_path, tiny_text, old, new, expected):
    text = tiny_text.replace(old, new)
    assert text != tiny_text
    p = _write(tmp_path, text)
    (msg,) = _problems(p)
    assert expected in msg
    assert f":{_line_of(text, new)}:" in msg


def test_unknown_field_suggests(tmp_path, tiny_text):
    text = tiny_text.replace("abbreviation: TA", "abbrevation: TA")
    p = _write(tmp_path, text)
    (msg,) = _problems(p)
    assert "unknown field 'abbrevation'" in msg and "did you mean 'abbreviation'?" in msg


def test_relation_endpoints_checked(tmp_path, tiny_text):
    text = tiny_text.replace("target: op-clean", "target: safety")
    p = _write(tmp_path, text)
    (msg,) = _problems(p)
    assert "runs needs a program as its target, but 'safety' is a mission_area" in msg


def test_every_problem_at_once(tmp_path, tiny_text):
    text = (
        tiny_text.replace("kind: division", "kind: divison")
        .replace("parent: field", "parent: feild")
        .replace("relation: runs", "relation: run")
    )
    p = _write(tmp_path, text)
    msgs = _problems(p)
    assert len(msgs) == 3, msgs
    assert str(DataError([])).startswith("0 problems")


def test_python_tag_refused(tmp_path):
    p = _write(tmp_path, "dataset: !!python/object/apply:os.system ['echo pwned']\n")
    (msg,) = _problems(p)
    assert "!!python/object" in msg and "refused" in msg


def test_aliases_refused(tmp_path):
    p = _write(tmp_path, "a: &x [1, 2]\nb: *x\n")
    (msg,) = _problems(p)
    assert "aliases" in msg and (f"{p}:1:" in msg or f"{p}:2:" in msg)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"\x00\x01binary", "binary"),
        (b"a: \xff\xfe\n", "not UTF-8"),
        (b"- 1\n- 2\n", "expected a mapping"),
    ],
)
def test_unreadable_files(tmp_path, content, expected):
    p = tmp_path / "bad.yaml"
    p.write_bytes(content)
    (msg,) = _problems(p)
    assert expected in msg


def test_unknown_extension(tmp_path):
    p = tmp_path / "x.doc"
    p.write_text("x")
    (msg,) = _problems(p)
    assert "unknown data file type '.doc' (expected .yaml, .yml, .csv, .tsv, .txt, .xlsx, .graphml" in msg


def test_missing_file(tmp_path):
    (msg,) = _problems(tmp_path / "nope.yaml")
    assert msg.endswith("nope.yaml: not found (expected a data file or a folder of CSV files)")


def test_bundled_data_loads_from_any_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    G = ice_graph.load()
    assert G.graph["id"] == "ice"
    assert ice_graph.bundled_data_path().name == "ice.yaml"


def test_error_is_a_value_error(tmp_path, tiny_text):
    p = _write(tmp_path, tiny_text.replace("kind: division", "kind: divison"))
    with pytest.raises(ValueError, match=re.escape("unknown kind 'divison'")):
        ice_graph.load(p)


# -- input limits: size, devices, pipes (issue 18) -------------------------------------------------
def test_device_is_refused_without_reading_it(tmp_path):
    # /dev/zero never ends: reading it at all would take the whole memory.
    for path in (Path("/dev/zero"), Path("/dev/null")):
        with pytest.raises(DataError, match="not a regular file or a pipe"):
            ice_graph.io.read_yaml(path)


def test_device_as_csv_data_is_refused(tmp_path):
    (tmp_path / "units.csv").symlink_to("/dev/zero")
    (tmp_path / "sources.csv").write_text("id,title,accessed\ns,S,2020-01-01\n")
    with pytest.raises(DataError, match="not a regular file or a pipe"):
        ice_graph.load(tmp_path)


def test_oversize_csv_is_refused_while_reading(tmp_path):
    units = tmp_path / "units.csv"
    with units.open("wb") as fh:  # a sparse 60 MiB file: no disk space used
        fh.truncate(60 * 2**20)
    (tmp_path / "sources.csv").write_text("id,title,accessed\ns,S,2020-01-01\n")
    (msg,) = _problems(tmp_path)
    assert msg == (
        f"{units}: the file is larger than 50 MiB (the limit for data files; "
        "for a bigger organization set ICE_GRAPH_MAX_FILE_MB, e.g. ICE_GRAPH_MAX_FILE_MB=500)"
    )


def test_a_big_organization_raises_the_size_limit(tmp_path, monkeypatch):
    """ICE_GRAPH_MAX_FILE_MB lifts (or lowers) the limit, for files of 10^6 units; a bad value is said."""
    from ice_graph.errors import ArgumentError

    p = _write(tmp_path, "dataset: {id: x}\n" + "#" * (2 * 2**20), name="big.yaml")  # a little over 2 MiB
    monkeypatch.setenv("ICE_GRAPH_MAX_FILE_MB", "2")
    with pytest.raises(DataError, match=r"larger than 2 MiB .*ICE_GRAPH_MAX_FILE_MB"):
        ice_graph.load(p)
    monkeypatch.setenv("ICE_GRAPH_MAX_FILE_MB", "2.5")
    with pytest.raises(DataError) as info:  # read whole: now the data's own problems are reported
        ice_graph.load(p)
    assert not any("larger than" in str(pr) for pr in info.value.problems)
    for bad in ("lots", "-1", "0", "1e-9"):
        monkeypatch.setenv("ICE_GRAPH_MAX_FILE_MB", bad)
        with pytest.raises(ArgumentError, match=f"ICE_GRAPH_MAX_FILE_MB='{bad}' is not a size in MiB"):
            ice_graph.load(p)


def test_the_limit_holds_whatever_stat_says(tmp_path):
    from ice_graph.io._files import read_limited

    p = _write(tmp_path, "x" * 100, name="a.yaml")
    assert read_limited(p, limit=100) == "x" * 100
    with pytest.raises(DataError, match="larger than"):
        read_limited(p, limit=99)


def test_a_fifo_is_read_with_its_writer(tmp_path, tiny_text):
    import os
    import threading

    fifo = tmp_path / "org.yaml"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "w", encoding="utf-8") as fh:
            fh.write(tiny_text)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    G = ice_graph.load(fifo)
    writer.join(timeout=10)
    assert G.graph["id"] == "tiny"


def test_an_endless_fifo_is_cut_at_the_limit(tmp_path, monkeypatch):
    import os
    import threading

    from ice_graph.io import _files

    monkeypatch.setattr(_files, "MAX_FILE_BYTES", 1000)
    monkeypatch.setattr(_files.read_limited, "__kwdefaults__", {"what": "text", "limit": 1000})
    fifo = tmp_path / "org.yaml"
    os.mkfifo(fifo)
    stop = threading.Event()

    def write() -> None:
        try:
            with open(fifo, "w", encoding="utf-8") as fh:
                while not stop.is_set():
                    fh.write("# " + "x" * 98 + "\n")
                    fh.flush()
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        with pytest.raises(DataError, match="larger than"):
            ice_graph.io.read_yaml(fifo)
    finally:
        stop.set()
        writer.join(timeout=10)


# -- CSV problems speak of columns and rows (issue 14) ------------------------------------------------
def _csv_org(tmp_path: Path, units: str) -> Path:
    (tmp_path / "units.csv").write_text(units, encoding="utf-8")
    (tmp_path / "sources.csv").write_text("id,title,accessed\ns,S,2020-01-01\n", encoding="utf-8")
    return tmp_path


def test_a_table_without_source_columns_loads_cited_by_its_one_source(tmp_path):
    # Issue 14: sourcing is optional for other data; the one row of sources.csv cites every fact.
    d = _csv_org(tmp_path, "id,name,kind\na,A,agency\nb,B,office\nc,C,office\n")
    G = ice_graph.load(d, strict=True)
    assert G.graph["unsourced"] == 0 and sorted(G) == ["a", "b", "c"]


def test_a_source_column_without_quotes_is_the_dataset_source(tmp_path):
    d = _csv_org(tmp_path, "id,name,kind,source\na,A,agency,s\nb,B,office,s\n")
    G = ice_graph.load(d, source="", strict=True)
    assert G.graph["unsourced"] == 0


def test_csv_problems_name_columns_not_fields(tmp_path):
    d = _csv_org(tmp_path, "id,name,kind,source,quote,from\na,,agency,s,q,\nb,B\x01,office,s,q,May 2003\n")
    units = d / "units.csv"
    assert _problems(d) == [
        f"{units}:2: unit 'a': required column 'name' is empty",
        f"{units}:3: unit 'b': column 'from': 'May 2003' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)",
        f"{units}:3: unit 'b': column 'name' contains the control character '\\x01' "
        "(it is one line: no tabs or line breaks)",
    ]


def test_yaml_text_for_fmt_refuses_devices():
    from ice_graph.io.yaml import read_yaml_text

    with pytest.raises(DataError, match="not a regular file or a pipe"):
        read_yaml_text("/dev/zero")


def test_csv_problems_point_to_rows_of_the_right_file(tmp_path):
    d = _csv_org(tmp_path, "id,name,kind,parent,source,quote\na,A,agency,,s,q\nb,B,office,a,s,q\nc,C,office,b,s,q\n")
    (d / "relations.csv").write_text("unit,relation,target,source,quote\nc,has_unit,b,s,q\nc,has_unit,a,s,q\n")
    units, relations = d / "units.csv", d / "relations.csv"
    assert _problems(d) == [
        f"{units}:2: unit 'a': the hierarchy has a cycle: a -> b -> c -> a",
        # b's superiors: c (relations.csv row 2) and a (its parent column, units.csv row 3)
        f"{units}:3: unit 'b': a unit has one superior at a time, but it has 2: 'c' (row 2 of {relations}), 'a' (row 3)",
        f"{units}:3: unit 'b': the hierarchy has a cycle: b -> c -> b",
    ]


def test_csv_first_row_shorter_than_the_header_keeps_every_column(tmp_path):
    """A hand-written row may stop early; the header, not the first row, says which columns exist.

    (The columns used to be taken from the first row: its missing trailing cells made the
    file 'lack' the source and quote columns, and later rows' citations were dropped.)
    """
    d = _csv_org(tmp_path, "id,name,kind,parent,source,quote\na,A,agency\nb,B,office,a,s,q\n")
    problems = _problems(d)
    assert not any("missing required column" in p for p in problems), problems
    # Row 2 has no citation (said once, for that row); row 3's is read.
    assert problems == [f"{d / 'units.csv'}:2: unit 'a': no source: cite must list at least one {{source, quote}}"]
