"""JAX step programs: which batches run scanned and which run as one unrolled program.

The user's ``steps_per_execution`` steps must run as upstream runs them (one
program tracing the steps one after another), so that XLA fuses them as it fuses
upstream's on every device. Only batches refkeras fuses beyond that are scanned.
"""

from __future__ import annotations

import numpy as np
import pytest

import refkeras as keras
from refkeras import backend

pytestmark = pytest.mark.skipif(backend.backend() != "jax", reason="JAX step programs")


def _step_function(steps_per_execution):
    from refkeras.backend.jax.trainer_steps import StepFunction

    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    model.compile("sgd", "mse", steps_per_execution=steps_per_execution, jit_compile=True)
    model.optimizer.build(model.trainable_variables)  # fit does this before its first step
    function = StepFunction(model, "train")
    used = []
    for attribute in ("_run", "_scan"):
        original = getattr(function, attribute)

        def spy(*args, _original=original, _name=attribute):
            used.append(_name)
            return _original(*args)

        setattr(function, attribute, spy)
    return function, used


def _batches(count):
    rng = np.random.default_rng(0)
    return [(rng.standard_normal((4, 3), dtype=np.float32),
             rng.standard_normal((4, 2), dtype=np.float32)) for _ in range(count)]


@pytest.mark.parametrize("steps_per_execution,batches,expected", [
    (1, 1, "_run"),    # one step
    (2, 2, "_run"),    # exactly what the user asked for: upstream's unrolled program
    (4, 3, "_run"),    # a short last chunk of the user's steps
    (1, 4, "_scan"),   # refkeras's own fusion of unobserved steps
    (2, 8, "_scan"),
])
def test_program_choice(steps_per_execution, batches, expected):
    function, used = _step_function(steps_per_execution)
    function(_batches(batches))
    assert used == [expected]


def test_scanned_and_unrolled_programs_train_alike():
    scanned, _ = _step_function(1)
    unrolled, _ = _step_function(4)
    unrolled.model.set_weights(scanned.model.get_weights())
    data = _batches(4)
    scanned(data)
    unrolled(data)
    scanned.sync()
    unrolled.sync()
    for a, b in zip(scanned.model.get_weights(), unrolled.model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
