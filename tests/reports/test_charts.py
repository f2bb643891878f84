"""The SVG charts: well-formed, escaped, deterministic, and drawn to scale."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from reqkit.outputs import charts

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = 'a <b> & "c"'


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_charts_are_deterministic_and_escaped() -> None:
    made = [
        lambda: charts.donut({"analysis": 3, HOSTILE: 1, "released": 0}),
        lambda: charts.cumulative_flow(
            [
                ("2024-01-01", {"analysis": 2, HOSTILE: 1}),
                ("2024-01-02", {"analysis": 1, HOSTILE: 2}),
            ],
            ["analysis", HOSTILE],
        ),
        lambda: charts.histogram([0.5, 1.0, 14.5, 30.0]),
        lambda: charts.bars([("2024-W01", 2), (HOSTILE, 0)], title=HOSTILE),
    ]
    for make in made:
        svg = make()
        assert svg == make()  # same data, same bytes
        root = parse(svg)  # well-formed XML, so every label was escaped
        assert root.tag == f"{NS}svg" and root.find(f"{NS}title") is not None
        assert "<b>" not in svg
        assert re.search(r"\d\.\d{3,}", svg) is None  # coordinates with at most two decimals


def test_donut_arcs_follow_the_values_and_a_single_value_is_a_ring() -> None:
    root = parse(charts.donut({"analysis": 3, "review": 1}))
    arcs = root.findall(f"{NS}path")
    assert [a.find(f"{NS}title").text for a in arcs] == ["analysis: 3", "review: 1"]  # type: ignore[union-attr]
    assert " 0 1 1 " in arcs[0].get("d", "")  # 3/4 of the ring: the large-arc flag is set
    assert " 0 0 1 " in arcs[1].get("d", "")
    single = parse(charts.donut({"analysis": 5}))
    assert single.findall(f"{NS}path") == [] and len(single.findall(f"{NS}circle")) == 1
    assert "no data" in charts.donut({})


def test_bars_and_histogram_are_to_scale() -> None:
    root = parse(charts.bars([("a", 4), ("b", 2), ("c", 0)]))
    heights = [float(r.get("height", "0")) for r in root.findall(f"{NS}rect")]
    assert heights[0] == 2 * heights[1] and heights[2] == 0
    hist = parse(charts.histogram([1, 1, 1, 23.5], bins=12))
    titles = [r.find(f"{NS}title").text for r in hist.findall(f"{NS}rect")]  # type: ignore[union-attr]
    assert titles[0] == "0–2 d: 3 requirements" and titles[-1] == "22–24 d: 1 requirements"


def test_cumulative_flow_stacks_states_in_order() -> None:
    svg = charts.cumulative_flow(
        [("d1", {"analysis": 1, "review": 0}), ("d2", {"analysis": 1, "review": 1})],
        ["analysis", "review"],
    )
    polygons = parse(svg).findall(f"{NS}polygon")
    assert [p.find(f"{NS}title").text for p in polygons] == ["analysis", "review"]  # type: ignore[union-attr]
    # the review band is empty on d1: its top and bottom meet there
    points = polygons[1].get("points", "").split()
    assert points[1] == points[-1]
