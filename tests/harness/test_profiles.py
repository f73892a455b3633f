"""Selection of the Hypothesis profile from the environment."""

from __future__ import annotations

import pytest
from hypothesis import settings

from conformance._harness import profiles


@pytest.mark.parametrize("environ, expected", [
    ({}, "dev"),
    ({"CI": "true"}, "ci"),
    ({"CI": "true", "HYPOTHESIS_PROFILE": "nightly"}, "nightly"),
    ({"HYPOTHESIS_PROFILE": "ci"}, "ci"),
])
def test_profile_name(environ, expected):
    assert profiles.profile_name(environ) == expected


def test_ci_profile_is_reproducible():
    ci = settings.get_profile("ci")
    assert ci.derandomize and ci.database is None and ci.deadline is None
    assert settings.get_profile("dev").max_examples < ci.max_examples
    assert ci.max_examples < settings.get_profile("nightly").max_examples


def test_unknown_profile_is_refused(monkeypatch):
    monkeypatch.setenv("HYPOTHESIS_PROFILE", "fast")
    with pytest.raises(ValueError, match="HYPOTHESIS_PROFILE='fast' is not a known profile"):
        profiles.load_profile()
