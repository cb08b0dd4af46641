"""Small HTML pieces the experiment results share; every learner-supplied value is escaped here."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from typing import Any

from httplab.client.models import Exchange, status_badge

_BOX = (
    "class='httplab-result' style='font-family:system-ui,sans-serif;line-height:1.4;"
    "border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;margin:4px 0;max-width:960px'"
)
_YES, _NO = "#1a7f37", "#bc4c00"


def esc(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape(str(value), quote=True)


def box(title: str, *parts: str) -> str:
    """Wrap the parts of a result in one bordered block with a heading (*title* is already HTML)."""
    return f"<div {_BOX}><div style='font-weight:600;margin-bottom:4px'>{title}</div>{''.join(parts)}</div>"


def request_line(method: str, path: str) -> str:
    """Return ``<code>PUT /lab/items/x</code>`` with both parts escaped."""
    return f"<code>{esc(method)} {esc(path)}</code>"


def badges(exchanges: Iterable[Exchange]) -> str:
    """Return a status badge per exchange, in order ("201 Created", "no response")."""
    return " ".join(status_badge(exchange.status) for exchange in exchanges)


def verdict_chip(label: str, value: bool, yes: str = "yes", no: str = "no") -> str:
    """Return a labelled yes/no chip whose words carry the meaning (the colour only repeats it)."""
    colour = _YES if value else _NO
    word = yes if value else no
    return (
        f"<span style='display:inline-block;margin:2px 6px 2px 0;padding:1px 6px;border-radius:4px;"
        f"border:1px solid {colour};color:{colour}'>{esc(label)}: <b>{esc(word)}</b></span>"
    )


def paragraph(text: str) -> str:
    """Return *text* (plain words) as an escaped paragraph."""
    return f"<p style='margin:6px 0'>{esc(text)}</p>"


def table(headings: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Return a compact table; *headings* are plain text, cells are HTML already escaped by the caller."""
    cell = "style='border-bottom:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top'"
    head = "".join(f"<th {cell}>{esc(h)}</th>" for h in headings)
    body = "".join("<tr>" + "".join(f"<td {cell}>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f"<table style='border-collapse:collapse;margin:6px 0'><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def json_block(summary: str, value: Any) -> str:
    """Return a collapsed ``<details>`` block showing *value* as indented JSON."""
    text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    return f"<details><summary>{esc(summary)}</summary><pre style='margin:4px 0'>{esc(text)}</pre></details>"


def wire_block(summary: str, exchanges: Iterable[Exchange]) -> str:
    """Return a collapsed ``<details>`` block with each exchange's request and response on the wire."""
    exchanges = tuple(exchanges)
    parts = [f"<pre style='margin:4px 0'>{esc(e.raw_request)}\n{esc(e.raw_response)}</pre>" for e in exchanges]
    notes = {e.wire_note for e in exchanges if e.wire_is_reconstructed and e.wire_note}
    note = "".join(f"<p style='margin:4px 0'><i>{esc(text)}</i></p>" for text in sorted(notes))
    if notes:
        summary += " (reconstructed)"
    return f"<details><summary>{esc(summary)}</summary>{note}{''.join(parts)}</details>"
