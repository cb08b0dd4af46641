"""The exceptions httplab raises: one root, messages a learner can act on."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from httplab.client.models import Exchange

__all__ = [
    "BankError",
    "FlawError",
    "HTTPLabError",
    "InvalidRequestError",
    "LabNotRunningError",
    "LanguageError",
    "LabOptionsError",
    "NoResponseError",
    "PredictionError",
    "QuizError",
    "SetupFailedError",
]


class HTTPLabError(Exception):
    """Root of every error httplab raises on purpose.

    Catch this one class to handle anything the kit reports; the message always says
    what went wrong and what to do next.
    """


class InvalidRequestError(HTTPLabError, ValueError):
    """A request could not be built from what was given (nothing was sent)."""


class LabNotRunningError(HTTPLabError):
    """The lab server is not answering: it was stopped, or never started."""


class LabOptionsError(HTTPLabError, TypeError):
    """A lab was given an option it does not have (nothing was started)."""


class FlawError(HTTPLabError, ValueError):
    """A lab was asked to plant a flaw it does not know (nothing was started); the message lists the catalogue."""


class NoResponseError(HTTPLabError):
    """The request may have reached the server, but no response came back.

    This is exactly the situation a lost response creates: the client cannot know
    whether the server applied the request. ``exchange`` holds the record of the attempt.
    """

    def __init__(self, message: str, exchange: Exchange | None = None) -> None:
        super().__init__(message)
        self.exchange = exchange


class SetupFailedError(HTTPLabError):
    """A setup request of an experiment did not succeed, so the experiment did not run."""


# ------------------------------------------------------------------------------------------------ teaching


class QuizError(HTTPLabError, ValueError):
    """An answer could not be graded (wrong shape, unknown question); no attempt was counted."""


class BankError(HTTPLabError, ValueError):
    """A question bank is broken; the message names the file, the question and the fix."""


class PredictionError(HTTPLabError, ValueError):
    """A prediction could not be made or revealed; the message says what to do."""


class LanguageError(HTTPLabError, ValueError):
    """A language the kit does not speak was asked for (the language did not change); the message lists them."""
