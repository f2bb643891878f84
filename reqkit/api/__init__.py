"""The Python API the CLI is a thin layer over. Returns data; never prints or exits.

One module per capability; module names differ from the function names on purpose
(importing `reqkit.api.check` as a module would shadow the `check` function).

Names load on first use, so a command pays only for the capability it runs.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reqkit.api.authoring import (
        FmtResult,
        NewResult,
        SetResult,
        fmt,
        new_requirement,
        set_fields,
    )
    from reqkit.api.changes import codeowners, diff, history, release_notes, review, show
    from reqkit.api.checking import check
    from reqkit.api.interchange import ImportResult, export, import_file, plan_import
    from reqkit.api.project import SchemaResult, init, load, write_schema
    from reqkit.api.publishing import build_site, serve_site
    from reqkit.api.reporting import Report, report
    from reqkit.api.tracing import trace

_EXPORTS = {
    "FmtResult": "reqkit.api.authoring",
    "ImportResult": "reqkit.api.interchange",
    "NewResult": "reqkit.api.authoring",
    "Report": "reqkit.api.reporting",
    "SchemaResult": "reqkit.api.project",
    "SetResult": "reqkit.api.authoring",
    "build_site": "reqkit.api.publishing",
    "check": "reqkit.api.checking",
    "codeowners": "reqkit.api.changes",
    "diff": "reqkit.api.changes",
    "export": "reqkit.api.interchange",
    "fmt": "reqkit.api.authoring",
    "history": "reqkit.api.changes",
    "import_file": "reqkit.api.interchange",
    "init": "reqkit.api.project",
    "load": "reqkit.api.project",
    "new_requirement": "reqkit.api.authoring",
    "plan_import": "reqkit.api.interchange",
    "release_notes": "reqkit.api.changes",
    "report": "reqkit.api.reporting",
    "review": "reqkit.api.changes",
    "serve_site": "reqkit.api.publishing",
    "set_fields": "reqkit.api.authoring",
    "show": "reqkit.api.changes",
    "trace": "reqkit.api.tracing",
    "write_schema": "reqkit.api.project",
}

__all__ = [
    "FmtResult",
    "ImportResult",
    "NewResult",
    "Report",
    "SchemaResult",
    "SetResult",
    "build_site",
    "check",
    "codeowners",
    "diff",
    "export",
    "fmt",
    "history",
    "import_file",
    "init",
    "load",
    "new_requirement",
    "plan_import",
    "release_notes",
    "report",
    "review",
    "serve_site",
    "set_fields",
    "show",
    "trace",
    "write_schema",
]


def __getattr__(name: str) -> Any:
    import importlib

    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'reqkit.api' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
