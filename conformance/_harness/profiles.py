"""Hypothesis profiles shared by tests/ and conformance/ (imports neither keras nor refkeras).

``HYPOTHESIS_PROFILE`` picks one; without it, ``ci`` when ``CI=true`` and ``dev`` otherwise.

- ``dev``: few examples, for a quick local loop; keeps the example database.
- ``ci``: reproducible (derandomized, no database) with a moderate number of examples.
- ``nightly``: many examples, to dig for rare counterexamples.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from hypothesis import HealthCheck, settings

PROFILES = {
    "dev": {"max_examples": 10},
    "ci": {"max_examples": 25, "derandomize": True, "database": None},
    "nightly": {"max_examples": 500},
}


def profile_name(environ: Mapping[str, str] = os.environ) -> str:
    """The profile the environment asks for (see the module docstring)."""
    default = "ci" if environ.get("CI", "").lower() in ("1", "true", "yes") else "dev"
    return environ.get("HYPOTHESIS_PROFILE") or default


def load_profile() -> str:
    """Registers every profile (idempotent) and loads the selected one; returns its name."""
    for name, options in PROFILES.items():
        # Backend ops can take a while on first call (tracing, compilation), so no deadline.
        settings.register_profile(
            name, deadline=None, suppress_health_check=[HealthCheck.too_slow], **options
        )
    name = profile_name()
    if name not in PROFILES:
        raise ValueError(
            f"HYPOTHESIS_PROFILE={name!r} is not a known profile; use one of {sorted(PROFILES)}."
        )
    settings.load_profile(name)
    return name
