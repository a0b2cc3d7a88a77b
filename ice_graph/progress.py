"""Progress on a terminal for long work: click's progress bar, silent when piped or quiet.

Work that counts its steps (nodes and edges written, rows validated) calls
:func:`step` as it goes; whoever starts the work wraps it in :class:`Progress`::

    with Progress(len(G) + G.number_of_edges(), label="GraphML"):
        write_lines(path, generate_graphml(G))     # the generator calls step(n)

The bar appears only after :data:`DELAY` seconds, only when the stream is a
terminal, and never under :func:`quiet` (the CLI's ``--quiet``). Without an active
:class:`Progress`, :func:`step` costs one list test: writers call it once per
chunk of a few thousand items, so it never slows the work measurably.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, TextIO

__all__ = ["Progress", "step", "quiet", "DELAY"]

#: Seconds of work before a bar is shown: quick work never flashes one.
DELAY = 1.0

_active: list[Progress] = []
_quiet = [False]


@contextmanager
def quiet(on: bool = True) -> Iterator[None]:
    """No progress bar while inside (the CLI's ``--quiet``; tests)."""
    before = _quiet[0]
    _quiet[0] = on
    try:
        yield
    finally:
        _quiet[0] = before


def step(n: int = 1) -> None:
    """``n`` more items done, for the innermost active :class:`Progress` (none: nothing)."""
    if _active:
        _active[-1].advance(n)


class Progress:
    """A click progress bar over ``total`` items, shown once the work has taken :data:`DELAY` seconds."""

    def __init__(self, total: int, *, label: str, stream: TextIO | None = None, delay: float | None = None) -> None:
        self.total, self.label, self.done = max(0, int(total)), label, 0
        self.stream = sys.stderr if stream is None else stream
        self.delay = DELAY if delay is None else delay
        self.enabled = not _quiet[0] and _is_terminal(self.stream)
        self.start = time.monotonic()
        self.bar: Any = None

    def __enter__(self) -> Progress:
        _active.append(self)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        _active.remove(self)
        if self.bar is not None:
            if kind is None:
                self.bar.update(max(0, self.total - self.done))
            self.bar.__exit__(kind, exc, tb)

    def advance(self, n: int) -> None:
        """Count ``n`` items; draw (or start) the bar when it is due."""
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
        elif self.enabled and time.monotonic() - self.start >= self.delay:
            import click

            self.bar = click.progressbar(length=self.total, label=self.label, file=self.stream)
            self.bar.__enter__()
            self.bar.update(self.done)


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False
