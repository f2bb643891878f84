"""reqkit's own requirements: every `verified_by` names a test that exists."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
REQS = sorted((ROOT / "reqs").glob("*.yaml"))


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names |= {f"{node.name}::{n.name}" for n in node.body if isinstance(n, ast.FunctionDef)}
    return names


@pytest.mark.parametrize("req", REQS, ids=[p.stem for p in REQS])
def test_verified_by_names_existing_tests(req: Path) -> None:
    data = yaml.safe_load(req.read_text(encoding="utf-8"))
    assert data["verified_by"], f"{req.name} names no test"
    for node_id in data["verified_by"]:
        file, _, name = node_id.partition("::")
        path = ROOT / file
        assert path.is_file(), f"{req.name}: {file} does not exist"
        assert name.split("[")[0] in _test_names(path), f"{req.name}: no test {node_id}"


def test_there_are_own_requirements() -> None:
    assert len(REQS) >= 15
