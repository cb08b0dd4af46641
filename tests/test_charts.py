"""The state chart: well-formed inline SVG that shows POST climbing and PUT staying flat."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from httplab.display.charts import Lane, state_chart, state_numbers

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def lane_points(root: ET.Element) -> list[list[tuple[float, float]]]:
    lanes = []
    for line in root.iter(f"{SVG}polyline"):
        pairs = [p.split(",") for p in line.attrib["points"].split()]
        lanes.append([(float(x), float(y)) for x, y in pairs])
    return lanes


@pytest.mark.parametrize(
    ("keys", "numbers"),
    [
        pytest.param(["a", "a", "a"], (0, 0, 0), id="flat"),
        pytest.param(["a", "b", "b"], (0, 1, 1), id="step"),
        pytest.param(["a", "b", "c", "d"], (0, 1, 2, 3), id="climb"),
        pytest.param(["a", "b", "a"], (0, 1, 0), id="back-to-start"),
    ],
)
def test_state_numbers_number_states_by_first_appearance(keys, numbers):
    assert state_numbers(keys) == numbers


def test_state_chart_is_well_formed_svg_with_one_line_per_lane():
    root = parse(
        state_chart(
            [
                Lane("POST /lab/items", (0, 1, 2, 3), "kept changing", "neither"),
                Lane("PUT /lab/items/pear", (0, 1, 1, 1), "changed once, then stayed", "idempotent"),
                Lane("GET /lab/items/apple", (0, 0, 0, 0), "flat: nothing changed", "safe"),
            ]
        )
    )
    assert root.tag == f"{SVG}svg" and root.attrib["role"] == "img"
    assert len(lane_points(root)) == 3
    assert len(list(root.iter(f"{SVG}circle"))) == 12


def test_state_chart_post_climbs_put_stays_flat_get_is_flat():
    root = parse(
        state_chart(
            [
                Lane("POST", (0, 1, 2, 3), "climbs", "neither"),
                Lane("PUT", (0, 1, 1, 1), "step", "idempotent"),
                Lane("GET", (0, 0, 0, 0), "flat", "safe"),
            ]
        )
    )
    post, put, get = lane_points(root)
    post_y = [y for _, y in post]
    assert all(later < earlier for earlier, later in zip(post_y, post_y[1:], strict=False))  # SVG y grows downwards
    put_y = [y for _, y in put]
    assert put_y[1] < put_y[0] and put_y[1] == put_y[2] == put_y[3]
    assert len({y for _, y in get}) == 1
    assert [x for x, _ in post] == [x for x, _ in put] == [x for x, _ in get]


def test_state_chart_says_in_words_what_the_lines_show():
    svg = state_chart([Lane("PUT /lab/items/pear", (0, 1, 1), "changed once, then stayed", "idempotent")])
    root = parse(svg)
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "changed once, then stayed" in texts and "ends in state 1" in texts
    desc = root.find(f"{SVG}desc")
    assert desc is not None and "PUT /lab/items/pear: states 0, 1, 1" in (desc.text or "")
    assert root.find(f"{SVG}title") is not None


def test_state_chart_escapes_labels_and_fetches_nothing():
    svg = state_chart([Lane("<script>alert(1)</script> & co", (0, 1), "<b>note</b>", "neither")], title="a<b")
    parse(svg)  # still well-formed XML
    assert "<script" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg
    assert "href=" not in svg and "url(" not in svg
    assert "://" not in svg.replace("xmlns='http://www.w3.org/2000/svg'", "")


def test_state_chart_thins_axis_ticks_for_long_runs():
    root = parse(state_chart([Lane("POST", tuple(range(51)), "climbs", "neither")]))
    ticks = [t.text for t in root.iter(f"{SVG}text") if (t.text or "").isdigit()]
    assert ticks[0] == "0" and 5 <= len(ticks) <= 11
