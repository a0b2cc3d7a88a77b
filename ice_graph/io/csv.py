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
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .._types import OrgGraph
from ..codec import raw_citations, source_registry, sources_of, to_document
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
from ._common import paused_writer
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
        rows = [(reader.line_num, [unneutralize(c) for c in row]) for row in reader if any(c.strip() for c in row)]
    except csv.Error as exc:
        raise DataError([Problem(str(p), reader.line_num, "", f"malformed CSV: {exc}")]) from None
    return header, rows


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
_JSON_COLUMNS = {"citations", "parent_citations", "measures", "dates_citations", "dated_names"}
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


def _read_rows(path: Path, problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    name = str(path)
    try:
        text = read_limited(path, what="CSV")
    except DataError as exc:
        problems.extend(exc.problems)
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        problems.append(Problem(name, 1, "", f"malformed CSV header: {exc}"))
        return
    if not header:
        problems.append(Problem(name, 0, "", "the file is empty (expected a header row)"))
        return
    header = [h.strip() for h in header]
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(Problem(name, reader.line_num, "", f"malformed CSV: {exc}"))
            return
        if not "".join(row).strip():  # no cell with anything but spaces
            continue
        if len(row) > len(header):
            problems.append(
                Problem(name, reader.line_num, "", f"row has {len(row)} cells but the header has {len(header)} columns")
            )
            continue
        cells = [unneutralize(c) if c[:1] == "'" else c for c in row]  # only a quoted cell can be neutralized
        yield reader.line_num, dict(zip(header, cells, strict=False))


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


def _cell_json(path: Path, line: int, column: str, cell: str, problems: list[Problem]) -> Any:
    try:
        return json.loads(cell, object_hook=lambda d: Record(d, line=line))
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


def _csv_record(
    path: Path, line: int, row: dict[str, str], mapping: Mapping[str, str | None], problems: list[Problem]
) -> Record:
    record = Record(line=line, file=str(path))
    source = quote = ""
    for col, cell in row.items():
        field = mapping.get(col)
        # Text keeps its spaces (they round-trip); references and codes are trimmed.
        value = cell or ""
        if field is None or value.strip() == "":
            continue
        if field not in _TEXT_FIELDS:
            value = value.strip()
        if field == "source":
            source = value
        elif field == "quote":
            quote = value
        elif field in _JSON_COLUMNS:
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
        elif field == "area_of_responsibility":
            record[field] = (
                _names_cell(path, line, col, value, problems)
                if value.startswith("[")
                else [v for v in re.split(r"[\s,;|]+", value) if v]
            )
        else:
            record[field] = value
        record.key_lines[field] = line
    if source or quote:
        if "cite" in record:
            problems.append(Problem(str(path), line, "", "give either 'citations' or 'source' and 'quote', not both"))
        else:
            record["cite"] = [Record({"source": source, "quote": quote}, line=line, file=str(path))]
    return record


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
    rows = list(_read_rows(units_path, problems))
    if rows:
        mapping = _normalise_columns(
            units_path,
            list(rows[0][1]),
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
        doc["nodes"] = [_csv_record(units_path, line, row, mapping, problems) for line, row in rows]
    if rel_path.exists():
        rows = list(_read_rows(rel_path, problems))
        if rows:
            rel_fields = {k: v for k, v in RELATION_FIELDS.items() if k not in ("cite",)}
            extra = {"source", "quote", "citations"}
            aliases = dict(_REL_ALIASES)
            aliases.update({c: c for c in _IGNORED_REL_COLUMNS})
            mapping = _normalise_columns(rel_path, list(rows[0][1]), aliases, rel_fields, extra, problems)
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
            doc["relations"] = [_csv_record(rel_path, line, row, mapping, problems) for line, row in rows]
    if src_path.exists():
        rows = list(_read_rows(src_path, problems))
        if rows:
            mapping = _normalise_columns(src_path, list(rows[0][1]), {}, SOURCE_FIELDS, set(), problems)
            for line, row in rows:
                rec = Record(line=line, file=str(src_path))
                for col, cell in row.items():
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
        rows = list(_read_rows(meta_path, problems))
        if rows:
            line, row = rows[0]
            mapping = _normalise_columns(meta_path, list(row), {}, DATASET_FIELDS, set(), problems)
            meta = Record(line=line, file=str(meta_path))
            for col, cell in row.items():
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


def _rows(header: list[str], rows: list[dict[str, Any]]) -> Iterator[str]:
    buf = io.StringIO()
    plain = csv.writer(buf, lineterminator="\n")
    # A bare carriage return is not quoted by the minimal writer (its line ends are
    # "\n"), and a reader would split the row there: quote every cell of such a row.
    quoted = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    plain.writerow(header)
    risky = _RISKY_FIRST
    for row in rows:
        cells = ["" if (v := row.get(c)) is None else str(v) for c in header]
        # neutralize() only where a cell starts with a character it looks at (10^5 rows x 20 cells)
        cells = [neutralize(c) if c[:1] in risky else c for c in cells]
        (quoted if "\r" in "\n".join(cells) else plain).writerow(cells)
    yield buf.getvalue()


def _js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


@paused_writer
def generate_nodes_csv(G: OrgGraph) -> Iterator[str]:
    doc = to_document(G)
    # The document's ids are text; a foreign graph's may be ints (5 -> "5").
    node_of = {str(n): n for n in G}
    extras = extra_attributes(G)
    rows = []
    for rec in doc["nodes"]:
        n = node_of[rec["id"]]
        a = G.nodes[n]
        rows.append(
            {
                "Id": rec["id"],
                "Label": rec["name"],
                "kind": rec["kind"],
                "parent": rec.get("parent", ""),
                "abbreviation": rec.get("abbreviation", ""),
                "other_names": _js([o for o in rec.get("other_names", []) if isinstance(o, str)]),
                "dated_names": _js([o for o in rec.get("other_names", []) if not isinstance(o, str)]),
                "from": rec.get("from", ""),
                "until": rec.get("until", ""),
                "dates_citations": _js(rec.get("dates_cite")),
                "description": rec.get("description", ""),
                "note": rec.get("note", ""),
                "head_title": rec.get("head_title", ""),
                "city": rec.get("location", {}).get("city", ""),
                "state": rec.get("location", {}).get("state", ""),
                "area_of_responsibility": _js(rec.get("area_of_responsibility")),
                "category": a.get("category", ""),
                "sources": _js(sources_of(G, n)),
                "measures": _js(rec.get("measures")),
                "citations": _js(rec.get("cite")),
                "parent_citations": _js(rec.get("parent_cite")),
                **extras.get(n, {}),
            }
        )
    yield from _rows(NODE_COLUMNS + sorted({k for e in extras.values() for k in e}), rows)


def extra_attributes(G: OrgGraph) -> dict[Any, dict[str, Any]]:
    """Node -> its attributes that are not ours (a spreadsheet's ``head``, ``budget``): written as extra columns.

    Measures and their ``_qualifier``/``_date`` attributes, display attributes (``x``, ``label``) and
    every attribute of :data:`~ice_graph.schema.NODE_ATTRIBUTES` are not extras.
    """
    out: dict[Any, dict[str, Any]] = {}
    taken = {c.casefold() for c in NODE_COLUMNS}
    for n, a in G.nodes(data=True):
        keys = [k for k in a if k not in NODE_ATTRIBUTES and k not in RESERVED_DISPLAY_NAMES]
        if not keys:
            continue
        measured = {str(m.get("name")) for m in _measure_list(a.get("measures"))}
        derived = measured | {f"{m}_qualifier" for m in measured} | {f"{m}_date" for m in measured}
        extra = {k: a[k] for k in keys if isinstance(k, str) and k not in derived and k.casefold() not in taken}
        if extra:
            out[n] = extra
    return out


def _measure_list(value: Any) -> list[dict[str, Any]]:
    try:
        items = json.loads(value) if isinstance(value, str) and value else []
    except ValueError:
        return []
    return [m for m in items if isinstance(m, dict)] if isinstance(items, list) else []


@paused_writer
def generate_edges_csv(G: OrgGraph) -> Iterator[str]:
    rows = []
    for u, v, a in G.edges(data=True):
        rows.append(
            {
                "Source": u,
                "Target": v,
                "Type": "Directed",
                "Label": str(a.get("relation", "")).replace("_", " "),
                "relation": a.get("relation", ""),
                "note": a.get("note", ""),
                "from": a.get("valid_from", ""),
                "until": a.get("valid_until", ""),
                "sources": _js(sources_of(G, u, v)),
                "citations": _js(raw_citations(a)),
            }
        )
    yield from _rows(EDGE_COLUMNS, rows)


def generate_sources_csv(G: OrgGraph) -> Iterator[str]:
    reg = source_registry(G)
    yield from _rows(SOURCE_COLUMNS, [{"id": sid, **rec} for sid, rec in reg.items()])


def generate_dataset_csv(G: OrgGraph) -> Iterator[str]:
    """One row: the dataset's id, title, date, description and license."""
    yield from _rows(DATASET_COLUMNS, [{k: G.graph.get(k, "") for k in DATASET_COLUMNS}])


def write_csv(G: OrgGraph, folder: str | Path) -> list[Path]:
    """Write ``nodes.csv``, ``edges.csv``, ``sources.csv`` and ``dataset.csv`` into ``folder`` (each atomically)."""
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
