"""YAML data files: read with line numbers, written back in canonical form.

:func:`read_yaml` reads a data file into a *document* (plain :class:`~ice_graph.model.Record`
mappings that remember their line) for :mod:`ice_graph.validate`; :func:`dump_yaml`
writes a document in the canonical form of ``data/ice.yaml``. Only safe YAML is
read: no tags, no anchors or aliases, bounded nesting and size.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataError, Problem
from ..model import Record
from ..schema import (
    CITE_FIELDS,
    DATASET_FIELDS,
    EVENT_FIELDS,
    MEASURE_FIELDS,
    NODE_FIELDS,
    RELATION_FIELDS,
    SOURCE_FIELDS,
)
from ._files import read_limited

__all__ = ["read_yaml", "read_yaml_text", "parse_yaml", "dump_yaml", "has_comments", "MAX_DEPTH"]

#: Deepest nesting of YAML collections we accept (the format needs 6).
MAX_DEPTH = 20


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
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise yaml.MarkedYAMLError(None, None, f"keys must be text, got {key!r}", key_node.start_mark)
        if key in record:  # reported where it appears the second time
            first = record.key_lines[key]
            raise yaml.MarkedYAMLError(
                None, None, f"key {key!r} appears twice in one mapping (first on line {first})", key_node.start_mark
            )
        record[key] = loader.construct_object(value_node, deep=True)
        record.key_lines[key] = key_node.start_mark.line + 1
    return record


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    """An integer, refusing those too long for Python to convert (more than 4,300 digits)."""
    try:
        value: int = loader.construct_yaml_int(node)
    except ValueError:
        raise yaml.MarkedYAMLError(
            None,
            None,
            f"a number with {len(str(node.value))} characters is too long (it cannot be read)",
            node.start_mark,
        ) from None
    return value


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
_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_FastLineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


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


# ---------------------------------------------------------------------------
# Reading from libyaml's events
# ---------------------------------------------------------------------------
class _Unusual(Exception):
    """The streaming reader met something it leaves to the full loader (a tag, an alias, ...)."""


#: Tags of plain scalars the streaming reader constructs itself; any other sends the file to the full loader.
_SCALAR_TAGS = frozenset("tag:yaml.org,2002:" + t for t in ("null", "bool", "int", "float", "timestamp", "str"))
_STR = "tag:yaml.org,2002:str"


class _Scalars:
    """Plain scalars resolved and constructed as PyYAML's safe loader does, each distinct text once."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        #: First characters for which some implicit resolver (null, bool, int, float, date ...) may apply.
        self.first = frozenset(k for k in loader.yaml_implicit_resolvers if k is not None)
        self.wild = None in loader.yaml_implicit_resolvers
        self.seen: dict[str, Any] = {}

    def value(self, event: Any) -> Any:
        text: str = event.value
        if not event.implicit[0] or (text[:1] not in self.first and not self.wild):
            return text  # quoted, or plain text no resolver claims
        if text in self.seen:
            return self.seen[text]
        tag = self.loader.resolve(yaml.ScalarNode, text, (True, False))
        if tag == _STR:
            value: Any = text
        elif tag in _SCALAR_TAGS:
            node = yaml.ScalarNode(tag, text, event.start_mark, event.end_mark, event.style)
            try:
                value = self.loader.yaml_constructors[tag](self.loader, node)
            except (yaml.YAMLError, ValueError, OverflowError):
                # The full loader reports it, after any malformed YAML further on (it parses first).
                raise _Unusual from None
        else:  # a merge key (<<) or the value key (=): the full loader's rules
            raise _Unusual
        self.seen[text] = value
        return value


def _stream(text: str) -> Any:
    """The document read straight from libyaml's events: no node tree, a quarter of the time.

    PyYAML composes the whole file into a tree of nodes (with two marks per scalar) before
    it constructs the first value: for 10^5 units that tree alone is most of a gigabyte.
    Here each event goes straight into its mapping or list, scalars are resolved by PyYAML's
    own resolver and constructors, mappings become :class:`Record` with their lines. Anything
    this reader does not handle itself (tags, anchors and aliases, keys that are not text or
    repeat, several documents, deep nesting) raises :class:`_Unusual`, and the file is read
    by the full loader, whose rules and messages then apply unchanged.
    """
    loader = _FastLineLoader(text)
    try:
        return _build(loader, _Scalars(loader))
    finally:
        loader.dispose()


def _build(loader: Any, scalars: _Scalars) -> Any:
    get = loader.get_event
    get()  # the stream's start
    event = get()
    if isinstance(event, yaml.StreamEndEvent):
        return None
    stack: list[Any] = []  # the open mappings (Record) and lists
    keys: list[str | None] = []  # for each open mapping, its key waiting for a value
    root: Any = None
    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    while True:
        event = get()
        kind = type(event)
        if kind is scalar_event:
            if event.anchor is not None or event.tag is not None:
                raise _Unusual
            value = scalars.value(event)
        elif kind is mapping_start or kind is sequence_start:
            if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH:
                raise _Unusual
            stack.append(Record(line=event.start_mark.line + 1) if kind is mapping_start else [])
            keys.append(None)
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            keys.pop()
            value = stack.pop()
        elif kind is yaml.DocumentEndEvent:
            break
        else:  # an alias
            raise _Unusual
        if not stack:
            root = value
            continue
        top = stack[-1]
        if type(top) is list:
            top.append(value)
        elif (key := keys[-1]) is None:
            if type(value) is not str or value in top or kind is not scalar_event:
                raise _Unusual  # a key that is not text, or repeats: the full loader says where
            keys[-1] = value
            top.key_lines[value] = event.start_mark.line + 1
        else:
            top[key] = value
            keys[-1] = None
    if not isinstance(get(), yaml.StreamEndEvent):
        raise _Unusual  # several documents
    return root


def parse_yaml(text: str, *, path: str = "<string>") -> dict[str, Any]:
    """Parse YAML text into a document; raise DataError for malformed YAML."""
    try:
        if _CBase is None:
            data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader
        else:
            try:
                data = _stream(text)
            except _Unusual:
                data = yaml.load(text, Loader=_FastLineLoader)  # noqa: S506 - a SafeLoader
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


def read_yaml_text(path: str | Path) -> str:
    """The text of a YAML data file, within the limits of every data file (size, kind of file, time).

    For callers that need the text itself (``ice-graph fmt`` compares it with the
    canonical form): a device such as ``/dev/zero`` or an over-size file is a
    DataError, never read to the end.
    """
    return read_limited(Path(path), what="YAML")


def read_yaml(path: str | Path) -> dict[str, Any]:
    """Read a YAML data file into a document; raise DataError for an unreadable or malformed file."""
    p = Path(path)
    return parse_yaml(read_yaml_text(p), path=str(p))


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
