"""reqkit: requirements management in a Git repository.

    >>> import reqkit
    >>> reqs = reqkit.load(".")            # every requirement file, with positions
    >>> result = reqkit.check()            # every problem, as Diagnostic values

Names are imported on first use, so `reqkit --version` and plain `import reqkit` stay
fast (the start-up budget is 0.15 s).
"""

from typing import TYPE_CHECKING

from reqkit._version import __version__

if TYPE_CHECKING:
    from typing import Any

    from reqkit.api import SchemaResult, check, history, init, load, write_schema
    from reqkit.api.authoring import (
        FmtResult,
        NewResult,
        SetResult,
        fmt,
        new_requirement,
        set_fields,
    )
    from reqkit.api.changes import codeowners, diff, release_notes, review, show
    from reqkit.api.interchange import ImportResult, export, import_file, plan_import
    from reqkit.api.publishing import build_site
    from reqkit.api.reporting import Report, report
    from reqkit.api.tracing import trace
    from reqkit.config import Config, load_config
    from reqkit.diagnostics import CheckResult, Diagnostic, Severity, Summary
    from reqkit.edit.scaffold import InitResult
    from reqkit.errors import ConfigError, ReqkitError, RootNotFoundError, UsageError
    from reqkit.model.reqset import Entry, RequirementSet
    from reqkit.tracing.coverage import TraceMatrix

#: Public names that live outside `reqkit.api`; every other name of `__all__` is one of
#: `reqkit.api`'s, which keeps its own name -> module map (one map per name, not two).
_ELSEWHERE = {
    "CheckResult": "reqkit.diagnostics",
    "Config": "reqkit.config",
    "ConfigError": "reqkit.errors",
    "Diagnostic": "reqkit.diagnostics",
    "Entry": "reqkit.model.reqset",
    "InitResult": "reqkit.edit.scaffold",
    "ReqkitError": "reqkit.errors",
    "RequirementSet": "reqkit.model.reqset",
    "RootNotFoundError": "reqkit.errors",
    "Severity": "reqkit.diagnostics",
    "Summary": "reqkit.diagnostics",
    "TraceMatrix": "reqkit.tracing.coverage",
    "UsageError": "reqkit.errors",
    "load_config": "reqkit.config",
}

__all__ = [
    "CheckResult",
    "Config",
    "ConfigError",
    "Diagnostic",
    "Entry",
    "FmtResult",
    "ImportResult",
    "InitResult",
    "NewResult",
    "Report",
    "ReqkitError",
    "RequirementSet",
    "RootNotFoundError",
    "SchemaResult",
    "SetResult",
    "Severity",
    "Summary",
    "TraceMatrix",
    "UsageError",
    "__version__",
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
    "load_config",
    "new_requirement",
    "plan_import",
    "release_notes",
    "report",
    "review",
    "set_fields",
    "show",
    "trace",
    "write_schema",
]


def __getattr__(name: str) -> "Any":
    import importlib

    if name in _ELSEWHERE:
        module = _ELSEWHERE[name]
    elif name in __all__ and name != "__version__":
        module = "reqkit.api"
    else:
        raise AttributeError(f"module 'reqkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__} - {"TYPE_CHECKING"})
