"""CSV: organizations read from spreadsheets, and ``nodes.csv``/``edges.csv`` written for them.

Reading: a folder with ``units.csv`` (or ``nodes.csv``), ``relations.csv`` (or
``edges.csv``) and ``sources.csv``, or one ``org.csv`` with ``org.relations.csv``
and ``org.sources.csv`` beside it, becomes a *document* for the validator, each
record remembering its file and row.

Writing: nodes have ``Id`` and ``Label`` columns, edges ``Source``, ``Target``,
``Type`` and ``Label``, as Gephi's and Kumu's spreadsheet importers expect; the
other columns are the data file's fields, so :func:`ice_graph.load` reads the
folder back, with ``sources.csv`` and ``dataset.csv`` beside them. Lists are JSON
in a cell. Cells that a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@``, tab or carriage return) are prefixed with an apostrophe; the
reader removes it again.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain, compress, islice, repeat
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import Any

from .._types import OrgGraph
from ..codec import (
    counties,
    dated_names,
    decode_area,
    decode_list,
    measures,
    measures_document,
    raw_citations,
    source_registry,
)
from ..errors import DataError, Problem
from ..model import Record
from ..schema import (
    DATASET_FIELDS,
    LIST_SEPARATOR,
    NODE_ATTRIBUTES,
    NODE_FIELDS,
    RELATION_FIELDS,
    RESERVED_DISPLAY_NAMES,
    SOURCE_FIELDS,
    suggest,
)
from ._common import paused_writer, require_simple
from ._files import atomic_write, read_bytes_limited, read_limited

__all__ = [
    "NODE_COLUMNS",
    "EDGE_COLUMNS",
    "SOURCE_COLUMNS",
    "DATASET_COLUMNS",
    "CsvDocument",
    "read_csv",
    "read_table",
    "decode_table",
    "is_native",
    "generate_nodes_csv",
    "generate_edges_csv",
    "generate_sources_csv",
    "generate_dataset_csv",
    "write_csv",
    "neutralize",
    "unneutralize",
]


class CsvDocument(dict[str, Any]):
    """A document read from CSV files; ``read_problems`` lists the rows that could not be read.

    The validator reports those problems with its own. They travel as an attribute,
    not as a key, so that no data file can add or hide a problem.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.read_problems: list[Problem] = []
        #: File -> required columns it lacks, reported once for the file instead of once per row.
        self.missing_columns: dict[str, set[str]] = {}


#: A table as people save it: its header and its ``(row number, cells)``.
Table = tuple[list[str], list[tuple[int, list[str]]]]


def decode_table(raw: bytes, name: str) -> str:
    """The text of a spreadsheet export: UTF-8 (with or without a BOM), else cp1252 (Excel on Windows)."""
    if b"\x00" in raw[:4096]:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            return raw.decode("utf-16")
        raise DataError([Problem(name, 0, "", "the file is binary (it contains NUL bytes), not CSV text")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    """Comma, semicolon or tab, as the file's first lines use them (csv.Sniffer on a sample)."""
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        first = sample.split("\n", 1)[0]
        best = max(",;\t", key=first.count)
        return type("Detected", (csv.excel,), {"delimiter": best if first.count(best) else ","})


def read_table(path: str | Path) -> Table:
    """The header and rows of a CSV file as people save them (delimiter and encoding detected).

    Blank rows are skipped; row numbers count the header as row 1, as a spreadsheet does.
    """
    p = Path(path)
    text = decode_table(read_bytes_limited(p), str(p))
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    try:
        header = [h.strip() for h in next(reader, [])]
        if not any(header):
            raise DataError([Problem(str(p), 0, "", "the file is empty (expected a header row: id, name, ...)")])
        rows = [(reader.line_num, row) for row in reader if not "".join(row).isspace() and any(row)]
        if "'" in text:  # only a cell starting with an apostrophe can be neutralized
            rows = [(line, _unneutralized(row)) for line, row in rows]
    except csv.Error as exc:
        raise DataError([Problem(str(p), reader.line_num, "", f"malformed CSV: {exc}")]) from None
    return header, rows


def _unneutralized(row: list[str]) -> list[str]:
    """The row's cells with :func:`neutralize` undone (only a cell starting with an apostrophe can need it)."""
    return [unneutralize(c) for c in row] if "'" in "".join(row) else row


def is_native(path: str | Path) -> bool:
    """Whether ``path`` is CSV data in this project's own sourced form (citations per row).

    Such data (our exports, the hand-written ``units.csv`` with ``source`` and ``quote``
    columns) is checked by the validator with every rule; any other table is read as a
    plain spreadsheet (:func:`ice_graph.convert.from_rows`).
    """
    units, _rel, sources = _csv_siblings(Path(path))
    if not units.exists():
        return True  # the validator's reader says what is missing
    try:
        with units.open("rb") as fh:
            first = decode_table(fh.read(65536), str(units)).split("\n", 1)[0]
    except (OSError, DataError):
        return True  # the validator's reader reports what is wrong with the file
    cols = {c.strip().strip('"').casefold() for c in re.split(r"[,;\t]", first)}
    if {"source", "quote"} <= cols:
        return True  # each row cites its source: checked (a missing sources.csv is reported)
    registered = sources.is_file() and len(sources.read_bytes()[:4096].strip().splitlines()) > 1
    return registered and "citations" in cols


def _empty_document() -> CsvDocument:
    return CsvDocument({"dataset": Record(), "sources": [], "nodes": [], "relations": []})


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------
#: Column name aliases accepted in CSV headers (case-insensitive), for files
#: written by Gephi, Kumu and spreadsheets, and for our own exports.
_NODE_ALIASES = {"id": "id", "label": "name", "name": "name", "type": "kind"}
_REL_ALIASES = {"source": "unit", "from": "unit", "unit": "unit", "target": "target", "to": "target"}
_IGNORED_REL_COLUMNS = {"type", "label", "weight", "id", "sources"}
#: Columns our CSV export adds for readers (derived from other columns); ignored on load.
_DERIVED_NODE_COLUMNS = {"category", "sources"}
_JSON_COLUMNS = {"citations", "parent_citations", "measures", "dates_citations", "dated_names", "counties"}
_JSON_FIELD = {"citations": "cite", "parent_citations": "parent_cite", "dates_citations": "dates_cite"}
_TEXT_FIELDS = {"name", "description", "note", "abbreviation", "quote"}


def _csv_siblings(path: Path) -> tuple[Path, Path, Path]:
    """The units, relations and sources files of a CSV organization."""
    if path.is_dir():
        units = (
            path / "units.csv"
            if (path / "units.csv").exists() or not (path / "nodes.csv").exists()
            else path / "nodes.csv"
        )
        rel = path / ("relations.csv" if units.name == "units.csv" else "edges.csv")
        return units, rel, path / "sources.csv"
    if path.stem == "units":
        return path, path.with_name("relations.csv"), path.with_name("sources.csv")
    if path.stem == "nodes":
        return path, path.with_name("edges.csv"), path.with_name("sources.csv")
    return path, path.with_name(f"{path.stem}.relations.csv"), path.with_name(f"{path.stem}.sources.csv")


def _read_lists(path: Path, problems: list[Problem]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the ``(line, cells)`` of a CSV file, each row as long as the header.

    Blank rows are skipped; a row longer than the header, or a malformed file, is reported.
    """
    name = str(path)
    try:
        text = read_limited(path, what="CSV")
    except DataError as exc:
        problems.extend(exc.problems)
        return [], []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        problems.append(Problem(name, 1, "", f"malformed CSV header: {exc}"))
        return [], []
    if not header:
        problems.append(Problem(name, 0, "", "the file is empty (expected a header row)"))
        return [], []
    header = [h.strip() for h in header]
    width = len(header)
    rows: list[tuple[int, list[str]]] = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return header, rows
        except csv.Error as exc:
            problems.append(Problem(name, reader.line_num, "", f"malformed CSV: {exc}"))
            return header, rows
        joined = "".join(row)
        if not joined or joined.isspace():  # no cell with anything but spaces
            continue
        if len(row) != width:
            if len(row) > width:
                problems.append(
                    Problem(name, reader.line_num, "", f"row has {len(row)} cells but the header has {width} columns")
                )
                continue
            row += [""] * (width - len(row))
        if "'" in joined:  # only a cell starting with an apostrophe can be neutralized
            row = [unneutralize(c) for c in row]
        rows.append((reader.line_num, row))


def _read_rows(path: Path, problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a CSV file as ``(line, {column: cell})`` (see :func:`_read_lists`)."""
    header, rows = _read_lists(path, problems)
    for line, row in rows:
        yield line, dict(zip(header, row, strict=True))


def _normalise_columns(
    path: Path,
    columns: list[str],
    aliases: Mapping[str, str],
    known: Mapping[str, Any],
    extra: set[str],
    problems: list[Problem],
) -> dict[str, str | None]:
    """Map header names to field names (None = ignore), reporting unknown ones."""
    mapping: dict[str, str | None] = {}
    for col in columns:
        low = col.strip().lower()
        if low in aliases:
            mapping[col] = aliases[low]
        elif low in known or low in extra:
            mapping[col] = low
        else:
            close = suggest(low, [*known, *extra])
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(
                Problem(str(path), 1, "", f"unknown column {col!r} (expected: {', '.join([*known, *extra])}){hint}")
            )
            mapping[col] = None
    return mapping


_decode = json.JSONDecoder().decode
_scan = json.JSONDecoder().raw_decode


def _cell_json(path: Path, line: int, column: str, cell: str, problems: list[Problem]) -> Any:
    """A JSON cell's value. Its objects stay plain dicts: they are all on the row's line, which the
    validator gives every entry without a line of its own (YAML's nested mappings have theirs)."""
    try:
        try:
            value, end = _scan(cell)
        except ValueError:
            end = -1
        if end != len(cell):
            value = _decode(cell)  # leading spaces, or JSON's own message for what is wrong
        return value
    except (ValueError, RecursionError) as exc:
        problems.append(Problem(str(path), line, "", f"column {column!r}: not valid JSON ({exc})"))
        return None


def _names_cell(path: Path, line: int, column: str, cell: str, problems: list[Problem]) -> list[Any]:
    """A list cell: a JSON list (as our export writes it) or names separated by ``|`` (as people do)."""
    if cell.lstrip().startswith("["):
        parsed = _cell_json(path, line, column, cell, problems)
        if isinstance(parsed, list) and all(isinstance(v, str) for v in parsed):
            return [v for v in parsed if v.strip()]
        if parsed is not None:
            problems.append(Problem(str(path), line, "", f"column {column!r}: expected a JSON list of text"))
        return []
    return [v.strip() for v in cell.split(LIST_SEPARATOR.strip()) if v.strip()]


#: Fields whose cell is stored as it is (trimmed unless text); every other field is read by :func:`_special_cell`.
_SPECIAL_FIELDS = _JSON_COLUMNS | {"source", "quote", "other_names", "city", "state", "area_of_responsibility"}


class _Plan:
    """How the rows of one CSV file become records, worked out once per file.

    ``pick`` takes the cells of the mapped columns out of a row (in C, one call per row);
    ``how`` gives, for each of them: the column, its field, whether its cells are trimmed
    (text keeps its spaces: they round-trip), and whether the cell is stored as it is.
    """

    def __init__(self, path: Path, header: list[str], mapping: Mapping[str, str | None]) -> None:
        self.file = str(path)
        last = {col: i for i, col in enumerate(header)}  # a repeated column: its last cell, as a dict would keep
        used = [(col, field) for col, field in mapping.items() if field is not None and col in last]
        self.how = [(col, field, field not in _TEXT_FIELDS, field not in _SPECIAL_FIELDS) for col, field in used]
        #: The index of each mapped column's cell in a row (in the order of ``how``).
        self.indices = [last[col] for col, _ in used]
        picker = itemgetter(*self.indices) if used else (lambda row: ())
        self.pick: Callable[[list[str]], Any] = (lambda row: (picker(row),)) if len(used) == 1 else picker


def _csv_records(path: Path, rows: list[tuple[int, list[str]]], plan: _Plan, problems: list[Problem]) -> list[Record]:
    """The records of a file's rows: :func:`_csv_record` of each, most of the work done a column at a time.

    Each column's cells are cleaned in one pass (trimmed, or blank ones emptied); a
    JSON column is decoded once per distinct text. A row whose cells are all plain or
    good JSON then becomes its record in one call (a dict built in C from its filled
    cells, in the columns' order); any other row (a cell to report, a list of names,
    a location, source and quote) takes :func:`_csv_record`, row by row, so that every
    problem is reported as before and in the same order.
    """
    if not plan.how:
        return [_csv_record(path, line, row, plan, problems) for line, row in rows]
    fields: list[str] = []
    columns: list[Sequence[Any]] = []
    slow: set[int] = set()  # the rows that take _csv_record
    table = list(zip(*(row for _, row in rows), strict=True))  # the columns (rows are as long as the header)
    for (_col, field, trim, plain), i in zip(plan.how, plan.indices, strict=True):
        cells: Sequence[str] = table[i]
        if not any(cells):
            continue  # an empty column adds nothing to any record
        if trim:
            cells = list(map(str.strip, cells))  # (a cell with nothing to trim is returned as it is)
        elif any(map(str.isspace, cells)):
            cells = ["" if c.isspace() else c for c in cells]
        if plain:
            fields.append(field)
            columns.append(cells)
        elif field in _JSON_COLUMNS and field != "dated_names":
            fields.append(_JSON_FIELD.get(field, field))
            columns.append(_json_column(cells, slow))
        else:  # names, a location, source and quote: the rows that have them are read one by one
            slow.update(j for j, c in enumerate(cells) if c)
    file = plan.file
    out = []
    by_row = zip(*columns, strict=True) if columns else repeat((), len(rows))  # each row's values
    make = Record.of
    for j, ((line, row), values) in enumerate(zip(rows, by_row, strict=True)):
        if j in slow:
            out.append(_csv_record(path, line, row, plan, problems))
        else:  # the filled cells (tests/test_csv_read_columns.py checks both ways make the same record)
            out.append(make(compress(zip(fields, values, strict=True), values), line, file))
    return out


def _json_column(cells: Sequence[str], slow: set[int]) -> list[Any]:
    """The values of a JSON column's cells (trimmed): "" for an empty cell; a row whose cell is not
    a good JSON value other than a false one (null, [], 0 ...) is added to ``slow``.

    A list of flat objects (citations) is decoded once per distinct text, and each row gets
    its own copy, as a decoding of its own would give it.
    """
    known: dict[str, list[dict[str, Any]]] = {}
    out: list[Any] = []
    for j, cell in enumerate(cells):
        if not cell:
            out.append("")
            continue
        value = known.get(cell)
        if value is not None:
            out.append(list(map(dict, value)))
            continue
        try:
            value, end = _scan(cell)
        except (ValueError, RecursionError):
            end = -1
        if end != len(cell) or not value:
            slow.add(j)
            out.append("")
            continue
        if type(value) is list and all(
            type(item) is dict and all(type(v) is str for v in item.values()) for item in value
        ):
            known[cell] = value
            value = list(map(dict, value))
        out.append(value)
    return out


def _csv_record(path: Path, line: int, row: list[str], plan: _Plan, problems: list[Problem]) -> Record:
    file = plan.file
    record = Record(line=line, file=file)
    source = quote = ""
    values = plan.pick(row)
    for (col, field, trim, plain), value in compress(zip(plan.how, values, strict=True), values):  # filled cells
        if value.isspace():
            continue
        if trim:
            value = value.strip()
        if plain:
            record[field] = value
        elif field == "source":
            source = value
        elif field == "quote":
            quote = value
        else:
            _special_cell(path, line, col, field, value, record, problems)
    # No key_lines: every cell of a row is on the row's line, which Record.line_of gives for any key.
    if source or quote:
        if "cite" in record:
            problems.append(Problem(file, line, "", "give either 'citations' or 'source' and 'quote', not both"))
        else:
            record["cite"] = [{"source": source, "quote": quote}]  # on the row's line, as JSON cells
    return record


def _special_cell(
    path: Path, line: int, col: str, field: str, value: str, record: Record, problems: list[Problem]
) -> None:
    """A cell that is more than its text: JSON, a list of names, part of a location."""
    if field in _JSON_COLUMNS:
        parsed = _cell_json(path, line, col, value, problems)
        if parsed is not None and field == "dated_names":
            record["other_names"] = list(record.get("other_names", [])) + (
                parsed if isinstance(parsed, list) else [parsed]
            )
        elif parsed is not None:
            record[_JSON_FIELD.get(field, field)] = parsed
    elif field == "other_names":
        record[field] = _names_cell(path, line, col, value, problems) + list(record.get(field, []))
    elif field in ("city", "state"):
        record.setdefault("location", Record(line=line, file=str(path)))[field] = value
    else:  # area_of_responsibility
        record[field] = (
            _names_cell(path, line, col, value, problems)
            if value.startswith("[")
            else [v for v in re.split(r"[\s,;|]+", value) if v]
        )


def _missing_columns(
    path: Path, mapping: Mapping[str, str | None], required: list[str], doc: CsvDocument, problems: list[Problem]
) -> None:
    """Report each required column the file lacks once (not once per row) and remember it for the validator."""
    present = {f for f in mapping.values() if f}
    missing = {f for f in required if f not in present}
    if "citations" not in present:
        missing |= {c for c in ("source", "quote") if c not in present}
        if {"source", "quote"} <= missing:
            missing.add("cite")
    shown = sorted(missing - {"cite"})
    if not shown:
        return
    doc.missing_columns[str(path)] = missing
    names = ", ".join(repr(c) for c in shown)
    cite = " (or one 'citations' column)" if {"source", "quote"} & missing else ""
    problems.append(
        Problem(
            str(path),
            1,
            "",
            f"missing required column{'s' if len(shown) > 1 else ''} {names}{cite}: every row needs it",
        )
    )


def read_csv(path: str | Path) -> CsvDocument:
    """Read a CSV organization: units, and optional relations and sources files.

    ``path`` is a units CSV file or a folder holding ``units.csv``. Relations are
    read from ``relations.csv`` (beside ``units.csv``) or ``<stem>.relations.csv``,
    sources from ``sources.csv`` or ``<stem>.sources.csv``.
    """
    units_path, rel_path, src_path = _csv_siblings(Path(path))
    problems: list[Problem] = []
    doc = _empty_document()
    node_fields = {k: v for k, v in NODE_FIELDS.items() if k != "cite"}
    header, rows = _read_lists(units_path, problems)
    if rows:
        mapping = _normalise_columns(
            units_path,
            header,
            _NODE_ALIASES,
            node_fields,
            {"source", "quote", "citations", "parent_citations", "dates_citations", "dated_names", "city", "state"}
            | _DERIVED_NODE_COLUMNS,
            problems,
        )
        for c in mapping:
            if c.strip().lower() in _DERIVED_NODE_COLUMNS:
                mapping[c] = None
        _missing_columns(units_path, mapping, ["id", "kind", "name"], doc, problems)
        plan = _Plan(units_path, header, mapping)
        doc["nodes"] = _csv_records(units_path, rows, plan, problems)
    if rel_path.exists():
        header, rows = _read_lists(rel_path, problems)
        if rows:
            rel_fields = {k: v for k, v in RELATION_FIELDS.items() if k not in ("cite",)}
            extra = {"source", "quote", "citations"}
            aliases = dict(_REL_ALIASES)
            aliases.update({c: c for c in _IGNORED_REL_COLUMNS})
            mapping = _normalise_columns(rel_path, header, aliases, rel_fields, extra, problems)
            for c in list(mapping):
                if c.strip().lower() in _IGNORED_REL_COLUMNS:
                    mapping[c] = None
            # Column names mean different things in different tools: "source" is the citation
            # in our relations files but the edge's start in Gephi's (Source/Target); "from" is
            # a date in ours but the edge's start in Kumu's (From/To).
            lowered = {c.strip().lower(): c for c in mapping}
            if "to" in lowered and "from" in lowered:
                mapping[lowered["from"]] = "unit"
            elif "from" in lowered:
                mapping[lowered["from"]] = "from"
            if (
                "target" in lowered
                and "unit" not in lowered
                and "source" in lowered
                and mapping.get(lowered.get("from", ""), "") != "unit"
            ):
                mapping[lowered["source"]] = "unit"
            elif "source" in lowered:
                mapping[lowered["source"]] = "source"
            _missing_columns(rel_path, mapping, ["unit", "relation", "target"], doc, problems)
            plan = _Plan(rel_path, header, mapping)
            doc["relations"] = _csv_records(rel_path, rows, plan, problems)
    if src_path.exists():
        source_rows = list(_read_rows(src_path, problems))
        if source_rows:
            mapping = _normalise_columns(src_path, list(source_rows[0][1]), {}, SOURCE_FIELDS, set(), problems)
            for line, source_row in source_rows:
                rec = Record(line=line, file=str(src_path))
                for col, cell in source_row.items():
                    if mapping.get(col) and (cell or "").strip():
                        rec[mapping[col]] = cell.strip()  # type: ignore[index]
                        rec.key_lines[mapping[col]] = line  # type: ignore[index]
                doc["sources"].append(rec)
    elif not problems:
        problems.append(
            Problem(
                str(src_path),
                0,
                "",
                f"no sources file: every fact must cite a source registered in {src_path.name} "
                "(columns: id, title, publisher, url, accessed)",
            )
        )
    stem = units_path.parent.name if units_path.stem == "units" else units_path.stem
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "organization"
    accessed = sorted(str(s.get("accessed", "")) for s in doc["sources"] if s.get("accessed"))
    doc["dataset"] = Record({"id": slug, "title": stem, "date": accessed[-1] if accessed else ""}, line=1)
    meta_path = units_path.with_name("dataset.csv" if units_path.stem in ("units", "nodes") else f"{stem}.dataset.csv")
    if meta_path.exists():
        meta_rows = list(_read_rows(meta_path, problems))
        if meta_rows:
            line, meta_row = meta_rows[0]
            mapping = _normalise_columns(meta_path, list(meta_row), {}, DATASET_FIELDS, set(), problems)
            meta = Record(line=line, file=str(meta_path))
            for col, cell in meta_row.items():
                if mapping.get(col) and (cell or "").strip():
                    meta[mapping[col]] = cell.strip()  # type: ignore[index]
                    meta.key_lines[mapping[col]] = line  # type: ignore[index]
            doc["dataset"] = meta
    if problems and not doc["nodes"]:
        raise DataError(problems)
    # Row problems are reported together with the validator's (all problems at once).
    doc.read_problems = problems
    return doc


NODE_COLUMNS = [
    "Id",
    "Label",
    "kind",
    "parent",
    "abbreviation",
    "other_names",
    "description",
    "note",
    "head_title",
    "city",
    "state",
    "area_of_responsibility",
    "counties",
    "category",
    "sources",
    "measures",
    "citations",
    "parent_citations",
    "from",
    "until",
    "dates_citations",
    "dated_names",
]
EDGE_COLUMNS = ["Source", "Target", "Type", "Label", "relation", "note", "from", "until", "sources", "citations"]
SOURCE_COLUMNS = ["id", "title", "publisher", "url", "published", "accessed", "note"]
DATASET_COLUMNS = list(DATASET_FIELDS)

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


#: First characters that make :func:`neutralize` look at a cell (the formula starts and the apostrophe).
_RISKY_FIRST = frozenset("".join(_FORMULA) + "'")


def neutralize(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (prefixing an apostrophe)."""
    if cell.startswith(_FORMULA) or (cell.startswith("'") and cell[1:2] in _FORMULA + ("'",)):
        return "'" + cell
    return cell


def unneutralize(cell: str) -> str:
    """Undo :func:`neutralize`."""
    if cell.startswith("'") and cell[1:2] in _FORMULA + ("'",):
        return cell[1:]
    return cell


def _rows(header: list[str], rows: Iterable[Sequence[str]]) -> Iterator[str]:
    """The CSV text of a header and rows of cells (text), neutralized, a few thousand rows a chunk.

    One regex search over a whole chunk's cells finds the rare chunk with a cell to
    neutralize or a carriage return (its rows are then looked at one by one); the
    others go to the C writer as they are, in one call.
    """
    lines: list[str] = []
    sink = _Sink(lines.append)
    plain = csv.writer(sink, lineterminator="\n")
    # A bare carriage return is not quoted by the minimal writer (its line ends are
    # "\n"), and a reader would split the row there: quote every cell of such a row.
    quoted = csv.writer(sink, lineterminator="\n", quoting=csv.QUOTE_ALL)
    plain.writerow(header)
    it = iter(rows)
    while batch := list(islice(it, _CSV_CHUNK)):
        joined = "\0" + "\0".join(chain.from_iterable(batch))
        if _LOOK_CLOSER.search(joined) or "\r" in joined:
            _write_closely(batch, plain, quoted)
        else:
            plain.writerows(batch)
        yield "".join(lines)
        lines.clear()
    yield "".join(lines)


class _Sink:
    """A file for the csv writers that keeps each line in a list (``write`` is the list's ``append``):
    a ``StringIO`` emptied after each chunk leaves its fast way of taking writes, ~10% of the writer."""

    __slots__ = ("write",)

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write


def _write_closely(batch: list[Sequence[str]], plain: Any, quoted: Any) -> None:
    """Rows written one by one: cells neutralized, a row with a carriage return quoted whole."""
    risky, look = _RISKY_FIRST, _LOOK_CLOSER.search
    for cells in batch:
        joined = "\0" + "\0".join(cells)
        if look(joined) or "\r" in joined:
            # neutralize() only where a cell starts with a character it looks at
            cells = [neutralize(c) if c[:1] in risky else c for c in cells]
            if "\r" in "\n".join(cells):
                quoted.writerow(cells)
                continue
        plain.writerow(cells)


#: Rows per chunk :func:`_rows` yields.
_CSV_CHUNK = 5000
#: A cell that starts with a character :func:`neutralize` looks at, in the cells joined with a NUL
#: before each (a NUL inside a cell only sends the row the slow way). One literal prefix, no
#: alternative: the regex engine skips from NUL to NUL (a carriage return is looked for apart).
_LOOK_CLOSER = re.compile("\0['=+\\-@\t\r]")


def _js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


class _Cells:
    """JSON cells of attribute values, each distinct text decoded and encoded once per file.

    At 10^5 nodes most values repeat (every unit citing the same source); a value
    that is no text (a list in a graph built by hand) is decoded each time.
    """

    def __init__(self) -> None:
        self.lists: dict[str, str] = {}
        self.cites: dict[str, tuple[list[dict[str, Any]], str, str]] = {}
        self.edge_cites: dict[str, str] = {}
        self.areas: dict[str, str] = {}

    def listed(self, value: Any) -> str:
        """A list attribute (``sources``) as a JSON cell."""
        return self._cell(self.lists, value, decode_list)

    def area(self, value: Any) -> str:
        """``area_of_responsibility`` as a JSON cell, read as :func:`~ice_graph.codec.decode_area` reads it."""
        return self._cell(self.areas, value, decode_area)

    @staticmethod
    def _cell(cache: dict[str, str], value: Any, decode: Callable[[Any], list[str]]) -> str:
        if type(value) is not str:
            return _js(decode(value))
        cell = cache.get(value)
        if cell is None:
            cell = cache[value] = _js(decode(value))
        return cell

    def node_cites(self, value: Any) -> tuple[list[dict[str, Any]], str, str]:
        """(the record's own citations as a data file writes them, their cell, the cell of the ``dates`` ones)."""
        if type(value) is not str:
            return _node_cites(value)
        got = self.cites.get(value)
        if got is None:
            got = self.cites[value] = _node_cites(value)
        return got

    def citations(self, value: Any) -> str:
        """An edge's citations as a JSON cell (every key kept)."""
        if type(value) is not str:
            return _js(raw_citations({"citations": value}))
        cell = self.edge_cites.get(value)
        if cell is None:
            cell = self.edge_cites[value] = _js(raw_citations({"citations": value}))
        return cell


def _node_cites(value: Any) -> tuple[list[dict[str, Any]], str, str]:
    """:meth:`_Cells.node_cites` of one value: the citations of no fact, and those of the dates."""
    cites = raw_citations({"citations": value})
    own = [{"source": c["source"], "quote": c["quote"]} for c in cites if c.get("fact", "") == ""]
    dates = [{"source": c["source"], "quote": c["quote"]} for c in cites if c.get("fact", "") == "dates"]
    return own, _js(own), _js(dates)


#: Node attributes whose cells take more than a look-up: the usual node has none of them.
_RICH = frozenset(
    {"other_names", "dated_names", "measures", "valid_from", "valid_until", "area_of_responsibility", "counties"}
)


def _rich_cells(G: OrgGraph, n: Any, a: Mapping[Any, Any], cells: _Cells) -> tuple[str, str, str, str, str, str, str]:
    """(from, until, other_names, area_of_responsibility, counties, measures, dated_names) cells of a node that
    has any of the :data:`_RICH` attributes."""
    get = a.get
    valid_from, valid_until = str(get("valid_from", "")), str(get("valid_until", ""))
    other_cell = dated = ""
    value = get("other_names")
    if value is not None:
        names = decode_list(value)
        other = names
        if names and get("dated_names"):
            by_name = {d.name: d.as_dict() for d in dated_names(G, n)}
            other = [o for o in names if o not in by_name]
            dated = _js([by_name[o] for o in names if o in by_name])
        other_cell = _js(other)
    area = get("area_of_responsibility")
    area_cell = "" if area is None else cells.area(area)
    counties_cell = _js(by_state) if get("counties") is not None and (by_state := counties(G, n)) else ""
    measures_cell = _js(measures_document(measures(G, n))) if get("measures") else ""
    return valid_from, valid_until, other_cell, area_cell, counties_cell, measures_cell, dated


#: Edge attributes, as a graph has them.
_EdgeColumns = tuple[list[Any], list[Any], list[dict[str, Any]]]


def _edge_columns(G: OrgGraph) -> Iterator[_EdgeColumns]:
    """(sources, targets, attribute dicts) of ``G.edges(data=True)``, a few thousand edges at a time.

    A directed graph's are read from its adjacency a node at a time by C code (the edge view
    steps a generator and calls a function per edge: a sixth of edges.csv at 10^5 edges).
    """
    if not G.is_directed():  # the view gives each edge of an undirected graph once
        it = iter(G.edges(data=True))
        while chunk := list(islice(it, _CSV_CHUNK)):
            sources, targets, dicts = zip(*chunk, strict=True)
            yield list(sources), list(targets), list(dicts)
        return
    succ: Mapping[Any, Mapping[Any, dict[str, Any]]] = G._succ  # type: ignore[attr-defined]
    columns: _EdgeColumns = ([], [], [])
    for u, nbrs in succ.items():
        if nbrs:
            columns[0].extend(repeat(u, len(nbrs)))
            columns[1].extend(nbrs)
            columns[2].extend(nbrs.values())
            if len(columns[0]) >= _CSV_CHUNK:
                yield columns
                columns = ([], [], [])
    if columns[0]:
        yield columns


def _parents(G: OrgGraph) -> dict[str, tuple[str, Any]]:
    """Node id (text) -> (its superior's id, the citations of that edge): the first undated ``has_unit``
    edge to it, as :func:`~ice_graph.codec.to_document` writes the ``parent`` field."""
    parent: dict[str, tuple[str, Any]] = {}
    for u, v, a in chain.from_iterable(zip(*columns, strict=True) for columns in _edge_columns(G)):
        relation = a.get("relation", "")
        if (relation if type(relation) is str else str(relation)) != "has_unit":
            continue
        if ("valid_from" in a and str(a["valid_from"])) or ("valid_until" in a and str(a["valid_until"])):
            continue
        target = v if type(v) is str else str(v)
        if target not in parent:
            parent[target] = (u if type(u) is str else str(u), a.get("citations"))
    return parent


@paused_writer
def generate_nodes_csv(G: OrgGraph) -> Iterator[str]:
    """``nodes.csv``: a row per node, the fields of :func:`~ice_graph.codec.to_document`'s records.

    Written straight from the attributes (no document rebuilt: that took most of the
    time at 10^5 nodes), each distinct JSON value decoded once.
    """
    require_simple(G, "nodes.csv")  # its parent column takes one superior per node
    # The document's ids are text; a foreign graph's may be ints (5 -> "5").
    node_of = {str(n): n for n in G}
    extras = extra_attributes(G)
    header = NODE_COLUMNS + sorted({k for e in extras.values() for k in e})
    extra_columns = header[len(NODE_COLUMNS) :]
    yield from _rows(header, _node_rows(G, node_of, extras, extra_columns))


def _node_rows(
    G: OrgGraph, node_of: dict[str, Any], extras: dict[Any, dict[str, Any]], extra_columns: list[str]
) -> Iterator[Sequence[str]]:
    """The cells of each node's row, in :data:`NODE_COLUMNS` order, then its extra columns.

    Made a column at a time for a few thousand nodes (the plain fields read by ``map`` in C),
    then zipped into rows: a Python loop over the nodes with a look-up per field was a third
    of the writer at 10^5 nodes.
    """
    cells = _Cells()
    parents = _parents(G)
    nodes: Mapping[Any, Mapping[Any, Any]] = G._node  # type: ignore[attr-defined]
    # Two nodes with one id text (5 and "5"): each row reads the last one's category, sources, extras.
    shared = len(node_of) != len(nodes)
    it = iter(nodes.items())
    while chunk := list(islice(it, _CSV_CHUNK)):
        yield from zip(
            *_node_columns(G, chunk, node_of if shared else None, extras, extra_columns, cells, parents), strict=True
        )


def _reader(dicts: Sequence[Mapping[Any, Any]]) -> Callable[..., list[Any]]:
    """``field(key, default="")``: ``a.get(key, default)`` of each dict, by C code (``dict.get`` itself
    when they are plain dicts, three times faster than a ``methodcaller``)."""
    if set(map(type, dicts)) == {dict}:
        get: Callable[..., Any] = dict.get
        return lambda key, default="": list(map(get, dicts, repeat(key), repeat(default)))
    return lambda key, default="": list(map(methodcaller("get", key, default), dicts))


def _texts(column: list[Any]) -> list[str]:
    """The cells of a column: ``str`` of each value (a text, the usual value, as it is)."""
    return column if set(map(type, column)) <= {str} else list(map(str, column))


def _node_columns(
    G: OrgGraph,
    chunk: list[tuple[Any, Mapping[Any, Any]]],
    node_of: dict[str, Any] | None,
    extras: dict[Any, dict[str, Any]],
    extra_columns: list[str],
    cells: _Cells,
    parents: dict[str, tuple[str, Any]],
) -> list[list[str]]:
    """The columns of :func:`_node_rows` for a chunk of (node, attributes); ``node_of`` when id texts repeat."""
    names = [n for n, _ in chunk]
    dicts = [a for _, a in chunk]
    ids = [n if type(n) is str else str(n) for n in names]
    owners = names if node_of is None else list(map(node_of.__getitem__, ids))
    nodes = G._node  # type: ignore[attr-defined]
    owned = (
        dicts if node_of is None else [a if m is n else nodes[m] for n, m, a in zip(names, owners, dicts, strict=True)]
    )
    field, owned_field = _reader(dicts), _reader(owned)
    if all(map(methodcaller("__contains__", "name"), dicts)):
        label = field("name")
    else:  # a node without a name: its id
        label = [a.get("name", n) for n, a in chunk]
    parent, own_cells, parent_cells, dates_cells = [], [], [], []
    node_cites = cells.node_cites
    for up, value in zip(map(parents.get, ids), field("citations", None), strict=True):
        own, own_cell, dates_cell = node_cites(value)
        own_cells.append(own_cell)
        dates_cells.append(dates_cell)
        if up is None:
            parent.append("")
            parent_cells.append("")
        else:
            parent.append(up[0])
            edge_own, edge_cell, _ = node_cites(up[1])
            parent_cells.append(edge_cell if edge_own != own else "")
    empty = [""] * len(chunk)
    rich = [list(empty) for _ in range(7)]  # from, until, other_names, area, counties, measures, dated_names
    dates = list(empty)
    for i in [i for i, a in enumerate(dicts) if not a.keys().isdisjoint(_RICH)]:  # the usual node has none
        texts = _rich_cells(G, names[i], dicts[i], cells)
        for column, text in zip(rich, texts, strict=True):
            column[i] = text
        dates[i] = dates_cells[i] if texts[0] or texts[1] else ""
    valid_from, valid_until, other_names, area, counties_cells, measures_cells, dated = rich
    category = owned_field("category")
    if not set(map(type, category)) <= {str}:  # (not "None in": a value's == may be anything)
        category = ["" if c is None else c for c in category]
    # Text fields as the document has them: str() of the value (so None is "None"); the other
    # columns are texts already.
    columns: list[list[str]] = [
        ids,
        _texts(label),
        _texts(field("kind")),
        parent,
        _texts(field("abbreviation")),
        other_names,
        _texts(field("description")),
        _texts(field("note")),
        _texts(field("head_title")),
        _texts(field("city")),
        _texts(field("state")),
        area,
        counties_cells,
        _texts(category),
        list(map(cells.listed, owned_field("sources", None))),
        measures_cells,
        own_cells,
        parent_cells,
        valid_from,
        valid_until,
        dates,
        dated,
    ]
    for c in extra_columns:
        values = [extras.get(m, {}).get(c) for m in owners]
        columns.append(_texts(["" if v is None else v for v in values]))
    return columns


def extra_attributes(G: OrgGraph) -> dict[Any, dict[str, Any]]:
    """Node -> its attributes that are not ours (a spreadsheet's ``head``, ``budget``): written as extra columns.

    Measures and their ``_qualifier``/``_date`` attributes, display attributes (``x``, ``label``) and
    every attribute of :data:`~ice_graph.schema.NODE_ATTRIBUTES` are not extras.
    """
    out: dict[Any, dict[str, Any]] = {}
    taken = {c.casefold() for c in NODE_COLUMNS}
    ours = _OURS
    for n, a in G.nodes(data=True):
        if a.keys() <= ours:  # the usual node: nothing to look at (one set operation)
            continue
        keys = [k for k in a if k not in NODE_ATTRIBUTES and k not in RESERVED_DISPLAY_NAMES]
        if not keys:
            continue
        measured = {str(m.get("name")) for m in _measure_list(a.get("measures"))}
        derived = measured | {f"{m}_qualifier" for m in measured} | {f"{m}_date" for m in measured}
        extra = {k: a[k] for k in keys if isinstance(k, str) and k not in derived and k.casefold() not in taken}
        if extra:
            out[n] = extra
    return out


#: Attribute names that are never extra columns.
_OURS = frozenset(NODE_ATTRIBUTES) | RESERVED_DISPLAY_NAMES


def _measure_list(value: Any) -> list[dict[str, Any]]:
    try:
        items = json.loads(value) if isinstance(value, str) and value else []
    except ValueError:
        return []
    return [m for m in items if isinstance(m, dict)] if isinstance(items, list) else []


@paused_writer
def generate_edges_csv(G: OrgGraph) -> Iterator[str]:
    """``edges.csv``: a row per edge, with Gephi's ``Source``, ``Target``, ``Type`` and ``Label``."""
    require_simple(G, "edges.csv")  # read back, two rows of one pair would be one edge
    yield from _rows(EDGE_COLUMNS, _edge_rows(G))


def _edge_rows(G: OrgGraph) -> Iterator[Sequence[str]]:
    """The cells of each edge's row, in :data:`EDGE_COLUMNS` order, made a column at a time (as node rows)."""
    cells = _Cells()
    labels: dict[str, str] = {}
    for sources, targets, dicts in _edge_columns(G):
        field = _reader(dicts)
        relation = field("relation")
        rel = _texts(relation)
        for r in set(rel).difference(labels):
            labels[r] = r.replace("_", " ")
        yield from zip(
            _texts(sources),
            _texts(targets),
            repeat("Directed"),
            list(map(labels.__getitem__, rel)),
            rel if rel is relation else ["" if r is None else t for r, t in zip(relation, rel, strict=True)],
            _texts(_unset(field("note"))),
            _texts(_unset(field("valid_from"))),
            _texts(_unset(field("valid_until"))),
            list(map(cells.listed, field("sources", None))),
            list(map(cells.citations, field("citations", None))),
        )


def _unset(column: list[Any]) -> list[Any]:
    """A column with None as the empty text (the document leaves such a field out)."""
    return column if set(map(type, column)) <= {str} else ["" if v is None else v for v in column]


def generate_sources_csv(G: OrgGraph) -> Iterator[str]:
    reg = source_registry(G)
    yield from _rows(SOURCE_COLUMNS, _dict_cells(SOURCE_COLUMNS, [{"id": sid, **rec} for sid, rec in reg.items()]))


def generate_dataset_csv(G: OrgGraph) -> Iterator[str]:
    """One row: the dataset's id, title, date, description and license."""
    yield from _rows(DATASET_COLUMNS, _dict_cells(DATASET_COLUMNS, [{k: G.graph.get(k, "") for k in DATASET_COLUMNS}]))


def _dict_cells(header: list[str], rows: list[dict[str, Any]]) -> Iterator[list[str]]:
    """The cells of rows given as mappings: the header's columns in order, None and missing ones empty."""
    for row in rows:
        yield ["" if (v := row.get(c)) is None else str(v) for c in header]


def write_csv(G: OrgGraph, folder: str | Path) -> list[Path]:
    """Write ``nodes.csv``, ``edges.csv``, ``sources.csv`` and ``dataset.csv`` into ``folder`` (each atomically)."""
    require_simple(G, "A CSV folder")  # before any file is written: never a folder of some files
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, gen in (
        ("nodes.csv", generate_nodes_csv),
        ("edges.csv", generate_edges_csv),
        ("sources.csv", generate_sources_csv),
        ("dataset.csv", generate_dataset_csv),
    ):
        with atomic_write(out / name) as fh:
            for chunk in gen(G):
                fh.write(chunk)
        written.append(out / name)
    return written
