"""Draw what repeated requests did to the server's state as inline SVG (no JavaScript, nothing fetched).

Each request gets one lane. Along a lane, call 0 is the state before the first call and
call *k* the state after the *k*-th call. The height is the **state number**: 0 for the
state the run started in, 1 for the first new state the server reached, 2 for the next
new one, and so on; a state seen before keeps its number. So a flat line at 0 means no
call changed anything, a single step followed by a flat line means repeats changed
nothing more, and a staircase means every call left a new state behind.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence
from dataclasses import dataclass

from httplab.display import theme
from httplab.i18n import _

__all__ = ["Lane", "state_chart", "state_numbers"]

_LABEL_W, _NOTE_W, _PLOT_W = 230, 230, 300
_LANE_H, _PAD, _TOP, _AXIS_H = 56, 10, 34, 34


@dataclass(frozen=True)
class Lane:
    """One request's row in a chart.

    Attributes
    ----------
    label
        What was sent, like ``"POST /lab/items"``.
    states
        The state number after each call, with the starting state first (see :func:`state_numbers`).
    note
        A few words drawn at the end of the lane, such as ``"changed once, then stayed"``.
    tone
        ``"safe"`` (flat), ``"idempotent"`` (one step, then flat) or ``"neither"`` (kept changing): picks
        the line's colour only. These are internal names for line shapes, never shown; the note says in
        words what was observed.

    """

    label: str
    states: tuple[int, ...]
    note: str = ""
    tone: str = "neither"


def state_numbers(keys: Sequence[str]) -> tuple[int, ...]:
    """Give each state a number by first appearance: equal states get equal numbers.

    >>> state_numbers(["a", "b", "b", "a", "c"])
    (0, 1, 1, 0, 2)
    """
    seen: dict[str, int] = {}
    return tuple(seen.setdefault(key, len(seen)) for key in keys)


def state_chart(lanes: Sequence[Lane], *, title: str | None = None) -> str:
    """Return an SVG chart with one lane per request; it renders anywhere HTML does.

    Parameters
    ----------
    lanes
        The rows to draw, top to bottom.
    title
        The chart's heading (also its accessible name); "State after each call" in the kit's language by default.

    Examples
    --------
    >>> svg = state_chart([Lane("POST /lab/items", (0, 1, 2, 3), "climbs", "neither")])
    >>> svg.startswith("<svg")
    True

    """
    if title is None:
        title = _("State after each call")
    calls = max((len(lane.states) for lane in lanes), default=1)
    top_state = max((max(lane.states, default=0) for lane in lanes), default=0)
    width = _LABEL_W + _PLOT_W + _NOTE_W
    height = _TOP + _LANE_H * len(lanes) + _AXIS_H
    legend = _("height = state number (0 = as before the first call; a new number for each new state)")
    digest = hashlib.sha256(repr((title, lanes)).encode()).hexdigest()[:10]
    title_id, desc_id = f"httplab-chart-{digest}-title", f"httplab-chart-{digest}-desc"
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' role='img' aria-labelledby='{title_id} {desc_id}' "
        f"width='{width}' height='{height}' viewBox='0 0 {width} {height}' "
        "style='max-width:100%;height:auto;font-family:system-ui,sans-serif;font-size:12px'>",
        f"<title id='{title_id}'>{_esc(title)}</title>",
        f"<desc id='{desc_id}'>{_esc(_describe(lanes))}</desc>",
        f"<text x='4' y='16' font-weight='600' font-size='13'>{_esc(title)}</text>",
        f"<text x='4' y='29' fill='{theme.MUTED}' font-size='11'>"
        f"{_esc(legend)}</text>",
    ]
    for row, lane in enumerate(lanes):
        parts.append(_lane(lane, row, calls, top_state))
    parts.append(_axis(calls, _TOP + _LANE_H * len(lanes)))
    parts.append("</svg>")
    return "".join(parts)


def _x(call: int, calls: int) -> float:
    span = max(calls - 1, 1)
    return _LABEL_W + _PAD + (_PLOT_W - 2 * _PAD) * call / span


def _y(state: int, top_state: int, lane_top: float) -> float:
    usable = _LANE_H - 2 * _PAD
    return lane_top + _LANE_H - _PAD - usable * state / max(top_state, 1)


def _lane(lane: Lane, row: int, calls: int, top_state: int) -> str:
    lane_top = _TOP + _LANE_H * row
    colour = theme.LANE_COLOURS.get(lane.tone, theme.LANE_COLOURS["neither"])
    band = theme.BAND if row % 2 == 0 else theme.CANVAS
    middle = lane_top + _LANE_H / 2
    points = [(_x(i, calls), _y(s, top_state, lane_top)) for i, s in enumerate(lane.states)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    point = _("call {call}: state {state}")
    dots = "".join(
        f"<circle cx='{x:.1f}' cy='{y:.1f}' r='3.5' fill='{colour}'>"
        f"<title>{_esc(point.format(call=i, state=s))}</title></circle>"
        for i, ((x, y), s) in enumerate(zip(points, lane.states, strict=True))
    )
    baseline = _y(0, top_state, lane_top)
    ends = _("ends in state {state}").format(state=lane.states[-1]) if lane.states else ""
    return (
        f"<g><rect x='0' y='{lane_top}' width='{_LABEL_W + _PLOT_W + _NOTE_W}' height='{_LANE_H}' fill='{band}'/>"
        f"<text x='6' y='{middle + 4:.1f}' font-family='ui-monospace,monospace'>{_esc(_clip(lane.label, 30))}</text>"
        f"<line x1='{_LABEL_W + _PAD}' x2='{_LABEL_W + _PLOT_W - _PAD}' y1='{baseline:.1f}' y2='{baseline:.1f}' "
        f"stroke='{theme.BORDER}' stroke-dasharray='3 3'/>"
        f"<polyline points='{path}' fill='none' stroke='{colour}' stroke-width='2.5'/>{dots}"
        f"<text x='{_LABEL_W + _PLOT_W + 4}' y='{middle - 3:.1f}' fill='{colour}' font-weight='600'>"
        f"{_esc(_clip(lane.note, 36))}</text>"
        f"<text x='{_LABEL_W + _PLOT_W + 4}' y='{middle + 12:.1f}' fill='{theme.MUTED}' font-size='11'>"
        f"{_esc(ends)}</text></g>"
    )


def _axis(calls: int, top: float) -> str:
    step = max(1, (calls + 9) // 10)
    ticks = []
    for call in range(0, calls, step):
        x = _x(call, calls)
        ticks.append(
            f"<line x1='{x:.1f}' x2='{x:.1f}' y1='{top}' y2='{top + 4}' stroke='{theme.MUTED}'/>"
            f"<text x='{x:.1f}' y='{top + 16}' text-anchor='middle' fill='{theme.MUTED}'>{call}</text>"
        )
    label_x = _LABEL_W + _PLOT_W / 2
    name = _("call number (0 = before the first call)")
    return (
        f"<g>{''.join(ticks)}<text x='{label_x:.0f}' y='{top + 30}' text-anchor='middle' fill='{theme.MUTED}'>"
        f"{_esc(name)}</text></g>"
    )


def _describe(lanes: Sequence[Lane]) -> str:
    row = _("{label}: states {states} ({note})")
    rows = [row.format(label=lane.label, states=", ".join(map(str, lane.states)), note=lane.note) for lane in lanes]
    return "; ".join(rows) or _("no requests")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)
