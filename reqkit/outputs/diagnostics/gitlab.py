"""GitLab Code Quality report: a JSON list GitLab shows in the merge request.

Use it as `artifacts: reports: codequality:` in `.gitlab-ci.yml`. Each finding has a
fingerprint that ignores its line, so GitLab matches a problem across commits that move
it; identical findings in one file are told apart by their order.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from reqkit.diagnostics import CheckResult, Severity

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor"}


def render(result: CheckResult) -> str:
    seen: Counter[tuple[str, str, str]] = Counter()
    issues = []
    for d in result.diagnostics:
        key = (d.path, d.code, d.message)
        seen[key] += 1
        blob = "\0".join([*key, str(seen[key])]).encode()
        issues.append(
            {
                "description": f"{d.code} {d.message}",
                "check_name": d.code,
                "fingerprint": hashlib.sha256(blob).hexdigest()[:32],
                "severity": _SEVERITY[d.severity],
                "location": {"path": d.path, "lines": {"begin": d.line}},
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
