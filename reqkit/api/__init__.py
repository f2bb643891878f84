"""The Python API the CLI is a thin layer over. Returns data; never prints or exits.

One module per capability; module names differ from the function names on purpose
(importing `reqkit.api.check` as a module would shadow the `check` function).
"""

from reqkit.api.checking import check
from reqkit.api.project import SchemaResult, init, load, write_schema

__all__ = ["SchemaResult", "check", "init", "load", "write_schema"]
