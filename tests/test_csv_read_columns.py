"""Reading a CSV folder a column at a time gives the records of reading it row by row (issue 17).

``read_csv`` builds the usual row's record from its cleaned columns and sends any other
row (a cell to report, names, a location, source and quote) through the row-by-row
reader. The documents must be the same: records, their key order, lines and files, and
the problems in the same order with the same words.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path
from typing import Any

import pytest

import ice_graph
from ice_graph.errors import DataError
from ice_graph.io import csv as csv_format
from ice_graph.model import Record

_ODD = [
    "",
    " ",
    "  x  ",
    "\t",
    " null",
    "null",
    "[]",
    "0",
    "{}",
    "[1, 2]",
    "not json",
    '[{"source": "x"}]',
    '[{"quote": "q", "source": "ice-leadership"}] ',
    '  [{"quote": "q", "source": "ice-leadership"}]',
    '[{"quote": "q", "source": "ice-leadership", "n": 1}]',
    "'=x",
    "''y",
    "a|b",
    '["a", "b"]',
    " \u00a0",
    "\u2003x",
    "x\u2003",
    "true",
    '"s"',
    "[[",
    "1e400",
]


def _row_by_row(path: Path, rows: Any, plan: Any, problems: Any) -> list[Any]:
    return [csv_format._csv_record(path, line, row, plan, problems) for line, row in rows]


def _document(folder: Path) -> Any:
    try:
        doc = csv_format.read_csv(folder)
    except DataError as exc:
        return [str(p) for p in exc.problems]
    records = {
        key: [(list(r.items()), r.line, r.file) for r in value] if isinstance(value, list) else dict(value)
        for key, value in doc.items()
    }
    return records, [str(p) for p in doc.read_problems], doc.missing_columns


def _both_ways(folder: Path) -> tuple[Any, Any]:
    by_columns = _document(folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(csv_format, "_csv_records", _row_by_row)
        by_rows = _document(folder)
    return by_columns, by_rows


def _mutate(path: Path, rng: random.Random, extra: list[str], cells_per_row: int) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(), newline="")))
    rows[0] += extra
    for row in rows[1:]:
        row += [""] * len(extra)
        for _ in range(rng.randint(0, cells_per_row)):
            row[rng.randrange(len(row))] = rng.choice(_ODD)
        if rng.random() < 0.2:
            j = rng.randrange(len(row))
            row[j] = rng.choice([" ", "\t"]) + row[j] + rng.choice(["", " "])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue())


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ice-csv")
    csv_format.write_csv(ice_graph.load(history=True), folder)
    return folder


def test_the_bundled_data_reads_the_same(exported: Path) -> None:
    by_columns, by_rows = _both_ways(exported)
    assert by_columns == by_rows


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("extra", [[], ["source", "quote"], ["Label"]])
def test_hostile_cells_read_the_same(exported: Path, tmp_path: Path, seed: int, extra: list[str]) -> None:
    rng = random.Random(seed)
    for name in ("nodes.csv", "edges.csv", "sources.csv", "dataset.csv"):
        (tmp_path / name).write_bytes((exported / name).read_bytes())
    for name in ("nodes.csv", "edges.csv"):
        _mutate(tmp_path / name, rng, extra, cells_per_row=2 if seed % 2 else 0)
    by_columns, by_rows = _both_ways(tmp_path)
    assert by_columns == by_rows


def test_rows_without_a_filled_column_read_the_same(tmp_path: Path) -> None:
    (tmp_path / "nodes.csv").write_text("Id,Label,kind,category\n,,,unit\n , ,,unit\n")
    (tmp_path / "edges.csv").write_text("Source,Target,relation\n, ,\n")
    (tmp_path / "sources.csv").write_text("id,title\ns,S\n")
    by_columns, by_rows = _both_ways(tmp_path)
    assert by_columns == by_rows


def test_records_have_every_attribute_of_a_record_made_by_its_constructor(exported: Path) -> None:
    # _csv_records makes its records with Record.of, not Record.__init__.
    for made in csv_format.read_csv(exported)["nodes"][:3]:
        expected = Record(dict(made), line=made.line, file=made.file)
        assert type(made) is Record
        assert list(made.items()) == list(expected.items())
        assert vars(made) == vars(expected)
