"""Unit-test configuration: the shared Hypothesis profiles (no upstream keras here)."""

from __future__ import annotations

from conformance._harness import profiles

profiles.load_profile()
