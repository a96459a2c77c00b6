"""Hypothesis profiles: thorough in CI, quick on a laptop.

``CHECKOUT_MODEL_HYPOTHESIS_PROFILE=ci|dev`` picks one; without it, ``ci`` when the ``CI``
environment variable is set, else ``dev``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    parent=settings.get_profile("ci"),
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
"""Hypothesis's own CI profile (derandomized, no deadline, no database), a few hundred examples."""

settings.register_profile(
    "dev",
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
"""A quick pass for local work; failures found are kept in the example database."""

settings.load_profile(
    os.environ.get("CHECKOUT_MODEL_HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)
