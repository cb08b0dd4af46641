"""The learner's handle on a running lab: start it, send requests, look at its state."""

from __future__ import annotations

import atexit
import html
import secrets
import threading
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, overload

from httplab.client import LabClient
from httplab.client.models import Exchange
from httplab.errors import InvalidRequestError
from httplab.http.flaws import MYSTERY
from httplab.i18n import _
from httplab.options import LabOptions
from httplab.server import LabServer, create_lab_app
from httplab.server.fault_counts import CountedFaults

if TYPE_CHECKING:
    # The experiments load on first use, so that importing httplab and starting a lab stay quick.
    from httplab import experiments as _experiments
    from httplab.experiments import conflicts as _conflicts
    from httplab.experiments import retries as _retries
    from httplab.experiments import retry_clients as _retry_clients

__all__ = ["Lab", "start"]

_IN_PROCESS_URL = "http://lab.local"


class Lab:
    """A lab server (or an in-process lab) with a recording client attached.

    Most learners get one from :func:`httplab.start`; build a ``Lab`` directly for an
    independent lab, for example in tests. It is a context manager that stops on exit.

    Parameters
    ----------
    options
        A :class:`~httplab.options.LabOptions`; the defaults when omitted.
    **changes
        Options by name, on top of *options*: ``in_process``, ``host``, ``port``,
        ``allow_remote``, ``require_precondition``, ``max_items``, ``history_size``, ``flaws``,
        ``seed`` (:class:`~httplab.options.LabOptions` says what each means).

    Examples
    --------
    >>> with Lab(in_process=True) as lab:
    ...     lab.send("POST", "/lab/items", json={"name": "apple"}).status_text
    '201 Created'

    """

    def __init__(self, options: LabOptions | None = None, /, **changes: Any) -> None:
        wanted = (options or LabOptions()).replace(**changes)
        if wanted.flaws == MYSTERY and wanted.seed is None:
            # Drawn once and kept in the options, so that restart() plants the same hidden set.
            wanted = wanted.replace(seed=secrets.randbelow(1_000_000))
        self._options = wanted
        self.app = create_lab_app(
            require_precondition=wanted.require_precondition,
            max_items=wanted.max_items,
            flaws=wanted.planted_flaws,
            hide_flaws=wanted.flaws == MYSTERY,
        )
        self._server: LabServer | None = None
        # X-Lab-Fault's times= and id= (lose only the first attempts' responses) are honoured in front of the app.
        served = CountedFaults(self.app)
        if wanted.in_process:
            self.client = LabClient(_IN_PROCESS_URL, app=served, history_size=wanted.history_size)
        else:
            self._server = LabServer(
                served,
                host=wanted.host,
                port=wanted.port,
                allow_remote=wanted.allow_remote,
                owner_only=wanted.owner_only,
            )
            self.client = LabClient(self._server.url, history_size=wanted.history_size)

    # ------------------------------------------------------------------ basics

    @property
    def url(self) -> str:
        """The lab's base URL (a placeholder host when in-process)."""
        return self.client.base_url

    @property
    def in_process(self) -> bool:
        """True when requests call the application directly, with no socket."""
        return self._options.in_process

    @property
    def running(self) -> bool:
        """True while the lab can answer: not stopped, and its server (if any) alive."""
        if self.client.closed:
            return False
        return self._server is None or self._server.running

    @property
    def options(self) -> LabOptions:
        """The options this lab was built with (``start(**lab.options)`` takes them back)."""
        return self._options

    def send(self, method: str, path: str, **request: Any) -> Exchange:
        """Send a request to the lab and return the recorded exchange.

        Takes the keyword arguments of :meth:`httplab.client.LabClient.send`:
        ``json``, ``content``, ``headers``, ``files``, ``data``, ``timeout``.

        >>> with Lab(in_process=True) as lab:
        ...     lab.send("GET", "/lab/items").json
        []
        """
        return self.client.send(method, path, **request)

    @property
    def history(self) -> tuple[Exchange, ...]:
        """Every exchange sent through :meth:`send`, oldest first."""
        return self.client.history

    def state(self) -> dict[str, Any]:
        """Return a snapshot of the lab: its items, request counts and settings."""
        snapshot: dict[str, Any] = self.client.send("GET", "/lab/state", record=False).json
        return snapshot

    def reset(self) -> None:
        """Empty the store (items, counts, idempotency keys) and restore the starting settings."""
        self.client.send("POST", "/lab/reset", record=False)

    def settings(self, **changes: bool) -> dict[str, Any]:
        """Read or change the lab's switches, e.g. ``lab.settings(require_precondition=True)``."""
        if not changes:
            return dict(self.client.send("GET", "/lab/settings", record=False).json)
        reply = self.client.send(
            "PATCH",
            "/lab/settings",
            json=changes,
            headers={"Content-Type": "application/merge-patch+json"},
            record=False,
        )
        if not reply.ok:
            raise InvalidRequestError(str((reply.json or {}).get("detail", reply.status_text)))
        return dict(reply.json)

    def stop(self) -> None:
        """Stop the server and free its port (returns in well under a second)."""
        if self._server is not None:
            self._server.stop()
        self.client.close()

    def restart(self) -> Lab:
        """Stop this lab and return a new one like it: the same options, an empty store.

        Only this lab is touched. When it is the kernel's lab (the one :func:`start` returns),
        the new lab takes its place there; any other lab, such as a teacher's own ``Lab(...)``,
        leaves the kernel's lab running.

        >>> old = Lab(in_process=True)
        >>> new = old.restart()
        >>> old.running, new.running, new.options == old.options
        (False, True, True)
        >>> new.stop()
        """
        global _current
        with _current_lock:
            self.stop()  # first, so that a fixed port is free again
            fresh = Lab(self._options)
            if _current is self:
                _current = fresh
        return fresh

    def __enter__(self) -> Lab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def owner_check(self) -> str:
        """Whether this lab answers its owner only: ``"enforced"``, ``"off"``, ``"not enforced: <why>"``.

        An in-process lab has no socket, so nobody else can reach it at all.
        """
        return "in-process: no socket to reach" if self._server is None else self._server.owner_check

    def __repr__(self) -> str:
        where = "in-process" if self.in_process else self.url
        status = "running" if self.running else "stopped"
        owner = "" if self._server is None else f", owner-only {self.owner_check}"
        return f"<Lab {where} {status}{owner}{self._flawed()}>"

    def _flawed(self) -> str:
        """Say that this lab breaks rules on purpose; a mystery lab does not say which."""
        if self._options.flaws == MYSTERY:
            return f", flawed (mystery, seed={self._options.seed})"
        if self._options.flaws:
            return f", flawed: {', '.join(self._options.flaws)}"
        return ""

    def _repr_html_(self) -> str:
        where = _("in-process (no socket)") if self.in_process else f"<code>{self.url}</code>"
        if self.running:
            text = _("<b>httplab</b> lab running at {where} — httpbin at {root}, resources at {lab}.")
        else:
            text = _("<b>httplab</b> lab stopped at {where} — httpbin at {root}, resources at {lab}.")
        parts = [text.format(where=where, root="<code>/</code>", lab="<code>/lab</code>")]
        if self._server is not None:
            if self.owner_check == "enforced":
                parts.append(_("It answers only your own programs: another user of this computer gets 403."))
            else:
                parts.append(_("Owner-only: {check}.").format(check=self.owner_check))
        if self._options.flaws == MYSTERY:
            flawed = _("<b>This lab is flawed (mystery, seed={seed})</b>: it breaks some rules on purpose.")
            parts.append(flawed.format(seed=self._options.seed))
        elif self._options.flaws:
            flawed = _("<b>This lab is flawed: {flaws}</b>: it breaks some rules on purpose.")
            parts.append(flawed.format(flaws=html.escape(", ".join(self._options.flaws))))
        return " ".join(parts)

    # ------------------------------------------------------------------ experiments
    # Thin doors onto httplab.experiments; the logic lives there.

    def repeat(
        self,
        method: str,
        path: str,
        *,
        times: int = 3,
        setup: Iterable[_experiments.Call | Sequence[Any]] = (),
        reset: bool = True,
        **request: Any,
    ) -> _experiments.RepeatResult:
        """Send the identical request *times* times and judge what it did to the state.

        See :func:`httplab.experiments.repeat`. ``reset=True`` empties the lab first.

        >>> with Lab(in_process=True) as lab:
        ...     lab.repeat("POST", "/lab/items", json={"name": "pear"}).same_after_repeats
        False
        """
        from httplab import experiments as _experiments

        return _experiments.repeat(self, method, path, times=times, setup=setup, reset=reset, **request)

    def compare(
        self,
        requests: Iterable[_experiments.Scenario | _experiments.Call | Sequence[Any]] | None = None,
        *,
        times: int = 3,
        reset: bool = True,
    ) -> _experiments.Comparison:
        """Repeat several requests and show them side by side (default: one scenario per method).

        See :func:`httplab.experiments.compare` and :func:`httplab.experiments.method_scenarios`.

        >>> with Lab(in_process=True) as lab:
        ...     lab.compare(times=2)["PUT"].statuses
        (201, 204)
        """
        from httplab import experiments as _experiments

        chosen = _experiments.method_scenarios() if requests is None else requests
        return _experiments.compare(self, chosen, times=times, reset=reset)

    @overload
    def retry_after_lost_response(
        self,
        method: str,
        path: str,
        *,
        retry: _retries.RetryPolicy | None = None,
        client: None = None,
        idempotency_key: str | None = None,
        setup: Iterable[_experiments.Call | Sequence[Any]] = (),
        reset: bool = True,
        **request: Any,
    ) -> _retries.RetryResult: ...

    @overload
    def retry_after_lost_response(
        self,
        method: str,
        path: str,
        *,
        client: str,
        setup: Iterable[_experiments.Call | Sequence[Any]] = (),
        reset: bool = True,
        if_match: bool = False,
        other_write: _experiments.Call | Sequence[Any] | None = None,
        **request: Any,
    ) -> _retry_clients.ClientRetryResult: ...

    def retry_after_lost_response(
        self,
        method: str,
        path: str,
        *,
        retry: _retries.RetryPolicy | None = None,
        client: str | None = None,
        idempotency_key: str | None = None,
        setup: Iterable[_experiments.Call | Sequence[Any]] = (),
        reset: bool = True,
        if_match: bool = False,
        other_write: _experiments.Call | Sequence[Any] | None = None,
        **request: Any,
    ) -> _retries.RetryResult | _retry_clients.ClientRetryResult:
        """Lose the first response on purpose, then retry by a policy, or let a real library decide.

        ``retry=`` (default ``"idempotent-only"``): the lab's client follows that policy, see
        :func:`httplab.experiments.retries.retry_after_lost_response`. ``client=``: a real library
        with its defaults, ``if_match=`` and ``other_write=`` too, see
        :func:`httplab.experiments.retry_clients.retry_with_client`.

        >>> with Lab(in_process=True) as lab:
        ...     lab.retry_after_lost_response("POST", "/lab/items", retry="always", json={}).duplicated
        True
        >>> with Lab() as lab:
        ...     lab.retry_after_lost_response("POST", "/lab/items", client="requests", json={}).received
        1
        """
        if client is None:
            if if_match or other_write is not None:
                raise InvalidRequestError(
                    _("if_match= and other_write= go with client=, a real library: add client='urllib3', say.")
                )
            from httplab.experiments import retries as _retries

            policy = retry or "idempotent-only"
            return _retries.retry_after_lost_response(
                self, method, path, retry=policy, idempotency_key=idempotency_key, setup=setup, reset=reset, **request
            )
        if retry is not None:
            raise InvalidRequestError(
                _(
                    "Choose retry={retry!r} (the lab's own policy) or client={client!r} (a real library), not both."
                ).format(retry=retry, client=client)
            )
        from httplab.experiments import retry_clients as _retry_clients

        if idempotency_key is not None:
            request["headers"] = {**(request.get("headers") or {}), "Idempotency-Key": idempotency_key}
        return _retry_clients.retry_with_client(
            self, method, path, client=client, setup=setup, reset=reset, if_match=if_match, other_write=other_write,
            **request,
        )

    def lost_update(
        self,
        path: str = "/lab/items/note",
        *,
        original: dict[str, Any] | None = None,
        first: dict[str, Any] | None = None,
        second: dict[str, Any] | None = None,
        reset: bool = True,
    ) -> _conflicts.LostUpdateResult:
        """Let two clients edit the same item, without If-Match, with it, and create-only.

        See :func:`httplab.experiments.conflicts.lost_update`.

        >>> with Lab(in_process=True) as lab:
        ...     lab.lost_update().with_if_match.first_write_kept
        True
        """
        from httplab.experiments import conflicts as _conflicts

        return _conflicts.lost_update(self, path, original=original, first=first, second=second, reset=reset)


_current: Lab | None = None
_current_lock = threading.Lock()


def start(options: LabOptions | None = None, /, **changes: Any) -> Lab:
    """Start the lab for this kernel, or return the one already running.

    Calling it again with the same options returns the same running lab (it is
    idempotent); with different options, the old lab stops and a new one starts with an
    empty store. A lab whose server died is restarted.

    Parameters
    ----------
    options, **changes
        As :class:`Lab` takes them.

    Examples
    --------
    >>> lab = start(in_process=True)
    >>> start(in_process=True) is lab
    True
    >>> lab.stop()

    """
    global _current
    wanted = (options or LabOptions()).replace(**changes)
    with _current_lock:
        lab = _current
        drawn = wanted.flaws == MYSTERY and wanted.seed is None and lab is not None
        if drawn and lab is not None and lab.options.flaws == MYSTERY:
            wanted = wanted.replace(seed=lab.options.seed)  # a mystery lab without a seed: keep the one drawn
        if lab is not None and lab.options == wanted and lab.running:
            return lab
        if lab is not None:
            lab.stop()
        _current = Lab(wanted)
        return _current


def _stop_current() -> None:
    lab = _current
    if lab is not None:
        lab.stop()


atexit.register(_stop_current)

