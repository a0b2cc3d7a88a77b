"""The build: which files it writes (history files only when the data has dated facts)."""

from __future__ import annotations

from pathlib import Path

import pytest

import ice_graph
from ice_graph.build import check_out_folder, text_outputs
from ice_graph.errors import IceGraphError

from .conftest import FIXTURES

TINY = (FIXTURES / "tiny.yaml").read_text(encoding="utf-8")
DATED_RELATION = TINY.replace(
    "    relation: partners_with\n    target: police\n",
    "    relation: partners_with\n    target: police\n    from: '2001'\n",
)
DATED_NAME = TINY.replace(
    "    other_names: [Ops Directorate]\n",
    "    other_names:\n      - name: Old Ops\n        until: '2000'\n"
    "        cite:\n          - source: handbook\n            quote: dated\n",
)
DATED_NODE = TINY.replace(
    "    name: Legal Office\n",
    "    name: Legal Office\n    from: '2001'\n    dates_cite:\n      - source: handbook\n        quote: dated\n",
)


def _history_files(tmp_path: Path, text: str) -> set[str]:
    p = tmp_path / "org.yaml"
    p.write_text(text, encoding="utf-8")
    G = ice_graph.load(p, history=True)
    return {rel for rel in text_outputs(G) if "-history." in rel}


@pytest.mark.parametrize(
    ("text", "what"),
    [(DATED_RELATION, "a relation"), (DATED_NAME, "a name"), (DATED_NODE, "a node")],
)
def test_history_files_when_any_fact_is_dated(tmp_path, text, what):
    assert text != TINY, what  # the fixture edit applied
    assert _history_files(tmp_path, text) == {"tiny-history.gexf", "tiny-history.graphml"}, what


def test_no_history_files_without_dated_facts(tmp_path):
    assert _history_files(tmp_path, TINY) == set()


def test_the_history_file_carries_the_dated_relation(tmp_path):
    p = tmp_path / "org.yaml"
    p.write_text(DATED_RELATION, encoding="utf-8")
    gen, _info = text_outputs(ice_graph.load(p, history=True))["tiny-history.graphml"]
    assert "2001" in "".join(gen())


@pytest.mark.parametrize(
    ("data", "out"),
    [("d/org.yaml", "d"), ("d/org.yaml", "."), ("d/e/org.yaml", "d/x/../")],
)
def test_check_out_folder_refuses_both_directions(tmp_path, data, out):
    (tmp_path / data).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / data).write_text(TINY, encoding="utf-8")
    with pytest.raises(IceGraphError, match="refusing to build"):
        check_out_folder(tmp_path / out, tmp_path / data)


def test_check_out_folder_allows_a_folder_below_a_data_file(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "org.yaml").write_text(TINY, encoding="utf-8")
    check_out_folder(tmp_path / "d" / "out", tmp_path / "d" / "org.yaml")  # writes only inside d/out


def test_check_out_folder_allows_a_sibling(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "org.yaml").write_text(TINY, encoding="utf-8")
    check_out_folder(tmp_path / "outputs", tmp_path / "d" / "org.yaml")


def test_the_charts_of_the_bundled_data(ice):
    """An overview, a chart per directorate, the print PDF and editable SVGs (the 176 units do not fit one page)."""
    from ice_graph.build import chart_outputs

    rels = [rel for rel, _opts, _info in chart_outputs(graphviz=False, stem="ice", G=ice)]
    assert rels[:3] == ["ice.png", "ice.svg", "ice-print.pdf"]
    for branch in ("hsi", "ero", "opla", "m-a"):
        assert f"ice-{branch}.png" in rels and f"ice-{branch}.svg" in rels


def test_the_readme_image_is_what_render_gives_by_default(ice):
    from ice_graph.build import chart_outputs

    opts = next(o for rel, o, _ in chart_outputs(graphviz=True, stem="ice", G=ice) if rel == "ice.png")
    assert ice_graph.chart(ice, **opts).to_bytes("png") == ice_graph.chart(ice).to_bytes("png")


def test_a_small_organization_builds_its_charts(tmp_path):
    """The tiny fixture: no main unit, no branch big enough for a page of its own; the charts still come."""
    p = tmp_path / "org.yaml"
    p.write_text(TINY, encoding="utf-8")
    out = tmp_path / "out"
    from ice_graph.build import build

    written = {o.path for o in build(ice_graph.load(p), out)}
    assert {"tiny.png", "tiny.svg", "tiny-print.pdf"} <= written
    assert (out / "tiny-print.pdf").read_bytes()[:5] == b"%PDF-"
