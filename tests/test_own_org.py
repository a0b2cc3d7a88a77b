"""Issue 14: other people's organizations -- spreadsheets as people write them, NetworkX graphs, other tools' files."""

from __future__ import annotations

import time
from pathlib import Path

import networkx as nx
import pytest

import ice_graph
from ice_graph.errors import DataError

FIXTURES = Path(__file__).parent / "fixtures" / "own_org"


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# -- 1. sourcing is optional for other data ---------------------------------
def test_city_spreadsheet_loads_without_sources() -> None:
    G = ice_graph.load(FIXTURES / "city.csv")
    assert G.number_of_nodes() == 10
    # 10 units and 9 reporting lines, none cited
    assert G.graph["unsourced"] == 19


def test_strict_refuses_unsourced_facts() -> None:
    with pytest.raises(DataError, match="19 facts have no source"):
        ice_graph.load(FIXTURES / "city.csv", strict=True)


def test_one_dataset_source_cites_every_fact(tmp_path: Path) -> None:
    G = ice_graph.load(FIXTURES / "city.csv", source="Springfield city charter", strict=True)
    assert G.graph["unsourced"] == 0
    [cite] = ice_graph.citations(G, "police")
    assert cite["source"] == "springfield-city-charter" and cite["title"] == "Springfield city charter"
    assert "springfield-city-charter" in ice_graph.source_registry(G)


def test_source_column_with_one_value_is_the_dataset_source(tmp_path: Path) -> None:
    f = _write(tmp_path / "org.csv", "id,name,parent,source\na,A,,Annual report 2024\nb,B,a,Annual report 2024\n")
    G = ice_graph.load(f, strict=True)
    assert G.graph["unsourced"] == 0 and "annual-report-2024" in ice_graph.source_registry(G)


def test_one_row_sources_csv_is_the_dataset_source(tmp_path: Path) -> None:
    _write(tmp_path / "units.csv", "id,name,parent\na,A,\nb,B,a\n")
    _write(tmp_path / "sources.csv", "id,title,url\nreport,Annual report,https://example.org\n")
    G = ice_graph.load(tmp_path, strict=True)
    assert G.graph["unsourced"] == 0


def test_date_defaults_to_today_with_a_note_and_date_sets_it() -> None:
    G = ice_graph.load(FIXTURES / "city.csv")
    assert "today" in G.graph["date_note"]
    G = ice_graph.load(FIXTURES / "city.csv", date="2024-01-31")
    assert G.graph["date"] == "2024-01-31" and "date_note" not in G.graph


def test_bundled_data_stays_strictly_sourced() -> None:
    G = ice_graph.load()
    assert "unsourced" not in G.graph
    assert all(ice_graph.citations(G, n) for n in G)


# -- 2. spreadsheet conventions ---------------------------------------------
def test_city_kinds_parents_by_name_and_typed_extras() -> None:
    G = ice_graph.load(FIXTURES / "city.csv")
    assert G.nodes["police"]["kind"] == "department"  # 'Department' in any case
    assert G.nodes["detectives"]["kind"] == "agency"  # 'Bureau' is a synonym
    assert G.nodes["planning"]["kind"] == "unit"  # 'Commission' too
    assert G.nodes["city"]["kind"] == "government"  # unknown kinds are kept (open)
    assert G.nodes["city"]["category"] == "unit"
    assert ice_graph.chain_of_command(G, "patrol") == ["police", "city"]  # 'City of Springfield' by name
    assert ice_graph.chain_of_command(G, "detectives") == ["police", "city"]  # 'Police Department' by name
    assert G.nodes["police"]["budget"] == 540000.5 and G.nodes["city"]["budget"] == 1200000
    assert G.nodes["police"]["head"] == "Chief Wiggum"
    assert "budget" not in G.nodes["patrol"]  # empty is absent


def test_column_synonyms_in_any_case(tmp_path: Path) -> None:
    f = _write(tmp_path / "org.csv", "ID,Title,Reports_To,Type\nboss,The Boss,,Office\nw,Worker Team,The Boss,TEAM\n")
    G = ice_graph.load(f)
    assert G.nodes["w"]["name"] == "Worker Team" and G.nodes["w"]["kind"] == "unit"
    assert ice_graph.parent_of(G, "w") == "boss"


def test_manager_and_label_columns(tmp_path: Path) -> None:
    f = _write(tmp_path / "org.csv", "id,label,manager\n1,One,\n2,Two,1\n")
    G = ice_graph.load(f)
    assert ice_graph.parent_of(G, "2") == "1" and G.nodes["2"]["name"] == "Two"


def test_semicolon_file_with_bom(tmp_path: Path) -> None:
    f = _write(tmp_path / "org.csv", "\ufeffid;name;parent;budget\na;Amt für Wasser;;12\nb;Büro;a;3,5\n")
    G = ice_graph.load(f)
    assert G.nodes["a"]["name"] == "Amt für Wasser" and G.nodes["a"]["budget"] == 12
    assert ice_graph.parent_of(G, "b") == "a"


def test_tab_file_in_cp1252(tmp_path: Path) -> None:
    f = _write(tmp_path / "org.csv", "id\tname\tparent\na\tDépartement\t\nb\tSérvice\ta\n", encoding="cp1252")
    G = ice_graph.load(f)
    assert G.nodes["a"]["name"] == "Département" and ice_graph.parent_of(G, "b") == "a"


def test_xlsx(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (
        ["Id", "Name", "Parent", "Kind", "Staff"],
        ["hq", "Headquarters", None, "Agency", 120],
        ["ops", "Operations", "hq", "Division", 45],
    ):
        sheet.append(row)
    book.save(tmp_path / "org.xlsx")
    G = ice_graph.load(tmp_path / "org.xlsx")
    assert ice_graph.parent_of(G, "ops") == "hq"
    assert G.nodes["hq"]["staff"] == 120 and G.nodes["ops"]["kind"] == "division"


def test_three_thousand_units_without_sources(tmp_path: Path) -> None:
    lines = ["id,parent,name,kind", "u0,,Unit 0,agency"]
    lines += [f"u{i},u{(i - 1) // 4},Unit {i},office" for i in range(1, 3000)]
    G = ice_graph.load(_write(tmp_path / "federal.csv", "\n".join(lines) + "\n"))
    assert G.number_of_nodes() == 3000 and G.number_of_edges() == 2999
    assert ice_graph.chain_of_command(G, "u5") == ["u1", "u0"]


def test_hundred_thousand_rows_load_in_seconds(tmp_path: Path) -> None:
    lines = ["id,parent,name,kind", "u0,,Unit 0,agency"]
    lines += [f"u{i},u{(i - 1) // 4},Unit {i},office" for i in range(1, 100_000)]
    f = _write(tmp_path / "big.csv", "\n".join(lines) + "\n")
    start = time.perf_counter()
    G = ice_graph.load(f)
    assert G.number_of_nodes() == 100_000
    assert time.perf_counter() - start < 15  # about 3 s of CPU; the margin is for a busy machine


# -- 3. errors a person can act on ------------------------------------------
def test_five_thousand_rows_with_the_same_mistake_are_one_line(tmp_path: Path) -> None:
    lines = ["id,parent,name"] + [f"u{i},nowhere,Unit {i}" for i in range(5000)]
    with pytest.raises(DataError) as info:
        ice_graph.load(_write(tmp_path / "org.csv", "\n".join(lines) + "\n"))
    messages = [p.message for p in info.value.problems]
    assert messages[0] == (
        "rows 2-5001: parent 'nowhere' is not the id or name of any unit (hint: give the id or exact name "
        "of a unit in this file, or leave it empty for a top unit) (5,000 rows)"
    )
    assert len(messages) == 2
    assert messages[-1].startswith("5,000 problems in all. Required columns: id, name; optional: parent")


def test_report_is_capped_with_a_total(tmp_path: Path) -> None:
    lines = ["id,parent,name"] + [f"u{i},nowhere{i},Unit {i}" for i in range(100)]
    with pytest.raises(DataError) as info:
        ice_graph.load(_write(tmp_path / "org.csv", "\n".join(lines) + "\n"))
    messages = [p.message for p in info.value.problems]
    assert len(messages) == 22
    assert messages[20] == "... and 80 more problems not shown"
    assert messages[21].startswith("100 problems in all.")


def test_missing_required_column_names_the_header(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"missing required column name \(the header has 'id', 'boss'\)"):
        ice_graph.load(_write(tmp_path / "org.csv", "id,boss\na,b\n"))


def test_ambiguous_parent_name_says_give_the_id(tmp_path: Path) -> None:
    f = _write(tmp_path / "org.csv", "id,name,parent\na,Office,\nb,Office,\nc,Child,Office\n")
    with pytest.raises(DataError, match="row 4: parent 'Office' is the name of 2 units; give its id"):
        ice_graph.load(f)


def test_duplicate_ids_and_cycles(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="row 3: id 'a' is used twice"):
        ice_graph.load(_write(tmp_path / "dup.csv", "id,name\na,A\na,B\n"))
    with pytest.raises(DataError, match="the hierarchy has a cycle"):
        ice_graph.load(_write(tmp_path / "cyc.csv", "id,name,parent\na,A,b\nb,B,a\n"))


# -- 4. any NetworkX DiGraph ------------------------------------------------
def test_balanced_tree() -> None:
    G = ice_graph.from_networkx(nx.balanced_tree(3, 3, create_using=nx.DiGraph))
    assert G.number_of_nodes() == 40 and G.nodes[5]["name"] == "5"
    assert ice_graph.chain_of_command(G, 5) == [1, 0]
    assert ice_graph.roots(G) == [0]


def test_a_graph_without_a_title_is_untitled_not_graph() -> None:
    G = ice_graph.from_networkx(nx.balanced_tree(2, 2, create_using=nx.DiGraph))
    assert G.graph["title"] == "Untitled organization" and G.graph["id"] == "untitled-organization"
    assert ice_graph.chart(G, engine="matplotlib").options["title"].startswith("Untitled organization")
    named = nx.balanced_tree(2, 2, create_using=nx.DiGraph)
    named.graph["name"] = "Acme Corp"
    assert ice_graph.from_networkx(named).graph["title"] == "Acme Corp"


def test_from_networkx_explicit_mapping() -> None:
    T = nx.DiGraph()
    T.add_node("a", title="Alpha", level="Bureau")
    T.add_node("b", title="Beta", level="Team")
    T.add_node("p", title="Partner")
    T.add_edge("a", "b", link="boss")
    T.add_edge("a", "p", link="works with")
    G = ice_graph.from_networkx(T, name="title", kind="level", parent_edges=lambda u, v, d: d["link"] == "boss")
    assert G.nodes["a"]["name"] == "Alpha" and G.nodes["a"]["kind"] == "agency"
    assert list(G.edges) == [("a", "b")]


def test_two_superiors_are_refused() -> None:
    T = nx.DiGraph([("a", "c"), ("b", "c")])
    with pytest.raises(DataError, match="'c' has two superiors"):
        ice_graph.from_networkx(T)


@pytest.mark.parametrize("writer", ["graphml", "gexf", "node_link"])
def test_graph_files_written_by_networkx(tmp_path: Path, writer: str) -> None:
    T = nx.DiGraph()
    T.add_node("hq", label="Headquarters", kind="Agency")
    T.add_node("ops", label="Operations")
    T.add_edge("hq", "ops")
    path = tmp_path / f"org.{'json' if writer == 'node_link' else writer}"
    if writer == "node_link":
        import json

        path.write_text(json.dumps(nx.node_link_data(T, edges="links")), encoding="utf-8")
    else:
        getattr(nx, f"write_{writer}")(T, path)
    G = ice_graph.load(path)
    assert G.nodes["hq"]["name"] == "Headquarters"
    assert ice_graph.chain_of_command(G, "ops") == ["hq"]


def test_yed_graphml_by_hand() -> None:
    G = ice_graph.load(FIXTURES / "yed.graphml")
    assert G.nodes["n2"]["name"] == "Rivers Office"
    assert ice_graph.chain_of_command(G, "Rivers Office") == ["n0"]


def test_gephi_gexf_by_hand() -> None:
    G = ice_graph.load(FIXTURES / "gephi.gexf")
    assert G.nodes["0"]["name"] == "Port Authority" and G.nodes["0"]["kind"] == "agency"
    assert G.nodes["0"]["staff"] == 400
    assert ice_graph.chain_of_command(G, "Customs Team") == ["1", "0"]


def test_our_graphml_export_keeps_its_sources(tmp_path: Path) -> None:
    G = ice_graph.load()
    ice_graph.write_graphml(G, tmp_path / "ice.graphml")
    H = ice_graph.load(tmp_path / "ice.graphml")
    assert H.graph["unsourced"] == 0
    assert ice_graph.citations(H, "ero") == ice_graph.citations(G, "ero")


def test_missing_path_says_not_found(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="nosuch: not found"):
        ice_graph.load(tmp_path / "nosuch")
    with pytest.raises(DataError, match="units.csv: not found"):
        ice_graph.load(tmp_path)


def test_a_spreadsheet_is_titled_by_its_file_name() -> None:
    G = ice_graph.load(FIXTURES / "city.csv")
    assert (G.graph["title"], G.graph["id"]) == ("city", "city")


# -- extra columns appear in every export, and a CSV export loads back -----------------------
def test_extra_columns_in_every_export(tmp_path: Path) -> None:
    G = ice_graph.load(FIXTURES / "city.csv")
    ice_graph.write_csv(G, tmp_path / "csv")
    header, *rows = (tmp_path / "csv" / "nodes.csv").read_text(encoding="utf-8").splitlines()
    assert header.endswith(",budget,head") and rows[0].endswith(",1200000,Mayor Quimby")
    back = ice_graph.load(tmp_path / "csv")
    assert back.nodes["police"]["budget"] == 540000.5 and back.nodes["police"]["head"] == "Chief Wiggum"
    assert sorted(back.edges) == sorted(G.edges)
    for fmt, suffix in (("graphml", "graphml"), ("gexf", "gexf"), ("json", "json")):
        path = tmp_path / f"city.{suffix}"
        ice_graph.io.export(G, fmt, path)
        H = ice_graph.load(path)
        assert H.nodes["police"]["budget"] == 540000.5, fmt
        assert H.nodes["city"]["head"] == "Mayor Quimby", fmt


def test_the_bundled_data_has_no_extra_columns() -> None:
    from ice_graph.io.csv import extra_attributes

    assert extra_attributes(ice_graph.load(history=True)) == {}


def test_gephi_graphml_by_hand_loads_and_writes_again(tmp_path: Path) -> None:
    G = ice_graph.load(FIXTURES / "gephi.graphml")
    assert G.nodes["1"]["name"] == "Board of Education" and G.nodes["1"]["kind"] == "unit"
    assert ice_graph.chain_of_command(G, "Transport Office") == ["0"]
    # Gephi's display attributes are not data: our writers set their own
    assert not {"x", "y", "r", "size", "label", "Type"} & set(G.nodes["0"])
    for fmt in ("graphml", "gexf"):
        ice_graph.io.export(G, fmt, tmp_path / f"again.{fmt}")
        assert ice_graph.load(tmp_path / f"again.{fmt}").nodes["2"]["name"] == "Transport Office"


def test_a_tab_separated_txt_file(tmp_path: Path) -> None:
    G = ice_graph.load(_write(tmp_path / "org.txt", "id\tname\tparent\na\tA\t\nb\tB\ta\n"))
    assert ice_graph.parent_of(G, "b") == "a"


def test_read_document_says_a_graph_file_is_read_by_load(tmp_path: Path) -> None:
    path = tmp_path / "org.graphml"
    nx.write_graphml(nx.DiGraph([("a", "b")]), path)
    with pytest.raises(DataError, match="ice_graph.load"):
        ice_graph.io.read_document(path)
    assert ice_graph.chain_of_command(ice_graph.load(path), "b") == ["a"]


def test_a_bad_date_is_an_argument_error() -> None:
    with pytest.raises(ice_graph.ArgumentError, match="date 'May 2024' is not a date"):
        ice_graph.load(FIXTURES / "city.csv", date="May 2024")


def test_an_undirected_graph_is_refused_with_the_way_out() -> None:
    with pytest.raises(DataError, match=r"no superior -> subordinate direction.*nx.bfs_tree"):
        ice_graph.from_networkx(nx.balanced_tree(2, 2))
    G = ice_graph.from_networkx(nx.bfs_tree(nx.balanced_tree(2, 2), 0))
    assert ice_graph.chain_of_command(G, 5) == [2, 0]


def test_a_mistyped_parent_gets_a_suggestion_and_the_counts_agree(tmp_path: Path) -> None:
    path = tmp_path / "city.csv"
    path.write_text(
        "id;Name;Reports To;Type\nc;City;;Department\nf;Finance Department;City;Department\n"
        "t;Tax;Finance Dept;Office\nx;;City;Office\n",
        encoding="utf-8",
    )
    with pytest.raises(ice_graph.DataError) as info:
        ice_graph.load(path)
    text = str(info.value)
    assert "did you mean 'Finance Department'?" in text
    # Two mistakes: the head line and the total line say the same (the total line is no mistake).
    assert text.startswith("2 problems in the data") and "2 problems in all" in text and info.value.total == 2


def test_a_missing_id_column_says_how_to_add_one(tmp_path: Path) -> None:
    path = tmp_path / "city.csv"
    path.write_text("Name;Reports To\nCity;\nTax;City\n", encoding="utf-8")
    with pytest.raises(ice_graph.DataError, match=r"missing required column id .*=ROW\(\)") as info:
        ice_graph.load(path)
    assert str(info.value).startswith("1 problem in the data")


def test_grouped_numbers_and_no_value_cells_are_typed(tmp_path: Path) -> None:
    path = tmp_path / "city.csv"
    path.write_text(
        "Id;Name;Reports To;Budget\n1;City;;1,200,000\n2;Police;City;300000\n3;Parks;City;n/a\n", encoding="utf-8"
    )
    G = ice_graph.load(path)
    # One column, one type: "1,200,000" is the number a spreadsheet shows, "n/a" is no value.
    assert [G.nodes[n].get("budget") for n in ("1", "2", "3")] == [1200000, 300000, None]


def test_a_unit_name_column_is_the_name_and_a_lookalike_is_pointed_to(tmp_path):
    """'Unit Name' is a name column; a header with only 'Name of Unit' is told which column to rename."""
    from ice_graph.errors import DataError

    p = tmp_path / "org.csv"
    p.write_text("Code,Unit Name,Reports To\nA,City Hall,\nB,Parks,A\n", encoding="utf-8")
    assert ice_graph.load(p).nodes["B"]["name"] == "Parks"
    p.write_text("Code,Name of Unit,Reports To\nA,City Hall,\n", encoding="utf-8")
    with pytest.raises(DataError, match="rename 'Name of Unit' to 'name' if it holds the names"):
        ice_graph.load(p)


def test_a_chart_does_not_state_a_date_the_data_does_not_give():
    """Without a date the loader uses today's; a chart said 'as of <today>' as if the data were dated."""
    import networkx as nx

    from ice_graph.charts.chart import default_title
    from ice_graph.io.dot import chart_title

    tree = nx.balanced_tree(2, 2, create_using=nx.DiGraph)
    undated = ice_graph.from_networkx(tree, title="Teams")
    assert default_title(undated, undated, None) == "Teams"
    assert chart_title(undated)[1] == "No date in the data"
    dated = ice_graph.from_networkx(tree, title="Teams", date="2024-05")
    assert default_title(dated, dated, None) == "Teams, as of May 2024"
    assert chart_title(dated)[1] == "Data as of 2024-05"
