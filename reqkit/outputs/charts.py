"""SVG charts from report data: a status donut, cumulative flow, lead times, throughput.

Written as text from a few templates, so no browser or plotting library is needed and the
same data always gives the same bytes (the published site's diff stays clean): numbers
are printed with fixed decimals, series keep their given order, and every label is
escaped. Each chart is a standalone `<svg>` element with a `<title>` for screen readers,
usable inline in HTML or saved as a `.svg` file.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

__all__ = ["PALETTE", "bars", "cumulative_flow", "donut", "histogram"]

#: Colour-blind-safe (Okabe–Ito), then greys; series take them in order.
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9",
    "#D55E00", "#F0E442", "#000000", "#999999", "#666666",
)  # fmt: skip
_FONT = 'font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="12"'


def _n(x: float) -> str:
    """A coordinate with two decimals at most, never `-0`."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _open(width: int, height: int, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" {_FONT}>',
        f"<title>{escape(title)}</title>",
        f'<text x="8" y="18" font-weight="bold">{escape(title)}</text>',
    ]


def _empty(width: int, height: int, title: str) -> str:
    parts = _open(width, height, title)
    parts.append(
        f'<text x="{width // 2}" y="{height // 2}" text-anchor="middle" fill="#666">no data</text>'
    )
    return "\n".join([*parts, "</svg>"]) + "\n"


def _legend(labels: Sequence[str], x: float, y: float) -> list[str]:
    out = []
    for k, label in enumerate(labels):
        top = y + 18 * k
        out.append(
            f'<rect x="{_n(x)}" y="{_n(top)}" width="12" height="12" fill="{PALETTE[k % len(PALETTE)]}"/>'
        )
        out.append(f'<text x="{_n(x + 18)}" y="{_n(top + 10)}">{escape(label)}</text>')
    return out


def donut(values: Mapping[str, int], *, title: str = "Requirements by status") -> str:
    """A ring with one arc per value (in the given order), the total in the middle."""
    width, height = 420, 240
    total = sum(v for v in values.values() if v > 0)
    if not total:
        return _empty(width, height, title)
    cx, cy, r, hole = 120.0, 130.0, 90.0, 55.0
    parts = _open(width, height, title)
    start = -math.pi / 2
    labels = []
    for k, (label, value) in enumerate(values.items()):
        if value <= 0:
            continue
        colour = PALETTE[k % len(PALETTE)]
        labels.append(f"{label} ({value})")
        if value == total:
            parts.append(
                f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n((r + hole) / 2)}" fill="none" '
                f'stroke="{colour}" stroke-width="{_n(r - hole)}"/>'
            )
            break
        end = start + 2 * math.pi * value / total
        large = 1 if end - start > math.pi else 0
        x1, y1 = cx + r * math.cos(start), cy + r * math.sin(start)
        x2, y2 = cx + r * math.cos(end), cy + r * math.sin(end)
        x3, y3 = cx + hole * math.cos(end), cy + hole * math.sin(end)
        x4, y4 = cx + hole * math.cos(start), cy + hole * math.sin(start)
        parts.append(
            f'<path d="M{_n(x1)} {_n(y1)}A{_n(r)} {_n(r)} 0 {large} 1 {_n(x2)} {_n(y2)}'
            f'L{_n(x3)} {_n(y3)}A{_n(hole)} {_n(hole)} 0 {large} 0 {_n(x4)} {_n(y4)}Z" '
            f'fill="{colour}"><title>{escape(label)}: {value}</title></path>'
        )
        start = end
    parts.append(
        f'<text x="{_n(cx)}" y="{_n(cy + 5)}" text-anchor="middle" font-size="18">{total}</text>'
    )
    coloured = [k for k, v in enumerate(values.values()) if v > 0]
    for row, (k, label) in enumerate(zip(coloured, labels, strict=True)):
        top = 40 + 18 * row
        parts.append(
            f'<rect x="240" y="{top}" width="12" height="12" fill="{PALETTE[k % len(PALETTE)]}"/>'
        )
        parts.append(f'<text x="258" y="{top + 10}">{escape(label)}</text>')
    return "\n".join([*parts, "</svg>"]) + "\n"


def _axes(left: float, top: float, w: float, h: float, peak: int) -> list[str]:
    out = [
        f'<line x1="{_n(left)}" y1="{_n(top + h)}" x2="{_n(left + w)}" y2="{_n(top + h)}" stroke="#333"/>',
        f'<line x1="{_n(left)}" y1="{_n(top)}" x2="{_n(left)}" y2="{_n(top + h)}" stroke="#333"/>',
        f'<text x="{_n(left - 6)}" y="{_n(top + 4)}" text-anchor="end">{peak}</text>',
        f'<text x="{_n(left - 6)}" y="{_n(top + h + 4)}" text-anchor="end">0</text>',
    ]
    return out


def _x_labels(labels: Sequence[str], left: float, top: float, w: float) -> list[str]:
    """The first, middle and last labels under the x axis (enough to read the time span)."""
    if not labels:
        return []
    picks = sorted({0, (len(labels) - 1) // 2, len(labels) - 1})
    step = w / max(len(labels) - 1, 1)
    out = []
    for k in picks:
        anchor = "start" if k == 0 else "end" if k == len(labels) - 1 else "middle"
        out.append(
            f'<text x="{_n(left + k * step)}" y="{_n(top + 16)}" text-anchor="{anchor}">'
            f"{escape(labels[k])}</text>"
        )
    return out


def cumulative_flow(
    points: Sequence[tuple[str, Mapping[str, int]]],
    states: Sequence[str],
    *,
    title: str = "Cumulative flow",
) -> str:
    """Stacked areas, first state at the bottom; one point per (label, counts per state)."""
    width, height = 640, 300
    if not points or not states:
        return _empty(width, height, title)
    left, top, w, h = 48.0, 32.0, 440.0, 230.0
    totals = [sum(c.get(s, 0) for s in states) for _, c in points]
    peak = max(max(totals), 1)
    step = w / max(len(points) - 1, 1)
    parts = _open(width, height, title)
    parts += _axes(left, top, w, h, peak)
    below = [0] * len(points)
    for k, state in enumerate(states):
        upper = [below[i] + points[i][1].get(state, 0) for i in range(len(points))]
        xs = [left + i * step for i in range(len(points))]
        line = [f"{_n(x)} {_n(top + h - h * u / peak)}" for x, u in zip(xs, upper, strict=True)]
        base = [
            f"{_n(x)} {_n(top + h - h * b / peak)}"
            for x, b in reversed(list(zip(xs, below, strict=True)))
        ]
        if len(points) == 1:  # one point: a bar-wide band
            x0, x1 = left, left + w
            line = [f"{_n(x0)} {line[0].split()[1]}", f"{_n(x1)} {line[0].split()[1]}"]
            base = [f"{_n(x1)} {base[0].split()[1]}", f"{_n(x0)} {base[0].split()[1]}"]
        parts.append(
            f'<polygon points="{" ".join(line + base)}" fill="{PALETTE[k % len(PALETTE)]}" '
            f'fill-opacity="0.85"><title>{escape(state)}</title></polygon>'
        )
        below = upper
    parts += _x_labels([label for label, _ in points], left, top + h, w)
    parts += _legend(list(reversed(states)), left + w + 16, top)
    return "\n".join([*parts, "</svg>"]) + "\n"


def bars(
    series: Sequence[tuple[str, int]], *, title: str = "Throughput", unit: str = "shipped"
) -> str:
    """One bar per (label, value), in the given order."""
    width, height = 640, 260
    if not series:
        return _empty(width, height, title)
    left, top, w, h = 48.0, 32.0, 570.0, 190.0
    peak = max(max(v for _, v in series), 1)
    slot = w / len(series)
    parts = _open(width, height, title)
    parts += _axes(left, top, w, h, peak)
    for k, (label, value) in enumerate(series):
        bh = h * value / peak
        parts.append(
            f'<rect x="{_n(left + k * slot + slot * 0.1)}" y="{_n(top + h - bh)}" '
            f'width="{_n(slot * 0.8)}" height="{_n(bh)}" fill="{PALETTE[0]}">'
            f"<title>{escape(label)}: {value} {escape(unit)}</title></rect>"
        )
    parts += _x_labels([label for label, _ in series], left + slot / 2, top + h, w - slot)
    return "\n".join([*parts, "</svg>"]) + "\n"


def histogram(
    days: Sequence[float], *, title: str = "Lead time distribution (days)", bins: int = 12
) -> str:
    """Counts of durations in equal-width bins from 0 to the largest (whole days)."""
    if not days:
        return _empty(640, 260, title)
    top_day = max(math.ceil(max(days)), 1)
    width = max(math.ceil(top_day / bins), 1)
    counts = [0] * (math.ceil(top_day / width) or 1)
    for d in days:
        counts[min(int(d // width), len(counts) - 1)] += 1
    labels = [f"{k * width}–{(k + 1) * width} d" for k in range(len(counts))]
    return bars(list(zip(labels, counts, strict=True)), title=title, unit="requirements")
