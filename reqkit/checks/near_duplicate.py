"""RK320: the declaration of the near-duplicate warning `check --base` gives.

The similarity lives in `reqkit.reports.duplicates` (it needs the whole tree and the base
ref's IDs, and serves `report` too); the code is declared here so that configs may set its
severity and its page is generated with the other rules.
"""

from __future__ import annotations

from reqkit.checks.registry import declare
from reqkit.diagnostics import Severity

declare(
    "RK320",
    "near-duplicate",
    """## What it does
    With `reqkit check --base REF`, warns when a requirement that this change adds (its ID
    is not at the merge-base with `REF`) closely matches a requirement that existed before:
    the similarity of their titles and descriptions (character n-grams, Chinese and
    English alike) reaches `near_duplicate` under `[report]` in the config (default 0.6).

    ## Why is this bad?
    The same customer request, captured twice through two channels, gets analysed,
    reviewed and built twice, and the two copies drift apart. The seed process asks for one
    entry point; this warning is the moment to merge them.

    ## Example
    ```yaml
    # reqs/202405-001.yaml exists: "Batch export on the report page"
    id: 202405-014
    title: Batch export on the reports page
    description: Customers want to export the selected reports in one step.
    ```
    Use instead:
    ```yaml
    id: 202405-014
    title: Batch export on the reports page
    description: Customers want to export the selected reports in one step.
    links:
      duplicates: [202405-001]  # acknowledged: the warning stops
    ```
    """,
    severity=Severity.WARNING,
    group="history",
    scope="base",
)
