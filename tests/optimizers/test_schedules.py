"""Learning-rate schedules against their closed forms."""

from __future__ import annotations

import math

import pytest

from refkeras.optimizers import schedules
from tests.optimizers.helpers import values


def at(schedule, step):
    return float(values(schedule(step)))


def test_exponential_decay():
    s = schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    assert at(s, 20) == pytest.approx(0.025)
    assert at(s, 5) == pytest.approx(0.1 * 0.5**0.5, rel=1e-6)
    stairs = schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5, staircase=True)
    assert at(stairs, 19) == pytest.approx(0.05)


def test_cosine_decay_without_warmup():
    s = schedules.CosineDecay(1.0, decay_steps=10, alpha=0.1)
    assert at(s, 0) == pytest.approx(1.0)
    assert at(s, 5) == pytest.approx(0.9 * 0.5 + 0.1)
    assert at(s, 10) == pytest.approx(0.1) and at(s, 50) == pytest.approx(0.1)
    assert at(s, 3) == pytest.approx(0.9 * 0.5 * (1 + math.cos(math.pi * 0.3)) + 0.1, rel=1e-6)


def test_cosine_decay_with_warmup():
    s = schedules.CosineDecay(0.0, decay_steps=10, warmup_target=1.0, warmup_steps=4)
    assert at(s, 0) == 0.0 and at(s, 2) == pytest.approx(0.5)
    assert at(s, 4) == pytest.approx(1.0) and at(s, 9) == pytest.approx(0.5, abs=1e-6)
    assert at(s, 100) == pytest.approx(0.0, abs=1e-7)


def test_piecewise_constant_decay():
    s = schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    assert [at(s, k) for k in (0, 10, 11, 20, 21, 99)] == pytest.approx(
        [1.0, 1.0, 0.5, 0.5, 0.1, 0.1])


def test_errors():
    with pytest.raises(ValueError, match="`decay_steps` must be > 0. Received: decay_steps=0"):
        schedules.ExponentialDecay(0.1, 0, 0.5)
    with pytest.raises(ValueError, match="should be 1 less than"):
        schedules.PiecewiseConstantDecay([1], [0.1])
    with pytest.raises(NotImplementedError):
        schedules.LearningRateSchedule()(0)


def test_serialization_round_trip():
    s = schedules.CosineDecay(0.1, 10, warmup_target=0.2, warmup_steps=3)
    data = schedules.serialize(s)
    assert data["module"] == "keras.optimizers.schedules" and data["class_name"] == "CosineDecay"
    assert schedules.deserialize(data).get_config() == s.get_config()

