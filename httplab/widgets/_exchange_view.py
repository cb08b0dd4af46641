"""The result half of the Playground: the badge, meaning, body, header fields, wire text and code."""

from __future__ import annotations

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]  # no py.typed

from httplab.client.models import Exchange, Headers
from httplab.display.render import status_badge
from httplab.http.status import describe_status, status_text
from httplab.i18n import _
from httplab.widgets._common import WIDE, body_text, esc, headers_table, pre

__all__ = ["ExchangeView"]


class ExchangeView:
    """Show one exchange in tabs, and read back everything shown.

    The code tabs hold whatever :meth:`_show_code` was given; the owner decides which
    request they describe.
    """

    def __init__(self) -> None:
        self._exchange: Exchange | None = None
        waiting = _("Nothing sent yet: fill in the request and press Send.")
        self._summary = widgets.HTML(value=f"<i>{esc(waiting)}</i>")
        self._body_view = widgets.HTML(value="")
        self._headers_view = widgets.HTML(value="")
        self._wire_view = widgets.HTML(value="")
        self._python_view = widgets.Textarea(
            value="",
            description="httpx",
            tooltip=_("Python code (httpx) that sends this request: select all and copy"),
            rows=12,
            layout=WIDE,
        )
        self._curl_view = widgets.Textarea(
            value="",
            description="curl",
            tooltip=_("A curl command that sends this request: select all and copy"),
            rows=8,
            layout=WIDE,
        )
        self._tabs = widgets.Tab(
            children=[self._body_view, self._headers_view, self._wire_view, self._python_view, self._curl_view]
        )
        self._tabs.titles = (_("Body"), _("Response headers"), _("On the wire"), "Python (httpx)", "curl")

    @property
    def exchange(self) -> Exchange | None:
        """The exchange on display."""
        return self._exchange

    @property
    def badge_text(self) -> str:
        """The status badge's text, like ``"201 Created"`` or ``"no response"``; "" before any.

        The badge gives the standard reason phrase; the wire view shows the one the server sent.
        """
        return "" if self.exchange is None else status_text(self.exchange.status)

    @property
    def meaning(self) -> str:
        """The one-line meaning of the status on display."""
        return "" if self.exchange is None else describe_status(self.exchange.status)

    @property
    def elapsed_text(self) -> str:
        """How long the exchange on display took, like ``"3.2 ms"``."""
        return "" if self.exchange is None else f"{self.exchange.elapsed * 1000:.1f} ms"

    @property
    def response_headers(self) -> Headers | None:
        """The response header fields on display (None when no response came)."""
        exchange = self.exchange
        return None if exchange is None or exchange.response is None else exchange.response.headers

    @property
    def body_text(self) -> str:
        """The response body as shown: pretty JSON, text cut to a readable size, or a note on binary data."""
        exchange = self.exchange
        return "" if exchange is None else body_text(exchange.response, exchange.request.method)

    @property
    def raw_request(self) -> str:
        """The request on display as HTTP/1.1 wire text."""
        return "" if self.exchange is None else self.exchange.raw_request

    @property
    def raw_response(self) -> str:
        """The response on display as HTTP/1.1 wire text (or why none came)."""
        return "" if self.exchange is None else self.exchange.raw_response

    @property
    def code_python(self) -> str:
        """The httpx code shown for the request."""
        return str(self._python_view.value)

    @property
    def code_curl(self) -> str:
        """The curl command shown for the request."""
        return str(self._curl_view.value)

    @property
    def html(self) -> str:
        """The result's HTML, joined (for checking that nothing is rendered as markup)."""
        parts = (self._summary, self._body_view, self._headers_view, self._wire_view)
        return "\n".join(str(part.value) for part in parts)

    def _show_exchange(self, exchange: Exchange) -> None:
        """Show *exchange*: badge, meaning, elapsed time, body, header fields and wire text."""
        self._exchange = exchange
        response = exchange.response
        self._summary.value = (
            f"<div>{status_badge(exchange.status)} <span>{esc(describe_status(exchange.status))}</span>"
            f" <small>({exchange.elapsed * 1000:.1f} ms)</small></div>"
        )
        self._body_view.value = pre(body_text(response, exchange.request.method))
        if response is None:
            none = _("(no response, so no header fields)")
            self._headers_view.value = f"<i>{esc(none)}</i>"
        else:
            self._headers_view.value = headers_table(response.headers.fields)
        note = (
            exchange.wire_note
            if exchange.wire_is_reconstructed and exchange.wire_note
            else _(
                "Captured at the socket: each head exactly as it crossed; long, binary or compressed content is "
                "summarised."
            )
        )
        request, answer = esc(_("Request")), esc(_("Response"))
        self._wire_view.value = (
            f"<p style='margin:2px 0'><i>{esc(note)}</i></p>"
            f"<b>{request}</b>{pre(exchange.raw_request)}<b>{answer}</b>{pre(exchange.raw_response)}"
        )

    def _show_code(self, python: str, curl: str) -> None:
        """Put *python* and *curl* in the code tabs."""
        self._python_view.value = python
        self._curl_view.value = curl
