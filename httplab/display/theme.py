"""The kit's one theme: every colour, and the CSS its HTML pieces share.

Colour only repeats what words already say ("201 Created", "✔ Correct", "Problem:"), so a
learner who cannot tell the colours apart loses nothing. The colours are GitHub Primer's
light-theme foregrounds, readable on white (at least 4.5:1 contrast) and on nothing else
assumed: notebooks may render them anywhere.

>>> status_colour(404) == SEVERE
True
>>> rule(SUCCESS)
'border-left:4px solid #1a7f37;padding:4px 10px'
"""

from __future__ import annotations

__all__ = [
    "ACCENT",
    "ATTENTION",
    "BADGE",
    "BAND",
    "BORDER",
    "BOX",
    "CANVAS",
    "CELL",
    "CHIP",
    "DANGER",
    "FRAME",
    "GAP",
    "LANE_COLOURS",
    "LEVEL_COLOURS",
    "MUTED",
    "ON_COLOUR",
    "PRE",
    "SEVERE",
    "SUCCESS",
    "TABLE",
    "TILE",
    "badge",
    "chip",
    "rule",
    "status_colour",
    "verdict_colour",
]

# ------------------------------------------------------------------------------------------------ colours

#: Success: a 2xx response, "yes", a passed check, a matched prediction.
SUCCESS = "#1a7f37"
#: Information: a 3xx response, a note, a lane that changed once and then stayed.
ACCENT = "#0969da"
#: Not yet: a 4xx response, "no", a wrong answer, a lane that kept changing.
SEVERE = "#bc4c00"
#: A problem: a 5xx response, an error message, a file too big to send.
DANGER = "#cf222e"
#: Careful: a warning, a prediction that was never locked in.
ATTENTION = "#9a6700"
#: Secondary text, and a status badge when no response came.
MUTED = "#57606a"
#: Borders and rules.
BORDER = "#d0d7de"
#: Every other row of a chart.
BAND = "#f6f8fa"
#: The page itself.
CANVAS = "#ffffff"
#: Text on a coloured badge.
ON_COLOUR = "#fff"

#: A status badge's colour by class: 2xx, 3xx, 4xx, 5xx.
_STATUS_COLOURS = {2: SUCCESS, 3: ACCENT, 4: SEVERE, 5: DANGER}
#: The message line's colour for each level (the words beside it carry the meaning).
LEVEL_COLOURS = {"info": ACCENT, "success": SUCCESS, "warning": ATTENTION, "error": DANGER}
#: A state chart's line colour for each lane shape.
LANE_COLOURS = {"safe": SUCCESS, "idempotent": ACCENT, "neither": SEVERE}

# ------------------------------------------------------------------------------------------------ CSS

#: The bordered block an experiment result sits in.
BOX = (
    "font-family:system-ui,sans-serif;line-height:1.4;"
    f"border:1px solid {BORDER};border-radius:6px;padding:8px 12px;margin:4px 0;max-width:960px"
)
#: A framed widget panel (ipywidgets' Layout takes these as keyword arguments).
FRAME = {"border": f"1px solid {BORDER}", "padding": "4px 10px", "margin": "4px 0"}
#: A small framed tile, such as one call on a timeline.
TILE = f"display:inline-block;margin:2px;padding:3px;border:1px solid {BORDER};border-radius:4px;text-align:center"
#: A compact table, and one of its cells.
TABLE = "border-collapse:collapse;margin:6px 0"
CELL = f"border-bottom:1px solid {BORDER};padding:3px 8px;text-align:left;vertical-align:top"
#: The space around a paragraph inside a result.
GAP = "margin:4px 0"
#: Preformatted text that wraps long lines and scrolls when tall.
PRE = "white-space:pre-wrap;word-break:break-word;margin:0;max-height:28em;overflow:auto"
#: A status badge: coloured background, white monospace text.
BADGE = (
    f"color:{ON_COLOUR};border-radius:4px;padding:1px 6px;margin:1px;"
    "display:inline-block;white-space:nowrap;font-family:monospace;font-weight:600"
)
#: A yes/no chip: coloured outline and text.
CHIP = "display:inline-block;margin:2px 6px 2px 0;padding:1px 6px;border-radius:4px"


def status_colour(status: int | None) -> str:
    """Return the badge colour for *status* (its class: 2xx, 3xx, 4xx, 5xx; grey for no response).

    >>> status_colour(201) == SUCCESS, status_colour(None) == MUTED
    (True, True)
    """
    return _STATUS_COLOURS.get((status or 0) // 100, MUTED)


def verdict_colour(good: bool) -> str:
    """Return the colour of a verdict: green for right or passed, orange for not yet."""
    return SUCCESS if good else SEVERE


def badge(colour: str) -> str:
    """Return the style of a badge filled with *colour*."""
    return f"background:{colour};{BADGE}"


def chip(colour: str) -> str:
    """Return the style of a chip outlined in *colour*."""
    return f"{CHIP};border:1px solid {colour};color:{colour}"


def rule(colour: str, padding: str = "4px 10px") -> str:
    """Return the style of a block marked by a coloured rule on its left, as verdicts and messages are."""
    return f"border-left:4px solid {colour};padding:{padding}"
