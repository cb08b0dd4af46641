"""Small HTML pieces the experiment results share; every learner-supplied value is escaped here."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from typing import Any

from httplab.client.models import RECONSTRUCTED, Exchange
from httplab.display import theme
from httplab.http.status import describe_status, status_text
from httplab.i18n import _, pgettext

__all__ = [
    "badges",
    "box",
    "esc",
    "exchange_html",
    "json_block",
    "paragraph",
    "request_line",
    "status_badge",
    "table",
    "verdict_chip",
    "wire_block",
]


def esc(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape(str(value), quote=True)


def box(title: str, *parts: str) -> str:
    """Wrap the parts of a result in one bordered block with a heading (*title* is already HTML)."""
    return (
        f"<div class='httplab-result' style='{theme.BOX}'>"
        f"<div style='font-weight:600;margin-bottom:4px'>{title}</div>{''.join(parts)}</div>"
    )


def request_line(method: str, path: str) -> str:
    """Return ``<code>PUT /lab/items/x</code>`` with both parts escaped."""
    return f"<code>{esc(method)} {esc(path)}</code>"


def status_badge(status: int | None) -> str:
    """Return an HTML badge whose text carries the meaning (colour only repeats it).

    >>> "404 Not Found" in status_badge(404)
    True
    """
    return (
        f"<span class='httplab-badge' title='{esc(describe_status(status))}' "
        f"style='{theme.badge(theme.status_colour(status))}'>{esc(status_text(status))}</span>"
    )


def badges(exchanges: Iterable[Exchange]) -> str:
    """Return a status badge per exchange, in order ("201 Created", "no response")."""
    return " ".join(status_badge(exchange.status) for exchange in exchanges)


def verdict_chip(label: str, value: bool, yes: str | None = None, no: str | None = None) -> str:
    """Return a labelled yes/no chip whose words carry the meaning (the colour only repeats it).

    *yes* and *no* default to "yes" and "no" in the kit's language.
    """
    if value:
        word = pgettext("verdict", "yes") if yes is None else yes
    else:
        word = pgettext("verdict", "no") if no is None else no
    # Translators: a yes/no chip, like "state changed: yes".
    chip = esc(_("{label}: {value}")).format(label=esc(label), value=f"<b>{esc(word)}</b>")
    return f"<span style='{theme.chip(theme.verdict_colour(value))}'>{chip}</span>"


def paragraph(text: str) -> str:
    """Return *text* (plain words) as an escaped paragraph."""
    return f"<p style='margin:6px 0'>{esc(text)}</p>"


def table(headings: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Return a compact table; *headings* are plain text, cells are HTML already escaped by the caller."""
    head = "".join(f"<th style='{theme.CELL}'>{esc(h)}</th>" for h in headings)
    body = "".join("<tr>" + "".join(f"<td style='{theme.CELL}'>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table style='{theme.TABLE}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


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
        summary = _("{summary} (reconstructed)").format(summary=summary)
    return f"<details><summary>{esc(summary)}</summary>{note}{''.join(parts)}</details>"


def exchange_html(exchange: Exchange) -> str:
    """Return an exchange as a notebook shows it: request line, status badge, time, and the wire text."""
    if exchange.wire_is_reconstructed:
        summary = esc(_("on the wire (reconstructed)"))
        note = f"<p><i>{esc(exchange.wire_note or _(RECONSTRUCTED))}</i></p>"
    else:
        summary, note = esc(_("on the wire: the bytes that crossed the socket")), ""
    return (
        f"<div class='httplab-exchange'>{request_line(exchange.request.method, exchange.request.target)}"
        f" → {status_badge(exchange.status)} <small>{exchange.elapsed * 1000:.1f} ms</small>"
        f"<details><summary>{summary}</summary>{note}<pre>{esc(exchange.raw_request)}</pre>"
        f"<pre>{esc(exchange.raw_response)}</pre></details></div>"
    )
