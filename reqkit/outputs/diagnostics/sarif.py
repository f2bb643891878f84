"""SARIF 2.1.0, one run, every rule listed with its help, for code scanning upload."""

from __future__ import annotations

import json
from urllib.parse import quote

from reqkit._version import __version__
from reqkit.checks.registry import load_all
from reqkit.diagnostics import CheckResult

DOCS = "https://github.com/reqkit/reqkit/blob/main/docs/rules"


def render(result: CheckResult) -> str:
    rules = sorted(load_all().values(), key=lambda r: r.code)
    index = {r.code: i for i, r in enumerate(rules)}
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "reqkit",
                        "version": __version__,
                        "informationUri": "https://github.com/reqkit/reqkit",
                        "rules": [
                            {
                                "id": r.code,
                                "name": r.name,
                                "shortDescription": {"text": r.summary},
                                "fullDescription": {
                                    "text": r.section("Why is this bad?") or r.summary
                                },
                                "help": {"text": r.doc, "markdown": r.doc},
                                "helpUri": f"{DOCS}/{r.code}.md",
                                "defaultConfiguration": {"level": r.severity.value},
                            }
                            for r in rules
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [
                    {
                        "ruleId": d.code,
                        "ruleIndex": index.get(d.code, -1),
                        "level": d.severity.value,
                        "message": {"text": d.message},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": quote(d.path, safe="/")},
                                    "region": {"startLine": d.line, "startColumn": d.column},
                                }
                            }
                        ],
                        **({"properties": {"requirement": d.requirement}} if d.requirement else {}),
                    }
                    for d in result.diagnostics
                ],
            }
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
