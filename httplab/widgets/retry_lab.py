"""The RetryLab: lose a response on purpose, retry by a policy, with or without an Idempotency-Key."""

from __future__ import annotations

import uuid

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]  # no py.typed

from httplab.display.render import status_badge
from httplab.experiments import Scenario, label_text, method_scenarios
from httplab.experiments.retries import RETRY_POLICIES, RetryResult, retry_after_lost_response
from httplab.experiments.retry_clients import ClientRetryResult, retry_with_client
from httplab.experiments.verdicts import IDEMPOTENT_METHODS
from httplab.i18n import N_, _, ngettext, pgettext
from httplab.lab import Lab
from httplab.widgets._base import ExperimentWidget
from httplab.widgets._common import button, esc, label_style
from httplab.widgets._form import FormError

__all__ = ["RetryLab"]

_POLICY_TIPS = (
    N_("Never retry: report the error (requests' default)"),
    N_("Retry only GET, HEAD, PUT, DELETE, OPTIONS and TRACE (urllib3's list for read errors; libraries differ)"),
    N_("Retry every method: RFC 9110 §9.2.2 says a client SHOULD NOT do that for non-idempotent methods"),
)
_GRID_NOTE = N_(
    "“replayed” means the retry's response carried Idempotent-Replayed: true, a header of this lab's own "
    "(the Idempotency-Key draft defines none). Real libraries follow different retry rules: check what yours does."
)
#: The library dropdown: the lab's own client following the policy, or a real library with its defaults.
OWN_POLICY = "policy"
_LIBRARIES = [
    (N_("the lab's client, by the retry policy"), OWN_POLICY),
    (N_("requests (its defaults)"), "requests"),
    (N_("urllib3 (its default Retry)"), "urllib3"),
    ("urllib3, allowed_methods=None", "urllib3-any-method"),
    ("httpx, HTTPTransport(retries=3)", "httpx"),
    (N_("Go's replay rule (a model)"), "go"),
]


def _policy_names() -> dict[str, str]:
    """Return each retry policy's name as the buttons show it, in the kit's language (the values stay English)."""
    return {
        "never": pgettext("retry policy", "never"),
        "idempotent-only": pgettext("retry policy", "idempotent-only"),
        "always": pgettext("retry policy", "always"),
    }


class RetryLab(ExperimentWidget):
    """Lost response × retry policy × Idempotency-Key: see when a retry duplicates an effect.

    The first attempt's response is dropped by the server after it applied the request;
    the client then follows the chosen retry policy (:func:`httplab.experiments.retries.retry_after_lost_response`).

    Parameters
    ----------
    lab
        The lab to run on; every run starts from an empty lab plus the scenario's setup.
    background
        Run from a worker thread when a button is clicked (:meth:`run` and :meth:`run_grid` always wait).

    Attributes
    ----------
    request, library, policy, use_key, key
        The scenario (see :func:`httplab.experiments.method_scenarios`); who retries: the lab's
        own client by the retry policy (``"policy"``) or a real library with its defaults
        (``"requests"``, ``"urllib3"``, ``"urllib3-any-method"``, ``"httpx"``, ``"go"``, a model
        of Go's rule; these need a lab with a socket); the retry policy; whether to send an
        ``Idempotency-Key`` and its value.
    run_button, grid_button, new_key_button, restart_button
        The actions.

    Examples
    --------
    >>> import httplab
    >>> from httplab.widgets import RetryLab
    >>> lab = httplab.Lab(in_process=True)
    >>> retry = RetryLab(lab)
    >>> retry.policy.value = "always"
    >>> retry.run().duplicated
    True
    >>> lab.stop()

    """

    def __init__(self, lab: Lab, *, background: bool = True) -> None:
        super().__init__(
            lab,
            background=background,
            run_label=_("Lose the response and retry"),
            run_tooltip=_("Send the request, have the server drop its response, then retry by the policy"),
        )
        style = label_style(9)
        self._policies = _policy_names()
        self._scenarios = {scenario.label: scenario for scenario in method_scenarios()}
        self._result: RetryResult | ClientRetryResult | None = None
        self._grid: tuple[RetryResult, ...] = ()
        self.request = widgets.Dropdown(
            options=[(label_text(label), label) for label in self._scenarios],  # shown translated, kept as the key
            value="POST",
            description=_("Request"),
            tooltip=_("The request whose response gets lost"),
            style=style,
        )
        self.library = widgets.Dropdown(
            options=[(_(name), value) for name, value in _LIBRARIES],
            value=OWN_POLICY,
            description=_("Who retries"),
            tooltip=_("The lab's own client following the retry policy, or a real client library with its defaults"),
            style=style,
        )
        self.policy = widgets.ToggleButtons(
            options=[(self._policies.get(policy, policy), policy) for policy in RETRY_POLICIES],
            value="idempotent-only",
            description=_("Retry policy"),
            tooltips=[_(tip) for tip in _POLICY_TIPS],
            style=style,
        )
        self.use_key = widgets.Checkbox(
            value=False,
            description=_("Send an Idempotency-Key"),
            indent=False,
            tooltip=_(
                "Send the same key with both attempts (an IETF draft, not part of HTTP; "
                "the lab honours it on POST /lab/items)"
            ),
        )
        self.key = widgets.Text(
            continuous_update=False,
            value=str(uuid.uuid4()),
            description=_("Key"),
            style=label_style(3),
            tooltip=_("The Idempotency-Key value sent with both attempts"),
            layout=widgets.Layout(width="26em"),
        )
        self.new_key_button = button(_("New key"), _("Make a new random key"))
        self.grid_button = button(_("Run every policy"), _("Run all three policies, with and without the key"))
        self._actions.append(self.grid_button)
        self._view = widgets.HTML(value="")
        self.widget = widgets.VBox(
            [
                self.request,
                self.library,
                self.policy,
                widgets.HBox([self.use_key, self.key, self.new_key_button]),
                widgets.HBox([self.run_button, self.grid_button]),
                self._message.widget,
                self.restart_button,
                self._view,
            ]
        )
        making = pgettext("while", "making a new key")
        self.new_key_button.on_click(lambda _event: self._message.guard(self._new_key, making))
        self._bind(self.grid_button, self._run_grid)

    # ------------------------------------------------------------------ actions

    def run(self) -> RetryResult | ClientRetryResult | None:
        """Run the experiment the controls describe and show it; None if it did not run."""
        return self._execute(self._run)

    def run_grid(self) -> tuple[RetryResult, ...] | None:
        """Run every policy with and without the key, and show them in one table."""
        return self._execute(self._run_grid)

    # ------------------------------------------------------------------ read back

    @property
    def result(self) -> RetryResult | ClientRetryResult | None:
        """The last single run."""
        return self._result

    @property
    def grid(self) -> tuple[RetryResult, ...]:
        """The last grid: never, idempotent-only, always, each without then with the key."""
        return self._grid

    @property
    def badge_texts(self) -> tuple[str, ...]:
        """The status texts the client saw in the last single run, like ``("no response", "201 Created")``."""
        if self._result is None:
            return ()
        if isinstance(self._result, ClientRetryResult):
            return (self._result.client_saw,)
        attempts = [self._result.first] + ([self._result.retry] if self._result.retry is not None else [])
        return tuple(exchange.status_text for exchange in attempts)

    @property
    def explanation(self) -> str:
        """The last single run's explanation."""
        return "" if self._result is None else self._result.explanation

    @property
    def html(self) -> str:
        """All the HTML on display, joined."""
        return f"{self._message.widget.value}\n{self._view.value}"

    # ------------------------------------------------------------------ internals

    def _from_controls(self) -> object:
        return self._run()

    def _new_key(self) -> None:
        self.key.value = str(uuid.uuid4())

    def _chosen_key(self) -> str | None:
        if not self.use_key.value:
            return None
        key = str(self.key.value).strip()
        if not key:
            raise FormError(_("The Idempotency-Key is empty. Press “New key”, or untick the box. Nothing was sent."))
        return key

    def _one(self, scenario: Scenario, policy: str, key: str | None) -> RetryResult:
        call = scenario.call
        return retry_after_lost_response(
            self.lab,
            call.method,
            call.path,
            retry=policy,  # type: ignore[arg-type]
            idempotency_key=key,
            setup=scenario.setup,
            **call.options,
        )

    def _with_library(self, scenario: Scenario, client: str, key: str | None) -> ClientRetryResult:
        if self.lab.in_process:
            raise FormError(
                _(
                    "A real library needs a lab with a socket, and this lab is in-process. Choose “the lab's "
                    "client”, or start the lab with httplab.start(). Nothing was sent."
                )
            )
        call = scenario.call
        options = dict(call.options)
        if key is not None:
            options["headers"] = {**call.headers, "Idempotency-Key": key}
        result = retry_with_client(self.lab, call.method, call.path, client=client, setup=scenario.setup, **options)
        self._result = result
        self._view.value = result._repr_html_()
        if result.received == 1:
            times = _("once")
        else:
            times = ngettext("{count} time", "{count} times", result.received).format(count=result.received)
        self._message.show(
            _("{label} with {client}: the server received it {times}; the program saw {saw}.").format(
                label=scenario.label, client=client, times=times, saw=result.client_saw
            ),
            "warning" if result.retried and call.method not in IDEMPOTENT_METHODS else "success",
        )
        return result

    def _run(self) -> RetryResult | ClientRetryResult:
        scenario = self._scenarios[str(self.request.value)]
        if self.library.value != OWN_POLICY:
            return self._with_library(scenario, str(self.library.value), self._chosen_key())
        result = self._one(scenario, str(self.policy.value), self._chosen_key())
        self._result = result
        self._view.value = result._repr_html_()
        outcome = (
            _("the effect was duplicated")
            if result.duplicated
            else (_("no duplicate effect") if result.retried else _("the client did not retry"))
        )
        policy = self._policies.get(result.policy, result.policy)
        self._message.show(
            _("{label}, policy {policy}: {outcome}.").format(label=scenario.label, policy=policy, outcome=outcome),
            "warning" if result.duplicated else "success",
        )
        return result

    def _run_grid(self) -> tuple[RetryResult, ...]:
        scenario = self._scenarios[str(self.request.value)]
        key = str(self.key.value).strip() or str(uuid.uuid4())
        grid = tuple(self._one(scenario, policy, k) for policy in RETRY_POLICIES for k in (None, key))
        self._grid = grid
        yes, no = esc(pgettext("verdict", "yes")), esc(pgettext("verdict", "no"))
        rows = "".join(
            "<tr>"
            f"<td><code>{esc(self._policies.get(r.policy, r.policy))}</code></td>"
            f"<td>{yes if r.idempotency_key else no}</td>"
            f"<td>{' '.join(status_badge(s) for s in r.statuses)}</td>"
            f"<td>{yes if r.retried else no}</td><td>{yes if r.replayed else no}</td>"
            f"<td><b>{yes if r.duplicated else no}</b></td></tr>"
            for r in grid
        )
        heads = (
            _("retry policy"), "Idempotency-Key", _("what the client saw"), _("retried"),
            _("replayed (lab's header)"), _("duplicate effect"),
        )
        head = "".join(f"<th style='text-align:left;padding-right:1em'>{esc(h)}</th>" for h in heads)
        lost = esc(_("{label}: the first response is always lost")).format(label=f"<b>{esc(scenario.label)}</b>")
        self._view.value = (
            f"<div>{lost}</div>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
            f"<p style='margin:4px 0'><small>{esc(_(_GRID_NOTE))}</small></p>"
        )
        duplicated = sum(r.duplicated for r in grid)
        self._message.show(
            _("Ran {count} combinations; {duplicated} duplicated the effect.").format(
                count=len(grid), duplicated=duplicated
            ),
            "success",
        )
        return grid
