"""Print pip constraints that pin every runtime dependency to its lowest allowed version.

The lower bounds in pyproject.toml are promises; CI installs exactly these versions
once and runs the tests against them (`make test-lowest`).
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())["project"]
for spec in project["dependencies"]:
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*>=\s*([0-9][^,;\s]*)\s*", spec)
    if not match:
        sys.exit(f"dependency {spec!r} has no plain '>=' lower bound to test")
    print(f"{match.group(1)}=={match.group(2)}")
