"""reqkit: requirements management in a Git repository.

>>> import reqkit
>>> reqs = reqkit.load(".")            # every requirement file, with positions
>>> result = reqkit.check()            # every problem, as Diagnostic values
"""

from reqkit._version import __version__
from reqkit.api import SchemaResult, check, load, write_schema
from reqkit.config import Config, load_config
from reqkit.diagnostics import CheckResult, Diagnostic, Severity, Summary
from reqkit.errors import ConfigError, ReqkitError, RootNotFoundError, UsageError
from reqkit.model.reqset import Entry, RequirementSet

__all__ = [
    "CheckResult",
    "Config",
    "ConfigError",
    "Diagnostic",
    "Entry",
    "ReqkitError",
    "RequirementSet",
    "RootNotFoundError",
    "SchemaResult",
    "Severity",
    "Summary",
    "UsageError",
    "__version__",
    "check",
    "load",
    "load_config",
    "write_schema",
]
