"""reqkit traces itself: its own requirements all name tests, and the gate is configured."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.mark.req("REQ-087", "REQ-090")
def test_own_requirements_are_all_traced_and_the_gate_waits_for_results(run: Run) -> None:
    result = run(ROOT, "trace", "--format", "json", "--strict")
    assert result.returncode == 0, result.stderr  # no results given: verified is not judged
    data = json.loads(result.stdout)
    overall = data["coverage"]["overall"]
    assert overall["requirements"] >= 50
    assert overall["traced"] == overall["requirements"]
    assert data["uncovered"] == []
    own = {r["name"]: r for r in data["rules"]}["testing-and-shipped-verified"]
    assert own["require"] == "verified" and own["judged"] is False
    assert {"REQ-080", "REQ-094"} <= {r["id"] for r in data["requirements"]}
