"""The Python API the CLI is a thin layer over. Returns data; never prints or exits.

One module per capability; module names differ from the function names on purpose
(importing `reqkit.api.check` as a module would shadow the `check` function).
"""

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
