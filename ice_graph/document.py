"""Reading and writing data files as *documents*: plain records with line numbers.

A document is a dict with the keys ``dataset``, ``sources``, ``nodes`` and
``relations`` (see ``data/README.md``). Every mapping read from a file is a
:class:`Record`, a dict that remembers the line (YAML) or row (CSV) it came from,
so that the validator can say where a problem is. YAML and CSV files both become
documents; :func:`dump_yaml` writes one back in canonical form.

This module only parses: the rules live in :mod:`ice_graph.validate`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError, Problem
from .schema import (
    CITE_FIELDS,
    DATASET_FIELDS,
    EVENT_FIELDS,
    LIST_SEPARATOR,
    MEASURE_FIELDS,
    NODE_FIELDS,
    RELATION_FIELDS,
    SOURCE_FIELDS,
    suggest,
)

__all__ = ["Record", "read_document", "parse_yaml", "read_csv_document", "dump_yaml", "empty_document"]

#: Largest data file we read (bytes); larger files are refused, not parsed.
MAX_FILE_BYTES = 50 * 1024 * 1024
#: Deepest nesting of YAML collections we accept (the format needs 5).
MAX_DEPTH = 20


class Record(dict[str, Any]):
    """A mapping read from a data file, with the line it starts on."""

    line: int = 0
    file: str = ""
    key_lines: dict[str, int]

    def __init__(self, *args: Any, line: int = 0, file: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = line
        self.file = file
        self.key_lines = {}

    def line_of(self, key: str) -> int:
        """The line of ``key`` if known, else the record's own line."""
        return self.key_lines.get(key, self.line)


def empty_document() -> dict[str, Any]:
    return {"dataset": Record(), "sources": [], "nodes": [], "relations": []}


# ---------------------------------------------------------------------------
# YAML
# ---------------------------------------------------------------------------
class _LineLoader(yaml.SafeLoader):
    """A safe loader that records lines, refuses aliases and keeps dates as text."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(
                None, None, "anchors and aliases (*name) are not supported in data files", event.start_mark
            )
        depth = getattr(self, "_depth", 0) + 1
        if depth > MAX_DEPTH:
            raise yaml.MarkedYAMLError(
                None,
                None,
                f"nesting deeper than {MAX_DEPTH} levels",
                self.peek_event().start_mark,  # type: ignore[no-untyped-call]
            )
        self._depth = depth
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth - 1


def _construct_record(loader: _LineLoader, node: yaml.MappingNode) -> Record:
    loader.flatten_mapping(node)
    record = Record(line=node.start_mark.line + 1)
    duplicates = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise yaml.MarkedYAMLError(None, None, f"keys must be text, got {key!r}", key_node.start_mark)
        if key in record:
            duplicates.append((key, key_node.start_mark.line + 1))
        record[key] = loader.construct_object(value_node, deep=True)
        record.key_lines[key] = key_node.start_mark.line + 1
    if duplicates:
        key, line = duplicates[0]
        raise yaml.MarkedYAMLError(None, None, f"key {key!r} appears twice in one mapping", key_node.start_mark)
    return record


_CBase: Any = getattr(yaml, "CSafeLoader", None)


class _FastLineLoader(_CBase or yaml.SafeLoader):  # type: ignore[misc]
    """The same rules with libyaml's parser (about 4x faster), when PyYAML has it.

    libyaml composes the document in C, so aliases are caught when a node is
    constructed a second time, and deep nesting by Python's recursion limit.
    """

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.MarkedYAMLError(
                None, None, "anchors and aliases (*name) are not supported in data files", node.start_mark
            )
        return super().construct_object(node, deep=deep)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_record)
_FastLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_record)


# Dates stay text: the validator checks their form and the graph stores strings.
def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
_FastLineLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def _yaml_problem(path: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 0
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    text = f"{context}: {problem}" if context else str(problem)
    if "could not determine a constructor for the tag" in str(exc):
        text = (
            f"{text} (only plain YAML is accepted: tags such as !!python/object are refused "
            "because they could run code)"
        )
    return Problem(path, line, "", f"malformed YAML: {text}")


def parse_yaml(text: str, *, path: str = "<string>") -> dict[str, Any]:
    """Parse YAML text into a document; raise DataError for malformed YAML."""
    try:
        loader = _FastLineLoader if _CBase is not None else _LineLoader
        data = yaml.load(text, Loader=loader)  # noqa: S506 - both loaders are SafeLoaders
    except yaml.YAMLError as exc:
        raise DataError([_yaml_problem(path, exc)]) from None
    except RecursionError:
        raise DataError([Problem(path, 0, "", "malformed YAML: nesting too deep")]) from None
    if data is None:
        raise DataError([Problem(path, 0, "", "the file is empty (expected keys: dataset, sources, nodes, relations)")])
    if not isinstance(data, Record):
        raise DataError(
            [
                Problem(
                    path,
                    1,
                    "",
                    f"expected a mapping with keys dataset, sources, nodes, relations; got {type(data).__name__}",
                )
            ]
        )
    return data


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
    from .export.csv import unneutralize  # here, not at the top: export imports this module

    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(name, 0, "", f"cannot read the file: {exc.strerror or exc}"))
        return
    if b"\x00" in raw:
        problems.append(Problem(name, 0, "", "the file is binary (it contains NUL bytes), not CSV text"))
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(name, line, "", f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")
        )
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
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            problems.append(
                Problem(name, reader.line_num, "", f"row has {len(row)} cells but the header has {len(header)} columns")
            )
            continue
        yield reader.line_num, dict(zip(header, (unneutralize(c) for c in row), strict=False))


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
            record[field] = [v.strip() for v in value.split(LIST_SEPARATOR.strip()) if v.strip()] + list(
                record.get(field, [])
            )
        else:
            record[field] = value
        record.key_lines[field] = line
    if source or quote:
        if "cite" in record:
            problems.append(Problem(str(path), line, "", "give either 'citations' or 'source' and 'quote', not both"))
        else:
            record["cite"] = [Record({"source": source, "quote": quote}, line=line)]
    return record


def read_csv_document(path: str | Path) -> dict[str, Any]:
    """Read a CSV organization: units, and optional relations and sources files.

    ``path`` is a units CSV file or a folder holding ``units.csv``. Relations are
    read from ``relations.csv`` (beside ``units.csv``) or ``<stem>.relations.csv``,
    sources from ``sources.csv`` or ``<stem>.sources.csv``.
    """
    units_path, rel_path, src_path = _csv_siblings(Path(path))
    problems: list[Problem] = []
    doc = empty_document()
    node_fields = {k: v for k, v in NODE_FIELDS.items() if k != "cite"}
    rows = list(_read_rows(units_path, problems))
    if rows:
        mapping = _normalise_columns(
            units_path,
            list(rows[0][1]),
            _NODE_ALIASES,
            node_fields,
            {"source", "quote", "citations", "parent_citations", "dates_citations", "dated_names"}
            | _DERIVED_NODE_COLUMNS,
            problems,
        )
        for c in mapping:
            if c.strip().lower() in _DERIVED_NODE_COLUMNS:
                mapping[c] = None
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
    doc["_files"] = [str(units_path), str(rel_path), str(src_path)]
    if problems and not doc["nodes"]:
        raise DataError(problems)
    # Row problems are reported together with the validator's (all problems at once).
    doc["_problems"] = problems
    return doc


def read_document(path: str | Path) -> dict[str, Any]:
    """Read a YAML or CSV data file (or a folder of CSV files) into a document."""
    p = Path(path)
    if p.is_dir() or p.suffix.lower() == ".csv":
        return read_csv_document(p)
    if p.suffix.lower() not in (".yaml", ".yml"):
        raise DataError(
            [
                Problem(
                    str(p),
                    0,
                    "",
                    f"unknown data file type {p.suffix!r} (expected .yaml, .yml, .csv or a folder of CSV files)",
                )
            ]
        )
    try:
        if p.stat().st_size > MAX_FILE_BYTES:
            raise DataError([Problem(str(p), 0, "", f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB")])
        raw = p.read_bytes()
    except OSError as exc:
        raise DataError([Problem(str(p), 0, "", f"cannot read the file: {exc.strerror or exc}")]) from None
    if b"\x00" in raw:
        raise DataError([Problem(str(p), 0, "", "the file is binary (it contains NUL bytes), not YAML text")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            [Problem(str(p), line, "", f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")]
        ) from None
    return parse_yaml(text, path=str(p))


# ---------------------------------------------------------------------------
# Canonical YAML
# ---------------------------------------------------------------------------
class _CanonicalDumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_CanonicalDumper.add_representer(str, _represent_str)
_CanonicalDumper.add_representer(Record, lambda d, data: d.represent_dict(data.items()))


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def dump_yaml(document: Mapping[str, Any]) -> str:
    """The canonical YAML text of a document: fixed key order, two-space indent."""

    def ordered(record: Mapping[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
        keys = [k for k in fields if k in record] + sorted(k for k in record if k not in fields)
        return {k: record[k] for k in keys}

    def cites(value: Any) -> Any:
        return [ordered(c, CITE_FIELDS) for c in value] if isinstance(value, list) else value

    def node(rec: Mapping[str, Any]) -> dict[str, Any]:
        out = ordered(rec, NODE_FIELDS)
        if "cite" in out:
            out["cite"] = cites(out["cite"])
        if "parent_cite" in out:
            out["parent_cite"] = cites(out["parent_cite"])
        if isinstance(out.get("measures"), Mapping):
            out["measures"] = {
                name: {**ordered(m, MEASURE_FIELDS), **({"cite": cites(m["cite"])} if "cite" in m else {})}
                if isinstance(m, Mapping)
                else m
                for name, m in out["measures"].items()
            }
        return out

    def relation(rec: Mapping[str, Any]) -> dict[str, Any]:
        out = ordered(rec, RELATION_FIELDS)
        if "cite" in out:
            out["cite"] = cites(out["cite"])
        return out

    data = {
        "dataset": ordered(document.get("dataset", {}), DATASET_FIELDS),
        "sources": [ordered(s, SOURCE_FIELDS) for s in document.get("sources", [])],
        "nodes": [node(n) for n in document.get("nodes", [])],
        "relations": [relation(r) for r in document.get("relations", [])],
    }
    if document.get("events"):
        data["events"] = [
            {**ordered(e, EVENT_FIELDS), **({"cite": cites(e["cite"])} if "cite" in e else {})}
            for e in document["events"]
        ]
    text: str = yaml.dump(
        _plain(data), Dumper=_CanonicalDumper, sort_keys=False, allow_unicode=True, width=100, indent=2
    )
    return text


def has_comments(text: str) -> bool:
    """Whether YAML text has a comment (a ``#`` outside every scalar)."""
    spans = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.ScalarToken):
                spans.append((token.start_mark.index, token.end_mark.index))
    except yaml.YAMLError:
        return True
    hashes = [i for i, c in enumerate(text) if c == "#"]
    return any(not any(a <= i < b for a, b in spans) for i in hashes)
