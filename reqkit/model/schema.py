"""JSON Schema (draft-07, what editors understand) generated from the pydantic model."""

from __future__ import annotations

import copy
import json
from typing import Any

from reqkit.config import Config
from reqkit.model.requirement import Requirement

__all__ = ["SCHEMA_PATH", "requirement_schema", "schema_text"]

SCHEMA_PATH = "schema/requirement.schema.json"


def _draft07(node: Any) -> Any:
    """Rewrite pydantic's `$defs` references into draft-07 `definitions`."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = value.replace("#/$defs/", "#/definitions/")
            elif key == "$defs":
                out["definitions"] = _draft07(value)
            else:
                out[key] = _draft07(value)
        return out
    if isinstance(node, list):
        return [_draft07(v) for v in node]
    return node


def requirement_schema(config: Config) -> dict[str, Any]:
    """The schema a requirement file must satisfy in this project (states, custom fields)."""
    schema = _draft07(Requirement.model_json_schema(mode="validation"))
    labels = {s.name: s.label_zh for s in config.states}
    schema["properties"]["status"] = {
        "title": "Status",
        "description": "Lifecycle state: " + ", ".join(f"{k} ({v})" for k, v in labels.items()),
        "type": "string",
        "enum": list(labels),
    }
    for name, fragment in config.fields.items():
        schema["properties"][name] = copy.deepcopy(fragment)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://reqkit.dev/schema/requirement.schema.json",
        **{k: v for k, v in schema.items() if k not in ("$schema",)},
        "description": "One requirement managed with reqkit (generated from the model; do not edit).",
    }


def schema_text(config: Config) -> str:
    return json.dumps(requirement_schema(config), ensure_ascii=False, indent=2) + "\n"
