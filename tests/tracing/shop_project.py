"""A small shop project with requirements, a real pytest suite and code, built once."""

from __future__ import annotations

import subprocess
from pathlib import Path

REQS = {
    "REQ-001": (
        "released",
        "must",
        "functional",
        "",
        ["tests/test_shop.py::test_ok", "tests/test_shop.py::TestCart::test_add"],
    ),
    "REQ-002": ("released", "must", "functional", "", ["tests/test_shop.py::test_param"]),
    "REQ-003": ("testing", "should", "experience", "", []),
    "REQ-004": ("released", "must", "functional", "", ["tests/test_shop.py::test_renamed_away"]),
    "REQ-005": ("development", "should", "functional", "REQ-001", []),
    "REQ-006": (
        "released",
        "could",
        "functional",
        "",
        ["com.example.shop.CartTest.addsAnItem", "Cart adds an item"],
    ),
    "REQ-007": ("testing", "must", "bug", "", ["example.com/shop/cart.TestCoupon"]),
}

TESTS = """\
import pytest


def test_ok():
    pass


class TestCart:
    def test_add(self):
        pass


@pytest.mark.parametrize("n", [1, 2])
def test_param(n):
    assert n == 1, "two is not one"


@pytest.mark.req("REQ-003")
def test_marked():
    pass


@pytest.mark.req("REQ-999")
def test_typo():
    pass
"""

CODE = """\
# Implements: REQ-001
def add(cart, item):
    cart.append(item)  # Implements: REQ-404
"""


def requirement(
    rid: str, status: str, priority: str, kind: str, parent: str, tests: list[str]
) -> str:
    text = (
        f"id: {rid}\ntitle: Shop feature {rid[-1]} <script>alert(1)</script>\ntype: {kind}\n"
        f"status: {status}\npriority: {priority}\n"
        "description: When a customer pays, the shop shall send a receipt.\n"
        "acceptance: [A receipt is sent.]\n"
    )
    if parent:
        text += f"links:\n  parent: [{parent}]\n"
    if tests:
        text += "verified_by:\n" + "".join(f"  - {t}\n" for t in tests)
    return text


def files() -> dict[str, str]:
    out = {f"reqs/{rid}.yaml": requirement(rid, *spec) for rid, spec in REQS.items()}
    out["tests/test_shop.py"] = TESTS
    out["src/shop.py"] = CODE
    return out


def commit_all(repo: Path, date: str = "2024-05-06T10:00:00+00:00") -> None:
    env = {
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
    }
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", "shop"], cwd=repo, check=True, env=env)
