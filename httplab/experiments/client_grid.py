"""The same lost response for several requests and several libraries, in one table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from httplab.display import render
from httplab.experiments.calls import label_text
from httplab.experiments.libraries import CLIENTS, library_name
from httplab.experiments.retry_clients import ClientRetryResult, SocketLab, retry_with_client
from httplab.i18n import _, pgettext

__all__ = ["ClientGrid", "compare_clients"]



@dataclass(frozen=True)
class ClientGrid:
    """The same lost response, for several requests and several libraries.

    Attributes
    ----------
    rows
        ``(label, results)``: one row per request, one result per library in :attr:`clients` order.
    clients
        The libraries, in column order.

    """

    rows: tuple[tuple[str, tuple[ClientRetryResult, ...]], ...]
    clients: tuple[str, ...]

    def __getitem__(self, key: tuple[str, str]) -> ClientRetryResult:
        """Return the result for ``(request label, client)``."""
        label, client = key
        for row_label, results in self.rows:
            if row_label == label:
                return results[self.clients.index(client)]
        raise KeyError(key)

    @property
    def retry_counts(self) -> dict[str, int]:
        """Say, for each request, how many of the libraries sent it more than once."""
        return {label: sum(r.retried for r in results) for label, results in self.rows}

    def to_dict(self) -> dict[str, Any]:
        """Return ``{label: {client: {received, client_saw}}}``."""
        return {
            label: {r.client: {"received": r.received, "client_saw": r.client_saw} for r in results}
            for label, results in self.rows
        }

    def __repr__(self) -> str:
        return f"<ClientGrid {len(self.rows)} requests × {len(self.clients)} libraries>"

    def _repr_html_(self) -> str:
        body = [
            (render.esc(label_text(label)), *(f"{r.received}× · {render.esc(r.client_saw)}" for r in results))
            for label, results in self.rows
        ]
        return render.box(
            _("One lost response, several libraries: times the server received the request · what the program saw"),
            render.table((pgettext("column", "request"), *(library_name(c) for c in self.clients)), body),
            render.paragraph(
                _(
                    "Each library ran with its defaults (the model of Go's rule is the kit's, not Go itself). "
                    "RFC 9110 §9.2.2: a client SHOULD NOT automatically retry a non-idempotent request unless it "
                    "knows it is idempotent in effect or can tell the original was never applied. Check what your "
                    "library does."
                )
            ),
        )


def compare_clients(
    lab: SocketLab,
    requests: Iterable[Any] | None = None,
    *,
    clients: Sequence[str] = CLIENTS,
) -> ClientGrid:
    """Run :func:`retry_with_client` for every request and every library, from a fresh lab each time.

    Parameters
    ----------
    lab
        A lab with a socket.
    requests
        :class:`~httplab.experiments.Scenario` objects (label, call, setup); by default
        :func:`~httplab.experiments.method_scenarios` without HEAD and OPTIONS.
    clients
        The libraries, from :data:`CLIENTS`.

    """
    from httplab.experiments.compare import method_scenarios

    chosen = (
        [s for s in method_scenarios() if s.label not in ("HEAD", "OPTIONS")] if requests is None else list(requests)
    )
    rows = []
    for scenario in chosen:
        call = scenario.call
        results = tuple(
            retry_with_client(lab, call.method, call.path, client=c, setup=scenario.setup, **call.options)
            for c in clients
        )
        rows.append((scenario.label, results))
    return ClientGrid(tuple(rows), tuple(clients))
