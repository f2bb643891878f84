"""Shared fixtures for the loader tests."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

MAIN = Path(__file__).resolve().parents[2]
DOORSTOP = MAIN.parent / "shared" / "corpora" / "doorstop"


@pytest.fixture(scope="session")
def generate_repo() -> Callable[[Path, int], None]:
    """`benchmarks/generate.py`'s `generate(root, count)`, loaded from its file."""
    spec = importlib.util.spec_from_file_location(
        "reqkit_bench_generate", MAIN / "benchmarks" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module: Any = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def doorstop_files() -> list[Path]:
    """Every YAML file of the Doorstop corpus (absent in a plain clone: skip)."""
    if not DOORSTOP.is_dir():
        pytest.skip(
            f"corpus not present: {DOORSTOP} (only in the shared workspace, not in a clone)"
        )
    files = sorted(p for p in DOORSTOP.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())
    assert files, f"no YAML files under {DOORSTOP}"
    return files
