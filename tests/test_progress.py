"""The progress bar: shown on a terminal once work takes a while; silent when piped, quiet or quick."""

from __future__ import annotations

import io

from ice_graph import progress
from ice_graph.io.graphml import write_graphml
from ice_graph.synthetic import random_organization


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(stream: io.StringIO, *, delay: float = 0.0, steps: int = 3) -> str:
    with progress.Progress(steps, label="Working", stream=stream, delay=delay):
        for _ in range(steps):
            progress.step()
    return stream.getvalue()


def test_terminal_shows_the_bar():
    out = _run(Terminal())
    assert "Working" in out and "100%" in out


def test_piped_output_stays_silent():
    assert _run(io.StringIO()) == ""


def test_quiet_stays_silent():
    with progress.quiet():
        assert _run(Terminal()) == ""
    assert "Working" in _run(Terminal())  # quiet ends with its block


def test_quick_work_shows_no_bar():
    assert _run(Terminal(), delay=60.0) == ""


def test_step_without_progress_does_nothing():
    progress.step(5)  # no active bar: no error, no output


def test_writer_reports_its_steps(tmp_path, monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0.0)
    seen: list[int] = []
    monkeypatch.setattr(progress.Progress, "advance", lambda self, n: seen.append(n))
    G = random_organization(3000, seed=1)
    write_graphml(G, tmp_path / "g.graphml")
    assert sum(seen) == len(G) + G.number_of_edges()
