"""How a lab is built: one frozen configuration object, :class:`LabOptions`, with every option and its default.

A new option is one new field here (with its line in the docstring), plus the code that uses it.
:class:`~httplab.lab.Lab` and :func:`~httplab.lab.start` take the same names as keywords and build
one of these; ``lab.options`` gives it back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from httplab.client import DEFAULT_HISTORY_SIZE
from httplab.errors import FlawError, LabOptionsError
from httplab.http.flaws import FLAWS, MYSTERY, catalogue_text, conflict, mystery_flaws, unknown_flaw_message
from httplab.i18n import _

__all__ = ["LabOptions"]


@dataclass(frozen=True, kw_only=True)
class LabOptions(Mapping[str, Any]):
    """Everything that decides how a lab is built; build it by keyword.

    It also reads as a mapping of option names to values, so ``start(**lab.options)`` and
    ``dict(lab.options)`` work.

    Attributes
    ----------
    in_process
        Call the lab's application directly instead of over a socket (no port at all).
    host, port
        Where the server listens; the defaults are this machine only and a free port.
    allow_remote
        Required to listen on anything but a loopback address (then pass ``owner_only=False`` too).
    owner_only
        Answer only the Unix user that started the lab: a connection from another user of the same
        machine (a classmate on a shared JupyterHub) gets 403, and nothing in the lab is read or
        changed. On by default; where the machine cannot tell who opened a connection (macOS,
        Windows) it is not enforced, and the lab's repr says so.
    require_precondition
        Start with PUT/PATCH/DELETE requiring If-Match or If-None-Match (428 without).
    max_items
        How many items the store holds before answering 507.
    history_size
        How many exchanges ``lab.history`` keeps.
    flaws
        Misbehaviours to plant in ``/lab`` for an audit: ids from :data:`httplab.http.flaws.FLAWS`,
        or ``"mystery"`` for a hidden set picked from *seed*. Empty (the default): a lab that keeps
        every rule.
    seed
        Which hidden set a mystery lab plants (the same seed, the same set); drawn at random when
        omitted, and kept in ``lab.options`` so that ``lab.restart()`` plants the same set.

    Examples
    --------
    >>> options = LabOptions(in_process=True)
    >>> options.replace(max_items=5).max_items
    5
    >>> dict(options)["in_process"]
    True

    """

    in_process: bool = False
    host: str = "127.0.0.1"
    port: int = 0
    allow_remote: bool = False
    owner_only: bool = True
    require_precondition: bool = False
    max_items: int = 10_000
    history_size: int = DEFAULT_HISTORY_SIZE
    flaws: tuple[str, ...] | str = ()
    seed: int | None = None

    def __post_init__(self) -> None:
        flaws = self.flaws
        if isinstance(flaws, str) and flaws != MYSTERY:
            flaws = (flaws,)
        if not isinstance(flaws, str):
            if not all(isinstance(name, str) for name in flaws):
                raise FlawError(
                    _("flaws= takes flaw ids (strings), not {flaws!r}.\n{catalogue}").format(
                        flaws=flaws, catalogue=catalogue_text()
                    )
                )
            unknown = sorted(set(flaws) - set(FLAWS))
            if unknown:
                raise FlawError(unknown_flaw_message(unknown))
            flaws = tuple(sorted(set(flaws)))
            problem = conflict(flaws)
            if problem is not None:
                raise FlawError(problem)
        object.__setattr__(self, "flaws", flaws)
        if self.seed is not None and (isinstance(self.seed, bool) or not isinstance(self.seed, int)):
            raise FlawError(_("seed= takes a whole number, like seed=7, not {seed!r}.").format(seed=self.seed))

    @property
    def planted_flaws(self) -> tuple[str, ...]:
        """The flaw ids this lab plants: those named, or the mystery set of *seed* (empty without flaws)."""
        if self.flaws == MYSTERY:
            if self.seed is None:
                raise FlawError(_("A mystery lab needs a seed to choose its flaws; Lab() draws one when omitted."))
            return mystery_flaws(self.seed)
        return tuple(self.flaws)

    def replace(self, **changes: Any) -> LabOptions:
        """Return these options with *changes*; an unknown name gets a message that lists the known ones.

        >>> LabOptions().replace(prot=8000)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        httplab.errors.LabOptionsError: A lab has no option 'prot'. Its options are: allow_remote, ...
        """
        unknown = [name for name in changes if name not in _NAMES]
        if unknown:
            names = ", ".join(repr(name) for name in unknown)
            raise LabOptionsError(
                _(
                    "A lab has no option {names}. Its options are: {options}. "
                    "Check the spelling, for example Lab(in_process=True) or start(port=8000)."
                ).format(names=names, options=", ".join(sorted(_NAMES)))
            )
        return dataclasses.replace(self, **changes) if changes else self

    def __getitem__(self, name: str) -> Any:
        if name not in _NAMES:
            raise KeyError(name)
        return getattr(self, name)

    def __iter__(self) -> Iterator[str]:
        return iter(_NAMES)

    def __len__(self) -> int:
        return len(_NAMES)


_NAMES = tuple(field.name for field in dataclasses.fields(LabOptions))
