"""How long the fuzzing tests run: a modest budget by default, a long one on request.

Set ``HTTPLAB_FUZZ=long`` to run the model-based, Schemathesis, HTTP-parser and fuzzed security tests
with many more examples (minutes instead of seconds), for example before a release::

    HTTPLAB_FUZZ=long .venv/bin/python -m pytest tests/test_model_based.py tests/test_openapi.py

The profiles are registered here and applied per test with ``@settings(profile())``, so
they never change the settings of other tests that use Hypothesis.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

LONG = os.environ.get("HTTPLAB_FUZZ", "").strip().lower() == "long"

settings.register_profile(
    "httplab-default",
    # The same examples on every run, so make test never fails by luck; the long run explores.
    derandomize=True,
    max_examples=40,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    print_blob=True,
)
settings.register_profile(
    "httplab-long",
    max_examples=2000,
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    print_blob=True,
)


def profile() -> settings:
    """Return the settings chosen by ``HTTPLAB_FUZZ`` (``long``, or the default)."""
    return settings.get_profile("httplab-long" if LONG else "httplab-default")


def examples(default: int, long: int) -> int:
    """Return *long* under ``HTTPLAB_FUZZ=long``, else *default*."""
    return long if LONG else default
