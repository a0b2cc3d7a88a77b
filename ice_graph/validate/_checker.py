"""The problem collector and the generic checks every rule group uses.

:class:`Checker` collects :class:`~ice_graph.errors.Problem` records (the validator
reports every problem at once) and checks the shapes that recur everywhere: known
fields, text, dates, from/until intervals, slugs, citations and references to ids.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..dates import day, is_date
from ..errors import Problem
from ..model import Cite, Record
from ..schema import CITE_FIELDS, ID_PATTERN, FieldSpec, suggest

__all__ = [
    "PROGRESS_STEP",
    "Checker",
    "Suggester",
    "is_plain_text",
    "line_of",
    "short",
    "records",
    "MAX_TEXT",
    "MULTILINE_FIELDS",
]

#: Longest text a field may hold (characters).
MAX_TEXT = 10_000
#: Text fields that may hold line breaks and tabs; every other field holds one line.
MULTILINE_FIELDS = frozenset({"description", "note", "quote"})
#: Control characters refused in every text field (C0 except tab and line feed, DEL).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\x7f]")
#: ... and those refused in one-line fields (tab, line feed and carriage return too).
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f]")
_URL = re.compile(r"^https?://[^\s]+\Z")
#: Records checked between two steps of a progress bar (see :mod:`ice_graph.progress`).
PROGRESS_STEP = 1000
#: Most candidates one suggestion compares against (difflib is quadratic in the word length).
MAX_CANDIDATES = 400


def is_plain_text(value: Any) -> bool:
    """Whether ``value`` is text that every text field takes as it is.

    Short, one line, no control character, not blank: the usual value, which
    :meth:`Checker.text` returns without looking further.
    """
    return (
        type(value) is str
        and len(value) <= MAX_TEXT
        and value.isprintable()
        and (value[:1] != " " or bool(value.strip()))
    )


def line_of(rec: Mapping[str, Any], key: str, default: int) -> int:
    """The line of ``key`` in ``rec`` when it was read from a file, else ``default``."""
    return rec.line_of(key) if isinstance(rec, Record) else default


def _word(rec: Mapping[str, Any]) -> str:
    """What a key of ``rec`` is called: a column of a CSV row, else a field."""
    return "column" if getattr(rec, "file", "").lower().endswith(".csv") else "field"


def short(value: Any) -> str:
    """``repr(value)``, cut to 60 characters for a message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Suggester:
    """Close matches among a fixed set of choices, computed once per distinct value.

    One suggestion compares the value with at most :data:`MAX_CANDIDATES` choices:
    those next to it in alphabetical order (a shared beginning) and next to it in
    the order of the reversed words (a shared ending), found by bisection. So N
    misspelt references cost N cheap look-ups instead of N scans of every id.
    """

    def __init__(self, choices: Iterable[str]) -> None:
        self._choices = choices
        self._forward: list[str] = []
        self._backward: list[tuple[str, str]] = []
        self._memo: dict[str, str] = {}

    def _candidates(self, value: str) -> list[str]:
        if not self._forward:  # sorted on the first hint: most data needs none
            self._forward = sorted(self._choices)
            self._backward = sorted((c[::-1], c) for c in self._forward)
        if len(self._forward) <= MAX_CANDIDATES:
            return self._forward
        k = MAX_CANDIDATES // 4
        i = bisect.bisect_left(self._forward, value)
        j = bisect.bisect_left(self._backward, (value[::-1], ""))
        near = self._forward[max(0, i - k) : i + k] + [c for _, c in self._backward[max(0, j - k) : j + k]]
        return list(dict.fromkeys(near))

    def hint(self, value: str) -> str:
        """``"; did you mean 'x'?"`` for the closest choice, or ``""``."""
        if value not in self._memo:
            close = suggest(value, self._candidates(value), n=1)
            self._memo[value] = f"; did you mean {close[0]!r}?" if close else ""
        return self._memo[value]


_REQUIRED: dict[int, tuple[Mapping[str, FieldSpec], list[str]]] = {}


def _required(spec: Mapping[str, FieldSpec]) -> list[str]:
    """The required fields of ``spec`` other than citations, in order (computed once per spec)."""
    hit = _REQUIRED.get(id(spec))
    if hit is None or hit[0] is not spec:
        hit = _REQUIRED[id(spec)] = (spec, [k for k, (req, typ, _doc) in spec.items() if req and typ != "cites"])
    return hit[1]


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A hint for a small, fixed vocabulary (field names, kinds)."""
    close = suggest(value, choices, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


class Checker:
    """Collects problems; ``file`` is reported unless a record names its own file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.current = file
        self.problems: list[Problem] = []
        self.sources: Mapping[str, Any] = {}
        self._source_hints: Suggester | None = None
        self.ids: Mapping[str, Any] = {}
        self._id_hints: Suggester | None = None
        #: File -> the columns it lacks (CSV), already reported once for the whole file.
        self.missing_columns: Mapping[str, Iterable[str]] = {}
        #: (source, quote, fact) -> its Cite, for each ``{source, quote}`` pair already found good:
        #: most citations repeat one another, and a repeat needs no second check.
        self._good_cites: dict[tuple[str, str, str], Cite] = {}

    def at(self, rec: Any) -> None:
        """Report what follows against the file ``rec`` came from (CSV data has several)."""
        self.current = getattr(rec, "file", "") or self.file

    def place(self, line: int, file: str | None = None) -> str:
        """``line 12`` of a YAML file, ``row 12`` of a CSV file, naming the file when it is not the current one."""
        file = file if file is not None else self.current
        word = "row" if file.lower().endswith(".csv") else "line"
        return f"{word} {line}" + (f" of {file}" if file != self.current else "")

    def missing(self, key: str) -> bool:
        """Whether the current file lacks the column ``key`` (reported once for the file, not per row)."""
        return key in self.missing_columns.get(self.current, ())

    def add(self, line: int, record: str, message: str) -> None:
        self.problems.append(Problem(self.current, line, record, message))

    def set_sources(self, sources: Mapping[str, Any]) -> None:
        self.sources = sources
        self._source_hints = Suggester(sources)
        self._good_cites = {}

    def set_ids(self, ids: Mapping[str, Any]) -> None:
        self.ids = ids
        self._id_hints = Suggester(ids)

    # -- generic field checks ------------------------------------------------
    def fields(self, rec: Mapping[str, Any], spec: Mapping[str, FieldSpec], label: str, line: int) -> None:
        """Unknown fields, and missing required ones (citations are reported by :meth:`cites`)."""
        if not rec.keys() <= spec.keys():  # rare: look at each key only then, in the record's order
            for key in rec:
                if key not in spec:
                    self.add(
                        line_of(rec, key, line),
                        label,
                        f"unknown field {key!r} (expected: {', '.join(spec)})" + did_you_mean(str(key), spec),
                    )
        for key in _required(spec):
            value = rec.get(key)
            if type(value) is str and value:
                continue  # the usual case: given (a blank text is reported by text())
            blank = isinstance(value, str) and value != "" and not value.strip()  # reported by text()
            if not blank and value in (None, "", []) and not self.missing(key):
                what = (
                    f"required column {key!r} is empty" if _word(rec) == "column" else f"missing required field {key!r}"
                )
                self.add(line, label, what)

    def text(self, rec: Mapping[str, Any], key: str, label: str, line: int) -> str:
        """The text of ``rec[key]`` ("" if absent or bad): one line unless the field allows more."""
        value = rec.get(key)
        if value is None:
            return ""
        if is_plain_text(value):
            return value  # type: ignore[no-any-return]  # the usual case: see is_plain_text
        where = line_of(rec, key, line)
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.add(where, label, f"{_word(rec)} {key!r} must be text, got {type(value).__name__} {short(value)}")
            return ""
        text = str(value)
        if len(text) > MAX_TEXT:
            self.add(where, label, f"{_word(rec)} {key!r} is {len(text)} characters long (at most {MAX_TEXT})")
            return ""
        control = (_CONTROL if key in MULTILINE_FIELDS else _CONTROL_ONE_LINE).search(text)
        if control:
            allowed = "" if key in MULTILINE_FIELDS else " (it is one line: no tabs or line breaks)"
            self.add(where, label, f"{_word(rec)} {key!r} contains the control character {control.group()!r}{allowed}")
            return ""
        if text and not text.strip():
            self.add(where, label, f"{_word(rec)} {key!r} is blank (only spaces)")
            return ""
        return text

    def date(self, rec: Mapping[str, Any], key: str, label: str, line: int) -> str:
        value = self.text(rec, key, label, line)
        if value and not is_date(value):
            self.add(
                line_of(rec, key, line),
                label,
                f"{_word(rec)} {key!r}: {value!r} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)",
            )
            return ""
        return value

    def url(self, rec: Mapping[str, Any], key: str, label: str, line: int) -> str:
        value = self.text(rec, key, label, line)
        if value and not _URL.match(value):
            self.add(line_of(rec, key, line), label, f"url {value!r} must start with http:// or https://")
            return ""
        return value

    def interval(self, rec: Mapping[str, Any], label: str, line: int) -> tuple[str, str]:
        """The record's from/until, checked: real dates, from before until."""
        start = self.date(rec, "from", label, line)
        end = self.date(rec, "until", label, line)
        if start and end and day(start) >= day(end):
            self.add(line_of(rec, "until", line), label, f"'from' {start} must be before 'until' {end}")
            return start, ""
        return start, end

    def slug(self, value: Any, label: str, line: int, what: str = "id") -> str:
        if not isinstance(value, str) or not value:
            self.add(line, label, f"{what} must be text, got {short(value)}")
            return ""
        if not ID_PATTERN.match(value):
            fixed = re.sub(r"[^a-z0-9]+", "-", value.lower(), flags=re.ASCII).strip("-")
            self.add(
                line,
                label,
                f"{what} {value!r} is not a slug (lowercase letters, digits and single hyphens)"
                + (f"; did you mean {fixed!r}?" if fixed else ""),
            )
            return ""
        return value

    def ref(self, value: Any, label: str, line: int, what: str) -> str:
        """``value`` if it is the id of a node (see :meth:`set_ids`), else "" and a problem."""
        if not isinstance(value, str) or not value:
            self.add(line, label, f"{what} must be an id, got {short(value)}")
            return ""
        if value not in self.ids:
            hint = self._id_hints.hint(value) if self._id_hints else ""
            self.add(line, label, f"{what} {value!r} is not the id of any node" + hint)
            return ""
        return value

    # -- the same, given the record and the key: the usual case first, the key's line looked up only for a problem
    def slug_at(self, rec: Mapping[str, Any], key: str, label: str, line: int) -> str:
        """:meth:`slug` of ``rec[key]``, reported on the line of ``key``."""
        value = rec.get(key)
        if type(value) is str and ID_PATTERN.match(value):
            return value
        return self.slug(value, label, line_of(rec, key, line))

    def ref_at(self, rec: Mapping[str, Any], key: str, label: str, line: int, what: str) -> str:
        """:meth:`ref` of ``rec[key]``, reported on the line of ``key``."""
        value = rec.get(key)
        if type(value) is str and value in self.ids:
            return value
        return self.ref(value, label, line_of(rec, key, line), what)

    def cites_at(self, rec: Mapping[str, Any], key: str, label: str, line: int, fact: str = "") -> list[Cite]:
        """:meth:`cites` of ``rec[key]``, reported on the line of ``key``."""
        value = rec.get(key)
        return self.known_cites(value, fact) or self.cites(value, label, line_of(rec, key, line), fact, key)

    def known_cites(self, value: Any, fact: str = "") -> list[Cite] | None:
        """The citations of ``value`` if it lists only pairs already found good, else None."""
        if type(value) is not list or not value:
            return None
        if len(value) == 1:  # the usual case: one citation (:meth:`_good_cite`, inline: once per record)
            item = value[0]
            if isinstance(item, dict) and len(item) == 2:
                src, quote = item.get("source"), item.get("quote")
                if type(src) is str and type(quote) is str:
                    cite = self._good_cites.get((src, quote, fact))
                    return None if cite is None else [cite]
            return None
        out = []
        for item in value:
            cite = self._good_cite(item, fact)
            if cite is None:
                return None
            out.append(cite)
        return out

    def _good_cite(self, item: Any, fact: str) -> Cite | None:
        """The Cite of ``item`` if it is a ``{source, quote}`` pair already found good, else None."""
        if isinstance(item, dict) and len(item) == 2:
            src, quote = item.get("source"), item.get("quote")
            if type(src) is str and type(quote) is str:
                return self._good_cites.get((src, quote, fact))
        return None

    def cites(self, value: Any, label: str, line: int, fact: str = "", key: str = "cite") -> list[Cite]:
        """The citations in ``value`` (one ``{source, quote}`` or a list), each source registered."""
        what = f"{key} of {fact}" if fact else key
        if value is None or value == []:
            if not self.missing(key):
                self.add(line, label, f"no source: {what} must list at least one {{source, quote}}")
            return []
        if isinstance(value, Mapping):
            value = [value]
        if not isinstance(value, list):
            self.add(line, label, f"{what} must be a list of {{source, quote}}, got {short(value)}")
            return []
        out = []
        for item in value:
            cite = self._good_cite(item, fact) or self._cite(item, label, line, what, fact)
            if cite:
                out.append(cite)
        return out

    def _cite(self, item: Any, label: str, line: int, what: str, fact: str) -> Cite | None:
        cline = getattr(item, "line", line) or line
        if not isinstance(item, Mapping):
            self.add(cline, label, f"{what}: each entry must be a mapping {{source, quote}}, got {short(item)}")
            return None
        before = len(self.problems)
        self.fields(item, CITE_FIELDS, label, cline)
        src = self.text(item, "source", label, cline)
        quote = self.text(item, "quote", label, cline)
        if src and src not in self.sources:
            hint = self._source_hints.hint(src) if self._source_hints else ""
            self.add(cline, label, f"{what}: source {src!r} is not registered in sources" + hint)
        if not (src and quote):
            return None
        cite = Cite(src, " ".join(quote.split()), fact)
        if len(self.problems) == before and len(item) == 2 and item.get("source") == src and item.get("quote") == quote:
            self._good_cites[src, quote, fact] = cite  # a good pair: its repeats skip the checks
        return cite


#: The types of the usual records (what a YAML parser and the CSV reader make).
_RECORD_TYPES = frozenset({Record, dict})


def records(doc: Mapping[str, Any], key: str, chk: Checker) -> list[Mapping[str, Any]]:
    """The mappings listed under ``doc[key]``; anything else is a problem."""
    value = doc.get(key)
    line = line_of(doc, key, 0)
    if value is None:
        return []
    if not isinstance(value, list):
        chk.add(line, "", f"{key!r} must be a list of records, got {short(value)}")
        return []
    if set(map(type, value)) <= _RECORD_TYPES:  # the usual list: records only (one pass in C)
        return list(value)
    out = []
    for item in value:
        if isinstance(item, (dict, Mapping)):  # dict first: no ABC check for the usual record
            out.append(item)
        else:
            chk.add(line, "", f"{key!r}: each entry must be a mapping, got {short(item)}")
    return out
