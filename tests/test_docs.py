"""The documents point at what exists: every test docs/robustness.md names is a real test."""

from __future__ import annotations

import re

import pytest

from .conftest import ROOT

REFERENCES = sorted(set(re.findall(r"(test_\w+\.py)::(test_\w+)", (ROOT / "docs" / "robustness.md").read_text())))


def test_the_robustness_page_names_tests():
    assert len(REFERENCES) > 20


@pytest.mark.parametrize(("file", "test"), REFERENCES)
def test_every_named_test_exists(file, test):
    assert re.search(rf"^def {test}\b", (ROOT / "tests" / file).read_text(encoding="utf-8"), re.M), f"{file}::{test}"
