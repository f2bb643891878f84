"""RK70x: coverage findings of `check --tests/--code` and `trace --strict`.

Declarations only: the findings need test results and source files, which `check`
reads only when asked, so they are produced in `reqkit.tracing.coverage`. Declaring the
codes here puts them in the registry: a config may set their severity, and each gets
its page under docs/rules/.
"""

from __future__ import annotations

from reqkit.checks.registry import declare

declare(
    "RK701",
    "coverage-rule-not-met",
    """
    ## What it does
    Reports a requirement that a coverage rule of the project applies to and that does
    not meet it: it has no test (`require = "traced"`), not every one of its tests ran
    and passed in the given results (`require = "verified"`), or no source file names
    it in an `Implements:` comment (`require = "implemented"`). The message names the
    rule and each test that failed, was skipped or did not run.

    ## Why is this bad?
    A requirement that is released without a passing test is a claim nobody checked.
    The rule is the project's own definition of done; the finding is where it is broken.

    ## Example
    ```toml
    [[coverage.rules]]
    name = "shipped-verified"
    status = ["released", "closed"]
    require = "verified"
    ```
    ```yaml
    id: REQ-012
    status: released
    verified_by:
      - tests/test_export.py::test_batch_export   # failed in the JUnit results
    ```
    Use instead:
    ```yaml
    id: REQ-012
    status: released
    verified_by:
      - tests/test_export.py::test_batch_export   # fixed: it passes
    ```
    """,
    group="coverage",
    scope="set",
)

declare(
    "RK702",
    "test-names-unknown-requirement",
    """
    ## What it does
    Reports a test result whose `requirement` property (written by the pytest marker
    `@pytest.mark.req("ID")`, or by any JUnit reporter) names an ID that no requirement
    in this repository has. The location is the `<testcase>` in the JUnit file.

    ## Why is this bad?
    The test verifies nothing reqkit knows about: usually a typo or a requirement that
    was renamed, and the requirement it meant is counted as untested.

    ## Example
    ```python
    @pytest.mark.req("REQ-0012")  # the requirement is REQ-012
    def test_batch_export(): ...
    ```
    Use instead:
    ```python
    @pytest.mark.req("REQ-012")
    def test_batch_export(): ...
    ```
    """,
    group="coverage",
    scope="set",
)

declare(
    "RK703",
    "code-names-unknown-requirement",
    """
    ## What it does
    Reports an `Implements:` comment (keyword or pattern set under `[trace]`) in a file
    Git tracks that names an ID no requirement in this repository has.

    ## Why is this bad?
    The code claims to implement something that does not exist: a typo, or a
    requirement that was renamed or removed, which leaves the matrix wrong.

    ## Example
    ```python
    # Implements: REQ-0012
    def export_batch(): ...
    ```
    Use instead:
    ```python
    # Implements: REQ-012
    def export_batch(): ...
    ```
    """,
    group="coverage",
    scope="set",
)

declare(
    "RK704",
    "coverage-below-minimum",
    """
    ## What it does
    Reports that the share of traced requirements (with at least one test) or of
    verified requirements (all tests ran and passed) is below `min_traced` or
    `min_verified` under `[coverage]`. The location is the config file.

    ## Why is this bad?
    A minimum keeps the overall coverage from sliding one untested requirement at a
    time, where no single pull request looks like the one that broke it.

    ## Example
    ```toml
    [coverage]
    min_verified = 90   # 84.2 % of the requirements are verified
    ```
    Use instead:
    ```toml
    [coverage]
    min_verified = 90   # add the missing tests until 90 % or more are verified
    ```
    """,
    group="coverage",
    scope="set",
)
