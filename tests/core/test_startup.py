"""Start-up stays small: `--version` answers before click, pydantic or YAML load."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from reqkit.cli.main import main
code = main(["--version"])
heavy = sorted(m for m in ("click", "pydantic", "yaml", "yaml_rs", "jsonschema") if m in sys.modules)
print(code, heavy)
"""


def test_version_imports_nothing_heavy() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    lines = out.stdout.splitlines()
    assert lines[0].startswith("reqkit ")
    assert lines[-1] == "0 []"


def test_import_reqkit_is_lazy() -> None:
    probe = "import sys, reqkit; print(sorted(m for m in ('click', 'pydantic', 'yaml') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
