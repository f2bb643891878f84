"""ID patterns: matching, minimum widths that grow, allocation format."""

from __future__ import annotations

import pytest

from reqkit.ids import IdPattern


@pytest.mark.parametrize(
    ("pattern", "good", "bad"),
    [
        (
            "{yyyy}{mm}-{seq:03}",
            ["202405-001", "202412-1234"],
            ["202413-001", "202405-01", "x202405-001"],
        ),
        ("REQ-{seq:04}", ["REQ-0001", "REQ-12345"], ["REQ-001", "req-0001", "REQ-0001x"]),
        ("RK{seq:03}", ["RK001"], ["RK-001", "RK01"]),
    ],
)
def test_patterns_match_exactly(pattern: str, good: list[str], bad: list[str]) -> None:
    p = IdPattern(pattern)
    assert all(p.matches(i) for i in good)
    assert not any(p.matches(i) for i in bad)


def test_format_uses_minimum_width_that_grows() -> None:
    assert IdPattern("{yyyy}{mm}-{seq:03}").format(year=2024, month=5, seq=7) == "202405-007"
    assert IdPattern("REQ-{seq:04}").format(year=2024, month=5, seq=12345) == "REQ-12345"
    assert IdPattern("{yy}{mm}.{seq}").format(year=2024, month=11, seq=3) == "2411.3"


@pytest.mark.parametrize("pattern", ["REQ-0001", "REQ/{seq:03}", "{seq}{seq}", "{foo}-{seq}"])
def test_bad_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(ValueError):
        IdPattern(pattern)
