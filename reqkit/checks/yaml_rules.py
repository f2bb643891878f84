"""RK0xx: problems found while reading a file. The loader emits them; always errors."""

from __future__ import annotations

from reqkit.checks.registry import declare

declare(
    "RK001",
    "yaml-syntax-error",
    """
## What it does
Reports a file that is not valid YAML, at the line and column where the parser stopped.

## Why is this bad?
Nothing in the file can be read, so the requirement drops out of every report and link.

## Example
```yaml
tags: [export, reports
```
Use instead:
```yaml
tags: [export, reports]
```
""",
    group="yaml",
    configurable=False,
)

declare(
    "RK002",
    "tab-indentation",
    """
## What it does
Reports a tab character used where YAML allows only spaces (indentation).

## Why is this bad?
YAML forbids tabs for indentation; editors show them at different widths, so the
structure you see is not the structure the parser reads. Tabs inside text are fine.

## Example
```yaml
acceptance:
<TAB>- Given a report, when I export it, then a file downloads.
```
Use instead:
```yaml
acceptance:
  - Given a report, when I export it, then a file downloads.
```
""",
    group="yaml",
    configurable=False,
)

declare(
    "RK003",
    "duplicate-key",
    """
## What it does
Reports a key that appears twice in one mapping, at its second occurrence.

## Why is this bad?
Plain YAML loaders silently keep the last value, so one of the two edits is lost
without anyone noticing, often after a merge.

## Example
```yaml
status: review
status: development
```
Use instead:
```yaml
status: development
```
""",
    group="yaml",
    configurable=False,
)

declare(
    "RK004",
    "unsafe-tag",
    """
## What it does
Reports an explicit YAML tag other than the plain standard ones (`!!str`, `!!int`, ...),
such as `!!python/object`.

## Why is this bad?
Tags ask a loader to build objects; unsafe loaders execute code for them. reqkit
reads with a safe loader only and refuses the file instead of guessing.

## Example
```yaml
title: !!python/object/apply:os.system ["rm -rf /"]
```
Use instead:
```yaml
title: Batch export on the report page
```
""",
    group="yaml",
    configurable=False,
)

declare(
    "RK005",
    "anchor-or-alias",
    """
## What it does
Reports YAML anchors (`&name`), aliases (`*name`) and merge keys (`<<`).

## Why is this bad?
Requirements never need them, reviewers miss what an alias pulls in, and a 288-byte
alias bomb expands to hundreds of megabytes the moment anything serialises it.

## Example
```yaml
acceptance: &common
  - The export finishes within 2 s.
rationale: *common
```
Use instead:
```yaml
acceptance:
  - The export finishes within 2 s.
```
""",
    group="yaml",
    configurable=False,
)

declare(
    "RK006",
    "not-utf8-text",
    """
## What it does
Reports a file that is binary or not encoded as UTF-8, at the line of the first bad byte.

## Why is this bad?
Requirement files are text for humans and for Git diffs; other encodings garble
Chinese text between machines. A UTF-8 BOM and CRLF line ends are fine.

## Example
A file saved as GBK or UTF-16 by an old editor.

Use instead:
The same text saved as UTF-8.
""",
    group="yaml",
    configurable=False,
)

declare(
    "RK007",
    "empty-file",
    """
## What it does
Reports a requirement file with no content (or only comments).

## Why is this bad?
An empty file reserves an ID without saying anything; it is usually a mistake.

## Example
```yaml
# TODO
```
Use instead:
```yaml
id: 202405-001
title: Batch export on the report page
type: functional
status: analysis
description: Customers want to export several reports at once.
```
""",
    group="yaml",
    configurable=False,
)

declare(
    "RK008",
    "top-level-not-mapping",
    """
## What it does
Reports a file whose top level is a list or a single value instead of a mapping of fields.

## Why is this bad?
A requirement is a set of named fields; anything else cannot be read as one.

## Example
```yaml
- id: 202405-001
- title: Batch export
```
Use instead:
```yaml
id: 202405-001
title: Batch export
```
""",
    group="yaml",
    configurable=False,
)

declare(
    "RK009",
    "file-too-large",
    """
## What it does
Reports a requirement file larger than `max_file_size` (default 1 MiB); it is not parsed.

## Why is this bad?
A requirement is a page of text. A huge file is usually generated data committed by
mistake, and parsing it would make every check slow.

## Example
A 40 MB log pasted into `description`.

Use instead:
Link to the data instead of pasting it, or raise `max_file_size` in the config.
""",
    group="yaml",
    configurable=False,
)

declare(
    "RK010",
    "symlink-outside-repository",
    """
## What it does
Reports a symbolic link under the requirements folder that points outside the repository.
It is never followed.

## Why is this bad?
A link out of the repository makes the checked content depend on the machine, and a
hostile link could make reqkit read or publish files it should not.

## Example
```
reqs/secret.yaml -> /etc/passwd
```
Use instead:
Keep requirement files inside the repository.
""",
    group="yaml",
    configurable=False,
)

declare(
    "RK011",
    "multiple-documents",
    """
## What it does
Reports a second YAML document (`---`) in a requirement file.

## Why is this bad?
One file holds one requirement; a second document would be silently ignored.

## Example
```yaml
id: 202405-001
---
id: 202405-002
```
Use instead:
Two files, `202405-001.yaml` and `202405-002.yaml`.
""",
    group="yaml",
    configurable=False,
)
