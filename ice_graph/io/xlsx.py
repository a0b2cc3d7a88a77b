"""Excel workbooks (``.xlsx``): the first sheet read as a table, through the optional ``excel`` extra.

``pip install 'ice-graph[excel]'`` installs openpyxl; without it, reading an
``.xlsx`` says so. Cells come back as text (numbers as people typed them: ``12``,
not ``12.0``), so a workbook reads exactly like the same sheet saved as CSV.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..errors import DataError, Problem
from .csv import Table

__all__ = ["read_xlsx_table"]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_xlsx_table(path: str | Path) -> Table:
    """The header and rows of the workbook's first sheet (row numbers as Excel shows them)."""
    p = Path(path)
    try:
        import openpyxl  # type: ignore[import-untyped,unused-ignore]  # openpyxl ships no type hints
    except ImportError:
        raise DataError(
            [Problem(str(p), 0, "", "reading .xlsx needs openpyxl: pip install 'ice-graph[excel]' (or save as CSV)")]
        ) from None
    try:
        book = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors for a bad workbook
        raise DataError([Problem(str(p), 0, "", f"not a readable .xlsx workbook: {exc}")]) from None
    try:
        sheet = book.worksheets[0]
        rows = [[_text(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    numbered = [(i, r) for i, r in enumerate(rows, start=1) if any(c.strip() for c in r)]
    if not numbered:
        raise DataError([Problem(str(p), 0, "", "the first sheet is empty (expected a header row: id, name, ...)")])
    (_, header), body = numbered[0], numbered[1:]
    return [h.strip() for h in header], body
