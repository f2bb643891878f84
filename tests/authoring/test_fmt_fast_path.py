"""`fmt` skips ruamel for files that are already canonical: the shortcut must never lie."""

from __future__ import annotations

import pytest

from reqkit.edit.roundtrip import format_text
from reqkit.edit.shape import looks_canonical

MODELINE = "# yaml-language-server: $schema=../schema/requirement.schema.json"
CANONICAL = f"""{MODELINE}
id: REQ-001
title: Export
type: functional
status: analysis
source:
  channel: phone
  detail: A
description: |
  Note: this looks like a key.
  - and this like an item
acceptance:
  - Given A, when B, then C.
  - |
    Given a multi-line
    criterion.
links:
  parent: [REQ-002]
tags: [a, b]
"""
VARIANTS = {
    "canonical": CANONICAL,
    "keys out of order": CANONICAL.replace(
        "type: functional\nstatus: analysis", "status: analysis\ntype: functional"
    ),
    "nested out of order": CANONICAL.replace(
        "  channel: phone\n  detail: A", "  detail: A\n  channel: phone"
    ),
    "four-space nesting": CANONICAL.replace(
        "  channel: phone\n  detail: A", "    channel: phone\n    detail: A"
    ),
    "indentless list": CANONICAL.replace(
        "  - Given A, when B, then C.", "- Given A, when B, then C."
    ),
    "no modeline": CANONICAL.split("\n", 1)[1],
    "wrong modeline": CANONICAL.replace("../schema", "../../schema"),
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_a_file_judged_canonical_is_one_format_leaves_alone(name: str) -> None:
    text = VARIANTS[name]
    formatted = format_text(text, modeline=MODELINE)
    if looks_canonical(text, modeline=MODELINE):
        assert formatted == text
    assert looks_canonical(text, modeline=MODELINE) == (name == "canonical")
    assert looks_canonical(formatted, modeline=MODELINE) or formatted != text
