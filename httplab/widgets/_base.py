"""What the experiment widgets share: one run at a time, in the background, with errors as messages."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]  # no py.typed

from httplab.client.models import Exchange
from httplab.errors import InvalidRequestError, LabNotRunningError, SetupFailedError
from httplab.i18n import _, pgettext
from httplab.lab import Lab
from httplab.widgets._common import (
    STOPPED_EXPERIMENT,
    LabWidget,
    MessageLine,
    button,
    hide,
    lab_is_down,
    restart_button,
    restarting,
)
from httplab.widgets._form import FormError

__all__ = ["ExperimentWidget", "Watch"]

T = TypeVar("T")


#: The most calls a widget runs at once (the API allows more; a slider of 100 is plenty in class).
MAX_CALLS = 100


class Watch:
    """Stand in for a lab while an experiment runs, reporting each request and snapshot as it happens.

    It forwards ``send``, ``state`` and ``reset`` unchanged, so the experiment's logic (and
    its verdict) is exactly what it would be on the lab itself; the callbacks only let a
    widget draw progress before the experiment returns.
    """

    def __init__(
        self,
        lab: Lab,
        *,
        on_send: Callable[[Exchange], None] | None = None,
        on_state: Callable[[dict[str, Any]], None] | None = None,
        on_reset: Callable[[], None] | None = None,
    ) -> None:
        self.lab = lab
        self._on_send, self._on_state, self._on_reset = on_send, on_state, on_reset

    def send(self, method: str, path: str, **request: Any) -> Exchange:
        """Send through the lab and report the exchange."""
        exchange = self.lab.send(method, path, **request)
        if self._on_send is not None:
            self._on_send(exchange)
        return exchange

    def state(self) -> dict[str, Any]:
        """Read the lab's state and report it."""
        snapshot = self.lab.state()
        if self._on_state is not None:
            self._on_state(snapshot)
        return snapshot

    def reset(self) -> None:
        """Reset the lab and report it."""
        self.lab.reset()
        if self._on_reset is not None:
            self._on_reset()


class ExperimentWidget(LabWidget):
    """A Run button that runs one experiment at a time and turns every failure into a message.

    Subclasses build their controls, then call :meth:`_execute` with the work to do. *run_label* and
    *run_tooltip* come already translated: the widget is built in the kit's language of the moment.
    """

    def __init__(self, lab: Lab, *, background: bool, run_label: str, run_tooltip: str) -> None:
        self.lab = lab
        self.background = background
        self._lock = threading.Lock()
        self._busy = False
        self._thread: threading.Thread | None = None
        self._run_label = run_label
        self._restart_hint = _("Run the experiment again.")
        self._running_label = _("Running…")
        self._message = MessageLine()
        self.run_button = button(run_label, run_tooltip, "primary")
        self.restart_button = restart_button()
        #: Buttons disabled while a run is in progress (subclasses add theirs).
        self._actions: list[Any] = [self.run_button]
        self._bind(self.run_button, lambda: self._from_controls())
        self.restart_button.on_click(lambda _event: self._message.guard(self.restart_lab, restarting()))
        self.widget: Any = widgets.VBox()

    # ------------------------------------------------------------------ public

    @property
    def running(self) -> bool:
        """True while an experiment is in progress (the Run button is then disabled)."""
        return self._busy

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    # ------------------------------------------------------------------ for subclasses

    def _from_controls(self) -> object:
        """Run the experiment the controls describe (the Run button calls this)."""
        raise NotImplementedError

    def _execute(self, work: Callable[[], T]) -> T | None:
        """Run *work* now unless a run is in progress; None when it did not complete."""
        if not self._begin():
            return None
        try:
            return self._attempt(work)
        finally:
            self._end()

    # ------------------------------------------------------------------ internals

    def _bind(self, control: Any, work: Callable[[], object]) -> None:
        """Make clicking *control* run *work* like the Run button does (once at a time, guarded)."""
        what = pgettext("while", "starting the experiment")
        control.on_click(lambda _event: self._message.guard(lambda: self._click(work), what))

    def _click(self, work: Callable[[], object]) -> None:
        if not self._begin():
            return
        if not self.background:
            try:
                self._attempt(work)
            finally:
                self._end()
            return

        def in_background() -> None:
            try:
                self._attempt(work)
            finally:
                self._end()

        try:
            self._thread = threading.Thread(target=in_background, name="httplab-experiment", daemon=True)
            self._thread.start()
        except BaseException:
            self._end()
            raise

    def _begin(self) -> bool:
        with self._lock:
            busy = self._busy
            self._busy = True
        if busy:
            self._message.show(_("An experiment is already running; this click was ignored."), "info")
            return False
        for action in self._actions:
            action.disabled = True
        self.run_button.description = self._running_label
        return True

    def _end(self) -> None:
        self.run_button.description = self._run_label
        for action in self._actions:
            action.disabled = False
        with self._lock:
            self._busy = False

    def _attempt(self, work: Callable[[], T]) -> T | None:
        result: list[T | None] = [None]

        def guarded() -> None:
            result[0] = self._run_checked(work)

        self._message.guard(guarded, pgettext("while", "running the experiment"))
        return result[0]

    def _run_checked(self, work: Callable[[], T]) -> T | None:
        self._message.clear()
        hide(self.restart_button)
        if lab_is_down(self.lab):
            self._stopped()
            return None
        try:
            return work()
        except FormError as error:
            self._message.show(str(error), "error", error.details)
        except (InvalidRequestError, SetupFailedError) as error:
            self._message.show(str(error), "error")
        except LabNotRunningError as error:
            self._stopped(str(error))
        except RuntimeError:
            if not lab_is_down(self.lab):
                raise
            self._stopped()
        return None

    def _stopped(self, detail: str = "") -> None:
        self._message.show(_(STOPPED_EXPERIMENT), "error", detail)
        hide(self.restart_button, False)
