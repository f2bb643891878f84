"""RK1xx: a requirement against the model (and the project's custom fields and states).

One producer validates with the pydantic model and explains each refusal; the codes it
emits are declared here with their own docs.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from reqkit.checks.context import CheckContext, did_you_mean
from reqkit.checks.registry import declare, rule
from reqkit.diagnostics import Diagnostic
from reqkit.loader.files import dates_as_text

if TYPE_CHECKING:
    from reqkit.model.reqset import Entry

__all__ = ["schema_problems"]


@rule("RK101", "missing-required-field", group="schema", scope="requirement")
def schema_problems(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Reports a required field that is missing: `id`, `title`, `type`, `status` and
    `description` at the top level. Located at the mapping that lacks it.

    ## Why is this bad?
    Without them a requirement cannot be listed, routed or reviewed.

    ## Example
    ```yaml
    id: 202405-001
    title: Batch export on the report page
    type: functional
    ```
    Use instead:
    ```yaml
    id: 202405-001
    title: Batch export on the report page
    type: functional
    status: analysis
    description: Customers want to export several reports at once.
    ```
    """
    data = entry.data
    if data is None:
        return
    declared = ctx.config.fields
    if declared:
        custom = {k: v for k, v in data.items() if k in declared}
        core = {k: v for k, v in data.items() if k not in declared}
    else:  # no custom fields (the usual case): no copies, once per file
        custom, core = {}, data
    yield from _model_problems(entry, ctx, core)
    yield from _custom_problems(entry, ctx, custom)
    status = data.get("status")
    if isinstance(status, str) and status and status not in ctx.config.state_names:
        yield ctx.at(
            entry,
            ("status",),
            "RK110",
            f"unknown status '{status}'{did_you_mean(status, ctx.config.state_names)}"
            f" (states: {', '.join(ctx.config.state_names)})",
        )


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[str | int, ...]:
    """Drop pydantic's union-member tags from an error location, keeping real keys."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and not path_is_tag(part):
            path.append(part)  # a missing or unknown key
            node = None
    return tuple(path)


def path_is_tag(part: str) -> bool:
    return "[" in part or part in ("str", "list", "int", "date", "datetime", "function-plain")


def _yaml_word(entry: Entry, path: tuple[str | int, ...], value: Any) -> str:
    raw = entry.positions().raw(path)
    return raw if raw is not None else str(value)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return f"'{value}'"


def _choices(err: dict[str, Any]) -> list[str]:
    expected = str(err.get("ctx", {}).get("expected", ""))
    return [c.strip(" '") for c in expected.replace(" or ", ", ").split(",") if c.strip(" '")]


def _explain(
    entry: Entry, ctx: CheckContext, err: dict[str, Any], path: tuple[str | int, ...]
) -> Diagnostic:
    kind, value = err["type"], err.get("input")
    name = ".".join(str(p) for p in path) or "requirement"
    field = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
    if kind == "missing":
        parent = path[:-1]
        if not parent:
            return ctx.make(entry, 1, 1, "RK101", f"missing required field '{field}'")
        return ctx.at(entry, parent, "RK101", f"missing required field '{name}'", on="key")
    if kind == "extra_forbidden":
        known = _known_fields(path[:-1])
        return ctx.at(
            entry, path, "RK104", f"unknown field '{field}'{did_you_mean(field, known)}", on="key"
        )
    if isinstance(value, bool) and kind in ("string_type", "literal_error"):
        word = _yaml_word(entry, path, value)
        return ctx.at(
            entry,
            path,
            "RK105",
            f"{name}: YAML reads `{word}` as the boolean {str(value).lower()}, not text;"
            f' write {name.split(".")[-1]}: "{word}" if you mean the word',
        )
    if isinstance(value, int | float) and kind in (
        "string_type",
        "literal_error",
        "string_too_short",
    ):
        word = _yaml_word(entry, path, value)
        return ctx.at(
            entry,
            path,
            "RK106",
            f"{name}: YAML reads `{word}` as the number {value!r}, not text;"
            f' quote it: {field}: "{word}"',
        )
    if isinstance(value, dt.date) and kind in ("string_type", "literal_error"):
        word = _yaml_word(entry, path, value)
        return ctx.at(
            entry,
            path,
            "RK107",
            f'{name}: YAML reads `{word}` as a date, not text; quote it: {field}: "{word}"',
        )
    if kind == "literal_error":
        choices = _choices(err)
        hint = did_you_mean(str(value), choices) if isinstance(value, str) else ""
        return ctx.at(
            entry,
            path,
            "RK103",
            f"{name}: {_describe(value)} is not allowed{hint} (one of: {', '.join(choices)})",
        )
    if kind in ("naive_datetime", "date_format", "date_type"):
        word = _yaml_word(entry, path, value)
        return ctx.at(entry, path, "RK108", f"{name}: {err['msg']}, got '{word}'")
    if kind == "string_pattern_mismatch":
        return ctx.at(
            entry,
            path,
            "RK303",
            f"{name}: '{value}' is not a valid ID (letters, digits, '.', '_' and '-' only)",
        )
    if kind == "string_too_short" or (kind == "string_type" and value is None):
        return ctx.at(entry, path, "RK111", f"{name} is empty")
    if kind == "list_type":
        return ctx.at(entry, path, "RK102", f"{name}: expected a list, got {_describe(value)}")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return ctx.at(
            entry, path, "RK102", f"{name}: expected a mapping of fields, got {_describe(value)}"
        )
    if kind == "string_type":
        return ctx.at(entry, path, "RK102", f"{name}: expected text, got {_describe(value)}")
    return ctx.at(entry, path, "RK102", f"{name}: {err['msg']}")


@functools.cache
def _known_fields(parent: tuple[str | int, ...]) -> tuple[str, ...]:
    from reqkit.model import requirement as m

    model: Any = m.Requirement
    for part in parent:
        annotation = model.model_fields.get(str(part))
        if annotation is None:
            return ()
        model = next(
            (
                a
                for a in getattr(annotation.annotation, "__args__", (annotation.annotation,))
                if hasattr(a, "model_fields")
            ),
            None,
        )
        if model is None:
            return ()
    return tuple(model.model_fields)


def _model_problems(entry: Entry, ctx: CheckContext, core: dict[str, Any]) -> Iterator[Diagnostic]:
    from reqkit.model.quick import surely_valid

    if surely_valid(core):  # the model would say the same: skip importing pydantic
        return
    from pydantic import ValidationError

    from reqkit.model.requirement import Requirement

    try:
        Requirement.model_validate(core)
    except ValidationError as exc:
        errors = [(_data_path(e["loc"], core), dict(e)) for e in exc.errors(include_url=False)]
        errors.sort(key=lambda pe: -len(pe[0]))  # a union's deepest complaint is the precise one
        seen: list[tuple[str | int, ...]] = []
        for path, err in errors:
            if any(done[: len(path)] == path for done in seen):
                continue
            seen.append(path)
            yield _explain(entry, ctx, err, path)


def _custom_problems(
    entry: Entry, ctx: CheckContext, custom: dict[str, Any]
) -> Iterator[Diagnostic]:
    if not custom:
        return
    import jsonschema

    for name, value in custom.items():
        fragment = ctx.config.fields[name]
        validator = jsonschema.Draft7Validator(fragment, format_checker=jsonschema.FormatChecker())
        for error in sorted(
            validator.iter_errors(dates_as_text(value)), key=lambda e: list(e.path)
        ):
            path = (name, *error.path)
            yield ctx.at(entry, path, "RK109", f"{'.'.join(map(str, path))}: {error.message}")


declare(
    "RK102",
    "wrong-type",
    """
## What it does
Reports a field whose value has the wrong shape: a list where text is expected, text
where a list or a mapping is expected.

## Why is this bad?
Every tool that reads the file (reports, the site, exports) expects one shape per field.

## Example
```yaml
tags: reports
```
Use instead:
```yaml
tags: [reports]
```
""",
    group="schema",
)

declare(
    "RK103",
    "invalid-choice",
    """
## What it does
Reports a value outside a field's fixed choices (`type`, `priority`, `urgency`,
`source.channel`, ...), suggesting the nearest valid one.

## Why is this bad?
Reports group and filter by these values; a typo silently drops the requirement from
its group.

## Example
```yaml
type: functionl
```
Use instead:
```yaml
type: functional
```
""",
    group="schema",
)

declare(
    "RK104",
    "unknown-field",
    """
## What it does
Reports a field the format does not define and the project has not declared as a custom
field, suggesting the nearest known field.

## Why is this bad?
A typo like `stauts:` would otherwise leave the real field at its default, unnoticed.

## Example
```yaml
stauts: review
```
Use instead:
```yaml
status: review
```
Or declare a custom field in `reqkit.toml`: `[fields] customer_tier = {type = "string"}`.
""",
    group="schema",
)

declare(
    "RK105",
    "yaml-boolean",
    """
## What it does
Reports a word YAML 1.1 reads as a boolean (`no`, `yes`, `on`, `off`, `true`) where text
or a choice is expected.

## Why is this bad?
`status: no` is stored as `false`: the word you wrote is gone, and nothing else warns.

## Example
```yaml
owner: no
```
Use instead:
```yaml
owner: "no"
```
""",
    group="schema",
)

declare(
    "RK106",
    "number-where-text-expected",
    """
## What it does
Reports a number where text is expected and shows the quoted fix.

## Why is this bad?
YAML reads `release: 1.10` as the number 1.1: once parsed, 1.10 and 1.1 cannot be told
apart, and release 1.10 silently becomes 1.1.

## Example
```yaml
release: 1.10
```
Use instead:
```yaml
release: "1.10"
```
""",
    group="schema",
)

declare(
    "RK107",
    "date-where-text-expected",
    """
## What it does
Reports a date where text is expected, such as a title or release that looks like a date.

## Why is this bad?
YAML turns `2024-05-06` into a date object, and tools then print it in their own format.

## Example
```yaml
release: 2024-05-06
```
Use instead:
```yaml
release: "2024-05-06"
```
""",
    group="schema",
)

declare(
    "RK108",
    "invalid-date",
    """
## What it does
Reports a date field (`created`, `due`, `source.received`, `evaluation.date`) that is not an
ISO date, or a date-time without a time zone.

## Why is this bad?
SLA clocks and reports compute with these dates; `06/05/2024` means different days in
different countries, and a time without a zone is ambiguous by up to a day.

## Example
```yaml
due: 30/06/2024
```
Use instead:
```yaml
due: 2024-06-30
```
""",
    group="schema",
)

declare(
    "RK109",
    "custom-field-invalid",
    """
## What it does
Reports a custom field whose value does not match the JSON Schema fragment the project
declared for it in `[fields]`.

## Why is this bad?
Custom fields are part of the project's contract; a wrong value breaks its reports.

## Example
```toml
[fields]
customer_tier = { type = "string", enum = ["gold", "silver"] }
```
```yaml
customer_tier: bronze
```
Use instead:
```yaml
customer_tier: silver
```
""",
    group="schema",
)

declare(
    "RK110",
    "unknown-status",
    """
## What it does
Reports a `status` that is not one of the project's states, suggesting the nearest one.

## Why is this bad?
The lifecycle, SLA clock and release notes all depend on the status being known.

## Example
```yaml
status: in-review
```
Use instead:
```yaml
status: review
```
""",
    group="schema",
)

declare(
    "RK111",
    "empty-value",
    """
## What it does
Reports a field that is present but empty, such as `title:` with nothing after it.

## Why is this bad?
An empty title or description reads as done in the YAML but says nothing on the site.

## Example
```yaml
title:
```
Use instead:
```yaml
title: Batch export on the report page
```
""",
    group="schema",
)
