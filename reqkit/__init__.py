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

    from reqkit.api import SchemaResult, check, init, load, write_schema
    from reqkit.config import Config, load_config
    from reqkit.diagnostics import CheckResult, Diagnostic, Severity, Summary
    from reqkit.edit.scaffold import InitResult
    from reqkit.errors import ConfigError, ReqkitError, RootNotFoundError, UsageError
    from reqkit.model.reqset import Entry, RequirementSet

_EXPORTS = {
    "CheckResult": "reqkit.diagnostics",
    "Config": "reqkit.config",
    "ConfigError": "reqkit.errors",
    "Diagnostic": "reqkit.diagnostics",
    "Entry": "reqkit.model.reqset",
    "InitResult": "reqkit.edit.scaffold",
    "ReqkitError": "reqkit.errors",
    "RequirementSet": "reqkit.model.reqset",
    "RootNotFoundError": "reqkit.errors",
    "SchemaResult": "reqkit.api",
    "Severity": "reqkit.diagnostics",
    "Summary": "reqkit.diagnostics",
    "UsageError": "reqkit.errors",
    "check": "reqkit.api",
    "init": "reqkit.api",
    "load": "reqkit.api",
    "load_config": "reqkit.config",
    "write_schema": "reqkit.api",
}

__all__ = [
    "CheckResult",
    "Config",
    "ConfigError",
    "Diagnostic",
    "Entry",
    "InitResult",
    "ReqkitError",
    "RequirementSet",
    "RootNotFoundError",
    "SchemaResult",
    "Severity",
    "Summary",
    "UsageError",
    "__version__",
    "check",
    "init",
    "load",
    "load_config",
    "write_schema",
]


def __getattr__(name: str) -> "Any":
    import importlib

    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'reqkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS} - {"TYPE_CHECKING"})
