"""Exceptions raised by ice_graph.

Every exception derives from :class:`IceGraphError`; the specific ones also derive
from the matching built-in so that ``except ValueError`` and friends keep working.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "IceGraphError",
    "Problem",
    "DataError",
    "UnitNotFound",
    "AmbiguousUnit",
    "RenderError",
    "GraphvizNotFound",
    "ExportError",
    "ArgumentError",
]


class IceGraphError(Exception):
    """Base class of every error raised on purpose by ice_graph."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a data file, with where it is.

    ``line`` is the 1-based line of a YAML file or the 1-based row of a CSV file
    (the header is row 1); ``record`` names the record (``unit 'hsi'``).
    """

    file: str
    line: int
    record: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        record = f" {self.record}:" if self.record else ""
        return f"{where}:{record} {self.message}"


class DataError(IceGraphError, ValueError):
    """A data file is malformed or breaks a rule; ``problems`` lists every one."""

    def __init__(self, problems: Iterable[Problem], *, ordered: bool = False, total: int | None = None) -> None:
        # ``ordered``: the problems are already in the order to report (a grouped report ends with its total).
        self.problems: list[Problem] = list(dict.fromkeys(problems)) if ordered else sorted(set(problems))
        #: How many mistakes the problems stand for (a grouped report has one line for many rows,
        #: and a line with the total, which is no mistake of its own).
        self.total = len(self.problems) if total is None else total
        count = self.total
        head = f"{count} problem{'s' if count != 1 else ''} in the data"
        super().__init__(head + ":\n" + "\n".join(str(p) for p in self.problems))


def _with_names(ids: Sequence[str], names: Mapping[str, str] | None) -> str:
    """``'hsi' (Homeland Security Investigations), 'ero' (...)``: ids with the names people know."""
    names = names or {}
    return ", ".join(f"{i!r} ({names[i]})" if names.get(i) and names[i] != i else repr(i) for i in ids)


class UnitNotFound(IceGraphError, LookupError):
    """A query named no node; ``suggestions`` holds the closest ids (shown with their names)."""

    def __init__(
        self,
        query: str,
        suggestions: Sequence[Any] = (),
        *,
        what: str = "unit",
        reason: str = "",
        names: Mapping[str, str] | None = None,
    ) -> None:
        self.query = query
        self.suggestions = list(suggestions)
        msg = reason or f"no {what} matches {query!r}"
        if self.suggestions:
            msg += "; did you mean " + _with_names([str(s) for s in self.suggestions], names) + "?"
        super().__init__(msg)

    def __str__(self) -> str:  # LookupError would repr() the message
        return str(self.args[0])


class AmbiguousUnit(IceGraphError, LookupError):
    """A query matched more than one node; ``candidates`` lists their ids (shown with their names)."""

    def __init__(self, query: str, candidates: Sequence[str], *, names: Mapping[str, str] | None = None) -> None:
        self.query = query
        self.candidates = list(candidates)
        super().__init__(
            f"{query!r} matches {len(self.candidates)} nodes: "
            + _with_names(self.candidates, names)
            + "; use one of these ids"
        )

    def __str__(self) -> str:
        return str(self.args[0])


class RenderError(IceGraphError, RuntimeError):
    """A chart could not be drawn (for example Graphviz failed or timed out)."""


class GraphvizNotFound(RenderError):
    """The Graphviz ``dot`` executable is not on PATH."""

    def __init__(self) -> None:
        super().__init__(
            "the Graphviz 'dot' executable was not found on PATH; install Graphviz "
            "(Debian/Ubuntu: 'sudo apt-get install graphviz', macOS: 'brew install graphviz', "
            "conda: 'conda install graphviz') or use engine='matplotlib'"
        )


class ExportError(IceGraphError, ValueError):
    """A graph cannot be written in the requested format (bad option or value)."""


class ArgumentError(IceGraphError, ValueError):
    """An argument to a function or command is not a value it takes (a date, a depth, a state)."""
