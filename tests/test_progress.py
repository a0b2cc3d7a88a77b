"""The progress bar: shown on a terminal once work takes a while; silent when piped, quiet or quick."""

from __future__ import annotations

import io

import pytest

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


def test_load_reports_validation_steps(tmp_path, monkeypatch):
    """Loading a big data file steps a 'Checking' bar every 1,000 records it validates."""
    import ice_graph
    from ice_graph.io.yaml import dump_yaml
    from ice_graph.synthetic import random_document

    doc = random_document(2500, seed=1)
    path = tmp_path / "org.yaml"
    path.write_text(dump_yaml(doc), encoding="utf-8")
    seen: list[tuple[str, int, int]] = []
    monkeypatch.setattr(progress.Progress, "advance", lambda self, n: seen.append((self.label, self.total, n)))
    ice_graph.load(path)
    records = len(doc["nodes"]) + len(doc.get("relations", [])) + len(doc.get("events", []))
    assert seen and all(label == "Checking" and total == records and n == 1000 for label, total, n in seen)
    assert len(seen) >= len(doc["nodes"]) // 1000


def test_load_leaves_the_garbage_collector_as_it_was(tmp_path):
    """The collector is paused while a file loads, and on again afterwards, even when the file is refused."""
    import gc

    import ice_graph

    bad = tmp_path / "bad.yaml"
    bad.write_text("dataset: {id: x}\nnodes: 3\n", encoding="utf-8")
    assert gc.isenabled()
    with pytest.raises(ice_graph.DataError):
        ice_graph.load(bad)
    assert gc.isenabled()
    ice_graph.load()
    assert gc.isenabled()


def test_cli_quiet_silences_progress_for_the_command(monkeypatch):
    """--quiet (before or after the command) keeps every bar off while the command runs, and only then."""
    from click.testing import CliRunner

    from ice_graph.cli import cli

    states: list[bool] = []
    monkeypatch.setattr("ice_graph.analysis.chain_of_command", _recording(states))
    for args, expected in (
        (["--quiet", "chain", "ero"], True),
        (["chain", "ero", "-q"], True),
        (["chain", "ero"], False),
    ):
        states.clear()
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert states == [expected]
        assert progress._quiet[0] is False


def _recording(states: list[bool]):
    import ice_graph.analysis

    real = ice_graph.analysis.chain_of_command

    def chain(*a, **k):
        states.append(progress._quiet[0])
        return real(*a, **k)

    return chain


def test_build_counts_whole_files(tmp_path, monkeypatch):
    """build's bar advances once per file written; the writers' own steps do not reach it."""
    import ice_graph
    from ice_graph.build import build

    monkeypatch.setattr("ice_graph.build.graphviz_available", lambda: False)
    seen: list[tuple[str, int]] = []
    real = progress.Progress.advance

    def advance(self, n):
        seen.append((self.label, n))
        real(self, n)

    monkeypatch.setattr(progress.Progress, "advance", advance)
    written = build(ice_graph.load(), tmp_path / "out")
    building = [n for label, n in seen if label == "Building"]
    assert building == [1] * len(written)
